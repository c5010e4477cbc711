"""May archsmith write into this folder? Checked before any work, refused with one line.

Why so strict: a build replaces what it wrote there before. `--out .`, `--out specs`
or `--out docs` once deleted a repository, its specs or hand-written pages. Now a folder
is archsmith's only when it is new, empty, or carries the manifest of an earlier build
(manifest.py); everything else, and every folder that holds the specs, a repository, the
home folder or the file-system root, is refused. Symlinks are judged by where they point.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.diagnostics import UsageError
from generator.manifest import MANIFEST, STAGING_PREFIX, read_manifest

REPOSITORY_MARKERS = (".git", ".hg", ".svn", ".bzr")
_SUGGESTION = "choose a new or empty folder of its own, e.g. --out build"


def check_output_folder(
    out: Path,
    *,
    inputs: Sequence[Path] = (),
    ignore: Iterable[Path] = (),
    writing: bool = True,
) -> Path:
    """The resolved output folder, or UsageError saying why archsmith may not use it.

    `inputs` are the paths named on the command line (folders are searched for specs,
    so this runs before the search); `ignore` lists archsmith's own paths that may
    already sit in the folder (the cache). With `writing=False` (`build --check`) a folder of
    someone else's files is only read, so it is not refused for being theirs.
    """
    shown = str(out)
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise UsageError(
            shown, "out-not-folder", "the output path is a file, not a folder", _SUGGESTION
        )
    home = Path.home().resolve()
    if target == Path(target.anchor):
        raise UsageError(
            shown, "out-too-wide", "the output folder is the file-system root", _SUGGESTION
        )
    if home.is_relative_to(target):
        raise UsageError(
            shown, "out-too-wide", "the output folder is or holds your home folder", _SUGGESTION
        )
    check_specs_outside(out, [path for path in inputs if not path.is_dir()])
    for folder in (path for path in inputs if path.is_dir()):
        searched = folder.resolve()
        if searched.is_relative_to(target):
            raise UsageError(
                shown,
                "out-holds-spec",
                f"the output folder holds the spec folder {folder}",
                _SUGGESTION,
            )
        if target.is_relative_to(searched):
            raise UsageError(
                shown,
                "out-in-spec-folder",
                f"the output folder lies inside the spec folder {folder}, which is searched for specs",
                "choose a folder outside it, e.g. --out build beside the spec folder",
            )
    if target.is_dir() and writing:
        _check_ownership(shown, target, {path.resolve() for path in ignore})
    return target


def check_specs_outside(out: Path, specs: Sequence[Path]) -> None:
    """Refuse an output folder that holds one of the specs found (or named)."""
    target = out.resolve()
    for spec in specs:
        if spec.resolve().is_relative_to(target):
            raise UsageError(
                str(out),
                "out-holds-spec",
                f"the output folder holds the input spec {spec}, and a build replaces what is in it",
                _SUGGESTION,
            )


def _check_ownership(shown: str, target: Path, ignore: set[Path]) -> None:
    for marker in REPOSITORY_MARKERS:
        if (target / marker).exists():
            raise UsageError(
                shown,
                "out-holds-repository",
                f"the output folder holds a repository ({marker})",
                _SUGGESTION,
            )
    if read_manifest(target) is not None:
        return
    in_the_way = sorted(
        entry.name
        for entry in target.iterdir()
        if entry not in ignore and not entry.name.startswith(STAGING_PREFIX)
    )
    if in_the_way:
        raise UsageError(
            shown,
            "out-not-empty",
            f"the output folder is not empty and was not written by archsmith "
            f"({in_the_way[0]} is in the way; archsmith's folders carry {MANIFEST})",
            _SUGGESTION,
        )
