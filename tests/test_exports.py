"""Events and interoperability, proven by their consumers: the official AsyncAPI parser,
Backstage's own catalog validators, model.json's published schema, and a checker of
the Structurizr DSL."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.build import build_system
from generator.built import Built
from generator.cli import main
from generator.pipeline import load_text
from tests.helpers import EXAMPLES, ROOT, problems
from tests.structurizr_dsl import DslError, parse

NODE_MODULES = ROOT / "node_modules"
needs_node = pytest.mark.skipif(
    shutil.which("node") is None or not (NODE_MODULES / "@asyncapi" / "parser").is_dir(),
    reason="node and `npm ci` (scripts/setup.sh test) are needed for the real parsers",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Built, Path]]]:
    """Every example built once; its files written to a folder, as a build writes them."""
    root = tmp_path_factory.mktemp("exports")
    result = {}
    for path in EXAMPLES:
        item = build_system(load_text(path.read_bytes(), f"specs/{path.name}"))
        folder = root / item.system.slug
        folder.mkdir()
        for name, content in item.files.items():
            (folder / name).write_bytes(content)
        result[item.system.slug] = (item, folder)
    yield result


def test_every_example_builds_the_new_artifacts(built: dict[str, tuple[Built, Path]]) -> None:
    for slug, (item, _) in built.items():
        assert {"model.json", "workspace.dsl", "catalog-info.yaml"} <= set(item.files), slug
        assert ("asyncapi.yaml" in item.files) == bool(item.system.events), slug
    assert sum("asyncapi.yaml" in item.files for item, _ in built.values()) >= 2


@needs_node
def test_the_asyncapi_parser_accepts_every_document_and_every_event_has_its_payload(
    built: dict[str, tuple[Built, Path]],
) -> None:
    files = [folder / "asyncapi.yaml" for item, folder in built.values() if item.system.events]
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "asyncapi_parse.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    results = json.loads(done.stdout)
    for item, folder in built.values():
        if not item.system.events:
            continue
        result = results[str(folder / "asyncapi.yaml")]
        assert result["parsed"], result["diagnostics"]
        errors = [d for d in result["diagnostics"] if d["severity"] in (0, 1)]
        assert errors == [], errors
        messages = {m["name"]: m["payload"] for m in result["messages"]}
        for event in item.system.events:
            envelope = messages[event.name]
            assert envelope["required"] == [
                "id",
                "type",
                "version",
                "aggregateId",
                "timestamp",
                "data",
            ]
            data = envelope["properties"]["data"]
            parts = data.get("allOf", [data])
            names = {name for part in parts for name in part.get("properties", {})}
            # The entity's view arrives resolved from openapi.yaml, the extra fields beside it.
            assert {c.json_name for c in event.fields} <= names, event.name
            if event.entity:
                assert "id" in names, event.name
            assert event.address in result["channels"]
            for consumer in event.consumers:
                assert f"{event.address}.dlq.{consumer}" in result["channels"]


def test_an_entity_view_is_shared_with_the_openapi_document(
    built: dict[str, tuple[Built, Path]],
) -> None:
    item, _ = built["shop"]
    document = yaml.safe_load(item.files["asyncapi.yaml"])
    data = document["components"]["schemas"]["OrderPlacedData"]
    assert data["allOf"][0] == {"$ref": "openapi.yaml#/components/schemas/Order"}
    assert "Order" in yaml.safe_load(item.files["openapi.yaml"])["components"]["schemas"]
    assert document["servers"]["broker"]["protocol"] == "amqp"
    flow = yaml.safe_load(built["parcelflow"][0].files["asyncapi.yaml"])
    assert flow["servers"]["broker"]["protocol"] == "kafka"
    receive = flow["operations"]["billingReceiveDeliveryCompleted"]
    assert receive["bindings"]["kafka"]["groupId"] == {"type": "string", "enum": ["billing"]}


def _resolve_placeholders(entity: dict[str, object], folder: Path) -> dict[str, object]:
    """What Backstage's placeholder processor does before validating: `$text` becomes
    the referenced file's text (so the reference must also point at a real file)."""
    spec = entity.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("definition"), dict):
        target = folder / spec["definition"]["$text"]
        spec = {**spec, "definition": target.read_text()}
        return {**entity, "spec": spec}
    return entity


