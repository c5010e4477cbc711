"""Read a spec file into plain Python data plus the source position of every key and value.

Why an event-level builder instead of ruamel's constructors: it is a single iterative
pass (ruamel's composer recurses and overflows around 250 levels), it sees every
alias so expansion can be bounded (alias bombs), it rejects tags and directives that
would change meaning, and it keeps positions for paths without a round-trip document.
Scalars resolve with the YAML 1.2 core schema: `no`, `on` and `yes` stay strings.

Why two parsers: libyaml (through PyYAML's C binding) produces the same events 25x
faster than ruamel's pure-Python parser; the builder resolves scalars itself, so the
parser's YAML version does not matter. When libyaml reports a syntax error, ruamel
parses the text again so the message and position are ruamel's, which are clearer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as libyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from generator.diagnostics import Diagnostic, Location, Severity, Span, SpecError, quote

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 50
# Why: aliases share values, but validation walks every expansion; a few nested
# aliases can otherwise stand for billions of nodes.
MAX_EXPANDED_NODES = 1_000_000
MAX_INT = 2**63 - 1
MIN_INT = -(2**63)  # 64-bit two's complement: one more below zero than above

PathKey = tuple[str | int, ...]


@dataclass(slots=True)
class Document:
    file: str
    data: dict[str, Any]
    positions: dict[PathKey, Span] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The position of `path`, or of its nearest ancestor present in the source."""
        span = self.positions.get(path)
        if span is not None:
            if key and span.key_line:
                return Location(self.file, span.key_line, span.key_column)
            return span.value_in(self.file)
        for end in range(len(path) - 1, -1, -1):
            span = self.positions.get(path[:end])
            if span is not None:
                return span.value_in(self.file)
        return Location(self.file, 1, 1)


_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
# First characters of every null, bool, int and float above ("" is null).
_MAYBE_NOT_STRING = frozenset("0123456789+-.~nNtTfF") | {""}


class _Fail(Exception):
    def __init__(self, location: Location, code: str, message: str) -> None:
        self.diagnostic = Diagnostic(Severity.ERROR, code, message, location)


