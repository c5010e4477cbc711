"""Every rule applied to one system: the decisions the emitters render."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import System
from generator.rules.capacity import Capacity, estimate
from generator.rules.delivery import Delivery, plan_delivery
from generator.rules.flows import Flow, data_flows
from generator.rules.missing import MissingKey
from generator.rules.observability import MonitoringPlan, plan_monitoring
from generator.rules.recommendations import Recommendation, recommend
from generator.rules.resilience import Resilience, plan_resilience
from generator.rules.scaling import ScalingPlan, missing_capabilities, over_budget, plan_scaling
from generator.rules.security import SecurityPlan, plan_security
from generator.rules.stack import Stack, choose_stack
from generator.rules.style import StyleDecision, decide_style
from generator.rules.tradeoffs import TradeOff, trade_offs

_CAPABILITY_NAMES = {
    "load_balancer": "a load balancer (infrastructure.load_balancer)",
    "read_replicas": "read replicas (infrastructure.read_replicas)",
    "cache": "a cache (infrastructure.cache)",
    "cdn": "a CDN (infrastructure.cdn)",
    "gateway": "an API gateway (infrastructure.gateway)",
    "queue": "a queue or event stream (infrastructure.queue)",
}


@dataclass(frozen=True, slots=True)
class Note:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Analysis:
    style: StyleDecision
    scaling: ScalingPlan
    capacity: Capacity
    recommendations: tuple[Recommendation, ...]
    security: SecurityPlan
    monitoring: MonitoringPlan
    risks: tuple[Note, ...]
    details: tuple[Note, ...]  # critical implementation details
    pitfalls: tuple[Note, ...]
    flows: tuple[Flow, ...]
    resilience: Resilience
    trade_offs: tuple[TradeOff, ...]
    delivery: Delivery
    stack: Stack
    missing: tuple[MissingKey, ...]  # every key a rule needed, deduplicated and sorted


def analyze(system: System) -> Analysis:
    style = decide_style(system)
    scaling = plan_scaling(system)
    capacity = estimate(system)
    security = plan_security(system)
    monitoring = plan_monitoring(system)
    resilience = plan_resilience(system)
    delivery = plan_delivery(system)
    stack = choose_stack(system)
    missing = sorted(
        {
            *style.missing,
            *scaling.missing,
            *capacity.missing,
            *security.missing,
            *monitoring.missing,
            *resilience.missing,
            *delivery.missing,
            *stack.missing,
        }
    )
    return Analysis(
        style,
        scaling,
        capacity,
        recommend(system, capacity),
        security,
        monitoring,
        _risks(system, style, scaling),
        _details(system),
        _pitfalls(system),
        data_flows(system),
        resilience,
        trade_offs(system, style.style),
        delivery,
        stack,
        tuple(missing),
    )


def _risks(system: System, style: StyleDecision, scaling: ScalingPlan) -> tuple[Note, ...]:
    risks: list[Note] = []
    if style.overridden:
        risks.append(
            Note(
                "Style differs from the decision tree",
                f"The spec chooses {style.style}; the decision tree recommends {style.recommended}. Record the reason as an ADR.",
            )
        )
    if scaling.current is not None:
        gaps = missing_capabilities(system, scaling.current)
        if gaps:
            risks.append(
                Note(
                    f"Stage {scaling.current.number} without its infrastructure",
                    "Missing " + ", ".join(_CAPABILITY_NAMES[g] for g in gaps) + ".",
                )
            )
    if scaling.stage_changes and scaling.target is not None:
        gaps = missing_capabilities(system, scaling.target)
        needs = (
            (" It will need " + ", ".join(_CAPABILITY_NAMES[g] for g in gaps) + ".") if gaps else ""
        )
        risks.append(
            Note(
                f"Stage change to {scaling.target.number} ({scaling.target.name})",
                f"Growth to {scaling.users_target:,} users ({scaling.target_basis}) crosses into stage {scaling.target.number}, {scaling.target.cost_band}/month.{needs}",
            )
        )
    budget = system.requirements.budget_usd_per_month
    for label, stage in (("now", scaling.current), ("at the planned growth", scaling.target)):
        if stage is not None and over_budget(system, stage):
            risks.append(
                Note(
                    f"Stage {stage.number} costs more than the budget",
                    f"Stage {stage.number} ({stage.name}) {label} typically costs "
                    f"{stage.cost_band}/month, above the stated budget of ${budget:,.0f}/month "
                    "(requirements.budget_usd_per_month); plan the spend or the scope.",
                )
            )
            break
    if (
        style.style in ("monolith", "modular-monolith")
        and scaling.target is not None
        and scaling.target.number >= 4
    ):
        risks.append(
            Note(
                f"Stage {scaling.target.number} topology versus the {style.style}",
                f"Stage {scaling.target.number} is usually reached with {scaling.target.topology}; "
                f"this design stays a {style.style} (see why above), so it scales the deployable "
                "horizontally and splits out a module only when its load or team demands it.",
            )
        )
    if system.infrastructure.read_replicas == 0 and (system.requirements.availability or 0) >= 99.9:
        risks.append(
            Note(
                "Single database",
                f"A {system.requirements.availability:g}% availability target with no replica leaves the database as a single point of failure.",
            )
        )
    if len(system.services) > 1 and style.style in ("microservices", "event-driven"):
        chains = [s.name for s in system.services if len(s.depends_on) >= 2]
        if chains:
            risks.append(
                Note(
                    "Synchronous fan-out",
                    f"{', '.join(chains)} call several services synchronously; each call needs a timeout and a circuit breaker.",
                )
            )
    return tuple(risks)


def _details(system: System) -> tuple[Note, ...]:
    notes: list[Note] = []
    versioned = [e.name for e in system.entities if e.versioned]
    if versioned:
        notes.append(
            Note(
                "Optimistic locking",
                f"{', '.join(versioned)}: update with `WHERE id = $1 AND version = $2`, bump the version, return 409 when no row matched; clients send the ETag back in If-Match.",
            )
        )
    soft = [e.table for e in system.entities if e.soft_delete]
    if soft:
        notes.append(
            Note(
                "Soft delete",
                f"{', '.join(soft)}: queries go through the active_* views; unique constraints are partial on `deleted_at IS NULL` so a deleted value can be reused.",
            )
        )
    cascades = [
        f"{e.table}.{fk.column}"
        for e in system.entities
        for fk in e.foreign_keys
        if fk.on_delete == "cascade" and not e.is_join_table
    ]
    if cascades:
        notes.append(
            Note(
                "Cascading deletes",
                f"Deleting a parent removes {', '.join(cascades)}; keep these in one transaction and never cascade across service boundaries.",
            )
        )
    search = [e.name for e in system.entities if e.search]
    if search:
        notes.append(
            Note(
                "Full-text search",
                f"{', '.join(search)}: the search vector is maintained by a trigger with weighted fields; rank with ts_rank and paginate by rank, then id.",
            )
        )
    if system.events:
        notes.append(
            Note(
                "Events",
                "Publish after commit through an outbox table; every event carries id, type, aggregateId, timestamp and data, and consumers dedupe on id.",
            )
        )
    notes.append(
        Note(
            "Transactions",
            "Multi-step writes (e.g. an aggregate and its children) run in one transaction; validate input before opening it.",
        )
    )
    return tuple(notes)


def _pitfalls(system: System) -> tuple[Note, ...]:
    notes: list[Note] = []
    includes = [
        f"{e.name} → {', '.join(fk.relation for fk in e.foreign_keys)}"
        for e in system.entities
        if e.foreign_keys and not e.is_join_table
    ]
    if includes:
        notes.append(
            Note(
                "N+1 queries",
                f"Load `include=` relations in one batched query per relation ({'; '.join(includes[:4])}{'; …' if len(includes) > 4 else ''}).",
            )
        )
    if system.api.pagination == "offset":
        notes.append(
            Note(
                "Deep OFFSET pages",
                "OFFSET scans every skipped row; cap `page × limit` or switch api.pagination to cursor when tables grow.",
            )
        )
    pii = [
        f"{e.table}.{c.name}" for e in system.entities for c in e.columns if c.pii or c.sensitive
    ]
    if pii:
        notes.append(
            Note(
                "Personal data in logs",
                f"Redact {', '.join(pii[:6])}{', …' if len(pii) > 6 else ''} from logs, traces and error messages.",
            )
        )
    money = [
        f"{e.table}.{c.name}" for e in system.entities for c in e.columns if c.type == "decimal"
    ]
    if money:
        notes.append(
            Note(
                "Decimal amounts",
                f"{', '.join(money[:6])} travel as strings in JSON and as exact decimals in SQL (NUMERIC/DECIMAL, canonical decimal text in SQLite); never convert through floating point.",
            )
        )
    notes.append(
        Note(
            "Error responses",
            "Return the error envelope everywhere; 500s carry a request id and a generic message, details go to the log.",
        )
    )
    return tuple(notes)
