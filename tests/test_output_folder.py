"""Never lose a user's files: what `--out` refuses, and what a build may touch.

Every refusal is checked with a listing of the whole folder before and after: exit 2,
one line, nothing touched. A build replaces or removes only the files of its manifest.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.artifacts import read_tree, write_tree
from generator.cli import main
from generator.diagnostics import UsageError
from generator.manifest import MANIFEST
from tests.helpers import MINIMAL

Listing = dict[str, bytes | str]


def listing(root: Path) -> Listing:
    """Every file, link and folder below `root` with its bytes, link target or 'dir'."""
    found: Listing = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = f"-> {path.readlink()}"
        elif path.is_dir():
            found[name] = "dir"
        else:
            found[name] = path.read_bytes()
    return found


@pytest.fixture
def project(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A repository with a spec, a spec folder, hand-written docs and notes; cwd is its root."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "system.yaml").write_text(MINIMAL)
    (root / "specs").mkdir()
    (root / "specs" / "demo.yaml").write_text(MINIMAL.replace("Demo", "Other"))
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Hand-written\n")
    (root / "notes.txt").write_text("mine\n")
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    yield root


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a build that must be refused; return its one line of explanation."""
    capsys.readouterr()
    assert main(["build", *args, "--no-cache", "--quiet"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    return lines[0]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["system.yaml", "--out", "."], "out-holds-spec"),
        (["specs", "--out", "specs"], "out-holds-spec"),
        (["specs", "--out", ".."], "out-holds-spec"),
        (["specs/demo.yaml", "--out", "specs"], "out-holds-spec"),
        (["specs", "--out", "specs/build"], "out-in-spec-folder"),
        (["system.yaml", "--out", "docs"], "out-not-empty"),
        (["system.yaml", "--out", "notes.txt"], "out-not-folder"),
        (["system.yaml", "--out", "/"], "out-too-wide"),
    ],
)
def test_refused_output_folders_touch_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: str
) -> None:
    before = listing(project.parent)
    line = refused(capsys, *args)
    assert line.startswith(f"{args[2]}: error[{code}]: "), line
    assert "; " in line  # says how to fix it
    assert listing(project.parent) == before


def test_a_folder_holding_a_repository_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "other" / ".hg").mkdir(parents=True)
    (project / "other" / MANIFEST).write_text('{"tool": "archsmith", "files": []}')
    before = listing(project)
    assert "error[out-holds-repository]" in refused(capsys, "system.yaml", "--out", "other")
    assert listing(project) == before


def test_the_home_folder_and_its_parents_are_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = Path(os.environ["HOME"])
    assert "error[out-too-wide]" in refused(capsys, "system.yaml", "--out", str(home))
    assert "error[out-too-wide]" in refused(capsys, "system.yaml", "--out", str(home.parent))


def test_symlinks_are_judged_by_where_they_point(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "to-docs").symlink_to(project / "docs")
    (project / "to-specs").symlink_to(project / "specs")
    (project / "to-notes").symlink_to(project / "notes.txt")
    before = listing(project.parent)
    assert "error[out-not-empty]" in refused(capsys, "system.yaml", "--out", "to-docs")
    assert "error[out-holds-spec]" in refused(capsys, "specs", "--out", "to-specs")
    assert "error[out-not-folder]" in refused(capsys, "system.yaml", "--out", "to-notes")
    assert listing(project.parent) == before


