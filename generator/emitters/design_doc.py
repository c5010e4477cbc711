"""The seven-section design document as Markdown.

The emitter prepares display rows from the model and the analysis; the templates in
templates/design/ only lay them out. Artifacts of other emitters (OpenAPI YAML, DDL,
ASCII diagrams) come in as text so this module never re-derives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic
from generator.emitters import mermaid, yaml_out
from generator.emitters.openapi_schemas import entity_schemas, exposed_columns, writable_columns
from generator.emitters.openapi_shapes import body_schema, view_schema
from generator.emitters.sql import get_dialect, promise_notes
from generator.model import Column, Entity, Event, Operation, System
from generator.render import render
from generator.rules.access import NOT_FOUND_POLICY, access_label
from generator.rules.analysis import Analysis
from generator.rules.flows import Flow, Step

SECTIONS = (
    "1. Executive Summary",
    "2. Architecture Diagram",
    "3. API Specification",
    "4. Database Schema",
    "5. Implementation Notes",
    "6. Security Considerations",
    "7. Monitoring & Observability",
)


@dataclass(frozen=True, slots=True)
class Parts:
    """Text produced by the other emitters, embedded verbatim in code blocks."""

    openapi_yaml: str | None = None
    ddl: str | None = None  # PostgreSQL
    ascii_architecture: str | None = None
    ascii_er: str | None = None
    ascii_auth: str | None = None
    findings: tuple[Diagnostic, ...] = ()
    links: dict[str, str] = field(default_factory=dict)  # artifact name -> relative path


def render_design(system: System, analysis: Analysis, parts: Parts = Parts()) -> str:
    """Sections 3 and 4 summarize and link: the full contract and DDL stay in their files,
    so the document grows with the design's decisions, not with its listings."""
    findings: dict[str, list[Diagnostic]] = {}
    for finding in parts.findings:
        findings.setdefault(_section_of(finding.code), []).append(finding)
    return render(
        "design/design.md.j2",
        system=system,
        a=analysis,
        parts=parts,
        sections=SECTIONS,
        findings=findings,
        endpoints=[_endpoint(op, system) for op in system.api.operations],
        rows=_rows(system, analysis),
        table_rows=[_table_row(e) for e in system.tables],
        platform_count=len(system.platform_tables),
        dialect_notes=[
            (label, note)
            for name, label in _DIALECT_LABELS.items()
            for note in promise_notes(get_dialect(name), system.tables)
        ],
        sample_table=_sample_table(system, parts.ddl),
        ddl_files=[f"schema.{d}.sql" for d in ("postgresql", "mysql", "sqlite")],
        exchange=_exchange(system),
        flows=[_flow_view(flow) for flow in analysis.flows],
        mermaid={
            "architecture": mermaid.architecture(system),
            "er": mermaid.er(system),
        },
        auth_label=_auth_label(system),
        key_note=_key_note(system.tables),
        not_found_policy=NOT_FOUND_POLICY,
    )


_DIALECT_LABELS = {"postgresql": "PostgreSQL", "mysql": "MySQL/MariaDB", "sqlite": "SQLite"}


@dataclass(frozen=True, slots=True)
class _FlowView:
    requirement: str
    because: str
    steps: tuple[Step, ...]
    diagram: str


def _flow_view(flow: Flow) -> _FlowView:
    return _FlowView(flow.requirement, flow.because, flow.steps, mermaid.sequence(flow))


def _table_row(entity: Entity) -> tuple[str, int, str, int, str]:
    targets = sorted({fk.target_table for fk in entity.foreign_keys})
    kind = entity.platform.replace("-", " ") if entity.platform else ""
    purpose = entity.description or kind
    if kind and entity.description:
        purpose = f"{kind}: {entity.description}"
    return (
        entity.table,
        len(entity.columns),
        ", ".join(targets) or "—",
        len(entity.indexes),
        purpose,
    )


@dataclass(frozen=True, slots=True)
class _SampleTable:
    name: str
    ddl: str


