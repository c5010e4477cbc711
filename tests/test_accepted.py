"""Accepted means valid: a spec `check` accepts builds, and every consumer takes every artifact.

Specs come from tests/strategies.py (structure-aware, near-miss values). Each case is
either refused with located errors, or it loads and then: the OpenAPI document passes
openapi-spec-validator, the SQLite DDL applies with foreign keys on and takes a row per
table (defaults filled in by the database), the text emitters and the review run. A
sampled share also builds every artifact (diagrams included) and applies the DDL to the
real PostgreSQL (pgserver) and MariaDB servers, inserting a row per table there too.

`make test` runs a derandomized, bounded number of cases; ARCHSMITH_FUZZ_CASES (set by
`make fuzz`) runs that many, and the counts are printed at the end (-s shows them).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from generator.build import build_system
from generator.diagnostics import SpecError
from generator.emitters import ascii, openapi, sql, yaml_out
from generator.emitters.design_doc import render_design
from generator.emitters.sql.dialects import Dialect
from generator.emitters.sql.plan import plan_tables
from generator.lint import lint
from generator.model import Column, System
from generator.pipeline import load_text
from generator.rules.analysis import analyze
from tests.strategies import Data, specs
from tests.test_sql import mysql_settings, pg_server, private_mariadb

FUZZ_CASES = int(os.environ.get("ARCHSMITH_FUZZ_CASES", "0"))
CASES = FUZZ_CASES or 120
# The share (in percent) of loaded specs also built with diagrams and applied to the
# server databases: each costs a few hundred milliseconds more.
SERVER_SHARE = 10 if FUZZ_CASES else 30
FILE = "accepted.yaml"

_ = (pg_server, mysql_settings, private_mariadb)  # session fixtures this module uses

STATS: Counter[str] = Counter()

Apply = Callable[[str, System, str], None]


# --- consumers ---------------------------------------------------------------


def _row_value(column: Column, dialect: str) -> Any:
    """A value every constraint of the column admits, for the one row per table."""
    if column.type == "enum":
        return column.values[0]
    if column.type in ("string", "email", "url"):
        return "a@b.co"[: column.max_length or None]
    if column.type == "decimal":
        # Canonical, with exactly the scale's digits: the form SQLite's TEXT decimals keep.
        return f"{0:.{column.scale or 0}f}"
    return {
        "text": "t",
        "integer": 1,
        "bigint": 1,
        "float": 0.5,
        "boolean": True,
        "date": "2024-01-31",
        "datetime": "2024-01-31 09:30:00" if dialect == "mysql" else "2024-01-31T09:30:00Z",
        "uuid": str(uuid.UUID(int=7)),
        "json": '{"n": 1}',
    }[column.type]


def insert_rows(
    run: Callable[[str, list[Any]], list[tuple[Any, ...]]], system: System, d: Dialect
) -> int:
    """One row per table in creation order, giving only what has no default; returns how
    many tables took a row. Why: an out-of-range default creates the table and fails at
    the first insert, so applying the DDL alone proves too little."""
    q = d.q
    ids: dict[str, str] = {}
    inserted = 0
    for plan in plan_tables(system, d):
        entity = plan.entity
        targets = {fk.column: fk.target_table for fk in entity.foreign_keys}
        values: dict[str, Any] = {}
        possible = True
        for c in entity.columns:
            if c.name in targets:
                if targets[c.name] in ids:
                    values[c.name] = ids[targets[c.name]]
                elif not c.nullable:
                    possible = False  # a NOT NULL cycle: no first row exists
            elif c.role == "primary-key" and not plan.generated_id:
                values[c.name] = str(uuid.UUID(int=inserted + 1))
            elif c.role == "field" and c.default is None and not c.nullable:
                values[c.name] = _row_value(c, d.name)
        if not possible:
            continue
        names = list(values)
        placeholders = ", ".join(["%s"] * len(names))
        statement = (
            f"INSERT INTO {q(entity.table)} ({d.names(names)}) VALUES ({placeholders})"
            if names
            else f"INSERT INTO {q(entity.table)} DEFAULT VALUES"
        )
        if d.name == "mysql" and not names:
            statement = f"INSERT INTO {q(entity.table)} () VALUES ()"
        rows = run(statement + f" RETURNING {d.names(entity.primary_key)}", list(values.values()))
        if plan.generated_id:
            ids[entity.table] = str(rows[0][0])
        inserted += 1
        defaults = [
            c
            for c in entity.fields
            if c.default is not None
            and c.type in ("integer", "bigint", "string", "enum", "decimal")
        ]
        if defaults and plan.generated_id:
            (got,) = run(
                f"SELECT {d.names(c.name for c in defaults)} FROM {q(entity.table)} WHERE {q('id')} = %s",
                [ids[entity.table]],
            )
            for column, value in zip(defaults, got, strict=True):
                expected = column.default
                if column.type == "decimal":
                    assert Decimal(str(value)) == Decimal(str(expected)), (column.name, value)
                else:
                    assert value == expected, (entity.table, column.name, value, expected)
    return inserted


def _sqlite(ddl: str, system: System) -> None:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.executescript(ddl)

        def run(statement: str, params: list[Any]) -> list[tuple[Any, ...]]:
            return connection.execute(statement.replace("%s", "?"), params).fetchall()

        insert_rows(run, system, sql.get_dialect("sqlite"))
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


@pytest.fixture(scope="module")
def servers(request: pytest.FixtureRequest) -> Iterator[dict[str, Apply]]:
    """Appliers for PostgreSQL and MariaDB: a fresh schema (database) per case, dropped after."""
    found: dict[str, Apply] = {}
    closers: list[Callable[[], None]] = []
    try:
        server = request.getfixturevalue("pg_server")
        import psycopg

        name = f"accepted_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server.get_uri(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        pg = psycopg.connect(server.get_uri(name), autocommit=True)
        closers.append(pg.close)

        def on_postgresql(ddl: str, system: System, schema: str) -> None:
            pg.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]
            try:
                pg.execute(f"SET search_path TO {schema}")  # type: ignore[arg-type]
                pg.execute(ddl.encode())  # many statements: simple query protocol

                def run(statement: str, params: list[Any]) -> list[tuple[Any, ...]]:
                    cursor = pg.execute(statement.encode(), params)  # type: ignore[arg-type]
                    return cursor.fetchall() if cursor.description else []

                insert_rows(run, system, sql.get_dialect("postgresql"))
            finally:
                pg.execute("ROLLBACK")  # out of a transaction the DDL left aborted, if any
                pg.execute("SET search_path TO public")
                pg.execute(f"DROP SCHEMA {schema} CASCADE")  # type: ignore[arg-type]

        found["postgresql"] = on_postgresql
    except pytest.skip.Exception:
        pass
    try:
        settings_ = request.getfixturevalue("mysql_settings")
        import pymysql

        maria = pymysql.connect(
            **settings_, autocommit=True, client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS
        )
        closers.append(maria.close)

        def on_mariadb(ddl: str, system: System, schema: str) -> None:
            cursor = maria.cursor()
            cursor.execute(f"CREATE DATABASE {schema} CHARACTER SET utf8mb4")
            try:
                cursor.execute(f"USE {schema}")
                cursor.execute(ddl)
                while cursor.nextset():  # surfaces an error in any later statement
                    pass

                def run(statement: str, params: list[Any]) -> list[tuple[Any, ...]]:
                    cursor.execute(statement, params)
                    return list(cursor.fetchall()) if cursor.description else []

                insert_rows(run, system, sql.get_dialect("mysql"))
            finally:
                cursor.execute(f"DROP DATABASE {schema}")
                cursor.close()

        found["mysql"] = on_mariadb
    except pytest.skip.Exception:
        pass
    yield found
    for close in closers:
        close()


# --- the invariant ---------------------------------------------------------------


def assert_located(error: SpecError, text: str) -> None:
    lines = text.count("\n") + 1
    assert error.diagnostics
    for d in error.diagnostics:
        assert d.location.file == FILE
        assert 1 <= d.location.line <= lines and d.location.column >= 1, d.format()
        assert d.code and d.message, d.format()


def _sampled(text: str) -> bool:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 100 < SERVER_SHARE


def accepted_means_valid(
    data: Data | str, servers: dict[str, Apply], *, every: bool = False
) -> None:
    """The invariant for one spec; `every`: build and apply to the servers whatever the sample."""
    text = data if isinstance(data, str) else yaml_out.dump(data)
    STATS["cases"] += 1
    try:
        system = load_text(text, FILE)
    except SpecError as error:
        assert_located(error, text)
        STATS["refused"] += 1
        return
    STATS["accepted"] += 1
    validate(yaml.load(openapi.render(system), Loader=yaml.CSafeLoader))
    ddl = sql.render_all(system)
    _sqlite(ddl["schema.sqlite.sql"], system)
    analysis = analyze(system)
    render_design(system, analysis)
    ascii.architecture(system, analysis.style.style)
    lint(system)
    if not (every or _sampled(text)):
        return
    built = build_system(system)
    assert {"openapi.yaml", "schema.postgresql.sql", "architecture.svg", "erd.svg"} <= set(
        built.files
    )
    STATS["builds"] += 1
    schema = f"s_{uuid.uuid4().hex[:12]}"
    for dialect, apply in servers.items():
        apply(ddl[f"schema.{dialect}.sql"], system, schema)
        STATS[f"applied on {dialect}"] += 1


@settings(
    max_examples=CASES,
    derandomize=not FUZZ_CASES,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(specs())
def test_accepted_specs_build_into_artifacts_every_consumer_accepts(
    servers: dict[str, Apply], data: Data
) -> None:
    accepted_means_valid(data, servers)


# Specs that once passed `check` and then broke a consumer (issue 21 and this file's
# own finds); each must now load and satisfy every consumer, the servers included.
REGRESSIONS = {
    "service-call-cycle": """
