"""Finding specs: nested folders in a stable order, other YAML files skipped, named files
always read, an empty folder one clear line, `init` then a bare `build`."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.discovery import discover, is_spec
from tests.helpers import MINIMAL

COMPOSE = "services:\n  db:\n    image: postgres:16\nvolumes: {}\n"


def spec_named(name: str, slug: str | None = None) -> str:
    text = MINIMAL.replace("name: Demo", f"name: {name}")
    return text.replace(f"name: {name}", f"name: {name}\n  slug: {slug}") if slug else text


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    root = tmp_path / "specs"
    for team, system in (("payments", "ledger"), ("identity", "accounts"), ("payments", "cards")):
        (root / team).mkdir(parents=True, exist_ok=True)
        (root / team / f"{system}.yaml").write_text(spec_named(system.capitalize()))
    (root / "docker-compose.yml").write_text(COMPOSE)
    (root / ".pre-commit-config.yaml").write_text("repos: []\n")
    (root / "identity" / "ci.yaml").write_text("on: [push]\njobs: {}\n")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "stray.yaml").write_text(MINIMAL)
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "node_modules" / "pkg" / "x.yaml").write_text(MINIMAL)
    return root


def test_nested_specs_are_found_in_a_stable_order_and_other_yaml_is_skipped(
    monorepo: Path,
) -> None:
    found = [p.relative_to(monorepo).as_posix() for p in discover([monorepo])]
    assert found == ["identity/accounts.yaml", "payments/cards.yaml", "payments/ledger.yaml"]


def test_a_nested_layout_with_other_yaml_builds(
    monorepo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "build"
    assert main(["build", str(monorepo), "--out", str(out), "--no-cache"]) == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "accounts",
        "cards",
        "ledger",
        "site",
    ]
    assert "error" not in capsys.readouterr().err


def test_a_file_named_on_the_command_line_is_always_a_spec(tmp_path: Path) -> None:
    compose = tmp_path / "docker-compose.yml"
    compose.write_text(COMPOSE)
    assert not is_spec(compose)
    assert discover([compose]) == [compose]
    assert main(["check", str(compose)]) == 2  # read as a spec, so its problems are reported


def test_a_spec_missing_its_system_key_is_still_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "broken.yaml").write_text(MINIMAL.replace("system:\n  name: Demo\n", ""))
    assert main(["check", str(tmp_path / "specs")]) == 2
    assert "broken.yaml:1:1: error[" in capsys.readouterr().err


def test_a_folder_without_specs_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "specs"
    empty.mkdir()
    (empty / "docker-compose.yml").write_text(COMPOSE)
    for command in ("build", "check", "lint"):
        assert main([command, str(empty)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [
            f"{empty}/: error[no-spec]: no archsmith spec found (a .yaml or .yml file with a "
            "top-level 'system:' key); run 'archsmith init' to write one, or name a spec file"
        ]
    assert not (tmp_path / "build").exists()


def test_a_path_that_does_not_exist_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith(
            "error[no-such-path]: no such file or folder; name a spec file or a folder of specs"
        )
    )


def test_the_same_slug_in_two_folders_is_an_error_on_the_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for team in ("a", "b"):
        (tmp_path / "specs" / team).mkdir(parents=True)
        (tmp_path / "specs" / team / "svc.yaml").write_text(spec_named("Svc", slug="svc"))
    assert main(["check", str(tmp_path / "specs")]) == 2
    [line] = [x for x in capsys.readouterr().err.splitlines() if "error[" in x]
    assert "specs/b/svc.yaml:3:3: error[duplicate-slug]" in line and "specs/a/svc.yaml" in line


def test_init_then_a_bare_build_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert "next: archsmith build\n" in capsys.readouterr().out
    assert (tmp_path / "specs" / "system.yaml").is_file()
    assert main(["build", "--quiet"]) == 0
    assert (tmp_path / "build" / "bookings" / "design.md").is_file()
    assert main(["init"]) == 2  # never overwrites
