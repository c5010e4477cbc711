"""What each table needs in one dialect: constraints, indexes, triggers, view names.

Why a plan: the decisions (is this UNIQUE a constraint or a partial index? is this
foreign key inline or added later? what is the trigger called?) are policy and
belong in Python; templates only lay the statements out.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.emitters.sql.dialects import Dialect
from generator.emitters.sql.escape import short_name
from generator.emitters.sql.order import creation_order
from generator.model import Column, Entity, ForeignKey, ScalarValue, SearchField, System

ON_DELETE = {
    "cascade": "CASCADE",
    "restrict": "RESTRICT",
    "set-null": "SET NULL",
    "no-action": "NO ACTION",
}
ACTIVE = (("deleted_at", None),)


@dataclass(frozen=True)
class IndexPlan:
    name: str
    columns: tuple[Column, ...]
    unique: bool
    where: tuple[tuple[str, ScalarValue | None], ...]  # empty when the dialect cannot filter
    dropped_where: tuple[tuple[str, ScalarValue | None], ...]  # filter the dialect cannot express


@dataclass(frozen=True)
class ForeignKeyPlan:
    name: str
    table: str
    column: str
    target_table: str
    on_delete: str


@dataclass(frozen=True)
class SearchPlan:
    """Names of the full-text objects; each dialect uses the ones it needs."""

    fields: tuple[SearchField, ...]
    function: str
    trigger: str
    index: str
    fts_table: str
    on_insert: str
    on_delete: str
    on_update: str


@dataclass(frozen=True)
class TablePlan:
    entity: Entity
    generated_id: bool  # a single UUID or bigint primary key the database fills in
    unique_columns: tuple[tuple[str, str], ...]  # (constraint name, column) inside CREATE TABLE
    unique_note: str  # why a UNIQUE constraint is wider than the spec meant, or ''
    checks: tuple[tuple[str, str], ...]  # (constraint name, condition)
    inline_fks: tuple[ForeignKeyPlan, ...]
    later_fks: tuple[ForeignKeyPlan, ...]
    indexes: tuple[IndexPlan, ...]
    updated_at_trigger: str | None
    search: SearchPlan | None
    active_view: str | None
    text_columns: frozenset[str] = frozenset()  # strings written as TEXT (Dialect.text_columns)
    active_marker: str | None = None  # the generated column of Dialect.active_marker


def plan_tables(system: System, dialect: Dialect) -> tuple[TablePlan, ...]:
    ordered, deferred = creation_order(system.tables)
    return tuple(_table(e, dialect, deferred) for e in ordered)


def _table(entity: Entity, d: Dialect, deferred: frozenset[tuple[str, str]]) -> TablePlan:
    table = entity.table
    fks = [_fk(table, fk) for fk in entity.foreign_keys if fk.enforced]
    later = {fk.column for fk in entity.foreign_keys if (table, fk.column) in deferred}
    if not d.alter_add_foreign_key:
        later = set()
    # Soft-deleted rows must not block a new row with the same unique value: where the
    # dialect has partial indexes, uniqueness only covers rows WHERE deleted_at IS NULL.
    partial_unique = entity.soft_delete and d.partial_indexes
    # Without partial indexes, unique keys of a soft-deleted table end in a generated
    # column that is NULL once the row is deleted (Dialect.active_marker).
    marker = (
        _marker(entity) if entity.soft_delete and not partial_unique and d.active_marker else None
    )
    uniques = [c for c in entity.columns if c.unique]
    indexes: list[IndexPlan] = []
    constraints: list[tuple[str, str]] = []
    for c in uniques:
        name = short_name("uq", table, c.name)
        if partial_unique:
            indexes.append(IndexPlan(name, (c,), True, ACTIVE, ()))
        elif marker is not None:
            indexes.append(IndexPlan(name, (c, marker), True, (), ()))
        elif c.type == "email" and d.email_fold:  # an expression index, not a constraint
            indexes.append(IndexPlan(name, (c,), True, (), ()))
        else:
            constraints.append((name, c.name))
    for ix in entity.indexes:
        where = ix.where + (ACTIVE if ix.unique and entity.soft_delete else ())
        columns = tuple(entity.column(c) for c in ix.columns)
        if d.partial_indexes:
            indexes.append(IndexPlan(ix.name, columns, ix.unique, where, ()))
        elif marker is not None and ix.unique and not ix.where:
            indexes.append(IndexPlan(ix.name, (*columns, marker), True, (), ()))
        else:
            indexes.append(IndexPlan(ix.name, columns, ix.unique, (), where))
    checks = tuple(
        (short_name("ck", table, c.name, *suffix), cond)
        for c in entity.columns
        for suffix, cond in (
            ((), d.column_checks(c)),
            (("range",), d.range_check(c)),
            (("length",), d.length_check(c)),
        )
        if cond is not None
    )
    return TablePlan(
        entity=entity,
        generated_id=entity.primary_key == ("id",)
        and entity.column("id").type in ("uuid", "bigint"),
        unique_columns=tuple(constraints),
        checks=checks,
        unique_note=(
            f"{d.name} has no partial indexes: soft-deleted rows keep their unique values"
            if entity.soft_delete and not d.partial_indexes and marker is None
            else ""
        ),
        inline_fks=tuple(f for f in fks if f.column not in later),
        later_fks=tuple(f for f in fks if f.column in later),
        indexes=tuple(indexes),
        updated_at_trigger=short_name("trg", table, "updated_at")
        if _has(entity, "updated_at")
        else None,
        search=_search(entity),
        active_view=short_name("active", table) if entity.soft_delete else None,
        text_columns=d.text_columns(entity.columns),
        active_marker=marker.name if marker is not None else None,
    )


def _marker(entity: Entity) -> Column:
    """The active-row column: `active_row`, or with underscores added if a field has the name."""
    name = "active_row"
    while any(c.name == name for c in entity.columns):
        name += "_"
    return Column(name, name, "integer", "field", entity.location)


def _fk(table: str, fk: ForeignKey) -> ForeignKeyPlan:
    return ForeignKeyPlan(
        short_name("fk", table, fk.column),
        table,
        fk.column,
        fk.target_table,
        ON_DELETE[fk.on_delete],
    )


def _search(entity: Entity) -> SearchPlan | None:
    if not entity.search:
        return None
    t = entity.table
    return SearchPlan(
        fields=entity.search,
        function=short_name(t, "search_vector_update"),
        trigger=short_name("trg", t, "search_vector"),
        index=short_name("idx", t, "search"),
        fts_table=short_name(t, "fts"),
        on_insert=short_name("trg", t, "fts_insert"),
        on_delete=short_name("trg", t, "fts_delete"),
        on_update=short_name("trg", t, "fts_update"),
    )


def _has(entity: Entity, column: str) -> bool:
    return any(c.name == column for c in entity.columns)
