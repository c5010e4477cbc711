"""The GitHub Action's steps (scripts/action/*.sh), run here as a runner runs them.

Each test makes a repository in a temporary folder, sets the variables GitHub sets
(GITHUB_OUTPUT, GITHUB_ENV, GITHUB_WORKSPACE, RUNNER_TEMP, ...) and runs a step's script
against this venv's real archsmith, then reads the step outputs back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from tests.helpers import MINIMAL, ROOT

ACTION = ROOT / "scripts" / "action"
ARCHSMITH = str(Path(sys.executable).with_name("archsmith"))
BROKEN = "system:\n  name: Broken\nentities:\n  Foo:\n    fields:\n      a: {type: money}\n"


def _help(*command: str) -> str:
    done = subprocess.run(
        [ARCHSMITH, *command, "--help"], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def needs(flag: str, *command: str) -> pytest.MarkDecorator:
    """Skip unless `archsmith COMMAND --help` offers `flag` (flags wired while this is written)."""
    return pytest.mark.skipif(
        flag not in _help(*command),
        reason=f"'archsmith {' '.join(command)}' has no {flag} yet",
    )


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def make_repo(path: Path, specs: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    for name, text in specs.items():
        (path / "specs").mkdir(exist_ok=True)
        (path / "specs" / name).write_text(text, encoding="utf-8")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "specs")
    return path


class Runner:
    """One job's environment: the files GitHub gives each step, and how to run a step."""

    def __init__(self, tmp: Path, workspace: Path) -> None:
        self.workspace = workspace
        self.temp = tmp / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.files = {
            name: tmp / f"{name.lower()}.txt"
            for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STEP_SUMMARY")
        }

    def run(
        self, script: str, **inputs: str
    ) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
        for file in self.files.values():
            file.write_text("", encoding="utf-8")
        env = {
            **os.environ,
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_ACTION_PATH": str(ROOT),
            "RUNNER_TEMP": str(self.temp),
            "ARCHSMITH": ARCHSMITH,
            **{name: str(path) for name, path in self.files.items()},
            **inputs,
        }
        done = subprocess.run(
            ["bash", str(ACTION / script)],
            cwd=self.workspace,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        return done, parse_outputs(self.files["GITHUB_OUTPUT"].read_text(encoding="utf-8"))


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's two forms: `name=value` and `name<<DELIMITER` ... `DELIMITER`."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body: list[str] = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            else:
                raise AssertionError(f"output {name} has no closing {delimiter}")
            outputs[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    repo = make_repo(tmp_path / "repo", {"demo.yaml": MINIMAL})
    return Runner(tmp_path, repo)


# -- the action file ---------------------------------------------------------------------


def test_every_step_runs_an_existing_script_and_outputs_name_real_steps() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    ids = {step["id"] for step in steps if "id" in step}
    scripts = []
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            script = step["run"].split('"$GITHUB_ACTION_PATH/', 1)[1].split('"', 1)[0]
            assert (ROOT / script).is_file(), script
            scripts.append(Path(script).name)
            for value in step.get("env", {}).values():
                for ref in value.replace("${{", "\0").split("\0")[1:]:
                    name = ref.split("}}")[0].strip()
                    assert name.split(".")[0] in ("inputs", "steps"), name
                    if name.startswith("inputs."):
                        assert name.removeprefix("inputs.") in action["inputs"], name
                    else:
                        assert name.split(".")[1] in ids, name
    assert scripts == ["install.sh", "lint.sh", "check.sh", "diff.sh", "verdict.sh"]
    assert sorted(p.name for p in ACTION.glob("*.sh")) == sorted(scripts)
    for name, output in action["outputs"].items():
        step = output["value"].split("steps.", 1)[1].split(".", 1)[0]
        assert step in ids, name


# -- install -----------------------------------------------------------------------------


def test_install_exports_the_archsmith_to_use_and_leaves_graphviz_alone(runner: Runner) -> None:
    done, outputs = runner.run("install.sh", INPUT_ARCHSMITH=ARCHSMITH, ARCHSMITH_DOT="true")
    assert done.returncode == 0, done.stderr
    assert outputs["archsmith"] == ARCHSMITH
    assert outputs["version"].startswith("archsmith ")
    env = runner.files["GITHUB_ENV"].read_text(encoding="utf-8")
    assert f"ARCHSMITH={ARCHSMITH}\n" in env


def test_install_installs_graphviz_when_dot_is_missing(runner: Runner, tmp_path: Path) -> None:
    calls = tmp_path / "apt-calls.txt"
    fake = tmp_path / "fake-apt-get"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n', encoding="utf-8")
    fake.chmod(0o755)
    done, _ = runner.run(
        "install.sh",
        INPUT_ARCHSMITH=ARCHSMITH,
        ARCHSMITH_DOT="no-such-dot-anywhere",
        ARCHSMITH_APT_GET=str(fake),
    )
    assert done.returncode == 0, done.stderr
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "update -qq",
        "install -y -qq --no-install-recommends graphviz",
    ]


def test_install_says_what_to_do_without_dot_or_a_package_manager(runner: Runner) -> None:
    if shutil.which("brew"):
        pytest.skip("brew is here: it would install graphviz")
    done, outputs = runner.run(
        "install.sh",
        INPUT_ARCHSMITH=ARCHSMITH,
        ARCHSMITH_DOT="no-such-dot-anywhere",
        ARCHSMITH_APT_GET="no-such-apt-get",
    )
    assert done.returncode == 1
    assert "::error::graphviz (dot) is missing and neither apt-get nor brew is here" in done.stdout
    assert outputs == {}


def test_install_fails_clearly_when_archsmith_cannot_run(runner: Runner) -> None:
    done, outputs = runner.run("install.sh", INPUT_ARCHSMITH="/nonexistent/archsmith")
    assert done.returncode == 1
    assert "::error::archsmith cannot run: /nonexistent/archsmith --version failed" in done.stdout
    assert outputs == {}


@pytest.mark.slow
def test_install_builds_a_venv_at_the_pinned_versions(runner: Runner) -> None:
    started = time.monotonic()
    done, outputs = runner.run("install.sh", ARCHSMITH_DOT="true", INPUT_PYTHON=sys.executable)
    assert done.returncode == 0, done.stdout + done.stderr
    venv = runner.temp / "archsmith-venv"
    assert outputs["archsmith"] == str(venv / "bin" / "archsmith")
    frozen = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    pins = {
        line.split("==")[0].lower(): line
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    installed = [line for line in frozen if "==" in line and not line.startswith("archsmith==")]
    assert installed and all(pins[line.split("==")[0].lower()] == line for line in installed)
    # Only what a build needs: no test tools in the action's venv.
    assert not any(line.lower().startswith(("pytest==", "mypy==", "ruff==")) for line in installed)
    print(f"install.sh took {time.monotonic() - started:.0f} s")


# -- lint --------------------------------------------------------------------------------


@needs("--output", "lint")
def test_lint_writes_sarif_and_annotations_in_one_run(runner: Runner) -> None:
    done, outputs = runner.run("lint.sh", INPUT_PATHS="specs", INPUT_SARIF="reports/a.sarif")
    assert outputs["exit-code"] == "1"  # SEC005 is an error
    assert done.returncode == 0  # the verdict comes at the end
    sarif = Path(outputs["sarif"])
    assert sarif == runner.workspace / "reports" / "a.sarif"
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    located = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in results
    }
    assert ("SEC005", "specs/demo.yaml") in located
    assert "::error file=specs/demo.yaml,line=1,col=1,title=SEC005::" in done.stdout


@needs("--output", "lint")
def test_lint_reports_a_broken_spec_beside_a_valid_one(runner: Runner) -> None:
    (runner.workspace / "specs" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    done, outputs = runner.run("lint.sh", INPUT_PATHS="specs", INPUT_FAIL_ON="info")
    assert outputs["exit-code"] != "0"
    results = json.loads(Path(outputs["sarif"]).read_text(encoding="utf-8"))["runs"][0]["results"]
    where = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    }
    assert ("specs/broken.yaml", 6) in where  # the unknown type 'money'
    assert ("specs/demo.yaml", 1) in where
    assert "file=specs/broken.yaml,line=6" in done.stdout


def test_lint_with_an_archsmith_that_writes_no_sarif_says_so(
    runner: Runner, tmp_path: Path
) -> None:
    stand_in = tmp_path / "old-archsmith"
    stand_in.write_text("#!/bin/sh\necho 'usage: archsmith' >&2\nexit 2\n", encoding="utf-8")
    stand_in.chmod(0o755)
    done, outputs = runner.run("lint.sh", ARCHSMITH=str(stand_in))
    assert done.returncode == 0
    assert outputs == {"sarif": "", "exit-code": "2"}
    assert "::warning::archsmith lint wrote no SARIF file (exit 2)" in done.stdout


# -- build --check ---------------------------------------------------------------------


def _build(repo: Path) -> None:
    subprocess.run(
        [ARCHSMITH, "build", "specs", "--no-cache", "--quiet"],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_check_passes_on_committed_output_and_fails_on_drift(runner: Runner) -> None:
    _build(runner.workspace)
    done, outputs = runner.run("check.sh", INPUT_PATHS="specs")
    assert outputs["exit-code"] == "0", done.stdout + done.stderr
    spec = runner.workspace / "specs" / "demo.yaml"
    spec.write_text(MINIMAL.replace("Demo", "Demo two"), encoding="utf-8")
    done, outputs = runner.run("check.sh", INPUT_PATHS="specs")
    assert outputs["exit-code"] == "1"
    assert done.returncode == 0


@needs("--only", "build")
def test_check_only_compares_the_chosen_artifacts(runner: Runner) -> None:
    _build(runner.workspace)
    site = runner.workspace / "build" / "site"
    page = next(p for p in sorted(site.rglob("*.html")))
    page.write_text(page.read_text(encoding="utf-8") + "<!-- another mkdocs -->", encoding="utf-8")
    done, outputs = runner.run("check.sh", INPUT_PATHS="specs", INPUT_ONLY="openapi,ddl,design")
    assert outputs["exit-code"] == "0", done.stdout + done.stderr
    done, outputs = runner.run("check.sh", INPUT_PATHS="specs", INPUT_ONLY="site")
    assert outputs["exit-code"] == "1"


# -- diff --------------------------------------------------------------------------------


def test_diff_is_skipped_without_a_base_or_off_pull_requests(runner: Runner) -> None:
    done, outputs = runner.run("diff.sh", INPUT_DIFF_BASE="")
    assert (done.returncode, outputs) == (0, {"ran": "false"})
    done, outputs = runner.run("diff.sh", INPUT_DIFF_BASE="auto", GITHUB_EVENT_NAME="push")
    assert (done.returncode, outputs) == (0, {"ran": "false"})


def _pull_request(tmp_path: Path) -> Path:
    """A shallow clone of a pull request's head, as actions/checkout leaves it: the base
    branch is not fetched."""
    origin = make_repo(tmp_path / "origin", {"demo.yaml": MINIMAL})
    git(origin, "checkout", "-q", "-b", "feature")
    (origin / "specs" / "demo.yaml").write_text(
        MINIMAL.replace("Demo", "Demo two"), encoding="utf-8"
    )
    git(origin, "commit", "-q", "-am", "rename")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", "--branch", "feature", f"file://{origin}", str(clone)],
        check=True,
        capture_output=True,
    )
    return clone


def test_diff_on_a_pull_request_fetches_the_base_and_outputs_the_report(tmp_path: Path) -> None:
    clone = _pull_request(tmp_path)
    assert "origin/main" not in git(clone, "branch", "-r")
    runner = Runner(tmp_path, clone)
    done, outputs = runner.run(
        "diff.sh", INPUT_DIFF_BASE="auto", GITHUB_EVENT_NAME="pull_request", GITHUB_BASE_REF="main"
    )
    assert done.returncode == 0, done.stderr
    assert "origin/main" in git(clone, "branch", "-r")
    assert outputs["ran"] == "true"
    report = Path(outputs["report"])
    assert report == runner.temp / "archsmith-diff.md" and report.is_file()
    assert outputs["markdown"] == report.read_text(encoding="utf-8").rstrip("\n")
    if "--base" in _help("diff"):
        assert outputs["exit-code"] in ("0", "1"), done.stdout + done.stderr
        assert outputs["markdown"].strip()
        summary = runner.files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
        assert summary == report.read_text(encoding="utf-8")


def test_the_markdown_output_survives_any_report_text(runner: Runner, tmp_path: Path) -> None:
    # A report may contain lines like "EOF" or "x<<y": the output's delimiter is random.
    text = "## Changes\nEOF\nname<<EOF\n`a` = b\n"
    stand_in = tmp_path / "fake-archsmith"
    stand_in.write_text(
        textwrap.dedent(
            f"""\
            #!/bin/sh
            while [ "$1" != "--output" ]; do shift; done
            printf '%s' '{text}' > "$2"
            exit 1
            """
        ),
        encoding="utf-8",
    )
    stand_in.chmod(0o755)
    done, outputs = runner.run("diff.sh", INPUT_DIFF_BASE="HEAD", ARCHSMITH=str(stand_in))
    assert done.returncode == 0, done.stderr
    assert outputs["markdown"] == text.rstrip("\n")
    assert outputs["exit-code"] == "1"


def test_diff_passes_the_paths_base_report_and_fail_on(runner: Runner, tmp_path: Path) -> None:
    calls = tmp_path / "calls.txt"
    stand_in = tmp_path / "fake-archsmith"
    stand_in.write_text(f'#!/bin/sh\necho "$@" > {calls}\n', encoding="utf-8")
    stand_in.chmod(0o755)
    report = runner.temp / "archsmith-diff.md"
    runner.run(
        "diff.sh",
        INPUT_DIFF_BASE="v1.2",
        INPUT_PATHS="specs/a.yaml  specs/b.yaml",
        INPUT_DIFF_FAIL_ON="breaking",
        ARCHSMITH=str(stand_in),
    )
    assert calls.read_text(encoding="utf-8").split() == [
        "diff", "specs/a.yaml", "specs/b.yaml", "--base", "v1.2", "--format", "markdown",
        "--output", str(report), "--fail-on", "breaking",
    ]  # fmt: skip


# -- verdict -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lint", "check", "diff", "diff_fail_on", "code"),
    [
        ("0", "0", "", "", 0),
        ("1", "0", "", "", 1),
        ("0", "1", "1", "", 1),
        ("2", "1", "", "", 2),
        ("0", "0", "1", "", 0),  # a diff that found changes is a report, not a failure
        ("0", "0", "1", "none", 0),
        ("0", "0", "1", "breaking", 1),  # unless the workflow asks it to fail
        ("0", "", "2", "", 2),
        ("", "", "", "", 0),
    ],
)
def test_verdict_fails_with_the_worst_step(
    runner: Runner, lint: str, check: str, diff: str, diff_fail_on: str, code: int
) -> None:
    done, _ = runner.run(
        "verdict.sh", LINT_EXIT=lint, CHECK_EXIT=check, DIFF_EXIT=diff, DIFF_FAIL_ON=diff_fail_on
    )
    assert done.returncode == code
    assert ("::error::" in done.stdout) == (code != 0)


