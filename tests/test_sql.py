"""The SQL emitter, proven on real databases.

PostgreSQL runs from the `pgserver` wheel (one server per session), SQLite from the
standard library, MariaDB/MySQL from the server answering on 127.0.0.1:3306 (or
ARCHSMITH_MYSQL_HOST/PORT/USER/PASSWORD); when nothing answers there but a `mariadbd`
binary is installed (scripts/setup.sh test installs mariadb-server), a private
throwaway server is started for the session. Every spec in specs/ and every fixture in
tests/fixtures/sql/ must apply and survive a smoke test: one row per table in
foreign-key order, read back, updated, updated_at bumped.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from generator.emitters.sql import DIALECTS, get_dialect, render
from generator.emitters.sql.dialects import Dialect
from generator.emitters.sql.escape import short_name
from generator.emitters.sql.order import creation_order
from generator.emitters.sql.plan import TablePlan, plan_tables
from generator.model import Column, System
from generator.pipeline import load_system

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sql"
SPECS = sorted(ROOT.glob("specs/*.yaml")) + sorted(FIXTURES.glob("*.yaml"))
OLD = "2000-01-01 00:00:00"
HOSTILE_TABLE = "'); DROP TABLE users; --\nDROP TABLE users;\r\nstill a comment \\' $$ */ \u2028DROP TABLE users;"


def spec_id(path: Path) -> str:
    return path.stem


def system(name: str) -> System:
    path = next(p for p in SPECS if p.stem == name)
    return load_system(path)


# --- database handles ---------------------------------------------------------


class Db:
    """One connection, one placeholder style, rows as tuples."""

    def __init__(
        self, conn: Any, dialect: Dialect, placeholder: str, errors: tuple[type[BaseException], ...]
    ) -> None:
        self.conn, self.d, self.placeholder, self.errors = conn, dialect, placeholder, errors

    def run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self.conn.cursor()
        cursor.execute(sql.replace("%s", self.placeholder), tuple(params))
        rows = cursor.fetchall() if cursor.description else []
        cursor.close()
        return [tuple(str(v) if isinstance(v, uuid.UUID) else v for v in r) for r in rows]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    pgserver = pytest.importorskip("pgserver")
    pytest.importorskip("psycopg")
    # Not tmp_path_factory: pytest prunes old basetemp dirs of concurrent sessions,
    # which would delete a running server's data directory under it.
    parent = Path(tempfile.mkdtemp(prefix="archsmith-sql-pg-"))
    server = pgserver.get_server(parent / "data", cleanup_mode="delete")
    yield server
    server.cleanup()
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def pg(pg_server: Any) -> Iterator[Callable[[str], Db]]:
    import psycopg

    opened: list[Any] = []

    def apply(sql: str) -> Db:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(pg_server.get_uri(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        conn = psycopg.connect(pg_server.get_uri(name), autocommit=True)
        opened.append(conn)
        conn.execute(sql.encode())  # many statements: simple query protocol
        return Db(conn, get_dialect("postgresql"), "%s", (psycopg.errors.IntegrityError,))

    yield apply
    for conn in opened:
        conn.close()


@pytest.fixture
def lite() -> Iterator[Callable[[str], Db]]:
    opened: list[sqlite3.Connection] = []

    def apply(sql: str) -> Db:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        opened.append(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(sql)
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        return Db(conn, get_dialect("sqlite"), "?", (sqlite3.IntegrityError,))

    yield apply
    for conn in opened:
        conn.close()


def _mysql_settings() -> dict[str, Any]:
    return {
        "host": os.environ.get("ARCHSMITH_MYSQL_HOST", "127.0.0.1"),
        "port": int(os.environ.get("ARCHSMITH_MYSQL_PORT", "3306")),
        "user": os.environ.get("ARCHSMITH_MYSQL_USER", "root"),
        "password": os.environ.get("ARCHSMITH_MYSQL_PASSWORD", ""),
    }


def _listening(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def _mariadbd() -> str | None:
    """The MariaDB server binary; Debian puts it in /usr/sbin, often not on PATH."""
    found = shutil.which("mariadbd")
    if found:
        return found
    return "/usr/sbin/mariadbd" if os.access("/usr/sbin/mariadbd", os.X_OK) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _log_tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def private_mariadb() -> Iterator[dict[str, Any]]:
    """A throwaway MariaDB for this session: own datadir, socket and port, root without password."""
    pymysql = pytest.importorskip("pymysql", reason="pymysql is needed to talk to MariaDB/MySQL")
    mariadbd = _mariadbd()
    assert mariadbd
    install_db = shutil.which("mariadb-install-db") or str(
        Path(mariadbd).parent.parent / "bin" / "mariadb-install-db"
    )
    # Not tmp_path_factory: pytest prunes old basetemp dirs of concurrent sessions.
    base = Path(tempfile.mkdtemp(prefix="archsmith-sql-maria-"))
    data, log = base / "data", base / "mariadbd.log"
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    proc: subprocess.Popen[bytes] | None = None
    try:
        install = subprocess.run(
            [
                install_db,
                "--no-defaults",  # must come first: ignore /etc/mysql and ~/.my.cnf
                "--auth-root-authentication-method=normal",  # root@localhost, no password
                "--skip-test-db",
                # With --user it would otherwise chown the system's
                # plugin/auth_pam_tool_dir; --rpm skips that (and the hostname check).
                "--rpm",
                f"--datadir={data}",
                *as_root,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if install.returncode != 0:
            pytest.fail(f"mariadb-install-db failed:\n{install.stdout}\n{install.stderr}")
        port = _free_port()
        proc = subprocess.Popen(
            [
                mariadbd,
                "--no-defaults",
                f"--datadir={data}",
                f"--socket={base / 'sock'}",
                f"--pid-file={base / 'mariadbd.pid'}",
                f"--log-error={log}",
                f"--port={port}",
                "--bind-address=127.0.0.1",
                "--innodb-buffer-pool-size=32M",
                "--innodb-flush-log-at-trx-commit=0",  # throwaway data: skip fsyncs
                *as_root,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        settings = {"host": "127.0.0.1", "port": port, "user": "root", "password": ""}
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"mariadbd exited with {proc.returncode}:\n{_log_tail(log)}")
            try:
                pymysql.connect(**settings, connect_timeout=1).close()
                break
            except pymysql.err.OperationalError:
                if time.monotonic() > deadline:
                    pytest.fail(f"mariadbd did not accept connections in 60s:\n{_log_tail(log)}")
                time.sleep(0.1)
        yield settings
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def mysql_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The configured server if one listens there, else a private one if mariadbd exists."""
    settings = _mysql_settings()
    if _listening(settings["host"], settings["port"]):
        return settings
    if _mariadbd() is None:
        pytest.skip(
            f"no MariaDB/MySQL server on {settings['host']}:{settings['port']} and no mariadbd "
            "binary to start one (scripts/setup.sh test installs it: mariadb-server-core)"
        )
    private: dict[str, Any] = request.getfixturevalue("private_mariadb")
    return private


