"""A migration per dialect from the old system's schema to the new one's.

Order, chosen so every statement finds what it needs and nothing is dropped while
something still depends on it:

1. shared functions the new schema needs (PostgreSQL `set_updated_at`);
2. views over changed or dropped tables (PostgreSQL and MySQL expand `SELECT *` when
   a view is made, and PostgreSQL refuses to retype or drop a column a view uses);
   then declared renames (`renamed_from:`) in place, with the objects whose names embed
   them (rename_sql.py): from here on the old schema is compared under its new names;
3. foreign keys that go or change, then triggers, search objects and indexes that go
   or change, then dropped tables (cycle-closing keys first, then reverse creation order);
4. column changes on kept tables (PostgreSQL/MySQL `ALTER TABLE`; SQLite's documented
   12-step rebuild for anything but an index or trigger, see sqlite_rebuild.py);
5. new tables in the new schema's creation order, with their indexes and triggers;
6. indexes on kept tables (PostgreSQL: `CREATE INDEX CONCURRENTLY` after COMMIT, as it
   cannot run in a transaction), then foreign keys (MySQL needs the index first);
7. triggers, search objects and comments that changed, views, and the RBAC seed rows.

Every statement carries its risk: `destructive` (data is lost), `locking` (the table
is rewritten or blocked for writes while it runs), `may-fail` (existing rows may
violate the new definition). A rename is never guessed: a dropped and an added column
stay a drop and an add unless the new one declares `renamed_from:`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import __version__
from generator.diff import alter, rename_sql, sqlite_rebuild
from generator.diff.ddl import SchemaDdl, schema_ddl
from generator.diff.plan import (
    ADD_FKS,
    CREATE_TABLES,
    DROP_FKS,
    DROP_FUNCTIONS,
    DROP_TABLES,
    DROP_VIEWS,
    FUNCTIONS,
    SEED,
    VIEWS,
    Plan,
    Statement,
)
from generator.diff.renames import find_renames, renamed_system
from generator.diff.seed import seed_statements
from generator.emitters.sql import DIALECTS
from generator.model import System


@dataclass(frozen=True)
class Migration:
    dialect: str
    slug: str
    statements: tuple[Statement, ...] = field(default=())
    transactional_ddl: bool = True

    @property
    def in_transaction(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.transactional)

    @property
    def after_commit(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if not s.transactional)

    @property
    def destructive(self) -> bool:
        return any(r == "destructive" for s in self.statements for r, _ in s.risks)


def plan_migration(old: System | None, new: System | None, dialect: str) -> Migration:
    renames = find_renames(old, new)
    before, after = schema_ddl(old, dialect), schema_ddl(new, dialect)
    plan = Plan()
    touched: set[str] = set()
    if old is not None and renames:
        renamed = schema_ddl(renamed_system(old, renames), dialect)
        before = rename_sql.plan_renames(plan, before, renamed, renames)
        touched = renames.touched()
    if after.functions != before.functions:
        if after.functions:
            plan.add(FUNCTIONS, after.functions)
        elif dialect == "postgresql":
            plan.add(DROP_FUNCTIONS, "DROP FUNCTION set_updated_at();")
    changed = _changed_tables(before, after)
    q = after.dialect.q
    for name in changed:
        old_view = before.tables[name].view if name in before.tables else None
        if old_view is not None and name not in touched:  # else dropped before the rename
            plan.add(DROP_VIEWS, f"DROP VIEW {q(before.tables[name].plan.active_view or '')};")
    _drop_tables(plan, before, after)
    if dialect == "sqlite":
        sqlite_rebuild.plan_kept_tables(plan, before, after)
    else:
        alter.plan_kept_tables(plan, before, after)
    _create_tables(plan, before, after)
    changed += [t for t in after.tables if t in touched and t not in changed]
    for name in changed:
        view = after.tables[name].view if name in after.tables else None
        if view is not None:
            plan.add(VIEWS, view)
    for sql, risks in seed_statements(after.dialect, before.seed, after.seed):
        plan.add(SEED, sql, *risks)
    either = new or old
    slug = either.slug if either is not None else ""
    return Migration(dialect, slug, plan.statements(), after.dialect.transactional_ddl)


def _changed_tables(before: SchemaDdl, after: SchemaDdl) -> list[str]:
    """Tables whose view must be dropped and made again: any column or view change."""
    names = [*before.tables, *(t for t in after.tables if t not in before.tables)]
    return [
        n
        for n in names
        if n not in before.tables
        or n not in after.tables
        or before.tables[n].create != after.tables[n].create
        or before.tables[n].columns != after.tables[n].columns
        or before.tables[n].view != after.tables[n].view
    ]


def _drop_tables(plan: Plan, before: SchemaDdl, after: SchemaDdl) -> None:
    d = before.dialect
    gone = [t for name, t in before.tables.items() if name not in after.tables]
    gone_names = {t.table for t in gone}
    for t in gone:
        # Cycle-closing keys between dropped tables first; reverse order handles the rest.
        for fk in t.plan.later_fks:
            if fk.target_table in gone_names and fk.target_table != t.table:
                plan.add(DROP_FKS, alter.drop_foreign_key(d, t.table, fk.name))
    for t in reversed(gone):
        if d.name == "sqlite" and t.plan.search is not None:
            plan.add(DROP_TABLES, f"DROP TABLE {d.q(t.plan.search.fts_table)};")
        plan.add(
            DROP_TABLES,
            f"DROP TABLE {d.q(t.table)};",
            ("destructive", f"drops table {t.table} and every row in it"),
        )
        if d.name == "postgresql" and t.plan.search is not None:
            plan.add(DROP_TABLES, f"DROP FUNCTION {d.q(t.plan.search.function)}();")


def _create_tables(plan: Plan, before: SchemaDdl, after: SchemaDdl) -> None:
    d = after.dialect
    for name, t in after.tables.items():
        if name in before.tables:
            continue
        plan.add(CREATE_TABLES, t.create)
        for ix in t.indexes.values():  # an empty table: no need for CONCURRENTLY
            plan.add(CREATE_TABLES, ix)
        plan.add(CREATE_TABLES, t.after_trigger)
        plan.add(CREATE_TABLES, t.after_search)
        plan.add(CREATE_TABLES, t.after_comments)
        for fk in t.plan.later_fks:
            plan.add(ADD_FKS, f"ALTER TABLE {d.q(t.table)} ADD {t.foreign_keys[fk.name]};")


def render_migration(m: Migration) -> str:
    """The migration as one SQL script, each risky statement under a `-- ` note."""
    lines = [
        f"-- Generated by archsmith {__version__} (archsmith diff); review before running.",
        f"-- system: {m.slug}",
        f"-- dialect: {m.dialect}",
    ]
    if not m.statements:
        return "\n".join([*lines, "-- No schema changes."]) + "\n"
    if m.dialect == "sqlite":
        # Step 1 of SQLite's table rebuild: foreign keys off, outside the transaction.
        lines += ["", "PRAGMA foreign_keys = OFF;"]
    if m.transactional_ddl:
        lines += ["", "BEGIN;"]
    else:
        lines += [
            "",
            "-- MySQL commits after every DDL statement: a failure leaves earlier ones applied.",
        ]
    lines += _statements(m.in_transaction)
    if m.dialect == "sqlite":
        lines += [
            "",
            "-- Must return no rows before COMMIT (step 10 of the rebuild).",
            "PRAGMA foreign_key_check;",
        ]
    if m.transactional_ddl:
        lines += ["", "COMMIT;"]
    if m.after_commit:
        lines += [
            "",
            "-- Outside the transaction: CREATE INDEX CONCURRENTLY cannot run inside one.",
        ]
        lines += _statements(m.after_commit)
    if m.dialect == "sqlite":
        lines += ["", "PRAGMA foreign_keys = ON;"]
    return "\n".join(lines) + "\n"


def _statements(statements: tuple[Statement, ...]) -> list[str]:
    lines: list[str] = []
    for s in statements:
        lines.append("")
        lines += [f"-- {risk.upper()}: {why}" for risk, why in s.risks]
        lines.append(s.sql)
    return lines


def migrations(old: System | None, new: System | None) -> dict[str, str]:
    """Dialect -> migration script, for every dialect the DDL emitter writes."""
    return {d: render_migration(plan_migration(old, new, d)) for d in DIALECTS}
