"""The archsmith command: exit codes, one line per problem, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.helpers import EXAMPLES, ROOT


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        check=False,
    )


def test_bad_spec_exit_2_one_line_per_problem_nothing_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "system:\n  name: X\nentities:\n  Foo:\n    fields:\n      a: money\n      b: {type: enum}\n"
    )
    out = tmp_path / "out"
    result = run("build", str(bad), "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith(
        "bad.yaml:6:10: error[invalid-value]: 'money' is not a valid 'entities.Foo.fields.a.type'; use one of string, text, integer, bigint, decimal, float, boolean, date, datetime, uuid, email, url, json, enum; did you mean 'decimal'?"
    )
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text((ROOT / "specs" / "shop.yaml").read_text())
    out = tmp_path / "out"
    assert main(["build", str(good), "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    good.write_text(good.read_text().replace("type: email", "type: e-mail"))
    assert main(["build", str(good), "--out", str(out)]) == 2
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before == after
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [
        ".archsmith-cache"
    ]  # no staging left over; the cache lives next to the output


def test_check_command(tmp_path: Path) -> None:
    result = run("check")
    assert result.returncode == 0
    assert all(f"ok specs/{p.name}" in result.stdout for p in EXAMPLES)


def test_init_writes_a_starter_that_builds(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "new")]) == 0
    assert main(["build", str(tmp_path / "new"), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "bookings" / "design.md").is_file()
    assert main(["init", str(tmp_path / "new")]) == 2  # never overwrites


def test_build_check_detects_drift(tmp_path: Path) -> None:
    spec_file = tmp_path / "s.yaml"
    spec_file.write_text((ROOT / "specs" / "inkwell.yaml").read_text())
    out = tmp_path / "out"
    assert main(["build", str(spec_file), "--out", str(out)]) == 0
    assert main(["build", str(spec_file), "--out", str(out), "--check"]) == 0
    spec_file.write_text(spec_file.read_text().replace("version: 0.9.0", "version: 0.9.1"))
    assert main(["build", str(spec_file), "--out", str(out), "--check"]) == 1


def test_build_flags_are_documented_and_exclusive() -> None:
    result = run("build", "--help")
    for flag in ("--cache", "--no-cache", "--quiet", "--verbose", "--timings", "--check"):
        assert flag in result.stdout
    assert run("build", "--quiet", "--verbose").returncode == 2
    assert run("build", "--cache", "x", "--no-cache").returncode == 2
    assert "--port" in run("serve", "--help").stdout


def test_a_failing_template_is_one_line_naming_archsmiths_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import jinja2

    from generator.emitters import design_doc

    def broken(*args: object) -> str:
        raise jinja2.UndefinedError("'system' is undefined")

    monkeypatch.setattr(design_doc, "render_design", broken)
    spec_file = tmp_path / "s.yaml"
    spec_file.write_text((ROOT / "specs" / "inkwell.yaml").read_text())
    out = tmp_path / "out"
    assert main(["build", str(spec_file), "--out", str(out), "--no-cache", "--quiet"]) == 3
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("archsmith: error: while rendering the artifacts, a template failed")
    assert "bug in archsmith" in line and "Traceback" not in line
    assert not out.exists()
