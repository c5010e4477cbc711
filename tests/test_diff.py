"""`archsmith diff`: migrations proven on real databases, findings on a corpus of edits.

For each pair of specs and each dialect: the old DDL is applied, rows are inserted,
the migration runs, and the resulting catalog must equal that of a database built
fresh from the new DDL; the rows that survive keep their values.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Location, SpecError
from generator.diff import (
    Change,
    ChangeReport,
    diff_systems,
    exit_code,
    format_github,
    format_json,
    format_markdown,
    format_sarif,
    format_text,
    migrations,
    pair_specs,
    specs_at_revision,
    write_files,
)
from generator.diff.ddl import schema_ddl
from generator.diff.git import GitError, systems_at_revision
from generator.diff.migration import plan_migration
from generator.diff.report import LEVELS
from generator.emitters.openapi import build_document
from generator.emitters.sql import DIALECTS, render
from generator.model import System
from generator.pipeline import load_system, load_text
from tests.diff_cases.harness import Workspace, catalog, populate, run_migration, snapshot
from tests.profiles import examples
from tests.test_properties import FIELD_TYPES, dump, field_names, specs
from tests.test_sql import (  # noqa: F401  (fixtures, reached through apply_to)
    Db,
    apply_to,
    lite,
    maria,
    mysql_settings,
    pg,
    pg_server,
    private_mariadb,
)
from tests.test_sql import _mysql_settings as _configured_mysql

CASES = Path(__file__).resolve().parent / "diff_cases"


def _declared_renames(
    old: System | None, new: System | None
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Read from the specs, not the planner: old table -> new, new table -> {new col: old}."""
    if old is None or new is None:
        return {}, {}
    by_name = {e.name: e for e in old.tables}
    tables: dict[str, str] = {}
    columns: dict[str, dict[str, str]] = {}
    for e in new.tables:
        a = by_name.get(e.renamed_from or "") if e.name not in by_name else None
        if a is not None:
            tables[a.table] = e.table
        a = a or next((o for o in old.tables if o.table == e.table), None)
        if a is None:
            continue
        names = {c.name for c in a.columns}
        for c in e.columns:
            if c.renamed_from in names and c.name not in names:
                columns.setdefault(e.table, {})[c.name] = c.renamed_from
    return tables, columns


def check_migration(
    fresh: Callable[[str], Db], dialect: str, old: System | None, new: System | None
) -> set[str]:
    """Old DDL + rows + migration == fresh new DDL, and kept rows keep their values.

    `fresh(sql)` gives a database with only `sql` applied; it may reuse the last one.
    A declared rename keeps its rows too: its values are compared under the new name.
    Returns the `table.column` of the renamed columns whose values were compared."""
    migration = plan_migration(old, new, dialect)
    before, after = schema_ddl(old, dialect), schema_ddl(new, dialect)
    db = fresh(render(old, dialect) if old else "")
    risky = {s.table for s in migration.statements if any(r == "may-fail" for r, _ in s.risks)}
    # The RBAC tables hold seed rows the migration itself rewrites.
    seeded = (
        {t.table for t in old.platform_tables if t.platform == "access-control"} if old else set()
    )
    filled = populate(db, before, risky | seeded) if old else set()
    tables, renamed = _declared_renames(old, new)
    kept = {t for t in filled if tables.get(t, t) in after.tables}
    old_rows = snapshot(db, before, kept)
    run_migration(db, migration)
    if dialect == "sqlite":
        assert db.run("PRAGMA foreign_key_check") == []
    got = catalog(db)
    new_rows = snapshot(db, after, {tables.get(t, t) for t in kept})
    want = catalog(fresh(render(new, dialect) if new else ""))
    assert got == want, _catalog_difference(got, want)
    checked: set[str] = set()
    for table in kept:
        now = tables.get(table, table)
        was = renamed.get(now, {})
        for c, col in after.tables[now].columns.items():
            before_col = before.tables[table].columns.get(was.get(c, c))
            if col.column is None or before_col is None or before_col.column is None:
                continue
            same_type = (before_col.type, before_col.nullable) == (col.type, col.nullable)
            if c in was or (now != table and same_type):  # renamed: compared by new name
                assert new_rows[now][c] == old_rows[table][was.get(c, c)], (now, c)
                checked.add(f"{now}.{c}")
            elif before_col == col:
                assert new_rows[now][c] == old_rows[table][c], (table, c)
    return checked


