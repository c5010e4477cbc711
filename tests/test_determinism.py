"""Two builds of the same specs — other folder, other hash seed — are byte-identical."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.artifacts import read_tree
from tests.helpers import ROOT


def build_in(workdir: Path, seed: str) -> dict[str, bytes]:
    shutil.copytree(ROOT / "specs", workdir / "specs")
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "specs", "--out", "out"],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
    )
    return read_tree(workdir / "out")


def test_builds_are_byte_identical_across_folders_and_hash_seeds(tmp_path: Path) -> None:
    first = build_in(tmp_path / "a", "1")
    second = build_in(tmp_path / "elsewhere" / "b", "4242")
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert any(name.endswith(".png") for name in first) and any(
        name.endswith("design.md") for name in first
    )


def test_output_has_no_absolute_paths_hosts_or_timestamps(tmp_path: Path) -> None:
    tree = build_in(tmp_path / "w", "0")
    text_files = {n: c.decode() for n, c in tree.items() if not n.endswith((".png", ".gz"))}
    for name, text in text_files.items():
        assert str(tmp_path) not in text, name
        assert str(ROOT) not in text, name
        assert "site-packages" not in text, name
        assert re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", text) is None or name.endswith(".yaml"), (
            name
        )