@pytest.fixture
def maria(mysql_settings: dict[str, Any]) -> Iterator[Callable[[str], Db]]:
    pymysql = pytest.importorskip("pymysql", reason="pymysql is needed to talk to MariaDB/MySQL")
    settings = mysql_settings
    created: list[str] = []
    opened: list[Any] = []
    admin = pymysql.connect(**settings, autocommit=True)

    def apply(sql: str) -> Db:
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin.cursor().execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
        created.append(name)
        conn = pymysql.connect(
            **settings,
            database=name,
            autocommit=True,
            client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS,
        )
        opened.append(conn)
        cursor = conn.cursor()
        cursor.execute(sql)
        while cursor.nextset():  # surfaces an error in any later statement
            pass
        return Db(conn, get_dialect("mysql"), "%s", (pymysql.err.IntegrityError,))

    yield apply
    for conn in opened:
        conn.close()
    for name in created:
        admin.cursor().execute(f"DROP DATABASE {name}")
    admin.close()


def apply_to(request: pytest.FixtureRequest, dialect: str, sql: str) -> Db:
    fixture = {"postgresql": "pg", "sqlite": "lite", "mysql": "maria"}[dialect]
    apply: Callable[[str], Db] = request.getfixturevalue(fixture)
    return apply(sql)


