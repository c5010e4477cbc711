"""Resolve the `events:` section: each event's payload, key, version and channel.

Why last: the services section already names which service publishes and consumes
what, and payloads may name an entity; this adds what each event carries, with the
column rules of entity fields so a payload field means exactly what an entity field means.
"""

from __future__ import annotations

import dataclasses

from generator import naming
from generator import spec as s
from generator.diagnostics import SpecError, quote
from generator.model import Column, Event, System
from generator.resolve.columns import check_field, column
from generator.resolve.context import Context
from generator.validate import did_you_mean


def with_events(ctx: Context, system: System) -> System:
    """`system` with every event's payload resolved; SpecError on a broken reference."""
    spec = ctx.spec
    if not spec.events:
        return system
    by_name = {event.name: event for event in system.events}
    events: list[Event] = []
    for name, declared in spec.events.items():
        events.append(_event(ctx, system, name, declared, by_name.get(name)))
    events += [event for event in system.events if event.name not in spec.events]
    if ctx.problems:
        raise SpecError(ctx.problems)
    return dataclasses.replace(system, events=tuple(sorted(events, key=lambda e: e.name)))


def _event(
    ctx: Context, system: System, name: str, declared: s.EventSpec, used: Event | None
) -> Event:
    base = ("events", name)
    if declared.entity is not None and system.find_entity(declared.entity) is None:
        ctx.unknown(
            "entity",
            declared.entity,
            [e.name for e in system.entities if not e.is_join_table],
            ctx.at(*base, "entity"),
            "add it under 'entities:' or remove 'entity:'",
        )
    columns: list[Column] = []
    for field_name, field in declared.fields.items():
        check_field(ctx, base, field_name, field)
        columns.append(column(field_name, field, ctx.at(*base, "fields", field_name, key=True)))
    key = None
    if declared.key is not None:
        entity = system.find_entity(declared.entity) if declared.entity else None
        payload = {c.name: c for c in columns}
        if entity is not None:
            payload = {c.name: c for c in entity.columns if not c.sensitive} | payload
        if declared.key not in payload:
            ctx.error(
                "unknown-field",
                f"event key {quote(declared.key)} is not a field of the payload",
                ctx.at(*base, "key"),
                did_you_mean(declared.key, payload) or "name a field of 'fields:' or of the entity",
            )
        else:
            key = naming.camel(declared.key)
    return Event(
        name=name,
        publishers=used.publishers if used else (),
        consumers=used.consumers if used else (),
        description=declared.description,
        entity=declared.entity,
        fields=tuple(columns),
        key=key,
        version=declared.version,
        channel=declared.channel or "",
        declared=True,
        location=ctx.at(*base, key=True),
    )
