"""Problems found in a spec, as data with a source location.

Why: every stage collects diagnostics instead of raising on the first problem, so
one run reports everything; only the CLI turns them into text on a terminal.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Span(NamedTuple):
    """Where a value sits in the source, and where its key sits (0, 0 when it has none).

    Why numbers and not Locations: a large spec has a hundred thousand positions, and
    only the few a message reports ever become a Location.
    """

    line: int
    column: int
    key_line: int = 0
    key_column: int = 0

    def value_in(self, file: str) -> Location:
        return Location(file, self.line, self.column)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    location: Location
    hint: str | None = None

    def format(self) -> str:
        text = f"{self.location}: {self.severity}[{self.code}]: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class SpecError(Exception):
    """A spec that cannot be built; carries every problem found, in source order."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.location, d.code))
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class UsageError(Exception):
    """The command asks for something unsafe or impossible (exit 2), e.g. an output folder
    that holds the user's own files. `path` is what the message is about."""

    def __init__(self, path: str, code: str, message: str, hint: str | None = None) -> None:
        self.path, self.code, self.message, self.hint = path, code, message, hint
        super().__init__(self.format())

    def format(self) -> str:
        text = f"{self.path}: error[{self.code}]: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class ToolError(Exception):
    """The environment cannot do what was asked (e.g. graphviz missing): not the spec's fault."""


_MAX_QUOTED = 40


def quote(value: object, limit: int = _MAX_QUOTED) -> str:
    """Quote user text for a one-line message: escaped, shortened, terminal-safe.

    Why: a hostile spec must not be able to move the cursor, recolour the terminal or
    flip text direction through an error message.
    """
    text = str(value)
    shortened = len(text) > limit
    text = text[:limit]
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char == "'" or char == "\\":
            out.append("\\" + char)
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or (
            category == "Zs" and char != " "
        ):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + ("…'" if shortened else "'")
