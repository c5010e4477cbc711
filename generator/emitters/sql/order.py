"""Creation order for tables: every foreign key points at a table that already exists.

Why not plain topological sort: specs may hold cycles (A→B→A). When no table is
ready, the first one whose missing targets are all reached through nullable
columns is created anyway and those constraints are added after every table
exists; rows can then be inserted in the same order (NULL first, set later).
Self-references need no deferral: a table may reference itself in its CREATE.
"""

from __future__ import annotations

from generator.model import Entity, ForeignKey


def creation_order(
    entities: tuple[Entity, ...],
) -> tuple[tuple[Entity, ...], frozenset[tuple[str, str]]]:
    """Tables in creation order, and the (table, column) foreign keys to add afterwards."""
    remaining = list(entities)  # spec order breaks ties, so the output is stable
    created: set[str] = set()
    ordered: list[Entity] = []
    deferred: set[tuple[str, str]] = set()
    while remaining:
        ready = next((e for e in remaining if not _missing(e, created)), None)
        if ready is None:
            ready = next(
                (e for e in remaining if all(fk.nullable for fk in _missing(e, created))),
                remaining[0],
            )
            deferred |= {(ready.table, fk.column) for fk in _missing(ready, created)}
        ordered.append(ready)
        created.add(ready.table)
        remaining.remove(ready)
    return tuple(ordered), frozenset(deferred)


def _missing(entity: Entity, created: set[str]) -> list[ForeignKey]:
    return [
        fk
        for fk in entity.foreign_keys
        if fk.target_table != entity.table and fk.target_table not in created
    ]
