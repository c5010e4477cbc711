"""`archsmith diff`: what changed between two versions of a spec, on every side.

`diff_systems(old, new)` compares two resolved systems (None for a spec added or
deleted) and returns a ChangeReport: API changes from the two OpenAPI documents
(api.py), database changes from the two models (database.py), architecture changes
(architecture.py), and one coupled finding where an API and a database change are
the same edit (coupled.py). `migrations(old, new)` plans the SQL per dialect
(migration.py). Formats live in formats.py, git revisions in git.py. Nothing here
prints or writes files: `write_files` returns bytes for the CLI's safe writer.
"""

from __future__ import annotations

from typing import Literal

from generator.diff.api import api_changes
from generator.diff.architecture import architecture_changes
from generator.diff.coupled import coupled_changes
from generator.diff.database import database_changes
from generator.diff.formats import (
    FORMATS,
    format_github,
    format_json,
    format_markdown,
    format_sarif,
    format_text,
)
from generator.diff.git import pair_specs, specs_at_revision
from generator.diff.migration import migrations, plan_migration, render_migration
from generator.diff.report import Change, ChangeReport, ordered
from generator.model import System

FailOn = Literal["breaking", "destructive", "none"]

__all__ = [
    "FORMATS",
    "Change",
    "ChangeReport",
    "diff_systems",
    "exit_code",
    "format_github",
    "format_json",
    "format_markdown",
    "format_sarif",
    "format_text",
    "migrations",
    "pair_specs",
    "plan_migration",
    "render_migration",
    "specs_at_revision",
    "write_files",
]


def diff_systems(old: System | None, new: System | None) -> ChangeReport:
    if old is None and new is None:
        raise ValueError("diff_systems needs at least one system")
    either = new or old
    assert either is not None
    changes: list[Change] = [
        *coupled_changes(old, new),
        *api_changes(old, new),
        *database_changes(old, new),
        *architecture_changes(old, new),
    ]
    if old is None or new is None:
        changes.append(_spec_added_or_deleted(old, new))
    # Locking matters on the database the spec deploys to; the others' scripts say theirs.
    changes += _migration_risks(old, new, either.infrastructure.database)
    return ChangeReport(
        either.slug,
        old.source if old else None,
        new.source if new else None,
        ordered(changes),
    )


def _spec_added_or_deleted(old: System | None, new: System | None) -> Change:
    if new is not None:
        return Change(
            "spec.added",
            "info",
            "architecture",
            f"spec {new.slug} added",
            new.locate("system"),
            new.slug,
        )
    assert old is not None
    return Change(
        "spec.deleted",
        "breaking",
        "architecture",
        f"spec {old.slug} deleted: its API and database go away",
        old.locate("system"),
        old.slug,
        destructive=True,
    )


def _migration_risks(old: System | None, new: System | None, dialect: str) -> list[Change]:
    """Locking statements, as info: they decide when to run the migration."""
    either = new or old
    assert either is not None
    out = []
    for s in plan_migration(old, new, dialect).statements:
        for risk, why in s.risks:
            if risk == "locking":
                where = either.locate("entities")
                out.append(
                    Change(
                        f"migration.{dialect}-locking",
                        "info",
                        "database",
                        f"{dialect}: {why}",
                        where,
                        f"{dialect}:{why}",
                    )
                )
    return out


def write_files(report: ChangeReport, scripts: dict[str, str]) -> dict[str, bytes]:
    """Relative path -> content for `--out DIR`: the migrations, changes.md and changes.json."""
    base = report.slug
    files = {f"{base}/migration.{d}.sql": text.encode() for d, text in sorted(scripts.items())}
    files[f"{base}/changes.md"] = format_markdown([report]).encode()
    files[f"{base}/changes.json"] = format_json([report]).encode()
    return files


def exit_code(reports: list[ChangeReport], fail_on: FailOn) -> int:
    """0 when nothing `fail_on` names is found, 1 otherwise (2 is the CLI's, for bad input)."""
    if fail_on == "none":
        return 0
    if fail_on == "destructive":
        return int(any(r.destructive for r in reports))
    return int(any(r.breaking or r.destructive for r in reports))
