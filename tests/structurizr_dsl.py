"""A checker for the part of the Structurizr DSL that workspace.dsl uses.

Why our own: Structurizr's parser is Java and not installable here, so this follows the
DSL language reference instead: tokens are words, "quoted strings", braces and `->`;
a workspace holds `model` and `views`; elements are `id = person|softwareSystem|container
NAME [DESCRIPTION [TECHNOLOGY]]` with an optional block; relationships are `id -> id
[DESCRIPTION [TECHNOLOGY]]` between defined identifiers; views name a defined software
system and hold `include`, `autolayout` and `styles`. tests/test_exports.py also feeds it
workspaces written the way the language reference's examples are, and broken ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"[^"\n]*")|(?P<arrow>->)|(?P<brace>[{}])|(?P<word>[^\s{}"]+))'
)


class DslError(ValueError):
    pass


@dataclass
class Workspace:
    elements: dict[str, str] = field(default_factory=dict)  # identifier -> kind
    relationships: list[tuple[str, str, list[str]]] = field(default_factory=list)
    views: list[tuple[str, str]] = field(default_factory=list)  # (kind, element id)


def tokenize(text: str) -> list[list[str]]:
    """Lines of tokens (the DSL is line-oriented); comments and blank lines dropped."""
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "//")):
            continue
        tokens, position = [], 0
        while position < len(line):
            match = _TOKEN.match(line, position)
            if match is None or match.end() == position:
                if line[position:].strip():
                    raise DslError(f"line {number}: cannot read {line[position:]!r}")
                break
            tokens.append(match.group(match.lastgroup or "word"))
            position = match.end()
        lines.append(tokens)
    return lines


def parse(text: str) -> Workspace:
    lines = tokenize(text)
    workspace = Workspace()
    if not lines or lines[0][0] != "workspace" or lines[0][-1] != "{":
        raise DslError("a workspace starts with 'workspace [NAME] [DESCRIPTION] {'")
    _strings(lines[0][1:-1], 0, 2, "workspace")
    index = _block(lines, 1, workspace, "workspace")
    if index != len(lines):
        raise DslError("text after the workspace's closing brace")
    for source, target, _ in workspace.relationships:
        for end in (source, target):
            if end not in workspace.elements:
                raise DslError(f"relationship names undefined element {end!r}")
    for kind, element in workspace.views:
        if workspace.elements.get(element) != "softwareSystem":
            raise DslError(f"{kind} view of {element!r}, which is not a software system")
    return workspace


_ELEMENTS = {"person": 2, "softwareSystem": 2, "container": 3}
_ALLOWED_IN = {
    "person": set(),
    "softwareSystem": {"container"},
    "container": set(),
}


def _strings(tokens: list[str], low: int, high: int, what: str) -> list[str]:
    if not low <= len(tokens) <= high or not all(t.startswith('"') for t in tokens):
        raise DslError(f"{what} takes {low} to {high} quoted strings, got {tokens}")
    return [t[1:-1] for t in tokens]


def _block(lines: list[list[str]], index: int, ws: Workspace, context: str) -> int:
    """Parse statements until the closing brace of `context`; return the next line."""
    while index < len(lines):
        tokens = lines[index]
        if tokens == ["}"]:
            return index + 1
        index = _statement(lines, index, ws, context)
    raise DslError(f"{context} is never closed")


def _statement(lines: list[list[str]], index: int, ws: Workspace, context: str) -> int:
    tokens = lines[index]
    opens = tokens[-1] == "{"
    body = tokens[:-1] if opens else tokens
    if context == "workspace":
        if body in (["model"], ["views"]) and opens:
            return _block(lines, index + 1, ws, body[0])
        if body[:1] == ["!identifiers"] and body[1:] in (["flat"], ["hierarchical"]):
            return index + 1
        raise DslError(f"unexpected {' '.join(tokens)!r} in workspace")
    if context in ("model", "softwareSystem", "person", "container"):
        if len(body) >= 3 and body[1] == "=" and body[2] in _ELEMENTS:
            kind = body[2]
            allowed = {"person", "softwareSystem"} if context == "model" else _ALLOWED_IN[context]
            if kind not in allowed:
                raise DslError(f"a {kind} cannot be defined inside {context}")
            if body[0] in ws.elements:
                raise DslError(f"identifier {body[0]!r} defined twice")
            if not re.fullmatch(r"[A-Za-z0-9_-]+", body[0]):
                raise DslError(f"bad identifier {body[0]!r}")
            _strings(body[3:], 1, _ELEMENTS[kind], kind)
            ws.elements[body[0]] = kind
            return _block(lines, index + 1, ws, kind) if opens else index + 1
        if len(body) >= 3 and body[1] == "->" and not opens:
            ws.relationships.append((body[0], body[2], _strings(body[3:], 0, 3, "relationship")))
            return index + 1
        if body[:1] == ["tags"] and not opens and context != "model":
            _strings(body[1:], 1, 10, "tags")
            return index + 1
        raise DslError(f"unexpected {' '.join(tokens)!r} in {context}")
    if context == "views":
        if body[:1] in (["systemContext"], ["container"]) and opens and len(body) >= 2:
            ws.views.append((body[0], body[1]))
            _strings(body[2:], 0, 2, body[0])
            return _block(lines, index + 1, ws, "view")
        if body == ["styles"] and opens:
            return _block(lines, index + 1, ws, "styles")
        raise DslError(f"unexpected {' '.join(tokens)!r} in views")
    if context == "view":
        if body[:1] == ["include"] and len(body) >= 2 and not opens:
            return index + 1
        if body[:1] == ["autolayout"] and body[1:] in ([], ["lr"], ["tb"], ["rl"], ["bt"]):
            return index + 1
        raise DslError(f"unexpected {' '.join(tokens)!r} in a view")
    if context == "styles":
        if body[:1] == ["element"] and len(body) == 2 and body[1].startswith('"') and opens:
            return _block(lines, index + 1, ws, "style")
        raise DslError(f"unexpected {' '.join(tokens)!r} in styles")
    if context == "style":
        known = {"shape", "background", "color", "colour", "icon", "width", "height", "fontSize"}
        if body[:1] and body[0] in known and len(body) == 2 and not opens:
            return index + 1
        raise DslError(f"unexpected {' '.join(tokens)!r} in a style")
    raise DslError(f"unknown context {context}")
