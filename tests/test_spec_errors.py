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
        "getHealth",
    }
    # No entity stores a password, so JWT offers no login of its own.
    assert not {"login", "refreshToken", "logout"} & {op.id for op in system.api.operations}


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


# Issue 21: specs `check` accepted that a later stage or a consumer then refused.
_FIELD = (
    "system: {{name: X}}\nentities:\n  User:\n    fields:\n      f: {{type: {}, default: {}}}\n"
)
ACCEPTED_BEFORE = [
    (
        "system: {name: X}\nrequirements:\n  scale: {peak_rps: 1.0e+308}\n  latency_ms: {p95: 1.0e+308}\n",
        "number-out-of-range",
        "1.0e+308}",
        1,
    ),
    (
        "system: {name: X}\nrequirements:\n  scale: {peak_rps: .inf}\n",
        "number-out-of-range",
        ".inf",
        1,
    ),
    ("system: {name: Con}\n", "reserved-slug", "Con", 1),
    ("system: {name: X, slug: lpt1}\n", "reserved-slug", "lpt1", 1),
    ("system: {name: Assets}\n", "reserved-slug", "Assets", 1),
    ("system: {name: X, slug: search}\n", "reserved-slug", "search", 1),
    ("system: {name: X, slug: site}\n", "reserved-slug", "site", 1),
    ("system: {name: X}\napi: {page_size: 50, max_page_size: 10}\n", "page-size-over-max", "50", 1),
    (
        "system: {name: X}\nentities:\n  User: {}\napi:\n  resources:\n    users:\n      entity: User\n      custom: {merge: {method: POST, path: '/{a}/{a}'}}\n",
        "duplicate-parameter",
        "'/{a}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  Person:\n    relations: {mentor: {target: Person, nullable: true}}\napi:\n  resources:\n    people: {entity: Person, operations: [list]}\n    persons: {entity: Person, parent: people, operations: [get]}\n",
        "duplicate-parameter",
        "people, operations: [get]",
        1,
    ),
    (_FIELD.format("uuid", "nope"), "bad-default", "nope", 1),
    (_FIELD.format("uuid", "123e4567e89b12d3a456426614174000"), "bad-default", "123e", 1),
    (_FIELD.format("date", "2024-02-30"), "bad-default", "2024", 1),
    (_FIELD.format("date", "'0999-12-31'"), "bad-default", "'0999", 1),
    (_FIELD.format("datetime", "2024-01-31T09:30:00"), "bad-default", "2024", 1),
    (_FIELD.format("datetime", "NOW"), "bad-default", "NOW", 1),
    (_FIELD.format("date", "now"), "bad-default", "now", 1),
    (_FIELD.format("email", "no-at-sign"), "bad-default", "no-at", 1),
    (_FIELD.format("url", "example.com"), "bad-default", "example", 1),
    (_FIELD.format("decimal", "'1e5'"), "bad-default", "'1e5'", 1),
    (_FIELD.format("decimal", "'12.'"), "bad-default", "'12.'", 1),
    (_FIELD.format("integer", 2**31), "bad-default", str(2**31), 1),
    (_FIELD.format("integer", -(2**31) - 1), "bad-default", str(-(2**31) - 1), 1),
    (_FIELD.format("bigint", "0x8000000000000000"), "number-too-large", "0x8", 1),
    (_FIELD.format("float", ".inf"), "bad-default", ".inf", 1),
    (_FIELD.format("json", "'{}'"), "bad-default", "'{}'", 1),
    (
        "system: {name: X}\nentities:\n  Tag: {}\n  Note:\n    relations:\n      tags: {target: Tag, kind: many-to-many, on_delete: set-null}\n",
        "invalid-on-delete",
        "set-null",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      f: {type: email, example: ada}\n",
        "bad-example",
        "ada}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      f: {type: decimal, precision: 4, scale: 2, default: 123.5}\n",
        "bad-default",
        "123.5",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      f: {type: decimal, precision: 4, scale: 2, default: 0.125}\n",
        "bad-default",
        "0.125",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      ref: uuid\n    indexes:\n      - {fields: [ref], where: {ref: abc}}\n",
        "bad-condition",
        "abc}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    fields:\n      n: integer\n    indexes:\n      - {fields: [n], where: {n: '1'}}\n",
        "bad-condition",
        "'1'}",
        1,
    ),
    (
        "system: {name: X}\nentities:\n  User:\n    soft_delete: true\n    fields:\n      n: integer\n    indexes:\n      - {fields: [n], where: {deleted_at: now}}\n",
        "bad-condition",
        "now}",
        1,
    ),
]
_BOUNDS = "system: {{name: X}}\nentities:\n  Item:\n    fields:\n      f: {{{}}}\n"
CASES += [  # field bounds: minimum/maximum on numbers, min_length on text
    (_BOUNDS.format("type: integer, minimum: 5, maximum: 1"), "minimum-over-maximum", "1}", 1),
    (_BOUNDS.format("type: string, minimum: 0"), "range-not-number", "0}", 1),
    (_BOUNDS.format("type: boolean, maximum: 1"), "range-not-number", "1}", 1),
    (_BOUNDS.format("type: integer, min_length: 2"), "length-not-string", "2}", 1),
    (
        _BOUNDS.format("type: string, max_length: 3, min_length: 4"),
        "min-length-over-max-length",
        "4}",
        1,
    ),
    (_BOUNDS.format("type: integer, minimum: 0.5"), "bad-bound", "0.5", 1),
    (_BOUNDS.format("type: decimal, scale: 2, minimum: 0.001"), "bad-bound", "0.001", 1),
    (_BOUNDS.format("type: integer, minimum: 0, default: -1"), "bad-default", "-1", 1),
    (_BOUNDS.format("type: decimal, maximum: 10, default: '10.01'"), "bad-default", "'10.01'", 1),
    (_BOUNDS.format("type: string, min_length: 3, example: ab"), "bad-example", "ab}", 1),
]
_RENAME = "system: {{name: X}}\nentities:\n  User:\n    fields:\n{}"
CASES += [  # renamed_from: never the own name, nothing still there, each old name once
    (_RENAME.format("      a: {type: string, renamed_from: a}\n"), "renamed-from-itself", "a}", 1),
    (
        _RENAME.format("      a: string\n      b: {type: string, renamed_from: a}\n"),
        "renamed-from-existing",
        "a}",
        1,
    ),
    (
        _RENAME.format(
            "      b: {type: string, renamed_from: a}\n      c: {type: string, renamed_from: a}\n"
        ),
        "duplicate-renamed-from",
        "a}",
        2,
    ),
    (
        _RENAME.format("      a_id: {type: uuid, renamed_from: z_id}\n")
        + "    relations:\n      b: {target: User, nullable: true, renamed_from: z}\n",
        "duplicate-renamed-from",
        "z}",
        1,
    ),
    (
        _RENAME.format("      a: string\n") + "  Person: {renamed_from: User}\n",
        "renamed-from-existing",
        "User}",
        1,
    ),
    (
        _RENAME.format("      a: string\n")
        + "    relations:\n      p: {target: User, nullable: true, renamed_from: p}\n",
        "renamed-from-itself",
        "p}",
        1,
    ),
]
CASES += ACCEPTED_BEFORE


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


