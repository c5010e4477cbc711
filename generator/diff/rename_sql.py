"""Declared renames carried out in place, per dialect, before any other change.

After these statements the database is exactly what the old spec under the new
names gives (renames.renamed_system): tables and columns renamed, and every object
whose derived name embeds a renamed name (the primary key, unique and check
constraints, foreign keys, indexes, triggers, full-text objects) renamed too, or
dropped and made again where the dialect cannot rename it (SQLite indexes and
triggers, MySQL foreign keys and checks). Views are dropped here and made again by
migration.py. The rest of the migration then compares that state with the new one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from generator.diff import alter
from generator.diff import plan as m
from generator.diff.ddl import SchemaDdl, TableDdl
from generator.diff.plan import Plan
from generator.diff.renames import Renames
from generator.diff.sqlite_rebuild import create_search, drop_search
from generator.emitters.sql.dialects import Dialect

_LITERAL = re.compile(r"('(?:[^']|'')*')")


def plan_renames(plan: Plan, real: SchemaDdl, renamed: SchemaDdl, r: Renames) -> SchemaDdl:
    """Add the rename statements; the schema the database then has (for the planner)."""
    d = renamed.dialect
    touched = [t for t in real.tables if t in r.tables or t in r.table_columns]
    for old_name in touched:
        o, n = real.tables[old_name], renamed.tables[r.table(old_name)]
        if o.view is not None:
            plan.add(m.DROP_VIEWS, f"DROP VIEW {d.q(o.plan.active_view or '')};")
        if d.name == "postgresql":
            _postgresql(plan, d, o, n, r)
        elif d.name == "mysql":
            _mysql(plan, d, o, n, r)
        else:
            _sqlite(plan, d, o, n, r)
    if d.name != "sqlite":
        return renamed
    # SQLite rewrites the CREATE TABLE text of a renamed table or column (and the
    # references to a renamed table): the planner compares that text with the new one.
    tables = {}
    for old_name, o in real.tables.items():
        name = r.table(old_name)
        text = _substitute(o.create, r.tables)
        text = _substitute(text, r.table_columns.get(old_name, {}))
        tables[name] = replace(renamed.tables[name], create=text)
    return replace(renamed, tables=tables)


def _rename_table(d: Dialect, o: TableDdl, n: TableDdl) -> str:
    if o.table == n.table:
        return ""
    if d.name == "mysql":
        return f"RENAME TABLE {d.q(o.table)} TO {d.q(n.table)};"
    return f"ALTER TABLE {d.q(o.table)} RENAME TO {d.q(n.table)};"


def _rename_columns(plan: Plan, d: Dialect, o: TableDdl, n: TableDdl, r: Renames) -> None:
    for old, new in r.table_columns.get(o.table, {}).items():
        plan.add(m.RENAMES, f"ALTER TABLE {d.q(n.table)} RENAME COLUMN {d.q(old)} TO {d.q(new)};")


def _pairs(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def _index_pairs(o: TableDdl, n: TableDdl) -> list[tuple[str, str]]:
    return _pairs([ix.name for ix in o.plan.indexes], [ix.name for ix in n.plan.indexes])


def _fk_pairs(o: TableDdl, n: TableDdl, r: Renames) -> list[tuple[str, str]]:
    new = {fk.column: fk.name for fk in (*n.plan.inline_fks, *n.plan.later_fks)}
    return [
        (fk.name, new[r.column(o.table, fk.column)])
        for fk in (*o.plan.inline_fks, *o.plan.later_fks)
        if fk.name != new[r.column(o.table, fk.column)]
    ]


def _postgresql(plan: Plan, d: Dialect, o: TableDdl, n: TableDdl, r: Renames) -> None:
    q, t = d.q, d.q(n.table)
    search = o.plan.search is not None and o.after_search != n.after_search
    s = o.plan.search
    if search and s is not None:  # its function body names the columns: made again
        plan.add(m.RENAMES, f"DROP TRIGGER {q(s.trigger)} ON {q(o.table)};")
        plan.add(m.RENAMES, f"DROP INDEX {q(s.index)};")
        plan.add(m.RENAMES, f"DROP FUNCTION {q(s.function)}();")
    plan.add(m.RENAMES, _rename_table(d, o, n))
    _rename_columns(plan, d, o, n, r)
    constraints = _pairs(list(o.uniques), list(n.uniques)) + _pairs(list(o.checks), list(n.checks))
    constraints += _fk_pairs(o, n, r)
    if o.table != n.table:
        constraints.insert(0, (f"{o.table}_pkey", f"{n.table}_pkey"))
    for old, new in constraints:
        plan.add(m.RENAMES, f"ALTER TABLE {t} RENAME CONSTRAINT {q(old)} TO {q(new)};")
    for old, new in _index_pairs(o, n):
        plan.add(m.RENAMES, f"ALTER INDEX {q(old)} RENAME TO {q(new)};")
    old_trigger, new_trigger = o.plan.updated_at_trigger, n.plan.updated_at_trigger
    if old_trigger and new_trigger and old_trigger != new_trigger:
        plan.add(m.RENAMES, f"ALTER TRIGGER {q(old_trigger)} ON {t} RENAME TO {q(new_trigger)};")
    if search:
        plan.add(m.RENAMES, n.after_search, ("locking", f"builds the full-text index of {n.table}"))


def _mysql(plan: Plan, d: Dialect, o: TableDdl, n: TableDdl, r: Renames) -> None:
    q, t = d.q, d.q(n.table)
    # MySQL renames neither foreign keys nor checks: dropped, and added under the new names.
    fks = _fk_pairs(o, n, r)
    checks = [(a, b) for a, b in zip(o.checks, n.checks, strict=True) if a != b]
    checks += [
        (a, b)
        for a, b in zip(o.checks, n.checks, strict=True)
        if a == b and o.checks[a] != n.checks[b]
    ]
    for old, _ in fks:
        plan.add(m.RENAMES, alter.drop_foreign_key(d, o.table, old))
    for old, _ in checks:
        plan.add(m.RENAMES, f"ALTER TABLE {q(o.table)} DROP CONSTRAINT {q(old)};")
    plan.add(m.RENAMES, _rename_table(d, o, n))
    _rename_columns(plan, d, o, n, r)
    indexes = _pairs(list(o.uniques), list(n.uniques)) + _index_pairs(o, n)
    if o.plan.search is not None and n.plan.search is not None:
        indexes += _pairs([o.plan.search.index], [n.plan.search.index])
    for old, new in indexes:
        plan.add(m.RENAMES, f"ALTER TABLE {t} RENAME INDEX {q(old)} TO {q(new)};")
    for _, new in checks:
        plan.add(m.RENAMES, f"ALTER TABLE {t} ADD CONSTRAINT {q(new)} CHECK ({n.checks[new]});")
    for _, new in fks:
        plan.add(
            m.RENAMES,
            f"ALTER TABLE {t} ADD {n.foreign_keys[new]};",
            ("locking", f"MySQL copies {n.table} to add foreign key {new} under its new name"),
        )


def _sqlite(plan: Plan, d: Dialect, o: TableDdl, n: TableDdl, r: Renames) -> None:
    # SQLite renames neither indexes nor triggers: dropped, and made again after.
    q = d.q
    for ix in o.indexes:
        plan.add(m.RENAMES, f"DROP INDEX {q(ix)};")
    trigger = o.after_trigger != n.after_trigger
    if trigger and o.plan.updated_at_trigger:
        plan.add(m.RENAMES, f"DROP TRIGGER {q(o.plan.updated_at_trigger)};")
    search = o.after_search != n.after_search
    if search:
        drop_search(plan, d, o, m.RENAMES)
    plan.add(m.RENAMES, _rename_table(d, o, n))
    _rename_columns(plan, d, o, n, r)
    for sql in n.indexes.values():
        plan.add(m.RENAMES, sql)
    if trigger:
        plan.add(m.RENAMES, n.after_trigger)
    if search:
        create_search(plan, d, n, m.RENAMES)


def _substitute(text: str, names: dict[str, str]) -> str:
    """Identifiers renamed as SQLite's ALTER TABLE ... RENAME does: whole tokens, not in
    string literals, not inside longer names (a constraint name keeps its text)."""
    if not names:
        return text
    parts = _LITERAL.split(text)
    for old, new in names.items():
        token = re.compile(rf'(?<![\w"]){re.escape(old)}(?![\w"])')
        quoted = f'"{old}"'
        for i in range(0, len(parts), 2):
            parts[i] = token.sub(new, parts[i]).replace(quoted, f'"{new}"')
    return "".join(parts)
