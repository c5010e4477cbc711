"""Two JSON Schemas compared the way a client sees them: in a request or a response.

Why direction matters: a client *sends* requests and *reads* responses, so the same
edit has opposite effects. The level table (oasdiff's semantics, with its #549
false positive fixed: a new required property with a `default` is optional to send):

| change                              | request   | response  |
| ----------------------------------- | --------- | --------- |
| property added, required, no default| breaking  | info      |
| property added, optional/defaulted  | info      | info      |
| property removed                    | warning   | breaking  |
| property became required            | breaking  | info      |
| property became optional            | info      | breaking  |
| type or format changed              | breaking  | breaking  |
| type widened (int32 -> int64)       | info      | breaking  |
| became nullable                     | info      | breaking  |
| became non-nullable                 | breaking  | info      |
| enum value added                    | info      | warning   |
| enum value removed                  | breaking  | info      |
| maxLength/maximum lowered           | breaking  | info      |
| maxLength/maximum raised            | info      | warning   |
| pattern changed (e.g. sort keys)    | warning   | info      |
| default changed                     | warning   | info      |
| readOnly properties                 | ignored   | compared  |

A removed request property is a warning: the server ignores what the client still
sends (or rejects it, with additionalProperties: false), which the spec cannot tell.
A changed pattern is a warning for the same reason: whether a regular expression
accepts fewer strings is not decided here. A changed default changes what a client
that omits the value gets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from generator.diff.report import Level

Direction = Literal["request", "response"]
Emit = Callable[[str, Level, str, str], None]  # rule, level, message, property path


@dataclass
class Documents:
    old: dict[str, Any]
    new: dict[str, Any]

    def resolve(self, schema: Any, which: Literal["old", "new"]) -> dict[str, Any]:
        doc = self.old if which == "old" else self.new
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            ref = schema["$ref"]
            target: Any = doc
            for part in ref.removeprefix("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
        return schema if isinstance(schema, dict) else {}


_BY_DIRECTION: dict[str, tuple[Level, Level]] = {  # (request, response)
    "property-added-required": ("breaking", "info"),
    "property-added": ("info", "info"),
    "property-removed": ("warning", "breaking"),
    "property-became-required": ("breaking", "info"),
    "property-became-optional": ("info", "breaking"),
    "type-changed": ("breaking", "breaking"),
    "type-widened": ("info", "breaking"),
    "became-nullable": ("info", "breaking"),
    "became-non-nullable": ("breaking", "info"),
    "enum-value-added": ("info", "warning"),
    "enum-value-removed": ("breaking", "info"),
    "max-lowered": ("breaking", "info"),
    "max-raised": ("info", "warning"),
    "pattern-changed": ("warning", "info"),
    "default-changed": ("warning", "info"),
}


# The server accepts every old value (requests are fine); a client typed for the old
# one may not hold every new value (responses break), e.g. int32 -> int64.
_WIDER = {
    ("integer(int32)", "integer(int64)"),
    ("integer(int32)", "number(double)"),
    ("string(email)", "string"),
    ("string(uri)", "string"),
    ("string(date)", "string(date-time)"),
}


def level_of(kind: str, direction: Direction) -> Level:
    request, response = _BY_DIRECTION[kind]
    return request if direction == "request" else response


def _types(schema: dict[str, Any]) -> tuple[set[str], bool]:
    raw = schema.get("type")
    types = set(raw) if isinstance(raw, list) else ({raw} if isinstance(raw, str) else set())
    nullable = "null" in types or any(
        isinstance(s, dict) and s.get("type") == "null" for s in schema.get("oneOf", ())
    )
    return types - {"null"}, nullable


def compare(
    docs: Documents,
    old: Any,
    new: Any,
    direction: Direction,
    emit: Emit,
    where: str,
    *,
    depth: int = 0,
) -> None:
    """Emit every change between two schemas at `where` (a property path)."""
    if depth > 12:  # a reference cycle: every level below repeats one above
        return
    a, b = docs.resolve(old, "old"), docs.resolve(new, "new")
    prefix = f"api.{direction}-"
    (ta, na), (tb, nb) = _types(a), _types(b)
    if (ta and tb and ta != tb) or a.get("format") != b.get("format"):
        what = f"{'/'.join(sorted(ta)) or '?'}{'(' + a['format'] + ')' if a.get('format') else ''}"
        now = f"{'/'.join(sorted(tb)) or '?'}{'(' + b['format'] + ')' if b.get('format') else ''}"
        kind = "type-widened" if (what, now) in _WIDER else "type-changed"
        emit(prefix + kind, level_of(kind, direction), f"{where}: type {what} -> {now}", where)
        return
    if na != nb:
        kind = "became-nullable" if nb else "became-non-nullable"
        emit(prefix + kind, level_of(kind, direction), f"{where}: {kind.replace('-', ' ')}", where)
    ea, eb = a.get("enum"), b.get("enum")
    if isinstance(ea, list) and isinstance(eb, list):
        for value in [v for v in eb if v not in ea]:
            emit(
                prefix + "enum-value-added",
                level_of("enum-value-added", direction),
                f"{where}: enum value {value!r} added",
                f"{where}={value}",
            )
        for value in [v for v in ea if v not in eb]:
            emit(
                prefix + "enum-value-removed",
                level_of("enum-value-removed", direction),
                f"{where}: enum value {value!r} removed",
                f"{where}={value}",
            )
    for key in ("maxLength", "maximum", "maxItems"):
        if key in a and key in b and a[key] != b[key]:
            kind = "max-lowered" if b[key] < a[key] else "max-raised"
            emit(
                prefix + kind,
                level_of(kind, direction),
                f"{where}: {key} {a[key]} -> {b[key]}",
                f"{where}.{key}",
            )
        elif key in a and key not in b:
            emit(
                prefix + "max-raised",
                level_of("max-raised", direction),
                f"{where}: {key} {a[key]} removed",
                f"{where}.{key}",
            )
        elif key in b and key not in a:
            emit(
                prefix + "max-lowered",
                level_of("max-lowered", direction),
                f"{where}: {key} {b[key]} added",
                f"{where}.{key}",
            )
    keys_a, keys_b = _alternatives(a.get("pattern")), _alternatives(b.get("pattern"))
    if keys_a is not None and keys_b is not None and keys_a != keys_b:
        # A pattern of named choices (the sort keys): fewer choices is a narrowing.
        for value in sorted(keys_b - keys_a):
            emit(
                prefix + "enum-value-added",
                level_of("enum-value-added", direction),
                f"{where}: accepts {value!r}",
                f"{where}={value}",
            )
        for value in sorted(keys_a - keys_b):
            emit(
                prefix + "enum-value-removed",
                level_of("enum-value-removed", direction),
                f"{where}: no longer accepts {value!r}",
                f"{where}={value}",
            )
    for key, kind in (("pattern", "pattern-changed"), ("default", "default-changed")):
        if key == "pattern" and keys_a is not None and keys_b is not None:
            continue
        if a.get(key) != b.get(key) and (key in a or key in b):
            what = f"{key} {a.get(key)!r} -> {b.get(key)!r}"
            emit(prefix + kind, level_of(kind, direction), f"{where}: {what}", f"{where}.{key}")
    if "items" in a or "items" in b:
        compare(
            docs,
            a.get("items", {}),
            b.get("items", {}),
            direction,
            emit,
            f"{where}[]",
            depth=depth + 1,
        )
    _properties(docs, a, b, direction, emit, where, depth)


def _properties(
    docs: Documents,
    a: dict[str, Any],
    b: dict[str, Any],
    direction: Direction,
    emit: Emit,
    where: str,
    depth: int,
) -> None:
    pa, pb = a.get("properties", {}), b.get("properties", {})
    ra, rb = set(a.get("required", ())), set(b.get("required", ()))
    prefix = f"api.{direction}-"

    def visible(schema: Any, which: Literal["old", "new"]) -> bool:
        return not (direction == "request" and docs.resolve(schema, which).get("readOnly"))

    base = f"{where}." if where else ""
    for name in pb:
        if name in pa or not visible(pb[name], "new"):
            continue
        has_default = "default" in docs.resolve(pb[name], "new")
        kind = "property-added-required" if name in rb and not has_default else "property-added"
        words = (
            "property added, required" if kind == "property-added-required" else "property added"
        )
        emit(prefix + kind, level_of(kind, direction), f"{base}{name}: {words}", base + name)
    for name in pa:
        if name in pb or not visible(pa[name], "old"):
            continue
        emit(
            prefix + "property-removed",
            level_of("property-removed", direction),
            f"{base}{name}: property removed",
            base + name,
        )
    for name in pa:
        if name not in pb or not visible(pb[name], "new"):
            continue
        if _embedded(pa[name], name, ra) and _embedded(pb[name], name, rb):
            continue  # an optional embedded resource: its own operations report it, once
        if (name in ra) != (name in rb):
            has_default = "default" in docs.resolve(pb[name], "new")
            kind = "property-became-required" if name in rb else "property-became-optional"
            if not (kind == "property-became-required" and has_default and direction == "request"):
                emit(
                    prefix + kind,
                    level_of(kind, direction),
                    f"{base}{name}: {kind.replace('-', ' ')}",
                    base + name,
                )
        compare(docs, pa[name], pb[name], direction, emit, base + name, depth=depth + 1)


_CHOICES = re.compile(r"^\^\[\+-\]\?\(\?:([A-Za-z0-9_|]+)\)")


def _alternatives(pattern: Any) -> set[str] | None:
    """The choices of a pattern written as `^[+-]?(?:a|b|c)...`, as the sort parameter is."""
    found = _CHOICES.match(pattern) if isinstance(pattern, str) else None
    return set(found.group(1).split("|")) if found else None


def _embedded(schema: Any, name: str, required: set[str]) -> bool:
    return isinstance(schema, dict) and "$ref" in schema and name not in required
