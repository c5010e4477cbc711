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
    fields = definitions["Entity"]["properties"]["fields"]
    fields["additionalProperties"] = {
        "anyOf": [
            {"type": "string", "enum": list(typing.get_args(FieldType))},
            {"$ref": "#/definitions/FieldSpec"},
        ]
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **schema,
        "title": "archsmith spec",
        "definitions": dict(sorted(definitions.items())),
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
