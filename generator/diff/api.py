"""API changes: the two generated OpenAPI documents compared as data.

Why the documents and not the spec: compatibility is what a client sees (paths,
parameters, bodies, status codes, security), and the emitter already turns the spec
into exactly that, defaults, read-only columns and pagination included.

| change                                         | level    |
| ---------------------------------------------- | -------- |
| operation removed                              | breaking |
| operation added                                | info     |
| parameter added, required                      | breaking |
| parameter added, optional                      | info     |
| parameter removed                              | warning (the server now ignores it) |
| parameter became required / optional           | breaking / info |
| parameter schema: as a request body property   | see api_schema.py |
| request body became required / was added       | breaking |
| success status changed (e.g. 200 -> 201)       | breaking |
| error status added / removed                   | info |
| security added to a public operation           | breaking |
| security removed from an operation             | info |
| security scheme changed or removed             | breaking |
| roles allowed: one removed / one added         | breaking / info |
| rate limit lowered / raised or removed         | warning / info |
| request and response schemas                   | see api_schema.py |
"""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Location
from generator.diff.api_schema import Documents, compare
from generator.diff.report import Change, Level
from generator.emitters.openapi import build_document
from generator.model import Operation, System

_METHODS = ("get", "post", "put", "patch", "delete")
_JSON = "application/json"


def api_changes(old: System | None, new: System | None) -> list[Change]:
    docs = Documents(
        build_document(old) if old else {"paths": {}}, build_document(new) if new else {"paths": {}}
    )
    out: list[Change] = []
    ops_old, ops_new = _operations(docs.old), _operations(docs.new)
    for key, op in ops_old.items():
        if key not in ops_new:
            where = _locate(old, op)
            out.append(
                Change("api.operation-removed", "breaking", "api", f"{key} removed", where, key)
            )
    for key, op in ops_new.items():
        if key not in ops_old:
            where = _locate(new, op)
            out.append(Change("api.operation-added", "info", "api", f"{key} added", where, key))
        else:
            out += _operation(docs, key, ops_old[key], op, new)
    out += _security_schemes(docs, old, new)
    return out


def _operations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": op
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if method in _METHODS
    }


def _locate(system: System | None, op: dict[str, Any]) -> Location:
    if system is None:
        return Location("", 1, 1)
    found = _model_operation(system, op)
    return found.location if found is not None else system.locate("api")


def _model_operation(system: System, op: dict[str, Any]) -> Operation | None:
    return next((o for o in system.api.operations if o.id == op.get("operationId")), None)


def _column_location(system: System, op: dict[str, Any], where: str) -> Location | None:
    """The spec position of the field a property path starts with, when there is one."""
    found = _model_operation(system, op)
    entity = system.find_entity(found.entity) if found is not None and found.entity else None
    if entity is None:
        return None
    # "request.title", "200.data[].title=x": the property after the body or status.
    parts = where.replace("[]", "").split(".")
    rest = parts[2:] if len(parts) > 2 and parts[1] == "data" else parts[1:]
    head = (rest[0] if rest else parts[0]).split("=", 1)[0]
    return next((c.location for c in entity.columns if c.json_name == head), None)


def _operation(
    docs: Documents, key: str, a: dict[str, Any], b: dict[str, Any], new: System | None
) -> list[Change]:
    out: list[Change] = []
    base = _locate(new, b)

    def emit(rule: str, level: Level, message: str, path: str) -> None:
        where = (_column_location(new, b, path) if new is not None else None) or base
        out.append(Change(rule, level, "api", f"{key}: {message}", where, f"{key} {path}"))

    _parameters(docs, a, b, emit)
    body_a, body_b = a.get("requestBody"), b.get("requestBody")
    if body_b and body_b.get("required") and not (body_a and body_a.get("required")):
        emit("api.request-body-became-required", "breaking", "request body now required", "body")
    if body_a and body_b:
        compare(docs, _schema(body_a), _schema(body_b), "request", emit, "request")
    ra, rb = a.get("responses", {}), b.get("responses", {})
    success_a = sorted(s for s in ra if s.startswith("2"))
    success_b = sorted(s for s in rb if s.startswith("2"))
    if success_a != success_b:
        emit(
            "api.success-status-changed",
            "breaking",
            f"success status {', '.join(success_a)} -> {', '.join(success_b)}",
            "status",
        )
    for status in sorted(set(ra) | set(rb)):
        if status.startswith("2"):
            if status in ra and status in rb:
                compare(docs, _schema(ra[status]), _schema(rb[status]), "response", emit, status)
            continue
        if status not in ra:
            emit("api.error-status-added", "info", f"may now answer {status}", status)
        elif status not in rb:
            emit("api.error-status-removed", "info", f"no longer answers {status}", status)
    _access(a, b, emit)
    return out


