"""The record of what archsmith wrote into an output folder: `.archsmith-output.json`.

Why a manifest: an output folder may also hold files archsmith did not write (a README,
a CNAME for GitHub Pages, a teammate's notes). A build may replace or remove exactly
the files of the previous build's manifest and nothing else; a folder without one is
not archsmith's to change.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from generator.diagnostics import UsageError

MANIFEST = ".archsmith-output.json"
STAGING_PREFIX = ".archsmith-staging-"  # where a build stages its files inside the folder
FORMAT = 1

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
    if rel.parts[0] == MANIFEST or rel.parts[0].startswith(STAGING_PREFIX):
        raise UnsafePath(path)
    return rel


def read_manifest(folder: Path) -> frozenset[str] | None:
    """The files the last build wrote into `folder`, or None when it has no manifest.

    A manifest that cannot be read is refused, not ignored: without it nothing in the
    folder is known to be archsmith's.
    """
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_bytes())
        files = data["files"]
        if data.get("tool") != "archsmith" or not isinstance(files, list):
            raise ValueError("not an archsmith manifest")
        names = frozenset(str(name) for name in files)
        for name in names:
            safe_relative(name)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UsageError(
            str(path),
            "out-manifest",
            f"the record of archsmith's files in this folder cannot be read ({error})",
            f"if {folder} holds only archsmith's output, delete it and build again",
        ) from error
    return names


def manifest_bytes(files: set[str] | frozenset[str]) -> bytes:
    """One name per line, sorted, so the manifest diffs well when it is committed."""
    data = {"tool": "archsmith", "format": FORMAT, "files": sorted(files)}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()