def _catalog_difference(got: dict[str, Any], want: dict[str, Any]) -> str:
    lines = []
    for key in sorted(set(got) | set(want)):
        g, w = got.get(key), want.get(key)
        if g == w:
            continue
        if isinstance(g, list) and isinstance(w, list):
            lines.append(
                f"{key}: extra {sorted(set(g) - set(w))} missing {sorted(set(w) - set(g))}"
            )
        else:
            lines.append(f"{key}:\n  got  {g}\n  want {w}")
    return "\n".join(lines)


BASE = """
system: {name: Notes}
entities:
  User:
    fields:
      email: {type: email, unique: true}
      name: string
  Note:
    soft_delete: true
    fields: {title: string, body: text}
    relations:
      owner: {target: User, on_delete: cascade}
    search: {title: A, body: B}
api:
  resources: {notes: {entity: Note}}
security:
  roles: {admin: {permissions: ["*"]}}
"""

EDITS = {
    "widen-and-add": BASE.replace(
        "name: string",
        "name: {type: string, max_length: 300, nullable: true}\n      age: {type: integer, nullable: true}",
    ).replace("body: B", "body: C"),
    # A declared rename of a soft-deleted, searchable table, of a searched field and of a
    # relation: the view, the search objects and the partial unique index follow.
    "rename-entity-field-relation": BASE.replace("  Note:", "  Memo:\n    renamed_from: Note")
    .replace("title: string", "heading: {type: string, renamed_from: title}")
    .replace("title: A", "heading: A")
    .replace("      owner: {target: User", "      author: {renamed_from: owner, target: User")
    .replace("{entity: Note}", "{entity: Memo}"),
    "drop-entity": BASE.replace("  Note:", "  Gone:").replace(
        "resources: {notes: {entity: Note}}", "resources: {users: {entity: User}}"
    ),
}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_migration_reaches_the_new_schema(
    request: pytest.FixtureRequest, dialect: str, edit: str
) -> None:
    def fresh(sql: str) -> Db:
        if not sql and dialect != "sqlite":
            sql = "SELECT 1;"  # the drivers refuse an empty query
        return apply_to(request, dialect, sql)

    check_migration(fresh, dialect, load_text(BASE), load_text(EDITS[edit]))


# --- random pairs: a valid spec and a mutation of it ----------------------------

MUTATIONS = (
    "add-field",
    "drop-field",
    "retype-field",
    "toggle-nullable",
    "resize-field",
    "set-default",
    "toggle-unique",
    "enum-values",
    "add-entity",
    "drop-entity",
    "add-relation",
    "drop-relation",
    "add-index",
    "drop-index",
    "toggle-soft-delete",
    "toggle-versioned",
    "toggle-search",
    "describe",
    "roles",
)
_DEFAULTS = {"string": "x", "text": "t", "integer": 7, "bigint": 9, "boolean": True, "float": 1.5}


