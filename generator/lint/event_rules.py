"""Event rules: every event has a sender, a receiver and a declared payload, and personal
data that travels in events is handled like the entity it came from.

The other halves live elsewhere: ARC005 (published, never consumed), ARC008 (events
without a broker, hence without dead-letter channels), and the resolver, which refuses
an event that is consumed but never published.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Severity, quote
from generator.lint.registry import Finding, finding, rule
from generator.model import Column, Event, System


@rule(
    "EVT001",
    Severity.WARNING,
    "Events declare their payload",
    """An event without a declared payload has no contract: producers and consumers
      agree on its fields only by reading each other's code, and a change breaks the
      consumer at run time. Declare it under `events:` so the AsyncAPI contract has it.""",
)
def undeclared(system: System) -> Iterator[Finding]:
    for service in system.services:
        for i, name in enumerate(service.publishes):
            event = _event(system, name)
            if event is not None and not event.declared:
                yield finding(
                    system,
                    "EVT001",
                    f"services.{service.name}.publishes.{i}",
                    f"event {quote(name)} has no declared payload",
                    f"add 'events: {{{name}: {{entity: ..., fields: ...}}}}'",
                )


@rule(
    "EVT002",
    Severity.WARNING,
    "Declared events are published",
    """An event declared under `events:` that no service publishes is a contract with no
      producer: consumers would wait for it forever.""",
)
def orphaned(system: System) -> Iterator[Finding]:
    for event in system.events:
        if event.declared and not event.publishers:
            yield finding(
                system,
                "EVT002",
                f"events.{event.name}",
                f"event {quote(event.name)} is declared but no service publishes it",
                "add it to a service's 'publishes' or remove the declaration",
            )


@rule(
    "EVT003",
    Severity.WARNING,
    "Personal data in events has a retention",
    """Every consumer of an event keeps a copy of what it carries. When that includes
      personal data, each copy needs the same retention and erasure as the entity it
      came from; without a retention period in the spec there is nothing to apply.
      Carrying ids instead of personal data avoids the copies altogether.""",
)
def personal_data(system: System) -> Iterator[Finding]:
    if system.security.pii_retention_days is not None:
        return
    for event in system.events:
        carried = [c.json_name for c in _payload(system, event) if c.pii]
        if carried and event.consumers:
            yield finding(
                system,
                "EVT003",
                f"events.{event.name}",
                f"{quote(event.name)} carries personal data ({', '.join(carried)}) to "
                f"{', '.join(event.consumers)}, with no retention to apply to their copies",
                "set 'security.pii_retention_days', or send ids instead of personal data",
            )


def _event(system: System, name: str) -> Event | None:
    return next((e for e in system.events if e.name == name), None)


def _payload(system: System, event: Event) -> list[Column]:
    """The columns an event carries: the entity's public view and the added fields."""
    columns = list(event.fields)
    entity = system.find_entity(event.entity) if event.entity else None
    if entity is not None:
        columns += [c for c in entity.columns if c.readable]
    return columns
