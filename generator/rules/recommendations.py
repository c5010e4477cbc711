"""Technology recommendations: seed 001's scalability table applied to the requirements.

| Challenge       | Solution                   |
| High read load  | Read replicas, caching     |
| High write load | Sharding, partitioning     |
| Large datasets  | Pagination, cursors        |
| Real-time needs | WebSockets, SSE            |
| Background work | Job queues                 |
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import System
from generator.rules.capacity import Capacity

HIGH_READ_RATIO = 10  # ≥10 reads per write: reads dominate enough to offload them
HIGH_WRITE_RATIO = 1  # writes at least as frequent as reads
LARGE_DATASET_GB = 100  # beyond this, OFFSET scans and single-node growth hurt


@dataclass(frozen=True, slots=True)
class Recommendation:
    topic: str
    advice: str
    because: str
    satisfied: bool  # the spec already declares what the advice asks for


def recommend(system: System, capacity: Capacity) -> tuple[Recommendation, ...]:
    req = system.requirements
    infra = system.infrastructure
    out: list[Recommendation] = []
    ratio = req.scale.read_write_ratio
    if ratio is not None and ratio >= HIGH_READ_RATIO:
        out.append(
            Recommendation(
                "High read load",
                "Serve reads from read replicas and a cache-aside layer; invalidate the cached entity on every write.",
                f"read:write ratio is {ratio:g}:1",
                bool(infra.cache) and infra.read_replicas > 0,
            )
        )
    if ratio is not None and ratio <= HIGH_WRITE_RATIO:
        out.append(
            Recommendation(
                "High write load",
                "Partition the busiest tables (by tenant or time) and batch writes; plan sharding before the primary saturates.",
                f"read:write ratio is {ratio:g}:1",
                False,
            )
        )
    later = capacity.get("Storage in 12 months")
    large = later is not None and later.value >= LARGE_DATASET_GB
    if large or system.api.pagination == "cursor":
        reason = (
            f"{later.value:,.0f} GB expected in 12 months"
            if large and later
            else "api.pagination is cursor"
        )
        out.append(
            Recommendation(
                "Large datasets",
                "Use cursor (keyset) pagination on (created_at, id) so deep pages stay index scans.",
                reason,
                system.api.pagination == "cursor",
            )
        )
    if req.realtime:
        out.append(
            Recommendation(
                "Real-time needs",
                "Push updates over WebSockets or Server-Sent Events, fed from the event stream rather than polling.",
                "requirements.realtime is true",
                bool(infra.queue),
            )
        )
    publishes = any(s.publishes for s in system.services)
    if req.background_jobs or publishes:
        why = (
            "requirements.background_jobs is true"
            if req.background_jobs
            else "services publish events"
        )
        out.append(
            Recommendation(
                "Background work",
                "Run slow work (e-mail, payments, projections) from a job queue with retries, exponential backoff and a dead-letter queue.",
                why,
                bool(infra.queue),
            )
        )
    if req.consistency == "strong" and len(system.services) > 1:
        out.append(
            Recommendation(
                "Consistency across services",
                "Keep each invariant inside one service's transaction; publish events with a transactional outbox so state and events never diverge.",
                "consistency is strong and there are several services",
                False,
            )
        )
    if req.consistency == "eventual" and system.events:
        out.append(
            Recommendation(
                "Eventual consistency",
                "Make consumers idempotent (dedupe on event id) and tolerate out-of-order delivery.",
                "consistency is eventual and services exchange events",
                False,
            )
        )
    if capacity.needs_pooler:
        out.append(
            Recommendation(
                "Connection pooling",
                "Put PgBouncer (transaction pooling) between app servers and PostgreSQL.",
                f"{capacity.pool_connections} database connections busy at peak exceed PostgreSQL's default 100",
                False,
            )
        )
    if any(e.search for e in system.entities) and infra.search not in (None, "postgresql-fts"):
        out.append(
            Recommendation(
                "Search index sync",
                f"Feed {infra.search} from change events (outbox or CDC) and rebuild it from the database when mappings change.",
                "full-text search fields and an external search engine are declared",
                bool(infra.queue),
            )
        )
    if infra.cdn is None and req.scale.users_now is not None and req.scale.users_now >= 10_000:
        out.append(
            Recommendation(
                "Static assets",
                "Serve static assets and cacheable GETs through a CDN.",
                "10,000+ users is scaling stage 3 (Caching + CDN)",
                False,
            )
        )
    return tuple(out)
