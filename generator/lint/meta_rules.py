"""Rules about the review itself: a suppression must name a rule that exists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.diagnostics import Severity, quote
from generator.lint.registry import RULES, Finding, finding, rule

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.diagnostics import Location
    from generator.model import System


def suppression_lists(system: System) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every suppression list in the spec, by its dotted path."""
    yield "lint.disable", system.lint_disable
    for entity in system.entities:
        if entity.lint_ignore:
            yield f"entities.{entity.name}.lint-ignore", entity.lint_ignore
    for resource in system.api.resources:
        if resource.lint_ignore:
            yield f"api.resources.{resource.name}.lint-ignore", resource.lint_ignore
        for op in resource.operations:
            own = tuple(x for x in op.lint_ignore if x not in resource.lint_ignore)
            if op.kind == "custom" and own:
                name = custom_name(system, resource.name, op.location)
                yield f"api.resources.{resource.name}.custom.{name}.lint-ignore", own


def custom_name(system: System, resource: str, location: Location) -> str:
    """The spec key of a custom operation, found by its location (the model keeps only its id)."""
    prefix = f"api.resources.{resource}.custom."
    at = (location.line, location.column)
    for key, where in sorted(system.locations.items()):
        if key.startswith(prefix) and key.count(".") == 4 and where == at:
            return key.rsplit(".", 1)[1]
    return "?"


@rule(
    "LINT001",
    Severity.WARNING,
    "Suppressions name existing rules",
    """A suppression with a mistyped rule id silences nothing and hides that the
      finding it was meant for is still reported (or was fixed long ago).""",
)
def unknown_ids(system: System) -> Iterator[Finding]:
    for path, ids in suppression_lists(system):
        for i, rule_id in enumerate(ids):
            if rule_id not in RULES:
                yield finding(
                    system,
                    "LINT001",
                    f"{path}.{i}",
                    f"{quote(rule_id)} is not a rule id",
                    "run 'archsmith lint --list-rules' for the ids",
                )
