"""Capacity numbers derived from the NFRs; each carries the formula that produced it.

Why formulas travel with numbers: a reviewer must be able to check every figure in
the design document against the spec, and nothing here is a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from generator.model import System
from generator.rules.missing import MissingKey

SECONDS_PER_DAY = 86_400
POSTGRES_DEFAULT_MAX_CONNECTIONS = 100  # PostgreSQL's shipped max_connections
DEFAULT_DB_MS = 10.0  # a typical indexed query round trip; stated as an assumption when used


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    value: float
    unit: str
    formula: str


@dataclass(frozen=True, slots=True)
class Capacity:
    figures: tuple[Figure, ...]
    missing: tuple[MissingKey, ...]
    pool_connections: int | None
    needs_pooler: bool

    def get(self, name: str) -> Figure | None:
        return next((f for f in self.figures if f.name == name), None)


def estimate(system: System) -> Capacity:
    scale = system.requirements.scale
    latency = system.requirements.latency_ms
    figures: list[Figure] = []
    missing: list[MissingKey] = []

    avg_qps: float | None = None
    if scale.daily_active_users is not None and scale.requests_per_user_per_day is not None:
        avg_qps = scale.daily_active_users * scale.requests_per_user_per_day / SECONDS_PER_DAY
        figures.append(
            Figure(
                "Average load",
                avg_qps,
                "req/s",
                f"{scale.daily_active_users:,} DAU × {scale.requests_per_user_per_day:g} req/day ÷ 86,400 s",
            )
        )
    else:
        if scale.daily_active_users is None:
            missing.append(
                MissingKey("requirements.scale.daily_active_users", "average request rate")
            )
        if scale.requests_per_user_per_day is None:
            missing.append(
                MissingKey("requirements.scale.requests_per_user_per_day", "average request rate")
            )

    peak = scale.peak_rps
    if peak is not None:
        formula = "requirements.scale.peak_rps"
        if avg_qps:
            formula += f" ({peak / avg_qps:.1f}× the average)"
        figures.append(Figure("Peak load", peak, "req/s", formula))
    else:
        missing.append(
            MissingKey("requirements.scale.peak_rps", "peak load, pool sizing and alert baselines")
        )

    if scale.read_write_ratio is not None and peak is not None:
        ratio = scale.read_write_ratio
        figures.append(
            Figure(
                "Peak reads", peak * ratio / (ratio + 1), "req/s", f"peak × {ratio:g}/({ratio:g}+1)"
            )
        )
        figures.append(
            Figure("Peak writes", peak / (ratio + 1), "req/s", f"peak × 1/({ratio:g}+1)")
        )
    elif scale.read_write_ratio is None:
        missing.append(
            MissingKey(
                "requirements.scale.read_write_ratio",
                "read/write split, replica and cache decisions",
            )
        )

    if scale.data_volume_gb is not None:
        figures.append(
            Figure("Storage now", scale.data_volume_gb, "GB", "requirements.scale.data_volume_gb")
        )
        if scale.data_growth_gb_per_month is not None:
            later = scale.data_volume_gb + 12 * scale.data_growth_gb_per_month
            figures.append(
                Figure(
                    "Storage in 12 months",
                    later,
                    "GB",
                    f"{scale.data_volume_gb:g} GB + 12 × {scale.data_growth_gb_per_month:g} GB/month",
                )
            )
        else:
            missing.append(
                MissingKey("requirements.scale.data_growth_gb_per_month", "storage in 12 months")
            )
    else:
        missing.append(MissingKey("requirements.scale.data_volume_gb", "storage sizing"))

    if peak is not None and latency.p95 is not None:
        # Little's law: requests in flight = arrival rate × time in system; p95 makes it
        # an upper estimate for the application tier, not for the database.
        figures.append(
            Figure(
                "Requests in flight at peak",
                max(1, math.ceil(peak * latency.p95 / 1000)),
                "",
                f"Little's law: {peak:g} req/s × {latency.p95:g} ms (p95)",
            )
        )
    elif latency.p95 is None:
        missing.append(MissingKey("requirements.latency_ms.p95", "requests in flight at peak"))
    pool: int | None = None
    if peak is not None:
        # A connection is busy only while the request's queries run, so the database
        # sees rate × time holding a connection, not rate × end-to-end latency.
        held = latency.db_per_request
        basis = (
            f"{held:g} ms held per request" if held else f"{DEFAULT_DB_MS:g} ms assumed per request"
        )
        if held is None:
            held = DEFAULT_DB_MS
            missing.append(
                MissingKey("requirements.latency_ms.db_per_request", "connection-pool sizing")
            )
        pool = max(1, math.ceil(peak * held / 1000))
        figures.append(
            Figure(
                "Database connections busy at peak",
                pool,
                "",
                f"Little's law at the database: {peak:g} req/s × {basis}",
            )
        )

    if system.infrastructure.cache:
        if scale.data_volume_gb is not None and scale.hot_data_percent is not None:
            size = scale.data_volume_gb * scale.hot_data_percent / 100
            figures.append(
                Figure(
                    "Cache working set",
                    size,
                    "GB",
                    f"{scale.data_volume_gb:g} GB × {scale.hot_data_percent:g}% hot data",
                )
            )
        elif scale.hot_data_percent is None:
            missing.append(MissingKey("requirements.scale.hot_data_percent", "cache sizing"))

    return Capacity(
        tuple(figures),
        tuple(missing),
        pool,
        pool is not None and pool > POSTGRES_DEFAULT_MAX_CONNECTIONS,
    )
