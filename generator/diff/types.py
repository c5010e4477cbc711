"""Is a column's new type wider, narrower or just different? One answer for every side.

Why one place: the API side (a response property retyped), the database side (a
lossy ALTER) and the migration's risk flags must agree on what "narrowing" means.
"""

from __future__ import annotations

from typing import Literal

from generator.model import Column

TypeChange = Literal["same", "widen", "narrow", "change"]

_TEXTUAL = {"string", "email", "url"}
# Conversions that keep every value of the old type (and its text form).
_WIDER = {
    ("integer", "bigint"),
    ("integer", "decimal"),
    ("integer", "float"),
    ("bigint", "decimal"),
    ("string", "text"),
    ("email", "text"),
    ("url", "text"),
    ("email", "string"),
    ("url", "string"),
    ("enum", "string"),
    ("enum", "text"),
    ("date", "datetime"),
}


def type_change(old: Column, new: Column) -> TypeChange:
    if old.type != new.type:
        if (old.type, new.type) in _WIDER:
            if new.type in _TEXTUAL and old.type in _TEXTUAL | {"enum"}:
                return _length(_max_length(old), _max_length(new))
            return "widen"
        if (new.type, old.type) in _WIDER:
            return "narrow"
        return "change"
    if old.type in _TEXTUAL:
        return _length(old.max_length or 255, new.max_length or 255)
    if old.type == "enum":
        before, after = set(old.values), set(new.values)
        if before == after:
            return "same"
        return "widen" if before < after else "narrow"
    if old.type == "decimal":
        p0, s0 = old.precision or 12, old.scale if old.scale is not None else 2
        p1, s1 = new.precision or 12, new.scale if new.scale is not None else 2
        if (p0, s0) == (p1, s1):
            return "same"
        # Integer digits and fraction digits must both stay or grow.
        return "widen" if p1 - s1 >= p0 - s0 and s1 >= s0 else "narrow"
    return "same"


def _max_length(c: Column) -> int:
    if c.type == "enum":
        return max((len(v) for v in c.values), default=1)
    return c.max_length or 255


def _length(before: int, after: int) -> TypeChange:
    if before == after:
        return "same"
    return "widen" if after > before else "narrow"


def describe(c: Column) -> str:
    """`string(120)`, `decimal(12,2)`, `enum[a|b]`: a type as a message shows it."""
    if c.type in _TEXTUAL:
        return f"{c.type}({c.max_length or 255})"
    if c.type == "decimal":
        return f"decimal({c.precision or 12},{c.scale if c.scale is not None else 2})"
    if c.type == "enum":
        return f"enum[{'|'.join(c.values)}]"
    return c.type