def test_renamed_from_reaches_the_model() -> None:
    system = spec(
        "system: {name: X}\nentities:\n  Person:\n    renamed_from: User\n    fields:\n"
        "      handle: {type: string, renamed_from: nick}\n    relations:\n"
        "      boss: {target: Person, nullable: true, renamed_from: manager}\n"
        "      tags: {target: Person, kind: many-to-many, renamed_from: labels}\n"
    )
    person = system.entity("Person")
    assert person.renamed_from == "User"
    assert person.column("handle").renamed_from == "nick"
    assert person.column("boss_id").renamed_from == "manager_id"
    link = next(e for e in system.entities if e.table == "person_tags")
    assert link.renamed_from == "UserLabels"
    assert [c.renamed_from for c in link.columns] == ["user_id", "label_id", None]


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


def test_every_new_error_says_how_to_fix_it() -> None:
    for text, code, _, _ in ACCEPTED_BEFORE:
        if code == "number-too-large":
            continue  # the loader's messages carry the fix in the message itself
        found = [d for d in problems(text) if d.code == code]
        assert found and all(d.hint for d in found), (code, [d.format() for d in found])


def test_the_64_bit_minimum_is_a_valid_bigint_default() -> None:
    system = spec(_FIELD.format("bigint", -(2**63)))
    assert system.entity("User").column("f").default == -(2**63)
    assert spec(_FIELD.format("bigint", 2**63 - 1)).entity("User").column("f").default == 2**63 - 1


def test_decimal_defaults_are_kept_as_plain_digits() -> None:
    for written, kept in [("1.50", "1.5"), ("0.00001", "0.00001"), ("-0.0", "0"), ("7", "7")]:
        text = f"system: {{name: X}}\nentities:\n  User:\n    fields:\n      f: {{type: decimal, precision: 12, scale: 5, default: {written}}}\n"
        assert spec(text).entity("User").column("f").default == kept, written


def test_over_long_names_are_refused_with_the_limit() -> None:
    long_field = "f" * 64
    found = problems(
        f"system: {{name: X}}\nentities:\n  User:\n    fields:\n      {long_field}: string\n"
    )
    assert found[0].code == "invalid-name" and "63" in found[0].message
