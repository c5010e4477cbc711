"""ALTER TABLE statements for kept tables on PostgreSQL and MySQL/MariaDB.

Why the two share a module: they differ only in a handful of statement shapes
(dropping a foreign key or unique constraint, changing a column, where an index is
dropped), kept in small functions here; the order and the risk flags are common.
"""

from __future__ import annotations

from generator.diff import plan as m
from generator.diff.ddl import ColumnDdl, SchemaDdl, TableDdl
from generator.diff.plan import Plan, Risk
from generator.diff.types import type_change
from generator.emitters.sql.dialects import Dialect


def drop_foreign_key(d: Dialect, table: str, name: str) -> str:
    kind = "FOREIGN KEY" if d.name == "mysql" else "CONSTRAINT"
    return f"ALTER TABLE {d.q(table)} DROP {kind} {d.q(name)};"


def drop_index(d: Dialect, table: str, name: str) -> str:
    return (
        f"DROP INDEX {d.q(name)} ON {d.q(table)};"
        if d.name == "mysql"
        else f"DROP INDEX {d.q(name)};"
    )


def concurrently(create_index: str) -> str:
    return create_index.replace(" INDEX ", " INDEX CONCURRENTLY ", 1)


def plan_kept_tables(plan: Plan, before: SchemaDdl, after: SchemaDdl) -> None:
    d = after.dialect
    for name, new in after.tables.items():
        old = before.tables.get(name)
        if old is None:
            continue
        q, t = d.q, d.q(name)
        rebuilt = _fks_on_dropped_keys(d, old, new)
        for fk, sql in old.foreign_keys.items():
            if new.foreign_keys.get(fk) != sql or fk in rebuilt:
                plan.add(m.DROP_FKS, drop_foreign_key(d, name, fk))
        _drop_after(plan, d, old, new)
        for ix, sql in old.indexes.items():
            if new.indexes.get(ix) != sql:
                plan.add(m.DROP_INDEXES, drop_index(d, name, ix))
        for uq, column in old.uniques.items():
            if new.uniques.get(uq) != column:
                how = "INDEX" if d.name == "mysql" else "CONSTRAINT"
                plan.add(m.ALTER, f"ALTER TABLE {t} DROP {how} {q(uq)};")
        for ck, condition in old.checks.items():
            if new.checks.get(ck) != condition:
                plan.add(m.ALTER, f"ALTER TABLE {t} DROP CONSTRAINT {q(ck)};")
        if old.primary_key != new.primary_key:
            drop_pk = (
                "DROP PRIMARY KEY" if d.name == "mysql" else f"DROP CONSTRAINT {q(name + '_pkey')}"
            )
            plan.add(
                m.ALTER,
                f"ALTER TABLE {t} {drop_pk};",
                ("locking", f"rebuilds the primary key of {name}"),
            )
        # Dialect-only columns first: MySQL's generated active_row reads deleted_at.
        for column in sorted(old.columns, key=lambda n: old.columns[n].column is not None):
            if column not in new.columns:
                plan.add(
                    m.ALTER,
                    f"ALTER TABLE {t} DROP COLUMN {q(column)};",
                    ("destructive", f"drops column {name}.{column} and its values"),
                )
        for column, c in new.columns.items():
            if column not in old.columns:
                plan.add(
                    m.ALTER,
                    f"ALTER TABLE {t} ADD COLUMN {c.definition};",
                    *_add_risks(name, c),
                    table=name,
                )
            elif old.columns[column] != c:
                _change_column(plan, d, name, old.columns[column], c)
        if old.primary_key != new.primary_key:
            plan.add(
                m.ALTER,
                f"ALTER TABLE {t} ADD PRIMARY KEY ({d.names(new.primary_key)});",
                ("may-fail", "existing rows must be unique on the new key"),
                table=name,
            )
        for uq, column in new.uniques.items():
            if old.uniques.get(uq) != column:
                plan.add(
                    m.ALTER,
                    f"ALTER TABLE {t} ADD CONSTRAINT {q(uq)} UNIQUE ({q(column)});",
                    ("may-fail", f"existing rows must have distinct {name}.{column} values"),
                    table=name,
                )
        for ck, condition in new.checks.items():
            if old.checks.get(ck) != condition:
                plan.add(
                    m.ALTER,
                    f"ALTER TABLE {t} ADD CONSTRAINT {q(ck)} CHECK ({condition});",
                    ("may-fail", f"existing rows of {name} must satisfy {condition}"),
                    table=name,
                )
        for ix, sql in new.indexes.items():
            if old.indexes.get(ix) != sql:
                if d.name == "postgresql":
                    plan.add(m.CREATE_INDEXES, concurrently(sql), transactional=False)
                else:
                    plan.add(
                        m.CREATE_INDEXES,
                        sql,
                        ("locking", f"builds index {ix} (InnoDB online DDL allows writes)"),
                    )
        for fk, sql in new.foreign_keys.items():
            if old.foreign_keys.get(fk) != sql or fk in rebuilt:
                plan.add(
                    m.ADD_FKS,
                    f"ALTER TABLE {t} ADD {sql};",
                    ("may-fail", f"every existing {name} row must reference an existing row"),
                    table=name,
                )
        _table_comment(plan, d, old, new)


