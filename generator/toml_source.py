"""TOML files (configuration, lint profiles) as a loader Document: data plus line:col.

Why a scanner of our own: tomllib, the standard parser, gives no positions, and an
unknown key in `pyproject.toml` must be reported at its line like one in a spec. The
file is parsed by tomllib first, so the scanner only ever sees valid TOML and can be
lenient; it records where every key and value starts and never decides a value.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location, Severity, Span, SpecError
from generator.loader import Document, PathKey

_SYNTAX_AT = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}#\r\n]*")
_MAX_BYTES = 1024 * 1024


def load_toml(path: Path, display: str) -> Document:
    """Parse a TOML file; every problem is a located `config/*` diagnostic."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SpecError(
            [_error("config/unreadable", f"cannot read the file: {error.strerror}", display)]
        ) from None
    if len(raw) > _MAX_BYTES:
        raise SpecError([_error("config/too-large", "the file is larger than 1 MiB", display)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SpecError(
            [_error("config/syntax", f"not UTF-8 text (byte {error.start})", display)]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _SYNTAX_AT.match(str(error))
        line, column = (int(found["line"]), int(found["column"])) if found else (1, 1)
        message = found["message"] if found else str(error)
        raise SpecError(
            [
                Diagnostic(
                    Severity.ERROR,
                    "config/syntax",
                    f"invalid TOML: {message}",
                    Location(display, line, column),
                )
            ]
        ) from None
    scanner = _Scanner(text)
    try:
        positions = scanner.positions()
    except (IndexError, ValueError, AssertionError):
        # Why not fail: tomllib accepted the file, so this is the scanner's bug, and it
        # costs precision only (a message points at the nearest position found).
        positions = scanner.found
    return Document(display, data, positions)


def display_path(path: Path) -> str:
    """A file as messages name it: relative to the working folder (`../pyproject.toml`
    from a sub-folder, where editors and terminals still open it)."""
    try:
        return Path(os.path.relpath(path.resolve(), Path.cwd().resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return str(path)


def _error(code: str, message: str, display: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, Location(display, 1, 1))


class _Scanner:
    """Walks valid TOML text and records the position of every key and value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.found: dict[PathKey, Span] = {}
        self.tables: dict[PathKey, int] = {}  # array-of-tables path -> index of its last element
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def positions(self) -> dict[PathKey, Span]:
        table: PathKey = ()
        while True:
            self._skip(newlines=True)
            if self.i >= len(self.text):
                return self.found
            if self.text.startswith("[[", self.i):
                table = self._header(array=True)
            elif self.text[self.i] == "[":
                table = self._header(array=False)
            else:
                self._key_value(table)

    def _span(self, value_at: int, key_at: int | None) -> Span:
        line, column = self._where(value_at)
        if key_at is None:
            return Span(line, column)
        key_line, key_column = self._where(key_at)
        return Span(line, column, key_line, key_column)

    def _where(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self._line_starts) - 1
        while lo < hi:  # the last line start at or before offset
            mid = (lo + hi + 1) // 2
            if self._line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - self._line_starts[lo] + 1

    def _skip(self, *, newlines: bool) -> None:
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char in " \t" or (newlines and char in "\r\n"):
                self.i += 1
            elif char == "#":
                end = text.find("\n", self.i)
                self.i = len(text) if end < 0 else end
            else:
                return

    def _header(self, *, array: bool) -> PathKey:
        start = self.i
        self.i += 2 if array else 1
        parts = self._key()
        self.i += 2 if array else 1
        resolved: list[str | int] = []
        for n, (name, _) in enumerate(parts):
            resolved.append(name)
            key = tuple(resolved)
            last = n == len(parts) - 1
            if last and array:
                self.tables[key] = self.tables.get(key, -1) + 1
                self.found.setdefault(key, self._span(start, parts[n][1]))
            if key in self.tables:
                resolved.append(self.tables[key])
            self.found.setdefault(tuple(resolved), self._span(start, parts[n][1]))
        return tuple(resolved)

    def _key(self) -> list[tuple[str, int]]:
        """A dotted key: each part with the offset where it starts."""
        parts: list[tuple[str, int]] = []
        while True:
            self._skip(newlines=False)
            start = self.i
            char = self.text[self.i]
            if char == '"':
                name = self._basic_string()
            elif char == "'":
                end = self.text.index("'", self.i + 1)
                name = self.text[self.i + 1 : end]
                self.i = end + 1
            else:
                match = _BARE_KEY.match(self.text, self.i)
                assert match is not None  # tomllib accepted the file
                name = match.group()
                self.i = match.end()
            parts.append((name, start))
            self._skip(newlines=False)
            if self.i < len(self.text) and self.text[self.i] == ".":
                self.i += 1
                continue
            return parts

    def _key_value(self, table: PathKey) -> None:
        parts = self._key()
        self.i += 1  # "="
        path = table
        for name, start in parts[:-1]:
            path = (*path, name)
            self.found.setdefault(path, self._span(start, start))
        self._skip(newlines=False)
        path = (*path, parts[-1][0])
        self.found[path] = self._span(self.i, parts[-1][1])
        self._value(path)

    def _value(self, path: PathKey) -> None:
        text = self.text
        char = text[self.i]
        if text.startswith('"""', self.i) or text.startswith("'''", self.i):
            quote = text[self.i : self.i + 3]
            end = self.i + 3
            while not text.startswith(quote, end):
                end += 2 if quote == '"""' and text[end] == "\\" else 1
            while text.startswith(quote[0], end + 3):  # up to two quotes end the content
                end += 1
            self.i = end + 3
        elif char == '"':
            self._basic_string()
        elif char == "'":
            self.i = text.index("'", self.i + 1) + 1
        elif char == "[":
            self._array(path)
        elif char == "{":
            self._inline_table(path)
        else:  # numbers, booleans, dates (which may hold one space)
            match = _SCALAR.match(text, self.i)
            assert match is not None
            self.i = match.end()

    def _array(self, path: PathKey) -> None:
        self.i += 1
        index = 0
        while True:
            self._skip(newlines=True)
            if self.text[self.i] == "]":
                self.i += 1
                return
            if self.text[self.i] == ",":
                self.i += 1
                continue
            item = (*path, index)
            self.found[item] = self._span(self.i, None)
            self._value(item)
            index += 1

    def _inline_table(self, path: PathKey) -> None:
        self.i += 1
        while True:
            self._skip(newlines=True)
            if self.text[self.i] == "}":
                self.i += 1
                return
            if self.text[self.i] == ",":
                self.i += 1
                continue
            self._key_value(path)

    def _basic_string(self) -> str:
        """A one-line "..." string; returns its value for keys (escapes decoded)."""
        end = self.i + 1
        while self.text[end] != '"':
            end += 2 if self.text[end] == "\\" else 1
        raw = self.text[self.i : end + 1]
        self.i = end + 1
        value: Any = tomllib.loads(f"k = {raw}")["k"]
        return str(value)
