"""`workspace.dsl`: the architecture as a Structurizr DSL workspace.

What maps to what (C4): the system is a software system; each service, the database,
cache, queue and search engine are its containers; the external systems of
`infrastructure.external` are software systems of their own; each role is a person who
uses the system through its API. Relationships carry the protocol as technology: the
services' synchronous calls, event publishing and consuming through the broker, and
data access. Two views: the system context and the containers, auto-laid out.

Why every string goes through `_text`: names and descriptions come from the spec, and a
quote or newline in one must not end a DSL string early (the DSL has no other escape
that all its readers agree on, so both are replaced).
"""

from __future__ import annotations

from generator.model import System

_STORES = {
    "database": ("Database", "Stores the system's records.", "Database"),
    "cache": ("Cache", "Holds hot reads and rate-limit counters.", "Database"),
    "queue": ("Message broker", "Carries the events between services.", "Queue"),
    "search": ("Search engine", "Serves full-text search.", "Database"),
}
_TECHNOLOGY = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
    "redis": "Redis",
    "memcached": "Memcached",
    "kafka": "Kafka",
    "rabbitmq": "RabbitMQ",
    "sqs": "Amazon SQS",
    "redis-streams": "Redis Streams",
    "nats": "NATS",
    "elasticsearch": "Elasticsearch",
    "opensearch": "OpenSearch",
    "meilisearch": "Meilisearch",
    "postgresql-fts": "PostgreSQL full-text search",
}
_BROKER_PROTOCOL = {
    "kafka": "Kafka",
    "rabbitmq": "AMQP",
    "sqs": "SQS",
    "redis-streams": "Redis",
    "nats": "NATS",
}


def _text(value: str) -> str:
    cleaned = " ".join(value.replace('"', "'").replace("\\", "/").split())
    return f'"{cleaned}"'


def _ident(*parts: str) -> str:
    """A DSL identifier: letters, digits and underscores."""
    joined = "_".join(parts)
    return "".join(ch if ch.isalnum() else "_" for ch in joined).lower()


def render(system: System) -> str:
    lines: list[str] = []
    out = lines.append
    me = _ident("system", system.slug)
    infra = system.infrastructure
    out(f"workspace {_text(system.name)} {_text(system.description or system.name)} {{")
    out("    !identifiers flat")
    out("")
    out("    model {")
    for role in system.security.roles:
        described = role.description or f"Uses {system.name} as {role.name}."
        out(f"        {_ident('role', role.name)} = person {_text(role.name)} {_text(described)}")
    for name, what in infra.external.items():
        out(f"        {_ident('external', name)} = softwareSystem {_text(name)} {_text(what)} {{")
        out('            tags "External"')
        out("        }")
    out(f"        {me} = softwareSystem {_text(system.name)} {_text(system.description)} {{")
    services = system.services or ()
    for service in services:
        technology = service.technology or "Service"
        out(
            f"            {_ident('service', service.name)} = container {_text(service.name)} "
            f"{_text(service.responsibility or service.name)} {_text(technology)}"
        )
    if not services:
        out(
            f"            {_ident('app', system.slug)} = container {_text(system.name)} "
            f"{_text('The application.')} {_text('Application')}"
        )
    stores = _stores(system)
    for key, (title, what, tag, technology) in stores.items():
        out(
            f"            {_ident('store', key)} = container {_text(title)} {_text(what)} "
            f"{_text(technology)} {{"
        )
        out(f"                tags {_text(tag)}")
        out("            }")
    out("        }")
    out("")
    callers = [_ident("service", s.name) for s in services] or [_ident("app", system.slug)]
    entry = callers[0] if not services else None
    for role in system.security.roles:
        target = entry or me
        out(
            f"        {_ident('role', role.name)} -> {target} {_text('Uses the API')} {_text('HTTPS')}"
        )
    for service in services:
        for dependency in service.depends_on:
            out(
                f"        {_ident('service', service.name)} -> {_ident('service', dependency.service)} "
                f"{_text(dependency.description or 'Calls')} {_text(dependency.protocol.upper())}"
            )
    if "queue" in stores and infra.queue is not None:
        protocol = _BROKER_PROTOCOL[infra.queue]
        for service in services:
            for event in service.publishes:
                out(
                    f"        {_ident('service', service.name)} -> {_ident('store', 'queue')} "
                    f"{_text(f'Publishes {event}')} {_text(protocol)}"
                )
            for event in service.consumes:
                out(
                    f"        {_ident('store', 'queue')} -> {_ident('service', service.name)} "
                    f"{_text(f'Delivers {event}')} {_text(protocol)}"
                )
    if "database" in stores:
        owners = [s for s in services if s.owns] or services
        for caller in [_ident("service", s.name) for s in owners] or callers:
            out(
                f"        {caller} -> {_ident('store', 'database')} "
                f"{_text('Reads and writes')} {_text('SQL')}"
            )
    data_owners = [_ident("service", s.name) for s in services if s.owns] or callers
    for extra in ("cache", "search"):
        if extra in stores:
            for caller in data_owners:
                out(f"        {caller} -> {_ident('store', extra)} {_text('Uses')}")
    # The spec names what an external system does, not which service calls it, so the
    # relationship is drawn from the system as a whole rather than guessed per service.
    for name, what in infra.external.items():
        out(f"        {me} -> {_ident('external', name)} {_text(what)} {_text('HTTPS')}")
    out("    }")
    out("")
    out("    views {")
    out(f"        systemContext {me} {_text('SystemContext')} {{")
    out("            include *")
    out("            autolayout lr")
    out("        }")
    out(f"        container {me} {_text('Containers')} {{")
    out("            include *")
    out("            autolayout lr")
    out("        }")
    out("        styles {")
    out('            element "Person" {')
    out("                shape Person")
    out("            }")
    out('            element "Database" {')
    out("                shape Cylinder")
    out("            }")
    out('            element "Queue" {')
    out("                shape Pipe")
    out("            }")
    out('            element "External" {')
    out("                background #999999")
    out("            }")
    out("        }")
    out("    }")
    out("}")
    return "\n".join(lines) + "\n"


def _stores(system: System) -> dict[str, tuple[str, str, str, str]]:
    infra = system.infrastructure
    chosen = {
        "database": infra.database,
        "cache": infra.cache,
        "queue": infra.queue,
        "search": infra.search,
    }
    return {
        key: (*_STORES[key], _TECHNOLOGY[value])
        for key, value in chosen.items()
        if value is not None
    }
