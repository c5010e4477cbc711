"""How the design is tested, shipped, rolled back and recovered, from what the spec says.

Recovery follows from the availability target: a target of A % leaves (1 − A/100) of a
30-day month as the downtime budget, and a recovery must fit inside it; with a data
volume, that budget sets the restore speed a drill has to prove.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import System
from generator.rules.missing import MissingKey

MONTH_MINUTES = 30 * 24 * 60
_PITR = {
    "postgresql": "continuous WAL archiving with point-in-time recovery, plus a daily base backup",
    "mysql": "binary-log archiving with point-in-time recovery, plus a daily full backup",
    "sqlite": "an online backup (the .backup API or Litestream replication) to object storage",
}


@dataclass(frozen=True, slots=True)
class Practice:
    topic: str
    practice: str
    because: str


@dataclass(frozen=True, slots=True)
class Delivery:
    testing: tuple[Practice, ...]
    deployment: tuple[Practice, ...]
    recovery: tuple[Practice, ...]
    downtime_budget_minutes: float | None
    missing: tuple[MissingKey, ...]


def plan_delivery(system: System) -> Delivery:
    missing: list[MissingKey] = []
    return Delivery(
        _testing(system, missing),
        _deployment(system),
        _recovery(system, missing),
        _budget(system),
        tuple(sorted(set(missing))),
    )


def _budget(system: System) -> float | None:
    availability = system.requirements.availability
    return None if availability is None else (1 - availability / 100) * MONTH_MINUTES


def _testing(system: System, missing: list[MissingKey]) -> tuple[Practice, ...]:
    db = system.infrastructure.database
    out = [
        Practice(
            "Unit",
            "domain rules of each service (state changes, validation, permissions) without I/O",
            "fast feedback on the logic the contract does not show",
        ),
        Practice(
            "Contract",
            "every request and response checked against openapi.yaml (e.g. schemathesis "
            "against a running build), on every pull request",
            "the contract is the promise to clients; drift breaks them silently",
        ),
        Practice(
            "Integration",
            f"repositories and migrations against a real {db} in CI, created from the "
            f"generated schema.{db}.sql",
            "constraints, indexes and triggers only behave as designed on the real engine",
        ),
    ]
    if system.events:
        out.append(
            Practice(
                "Events",
                "each consumer fed messages that follow asyncapi.yaml, duplicates and "
                "poison messages included",
                "at-least-once delivery makes duplicates normal, and a poison message must "
                "reach the dead-letter channel",
            )
        )
    peak = system.requirements.scale.peak_rps
    p95 = system.requirements.latency_ms.p95
    if peak is not None and p95 is not None:
        out.append(
            Practice(
                "Load",
                f"{peak:g} requests/s (the stated peak) against a production-sized "
                f"database, passing at p95 under {p95:g} ms",
                "the latency targets hold only if they are measured at the load they are for",
            )
        )
    else:
        if peak is None:
            missing.append(MissingKey("requirements.scale.peak_rps", "the load test's rate"))
        if p95 is None:
            missing.append(MissingKey("requirements.latency_ms.p95", "the load test's pass mark"))
    return tuple(out)


def _deployment(system: System) -> tuple[Practice, ...]:
    version = system.api.version or "the base path"
    behind = system.infrastructure.load_balancer or system.infrastructure.gateway
    return (
        Practice(
            "Migrations before code",
            "each release applies its additive migration first (new tables, nullable or "
            "defaulted columns, indexes built concurrently), then deploys code that uses it; "
            "drops wait for a later release (expand, migrate, contract)",
            "old and new code then run against the same schema during the rollout",
        ),
        Practice(
            "Backward-compatible API",
            f"within {version} only additive changes (new endpoints, optional fields); a "
            "breaking change gets a new version served beside the old one",
            "clients upgrade on their own schedule",
        ),
        Practice(
            "Rollout",
            (f"rolling deploy behind {behind}, " if behind else "rolling deploy, ")
            + "each instance admitted only once /health reports ready; risky paths behind "
            "feature flags",
            "a bad instance takes no traffic, and a flag turns a feature off without a deploy",
        ),
        Practice(
            "Rollback",
            "redeploy the previous build; no migration needs undoing because each is "
            "additive and the contract step comes a release later",
            "a rollback that needs a down-migration under pressure is where data is lost",
        ),
    )


def _recovery(system: System, missing: list[MissingKey]) -> tuple[Practice, ...]:
    db = system.infrastructure.database
    budget = _budget(system)
    out = [
        Practice(
            "Backups",
            _PITR[db],
            "a bad migration or a deleted table is undone by restoring to the minute before it",
        )
    ]
    if budget is None:
        missing.append(MissingKey("requirements.availability", "the recovery time budget"))
    else:
        availability = system.requirements.availability
        text = f"recover within {budget:.1f} minutes a month ((1 − {availability:g}/100) × 30 days)"
        volume = system.requirements.scale.data_volume_gb
        if volume:
            text += (
                f"; restoring {volume:g} GB in that time needs at least "
                f"{volume / budget:.2f} GB/min ({volume:g} GB / {budget:.1f} min), to be "
                "proven by a quarterly restore drill"
            )
        else:
            missing.append(
                MissingKey("requirements.scale.data_volume_gb", "the restore speed to prove")
            )
        replicas = system.infrastructure.read_replicas
        if replicas:
            text += f"; a failover promotes one of the {replicas} replica(s) instead of restoring"
        out.append(
            Practice(
                "Recovery time",
                text,
                "the availability target is the only recovery objective the spec states",
            )
        )
    out.append(
        Practice(
            "Recovery point",
            "point-in-time recovery loses at most the last unarchived log segment; keep "
            "backups in another region or account than the database",
            "a backup that shares the database's failure domain is lost with it",
        )
    )
    return tuple(out)
