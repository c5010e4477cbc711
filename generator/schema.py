"""The spec's JSON Schema (draft-07, what yaml-language-server understands best).

Everything a person reads in it (descriptions, examples, defaults) is written once, on
the pydantic fields of `generator/spec.py`; the field shorthand (`name: string`) comes
from the `FieldEntry` annotation there. This module only adapts pydantic's output to
draft-07 and to what the loader accepts.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from generator.spec import Spec

SCHEMA_ID = "https://archsmith.dev/schema/archsmith.schema.json"


class Draft7Schema(GenerateJsonSchema):
    """pydantic's JSON Schema, made exact and readable for draft-07 tools."""

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        # A map keyed by names (entities, fields, resources...) lists its key pattern under
        # patternProperties; keys outside it are rejected by the loader, so here too.
        result = super().dict_schema(schema)
        if "patternProperties" in result:
            result["additionalProperties"] = False
        return result

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        wrapped: JsonSchemaValue = _wrap_refs(super().generate(schema, mode))
        return wrapped


def _wrap_refs(node: Any) -> Any:
    """In draft-07 the keys beside a `$ref` are ignored; keep a property's description and
    default by moving the reference into `allOf`."""
    if isinstance(node, list):
        return [_wrap_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _wrap_refs(value) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        node = {"allOf": [{"$ref": node.pop("$ref")}], **node}
    return node


def json_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema(
        ref_template="#/definitions/{model}", by_alias=True, schema_generator=Draft7Schema
    )
    definitions = schema.pop("$defs", {})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **schema,
        "title": "archsmith spec",
        "definitions": dict(sorted(definitions.items())),
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def model_schema_text() -> str:
    """The published JSON Schema of model.json (`archsmith schema --model`)."""
    from generator.exports.model_json import json_schema as model_schema

    return json.dumps(model_schema(), indent=2, ensure_ascii=False) + "\n"
