"""Architecture rules: the design against its own NFRs (decision tree, stages, boundaries)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.diagnostics import Severity, quote
from generator.lint.registry import Finding, finding, rule
from generator.rules.scaling import missing_capabilities, plan_scaling
from generator.rules.style import decide_style

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.model import Service, System

# Assumption, stated so the rule can be argued with: one synchronous hop inside a data
# centre (network, serialisation, the callee's own work) costs about this much at p99.
ASSUMED_HOP_P99_MS = 50
HIGH_AVAILABILITY = 99.95  # above "three nines" a single database has no room for failover


def _style_path(system: System) -> str:
    return "architecture.style" if system.style_override else "requirements.team"


@rule(
    "ARC001",
    Severity.WARNING,
    "The style follows the decision tree",
    """The architecture decision tree picks a style from team size, team count,
      domains, traffic spikes and real-time needs; KISS and YAGNI warn against paying
      for distribution (or a monolith's coupling) the requirements do not call for.""",
)
def style(system: System) -> Iterator[Finding]:
    decision = decide_style(system)
    if decision.overridden and system.style_override:
        why = "; ".join(f"{s.question} {s.because}" for s in decision.steps if s.outcome)
        yield finding(
            system,
            "ARC001",
            "architecture.style",
            f"style {quote(decision.style)} but the decision tree recommends "
            f"{quote(decision.recommended)} ({why})",
            "follow the recommendation or record why in 'architecture.rationale' and a decision",
        )


@rule(
    "ARC002",
    Severity.WARNING,
    "The infrastructure fits today's scaling stage",
    """Each scaling stage has its needs (load balancer and replicas from 1K users,
      cache and CDN from 10K, gateway and queues from 100K).""",
)
def current_stage(system: System) -> Iterator[Finding]:
    plan = plan_scaling(system)
    if plan.current is None:
        return
    missing = missing_capabilities(system, plan.current)
    if missing:
        yield finding(
            system,
            "ARC002",
            "requirements.scale.users_now",
            f"{plan.users_now:,} users is stage {plan.current.number} ({plan.current.name}), "
            f"which needs {', '.join(missing)}",
            f"add {', '.join(missing)} under 'infrastructure:'",
        )


@rule(
    "ARC003",
    Severity.INFO,
    "The next scaling stage is planned for",
    """Plan for 10x growth from day one. When growth crosses into the next scaling
      stage, the design should say how the missing pieces arrive.""",
)
def target_stage(system: System) -> Iterator[Finding]:
    plan = plan_scaling(system)
    if plan.target is None or not plan.stage_changes:
        return
    missing = missing_capabilities(system, plan.target)
    if missing:
        path = (
            "requirements.scale.users_12m"
            if plan.target_basis.startswith("requirements")
            else "requirements.scale.users_now"
        )
        yield finding(
            system,
            "ARC003",
            path,
            f"growth to {plan.users_target:,} users ({plan.target_basis}) reaches stage "
            f"{plan.target.number} ({plan.target.name}), which needs {', '.join(missing)}",
            "add them or record the migration plan as a decision",
        )


@rule(
    "ARC004",
    Severity.ERROR,
    "Each entity has one owning service",
    """Each service owns its data. Two services writing one table couple their
      deployments and schemas, which is the distributed monolith.""",
)
def shared_ownership(system: System) -> Iterator[Finding]:
    owners: dict[str, list[str]] = {}
    for service in system.services:
        for entity in service.owns:
            owners.setdefault(entity, []).append(service.name)
    for service in system.services:
        for i, entity in enumerate(service.owns):
            first = owners[entity][0]
            if first != service.name:
                yield finding(
                    system,
                    "ARC004",
                    f"services.{service.name}.owns.{i}",
                    f"{entity} is owned by {quote(first)} and {quote(service.name)}",
                    f"keep {quote(first)} the owner; {quote(service.name)} calls it or uses events",
                )


@rule(
    "ARC005",
    Severity.WARNING,
    "Published events have a consumer",
    """Event-driven services publish what others react to; an event nobody in the
      system consumes is dead code in the contract, or a consumer missing from the
      spec.""",
)
def unconsumed(system: System) -> Iterator[Finding]:
    for service in system.services:
        for i, event in enumerate(service.publishes):
            if not any(e.name == event and e.consumers for e in system.events):
                yield finding(
                    system,
                    "ARC005",
                    f"services.{service.name}.publishes.{i}",
                    f"{quote(service.name)} publishes {quote(event)} but nothing consumes it",
                    "add a consumer or drop the event (suppress if an external system consumes it)",
                )