# --- the smoke test -----------------------------------------------------------


def sample(c: Column, n: int) -> Any:
    """A value of the column's type; n varies it so updates change something."""
    text = {
        "email": f"u{n}@example.com",
        "url": f"https://example.com/{n}",
        "string": f"{c.name[:6]}-{n}",
        "text": f"sample text {n}",
    }
    if c.type in text:
        return text[c.type][: c.max_length or None]
    return {
        "integer": n,
        "bigint": n * 10**10,
        "decimal": decimal_sample(c, n),
        "float": n + 0.5,
        "boolean": n % 2 == 0,
        "date": f"2024-01-{n:02d}",
        "datetime": f"2024-01-02 03:04:{n:02d}",
        "uuid": str(uuid.UUID(int=n)),
        "json": f'{{"n": {n}}}',
        "enum": c.values[n % len(c.values)] if c.values else None,
    }[c.type]


def decimal_sample(c: Column, n: int) -> str:
    """n.25 in the column's canonical form (exactly `scale` digits), which SQLite requires."""
    scale = c.scale if c.scale is not None else 2
    whole = str(n) if (c.precision or 12) > scale else "0"
    return whole if scale == 0 else f"{whole}.{'25'[:scale].ljust(scale, '0')}"


def smoke(db: Db, tables: Sequence[TablePlan]) -> None:
    """Insert one row per table in creation order, read it back, update it."""
    q = db.d.q
    ids: dict[str, Any] = {}
    pending: list[tuple[str, Any, str, str]] = []  # (table, pk, column, target) to fill later
    for t in tables:
        e = t.entity
        targets = {fk.column: fk.target_table for fk in e.foreign_keys}
        values: dict[str, Any] = {}
        for c in e.columns:
            if c.name in targets:
                target = targets[c.name]
                if target in ids:
                    values[c.name] = ids[target]
                else:
                    assert c.nullable, f"{e.table}.{c.name} points at a later table but is NOT NULL"
                    values[c.name] = None
            elif c.role == "updated-at":
                values[c.name] = OLD
            elif c.role == "field" or (c.role == "primary-key" and not t.generated_id):
                values[c.name] = sample(c, 1)
        names = list(values)
        sql = f"INSERT INTO {q(e.table)} ({db.d.names(names)}) VALUES ({', '.join(['%s'] * len(names))})"
        if t.generated_id:
            (row,) = db.run(sql + f" RETURNING {q('id')}", [values[n] for n in names])
            # A bigint identity stays a number; a UUID (an object in psycopg) becomes text.
            key = ("id", row[0] if isinstance(row[0], int) else str(row[0]))
            ids[e.table] = key[1]
            pending += [
                (e.table, key[1], col, targets[col])
                for col in names
                if col in targets and values[col] is None
            ]
        else:
            db.run(sql, [values[n] for n in names])
            key = (e.primary_key[0], values[e.primary_key[0]])
            if e.primary_key == ("id",):  # a natural key the client chose
                ids[e.table] = key[1]
        where = f" WHERE {q(key[0])} = %s"
        checked = [
            c
            for c in e.columns
            if c.name in values
            and c.type in ("string", "email", "url", "text", "enum", "integer", "bigint", "boolean")
        ]
        if checked:
            (got,) = db.run(
                f"SELECT {db.d.names(c.name for c in checked)} FROM {q(e.table)}" + where, [key[1]]
            )
            expected = tuple(values[c.name] for c in checked)
            assert (
                tuple(
                    bool(v) if c.type == "boolean" else v for c, v in zip(checked, got, strict=True)
                )
                == expected
            )
        if e.versioned:
            assert db.run(f"SELECT {q('version')} FROM {q(e.table)}" + where, [key[1]]) == [(1,)]
        if t.updated_at_trigger or any(c.role == "updated-at" for c in e.columns):
            # MySQL bumps ON UPDATE columns only when a value really changes.
            fields = [
                c
                for c in e.columns
                if c.role == "field"
                and c.name not in targets
                and not c.unique
                and sample(c, 1) != sample(c, 2)
            ]
            if fields:
                db.run(
                    f"UPDATE {q(e.table)} SET {q(fields[0].name)} = %s" + where,
                    [sample(fields[0], 2), key[1]],
                )
                ((stamp,),) = db.run(
                    f"SELECT {q('updated_at')} FROM {q(e.table)}" + where, [key[1]]
                )
                assert not str(stamp).startswith("2000"), f"{e.table}.updated_at was not bumped"
    for table, pk, column, target in pending:  # close cycles now that every table has a row
        db.run(f"UPDATE {q(table)} SET {q(column)} = %s WHERE {q('id')} = %s", [ids[target], pk])


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", SPECS, ids=spec_id)
def test_ddl_applies_and_smoke_test_passes(
    request: pytest.FixtureRequest, path: Path, dialect: str
) -> None:
    spec = load_system(path)
    db = apply_to(request, dialect, render(spec, dialect))
    smoke(db, plan_tables(spec, get_dialect(dialect)))


