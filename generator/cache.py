"""A content-addressed cache of rendered artifacts: unchanged specs skip their emitters.

Why the key covers more than the spec: an artifact is a function of the spec bytes, the
name the spec is shown under (design.md prints it), the code and templates that render
it, the site project, the library versions and `dot`. Any of those changing gives a new
key, so an entry is never stale, only unused; old entries are pruned by age.

Why entries carry their own length table and sha256: an entry is written to a temporary
file and renamed into place, but a crash, a full disk or a stray editor can still leave a
truncated or altered file. Such an entry fails verification and counts as a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from generator import __version__

MAGIC = b"archsmith-cache 1\n"
SPEC_ENTRIES = "specs"
SITE_WORKSPACES = "site"  # one MkDocs workspace per environment (site_workspace.py)
# Per kind, how many entries survive pruning (newest first); many specs may share a cache.
KEEP = {SPEC_ENTRIES: 256}
_STALE_TEMP_SECONDS = 3600  # a temp file this old belongs to a killed process

# Libraries whose output lands in artifacts or the site; their versions are part of the key.
_LIBRARIES = (
    "diagrams",
    "inflection",
    "jinja2",
    "markdown",
    "markdown-callouts",
    "mkdocs",
    "mkdocs-material",
    "mkdocs-swagger-ui-tag",
    "pydantic",
    "pygments",
    "pymdown-extensions",
    "pyyaml",
    "ruamel.yaml",
    "sqlalchemy",
)


def default_cache_dir(out_dir: Path) -> Path:
    """`.archsmith-cache/` beside the output folder (so `rm -rf build` keeps it), except
    where that is the working folder's parent or above, the home folder or the root:
    then in the working folder, inside the project the user is in."""
    beside = out_dir.resolve().parent
    here = Path.cwd().resolve()
    too_high = here.is_relative_to(beside) and beside != here
    if too_high or beside == Path.home().resolve() or beside == Path(beside.anchor):
        return here / ".archsmith-cache"
    return beside / ".archsmith-cache"


def dot_version() -> str:
    """`dot -V` (printed on stderr), or "missing": a missing dot must miss, then fail loudly."""
    dot = shutil.which("dot")
    if dot is None:
        return "missing"
    done = subprocess.run([dot, "-V"], capture_output=True, check=False)
    return (done.stdout + done.stderr).decode(errors="replace").strip()


def tree_digest(root: Path) -> str:
    """sha256 over every file's relative path and bytes below `root` (bytecode excluded)."""
    digest = hashlib.sha256()
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def environment_key(inputs: Iterable[Path]) -> str:
    """Everything besides the spec that decides the output: version, code, input folders,
    library versions, Python and `dot`.

    Why the package's own source is hashed too: in a checkout the version string stays
    0.1.0 while emitters change, and a cache that outlived an emitter fix would be wrong.
    """
    digest = hashlib.sha256()
    parts = [f"archsmith {__version__}", f"python {sys.version}", f"dot {dot_version()}"]
    parts.append(f"code {tree_digest(Path(__file__).parent)}")
    parts.extend(f"input {tree_digest(path)}" for path in inputs)
    for name in _LIBRARIES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} none")
    digest.update("\n".join(parts).encode())
    return digest.hexdigest()


def spec_key(environment: str, display: str, content_hash: str) -> str:
    return _hash("spec", environment, display, content_hash)


def files_digest(files: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class Cache:
    """Entries of `name -> bytes` mappings under `root/<kind>/<key>`.

    `writable=False` serves `build --check`, which must not write anywhere.
    """

    def __init__(self, root: Path, *, writable: bool = True) -> None:
        self.root = root
        self.writable = writable

    def get(self, kind: str, key: str) -> dict[str, bytes] | None:
        path = self.root / kind / key
        try:
            data = path.read_bytes()
        except OSError:
            return None
        files = decode(data)
        if files is None:
            self._discard(path)  # corrupt: rewritten on this build
        else:
            with contextlib.suppress(OSError):
                os.utime(path)  # pruning keeps the most recently used entries
        return files

    def put(self, kind: str, key: str, files: Mapping[str, bytes]) -> None:
        """Write an entry atomically; raises OSError (the caller decides it is only a warning)."""
        if not self.writable:
            return
        folder = self.root / kind
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(encode(files))
            temp.replace(folder / key)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def workspace(self, environment: str) -> Path:
        """Where the website is built incrementally, for code and libraries as they are."""
        return self.root / SITE_WORKSPACES / environment[:16]

    def prune(self, *, workspace: Path | None = None) -> None:
        """Drop all but the newest KEEP entries per kind, temp files of killed builds, and
        site workspaces other than `workspace` (they belong to older code or libraries)."""
        if not self.writable:
            return
        from generator.workspace_lock import remove

        folder = self.root / SITE_WORKSPACES
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path != workspace:
                remove(path)
        now = time.time()
        for kind, keep in KEEP.items():
            folder = self.root / kind
            if not folder.is_dir():
                continue
            entries: list[tuple[float, Path]] = []
            for path in folder.iterdir():
                try:
                    mtime = path.stat().st_mtime
                except OSError:
                    continue  # removed concurrently
                if path.name.startswith(".tmp-"):
                    if now - mtime > _STALE_TEMP_SECONDS:
                        self._discard(path)
                else:
                    entries.append((mtime, path))
            for _, path in sorted(entries, reverse=True)[keep:]:
                self._discard(path)

    def _discard(self, path: Path) -> None:
        if self.writable:
            with contextlib.suppress(OSError):
                path.unlink()


def encode(files: Mapping[str, bytes]) -> bytes:
    """MAGIC, one JSON line `{"files": [[name, size], ...], "sha256": ...}`, the bytes."""
    names = sorted(files)
    payload = b"".join(files[name] for name in names)
    header = {
        "files": [[name, len(files[name])] for name in names],
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    return MAGIC + json.dumps(header, separators=(",", ":")).encode() + b"\n" + payload


def decode(data: bytes) -> dict[str, bytes] | None:
    """The files of an entry, or None for anything truncated, altered or not an entry."""
    if not data.startswith(MAGIC):
        return None
    line_end = data.find(b"\n", len(MAGIC))
    if line_end < 0:
        return None
    try:
        header = json.loads(data[len(MAGIC) : line_end])
        table = [(str(name), int(size)) for name, size in header["files"]]
        expected = str(header["sha256"])
    except (ValueError, KeyError, TypeError):
        return None
    payload = data[line_end + 1 :]
    if sum(size for _, size in table) != len(payload) or any(size < 0 for _, size in table):
        return None
    if hashlib.sha256(payload).hexdigest() != expected:
        return None
    files: dict[str, bytes] = {}
    offset = 0
    for name, size in table:
        files[name] = payload[offset : offset + size]
        offset += size
    return files


def site_key(spec_keys: list[str], artifacts: list[Mapping[str, bytes]]) -> str:
    """The site depends on every spec, in order, and on what each one rendered."""
    return _hash(
        "site", *(f"{k} {files_digest(f)}" for k, f in zip(spec_keys, artifacts, strict=True))
    )
