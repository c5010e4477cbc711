"""A spec key a rule needed but did not find."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class MissingKey:
    key: str  # dotted spec path, e.g. "requirements.scale.peak_rps"
    needed_for: str

    def __str__(self) -> str:
        return f"add `{self.key}` ({self.needed_for})"
