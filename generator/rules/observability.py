"""Monitoring plan: RED metrics per endpoint, golden signals per service, alerts, logging.

Alert thresholds come from the spec's latency and availability targets; the burn-rate
factors are the multiwindow values of Google's SRE workbook (14.4× over 1 h pages,
6× over 6 h tickets), which apply to any SLO.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Operation, System
from generator.rules.missing import MissingKey

FAST_BURN = 14.4
SLOW_BURN = 6.0


@dataclass(frozen=True, slots=True)
class Alert:
    name: str
    condition: str
    severity: str  # page or ticket
    source: str  # the spec key the threshold comes from


@dataclass(frozen=True, slots=True)
class MonitoringPlan:
    endpoints: tuple[Operation, ...]
    components: tuple[str, ...]  # services or modules that get golden-signal panels
    alerts: tuple[Alert, ...]
    dashboards: tuple[tuple[str, str], ...]  # (name, panels)
    log_retention_days: int | None
    redact: tuple[str, ...]  # entity.field names to redact in logs
    missing: tuple[MissingKey, ...]


def plan_monitoring(system: System) -> MonitoringPlan:
    req = system.requirements
    obs = system.observability
    alerts: list[Alert] = []
    missing: list[MissingKey] = []
    p99 = obs.alerts.p99_latency_ms or req.latency_ms.p99
    if p99 is not None:
        source = (
            "observability.alerts.p99_latency_ms"
            if obs.alerts.p99_latency_ms
            else "requirements.latency_ms.p99"
        )
        alerts.append(Alert("Latency", f"p99 > {p99:g} ms for 5 minutes", "page", source))
    else:
        missing.append(MissingKey("requirements.latency_ms.p99", "latency alert threshold"))
    if obs.alerts.error_rate_percent is not None:
        alerts.append(
            Alert(
                "Error rate",
                f"5xx > {obs.alerts.error_rate_percent:g}% of requests for 5 minutes",
                "page",
                "observability.alerts.error_rate_percent",
            )
        )
    if req.availability is not None:
        budget = 100 - req.availability
        alerts.append(
            Alert(
                "Error budget, fast burn",
                f"5xx ratio > {FAST_BURN * budget:.3g}% over 1 h and 5 min ({FAST_BURN:g}× the {budget:.3g}% budget)",
                "page",
                "requirements.availability",
            )
        )
        alerts.append(
            Alert(
                "Error budget, slow burn",
                f"5xx ratio > {SLOW_BURN * budget:.3g}% over 6 h and 30 min ({SLOW_BURN:g}× the budget)",
                "ticket",
                "requirements.availability",
            )
        )
    else:
        missing.append(MissingKey("requirements.availability", "error budget and burn-rate alerts"))
    if obs.alerts.saturation_percent is not None:
        alerts.append(
            Alert(
                "Saturation",
                f"CPU, memory or DB connections > {obs.alerts.saturation_percent:g}% for 15 minutes",
                "ticket",
                "observability.alerts.saturation_percent",
            )
        )
    for name, slo in sorted(obs.slos.items()):
        if slo.indicator == "latency" and slo.threshold_ms is not None:
            alerts.append(
                Alert(
                    f"SLO {name}",
                    f"fewer than {slo.target:g}% of requests under {slo.threshold_ms:g} ms over {slo.window_days} days",
                    "ticket",
                    f"observability.slos.{name}",
                )
            )
    infra = system.infrastructure
    if infra.read_replicas:
        alerts.append(
            Alert(
                "Replica lag",
                "replication lag growing for 10 minutes (replica reads turn stale)",
                "ticket",
                "infrastructure.read_replicas",
            )
        )
    if infra.queue:
        alerts.append(
            Alert(
                "Consumer lag",
                f"{infra.queue} consumer lag growing for 10 minutes or dead-letter queue not empty",
                "ticket",
                "infrastructure.queue",
            )
        )
    if obs.log_retention_days is None:
        missing.append(MissingKey("observability.log_retention_days", "log retention"))
    components = tuple(s.name for s in system.services) or (system.slug,)
    dashboards: list[tuple[str, str]] = [
        (
            "Service overview",
            "golden signals per "
            + ("service" if len(system.services) > 1 else "application")
            + ": latency p50/p95/p99, traffic, errors, saturation",
        ),
        ("Endpoints (RED)", "rate, errors and duration per route, worst routes first"),
        (
            "Database",
            f"{infra.database} connections vs pool, slow queries, locks"
            + (", replica lag" if infra.read_replicas else ""),
        ),
    ]
    if infra.cache:
        dashboards.append(("Cache", f"{infra.cache} hit ratio, evictions, memory"))
    if infra.queue:
        dashboards.append(
            ("Messaging", f"{infra.queue} publish rate, consumer lag, dead letters per event")
        )
    if obs.slos:
        dashboards.append(("SLOs", "error budget remaining and burn rate per SLO"))
    redact = tuple(
        f"{e.table}.{c.name}" for e in system.entities for c in e.columns if c.pii or c.sensitive
    )
    return MonitoringPlan(
        system.api.operations,
        components,
        tuple(alerts),
        tuple(dashboards),
        obs.log_retention_days,
        redact,
        tuple(missing),
    )
