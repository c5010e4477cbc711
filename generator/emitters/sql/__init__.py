"""SQL DDL for PostgreSQL, SQLite and MySQL/MariaDB from the system model.

Why one entry point: the CLI and the site builder ask for "the DDL of this system in
this dialect" and get a string; planning lives in `plan`, escaping in `escape`,
per-dialect facts in `dialects`, layout in templates/sql/.
"""

from __future__ import annotations

import generator
from generator.emitters.sql import rbac
from generator.emitters.sql.dialects import BY_NAME, RANK_WEIGHTS, Dialect
from generator.emitters.sql.plan import plan_tables
from generator.model import Entity, System
from generator.render import render_plain

DIALECTS: tuple[str, ...] = ("postgresql", "sqlite", "mysql")


def get_dialect(name: str) -> Dialect:
    try:
        return BY_NAME[name]
    except KeyError:
        raise ValueError(
            f"unknown SQL dialect {name!r}; choose one of {', '.join(DIALECTS)}"
        ) from None


def render(system: System, dialect: str) -> str:
    """The complete DDL script for one dialect; byte-identical for the same model."""
    d = get_dialect(dialect)
    tables = plan_tables(system, d)
    return render_plain(
        "sql/schema.sql.j2",
        d=d,
        system=system,
        version=generator.__version__,
        notes=promise_notes(d, system.tables),
        tables=tables,
        seed=rbac.seed(system),
        users_missing=rbac.users_missing(system),
        needs_updated_at=any(t.updated_at_trigger for t in tables),
        weights=RANK_WEIGHTS,
    )


def promise_notes(d: Dialect, tables: tuple[Entity, ...]) -> list[str]:
    """The dialect's notes on the promises this schema relies on, for the file's header."""
    columns = [c for e in tables for c in e.columns]
    topics = {
        "decimal": any(c.type == "decimal" for c in columns),
        "email": any(c.type == "email" and c.unique for c in columns)
        or any(
            e.column(name).type == "email"
            for e in tables
            for ix in e.indexes
            if ix.unique
            for name in ix.columns
        ),
        "soft-delete": any(
            e.soft_delete
            and (any(c.unique for c in e.columns) or any(ix.unique for ix in e.indexes))
            for e in tables
        ),
    }
    return [text for topic, text in d.notes.items() if topics.get(topic)]


def render_all(system: System) -> dict[str, str]:
    """`schema.<dialect>.sql` file name → content, for every dialect."""
    return {f"schema.{name}.sql": render(system, name) for name in DIALECTS}


__all__ = ["DIALECTS", "Dialect", "get_dialect", "render", "render_all"]
