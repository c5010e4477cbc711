"""The API: resource paths, nesting, exposed columns, and one route per operation."""

from __future__ import annotations

from generator import naming
from generator import spec as s
from generator.diagnostics import quote
from generator.model import Api, Entity, Operation, PathParam, Resource, Security
from generator.resolve import shapes
from generator.resolve.context import Context
from generator.resolve.names import check_confusable
from generator.resolve.operations import operations, system_operations
from generator.resolve.security import check_granted

_METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def api(ctx: Context, entities: dict[str, Entity], security: Security) -> Api:
    spec_api = ctx.spec.api
    prefix = spec_api.base_path + (f"/{spec_api.version}" if spec_api.version else "")
    resources = ctx.spec.api.resources
    check_confusable(ctx, "resource", resources, ("api", "resources"))
    if spec_api.page_size > spec_api.max_page_size:
        ctx.error(
            "page-size-over-max",
            f"page_size {spec_api.page_size} is over max_page_size {spec_api.max_page_size}; the 'limit' parameter's default would break its own maximum",
            ctx.at("api", "page_size"),
            "lower page_size or raise max_page_size",
        )
    system_views = shapes.views(ctx, entities)
    built: list[Resource] = []
    for name, resource in resources.items():
        base = ("api", "resources", name)
        if resource.entity not in entities:
            ctx.unknown(
                "entity",
                resource.entity,
                [e for e in entities if not entities[e].is_join_table],
                ctx.at(*base, "entity"),
                "add it under 'entities:'",
            )
            continue
        chain = parent_chain(ctx, name)
        if chain is None:
            continue
        collection, params = prefix, []
        for parent_name in chain:
            parent_param = path_param(parent_name, resources[parent_name])
            collection += f"/{parent_name}/{{{parent_param.name}}}"
            params.append(parent_param)
        collection += f"/{name}"
        entity = entities[resource.entity]
        check_lookup(ctx, name, resource, entity)
        item_param = path_param(name, resource)
        item = f"{collection}/{{{item_param.name}}}"
        if resource.parent is not None and resource.parent in resources:
            parent_entity = resources[resource.parent].entity
            if not any(fk.target == parent_entity for fk in entity.foreign_keys):
                ctx.error(
                    "parent-without-relation",
                    f"resource {quote(name)} is nested under {quote(resource.parent)} but {resource.entity} has no relation to {parent_entity}",
                    ctx.at(*base, "parent"),
                    f"add a relation with 'target: {parent_entity}' to {resource.entity}",
                )
        shown = exposed(ctx, name, resource, entity)
        if resource.view is not None and resource.view not in system_views:
            ctx.unknown(
                "view",
                resource.view,
                system_views,
                ctx.at(*base, "view"),
                "add it under 'api.views:'",
            )
        resource_ops = operations(
            ctx,
            name,
            resource,
            entity,
            collection,
            item,
            tuple(params),
            item_param,
            security,
            entities,
        )
        built.append(
            Resource(
                name,
                resource.entity,
                collection,
                item,
                resource.parent,
                resource_ops,
                shown,
                ctx.at(*base, key=True),
                tuple(resource.lint_ignore),
                resource.lookup or "id",
                naming.camel(resource.envelope) if resource.envelope else None,
                resource.view,
            )
        )
    system_ops = system_operations(ctx, prefix, security)
    all_ops = [op for r in built for op in r.operations] + system_ops
    check_unique_operations(ctx, all_ops)
    check_granted(ctx, security, all_ops)
    ordered = tuple(sorted(all_ops, key=lambda op: (op.path, _METHOD_ORDER[op.method])))
    return Api(
        prefix,
        spec_api.base_path,
        spec_api.version,
        spec_api.pagination,
        spec_api.page_size,
        spec_api.max_page_size,
        tuple(built),
        ordered,
        ctx.at("api", key=True),
        tuple(system_views.values()),
    )


def path_param(name: str, resource: s.Resource) -> PathParam:
    """The segment naming an item: {orderId} by default, {id}, or a lookup field ({slug})."""
    if resource.lookup is None:
        return PathParam(naming.camel(naming.singular(name)) + "Id", resource.entity)
    return PathParam(naming.camel(resource.lookup), resource.entity, resource.lookup)


def check_lookup(ctx: Context, name: str, resource: s.Resource, entity: Entity) -> None:
    """A lookup names one record for good: a unique field that is never empty."""
    lookup = resource.lookup
    if lookup is None or lookup == "id":
        return
    where = ctx.at("api", "resources", name, "lookup")
    columns = {c.name: c for c in entity.columns}
    if lookup not in columns:
        ctx.unknown(
            "field",
            lookup,
            [c.name for c in entity.fields],
            where,
            f"{entity.name} has no such field",
        )
        return
    column = columns[lookup]
    if not column.unique or column.nullable or not column.returned:
        ctx.error(
            "lookup-not-unique",
            f"lookup {quote(lookup)} of resource {quote(name)} must be a unique, non-null, readable field of {entity.name}",
            where,
            f"add 'unique: true' to {entity.name}.{lookup}, or look items up by id",
        )


def parent_chain(ctx: Context, name: str) -> list[str] | None:
    resources = ctx.spec.api.resources
    chain: list[str] = []
    current = resources[name].parent
    while current is not None:
        if current not in resources:
            ctx.unknown(
                "resource",
                current,
                resources,
                ctx.at("api", "resources", chain[-1] if chain else name, "parent"),
                "add it under 'api.resources:'",
            )
            return None
        if current == name or current in chain:
            ctx.error(
                "parent-cycle",
                f"resource {quote(name)} is nested inside itself through 'parent'",
                ctx.at("api", "resources", name, "parent"),
            )
            return None
        chain.append(current)
        current = resources[current].parent
    return list(reversed(chain))


def exposed(ctx: Context, name: str, resource: s.Resource, entity: Entity) -> tuple[str, ...]:
    visible = [c.name for c in entity.columns if c.readable]
    if resource.fields is None:
        return tuple(visible)
    for i, field_name in enumerate(resource.fields):
        if field_name not in {c.name for c in entity.columns}:
            ctx.unknown(
                "field",
                field_name,
                [c.name for c in entity.columns],
                ctx.at("api", "resources", name, "fields", i),
                f"{entity.name} has no such column",
            )
    chosen = set(resource.fields) | {"id"}
    return tuple(c for c in visible if c in chosen)


def check_unique_operations(ctx: Context, ops: list[Operation]) -> None:
    by_id: dict[str, Operation] = {}
    by_route: dict[tuple[str, str], Operation] = {}
    for op in ops:
        if op.id in by_id:
            ctx.error(
                "duplicate-operation",
                f"operation id {quote(op.id)} is generated twice (also at line {by_id[op.id].location.line})",
                op.location,
                "rename the custom operation",
            )
        by_id.setdefault(op.id, op)
        route = (op.method, _route_shape(op.path))
        if route in by_route and by_route[route].id != op.id:
            ctx.error(
                "duplicate-route",
                f"{op.method} {op.path} is already defined by {quote(by_route[route].id)}",
                op.location,
                "change the path or method",
            )
        by_route.setdefault(route, op)


# --- security, observability ----------------------------------------------


def _route_shape(path: str) -> str:
    return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))
