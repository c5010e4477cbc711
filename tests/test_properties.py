"""Property tests: any valid spec builds into artifacts their real consumers accept,
and arbitrary text or names are escaped or refused, never executed."""

from __future__ import annotations

import itertools
import sqlite3
import string
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any, cast
from xml.etree import ElementTree

import pglast
import pytest
import yaml as pyyaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

from generator.build import build_system
from generator.diagnostics import SpecError
from generator.emitters import openapi, sql, yaml_out
from generator.emitters.design_doc import render_design
from generator.pipeline import load_text
from generator.rules.analysis import analyze
from generator.site import build_site
from tests import profiles
from tests.profiles import examples

FIELD_TYPES = [
    "string",
    "text",
    "integer",
    "bigint",
    "decimal",
    "float",
    "boolean",
    "date",
    "datetime",
    "uuid",
    "email",
    "url",
    "json",
    "enum",
]
RESERVED = ["select", "order", "group", "user", "table", "from", "where", "index", "key", "limit"]
SETTINGS = settings(max_examples=examples(25))

field_names = st.one_of(
    st.sampled_from(RESERVED), st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
).filter(
    lambda n: (
        n not in {"id", "created_at", "updated_at", "deleted_at", "version", "search_vector"}
        and not n.endswith("_id")
    )
)


def _folded(name: str) -> str:
    return name.replace("_", "").replace("-", "").casefold()


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 5))
    names = [
        f"E{chr(65 + i)}{draw(st.sampled_from(['item', 'thing', 'order', 'group', 'user']))}".capitalize()
        for i in range(count)
    ]
    names = [n[0].upper() + n[1:] for n in dict.fromkeys(names)]
    entities: dict[str, Any] = {}
    for name in names:
        fields: dict[str, Any] = {}
        # Unique as the resolver compares names: `b` and `b_` are one name to it.
        unique_fields = st.lists(field_names, min_size=1, max_size=6, unique_by=_folded)
        for field in draw(unique_fields):
            kind = draw(st.sampled_from(FIELD_TYPES))
            spec: dict[str, Any] = {"type": kind, "nullable": draw(st.booleans())}
            if kind == "enum":
                spec["values"] = draw(
                    st.lists(
                        st.from_regex(r"[a-z]{1,8}", fullmatch=True),
                        min_size=1,
                        max_size=4,
                        unique=True,
                    )
                )
            if kind in ("string", "integer", "email") and draw(st.booleans()):
                spec["unique"] = True
            fields[field] = spec
        relations = {}
        for i, target in enumerate(
            draw(st.lists(st.sampled_from(names), max_size=2))
        ):  # cycles and self-references allowed
            kind = draw(
                st.sampled_from(["many-to-one", "many-to-one", "one-to-one", "many-to-many"])
            )
            relations[f"rel{i}_{target.lower()}"] = {
                "target": target,
                "kind": kind,
                "nullable": True,
                # A link row's columns are its key: set-null is refused on many-to-many.
                "on_delete": draw(
                    st.sampled_from(
                        ["cascade", "restrict"]
                        if kind == "many-to-many"
                        else ["cascade", "set-null", "restrict"]
                    )
                ),
            }
        entities[name] = {
            "fields": fields,
            "relations": relations,
            "soft_delete": draw(st.booleans()),
            "versioned": draw(st.booleans()),
            "search": {f: "A" for f, s in fields.items() if s["type"] in ("string", "text")}
            if draw(st.booleans())
            else {},
        }
    resources = {f"r{i}-{n.lower()}s": {"entity": n} for i, n in enumerate(names)}
    roles = {
        "admin": {"permissions": ["*"]},
        "viewer": {"permissions": [f"{r}:read" for r in resources]},
    }
    return {
        "system": {"name": "Prop"},
        "entities": entities,
        "api": {"resources": resources},
        "security": {"roles": roles},
    }


def dump(data: dict[str, Any]) -> str:
    """The spec as YAML. Why not ruamel's dump: it writes NEL raw in quoted text, which
    every reader (ruamel's own included) folds into a space; yaml_out escapes it."""
    return yaml_out.dump(data)


@SETTINGS
@given(specs())
def test_any_valid_spec_builds_into_artifacts_their_consumers_accept(data: dict[str, Any]) -> None:
    system = load_text(dump(data), "prop.yaml")
    document = YAML(typ="safe", pure=True).load(openapi.render(system))
    validate(document)
    ddl = sql.render_all(system)
    pglast.parse_sql(ddl["schema.postgresql.sql"])
    connection = sqlite3.connect(":memory:")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.executescript(ddl["schema.sqlite.sql"])
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    again = load_text(dump(data), "prop.yaml")
    assert openapi.render(again) == openapi.render(system)
    assert sql.render_all(again) == ddl
    assert render_design(again, analyze(again)) == render_design(system, analyze(system))


free_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=80
)