def test_the_message_names_the_file_in_the_way(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused(capsys, "system.yaml", "--out", "docs")
    assert "index.md is in the way" in line and "--out build" in line


def test_a_build_keeps_files_someone_added_and_removes_only_its_own(project: Path) -> None:
    assert main(["build", "system.yaml", "--out", "build", "--no-cache", "--quiet"]) == 0
    (project / "build" / "CNAME").write_text("docs.example.com\n")
    (project / "build" / "demo" / "notes.md").write_text("kept\n")
    (project / "build" / "site" / "extra.html").write_text("<p>kept</p>\n")
    first = read_tree(project / "build")
    (project / "system.yaml").write_text(
        MINIMAL.replace("name: Demo", "name: Demo\n  slug: renamed")
    )
    everything_else = {
        name: content for name, content in listing(project).items() if not name.startswith("build/")
    }
    assert main(["build", "system.yaml", "--out", "build", "--no-cache", "--quiet"]) == 0
    after = listing(project)
    assert after["build/CNAME"] == b"docs.example.com\n"
    assert after["build/demo/notes.md"] == b"kept\n"
    assert after["build/site/extra.html"] == b"<p>kept</p>\n"
    # The old slug's files are gone, the folder stays because it holds someone's file.
    assert [n for n in after if n.startswith("build/demo/")] == ["build/demo/notes.md"]
    assert "build/renamed/openapi.yaml" in after
    assert {n: c for n, c in after.items() if not n.startswith("build/")} == everything_else
    second = read_tree(project / "build")
    assert set(second) != set(first) and not any(n.startswith("demo/") for n in second)


def test_a_file_of_someone_else_where_archsmith_writes_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "system.yaml", "--out", "build", "--no-cache", "--quiet"]) == 0
    (project / "build" / "demo" / "openapi.yaml").unlink()
    (project / "build" / "demo" / "openapi.yaml").mkdir()
    (project / "build" / "demo" / "openapi.yaml" / "mine.txt").write_text("mine\n")
    before = listing(project)
    line = refused(capsys, "system.yaml", "--out", "build")
    assert line.startswith("build/demo/openapi.yaml: error[out-in-the-way]")
    assert listing(project) == before


def test_a_symlink_inside_the_output_folder_is_never_written_through(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "system.yaml", "--out", "build", "--no-cache", "--quiet"]) == 0
    shutil.rmtree(project / "build" / "demo")
    (project / "build" / "demo").symlink_to(project / "docs")
    before = listing(project)
    assert "error[out-link]" in refused(capsys, "system.yaml", "--out", "build")
    assert listing(project) == before


def test_modes_follow_the_umask(project: Path) -> None:
    old = os.umask(0o022)
    try:
        assert main(["build", "system.yaml", "--out", "build", "--no-cache", "--quiet"]) == 0
    finally:
        os.umask(old)
    for path in [project / "build", *(project / "build").rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), (path, oct(mode))


def test_the_cache_sits_beside_the_output_but_never_above_the_working_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "system.yaml", "--out", "build", "--verbose"]) == 0
    assert f"cache: {project / '.archsmith-cache'}" in capsys.readouterr().out
    (project / "work").mkdir()
    os.chdir(project / "work")
    assert main(["build", "../system.yaml", "--out", "../elsewhere", "--verbose"]) == 0
    assert f"cache: {project / 'work' / '.archsmith-cache'}" in capsys.readouterr().out
    assert not (project.parent / ".archsmith-cache").exists()


def test_unchanged_files_are_not_rewritten(project: Path) -> None:
    assert main(["build", "system.yaml", "--out", "build", "--quiet"]) == 0
    design = project / "build" / "demo" / "design.md"
    os.utime(design, (1_000_000, 1_000_000))
    assert main(["build", "system.yaml", "--out", "build", "--quiet"]) == 0
    assert design.stat().st_mtime == 1_000_000


def test_an_interrupted_write_leaves_the_previous_output_and_no_staging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(out, {"a.txt": b"old", "b/c.txt": b"old"})
    before = listing(out)
    real = Path.write_bytes

    def fail_on_third(self: Path, data: bytes) -> int:  # type: ignore[override]
        if self.name == "n2.txt":
            raise KeyboardInterrupt
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", fail_on_third)
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, {f"n{i}.txt": b"new" for i in range(5)})
    monkeypatch.undo()
    assert listing(out) == before


def test_a_manifest_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, {"a.txt": b"old"})
    (out / MANIFEST).write_text("{not json")
    with pytest.raises(UsageError) as caught:
        write_tree(out, {"a.txt": b"new"})
    assert caught.value.code == "out-manifest"
    assert (out / "a.txt").read_bytes() == b"old"
