"""Columns from fields: types, lengths, defaults and examples checked against the type."""

from __future__ import annotations

from generator import naming
from generator import spec as s
from generator.diagnostics import Location, quote
from generator.loader import PathKey
from generator.model import Column
from generator.resolve import values
from generator.resolve.bounds import LENGTHY, NUMERIC, check_bounds
from generator.resolve.context import Context
from generator.validate import did_you_mean

RESERVED_COLUMNS = {"id", "created_at", "updated_at", "deleted_at", "version", "search_vector"}
STRING_DEFAULT_LENGTH = {"string": 255, "email": 255, "url": 2048}
TEXTUAL = {"string", "text", "email", "url", "enum"}


def column(name: str, field: s.FieldSpec, where: Location) -> Column:
    max_length = field.max_length or STRING_DEFAULT_LENGTH.get(field.type)
    precision, scale = field.precision, field.scale
    default, example = field.default, field.example
    if field.type == "decimal":
        precision, scale = precision or 12, scale if scale is not None else 2
        if default is not None:
            default = values.decimal_text(default) or default
        if example is not None:
            example = values.decimal_text(example) or example
    return Column(
        name=name,
        json_name=naming.camel(name),
        type=field.type,
        role="field",
        location=where,
        nullable=field.nullable,
        default=default,
        unique=field.unique,
        values=tuple(field.values or ()),
        max_length=max_length if field.type in ("string", "email", "url") else None,
        min_length=field.min_length if field.type in LENGTHY else None,
        minimum=field.minimum if field.type in NUMERIC else None,
        maximum=field.maximum if field.type in NUMERIC else None,
        precision=precision,
        scale=scale,
        pii=field.pii,
        sensitive=field.sensitive,
        description=field.description,
        example=example,
    )


def check_field(ctx: Context, base: PathKey, name: str, field: s.FieldSpec) -> None:
    path = (*base, "fields", name)
    if field.type == "enum" and not field.values:
        ctx.error(
            "enum-without-values",
            f"enum field {quote(name)} has no values",
            ctx.at(*path, key=True),
            "add 'values: [a, b]'",
        )
    if field.values is not None and field.type != "enum":
        ctx.error(
            "values-not-enum",
            f"field {quote(name)} has 'values' but is {field.type}",
            ctx.at(*path, "values"),
            "set 'type: enum' or remove 'values'",
        )
    if field.values and len(set(field.values)) != len(field.values):
        ctx.error(
            "duplicate-value",
            f"enum field {quote(name)} lists a value twice",
            ctx.at(*path, "values"),
        )
    if (field.precision is not None or field.scale is not None) and field.type != "decimal":
        ctx.error(
            "precision-not-decimal",
            f"field {quote(name)} sets precision/scale but is {field.type}",
            ctx.at(*path, key=True),
            "use 'type: decimal'",
        )
    if field.precision is not None and field.scale is not None and field.scale > field.precision:
        ctx.error(
            "scale-over-precision",
            f"scale {field.scale} is larger than precision {field.precision}",
            ctx.at(*path, "scale"),
        )
    if field.max_length is not None and field.type not in ("string", "email", "url"):
        ctx.error(
            "length-not-string",
            f"field {quote(name)} sets max_length but is {field.type}",
            ctx.at(*path, "max_length"),
            "use 'type: string'",
        )
    check_bounds(ctx, path, name, field)
    if field.default is not None:
        check_default(ctx, path, name, field)
    if field.example is not None:
        check_example(ctx, path, name, field)


def check_default(ctx: Context, path: PathKey, name: str, field: s.FieldSpec) -> None:
    value = field.default
    assert value is not None
    current = values.CURRENT_TIME.get(field.type)
    if value == current:
        return  # the dialect's current date or time, taken when the row is written
    problem = values.value_problem(
        field.type,
        value,
        values=tuple(field.values or ()),
        max_length=field.max_length or STRING_DEFAULT_LENGTH.get(field.type),
        precision=field.precision,
        scale=field.scale,
    )
    if problem is None:
        return
    hint = f"write a value of type {field.type}"
    if current is not None:
        hint += f", or '{current}' for the moment the row is written"
    elif field.type == "enum":
        hint = did_you_mean(str(value), field.values or ()) or hint
    elif field.type == "json":
        hint = "remove the default; json columns take no default"
    ctx.error(
        "bad-default",
        f"default {quote(value)} of field {quote(name)} {problem}",
        ctx.at(*path, "default"),
        hint,
    )


def check_example(ctx: Context, path: PathKey, name: str, field: s.FieldSpec) -> None:
    """OpenAPI linters check `examples` against the schema, as validators check defaults."""
    assert field.example is not None
    problem = values.value_problem(
        field.type,
        field.example,
        values=tuple(field.values or ()),
        max_length=field.max_length or STRING_DEFAULT_LENGTH.get(field.type),
        precision=field.precision,
        scale=field.scale,
    )
    if problem is not None:
        ctx.error(
            "bad-example",
            f"example {quote(field.example)} of field {quote(name)} {problem}",
            ctx.at(*path, "example"),
            f"write a value of type {field.type}",
        )
