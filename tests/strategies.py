"""Structure-aware spec generation: plausible specs built from the spec models' own shapes,
with near-miss values where people slip.

Why structure-aware: byte-level mutation (tests/test_fuzz.py) proves the loader but
rarely writes a spec that is valid YAML, fits the schema and is subtly inconsistent,
which is what people write. Here the leaves come from the pydantic models (a Literal
draws its members, a bounded number its bounds and a step beyond them), and the
cross-references (relations, owners, parents, dependencies, permissions) are drawn
from the names already drawn, sometimes dangling, cyclic or colliding.
"""

from __future__ import annotations

import math
import types
import typing
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from generator import spec as s

Data = dict[str, Any]

# Numbers where arithmetic and type ranges break: the 32/64-bit limits and one past
# them, the double-precision edge, and the requirements bound of the resolver.
INT_EDGES = [0, 1, -1, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1, -(2**63)]
FLOAT_EDGES = [0.0, -0.0, 0.1, 1e-05, 1e15, 1.0000000000000002e15, 1.7976931348623157e308, 1e308]
FLOAT_EDGES += [math.inf, -math.inf]

# Text values per format: valid ones and near misses (a letter off, no offset, no scheme).
FORMATTED: dict[str, list[str]] = {
    "uuid": [
        "123e4567-e89b-12d3-a456-426614174000",
        "00000000-0000-0000-0000-000000000000",
        "123e4567e89b12d3a456426614174000",
        "123e4567-e89b-12d3-a456-42661417400g",
        "{123e4567-e89b-12d3-a456-426614174000}",
    ],
    "date": ["2024-01-31", "2024-02-30", "2024-1-31", "0999-12-31", "1000-01-01", "9999-12-31"],
    "datetime": [
        "2024-01-31T09:30:00Z",
        "2024-01-31T09:30:00.123456+05:30",
        "2024-01-31t09:30:00z",
        "2024-01-31T09:30:00",
        "2024-01-31 09:30:00Z",
        "9999-12-31T23:59:59-01:00",
        "2024-13-01T00:00:00Z",
    ],
    "email": ["a@example.com", "a@b", "no-at-sign", "a b@example.com", "a@@example.com"],
    "url": ["https://example.com/x?y=1", "example.com", "https://exa mple.com", "mailto:a@b.c"],
    "decimal": ["12.50", "0.001", "-3", "1e5", "12.", "+1", "007.50", "99999999999"],
}
CURRENT_TIME = ["now", "today", "NOW", "current_timestamp"]

ENTITY_NAMES = ["User", "Order", "OrderItem", "Tag", "Person", "Data"]
# Names that collide with one above once case and separators are ignored, or once
# inflected (People is the plural of Person).
ENTITY_TWINS = ["Orderitem", "People", "USER"]
FIELD_NAMES = ["name", "title", "status", "amount", "order", "user", "select", "at", "on"]
FIELD_NAMES += ["starts_on", "code", "ref", "key", "body", "total", "n"]
FIELD_TWINS = ["owner_id", "created_at", "search_vector", "id"]  # generated column names
TABLES = ["order", "select", "users", "active_users", "orders_fts", "idx_users_name"]
RESOURCE_NAMES = ["users", "orders", "order-items", "tags", "people", "data", "items"]
RESOURCE_TWINS = ["user", "orderitems", "persons", "order_items"]
SERVICE_NAMES = ["api", "billing", "orders", "auth", "search"]
EVENT_NAMES = ["order.created", "order.paid", "user.signed-up"]
SLUGS = ["con", "nul", "aux", "prn", "com1", "lpt9", "site", "assets", "search", "shop", "con-1"]
SYSTEM_NAMES = ["Shop", "Order Desk", "A-B", "Notes 2"]
RESERVED_NAMES = ["Con", "Site", "Nul", "Search", "Assets", "COM1"]
CUSTOM_PATHS = ["/{id}/cancel", "/{a}/{a}", "/search", "/", "/{userId}", "/{orderId}/x"]
CUSTOM_PATHS += ["/{itemId}/{itemId}", "/stats/{day}"]


