"""Database changes: tables, columns, keys, indexes and table features, from the models.

Why from the model and not from one dialect's DDL: a finding is about the design
(a column dropped, a type narrowed), the same in every dialect; how each dialect
carries it out, and what that locks, is the migration's business (migration.py).

| change                                        | level    | destructive |
| --------------------------------------------- | -------- | ----------- |
| table dropped                                 | breaking | yes |
| column dropped                                | breaking | yes |
| column type narrowed or changed               | breaking | yes |
| column added NOT NULL without a default       | warning (fails while the table has rows) | |
| column became NOT NULL                        | warning (fails while NULLs exist) | |
| unique added, foreign key added or retargeted | warning (existing rows may violate it) | |
| table added, column added, type widened       | info | |
| column became nullable, default changed       | info | |
| unique dropped, index added or dropped        | info | |
| soft delete, versioning, full-text search     | info | |
| table or column renamed (`renamed_from:`)     | info (renamed in place, rows kept) | |

A rename is never guessed: a dropped table or column and an added one with the same
shape stay a drop and an add, with an expand/contract hint (coupled.py). A declared
rename (`renamed_from:`, renames.py) pairs the old and the new table or column: one
rename finding, then the usual comparison of the two definitions.
"""

from __future__ import annotations

from generator.diff.renames import Renames, find_renames, renamed_system
from generator.diff.report import Change, Level
from generator.diff.types import describe, type_change
from generator.model import Column, Entity, Index, System

_EXPAND = (
    "to rename instead, add the new one, dual-write, backfill, switch reads, and drop the old "
    "one in a later release (expand/contract)"
)


def database_changes(old: System | None, new: System | None) -> list[Change]:
    renames = find_renames(old, new)
    out = _renames(renames)
    if old is not None:
        old = renamed_system(old, renames)
    before = {e.table: e for e in old.entities} if old else {}
    after = {e.table: e for e in new.entities} if new else {}
    for table, e in before.items():
        if table not in after:
            out.append(
                Change(
                    "db.table-dropped",
                    "breaking",
                    "database",
                    f"table {table} ({e.name}) dropped with its rows",
                    e.location,
                    table,
                    _EXPAND,
                    destructive=True,
                )
            )
    for table, e in after.items():
        if table not in before:
            out.append(
                Change(
                    "db.table-added", "info", "database", f"table {table} added", e.location, table
                )
            )
        else:
            out += _table(before[table], e)
    return out


def _renames(r: Renames) -> list[Change]:
    out = [
        Change(
            "db.table-renamed",
            "info",
            "database",
            f"table {a.table} ({a.name}) renamed to {b.table} ({b.name}) in place, with its rows",
            b.location,
            b.table,
        )
        for a, b in r.entities
        if a.table != b.table and not b.is_join_table
    ]
    for c in r.columns:
        table = c.new_entity.table
        out.append(
            Change(
                "db.column-renamed",
                "info",
                "database",
                f"column {table}.{c.old.name} renamed to {c.new.name} in place, with its values",
                c.new.location,
                f"{table}.{c.new.name}",
            )
        )
    return out


