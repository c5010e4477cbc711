"""The spec's JSON Schema (draft-07, what yaml-language-server understands best)."""

from __future__ import annotations

import json
import typing
from typing import Any

from generator.spec import FieldType, Spec

SCHEMA_ID = "https://archsmith.dev/schema/archsmith.schema.json"


def json_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema(ref_template="#/definitions/{model}", by_alias=True)
    definitions = schema.pop("$defs", {})
    # The field shorthand `email: string` is expanded before validation; let editors accept it.
    # Field names are keys with a pattern, so the shorthand belongs under that pattern
    # (patternProperties wins over additionalProperties for every key it matches).
    shorthand = {
        "anyOf": [
            {"type": "string", "enum": list(typing.get_args(FieldType))},
            {"$ref": "#/definitions/FieldSpec"},
        ]
    }
    for owner in ("Entity", "EventSpec"):
        fields = definitions[owner]["properties"]["fields"]
        fields["patternProperties"] = dict.fromkeys(fields["patternProperties"], shorthand)
        fields["additionalProperties"] = False
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
