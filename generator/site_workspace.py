"""Incremental website builds: MkDocs rebuilds only the pages whose source changed.

Why: the site is one MkDocs build over every spec, about eight pages each, and a page
costs tens of milliseconds (Markdown, highlighting, the search indexer, the theme).
Editing one spec of fifty changes nine pages, yet a clean build renders four hundred.

How: a workspace folder in the cache keeps the last MkDocs project and the site built
from it. A new build writes only the project files whose bytes differ and runs MkDocs'
dirty build, which skips every page whose output is newer than its source. Modification
times are ours, not the clock's: unchanged sources are stamped at the epoch, changed ones
just after the stamp the last build gave its output, so content alone decides.

Why the bytes equal a clean build's: a page's HTML depends on its own source and on the
navigation, the file list, the theme and the configuration. Those form the *frame*;
when the frame changes, the workspace is emptied and the site built clean. Material's
search plugin indexes only the pages it builds, so each page's search entries are kept
between builds and handed back in page order before the index is written.

Why a failed build cannot poison the next: the state file is removed before a build
starts and written after it succeeds; without it the next build is a clean one. A
concurrent build (another process holding the lock) builds in a temporary folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from generator.site import collect, run_mkdocs
from generator.workspace_lock import locked

STATE_VERSION = 1
STATE_FILE = "state.json"


def lookup(root: Path, key: str) -> dict[str, bytes] | None:
    """The site last built in `root`, if it was built for `key` and is intact; reads only."""
    state = _read_state(root / STATE_FILE)
    if state is None or state["key"] != key or not _intact(root / "out", state):
        return None
    return collect(root / "out")


def build_in(root: Path, key: str, project: dict[str, bytes]) -> dict[str, bytes] | None:
    """The site of `project` built in the workspace `root` and remembered as `key`;
    None when another build holds the workspace."""
    from generator.site_search import SearchEntries

    with locked(root) as held:
        if not held:
            return None
        state_file = root / STATE_FILE
        state = _read_state(state_file)
        state_file.unlink(missing_ok=True)
        frame = _frame(project)
        clean = state is None or state["frame"] != frame or not _intact(root / "out", state)
        if clean:
            shutil.rmtree(root / "project", ignore_errors=True)
            shutil.rmtree(root / "out", ignore_errors=True)
            state = {"frame": frame, "stamp": 1, "pages": {}, "sizes": {}}
        assert state is not None
        _write_changed(root / "project", project, state["stamp"])
        entries = SearchEntries(state["pages"])
        run_mkdocs(
            root / "project" / "mkdocs.yml",
            root / "out",
            dirty=not clean,
            plugins={"archsmith/search-entries": entries},
        )
        stamp = max(int(time.time()), state["stamp"] + 2)
        sizes = _stamp_output(root / "out", stamp)
        tree = collect(root / "out")
        new_state = {
            "version": STATE_VERSION,
            "key": key,
            "frame": frame,
            "stamp": stamp,
            "pages": entries.pages,
            "sizes": sizes,
        }
        temp = state_file.with_suffix(".tmp")
        # No sort_keys: the key order of search entries is part of the index bytes.
        temp.write_text(json.dumps(new_state), encoding="utf-8")
        temp.replace(state_file)
        return tree


def _read_state(path: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return None
    return state


def _frame(project: dict[str, bytes]) -> str:
    """What a page's HTML depends on besides its own source: the file list and the bytes
    of everything outside docs/ (mkdocs.yml with the nav, theme overrides). Code and
    library versions are not here: the workspace folder is named by them (build.py)."""
    digest = hashlib.sha256()
    for name in sorted(project):
        digest.update(name.encode() + b"\0")
        if not name.startswith("docs/"):
            digest.update(hashlib.sha256(project[name]).digest())
    return digest.hexdigest()


def _intact(out: Path, state: dict[str, Any]) -> bool:
    """The output is what the last build left: the same files, sizes and stamp.

    Why not a hash: reading and hashing the whole site costs as much as the pages we
    skip; a file that was edited, truncated or replaced changes its size or mtime.
    """
    sizes: dict[str, int] = state["sizes"]
    found = 0
    for path in out.rglob("*"):
        if path.is_file():
            found += 1
            info = path.stat()
            name = path.relative_to(out).as_posix()
            if sizes.get(name) != info.st_size or int(info.st_mtime) != state["stamp"]:
                return False
    return found == len(sizes) > 0


def _write_changed(project: Path, files: dict[str, bytes], stamp: int) -> None:
    """Write files whose bytes differ; stamp them newer than the output, the rest older.

    The file list is part of the frame, so no file here needs to be removed.
    """
    for name, content in files.items():
        path = project / name
        try:
            same = path.read_bytes() == content
        except OSError:
            same = False
        if not same:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        when = 0 if same else stamp + 1
        os.utime(path, (when, when))


def _stamp_output(out: Path, stamp: int) -> dict[str, int]:
    """Give every output file the same mtime; return their sizes for _intact."""
    sizes: dict[str, int] = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            os.utime(path, (stamp, stamp))
            sizes[path.relative_to(out).as_posix()] = path.stat().st_size
    return sizes
