"""Shapes of custom operations: named views, bodies, computed fields and query parameters.

Why a module of its own: a view and a body are checked the same way (the entity's
readable or writable columns, computed fields with a type or a view, JSON names that
do not collide), and the operations only assemble what this returns.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator import naming
from generator import spec as s
from generator.diagnostics import quote
from generator.loader import PathKey
from generator.model import Body, BodyField, Column, Entity, QueryParam, View
from generator.resolve.context import Context

# Schemas every entity gets in the contract; a view named like one would replace it.
_ENTITY_SCHEMAS = ("", "Create", "Update", "Page")


def views(ctx: Context, entities: Mapping[str, Entity]) -> dict[str, View]:
    declared = ctx.spec.api.views
    taken = {e + suffix for e in entities for suffix in _ENTITY_SCHEMAS}
    result: dict[str, View] = {}
    for name, view in declared.items():
        base: PathKey = ("api", "views", name)
        if name in taken:
            ctx.error(
                "duplicate-schema",
                f"view {quote(name)} has the name of an entity's schema",
                ctx.at(*base, key=True),
                f"name it differently, e.g. {name}View",
            )
            continue
        entity = entities.get(view.entity)
        if entity is None:
            ctx.unknown(
                "entity", view.entity, entities, ctx.at(*base, "entity"), "add it under 'entities:'"
            )
            continue
        readable = [c for c in entity.columns if c.readable]
        columns = _chosen(ctx, base, view.only, readable, entity, "readable")
        fields = body_fields(ctx, base, view.fields, declared, {c.json_name for c in readable})
        for field in fields:
            if not field.description:
                # A computed value means nothing to a client until it says how it is made.
                ctx.error(
                    "computed-without-description",
                    f"computed field {quote(field.name)} of view {quote(name)} has no description",
                    ctx.at(*base, "fields", field.name, key=True),
                    "say what it holds and how the server computes it, under 'description:'",
                )
        result[name] = View(
            name,
            entity.name,
            view.description,
            tuple(c.name for c in columns),
            fields,
            ctx.at(*base, key=True),
        )
    return result


def _chosen(
    ctx: Context,
    base: PathKey,
    only: list[str] | None,
    allowed: list[Column],
    entity: Entity,
    what: str,
    extra: tuple[str, ...] = (),
) -> list[Column]:
    """The columns `only` names, in the entity's order; every name must be `allowed`."""
    if only is None:
        return allowed
    names = {c.name for c in allowed}
    for i, field_name in enumerate(only):
        if field_name not in names and field_name not in extra:
            ctx.unknown(
                "field",
                field_name,
                [*names, *extra],
                ctx.at(*base, "only", i),
                f"name a {what} field of {entity.name}",
            )
    return [c for c in allowed if c.name in only]


def body_fields(
    ctx: Context,
    base: PathKey,
    fields: Mapping[str, s.BodyField],
    declared_views: Mapping[str, s.View],
    taken: set[str],
    columns: Mapping[str, Column] | None = None,
) -> tuple[BodyField, ...]:
    """`columns`: those of the operation's entity, whose enum values a same-named field takes."""
    result = []
    for field_name, field in fields.items():
        where = ctx.at(*base, "fields", field_name, key=True)
        json_name = naming.camel(field_name)
        if (field.type is None) == (field.view is None):
            ctx.error(
                "field-without-type",
                f"field {quote(field_name)} needs either 'type' or 'view'",
                where,
                "give its type, e.g. 'type: boolean', or the view it holds",
            )
            continue
        if field.view is not None and field.view not in declared_views:
            ctx.unknown(
                "view",
                field.view,
                declared_views,
                ctx.at(*base, "fields", field_name, "view"),
                "add it under 'api.views:'",
            )
            continue
        borrowed = (columns or {}).get(field_name)
        if field.type == "enum" and not field.values and not (borrowed and borrowed.values):
            ctx.error(
                "enum-without-values",
                f"enum field {quote(field_name)} lists no values",
                where,
                "add 'values: [...]'",
            )
        if json_name in taken:
            ctx.error(
                "duplicate-column",
                f"field {quote(field_name)} has the JSON name of a field the body already shows",
                where,
                "rename it",
            )
            continue
        taken.add(json_name)
        result.append(
            BodyField(
                field_name,
                json_name,
                field.type,
                field.view,
                field.many,
                tuple(field.values or ()),
                field.nullable,
                field.required,
                field.description,
            )
        )
    return tuple(result)