def _sample_table(system: System, ddl: str | None) -> _SampleTable | None:
    """The table with the most relations in and out (spec order breaks ties), cut from the
    PostgreSQL DDL: its CREATE TABLE and the indexes, triggers and comments that follow."""
    candidates = [e for e in system.entities if not e.is_join_table]
    if ddl is None or not candidates:
        return None
    degree = {e.name: len(e.foreign_keys) for e in candidates}
    for entity in system.entities:
        for fk in entity.foreign_keys:
            if fk.target in degree:
                degree[fk.target] += 1
    chosen = max(candidates, key=lambda e: (degree[e.name], -candidates.index(e)))
    start = ddl.find(f"CREATE TABLE {chosen.table} (")
    if start < 0:
        start = ddl.find(f'CREATE TABLE "{chosen.table}" (')
    if start < 0:
        return None
    end = ddl.find("\n\n", start)
    return _SampleTable(chosen.table, ddl[start : end if end >= 0 else len(ddl)].rstrip())


def _exchange(system: System) -> str | None:
    """One request and response in the shape the design format uses, from the same
    columns as the contract: the create where authorization matters most (a record the
    caller owns, else any signed-in create, else the first)."""
    creates = [op for op in system.api.operations if op.kind == "create" and op.entity]
    if not creates:
        return _custom_exchange(system)
    op = min(creates, key=lambda o: (not o.owned, o.public))
    assert op.entity is not None
    entity = system.entity(op.entity)
    request: Any = {c.json_name: _type_word(c) for c in writable_columns(system, entity)}
    request |= {c.input: "string (password)" for c in entity.columns if c.input is not None}
    response: Any = {c.json_name: _type_word(c) for c in exposed_columns(system, entity)}
    return _render_exchange(system, op, request, response)


def _custom_exchange(system: System) -> str | None:
    """No plain create: the first protected custom POST that takes and returns a body."""
    op = next(
        (
            o
            for o in system.api.operations
            if o.kind == "custom" and o.method == "POST" and o.request and o.response
        ),
        None,
    )
    if op is None or op.request is None or op.response is None:
        return None
    owner = system.entity(op.entity) if op.entity else None
    request = _words(system, body_schema(system, op.request, request=True, entity=owner))
    response = _words(system, body_schema(system, op.response, request=False, entity=owner))
    return _render_exchange(system, op, request, response)


def _render_exchange(system: System, op: Operation, request: Any, response: Any) -> str:
    scheme = system.security.scheme
    auth = _AUTH_HEADERS[scheme]
    if scheme == "jwt" and system.security.header == "Token":
        auth = "Token {token}"
    headers = {} if op.public else {"Authorization": auth}
    exchange: dict[str, Any] = {
        "path": op.path,
        "method": op.method,
        "description": op.summary,
        "request": {
            **({"headers": headers} if headers and headers["Authorization"] else {}),
            "body": {"type": "object", "properties": request},
        },
        "response": {
            str(op.success_status): {"body": response},
            "422": {
                "body": {
                    "error": {
                        "code": "VALIDATION_ERROR",
                        "message": "string",
                        "details": [{"field": "string", "message": "string"}],
                    }
                }
            },
        },
    }
    return yaml_out.dump({"endpoints": [exchange]})


def _words(system: System, schema: Any, depth: int = 0) -> Any:
    """A JSON Schema as the exchange shows bodies: each property's type in words."""
    if isinstance(schema, dict) and "$ref" in schema and depth < 6:
        name = schema["$ref"].rsplit("/", 1)[-1]
        views = {v.name: v for v in system.api.views}
        if name in views:
            return _words(system, view_schema(system, views[name]), depth + 1)
        entity = system.find_entity(name.removesuffix("Create"))
        if entity is not None:
            return _words(system, entity_schemas(system, entity)[name], depth + 1)
        return name
    if not isinstance(schema, dict):
        return "any"
    if "properties" in schema:
        return {k: _words(system, v, depth + 1) for k, v in schema["properties"].items()}
    if schema.get("type") == "array":
        return [_words(system, schema.get("items"), depth + 1)]
    kind = schema.get("type", "any")
    kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind]
    word = kinds[0] if kinds else "any"
    if "format" in schema:
        word = f"{word} ({schema['format']})"
    return f"{word}, nullable" if isinstance(kind, list) and "null" in kind else word