def _chains(system: System) -> dict[str, list[str]]:
    """The longest synchronous call chain starting at each service (cycles cut)."""
    by_name = {s.name: s for s in system.services}
    memo: dict[str, list[str]] = {}

    def walk(service: Service, seen: tuple[str, ...]) -> list[str]:
        if service.name in memo:
            return memo[service.name]
        best: list[str] = []
        for dep in service.depends_on:
            if dep.service in by_name and dep.service not in seen:
                chain = walk(by_name[dep.service], (*seen, dep.service))
                best = max(best, chain, key=len)
        memo[service.name] = [service.name, *best]
        return memo[service.name]

    return {s.name: walk(s, (s.name,)) for s in system.services}


@rule(
    "ARC006",
    Severity.WARNING,
    "Synchronous call chains fit the latency target",
    f"""Each synchronous hop spends part of the p99 latency target. archsmith assumes
      {ASSUMED_HOP_P99_MS} ms per hop at p99 and flags chains whose hops alone exceed the
      target (events are the alternative to call chains).""",
)
def chain_latency(system: System) -> Iterator[Finding]:
    p99 = system.requirements.latency_ms.p99
    if p99 is None:
        return
    for name, chain in sorted(_chains(system).items()):
        cost = (len(chain) - 1) * ASSUMED_HOP_P99_MS
        if cost > p99:
            yield finding(
                system,
                "ARC006",
                f"services.{name}.depends_on",
                f"call chain {' -> '.join(chain)} has {len(chain) - 1} hops, "
                f"about {cost} ms at p99 "
                f"(assuming {ASSUMED_HOP_P99_MS} ms per hop), over the {p99:g} ms target",
                "shorten the chain, cache, or replace calls with events",
            )


@rule(
    "ARC007",
    Severity.ERROR,
    "Service dependencies have no cycles",
    """Service boundaries are clear: services that call each other in a cycle cannot
      be deployed, scaled or fail independently.""",
)
def cycles(system: System) -> Iterator[Finding]:
    graph = {s.name: [d.service for d in s.depends_on] for s in system.services}
    reported: set[frozenset[str]] = set()
    for start in sorted(graph):
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, []):
                if nxt == start and frozenset(path) not in reported:
                    reported.add(frozenset(path))
                    yield finding(
                        system,
                        "ARC007",
                        f"services.{start}.depends_on",
                        f"services call each other in a cycle: {' -> '.join([*path, start])}",
                        "break the cycle with an event or by merging the services",
                    )
                elif nxt not in path and nxt > start:
                    stack.append((nxt, [*path, nxt]))


@rule(
    "ARC008",
    Severity.ERROR,
    "Events have a queue to travel on",
    """Events travel on a broker (Kafka, RabbitMQ, SQS); services that publish events
      with no queue in the infrastructure have nowhere to send them.""",
)
def queue(system: System) -> Iterator[Finding]:
    publishers = [s for s in system.services if s.publishes]
    if publishers and system.infrastructure.queue is None:
        yield finding(
            system,
            "ARC008",
            f"services.{publishers[0].name}.publishes",
            f"{quote(publishers[0].name)} publishes events but there is no queue",
            "add 'queue: rabbitmq' (or kafka, sqs) under 'infrastructure:'",
        )


@rule(
    "ARC009",
    Severity.WARNING,
    "Microservices sit behind a gateway",
    """Microservices come with an API gateway: one entry point for routing,
      authentication and rate limits instead of one per service.""",
)
def gateway(system: System) -> Iterator[Finding]:
    if decide_style(system).style == "microservices" and system.infrastructure.gateway is None:
        yield finding(
            system,
            "ARC009",
            "infrastructure.gateway",
            "microservices without an API gateway",
            "add 'gateway: kong' (or envoy, nginx, ...) under 'infrastructure:'",
            location=system.locate(_style_path(system)),
        )


@rule(
    "ARC010",
    Severity.WARNING,
    "High availability has redundancy",
    f"""An availability target above {HIGH_AVAILABILITY}% allows minutes of downtime a
      month; read replicas arrive at scaling stage 2, and without one a database
      failure alone spends the budget.""",
)
def redundancy(system: System) -> Iterator[Finding]:
    target = system.requirements.availability
    if (
        target is not None
        and target >= HIGH_AVAILABILITY
        and system.infrastructure.read_replicas == 0
    ):
        yield finding(
            system,
            "ARC010",
            "requirements.availability",
            f"{target:g}% availability with a single database and no replica",
            "add 'read_replicas: 1' (a failover target) under 'infrastructure:'",
        )
