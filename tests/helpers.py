"""Small helpers shared by tests: load a spec from text and collect its diagnostics."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.diagnostics import Diagnostic, SpecError
from generator.model import System
from generator.pipeline import load_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "specs").glob("*.yaml"))

MINIMAL = """\
system:
  name: Demo
entities:
  User:
    fields:
      email: {type: email, unique: true}
api:
  resources:
    users: {entity: User}
"""

# MINIMAL with a stored password, so JWT offers login, refresh and logout.
WITH_LOGIN = MINIMAL.replace(
    "      email: {type: email, unique: true}\n",
    "      email: {type: email, unique: true}\n"
    "      password_hash: {type: string, max_length: 255, sensitive: true, input: password}\n",
)


def spec(text: str) -> System:
    return load_text(textwrap.dedent(text), "spec.yaml")


def problems(text: str | bytes) -> list[Diagnostic]:
    raw = text if isinstance(text, bytes) else textwrap.dedent(text)
    try:
        load_text(raw, "spec.yaml")
    except SpecError as error:
        return error.diagnostics
    raise AssertionError("expected the spec to be rejected")


def position_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the n-th occurrence of `needle` in dedented `text`."""
    text = textwrap.dedent(text)
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def located(diagnostic: Diagnostic) -> tuple[str, int, int]:
    return diagnostic.code, diagnostic.location.line, diagnostic.location.column
