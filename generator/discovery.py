"""Which files are specs: named ones always, and in folders the YAML files that say so.

Why a sign and not every YAML file: a monorepo's folders hold docker-compose files,
CI configuration and pre-commit settings beside the specs. A YAML file found in a folder
is a spec when a line starts with a top-level `system:` or `entities:` key (every spec
has `system:`; `entities:` catches a spec that forgot it, so its error is reported
rather than the file skipped). A file named on the command line is always read as a spec.

Why hidden folders and node_modules are not searched: they hold tools' files (.git,
.venv, the cache), never a team's specs, and can be huge.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from generator.diagnostics import UsageError

SPEC_SUFFIXES = (".yaml", ".yml")
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
_SIGN = re.compile(rb"^(?:\xef\xbb\xbf)?(?:system|entities|'system'|\"system\")[ \t]*:", re.M)
_SIGN_SCAN_BYTES = 1 << 20  # the sign sits near the top; a 4 MiB YAML file is not read whole


def discover(paths: Sequence[Path]) -> list[Path]:
    """Spec files named directly, and the specs found below named folders (sorted by
    their path within the folder), in the order the paths were given. No duplicates."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            specs = _search(path)
            if not specs:
                raise UsageError(
                    f"{path}/",
                    "no-spec",
                    "no archsmith spec found (a .yaml or .yml file with a top-level 'system:' key)",
                    "run 'archsmith init' to write one, or name a spec file",
                )
        elif path.exists() or path.is_symlink():
            specs = [path]
        else:
            raise UsageError(
                str(path),
                "no-such-path",
                "no such file or folder",
                "name a spec file or a folder of specs",
            )
        for spec in specs:
            key = spec.resolve()
            if key not in seen:
                seen.add(key)
                found.append(spec)
    return found


def is_spec(path: Path) -> bool:
    """Whether a YAML file found in a folder carries the sign of a spec."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_SIGN_SCAN_BYTES)
    except OSError:
        return True  # unreadable: reading it as a spec reports the problem with its path
    return has_spec_sign(head)


def has_spec_sign(data: bytes) -> bool:
    """The same sign in bytes already read (a file at a git revision)."""
    return _SIGN.search(data[:_SIGN_SCAN_BYTES]) is not None


def _search(folder: Path) -> list[Path]:
    candidates = []
    for root, folders, names in os.walk(folder):
        # Pruned in place, so os.walk never enters them (a .git or node_modules is large).
        folders[:] = [f for f in folders if not f.startswith(".") and f not in SKIPPED_FOLDERS]
        base = Path(root)
        for name in names:
            path = base / name
            if path.suffix in SPEC_SUFFIXES and not name.startswith(".") and path.is_file():
                candidates.append((path.relative_to(folder).parts, path))
    return [path for _, path in sorted(candidates) if is_spec(path)]


def display_name(path: Path) -> str:
    """The spec path as shown in messages: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
