"""The promises the design document makes, kept by every dialect, on the real databases.

One test per promise, each run on PostgreSQL (pgserver), SQLite (foreign keys on) and
MariaDB with the DDL archsmith writes for tests/fixtures/sql/promises.yaml: exact
money, case-insensitive e-mail uniqueness, soft-deleted rows freeing unique values,
CHECK constraints from field bounds, the cursor-pagination index and the outbox. The
README's "Same promises in every dialect" names these tests.
"""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest

from generator.emitters.design_doc import render_design
from generator.emitters.sql import DIALECTS, render
from generator.pipeline import load_system
from generator.rules.analysis import analyze
from tests.test_sql import (  # noqa: F401  (fixtures, reached through apply_to)
    ROOT,
    SPECS,
    Db,
    apply_to,
    insert,
    lite,
    maria,
    mysql_settings,
    pg,
    pg_server,
    private_mariadb,
    spec_id,
    system,
)

PROMISES = "promises"
DELETED = "2024-05-01 00:00:00"


def promises(request: pytest.FixtureRequest, dialect: str) -> Db:
    return apply_to(request, dialect, render(system(PROMISES), dialect))


def product(db: Db, price: Any, **more: Any) -> str:
    return insert(db, "products", {"name": f"p-{uuid.uuid4().hex[:6]}", "price": price, **more})


@pytest.mark.parametrize("dialect", DIALECTS)
def test_money_is_exact(request: pytest.FixtureRequest, dialect: str) -> None:
    """0.10 + 0.20 is 0.30, not 0.30000000000000004; each value reads back as written."""
    db = promises(request, dialect)
    for price in ("0.10", "0.20"):
        product(db, price)
    if dialect == "sqlite":  # TEXT of the canonical decimal; add in minor units
        ((total,),) = db.run("SELECT SUM(CAST(replace(price, '.', '') AS INTEGER)) FROM products")
        assert Decimal(total).scaleb(-2) == Decimal("0.30")
    else:
        ((total,),) = db.run("SELECT SUM(price) FROM products")
        assert Decimal(str(total)) == Decimal("0.30")
    assert sorted(str(p) for (p,) in db.run("SELECT price FROM products")) == ["0.10", "0.20"]
    product(db, "0.30")
    assert db.run("SELECT COUNT(*) FROM products WHERE price = %s", ["0.30"]) == [(1,)]
    # The default arrives exactly too.
    db.run("INSERT INTO products (name) VALUES (%s)", ["defaulted"])
    assert [str(p) for (p,) in db.run("SELECT price FROM products WHERE name = 'defaulted'")] == [
        "1.50"
    ]


def test_sqlite_refuses_money_that_is_not_exact(request: pytest.FixtureRequest) -> None:
    """A float (or text of another spelling) is refused, never stored as an approximation."""
    db = promises(request, "sqlite")
    for bad in (0.1, "0.1", "00.10", "1e2", "-0.00", "12345678901.00", " 1.00"):
        with pytest.raises(db.errors, match="ck_products_price"):
            product(db, bad)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_soft_deleted_row_frees_its_unique_email(
    request: pytest.FixtureRequest, dialect: str
) -> None:
    db = promises(request, dialect)
    first = insert(db, "customers", {"email": "ada@x.org"})
    with pytest.raises(db.errors):  # two active customers with one address
        insert(db, "customers", {"email": "ada@x.org"})
    db.run("UPDATE customers SET deleted_at = %s WHERE id = %s", [DELETED, first])
    second = insert(db, "customers", {"email": "ada@x.org"})  # the address is free again
    assert db.run("SELECT id FROM active_customers") == [(second,)]
    with pytest.raises(db.errors):  # and taken once more while the new row is active
        insert(db, "customers", {"email": "ada@x.org"})
    db.run("UPDATE customers SET deleted_at = %s WHERE id = %s", [DELETED, second])
    insert(db, "customers", {"email": "ada@x.org"})  # two deleted rows never collide
    assert db.run("SELECT COUNT(*) FROM customers") == [(3,)]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_email_uniqueness_ignores_case(request: pytest.FixtureRequest, dialect: str) -> None:
    db = promises(request, dialect)
    insert(db, "customers", {"email": "Ada@x.org"})
    with pytest.raises(db.errors):
        insert(db, "customers", {"email": "ada@x.org"})
    with pytest.raises(db.errors):
        insert(db, "customers", {"email": "ADA@X.ORG"})
    insert(db, "customers", {"email": "grace@x.org"})


