"""The OpenAPI 3.1 contract of a system, built from the resolved model only.

`build_document` returns plain dicts in a fixed key order; `render` dumps them as
YAML. Nothing here reads files or YAML specs: the model is the single input, so the
contract cannot disagree with the DDL or the design document.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from generator.emitters import openapi_components as components
from generator.emitters import yaml_out
from generator.emitters.openapi_operations import build_operation
from generator.emitters.openapi_parameters import entity_parameters
from generator.emitters.openapi_schemas import Schema, entity_schemas
from generator.emitters.openapi_shapes import view_schemas

if TYPE_CHECKING:
    from generator.model import System

OPENAPI_VERSION = "3.1.0"
_METHODS = ("get", "post", "put", "patch", "delete")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def build_document(system: System) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": info(system),
        # Paths carry the full prefix (/api/v1/...), and /health sits at the root.
        "servers": [{"url": "/", "description": "The host serving this document."}],
        "tags": tags(system),
        "paths": paths(system),
        "components": {
            "schemas": schemas(system),
            "parameters": {**components.parameters(system), **entity_parameters(system)},
            "headers": components.headers(),
            "responses": components.responses(),
            "securitySchemes": components.security_schemes(system, oauth_scopes(system)),
        },
    }
    return _prune_components(document)


def render(system: System) -> str:
    """YAML text, byte-identical for the same model."""
    return yaml_out.dump(build_document(system))


def render_with_document(system: System) -> tuple[dict[str, Any], str]:
    """The document and its YAML text, for a build that also hands the document to the
    AsyncAPI emitter (it shares the entity schemas) instead of building it twice."""
    document = build_document(system)
    return document, yaml_out.dump(document)


def info(system: System) -> dict[str, Any]:
    result: dict[str, Any] = {"title": system.name, "version": system.version}
    result["description"] = system.description or f"HTTP API of {system.name}."
    owner = next((o for o in system.owners if o.email and _EMAIL.match(o.email)), None)
    if owner is not None:
        result["contact"] = {"name": owner.name, "email": owner.email}
    return result


def tags(system: System) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for resource in system.api.resources:
        entity = system.entity(resource.entity)
        text = entity.description or f"Operations on {entity.name}."
        tag: dict[str, Any] = {"name": resource.name}
        if entity.owner:
            tag["description"] = f"{text} Owned by the {entity.owner} service."
            tag["x-service"] = entity.owner
        else:
            tag["description"] = text
        result.append(tag)
    kinds = {op.kind for op in system.api.operations}
    if kinds & {"login", "refresh", "logout"}:
        result.append({"name": "auth", "description": "Sign in, refresh and revoke tokens."})
    if "health" in kinds:
        result.append({"name": "health", "description": "Liveness and dependency status."})
    seen: set[str] = set()
    return [t for t in result if not (t["name"] in seen or seen.add(t["name"]))]  # type: ignore[func-returns-value]


def paths(system: System) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for op in system.api.operations:
        result.setdefault(op.path, {})[op.method.lower()] = build_operation(system, op)
    # Method order inside a path is fixed so output never depends on spec order.
    # Path parameters stay on each operation, first: Swagger UI lists a path item's
    # parameters after the operation's, and the id belongs at the top.
    return {path: {m: ops[m] for m in _METHODS if m in ops} for path, ops in result.items()}


def schemas(system: System) -> dict[str, Schema]:
    result: dict[str, Schema] = {}
    for entity in system.entities:
        if not entity.is_join_table:
            _merge(result, entity_schemas(system, entity))
    _merge(result, view_schemas(system))
    _merge(result, components.shared_schemas(system))
    return result


def _merge(into: dict[str, Schema], new: dict[str, Schema]) -> None:
    clash = sorted(name for name in new if name in into)
    if clash:
        # Entity names such as 'Error' or 'OrderPage' would silently replace a schema.
        raise ValueError(f"OpenAPI schema name(s) generated twice: {', '.join(clash)}")
    into.update(new)


def oauth_scopes(system: System) -> dict[str, str]:
    scopes: dict[str, str] = {}
    for op in system.api.operations:
        if op.permission and not op.public:
            scopes.setdefault(op.permission, op.summary)
    return dict(sorted(scopes.items()))


# --- pruning ---------------------------------------------------------------------------


def _prune_components(document: dict[str, Any]) -> dict[str, Any]:
    """Keep only components reachable from paths; unused ones are lint noise."""
    comps: dict[str, dict[str, Any]] = document["components"]
    reachable: set[str] = set()
    pending = list(_refs(document["paths"]))
    while pending:
        target = pending.pop()
        if target in reachable:
            continue
        reachable.add(target)
        section, name = target.split("/")[2:4]
        pending.extend(_refs(comps[section][name]))
    kept: dict[str, dict[str, Any]] = {}
    for section, entries in comps.items():
        if section == "securitySchemes":
            chosen = entries  # referenced by name from security requirements, not by $ref
        else:
            chosen = {
                k: v for k, v in entries.items() if f"#/components/{section}/{k}" in reachable
            }
        if chosen:
            kept[section] = chosen
    document["components"] = kept
    return document


def _refs(root: Any) -> list[str]:
    """Every `$ref` below `root`. Why a stack that takes every child, strings too: a
    filter per child cost more than popping the strings again (hundreds of thousands
    of nodes in a large document)."""
    found: list[str] = []
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found
