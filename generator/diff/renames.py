"""Declared renames (`renamed_from:`) between two systems, and the old system under new names.

Why the old system renamed: once a migration has renamed tables and columns in place
(and every object whose derived name embeds them), the database is exactly what the
old spec would give under the new names. Comparing *that* system with the new one
leaves only the real changes (a type widened along with the rename), which the
ordinary planner and findings handle. A rename is never guessed: only a new entity
or column that declares `renamed_from:` naming something the old system has, and
whose own name the old system does not have, is paired. A `renamed_from:` left in
the spec after the rename shipped therefore does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from generator.model import Column, Entity, ForeignKey, Index, SearchField, System
from generator.resolve.names import index_name


@dataclass(frozen=True)
class ColumnRename:
    old_entity: Entity
    old: Column
    new_entity: Entity
    new: Column


@dataclass(frozen=True)
class Renames:
    entities: tuple[tuple[Entity, Entity], ...] = ()  # (old, new) paired by renamed_from
    columns: tuple[ColumnRename, ...] = ()
    tables: dict[str, str] = field(default_factory=dict)  # old table -> new, when they differ
    # old table -> {old column -> new column}
    table_columns: dict[str, dict[str, str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tables or self.table_columns)

    def table(self, old_table: str) -> str:
        return self.tables.get(old_table, old_table)

    def column(self, old_table: str, column: str) -> str:
        return self.table_columns.get(old_table, {}).get(column, column)

    def touched(self) -> set[str]:
        """New names of the tables whose name or a column's name changes."""
        return {self.table(t) for t in (*self.tables, *self.table_columns)}


def find_renames(old: System | None, new: System | None) -> Renames:
    if old is None or new is None:
        return Renames()
    by_name = {e.name: e for e in old.tables}
    by_table = {e.table: e for e in old.tables}
    new_tables = {e.table for e in new.tables}
    entities: list[tuple[Entity, Entity]] = []
    columns: list[ColumnRename] = []
    claimed: set[str] = set()
    pairs: list[tuple[Entity, Entity]] = []
    for b in new.tables:
        a = by_name.get(b.renamed_from) if b.renamed_from else None
        if (
            a is not None
            and b.name not in by_name
            and (a.table == b.table or (a.table not in new_tables and b.table not in by_table))
        ):
            entities.append((a, b))
            claimed.add(a.table)
            pairs.append((a, b))
    paired = {b.name for _, b in pairs}
    for b in new.tables:
        a = by_table.get(b.table)
        if b.name not in paired and a is not None and a.table not in claimed:
            pairs.append((a, b))
    tables: dict[str, str] = {}
    table_columns: dict[str, dict[str, str]] = {}
    for a, b in pairs:
        if a.table != b.table:
            tables[a.table] = b.table
        old_columns = {c.name: c for c in a.columns}
        for c in b.columns:
            before = old_columns.get(c.renamed_from or "")
            if before is not None and c.name not in old_columns and before.role == c.role:
                columns.append(ColumnRename(a, before, b, c))
                table_columns.setdefault(a.table, {})[before.name] = c.name
    return Renames(tuple(entities), tuple(columns), tables, table_columns)


def renamed_system(old: System, r: Renames) -> System:
    """The old system with the new names of its renamed tables and columns."""
    if not r:
        return old
    names = {a.name: b.name for a, b in r.entities}
    new_entities = {b.name: b for _, b in r.entities}
    pairs = {c.old_entity.table: c.new_entity for c in r.columns}

    def entity(e: Entity) -> Entity:
        table = r.table(e.table)
        counterpart = new_entities.get(names.get(e.name, "")) or pairs.get(e.table)

        def col(name: str) -> str:
            return r.column(e.table, name)

        columns = tuple(
            replace(
                c,
                name=col(c.name),
                references=names.get(c.references, c.references) if c.references else None,
            )
            for c in e.columns
        )
        keys = tuple(_foreign_key(fk, col(fk.column), names, r) for fk in e.foreign_keys)
        indexes = tuple(_index(ix, e.table, table, col, counterpart) for ix in e.indexes)
        return replace(
            e,
            name=names.get(e.name, e.name),
            table=table,
            columns=columns,
            primary_key=tuple(col(c) for c in e.primary_key),
            foreign_keys=keys,
            indexes=indexes,
            search=tuple(SearchField(col(f.column), f.weight) for f in e.search),
        )

    return replace(
        old,
        entities=tuple(entity(e) for e in old.entities),
        platform_tables=tuple(entity(e) for e in old.platform_tables),
    )


def _foreign_key(fk: ForeignKey, column: str, names: dict[str, str], r: Renames) -> ForeignKey:
    return replace(
        fk,
        column=column,
        relation=column.removesuffix("_id") if column != fk.column else fk.relation,
        target=names.get(fk.target, fk.target),
        target_table=r.table(fk.target_table),
    )


def _index(
    ix: Index, old_table: str, table: str, col: Callable[[str], str], new: Entity | None
) -> Index:
    columns = tuple(col(c) for c in ix.columns)
    where = tuple((col(c), v) for c, v in ix.where)
    if new is not None:  # the name a fresh build gives the same index
        for candidate in new.indexes:
            if (candidate.columns, candidate.unique, candidate.where, candidate.origin) == (
                columns,
                ix.unique,
                where,
                ix.origin,
            ):
                return replace(ix, name=candidate.name, columns=columns, where=where)
    prefix = "uq" if ix.unique else "idx"
    name = ix.name
    if ix.name == index_name(prefix, old_table, "_".join(ix.columns)):
        name = index_name(prefix, table, "_".join(columns))
    return replace(ix, name=name, columns=columns, where=where)