@pytest.mark.parametrize("path", SPECS, ids=spec_id)
def test_postgresql_output_parses_with_pglast(path: Path) -> None:
    pglast = pytest.importorskip("pglast")
    statements = pglast.parse_sql(render(load_system(path), "postgresql"))
    assert any(type(s.stmt).__name__ == "CreateStmt" for s in statements)


@pytest.mark.parametrize("path", SPECS, ids=spec_id)
def test_mysql_output_parses_with_sqlglot(path: Path) -> None:
    statements = sqlglot.parse(
        render(load_system(path), "mysql"), read="mysql", error_level=ErrorLevel.RAISE
    )
    # exp.Command is sqlglot's "did not understand, kept as text": that is not a parse.
    assert statements and not [s for s in statements if s is None or isinstance(s, exp.Command)]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", SPECS, ids=spec_id)
def test_output_is_deterministic(path: Path, dialect: str) -> None:
    first = render(load_system(path), dialect)
    assert render(load_system(path), dialect) == first
    assert first.startswith("-- Generated by archsmith ")
    assert f"-- dialect: {dialect}\n" in first and load_system(path).content_hash in first


# --- behaviour the fixtures prove ----------------------------------------------


def insert(db: Db, table: str, values: dict[str, Any]) -> str:
    q = db.d.q
    sql = f"INSERT INTO {q(table)} ({db.d.names(values)}) VALUES ({', '.join(['%s'] * len(values))}) RETURNING {q('id')}"
    return str(db.run(sql, list(values.values()))[0][0])


ARTICLE = {"title": "Deep sea keyboards", "body": "Mechanical switches under water", "slug": "deep"}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_soft_delete_frees_unique_values(request: pytest.FixtureRequest, dialect: str) -> None:
    db = apply_to(request, dialect, render(system("soft_delete_search"), dialect))
    first = insert(db, "articles", ARTICLE)
    with pytest.raises(db.errors):  # two active rows with one slug: refused
        insert(db, "articles", {**ARTICLE, "title": "other"})
    db.run("UPDATE articles SET deleted_at = %s WHERE id = %s", ["2024-05-01 00:00:00", first])
    second = insert(db, "articles", ARTICLE)  # same slug and title, first one soft-deleted
    assert db.run("SELECT id FROM active_articles") == [(second,)] != [(first,)]
    assert len(db.run("SELECT id FROM articles")) == 2


def test_mysql_soft_delete_unique_ends_in_the_active_row_column() -> None:
    sql = render(system("soft_delete_search"), "mysql")
    assert "active_row TINYINT GENERATED ALWAYS AS (IF(deleted_at IS NULL, 1, NULL)) STORED" in sql
    assert "CREATE UNIQUE INDEX uq_articles_slug ON articles (slug, active_row);" in sql
    assert (
        "-- mysql has no partial indexes: this index also covers rows outside WHERE featured = TRUE AND published_at IS NULL\nCREATE INDEX"
        in sql
    )


