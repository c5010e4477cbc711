"""Configuration files: lookup, located errors, spec globs, merging with flags, selection."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.config import (
    Config,
    LintConfig,
    ReportConfig,
    config_reference_markdown,
    find_config,
    load_config,
)
from generator.diagnostics import Severity, SpecError
from generator.loader import Document
from generator.options import CommandLine, options
from generator.selection import (
    ALL_ARTIFACTS,
    Artifact,
    artifact_of,
    parse_only,
    select,
    split_drift,
)
from generator.toml_source import load_toml
from tests.helpers import ROOT

SPEC = "system:\n  name: Demo\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_config(path)
    return [d.format() for d in caught.value.diagnostics]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- lookup ------------------------------------------------------------------------------


def test_the_nearest_file_with_archsmith_config_wins(project: Path) -> None:
    deep = project / "team" / "svc" / "src"
    deep.mkdir(parents=True)
    write(project / "pyproject.toml", "[tool.archsmith]\nout = 'site-out'\n")
    # A Python project's own pyproject.toml without the table does not hide the root's.
    write(project / "team" / "svc" / "pyproject.toml", "[project]\nname = 'svc'\n")
    assert find_config(deep) == (project / "pyproject.toml").resolve()
    write(project / "team" / "archsmith.toml", "out = 'x'\n")
    assert find_config(deep) == (project / "team" / "archsmith.toml").resolve()
    # In one folder archsmith.toml wins over pyproject.toml.
    write(project / "archsmith.toml", "")
    assert find_config(project) == (project / "archsmith.toml").resolve()


def test_no_file_means_no_config(project: Path) -> None:
    write(project / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    found = find_config(project)
    assert found is None or not found.is_relative_to(project)


def test_a_broken_pyproject_that_configures_archsmith_is_reported_not_skipped(
    project: Path,
) -> None:
    path = write(project / "pyproject.toml", "[tool.archsmith]\nout = \n")
    assert find_config(project) == path.resolve()
    [message] = errors(path)
    assert message.startswith("pyproject.toml:2:7: error[config/syntax]: invalid TOML: ")


# -- loading -------------------------------------------------------------------------------


def test_a_full_pyproject_config_loads(project: Path) -> None:
    path = write(
        project / "pyproject.toml",
        """\
        [project]
        name = "demo"

        [tool.archsmith]
        include = ["specs/**/*.yaml"]
        exclude = ["specs/drafts/"]
        out = "docs/arch"
        cache = false
        only = ["openapi", "ddl", "design"]
        site = false

        [tool.archsmith.lint]
        extends = "strict"
        rules = { API001 = "off", SEC006 = "error" }
        fail-on = "warning"
        exit-zero = true

        [[tool.archsmith.lint.formats]]
        format = "sarif"
        output = "archsmith.sarif"

        [[tool.archsmith.lint.formats]]
        format = "github"
        """,
    )
    config = load_config(path)
    assert config.include == ["specs/**/*.yaml"] and config.exclude == ["specs/drafts/"]
    assert (config.out, config.cache, config.site) == ("docs/arch", False, False)
    assert config.only == [Artifact.OPENAPI, Artifact.DDL, Artifact.DESIGN]
    assert config.lint.model_dump() == {
        "extends": "strict",
        "rules": {"API001": "off", "SEC006": "error"},
        "fail_on": "warning",
        "formats": [
            {"format": "sarif", "output": "archsmith.sarif"},
            {"format": "github", "output": None},
        ],
        "exit_zero": True,
    }
    assert config.root == project
    assert str(config.locate("lint", "rules", "SEC006")) == "pyproject.toml:14:27"


def test_an_archsmith_toml_has_the_keys_at_the_top(project: Path) -> None:
    config = load_config(
        write(project / "archsmith.toml", 'out = "o"\n[lint]\nextends = "security"\n')
    )
    assert config.out == "o" and config.lint.extends == "security"
    assert str(config.locate("lint", "extends")) == "archsmith.toml:3:1"


def test_unknown_keys_and_wrong_types_are_located_errors(project: Path) -> None:
    path = write(
        project / "pyproject.toml",
        """\
        [tool.archsmith]
        includes = ["specs"]
        out = 5
        only = ["openapi", "ddll"]
        site = "yes"

        [tool.archsmith.lint]
        fail_on = "warning"
        rules = { API001 = "of" }

        [[tool.archsmith.lint.formats]]
        format = "sarif"
        outptu = "x"

        [[tool.archsmith.lint.formats]]
        format = "html"
        """,
    )
    assert errors(path) == [
        "pyproject.toml:2:1: error[config/unknown-key]: unknown key 'includes'; did you mean 'include'?",
        "pyproject.toml:3:7: error[config/wrong-type]: 'out' must be text, not the number 5",
        "pyproject.toml:4:20: error[config/invalid-value]: 'ddll' is not a valid 'only[1]'; "
        f"use one of {', '.join(Artifact)}; did you mean 'ddl'?",
        "pyproject.toml:5:8: error[config/wrong-type]: 'site' must be true or false, not the text 'yes'",
        "pyproject.toml:8:1: error[config/unknown-key]: unknown key 'fail_on' in 'lint'; "
        "did you mean 'fail-on'?",
        "pyproject.toml:9:20: error[config/invalid-value]: 'of' is not a valid 'lint.rules.API001'; "
        "use one of error, warning, info, off; did you mean 'off'?",
        "pyproject.toml:13:1: error[config/unknown-key]: unknown key 'outptu' in 'lint.formats[0]'; "
        "did you mean 'output'?",
        "pyproject.toml:16:10: error[config/invalid-value]: 'html' is not a valid "
        "'lint.formats[1].format'; use one of text, json, sarif, github",
    ]


def test_a_missing_required_key_and_a_table_that_is_not_one(project: Path) -> None:
    path = write(project / "archsmith.toml", "[[lint.formats]]\noutput = 'x'\n")
    assert errors(path) == [
        "archsmith.toml:1:1: error[config/missing-key]: 'lint.formats[0].format' is required"
    ]
    path = write(project / "pyproject.toml", "[tool]\narchsmith = 3\n")
    assert errors(path) == [
        "pyproject.toml:2:13: error[config/wrong-type]: 'tool.archsmith' must be a table"
    ]


def test_errors_from_a_sub_folder_name_the_file_relative_to_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(project / "archsmith.toml", "ouT = 'x'\n")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    assert errors(path) == [
        "../archsmith.toml:1:1: error[config/unknown-key]: unknown key 'ouT'; did you mean 'out'?"
    ]


# -- positions in TOML -------------------------------------------------------------------

TRICKY = """\
# a comment with = and [brackets]
[tool.archsmith]   # trailing comment
include = [
  "specs/**/*.yaml",  # "quoted" in a comment
  'lit#eral',
]
"quoted key" = "a # not a comment"
esc = "say \\"hi\\" \\\\"
multi = \"\"\"one
two \"\"\"\"\"
lit = '''x
y'''
when = 1979-05-27 07:32:00Z
dotted.inner . deepest = 1
inline = { a = 1, "b.c" = { d = [1, 2] } }
nested = [[1, 2], [3]]
[[tool.archsmith.table]]
first = true
[tool.archsmith.table.sub]
x = 1
[[tool.archsmith.table]]
second = true
"""


def _leaves(data: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _leaves(value, (*path, i))
    return out


@pytest.mark.parametrize("name", ["tricky", "pyproject"])
def test_every_key_and_value_of_a_toml_file_has_its_position(project: Path, name: str) -> None:
    text = TRICKY if name == "tricky" else (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    path = write(project / "f.toml", text)
    document = load_toml(path, "f.toml")
    assert document.data == tomllib.loads(text)
    lines = text.split("\n")  # TOML ends lines at LF only (not at NEL or LS)
    for leaf in _leaves(document.data):
        span = document.positions[leaf]
        # A key's position starts its name (bare or quoted); a list item's starts its value.
        if isinstance(leaf[-1], str):
            at = lines[span.key_line - 1][span.key_column - 1 :]
            assert at.lstrip("[\"'").startswith(leaf[-1].split(".")[0]), (leaf, at)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_positions_of_tricky_toml(project: Path, newline: str) -> None:
    (project / "f.toml").write_bytes(TRICKY.replace("\n", newline).encode())
    document = load_toml(project / "f.toml", "f.toml")
    table = ("tool", "archsmith")

    def at(*path: str | int, key: bool = False) -> str:
        return str(document.locate((*table, *path), key=key))

    assert at("include", 1) == "f.toml:5:3"
    assert at("quoted key", key=True) == "f.toml:7:1"
    assert at("quoted key") == "f.toml:7:16"
    assert at("esc") == "f.toml:8:7"
    assert at("multi") == "f.toml:9:9"
    assert at("lit") == "f.toml:11:7"
    assert at("when") == "f.toml:13:8"
    assert at("dotted", "inner", "deepest", key=True) == "f.toml:14:16"
    assert at("dotted", "inner", "deepest") == "f.toml:14:26"
    assert at("inline", "b.c", "d", 1) == "f.toml:15:37"
    assert at("nested", 1) == "f.toml:16:19"
    assert at("nested", 1, 0) == "f.toml:16:20"
    assert at("table", 0, "sub", "x", key=True) == "f.toml:20:1"
    assert at("table", 1, "second", key=True) == "f.toml:22:1"
    assert at("table", 1, key=True) == "f.toml:21:18"


# -- specs by glob -----------------------------------------------------------------------


def test_resolve_specs_applies_globs_below_the_config_folder(project: Path) -> None:
    for name in (
        "specs/b.yaml",
        "specs/a.yml",
        "specs/team/c.yaml",
        "specs/drafts/d.yaml",
        "specs/.hidden/e.yaml",
        "node_modules/x/specs/f.yaml",
        "other/g.yaml",
    ):
        write(project / name, SPEC)
    write(project / "specs" / "docker-compose.yml", "services: {}\n")
    config = load_config(
        write(project / "archsmith.toml", 'include = ["specs/**/*.y*ml"]\nexclude = ["drafts/"]\n')
    )
    found = [p.relative_to(project).as_posix() for p in config.resolve_specs()]
    assert found == ["specs/a.yml", "specs/b.yaml", "specs/docker-compose.yml", "specs/team/c.yaml"]

    def has_system(path: Path) -> bool:
        return path.read_text(encoding="utf-8").startswith("system:")

    kept = [p.name for p in config.resolve_specs(keep=has_system)]
    assert kept == ["a.yml", "b.yaml", "c.yaml"]
    # From a sub-folder the globs still start at the configuration's folder.
    (project / "other").mkdir(exist_ok=True)
    assert config.resolve_specs(keep=has_system) == load_config(
        project / "archsmith.toml"
    ).resolve_specs(keep=has_system)


# -- merging with the command line ------------------------------------------------------


def test_flags_override_the_config_which_overrides_defaults(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "specs" / "team" / "a.yaml", SPEC)
    write(project / "shared.toml", '[rules]\nAPI001 = "off"\n')
    path = write(
        project / "pyproject.toml",
        """\
        [tool.archsmith]
        include = ["specs/**/*.yaml"]
        out = "docs/arch"
        cache = ".cache/arch"
        site = false

        [tool.archsmith.lint]
        extends = "shared.toml"
        rules = { SEC006 = "error" }
        fail-on = "warning"
        formats = [{ format = "sarif", output = "out/a.sarif" }, { format = "github" }]
        """,
    )
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    config = load_config(path)
    merged = options(CommandLine(), config)
    assert merged.config == path
    assert merged.paths == [Path("../specs/team/a.yaml")]
    assert merged.out == Path("../docs/arch") and merged.cache == Path("../.cache/arch")
    assert merged.no_cache is False
    assert merged.only == ALL_ARTIFACTS - {Artifact.SITE}
    assert merged.fail_on is Severity.WARNING and merged.exit_zero is False
    assert merged.reports == [("sarif", Path("../out/a.sarif")), ("github", None)]
    assert merged.profile.setting("API001").severity is None
    assert merged.profile.setting("API001").origin == "../shared.toml:2"
    assert merged.profile.setting("SEC006").origin == "../pyproject.toml:9"
    assert merged.profile.setting("SEC006").severity is Severity.ERROR

    cli = CommandLine(
        paths=[Path("x.yaml")],
        out=Path("o"),
        no_cache=True,
        only=frozenset({Artifact.SITE}),
        fail_on=Severity.INFO,
        reports=[("json", None)],
        exit_zero=True,
    )
    flagged = options(cli, config)
    assert flagged.paths == [Path("x.yaml")] and flagged.out == Path("o")
    assert flagged.no_cache is True and flagged.only == {Artifact.SITE}
    assert (flagged.fail_on, flagged.reports, flagged.exit_zero) == (
        Severity.INFO,
        [("json", None)],
        True,
    )


def test_without_a_config_the_defaults_are_todays(project: Path) -> None:
    merged = options(CommandLine(), None)
    assert merged.paths == [Path("specs")] and merged.out == Path("build")
    assert merged.cache is None and merged.no_cache is False and merged.only == ALL_ARTIFACTS
    assert merged.fail_on is Severity.ERROR and merged.reports == [("text", None)]
    assert merged.profile.setting("SEC005").origin == "built-in recommended"


def test_config_without_include_searches_its_specs_folder_and_cache_false_disables(
    project: Path,
) -> None:
    merged = options(
        CommandLine(), load_config(write(project / "archsmith.toml", "cache = false\n"))
    )
    assert merged.paths == [Path("specs")] and merged.out == Path("build")
    assert merged.no_cache is True


def test_an_include_that_matches_no_spec_is_a_located_error(project: Path) -> None:
    config = load_config(write(project / "archsmith.toml", '\ninclude = ["nothing/*.yaml"]\n'))
    with pytest.raises(SpecError) as caught:
        options(CommandLine(), config)
    assert [d.format() for d in caught.value.diagnostics] == [
        "archsmith.toml:2:11: error[config/no-spec]: no archsmith spec matches 'include'; "
        "a spec is a .yaml or .yml file with a top-level 'system:' key"
    ]


def test_profile_errors_from_the_config_are_located_in_it(project: Path) -> None:
    config = load_config(
        write(project / "archsmith.toml", '[lint]\nextends = "stict"\nrules = { APi001 = "off" }\n')
    )
    with pytest.raises(SpecError) as caught:
        options(CommandLine(), config)
    [message] = [d.format() for d in caught.value.diagnostics]
    assert message.startswith("archsmith.toml:2:11: error[config/unknown-profile]: 'stict'")
    config = load_config(write(project / "archsmith.toml", '[lint]\nrules = { APi001 = "off" }\n'))
    with pytest.raises(SpecError) as caught:
        options(CommandLine(), config)
    assert [d.format() for d in caught.value.diagnostics] == [
        "archsmith.toml:2:11: error[config/unknown-rule]: 'APi001' is not a rule id; "
        "did you mean 'API001'?"
    ]


def test_parse_only() -> None:
    assert parse_only("openapi, ddl,design") == {Artifact.OPENAPI, Artifact.DDL, Artifact.DESIGN}
    with pytest.raises(
        ValueError, match=r"'openap' is not an artifact; .*did you mean 'openapi'\?"
    ):
        parse_only("openap")
    with pytest.raises(ValueError, match="at least one"):
        parse_only(" , ")


# -- the reference ---------------------------------------------------------------------


def test_the_reference_lists_every_key_with_its_description() -> None:
    table = config_reference_markdown()
    rows = table.splitlines()[2:]
    keys = [row.split("|")[1].strip().strip("`") for row in rows]
    expected = [k.replace("_", "-") for k in Config.model_fields if k != "lint"]
    expected += ["lint." + k.replace("_", "-") for k in LintConfig.model_fields]
    expected += ["lint.formats[]." + k for k in ReportConfig.model_fields]
    assert sorted(keys) == sorted(expected)
    for row in rows:
        assert row.count("|") == 4 and row.split("|")[3].strip(), row
    assert all(f"`{a.value}`" in table for a in Artifact)


# -- selection ---------------------------------------------------------------------------

BUILT_NAMES = [
    "architecture.png", "architecture.svg", "architecture.txt", "asyncapi.yaml",
    "catalog-info.yaml", "design.md", "erd.png", "erd.svg", "model.json", "openapi.yaml",
    "schema.mysql.sql", "schema.postgresql.sql", "schema.sqlite.sql", "workspace.dsl",
]  # fmt: skip


def test_every_file_a_build_writes_belongs_to_an_artifact() -> None:
    from generator.build import build_system
    from generator.pipeline import load_system

    # parcelflow has events, so its tree has the most files (asyncapi.yaml among them).
    built = build_system(load_system(ROOT / "specs" / "parcelflow.yaml"))
    assert {"openapi.yaml", "design.md", "schema.postgresql.sql"} <= set(built.files)
    for name in built.files:
        assert artifact_of(f"parcelflow/{name}") is not None, f"give {name} an artifact"
    for name in BUILT_NAMES:
        assert artifact_of(f"shop/{name}") is not None, name


def test_select_keeps_only_the_chosen_artifacts() -> None:
    tree = {f"shop/{name}": b"x" for name in BUILT_NAMES}
    tree |= {"site/index.html": b"x", "site/shop/index.html": b"x", ".archsmith-output.json": b"{}"}
    chosen = select(tree, {Artifact.OPENAPI, Artifact.DDL, Artifact.DESIGN})
    assert sorted(chosen) == [
        "shop/design.md",
        "shop/openapi.yaml",
        "shop/schema.mysql.sql",
        "shop/schema.postgresql.sql",
        "shop/schema.sqlite.sql",
    ]
    assert sorted(select(tree, {Artifact.SITE})) == ["site/index.html", "site/shop/index.html"]
    assert sorted(select(tree, {Artifact.ASCII})) == ["shop/architecture.txt"]
    assert len(select(tree, {Artifact.DIAGRAMS})) == 4
    assert sorted(select(tree, {Artifact.ASYNCAPI, Artifact.CATALOG})) == [
        "shop/asyncapi.yaml",
        "shop/catalog-info.yaml",
    ]
    assert artifact_of("shop/notes.txt") is None and artifact_of("README") is None
    assert select(tree, None) == tree == select(tree, ALL_ARTIFACTS)
    assert split_drift(["site/a.html", "shop/openapi.yaml", "shop/design.md"]) == (
        ["shop/design.md", "shop/openapi.yaml"],
        ["site/a.html"],
    )


# -- the command line reads it (issue 22's done-when) --------------------------------------

ARCHSMITH = str(Path(sys.executable).with_name("archsmith"))


def _cli_reads_config() -> bool:
    """Whether this checkout's CLI looks for a configuration: a probe, not a version check,
    so the test below runs as soon as the CLI is wired to it."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "archsmith.toml").write_text("probe-key = 1\n", encoding="utf-8")
        done = subprocess.run(
            [ARCHSMITH, "check"], cwd=folder, capture_output=True, text=True, check=False
        )
    return "config/unknown-key" in done.stdout + done.stderr


