"""Rule profiles: built-ins, profile files extending each other, and their effect on lint."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import Severity, SpecError
from generator.lint import RULES, lint
from generator.lint.docs import list_rules
from generator.lint.profiles import Layer, builtin, load_layer, resolve
from tests.helpers import MINIMAL, WITH_LOGIN, spec

# MINIMAL gives SEC005 (error) and SEC015 (warning): JWT with no stored password, no login.


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def codes(findings: object) -> list[tuple[str, str]]:
    return [(f.code, str(f.severity)) for f in findings]  # type: ignore[attr-defined]


def problems(layer: Layer) -> list[str]:
    with pytest.raises(SpecError) as caught:
        resolve(layer)
    return [d.format() for d in caught.value.diagnostics]


def test_recommended_is_every_rule_at_its_registered_severity() -> None:
    profile = builtin("recommended")
    assert set(profile.settings) == set(RULES)
    for rule_id, rule in RULES.items():
        assert profile.setting(rule_id).severity is rule.severity
        assert profile.setting(rule_id).origin == "built-in recommended"
    system = spec(MINIMAL)
    assert lint(system, profile) == lint(system)


def test_strict_raises_each_rule_one_step() -> None:
    profile = builtin("strict")
    up = {"info": "warning", "warning": "error", "error": "error"}
    for rule_id, rule in RULES.items():
        assert str(profile.setting(rule_id).severity) == up[str(rule.severity)]
    report = lint(spec(WITH_LOGIN), profile)
    # login and refresh are public and unlimited; the tokens have no lifetimes
    assert codes(report.findings) == [
        ("API008", "error"),
        ("API008", "error"),
        ("SEC005", "error"),
        ("SEC007", "error"),
    ]
    assert report.counts["error"] == 4 and report.counts["warning"] == 0
    # Without a stored password there is no login: JWTs come from elsewhere (SEC015).
    assert codes(lint(spec(MINIMAL), profile).findings) == [
        ("SEC005", "error"),
        ("SEC015", "error"),
    ]


def test_strict_keeps_a_rule_that_grades_its_own_findings_graded() -> None:
    # DB005 is info on PostgreSQL and a warning on MySQL (the DDL cannot help there).
    text = """\
    system: {name: Demo}
    infrastructure: {database: DATABASE}
    entities:
      User:
        soft_delete: true
        fields: {email: {type: email, unique: true}}
    """
    for database, recommended, strict in (
        ("postgresql", "info", "warning"),
        ("mysql", "warning", "error"),
    ):
        system = spec(text.replace("DATABASE", database))
        assert ("DB005", recommended) in codes(lint(system).findings)
        assert ("DB005", strict) in codes(lint(system, builtin("strict")).findings)


def test_security_runs_only_the_security_rules_at_error() -> None:
    profile = builtin("security")
    for rule_id in RULES:
        expected = Severity.ERROR if rule_id.startswith("SEC") else None
        assert profile.setting(rule_id).severity is expected
    report = lint(spec(MINIMAL), profile)
    assert codes(report.findings) == [("SEC005", "error"), ("SEC015", "error")]


def test_a_profile_file_extends_another_and_each_setting_names_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shared").mkdir()
    write(
        tmp_path / "shared" / "org.toml",
        """\
        # the organization's baseline
        extends = "strict"

        [rules]
        API008 = "info"
        SEC007 = "off"
        """,
    )
    team = write(
        tmp_path / "team.toml",
        """\
        extends = "shared/org.toml"
        [rules]
        API008 = "warning"
        """,
    )
    profile = resolve(load_layer(team))
    assert profile.setting("API008").severity is Severity.WARNING
    assert profile.setting("API008").origin == "team.toml:3"
    assert profile.setting("SEC007").severity is None
    assert profile.setting("SEC007").origin == "shared/org.toml:6"
    assert profile.setting("SEC005").origin == "built-in strict"
    report = lint(spec(WITH_LOGIN), profile)
    # SEC007 is off: it does not run, so it is neither a finding nor a suppressed one.
    assert codes(report.findings) == [
        ("API008", "warning"),
        ("API008", "warning"),
        ("SEC005", "error"),
    ]
    assert report.suppressed == ()
    table = list_rules(profile).splitlines()
    assert table[0].split() == ["ID", "SEVERITY", "ORIGIN", "SUMMARY"]
    rows = {line.split()[0]: line.split()[1:3] for line in table[1:]}
    assert set(rows) == set(RULES)
    assert rows["API008"] == ["warning", "team.toml:3"]
    assert rows["SEC007"] == ["off", "shared/org.toml:6"]
    assert rows["DB006"] == ["warning", "built-in"]  # "built-in strict", split on the space
    assert "built-in strict" in next(line for line in table if line.startswith("DB006"))


def test_per_spec_disable_still_applies_over_a_profile() -> None:
    system = spec(MINIMAL + "lint: {disable: [SEC005]}\n")
    report = lint(system, builtin("strict"))
    assert "SEC005" not in [f.code for f in report.findings]
    assert [(s.finding.code, s.finding.severity, s.by) for s in report.suppressed] == [
        ("SEC005", Severity.ERROR, "lint.disable")
    ]


def test_unknown_rule_ids_and_levels_are_located_with_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(
        tmp_path / "p.toml",
        """\
        extends = "recommended"
        [rules]
        API08 = "off"
        SEC005 = "warn"
          "DB003" = "info"
        """,
    )
    assert problems(load_layer(path)) == [
        "p.toml:3:1: error[config/unknown-rule]: 'API08' is not a rule id; did you mean 'API008'?",
        "p.toml:4:1: error[config/invalid-value]: 'warn' is not a valid severity for SEC005; "
        "use one of error, warning, info, off; did you mean 'warning'?",
    ]


def test_profile_file_shape_errors_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "p.toml", 'extend = "strict"\nrules = 3\n')
    with pytest.raises(SpecError) as caught:
        load_layer(path)
    assert [d.format() for d in caught.value.diagnostics] == [
        "p.toml:1:1: error[config/unknown-key]: unknown key 'extend' in a lint profile; "
        "did you mean 'extends'?",
        "p.toml:2:9: error[config/wrong-type]: 'rules' must be a table",
    ]
    broken = write(tmp_path / "b.toml", "[rules\nAPI001 = 'off'\n")
    with pytest.raises(SpecError) as caught:
        load_layer(broken)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "config/syntax"
    assert (diagnostic.location.file, diagnostic.location.line) == ("b.toml", 1)


def test_extends_cycles_are_refused_at_the_extends_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.toml", '# a\nextends = "b.toml"\n')
    write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    assert problems(load_layer(tmp_path / "a.toml")) == [
        "b.toml:1:11: error[config/extends-cycle]: profiles extend each other in a cycle: "
        "a.toml -> b.toml -> a.toml; remove one of the 'extends'"
    ]
    write(tmp_path / "self.toml", 'extends = "./self.toml"\n')
    [message] = problems(load_layer(tmp_path / "self.toml"))
    assert message.startswith("self.toml:1:11: error[config/extends-cycle]")


def test_an_unknown_profile_name_suggests_a_built_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "p.toml", 'extends = "strickt"\n')
    assert problems(load_layer(tmp_path / "p.toml")) == [
        "p.toml:1:11: error[config/unknown-profile]: 'strickt' is neither a built-in profile "
        "(recommended, strict, security) nor a file; did you mean 'strict'?"
    ]


def test_list_rules_without_a_profile_keeps_its_layout() -> None:
    table = list_rules().splitlines()
    assert table[0].split() == ["ID", "SEVERITY", "SUMMARY"]


def test_the_cache_key_changes_with_what_findings_get_not_with_origins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    keys = {name: builtin(name).key() for name in ("recommended", "strict", "security")}
    assert len(set(keys.values())) == 3
    # A severity written in a file pins the rule, which a rule that grades its own
    # findings (DB005) would notice: the key differs even at the default severity.
    pinned = write(tmp_path / "pinned.toml", '[rules]\nDB005 = "info"\n')
    assert resolve(load_layer(pinned)).key() != keys["recommended"]
    # Where a setting is written does not change a finding: the same key.
    off = write(tmp_path / "off.toml", '[rules]\nAPI001 = "off"\n')
    again = write(tmp_path / "again.toml", '# another file\n[rules]\nAPI001 = "off"\n')
    assert resolve(load_layer(off)).key() == resolve(load_layer(again)).key()
