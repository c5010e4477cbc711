"""Operations of a resource: CRUD, custom ones, and the system's own (health, auth)."""

from __future__ import annotations

from collections.abc import Mapping

from generator import naming
from generator import spec as s
from generator.diagnostics import Location, quote
from generator.model import Entity, Operation, PathParam, Security
from generator.resolve import shapes, values
from generator.resolve.context import Context
from generator.resolve.security import grants_for
from generator.spec import HttpMethod

CRUD: dict[str, tuple[HttpMethod, str, int]] = {
    # operation: (method, item or collection, success status)
    "list": ("GET", "collection", 200),
    "create": ("POST", "collection", 201),
    "get": ("GET", "item", 200),
    "update": ("PATCH", "item", 200),
    "replace": ("PUT", "item", 200),
    "delete": ("DELETE", "item", 204),
}


def operations(
    ctx: Context,
    name: str,
    resource: s.Resource,
    entity: Entity,
    collection: str,
    item: str,
    params: tuple[PathParam, ...],
    item_param: PathParam,
    security: Security,
    entities: Mapping[str, Entity],
) -> tuple[Operation, ...]:
    base = ("api", "resources", name)
    singular = naming.pascal(naming.singular(name))
    plural = naming.pascal(name)
    limit = _rate_limit(security, public=False, resource=resource.rate_limit)
    ops = []
    for kind in resource.public:
        if kind not in resource.operations:
            ctx.error(
                "public-not-operation",
                f"{quote(kind)} is listed as public but is not an operation of {quote(name)}",
                ctx.at(*base, "public", resource.public.index(kind)),
                "add it to 'operations' or remove it from 'public'",
            )
    if any(CRUD[kind][1] == "item" for kind in resource.operations):
        check_parameters(
            ctx,
            [p.name for p in (*params, item_param)],
            ctx.at(*base, "parent") if resource.parent else ctx.at(*base, key=True),
            "rename this resource or its parent so their singular names differ",
        )
    elif params:
        check_parameters(
            ctx,
            [p.name for p in params],
            ctx.at(*base, "parent"),
            "rename the resources so their singular names differ",
        )
    seen: set[str] = set()
    for i, kind in enumerate(resource.operations):
        if kind in seen:
            ctx.error(
                "duplicate-operation",
                f"operation {quote(kind)} is listed twice",
                ctx.at(*base, "operations", i),
            )
            continue
        seen.add(kind)
        method, scope, status = CRUD[kind]
        is_item = scope == "item"
        public = kind in resource.public
        op_id = f"{kind}{plural if kind == 'list' else singular}"
        summary = _summary(kind, name)
        ops.append(
            Operation(
                id=op_id,
                kind=kind,
                method=method,
                path=item if is_item else collection,
                summary=summary,
                success_status=status,
                public=public,
                location=ctx.at(*base, "operations", i),
                resource=name,
                entity=entity.name,
                permission=f"{name}:{kind}",
                grants=() if public else grants_for(name, kind, security),
                owned=entity.ownership is not None,
                path_params=(*params, item_param) if is_item else params,
                rate_limit=_rate_limit(security, public=True, resource=resource.rate_limit)
                if public
                else limit,
                lint_ignore=tuple(resource.lint_ignore),
                envelope=naming.camel(resource.envelope) if resource.envelope else None,
                view=resource.view,
            )
        )
    for custom_name, custom in resource.custom.items():
        where = ("api", "resources", name, "custom", custom_name)
        path = collection + custom.path.rstrip("/") if custom.path not in ("", "/") else collection
        path_params = list(params)
        for segment in custom.path.split("/"):
            if segment.startswith("{"):
                param = segment[1:-1]
                path_params.append(
                    item_param if param == item_param.name else PathParam(param, entity.name)
                )
        check_parameters(
            ctx,
            [p.name for p in path_params],
            ctx.at(*where, "path"),
            "give each '{...}' segment its own name",
        )
        for body_name in ("request", "response"):
            body = getattr(custom, body_name)
            if (
                body is not None
                and body.entity is not None
                and body.entity not in ctx.spec.entities
            ):
                ctx.unknown(
                    "entity",
                    body.entity,
                    ctx.spec.entities,
                    ctx.at(*where, body_name, "entity"),
                    "add it under 'entities:'",
                )
        bodies = {
            body_name: shapes.body(
                ctx,
                (*where, body_name),
                spec_body,
                request=body_name == "request",
                entities=entities,
                resource_entity=entity.name,
                resource_envelope=resource.envelope,
            )
            for body_name in ("request", "response")
            if (spec_body := getattr(custom, body_name)) is not None
        }
        public = custom.public or custom.auth in ("optional", "none")
        if custom.public and custom.auth == "required":
            ctx.error(
                "public-and-auth-required",
                "a public operation cannot require credentials",
                ctx.at(*where, "auth"),
                "remove 'public: true' or 'auth: required'",
            )
        ops.append(
            Operation(
                id=f"{naming.camel(custom_name)}{singular}",
                kind="custom",
                method=custom.method,
                path=path,
                summary=custom.summary or naming.snake(custom_name).replace("_", " ").capitalize(),
                success_status=custom.status,
                public=public,
                location=ctx.at(*where, key=True),
                resource=name,
                entity=entity.name,
                permission=f"{name}:{naming.kebab(custom_name)}",
                grants=() if public else grants_for(name, naming.kebab(custom_name), security),
                owned=entity.ownership is not None,
                path_params=tuple(path_params),
                request=bodies.get("request"),
                response=bodies.get("response"),
                description=custom.description,
                rate_limit=_rate_limit(security, public=True, resource=resource.rate_limit)
                if public
                else limit,
                lint_ignore=tuple(custom.lint_ignore) + tuple(resource.lint_ignore),
                query=shapes.query(ctx, where, custom.query),
                headers=tuple(custom.headers),
                optional_auth=custom.auth == "optional",
            )
        )
    return tuple(ops)


