"""The rule registry: every design-review rule with its id, severity and documentation.

Why a registry: the CLI's `--list-rules`, the SARIF `tool.driver.rules`, the website's
rule page and the tests all read the same records, so a rule cannot exist without
its documentation or its examples. A rule's bad and good examples are whole specs
under `examples/` (shipped with the package); the tests lint them, so the examples
on the website are known to trigger, or not trigger, their rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, Location, Severity
from generator.model import System

EXAMPLES = Path(__file__).parent / "examples"


@dataclass(frozen=True, slots=True)
class Finding(Diagnostic):
    """A diagnostic that also knows which spec element it is about.

    `path` is a dotted spec path ("entities.Product.fields.price"); it names the
    element independent of line numbers, so it keys suppressions and SARIF
    fingerprints.
    """

    path: str = ""


Check = Callable[[System], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # one line, for --list-rules and SARIF shortDescription
    rationale: str  # why, citing the seed practice
    check: Check

    @property
    def area(self) -> str:
        return self.id.rstrip("0123456789")

    @property
    def bad_example(self) -> str:
        return (EXAMPLES / f"{self.id}.bad.yaml").read_text(encoding="utf-8")

    @property
    def good_example(self) -> str:
        return (EXAMPLES / f"{self.id}.good.yaml").read_text(encoding="utf-8")


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, summary: str, rationale: str
) -> Callable[[Check], Check]:
    """Register a check function under a stable rule id."""

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, severity, summary, " ".join(rationale.split()), check)
        return check

    return register


def finding(
    system: System,
    rule_id: str,
    path: str,
    message: str,
    hint: str | None = None,
    *,
    location: Location | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Build a finding of a registered rule at a spec path (located unless given)."""
    return Finding(
        severity or RULES[rule_id].severity,
        rule_id,
        message,
        location or system.locate(path),
        hint,
        path,
    )


def all_rules() -> list[Rule]:
    """Every rule, sorted by id; importing the rule modules registers them."""
    from generator.lint import (  # noqa: F401  (imported for their registrations)
        access_rules,
        api_custom_rules,
        api_rules,
        architecture_rules,
        db_rules,
        design_rules,
        event_rules,
        meta_rules,
        observability_rules,
        privacy_rules,
        security_rules,
    )

    return [RULES[k] for k in sorted(RULES)]