@SETTINGS
@given(free_text, free_text)
@example("\x85", "")  # NEL once came back from openapi.yaml as a space
@example("a\u2028b", "\u2029")
def test_arbitrary_free_text_is_escaped_everywhere(description: str, title: str) -> None:
    data = {
        "system": {"name": "T", "description": description},
        "entities": {
            "Note": {
                "description": title,
                "fields": {"body": {"type": "text", "description": description}},
            }
        },
        "api": {"resources": {"notes": {"entity": "Note"}}},
    }
    try:
        system = load_text(dump(data), "t.yaml")
    except SpecError as error:  # control characters YAML itself refuses: located, not crashed
        assert all(d.location.line >= 1 for d in error.diagnostics)
        return
    doc = render_design(system, analyze(system))
    for tag in ("<script", "<img", "<iframe", "<svg"):
        assert tag not in doc.lower()
    assert (
        "](" not in doc.replace("\\]", "").split("## 1.")[0] or "](" not in description
    )  # no live link
    document = YAML(typ="safe", pure=True).load(openapi.render(system))
    assert document["info"]["description"] == (description or "HTTP API of T.")
    connection = sqlite3.connect(":memory:")
    connection.executescript(sql.render(system, "sqlite"))
    assert {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    } >= {"notes"}
    pglast.parse_sql(sql.render(system, "postgresql"))


@SETTINGS
@given(st.text(alphabet=string.printable + "\u202e\u200bé日", min_size=1, max_size=70))
def test_arbitrary_names_are_refused_with_a_location_or_quoted_safely(name: str) -> None:
    data = {"system": {"name": "N"}, "entities": {"Thing": {"fields": {name: "string"}}}}
    try:
        system = load_text(dump(data), "n.yaml")
    except SpecError as error:
        assert error.diagnostics and all(d.location.line >= 1 for d in error.diagnostics)
        return
    connection = sqlite3.connect(":memory:")
    connection.executescript(sql.render(system, "sqlite"))
    columns = {row[1] for row in connection.execute("PRAGMA table_info(things)")}
    assert name in columns
    pglast.parse_sql(sql.render(system, "postgresql"))