def _type_word(column: Column) -> str:
    word = column_type(column)
    return f"{word}, nullable" if column.nullable else word


_AUTH_HEADERS = {
    "jwt": "Bearer {token}",
    "oauth2": "Bearer {token}",
    "api-key": "ApiKey {key}",
    "session": "",
    "none": "",
}


def _rows(system: System, a: Analysis) -> dict[str, list[tuple[Any, ...]]]:
    """Display rows for every table of the document, prepared once so templates only lay out."""
    infra = system.infrastructure
    components = [
        (
            "Database",
            f"{infra.database}"
            + (f" + {infra.read_replicas} read replica(s)" if infra.read_replicas else ""),
        ),
        ("Cache", infra.cache),
        ("Queue / stream", infra.queue),
        ("API gateway", infra.gateway),
        ("Load balancer", infra.load_balancer),
        ("Search", infra.search),
        ("Object storage", infra.object_storage),
        ("CDN", infra.cdn),
        ("Cloud", infra.cloud),
    ]
    return {
        "style": [
            (st.question, _yes_no(st.answer), st.because, st.outcome or "—") for st in a.style.steps
        ],
        "capacity": [(f.name, _figure(f.value, f.unit), f.formula) for f in a.capacity.figures],
        "services": [
            (
                sv.name,
                sv.responsibility,
                ", ".join(sv.owns) or "—",
                ", ".join(f"{d.service} ({d.protocol})" for d in sv.depends_on) or "—",
                ", ".join(sv.publishes) or "—",
                ", ".join(sv.consumes) or "—",
            )
            for sv in system.services
        ],
        "events": [
            (
                e.name,
                e.address,
                ", ".join(e.publishers) or "—",
                ", ".join(e.consumers) or "—",
                _payload_summary(e),
            )
            for e in system.events
        ],
        "infrastructure": [(name, tech) for name, tech in components if tech]
        + [(f"External: {name}", what) for name, what in sorted(infra.external.items())],
        "recommendations": [
            (r.topic, r.advice, r.because, "yes" if r.satisfied else "no")
            for r in a.recommendations
        ],
        "decisions": [(d.id, d.title, d.status, d.decision) for d in system.decisions],
        "matrix": [
            (
                f"{row.operation.id}",
                f"{row.operation.method} {row.operation.path}",
                *("public" if row.operation.public else _MATRIX_CELL[x] for x in row.access),
            )
            for row in a.security.matrix
        ],
        "validation": [(v.entity, v.field, "; ".join(v.rules)) for v in a.security.validation],
        "ownership": _ownership_rows(system),
        "protected": [
            (
                entity,
                c.name,
                "sensitive" if c.sensitive else "pii",
                "never returned by the API; hashed or encrypted at rest"
                if c.sensitive
                else "encrypted at rest, redacted from logs, erased on request",
            )
            for entity, c in a.security.protected_fields
        ],
        "checks": [(c.rule, "✓" if c.status else "✗", c.detail) for c in a.security.checks],
        "compliance": [(c.rule, "✓" if c.status else "✗", c.detail) for c in a.security.compliance],
        "slos": [
            (
                name,
                slo.indicator + (f" < {slo.threshold_ms:g} ms" if slo.threshold_ms else ""),
                f"{slo.target:g}%",
                f"{slo.window_days} days",
            )
            for name, slo in sorted(system.observability.slos.items())
        ],
        "alerts": [(al.name, al.condition, al.severity, al.source) for al in a.monitoring.alerts],
        "failures": [(f.component, f.failure, f.effect, f.handling) for f in a.resilience.modes],
        "trade_offs": [(t.decision, t.gains, t.costs, t.mitigation) for t in a.trade_offs],
        "stack": [(i.part, i.technology, i.because) for i in a.stack.items],
        "testing": [(p.topic, p.practice, p.because) for p in a.delivery.testing],
        "deployment": [(p.topic, p.practice, p.because) for p in a.delivery.deployment],
        "recovery": [(p.topic, p.practice, p.because) for p in a.delivery.recovery],
    }


def _yes_no(answer: bool | None) -> str:
    return "unknown" if answer is None else ("yes" if answer else "no")


