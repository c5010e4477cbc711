"""The OpenAPI emitter, checked by its real consumers and against the REST conventions.

Consumers: openapi-spec-validator (3.1), Redocly CLI (recommended ruleset) and
datamodel-code-generator (the models it writes must import). Conventions are
asserted on tests/fixtures/openapi/library.yaml, which exercises each of them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from openapi_spec_validator import validate
from ruamel.yaml import YAML

from generator.emitters.openapi import build_document, render
from generator.pipeline import load_system, load_text

if TYPE_CHECKING:
    from generator.model import System

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "openapi"
LIBRARY = FIXTURES / "library.yaml"
SPECS = sorted((ROOT / "specs").glob("*.yaml")) + sorted(FIXTURES.glob("*.yaml"))
SCHEMES = ["jwt", "api-key", "oauth2", "session", "none"]
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
CODEGEN = Path(sys.executable).parent / "datamodel-codegen"
ERROR_STATUSES = {"400", "401", "403", "404", "409", "412", "422", "429", "500"}

Doc = dict[str, Any]


def spec_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def variant(**replace: str) -> System:
    """The library fixture with one setting swapped, e.g. scheme=oauth2."""
    text = LIBRARY.read_text(encoding="utf-8")
    for key, value in replace.items():
        old = {"scheme": "scheme: jwt", "pagination": "pagination: offset"}[key]
        assert text.count(old) == 1, f"fixture must contain {old!r} exactly once"
        text = text.replace(old, f"{old.split(':')[0]}: {value}")
    return load_text(text, "library.yaml")


def parse(text: str) -> Doc:
    loaded: Doc = YAML(typ="safe", pure=True).load(text)
    return loaded


@pytest.fixture(scope="module")
def library() -> System:
    return load_system(LIBRARY)


@pytest.fixture(scope="module")
def doc(library: System) -> Doc:
    return parse(render(library))


def operations(document: Doc) -> list[Doc]:
    return [op for item in document["paths"].values() for op in item.values()]


def operation(document: Doc, operation_id: str) -> Doc:
    for op in operations(document):
        if op["operationId"] == operation_id:
            result: Doc = op
            return result
    raise AssertionError(f"no operation {operation_id}")


def parameters(document: Doc, operation_id: str) -> list[Doc]:
    """What a client sends, resolved (path parameters sit on each operation, first)."""
    return [resolve(document, p) for p in operation(document, operation_id).get("parameters", [])]


def resolve(document: Doc, node: Doc) -> Doc:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[2:4]
        node = document["components"][section][name]
    return node


def param_names(document: Doc, operation_id: str) -> list[str]:
    return [p["name"] for p in parameters(document, operation_id)]


# --- real consumers ------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_rendered_document_is_valid_openapi_31(spec: Path) -> None:
    document = parse(render(load_system(spec)))
    assert document["openapi"] == "3.1.0"
    validate(document)


@pytest.mark.parametrize("pagination", ["offset", "cursor"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_scheme_and_pagination_validates(scheme: str, pagination: str) -> None:
    validate(parse(render(variant(scheme=scheme, pagination=pagination))))


def redocly_lint(path: Path) -> Doc:
    if not REDOCLY.exists():
        pytest.fail("node_modules/.bin/redocly is missing: run `npm ci` in the repository root")
    env = {
        **os.environ,
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "REDOCLY_SUPPRESS_NOTIFICATIONS": "true",
        "NO_COLOR": "1",
    }
    command = [
        str(REDOCLY),
        "lint",
        "--config",
        str(ROOT / "redocly.yaml"),
        "--format=json",
        str(path),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.stdout.strip(), f"redocly printed nothing:\n{done.stderr}"
    report: Doc = json.loads(done.stdout)
    return report


@pytest.mark.parametrize(
    "spec", [*SPECS, "oauth2"], ids=lambda s: s if isinstance(s, str) else spec_id(s)
)
def test_redocly_recommended_reports_no_errors(spec: Path | str, tmp_path: Path) -> None:
    system = variant(scheme="oauth2") if spec == "oauth2" else load_system(Path(spec))
    target = tmp_path / "openapi.yaml"
    target.write_text(render(system), encoding="utf-8")
    report = redocly_lint(target)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert not errors, json.dumps(errors, indent=2)
    # The one accepted warning: /health takes no input, so it has no 4xx response.
    unexpected = [
        p
        for p in report["problems"]
        if not (
            p["ruleId"] == "operation-4xx-response" and "~1health" in p["location"][0]["pointer"]
        )
    ]
    assert not unexpected, json.dumps(unexpected, indent=2)


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_generated_pydantic_models_import(spec: Path, tmp_path: Path) -> None:
    source = tmp_path / "openapi.yaml"
    source.write_text(render(load_system(spec)), encoding="utf-8")
    module = tmp_path / "api_models.py"
    command = [
        str(CODEGEN), "--input", str(source), "--input-file-type", "openapi",
        "--output-model-type", "pydantic_v2.BaseModel", "--output", str(module),
        "--disable-timestamp", "--formatters", "builtin",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    check = (
        "import api_models, pydantic; print(sum(isinstance(v, type)"
        " and issubclass(v, pydantic.BaseModel) for v in vars(api_models).values()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", check],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 5, "expected models for entities, envelopes and errors"


# --- output properties ---------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_output_is_byte_identical_and_round_trips(spec: Path) -> None:
    first, second = render(load_system(spec)), render(load_system(spec))
    assert first == second
    assert parse(first) == build_document(load_system(spec))  # quoting lost nothing
    assert not re.search(r"[&*]id\d{3}", first), "YAML anchors/aliases leaked into the output"


def test_key_order_is_stable_and_readable(doc: Doc) -> None:
    assert list(doc) == ["openapi", "info", "servers", "tags", "paths", "components"]
    assert doc["servers"] == [{"url": "/", "description": "The host serving this document."}]


def test_free_text_stays_a_value(library: System, doc: Doc) -> None:
    assert doc["info"]["title"] == library.name
    assert doc["info"]["description"] == library.description
    assert (
        "Applies a percentage: e.g. 10 means +10%."
        in operation(doc, "bulkPriceBook")["description"]
    )


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_operations_match_the_model(spec: Path) -> None:
    system = load_system(spec)
    document = build_document(system)
    for op in system.api.operations:
        emitted = document["paths"][op.path][op.method.lower()]
        assert emitted["operationId"] == op.id
        assert str(op.success_status) in emitted["responses"]
        declared = [p for p in parameters(document, op.id) if p.get("in") == "path"]
        assert [p["name"] for p in declared] == [p.name for p in op.path_params]
        for param, model_param in zip(declared, op.path_params, strict=True):
            column = system.entity(model_param.entity).column(model_param.column)
            if column.type == "uuid":
                assert param["schema"] == {"type": "string", "format": "uuid"}
            else:  # a bigint key or a lookup field: typed like its column
                assert param["schema"]["type"] == (
                    "integer" if column.type == "bigint" else "string"
                )
        if op.optional_auth and system.security.scheme != "none":
            assert emitted["security"][0] == {} and len(emitted["security"]) == 2
            assert "403" not in emitted["responses"]  # anyone may call it; bad credentials: 401
        elif op.public or system.security.scheme == "none":
            assert emitted["security"] == []
            assert not {"401", "403"} & set(emitted["responses"]) or op.kind in ("login", "refresh")
        else:
            assert emitted["security"] and emitted["x-roles"] == list(op.roles)
        if not op.path_params:
            assert "404" not in emitted["responses"]


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_read_models_never_show_sensitive_columns(spec: Path) -> None:
    system = load_system(spec)
    schemas = build_document(system)["components"]["schemas"]
    for entity in system.entities:
        secret = {c.json_name for c in entity.columns if c.sensitive}
        if entity.name in schemas:
            assert not secret & set(schemas[entity.name]["properties"]), entity.name


# --- conventions, concretely -----------------------------------------------------------


def test_create_is_201_with_location(doc: Doc) -> None:
    responses = operation(doc, "createBook")["responses"]
    assert "200" not in responses
    headers = responses["201"]["headers"]
    assert headers["Location"] == {"$ref": "#/components/headers/Location"}
    assert doc["components"]["headers"]["Location"]["schema"]["format"] == "uri-reference"


def test_delete_is_204_without_body(doc: Doc) -> None:
    for op_id in ("deleteBook", "deleteLoan", "extendLoan"):
        response = operation(doc, op_id)["responses"]["204"]
        assert "content" not in response, op_id


def test_error_responses_share_one_envelope(doc: Doc) -> None:
    components = doc["components"]
    for op in operations(doc):
        for status, response in op["responses"].items():
            if status in ERROR_STATUSES:
                assert response["$ref"].startswith("#/components/responses/"), (
                    op["operationId"],
                    status,
                )
    for response in components["responses"].values():
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    envelope = components["schemas"]["Error"]
    assert envelope["required"] == ["error"]
    assert envelope["properties"]["error"]["required"] == ["code", "message"]
    detail = resolve(doc, envelope["properties"]["error"]["properties"]["details"]["items"])
    assert set(detail["properties"]) == {"field", "message"}


def test_rate_limited_ops_have_429_with_retry_after(library: System, doc: Doc) -> None:
    too_many = doc["components"]["responses"]["TooManyRequests"]
    assert set(too_many["headers"]) == {
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
    }
    for op in library.api.operations:
        emitted = operation(doc, op.id)
        if op.rate_limit is None:
            assert "429" not in emitted["responses"]
            continue
        assert emitted["responses"]["429"] == {"$ref": "#/components/responses/TooManyRequests"}
        assert emitted["x-rate-limit"]["requests"] == op.rate_limit.requests
        success = emitted["responses"][str(op.success_status)]
        assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(
            success["headers"]
        )
        assert (
            f"{op.rate_limit.requests} requests per {op.rate_limit.per}" in emitted["description"]
        )


def test_fields_and_include_are_shared_components(doc: Doc) -> None:
    for op_id in ("listBooks", "getBook"):
        assert {"$ref": "#/components/parameters/BookFields"} in operation(doc, op_id)["parameters"]
    assert resolve(doc, {"$ref": "#/components/parameters/BookFields"})["name"] == "fields"
    for op_id in ("listLoans", "getLoan"):
        assert {"$ref": "#/components/parameters/LoanInclude"} in operation(doc, op_id)[
            "parameters"
        ]
    assert param_names(doc, "getBook")[0] == "bookId"  # the path's id comes first


def test_offset_pagination(doc: Doc) -> None:
    op = operation(doc, "listBooks")
    assert param_names(doc, "listBooks")[:2] == ["page", "limit"]
    limit = doc["components"]["parameters"]["Limit"]["schema"]
    assert (limit["maximum"], limit["default"]) == (200, 25)
    page = resolve(doc, op["responses"]["200"]["content"]["application/json"]["schema"])
    assert page["required"] == ["data", "pagination"]
    assert set(resolve(doc, page["properties"]["pagination"])["properties"]) == {
        "total",
        "page",
        "limit",
        "hasMore",
    }
    assert "Cursor" not in doc["components"]["parameters"]


def test_cursor_pagination() -> None:
    document = build_document(variant(pagination="cursor"))
    assert param_names(document, "listBooks")[:2] == ["cursor", "limit"]
    pagination = document["components"]["schemas"]["Pagination"]
    assert set(pagination["properties"]) == {"limit", "hasMore", "nextCursor"}
    assert pagination["properties"]["nextCursor"]["type"] == ["string", "null"]
    assert "Page" not in document["components"]["parameters"]


def test_filters_sort_fields_include(doc: Doc) -> None:
    names = param_names(doc, "listLoans")
    assert names[0] == "memberId"  # path parameter, not repeated as a filter
    assert names.count("memberId") == 1
    assert {"bookId", "status", "dueOnAfter", "dueOnBefore", "sort", "fields", "include"} <= set(
        names
    )
    sort = next(p for p in parameters(doc, "listBooks") if p["name"] == "sort")
    pattern = re.compile(sort["schema"]["pattern"])
    assert pattern.match("-createdAt,+title") and not pattern.match("-passwordHash")
    include = next(p for p in parameters(doc, "getLoan") if p["name"] == "include")
    assert include["schema"]["items"]["enum"] == ["member", "book"]


def test_public_ops_have_empty_security(doc: Doc) -> None:
    for op_id in (
        "listBooks",
        "getBook",
        "statsBook",
        "createMember",
        "login",
        "refreshToken",
        "getHealth",
    ):
        op = operation(doc, op_id)
        assert op["security"] == [], op_id
        assert "403" not in op["responses"], op_id
    create = operation(doc, "createBook")
    assert create["security"] == [{"bearerAuth": []}]
    assert create["x-roles"] == ["librarian"] and "librarian" in create["description"]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["bearerFormat"] == "JWT"


def test_read_model_hides_secrets_and_marks_server_fields(doc: Doc) -> None:
    schemas = doc["components"]["schemas"]
    member = schemas["Member"]["properties"]
    assert not {"passwordHash", "apiSecret", "deletedAt"} & set(member)
    assert member["id"]["readOnly"] is True and member["createdAt"]["readOnly"] is True
    assert "readOnly" not in member["email"]
    assert member["tier"]["readOnly"] is True  # access: server-set
    assert "apiSecret" not in member  # access: write-only
    create = schemas["MemberCreate"]
    assert not {"id", "createdAt", "updatedAt", "deletedAt", "tier", "passwordHash"} & set(
        create["properties"]
    )
    # The hash is stored, the password accepted: `input: password` on password_hash.
    assert create["required"] == ["email", "displayName", "password"]
    password = create["properties"]["password"]
    assert (password["format"], password["writeOnly"]) == ("password", True)
    assert "argon2id" in password["description"]
    assert create["properties"]["apiSecret"]["writeOnly"] is True
    update = schemas["MemberUpdate"]
    assert "required" not in update and "password" not in update["properties"]
    # An entity without a resource of its own, shown only through include=author.
    author = schemas["Author"]["properties"]
    assert "name" in author and "taxId" not in author
    embedded = schemas["Book"]["properties"]["author"]
    assert embedded["anyOf"] == [{"$ref": "#/components/schemas/Author"}, {"type": "null"}]


def test_column_types(doc: Doc) -> None:
    book = doc["components"]["schemas"]["Book"]["properties"]
    assert book["id"]["format"] == "uuid"
    assert (book["pages"]["type"], book["pages"]["format"]) == (["integer", "null"], "int32")
    assert book["copiesSold"]["format"] == "int64"
    assert book["format"]["enum"] == ["hardcover", "paperback", "ebook", None]
    assert book["isbn"]["maxLength"] == 17
    assert book["title"]["examples"] == ["Refactoring: Improving the Design of Existing Code"]
    price = re.compile(book["price"]["pattern"])
    assert book["price"]["type"] == "string"
    assert price.match("39.90") and price.match("999999") and not price.match("39.901")
    member = doc["components"]["schemas"]["Member"]["properties"]
    assert member["email"]["format"] == "email" and member["homepage"]["format"] == "uri"
    assert member["birthday"]["format"] == "date"


def test_versioned_writes_need_if_match(doc: Doc) -> None:
    for op_id in ("updateBook", "replaceBook", "updateLoan"):
        op = operation(doc, op_id)
        if_match = [p for p in parameters(doc, op_id) if p["name"] == "If-Match"]
        assert if_match and if_match[0]["in"] == "header" and if_match[0]["required"] is True
        assert {"409", "412"} <= set(op["responses"]), op_id
        assert "ETag" in op["responses"]["200"]["headers"]
    assert "ETag" in operation(doc, "getBook")["responses"]["200"]["headers"]
    assert "If-Match" not in param_names(doc, "updateMember")  # not versioned


def test_conflicts_only_where_they_can_happen(doc: Doc) -> None:
    assert "409" in operation(doc, "createMember")["responses"]  # unique email
    assert "409" not in operation(doc, "createLoan")["responses"]  # nothing unique, new row
    assert "409" in operation(doc, "updateLoan")["responses"]  # stale version


def test_nested_resource_takes_parent_from_path(doc: Doc) -> None:
    schemas = doc["components"]["schemas"]
    assert "memberId" not in schemas["LoanCreate"]["properties"]
    assert schemas["Loan"]["properties"]["memberId"]["readOnly"] is True
    assert "404" in operation(doc, "listLoans")["responses"]


def test_custom_operations_as_declared(doc: Doc) -> None:
    bulk = operation(doc, "bulkPriceBook")
    request = bulk["requestBody"]["content"]["application/json"]["schema"]
    assert set(request["properties"]) == {"percent", "dryRun"}
    response = bulk["responses"]["200"]["content"]["application/json"]["schema"]
    assert response == {"type": "array", "items": {"$ref": "#/components/schemas/Book"}}
    stats = operation(doc, "statsBook")["responses"]["200"]["content"]["application/json"]["schema"]
    assert stats["properties"]["lastLoanAt"]["format"] == "date-time"


def test_auth_endpoints(doc: Doc) -> None:
    login = operation(doc, "login")
    assert login["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/LoginRequest"
    )
    assert "mfaCode" in doc["components"]["schemas"]["LoginRequest"]["properties"]
    pair = resolve(doc, login["responses"]["200"]["content"]["application/json"]["schema"])
    assert pair["required"] == ["accessToken", "refreshToken", "expiresIn"]
    assert pair["properties"]["expiresIn"]["examples"] == [600]
    logout = operation(doc, "logout")
    assert logout["security"] == [{"bearerAuth": []}] and "204" in logout["responses"]


def test_health_shape(doc: Doc) -> None:
    health = operation(doc, "getHealth")
    assert health["security"] == []
    schema = resolve(doc, health["responses"]["200"]["content"]["application/json"]["schema"])
    assert schema["required"] == ["status", "version", "timestamp", "checks"]
    assert schema["properties"]["timestamp"]["format"] == "date-time"
    check = resolve(doc, schema["properties"]["checks"]["additionalProperties"])
    assert check["properties"]["status"]["enum"] == ["up", "down"]


def test_tags_name_resources_and_services(library: System, doc: Doc) -> None:
    tags = {t["name"]: t for t in doc["tags"]}
    assert [r.name for r in library.api.resources] == list(tags)[: len(library.api.resources)]
    assert tags["books"]["x-service"] == "catalogue"
    assert "lending" in tags["loans"]["description"]


@pytest.mark.parametrize(
    ("scheme", "name", "expected"),
    [
        ("api-key", "apiKeyAuth", {"type": "apiKey", "in": "header"}),
        ("session", "cookieAuth", {"type": "apiKey", "in": "cookie"}),
        ("oauth2", "oauth2", {"type": "oauth2"}),
    ],
)
def test_other_security_schemes(scheme: str, name: str, expected: Doc) -> None:
    document = build_document(variant(scheme=scheme))
    defined = document["components"]["securitySchemes"][name]
    assert expected.items() <= defined.items()
    create = operation(document, "createBook")
    scopes = ["books:create"] if scheme == "oauth2" else []
    assert create["security"] == [{name: scopes}]
    assert operation(document, "listBooks")["security"] == []
    if scheme == "oauth2":
        assert defined["flows"]["clientCredentials"]["tokenUrl"] == "/oauth/token"
        assert "books:create" in defined["flows"]["authorizationCode"]["scopes"]


def test_no_auth_means_no_credentials_anywhere() -> None:
    document = build_document(load_system(FIXTURES / "minimal.yaml"))
    assert "securitySchemes" not in document["components"]
    for op in operations(document):
        assert op["security"] == []
        assert not {"401", "403"} & set(op["responses"])
    assert "sort" not in param_names(document, "listNotes")


def test_unused_components_are_pruned(doc: Doc) -> None:
    text = json.dumps(doc["paths"]) + json.dumps(doc["components"])
    for section, entries in doc["components"].items():
        if section != "securitySchemes":
            for name in entries:
                assert f"#/components/{section}/{name}" in text, (section, name)


def test_npm_lock_pins_redocly() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    version = package["devDependencies"]["@redocly/cli"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "pin an exact version"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/@redocly/cli"]["version"] == version
    assert shutil.which("node") or REDOCLY.exists()


def test_yaml_writer_round_trips_tricky_scalars_through_yaml_11_and_12_readers() -> None:
    import yaml as pyyaml
    from ruamel.yaml import YAML as RuamelYAML

    from generator.emitters import yaml_out

    tricky = [
        "200",
        "no",
        "on",
        "Yes",
        "~",
        "",
        "0777",
        "0x1F",
        "1e3",
        ".inf",
        "1:20",
        "2024-01-01",
        "<<",
        "=",
        "- x",
        "a: b",
        "#c",
        "'q'",
        '"d"',
        "\\N",
        "é",
        "line\nbreak",
        " lead",
        "trail ",
        "null",
    ]
    data = {
        "strings": tricky,
        "numbers": [0, -1, 2**40, 1.5, 1e-05, float("inf")],
        "flags": [True, False, None],
        "200": {"k": "v"},
    }
    text = yaml_out.dump(data)
    for reader in (
        lambda t: pyyaml.safe_load(t),
        lambda t: RuamelYAML(typ="safe", pure=True).load(t),
    ):
        assert reader(text) == data
