"""Database rules: SQL conventions checked on the resolved entities."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.diagnostics import Severity, quote
from generator.lint.registry import Finding, finding, rule

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.model import Column, Entity, Index, System

MONEY = re.compile(
    r"(^|_)(price|amount|total|cost|balance|fee|salary|revenue|subtotal|tax|discount|payment|refund)(_|$)"
)
ENUM_LIKE = re.compile(r"(^|_)(status|state|type|kind|category_type|stage|phase)$")


def _field_path(entity: Entity, column: Column) -> str:
    return f"entities.{entity.name}.fields.{column.name}"


def _entities(system: System) -> Iterator[Entity]:
    """Entities the user declared; generated join tables follow the rules by construction."""
    return (e for e in system.entities if not e.is_join_table)


def _covers(other: Index, j: int, index: Index, i: int) -> bool:
    """`other` serves every query `index` serves (an exact twin counts once)."""
    if j == i or other.where != index.where or other.columns[: len(index.columns)] != index.columns:
        return False
    return len(other.columns) > len(index.columns) or j < i


@rule(
    "DB001",
    Severity.WARNING,
    "No index is a prefix of another",
    """Indexes cover what queries filter by; an index whose columns lead another
      index (same filter) is never needed for reads but costs every write.""",
)
def redundant_indexes(system: System) -> Iterator[Finding]:
    for entity in _entities(system):
        declared = [ix for ix in entity.indexes if ix.origin == "declared"]
        for i, index in enumerate(declared):
            covering = next(
                (other for j, other in enumerate(declared) if _covers(other, j, index, i)), None
            )
            if covering is not None and not index.unique:
                yield finding(
                    system,
                    "DB001",
                    f"entities.{entity.name}.indexes.{i}",
                    f"index ({', '.join(index.columns)}) on {entity.table} is covered by "
                    f"({', '.join(covering.columns)})",
                    "remove the shorter index",
                    location=index.location,
                )


@rule(
    "DB002",
    Severity.WARNING,
    "Tables keep created/updated timestamps",
    """Every table carries `created_at` and `updated_at`; without them support,
      audits and incremental sync have nothing to go on.""",
)
def timestamps(system: System) -> Iterator[Finding]:
    for entity in _entities(system):
        if not entity.timestamps:
            yield finding(
                system,
                "DB002",
                f"entities.{entity.name}.timestamps",
                f"{entity.name} has no created_at/updated_at",
                "remove 'timestamps: false'",
            )


@rule(
    "DB003",
    Severity.ERROR,
    "Money is never a float",
    """Prices are stored as `DECIMAL(10, 2)`: binary floats cannot represent 0.10
      exactly, so sums of money drift by cents.""",
)
def money_float(system: System) -> Iterator[Finding]:
    for entity in _entities(system):
        for column in entity.fields:
            if column.type == "float" and MONEY.search(column.name):
                yield finding(
                    system,
                    "DB003",
                    _field_path(entity, column),
                    f"{entity.name}.{column.name} holds money as a float",
                    "use 'type: decimal' with precision and scale (e.g. 12, 2)",
                )


@rule(
    "DB004",
    Severity.WARNING,
    "Status-like fields are enums",
    """Roles and statuses are constrained to known values; a free-text `status`
      accepts typos that no query will ever find.""",
)
def enum_like(system: System) -> Iterator[Finding]:
    for entity in _entities(system):
        for column in entity.fields:
            if column.type in ("string", "text") and ENUM_LIKE.search(column.name):
                yield finding(
                    system,
                    "DB004",
                    _field_path(entity, column),
                    f"{entity.name}.{column.name} is free text but names a fixed set of values",
                    "use 'type: enum' with 'values: [...]'",
                )


@rule(
    "DB005",
    Severity.INFO,
    "Unique fields on soft-deleted tables",
    """With soft deletes, `email` is unique only `WHERE deleted_at IS NULL`, so
      a deleted account does not block the address. archsmith generates that partial index;
      MySQL has no partial indexes, so there the deleted row keeps the value taken.""",
)
def soft_delete_unique(system: System) -> Iterator[Finding]:
    mysql = system.infrastructure.database == "mysql"
    for entity in _entities(system):
        if not entity.soft_delete:
            continue
        for column in entity.fields:
            if column.unique:
                message = (
                    f"{entity.name}.{column.name} stays taken after a soft delete (MySQL)"
                    if mysql
                    else f"{entity.name}.{column.name} is unique among rows not soft-deleted"
                )
                yield finding(
                    system,
                    "DB005",
                    _field_path(entity, column) + ".unique",
                    message,
                    "free the value on delete (e.g. rewrite it) or use PostgreSQL"
                    if mysql
                    else "nothing to do: the DDL makes it unique WHERE deleted_at IS NULL",
                    severity=Severity.WARNING if mysql else None,
                )


@rule(
    "DB006",
    Severity.INFO,
    "String fields state their maximum length",
    """Columns are sized on purpose (`VARCHAR(255)`); archsmith defaults a
      string to 255 characters, which is too short for some values and says nothing
      about the data for the others.""",
)
def string_length(system: System) -> Iterator[Finding]:
    for entity in _entities(system):
        for column in entity.fields:
            path = _field_path(entity, column)
            if column.type == "string" and f"{path}.max_length" not in system.locations:
                yield finding(
                    system,
                    "DB006",
                    path,
                    f"{entity.name}.{column.name} has no max_length (255 assumed)",
                    "set 'max_length:' or use 'type: text'",
                )


@rule(
    "DB007",
    Severity.WARNING,
    "Every table has an owning service",
    """Each service owns its data. When services are declared, a table no
      service owns has no one to change its schema and invites shared-database coupling.""",
)
def unowned(system: System) -> Iterator[Finding]:
    if not system.services:
        return
    for entity in _entities(system):
        if entity.owner is None:
            yield finding(
                system,
                "DB007",
                f"entities.{entity.name}",
                f"no service owns {entity.name}",
                "add it to the 'owns' list of one service",
            )


@rule(
    "DB008",
    Severity.WARNING,
    "JSON columns are not indexed",
    """B-tree indexes on JSON compare whole documents: MySQL rejects them and
      PostgreSQL builds an index no query uses. Index scalar columns instead.""",
)
def json_index(system: System) -> Iterator[Finding]:
    for entity in _entities(system):
        kinds = {c.name: c.type for c in entity.columns}
        for i, index in enumerate(ix for ix in entity.indexes if ix.origin == "declared"):
            used = [
                c for c in (*index.columns, *(w for w, _ in index.where)) if kinds.get(c) == "json"
            ]
            if used:
                yield finding(
                    system,
                    "DB008",
                    f"entities.{entity.name}.indexes.{i}",
                    f"index on {entity.table} uses the JSON column {quote(used[0])}",
                    "index a scalar field extracted from the document instead",
                    location=index.location,
                )


@rule(
    "DB009",
    Severity.WARNING,
    "Cascades do not point at soft-deleted parents",
    """A soft delete is an UPDATE, so `on_delete: cascade` never fires: children of a
      soft-deleted parent stay visible. Soft deletes need the children handled in
      the application.""",
)
def cascade_soft_delete(system: System) -> Iterator[Finding]:
    soft = {e.name for e in system.entities if e.soft_delete}
    for entity in _entities(system):
        for fk in entity.foreign_keys:
            if fk.on_delete == "cascade" and fk.target in soft:
                yield finding(
                    system,
                    "DB009",
                    f"entities.{entity.name}.relations.{fk.relation}",
                    f"{entity.name}.{fk.relation} cascades from {fk.target}, which is soft-deleted",
                    f"soft-delete {entity.name} rows in the same transaction as their {fk.target} (the cascade only runs on a hard purge)"
                    if entity.soft_delete
                    else f"soft-delete {entity.name} too, or use 'on_delete: restrict'",
                )
