"""One finding for the API side and the database side of the same change.

Why: a column dropped while the API still returns it is reported twice elsewhere
(a removed response property, a destructive migration); what a reviewer needs is
the one change and the safe order to ship it in. Each finding here names that
sequence. Coupled findings are about exposed columns only: a column no resource
shows is a database change and nothing more.
"""

from __future__ import annotations

from generator.diff.renames import find_renames, renamed_system
from generator.diff.report import Change
from generator.diff.types import describe, type_change
from generator.model import Column, Entity, System

DROP_SEQUENCE = (
    "ship it in two releases: first stop returning and accepting the field (clients move off it), "
    "then drop the column once no deployed client reads it"
)
RETYPE_SEQUENCE = (
    "expand/contract: add a column of the new type, dual-write both, backfill, switch reads and "
    "the API to the new column, then drop the old one"
)
RENAME_SEQUENCE = (
    "the column is renamed in place and keeps its values, but clients send and read the old "
    "name: serve both names for a release (accept either, return both) before the rename, "
    "or ship it in a new API version"
)
REQUIRE_SEQUENCE = (
    "give the field a default (the API then accepts requests without it) or: backfill existing "
    "rows, require it in the API, and only then make the column NOT NULL"
)


def coupled_changes(old: System | None, new: System | None) -> list[Change]:
    if old is None or new is None:
        return []
    out: list[Change] = []
    renames = find_renames(old, new)
    for r in renames.columns:
        resource = old.resource_of(r.old_entity.name)
        if resource is None or r.old.name not in resource.exposed:
            continue
        if r.old.generated:
            continue
        table = r.new_entity.table
        out.append(
            Change(
                "coupled.exposed-column-renamed",
                "breaking",
                "coupled",
                f"{r.old_entity.name}.{r.old.json_name} becomes {r.new_entity.name}."
                f"{r.new.json_name} in the API (clients see a field removed and one added) "
                f"while column {r.old_entity.table}.{r.old.name} is renamed to {table}."
                f"{r.new.name} in place",
                r.new.location,
                f"{table}.{r.new.name}",
                RENAME_SEQUENCE,
            )
        )
    after = {e.table: e for e in new.entities}
    for original, a in zip(old.entities, renamed_system(old, renames).entities, strict=True):
        b = after.get(a.table)
        resource = old.resource_of(original.name)
        if b is None or resource is None:
            continue
        exposed = {renames.column(original.table, c) for c in resource.exposed}
        for column in a.columns:
            if column.name in exposed and not column.generated:
                out += _column(a, b, column)
        known = {c.name for c in a.columns}
        for c in b.columns:
            if c.role not in ("field", "foreign-key") or c.name in known:
                continue
            if not c.nullable and c.default is None:
                out.append(
                    Change(
                        "coupled.required-field-added",
                        "breaking",
                        "coupled",
                        f"{b.name}.{c.json_name} is a new required field in create requests and "
                        f"a new NOT NULL column {b.table}.{c.name} without a default",
                        c.location,
                        f"{b.table}.{c.name}",
                        REQUIRE_SEQUENCE,
                    )
                )
    return out


def _column(a: Entity, b: Entity, column: Column) -> list[Change]:
    path = f"{a.table}.{column.name}"
    field = column.json_name
    try:
        c = b.column(column.name)
    except KeyError:
        return [
            Change(
                "coupled.exposed-column-dropped",
                "breaking",
                "coupled",
                f"{a.name}.{field} is dropped from the API and column {path} from the database "
                "with its values",
                column.location,
                path,
                DROP_SEQUENCE,
                destructive=True,
            )
        ]
    out = []
    if type_change(column, c) in ("narrow", "change"):
        out.append(
            Change(
                "coupled.exposed-column-retyped",
                "breaking",
                "coupled",
                f"{a.name}.{field} changes type in the API and column {path} in the database "
                f"({describe(column)} -> {describe(c)})",
                c.location,
                path,
                RETYPE_SEQUENCE,
                destructive=True,
            )
        )
    if column.nullable and not c.nullable and c.default is None and c.role == "field":
        out.append(
            Change(
                "coupled.field-became-required",
                "breaking",
                "coupled",
                f"{a.name}.{field} becomes required in create requests and column {path} "
                "NOT NULL, with no default for existing clients or rows",
                c.location,
                path,
                REQUIRE_SEQUENCE,
            )
        )
    return out
