"""Resolve a validated spec into the system model: references checked, names derived, order fixed.

Every cross-reference problem becomes a located diagnostic; all are collected and
raised together so one run reports everything. Each concern is a module of its own:
names, columns, relations, indexes, entities, services, security, operations, api,
events, then the cursor pagination indexes and the platform tables (access control,
outbox); this one runs them in order.
"""

from __future__ import annotations

import hashlib

from generator import naming
from generator import spec as s
from generator.diagnostics import SpecError, quote
from generator.loader import Document, PathKey
from generator.model import Observability, System
from generator.resolve import (
    api,
    entities,
    events,
    pagination,
    platform_tables,
    security,
    services,
    values,
)
from generator.resolve.context import Context


def resolve(spec: s.Spec, document: Document, raw: bytes) -> System:
    """The system model of a validated spec; SpecError with every problem found."""
    ctx = Context(spec, document, raw)
    system_slug = spec.system.slug or naming.slugify(spec.system.name)
    if not system_slug:
        ctx.error(
            "no-slug",
            f"system name {quote(spec.system.name)} gives an empty slug",
            ctx.at("system", "name"),
            "add 'slug: my-system' under 'system:'",
        )
    elif (problem := values.slug_problem(system_slug)) is not None:
        given = spec.system.slug is not None
        ctx.error(
            "reserved-slug",
            f"system slug {quote(system_slug)} cannot be used: {problem}",
            ctx.at("system", "slug" if given else "name"),
            f"{'change' if given else 'add'} 'slug:' under 'system:', e.g. 'slug: {system_slug}-system'",
        )
    check_quantities(ctx)
    tables = entities.entities(ctx)
    system_services, system_events = services.services(ctx)
    access = security.security(ctx, tables)
    system_api = api.api(ctx, {e.name: e for e in tables}, access)
    obs = spec.observability
    observability = Observability(
        dict(obs.slos),
        tuple(obs.metrics),
        obs.alerts,
        obs.log_retention_days,
        obs.tracing,
        ctx.at("observability", key=True),
    )
    if ctx.problems:
        raise SpecError(ctx.problems)
    system = System(
        name=spec.system.name,
        slug=system_slug,
        description=spec.system.description,
        version=spec.system.version,
        owners=tuple(spec.system.owners),
        source=ctx.doc.file,
        content_hash=hashlib.sha256(ctx.raw).hexdigest(),
        requirements=spec.requirements,
        style_override=spec.architecture.style,
        style_rationale=spec.architecture.rationale,
        services=system_services,
        events=system_events,
        infrastructure=spec.infrastructure,
        entities=tables,
        api=system_api,
        security=access,
        observability=observability,
        decisions=tuple(spec.decisions),
        lint_disable=tuple(spec.lint.disable),
        locations=_dotted_locations(ctx.doc),
    )
    system = pagination.with_cursor_indexes(events.with_events(ctx, system))
    return platform_tables.with_platform_tables(system)


def check_quantities(ctx: Context) -> None:
    """Requirements are arithmetic inputs (capacity, scaling): finite and of a real size."""
    req = ctx.spec.requirements
    obs = ctx.spec.observability
    groups: list[tuple[PathKey, object]] = [
        (("requirements", "scale"), req.scale),
        (("requirements", "latency_ms"), req.latency_ms),
        (("requirements",), req),
        (("observability", "alerts"), obs.alerts),
        *((("observability", "slos", name), slo) for name, slo in obs.slos.items()),
    ]
    for path, model in groups:
        for key, value in vars(model).items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            problem = values.quantity_problem(value)
            if problem is not None:
                ctx.error(
                    "number-out-of-range",
                    f"'{'.'.join(map(str, (*path, key)))}' {problem}",
                    ctx.at(*path, key),
                    f"use a number up to {values.MAX_QUANTITY:,.0f}",
                )


def _dotted_locations(document: Document) -> dict[str, tuple[int, int]]:
    """Dotted path -> (line, column): of the key where every step is a key, else of the value."""
    result: dict[str, tuple[int, int]] = {}
    for path, span in document.positions.items():
        if not path:
            continue
        dotted = ".".join(map(str, path))
        if span.key_line and all(type(p) is str for p in path):
            result[dotted] = (span.key_line, span.key_column)
        else:
            result[dotted] = (span.line, span.column)
    return result