def _mutate(draw: st.DrawFn, spec: dict[str, Any]) -> None:
    entities: dict[str, Any] = spec["entities"]
    name = draw(st.sampled_from(sorted(entities)))
    e = entities[name]
    fields: dict[str, Any] = e["fields"]
    kind = draw(st.sampled_from(MUTATIONS))
    field = draw(st.sampled_from(sorted(fields))) if fields else None
    if kind == "add-field" or field is None:
        new = draw(field_names.filter(lambda n: n not in fields and n not in e["relations"]))
        ftype = draw(st.sampled_from(FIELD_TYPES))
        fields[new] = {"type": ftype, "nullable": draw(st.booleans())}
        if ftype == "enum":
            fields[new]["values"] = ["a", "b"]
        if ftype in _DEFAULTS and draw(st.booleans()):
            fields[new]["default"] = _DEFAULTS[ftype]
    elif kind == "drop-field" and len(fields) > 1:
        del fields[field]
        e["search"] = {f: w for f, w in e["search"].items() if f != field}
        e["indexes"] = [ix for ix in e.get("indexes", []) if field not in ix["fields"]]
    elif kind == "retype-field":
        ftype = draw(st.sampled_from(FIELD_TYPES))
        fields[field] = {"type": ftype, "nullable": fields[field]["nullable"]}
        if ftype == "enum":
            fields[field]["values"] = ["a", "b", "c"]
        if ftype not in ("string", "text"):
            e["search"] = {f: w for f, w in e["search"].items() if f != field}
            e["indexes"] = [ix for ix in e.get("indexes", []) if field not in ix["fields"]]
    elif kind == "toggle-nullable":
        fields[field]["nullable"] = not fields[field]["nullable"]
    elif kind == "resize-field" and fields[field]["type"] in ("string", "email", "url"):
        fields[field]["max_length"] = draw(st.sampled_from([20, 100, 300]))
    elif kind == "set-default" and fields[field]["type"] in _DEFAULTS:
        fields[field]["default"] = _DEFAULTS[fields[field]["type"]]
    elif kind == "toggle-unique" and fields[field]["type"] in ("string", "integer", "email"):
        fields[field]["unique"] = not fields[field].get("unique", False)
    elif kind == "enum-values" and fields[field]["type"] == "enum":
        values = fields[field]["values"]
        fields[field]["values"] = values[:-1] if len(values) > 1 else [*values, "zz"]
    elif kind == "add-entity":
        new = f"Added{len(entities)}"
        entities[new] = {
            "fields": {"label": {"type": "string"}},
            "relations": {"parent": {"target": name, "nullable": True, "on_delete": "cascade"}},
            "soft_delete": draw(st.booleans()),
            "versioned": False,
            "search": {},
        }
        spec["api"]["resources"][f"added-{len(entities)}s"] = {"entity": new}
    elif kind == "drop-entity" and len(entities) > 1:
        del entities[name]
        for other in entities.values():
            other["relations"] = {
                r: rel for r, rel in other["relations"].items() if rel["target"] != name
            }
        resources = spec["api"]["resources"]
        gone = [r for r, res in resources.items() if res["entity"] == name]
        for r in gone:
            del resources[r]
        viewer = spec["security"]["roles"]["viewer"]
        viewer["permissions"] = [p for p in viewer["permissions"] if p.split(":")[0] not in gone]
    elif kind == "add-relation":
        target = draw(st.sampled_from(sorted(entities)))
        kind = draw(st.sampled_from(["many-to-one", "one-to-one", "many-to-many"]))
        e["relations"][f"extra_{target.lower()}"] = {
            "target": target,
            "kind": kind,
            "nullable": True,
            "on_delete": "cascade" if kind == "many-to-many" else "set-null",
        }
    elif kind == "drop-relation" and e["relations"]:
        del e["relations"][draw(st.sampled_from(sorted(e["relations"])))]
    elif kind == "add-index":
        e.setdefault("indexes", []).append(
            {"fields": [field], "unique": draw(st.booleans()) and fields[field]["type"] != "text"}
        )
    elif kind == "drop-index" and e.get("indexes"):
        e["indexes"].pop()
    elif kind == "toggle-soft-delete":
        e["soft_delete"] = not e["soft_delete"]
    elif kind == "toggle-versioned":
        e["versioned"] = not e["versioned"]
    elif kind == "toggle-search":
        text = [f for f, s in fields.items() if s["type"] in ("string", "text")]
        e["search"] = {} if e["search"] else dict.fromkeys(text, "B")
    elif kind == "describe":
        e["description"] = "" if e.get("description") else "Described now."
        fields[field]["description"] = "" if fields[field].get("description") else "A field."
    elif kind == "roles":
        roles = spec["security"]["roles"]
        if "editor" in roles:
            del roles["editor"]
        else:
            roles["editor"] = {"permissions": [f"{r}:update" for r in spec["api"]["resources"]]}


@st.composite
def spec_pairs(draw: st.DrawFn) -> tuple[str, str]:
    old = draw(specs())
    for e in old["entities"].values():
        for relation in e["relations"].values():
            if relation["kind"] == "many-to-many":
                # A join-table key column cannot be SET NULL; MariaDB refuses the DDL
                # (an emitter/validator gap, not a migration question).
                relation["on_delete"] = "cascade"
    new = copy.deepcopy(old)
    for _ in range(draw(st.integers(1, 3))):
        _mutate(draw, new)
    return dump(old), dump(new)


def _load_pair(pair: tuple[str, str]) -> tuple[System, System]:
    try:
        return load_text(pair[0], "old.yaml"), load_text(pair[1], "new.yaml")
    except SpecError:
        assume(False)  # a mutation the spec refuses (e.g. an index on a json field)
        raise


