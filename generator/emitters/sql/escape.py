"""The audited text escapes for SQL output: string literals, comments and derived names.

Why one module: every piece of spec text that reaches a DDL file (defaults, enum
values, descriptions, role names) passes through one of these functions, so the
injection surface is three small functions with tests on real databases.
"""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal, InvalidOperation

from generator.model import ScalarValue

MAX_NAME = 63  # PostgreSQL's limit; MySQL allows 64, SQLite has none


def string_literal(text: str, *, backslash_escapes: bool) -> str:
    """A single-quoted SQL string literal.

    Quotes are doubled (standard SQL). MySQL additionally treats a backslash as an
    escape character (unless NO_BACKSLASH_ESCAPES), so there it is doubled too;
    doubled backslashes are still inert under NO_BACKSLASH_ESCAPES, only visible.
    NUL is dropped: PostgreSQL text cannot store it and C clients would cut there.
    """
    escaped = text.replace("\x00", "").replace("'", "''")
    if backslash_escapes:
        escaped = escaped.replace("\\", "\\\\")
    return f"'{escaped}'"


def number_literal(value: int | float | str) -> str | None:
    """A numeric literal, or None when the value is not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return str(number) if number.is_finite() else None


def comment_lines(text: str, indent: str = "") -> list[str]:
    """`-- ` comment lines; every line break a parser might honour starts a new comment line."""
    return [f"{indent}-- {line}".rstrip() for line in text.replace("\x00", "").splitlines()]


def short_name(*parts: str) -> str:
    """A derived identifier (constraint, trigger, view) no longer than every dialect allows.

    Long names keep a readable prefix and end in a hash of the full name, so they stay
    unique and stable from run to run.
    """
    name = "_".join(parts)
    if len(name) <= MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_NAME - 9]}_{digest}"


def scalar_literal(
    value: ScalarValue, *, backslash_escapes: bool, booleans: tuple[str, str]
) -> str:
    if isinstance(value, bool):
        return booleans[1] if value else booleans[0]
    if isinstance(value, int | float):
        number = number_literal(value)
        if number is None:
            raise ValueError(f"{value!r} has no SQL literal")
        return number
    return string_literal(value, backslash_escapes=backslash_escapes)
