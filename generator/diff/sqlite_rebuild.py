"""Kept tables on SQLite: indexes and triggers in place, everything else by rebuild.

Why a rebuild for any column or constraint change: SQLite's ALTER TABLE cannot
change a column's type, nullability or default, nor add or drop a table constraint,
so it documents a 12-step procedure (https://www.sqlite.org/lang_altertable.html#otheralter):
foreign keys off (migration.py writes the PRAGMA outside the transaction), create
the new table under a temporary name, copy the rows, drop the old table, rename the
new one, re-create its indexes, triggers and views, `PRAGMA foreign_key_check`,
commit, foreign keys on. The copy keeps `rowid`, which the FTS5 index is keyed by.
"""

from __future__ import annotations

from generator.diff import plan as m
from generator.diff.ddl import SchemaDdl, TableDdl
from generator.diff.plan import Plan, Risk
from generator.diff.types import type_change
from generator.emitters.sql.dialects import Dialect
from generator.emitters.sql.escape import short_name


def plan_kept_tables(plan: Plan, before: SchemaDdl, after: SchemaDdl) -> None:
    d = after.dialect
    for name, new in after.tables.items():
        old = before.tables.get(name)
        if old is None:
            continue
        if old.create != new.create:
            _rebuild(plan, d, old, new)
            continue
        q = d.q
        for ix, sql in old.indexes.items():
            if new.indexes.get(ix) != sql:
                plan.add(m.DROP_INDEXES, f"DROP INDEX {q(ix)};")
        for ix, sql in new.indexes.items():
            if old.indexes.get(ix) != sql:
                plan.add(m.CREATE_INDEXES, sql, ("locking", f"builds index {ix}; writers wait"))
        if old.after_trigger != new.after_trigger:
            if old.plan.updated_at_trigger:
                plan.add(m.DROP_AFTER, f"DROP TRIGGER {q(old.plan.updated_at_trigger)};")
            plan.add(m.AFTER, new.after_trigger)
        if old.after_search != new.after_search:
            drop_search(plan, d, old)
            create_search(plan, d, new)


def drop_search(plan: Plan, d: Dialect, t: TableDdl, phase: int = m.DROP_AFTER) -> None:
    s = t.plan.search
    if s is None:
        return
    for trigger in (s.on_insert, s.on_delete, s.on_update):
        plan.add(phase, f"DROP TRIGGER {d.q(trigger)};")
    plan.add(phase, f"DROP TABLE {d.q(s.fts_table)};")


def create_search(plan: Plan, d: Dialect, t: TableDdl, phase: int = m.AFTER) -> None:
    s = t.plan.search
    if s is None:
        return
    plan.add(phase, t.after_search)
    # An external-content index starts empty: fill it from the rows already there.
    fts = d.q(s.fts_table)
    plan.add(phase, f"INSERT INTO {fts} ({fts}) VALUES ('rebuild');")


def _rebuild(plan: Plan, d: Dialect, old: TableDdl, new: TableDdl) -> None:
    q, name = d.q, new.table
    temporary = short_name("_archsmith_new", name)
    header = f"CREATE TABLE {q(name)} ("
    if not new.create.startswith(header):
        raise AssertionError(f"unexpected CREATE TABLE layout for {name}")
    kept = [c for c in new.columns if c in old.columns]
    risks: list[tuple[Risk, str]] = [("locking", f"rebuilds {name}: copies every row")]
    for c in old.columns:
        if c not in new.columns:
            risks.append(("destructive", f"drops column {name}.{c} and its values"))
    for c, col in new.columns.items():
        before = old.columns.get(c)
        if before is None and not col.nullable and not col.default:
            risks.append(
                (
                    "may-fail",
                    f"{name}.{c} is NOT NULL without a default: the copy fails while {name} has rows",
                )
            )
        elif before is not None and before.nullable and not col.nullable:
            risks.append(
                ("may-fail", f"existing NULLs in {name}.{c} make the copy fail; backfill first")
            )
        elif (
            before is not None
            and before.column is not None
            and col.column is not None
            and type_change(before.column, col.column) in ("narrow", "change")
        ):
            risks.append(
                (
                    "may-fail",
                    f"{name}.{c} {before.type} -> {col.type}: SQLite keeps values as they are unless a CHECK rejects them",
                )
            )
    drop_search(plan, d, old)
    columns = d.names(kept)
    plan.add(
        m.ALTER,
        "\n".join(
            [
                f"CREATE TABLE {q(temporary)} (" + new.create[len(header) :],
                f"INSERT INTO {q(temporary)} (rowid, {columns}) SELECT rowid, {columns} FROM {q(name)};",
                f"DROP TABLE {q(name)};",
                f"ALTER TABLE {q(temporary)} RENAME TO {q(name)};",
            ]
        ),
        *risks,
        table=name,
    )
    for ix in new.indexes.values():
        plan.add(m.ALTER, ix)
    plan.add(m.AFTER, new.after_trigger)
    create_search(plan, d, new)
