"""The API model: field access, ownership and object-level authorization.

What a client may send, what it is shown, and whose records it reaches follow from
the spec (access:, input:, owner:, principal:, scoped permissions), the same way in
the OpenAPI contract, the design document and the review.
"""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from generator.diagnostics import SpecError
from generator.emitters import yaml_out
from generator.emitters.openapi import build_document
from generator.model import System
from generator.pipeline import load_system, load_text
from tests.helpers import located, position_of, problems
from tests.strategies import Data, specs

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = "#/components/schemas/"


@cache
def example(name: str) -> tuple[System, dict[str, Any]]:
    system = load_system(ROOT / "specs" / f"{name}.yaml")
    return system, build_document(system)


def schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    result: dict[str, Any] = doc["components"]["schemas"][name]
    return result


def operation(doc: dict[str, Any], op_id: str) -> dict[str, Any]:
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == op_id:
                return op
    raise AssertionError(f"no operation {op_id}")


# --- mass assignment: the server's fields are never the client's ---------------------


def test_shop_sign_up_cannot_choose_a_role_or_send_a_hash() -> None:
    _, doc = example("shop")
    create = schema(doc, "UserCreate")["properties"]
    assert set(create) == {"email", "name", "password"}
    assert create["password"]["writeOnly"] is True
    user = schema(doc, "User")["properties"]
    assert "passwordHash" not in user and "password" not in user
    assert user["role"]["readOnly"] is True and user["emailVerifiedAt"]["readOnly"] is True


def test_shop_orders_take_owner_status_and_amounts_from_the_server() -> None:
    system, doc = example("shop")
    assert set(schema(doc, "OrderCreate")["properties"]) == {"shippingAddress"}
    assert set(schema(doc, "OrderItemCreate")["properties"]) == {"productId", "quantity"}
    order = schema(doc, "Order")["properties"]
    for server_set in ("customerId", "status", "total", "placedAt"):
        assert order[server_set]["readOnly"] is True, server_set
    # The owner key is set from the caller's token, which the model says once.
    customer = system.entity("Order").column("customer_id")
    assert customer.access == "server-set"


def test_immutable_fields_are_created_but_never_changed() -> None:
    _, doc = example("inkwell")
    assert "slug" in schema(doc, "ArticleCreate")["properties"]
    assert "slug" not in schema(doc, "ArticleUpdate")["properties"]
    assert "cannot change" in schema(doc, "Article")["properties"]["slug"]["description"]


# --- object-level authorization -----------------------------------------------------


def test_customers_reach_only_their_own_orders() -> None:
    system, doc = example("shop")
    listing = operation(doc, "listOrders")
    assert listing["x-scopes"] == {"customer": "own", "staff": "any", "admin": "any"}
    assert "only the caller's own orders" in listing["description"]
    get = operation(doc, "getOrder")
    assert "404" in get["responses"] and "another owner's answers 404" in get["description"]
    # Items belong to whoever owns their order: ownership is inherited.
    items = system.entity("OrderItem").ownership
    assert items is not None and (items.relation, items.direct) == ("order", False)
    assert operation(doc, "listItems")["x-scopes"]["customer"] == "own"
    # An entity without an owner carries no scopes.
    assert "x-scopes" not in operation(doc, "createProduct")


def test_merchants_reach_only_their_own_shipments() -> None:
    _, doc = example("parcelflow")
    for op_id in ("listShipments", "getShipment", "updateShipment", "cancelShipment"):
        assert operation(doc, op_id)["x-scopes"]["merchant"] == "own", op_id
    assert operation(doc, "listInvoices")["x-scopes"] == {"merchant": "own", "admin": "any"}
    create = set(schema(doc, "ShipmentCreate")["properties"])
    assert not {"merchantId", "status", "price", "trackingNumber"} & create


def test_the_document_matrix_says_own_and_names_the_owner_index() -> None:
    from generator.build import build_system

    system, _ = example("shop")
    design = build_system(system).files["design.md"].decode()
    row = next(line for line in design.splitlines() if line.startswith("| listOrders "))
    assert [cell.strip() for cell in row.split("|")[3:6]] == ["own", "✓", "✓"]
    assert (
        "| Order | customer\\_id (taken from the caller) | idx\\_orders\\_customer\\_id\\_created\\_at |"
        in design
    )
    assert "answers 404 Not Found" in design


# --- what the resolver refuses --------------------------------------------------------

