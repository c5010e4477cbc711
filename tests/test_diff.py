"""`archsmith diff`: migrations proven on real databases, findings on a corpus of edits.

For each pair of specs and each dialect: the old DDL is applied, rows are inserted,
the migration runs, and the resulting catalog must equal that of a database built
fresh from the new DDL; the rows that survive keep their values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.diff.ddl import schema_ddl
from generator.diff.migration import plan_migration
from generator.emitters.sql import DIALECTS, render
from generator.model import System
from generator.pipeline import load_text
from tests.diff_cases.harness import catalog, populate, run_migration, snapshot
from tests.test_sql import (  # noqa: F401  (fixtures, reached through apply_to)
    apply_to,
    lite,
    maria,
    mysql_settings,
    pg,
    pg_server,
    private_mariadb,
)

CASES = Path(__file__).resolve().parent / "diff_cases"


def check_migration(
    request: pytest.FixtureRequest, dialect: str, old: System | None, new: System | None
) -> None:
    """Old DDL + rows + migration == fresh new DDL, and kept rows keep their values."""
    migration = plan_migration(old, new, dialect)
    before, after = schema_ddl(old, dialect), schema_ddl(new, dialect)
    empty = "SELECT 1;" if dialect != "sqlite" else ""
    db = apply_to(request, dialect, render(old, dialect) if old else empty)
    risky = {s.table for s in migration.statements if any(r == "may-fail" for r, _ in s.risks)}
    filled = populate(db, before, risky) if old else set()
    kept = {t for t in filled if t in after.tables}
    old_rows = snapshot(db, before, kept)
    run_migration(db, migration)
    if dialect == "sqlite":
        assert db.run("PRAGMA foreign_key_check") == []
    fresh = apply_to(request, dialect, render(new, dialect) if new else empty)
    got, want = catalog(db), catalog(fresh)
    assert got == want, _catalog_difference(got, want)
    new_rows = snapshot(db, after, kept)
    for table in kept:
        same = [
            c
            for c, col in before.tables[table].columns.items()
            if col.column is not None and after.tables[table].columns.get(c) == col
        ]
        for column in same:
            assert new_rows[table][column] == old_rows[table][column], (table, column)


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
    "drop-entity": BASE.replace("  Note:", "  Gone:").replace(
        "resources: {notes: {entity: Note}}", "resources: {users: {entity: User}}"
    ),
}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_migration_reaches_the_new_schema(
    request: pytest.FixtureRequest, dialect: str, edit: str
) -> None:
    check_migration(request, dialect, load_text(BASE), load_text(EDITS[edit]))
