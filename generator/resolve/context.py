"""What every resolving step shares: the spec, where each of its keys is, the problems found."""

from __future__ import annotations

from collections.abc import Iterable

from generator import spec as s
from generator.diagnostics import Diagnostic, Location, Severity, quote
from generator.loader import Document
from generator.validate import did_you_mean


class Context:
    def __init__(self, spec: s.Spec, document: Document, raw: bytes) -> None:
        self.spec = spec
        self.doc = document
        self.raw = raw
        self.problems: list[Diagnostic] = []

    def at(self, *path: str | int, key: bool = False) -> Location:
        return self.doc.locate(tuple(path), key=key)

    def error(self, code: str, message: str, location: Location, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(Severity.ERROR, code, message, location, hint))

    def unknown(
        self, what: str, name: str, choices: Iterable[str], location: Location, add: str
    ) -> None:
        hint = did_you_mean(name, choices) or add
        self.error(f"unknown-{what}", f"{what} {quote(name)} is not defined", location, hint)
