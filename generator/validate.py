"""Validate loaded data against the spec models; turn pydantic's errors into located diagnostics.

Why rewrite pydantic's messages: its wording ("Input should be ...") names Python
types and omits how to fix the file; ours names the YAML key and suggests the fix.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic, Severity, SpecError, quote
from generator.loader import Document, PathKey
from generator.spec import Spec, pattern_hint

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
}


def validate(document: Document) -> Spec:
    try:
        return Spec.model_validate(document.data)
    except ValidationError as exc:
        raise SpecError([_diagnostic(document, error) for error in exc.errors()]) from None


# Words people reach for that are spelled differently in the spec format.
_SYNONYMS = {
    "money": "decimal",
    "currency": "decimal",
    "numeric": "decimal",
    "int": "integer",
    "str": "string",
    "varchar": "string",
    "bool": "boolean",
    "timestamp": "datetime",
    "timestamptz": "datetime",
    "double": "float",
    "number": "float",
    "long": "bigint",
    "jsonb": "json",
    "guid": "uuid",
    "uri": "url",
    "patch": "update",
    "put": "replace",
    "post": "create",
    "read": "get",
    "mongodb": "postgresql",
    "postgres": "postgresql",
}


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str | None:
    options = sorted(set(choices))
    synonym = _SYNONYMS.get(word.casefold())
    if synonym in options:
        return f"did you mean {quote(synonym)}?"
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not match:
        match = [o for o in options if o.casefold() == word.casefold()][:1]
    return f"did you mean {quote(match[0])}?" if match else None


def _diagnostic(document: Document, error: Any) -> Diagnostic:
    kind: str = error["type"]
    path: PathKey = _yaml_path(error["loc"], document.data)
    value = error.get("input")
    where = _describe(path)
    hint: str | None = None
    if kind == "extra_forbidden" and path:
        key = str(path[-1])
        allowed = _allowed_keys(path[:-1])
        message = f"unknown key {quote(key)} in {_describe(path[:-1])}"
        hint = did_you_mean(key, allowed) or (
            f"allowed keys: {', '.join(sorted(allowed))}" if allowed else None
        )
        return Diagnostic(
            Severity.ERROR, "unknown-key", message, document.locate(path, key=True), hint
        )
    if kind == "missing" and path:
        return Diagnostic(
            Severity.ERROR,
            "missing-key",
            f"{where} is required",
            document.locate(path[:-1], key=True),
            f"add '{path[-1]}:'",
        )
    if path and path[-1] == "[key]":
        name_path = path[:-1]
        pattern = error.get("ctx", {}).get("pattern", "")
        message = f"{quote(value)} is not a valid name in {_describe(name_path[:-1])}"
        if kind == "string_too_long":
            message = f"name {quote(value)} is longer than {error['ctx']['max_length']} characters (PostgreSQL's identifier limit)"
        hint = f"use {pattern_hint(pattern)}" if pattern_hint(pattern) else None
        return Diagnostic(
            Severity.ERROR, "invalid-name", message, document.locate(name_path, key=True), hint
        )
    location = document.locate(path)
    if kind in _TYPE_WORDS:
        message = f"{where} must be {_TYPE_WORDS[kind]}, not {_kind_of(value)}"
        if kind == "string_type" and isinstance(value, int | float | bool):
            hint = "quote the value to make it text"
        return Diagnostic(Severity.ERROR, "wrong-type", message, location, hint)
    if kind == "literal_error":
        expected = _literal_options(error["ctx"]["expected"])
        message = f"{quote(value)} is not a valid {where}; use one of {', '.join(expected)}"
        return Diagnostic(
            Severity.ERROR, "invalid-value", message, location, did_you_mean(str(value), expected)
        )
    if kind == "string_pattern_mismatch":
        pattern = error["ctx"]["pattern"]
        hint = (
            f"use {pattern_hint(pattern)}" if pattern_hint(pattern) else f"it must match {pattern}"
        )
        return Diagnostic(
            Severity.ERROR,
            "invalid-name",
            f"{quote(value)} is not valid for {where}",
            location,
            hint,
        )
    message = f"{where}: {_lower_first(error['msg'])}"
    if value is not None and not isinstance(value, dict | list):
        message += f" (got {quote(value)})"
    return Diagnostic(Severity.ERROR, "invalid-value", message, location)


def _yaml_path(loc: tuple[Any, ...], data: Any) -> PathKey:
    """The error path as it exists in the document.

    Pydantic inserts segments of its own (union members such as 'str', validator names);
    walking the data keeps exactly the segments the user wrote, whatever they contain.
    """
    path: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if part == "[key]":
            path.append(part)
            break
        if isinstance(current, dict):
            if part in current:
                path.append(part)
                current = current[part]
            elif i == len(loc) - 1 and isinstance(part, str):
                path.append(part)  # a missing key: not in the data by definition
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif not isinstance(current, dict | list):
            # A scalar: the rest are pydantic's own segments, except the key a shorthand
            # stands for (`a: money` is `a: {type: money}`), which says what was wrong.
            if isinstance(part, str) and part in _allowed_keys(tuple(path)):
                path.append(part)
            break
    return tuple(path)


def _describe(path: PathKey) -> str:
    if not path:
        return "the spec"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"'{quote(text, 120)[1:-1]}'"


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"the text {quote(value)}"


def _literal_options(expected: str) -> list[str]:
    return [
        part.strip().strip("'")
        for part in expected.replace(" or ", ", ").split(",")
        if part.strip()
    ]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _allowed_keys(path: PathKey) -> list[str]:
    model = _model_at(path)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(path: PathKey) -> type[BaseModel] | None:
    current: Any = Spec
    for part in path:
        model = _unwrap_model(current)
        if model is not None:
            if not isinstance(part, str):
                return None
            fields = {f.alias or n: f for n, f in model.model_fields.items()}
            if part not in fields:
                return None
            current = fields[part].annotation
            continue
        current = _container_item(current)
        if current is None:
            return None
    return _unwrap_model(current)


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in _flatten(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _container_item(annotation: Any) -> Any:
    for candidate in _flatten(annotation):
        origin = typing.get_origin(candidate)
        if origin is dict:
            return typing.get_args(candidate)[1]
        if origin is list:
            return typing.get_args(candidate)[0]
    return None


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [c for arg in typing.get_args(annotation) for c in _flatten(arg)]
    return [annotation]
