"""Query, path and header parameters of an operation: paging, filters, sort, fields, include.

Why apart from responses: which columns a client may filter and sort by follows from
the indexes (query only what is indexed), a rule worth finding by file name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import naming
from generator.emitters.openapi_components import PARAMETERS
from generator.emitters.openapi_schemas import (
    Schema,
    exposed_columns,
    includable,
    name_words,
    type_schema,
    value_schema,
)

if TYPE_CHECKING:
    from generator.model import Column, Entity, Operation, PathParam, QueryParam, System

Component = dict[str, Any]

_PAGING = frozenset({"page", "cursor", "limit", "sort", "fields", "include", "q"})


def parameters(system: System, op: Operation, entity: Entity | None) -> list[Component]:
    result: list[Component] = [path_parameter(system, param) for param in op.path_params]
    if entity is not None and entity.versioned and op.kind in ("update", "replace"):
        result.append({"$ref": PARAMETERS + "IfMatch"})
    if "Idempotency-Key" in op.headers:
        result.append({"$ref": PARAMETERS + "IdempotencyKey"})
    result += [query_parameter(p) for p in op.query]
    if entity is None:
        return result
    if op.kind == "list":
        paging = "Cursor" if system.api.pagination == "cursor" else "Page"
        result += [{"$ref": PARAMETERS + paging}, {"$ref": PARAMETERS + "Limit"}]
        result += filters(system, op, entity)
        if entity.search:
            result.append(search_parameter(entity))
        sort = sort_parameter(system, entity)
        if sort is not None:
            result.append(sort)
    if op.kind in ("list", "get"):
        result.append({"$ref": PARAMETERS + f"{entity.name}Fields"})
        if includable(system, entity):
            result.append({"$ref": PARAMETERS + f"{entity.name}Include"})
    return result


def path_parameter(system: System, param: PathParam) -> Component:
    """A path segment typed like the column it carries: a UUID, a bigint id or a slug."""
    entity = system.find_entity(param.entity)
    column = entity.column(param.column) if entity is not None else None
    if column is None:
        schema: Schema = {"type": "string", "format": "uuid"}
    else:
        schema = value_schema(column)
    what = (
        "Id" if param.column == "id" else naming.snake(param.column).replace("_", " ").capitalize()
    )
    return {
        "name": param.name,
        "in": "path",
        "required": True,
        "description": f"{what} of the {name_words(param.entity)}.",
        "schema": schema,
    }


def query_parameter(param: QueryParam) -> Component:
    """A declared query parameter: its type, allowed values, bounds and default."""
    schema = type_schema(param.type)
    if param.values:
        schema["enum"] = list(param.values)
    if param.minimum is not None:
        schema["minimum"] = param.minimum
    if param.maximum is not None:
        schema["maximum"] = param.maximum
    if param.default is not None:
        schema["default"] = param.default
    result: Component = {"name": param.name, "in": "query"}
    if param.required:
        result["required"] = True
    if param.description:
        result["description"] = param.description
    result["schema"] = schema
    return result


def search_parameter(entity: Entity) -> Component:
    """`q`: the full-text index of the entity, which is only worth its cost if reachable."""
    over = ", ".join(naming.camel(f.column) for f in entity.search)
    return {
        "name": "q",
        "in": "query",
        "description": f"Full-text search over {over}; best matches first.",
        "schema": {"type": "string", "minLength": 1},
    }


def entity_parameters(system: System) -> dict[str, Component]:
    """`fields` and `include` of each entity, shared by its list and get operations;
    those of entities without such operations are pruned with the other unused components."""
    result: dict[str, Component] = {}
    for entity in system.entities:
        result[f"{entity.name}Fields"] = fields_parameter(system, entity)
        include = include_parameter(system, entity)
        if include is not None:
            result[f"{entity.name}Include"] = include
    return result


def filterable(system: System, entity: Entity) -> tuple[Column, ...]:
    """Indexed and enum columns: filters the database can answer without a full scan."""
    # Not the cursor-pagination index: it serves the page order, not a filter.
    indexed = {
        name for index in entity.indexes if index.origin != "pagination" for name in index.columns
    }
    return tuple(
        c
        for c in exposed_columns(system, entity)
        if (c.name in indexed or c.type == "enum") and c.type != "json"
    )


def filters(system: System, op: Operation, entity: Entity) -> list[Component]:
    taken = set(_PAGING) | {p.name for p in op.path_params}
    plural = naming.snake(op.resource or entity.name).replace("_", " ")
    result: list[Component] = []
    for column in filterable(system, entity):
        for name, text in _filter_names(column, plural):
            if name in taken:
                continue  # a path parameter already fixes it, or it would shadow paging
            taken.add(name)
            schema = value_schema(column)
            result.append({"name": name, "in": "query", "description": text, "schema": schema})
    return result


def _filter_names(column: Column, plural: str) -> list[tuple[str, str]]:
    json = column.json_name
    if column.type in ("date", "datetime"):
        return [
            (f"{json}After", f"Only {plural} with {json} at or after this value."),
            (f"{json}Before", f"Only {plural} with {json} before this value."),
        ]
    return [(json, f"Only {plural} whose {json} equals this value.")]


def sortable(system: System, entity: Entity) -> list[str]:
    """Indexed, unique and timestamp columns; ids are random, so ordering by them means nothing."""
    # Not the cursor-pagination index: it serves the page order, not a filter.
    indexed = {
        name for index in entity.indexes if index.origin != "pagination" for name in index.columns
    }
    return [
        c.json_name
        for c in exposed_columns(system, entity)
        if (c.name in indexed or c.unique or c.role in ("created-at", "updated-at"))
        and c.type not in ("json", "uuid")
    ]


def sort_parameter(system: System, entity: Entity) -> Component | None:
    fields = sortable(system, entity)
    if not fields:
        return None
    one = f"[+-]?(?:{'|'.join(fields)})"
    schema: Schema = {"type": "string", "pattern": f"^{one}(?:,{one})*$"}
    example = "-createdAt" if "createdAt" in fields else f"+{fields[0]}"
    if "createdAt" in fields:
        schema["default"] = "-createdAt"
    text = f"Comma-separated sort keys, '-' for descending: {', '.join(fields)}."
    return {
        "name": "sort",
        "in": "query",
        "description": text,
        "schema": schema,
        "example": example,
    }


def fields_parameter(system: System, entity: Entity) -> Component:
    names = [c.json_name for c in exposed_columns(system, entity)]
    items = {"type": "string", "enum": names}
    return {
        "name": "fields",
        "in": "query",
        "description": "Sparse fieldset: return only these properties.",
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": items, "uniqueItems": True},
    }


def include_parameter(system: System, entity: Entity) -> Component | None:
    relations = [fk.relation for fk in includable(system, entity)]
    if not relations:
        return None
    items = {"type": "string", "enum": relations}
    return {
        "name": "include",
        "in": "query",
        "description": "Related resources to embed, by relation name.",
        "style": "form",
        "explode": False,
        "schema": {"type": "array", "items": items, "uniqueItems": True},
    }