class _Markup(HTMLParser):
    """Tag and attribute names, attribute values and the visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.values: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self.values.extend(value or "" for _, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _site_markup(text: str) -> dict[str, _Markup]:
    data = {
        "system": {"name": "T", "description": text},
        "services": {"core": {"responsibility": text, "owns": ["Note"]}},
        "entities": {"Note": {"description": text, "fields": {"body": "text"}}},
        "api": {"resources": {"notes": {"entity": "Note"}}},
    }
    [built] = [build_system(load_text(dump(data), "t.yaml"))]
    pages: dict[str, _Markup] = {}
    for name, content in build_site([built]).items():
        if name.endswith(".html"):
            pages[name] = _Markup()
            pages[name].feed(content.decode())
    pages["architecture.svg"] = _Markup()  # XML, but an HTML parser reads it the same way
    pages["architecture.svg"].feed(built.files["architecture.svg"].decode())
    ElementTree.fromstring(built.files["architecture.svg"])  # well-formed
    return pages


def _squeeze(text: str) -> str:
    """Without whitespace or control characters (labels turn those into spaces)."""
    return "".join(c for c in text if not c.isspace() and c.isprintable())


_BASELINE: dict[str, _Markup] = {}
_hostile_text = (
    st.lists(
        st.sampled_from([*"<>&\"'`=/\\*_[](){}!#|:;-~ \n", "javascript:", "onerror", "<script>"])
        | st.characters(codec="utf-8", blacklist_categories=["Cs", "Cc"]),
        min_size=1,
        max_size=16,
    )
    .map("".join)
    .filter(lambda text: any(c.isalnum() for c in text) and len(text) <= 40)
)


@settings(max_examples=examples(8))
@given(_hostile_text)
@example('<img src=x onerror="alert(1)">')
@example("[x](javascript:alert(1)) {: onclick=alert(1) }")
def test_arbitrary_text_is_inert_in_the_site_and_the_svg(text: str) -> None:
    if not _BASELINE:
        _BASELINE.update(_site_markup("plain words"))
    pages = _site_markup(text)
    assert pages.keys() == _BASELINE.keys()
    for name, page in pages.items():
        baseline = _BASELINE[name]
        # Spec text adds no element or attribute kind the page does not have anyway
        # (a paragraph break aside) and no script URL.
        assert page.tags <= baseline.tags | {"p"}, (name, page.tags - baseline.tags)
        assert page.attributes <= baseline.attributes, (name, page.attributes - baseline.attributes)
        assert not any(v.strip().lower().startswith("javascript:") for v in page.values), name
    # And it comes back as written: in the overview's text, and in the diagram's labels.
    overview = "".join(pages["site/t/index.html"].text)
    assert _squeeze(text) in _squeeze(overview)
    assert _squeeze(text) in _squeeze("".join(pages["architecture.svg"].text))


# Any character, YAML's indicators, breaks and forbidden ones weighted in.
_any_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=["Cs"]),
        st.sampled_from(list("-?:,[]{}#&*!|>'\"%@`~<= \t\n\r\x7f\x85\u2028\u2029\ufeff\ufffe")),
    ),
    max_size=30,
)
_plain_data = st.recursive(
    st.one_of(
        _any_text,
        st.integers(-(2**63), 2**63),
        st.booleans(),
        st.none(),
        st.floats(allow_nan=False),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_any_text, inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=examples(500))
@given(st.dictionaries(_any_text, _plain_data, min_size=1, max_size=5))
@example({"k" * 1100: [{"k" * 1030: [[["deep"]]]}]})  # explicit keys, nested lists
@example({"": ["\x85", "a\u2028b", "\ufeff", "\x7f", "- x", "a: b", "b #c", "x:", " "]})
@example({"\u2028": ["\u2028x", "\u2029x", "\ufeffx", "\ufffex", "\x85x", "\xa0x", "\U0001f600"]})
@example({"--- x": 1, "... x": 2, "---": ["--- x", "..."]})  # document markers opening a line
@example({"-_": None})  # YAML 1.2 reads a sign and underscores as an int (a plain run found it)
@example({"+_1": ["-__", "+_"], "1:2._": "1:2.3_"})  # and YAML 1.1 a sexagesimal float
def test_yaml_writer_round_trips_any_plain_data_through_yaml_11_and_12(
    data: dict[str, Any],
) -> None:
    text = yaml_out.dump(data)
    assert pyyaml.safe_load(text) == data
    assert YAML(typ="safe", pure=True).load(text) == data


# Everything the int, float, bool, null, timestamp and merge resolvers of YAML 1.1 and 1.2
# start from. Why every string, not a sample: '-_' is one of 54,000 and a random search
# reached it only now and then.
_RESOLVER_ALPHABET = "-+01789._:eExob"
_STR = "tag:yaml.org,2002:str"
Resolve = Callable[[type, str, tuple[bool, bool]], object]


def test_yaml_writer_leaves_plain_only_what_both_readers_resolve_as_a_string() -> None:
    # The resolvers are untyped; through typed names mypy can check the calls.
    yaml_11 = cast(Resolve, pyyaml.resolver.Resolver().resolve)
    yaml_12 = cast(Resolve, VersionedResolver(version=(1, 2)).resolve)
    words = ["null", "Null", "~", "true", "False", "yes", "No", "on", "OFF", "y", "n", "<<", "="]
    words += [".inf", "-.Inf", ".NaN", "2026-12-03", "2026-1-3 1:02:03", "1:30", "-1:2.5_"]
    candidates = [
        "".join(chars)
        for length in range(5)
        for chars in itertools.product(_RESOLVER_ALPHABET, repeat=length)
    ]
    plain = [text for text in candidates + words if yaml_out._string(text) == text]
    assert "-_" not in plain and "+_1" not in plain and "1:2._" not in plain
    misread = [
        text
        for text in plain
        if yaml_11(pyyaml.ScalarNode, text, (True, False)) != _STR
        or str(yaml_12(ScalarNode, text, (True, False))) != _STR
    ]
    assert misread == []
    # Not everything quoted: strings no reader resolves stay plain, as libyaml writes them.
    strings = ["e", "-x", "1e", "0_x", "_", "x:1", "1.2.3", "+1x"]
    assert [text for text in strings if yaml_out._string(text) != text] == []


# Words that reach inflection's irregular, uncountable and ending rules, singular and plural.
_ENGLISH = (  # noqa: SIM905 (a word list reads better as text than as 90 lines)
    "person people man men child children sex sexes move moves cow kine zombie "
    "zombies equipment information rice money species series fish sheep jeans police "
    "news quiz quizzes matrix matrices vertex vertices index indices ox oxen mouse "
    "mice louse octopus octopi virus viri alias aliases status statuses bus buses "
    "buffalo buffaloes tomato tomatoes hive hives knife knives wife wives half "
    "halves analysis analyses basis bases diagnosis movie movies shoe shoes axis "
    "axes crisis crises testis datum data medium media address addresses category "
    "categories order_item OrderItems CamelOctopus x s ss Status "
).split()


@settings(max_examples=examples(1000))
@given(
    st.one_of(
        st.sampled_from(_ENGLISH),
        st.builds(
            str.__add__,
            st.from_regex(r"[A-Za-z0-9_]{0,12}", fullmatch=True),
            st.sampled_from(_ENGLISH),
        ),
        st.text(alphabet=string.ascii_letters + string.digits + "_-", max_size=16),
    )
)
def test_compiled_inflection_rules_agree_with_inflection_on_any_word(word: str) -> None:
    import inflection

    from generator import naming

    assert naming._pluralize(word) == inflection.pluralize(word)
    assert naming._singularize(word) == inflection.singularize(word)


def test_make_test_runs_the_properties_derandomized_without_an_example_database() -> None:
    if profiles.load() != "ci":  # `make fuzz` searches at random on purpose
        pytest.skip("fuzz profile")
    current = settings()
    assert current.derandomize and current.database is None
    assert SETTINGS.max_examples == 25
