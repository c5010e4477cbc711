"""Resolve the `events:` section: each event's payload, key, version and channel.

Why after the resolver and not inside it: the services section already names which
service publishes and consumes what; this adds what each event carries, reusing the
resolver's column rules so a payload field means exactly what an entity field means.
"""

from __future__ import annotations

import dataclasses

from generator import naming
from generator import spec as s
from generator.diagnostics import SpecError, quote
from generator.loader import Document
from generator.model import Column, Event, System
from generator.resolve import _Resolver
from generator.validate import did_you_mean


def with_events(system: System, spec: s.Spec, document: Document, raw: bytes) -> System:
    """`system` with every event's payload resolved; SpecError on a broken reference."""
    if not spec.events:
        return system
    resolver = _Resolver(spec, document, raw)
    by_name = {event.name: event for event in system.events}
    events: list[Event] = []
    for name, declared in spec.events.items():
        events.append(_event(resolver, system, name, declared, by_name.get(name)))
    events += [event for event in system.events if event.name not in spec.events]
    if resolver.problems:
        raise SpecError(resolver.problems)
    return dataclasses.replace(system, events=tuple(sorted(events, key=lambda e: e.name)))


def _event(
    resolver: _Resolver, system: System, name: str, declared: s.EventSpec, used: Event | None
) -> Event:
    base = ("events", name)
    if declared.entity is not None and system.find_entity(declared.entity) is None:
        resolver.unknown(
            "entity",
            declared.entity,
            [e.name for e in system.entities if not e.is_join_table],
            resolver.at(*base, "entity"),
            "add it under 'entities:' or remove 'entity:'",
        )
    columns: list[Column] = []
    for field_name, field in declared.fields.items():
        resolver.check_field(base, field_name, field)
        columns.append(
            resolver.column(field_name, field, resolver.at(*base, "fields", field_name, key=True))
        )
    key = None
    if declared.key is not None:
        entity = system.find_entity(declared.entity) if declared.entity else None
        payload = {c.name: c for c in columns}
        if entity is not None:
            payload = {c.name: c for c in entity.columns if not c.sensitive} | payload
        if declared.key not in payload:
            resolver.error(
                "unknown-field",
                f"event key {quote(declared.key)} is not a field of the payload",
                resolver.at(*base, "key"),
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
        location=resolver.at(*base, key=True),
    )
