"""JSON Schemas of the OpenAPI document: one per entity view, plus the shared envelopes.

Why a module of its own: columns map to schemas the same way everywhere (read
model, create/update payloads, filters, custom bodies), so the mapping lives once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import naming

if TYPE_CHECKING:
    from generator.model import Column, Entity, ForeignKey, System
    from generator.spec import FieldType

Schema = dict[str, Any]

SCHEMAS = "#/components/schemas/"

_FORMATS: dict[str, Schema] = {
    "string": {"type": "string"},
    "text": {"type": "string"},
    "integer": {"type": "integer", "format": "int32"},
    "bigint": {"type": "integer", "format": "int64"},
    "float": {"type": "number", "format": "double"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "uuid": {"type": "string", "format": "uuid"},
    "email": {"type": "string", "format": "email"},
    "url": {"type": "string", "format": "uri"},
    "enum": {"type": "string"},
}


def ref(name: str) -> Schema:
    return {"$ref": SCHEMAS + name}


def decimal_pattern(precision: int | None, scale: int | None, *, signed: bool = True) -> str:
    """Decimals travel as strings so no client rounds money through a float; `signed`
    False (a minimum of 0 or more) drops the minus, the bound a string schema can carry."""
    sign = "-?" if signed else ""
    if precision is None:
        return rf"^{sign}\d+(\.\d+)?$"
    scale = scale or 0
    whole = max(precision - scale, 1)
    return (
        rf"^{sign}\d{{1,{whole}}}$"
        if scale == 0
        else rf"^{sign}\d{{1,{whole}}}(\.\d{{1,{scale}}})?$"
    )


def type_schema(field_type: FieldType) -> Schema:
    """The bare schema of a field type, for inline custom bodies that carry no column facts."""
    if field_type == "decimal":
        return {"type": "string", "format": "decimal", "pattern": decimal_pattern(None, None)}
    if field_type == "json":
        return {}  # any JSON value
    return dict(_FORMATS[field_type])


def value_schema(column: Column) -> Schema:
    """Type, format and limits of a column's value, without nullability or docs."""
    if column.type == "decimal":
        signed = column.minimum is None or column.minimum < 0
        pattern = decimal_pattern(column.precision, column.scale, signed=signed)
        return {"type": "string", "format": "decimal", "pattern": pattern}
    schema = type_schema(column.type)
    if column.values:
        schema["enum"] = list(column.values)
    if column.min_length is not None:
        schema["minLength"] = column.min_length
    if column.max_length is not None:
        schema["maxLength"] = column.max_length
    if column.minimum is not None:
        schema["minimum"] = column.minimum
    if column.maximum is not None:
        schema["maximum"] = column.maximum
    return schema


def column_schema(column: Column, *, read_only: bool = False, with_default: bool = True) -> Schema:
    schema = value_schema(column)
    if column.nullable and "type" in schema:
        # OpenAPI 3.1 is JSON Schema: null is a type, and an enum must list it too.
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    keyword, meaning = _CURRENT_TIME.get(column.type, ("", ""))
    moving = bool(keyword) and column.default == keyword
    if column.description:
        schema["description"] = column.description
    elif column.type == "json":
        schema["description"] = "Any JSON value."
    if moving and with_default:
        # The server fills it in when the row is written; a frozen example value as
        # `default` would be wrong (and is no date-time).
        note = f"Defaults to {meaning}."
        schema["description"] = (
            f"{schema['description']} {note}" if "description" in schema else note
        )
    if column.access == "immutable":
        note = "Set when the record is created; it cannot change."
        schema["description"] = (
            f"{schema['description']} {note}" if "description" in schema else note
        )
    if read_only:
        schema["readOnly"] = True
    if column.access == "write-only":
        schema["writeOnly"] = True
    if with_default and column.default is not None and not moving:
        schema["default"] = _coerce(column, column.default)
    if column.example is not None:
        schema["examples"] = [_coerce(column, column.example)]
    return schema


# Defaults the database computes when a row is written (`now`, `today`), by field type.
_CURRENT_TIME = {
    "datetime": ("now", "the time the record is created"),
    "date": ("today", "the date the record is created"),
}


def _coerce(column: Column, value: str | int | float | bool) -> str | int | float | bool:
    return str(value) if column.type == "decimal" else value


# --- which columns a view shows ------------------------------------------------


def exposed_columns(system: System, entity: Entity) -> tuple[Column, ...]:
    resource = system.resource_of(entity.name)
    if resource is not None:
        chosen = tuple(entity.column(name) for name in resource.exposed)
    else:
        # Same default as the resolver: everything but the soft-delete marker.
        chosen = tuple(c for c in entity.columns if c.role != "deleted-at")
    # Checked here too, not only in the resolver: a leaked secret is the costly mistake.
    return tuple(c for c in chosen if c.returned)


def path_bound(system: System, entity: Entity) -> frozenset[str]:
    """Foreign keys fixed by the URL of a nested resource (orderId in /orders/{orderId}/items)."""
    resource = system.resource_of(entity.name)
    if resource is None or resource.parent is None:
        return frozenset()
    parent = system.find_resource(resource.parent)
    if parent is None:
        return frozenset()
    return frozenset(fk.column for fk in entity.foreign_keys if fk.target == parent.entity)


