"""The only writer: a whole output tree replaces the old one atomically, or nothing changes.

Why: a build that fails halfway (bad spec, missing `dot`, Ctrl-C) must leave the
previous output exactly as it was, so CI never publishes a half-written site.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


class UnsafePath(ValueError):
    """An artifact path that would escape the output directory; always an internal bug."""


def safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts):
        raise UnsafePath(path)
    if any(p.split(".")[0].lower() in _RESERVED or "\\" in p or "\x00" in p for p in rel.parts):
        raise UnsafePath(path)
    return rel


def write_tree(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write `files` (relative POSIX path -> bytes) as the complete new content of `out_dir`."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for name in sorted(files):
            target = staging.joinpath(*safe_relative(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.replace(out_dir)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    backup.rmdir()
    out_dir.replace(backup)
    try:
        staging.replace(out_dir)
    except BaseException:
        backup.replace(out_dir)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def read_tree(out_dir: Path) -> dict[str, bytes]:
    """The current content of an output tree, for `build --check`."""
    if not out_dir.is_dir():
        return {}
    return {
        path.relative_to(out_dir).as_posix(): path.read_bytes()
        for path in sorted(out_dir.rglob("*"))
        if path.is_file()
    }


def diff_trees(
    expected: Mapping[str, bytes], actual: Mapping[str, bytes]
) -> tuple[list[str], list[str], list[str]]:
    """(stale, missing, extra) file names."""
    stale = sorted(n for n in expected if n in actual and actual[n] != expected[n])
    missing = sorted(n for n in expected if n not in actual)
    extra = sorted(n for n in actual if n not in expected)
    return stale, missing, extra
