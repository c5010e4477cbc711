"""One OpenAPI operation object per model operation: parameters, body, responses, security.

Why here and not in the resolver: which status codes, headers and query parameters
an operation gets is HTTP policy (seeds 001/002/004), not a fact of the spec.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import naming
from generator.emitters.openapi_components import (
    RATE_LIMIT_HEADERS,
    error_response,
    header_refs,
    security_scheme_name,
)
from generator.emitters.openapi_parameters import parameters
from generator.emitters.openapi_schemas import Schema, ref
from generator.emitters.openapi_shapes import body_schema, envelope
from generator.rules.access import access_label, scope_note

if TYPE_CHECKING:
    from generator.model import Entity, Operation, System

Component = dict[str, Any]

_WRITES = frozenset({"create", "update", "replace", "custom"})
_AUTH = frozenset({"login", "refresh", "logout"})
_RATE_BY = {"ip": "client IP", "user": "user", "api-key": "API key"}
_SUCCESS_TEXT = {
    "list": "A page of {plural}.",
    "get": "The {singular}.",
    "create": "The created {singular}; Location points to it.",
    "update": "The updated {singular}.",
    "replace": "The replaced {singular}.",
    "delete": "The {singular} is deleted.",
    "login": "Signed in: a new token pair.",
    "refresh": "A new token pair; the old refresh token is revoked.",
    "logout": "The refresh token is revoked.",
}


def build_operation(system: System, op: Operation) -> Component:
    entity = system.entity(op.entity) if op.entity else None
    result: Component = {"operationId": op.id, "summary": op.summary}
    description = _description(system, op)
    if description:
        result["description"] = description
    result["tags"] = [op.resource or ("health" if op.kind == "health" else "auth")]
    result["security"] = security_requirement(system, op)
    if not op.public and system.security.scheme != "none":
        result["x-roles"] = list(op.roles)
        if op.owned:
            result["x-scopes"] = {g.role: g.scope for g in op.grants}
    if op.permission:
        result["x-permission"] = op.permission
    if op.rate_limit is not None:
        result["x-rate-limit"] = op.rate_limit.model_dump(mode="json")
    params = parameters(system, op, entity)
    if params:
        result["parameters"] = params
    body = request_body(system, op, entity)
    if body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    result["responses"] = responses(system, op, entity)
    return result


def security_requirement(system: System, op: Operation) -> list[dict[str, list[str]]]:
    scheme = system.security.scheme
    if scheme == "none" or (op.public and not op.optional_auth):
        return []  # explicit: no credentials, overriding any document-level default
    scopes = [op.permission] if scheme == "oauth2" and op.permission else []
    required = {security_scheme_name(system): scopes}
    # Optional credentials: anonymous ({}) or signed in, which may show more.
    return [{}, required] if op.optional_auth else [required]


def _description(system: System, op: Operation) -> str:
    parts = [op.description] if op.description else []
    if system.security.scheme == "none":
        parts.append("No authentication is configured.")
    elif op.optional_auth:
        parts.append(
            "Credentials optional: anyone may call it; a signed-in caller's view may differ."
        )
    elif op.public:
        parts.append("Public: no credentials needed.")
    elif (label := access_label(system, op)) == "signed in":
        parts.append("Any signed-in user.")
    else:
        parts.append(f"Roles allowed: {label}.")
        if note := scope_note(system, op):
            parts.append(note)
    limit = op.rate_limit
    if limit is not None:
        by = _RATE_BY[limit.by]
        parts.append(f"Rate limit: {limit.requests} requests per {limit.per} per {by}.")
    return " ".join(parts)


# --- bodies and responses ----------------------------------------------------------------


def request_body(system: System, op: Operation, entity: Entity | None = None) -> Schema | None:
    if op.kind == "create" or op.kind == "replace":
        return envelope(ref(f"{op.entity}Create"), op.envelope)
    if op.kind == "update":
        return envelope(ref(f"{op.entity}Update"), op.envelope)
    if op.kind == "login":
        return ref("LoginRequest")
    if op.kind in ("refresh", "logout"):
        return ref("RefreshRequest")
    if op.kind == "custom" and op.request is not None:
        return body_schema(system, op.request, request=True, entity=entity)
    return None


def success_schema(system: System, op: Operation, entity: Entity | None = None) -> Schema | None:
    if op.success_status in (204, 304):
        return None  # HTTP forbids a body here
    by_kind = {"list": f"{op.entity}Page", "login": "TokenPair", "refresh": "TokenPair"}
    if op.kind in ("get", "create", "update", "replace"):
        return envelope(ref(op.view or f"{op.entity}"), op.envelope)
    if op.kind in by_kind:
        return ref(by_kind[op.kind])
    if op.kind == "custom" and op.response is not None:
        return body_schema(system, op.response, request=False, entity=entity)
    return None


def responses(system: System, op: Operation, entity: Entity | None) -> dict[str, Component]:
    if op.kind == "health":
        return health_responses()
    success: Component = {"description": _success_text(op)}
    names: list[str] = [h for h in op.headers if h != "Idempotency-Key"]
    if op.kind == "create":
        names.append("Location")
    if (
        entity is not None
        and entity.versioned
        and op.kind in ("get", "create", "update", "replace")
    ):
        names.append("ETag")
    if op.rate_limit is not None:
        names += RATE_LIMIT_HEADERS
    if names:
        success["headers"] = header_refs(*names)
    schema = success_schema(system, op, entity)
    if schema is not None:
        success["content"] = {"application/json": {"schema": schema}}
    result = {str(op.success_status): success}
    for status in error_statuses(system, op, entity):
        result.setdefault(str(status), error_response(status))
    return dict(sorted(result.items()))


def _success_text(op: Operation) -> str:
    template = _SUCCESS_TEXT.get(op.kind)
    if template is None:
        return "Success." if op.success_status != 204 else "Done; no content."
    if op.resource is None:
        return template
    plural = naming.snake(op.resource).replace("_", " ")
    return template.format(plural=plural, singular=naming.singular(plural))


def error_statuses(system: System, op: Operation, entity: Entity | None) -> list[int]:
    authenticated = not op.public and system.security.scheme != "none"
    statuses = {400, 500}
    if authenticated or op.kind in ("login", "refresh") or op.optional_auth:
        # For login/refresh, 401 means wrong credentials or a revoked token; where sign-in
        # is optional, credentials that are sent must still be valid.
        statuses.add(401)
    if authenticated and op.kind not in _AUTH:
        statuses.add(403)
    if op.path_params:
        statuses.add(404)
    if entity is not None and op.kind in _WRITES and op.method != "GET":
        statuses |= _write_conflicts(op, entity)
    if op.rate_limit is not None:
        statuses.add(429)
    return sorted(statuses)


def _write_conflicts(op: Operation, entity: Entity) -> set[int]:
    statuses: set[int] = set()
    if op.kind != "custom" or op.request is not None:
        statuses.add(422)
    unique = any(c.unique for c in entity.columns) or any(i.unique for i in entity.indexes)
    if unique or (entity.versioned and op.kind != "create"):
        statuses.add(409)
    if entity.versioned and op.kind in ("update", "replace"):
        statuses.add(412)
    return statuses


def health_responses() -> dict[str, Component]:
    media = {"application/json": {"schema": ref("Health")}}
    return {
        "200": {"description": "Healthy or degraded; see checks.", "content": media},
        "503": {"description": "Unhealthy: a required dependency is down.", "content": media},
    }
