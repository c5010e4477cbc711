"""Trade-offs: for each decision the design takes, what it gains, what it costs, and how
the design contains the cost. Only decisions the spec actually takes appear."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import System

_STYLES = {
    "monolith": (
        "one deployable, one database transaction for every change, the simplest operations",
        "everything scales and deploys together; module boundaries erode without discipline",
        "keep modules behind interfaces; split a module out only when its load or team demands it",
    ),
    "modular-monolith": (
        "one deployable and local transactions, with module boundaries that a later split can follow",
        "modules still share a process and a database; a noisy module slows the others",
        "modules talk through interfaces and events, own their tables, and never join across modules",
    ),
    "microservices": (
        "services deploy and scale independently, each team owns one",
        "network calls, partial failure, distributed data and a heavier operations burden",
        "a database per service, timeouts and circuit breakers on every call, events for cross-service changes",
    ),
    "event-driven": (
        "producers and consumers are decoupled in time; consumers scale on their own",
        "eventual consistency and harder debugging of flows that span services",
        "idempotent consumers, dead-letter channels, tracing across event headers",
    ),
    "serverless": (
        "no servers to run, pay per request, scaling to zero",
        "cold starts, execution limits and vendor lock-in",
        "keep functions small, warm the latency-critical ones, isolate vendor APIs behind adapters",
    ),
}


@dataclass(frozen=True, slots=True)
class TradeOff:
    decision: str
    gains: str
    costs: str
    mitigation: str


def trade_offs(system: System, style: str) -> tuple[TradeOff, ...]:
    out: list[TradeOff] = []
    if style in _STYLES:
        out.append(TradeOff(f"{style} architecture", *_STYLES[style]))
    infra = system.infrastructure
    if infra.read_replicas:
        out.append(
            TradeOff(
                f"{infra.read_replicas} read replica(s)",
                "read load leaves the primary; a replica can be promoted on failure",
                "replicas lag the primary, so a read right after a write can miss it",
                "read your own writes from the primary (for the writer's next request)",
            )
        )
    if infra.cache:
        out.append(
            TradeOff(
                f"cache-aside on {infra.cache}",
                "hot reads skip the database",
                "cached entries can be stale, and a cold cache sends every read to the database",
                "delete the key on every write, set a TTL, size the pool for a cold start",
            )
        )
    if infra.queue and system.events:
        out.append(
            TradeOff(
                f"events on {infra.queue}",
                "services react to changes without calling each other",
                "delivery is at least once and consumers see changes later (eventual consistency)",
                "deduplicate on the envelope id; an outbox table makes publishing part of the transaction",
            )
        )
    if system.api.pagination == "cursor":
        out.append(
            TradeOff(
                "cursor pagination",
                "stable pages while rows are inserted, index-backed at any depth",
                "no jumping to page N and no total count for free",
                "sort keys end in the primary key so cursors are unique",
            )
        )
    else:
        out.append(
            TradeOff(
                "offset pagination",
                "any page can be requested and counted",
                "deep pages scan and skip rows, and inserts shift pages while a client reads",
                "cap the page size (api.max_page_size) and switch to cursors for large tables",
            )
        )
    soft = [e.name for e in system.entities if e.soft_delete]
    if soft:
        out.append(
            TradeOff(
                f"soft delete ({', '.join(soft)})",
                "deleted rows can be restored and audited",
                "every query must skip deleted rows, and they keep taking space",
                "active-row views and partial unique indexes; purge after the retention period",
            )
        )
    locked = [e.name for e in system.entities if e.versioned]
    if locked:
        out.append(
            TradeOff(
                f"optimistic locking ({', '.join(locked)})",
                "concurrent edits cannot silently overwrite each other",
                "a client whose version is stale gets a conflict and must retry",
                "updates carry If-Match with the version; 412 tells the client to reload",
            )
        )
    if system.security.scheme == "jwt":
        out.append(
            TradeOff(
                "JWT access tokens",
                "any instance verifies a request without a session lookup",
                "a token cannot be revoked before it expires",
                "short access-token lifetime, refresh tokens stored server-side and rotated",
            )
        )
    consistency = system.requirements.consistency
    if consistency is not None:
        out.append(
            TradeOff(
                f"{consistency} consistency",
                "every read sees the latest write"
                if consistency == "strong"
                else "replicas and consumers can serve and scale independently",
                "writes pay for coordination and the primary bounds write throughput"
                if consistency == "strong"
                else "readers can see an older state for a while",
                "reads that must be current go to the primary"
                if consistency == "strong"
                else "show clients when data was last updated; keep money moves transactional",
            )
        )
    return tuple(out)
