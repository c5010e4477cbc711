"""Services, their dependencies, and which service publishes and consumes each event."""

from __future__ import annotations

from generator.diagnostics import quote
from generator.model import Dependency, Event, Service
from generator.resolve.context import Context
from generator.validate import did_you_mean


def services(ctx: Context) -> tuple[tuple[Service, ...], tuple[Event, ...]]:
    spec = ctx.spec
    result = []
    for name, service in spec.services.items():
        base = ("services", name)
        for i, owned in enumerate(service.owns):
            if owned not in spec.entities:
                ctx.unknown(
                    "entity",
                    owned,
                    spec.entities,
                    ctx.at(*base, "owns", i),
                    "add it under 'entities:' or remove it from 'owns'",
                )
        deps = []
        for i, dep in enumerate(service.depends_on):
            if dep.service not in spec.services:
                ctx.unknown(
                    "service",
                    dep.service,
                    spec.services,
                    ctx.at(*base, "depends_on", i, "service"),
                    "add it under 'services:'",
                )
            elif dep.service == name:
                ctx.error(
                    "self-dependency",
                    f"service {quote(name)} depends on itself",
                    ctx.at(*base, "depends_on", i, "service"),
                )
            deps.append(
                Dependency(
                    dep.service, dep.protocol, dep.description, ctx.at(*base, "depends_on", i)
                )
            )
        result.append(
            Service(
                name,
                service.responsibility,
                tuple(service.owns),
                tuple(deps),
                tuple(service.publishes),
                tuple(service.consumes),
                service.technology,
                ctx.at(*base, key=True),
            )
        )
    publishers: dict[str, list[str]] = {}
    consumers: dict[str, list[str]] = {}
    for name, service in spec.services.items():
        for event in service.publishes:
            publishers.setdefault(event, []).append(name)
        for event in service.consumes:
            consumers.setdefault(event, []).append(name)
    for name, service in spec.services.items():
        for i, event in enumerate(service.consumes):
            if event not in publishers:
                hint = (
                    did_you_mean(event, publishers)
                    or "add it to the 'publishes' list of the service that emits it"
                )
                ctx.error(
                    "unpublished-event",
                    f"event {quote(event)} is consumed by {quote(name)} but no service publishes it",
                    ctx.at("services", name, "consumes", i),
                    hint,
                )
    events = tuple(
        Event(event, tuple(publishers.get(event, ())), tuple(consumers.get(event, ())))
        for event in sorted(set(publishers) | set(consumers))
    )
    return tuple(result), events


# --- API ------------------------------------------------------------------