BASE = """\
system: {name: Demo}
entities:
  User:
    owner: self
    fields:
      email: {type: email}
  Order:
    owner: customer
    fields:
      total: {type: decimal}
    relations:
      customer: {target: User}
api:
  resources:
    users: {entity: User, operations: [get]}
    orders: {entity: Order, operations: [list, get]}
security:
  authentication: {principal: User}
  roles:
    customer:
      permissions: [users:get:own, orders:read:own]
"""

CASES = [
    # (replace this, with this, code, needle at the error, occurrence)
    ("orders:read:own]", "orders:read]", "scope-required", "orders:read]", 1),
    ("users:get:own,", "users:get:own, orders:list:own, orders:get:own,", None, None, 1),
    ("  authentication: {principal: User}\n", "", "owner-without-principal", "self", 1),
    ("owner: customer", "owner: buyer", "unknown-relation", "buyer", 1),
    ("orders:read:own]", "orders:list:own]", "ungranted-operation", "get]", 2),
    (
        "email: {type: email}",
        "email: {type: email, sensitive: true, access: read-write}",
        "sensitive-returned",
        "read-write",
        1,
    ),
    (
        "email: {type: email}",
        "email: {type: email, input: address}",
        "input-not-secret",
        "address",
        1,
    ),
    (
        "total: {type: decimal}",
        "total: {type: decimal}\n      customer: {type: string}",
        "field-shadows-relation",
        "customer: {type: string}",
        1,
    ),
    ("principal: User", "principal: Usr", "unknown-entity", "Usr", 1),
]


@pytest.mark.parametrize(("old", "new", "code", "needle", "occurrence"), CASES)
def test_resolver_refuses_what_would_leak_or_lock_out(
    old: str, new: str, code: str | None, needle: str | None, occurrence: int
) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    if code is None:
        load_text(text)  # a variant that must stay valid, so the cases are not vacuous
        return
    assert needle is not None
    found = [located(d) for d in problems(text)]
    assert (code, *position_of(text, needle, occurrence)) in found, found


def test_a_scope_on_an_entity_without_owner_is_refused() -> None:
    text = BASE.replace("    owner: customer\n", "")
    found = [d.code for d in problems(text)]
    assert found == ["scope-without-owner"]


def test_an_owner_must_lead_to_the_principal() -> None:
    text = textwrap.dedent(
        """\
        system: {name: Demo}
        entities:
          User: {fields: {email: {type: email}}}
          Shop:
            fields: {name: {type: string}}
          Product:
            owner: shop
            relations: {shop: {target: Shop}}
        security:
          authentication: {principal: User}
        """
    )
    assert [located(d) for d in problems(text)] == [
        ("owner-not-owned", *position_of(text, "shop\n"))
    ]


# --- the properties, on random specs -------------------------------------------------


def _built(data: Data) -> tuple[System, dict[str, Any]] | None:
    try:
        system = load_text(yaml_out.dump(data))
    except SpecError:
        return None
    return system, build_document(system)


def _properties(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["schemas"].get(name, {}).get("properties", {})
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs())
def test_requests_never_carry_server_fields_and_responses_never_secrets(data: Data) -> None:
    built = _built(data)
    if built is None:
        return
    system, doc = built
    for entity in system.entities:
        created = _properties(doc, f"{entity.name}Create")
        updated = _properties(doc, f"{entity.name}Update")
        shown = _properties(doc, entity.name)
        for column in entity.columns:
            if column.server_owned:
                assert column.json_name not in created and column.json_name not in updated
            if column.access == "immutable":
                assert column.json_name not in updated
            if not column.returned:
                assert column.json_name not in shown
            if column.input is not None:
                assert column.input not in shown
    for op in system.api.operations:
        if op.resource is None:
            continue
        granted = op.public or bool(op.grants)
        assert granted or system.security.scheme == "none" or not system.security.roles
        if op.owned and op.grants:
            assert set(operation(doc, op.id)["x-scopes"]) == set(op.roles)


def test_summaries_take_the_article_of_the_first_sound() -> None:
    text = "system: {name: Demo}\nentities:\n"
    names = {"Order": "orders", "Item": "items", "User": "users", "Unit": "units"}
    names |= {"Umbrella": "umbrellas", "Category": "categories", "Entry": "entries"}
    text += "".join(f"  {e}: {{fields: {{note: text}}}}\n" for e in names)
    text += "api:\n  resources:\n"
    text += "".join(f"    {r}: {{entity: {e}, operations: [create]}}\n" for e, r in names.items())
    summaries = {op.summary for op in load_text(text).api.operations if op.kind == "create"}
    assert summaries == {
        "Create an order",
        "Create an item",
        "Create a user",
        "Create a unit",
        "Create an umbrella",
        "Create a category",
        "Create an entry",
    }