# Pairs per dialect in make test. Measured on the shared 2-core VM: a pair costs
# ~0.06 s on SQLite, ~0.23 s on PostgreSQL and ~0.29 s on MariaDB with the shared
# tablespace (1.5 s with a file per table and four other test runs on the machine).
# ARCHSMITH_FUZZ_CASES sets every dialect's count (make fuzz).
_FUZZ = os.environ.get("ARCHSMITH_FUZZ_CASES")
_BUDGET = {"sqlite": 200, "postgresql": 200, "mysql": 200}
PAIRS = {d: int(_FUZZ) if _FUZZ else examples(_BUDGET[d]) for d in DIALECTS}


class _Workspaces(dict[str, Workspace]):
    """Opened on first use, so a run of SQLite tests starts no server."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        super().__init__()
        self.request = request

    def __missing__(self, dialect: str) -> Workspace:
        server: Any = None
        if dialect == "postgresql":
            server = self.request.getfixturevalue("pg_server")
        elif dialect == "mysql":
            server = self.request.getfixturevalue("mysql_settings")
            if server != _configured_mysql():
                _tablespace_per_server(server)
        self[dialect] = Workspace(dialect, server)
        return self[dialect]


def _tablespace_per_server(settings: dict[str, Any]) -> None:
    """On this session's own throwaway MariaDB only: tables in the shared tablespace,
    which makes DDL ~1.7x faster (no file per table) and changes no catalog we compare."""
    import pymysql

    with pymysql.connect(**settings, autocommit=True) as conn:
        conn.cursor().execute("SET GLOBAL innodb_file_per_table = OFF")


@pytest.fixture(scope="module")
def workspaces(request: pytest.FixtureRequest) -> Iterator[dict[str, Workspace]]:
    opened = _Workspaces(request)
    yield opened
    for ws in opened.values():
        ws.close()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_random_spec_pairs_migrate_to_the_new_schema(
    workspaces: dict[str, Workspace], dialect: str
) -> None:
    ws = workspaces[dialect]

    @settings(
        derandomize=True,
        database=None,
        max_examples=PAIRS[dialect],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(spec_pairs())
    def property(pair: tuple[str, str]) -> None:
        old, new = _load_pair(pair)
        check_migration(ws.fresh, dialect, old, new)

    property()


# --- the corpus: hand-written edits of one small spec, with what each must report --------

CORPUS = sorted((CASES / "cases").glob("*.yaml"))
BASE_SPEC = (CASES / "base.yaml").read_text()


def corpus_pair(path: Path) -> tuple[System, System, dict[str, Any]]:
    case = yaml.safe_load(path.read_text())
    text = BASE_SPEC
    for edit in case["edits"]:
        assert text.count(edit["replace"]) == 1, f"{path.name}: edit must match once: {edit}"
        text = text.replace(edit["replace"], edit["with"])
    old = load_text(BASE_SPEC, "base.yaml")
    new = load_text(text, f"{path.stem}.yaml")
    return old, new, case["expect"]


def test_the_corpus_has_at_least_30_cases() -> None:
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_case_is_classified_as_expected(path: Path) -> None:
    old, new, expect = corpus_pair(path)
    report = diff_systems(old, new)
    found: dict[str, set[str]] = {}
    for c in report.changes:
        found.setdefault(c.rule, set()).add(c.level)
    for rule, level in expect["rules"].items():
        assert level in found.get(rule, set()), f"{rule} {level} not in {sorted(found.items())}"
    for rule in expect.get("absent", ()):
        assert rule not in found, f"{rule} reported: {found[rule]}"
    highest = next((lvl for lvl in LEVELS if any(c.level == lvl for c in report.changes)), "none")
    assert highest == expect["level"], format_text([report])
    assert report.destructive == expect["destructive"], format_text([report])


# --- reports, formats, files, exit codes -----------------------------------------

SARIF_SCHEMA = Path(__file__).resolve().parent / "fixtures" / "lint" / "sarif-schema-2.1.0.json"


def _case(stem: str) -> tuple[System, System]:
    old, new, _ = corpus_pair(next(p for p in CORPUS if p.stem.endswith(stem)))
    return old, new


def test_sarif_is_valid_and_fingerprints_survive_moved_lines() -> None:
    old, new = _case("drop-exposed-field")
    log = json.loads(format_sarif([diff_systems(old, new)]))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    results = log["runs"][0]["results"]
    assert {r["level"] for r in results} >= {"error", "warning"}
    shifted = load_text("# a comment line moves everything down\n" + BASE_SPEC, "base.yaml")
    moved_new = load_text(
        "# a comment line moves everything down\n"
        + BASE_SPEC.replace("      pages: {type: integer, nullable: true}\n", ""),
        "new.yaml",
    )
    moved = json.loads(format_sarif([diff_systems(shifted, moved_new)]))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in moved] == [r["partialFingerprints"] for r in results]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in moved] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results
    ]


def test_removals_point_at_the_old_spec_and_additions_at_the_new() -> None:
    old, new = _case("drop-entity")
    report = diff_systems(old, new)
    dropped = next(c for c in report.changes if c.rule == "db.table-dropped")
    assert dropped.location.file == "base.yaml"
    assert dropped.location.line == BASE_SPEC.splitlines().index("  Loan:") + 1
    old, new = _case("add-entity")
    added = next(c for c in diff_systems(old, new).changes if c.rule == "db.table-added")
    assert added.location.file.endswith("add-entity.yaml")


def test_github_and_text_formats_escape_and_count() -> None:
    old, new = _case("narrow-string")
    report = diff_systems(old, new)
    github = format_github([report])
    assert github.startswith("::error file=")
    assert all(line.startswith("::") for line in github.splitlines())
    text = format_text([report])
    assert text.splitlines()[-1].startswith(f"{report.counts['breaking']} breaking")
    hostile = Change("api.x", "breaking", "api", "a\nb%c", Location("s,p:e.yaml", 1, 2), "p")
    line = format_github([ChangeReport("s", "a", "b", (hostile,))])
    assert line == "::error file=s%2Cp%3Ae.yaml,line=1,col=2,title=api.x::a%0Ab%25c\n"


def test_markdown_escapes_spec_text() -> None:
    hostile = Change(
        "db.x",
        "warning",
        "database",
        "<script>|x",
        Location("a.yaml", 1, 1),
        "p",
        "[y](javascript:z)",
    )
    md = format_markdown([ChangeReport("s", "a", "b", (hostile,))])
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "[y](" not in md and "\\[y\\](javascript:z)" in md  # brackets escaped: no link
    assert md.count("\n| ") == 3  # header, rule, one row: the | inside stayed in its cell


def test_json_is_stable_and_complete() -> None:
    old, new = _case("enum-value-removed")
    first = format_json([diff_systems(old, new)])
    assert first == format_json([diff_systems(*_case("enum-value-removed"))])
    data = json.loads(first)["reports"][0]
    assert data["counts"]["breaking"] >= 1 and data["changes"][0]["level"] == "breaking"
    assert {"id", "rule", "side", "file", "line", "column", "destructive"} <= set(
        data["changes"][0]
    )


def test_write_files_and_exit_codes() -> None:
    old, new = _case("drop-exposed-field")
    report = diff_systems(old, new)
    files = write_files(report, migrations(old, new))
    assert sorted(files) == [
        f"shelf/{name}"
        for name in (
            "changes.json",
            "changes.md",
            "migration.mysql.sql",
            "migration.postgresql.sql",
            "migration.sqlite.sql",
        )
    ]
    assert b"-- DESTRUCTIVE: drops column books.pages" in files["shelf/migration.postgresql.sql"]
    assert exit_code([report], "breaking") == 1
    assert exit_code([report], "destructive") == 1
    assert exit_code([report], "none") == 0
    widen = diff_systems(*_case("widen-string"))
    assert exit_code([widen], "breaking") == 0 and exit_code([widen], "destructive") == 0
    retyped = diff_systems(*_case("field-became-nullable"))
    assert exit_code([retyped], "breaking") == 1 and exit_code([retyped], "destructive") == 0


def test_added_and_deleted_specs_are_changes() -> None:
    base = load_text(BASE_SPEC, "base.yaml")
    added = diff_systems(None, base)
    assert any(c.rule == "spec.added" for c in added.changes) and not added.breaking
    deleted = diff_systems(base, None)
    assert deleted.breaking and deleted.destructive
    assert "DROP TABLE books;" in migrations(base, None)["postgresql"]
    assert "CREATE TABLE books (" in migrations(None, base)["sqlite"]


def test_no_change_no_migration() -> None:
    base = load_text(BASE_SPEC, "base.yaml")
    assert diff_systems(base, base).changes == ()
    for script in migrations(base, base).values():
        assert script.endswith("-- No schema changes.\n")


def test_postgresql_builds_indexes_on_kept_tables_concurrently_after_commit() -> None:
    old, new = _case("add-index")
    script = migrations(old, new)["postgresql"]
    body, commit, after = script.partition("\nCOMMIT;\n")
    assert commit and "CREATE INDEX CONCURRENTLY idx_books_title ON books (title);" in after
    assert "CONCURRENTLY" not in body


def test_sqlite_rebuilds_a_table_it_cannot_alter() -> None:
    old, new = _case("field-became-required")
    script = migrations(old, new)["sqlite"]
    steps = [
        "PRAGMA foreign_keys = OFF;",
        "BEGIN;",
        "CREATE TABLE _archsmith_new_members (",
        "INSERT INTO _archsmith_new_members (rowid, ",
        "DROP TABLE members;",
        "ALTER TABLE _archsmith_new_members RENAME TO members;",
        "PRAGMA foreign_key_check;",
        "COMMIT;",
        "PRAGMA foreign_keys = ON;",
    ]
    positions = [script.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "-- MAY-FAIL: existing NULLs in members.nickname" in script


def test_a_rename_is_never_guessed() -> None:
    old, new = _case("rename-field-undeclared")
    for script in migrations(old, new).values():
        assert "RENAME COLUMN" not in script
    dropped = next(c for c in diff_systems(old, new).changes if c.rule == "db.column-dropped")
    assert "expand/contract" in dropped.hint


def test_a_declared_rename_renames_in_place_first() -> None:
    old, new = _case("rename-and-widen")
    scripts = migrations(old, new)
    for dialect, script in scripts.items():
        assert "DROP COLUMN" not in script and "ADD COLUMN" not in script, dialect
        assert "RENAME COLUMN isbn TO ean" in script, dialect
    postgres = scripts["postgresql"]
    assert postgres.index("RENAME COLUMN isbn TO ean") < postgres.index("ALTER COLUMN ean TYPE")
    assert "RENAME CONSTRAINT uq_books_isbn TO uq_books_ean" in postgres
    assert "RENAME INDEX uq_books_isbn TO uq_books_ean" in scripts["mysql"]
    old, new = _case("rename-entity")
    scripts = migrations(old, new)
    assert "ALTER TABLE authors RENAME TO writers;" in scripts["postgresql"]
    assert "RENAME TABLE authors TO writers;" in scripts["mysql"]
    assert "ALTER TABLE authors RENAME TO writers;" in scripts["sqlite"]
    report = diff_systems(old, new)
    assert not report.destructive
    assert [c.rule for c in report.changes if c.side == "database"] == ["db.table-renamed"]


def test_a_rename_already_shipped_does_nothing() -> None:
    _, new = _case("rename-field-declared")
    assert diff_systems(new, new).changes == ()
    for script in migrations(new, new).values():
        assert script.endswith("-- No schema changes.\n")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_specs_at_a_revision_pair_by_slug(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    (repo / "specs" / "shelf.yaml").write_text(BASE_SPEC)
    (repo / "specs" / "gone.yaml").write_text("system: {name: Gone}\n")
    _git(repo, "add", "specs")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "mv", "specs/shelf.yaml", "specs/library.yaml")  # same slug, new file name
    _git(repo, "rm", "-q", "specs/gone.yaml")
    (repo / "specs" / "new.yaml").write_text("system: {name: Fresh}\n")
    at_head = specs_at_revision("HEAD", [Path("specs")], cwd=repo)
    assert sorted(at_head) == ["specs/gone.yaml", "specs/shelf.yaml"]
    old = systems_at_revision("HEAD", [Path("specs")], cwd=repo)
    assert old[0].source == "HEAD:specs/gone.yaml"
    new = [load_system(p) for p in sorted((repo / "specs").glob("*.yaml"))]
    pairs = pair_specs(old, new)
    assert [(o and o.slug, n and n.slug) for o, n in pairs] == [
        (None, "fresh"),
        ("gone", None),
        ("shelf", "shelf"),
    ]
    with pytest.raises(GitError):
        specs_at_revision("no-such-rev", [Path("specs")], cwd=repo)
    with pytest.raises(GitError):
        specs_at_revision("--output=x", [Path("specs")], cwd=repo)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_case_migrates_on_a_real_database(
    workspaces: dict[str, Workspace], dialect: str, path: Path
) -> None:
    old, new, expect = corpus_pair(path)
    checked = check_migration(workspaces[dialect].fresh, dialect, old, new)
    assert set(expect.get("renamed", ())) <= checked, (expect.get("renamed"), sorted(checked))


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("direction", ["create", "drop"])
def test_a_spec_added_or_deleted_migrates_from_or_to_nothing(
    workspaces: dict[str, Workspace], dialect: str, direction: str
) -> None:
    spec = load_system(Path(__file__).resolve().parent.parent / "specs" / "inkwell.yaml")
    old, new = (None, spec) if direction == "create" else (spec, None)
    check_migration(workspaces[dialect].fresh, dialect, old, new)


# --- an independent OpenAPI diff: fastify's openapi-schema-diff on the corpus --------------

TOOLS = Path(__file__).resolve().parent / "diff_tools"
# What openapi-schema-diff does not compare: security, x-roles, x-rate-limit, status codes.
_UNSEEN_BY_TOOL = (
    "api.security-",
    "api.role-",
    "api.error-status-",
    "api.rate-limit-",
)
# A route whose resource embeds another (`include=author`): the tool reports the embedded
# entity's change on it too, archsmith once, on the embedded entity's own routes.


# A renamed entity (`renamed_from:`): the tool sees its schema renamed (component name and
# the derived descriptions) on every route that returns or embeds it; archsmith compares
# what a client sends and reads, which is the same.


def _embeds_a_changed_entity(
    system: System, route: str, changed: set[str], renamed: frozenset[str] = frozenset()
) -> bool:
    op = next((o for o in system.api.operations if f"{o.method} {o.path}" == route), None)
    entity = system.find_entity(op.entity) if op is not None and op.entity else None
    if entity is None:
        return False
    changed_entities: set[str] = {
        o.entity for o in system.api.operations if f"{o.method} {o.path}" in changed and o.entity
    } | set(renamed)
    while True:  # embeds nest: a loan embeds a book, which embeds its author
        more = {
            e.name
            for e in system.entities
            if any(fk.target in changed_entities for fk in e.foreign_keys)
        }
        if more <= changed_entities:
            break
        changed_entities |= more
    return entity.name in changed_entities


def _tool_diff(tmp_path: Path, old: System, new: System) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (TOOLS / "node_modules" / "openapi-schema-diff").is_dir():
        pytest.skip("run `npm ci` in tests/diff_tools (needs node) for the independent diff")
    a, b = tmp_path / "old.json", tmp_path / "new.json"
    a.write_text(json.dumps(build_document(old)))
    b.write_text(json.dumps(build_document(new)))
    done = subprocess.run(
        [node, str(TOOLS / "compare.js"), str(a), str(b)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_agrees_with_openapi_schema_diff(tmp_path: Path, path: Path) -> None:
    old, new, _ = corpus_pair(path)
    tool = _tool_diff(tmp_path, old, new)
    report = diff_systems(old, new)
    api = [c for c in report.changes if c.side == "api"]

    def routes(rule: str) -> list[str]:
        return sorted(" ".join(c.path.split(" ", 2)[:2]) for c in api if c.rule == rule)

    assert routes("api.operation-added") == tool["added"]
    assert routes("api.operation-removed") == tool["deleted"]
    ours: dict[str, set[str]] = {}
    for c in api:
        if c.rule not in (
            "api.operation-added",
            "api.operation-removed",
            "api.security-scheme-changed",
        ):
            ours.setdefault(" ".join(c.path.split(" ", 2)[:2]), set()).add(c.rule)
    theirs = {r["route"] for r in tool["changed"]}
    old_names = {e.name for e in old.entities}
    renamed = frozenset(
        e.name for e in new.entities if e.renamed_from in old_names and e.name not in old_names
    )
    for route in theirs - set(ours):
        assert _embeds_a_changed_entity(new, route, set(ours), renamed), f"only the tool: {route}"
    for route in set(ours) - theirs:
        assert all(rule.startswith(_UNSEEN_BY_TOOL) for rule in ours[route]), (
            f"only archsmith: {route} {sorted(ours[route])}"
        )