system: {name: Loop}
services:
  orders: {depends_on: [{service: billing}]}
  billing: {depends_on: [{service: stock}]}
  stock: {depends_on: [{service: orders}]}
""",
    "now-and-today-defaults": """
system: {name: Clock}
entities:
  Visit:
    fields:
      seen_at: {type: datetime, default: now}
      seen_on: {type: date, default: today}
      planned_at: {type: datetime, default: '2024-01-31T23:30:00-02:00'}
api:
  resources: {visits: {entity: Visit}}
""",
    "64-bit-minimum-default": """
system: {name: Edges}
entities:
  Counter:
    fields:
      low: {type: bigint, default: -9223372036854775808}
      high: {type: bigint, default: 9223372036854775807}
      small: {type: integer, default: -2147483648}
      share: {type: decimal, precision: 6, scale: 5, default: 1.0e-05}
""",
    # Found here: VARCHAR(1000) in utf8mb4 is 4,000 bytes, over MySQL's 3,072-byte key.
    "mysql-long-index-key": """
system: {name: Shop}
entities:
  Order:
    fields: {name: {type: string, max_length: 1000}, code: {type: string, max_length: 1000}}
    indexes: [{fields: [name, created_at]}, {fields: [name, code], unique: true}]
""",
    # MySQL refuses a VARCHAR over 16,383 characters and rows over 65,535 bytes.
    "mysql-row-too-wide": """