def test_postgresql_full_text_search_finds_stemmed_words(pg: Callable[[str], Db]) -> None:
    db = pg(render(system("soft_delete_search"), "postgresql"))
    found = "SELECT id FROM articles WHERE search_vector @@ to_tsquery('english', %s)"
    article = insert(db, "articles", ARTICLE)
    assert db.run(found, ["keyboard"]) == [(article,)]  # "keyboards" stemmed
    assert db.run(found, ["switch"]) == [(article,)]
    db.run("UPDATE articles SET title = %s WHERE id = %s", ["Quiet trackballs", article])
    assert db.run(found, ["keyboard"]) == [] and db.run(found, ["trackball"]) == [(article,)]
    # Weights: a title hit (A) ranks above a body hit (C).
    other = insert(db, "articles", {"title": "Switches", "body": "about trackballs", "slug": "s"})
    ranked = db.run(
        "SELECT id FROM articles WHERE search_vector @@ to_tsquery('english', 'switch') ORDER BY ts_rank(search_vector, to_tsquery('english', 'switch')) DESC"
    )
    assert ranked == [(other,), (article,)]


def test_postgresql_search_on_reserved_word_columns(pg: Callable[[str], Db]) -> None:
    db = pg(render(system("reserved_words"), "postgresql"))
    user = insert(db, "user", {"key": "k"})
    order = insert(
        db, "order", {"select": "Blue widgets", "group": "garden tools", "user_id": user}
    )
    query = "SELECT id FROM \"order\" WHERE search_vector @@ to_tsquery('english', %s)"
    assert db.run(query, ["widget"]) == [(order,)] and db.run(query, ["tool"]) == [(order,)]


def test_sqlite_fts5_index_follows_inserts_updates_and_deletes(lite: Callable[[str], Db]) -> None:
    db = lite(render(system("soft_delete_search"), "sqlite"))
    found = "SELECT a.id FROM articles_fts JOIN articles AS a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH %s"
    article = insert(db, "articles", ARTICLE)
    assert db.run(found, ["keyboards"]) == [(article,)]
    db.run("UPDATE articles SET title = %s WHERE id = %s", ["Quiet trackballs", article])
    assert db.run(found, ["keyboards"]) == [] and db.run(found, ["trackballs"]) == [(article,)]
    db.run("DELETE FROM articles WHERE id = %s", [article])
    assert db.run("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'trackballs'") == [
        (0,)
    ]


def test_mariadb_fulltext_index_matches(maria: Callable[[str], Db]) -> None:
    db = maria(render(system("soft_delete_search"), "mysql"))
    db.run("INSERT INTO articles (title, body, slug) VALUES (%s, %s, %s)", list(ARTICLE.values()))
    assert db.run(
        "SELECT slug FROM articles WHERE MATCH(title, body) AGAINST (%s)", ["switches"]
    ) == [("deep",)]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_cycle_and_self_reference_are_enforced(
    request: pytest.FixtureRequest, dialect: str
) -> None:
    sql = render(system("cycles"), dialect)
    if get_dialect(dialect).alter_add_foreign_key:
        assert (
            "ALTER TABLE departments ADD CONSTRAINT fk_departments_head_id FOREIGN KEY (head_id) REFERENCES employees (id) ON DELETE SET NULL;"
            in sql
        )
    db = apply_to(request, dialect, sql)
    dept = insert(db, "departments", {"name": "R&D"})
    boss = insert(
        db,
        "employees",
        {"name": "Ada", "hired_on": "2020-01-01", "salary": "1.00", "department_id": dept},
    )
    db.run("UPDATE employees SET manager_id = %s WHERE id = %s", [boss, boss])  # self-reference
    db.run("UPDATE departments SET head_id = %s WHERE id = %s", [boss, dept])  # closes the cycle
    missing = str(uuid.uuid4())
    for table, column in (
        ("departments", "head_id"),
        ("employees", "manager_id"),
        ("employees", "department_id"),
    ):
        with pytest.raises(db.errors):
            db.run(f"UPDATE {table} SET {column} = %s", [missing])
    db.run("DELETE FROM employees WHERE id = %s", [boss])  # ON DELETE SET NULL on the deferred key
    assert db.run("SELECT head_id FROM departments") == [(None,)]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_rbac_tables_hold_the_declared_roles(request: pytest.FixtureRequest, dialect: str) -> None:
    spec = system("shop")
    db = apply_to(request, dialect, render(spec, dialect))
    rows = db.run(
        "SELECT r.name, p.name FROM role_permissions AS rp JOIN roles AS r ON r.id = rp.role_id JOIN permissions AS p ON p.id = rp.permission_id"
    )
    assert sorted(rows) == sorted((r.name, p) for r in spec.security.roles for p in r.permissions)
    assert sorted(db.run("SELECT name, description FROM roles")) == sorted(
        (r.name, r.description) for r in spec.security.roles
    )
    with pytest.raises(db.errors):  # user_roles.user_id references users
        db.run(
            "INSERT INTO user_roles (user_id, role_id) SELECT %s, id FROM roles",
            [str(uuid.uuid4())],
        )


