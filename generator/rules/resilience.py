"""Failure modes: what happens when each dependency fails, and how the design copes.

One row per synchronous call between services, per event consumer, per external system,
and for the database, cache and broker. The numbers come from the spec (the p99 target
and the depth of the call chain bound a call's timeout; the alert thresholds open a
circuit breaker) or from the conventions this design follows: consumers retry three
times with exponential backoff capped at 10 s before a message goes to the dead-letter
channel. Where the spec lacks a number a rule needs, the row says which key to add.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import System
from generator.rules.missing import MissingKey

CONSUMER_ATTEMPTS = 3
BACKOFF_CAP_SECONDS = 10
_PAYMENT_WORDS = ("payment", "pay", "charge", "invoice", "billing", "card")


@dataclass(frozen=True, slots=True)
class FailureMode:
    component: str
    failure: str
    effect: str
    handling: str


@dataclass(frozen=True, slots=True)
class Resilience:
    modes: tuple[FailureMode, ...]
    missing: tuple[MissingKey, ...]


def chain_depth(system: System, name: str, seen: frozenset[str] = frozenset()) -> int:
    """Synchronous hops below a service (a cycle counts once)."""
    service = next((s for s in system.services if s.name == name), None)
    if service is None or name in seen:
        return 0
    below = [chain_depth(system, d.service, seen | {name}) for d in service.depends_on]
    return 1 + max(below) if below else 0


def plan_resilience(system: System) -> Resilience:
    modes: list[FailureMode] = []
    missing: list[MissingKey] = []
    p99 = system.requirements.latency_ms.p99
    error_rate = system.observability.alerts.error_rate_percent
    breaker = (
        f"a circuit breaker opens when errors pass {error_rate:g}% "
        "(observability.alerts.error_rate_percent) and half-opens after a pause"
        if error_rate is not None
        else "a circuit breaker opens on a sustained error rate"
    )
    if error_rate is None and any(s.depends_on for s in system.services):
        missing.append(
            MissingKey(
                "observability.alerts.error_rate_percent", "the circuit breakers' error threshold"
            )
        )
    for service in system.services:
        for dependency in service.depends_on:
            depth = chain_depth(system, dependency.service) + 1
            if p99 is not None:
                timeout = f"time out after {p99 / (depth + 1):.0f} ms (p99 {p99:g} ms / ({depth} hop{'s' * (depth != 1)} + 1))"
            else:
                timeout = "time out within the latency budget"
                missing.append(
                    MissingKey("requirements.latency_ms.p99", "timeouts of synchronous calls")
                )
            modes.append(
                FailureMode(
                    f"{service.name} → {dependency.service} ({dependency.protocol})",
                    f"{dependency.service} slow or down",
                    f"{service.name} cannot {dependency.description or 'complete the call'}; its callers wait",
                    f"{timeout}; retry idempotent calls once within that budget; {breaker}; "
                    "answer 503 with Retry-After while it is open",
                )
            )
    for event in system.events:
        for consumer in event.consumers:
            modes.append(
                FailureMode(
                    f"{consumer} consuming {event.name}",
                    "handler fails, or the same message arrives twice",
                    "at-least-once delivery redelivers it",
                    f"skip an envelope id already processed; retry {CONSUMER_ATTEMPTS} times with "
                    f"exponential backoff capped at {BACKOFF_CAP_SECONDS} s, then move it to "
                    f"{event.address}.dlq.{consumer} and alert",
                )
            )
    infra = system.infrastructure
    if system.events and infra.queue:
        modes.append(
            FailureMode(
                f"broker ({infra.queue})",
                "unreachable when a service publishes",
                "an event written after the commit would be lost, one written before it could describe a rolled-back change",
                "write the event to the outbox table in the same transaction as the change; "
                "a relay publishes it once the broker is back",
            )
        )
    replicas = infra.read_replicas
    modes.append(
        FailureMode(
            f"database ({infra.database})",
            "primary down or failing over",
            "writes fail; reads fail too unless served elsewhere",
            (
                f"promote a replica ({replicas} declared); reads keep going to the others; "
                if replicas
                else "restore from backup (see recovery); "
            )
            + "answer 503 with Retry-After instead of queueing requests on a full pool",
        )
    )
    if infra.cache:
        modes.append(
            FailureMode(
                f"cache ({infra.cache})",
                "down or evicting",
                "every read goes to the database",
                "cache-aside falls through to the database; the pool size must carry peak "
                "reads without the cache for the outage",
            )
        )
    for name, what in sorted(infra.external.items()):
        paid = any(word in f"{name} {what}".lower() for word in _PAYMENT_WORDS)
        modes.append(
            FailureMode(
                f"{name} (external)",
                "slow, down or rate limiting",
                f"{what.lower()} is unavailable",
                "call it with a timeout and a circuit breaker, never inside a database "
                "transaction"
                + (
                    "; send an idempotency key so a retried charge is not taken twice"
                    if paid
                    else "; retry in the background where the user need not wait"
                ),
            )
        )
    return Resilience(tuple(modes), tuple(sorted(set(missing))))
