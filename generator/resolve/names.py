"""Names the resolver derives or checks: SQL identifier limits and names that collide."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from generator.diagnostics import Location, quote
from generator.loader import PathKey
from generator.resolve.context import Context

MAX_IDENTIFIER = 63  # PostgreSQL truncates longer identifiers; MySQL allows 64


def index_name(*parts: str) -> str:
    """Like the SQL emitter's derived names (escape.short_name): long ones end in a hash."""
    name = "_".join(parts)
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_IDENTIFIER - 9]}_{digest}"


def check_identifier(ctx: Context, name: str, location: Location, what: str) -> None:
    if len(name) > MAX_IDENTIFIER:
        ctx.error(
            "name-too-long",
            f"{what} {quote(name)} is {len(name)} characters; PostgreSQL allows {MAX_IDENTIFIER}",
            location,
            "shorten the name or set 'table:'",
        )


def check_confusable(ctx: Context, what: str, names: Iterable[str], path: PathKey) -> None:
    """Names that differ only in case or Unicode form collide in file systems, URLs and SQL."""
    seen: dict[str, str] = {}
    for name in names:
        folded = unicodedata.normalize("NFKC", name).casefold().replace("_", "").replace("-", "")
        if folded in seen:
            ctx.error(
                "duplicate-name",
                f"{what} {quote(name)} collides with {quote(seen[folded])} (names are compared ignoring case and separators)",
                ctx.at(*path, name, key=True),
                "rename one of them",
            )
        seen.setdefault(folded, name)


# --- services and events ---------------------------------------------------
