"""Errors reach CI tools: a broken spec beside valid ones gives every machine format its
located error and the others' findings; several reports in one run; paths relative to
the repository root."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from generator.cli import main
from tests.helpers import ROOT

SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "lint" / "sarif-schema-2.1.0.json"
TYPO = "    fields:\n      email: {type: email, unique: true, pii: true"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose specs/ holds two valid examples and one with an unknown key;
    the working folder is a sub-folder, as with a `working-directory` in a workflow."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    specs = root / "specs"
    specs.mkdir()
    shutil.copy(ROOT / "specs" / "shop.yaml", specs / "shop.yaml")
    shutil.copy(ROOT / "specs" / "inkwell.yaml", specs / "inkwell.yaml")
    broken = (ROOT / "specs" / "inkwell.yaml").read_text().replace("slug: inkwell", "slug: broken")
    broken = broken.replace("  description:", "  descripton:", 1)
    (specs / "broken.yaml").write_text(broken)
    (root / "tools").mkdir()
    monkeypatch.chdir(root / "tools")
    return root


def broken_key(repo: Path) -> tuple[int, int]:
    lines = (repo / "specs" / "broken.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "descripton:" in text)
    return line, lines[line - 1].index("descripton") + 1


def test_sarif_holds_the_broken_specs_error_and_the_others_findings(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "../specs", "--format", "sarif", "--output", "lint.sarif"]) == 2
    log = json.loads((repo / "tools" / "lint.sarif").read_text())
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    [run] = log["runs"]
    assert run["invocations"] == [{"executionSuccessful": False}]
    errors = [r for r in run["results"] if r["ruleId"].startswith("spec/")]
    [error] = errors
    assert error["ruleId"] == "spec/unknown-key" and error["level"] == "error"
    where = error["locations"][0]["physicalLocation"]
    line, column = broken_key(repo)
    assert where["artifactLocation"]["uri"] == "specs/broken.yaml"  # from the repository root
    assert where["region"] == {"startLine": line, "startColumn": column}
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules[error["ruleIndex"]] == "spec/unknown-key"
    others = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert {"specs/shop.yaml", "specs/inkwell.yaml"} <= others
    assert capsys.readouterr().out == ""  # the report went to its file


def test_several_formats_in_one_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["lint", "../specs", "--format", "sarif", "--output", "a.sarif", "--format", "json"]
    args += ["--output", "a.json", "--format", "github"]
    assert main(args) == 2
    github = capsys.readouterr().out
    line, column = broken_key(repo)
    assert (
        f"::error file=specs/broken.yaml,line={line},col={column},title=spec/unknown-key::"
        in github
    )
    assert "file=specs/shop.yaml" in github
    data = json.loads((repo / "tools" / "a.json").read_text())
    assert [e["rule"] for e in data["errors"]] == ["spec/unknown-key"]
    assert {r["file"] for r in data["reports"]} == {"specs/shop.yaml", "specs/inkwell.yaml"}
    assert json.loads((repo / "tools" / "a.sarif").read_text())["version"] == "2.1.0"


def test_text_lists_the_error_with_the_findings(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "../specs"]) == 2
    out = capsys.readouterr().out
    line, column = broken_key(repo)
    assert f"../specs/broken.yaml:{line}:{column}: error[unknown-key]" in out
    assert out.rstrip().endswith("in 2 specs; 1 spec invalid")


def test_exit_zero_reports_and_succeeds(repo: Path) -> None:
    assert main(["lint", "../specs", "--exit-zero", "--format", "json", "--output", "r.json"]) == 0
    assert json.loads((repo / "tools" / "r.json").read_text())["errors"]


def test_bad_report_targets_are_refused_before_any_work(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (repo / "specs" / "shop.yaml").read_bytes()
    assert main(["lint", "../specs", "--format", "json", "--output", "../specs/shop.yaml"]) == 2
    assert (repo / "specs" / "shop.yaml").read_bytes() == before
    assert main(["lint", "../specs", "--format", "json", "--format", "text"]) == 2
    assert main(["lint", "../specs", "--format", "json", "--output", "a", "--output", "b"]) == 2
    err = capsys.readouterr().err
    assert "error[usage]: a report would replace a spec" in err
    assert "more than one report would go to stdout" in err
    assert "--output without a --format" in err
