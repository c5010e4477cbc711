"""Data flows: each functional requirement traced through the services, calls and events.

How a requirement becomes a flow, deterministically: the entities it names (by their
singular or plural words, e.g. "orders", "order items") pick the resource; its verbs
pick the operation (a custom operation named in the text first, then create for
"place, book, create…", update for "change, moderate, assign…", list for "browse,
search, track…"); the service that owns the entity handles it, calls its synchronous
dependencies in the spec's order, reads or writes its table (through the cache when
there is one), and on a write publishes the events about that entity to their consumers.
A requirement that names no entity gets no flow, and says which words would give one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from generator import naming
from generator.model import Entity, Event, Operation, Resource, System

StepKind = Literal["request", "call", "read", "write", "publish", "deliver"]


def _verbs(*stems: str) -> frozenset[str]:
    """Each stem with its third-person and past forms (place, places, placed)."""
    forms = set()
    for stem in stems:
        forms |= {stem, stem + "s", stem + "d" if stem.endswith("e") else stem + "ed"}
    return frozenset(forms)


_CREATE = _verbs("place", "book", "create", "add", "register", "submit", "draft", "write", "post")
_CREATE |= _verbs("upload", "open", "sign")
_UPDATE = _verbs("update", "change", "edit", "manage", "moderate", "assign", "fulfil", "approve")
_UPDATE |= _verbs("publish", "unpublish", "restore", "fulfill")
_READ = _verbs("browse", "list", "search", "track", "follow", "view", "read", "see", "find")
# The verb an event's name ends in, by the kind of write that raises it.
_EVENT_VERBS = {
    "create": _verbs("create", "place", "book", "register", "open", "submit", "add", "publish"),
    "update": _verbs("update", "change", "assign", "plan", "approve", "publish", "complete"),
    "replace": _verbs("update", "change", "replace"),
    "delete": _verbs("delete", "remove", "archive"),
}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Step:
    source: str
    target: str
    action: str
    kind: StepKind


@dataclass(frozen=True, slots=True)
class Flow:
    requirement: str
    operation: Operation | None
    steps: tuple[Step, ...]
    because: str  # how the flow was derived, or why none could be


def data_flows(system: System) -> tuple[Flow, ...]:
    return tuple(_flow(system, text) for text in system.requirements.functional)


def _flow(system: System, text: str) -> Flow:
    words = _WORD.findall(text.lower())
    mentioned = _mentioned_entities(system, words)
    if not mentioned:
        names = ", ".join(_words(e)[1] for e in _entities(system)[:3])
        return Flow(
            text,
            None,
            (),
            f"names no entity of the spec; mention one (e.g. {names}) to derive its flow",
        )
    entity = mentioned[0]
    resource = system.resource_of(entity.name)
    operation, verb = _operation(resource, words) if resource else (None, "")
    if operation is None:
        return Flow(
            text,
            None,
            (),
            f"is about {entity.name}, which no API operation exposes; add a resource for it "
            "under 'api.resources'",
        )
    return Flow(
        text,
        operation,
        _steps(system, entity, operation),
        f"names {entity.name}{f' and {verb!r}' if verb else ''}: {operation.id}",
    )


def _entities(system: System) -> list[Entity]:
    return [e for e in system.entities if not e.is_join_table]


def _words(entity: Entity) -> tuple[str, ...]:
    """The words that name an entity: ("order item", "order items"); a one-word name
    also as a verb ("invoiced" names Invoice)."""
    singular = naming.snake(entity.name).replace("_", " ")
    plural = naming.plural(naming.snake(entity.name)).replace("_", " ")
    verb = () if " " in singular else tuple(sorted(_verbs(singular) - {singular, plural}))
    return (singular, plural, *verb)


def _mentioned_entities(system: System, words: list[str]) -> list[Entity]:
    """Entities the text names; the object of its first verb first ("merchants book
    shipments" is about shipments), then the rest in order of mention."""
    text = " " + " ".join(words) + " "
    verbs = _CREATE | _UPDATE | _READ
    verb_at = next((text.find(f" {w} ") for w in words if w in verbs), -1)
    found: list[tuple[bool, int, int, Entity]] = []
    for entity in _entities(system):
        positions = [text.find(f" {w} ") for w in _words(entity)]
        hits = [p for p in positions if p >= 0]
        if hits:
            first = min(hits)
            before_verb = verb_at >= 0 and first < verb_at
            found.append((before_verb, first, -len(_words(entity)[0]), entity))
    return [entity for *_, entity in sorted(found, key=lambda f: f[:3])]


def _operation(resource: Resource, words: list[str]) -> tuple[Operation | None, str]:
    """The operation the text's first verb asks for: a custom operation of that name,
    else the create, update or list its kind of verb asks for."""
    ops = {op.kind: op for op in resource.operations if op.kind != "custom"}
    custom = {
        form: op
        for op in resource.operations
        if op.kind == "custom"
        for form in _verbs(naming.snake(op.id).split("_")[0])
    }
    singular = naming.snake(resource.entity).replace("_", " ")
    named_by_verb = _verbs(singular) - {singular, naming.plural(singular)}
    kinds_by_verbs = (
        (_CREATE | named_by_verb, ("create",)),
        (_UPDATE, ("update", "replace")),
        (_READ, ("list", "get")),
    )
    for word in words:
        if word in custom:
            return custom[word], word
        for verbs, kinds in kinds_by_verbs:
            chosen = next((ops[k] for k in kinds if k in ops), None)
            if word in verbs and chosen is not None:
                return chosen, word
    return (resource.operations[0] if resource.operations else None), ""


def _steps(system: System, entity: Entity, operation: Operation) -> tuple[Step, ...]:
    handler = entity.owner or (system.services[0].name if system.services else system.slug)
    writes = operation.method in ("POST", "PUT", "PATCH", "DELETE")
    steps = [Step("client", handler, f"{operation.method} {operation.path}", "request")]
    service = next((s for s in system.services if s.name == handler), None)
    # The spec names a service's calls, not which operation makes them: they are drawn
    # where a new record is made (a checkout, a booking), not on every change or read.
    creates = operation.kind == "create" or (
        operation.kind == "custom" and operation.method == "POST"
    )
    for dependency in service.depends_on if service and creates else ():
        action = dependency.description or "call"
        steps.append(Step(handler, dependency.service, f"{action} ({dependency.protocol})", "call"))
    database = system.infrastructure.database
    if writes:
        verb = {"create": "INSERT", "delete": "DELETE"}.get(operation.kind, "UPDATE")
        steps.append(Step(handler, database, f"{verb} {entity.table} in one transaction", "write"))
    elif system.infrastructure.cache:
        cache = system.infrastructure.cache
        steps.append(Step(handler, cache, f"read {naming.snake(entity.name)} keys", "read"))
        steps.append(Step(handler, database, f"SELECT {entity.table} on a cache miss", "read"))
    else:
        steps.append(Step(handler, database, f"SELECT {entity.table}", "read"))
    if writes:
        broker = system.infrastructure.queue or "broker"
        for event in _events_about(system, entity, handler, operation):
            steps.append(Step(handler, broker, f"publish {event.name}", "publish"))
            for consumer in event.consumers:
                steps.append(Step(broker, consumer, f"deliver {event.name}", "deliver"))
    return tuple(steps)


def _events_about(
    system: System, entity: Entity, publisher: str, operation: Operation
) -> list[Event]:
    """Events the handler raises with this write: about this entity (its aggregate, or
    named after it, order.placed for Order) and named for this kind of write (a custom
    operation `cancel` raises order.cancelled, a create raises order.placed)."""
    prefix = naming.snake(entity.name).replace("_", "-")
    if operation.kind == "custom":
        stem = naming.snake(operation.id).split("_")[0]
        verbs = _verbs(stem)
    else:
        verbs = _EVENT_VERBS.get(operation.kind, frozenset())
    return [
        e
        for e in system.events
        if publisher in e.publishers
        and (e.entity == entity.name or e.name.split(".")[0].replace("_", "-") == prefix)
        and e.name.rsplit(".", 1)[-1].replace("-", "_").split("_")[-1] in verbs
    ]
