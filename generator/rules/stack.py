"""The technology stack: what each part runs on, and why.

Languages and frameworks come from a service's `technology`, else from the team's stated
skills (`requirements.team.skills`), picking the first of the preferred languages the
team knows: Node.js (Express), Python (FastAPI), Go (Gin), Java (Spring Boot). With
neither, the stack names the preferences and asks for the skills instead of choosing.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import System
from generator.rules.missing import MissingKey

PREFERRED = (
    ("node.js", "Express", ("node", "node.js", "nodejs", "javascript", "typescript")),
    ("python", "FastAPI", ("python",)),
    ("go", "Gin", ("go", "golang")),
    ("java", "Spring Boot", ("java", "kotlin")),
)
_LABEL = {"node.js": "Node.js", "python": "Python", "go": "Go", "java": "Java"}
_WHY = {
    "postgresql": "relational integrity, transactions, partial indexes and full-text search in one engine",
    "mysql": "the relational engine the team runs, with transactions and replication",
    "sqlite": "an embedded database for a single-node deployment",
    "redis": "an in-memory store for cache-aside reads and rate-limit counters",
    "memcached": "a simple in-memory cache for hot reads",
    "kafka": "a partitioned log: ordered per key, replayable, for high event volume",
    "rabbitmq": "a broker with routing and acknowledgements, for moderate event volume",
    "sqs": "a managed queue with no broker to operate",
    "redis-streams": "streams on the Redis already run for the cache, for modest event volume",
    "nats": "a lightweight broker with queue groups",
}


@dataclass(frozen=True, slots=True)
class StackItem:
    part: str
    technology: str
    because: str


@dataclass(frozen=True, slots=True)
class Stack:
    items: tuple[StackItem, ...]
    missing: tuple[MissingKey, ...]


def choose_stack(system: System) -> Stack:
    skills = [s.lower() for s in system.requirements.team.skills]
    known = next((entry for entry in PREFERRED if set(entry[2]) & set(skills)), None)
    items: list[StackItem] = []
    missing: list[MissingKey] = []
    parts = [(s.name, s.technology) for s in system.services] or [(system.name, None)]
    for name, declared in parts:
        if declared:
            items.append(StackItem(name, declared, "declared for the service in the spec"))
        elif known is not None:
            language, framework, _ = known
            items.append(
                StackItem(
                    name,
                    f"{_LABEL[language]} with {framework}",
                    f"the team knows {_LABEL[language]} (requirements.team.skills), the first "
                    "of the preferred languages it knows",
                )
            )
        else:
            items.append(
                StackItem(
                    name,
                    "not chosen",
                    "preferred: Node.js (Express), Python (FastAPI), Go (Gin), Java (Spring "
                    "Boot); the team's skills decide",
                )
            )
    if known is None and any(not declared for _, declared in parts):
        missing.append(
            MissingKey("requirements.team.skills", "the language and framework of each service")
        )
    infra = system.infrastructure
    for part, value in (
        ("Database", infra.database),
        ("Cache", infra.cache),
        ("Broker", infra.queue),
    ):
        if value is not None:
            items.append(StackItem(part, value, _WHY.get(value, "declared in the spec")))
    return Stack(tuple(items), tuple(missing))
