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
from generator.spec import FieldType
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
        access=field.access or ("server-set" if field.sensitive else "read-write"),
        input=naming.camel(field.input) if field.input else None,
        renamed_from=field.renamed_from,
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
    check_access(ctx, path, name, field)
    check_bounds(ctx, path, name, field)
    if field.default is not None:
        check_default(ctx, path, name, field)
    if field.example is not None:
        check_example(ctx, path, name, field)


def check_access(ctx: Context, path: PathKey, name: str, field: s.FieldSpec) -> None:
    """A secret is never returned, and only a secret is stored in place of its input."""
    if field.sensitive and field.access in ("read-write", "immutable"):
        ctx.error(
            "sensitive-returned",
            f"sensitive field {quote(name)} is never returned, so it cannot be {field.access}",
            ctx.at(*path, "access"),
            "remove 'access' (the server sets it) or use 'access: write-only'",
        )
    if field.input is None:
        return
    if not field.sensitive or field.type not in ("string", "text"):
        ctx.error(
            "input-not-secret",
            f"'input:' stores a transformed secret, but {quote(name)} is not a sensitive string",
            ctx.at(*path, "input"),
            "add 'sensitive: true' (and 'type: string'), or remove 'input'",
        )
    elif field.access not in (None, "server-set"):
        ctx.error(
            "input-with-access",
            f"{quote(name)} is set from its input {quote(field.input)}, so clients never write it directly",
            ctx.at(*path, "access"),
            "remove 'access'",
        )


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


def lifecycle_columns(ctx: Context, base: PathKey, entity: s.Entity) -> list[Column]:
    """The columns archsmith adds for optimistic locking, timestamps and soft delete."""
    columns: list[Column] = []
    if entity.versioned:
        columns.append(
            Column(
                "version",
                "version",
                "integer",
                "version",
                ctx.at(*base, "versioned"),
                default=1,
                description="Optimistic-locking version, incremented on every update.",
            )
        )
    if entity.timestamps:
        columns.append(
            Column(
                "created_at",
                "createdAt",
                "datetime",
                "created-at",
                ctx.at(*base, key=True),
                description="When the row was created.",
            )
        )
        columns.append(
            Column(
                "updated_at",
                "updatedAt",
                "datetime",
                "updated-at",
                ctx.at(*base, key=True),
                description="When the row was last changed.",
            )
        )
    if entity.soft_delete:
        columns.append(
            Column(
                "deleted_at",
                "deletedAt",
                "datetime",
                "deleted-at",
                ctx.at(*base, "soft_delete"),
                nullable=True,
                description="When the row was soft-deleted; NULL while active.",
            )
        )
    return columns


# A natural key is short: it travels in every path and every referencing row.
NATURAL_KEY_LENGTH = 100


def key_column(name: str, key: s.KeyType, location: Location) -> Column:
    """The primary key `id`: generated (uuid, bigint identity) or chosen once by the client."""
    if key == "string":
        return Column(
            "id",
            "id",
            "string",
            "primary-key",
            location,
            max_length=NATURAL_KEY_LENGTH,
            access="immutable",
            description=f"Primary key of the {name}, chosen when it is created.",
        )
    return Column(
        "id", "id", key, "primary-key", location, description=f"Primary key of the {name}."
    )


def reference_type(ctx: Context, target: str) -> tuple[FieldType, int | None]:
    """Type and length of a column referencing `target`: those of its primary key."""
    entity = ctx.spec.entities.get(target)
    key = entity.key if entity is not None else "uuid"
    if key == "string":
        return "string", NATURAL_KEY_LENGTH
    return key, None