system: {name: Wide}
entities:
  Page:
    fields:
      a: {type: string, max_length: 5000}
      b: {type: string, max_length: 5000}
      c: {type: string, max_length: 5000}
      d: {type: string, max_length: 5000, unique: true}
      e: {type: url, max_length: 20000, default: 'https://example.com/'}
    indexes: [{fields: [a, b, c, d]}]
api:
  resources: {pages: {entity: Page}}
""",
    # Found here: the unique constraint of `title` and a declared unique index on it
    # were both named uq_orders_title.
    "unique-column-and-partial-unique-index": """
system: {name: Shop}
entities:
  Order:
    soft_delete: true
    fields: {title: {type: string, unique: true}, n: integer}
    indexes: [{fields: [title], unique: true, where: {n: 1}}, {fields: [n]}, {fields: [n], where: {n: 2}}]
""",
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regression_is_accepted_and_valid(servers: dict[str, Apply], name: str) -> None:
    accepted_means_valid(REGRESSIONS[name].lstrip(), servers, every=True)


def test_current_time_defaults_are_the_database_clock_in_every_dialect() -> None:
    system = load_text(REGRESSIONS["now-and-today-defaults"].lstrip(), FILE)
    ddl = sql.render_all(system)
    expected = {
        "postgresql": (
            "seen_at TIMESTAMPTZ NOT NULL DEFAULT now()",
            "seen_on DATE NOT NULL DEFAULT CURRENT_DATE",
        ),
        "sqlite": (
            "seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            "seen_on DATE NOT NULL DEFAULT (date('now'))",
        ),
        "mysql": (
            "seen_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)",
            "seen_on DATE NOT NULL DEFAULT (CURRENT_DATE)",
        ),
    }
    for dialect, lines in expected.items():
        text = ddl[f"schema.{dialect}.sql"]
        assert all(line in text for line in lines), (dialect, text)
        assert "DEFAULT 'now'" not in text and "DEFAULT 'today'" not in text, dialect
    # MariaDB refuses an offset in a DATETIME literal: the same moment, in UTC.
    assert "DEFAULT '2024-02-01 01:30:00.000000'" in ddl["schema.mysql.sql"]
    document = yaml.load(openapi.render(system), Loader=yaml.CSafeLoader)
    visit = document["components"]["schemas"]["Visit"]["properties"]
    assert "default" not in visit["seenAt"] and "default" not in visit["seenOn"]
    assert "created" in visit["seenAt"]["description"]
    assert visit["plannedAt"]["default"] == "2024-01-31T23:30:00-02:00"


def test_zz_report_counts() -> None:
    """The counts of the run above (shown with -s; `make fuzz` reports them)."""
    if STATS["cases"]:
        print(
            f"\naccepted-means-valid: {STATS['cases']} cases, {STATS['accepted']} accepted, "
            f"{STATS['refused']} refused with located errors, {STATS['builds']} full builds, "
            f"{STATS['applied on postgresql']} applied on PostgreSQL, "
            f"{STATS['applied on mysql']} on MariaDB, 0 failures"
        )
        assert STATS["accepted"] > 0 and STATS["refused"] > 0, STATS
