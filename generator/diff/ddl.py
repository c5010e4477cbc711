"""The DDL emitter's output for one system and dialect, cut into named objects.

Why render fragments of the emitter's own templates instead of writing DDL here:
a migration must leave exactly the catalog a fresh `schema.<dialect>.sql` makes, so
every CREATE TABLE, index, trigger and comment comes from the same templates, macros
and `TablePlan` the emitter uses; only ALTER statements are written by the diff.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

import jinja2

from generator.emitters.sql import get_dialect, rbac
from generator.emitters.sql.dialects import RANK_WEIGHTS, Dialect
from generator.emitters.sql.plan import TablePlan, plan_tables
from generator.emitters.sql.rbac import RbacSeed
from generator.model import Column, System
from generator.render import _plain_environment

_IMPORT = '{% import "sql/_macros.sql.j2" as m with context %}'


@dataclass(frozen=True)
class ColumnDdl:
    # None for a dialect-only column (PostgreSQL's search_vector); not compared: it
    # holds spec locations, and two columns are the same when their DDL is.
    column: Column | None = field(compare=False)
    definition: str = ""  # `name TYPE [NOT NULL] [DEFAULT ...]`, as inside CREATE TABLE
    type: str = ""
    nullable: bool = True
    default: str = ""  # the DEFAULT clause with its leading space, or ''


@dataclass(frozen=True)
class TableDdl:
    plan: TablePlan
    create: str  # CREATE TABLE ... ; exactly as in the schema file
    columns: dict[str, ColumnDdl]
    primary_key: tuple[str, ...]
    uniques: dict[str, str]  # constraint name -> column
    checks: dict[str, str]  # constraint name -> condition
    foreign_keys: dict[
        str, str
    ]  # constraint name -> `CONSTRAINT ... FOREIGN KEY ...`, inline or later
    indexes: dict[str, str]  # index name -> CREATE [UNIQUE] INDEX ...;
    after_trigger: str  # the updated_at trigger (PostgreSQL, SQLite), or ''
    after_search: str  # full-text objects: PostgreSQL GIN + trigger, SQLite FTS5, MySQL FULLTEXT
    after_comments: str  # PostgreSQL COMMENT ON statements, or ''
    view: str | None  # CREATE VIEW for soft delete

    @property
    def table(self) -> str:
        return self.plan.entity.table


@dataclass(frozen=True)
class SchemaDdl:
    dialect: Dialect
    tables: dict[str, TableDdl]  # creation order
    functions: str  # shared functions before the tables (PostgreSQL's set_updated_at)
    seed: RbacSeed | None


@cache
def _template(source: str) -> jinja2.Template:
    return _plain_environment().from_string(source)


def _render(source: str, **context: object) -> str:
    return _template(source).render(**context)


def schema_ddl(system: System | None, dialect: str) -> SchemaDdl:
    """Every object the emitter writes for `system`; an empty schema for None."""
    d = get_dialect(dialect)
    if system is None:
        return SchemaDdl(d, {}, "", None)
    with_rbac = replace(system, entities=(*system.entities, *rbac.entities(system)))
    plans = plan_tables(with_rbac, d)
    functions = _render(
        '{% include ["sql/" ~ d.name ~ "/_functions.sql.j2", "sql/_functions.sql.j2"] %}',
        d=d,
        needs_updated_at=any(t.updated_at_trigger for t in plans),
    )
    return SchemaDdl(
        d,
        {t.entity.table: _table(d, t) for t in plans},
        functions.strip(),
        rbac.seed(system),
    )


def _table(d: Dialect, t: TablePlan) -> TableDdl:
    e = t.entity
    columns = {
        c.name: _column(d, c, generated_id=t.generated_id and c.role == "primary-key")
        for c in e.columns
    }
    if e.search and d.search_column:
        name, _, type_ = d.search_column.partition(" ")
        columns[name] = ColumnDdl(None, d.search_column, type_, True, "")
    create = _render(_IMPORT + '{% include "sql/_table.sql.j2" %}', d=d, t=t)
    fks = {
        fk.name: _render(_IMPORT + "{{ m.foreign_key(fk) }}", d=d, fk=fk)
        for fk in (*t.inline_fks, *t.later_fks)
    }
    indexes = {
        ix.name: _render(_IMPORT + "{{ m.index(t, ix) }}", d=d, t=t, ix=ix).strip()
        for ix in t.indexes
    }
    # The after-table template in three renderings, one part each, so a migration
    # re-creates only the part that changed (a GIN index rebuild for a new comment is waste).
    bare = _without_descriptions(t)
    trigger = _after(d, replace(bare, search=None))
    search = _after(d, replace(bare, updated_at_trigger=None))
    comments = _after(d, replace(t, search=None, updated_at_trigger=None))
    # Mirrors the view line of templates/sql/schema.sql.j2, which is not a partial.
    view = (
        f"CREATE VIEW {d.q(t.active_view)} AS SELECT * FROM {d.q(e.table)} "
        f"WHERE {d.q('deleted_at')} IS NULL;"
        if t.active_view
        else None
    )
    return TableDdl(
        plan=t,
        create=_strip_comments(create),
        columns=columns,
        primary_key=e.primary_key,
        uniques=dict(t.unique_columns),
        checks=dict(t.checks),
        foreign_keys=fks,
        indexes=indexes,
        after_trigger=trigger,
        after_search=search,
        after_comments=comments,
        view=view,
    )


def _after(d: Dialect, t: TablePlan) -> str:
    return _render(
        _IMPORT
        + '{% include ["sql/" ~ d.name ~ "/_after_table.sql.j2", "sql/_after_table.sql.j2"] %}',
        d=d,
        t=t,
        weights=RANK_WEIGHTS,
    ).strip()


def _without_descriptions(t: TablePlan) -> TablePlan:
    e = t.entity
    columns = tuple(replace(c, description="") for c in e.columns)
    return replace(t, entity=replace(e, description="", columns=columns))


def _column(d: Dialect, c: Column, *, generated_id: bool) -> ColumnDdl:
    default = d.default(c, generated_id=generated_id)
    definition = (
        f"{d.q(c.name)} {d.column_type(c)}{'' if c.nullable else ' NOT NULL'}{default}"
        f"{d.on_update_now if c.role == 'updated-at' else ''}{d.inline_comment(c.description)}"
    )
    return ColumnDdl(c, definition, d.column_type(c), c.nullable, default)


def _strip_comments(create: str) -> str:
    """The CREATE TABLE statement without the `--` lines the template puts above it."""
    lines = create.strip().splitlines()
    while lines and lines[0].startswith("--"):
        lines.pop(0)
    return "\n".join(lines)
