"""The only writer: a build's files replace the previous build's, and nothing else.

Why staged, then renamed: a build that fails halfway (bad spec, missing `dot`, Ctrl-C)
must leave the previous output exactly as it was, so CI never publishes a half-written
site. Every file is first written to a staging folder inside the output folder (the same
file system, so each rename is atomic); only then are the previous build's stale files
removed and the new ones renamed into place, with Ctrl-C held back for those
milliseconds. The manifest (manifest.py) is written before that step listing old and
new files, and after it listing the new ones, so even a killed build leaves every file
archsmith may have written on record for the next build to clean up.

Why files nobody else wrote are safe: only names in the previous manifest are removed
or replaced. A file of someone else's at a path a build wants is refused, not replaced;
so are symlinks inside the folder, which would let a write land somewhere else.
Files and folders are created with the process's umask, like any build tool's.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from types import FrameType

from generator.diagnostics import ToolError, UsageError
from generator.manifest import (
    MANIFEST,
    STAGING_PREFIX,
    UnsafePath,
    manifest_bytes,
    read_manifest,
    safe_relative,
)
from generator.output_guard import check_output_folder

__all__ = ["UnsafePath", "diff_trees", "read_tree", "safe_relative", "write_tree"]


def write_tree(out_dir: Path, files: Mapping[str, bytes], *, ignore: Iterable[Path] = ()) -> None:
    """Make `files` (relative POSIX path -> bytes) the content archsmith owns in `out_dir`."""
    out = check_output_folder(out_dir, ignore=ignore)
    paths = {name: safe_relative(name) for name in files}
    previous = read_manifest(out) or frozenset()
    _check_in_the_way(out, paths, previous, str(out_dir))
    try:
        _write(out, files, paths, previous)
    except OSError as error:
        where = error.filename or out
        raise ToolError(
            f"cannot write the output to {where}: {error.strerror or error}; "
            "the previous output is unchanged unless the failure came while renaming files in"
        ) from error


def _write(
    out: Path,
    files: Mapping[str, bytes],
    paths: Mapping[str, PurePosixPath],
    previous: frozenset[str],
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(out)
    staging = out / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
    staging.mkdir()
    try:
        changed = []
        for name in sorted(files):
            if name in previous and _holds(out.joinpath(*paths[name].parts), files[name]):
                continue  # same bytes: keep the file and its mtime (rsync, web caches)
            staged = staging.joinpath(*paths[name].parts)
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(files[name])
            changed.append(name)
        _write_manifest(out, previous | set(files))
        with _interrupts_held():
            for name in sorted(previous - set(files)):
                _remove(out, safe_relative(name))
            for name in changed:
                target = out.joinpath(*paths[name].parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                staging.joinpath(*paths[name].parts).replace(target)
            _write_manifest(out, frozenset(files))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_tree(out_dir: Path) -> dict[str, bytes]:
    """The files archsmith owns in an output folder (per its manifest), for `build --check`."""
    if not out_dir.is_dir():
        return {}
    out = out_dir.resolve()
    found: dict[str, bytes] = {}
    for name in sorted(read_manifest(out) or ()):
        path = out.joinpath(*safe_relative(name).parts)
        if path.is_file() and not path.is_symlink():
            found[name] = path.read_bytes()
    return found


def diff_trees(
    expected: Mapping[str, bytes], actual: Mapping[str, bytes]
) -> tuple[list[str], list[str], list[str]]:
    """(stale, missing, extra) file names."""
    stale = sorted(n for n in expected if n in actual and actual[n] != expected[n])
    missing = sorted(n for n in expected if n not in actual)
    extra = sorted(n for n in actual if n not in expected)
    return stale, missing, extra


def _check_in_the_way(
    out: Path, paths: Mapping[str, PurePosixPath], previous: frozenset[str], shown: str
) -> None:
    """Refuse, before anything is written, a path that is not archsmith's to replace."""
    if not out.is_dir():
        return
    checked: set[PurePosixPath] = set()
    for name, rel in paths.items():
        for depth in range(1, len(rel.parts) + 1):
            step = PurePosixPath(*rel.parts[:depth])
            if step in checked:
                continue
            checked.add(step)
            path = out.joinpath(*step.parts)
            if path.is_symlink():
                raise UsageError(
                    f"{shown}/{step}",
                    "out-link",
                    "a symbolic link sits where archsmith writes its output",
                    "remove the link or choose another output folder",
                )
            if not path.exists():
                break
            is_last = depth == len(rel.parts)
            if path.is_dir() and not is_last:
                continue
            if path.is_dir():  # a folder where a file goes: ours only if we drop all of it
                ours = any(path.iterdir()) and _only_stale(path, out, previous, paths)
            else:
                ours = step.as_posix() in previous
            if not ours:
                raise UsageError(
                    f"{shown}/{step}",
                    "out-in-the-way",
                    f"archsmith would write {name} here, but this was not written by archsmith",
                    "move it away or choose another output folder",
                )
            if not is_last:
                break  # a previous file of ours where a folder goes now: removed as stale


def _only_stale(
    folder: Path, out: Path, previous: frozenset[str], paths: Mapping[str, PurePosixPath]
) -> bool:
    """Whether every file under `folder` is a previous-build file this build drops."""
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            continue
        name = path.relative_to(out).as_posix()
        if name not in previous or name in paths:
            return False
    return True


def _holds(path: Path, content: bytes) -> bool:
    try:
        return (
            not path.is_symlink()
            and path.stat().st_size == len(content)
            and (path.read_bytes() == content)
        )
    except OSError:
        return False


def _remove(out: Path, rel: PurePosixPath) -> None:
    """Remove a file of the previous build, then the folders it leaves empty."""
    path = out.joinpath(*rel.parts)
    if path.is_dir() and not path.is_symlink():
        return  # never ours as a file; its files are in the manifest themselves
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == out:
            break
        try:
            parent.rmdir()
        except OSError:
            break  # not empty: it holds other files, ours or someone else's


def _write_manifest(out: Path, files: frozenset[str]) -> None:
    temp = out / f"{STAGING_PREFIX}{secrets.token_hex(6)}.json"
    temp.write_bytes(manifest_bytes(files))
    temp.replace(out / MANIFEST)


def _remove_abandoned_staging(out: Path) -> None:
    """Staging left by a killed build (its name says it is archsmith's)."""
    for entry in out.iterdir():
        if entry.name.startswith(STAGING_PREFIX):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C while stale files go and new ones are renamed in, then deliver it.

    Why: that step is only renames and takes milliseconds; stopping in the middle of it
    is the one way left to get a half-old, half-new output folder.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