def _fks_on_dropped_keys(d: Dialect, old: TableDdl, new: TableDdl) -> set[str]:
    """MySQL: foreign keys whose column leads a unique key or index this migration drops.

    Why: MySQL refuses to drop the index a foreign key relies on, so such a key is
    dropped first and added again once the new indexes exist."""
    if d.name != "mysql":
        return set()
    by_column = {fk.column: fk.name for fk in (*old.plan.inline_fks, *old.plan.later_fks)}
    leading = [column for uq, column in old.uniques.items() if new.uniques.get(uq) != column]
    leading += [
        ix.columns[0].name
        for ix in old.plan.indexes
        if ix.columns and new.indexes.get(ix.name) != old.indexes.get(ix.name)
    ]
    return {by_column[c] for c in leading if c in by_column}


def _add_risks(table: str, c: ColumnDdl) -> list[tuple[Risk, str]]:
    if not c.nullable and not c.default:
        return [
            (
                "may-fail",
                f"NOT NULL without a default: fails while {table} has rows; add a default or backfill in an expand/contract sequence",
            )
        ]
    return []


def _change_column(plan: Plan, d: Dialect, table: str, old: ColumnDdl, new: ColumnDdl) -> None:
    t, col = d.q(table), new.definition.split(" ", 1)[0]
    risks: list[tuple[Risk, str]] = []
    if old.type != new.type and old.column is not None and new.column is not None:
        change = type_change(old.column, new.column)
        if change in ("narrow", "change"):
            what = f"{table}.{new.column.name} {old.type} -> {new.type}"
            risks.append(("destructive", f"{what} loses what the new type cannot hold"))
            risks.append(("may-fail", f"{what}: existing values that do not convert stop it"))
        risks.append(("locking", f"rewrites {table} to retype {new.column.name}"))
    if old.nullable and not new.nullable:
        risks.append(
            ("may-fail", f"existing NULLs in {table}.{col} make SET NOT NULL fail; backfill first")
        )
    if d.name == "mysql":
        plan.add(m.ALTER, f"ALTER TABLE {t} MODIFY COLUMN {new.definition};", *risks, table=table)
        return
    statements = []
    if old.type != new.type:
        if old.default:
            statements.append(f"ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT;")
        # Through text: every type has a text form and a text input, so a cast exists.
        statements.append(
            f"ALTER TABLE {t} ALTER COLUMN {col} TYPE {new.type} USING {col}::text::{new.type};"
        )
    if old.nullable != new.nullable:
        statements.append(
            f"ALTER TABLE {t} ALTER COLUMN {col} {'DROP' if new.nullable else 'SET'} NOT NULL;"
        )
    if new.default != old.default or (old.type != new.type and new.default):
        if new.default:
            statements.append(f"ALTER TABLE {t} ALTER COLUMN {col} SET{new.default};")
        elif old.type == new.type:
            statements.append(f"ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT;")
    for i, sql in enumerate(statements):
        plan.add(m.ALTER, sql, *(risks if i == 0 else ()), table=table)


def _drop_after(plan: Plan, d: Dialect, old: TableDdl, new: TableDdl) -> None:
    q, t = d.q, d.q(old.table)
    if old.after_trigger != new.after_trigger and old.plan.updated_at_trigger:
        plan.add(m.DROP_AFTER, f"DROP TRIGGER {q(old.plan.updated_at_trigger)} ON {t};")
    if new.after_trigger != old.after_trigger:
        plan.add(m.AFTER, new.after_trigger)
    s = old.plan.search
    if old.after_search != new.after_search:
        if s is not None:
            if d.name == "postgresql":
                plan.add(m.DROP_AFTER, f"DROP TRIGGER {q(s.trigger)} ON {t};")
                plan.add(m.DROP_AFTER, f"DROP INDEX {q(s.index)};")
                if new.plan.search is None:
                    plan.add(m.DROP_FUNCTIONS, f"DROP FUNCTION {q(s.function)}();")
            else:
                plan.add(m.DROP_AFTER, drop_index(d, old.table, s.index))
        if new.after_search:
            plan.add(
                m.AFTER, new.after_search, ("locking", f"builds the full-text index of {old.table}")
            )
    if old.after_comments != new.after_comments:
        plan.add(m.AFTER, _cleared_comments(d, old, new))
        plan.add(m.AFTER, new.after_comments)


def _cleared_comments(d: Dialect, old: TableDdl, new: TableDdl) -> str:
    """COMMENT ... IS NULL for descriptions removed from kept objects (PostgreSQL)."""
    q, t = d.q, d.q(old.table)
    lines = []
    if old.plan.entity.description and not new.plan.entity.description:
        lines.append(f"COMMENT ON TABLE {t} IS NULL;")
    for name, c in new.columns.items():
        before = old.columns.get(name)
        if (
            before is not None
            and before.column is not None
            and before.column.description
            and c.column is not None
            and not c.column.description
        ):
            lines.append(f"COMMENT ON COLUMN {t}.{q(name)} IS NULL;")
    return "\n".join(lines)


def _table_comment(plan: Plan, d: Dialect, old: TableDdl, new: TableDdl) -> None:
    if d.name != "mysql" or old.plan.entity.description == new.plan.entity.description:
        return
    comment = d.inline_comment(new.plan.entity.description) or " COMMENT ''"
    plan.add(m.ALTER, f"ALTER TABLE {d.q(new.table)}{comment};")
