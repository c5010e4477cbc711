"""The seven-section design document (seed 003's output format) as Markdown.

The emitter prepares display rows from the model and the analysis; the templates in
templates/design/ only lay them out. Artifacts of other emitters (OpenAPI YAML, DDL,
ASCII diagrams) come in as text so this module never re-derives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic
from generator.model import Column, Entity, Event, Operation, System
from generator.render import render
from generator.rules.analysis import Analysis

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
        tables=[(e, [_column_row(c, e) for c in e.columns]) for e in system.entities],
        auth_label=_AUTH_LABELS[system.security.scheme],
    )


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
    p99 = system.requirements.latency_ms.p99
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
                *(
                    "public" if row.operation.public else ("✓" if x == "allow" else "—")
                    for x in row.access
                ),
            )
            for row in a.security.matrix
        ],
        "validation": [(v.entity, v.field, "; ".join(v.rules)) for v in a.security.validation],
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
        "red": [
            (
                op.method,
                op.path,
                f"{p99:g} ms" if p99 else "add requirements.latency_ms.p99",
                "public" if op.public else "authenticated",
            )
            for op in a.monitoring.endpoints
        ],
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


def _section_of(code: str) -> str:
    """Review findings sit next to what they concern: API in 3, DB in 4, SEC in 6, OBS in 7."""
    return {"API": SECTIONS[2], "DB": SECTIONS[3], "SEC": SECTIONS[5], "OBS": SECTIONS[6]}.get(
        code.rstrip("0123456789"), SECTIONS[0]
    )


def _endpoint(op: Operation, system: System) -> tuple[str, str, str, str, str]:
    if op.public:
        auth = "public"
    elif system.security.scheme == "none":
        auth = "none"
    elif op.roles and len(op.roles) < len(system.security.roles):
        auth = ", ".join(op.roles)
    else:
        auth = "signed in"
    return (op.method, op.path, op.summary, auth, str(op.success_status))


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