def body(
    ctx: Context,
    base: PathKey,
    spec_body: s.CustomBody,
    *,
    request: bool,
    entities: Mapping[str, Entity],
    resource_entity: str,
    resource_envelope: str | None,
) -> Body:
    declared_views = ctx.spec.api.views
    if spec_body.entity is not None and spec_body.view is not None:
        ctx.error(
            "body-entity-and-view",
            "a body is an entity or a view, not both",
            ctx.at(*base, "view"),
            "remove 'entity' or 'view'",
        )
    if spec_body.view is not None and spec_body.view not in declared_views:
        ctx.unknown(
            "view",
            spec_body.view,
            declared_views,
            ctx.at(*base, "view"),
            "add it under 'api.views:'",
        )
    entity = entities.get(spec_body.entity) if spec_body.entity is not None else None
    taken: set[str] = set()
    only: tuple[str, ...] | None = None
    if spec_body.only is not None and entity is None:
        ctx.error(
            "only-without-entity",
            "'only' picks fields of the body's entity, and it names none",
            ctx.at(*base, "only"),
            "add 'entity:' or list the fields under 'fields:'",
        )
    elif entity is not None:
        if request:
            allowed = [c for c in entity.columns if not c.server_owned]
            inputs = tuple(c.input for c in entity.columns if c.input is not None)
        else:
            allowed = [c for c in entity.columns if c.readable]
            inputs = ()
        chosen = _chosen(
            ctx,
            base,
            spec_body.only,
            allowed,
            entity,
            "writable" if request else "readable",
            inputs,
        )
        if spec_body.only is not None:
            only = tuple(c.name for c in chosen) + tuple(i for i in inputs if i in spec_body.only)
        taken = {c.json_name for c in chosen} | set(inputs)
    own = entities.get(resource_entity)
    same_named = {c.name: c for c in own.columns} if own is not None and entity is None else None
    fields = body_fields(ctx, base, spec_body.fields, declared_views, taken, same_named)
    if spec_body.count is not None and not (spec_body.many and spec_body.envelope):
        ctx.error(
            "count-without-envelope",
            "'count' is the total beside an enveloped list: it needs 'many' and 'envelope'",
            ctx.at(*base, "count"),
            "add 'many: true' and 'envelope:', or remove 'count'",
        )
    shown = spec_body.entity or (
        declared_views[spec_body.view].entity if spec_body.view in declared_views else None
    )
    envelope = spec_body.envelope
    if envelope is None and shown == resource_entity and not spec_body.many:
        envelope = resource_envelope
    return Body(
        spec_body.entity,
        fields,
        spec_body.many,
        view=spec_body.view,
        only=only,
        partial=spec_body.partial,
        envelope=naming.camel(envelope) if envelope else None,
        count=naming.camel(spec_body.count) if spec_body.count else None,
    )


def query(
    ctx: Context, base: PathKey, params: Mapping[str, s.QueryParameter]
) -> tuple[QueryParam, ...]:
    result = []
    for name, param in params.items():
        where = ctx.at(*base, "query", name, key=True)
        if param.type == "enum" and not param.values:
            ctx.error(
                "enum-without-values",
                f"enum parameter {quote(name)} lists no values",
                where,
                "add 'values: [...]'",
            )
        if param.values and param.default is not None and param.default not in param.values:
            ctx.error(
                "invalid-default",
                f"default {quote(str(param.default))} of {quote(name)} is not one of its values",
                ctx.at(*base, "query", name, "default"),
            )
        result.append(
            QueryParam(
                naming.camel(name),
                param.type,
                param.description,
                tuple(param.values or ()),
                param.default,
                param.minimum,
                param.maximum,
                param.required,
            )
        )
    return tuple(result)
