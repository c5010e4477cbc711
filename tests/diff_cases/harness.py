"""Real databases for the diff tests: catalogs to compare, rows to keep, migrations to run.

Why compare catalogs and not DDL text: a migrated table has its added columns at the
end and PostgreSQL keeps a view's expanded column list, so the proof is that the
database knows the same tables, columns (type, nullability, default), indexes,
constraints, triggers, views, functions and comments as one built fresh.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from typing import Any

from generator.diff.ddl import SchemaDdl
from generator.diff.migration import Migration, render_migration
from generator.emitters.sql import get_dialect
from tests.test_sql import Db, sample

Catalog = dict[str, Any]

_PG = {
    "columns": "SELECT table_name, column_name, data_type, character_maximum_length,"
    " numeric_precision, numeric_scale, is_nullable, column_default"
    " FROM information_schema.columns WHERE table_schema = 'public'",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
    " FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
    "triggers": "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
    "functions": "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
    "views": "SELECT viewname FROM pg_views WHERE schemaname = 'public'",
    "comments": "SELECT c.relname, a.attname, d.description FROM pg_description d"
    " JOIN pg_class c ON c.oid = d.objoid"
    " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid"
    " WHERE c.relnamespace = 'public'::regnamespace AND d.classoid = 'pg_class'::regclass",
}

_MY = {
    "columns": "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,"
    " COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
    "tables": "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, TABLE_COMMENT"
    " FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    "indexes": "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART,"
    " INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()",
    "constraints": "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE"
    " FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE()",
    "checks": "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
    " WHERE CONSTRAINT_SCHEMA = DATABASE()",
    "references": "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME,"
    " k.REFERENCED_COLUMN_NAME, r.DELETE_RULE FROM information_schema.KEY_COLUMN_USAGE k"
    " JOIN information_schema.REFERENTIAL_CONSTRAINTS r"
    " ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
    " WHERE k.TABLE_SCHEMA = DATABASE()",
}

_CREATE_TABLE = re.compile(r'^CREATE TABLE "?(\w+)"? \(')


def catalog(db: Db) -> Catalog:
    name = db.d.name
    if name == "sqlite":
        return _sqlite_catalog(db)
    queries = _PG if name == "postgresql" else _MY
    return {key: sorted(map(repr, db.run(sql))) for key, sql in queries.items()}


def _sqlite_catalog(db: Db) -> Catalog:
    out: Catalog = {}
    for kind, name, table, sql in db.run(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ):
        text = _CREATE_TABLE.sub(rf"CREATE TABLE {name} (", sql or "")
        entry: dict[str, Any] = {"type": kind, "table": table, "sql": text}
        if kind == "table":
            entry["columns"] = sorted(r[1:] for r in db.run(f'PRAGMA table_xinfo("{name}")'))
            entry["fks"] = sorted(r[2:] for r in db.run(f'PRAGMA foreign_key_list("{name}")'))
            entry["indexes"] = sorted(r[1:] for r in db.run(f'PRAGMA index_list("{name}")'))
        out[f"{kind}:{name}"] = entry
    return out


def run_migration(db: Db, migration: Migration) -> None:
    """Run the migration file as its tool would: psql, sqlite3, mariadb."""
    text = render_migration(migration)
    if db.d.name == "sqlite":
        db.conn.executescript(text)
        return
    if db.d.name == "mysql":
        cursor = db.conn.cursor()
        cursor.execute(text)
        while cursor.nextset():  # surfaces an error in any later statement
            pass
        return
    # psql sends statements one by one; the transaction is one simple query, each
    # CONCURRENTLY statement after it another, as PostgreSQL requires.
    marker = "\n-- Outside the transaction:"
    body, _, rest = text.partition(marker)
    db.conn.execute(body.encode())
    statements = "\n".join(line for line in rest.splitlines() if not line.startswith(("--", " ")))
    for statement in statements.split(";\n"):
        if statement.strip():
            db.conn.execute(statement.encode())


def _key_value(column: str, table: str, n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_OID, f"{table}.{column}.{n}"))


def populate(db: Db, ddl: SchemaDdl, skip: set[str], rows: int = 2) -> set[str]:
    """Rows in every table not in `skip` (and not depending on one); the tables filled."""
    filled: set[str] = set()
    q = db.d.q
    for name, t in ddl.tables.items():
        e = t.plan.entity
        if name in skip:
            continue
        targets = {fk.column: fk.target_table for fk in e.foreign_keys}
        if any(
            target not in filled and target != name and not e.column(col).nullable
            for col, target in targets.items()
        ):
            continue
        for n in range(1, rows + 1):
            values: dict[str, Any] = {}
            for c in e.columns:
                if c.name in targets:
                    target = targets[c.name]
                    if target in filled or (target == name and n > 1):
                        key = _key_value("id", target, n if target != name else n - 1)
                        values[c.name] = key
                    elif c.nullable:
                        values[c.name] = None
                    else:
                        values[c.name] = _key_value("id", target, n)
                elif c.role == "primary-key" and c.type == "uuid":
                    values[c.name] = _key_value(c.name, name, n)
                elif c.role in ("field", "primary-key"):
                    values[c.name] = sample(c, n)
            names = list(values)
            marks = ", ".join(["%s"] * len(names))
            db.run(
                f"INSERT INTO {q(name)} ({db.d.names(names)}) VALUES ({marks})",
                [values[n] for n in names],
            )
        filled.add(name)
    return filled


def snapshot(db: Db, ddl: SchemaDdl, tables: set[str]) -> dict[str, dict[str, list[Any]]]:
    """table -> column -> values ordered by primary key, for the given tables."""
    out: dict[str, dict[str, list[Any]]] = {}
    q = db.d.q
    for name in sorted(tables):
        t = ddl.tables[name]
        columns = [c for c, col in t.columns.items() if col.column is not None]
        order = db.d.names(t.primary_key)
        rows = db.run(f"SELECT {db.d.names(columns)} FROM {q(name)} ORDER BY {order}")
        out[name] = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    return out


class Workspace:
    """One database reused across many migrations: a reset is far cheaper than a
    CREATE DATABASE, which let the property test try hundreds of pairs per dialect."""

    def __init__(self, dialect: str, server: Any) -> None:
        self.dialect, self.server = dialect, server
        self.name = f"diff_{uuid.uuid4().hex[:12]}"  # the MySQL server may be shared
        self.db: Db | None = None

    def fresh(self, sql: str) -> Db:
        d = get_dialect(self.dialect)
        if self.dialect == "sqlite":
            if self.db is not None:
                self.db.conn.close()
            conn = sqlite3.connect(":memory:", isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            self.db = Db(conn, d, "?", (sqlite3.IntegrityError,))
            conn.executescript(sql)
            return self.db
        if self.dialect == "postgresql":
            import psycopg

            if self.db is None:
                name = f"t_{uuid.uuid4().hex[:12]}"
                with psycopg.connect(self.server.get_uri(), autocommit=True) as admin:
                    admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
                conn = psycopg.connect(self.server.get_uri(name), autocommit=True)
                self.db = Db(conn, d, "%s", (psycopg.errors.IntegrityError,))
            self.db.conn.execute(b"ROLLBACK")  # after a failed migration
            self.db.conn.execute(b"DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            if sql:
                self.db.conn.execute(sql.encode())
            return self.db
        import pymysql

        if self.db is not None:  # a new session: a failed multi-statement leaves results behind
            self.db.conn.close()
        if True:
            conn = pymysql.connect(
                **self.server,
                autocommit=True,
                client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS,
            )
            self.db = Db(conn, d, "%s", (pymysql.err.IntegrityError,))
        cursor = self.db.conn.cursor()
        cursor.execute(
            f"DROP DATABASE IF EXISTS {self.name}; "
            f"CREATE DATABASE {self.name} CHARACTER SET utf8mb4; USE {self.name};"
        )
        while cursor.nextset():
            pass
        if sql:
            cursor.execute(sql)
            while cursor.nextset():
                pass
        return self.db

    def close(self) -> None:
        if self.db is not None:
            if self.dialect == "mysql":
                self.db.run(f"DROP DATABASE IF EXISTS {self.name}")
            self.db.conn.close()
