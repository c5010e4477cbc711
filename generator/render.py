"""The one Jinja2 environment: template lookup, escaping policy and filters.

Why escaping is on by default: spec text ends up in Markdown that becomes HTML, so
every `{{ value }}` is escaped for Markdown+HTML unless a template marks generated
content (code blocks, tables built here) as `|raw`. Forgetting a filter is safe;
only remembering `|raw` can be wrong, and it is never used on spec text.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup


def templates_dir() -> Path:
    """Templates ship inside the wheel (generator/templates); in a checkout they live at the top."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


# Backslash escapes work only for Python-Markdown's ESCAPED_CHARS (plus `|` in tables);
# other significant characters become numeric entities, which every renderer decodes.
_BACKSLASHED = "\\`*_{}[]|"
_MD_SPECIAL = re.compile(f"([{re.escape(_BACKSLASHED)}])")
_ENTITIES = {"~": "&#126;", "=": "&#61;", "?": "&#63;"}
_LINE_START = re.compile(r"^(\s*)(?:([#+\-=>!?])|(\d+)([.)]))", re.MULTILINE)
# Everything md() rewrites anywhere in a line (line starts are checked apart), so a value
# without any of it is returned as it is.
_NOTHING_TO_ESCAPE = re.compile(f"[^{re.escape('&<>~' + _BACKSLASHED)}\n]*\\Z")


def md(value: Any, *, block: bool = False) -> str:
    """Escape text for Markdown: no HTML, links, emphasis or attr_list from specs.

    Line-start markers (#, -, 1.) are escaped on every line after the first, and on the
    first too with `block=True`, for values that begin a line in the template.
    """
    if isinstance(value, Markup):
        return str(value)
    text = str(value)
    if _NOTHING_TO_ESCAPE.match(text) and not (block and _LINE_START.match(text)):
        return text  # most values (names, types, numbers): no regex work at all
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text).replace("~", _ENTITIES["~"])
    if block:
        return _LINE_START.sub(_escape_block_marker, text)
    first, newline, rest = text.partition("\n")
    return first + newline + _LINE_START.sub(_escape_block_marker, rest)


def _escape_block_marker(match: re.Match[str]) -> str:
    indent, marker, digits, dot = match.groups()
    if not marker:
        return f"{indent}{digits}\\{dot}"
    # `!!! note` and `??? note` open admonitions and details blocks; `===` a setext heading.
    return indent + (_ENTITIES.get(marker) or "\\" + marker)


def cell(value: Any) -> Markup:
    """Escape for a Markdown table cell: one line, pipes escaped."""
    return Markup(_cell_text(value))


def _cell_text(value: Any) -> str:
    return "" if value is None or value == "" else " ".join(md(value).split())


def table(headers: list[str], rows: Iterable[Iterable[Any]]) -> Markup:
    """A Markdown table. Headers are template text or validated slugs (role names) and
    are written as they are; every cell is escaped as `cell`.

    Why Python and not a macro: the design document of a large system has 100,000
    cells, and a Jinja loop spent more on calling the filter than the filter did.
    """
    lines = [f"| {' | '.join(headers)} |", "|" + " --- |" * len(headers)]
    lines.extend("|" + "".join(f" {_cell_text(value)} |" for value in row) for row in rows)
    return Markup("\n".join(lines))


def code(text: str, language: str = "") -> Markup:
    """A fenced code block whose fence cannot be closed by its content."""
    # The `in` test first: the scan for runs took 10 ms on a 10 MB OpenAPI listing.
    runs = re.findall(r"`{3,}", text) if "```" in text else ()
    longest = max((len(m) for m in runs), default=2)
    fence = "`" * (longest + 1)
    return Markup(f"{fence}{language}\n{text.rstrip()}\n{fence}")


def prose(value: Any) -> Markup:
    """Rule text: escaped like any value, except that `backtick` spans become code spans.

    Why: the rules name SQL and keys (`WHERE id = $1`), which read as code; escaping the
    backticks too showed them literally. A code span shows its content as written, so
    only a backtick inside it needs care, and the rules write none."""
    parts = str(value).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        return Markup(md(value))
    # Odd-numbered parts sit between a pair of backticks.
    return Markup("".join(f"`{part}`" if i % 2 else md(part) for i, part in enumerate(parts)))


def raw(value: Any) -> Markup:
    return Markup(str(value))


def _finalize(value: Any) -> Markup:
    """Runs on every `{{ }}` result; Markup (macro output, |raw, |code, |cell) passes through."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    return Markup(md(value))


@cache
def environment() -> jinja2.Environment:
    # autoescape with _finalize: Markdown+HTML escaping, not just HTML.
    env = _environment("markdown", autoescape=True, finalize=_finalize)
    env.filters.update(
        block=lambda v: Markup(md(v, block=True)),
        cell=cell,
        code=code,
        raw=raw,
        number=number,
        prose=prose,
    )
    env.globals["markdown_table"] = table
    return env


def number(value: float | int, digits: int = 0) -> str:
    """Thousands separators, fixed digits: deterministic across locales."""
    return f"{value:,.{digits}f}"


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_plain(template: str, **context: Any) -> str:
    """Render a template whose output is not Markdown (SQL, YAML): no Markdown escaping.

    Such templates must escape with their own filters (SQL identifiers and literals).
    """
    return _plain_environment().get_template(template).render(**context)


@cache
def _plain_environment() -> jinja2.Environment:
    return _environment("plain", autoescape=False, finalize=None)


def _environment(
    kind: str, *, autoescape: bool, finalize: Callable[[Any], Any] | None
) -> jinja2.Environment:
    options: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "autoescape": autoescape,
        "finalize": finalize,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    # The options and the Jinja version shape compiled code, so they name the cache
    # files: code compiled otherwise is never loaded. Jinja compares the source itself.
    shape = [jinja2.__version__, *((k, getattr(v, "__qualname__", v)) for k, v in options.items())]
    digest = hashlib.sha256(repr(shape).encode()).hexdigest()[:16]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=_bytecode_cache(f"__archsmith_{kind}_{digest}_%s.cache"),
        **options,
    )


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs in Jinja's private per-user temp folder:
    compiling them took 80 ms of every build. A folder that fails costs speed, not the build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache(pattern: str) -> jinja2.BytecodeCache | None:
    try:
        return _BytecodeCache(pattern=pattern)
    except (OSError, RuntimeError):  # no safe temp folder: compile every time
        return None