def test_scripts_are_executable_and_parse() -> None:
    for script in sorted(ACTION.glob("*.sh")):
        assert os.access(script, os.X_OK), script
        subprocess.run(["bash", "-n", str(script)], check=True)
    if shutil.which("shellcheck"):
        subprocess.run(["shellcheck", *map(str, sorted(ACTION.glob("*.sh")))], check=True)


def _readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.split("\n```", 1)[0] for block in text.split(f"```{language}\n")[1:]]


def test_a_readme_workflow_that_uses_the_action_passes_only_its_inputs() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    uses = []
    for block in _readme_blocks("yaml"):
        workflow = yaml.safe_load(block)
        if not isinstance(workflow, dict) or "jobs" not in workflow:
            continue
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                if "archsmith" in step.get("uses", "") and "actions/" not in step["uses"]:
                    uses.append(step)
                    assert set(step.get("with", {})) <= set(action["inputs"]), step
    if not uses:
        pytest.skip("the README shows no workflow using the action yet")


# -- constraints.txt ------------------------------------------------------------------------


def _installed_closure() -> dict[str, str]:
    """Every distribution archsmith[test] pulls in, by normalized name, with its version."""
    import importlib.metadata as metadata
    import re

    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    installed = {norm(d.metadata["Name"]): d for d in metadata.distributions()}
    found: dict[str, str] = {}
    todo: list[tuple[str, tuple[str, ...]]] = [("archsmith", ("test",))]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        dist = installed[name]
        found[name] = dist.version
        for text in dist.requires or []:
            requirement = Requirement(text)
            environments = [{**default_environment(), "extra": e} for e in ("", *extras)]
            if requirement.marker is None or any(
                requirement.marker.evaluate(env) for env in environments
            ):
                todo.append((norm(requirement.name), tuple(sorted(requirement.extras))))
    del found["archsmith"]
    return found


def test_constraints_pin_every_installed_dependency_at_its_version() -> None:
    import re

    pins = {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in (
            line.split("==")
            for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        )
    }
    installed = _installed_closure()
    wrong = {n: (v, pins.get(n)) for n, v in installed.items() if pins.get(n) != v}
    assert not wrong, f"installed vs pinned {wrong}: run 'scripts/setup.sh freeze'"
