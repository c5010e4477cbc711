"""Specs as they were at a git revision, and old and new specs paired by slug.

Why pair by `system.slug` and not by file name: a spec moved or renamed in the same
change still describes the same system (its build folder is named by the slug), so
the diff follows the slug; a slug with no partner is a spec added or deleted.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from generator.model import System
from generator.pipeline import load_text

SPEC_SUFFIXES = (".yaml", ".yml")


class GitError(Exception):
    """git is missing, this is not a checkout, or the revision does not exist."""


def _git(*args: str, cwd: Path | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GitError(f"git {' '.join(args)}: {e}") from e
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise GitError(f"git {' '.join(args)}: {message}")
    return done.stdout


def specs_at_revision(rev: str, paths: list[Path], *, cwd: Path | None = None) -> dict[str, bytes]:
    """`path -> bytes` of every spec file under `paths` (files or folders) at `rev`.

    Paths are relative to `cwd` as the user typed them; a path absent at `rev` holds
    no specs there (every spec under it is then new)."""
    if rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision")  # never an option to git
    _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=cwd)
    listing = _git("ls-tree", "-r", "-z", "--name-only", rev, "--", *map(str, paths), cwd=cwd)
    names = sorted(n for n in listing.decode().split("\0") if n.endswith(SPEC_SUFFIXES))
    return {name: _git("show", f"{rev}:./{name}", cwd=cwd) for name in names}


def systems_at_revision(rev: str, paths: list[Path], *, cwd: Path | None = None) -> list[System]:
    """The specs at `rev`, resolved; raises SpecError for one that was invalid there."""
    return [
        load_text(raw, f"{rev}:{name}")
        for name, raw in specs_at_revision(rev, paths, cwd=cwd).items()
    ]


def pair_specs(
    old: Iterable[System], new: Iterable[System]
) -> list[tuple[System | None, System | None]]:
    """(old, new) by slug, in slug order; None where a spec was added or deleted."""
    before = {s.slug: s for s in old}
    after = {s.slug: s for s in new}
    return [(before.get(slug), after.get(slug)) for slug in sorted(before.keys() | after.keys())]