def rarely(draw: st.DrawFn, one_in: int = 10) -> bool:
    """A near miss: frequent enough to be found, rare enough that most specs still load.

    Why the last value: hypothesis starts from (and shrinks towards) zero, so the
    simplest spec it draws has no near miss at all, and a failure shrinks to the one
    near miss that causes it."""
    return draw(st.integers(0, one_in - 1)) == one_in - 1


def pick(draw: st.DrawFn, usual: list[Any], odd: list[Any], one_in: int = 10) -> Any:
    return draw(st.sampled_from(odd if rarely(draw, one_in) else usual))


# --- leaves from the models ----------------------------------------------------


def _bounds(metadata: list[Any]) -> dict[str, float]:
    found: dict[str, float] = {}
    flat = [m for item in metadata for m in [item, *getattr(item, "metadata", [])]]
    for item in flat:
        for name in ("ge", "gt", "le", "lt", "min_length", "max_length"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _number(kind: type, bounds: dict[str, float]) -> st.SearchStrategy[Any]:
    """Inside the bounds mostly, on them sometimes, and one step outside rarely."""
    low = bounds.get("ge", bounds.get("gt"))
    high = bounds.get("le", bounds.get("lt"))
    if kind is int:
        lo = int(low) if low is not None else -(2**63)
        hi = int(high) if high is not None else 2**63 - 1
        usual: st.SearchStrategy[Any] = st.integers(max(lo, 1), max(min(hi, 10_000), max(lo, 1)))
        edges: list[Any] = [v for v in INT_EDGES if lo <= v <= hi] + [lo, hi]
        beyond: list[Any] = [lo - 1, hi + 1]
    else:
        lo_f = float(low) if low is not None else -1e300
        hi_f = float(high) if high is not None else math.inf
        usual = st.floats(max(lo_f, 0.5), max(min(hi_f, 1e6), 0.5), allow_nan=False).filter(
            lambda v: lo_f <= v <= hi_f and (low is None or v != low or "ge" in bounds)
        )
        edges = [v for v in FLOAT_EDGES if lo_f <= v <= hi_f] + [hi_f]
        beyond = [lo_f, math.nan, *FLOAT_EDGES]

    @st.composite
    def number(draw: st.DrawFn) -> Any:
        if rarely(draw, 8):
            return draw(st.sampled_from(edges))
        if rarely(draw, 20):
            return draw(st.sampled_from(beyond))
        return draw(usual)

    return number()


def leaf(annotation: Any, metadata: list[Any] | None = None) -> st.SearchStrategy[Any]:
    """A value for a model field's annotation, from its type and constraints."""
    metadata = list(metadata or [])
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return leaf(inner, metadata + extra)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return st.one_of(*(leaf(a, metadata) for a in options))
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    if origin is list:
        (item,) = typing.get_args(annotation)
        return st.lists(leaf(item), max_size=3)
    if origin is dict:
        key, value = typing.get_args(annotation)
        return st.dictionaries(leaf(key), leaf(value), max_size=3)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model(annotation)
    bounds = _bounds(metadata)
    if annotation is bool:
        return st.booleans()
    if annotation in (int, float):
        return _number(annotation, bounds)
    if annotation is str:
        flat = [m for item in metadata for m in [item, *getattr(item, "metadata", [])]]
        pattern = next((m.pattern for m in flat if getattr(m, "pattern", None)), None)
        longest = int(bounds.get("max_length", 30))
        if pattern:
            return st.from_regex(pattern, fullmatch=True).filter(lambda t: len(t) <= longest)
        return st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
    raise NotImplementedError(annotation)


def model(cls: type[BaseModel], *, skip: frozenset[str] = frozenset()) -> st.SearchStrategy[Data]:
    """Some of the model's keys, each with a value drawn from its annotation."""
    fields = {
        (f.alias or name): leaf(f.annotation, list(f.metadata))
        for name, f in cls.model_fields.items()
        if name not in skip and f.alias not in skip
    }
    required = {(f.alias or name) for name, f in cls.model_fields.items() if f.is_required()} - skip

    if not fields:
        return st.just({})

    @st.composite
    def build(draw: st.DrawFn) -> Data:
        chosen = draw(st.sets(st.sampled_from(sorted(fields)), max_size=4))
        return {key: draw(fields[key]) for key in sorted(chosen | required)}

    return build()


# --- the cross-referenced parts ------------------------------------------------


VALID: dict[str, list[Any]] = {
    "string": ["draft", "x", "", "it's", "a\\b", "%s", "ü€", "-- no"],
    "text": ["draft", "long text"],
    "integer": [0, 1, -5, 2**31 - 1, -(2**31)],
    "bigint": [0, 10**12, 2**63 - 1, -(2**63)],
    "decimal": [0, 1, "1.5", "0.25", -2],
    "float": [0, 0.5, -1.25, 1e300],
    "boolean": [True, False],
    "date": ["2024-01-31", "1000-01-01", "today"],
    "datetime": ["2024-01-31T09:30:00Z", "2024-01-31T09:30:00.5+05:30", "now"],
    "uuid": ["123e4567-e89b-12d3-a456-426614174000"],
    "email": ["a@example.com"],
    "url": ["https://example.com/x?y=1"],
    "enum": ["draft", "live"],
    "json": [None],
}


def value_for(field_type: str, *, default: bool = True, one_in: int = 15) -> st.SearchStrategy[Any]:
    """A default or partial-index value for a field type: right mostly, else near or wrong."""
    near: list[Any] = [*CURRENT_TIME, True, "x", "", "a" * 300]
    usual = [v for v in VALID[field_type] if default or v not in CURRENT_TIME] or ["x"]
    if field_type in ("integer", "bigint"):
        near += [*INT_EDGES, 2**31, -(2**31) - 1, 1.5]
    if field_type in ("float", "decimal"):
        near += [*FLOAT_EDGES, 10**6, 0.30000000000000004]
    near += FORMATTED.get(field_type, [])

    @st.composite
    def value(draw: st.DrawFn) -> Any:
        return pick(draw, usual, near, one_in)

    return value()


@st.composite
def field_spec(draw: st.DrawFn) -> Data:
    kind = draw(st.sampled_from(typing.get_args(s.FieldType)))
    spec: Data = {"type": kind}
    if kind == "enum":
        spec["values"] = (
            draw(st.lists(st.sampled_from(["draft", "x", "Y"]), max_size=2))
            if rarely(draw)
            else ["draft", "live"]
        )
    elif rarely(draw, 200):
        spec["values"] = ["x"]
    if kind == "decimal" and draw(st.booleans()):
        precision = pick(draw, [1, 2, 4, 12, 38], [1, 2])
        spec["precision"] = precision
        spec["scale"] = pick(draw, [v for v in (0, 1, 2, 4, 38) if v <= precision], [4, 38])
    if kind in ("string", "email", "url") and draw(st.booleans()):
        spec["max_length"] = draw(st.sampled_from([1, 5, 255, 1000]))
    for flag in ("nullable", "unique", "pii", "sensitive"):
        if rarely(draw, 4):
            spec[flag] = True
    if rarely(draw, 4):
        allowed = ["server-set", "write-only"] if spec.get("sensitive") else ["read-write"]
        allowed += [] if spec.get("sensitive") else ["server-set", "write-only", "immutable"]
        spec["access"] = pick(draw, allowed, list(typing.get_args(s.FieldAccess)))
    if kind in ("string", "text") and spec.get("sensitive") and draw(st.booleans()):
        spec["input"] = pick(draw, ["password", "secret"], ["email", "name"], 8)
        if not rarely(draw):
            spec.pop("access", None)
    if (kind != "json" and draw(st.booleans())) or rarely(draw, 100):
        spec["default"] = draw(value_for(kind))
    if kind != "json" and rarely(draw, 5):
        spec["example"] = draw(value_for(kind, default=False))
    return spec


@st.composite
def entities(draw: st.DrawFn) -> Data:
    names = draw(st.lists(st.sampled_from(ENTITY_NAMES), min_size=1, max_size=4, unique=True))
    if rarely(draw, 15):
        names.append(draw(st.sampled_from(ENTITY_TWINS)))
    result: Data = {}
    for name in names:
        chosen = draw(st.lists(st.sampled_from(FIELD_NAMES), max_size=4, unique=True))
        if rarely(draw, 30):
            chosen.append(draw(st.sampled_from(FIELD_TWINS)))
        fields = {f: draw(field_spec()) for f in dict.fromkeys(chosen)}
        relations: Data = {}
        for rel in draw(
            st.lists(st.sampled_from(["owner", "parent", "tags", "order"]), max_size=2, unique=True)
        ):
            if rel in fields:
                continue
            relation: Data = {"target": pick(draw, names, ["Ghost"], 30)}
            relation["kind"] = draw(st.sampled_from(typing.get_args(s.Cardinality)))
            nullable = draw(st.booleans())
            if nullable:
                relation["nullable"] = True
            if draw(st.booleans()):
                choices = [o for o in typing.get_args(s.OnDelete) if nullable or o != "set-null"]
                relation["on_delete"] = pick(draw, choices, ["set-null"])
            relations[rel] = relation
        entity: Data = {"fields": fields}
        if rarely(draw, 12):
            entity["table"] = draw(st.sampled_from(TABLES))
        if rarely(draw, 4):
            entity["description"] = pick(draw, ["A thing."], ["it's -- /* */ $$ \\", "ü\u2028x"], 2)
        if relations:
            entity["relations"] = relations
        soft, timestamps = draw(st.booleans()), not rarely(draw, 5)
        columns = [
            *fields,
            *(f"{r}_id" for r, v in relations.items() if v["kind"] != "many-to-many"),
        ]
        columns += ["created_at"] * timestamps + ["deleted_at"] * soft
        if draw(st.integers(0, 2)) == 0:
            index: Data = {
                "fields": draw(
                    st.lists(
                        st.sampled_from(columns or ["id"]), min_size=1, max_size=2, unique=True
                    )
                )
                if not rarely(draw, 20)
                else ["ghost"]
            }
            if draw(st.booleans()):
                index["unique"] = True
            if columns and draw(st.booleans()):
                column = draw(st.sampled_from(columns))
                kind = fields.get(column, {}).get(
                    "type", "datetime" if column.endswith("_at") else "uuid"
                )
                value = None if draw(st.booleans()) else draw(value_for(kind, default=False))
                if kind == "enum" and value is not None:
                    value = pick(draw, fields[column].get("values") or ["x"], ["nope"])
                index["where"] = {column: value}
            entity["indexes"] = [index]
        if soft:
            entity["soft_delete"] = True
        if draw(st.booleans()):
            entity["versioned"] = True
        if not timestamps:
            entity["timestamps"] = False
        if rarely(draw, 4):
            entity["key"] = draw(st.sampled_from(typing.get_args(s.KeyType)))
        texts = [f for f, spec in fields.items() if spec["type"] in ("string", "text")]
        if texts and draw(st.booleans()):
            entity["search"] = {f: draw(st.sampled_from("ABCD")) for f in texts[:2]}
        result[name] = entity
    return result


@st.composite
def ownership(draw: st.DrawFn, ents: Data) -> str | None:
    """Give some entities an owner (in place); the principal's name, or None for none."""
    if not draw(st.booleans()):
        return None
    principal: str = draw(st.sampled_from(sorted(ents)))
    for name, entity in ents.items():
        to_one = {
            rel: relation["target"]
            for rel, relation in entity.get("relations", {}).items()
            if relation["kind"] != "many-to-many"
        }
        to_principal = [rel for rel, target in to_one.items() if target == principal]
        if name == principal and draw(st.booleans()):
            entity["owner"] = pick(draw, ["self"], list(to_one) or ["ghost"])
        elif to_principal and not rarely(draw, 5):
            entity["owner"] = pick(draw, to_principal, list(to_one))
        elif to_one and rarely(draw, 5):
            entity["owner"] = draw(st.sampled_from(sorted(to_one)))
    return principal


@st.composite
def resources(draw: st.DrawFn, ents: Data) -> Data:
    names = draw(st.lists(st.sampled_from(RESOURCE_NAMES), max_size=3, unique=True))
    if rarely(draw, 15):
        names.append(draw(st.sampled_from(RESOURCE_TWINS)))
    result: Data = {}
    for i, name in enumerate(names):
        entity = draw(st.sampled_from(sorted(ents)))
        resource: Data = {"entity": entity}
        targets = {r["target"] for r in ents[entity].get("relations", {}).values()}
        parents = [p for p in names[:i] if result[p]["entity"] in targets]
        if parents and draw(st.booleans()):
            resource["parent"] = draw(st.sampled_from(parents))
        elif rarely(draw, 20):
            resource["parent"] = draw(st.sampled_from(names))  # maybe itself, or no relation
        if draw(st.integers(0, 2)) == 0:
            resource["operations"] = draw(
                st.lists(
                    st.sampled_from(typing.get_args(s.Operation)),
                    min_size=1,
                    max_size=3,
                    unique=not rarely(draw, 20),
                )
            )
        unique = [f for f, spec in ents[entity]["fields"].items() if spec.get("unique")]
        if rarely(draw, 4):
            resource["lookup"] = pick(draw, [*unique, "id"], ["ghost", *ents[entity]["fields"]])
        if draw(st.integers(0, 2)) == 0:
            resource["custom"] = {
                "act": {
                    "method": draw(st.sampled_from(typing.get_args(s.HttpMethod))),
                    "path": draw(st.sampled_from(CUSTOM_PATHS)),
                }
            }
        result[name] = resource
    return result


@st.composite
def services(draw: st.DrawFn, entity_names: list[str]) -> Data:
    names = draw(st.lists(st.sampled_from(SERVICE_NAMES), max_size=4, unique=True))
    result: Data = {}
    published: list[str] = []
    for name in names:
        service: Data = {}
        others = [n for n in names if n != name] or [name]
        calls = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))  # cycles welcome
        if rarely(draw, 40):
            calls.append(pick(draw, [name], ["ghost"], 2))
        if calls:
            service["depends_on"] = [{"service": c} for c in calls]
        owns = draw(st.lists(st.sampled_from(entity_names), max_size=2, unique=True))
        if owns:
            service["owns"] = owns
        events = draw(st.lists(st.sampled_from(EVENT_NAMES), max_size=2, unique=True))
        if events:
            service["publishes"] = events
            published += events
        consumed = published if not rarely(draw, 15) else EVENT_NAMES
        if consumed and draw(st.booleans()):
            service["consumes"] = draw(
                st.lists(st.sampled_from(consumed), min_size=1, max_size=2, unique=True)
            )
        result[name] = service
    return result