def test_rbac_without_users_table_says_so_and_omits_the_key(lite: Callable[[str], Db]) -> None:
    sql = render(system("soft_delete_search"), "sqlite")
    assert "-- The spec has no 'users' table, so user_roles.user_id references nothing." in sql
    db = lite(sql)
    db.run(
        "INSERT INTO user_roles (user_id, role_id) SELECT %s, id FROM roles WHERE name = 'editor'",
        [str(uuid.uuid4())],
    )
    assert db.run("SELECT count(*) FROM role_permissions") == [(2,)]


def test_no_roles_no_rbac_tables() -> None:
    assert not [t for t in system("cycles").platform_tables if t.platform == "access-control"]
    assert "roles" not in render(system("cycles"), "postgresql")


HOSTILE_DEFAULTS = {
    "motto": "it's \\'; DROP TABLE users; --",
    "note": "back\\slash 'quote' \n newline",
    "mood": "it's",
}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_hostile_text_stays_data(request: pytest.FixtureRequest, dialect: str) -> None:
    spec = system("hostile")
    db = apply_to(request, dialect, render(spec, dialect))
    db.run("INSERT INTO users (email) VALUES (%s)", ["a@example.com"])
    got = db.run("SELECT motto, note, mood FROM users")
    assert got == [tuple(HOSTILE_DEFAULTS.values())]  # defaults arrive byte for byte
    db.run("INSERT INTO users (email, mood) VALUES (%s, %s)", ["b@example.com", "a\\b"])
    assert db.run("SELECT description FROM roles") == [(spec.security.roles[0].description,)]
    tables = {
        "postgresql": "SELECT count(*) FROM pg_tables WHERE tablename = 'users'",
        "sqlite": "SELECT count(*) FROM sqlite_master WHERE name = 'users'",
        "mysql": "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'users'",
    }
    assert db.run(tables[dialect]) == [(1,)]


def test_hostile_descriptions_round_trip_as_postgresql_comments(pg: Callable[[str], Db]) -> None:
    db = pg(render(system("hostile"), "postgresql"))
    assert db.run("SELECT obj_description('users'::regclass, 'pg_class')") == [(HOSTILE_TABLE,)]
    assert db.run("SELECT col_description('users'::regclass, 2)") == [
        ("x'); DROP TABLE users; --",)
    ]


def test_hostile_descriptions_round_trip_as_mariadb_comments(maria: Callable[[str], Db]) -> None:
    db = maria(render(system("hostile"), "mysql"))
    assert db.run(
        "SELECT table_comment FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'users'"
    ) == [(HOSTILE_TABLE,)]


def test_sqlite_comments_cannot_end_early() -> None:
    sql = render(system("hostile"), "sqlite")
    assert "-- '); DROP TABLE users; --\n-- DROP TABLE users;\n-- still a comment" in sql
    code = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    assert not [line for line in code if line.startswith("DROP")]


