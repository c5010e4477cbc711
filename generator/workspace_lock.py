"""One build at a time per site workspace: an advisory lock file inside the workspace.

Why apart from site_workspace.py: the cache removes stale workspaces and must not
import the site (which sits above it) to do so.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def locked(root: Path) -> Iterator[bool]:
    """True while this process holds the workspace, False when another build does."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove(root: Path) -> None:
    """Delete a workspace, unless a build is using it."""
    with locked(root) as held:
        if held:
            shutil.rmtree(root, ignore_errors=True)