def _table(a: Entity, b: Entity) -> list[Change]:
    out: list[Change] = []
    t = b.table

    def add(
        rule: str,
        level: Level,
        message: str,
        where: Column | Entity | Index,
        path: str,
        *,
        hint: str = "",
        destructive: bool = False,
    ) -> None:
        out.append(
            Change(rule, level, "database", message, where.location, path, hint, destructive)
        )

    ca, cb = {c.name: c for c in a.columns}, {c.name: c for c in b.columns}
    for name, c in ca.items():
        if name not in cb:
            add(
                "db.column-dropped",
                "breaking",
                f"column {t}.{name} dropped with its values",
                c,
                f"{t}.{name}",
                hint=_EXPAND,
                destructive=True,
            )
    for name, c in cb.items():
        before = ca.get(name)
        if before is None:
            if not c.nullable and c.default is None and not c.generated:
                add(
                    "db.column-added-required",
                    "warning",
                    f"column {t}.{name} added NOT NULL without a default: the migration fails while {t} has rows",
                    c,
                    f"{t}.{name}",
                    hint="give it a default, or add it nullable, backfill, then make it NOT NULL",
                )
            else:
                add("db.column-added", "info", f"column {t}.{name} added", c, f"{t}.{name}")
            continue
        out += _column(t, before, c)
    fa = {fk.column: fk for fk in a.foreign_keys}
    fb = {fk.column: fk for fk in b.foreign_keys}
    for column, fk in fb.items():
        old = fa.get(column)
        if old is None:
            if column in ca:
                add(
                    "db.foreign-key-added",
                    "warning",
                    f"{t}.{column} now references {fk.target_table}: existing rows must match",
                    b,
                    f"{t}.{column}.fk",
                )
        elif (old.target_table, old.on_delete) != (fk.target_table, fk.on_delete):
            add(
                "db.foreign-key-changed",
                "warning",
                f"{t}.{column}: references {old.target_table} ON DELETE {old.on_delete} -> {fk.target_table} ON DELETE {fk.on_delete}",
                b,
                f"{t}.{column}.fk",
            )
    for column in fa:
        if column not in fb and column in cb:
            add(
                "db.foreign-key-dropped",
                "info",
                f"{t}.{column} no longer references {fa[column].target_table}",
                b,
                f"{t}.{column}.fk",
            )
    ia, ib = {ix.name: ix for ix in a.indexes}, {ix.name: ix for ix in b.indexes}
    for name, ix in ib.items():
        if name not in ia or (ia[name].columns, ia[name].unique, ia[name].where) != (
            ix.columns,
            ix.unique,
            ix.where,
        ):
            level: Level = "warning" if ix.unique else "info"
            add(
                "db.index-added",
                level,
                f"index {name} on {t} ({', '.join(ix.columns)}){' UNIQUE: existing rows must be distinct' if ix.unique else ''}",
                ix,
                f"{t}.index.{name}",
            )
    for name in ia:
        if name not in ib:
            add("db.index-dropped", "info", f"index {name} on {t} dropped", b, f"{t}.index.{name}")
    for feature, label in (
        ("soft_delete", "soft delete"),
        ("versioned", "optimistic locking"),
        ("timestamps", "timestamps"),
    ):
        was, now = getattr(a, feature), getattr(b, feature)
        if was != now:
            add(
                f"db.{feature.replace('_', '-')}-{'added' if now else 'removed'}",
                "info",
                f"{t}: {label} {'added' if now else 'removed'}",
                b,
                f"{t}.{feature}",
            )
    if a.search != b.search:
        add(
            "db.search-changed",
            "info",
            f"{t}: full-text search fields {_weights(a)} -> {_weights(b)}",
            b,
            f"{t}.search",
        )
    return out


def _column(t: str, a: Column, b: Column) -> list[Change]:
    out: list[Change] = []
    path = f"{t}.{b.name}"

    def add(
        rule: str, level: Level, message: str, *, hint: str = "", destructive: bool = False
    ) -> None:
        out.append(
            Change(
                rule,
                level,
                "database",
                f"column {path}: {message}",
                b.location,
                path,
                hint,
                destructive,
            )
        )

    change = type_change(a, b)
    if change in ("narrow", "change"):
        add(
            "db.column-type-narrowed" if change == "narrow" else "db.column-type-changed",
            "breaking",
            f"{describe(a)} -> {describe(b)}; existing values may not fit",
            hint="add a new column of the new type, backfill and switch (expand/contract)",
            destructive=True,
        )
    elif change == "widen":
        add("db.column-type-widened", "info", f"{describe(a)} -> {describe(b)}")
    if a.nullable and not b.nullable:
        hint = (
            ""
            if b.default is not None
            else "backfill NULLs (or give it a default) before the migration"
        )
        add(
            "db.column-became-required",
            "warning",
            "now NOT NULL: the migration fails while NULLs exist",
            hint=hint,
        )
    elif b.nullable and not a.nullable:
        add("db.column-became-nullable", "info", "now nullable")
    if a.default != b.default:
        add("db.column-default-changed", "info", f"default {a.default!r} -> {b.default!r}")
    if b.unique and not a.unique:
        add("db.unique-added", "warning", "now unique: the migration fails while duplicates exist")
    elif a.unique and not b.unique:
        add("db.unique-dropped", "info", "no longer unique")
    return out


def _weights(e: Entity) -> str:
    return ", ".join(f"{f.column}={f.weight}" for f in e.search) or "none"
