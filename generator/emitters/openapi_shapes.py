"""Schemas of declared shapes: named views, custom bodies, computed fields and envelopes.

Why apart from the entity schemas: these say exactly what the spec declares (some
fields of an entity, values the server computes, an object wrapped under a key),
where the entity schemas follow from the columns alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.emitters.openapi_schemas import (
    Schema,
    column_schema,
    input_schema,
    object_schema,
    ref,
    type_schema,
    value_schema,
)

if TYPE_CHECKING:
    from generator.model import Body, BodyField, Column, Entity, System, View


def view_schemas(system: System) -> dict[str, Schema]:
    return {view.name: view_schema(system, view) for view in system.api.views}


def view_schema(system: System, view: View) -> Schema:
    entity = system.entity(view.entity)
    columns = [entity.column(name) for name in view.columns]
    properties = {c.json_name: column_schema(c, read_only=c.server_owned) for c in columns}
    properties |= {f.json_name: field_schema(f) for f in view.fields}
    required = [c.json_name for c in columns] + [f.json_name for f in view.fields if f.required]
    return object_schema(view.description or None, properties, required)


def field_schema(field: BodyField) -> Schema:
    """A computed or request-only value: its type (or a view's object), list, null, meaning."""
    schema: Schema = (
        ref(field.view) if field.view is not None else type_schema(field.type or "json")
    )
    if field.values:
        schema["enum"] = list(field.values)
    if field.many:
        schema = {"type": "array", "items": schema}
    if field.nullable:
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
        else:
            schema = {"anyOf": [schema, {"type": "null"}]}
    if field.description:
        schema["description"] = field.description  # beside a $ref too, as OpenAPI 3.1 allows
    return schema


def envelope(item: Schema, key: str | None, count: str | None = None) -> Schema:
    """{key: item}, and the total number of matches beside a list when `count` is given."""
    if key is None:
        return item
    properties: dict[str, Schema] = {key: item}
    if count is not None:
        properties[count] = {
            "type": "integer",
            "minimum": 0,
            "description": "Number of matches across all pages.",
        }
    return object_schema(None, properties, list(properties))


def body_schema(system: System, body: Body, *, request: bool, entity: Entity | None) -> Schema:
    """A custom operation's body as declared: a view, an entity or some of its fields,
    inline fields; a list of these; wrapped in an envelope.

    An inline field named like a column of the operation's entity, with its type, is that
    column: its enum values and limits apply (`role: enum` in a change-role request)."""
    item: Schema
    if body.view is not None:
        item = ref(body.view)
    elif body.entity is not None and body.only is None and not body.fields and not body.partial:
        # A request carries what a client may write; a response shows the read model.
        item = ref(body.entity if not request else f"{body.entity}Create")
    elif body.entity is not None:
        item = _entity_fields(system, body, system.entity(body.entity), request=request)
    else:
        columns = {c.name: c for c in entity.columns} if entity is not None else {}
        properties = {f.json_name: _inline(f, columns.get(f.name)) for f in body.fields}
        required = [] if body.partial else [f.json_name for f in body.fields if f.required]
        item = object_schema(None, properties, required)
    if body.many:
        item = {"type": "array", "items": item}
    return envelope(item, body.envelope, body.count)


def _inline(field: BodyField, column: Column | None) -> Schema:
    plain = not (field.values or field.many or field.nullable or field.description)
    if column is not None and column.type == field.type and plain:
        return value_schema(column)
    return field_schema(field)


def _entity_fields(system: System, body: Body, entity: Entity, *, request: bool) -> Schema:
    """Some fields of an entity, as a request (what a client may write) or a response."""
    chosen = set(body.only) if body.only is not None else None
    properties: dict[str, Schema] = {}
    required: list[str] = []
    if request:
        columns = [
            c for c in entity.columns if not c.server_owned and (chosen is None or c.name in chosen)
        ]
        for c in columns:
            properties[c.json_name] = column_schema(c, with_default=not body.partial)
            if not c.nullable and c.default is None:
                required.append(c.json_name)
        for secret in entity.columns:
            if secret.input is not None and (chosen is None or secret.input in chosen):
                properties[secret.input] = input_schema(system, secret)
                if not secret.nullable:
                    required.append(secret.input)
    else:
        columns = [c for c in entity.columns if c.readable and (chosen is None or c.name in chosen)]
        properties = {c.json_name: column_schema(c, read_only=c.server_owned) for c in columns}
        required = [c.json_name for c in columns]
    for field in body.fields:
        properties[field.json_name] = field_schema(field)
        if field.required:
            required.append(field.json_name)
    return object_schema(None, properties, [] if body.partial else required)
