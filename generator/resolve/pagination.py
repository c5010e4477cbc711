"""The index cursor pagination reads: (created_at, id) on every listed table.

Why: with `api.pagination: cursor` the design document prescribes keyset pagination on
(created_at, id) so deep pages stay index scans; without that index each page sorts the
table. Added to the model, so the DDL of every dialect, migrations and the document's
index counts carry it.
"""

from __future__ import annotations

import dataclasses

from generator.model import Entity, Index, System
from generator.resolve.names import index_name

CURSOR_ORDER = ("created_at", "id")


def with_cursor_indexes(system: System) -> System:
    if system.api.pagination != "cursor":
        return system
    listed = {
        r.entity for r in system.api.resources if any(op.kind == "list" for op in r.operations)
    }
    entities = tuple(_indexed(e) if e.name in listed else e for e in system.entities)
    return dataclasses.replace(system, entities=entities)


def _indexed(entity: Entity) -> Entity:
    names = {c.name for c in entity.columns}
    if not set(CURSOR_ORDER) <= names or entity.primary_key != ("id",):
        return entity  # no created_at (timestamps: false) or no single id: nothing to order by
    if any(
        ix.columns[: len(CURSOR_ORDER)] == CURSOR_ORDER and not ix.where for ix in entity.indexes
    ):
        return entity
    name = index_name("idx", entity.table, *CURSOR_ORDER)
    taken = {ix.name for ix in entity.indexes}
    number = 2
    while name in taken:
        name = index_name("idx", entity.table, *CURSOR_ORDER, str(number))
        number += 1
    location = entity.column("created_at").location
    index = Index(name, CURSOR_ORDER, False, "pagination", location)
    return dataclasses.replace(entity, indexes=(*entity.indexes, index))