def _figure(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if value >= 100 or float(value).is_integer() else f"{value:,.1f}"
    return f"{text} {unit}".strip()


_AUTH_LABELS = {
    "jwt": "JWT bearer tokens",
    "api-key": "API keys",
    "oauth2": "OAuth 2.0",
    "session": "server-side sessions (cookie)",
    "none": "no authentication",
}


def _auth_label(system: System) -> str:
    if system.security.scheme == "jwt" and system.security.header == "Token":
        return "JWT sent as 'Authorization: Token <jwt>'"
    return _AUTH_LABELS[system.security.scheme]


def _key_note(tables: Sequence[Entity]) -> str:
    """Which primary keys are not UUIDs: bigint identities and natural (string) keys."""
    by_key: dict[str, list[str]] = {}
    for e in tables:
        if e.primary_key == ("id",):
            by_key.setdefault(e.column("id").type, []).append(e.table)
    if set(by_key) <= {"uuid"}:
        return "Every table has a UUID primary key"
    kinds = {"bigint": "a bigint identity", "string": "a natural key chosen on create"}
    others = "; ".join(
        f"{kinds[k]} in {', '.join(by_key[k])}" for k in ("bigint", "string") if k in by_key
    )
    return (
        f"Primary keys are UUIDs except {others}"
        if "uuid" in by_key
        else (f"Primary keys: {others}")
    )


def _section_of(code: str) -> str:
    """Review findings sit next to what they concern: API in 3, DB in 4, SEC in 6, OBS in 7."""
    return {"API": SECTIONS[2], "DB": SECTIONS[3], "SEC": SECTIONS[5], "OBS": SECTIONS[6]}.get(
        code.rstrip("0123456789"), SECTIONS[0]
    )


_MATRIX_CELL = {"allow": "✓", "own": "own", "deny": "—"}


def _ownership_rows(system: System) -> list[tuple[str, str, str]]:
    rows = []
    for entity in system.entities:
        owner = entity.ownership
        if owner is None:
            continue
        if owner.relation is None:
            who = "the account itself"
        elif owner.direct:
            who = f"{owner.column} (taken from the caller)"
        else:
            who = f"through {owner.relation} ({owner.target}'s owner)"
        index = "primary key" if owner.column == "id" else _owner_index(entity, owner.column)
        rows.append((entity.name, who, index))
    return rows


def _owner_index(entity: Entity, column: str) -> str:
    leading = [ix.name for ix in entity.indexes if ix.columns[0] == column]
    return leading[0] if leading else "none; add one under indexes"


def _endpoint(op: Operation, system: System) -> tuple[str, str, str, str, str]:
    return (op.method, op.path, op.summary, access_label(system, op), str(op.success_status))


def column_type(column: Column) -> str:
    if column.type in ("string", "email", "url") and column.max_length:
        return f"{column.type}({column.max_length})"
    if column.type == "decimal":
        return f"decimal({column.precision},{column.scale})"
    if column.type == "enum":
        return "enum"
    return column.type


def _column_row(column: Column, entity: Entity) -> tuple[str, str, str, str]:
    constraints: list[str] = []
    if column.name in entity.primary_key:
        constraints.append("PK")
    fk = next((fk for fk in entity.foreign_keys if fk.column == column.name), None)
    if fk is not None:
        constraints.append(f"FK → {fk.target_table}.id ({fk.on_delete})")
    if column.unique:
        constraints.append("UNIQUE among active rows" if entity.soft_delete else "UNIQUE")
    constraints.append("NULL" if column.nullable else "NOT NULL")
    if column.values:
        constraints.append("IN (" + ", ".join(column.values) + ")")
    if column.default is not None:
        constraints.append(
            f"DEFAULT {str(column.default).lower() if isinstance(column.default, bool) else column.default}"
        )
    if column.pii:
        constraints.append("PII")
    if column.sensitive:
        constraints.append("sensitive")
    return (column.name, column_type(column), ", ".join(constraints), column.description)


def _payload_summary(event: Event) -> str:
    """What an event carries, in a few words: the entity's view and the added fields."""
    parts = [f"{event.entity} (public view)"] if event.entity else []
    parts += [c.json_name for c in event.fields]
    return ", ".join(parts) if parts else f"not declared: add events.{event.name}"