GOOD = """\
system:
  name: NAME
entities:
  User:
    fields:
      email: {type: email, unique: true}
      password_hash: {type: string, max_length: 255, sensitive: true, input: password}
api:
  resources:
    users: {entity: User}
security:
  authentication: {access_token_ttl_minutes: 15, refresh_token_ttl_days: 7}
"""


@pytest.mark.skipif(not _cli_reads_config(), reason="the CLI does not read archsmith config yet")
def test_build_lint_and_check_with_no_arguments_follow_the_config(project: Path) -> None:
    write(project / "services" / "team-a" / "notes.yaml", GOOD.replace("NAME", "Notes"))
    write(
        project / "services" / "team-b" / "billing" / "billing.yaml",
        GOOD.replace("NAME", "Billing"),
    )
    write(project / "services" / "docker-compose.yml", "services: {web: {image: nginx}}\n")
    write(project / "services" / "legacy" / "old.yaml", "system: {name: Old}\nbogus: 1\n")
    write(
        project / "org" / "profile.toml",
        """\
        extends = "strict"
        [rules]
        API008 = "info"
        """,
    )
    write(
        project / "pyproject.toml",
        """\
        [project]
        name = "platform"

        [tool.archsmith]
        include = ["services/**/*.yaml", "services/**/*.yml"]
        exclude = ["services/legacy/"]
        out = "docs/architecture"

        [tool.archsmith.lint]
        extends = "org/profile.toml"
        rules = { DB006 = "off" }
        fail-on = "warning"
        formats = [{ format = "sarif", output = "reports/lint.sarif" }, { format = "text" }]
        """,
    )
    (project / "reports").mkdir()
    # Report paths are relative to the repository root (what code scanning needs).
    subprocess.run(["git", "init", "-q", str(project)], check=True)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ARCHSMITH, *args],
            cwd=project / "services",
            capture_output=True,
            text=True,
            check=False,
        )

    checked = run("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    linted = run("lint")
    assert linted.returncode == 0, linted.stdout + linted.stderr  # API008 is info here
    assert "info[API008]" in linted.stdout and "warning[API008]" not in linted.stdout
    assert "old.yaml" not in linted.stdout and "docker-compose" not in linted.stdout
    sarif = json.loads((project / "reports" / "lint.sarif").read_text(encoding="utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"services/team-a/notes.yaml", "services/team-b/billing/billing.yaml"}
    assert {r["level"] for r in sarif["runs"][0]["results"] if r["ruleId"] == "API008"} == {"note"}

    rules = run("lint", "--list-rules").stdout
    assert any(
        line.split()[:3] == ["API008", "info", "../org/profile.toml:3"]
        for line in rules.splitlines()
    )
    assert any(
        line.split()[:3] == ["DB006", "off", "../pyproject.toml:11"] for line in rules.splitlines()
    )

    built = run("build", "--quiet")
    assert built.returncode == 0, built.stdout + built.stderr
    for slug in ("notes", "billing"):
        assert (project / "docs" / "architecture" / slug / "openapi.yaml").is_file()
    assert not (project / "services" / "build").exists() and not (project / "build").exists()


# A TOML-able value: scalars, lists of scalars, tables, and arrays of tables.
_SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
_KEYS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8)
_VALUES = st.recursive(
    _SCALARS | st.lists(_SCALARS, max_size=3),
    lambda inner: (
        st.dictionaries(_KEYS, inner, max_size=3)
        | st.lists(st.dictionaries(_KEYS, inner, min_size=1, max_size=2), min_size=1, max_size=2)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _VALUES, max_size=4))
def test_positions_of_any_toml_document(data: dict[str, object]) -> None:
    import tomlkit

    text = tomlkit.dumps(data)
    assume(tomllib.loads(text) == data)
    scanner_document = _scan(text)
    lines = text.split("\n")  # TOML ends lines at LF only (not at NEL or LS)
    for leaf in _leaves(data):
        span = scanner_document.positions[leaf]  # every key and list item has a position
        value_at = lines[span.line - 1][span.column - 1 :] if span.line else ""
        value = _value_at(data, leaf)
        if isinstance(value, bool):
            assert value_at.startswith(str(value).lower()), (leaf, value_at)
        elif isinstance(value, int):
            assert value_at.startswith(str(value)), (leaf, value_at)
        elif isinstance(value, str):
            assert value_at[:1] in ("'", '"'), (leaf, value_at)
        if isinstance(leaf[-1], str) and span.key_line:
            key_at = lines[span.key_line - 1][span.key_column - 1 :]
            assert key_at.startswith((leaf[-1], '"', "'")), (leaf, key_at)


def _scan(text: str) -> Document:
    from generator.toml_source import _Scanner

    return Document("f.toml", tomllib.loads(text), _Scanner(text).positions())  # no fallback


def _value_at(data: object, path: tuple[str | int, ...]) -> object:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def test_files_the_globs_match_are_specs_only_with_the_sign_of_one(project: Path) -> None:
    write(project / "specs" / "a.yaml", SPEC)
    write(project / "specs" / "docker-compose.yaml", "services: {}\n")
    config = load_config(write(project / "archsmith.toml", 'include = ["specs/*.yaml"]\n'))
    assert options(CommandLine(), config).paths == [Path("specs/a.yaml")]
