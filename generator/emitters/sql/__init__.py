"""SQL DDL for PostgreSQL, SQLite and MySQL/MariaDB from the system model.

Why one entry point: the CLI and the site builder ask for "the DDL of this system in
this dialect" and get a string; planning lives in `plan`, escaping in `escape`,
per-dialect facts in `dialects`, layout in templates/sql/.
"""

from __future__ import annotations

from dataclasses import replace

import generator
from generator.emitters.sql import rbac
from generator.emitters.sql.dialects import BY_NAME, RANK_WEIGHTS, Dialect
from generator.emitters.sql.plan import plan_tables
from generator.model import System
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
    with_rbac = replace(system, entities=(*system.entities, *rbac.entities(system)))
    tables = plan_tables(with_rbac, d)
    return render_plain(
        "sql/schema.sql.j2",
        d=d,
        system=system,
        version=generator.__version__,
        tables=tables,
        seed=rbac.seed(system),
        users_missing=bool(system.security.roles) and not rbac.has_users(system),
        needs_updated_at=any(t.updated_at_trigger for t in tables),
        weights=RANK_WEIGHTS,
    )


def render_all(system: System) -> dict[str, str]:
    """`schema.<dialect>.sql` file name → content, for every dialect."""
    return {f"schema.{name}.sql": render(system, name) for name in DIALECTS}


__all__ = ["DIALECTS", "Dialect", "get_dialect", "render", "render_all"]