def load_file(
    path: Path, *, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            _raise(
                name,
                1,
                1,
                "too-large",
                f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; split the spec or raise --max-bytes",
            )
        raw = path.read_bytes()
    except OSError as exc:
        _raise(name, 1, 1, "unreadable", f"cannot read the file ({exc.strerror or exc})")
    return load_bytes(raw, name, max_bytes=max_bytes)


def load_bytes(raw: bytes, file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    if len(raw) > max_bytes:
        _raise(
            file,
            1,
            1,
            "too-large",
            f"input is {len(raw):,} bytes, over the {max_bytes:,}-byte limit",
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        _raise(file, line, col, "nul-byte", "NUL byte in the file; a spec is UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        _raise(
            file,
            line,
            col,
            "not-utf8",
            f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8",
        )
    text = text.removeprefix("\ufeff")
    try:
        return _Builder(file, text).build()
    except _Fail as fail:
        raise SpecError([fail.diagnostic]) from None


def _raise(file: str, line: int, col: int, code: str, message: str) -> Any:
    raise SpecError([Diagnostic(Severity.ERROR, code, message, Location(file, line, col))])


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


@dataclass(slots=True)
class _Frame:
    path: PathKey
    container: dict[str, Any] | list[Any]
    anchor: str | None
    nodes: int = 1
    pending_key: str | None = None
    pending_key_at: tuple[int, int] = (0, 0)  # line, column
    key_lines: dict[str, int] = field(default_factory=dict)  # for duplicate-key messages
    merges: list[tuple[tuple[int, int], Any]] = field(default_factory=list)


class _Builder:
    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.positions: dict[PathKey, Span] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.expanded = 0

    def at(self, mark: Any) -> Location:
        return Location(self.file, mark.line + 1, mark.column + 1)

    def build(self) -> Document:
        if libyaml.__with_libyaml__:
            try:
                return self.build_from(libyaml.parse(self.text, Loader=libyaml.CSafeLoader))
            except libyaml.YAMLError:
                self.positions.clear()
                self.anchors.clear()
                self.expanded = 0
        return self.build_from(YAML(typ="safe", pure=True).parse(self.text))

    def build_from(self, stream: Iterator[Any]) -> Document:
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        try:
            for event in stream:
                kind = type(event).__name__
                if kind == "DocumentStartEvent":
                    documents += 1
                    if documents > 1:
                        raise _Fail(
                            self.at(event.start_mark),
                            "multiple-documents",
                            "more than one YAML document; a spec is one document, remove the second '---'",
                        )
                    version = getattr(event, "version", None)
                    if version is not None and tuple(version) != (1, 2):
                        raise _Fail(
                            self.at(event.start_mark),
                            "yaml-version",
                            f"'%YAML {version[0]}.{version[1]}' changes how values like no, on and 0777 are read; remove the directive (specs are YAML 1.2)",
                        )
                elif kind in _NODE_EVENTS:
                    value = self.handle(event, kind, stack)
                    if value is not _OPENED:
                        if stack:
                            self.attach(stack[-1], value, event)
                        else:
                            root = value
                            mark = event.start_mark
                            self.positions.setdefault((), Span(mark.line + 1, mark.column + 1))
                elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                    frame = stack.pop()
                    self.finish(frame)
                    if frame.anchor is not None:
                        self.anchors[frame.anchor] = (frame.container, frame.nodes)
                    if stack:
                        stack[-1].nodes += frame.nodes
                        self.attach(stack[-1], frame.container, event, closing=True)
                    else:
                        root = frame.container
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = (exc.problem or exc.context or "invalid YAML").strip()
            location = self.at(mark) if mark is not None else Location(self.file, 1, 1)
            raise _Fail(location, "yaml-syntax", f"{problem}; fix the YAML syntax here") from None
        except ReaderError as exc:
            line, col = self.char_position(exc.position)
            raise _Fail(
                Location(self.file, line, col),
                "bad-character",
                f"character {quote(chr(exc.character) if isinstance(exc.character, int) else exc.character)} is not allowed in YAML; remove it",
            ) from None
        except YAMLError as exc:
            raise _Fail(
                Location(self.file, 1, 1), "yaml-syntax", str(exc).splitlines()[0]
            ) from None
        except RecursionError:
            raise _Fail(
                Location(self.file, 1, 1), "too-deep", f"nesting deeper than {MAX_DEPTH} levels"
            ) from None

        if root is None or root == "":
            raise _Fail(
                Location(self.file, 1, 1),
                "empty-spec",
                "the spec is empty; start with a 'system:' mapping (run 'archsmith init' for a starter)",
            )
        if not isinstance(root, dict):
            kind = "a list" if isinstance(root, list) else "a single value"
            raise _Fail(
                self.positions[()].value_in(self.file),
                "root-not-mapping",
                f"the spec is {kind}; the top level must be a mapping with keys like 'system:' and 'entities:'",
            )
        return Document(self.file, root, self.positions)

    def char_position(self, index: int) -> tuple[int, int]:
        line_start = self.text.rfind("\n", 0, index) + 1
        return self.text.count("\n", 0, index) + 1, index - line_start + 1

    def handle(self, event: Any, kind: str, stack: list[_Frame]) -> Any:
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _CORE_TAGS and tag != "!":
            raise _Fail(
                self.at(event.start_mark),
                "custom-tag",
                f"tag {quote(tag)} is not allowed; specs use plain YAML values, remove the tag",
            )
        if kind == "AliasEvent":
            if event.anchor not in self.anchors:
                raise _Fail(
                    self.at(event.start_mark),
                    "unknown-alias",
                    f"alias *{quote(event.anchor)} refers to no anchor defined before it",
                )
            value, size = self.anchors[event.anchor]
            self.expanded += size
            if self.expanded > MAX_EXPANDED_NODES:
                raise _Fail(
                    self.at(event.start_mark),
                    "alias-bomb",
                    f"aliases expand to more than {MAX_EXPANDED_NODES:,} values; use fewer nested aliases",
                )
            if stack:
                stack[-1].nodes += size
            return value
        if kind == "ScalarEvent":
            value = self.scalar(event, tag)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
            if stack:
                stack[-1].nodes += 1
            return value
        if len(stack) >= MAX_DEPTH:
            raise _Fail(
                self.at(event.start_mark),
                "too-deep",
                f"nesting deeper than {MAX_DEPTH} levels; a spec never needs this, flatten it",
            )
        mark = event.start_mark
        if stack and isinstance(stack[-1].container, dict) and stack[-1].pending_key is None:
            raise _Fail(
                self.at(mark),
                "complex-key",
                "a mapping or list used as a key; keys must be plain names",
            )
        path = self.child_path(stack[-1]) if stack else ()
        if stack and isinstance(stack[-1].container, dict):
            self.positions[path] = Span(mark.line + 1, mark.column + 1, *stack[-1].pending_key_at)
        else:
            self.positions[path] = Span(mark.line + 1, mark.column + 1)
        container: dict[str, Any] | list[Any] = {} if kind == "MappingStartEvent" else []
        stack.append(_Frame(path, container, event.anchor))
        return _OPENED

    def child_path(self, parent: _Frame) -> PathKey:
        if isinstance(parent.container, dict):
            return (*parent.path, parent.pending_key or "")
        return (*parent.path, len(parent.container))

    def attach(self, frame: _Frame, value: Any, event: Any, *, closing: bool = False) -> None:
        container = frame.container
        if isinstance(container, list):
            if not closing:
                mark = event.start_mark
                self.positions[(*frame.path, len(container))] = Span(mark.line + 1, mark.column + 1)
            container.append(value)
            return
        if frame.pending_key is None:
            if closing or isinstance(value, (dict, list)):
                raise _Fail(
                    self.at(event.start_mark),
                    "complex-key",
                    "a mapping or list used as a key; keys must be plain names",
                )
            key = "" if value is None else _key_text(event, value)
            mark = event.start_mark
            first = frame.key_lines.get(key)
            if first is not None and key != "<<":
                raise _Fail(
                    self.at(mark),
                    "duplicate-key",
                    f"key {quote(key)} is already defined at line {first}; remove or rename one of them",
                )
            frame.key_lines.setdefault(key, mark.line + 1)
            frame.pending_key, frame.pending_key_at = key, (mark.line + 1, mark.column + 1)
            return
        key, key_at = frame.pending_key, frame.pending_key_at
        frame.pending_key = None
        if key == "<<" and not getattr(event, "style", None):
            frame.merges.append((key_at, value))
            return
        if not closing:
            mark = event.start_mark
            self.positions[(*frame.path, key)] = Span(mark.line + 1, mark.column + 1, *key_at)
        container[key] = value

    def finish(self, frame: _Frame) -> None:
        """Apply `<<` merge keys: explicit keys win, earlier merges win over later ones."""
        if not isinstance(frame.container, dict):
            return
        for key_at, merged in frame.merges:
            sources = merged if isinstance(merged, list) else [merged]
            for source in sources:
                if not isinstance(source, dict):
                    raise _Fail(
                        Location(self.file, *key_at),
                        "bad-merge",
                        "'<<' must merge a mapping or a list of mappings",
                    )
                for key, value in source.items():
                    if key not in frame.container:
                        frame.container[key] = value
                        self.positions.setdefault((*frame.path, key), Span(*key_at, *key_at))

    def scalar(self, event: Any, tag: str | None) -> Any:
        text: str = event.value
        if tag is None or tag == "!":
            if event.style or tag == "!":
                return text  # quoted, block or non-specific: always a string
            if text[:1] not in _MAYBE_NOT_STRING:
                return text  # most plain scalars are names: no pattern below can match
            kind = None
        else:
            kind = tag.rsplit(":", 1)[-1]
        if kind in (None, "null") and _NULL.match(text):
            return None
        if kind in (None, "bool"):
            if _TRUE.match(text):
                return True
            if _FALSE.match(text):
                return False
        if kind in (None, "int"):
            number = self.integer(text, event)
            if number is not None:
                return number
        if kind in (None, "float"):
            if _FLOAT.match(text):
                return float(text)
            if _INF.match(text):
                return float("-inf") if text.startswith("-") else float("inf")
            if _NAN.match(text):
                return float("nan")
        if kind not in (None, "str"):
            raise _Fail(
                self.at(event.start_mark), "bad-scalar", f"{quote(text)} is not a valid {kind}"
            )
        return text

    def integer(self, text: str, event: Any) -> int | None:
        if _INT10.match(text):
            digits = text.lstrip("+-").lstrip("0")
            if len(digits) > 19:
                raise _Fail(
                    self.at(event.start_mark),
                    "number-too-large",
                    f"number {quote(text)} is too large; use at most {MAX_INT:,} or quote it as text",
                )
            number = int(text, 10)
        elif _INT8.match(text):
            number = int(text[2:], 8)
        elif _INT16.match(text):
            number = int(text[2:], 16)
        else:
            return None
        if not MIN_INT <= number <= MAX_INT:
            raise _Fail(
                self.at(event.start_mark),
                "number-too-large",
                f"number {quote(text)} is too large; use {MIN_INT:,} to {MAX_INT:,} or quote it as text",
            )
        return number


def _key_text(event: Any, value: Any) -> str:
    """Keys are names: `200:` and `true:` are the names '200' and 'true', as written."""
    if type(event).__name__ == "ScalarEvent":
        return str(event.value)
    return str(value)


_OPENED = object()
_NODE_EVENTS = frozenset({"ScalarEvent", "AliasEvent", "MappingStartEvent", "SequenceStartEvent"})
