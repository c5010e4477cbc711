"""Roles and their permissions, checked against the resources, operations and owners they name.

A permission is `resource:operation[:scope]`. On an entity with an owner the scope is
required: `own` reaches only the caller's records, `any` every record. Asking for it
rather than defaulting keeps a spec from granting every customer every order by omission.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator import naming
from generator.diagnostics import quote
from generator.model import Column, Entity, Grant, Operation, Role, Scope, Security
from generator.resolve.context import Context

PERMISSION_ALIASES = {"read": {"list", "get"}, "write": {"create", "update", "replace", "delete"}}


def parse_permission(permission: str) -> tuple[str, str, Scope | None]:
    """'orders:read:own' -> ('orders', 'read', 'own'); custom names in kebab case."""
    resource, _, rest = permission.partition(":")
    action, _, scope = rest.partition(":")
    return resource, naming.kebab(action), "own" if scope == "own" else "any" if scope else None


def security(ctx: Context, tables: Iterable[Entity]) -> Security:
    sec = ctx.spec.security
    resources = ctx.spec.api.resources
    entities = {e.name: e for e in tables}
    roles = []
    for name, role in sec.roles.items():
        for i, permission in enumerate(role.permissions):
            if permission == "*":
                continue
            where = ctx.at("security", "roles", name, "permissions", i)
            res, act, scope = parse_permission(permission)
            if res not in resources:
                ctx.unknown(
                    "resource",
                    res,
                    resources,
                    where,
                    "permissions are 'resource:operation' with a resource of api.resources",
                )
                continue
            actions = (
                set(resources[res].operations)
                | {naming.kebab(c) for c in resources[res].custom}
                | set(PERMISSION_ALIASES)
                | {"*"}
            )
            if act not in actions:
                ctx.unknown(
                    "operation",
                    act,
                    actions,
                    where,
                    f"operations of {res}: {', '.join(sorted(actions))}",
                )
            entity = entities.get(resources[res].entity)
            if entity is None:
                continue
            if entity.ownership is None and scope is not None:
                ctx.error(
                    "scope-without-owner",
                    f"permission {quote(permission)} has a scope, but {entity.name} has no owner",
                    where,
                    f"remove ':{scope}', or add 'owner:' to entities.{entity.name}",
                )
            elif entity.ownership is not None and scope is None:
                ctx.error(
                    "scope-required",
                    f"{entity.name} records have an owner: say whether {quote(permission)} reaches the caller's own or any",
                    where,
                    f"write '{permission}:own' (only the caller's) or '{permission}:any'",
                )
        roles.append(
            Role(
                name,
                role.description,
                tuple(role.permissions),
                ctx.at("security", "roles", name, key=True),
                staff=role.staff,
            )
        )
    auth = sec.authentication
    if auth.principal is not None and auth.principal not in entities:
        ctx.unknown(
            "entity",
            auth.principal,
            [e for e in entities if not entities[e].is_join_table],
            ctx.at("security", "authentication", "principal"),
            "name the entity a credential identifies, e.g. User",
        )
    return Security(
        auth.scheme,
        auth.access_token_ttl_minutes,
        auth.refresh_token_ttl_days,
        auth.password_hashing,
        auth.mfa,
        tuple(roles),
        dict(sec.rate_limits),
        sec.encryption,
        sec.pii_retention_days,
        ctx.at("security", key=True),
        principal=auth.principal,
        credential=_credential(ctx, entities, auth.principal),
        header=auth.header,
    )


def _credential(ctx: Context, entities: dict[str, Entity], principal: str | None) -> Column | None:
    """The stored password: a field with `input:`, on the account entity when one is named."""
    candidates = [entities[principal]] if principal in entities else list(entities.values())
    found = [c for e in candidates for c in e.columns if c.input is not None]
    return found[0] if found else None


def grants_for(resource: str, action: str, security: Security) -> tuple[Grant, ...]:
    """Each role that may call `resource:action`, with the widest scope it holds."""
    granted = []
    for role in security.roles:
        scopes: set[Scope] = set()
        for permission in role.permissions:
            if permission == "*":
                scopes.add("any")
                continue
            res, act, scope = parse_permission(permission)
            if res == resource and (
                act in ("*", action) or action in PERMISSION_ALIASES.get(act, ())
            ):
                scopes.add(scope or "any")
        if scopes:
            granted.append(Grant(role.name, "any" if "any" in scopes else "own"))
    return tuple(granted)


def check_granted(ctx: Context, security: Security, operations: Iterable[Operation]) -> None:
    """Where roles are declared, every operation a caller signs in for is granted to one:
    an operation no role names would otherwise be open to every signed-in user while the
    authorization matrix shows it closed. With no roles at all, signing in is the only
    check, which the document and the contract say and the review flags."""
    if security.scheme == "none" or not security.roles:
        return
    for op in operations:
        if op.resource is None or op.public or op.grants:
            continue
        suffix = ":own" if op.owned else ""
        ctx.error(
            "ungranted-operation",
            f"no role is granted {quote(op.permission or op.id)} ({op.method} {op.path})",
            op.location,
            f"add '{op.permission}{suffix}' to a role under security.roles, or list it under 'public'",
        )
