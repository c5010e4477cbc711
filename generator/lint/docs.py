"""Rule documentation: the `--list-rules` table and the website's rule page.

The examples are archsmith's own specs (`examples/<ID>.bad.yaml` / `.good.yaml`),
linted by the tests, so they are trusted text here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.lint.registry import Rule, all_rules

if TYPE_CHECKING:
    from generator.lint.profiles import Profile

AREAS = {
    "API": "API design",
    "DB": "Database",
    "SEC": "Security",
    "ARC": "Architecture vs requirements",
    "EVT": "Events",
    "OBS": "Observability",
    "LINT": "The review itself",
}


def list_rules(profile: Profile | None = None) -> str:
    """A plain text table, one rule a line, sorted by id: id, default severity, summary;
    with a profile, the effective severity (`off` for a rule that does not run) and
    where it was set ("built-in recommended", "team-profile.toml:12")."""
    rules = all_rules()
    width = max(len(r.id) for r in rules)
    if profile is None:
        lines = [f"{'ID':<{width}}  {'SEVERITY':<8}  SUMMARY"]
        lines += [f"{r.id:<{width}}  {r.severity!s:<8}  {r.summary}" for r in rules]
        return "\n".join(lines) + "\n"
    settings = [profile.setting(r.id) for r in rules]
    origins = [s.origin for s in settings]
    wide = max(len("ORIGIN"), *(len(o) for o in origins))
    lines = [f"{'ID':<{width}}  {'SEVERITY':<8}  {'ORIGIN':<{wide}}  SUMMARY"]
    for r, s in zip(rules, settings, strict=True):
        level = str(s.severity) if s.severity is not None else "off"
        lines.append(f"{r.id:<{width}}  {level:<8}  {s.origin:<{wide}}  {r.summary}")
    return "\n".join(lines) + "\n"


def rule_help_markdown(rule: Rule) -> str:
    """One rule's documentation body (also SARIF `help.markdown`)."""
    return (
        f"{rule.rationale}\n\n"
        f"**Default severity:** {rule.severity}\n\n"
        f"Flagged:\n\n```yaml\n{rule.bad_example.rstrip()}\n```\n\n"
        f"Fine:\n\n```yaml\n{rule.good_example.rstrip()}\n```\n"
    )


def rule_docs_markdown() -> str:
    """The website page documenting every rule, grouped by area."""
    rules = all_rules()
    out = [
        "# Design review rules",
        "",
        "`archsmith lint` reviews the whole system — requirements, services, entities, API,",
        "security and observability together — and reports findings with the exact spec",
        "location. Silence a rule for the whole spec with `lint: {disable: [ID]}`, or for one",
        "entity, resource or custom operation with `lint-ignore: [ID]`; silenced findings are",
        "still listed as suppressed.",
        "",
        "The severities below are the `recommended` profile. A project picks another one in",
        '`[tool.archsmith.lint]`: `extends = "strict"` (every rule one step up),',
        '`"security"` (only the SEC rules, at error) or a shared profile file, and sets',
        'single rules (`rules = { DB006 = "off" }`); `archsmith lint --list-rules` shows the',
        "effective severity of each rule and where it was set.",
        "",
        "| Rule | Severity | Summary |",
        "| --- | --- | --- |",
    ]
    out += [f"| [{r.id}](#{r.id.lower()}) | {r.severity} | {r.summary} |" for r in rules]
    for area, title in AREAS.items():
        members = [r for r in rules if r.area == area]
        if not members:
            continue
        out += ["", f"## {title}"]
        for r in members:
            out += ["", f"### {r.id}", "", f"**{r.summary}**", "", rule_help_markdown(r).rstrip()]
    return "\n".join(out) + "\n"
