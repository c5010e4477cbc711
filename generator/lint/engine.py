"""Run every rule over a system and apply the spec's suppressions.

Why suppressions are reported, not dropped: a silenced finding is still a design
decision; the output shows what was silenced and by which `lint-ignore` or
`lint.disable` entry, so reviewers can see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.diagnostics import Location, Severity
from generator.lint.meta_rules import custom_name
from generator.lint.registry import Finding, all_rules

if TYPE_CHECKING:
    from generator.lint.profiles import Profile
    from generator.model import System

SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Suppressed:
    finding: Finding
    by: str  # dotted spec path of the suppression list, e.g. "entities.Product.lint-ignore"
    location: Location  # where that list is written


@dataclass(frozen=True, slots=True)
class LintReport:
    source: str  # the spec's path as the user named it
    findings: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # severity -> remaining findings


def _sort_key(f: Finding) -> tuple[Location, str, str]:
    return (f.location, f.code, f.path)


def suppressed_by(system: System, f: Finding) -> str | None:
    """The suppression list that silences this finding, if any (spec-level first)."""
    if f.code == "LINT001":
        return None  # a broken suppression cannot suppress its own report
    if f.code in system.lint_disable:
        return "lint.disable"
    parts = f.path.split(".")
    if parts[0] == "entities" and len(parts) > 1:
        entity = system.find_entity(parts[1])
        if entity is not None and f.code in entity.lint_ignore:
            return f"entities.{entity.name}.lint-ignore"
    if parts[:2] == ["api", "resources"] and len(parts) > 2:
        resource = system.find_resource(parts[2])
        if resource is None:
            return None
        if f.code in resource.lint_ignore:
            return f"api.resources.{resource.name}.lint-ignore"
        if len(parts) > 4 and parts[3] == "custom":
            for op in resource.operations:
                if (
                    op.kind == "custom"
                    and custom_name(system, resource.name, op.location) == parts[4]
                    and f.code in op.lint_ignore
                ):
                    return f"api.resources.{resource.name}.custom.{parts[4]}.lint-ignore"
    return None


def lint(system: System, profile: Profile | None = None) -> LintReport:
    """Review one resolved system: findings sorted by location, suppressed ones apart.

    `profile` (default: every rule at its registered severity) decides which rules run
    and the severity of their findings; the spec's own suppressions apply after it.
    """
    kept: list[Finding] = []
    silenced: list[Suppressed] = []
    for rule in all_rules():
        if profile is not None and not profile.runs(rule.id):
            continue
        for found in rule.check(system):
            f = found if profile is None else profile.apply(found)
            by = suppressed_by(system, f)
            if by is None:
                kept.append(f)
            else:
                silenced.append(Suppressed(f, by, system.locate(by)))
    kept.sort(key=_sort_key)
    silenced.sort(key=lambda s: _sort_key(s.finding))
    counts = {str(s): sum(1 for f in kept if f.severity == s) for s in Severity}
    counts["suppressed"] = len(silenced)
    return LintReport(system.source, tuple(kept), tuple(silenced), counts)


def exit_code(reports: list[LintReport], fail_on: Severity) -> int:
    """1 when any unsuppressed finding is at or above `fail_on`, else 0."""
    floor = SEVERITY_RANK[fail_on]
    return int(any(SEVERITY_RANK[f.severity] >= floor for r in reports for f in r.findings))
