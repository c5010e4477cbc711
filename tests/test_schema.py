"""The spec's JSON Schema: what an editor checks a spec against while a person writes it.

It must accept every spec archsmith accepts (the shorthands included), reject the
shorthands archsmith rejects, and explain every key it knows.
"""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.cli import main
from generator.diagnostics import SpecError
from generator.loader import load_bytes
from generator.pipeline import load_text
from generator.schema import json_schema
from generator.spec import FieldType
from tests.helpers import EXAMPLES, ROOT

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
FIXTURES = sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
README_SPECS = re.findall(
    r"```yaml\n(system:.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL
)


def data_of(text: str) -> dict[str, Any]:
    """The spec as archsmith's own loader reads it (its YAML rules, not another library's)."""
    return load_bytes(text.encode(), "spec.yaml").data


def errors(data: Any) -> list[str]:
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)
    ]


def accepted_by_archsmith(text: str) -> bool:
    try:
        load_text(text, "spec.yaml")
    except SpecError:
        return False
    return True


def properties() -> list[tuple[str, str, dict[str, Any]]]:
    """(definition, key, schema) of every property: the top level's and each definition's."""
    found = [("Spec", key, prop) for key, prop in SCHEMA["properties"].items()]
    for name, definition in SCHEMA["definitions"].items():
        found += [(name, key, prop) for key, prop in definition.get("properties", {}).items()]
    return found


def test_the_schema_is_draft7_and_the_committed_copy_is_current(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(printed)
    committed = json.loads((ROOT / "schema" / "archsmith.schema.json").read_text())
    assert committed == printed, "schema/archsmith.schema.json is stale: run 'make schema'"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_validates_and_points_editors_at_the_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/archsmith.schema.json")
    assert errors(data_of(text)) == []


def test_every_fixture_archsmith_accepts_validates() -> None:
    accepted = [p for p in FIXTURES if accepted_by_archsmith(p.read_text(encoding="utf-8"))]
    assert len(accepted) >= 10, "the fixtures moved; point FIXTURES at them"
    for path in accepted:
        assert errors(data_of(path.read_text(encoding="utf-8"))) == [], path


def test_the_readme_specs_validate() -> None:
    assert README_SPECS, "the README's spec moved"
    for text in README_SPECS:
        assert accepted_by_archsmith(text)
        assert errors(data_of(text)) == []


def test_the_untouched_init_starter_validates_against_the_schema_init_writes(
    tmp_path: Path,
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    starter = (tmp_path / "system.yaml").read_text(encoding="utf-8")
    assert starter.startswith("# yaml-language-server: $schema=archsmith.schema.json")
    written = json.loads((tmp_path / "archsmith.schema.json").read_text(encoding="utf-8"))
    assert written == SCHEMA
    data = data_of(starter)
    shorthands = [
        v for e in data["entities"].values() for v in e["fields"].values() if type(v) is str
    ]
    assert shorthands, "the starter shows the `name: string` shorthand"
    assert errors(data) == []


def test_every_property_says_what_it_means() -> None:
    """Fails when a key is added to generator/spec.py without a description."""
    missing = [
        f"{owner}.{key}"
        for owner, key, prop in properties()
        if not prop.get("description", "").strip()
    ]
    assert missing == [], "add Field(description=...) in generator/spec.py"
    assert SCHEMA["description"].strip()


def test_every_example_and_default_in_the_schema_is_valid_for_its_key() -> None:
    checked = 0
    for owner, key, prop in properties():
        validator = jsonschema.Draft7Validator({"definitions": SCHEMA["definitions"], **prop})
        for value in [*prop.get("examples", []), *([prop["default"]] if "default" in prop else [])]:
            assert list(validator.iter_errors(value)) == [], (owner, key, value)
            checked += 1
    assert checked > 100


def entity_field(value: Any) -> str:
    return f"system:\n  name: X\nentities:\n  User:\n    fields:\n      a: {value}\n"


def event_field(value: Any) -> str:
    return f"system:\n  name: X\nevents:\n  user.created:\n    fields:\n      a: {value}\n"


SHORTHANDS = [*typing.get_args(FieldType), "strin", "money", "String", "5", "[string]", "null"]


@pytest.mark.parametrize("spec_of", [entity_field, event_field], ids=["entity", "event"])
@pytest.mark.parametrize("value", SHORTHANDS)
def test_the_schema_admits_exactly_the_shorthands_archsmith_admits(
    spec_of: Any, value: str
) -> None:
    text = spec_of(value)
    if value == "enum":
        text = text.replace("a: enum", "a: {type: enum, values: [x]}")  # enum needs values
    assert (errors(data_of(text)) == []) is accepted_by_archsmith(text)


def test_an_invalid_shorthand_is_rejected_with_the_key_it_concerns() -> None:
    problems = errors(data_of(entity_field("strin")))
    assert problems and all(p.startswith("entities.User.fields.a") for p in problems)
    assert not accepted_by_archsmith(entity_field("strin"))


def test_keys_outside_the_name_pattern_are_rejected_like_archsmith_rejects_them() -> None:
    for text in (
        "system:\n  name: X\nentities:\n  User:\n    fields:\n      Email: string\n",
        "system:\n  name: X\nentities:\n  user: {}\n",
        "system:\n  name: X\napi:\n  resources:\n    Users: {entity: User}\n",
    ):
        assert errors(data_of(text)), text
        assert not accepted_by_archsmith(text)
