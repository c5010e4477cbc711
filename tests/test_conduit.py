"""specs/conduit.yaml against the public RealWorld "Conduit" contract it reproduces.

The vendored document (tests/fixtures/conduit/openapi.yml, MIT) is compared with the
generated one operation by operation (method and path, after the contract's server
base path /api) and property by property of every request and success-response body:
$refs resolved on both sides, nested objects and array items followed, names compared,
and JSON types where both documents give one (a nullable type of ours, ["string",
"null"], matches "string").
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.emitters.openapi import build_document
from generator.pipeline import load_system

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "tests" / "fixtures" / "conduit" / "openapi.yml"
SPEC = ROOT / "specs" / "conduit.yaml"
BASE = "/api"  # the contract's server is https://api.realworld.show/api
METHODS = ("get", "post", "put", "patch", "delete")

Doc = dict[str, Any]


@cache
def contract() -> Doc:
    loaded: Doc = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    return loaded


@cache
def generated() -> Doc:
    return build_document(load_system(SPEC))


def resolve(doc: Doc, node: Any) -> Any:
    """Follow $refs (schemas, responses, request bodies) to the node they name."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operations(doc: Doc, prefix: str = "") -> dict[tuple[str, str], Doc]:
    return {
        (method.upper(), prefix + path): op
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def success(doc: Doc, op: Doc) -> tuple[str, Any]:
    status = min(code for code in op["responses"] if str(code).startswith("2"))
    response = resolve(doc, op["responses"][status])
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return str(status), schema


def request(doc: Doc, op: Doc) -> Any:
    body = resolve(doc, op.get("requestBody"))
    if not body:
        return None
    return body.get("content", {}).get("application/json", {}).get("schema")


def types(schema: Any) -> set[str]:
    kind = schema.get("type") if isinstance(schema, dict) else None
    if kind is None:
        return set()
    return {kind} if isinstance(kind, str) else set(kind) - {"null"}


def properties(
    doc: Doc, schema: Any, path: str = "", depth: int = 0
) -> Iterator[tuple[str, set[str]]]:
    """(dotted path, JSON types) of every property below `schema`; arrays as name[]."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict) or depth > 6:
        return
    if "allOf" in schema:  # a $ref wrapped to carry a description
        for part in schema["allOf"]:
            yield from properties(doc, part, path, depth + 1)
    if schema.get("type") == "array" or "items" in schema:
        items = resolve(doc, schema.get("items"))
        if path and not (isinstance(items, dict) and "properties" in items):
            yield path + "[]", types(items)  # a list of scalars: the item type counts too
        yield from properties(doc, items, path + "[]", depth + 1)
    for name, child in schema.get("properties", {}).items():
        child = resolve(doc, child)
        here = f"{path}.{name}" if path else name
        yield here, types(child)
        yield from properties(doc, child, here, depth + 1)


def compare(theirs: Any, ours: Any) -> tuple[int, int, list[str], list[str]]:
    """(properties of theirs, alike in ours, missing or different, extra in ours)."""
    want = dict(properties(contract(), theirs))
    have = dict(properties(generated(), ours))
    different = [
        f"{name}: {sorted(kind)} vs {sorted(have.get(name, set())) if name in have else 'missing'}"
        for name, kind in want.items()
        if name not in have or (kind and have[name] and not kind <= have[name])
    ]
    extra = sorted(set(have) - set(want))
    return len(want), len(want) - len(different), different, extra


def measure() -> dict[str, Any]:
    theirs = operations(contract(), BASE)
    ours = operations(generated())
    found = [route for route in theirs if route in ours]
    totals = {"request": [0, 0], "response": [0, 0]}
    report: list[str] = []
    statuses: list[str] = []
    for route in found:
        for part, get in (("request", request), ("response", lambda d, o: success(d, o)[1])):
            total, alike, different, extra = compare(
                get(contract(), theirs[route]), get(generated(), ours[route])
            )
            totals[part][0] += total
            totals[part][1] += alike
            if different or extra:
                report.append(f"{route[0]} {route[1]} {part}: differs {different}, extra {extra}")
        their_status = success(contract(), theirs[route])[0]
        our_status = success(generated(), ours[route])[0]
        if their_status != our_status:
            statuses.append(f"{route[0]} {route[1]}: {their_status} vs {our_status}")
    return {
        "operations": (len(found), len(theirs)),
        "missing": sorted(set(theirs) - set(ours)),
        "extra": sorted(set(ours) - set(theirs)),
        "request": tuple(totals["request"]),
        "response": tuple(totals["response"]),
        "report": report,
        "statuses": statuses,
    }


def test_every_conduit_operation_and_nearly_every_property_is_reproduced() -> None:
    result = measure()
    found, total = result["operations"]
    req_total, req_alike = result["request"]
    res_total, res_alike = result["response"]
    alike = (req_alike + res_alike) / (req_total + res_total)
    print(
        f"\noperations: {found}/{total} (archsmith adds {len(result['extra'])}: {result['extra']})"
    )
    print(f"request properties alike: {req_alike}/{req_total}")
    print(f"response properties alike: {res_alike}/{res_total}")
    print(f"all properties alike: {alike:.1%}")
    print("success status differs:", result["statuses"] or "nowhere")
    for line in result["report"]:
        print(line)
    assert result["missing"] == []
    assert alike >= 0.95


def test_path_parameters_and_filters_match() -> None:
    theirs = operations(contract(), BASE)
    ours = operations(generated())
    for route, op in theirs.items():
        their_params = {
            (p["name"], p["in"], resolve(contract(), p).get("schema", {}).get("type"))
            for p in (resolve(contract(), p) for p in op.get("parameters", []))
        }
        our_params = {
            (p["name"], p["in"], p.get("schema", {}).get("type"))
            for p in (resolve(generated(), p) for p in ours[route].get("parameters", []))
        }
        assert their_params <= our_params, route


def test_optional_auth_where_the_contract_says_so() -> None:
    ours = operations(generated())
    for route in [("GET", "/api/articles"), ("GET", "/api/profiles/{username}")]:
        assert ours[route]["security"] == [{}, {"tokenAuth": []}]
    scheme = generated()["components"]["securitySchemes"]["tokenAuth"]
    their = contract()["components"]["securitySchemes"]["Token"]
    assert {k: scheme[k] for k in ("type", "in", "name")} == {
        k: their[k] for k in ("type", "in", "name")
    }


def required_sets(doc: Doc, schema: Any, path: str = "", depth: int = 0) -> dict[str, set[str]]:
    """Object path -> its required property names, for every object below `schema`."""
    schema = resolve(doc, schema)
    found: dict[str, set[str]] = {}
    if not isinstance(schema, dict) or depth > 6:
        return found
    if "items" in schema:
        found |= required_sets(doc, schema["items"], path + "[]", depth + 1)
    if "properties" in schema:
        found[path] = set(schema.get("required", []))
        for name, child in schema["properties"].items():
            found |= required_sets(doc, child, f"{path}.{name}" if path else name, depth + 1)
    return found


def test_required_properties_agree_object_by_object() -> None:
    theirs = operations(contract(), BASE)
    ours = operations(generated())
    compared = 0
    for route, op in theirs.items():
        for get in (request, lambda d, o: success(d, o)[1]):
            want = required_sets(contract(), get(contract(), op))
            have = required_sets(generated(), get(generated(), ours[route]))
            for path, names in want.items():
                compared += 1
                assert have.get(path) == names, (route, path)
    print(f"\nrequired properties agree in {compared}/{compared} objects")
    assert compared > 40
