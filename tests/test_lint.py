"""The design review: every rule's examples, suppressions, output formats and the flagship spec."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from generator.diagnostics import Location, Severity
from generator.lint import (
    FORMATS,
    RULES,
    LintReport,
    all_rules,
    exit_code,
    format_github,
    format_json,
    format_sarif,
    format_text,
    lint,
    list_rules,
    rule_docs_markdown,
)
from generator.lint.registry import Finding
from generator.pipeline import load_system, load_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "lint"
SHOP = ROOT / "specs" / "shop.yaml"
MARKER = "# <- flagged"


def marked_position(text: str) -> tuple[int, int]:
    """line:col of the key (or list item) on the one line carrying the marker comment."""
    lines = [i for i, line in enumerate(text.splitlines(), 1) if MARKER in line]
    assert len(lines) == 1, "each bad example marks exactly one line"
    line = text.splitlines()[lines[0] - 1]
    stripped = line.lstrip()
    column = len(line) - len(stripped) + 1
    if stripped.startswith("- "):
        column += 2
    return lines[0], column


def findings_of(text: str, rule_id: str, name: str = "example.yaml") -> list[Finding]:
    return [f for f in lint(load_text(text, name)).findings if f.code == rule_id]


# --- the registry -------------------------------------------------------------------


def test_registry_has_enough_documented_rules() -> None:
    rules = all_rules()
    assert len(rules) >= 30
    assert [r.id for r in rules] == sorted(RULES)
    for r in rules:
        assert re.fullmatch(r"(API|DB|SEC|ARC|OBS|EVT|LINT)\d{3}", r.id)
        assert r.summary and "\n" not in r.summary
        assert len(r.rationale) > 40
        assert MARKER in r.bad_example
        assert MARKER not in r.good_example
    areas = {r.area for r in rules}
    assert {"API", "DB", "SEC", "ARC", "OBS"} <= areas


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_bad_example_is_flagged_at_the_marked_key(rule_id: str) -> None:
    rule = RULES[rule_id]
    found = findings_of(rule.bad_example, rule_id)
    line, column = marked_position(rule.bad_example)
    assert [(f.location.line, f.location.column) for f in found] == [(line, column)]
    assert found[0].severity == rule.severity
    assert found[0].message and found[0].hint


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_good_example_is_not_flagged(rule_id: str) -> None:
    assert findings_of(RULES[rule_id].good_example, rule_id) == []


# --- rule edge cases the examples do not show -----------------------------------------


def test_unique_field_on_soft_deleted_mysql_table_is_a_warning() -> None:
    text = RULES["DB005"].bad_example + "infrastructure:\n  database: mysql\n"
    (found,) = findings_of(text, "DB005")
    assert found.severity == Severity.WARNING
    assert "MySQL" in found.message


def test_refresh_token_without_lifetime() -> None:
    text = (
        "system:\n  name: Demo\nentities:\n  User:\n    fields:\n"
        "      password_hash: {type: string, sensitive: true, input: password}\n"
        "security:\n  authentication:\n    scheme: jwt\n"
    )
    (found,) = findings_of(text, "SEC007")
    assert (found.location.line, found.location.column) == (9, 5)
    assert "no lifetime" in found.message


def test_public_custom_put_is_a_public_write() -> None:
    text = (
        RULES["API011"].good_example.replace("method: POST", "method: PUT")
        + "          public: true\n"
    )
    (found,) = findings_of(text, "API006")
    assert found.severity == Severity.ERROR
    assert "cancelOrder" in found.message


def test_three_service_cycle_is_reported_once() -> None:
    text = (
        "system:\n  name: Demo\nservices:\n"
        "  a:\n    depends_on: [{service: b}]\n"
        "  b:\n    depends_on: [{service: c}]\n"
        "  c:\n    depends_on: [{service: a}]\n"
    )
    (found,) = findings_of(text, "ARC007")
    assert "a -> b -> c -> a" in found.message


def test_chain_latency_states_its_assumption() -> None:
    (found,) = findings_of(RULES["ARC006"].bad_example, "ARC006")
    assert "3 hops" in found.message and "50 ms per hop" in found.message


# --- the flagship spec --------------------------------------------------------------


def test_examples_have_no_errors_or_warnings() -> None:
    """The example specs show good practice: only info-level findings remain."""
    for path in sorted(SHOP.parent.glob("*.yaml")):
        report = lint(load_system(path, display=f"specs/{path.name}"))
        assert report.counts["error"] == 0 and report.counts["warning"] == 0, format_text([report])
        assert exit_code([report], Severity.WARNING) == 0
        assert exit_code([report], Severity.INFO) == (1 if report.counts["info"] else 0)


def test_findings_are_sorted_and_deterministic() -> None:
    first = lint(load_system(SHOP, display="specs/shop.yaml"))
    second = lint(load_system(SHOP, display="specs/shop.yaml"))
    assert first == second
    keys = [(f.location.line, f.location.column) for f in first.findings]
    assert keys == sorted(keys)
    assert format_sarif([first]) == format_sarif([second])


# --- suppression --------------------------------------------------------------------


def _nope42_position() -> tuple[int, int]:
    lines = (FIXTURES / "suppressed.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "NOPE42" in text)
    return line, lines[line - 1].index("NOPE42") + 1


@pytest.fixture
def suppressed_report() -> LintReport:
    path = FIXTURES / "suppressed.yaml"
    return lint(load_system(path, display="tests/fixtures/lint/suppressed.yaml"))


def test_suppressions_are_reported_with_who_suppressed(suppressed_report: LintReport) -> None:
    text = (FIXTURES / "suppressed.yaml").read_text()
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if fragment in line)

    by = {s.finding.code: s for s in suppressed_report.suppressed}
    assert set(by) == {"API003", "DB003", "API001", "API011"}
    assert by["API003"].by == "lint.disable"
    assert by["API003"].location.line == line_of("disable:")
    assert by["DB003"].by == "entities.Product.lint-ignore"
    assert by["DB003"].location.line == line_of("lint-ignore: [DB003]")
    assert by["API001"].by == "api.resources.product.lint-ignore"
    assert by["API011"].by == "api.resources.product.custom.refresh_cache.lint-ignore"
    assert by["API011"].finding.location.line == line_of("/{productId}/update")
    assert suppressed_report.counts["suppressed"] == 4


def test_unsuppressed_findings_stay(suppressed_report: LintReport) -> None:
    codes = [(f.code, f.location.line) for f in suppressed_report.findings]
    lines = (FIXTURES / "suppressed.yaml").read_text().splitlines()
    save_line = next(i for i, line in enumerate(lines, 1) if "/save" in line)
    assert ("API011", save_line) in codes  # only refresh_cache ignored API011
    assert ("LINT001", _nope42_position()[0]) in codes  # NOPE42 is no rule
    assert not any(code in {"API003", "DB003", "API001"} for code, _ in codes)


def test_text_format_lists_suppressions(suppressed_report: LintReport) -> None:
    out = format_text([suppressed_report])
    assert (
        "[suppressed by entities.Product.lint-ignore at tests/fixtures/lint/suppressed.yaml:8:5]"
        in out
    )
    assert out.rstrip().endswith("4 suppressed in 1 spec")
    line, column = _nope42_position()
    expected = f"tests/fixtures/lint/suppressed.yaml:{line}:{column}: warning[LINT001]: 'NOPE42' is not a rule id"
    assert expected in out


# --- output formats -----------------------------------------------------------------


def _sarif_schema() -> dict[str, object]:
    schema: dict[str, object] = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
    return schema


def test_sarif_validates_against_the_official_schema(suppressed_report: LintReport) -> None:
    shop = lint(load_system(SHOP, display="specs/shop.yaml"))
    bad = [lint(load_text(r.bad_example, f"examples/{r.id}.bad.yaml")) for r in all_rules()]
    log = json.loads(format_sarif([shop, suppressed_report, *bad]))
    validator = jsonschema.Draft4Validator(
        _sarif_schema(), format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == []
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "archsmith" and driver["version"] and driver["informationUri"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(RULES)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "```yaml" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/")
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert len(suppressed) == 4


def test_sarif_level_and_location(suppressed_report: LintReport) -> None:
    log = json.loads(format_sarif([suppressed_report]))
    lint001 = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "LINT001")
    assert lint001["level"] == "warning"
    region = lint001["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == _nope42_position()
    uri = lint001["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "tests/fixtures/lint/suppressed.yaml"


def test_sarif_fingerprints_survive_inserted_lines() -> None:
    text = RULES["DB003"].bad_example
    before = json.loads(format_sarif([lint(load_text(text, "spec.yaml"))]))
    after = json.loads(
        format_sarif([lint(load_text("# a comment\n# another\n" + text, "spec.yaml"))])
    )

    def db003(log: dict[str, list[dict[str, list[dict[str, object]]]]]) -> dict[str, object]:
        return next(r for r in log["runs"][0]["results"] if r["ruleId"] == "DB003")

    a, b = db003(before), db003(after)
    assert a["partialFingerprints"] == b["partialFingerprints"]
    assert a["locations"] != b["locations"]  # the line moved, the identity did not
    other = json.loads(format_sarif([lint(load_text(text.replace("price", "cost"), "spec.yaml"))]))
    assert db003(other)["partialFingerprints"] != a["partialFingerprints"]


def test_json_format_has_stable_keys(suppressed_report: LintReport) -> None:
    data = json.loads(format_json([suppressed_report]))
    assert data["version"] == 1
    (report,) = data["reports"]
    assert report["file"] == "tests/fixtures/lint/suppressed.yaml"
    first = report["findings"][0]
    assert sorted(first) == [
        "column",
        "file",
        "fingerprint",
        "hint",
        "line",
        "message",
        "path",
        "rule",
        "severity",
    ]
    assert {s["suppressed_by"] for s in report["suppressed"]} >= {"lint.disable"}
    assert report["counts"]["suppressed"] == 4


def test_github_annotations_escape_properties_and_message() -> None:
    finding = Finding(
        Severity.WARNING,
        "DB001",
        "100% of 'a,b': broken\nnext line",
        Location("dir,x/s:1.yaml", 3, 7),
        "fix\r",
        "p",
    )
    out = format_github([LintReport("dir,x/s:1.yaml", (finding,), (), {})])
    assert out == (
        "::warning file=dir%2Cx/s%3A1.yaml,line=3,col=7,title=DB001::"
        "100%25 of 'a,b': broken%0Anext line; fix%0D\n"
    )


def test_github_levels(suppressed_report: LintReport) -> None:
    lines = format_github([suppressed_report]).splitlines()
    assert len(lines) == len(suppressed_report.findings)
    assert all(
        re.match(
            r"::(error|warning|notice) file=tests/fixtures/lint/suppressed\.yaml,line=\d+,col=\d+,title=[A-Z]+\d{3}::",
            line,
        )
        for line in lines
    )


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == {"text", "json", "sarif", "github"}


def test_exit_code_policy() -> None:
    warning = Finding(Severity.WARNING, "DB002", "m", Location("s.yaml", 1, 1))
    info = Finding(Severity.INFO, "DB006", "m", Location("s.yaml", 1, 1))
    only_warning = LintReport("s.yaml", (warning,))
    only_info = LintReport("s.yaml", (info,))
    assert exit_code([only_warning], Severity.ERROR) == 0
    assert exit_code([only_warning], Severity.WARNING) == 1
    assert exit_code([only_info], Severity.WARNING) == 0
    assert exit_code([only_info, only_warning], Severity.INFO) == 1
    assert exit_code([], Severity.INFO) == 0


def test_list_rules_and_docs_cover_every_rule() -> None:
    table = list_rules().splitlines()
    assert table[0].split() == ["ID", "SEVERITY", "SUMMARY"]
    assert [line.split()[0] for line in table[1:]] == sorted(RULES)
    docs = rule_docs_markdown()
    for rule_id, rule in RULES.items():
        assert f"### {rule_id}\n" in docs
        assert rule.bad_example.rstrip() in docs and rule.good_example.rstrip() in docs
    assert docs.count("```yaml") == 2 * len(RULES)
