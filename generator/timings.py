"""Wall-clock time of each build stage, collected as data.

Why data and not prints: build.py never prints (cli.py is the only place that does), and
`archsmith serve`, the tests and the benchmark read the same numbers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# In pipeline order; `cache` is hashing inputs plus reading and writing cache entries;
# `OpenAPI` includes the AsyncAPI document, `exports` model.json, Structurizr and Backstage.
STAGES = (
    "load+validate",
    "analyze+lint",
    "cache",
    "OpenAPI",
    "exports",
    "DDL",
    "diagrams",
    "design doc",
    "site",
    "write",
)


def _zeroes() -> dict[str, float]:
    return dict.fromkeys(STAGES, 0.0)


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=_zeroes)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the time spent inside the block to `name` (stages may be entered repeatedly)."""
        if name not in self.seconds:
            raise KeyError(f"unknown stage {name!r}")  # a typo would silently drop time
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start

    def total(self) -> float:
        return sum(self.seconds.values())

    def lines(self) -> list[str]:
        """One aligned `stage  1.234 s` line per stage, then the total."""
        width = max(len(name) for name in (*self.seconds, "total"))
        rows = [*self.seconds.items(), ("total", self.total())]
        return [f"{name:<{width}}  {seconds:7.3f} s" for name, seconds in rows]
