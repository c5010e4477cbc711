"""Observability rules: the NFRs have to be watched, or they are wishes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.diagnostics import Severity
from generator.lint.registry import Finding, finding, rule
from generator.rules.style import decide_style

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.model import System

_SYSTEM_KINDS = {"health", "login", "refresh", "logout"}


@rule(
    "OBS001",
    Severity.WARNING,
    "A public API has an SLO",
    """A design starts from availability and latency requirements; an API others
      depend on without any SLO has no agreed definition of "working".""",
)
def slo(system: System) -> Iterator[Finding]:
    public = [op for op in system.api.operations if op.public and op.kind not in _SYSTEM_KINDS]
    if public and not system.observability.slos:
        yield finding(
            system,
            "OBS001",
            "observability.slos",
            f"{len(public)} public operation(s) (e.g. {public[0].id}) but no SLO",
            "add an availability SLO under 'observability.slos:'",
        )


@rule(
    "OBS002",
    Severity.WARNING,
    "A latency target has an alert",
    """Latency has p50/p95/p99 targets, and they are monitored: a p99 target nobody
      is paged about is broken silently.""",
)
def latency_alert(system: System) -> Iterator[Finding]:
    if (
        system.requirements.latency_ms.p99 is not None
        and system.observability.alerts.p99_latency_ms is None
    ):
        yield finding(
            system,
            "OBS002",
            "requirements.latency_ms.p99",
            f"p99 target of {system.requirements.latency_ms.p99:g} ms but no p99 latency alert",
            "set 'observability.alerts.p99_latency_ms:'",
        )


@rule(
    "OBS003",
    Severity.WARNING,
    "Latency alerts fire before the target is missed",
    """An alert threshold above the p99 target stays quiet while the requirement is
      already broken; it should sit at or below the target.""",
)
def latency_threshold(system: System) -> Iterator[Finding]:
    target = system.requirements.latency_ms.p99
    alert = system.observability.alerts.p99_latency_ms
    if target is not None and alert is not None and alert > target:
        yield finding(
            system,
            "OBS003",
            "observability.alerts.p99_latency_ms",
            f"the p99 alert fires at {alert:g} ms, above the {target:g} ms target",
            f"set it to {target:g} or lower",
        )


@rule(
    "OBS004",
    Severity.WARNING,
    "An availability target has an availability SLO",
    """An availability target is only known to be met through an SLO with an error
      budget.""",
)
def availability_slo(system: System) -> Iterator[Finding]:
    target = system.requirements.availability
    slos = [
        s
        for s in system.observability.slos.values()
        if s.indicator in ("availability", "error-rate")
    ]
    if target is not None and not slos:
        yield finding(
            system,
            "OBS004",
            "requirements.availability",
            f"{target:g}% availability is required but no availability SLO tracks it",
            "add an SLO with 'indicator: availability' under 'observability.slos:'",
        )


@rule(
    "OBS005",
    Severity.WARNING,
    "Availability SLOs are as strict as the requirement",
    """An SLO below the requirement lets the error budget approve outages the
      requirement forbids.""",
)
def availability_level(system: System) -> Iterator[Finding]:
    target = system.requirements.availability
    if target is None:
        return
    for name, slo in sorted(system.observability.slos.items()):
        if slo.indicator == "availability" and slo.target < target:
            yield finding(
                system,
                "OBS005",
                f"observability.slos.{name}.target",
                f"SLO {name} targets {slo.target:g}%, below the required {target:g}%",
                f"raise it to {target:g}",
            )


@rule(
    "OBS006",
    Severity.WARNING,
    "Regulated systems keep logs for a stated time",
    """Security events are logged for audit trails. Under GDPR, HIPAA, PCI-DSS or
      SOC2 the retention of those logs must be stated (long enough for audits, short
      enough for privacy).""",
)
def log_retention(system: System) -> Iterator[Finding]:
    if system.requirements.compliance and system.observability.log_retention_days is None:
        yield finding(
            system,
            "OBS006",
            "requirements.compliance",
            f"{', '.join(system.requirements.compliance)} apply but log retention is not stated",
            "set 'observability.log_retention_days:'",
        )


@rule(
    "OBS007",
    Severity.WARNING,
    "Tracing is on in a distributed system",
    """Requests are traced across services: when a request crosses several services
      only distributed tracing shows where its time went.""",
)
def tracing(system: System) -> Iterator[Finding]:
    distributed = decide_style(system).style in ("microservices", "event-driven", "serverless")
    if not system.observability.tracing and (
        distributed or any(s.depends_on for s in system.services)
    ):
        yield finding(
            system,
            "OBS007",
            "observability.tracing",
            "tracing is off but requests cross services",
            "set 'observability.tracing: true'",
        )


@rule(
    "OBS008",
    Severity.WARNING,
    "Latency SLOs state their threshold",
    """A latency SLO says "X% of requests faster than T ms"; without T it measures
      nothing.""",
)
def latency_slo_threshold(system: System) -> Iterator[Finding]:
    for name, slo in sorted(system.observability.slos.items()):
        if slo.indicator == "latency" and slo.threshold_ms is None:
            yield finding(
                system,
                "OBS008",
                f"observability.slos.{name}",
                f"latency SLO {name} has no threshold_ms",
                "add 'threshold_ms:'",
            )


@rule(
    "OBS009",
    Severity.INFO,
    "Error rates are alerted on",
    """Error rates are monitored next to latency; with SLOs defined but no error rate
      alert, the error budget burns unseen.""",
)
def error_alert(system: System) -> Iterator[Finding]:
    if system.observability.slos and system.observability.alerts.error_rate_percent is None:
        yield finding(
            system,
            "OBS009",
            "observability.alerts",
            "SLOs are defined but no error-rate alert",
            "set 'observability.alerts.error_rate_percent:'",
            location=system.locate("observability.slos"),
        )
