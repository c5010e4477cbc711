"""A wheel built from the repo carries its templates and builds a spec from a fresh venv."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.helpers import ROOT


def test_wheel_installs_and_builds_outside_the_repo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("archsmith-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # Dependencies come from this environment's site-packages (no network); the package
    # itself only from the wheel. A plain path in a .pth file does not run the editable
    # install's finder, so the checkout cannot leak in.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)], check=True
    )
    spec = tmp_path / "work" / "shop.yaml"
    spec.parent.mkdir()
    spec.write_text((ROOT / "specs" / "shop.yaml").read_text())
    result = subprocess.run(
        [str(venv / "bin" / "archsmith"), "build", "shop.yaml", "--out", "out"],
        cwd=spec.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    located = subprocess.run(
        [str(python), "-c", "import generator; print(generator.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in located
    assert "## 1. Executive Summary" in (spec.parent / "out" / "shop" / "design.md").read_text()
