"""Schema and cross-reference errors: every class, with the exact line:col of the offending key."""

from __future__ import annotations

import pytest

from tests.helpers import MINIMAL, located, position_of, problems, spec


def test_minimal_spec_resolves_with_defaults() -> None:
    system = spec(MINIMAL)
    assert system.slug == "demo"
    users = system.entity("User")
    assert [c.name for c in users.columns] == ["id", "email", "created_at", "updated_at"]
    assert {op.id for op in system.api.operations} >= {
        "listUsers",
        "getUser",
        "createUser",
        "updateUser",
        "deleteUser",
        "login",
        "getHealth",
    }


CASES = [
    # (spec text, code, needle whose position is the error location, occurrence)
    ("system:\n  name: X\n  nmae: Y\n", "unknown-key", "nmae", 1),
    ("system:\n  description: no name\n", "missing-key", "system", 1),
    ("system: {name: X}\nsecu[rity: {}\n", "unknown-key", "secu[rity", 1),  # found by the fuzzer
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      age: {type: int}\n",
        "invalid-value",
        "int}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      age: {type: integer, nullable: yes}\n",
        "wrong-type",
        "yes}",
        1,
    ),
    ("system: {name: X}\nentities:\n  user:\n    fields: {}\n", "invalid-name", "user:", 1),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      Bad-Name: string\n",
        "invalid-name",
        "Bad-Name",
        1,
    ),
    ("system: {name: 12}\n", "wrong-type", "12", 1),
    (
        "system: {name: X}\nentities:\n  User:\n    relations:\n      org: {target: Org}\n",
        "unknown-entity",
        "Org}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User: {}\nservices:\n  accounts: {owns: [Usr]}\n",
        "unknown-entity",
        "Usr",
        1,
    ),
    (
        "system: {name: X}\nservices:\n  a: {depends_on: [{service: b}]}\n",
        "unknown-service",
        "b}",
        1,
    ),
    (
        "system: {name: X}\nservices:\n  a: {consumes: [order.placed]}\n",
        "unpublished-event",
        "order.placed",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User: {}\napi:\n  resources:\n    users: {entity: Usr}\n",
        "unknown-entity",
        "Usr}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      id: uuid\n",
        "reserved-field",
        "id:",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      kind: {type: enum}\n",
        "enum-without-values",
        "kind",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      kind: {type: enum, values: [a, b], default: c}\n",
        "bad-default",
        "c}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      n: integer\n    indexes:\n      - fields: [nn]\n",
        "unknown-column",
        "[nn]",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      n: string\n    search: {m: A}\n",
        "unknown-field",
        "m: A",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User: {}\n  Org: {}\napi:\n  resources:\n    users: {entity: User, parent: orgs}\n    orgs: {entity: Org}\n",
        "parent-without-relation",
        "orgs}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User: {}\napi:\n  resources:\n    users: {entity: User}\nsecurity:\n  roles:\n    admin: {permissions: [user:delete]}\n",
        "unknown-resource",
        "user:delete",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    relations:\n      boss: {target: User, on_delete: set-null}\n",
        "invalid-on-delete",
        "set-null",
        1,
    ),
    ("system: {name: X}\nentities:\n  Person: {}\n  People: {}\n", "duplicate-table", "People", 1),
    (
        "system: {name: X}\nentities:\n  User: {}\napi:\n  resources:\n    users: {entity: User, public: [list], operations: [get]}\n",
        "public-not-operation",
        "list]",
        1,
    ),
]


@pytest.mark.parametrize(
    ("text", "code", "needle", "occurrence"),
    CASES,
    ids=[c[1] + f"-{i}" for i, c in enumerate(CASES)],
)
def test_error_is_located_at_the_offending_key(
    text: str, code: str, needle: str, occurrence: int
) -> None:
    found = problems(text)
    line, column = position_of(text, needle, occurrence)
    assert (code, line, column) in [located(d) for d in found], [d.format() for d in found]


def test_all_problems_are_reported_in_one_run() -> None:
    text = "system: {name: X}\nentities:\n  User:\n    relations:\n      a: {target: Nope}\n      b: {target: Gone}\nservices:\n  s: {owns: [Missing]}\n"
    codes = [d.code for d in problems(text)]
    assert codes.count("unknown-entity") == 3


def test_did_you_mean_for_close_names_and_synonyms() -> None:
    text = "system: {name: X}\nentities:\n  User:\n    fields:\n      price: money\n    relations:\n      org: {target: Usr}\n"
    hints = {d.code: d.hint for d in problems(text)}
    assert hints["invalid-value"] == "did you mean 'decimal'?"
    text = "system: {name: X}\nentities:\n  User:\n    relations:\n      org: {target: Usr}\n"
    assert problems(text)[0].hint == "did you mean 'User'?"


def test_names_that_collide_after_folding_are_duplicates() -> None:
    text = "system: {name: X}\nentities:\n  OrderItem: {}\n  Orderitem: {}\n"
    assert "duplicate-name" in [d.code for d in problems(text)]


def test_hostile_names_are_refused_with_location() -> None:
    for name in ["Users; DROP TABLE x", "User\u202eevil", "Us\u200ber", "../../etc", "<script>"]:
        text = f"system: {{name: X}}\nentities:\n  '{name}': {{}}\n"
        found = problems(text)
        assert [d.code for d in found] == ["invalid-name"], name
        assert found[0].location.line == 3
        assert "\u202e" not in found[0].format() and "\u200b" not in found[0].format()


def test_over_long_names_are_refused_with_the_limit() -> None:
    long_field = "f" * 64
    found = problems(
        f"system: {{name: X}}\nentities:\n  User:\n    fields:\n      {long_field}: string\n"
    )
    assert found[0].code == "invalid-name" and "63" in found[0].message
