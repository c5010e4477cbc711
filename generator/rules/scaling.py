"""The five scaling stages of seed 002, "From 100 to 100M Users"."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import System
from generator.rules.missing import MissingKey
from generator.rules.recommendations import HIGH_READ_RATIO


@dataclass(frozen=True, slots=True)
class Stage:
    number: int
    name: str
    min_users: int
    max_users: int
    topology: str
    cost_band: str  # USD per month, as given by seed 002
    needs: tuple[str, ...]  # infrastructure capabilities the stage relies on


STAGES: tuple[Stage, ...] = (
    Stage(1, "Monolith", 100, 1_000, "a single app server and a managed database", "$20-50", ()),
    Stage(
        2,
        "Vertical scaling",
        1_000,
        10_000,
        "a load balancer, 2-3 app servers, database read replicas",
        "$200-500",
        ("load_balancer", "read_replicas"),
    ),
    Stage(
        3,
        "Caching + CDN",
        10_000,
        100_000,
        "CDN for static assets, Redis cache, 5-10 auto-scaled app servers, primary + 2-3 read replicas",
        "$1,000-2,000",
        ("load_balancer", "read_replicas", "cache", "cdn"),
    ),
    Stage(
        4,
        "Microservices",
        100_000,
        1_000_000,
        "API gateway, services with their own databases, event streaming (Kafka/SQS)",
        "$5,000-10,000",
        ("gateway", "cache", "queue", "read_replicas"),
    ),
    Stage(
        5,
        "Distributed + multi-region",
        1_000_000,
        100_000_000,
        "CDN and services per region, multi-master database clusters",
        "$50,000-200,000",
        ("gateway", "cache", "queue", "cdn", "read_replicas"),
    ),
)

GROWTH_PLAN = 10  # "plan for 10x growth from day one", when the spec gives no forecast


def stage_for(users: int) -> Stage:
    for stage in STAGES:
        if users < stage.max_users:
            return stage
    return STAGES[-1]


@dataclass(frozen=True, slots=True)
class ScalingPlan:
    current: Stage | None
    target: Stage | None  # where the design must be able to go next
    users_now: int | None
    users_target: int | None
    target_basis: str  # "users_12m" or "10x users_now"
    missing: tuple[MissingKey, ...]

    @property
    def stage_changes(self) -> bool:
        return (
            self.current is not None
            and self.target is not None
            and self.target.number > self.current.number
        )


def plan_scaling(system: System) -> ScalingPlan:
    scale = system.requirements.scale
    if scale.users_now is None:
        return ScalingPlan(
            None,
            None,
            None,
            None,
            "",
            (MissingKey("requirements.scale.users_now", "scaling stage and cost band"),),
        )
    current = stage_for(scale.users_now)
    # The spec's own forecast wins; 10x growth is only the fallback when it has none.
    if scale.users_12m is not None:
        target_users, basis = scale.users_12m, "requirements.scale.users_12m"
        missing: tuple[MissingKey, ...] = ()
    else:
        target_users = scale.users_now * GROWTH_PLAN
        basis = f"{GROWTH_PLAN}x users_now, as no 12-month forecast is given"
        missing = (MissingKey("requirements.scale.users_12m", "growth target for the next stage"),)
    return ScalingPlan(
        current, stage_for(target_users), scale.users_now, target_users, basis, missing
    )


def cost_floor(stage: Stage) -> int:
    """The low end of a stage's cost band in USD per month ("$1,000-2,000" -> 1000)."""
    return int(stage.cost_band.lstrip("$").split("-")[0].replace(",", ""))


def over_budget(system: System, stage: Stage | None) -> bool:
    budget = system.requirements.budget_usd_per_month
    return stage is not None and budget is not None and cost_floor(stage) > budget


def present_capabilities(system: System) -> set[str]:
    infra = system.infrastructure
    present = {
        name
        for name in (
            "cache",
            "queue",
            "gateway",
            "load_balancer",
            "cdn",
            "search",
            "object_storage",
        )
        if getattr(infra, name)
    }
    if infra.read_replicas > 0:
        present.add("read_replicas")
    if infra.gateway:
        present.add("load_balancer")  # a gateway balances load too
    return present


def missing_capabilities(system: System, stage: Stage) -> tuple[str, ...]:
    """What the stage relies on and the spec lacks. Read replicas and a cache serve read
    load: with a stated read:write ratio below HIGH_READ_RATIO (the ratio from which the
    recommendations offload reads) they are not needed."""
    present = present_capabilities(system)
    ratio = system.requirements.scale.read_write_ratio
    light_reads = ratio is not None and ratio < HIGH_READ_RATIO
    return tuple(
        need
        for need in stage.needs
        if need not in present and not (light_reads and need in ("read_replicas", "cache"))
    )
