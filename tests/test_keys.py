"""Keys and lookups: the primary key's type, and the unique field that names an item in paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.emitters.openapi import build_document
from generator.pipeline import load_system
from tests.helpers import MINIMAL, problems, spec

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "tests" / "fixtures" / "sql" / "keys.yaml"


def path_parameter(doc: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    params = doc["paths"][path][method]["parameters"]
    found: dict[str, Any] = next(p for p in params if p.get("name") == name)
    return found


def test_key_types_reach_columns_references_and_paths() -> None:
    system = load_system(KEYS)
    assert system.entity("User").column("id").type == "bigint"
    assert system.entity("Comment").column("author_id").type == "bigint"
    country = system.entity("Country").column("id")
    assert (country.type, country.access) == ("string", "immutable")
    assert system.entity("User").column("country_id").type == "string"
    link = system.entity("UserFollow") if system.find_entity("UserFollow") else None
    assert link is None or {c.type for c in link.columns if c.role == "foreign-key"} == {"bigint"}
    doc = build_document(system)
    item = "/api/v1/users/{username}/comments/{id}"
    assert item in doc["paths"]
    assert path_parameter(doc, item, "get", "id")["schema"] == {
        "type": "integer",
        "format": "int64",
    }
    username = path_parameter(doc, item, "get", "username")
    assert username["schema"]["type"] == "string" and "format" not in username["schema"]
    assert username["description"] == "Username of the user."
    comment = doc["components"]["schemas"]["Comment"]["properties"]
    assert comment["id"]["type"] == "integer" and comment["id"]["readOnly"] is True
    # A natural key is the client's to choose once: in the create request, not in an update.
    assert "id" in doc["components"]["schemas"]["CountryCreate"]["properties"]
    assert (
        "CountryUpdate" not in doc["components"]["schemas"]
        or "id" not in (doc["components"]["schemas"]["CountryUpdate"]["properties"])
    )


def test_default_key_and_parameter_are_unchanged() -> None:
    doc = build_document(spec(MINIMAL))
    param = path_parameter(doc, "/api/v1/users/{userId}", "get", "userId")
    assert param["schema"] == {"type": "string", "format": "uuid"}


def test_lookup_must_be_a_unique_field() -> None:
    text = MINIMAL.replace(
        "      email: {type: email, unique: true}\n",
        "      email: {type: email, unique: true}\n      nick: {type: string}\n",
    ).replace("users: {entity: User}", "users: {entity: User, lookup: nick}")
    (problem,) = problems(text)
    assert problem.code == "lookup-not-unique"
    (unknown,) = problems(MINIMAL.replace("{entity: User}", "{entity: User, lookup: handle}"))
    assert unknown.code == "unknown-field"


def test_unknown_key_type_is_refused() -> None:
    (problem,) = problems(MINIMAL.replace("  User:\n", "  User:\n    key: serial\n"))
    assert "key" in problem.message or "serial" in problem.message
