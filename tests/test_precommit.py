"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real pre-commit tool.

The hook repository is a snapshot of this checkout's working tree (committed or not,
as a developer runs the test), committed in a temporary git repository, because
pre-commit installs a hook repository from a git revision. pre-commit builds its own
venv for it and pip-installs archsmith there, as it does for a user; that install is
most of the test's time, so one environment (PRE_COMMIT_HOME) serves every test here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
ARCHSMITH = Path(sys.executable).with_name("archsmith")
HOOKS = ("archsmith-check", "archsmith-lint", "archsmith-build-check")
GOOD = """\
system:
  name: Demo
entities:
  User:
    fields:
      email: {type: email, unique: true}
api:
  resources:
    users: {entity: User}
security:
  authentication: {access_token_ttl_minutes: 15, refresh_token_ttl_days: 7}
"""


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's working tree as a git repository, and the revision to pin."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in (n.decode() for n in listed if n):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is still listed
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", ".")
    git(snapshot, "commit", "-q", "-m", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path, hook_repo: tuple[Path, str]) -> Path:
    repo, rev = hook_repo
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": h} for h in HOOKS]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "demo.yaml").write_text(GOOD, encoding="utf-8")
    # Not a spec: the hooks run on the project, so it is never read as one.
    (tmp_path / "docker-compose.yml").write_text(
        "services: {web: {image: nginx}}\n", encoding="utf-8"
    )
    subprocess.run(
        [str(ARCHSMITH), "build", "--no-cache", "--quiet"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "specs and their build")
    return tmp_path


def run_hooks(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    # The hooks' venv must find `dot` and nothing of this venv: PATH without .venv/bin.
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != venv_bin)
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--all-files"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


# pre-commit pip-installs archsmith into a venv: about a minute for the first of these.
@pytest.mark.slow
def test_the_hooks_pass_on_a_good_spec(project: Path, pre_commit_home: Path) -> None:
    done = run_hooks(project, pre_commit_home)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("archsmith check", "archsmith lint", "archsmith build --check"):
        assert any(
            line.startswith(name + "...") and line.endswith("Passed")
            for line in done.stdout.splitlines()
        ), (
            name,
            done.stdout,
        )


@pytest.mark.slow
def test_the_hooks_fail_with_the_located_error_on_a_bad_spec(
    project: Path, pre_commit_home: Path
) -> None:
    spec = project / "specs" / "demo.yaml"
    spec.write_text(GOOD.replace("{type: email, unique: true}", "{type: money}"), encoding="utf-8")
    done = run_hooks(project, pre_commit_home)
    assert done.returncode == 1
    assert "specs/demo.yaml:6:21: error[invalid-value]: 'money' is not a valid" in done.stdout
    assert "did you mean 'decimal'?" in done.stdout
    failed = [line.split("...")[0] for line in done.stdout.splitlines() if line.endswith("Failed")]
    assert failed == ["archsmith check", "archsmith lint", "archsmith build --check"]


def test_the_hook_definitions_run_on_spec_and_config_files_only() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == list(HOOKS)
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        pattern = re.compile(hook["files"])
        for name in ("specs/shop.yaml", "a/b.yml", "pyproject.toml", "team-profile.toml"):
            assert pattern.search(name), (hook["id"], name)
        for name in ("README.md", "src/app.py", "x.yaml.bak"):
            assert not pattern.search(name), (hook["id"], name)


def test_a_readme_pre_commit_snippet_names_existing_hooks() -> None:
    hooks = {
        h["id"]
        for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = []
    for block in (b.split("\n```", 1)[0] for b in text.split("```yaml\n")[1:]):
        config = yaml.safe_load(block)
        if isinstance(config, dict) and "repos" in config:
            for repo in config["repos"]:
                if "archsmith" in str(repo.get("repo", "")):
                    assert repo.get("rev"), repo
                    named += [hook["id"] for hook in repo["hooks"]]
    if not named:
        pytest.skip("the README shows no pre-commit snippet yet")
    assert set(named) <= hooks