def test_reserved_words_are_quoted_per_dialect() -> None:
    pg_sql, lite_sql, my_sql = (render(system("reserved_words"), d) for d in DIALECTS)
    assert (
        'CREATE TABLE "order" (' in pg_sql
        and '"select" VARCHAR(100) NOT NULL' in pg_sql
        and 'CREATE TABLE "user" (' in pg_sql
    )
    assert 'CREATE TABLE "order" (' in lite_sql and '"group" TEXT' in lite_sql
    assert (
        "CREATE TABLE `order` (" in my_sql and "`window` ENUM('select', 'from', 'where')" in my_sql
    )
    assert "CREATE TABLE `group` (" in my_sql


def test_long_derived_names_are_shortened_stably() -> None:
    sql = render(system("long_names"), "postgresql")
    names = [
        w.strip('"(')
        for line in sql.splitlines()
        for w in line.split()
        if w.startswith(("fk_", "uq_", "ck_", "trg_", "idx_", "active_"))
    ]
    assert names and max(len(n) for n in names) <= 63
    assert len({n for n in names if n.startswith("uq_")}) == 2  # hash suffixes keep them apart
    assert short_name("x" * 70) == short_name("x" * 70) != short_name("x" * 71)
    assert len(short_name("fk", "a" * 63, "b" * 63)) == 63


def test_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="oracle"):
        render(system("shop"), "oracle")


# --- creation order ------------------------------------------------------------


@dataclass(frozen=True)
class _Fk:
    column: str
    target_table: str
    nullable: bool


@dataclass(frozen=True)
class _Table:
    table: str
    foreign_keys: tuple[_Fk, ...]


@st.composite
def _schemas(draw: st.DrawFn) -> tuple[_Table, ...]:
    count = draw(st.integers(1, 12))
    names = [f"t{i}" for i in range(count)]
    targets = st.sampled_from([*names, "outside"])  # "outside": a table the spec lacks
    keys = st.lists(st.tuples(targets, st.booleans()), max_size=3)
    return tuple(
        _Table(name, tuple(_Fk(f"c{k}", t, n) for k, (t, n) in enumerate(draw(keys))))
        for name in names
    )


@given(_schemas())
@settings(max_examples=300, deadline=None)
def test_creation_order_creates_targets_first_or_defers_the_key(
    tables: tuple[_Table, ...],
) -> None:
    ordered, deferred = creation_order(tables)  # type: ignore[arg-type]
    assert sorted(t.table for t in ordered) == sorted(t.table for t in tables)
    position = {t.table: i for i, t in enumerate(ordered)}
    for table in ordered:
        for fk in table.foreign_keys:
            if fk.target_table in position:
                later = position[fk.target_table] > position[table.table]
                assert ((table.table, fk.column) in deferred) == later, (table.table, fk)
    in_order = all(
        fk.target_table in {x.table for x in tables[: i + 1]}
        for i, t in enumerate(tables)
        for fk in t.foreign_keys
    )
    if in_order:  # spec order already works: it is kept
        assert [t.table for t in ordered] == [t.table for t in tables]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_bigint_keys_count_and_string_keys_are_chosen(
    request: pytest.FixtureRequest, dialect: str
) -> None:
    db = apply_to(request, dialect, render(system("keys"), dialect))
    first = insert(db, "users", {"username": "ada"})
    second = insert(db, "users", {"username": "grace"})
    assert (first, second) == ("1", "2")  # identity, not a UUID
    db.run("INSERT INTO countries (id, name) VALUES (%s, %s)", ["de", "Germany"])
    db.run("UPDATE users SET country_id = %s WHERE id = %s", ["de", int(first)])
    with pytest.raises(db.errors):  # the natural key is a real foreign key
        db.run("UPDATE users SET country_id = %s WHERE id = %s", ["xx", int(second)])
    comment = insert(db, "comments", {"body": "hi", "author_id": int(second)})
    assert comment == "1"
