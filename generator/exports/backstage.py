"""`catalog-info.yaml`: the system as Backstage catalog entities.

What maps to what: the spec is a `System`; each service a `Component` (type service)
that `providesApis` the REST API when it owns an entity the API exposes and the events
it publishes, and `consumesApis` what it calls and the events it consumes; the REST and
event contracts are `API` entities of type openapi and asyncapi whose definitions are
the generated files beside this one; the database, cache, queue and search engine are
`Resource`s the components depend on. Owners come from `system.owners` (their names as
group references); without one the owner is `unknown`, which the catalog shows.
"""

from __future__ import annotations

from typing import Any

from generator import naming
from generator.emitters import yaml_out
from generator.model import System

API_VERSION = "backstage.io/v1alpha1"
Entity = dict[str, Any]


def render(system: System, *, has_events: bool) -> str:
    return "---\n".join(yaml_out.dump(entity) for entity in entities(system, has_events))


def _name(*parts: str) -> str:
    """A catalog name: [a-z0-9] words joined by '-', at most 63 characters."""
    text = "-".join(naming.slugify(part) or "x" for part in parts)
    return text[:63].strip("-")


def owner(system: System) -> str:
    if not system.owners:
        return "unknown"
    return f"group:{_name(system.owners[0].name)}"


def entities(system: System, has_events: bool) -> list[Entity]:
    slug = system.slug
    team = owner(system)
    rest, events = _name(slug, "rest"), _name(slug, "events")
    result: list[Entity] = [
        _entity(
            "System",
            slug,
            system.name,
            system.description,
            {"owner": team},
        )
    ]
    exposed = {resource.entity for resource in system.api.resources}
    resources = _resources(system)
    for service in system.services:
        provides = [rest] if exposed & set(service.owns) else []
        consumes = [rest] if service.depends_on else []
        if has_events and service.publishes:
            provides.append(events)
        if has_events and service.consumes:
            consumes.append(events)
        depends = [f"component:{_name(slug, d.service)}" for d in service.depends_on]
        depends += [f"resource:{name}" for name in resources]
        spec: Entity = {
            "type": "service",
            "lifecycle": "production",
            "owner": team,
            "system": slug,
        }
        if provides:
            spec["providesApis"] = provides
        if consumes:
            spec["consumesApis"] = sorted(set(consumes) - set(provides))
            if not spec["consumesApis"]:
                del spec["consumesApis"]
        if depends:
            spec["dependsOn"] = depends
        result.append(
            _entity(
                "Component",
                _name(slug, service.name),
                service.name,
                service.responsibility,
                spec,
            )
        )
    if not system.services:
        spec = {"type": "service", "lifecycle": "production", "owner": team, "system": slug}
        spec["providesApis"] = [rest] + ([events] if has_events else [])
        if resources:
            spec["dependsOn"] = [f"resource:{name}" for name in resources]
        result.append(
            _entity("Component", _name(slug, "app"), system.name, system.description, spec)
        )
    result.append(
        _entity(
            "API",
            rest,
            f"{system.name} REST API",
            f"HTTP API of {system.name} (OpenAPI 3.1).",
            {
                "type": "openapi",
                "lifecycle": "production",
                "owner": team,
                "system": slug,
                "definition": {"$text": "./openapi.yaml"},
            },
        )
    )
    if has_events:
        result.append(
            _entity(
                "API",
                events,
                f"{system.name} events",
                f"Events of {system.name} (AsyncAPI 3.0).",
                {
                    "type": "asyncapi",
                    "lifecycle": "production",
                    "owner": team,
                    "system": slug,
                    "definition": {"$text": "./asyncapi.yaml"},
                },
            )
        )
    for name, (title, kind) in resources.items():
        result.append(
            _entity(
                "Resource",
                name,
                title,
                f"{title} of {system.name}.",
                {"type": kind, "owner": team, "system": slug},
            )
        )
    return result


def _resources(system: System) -> dict[str, tuple[str, str]]:
    infra = system.infrastructure
    found: dict[str, tuple[str, str]] = {}
    for role, value, kind in (
        ("database", infra.database, "database"),
        ("cache", infra.cache, "cache"),
        ("queue", infra.queue, "message-broker"),
        ("search", infra.search, "search-engine"),
    ):
        if value is not None:
            found[_name(system.slug, role)] = (f"{value} ({role})", kind)
    return found


def _entity(kind: str, name: str, title: str, description: str, spec: Entity) -> Entity:
    metadata: Entity = {"name": name, "title": title}
    if description:
        metadata["description"] = " ".join(description.split())
    return {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec}