@pytest.mark.parametrize("dialect", DIALECTS)
def test_field_bounds_are_check_constraints(request: pytest.FixtureRequest, dialect: str) -> None:
    """`minimum: 0` refuses a negative price; maximum and min_length hold the same way."""
    db = promises(request, dialect)
    with pytest.raises(Exception, match="ck_products_price_range"):
        product(db, "-1.00")
    with pytest.raises(Exception, match="ck_products_stock_range"):
        product(db, "1.00", stock=-1)
    with pytest.raises(Exception, match="ck_products_stock_range"):
        product(db, "1.00", stock=1_000_001)
    with pytest.raises(Exception, match="ck_products_weight_range"):
        product(db, "1.00", weight=-0.5)
    with pytest.raises(Exception, match="ck_customers_nickname_length"):
        insert(db, "customers", {"email": "a@x.org", "nickname": "a"})
    product(db, "0.00", stock=0, weight=0.0)  # the bounds themselves are allowed
    product(db, "99999999.99", stock=1_000_000)
    insert(db, "customers", {"email": "a@x.org", "nickname": "ab"})


def _index_columns(db: Db, dialect: str, table: str, index: str) -> list[str]:
    if dialect == "postgresql":
        ((definition,),) = db.run(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [table, index],
        )
        keys = re.search(r"USING \w+ \((.*?)\)(?: WHERE |$)", definition)
        assert keys, definition
        return [c.strip() for c in keys.group(1).split(",")]
    if dialect == "sqlite":
        return [str(r[2]) for r in db.run(f"PRAGMA index_info({index})")]
    rows = db.run(
        "SELECT column_name FROM information_schema.statistics WHERE table_schema = DATABASE()"
        " AND table_name = %s AND index_name = %s ORDER BY seq_in_index",
        [table, index],
    )
    return [str(r[0]) for r in rows]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_cursor_pagination_has_its_index(request: pytest.FixtureRequest, dialect: str) -> None:
    """api.pagination: cursor reads pages in (created_at, id) order: every listed table has it."""
    db = promises(request, dialect)
    for table in ("customers", "products"):
        index = f"idx_{table}_created_at_id"
        assert _index_columns(db, dialect, table, index) == ["created_at", "id"]
    ids = sorted(product(db, "1.00") for _ in range(3))
    first, *_ = db.run("SELECT created_at, id FROM products ORDER BY created_at, id LIMIT 1")
    after = db.run(
        "SELECT id FROM products WHERE created_at > %s OR (created_at = %s AND id > %s)"
        " ORDER BY created_at, id",
        [first[0], first[0], first[1]],
    )
    assert len(after) == len(ids) - 1


@pytest.mark.parametrize("dialect", DIALECTS)
def test_publishing_service_has_an_outbox(request: pytest.FixtureRequest, dialect: str) -> None:
    """The design writes events in the change's transaction; the relay reads the unpublished."""
    db = promises(request, dialect)
    price = product(db, "2.00")
    payload = json.dumps({"productId": price, "price": "2.00"})
    for event in ("product.repriced", "product.repriced"):
        db.run(
            "INSERT INTO catalog_outbox (id, aggregate, aggregate_id, event_type, payload)"
            " VALUES (%s, %s, %s, %s, %s)",
            [str(uuid.uuid4()), "Product", price, event, payload],
        )
    pending = db.run(
        "SELECT id FROM catalog_outbox WHERE published_at IS NULL ORDER BY created_at, id"
    )
    assert len(pending) == 2
    db.run("UPDATE catalog_outbox SET published_at = %s WHERE id = %s", [DELETED, pending[0][0]])
    assert db.run("SELECT id FROM catalog_outbox WHERE published_at IS NULL") == [pending[1]]
    assert _index_columns(db, dialect, "catalog_outbox", "idx_catalog_outbox_unpublished") == [
        "published_at",
        "created_at",
    ]
    # JSONB, MariaDB's JSON (a json_valid CHECK) and SQLite's CHECK: a payload must be JSON.
    with pytest.raises(Exception, match=r"(?i)json|payload"):
        db.run(
            "INSERT INTO catalog_outbox (id, aggregate, aggregate_id, event_type, payload)"
            " VALUES (%s, %s, %s, %s, %s)",
            [str(uuid.uuid4()), "Product", price, "x", "{not json"],
        )


EXAMPLES = [p for p in SPECS if p.parent == ROOT / "specs"]


@pytest.mark.parametrize("path", EXAMPLES, ids=spec_id)
def test_document_diagrams_and_ddl_count_the_same_tables(path: Any) -> None:
    spec = load_system(path)
    tables = {e.table for e in spec.tables}
    for dialect in DIALECTS:
        created = re.findall(r"^CREATE TABLE [`\"]?(\w+)", render(spec, dialect), re.M)
        assert set(created) == tables and len(created) == len(tables), dialect
    document = render_design(spec, analyze(spec))
    assert f"{len(tables)} tables on " in document
    er = document.split("erDiagram", 1)[1]
    assert all(f"    {t} {{" in er for t in tables)
    expected = {"access-control"} if spec.security.roles else set()
    expected |= {"outbox"} if any(s.publishes for s in spec.services) else set()
    assert expected and {e.platform for e in spec.platform_tables} >= expected
