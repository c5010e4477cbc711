"""`archsmith diff` from the command line: two files, a git revision, --out, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import ROOT

DROPPED = "      placed_at: {type: datetime, nullable: true, access: server-set}\n"


def test_two_files_report_the_coupled_breaking_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = ROOT / "specs" / "shop.yaml"
    new = tmp_path / "shop.yaml"
    text = old.read_text()
    assert DROPPED in text
    new.write_text(text.replace(DROPPED, ""))
    assert main(["diff", str(old), str(new), "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert "breaking[coupled.exposed-column-dropped]" in out and "[destructive]" in out
    folder = tmp_path / "out" / "shop"
    assert "DROP COLUMN placed_at" in (folder / "migration.postgresql.sql").read_text()
    assert {p.name for p in folder.iterdir()} == {
        "changes.json",
        "changes.md",
        "migration.mysql.sql",
        "migration.postgresql.sql",
        "migration.sqlite.sql",
    }
    changes = json.loads((folder / "changes.json").read_text())
    assert changes  # the report a pull-request bot reads
    assert main(["diff", str(old), str(new), "--fail-on", "none"]) == 0


def test_a_base_revision_is_compared_spec_by_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is needed")
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    shutil.copy(ROOT / "specs" / "shop.yaml", repo / "specs" / "shop.yaml")
    (repo / "specs" / "docker-compose.yml").write_text("services: {db: {image: x}}\n")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "0")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "-m", "1")
    spec = repo / "specs" / "shop.yaml"
    spec.write_text(spec.read_text().replace(DROPPED, ""))
    monkeypatch.chdir(repo)
    assert main(["diff", "--base", "HEAD", "--format", "markdown"]) == 1
    markdown = capsys.readouterr().out
    assert "### shop" in markdown and "orders.placed\\_at" in markdown
    assert main(["diff", "--base", "HEAD~1", "--format", "json"]) == 0  # the spec is new
    assert json.loads(capsys.readouterr().out)
    assert main(["diff", "--base", "no-such-rev"]) == 2
    assert "error[git]" in capsys.readouterr().err


def test_bad_invocations_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(ROOT / "specs" / "shop.yaml")]) == 2
    assert "name two specs" in capsys.readouterr().err
