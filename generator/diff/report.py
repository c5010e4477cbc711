"""What `archsmith diff` found for one spec: changes with a rule, a level and a place.

Levels: `breaking` (a client or a deployed database stops working as before),
`warning` (it may, depending on what the spec does not say: data already stored, how
clients handle a new enum value), `info` (compatible). A change is `destructive` when
its migration loses stored data; that is what `--fail-on destructive` looks at.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from generator.diagnostics import Location

Level = Literal["breaking", "warning", "info"]
Side = Literal["api", "database", "architecture", "coupled"]
LEVELS: tuple[Level, ...] = ("breaking", "warning", "info")
SIDES: tuple[Side, ...] = ("coupled", "api", "database", "architecture")


@dataclass(frozen=True, slots=True)
class Change:
    rule: str  # e.g. "api.response-property-removed"; one per kind of change
    level: Level
    side: Side
    message: str
    location: Location  # in the new spec, or the old one for removals
    path: str  # the element changed, e.g. "GET /api/v1/notes 200 title"; no line numbers
    hint: str = ""
    destructive: bool = False

    @property
    def id(self) -> str:
        """Stable across edits that move lines: rule and element, not position."""
        text = "\x1f".join((self.rule, self.path))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def format(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.location}: {self.level}[{self.rule}]: {self.message}{hint}"


@dataclass(frozen=True)
class ChangeReport:
    slug: str
    old_source: str | None  # None: the spec was added
    new_source: str | None  # None: the spec was deleted
    changes: tuple[Change, ...] = field(default=())

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(LEVELS, 0)
        for c in self.changes:
            counts[c.level] += 1
        counts["destructive"] = sum(c.destructive for c in self.changes)
        return counts

    @property
    def breaking(self) -> bool:
        return any(c.level == "breaking" for c in self.changes)

    @property
    def destructive(self) -> bool:
        return any(c.destructive for c in self.changes)


def ordered(changes: list[Change]) -> tuple[Change, ...]:
    """Most severe first, then by side and place: a stable order for every format."""
    return tuple(
        sorted(
            changes,
            key=lambda c: (
                LEVELS.index(c.level),
                SIDES.index(c.side),
                c.location.file,
                c.location.line,
                c.location.column,
                c.rule,
                c.path,
            ),
        )
    )