@needs_node
def test_backstages_catalog_model_accepts_every_entity(
    built: dict[str, tuple[Built, Path]],
) -> None:
    for slug, (item, folder) in built.items():
        entities = list(yaml.safe_load_all(item.files["catalog-info.yaml"]))
        kinds = {e["kind"] for e in entities}
        assert {"System", "Component", "API", "Resource"} <= kinds, slug
        resolved = [_resolve_placeholders(e, folder) for e in entities]
        done = subprocess.run(
            ["node", str(ROOT / "tests" / "js" / "backstage_check.cjs")],
            input=json.dumps(resolved),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        result = json.loads(done.stdout)
        assert result == {"ok": len(entities), "errors": []}, slug
    flow = list(yaml.safe_load_all(built["parcelflow"][0].files["catalog-info.yaml"]))
    shipments = next(e for e in flow if e["metadata"]["name"] == "parcelflow-shipments")
    assert shipments["spec"]["owner"] == "group:logistics-platform"
    assert shipments["spec"]["providesApis"] == ["parcelflow-rest", "parcelflow-events"]
    assert "component:parcelflow-billing" in shipments["spec"]["dependsOn"]
    apis = {e["metadata"]["name"]: e["spec"]["type"] for e in flow if e["kind"] == "API"}
    assert apis == {"parcelflow-rest": "openapi", "parcelflow-events": "asyncapi"}


def test_model_json_follows_its_published_schema(built: dict[str, tuple[Built, Path]]) -> None:
    committed = json.loads((ROOT / "schema" / "archsmith-model.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(committed)
    for slug, (item, _) in built.items():
        data = json.loads(item.files["model.json"])
        assert list(validator.iter_errors(data)) == [], slug
        assert data["model_version"] == 1 and data["system"]["slug"] == slug
        tables = {e["table"] for e in data["entities"]}
        assert tables == {e.table for e in item.system.entities}
        assert len(data["api"]["operations"]) == len(item.system.api.operations)
        assert [f["rule"] for f in data["findings"]] == [f.code for f in item.review.findings]
    broken = json.loads(built["shop"][0].files["model.json"])
    broken["entities"][0]["columns"][0]["type"] = "money"
    assert list(validator.iter_errors(broken))


def test_the_model_schema_is_committed_and_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--model"]) == 0
    printed = capsys.readouterr().out
    committed = (ROOT / "schema" / "archsmith-model.schema.json").read_text()
    assert printed == committed, "schema/archsmith-model.schema.json is stale: run 'make schema'"


def test_every_workspace_reads_as_structurizr_dsl(built: dict[str, tuple[Built, Path]]) -> None:
    for slug, (item, _) in built.items():
        workspace = parse(item.files["workspace.dsl"].decode())
        kinds = sorted(set(workspace.elements.values()))
        assert kinds == ["container", "person", "softwareSystem"], slug
        assert [kind for kind, _ in workspace.views] == ["systemContext", "container"]
    flow = parse(built["parcelflow"][0].files["workspace.dsl"].decode())
    assert ("service_shipments", "service_billing", ["price quote at booking", "GRPC"]) in (
        flow.relationships
    )
    assert ("service_dispatch", "store_queue", ["Publishes route.planned", "Kafka"]) in (
        flow.relationships
    )


# Written the way the DSL language reference writes its examples: the checker must take
# them, so it is checking the language and not only archsmith's own habits.
REFERENCE_STYLE = [
    """workspace {
    model {
        user = person "User"
        softwareSystem = softwareSystem "Software System" {
            webapp = container "Web Application"
            database = container "Database" {
                tags "Database"
            }
        }
        user -> webapp "Uses"
        webapp -> database "Reads from and writes to"
    }
    views {
        systemContext softwareSystem {
            include *
            autolayout lr
        }
        container softwareSystem {
            include *
            autolayout lr
        }
        styles {
            element "Database" {
                shape Cylinder
            }
        }
    }
}
""",
    """workspace "Name" "Description" {
    !identifiers hierarchical
    model {
        u = person "User" "A user of my software system."
        ss = softwareSystem "Software System" "My software system."
        u -> ss "Uses" "HTTPS"
    }
    views {
        systemContext ss "Diagram1" {
            include *
            autolayout
        }
    }
}
""",
]
BROKEN = [
    'workspace {\n    model {\n        a -> b "Uses"\n    }\n}\n',  # undefined elements
    'workspace {\n    model {\n        x = person "X"\n    }\n',  # never closed
    'workspace {\n    model {\n        x = container "X"\n    }\n}\n',  # container at top
    'workspace {\n    model {\n        x = person "X" "Y" "Z"\n    }\n}\n',  # too many strings
    'workspace {\n    model {\n        x = person "unclosed\n    }\n}\n',
    "workspace {\n    views {\n        container nope {\n            include *\n        }\n    }\n}\n",
]


@pytest.mark.parametrize("text", REFERENCE_STYLE)
def test_the_checker_takes_reference_style_workspaces(text: str) -> None:
    assert parse(text).elements


@pytest.mark.parametrize("text", BROKEN)
def test_the_checker_refuses_broken_workspaces(text: str) -> None:
    with pytest.raises(DslError):
        parse(text)


def test_hostile_names_stay_inside_their_strings() -> None:
    system = load_text(
        'system:\n  name: "Evil\\" }\\n workspace {"\n  description: "a \\"b\\" {c}"\n'
        "security:\n  roles:\n    x: {description: '\"} -> hack'}\n"
    )
    workspace = parse(build_system(system).files["workspace.dsl"].decode())
    assert "role_x" in workspace.elements


def test_event_payload_errors_are_located() -> None:
    found = problems(
        """\
        system:
          name: Demo
        entities:
          Order:
            fields: {total: decimal}
        events:
          order.placed:
            entity: Ordr
            key: nope
            fields:
              count: {type: integer, default: x}
        """
    )
    codes = {(d.code, d.location.line) for d in found}
    assert ("unknown-entity", 8) in codes
    assert ("unknown-field", 9) in codes
    assert ("bad-default", 11) in codes