def check_parameters(ctx: Context, names: list[str], location: Location, hint: str) -> None:
    """OpenAPI forbids two path parameters of one name, and a URL could not say which is which."""
    for name in values.duplicates(names):
        ctx.error(
            "duplicate-parameter",
            f"path parameter {quote(name)} appears twice in one path",
            location,
            hint,
        )


def system_operations(ctx: Context, prefix: str, security: Security) -> list[Operation]:
    where = ctx.at("security", "authentication", key=True)
    ops = [
        Operation(
            "getHealth",
            "health",
            "GET",
            "/health",
            "Service health",
            200,
            True,
            ctx.at("api", key=True),
            description="Liveness, and the status of each dependency it needs.",
        )
    ]
    if security.password_login:
        public_limit = _rate_limit(security, public=True, resource=None)
        ops += [
            Operation(
                "login",
                "login",
                "POST",
                f"{prefix}/auth/login",
                "Log in with credentials",
                200,
                True,
                where,
                rate_limit=public_limit,
            ),
            Operation(
                "refreshToken",
                "refresh",
                "POST",
                f"{prefix}/auth/refresh",
                "Exchange a refresh token for new tokens",
                200,
                True,
                where,
                rate_limit=public_limit,
            ),
            Operation(
                "logout",
                "logout",
                "POST",
                f"{prefix}/auth/logout",
                "Revoke the refresh token",
                204,
                False,
                where,
                rate_limit=_rate_limit(security, public=False, resource=None),
            ),
        ]
    return ops


def _summary(kind: str, resource: str) -> str:
    plural = naming.snake(resource).replace("_", " ")
    one = naming.singular(plural)
    if kind == "list":
        return f"List {plural}"
    verb = {"get": "Get", "create": "Create", "update": "Update", "replace": "Replace"}
    text = f"{verb.get(kind, 'Delete')} {_article(one)} {one}"
    return f"{text} (partial)" if kind == "update" else text


def _article(word: str) -> str:
    """'an order', 'a user': by the first sound, which the first letter mostly tells."""
    vowel = word[:1] in "aeio" or (word[:1] == "u" and not word.startswith(("uni", "us", "ut")))
    return "an" if vowel else "a"


def _rate_limit(security: Security, *, public: bool, resource: int | None) -> s.RateLimit | None:
    if resource is not None:
        return s.RateLimit(requests=resource, per="minute")
    limits = security.rate_limits
    if public and "public" in limits:
        return limits["public"]
    return limits.get("default")
