"""Roles and their permissions, checked against the resources and operations they name."""

from __future__ import annotations

from generator import naming
from generator.model import Role, Security
from generator.resolve.context import Context

PERMISSION_ALIASES = {"read": {"list", "get"}, "write": {"create", "update", "replace", "delete"}}


def security(ctx: Context) -> Security:
    sec = ctx.spec.security
    resources = ctx.spec.api.resources
    roles = []
    for name, role in sec.roles.items():
        for i, permission in enumerate(role.permissions):
            if permission == "*":
                continue
            res, _, act = permission.partition(":")
            if res not in resources:
                ctx.unknown(
                    "resource",
                    res,
                    resources,
                    ctx.at("security", "roles", name, "permissions", i),
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
                    ctx.at("security", "roles", name, "permissions", i),
                    f"operations of {res}: {', '.join(sorted(actions))}",
                )
        roles.append(
            Role(
                name,
                role.description,
                tuple(role.permissions),
                ctx.at("security", "roles", name, key=True),
            )
        )
    auth = sec.authentication
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
    )


def roles_for(ctx: Context, resource: str, action: str, security: Security) -> tuple[str, ...]:
    granted = []
    for role in security.roles:
        for permission in role.permissions:
            if permission == "*":
                granted.append(role.name)
                break
            res, _, act = permission.partition(":")
            if res == resource and (
                act in ("*", action) or action in PERMISSION_ALIASES.get(act, ())
            ):
                granted.append(role.name)
                break
    return tuple(granted)
