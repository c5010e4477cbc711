"""Mermaid diagrams for the design document: the one diagram format GitHub and GitLab
draw inside Markdown, so a reviewer sees the architecture, the data model and each data
flow where the pull request is reviewed.

Why every label is quoted and cleaned: labels come from the spec. Inside a quoted label
Mermaid ends the string at a double quote and reads `;` as a statement break and `#`
as an entity code, so those become their entity codes or are dropped; identifiers are
generated (`svc_ordering`), never spec text, and never a keyword like `end`. Mermaid
decodes entity codes before it inserts a label as HTML, so `<` and `>` cannot be escaped
there: they become the look-alike quotation marks ‹ and ›, and a label is never markup.
"""

from __future__ import annotations

from generator.model import System
from generator.rules.flows import Flow

_DATABASE = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}


def _label(text: str) -> str:
    cleaned = " ".join(text.split()).replace("#", "").replace(";", ",")
    cleaned = cleaned.replace("<", "\u2039").replace(">", "\u203a")
    return '"' + cleaned.replace('"', "#quot;") + '"'


def _id(prefix: str, name: str) -> str:
    return prefix + "_" + "".join(ch if ch.isalnum() else "_" for ch in name)


def architecture(system: System) -> str:
    lines = ["flowchart LR", f"    clients([{_label('Clients')}])"]
    infra = system.infrastructure
    services = [s.name for s in system.services] or [system.slug]
    edge = infra.gateway or infra.load_balancer
    entry = "edge" if edge else None
    if edge:
        lines.append(f"    edge[{_label(edge)}]")
        lines.append("    clients --> edge")
    lines.append(f"    subgraph system[{_label(system.name)}]")
    for name in services:
        lines.append(f"        {_id('svc', name)}[{_label(name)}]")
    lines.append("    end")
    lines.append(f"    db[({_label(_DATABASE[infra.database])})]")
    if infra.cache:
        lines.append(f"    cache[({_label(infra.cache)})]")
    if infra.queue and system.events:
        lines.append(f"    broker[[{_label(infra.queue)}]]")
    owners = [s.name for s in system.services if s.owns] or services
    for name in services:
        lines.append(f"    {entry or 'clients'} --> {_id('svc', name)}")
    for service in system.services:
        for dependency in service.depends_on:
            text = f"{dependency.description or 'calls'} ({dependency.protocol})"
            lines.append(
                f"    {_id('svc', service.name)} -->|{_label(text)}| {_id('svc', dependency.service)}"
            )
    for name in owners:
        lines.append(f"    {_id('svc', name)} --> db")
        if infra.cache:
            lines.append(f"    {_id('svc', name)} -.-> cache")
    if infra.queue and system.events:
        for service in system.services:
            for event in service.publishes:
                lines.append(f"    {_id('svc', service.name)} -->|{_label(event)}| broker")
            for event in service.consumes:
                lines.append(f"    broker -.->|{_label(event)}| {_id('svc', service.name)}")
    for name, what in sorted(infra.external.items()):
        lines.append(f"    {_id('ext', name)}[{_label(f'{name}: {what}')}]")
        lines.append(f"    system --> {_id('ext', name)}")
    return "\n".join(lines) + "\n"


def er(system: System) -> str:
    """The data model: every table the DDL creates, platform tables included."""
    lines = ["erDiagram"]
    entities = system.tables
    by_name = {e.name: e for e in entities}
    for entity in entities:
        for fk in entity.foreign_keys:
            target = by_name.get(fk.target)
            parent = target.table if target else fk.target_table
            left = "|o" if fk.nullable else "||"
            right = "o|" if fk.kind == "one-to-one" else "o{"
            lines.append(f"    {parent} {left}--{right} {entity.table} : {_label(fk.relation)}")
    for entity in entities:
        lines.append(f"    {entity.table} {{")
        foreign = {fk.column for fk in entity.foreign_keys}
        for column in entity.columns:
            keys = [
                k
                for k, on in (
                    ("PK", column.name in entity.primary_key),
                    ("FK", column.name in foreign),
                )
                if on
            ]
            lines.append(
                f"        {column.type} {column.name}{' ' + ','.join(keys) if keys else ''}"
            )
        lines.append("    }")
    return "\n".join(lines) + "\n"


def sequence(flow: Flow) -> str:
    lines = ["sequenceDiagram"]
    names: dict[str, str] = {}
    for step in flow.steps:
        for party in (step.source, step.target):
            if party not in names:
                names[party] = f"p{len(names)}"
                lines.append(f"    participant {names[party]} as {_label(party)[1:-1]}")
    for step in flow.steps:
        arrow = "-)" if step.kind in ("publish", "deliver") else "->>"
        text = _label(step.action)[1:-1]
        lines.append(f"    {names[step.source]}{arrow}{names[step.target]}: {text}")
    return "\n".join(lines) + "\n"