def writable_columns(
    system: System, entity: Entity, *, partial: bool = False
) -> tuple[Column, ...]:
    """What a client may send: never server-set columns or a key the URL fixes; in an
    update (`partial`), never an immutable field either."""
    bound = path_bound(system, entity)
    return tuple(
        c
        for c in entity.columns
        if not c.server_owned and c.name not in bound and (c.changeable or not partial)
    )


def includable(system: System, entity: Entity) -> tuple[ForeignKey, ...]:
    """Relations a client may embed with include=: their key is visible and the name is free."""
    exposed = exposed_columns(system, entity)
    visible = {c.name for c in exposed}
    taken = {c.json_name for c in exposed}
    return tuple(
        fk
        for fk in entity.foreign_keys
        if fk.column in visible and naming.camel(fk.relation) not in taken
    )


# --- entity schemas --------------------------------------------------------------


def entity_schemas(system: System, entity: Entity) -> dict[str, Schema]:
    """<Entity>, <Entity>Create, <Entity>Update and <Entity>Page."""
    name = entity.name
    return {
        name: read_model(system, entity),
        f"{name}Create": write_model(system, entity, partial=False),
        f"{name}Update": write_model(system, entity, partial=True),
        f"{name}Page": page_model(name),
    }


def read_model(system: System, entity: Entity) -> Schema:
    bound = path_bound(system, entity)
    columns = exposed_columns(system, entity)
    properties: dict[str, Schema] = {
        c.json_name: column_schema(c, read_only=c.server_owned or c.name in bound) for c in columns
    }
    for fk in includable(system, entity):
        embedded: Schema = ref(fk.target)
        if fk.nullable:
            embedded = {"anyOf": [embedded, {"type": "null"}]}
        embedded["description"] = f"Embedded only when requested with include={fk.relation}."
        properties[naming.camel(fk.relation)] = embedded
    return object_schema(
        entity.description or f"A {name_words(entity.name)}.",
        properties,
        [c.json_name for c in columns],
    )


def write_model(system: System, entity: Entity, *, partial: bool) -> Schema:
    columns = writable_columns(system, entity, partial=partial)
    properties = {c.json_name: column_schema(c, with_default=not partial) for c in columns}
    secrets = [] if partial else [c for c in entity.columns if c.input is not None]
    for secret in secrets:
        assert secret.input is not None
        properties[secret.input] = input_schema(system, secret)
    if partial:
        text = f"Fields to change on a {name_words(entity.name)}; omitted fields stay as they are."
        schema = object_schema(text, properties, [])
        if properties:
            schema["minProperties"] = 1
        return schema
    required = [c.json_name for c in columns if not c.nullable and c.default is None]
    required += [c.input for c in secrets if c.input is not None and not c.nullable]
    return object_schema(f"A new {name_words(entity.name)}.", properties, required)


def input_schema(system: System, secret: Column) -> Schema:
    """The plain value of a stored secret: accepted once, never returned, stored transformed."""
    hashing = system.security.password_hashing
    schema: Schema = {"type": "string", "format": "password", "writeOnly": True}
    schema["description"] = f"Stored only as its {hashing} hash ({secret.name}); never returned."
    return schema


def page_model(entity: str) -> Schema:
    data = {"type": "array", "items": ref(entity)}
    properties = {"data": data, "pagination": ref("Pagination")}
    return object_schema(f"One page of {entity} items.", properties, ["data", "pagination"])


def object_schema(
    description: str | None, properties: dict[str, Schema], required: list[str]
) -> Schema:
    schema: Schema = {"type": "object"}
    if description:
        schema["description"] = description
    if required:
        schema["required"] = required
    schema["properties"] = properties
    return schema


def name_words(entity: str) -> str:
    return naming.snake(entity).replace("_", " ")


# --- shared envelopes --------------------------------------------------------------


def error_schemas() -> dict[str, Schema]:
    """The one error envelope of seeds 001/002/004: {error: {code, message, details}}."""
    detail = object_schema(
        "One problem with one input field.",
        {
            "field": {
                "type": "string",
                "description": "JSON name of the field.",
                "examples": ["email"],
            },
            "message": {"type": "string", "examples": ["Invalid email format"]},
        },
        ["field", "message"],
    )
    body = object_schema(
        None,
        {
            "code": {
                "type": "string",
                "description": "Stable, machine-readable error code.",
                "examples": ["VALIDATION_ERROR"],
            },
            "message": {"type": "string", "description": "Human-readable summary."},
            "details": {"type": "array", "items": ref("ErrorDetail")},
        },
        ["code", "message"],
    )
    envelope = object_schema(
        "The error envelope every error response uses.", {"error": body}, ["error"]
    )
    return {"Error": envelope, "ErrorDetail": detail}


def pagination_schema(system: System) -> Schema:
    api = system.api
    limit = {"type": "integer", "minimum": 1, "maximum": api.max_page_size}
    has_more = {"type": "boolean", "description": "Whether another page follows."}
    if api.pagination == "cursor":
        cursor = {
            "type": ["string", "null"],
            "description": "Pass as cursor= to read the next page; null on the last page.",
        }
        props: dict[str, Schema] = {"limit": limit, "hasMore": has_more, "nextCursor": cursor}
        return object_schema("Cursor pagination.", props, ["limit", "hasMore", "nextCursor"])
    total = {"type": "integer", "minimum": 0, "description": "Items across all pages."}
    page = {"type": "integer", "minimum": 1}
    props = {"total": total, "page": page, "limit": limit, "hasMore": has_more}
    return object_schema("Offset pagination.", props, ["total", "page", "limit", "hasMore"])
