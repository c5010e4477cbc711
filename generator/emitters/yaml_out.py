"""Plain data (dicts, lists, scalars) to block-style YAML text.

Why written here rather than by libyaml: a million-node OpenAPI document spent 0.48 s
in libyaml's emitter, half of it building the Python event objects it reads; writing
the text directly takes 0.26 s and, for everything archsmith emits, the same bytes
(libyaml's layout: two-space mappings, sequences flush under their key, single quotes
where they suffice). Tests read the output back with a YAML 1.1 reader (PyYAML) and a
1.2 reader (ruamel) for tricky and for arbitrary data.

Quoting is decided conservatively: a string is written plain only when it starts with
no indicator, holds only printable characters, contains no ': ' or ' #', and neither
reader would take it for a number, boolean, null, date or merge key. Otherwise it is
single-quoted, or, when it holds characters single quotes cannot carry (line breaks,
control characters, NEL, LS, PS), double-quoted with JSON's escapes (a subset of
YAML's) plus \\uXXXX for those YAML forbids raw or reads as line breaks.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_NOT_PLAIN = re.compile(
    r"""^(?:[-+]?(?:\d[\d_]*)?(?:\.[\d_]*)?(?:[eE][-+]?\d+)?   # numbers, incl. "" and "."
    |[-+][\d_]+                       # ruamel's 1.2 int [-+]?[0-9_]+ takes "-_", "+_1" too
    |[-+]?0[xob][\da-fA-F_]+                                   # hex, octal, binary
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |~|null|Null|NULL
    |y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
    |true|True|TRUE|false|False|FALSE
    |[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.[\d_]*)?                  # sexagesimal (1.1): "1:2._"
    |\d{4}-\d\d?-\d\d?.*                                       # timestamps
    |<<|=)$""",
    re.VERBOSE,
)
# YAML's printable characters minus NEL, LS, PS and the BOM, which readers may take for
# line breaks or a stream start.
_BEYOND_ASCII = "\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_PRINTABLE = "\x20-\x7e" + _BEYOND_ASCII
# A first character that is no indicator ('-' only before a non-space), printable after,
# no trailing space or colon, and no document marker ('--- ', '... ') to open a key's line.
_PLAIN = re.compile(
    rf"(?!---|\.\.\.)(?:[A-Za-z0-9_$/(.^+{_BEYOND_ASCII}]|-(?=\S))[{_PRINTABLE}]*(?<![\s:])\Z"
)
_SINGLE_QUOTABLE = re.compile(f"[{_PRINTABLE}]*\\Z")
_ESCAPE_IN_DOUBLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_MAX_IMPLICIT_KEY = 1024  # YAML 1.2: longer keys need the explicit '? key' form
# A tuple, not `dict | list`: isinstance with a union object costs three times as much,
# and the writer asks once per node.
_CONTAINERS = (dict, list)


def dump(data: Any) -> str:
    return _Writer().document(data)


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.texts: dict[str, str] = {}  # each distinct string is quoted once

    def document(self, data: Any) -> str:
        if _nested(data):
            self.block(data, "")
        else:
            self.out.append(self.scalar(data) + "\n")
        return "".join(self.out)

    def block(self, node: dict[Any, Any] | list[Any], indent: str) -> None:
        # Why one string per line: this runs once per node of a million-node document,
        # and a list item per token showed up.
        out = self.out
        if isinstance(node, dict):
            deeper = indent + "  "
            for key, value in node.items():
                text = self.scalar(key)
                if len(text) > _MAX_IMPLICIT_KEY:
                    text, list_indent = f"? {text}\n{indent}", deeper
                else:
                    list_indent = indent  # a list sits flush under its key
                if isinstance(value, _CONTAINERS) and value:  # _nested, inlined
                    out.append(f"{indent}{text}:\n")
                    self.block(value, deeper if isinstance(value, dict) else list_indent)
                else:
                    out.append(f"{indent}{text}: {self.scalar(value)}\n")
            return
        for item in node:
            if isinstance(item, _CONTAINERS) and item:
                # The item's first line starts after the dash: "- name: x", "- - a".
                # Its lines are indented two deeper; the dash takes those two spaces of
                # the first line (a nested list's own dash already took the ones after).
                first = len(out)
                self.block(item, indent + "  ")
                out[first] = indent + "- " + out[first][len(indent) + 2 :]
            else:
                out.append(f"{indent}- {self.scalar(item)}\n")

    def scalar(self, value: Any) -> str:
        if isinstance(value, str):
            text = self.texts.get(value)
            if text is None:
                text = self.texts[value] = _string(value)
            return text
        return _scalar(value)


def _nested(value: Any) -> bool:
    return isinstance(value, _CONTAINERS) and bool(value)


def _string(value: str) -> str:
    if (
        _PLAIN.match(value)
        and not _NOT_PLAIN.match(value)
        and ": " not in value
        and " #" not in value
    ):
        return value
    if _SINGLE_QUOTABLE.match(value):
        return "'" + value.replace("'", "''") + "'"
    quoted = json.dumps(value, ensure_ascii=False)
    return _ESCAPE_IN_DOUBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


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
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"  # empty: nested ones are blocks
    raise TypeError(f"cannot write {type(value).__name__} as YAML")