def _schema(holder: Any) -> Any:
    return (
        holder.get("content", {}).get(_JSON, {}).get("schema", {})
        if isinstance(holder, dict)
        else {}
    )


def _parameters(docs: Documents, a: dict[str, Any], b: dict[str, Any], emit: Any) -> None:
    def by_key(op: dict[str, Any], which: Any) -> dict[str, dict[str, Any]]:
        params = (docs.resolve(p, which) for p in op.get("parameters", ()))
        return {f"{p.get('in')}:{p.get('name')}": p for p in params}

    pa, pb = by_key(a, "old"), by_key(b, "new")
    for name, p in pb.items():
        if name not in pa:
            if p.get("required"):
                emit(
                    "api.parameter-added-required",
                    "breaking",
                    f"new required parameter {name}",
                    name,
                )
            else:
                emit("api.parameter-added", "info", f"new optional parameter {name}", name)
    for name in pa:
        if name not in pb:
            emit(
                "api.parameter-removed",
                "warning",
                f"parameter {name} removed; clients sending it are ignored",
                name,
            )
    for name, p in pb.items():
        if name in pa:
            before = pa[name]
            if bool(p.get("required")) != bool(before.get("required")):
                rule, level = (
                    ("api.parameter-became-required", "breaking")
                    if p.get("required")
                    else ("api.parameter-became-optional", "info")
                )
                emit(rule, level, f"parameter {name} {rule.rsplit('-', 1)[-1]}", name)
            compare(docs, before.get("schema", {}), p.get("schema", {}), "request", emit, name)


def _access(a: dict[str, Any], b: dict[str, Any], emit: Any) -> None:
    sa, sb = a.get("security"), b.get("security")
    secured_a, secured_b = bool(sa) and sa != [{}], bool(sb) and sb != [{}]
    if secured_b and not secured_a:
        emit("api.security-added", "breaking", "now requires authentication", "security")
    elif secured_a and not secured_b:
        emit("api.security-removed", "info", "no longer requires authentication", "security")
    elif secured_a and secured_b and sa != sb:
        emit(
            "api.security-changed", "breaking", f"security {_names(sa)} -> {_names(sb)}", "security"
        )
    roles_a, roles_b = a.get("x-roles"), b.get("x-roles")
    if isinstance(roles_a, list) and isinstance(roles_b, list):
        # An empty list means any signed-in user.
        for role in [r for r in roles_a if r not in roles_b]:
            if roles_b:
                emit(
                    "api.role-removed",
                    "breaking",
                    f"role {role} may no longer call it",
                    f"x-roles.{role}",
                )
        for role in [r for r in roles_b if r not in roles_a]:
            level: Level = "breaking" if not roles_a else "info"
            emit("api.role-added", level, f"role {role} may now call it", f"x-roles.{role}")
    la, lb = a.get("x-rate-limit"), b.get("x-rate-limit")
    if la != lb:
        lowered = isinstance(lb, dict) and (
            not isinstance(la, dict) or _per_second(lb) < _per_second(la)
        )
        level2: Level = "warning" if lowered else "info"
        emit("api.rate-limit-changed", level2, f"rate limit {la} -> {lb}", "x-rate-limit")


def _names(requirements: Any) -> str:
    return " or ".join(sorted({name for r in requirements for name in r})) or "none"


def _per_second(limit: dict[str, Any]) -> float:
    seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
    requests = float(limit.get("requests", 0) or 0)
    return requests / seconds.get(str(limit.get("per", "second")), 1)


def _security_schemes(docs: Documents, old: System | None, new: System | None) -> list[Change]:
    a = docs.old.get("components", {}).get("securitySchemes", {})
    b = docs.new.get("components", {}).get("securitySchemes", {})
    out = []
    either = new or old
    for name, scheme in a.items():
        if name not in b or {k: v for k, v in b[name].items() if k != "description"} != {
            k: v for k, v in scheme.items() if k != "description"
        }:
            where = either.locate("security.scheme") if either else Location("", 1, 1)
            out.append(
                Change(
                    "api.security-scheme-changed",
                    "breaking",
                    "api",
                    f"security scheme {name} {'removed' if name not in b else 'changed'}",
                    where,
                    f"securitySchemes.{name}",
                )
            )
    return out
