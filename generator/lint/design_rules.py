"""Contradictions inside a design: what the document promises and what the model builds
must agree, so the review never passes a design whose own pages list a failure."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Severity
from generator.lint.registry import Finding, finding, rule
from generator.model import System
from generator.rules.scaling import over_budget, plan_scaling
from generator.rules.security import plan_security

_DISTRIBUTED = ("microservices", "event-driven")


def _style(system: System) -> str:
    from generator.rules.style import decide_style

    return decide_style(system).style


@rule(
    "ARC011",
    Severity.WARNING,
    "No foreign keys across service boundaries",
    """In a microservices or event-driven design each service owns its data: a foreign key
      from one service's table into another's couples their schemas, deployments and
      failures, and a cascading one lets one service delete another's rows. Keep the id
      as a plain reference (`foreign_key: false`) and react to the other service's events.""",
)
def cross_service_keys(system: System) -> Iterator[Finding]:
    if len(system.services) < 2 or _style(system) not in _DISTRIBUTED:
        return
    owner = {e.name: e.owner for e in system.entities}
    for entity in system.entities:
        for fk in entity.foreign_keys:
            here, there = owner.get(entity.name), owner.get(fk.target)
            if here and there and here != there and fk.enforced:
                cascading = fk.on_delete == "cascade"
                yield finding(
                    system,
                    "ARC011",
                    f"entities.{entity.name}.relations.{fk.relation}",
                    f"{entity.name}.{fk.relation} ({here}) has a "
                    f"{'cascading ' if cascading else ''}foreign key into {fk.target} ({there})",
                    "set 'foreign_key: false' on the relation and keep the id as a reference",
                    severity=Severity.ERROR if cascading else None,
                )


@rule(
    "ARC012",
    Severity.WARNING,
    "The scaling stage fits the budget",
    """Each scaling stage has a typical monthly cost; a design whose stage costs more than
      the stated budget will be cut back in production, so the gap is a decision to take
      now: more budget, or less scope.""",
)
def budget(system: System) -> Iterator[Finding]:
    if any(
        d.status == "accepted" and "budget" in f"{d.title} {d.decision}".lower()
        for d in system.decisions
    ):
        return  # the gap is a recorded decision
    plan = plan_scaling(system)
    for stage, when in ((plan.current, "now"), (plan.target, "at the planned growth")):
        if stage is not None and over_budget(system, stage):
            yield finding(
                system,
                "ARC012",
                "requirements.budget_usd_per_month",
                f"stage {stage.number} ({stage.name}) {when} typically costs {stage.cost_band}"
                f"/month, above the budget of ${system.requirements.budget_usd_per_month:,.0f}",
                "raise the budget, or record the reduced scope in an accepted decision that "
                "names the budget",
            )
            return


@rule(
    "SEC014",
    Severity.ERROR,
    "Compliance regimes the spec names are met",
    """A regime listed under requirements.compliance that the design itself marks as not
      met (retention, erasure, encryption) is a known violation, not a detail.""",
)
def compliance(system: System) -> Iterator[Finding]:
    for i, check in enumerate(plan_security(system).compliance):
        if not check.status:
            yield finding(
                system,
                "SEC014",
                f"requirements.compliance.{i}",
                f"{check.rule} is not met: {check.detail}",
                "fix what the detail names, or remove the regime if it does not apply",
            )


@rule(
    "SEC015",
    Severity.WARNING,
    "JWT sign-in has a password to check",
    """JWTs need an issuer. archsmith offers a password login (and refresh and logout)
      only where an entity stores a password: a sensitive field with `input: password`,
      hashed before it is stored. Without one, no client can obtain a token from this
      system; another system must issue them, which is what the oauth2 or api-key
      schemes say.""",
)
def login_without_credentials(system: System) -> Iterator[Finding]:
    if system.security.scheme != "jwt" or system.security.credential is not None:
        return
    yield finding(
        system,
        "SEC015",
        "security.authentication.scheme",
        "JWT is the scheme, but no entity stores a password, so no login endpoint is offered",
        "add 'input: password' to the account's sensitive password_hash, "
        "or choose 'scheme: oauth2' or 'scheme: api-key' if another system issues credentials",
    )


@rule(
    "SEC016",
    Severity.WARNING,
    "Required MFA has a second step",
    """`mfa: true` promises a second factor, but the authentication operations take a
      password only; the promise is empty until the flow verifies a one-time code.""",
)
def mfa_without_step(system: System) -> Iterator[Finding]:
    sec = system.security
    if not sec.mfa:
        return
    if any("mfa" in op.path for op in system.api.operations):
        return
    yield finding(
        system,
        "SEC016",
        "security.authentication.mfa",
        "MFA is required but no operation verifies a second factor",
        "add a custom operation (e.g. POST /auth/mfa/verify), or set 'mfa: false' and say why",
    )
