"""The pipeline, stage by stage: load → validate → resolve → rules → emitters.

Why a module of its own: the CLI, the tests, the benchmark and the site builder all
run the same stages; this is the one place that wires them together.
"""

from __future__ import annotations

from pathlib import Path

from generator.loader import DEFAULT_MAX_BYTES, Document, load_bytes
from generator.model import System
from generator.resolve import resolve
from generator.validate import validate


def load_system(
    path: Path, *, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> System:
    """Read and resolve one spec; raises SpecError with every problem found."""
    from generator.loader import load_file

    name = display or str(path)
    document = load_file(path, display=name, max_bytes=max_bytes)
    return _resolve(document, path.read_bytes())


def load_text(text: str | bytes, name: str = "spec.yaml") -> System:
    raw = text.encode() if isinstance(text, str) else text
    return _resolve(load_bytes(raw, name), raw)


def _resolve(document: Document, raw: bytes) -> System:
    spec = validate(document)
    return resolve(spec, document, raw)
