"""Value bounds of a field: `minimum`/`maximum` on numbers, `min_length` on text.

Why checked here: every dialect turns a bound into a CHECK constraint and the contract
into `minimum`/`maximum`/`minLength`, so a bound that cannot hold (minimum over
maximum, on a type without an order) or a default it refuses is a spec error, located.
"""

from __future__ import annotations

from decimal import Decimal

from generator import spec as s
from generator.diagnostics import quote
from generator.loader import PathKey
from generator.resolve import values
from generator.resolve.context import Context

NUMERIC = frozenset({"integer", "bigint", "float", "decimal"})
LENGTHY = frozenset({"string", "text", "email", "url"})


def check_bounds(ctx: Context, path: PathKey, name: str, field: s.FieldSpec) -> None:
    for key in ("minimum", "maximum"):
        bound = getattr(field, key)
        if bound is None:
            continue
        if field.type not in NUMERIC:
            ctx.error(
                "range-not-number",
                f"field {quote(name)} sets {key} but is {field.type}",
                ctx.at(*path, key),
                "use a number type (integer, bigint, float, decimal), or min_length/max_length for text",
            )
            continue
        problem = values.value_problem(
            field.type, bound, precision=field.precision, scale=field.scale
        )
        if problem is not None:
            ctx.error(
                "bad-bound",
                f"{key} {quote(bound)} of field {quote(name)} {problem}",
                ctx.at(*path, key),
                f"write a value of type {field.type}",
            )
    low, high = field.minimum, field.maximum
    if low is not None and high is not None and _number(low) > _number(high):
        ctx.error(
            "minimum-over-maximum",
            f"minimum {low} of field {quote(name)} is larger than its maximum {high}",
            ctx.at(*path, "maximum"),
            f"set 'maximum:' to at least {low}, or lower 'minimum:'",
        )
    if field.min_length is not None:
        if field.type not in LENGTHY:
            ctx.error(
                "length-not-string",
                f"field {quote(name)} sets min_length but is {field.type}",
                ctx.at(*path, "min_length"),
                "use 'type: string' or 'type: text', or minimum/maximum for numbers",
            )
        elif field.max_length is not None and field.min_length > field.max_length:
            ctx.error(
                "min-length-over-max-length",
                f"min_length {field.min_length} of field {quote(name)} is larger than its "
                f"max_length {field.max_length}",
                ctx.at(*path, "min_length"),
                f"set 'min_length:' to at most {field.max_length}",
            )
    for key, code in (("default", "bad-default"), ("example", "bad-example")):
        value = getattr(field, key)
        problem = bound_problem(field, value)
        if problem is not None:
            ctx.error(
                code,
                f"{key} {quote(value)} of field {quote(name)} {problem}",
                ctx.at(*path, key),
                f"write a {key} within the field's bounds, or widen them",
            )


def bound_problem(field: s.FieldSpec, value: object) -> str | None:
    """Why a default or example breaks the field's bounds, or None (also when it is no
    value of the type at all: check_default reports that)."""
    if value is None or isinstance(value, bool):
        return None
    if field.type in NUMERIC and isinstance(value, int | float | str):
        text = values.decimal_text(value)
        if text is None:
            return None
        number = Decimal(text)
        if field.minimum is not None and number < _number(field.minimum):
            return f"is below the minimum {field.minimum}"
        if field.maximum is not None and number > _number(field.maximum):
            return f"is above the maximum {field.maximum}"
    short = (
        isinstance(value, str) and field.min_length is not None and len(value) < field.min_length
    )
    if field.type in LENGTHY and short:
        return f"is shorter than min_length {field.min_length}"
    return None


def _number(value: int | float) -> Decimal:
    """A bound as an exact decimal: 0.1 is the decimal 0.1 the spec wrote, not its float."""
    return Decimal(values.decimal_text(value) or "0")
