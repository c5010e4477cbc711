"""Loading: YAML 1.2 semantics, positions, and every hostile input as one located error."""

from __future__ import annotations

import time

import pytest

from generator.diagnostics import SpecError
from generator.loader import MAX_DEPTH, load_bytes
from tests.helpers import located


def reject(raw: bytes) -> tuple[str, int, int]:
    with pytest.raises(SpecError) as caught:
        load_bytes(raw, "s.yaml")
    assert len(caught.value.diagnostics) == 1
    return located(caught.value.diagnostics[0])


def test_yaml_12_keeps_norway_and_octal_like_values() -> None:
    doc = load_bytes(b"a: no\nb: on\nc: yes\nd: 0777\ne: 0o17\nf: 1e3\ng: ~\n", "s.yaml")
    assert doc.data == {"a": "no", "b": "on", "c": "yes", "d": 777, "e": 15, "f": 1000.0, "g": None}


def test_positions_of_keys_and_values() -> None:
    doc = load_bytes(b"system:\n  name: Shop\nlist:\n  - x\n  - {k: v}\n", "s.yaml")
    assert str(doc.locate(("system", "name"))) == "s.yaml:2:9"
    assert str(doc.locate(("system", "name"), key=True)) == "s.yaml:2:3"
    assert str(doc.locate(("list", 1, "k"))) == "s.yaml:5:9"
    assert str(doc.locate(("system", "missing", "deeper"))) == "s.yaml:2:3"  # nearest ancestor


def test_merge_keys_and_aliases() -> None:
    doc = load_bytes(b"base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nref: *b\n", "s.yaml")
    assert doc.data["m"] == {"y": 3, "x": 1}
    assert doc.data["ref"] == {"x": 1, "y": 2}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", ("empty-spec", 1, 1)),
        (b"# only a comment\n", ("empty-spec", 1, 1)),
        (b"- a\n- b\n", ("root-not-mapping", 1, 1)),
        (b"just text\n", ("root-not-mapping", 1, 1)),
        (b"a: 1\nb: 2\na: 3\n", ("duplicate-key", 3, 1)),
        (b"a: !!python/object:os.system x\n", ("custom-tag", 1, 4)),
        (b"a: !Ref x\n", ("custom-tag", 1, 4)),
        (b"%YAML 1.1\n---\na: no\n", ("yaml-version", 1, 1)),
        (b"a: 1\n---\nb: 2\n", ("multiple-documents", 2, 1)),
        (b"a: [1, 2\n", ("yaml-syntax", 2, 1)),
        (b"a: b: c\n", ("yaml-syntax", 1, 5)),
        (b"a:\n  b: 1\n c: 2\n", ("yaml-syntax", 3, 2)),
        (b"ok: 1\nbad: \xff\xfe\n", ("not-utf8", 2, 6)),
        (b"a: 1\nb: x\x00y\n", ("nul-byte", 2, 5)),
        (b"a: 99999999999999999999999\n", ("number-too-large", 1, 4)),
        (b"? [1, 2]\n: 3\n", ("complex-key", 1, 3)),
        (b"a: \x1b[31mred\n", ("bad-character", 1, 4)),
        (b"a: *nothing\n", ("unknown-alias", 1, 4)),
    ],
)
def test_hostile_input_is_one_located_error(raw: bytes, expected: tuple[str, int, int]) -> None:
    assert reject(raw) == expected


def test_deep_nesting_is_refused_before_the_parser_recurses() -> None:
    raw = b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n"
    code, line, _ = reject(raw)
    assert (code, line) == ("too-deep", 1)
    nested_maps = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)).encode()
    assert reject(nested_maps)[0] == "too-deep"


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    started = time.perf_counter()
    code, line, _ = reject("\n".join(lines).encode() + b"\n")
    assert code == "alias-bomb"
    assert line in range(6, 10)
    assert time.perf_counter() - started < 5  # guard against a regression to full expansion


def test_size_limit() -> None:
    raw = b"a: " + b"x" * 100 + b"\n"
    with pytest.raises(SpecError) as caught:
        load_bytes(raw, "s.yaml", max_bytes=50)
    assert caught.value.diagnostics[0].code == "too-large"


def test_messages_quote_hostile_text_safely() -> None:
    with pytest.raises(SpecError) as caught:
        load_bytes(b"a: 1\n\xe2\x80\xae: 2\na: 3\n", "s.yaml")
    text = caught.value.diagnostics[0].format()
    assert "\u202e" not in text and "\x1b" not in text
