"""Creation order for tables: every foreign key points at a table that already exists.

Why not plain topological sort: specs may hold cycles (A→B→A). When no table is
ready, the first one whose missing targets are all reached through nullable
columns is created anyway and those constraints are added after every table
exists; rows can then be inserted in the same order (NULL first, set later).
Self-references need no deferral: a table may reference itself in its CREATE.
"""

from __future__ import annotations

import heapq

from generator.model import Entity, ForeignKey


def creation_order(
    entities: tuple[Entity, ...],
) -> tuple[tuple[Entity, ...], frozenset[tuple[str, str]]]:
    """Tables in creation order, and the (table, column) foreign keys to add afterwards.

    Kahn's algorithm with spec order breaking ties (a heap of spec positions), so the
    output is stable and a spec listing children before parents costs no rescans.
    """
    remaining = dict.fromkeys(range(len(entities)))  # spec positions, in spec order
    waiting_on: list[int] = []  # per entity: how many target tables do not exist yet
    dependents: dict[str, list[int]] = {}  # table -> entities waiting for it
    ready: list[int] = []
    for position, entity in enumerate(entities):
        targets = {fk.target_table for fk in entity.foreign_keys if fk.target_table != entity.table}
        waiting_on.append(len(targets))
        for table in targets:
            dependents.setdefault(table, []).append(position)
        if not targets:
            ready.append(position)
    heapq.heapify(ready)
    created: set[str] = set()
    ordered: list[Entity] = []
    deferred: set[tuple[str, str]] = set()
    while remaining:
        if ready:
            position = heapq.heappop(ready)
        else:  # a cycle: create the first table whose missing keys may stay NULL for now
            position = next(
                (p for p in remaining if all(fk.nullable for fk in _missing(entities[p], created))),
                next(iter(remaining)),
            )
            late = _missing(entities[position], created)
            deferred |= {(entities[position].table, fk.column) for fk in late}
        entity = entities[position]
        ordered.append(entity)
        del remaining[position]
        created.add(entity.table)
        for waiting in dependents.pop(entity.table, ()):
            waiting_on[waiting] -= 1
            if waiting_on[waiting] == 0 and waiting in remaining:
                heapq.heappush(ready, waiting)
    return tuple(ordered), frozenset(deferred)


def _missing(entity: Entity, created: set[str]) -> list[ForeignKey]:
    return [
        fk
        for fk in entity.foreign_keys
        if fk.target_table != entity.table and fk.target_table not in created
    ]
