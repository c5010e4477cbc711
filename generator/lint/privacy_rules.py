"""Privacy rules: personal data under the compliance regimes the requirements name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.diagnostics import Severity, quote
from generator.lint.registry import Finding, finding, rule
from generator.lint.security_rules import user_columns

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.model import Column, Entity, Operation, Resource, System

PRIVACY_LAWS = frozenset({"GDPR", "CCPA", "HIPAA"})  # laws that regulate personal data
FIELD_ENCRYPTION_LAWS = frozenset({"HIPAA", "PCI-DSS"})


def _pii(system: System) -> list[tuple[Entity, Column]]:
    return [(e, c) for e, c in user_columns(system) if c.pii]


def _laws(system: System, laws: frozenset[str]) -> list[str]:
    return sorted(set(system.requirements.compliance) & laws)


@rule(
    "SEC001",
    Severity.ERROR,
    "Personal data under privacy law is encrypted at rest",
    """GDPR, CCPA and HIPAA expect personal data to be encrypted at rest, so a spec
      that marks `pii` fields under those laws must say so.""",
)
def pii_at_rest(system: System) -> Iterator[Finding]:
    laws = _laws(system, PRIVACY_LAWS)
    pii = _pii(system)
    if laws and pii and not system.security.encryption.at_rest:
        yield finding(
            system,
            "SEC001",
            "security.encryption.at_rest",
            f"{len(pii)} pii field(s) under {', '.join(laws)} but encryption at rest is off",
            "set 'security.encryption.at_rest: true'",
        )


@rule(
    "SEC002",
    Severity.WARNING,
    "Personal data under privacy law has a retention period",
    """GDPR and CCPA require personal data to be kept no longer than needed; without
      `pii_retention_days` nobody knows when to delete it.""",
)
def pii_retention(system: System) -> Iterator[Finding]:
    laws = _laws(system, PRIVACY_LAWS)
    if laws and _pii(system) and system.security.pii_retention_days is None:
        yield finding(
            system,
            "SEC002",
            "security.pii_retention_days",
            f"pii under {', '.join(laws)} has no retention period",
            "set 'security.pii_retention_days:'",
            location=system.locate("requirements.compliance"),
        )


@rule(
    "SEC010",
    Severity.WARNING,
    "Public reads do not expose personal data",
    """Personal data stays behind sign-in: a resource readable without signing in
      that exposes `pii` fields publishes them to scrapers.""",
)
def public_pii(system: System) -> Iterator[Finding]:
    for resource in system.api.resources:
        for op in resource.operations:
            if not (op.public and op.method == "GET"):
                continue
            entity, shown = _shown(system, resource, op)
            exposed = [c for c in entity.columns if c.pii and c.name in shown]
            if exposed:
                yield finding(
                    system,
                    "SEC010",
                    f"api.resources.{resource.name}.public",
                    f"public {op.id} exposes pii field {quote(exposed[0].name)}",
                    "limit 'fields:' or require sign-in for reads",
                )
                break  # one finding per resource


def _shown(system: System, resource: Resource, op: Operation) -> tuple[Entity, tuple[str, ...]]:
    """The entity whose columns a read returns, and which: a view's, a body's, the resource's."""
    views = {v.name: v for v in system.api.views}
    body = op.response
    view_name = body.view if body is not None and op.kind == "custom" else op.view
    if view_name in views:
        view = views[view_name]
        return system.entity(view.entity), view.columns
    entity = system.entity(resource.entity)
    if body is not None and op.kind == "custom":
        if body.entity is None:
            return entity, ()
        target = system.entity(body.entity)
        only = body.only if body.only is not None else tuple(c.name for c in target.columns)
        return target, tuple(c.name for c in target.columns if c.returned and c.name in only)
    return entity, resource.exposed


@rule(
    "SEC011",
    Severity.WARNING,
    "Regulated data is encrypted per field",
    """HIPAA and PCI-DSS expect the most sensitive fields to be encrypted beyond disk
      encryption; defence in depth means a database dump must not leak them.""",
)
def field_encryption(system: System) -> Iterator[Finding]:
    laws = _laws(system, FIELD_ENCRYPTION_LAWS)
    marked = [c for _, c in user_columns(system) if c.pii or c.sensitive]
    if laws and marked and not system.security.encryption.field_level:
        yield finding(
            system,
            "SEC011",
            "security.encryption.field_level",
            f"{', '.join(laws)} data without field-level encryption",
            "set 'security.encryption.field_level: true'",
            location=system.locate("requirements.compliance"),
        )
