"""The statements of a migration, collected by phase (the phases: migration.py's docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Risk = Literal["destructive", "locking", "may-fail"]


@dataclass(frozen=True)
class Statement:
    sql: str
    risks: tuple[tuple[Risk, str], ...] = ()  # (risk, why)
    transactional: bool = True  # False: must run after COMMIT (CREATE INDEX CONCURRENTLY)
    table: str = ""  # the table whose rows a risk is about


class Plan:
    """Statements collected phase by phase; see the module docstring for the phases."""

    def __init__(self) -> None:
        self.phases: dict[int, list[Statement]] = {}

    def add(
        self,
        phase: int,
        sql: str,
        *risks: tuple[Risk, str],
        transactional: bool = True,
        table: str = "",
    ) -> None:
        if sql:
            statement = Statement(sql, risks, transactional, table)
            self.phases.setdefault(phase, []).append(statement)

    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for phase in sorted(self.phases) for s in self.phases[phase])


# Phase numbers, in execution order.
FUNCTIONS, DROP_VIEWS, RENAMES, DROP_FKS, DROP_AFTER = 10, 20, 25, 30, 40
DROP_INDEXES, DROP_TABLES = 50, 60
ALTER, CREATE_TABLES, CREATE_INDEXES, ADD_FKS, AFTER, VIEWS, SEED = 70, 80, 90, 100, 110, 120, 130
DROP_FUNCTIONS = 140
