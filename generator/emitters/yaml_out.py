"""Plain data (dicts, lists, scalars) to YAML text through libyaml's emitter.

Why events instead of `dump`: the representer walks every node in Python and took
0.9 s for a 100-entity OpenAPI document; feeding the emitter events directly takes
0.3 s and writes the same bytes. Why PyYAML's binding of libyaml rather than ruamel's:
the same emitter and bytes, with lighter event objects (a million events: 0.48 s
against 0.54 s). Quoting is decided here, conservatively: a string is written plain
only when neither a YAML 1.1 nor a 1.2 reader would take it for a number, boolean,
null, date or merge key (tests read the output back with both).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

_READ_AS_BREAKS = re.compile("[\x85\u2028\u2029]")
_NOT_PLAIN = re.compile(
    r"""^(?:[-+]?(?:\d[\d_]*)?(?:\.[\d_]*)?(?:[eE][-+]?\d+)?   # numbers, incl. "" and "."
    |[-+]?0[xob][\da-fA-F_]+                                   # hex, octal, binary
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |~|null|Null|NULL
    |y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
    |true|True|TRUE|false|False|FALSE
    |[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?                     # sexagesimal (1.1)
    |\d{4}-\d\d?-\d\d?.*                                       # timestamps
    |<<|=)$""",
    re.VERBOSE,
)


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # pure Python when libyaml is missing


def dump(data: Any) -> str:
    stream = io.StringIO()
    # width: never fold long descriptions or patterns.
    yaml.emit(_document(data), stream, Dumper=_DUMPER, width=4096, allow_unicode=True)
    return stream.getvalue()


def _document(data: Any) -> Iterator[Event]:
    yield StreamStartEvent()
    yield DocumentStartEvent(explicit=False)
    yield from _events(data)
    yield DocumentEndEvent(explicit=False)
    yield StreamEndEvent()


_MAPPING_START, _MAPPING_END = MappingStartEvent(None, None, True), MappingEndEvent()
_SEQUENCE_START, _SEQUENCE_END = SequenceStartEvent(None, None, True), SequenceEndEvent()


def _events(root: Any) -> Iterator[Event]:
    """Depth-first events from an explicit stack, one event object per distinct string.

    Why not recursion: a large OpenAPI document has a million events, and nested
    generators paid a frame per level for each; the emitter only reads events, so
    start and end events and repeated scalars (keys such as `type` or `$ref`) are shared.
    """
    strings: dict[str, ScalarEvent] = {}
    pending: list[Any] = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            event = strings.get(node)
            if event is None:
                # libyaml writes NEL, LS and PS raw in plain and single-quoted text, where
                # readers take them for line breaks; double quotes escape them (\\N, \\L, \\P).
                style = '"' if _READ_AS_BREAKS.search(node) else None
                plain = not _NOT_PLAIN.match(node)
                event = strings[node] = ScalarEvent(None, None, (plain, True), node, style=style)
            yield event
        elif isinstance(node, dict):
            yield _MAPPING_START
            pending.append(_MAPPING_END)
            for key, value in reversed(node.items()):
                pending.append(value)
                pending.append(key)
        elif isinstance(node, list | tuple):
            yield _SEQUENCE_START
            pending.append(_SEQUENCE_END)
            pending.extend(reversed(node))
        elif node is _MAPPING_END or node is _SEQUENCE_END:
            yield node
        else:
            yield ScalarEvent(None, None, (True, False), _scalar(node))


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        # YAML 1.1 readers need a dot in a float ("1e-05" would read as a string).
        return text if "." in text or "e" not in text else text.replace("e", ".0e")
    raise TypeError(f"cannot write {type(value).__name__} as YAML")