@st.composite
def specs(draw: st.DrawFn) -> Data:
    """A whole spec: model-drawn sections around cross-referenced entities and API."""
    system: Data = {"name": pick(draw, SYSTEM_NAMES, RESERVED_NAMES, 15)}
    if rarely(draw, 4):
        system["slug"] = pick(draw, ["shop", "con-1", "sites", "my-assets"], SLUGS, 4)
    data: Data = {"system": system}
    ents = draw(entities())
    data["entities"] = ents
    if draw(st.booleans()):
        data["requirements"] = draw(model(s.Requirements, skip=frozenset({"functional"})))
    if draw(st.booleans()):
        data["infrastructure"] = draw(model(s.Infrastructure, skip=frozenset({"external"})))
    api = draw(model(s.Api, skip=frozenset({"resources", "base_path"})))
    size, most = api.get("page_size", 20), api.get("max_page_size", 100)
    if isinstance(size, int) and isinstance(most, int) and size > most and not rarely(draw):
        api["page_size"], api["max_page_size"] = most, size
    api["resources"] = draw(resources(ents))
    data["api"] = api
    if draw(st.booleans()):
        data["services"] = draw(services(list(ents)))
    owned = draw(ownership(ents))
    if draw(st.booleans()) or owned:
        security = draw(model(s.Security, skip=frozenset({"roles", "rate_limits"})))
        if owned:
            auth = security.setdefault("authentication", {})
            auth["principal"] = pick(draw, [owned], ["Ghost"], 30)
        targets = list(api["resources"])
        if rarely(draw) or not targets:
            targets.append("ghosts")
        permissions = []
        for r in draw(st.lists(st.sampled_from(targets), max_size=2, unique=True)):
            permission = f"{r}:{pick(draw, ['read', 'get', 'list', '*'], ['act', 'sing'])}"
            entity = api["resources"].get(r, {}).get("entity")
            if (entity in ents and "owner" in ents[entity]) != rarely(draw, 20):
                permission += f":{draw(st.sampled_from(['own', 'any']))}"
            permissions.append(permission)
        security["roles"] = {
            "admin": {"permissions": ["*"], "staff": True},
            "viewer": {"permissions": permissions},
        }
        data["security"] = security
    if draw(st.booleans()):
        data["observability"] = draw(model(s.Observability, skip=frozenset({"metrics", "slos"})))
    return data
