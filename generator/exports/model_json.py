"""`model.json`: the resolved model for other tools, with a published JSON Schema.

Why a model of its own and not the internal one dumped: the internal model changes with
every refactor; this one is versioned (`model_version`), documented field by field and
only grows within a version. Scripts, catalogs and dashboards build on this; the schema
comes from the same pydantic classes that produce the file, so they cannot disagree.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from generator import __version__
from generator import spec as s
from generator.lint import LintReport
from generator.model import Column, Entity, Event, Operation, System
from generator.rules.analysis import Analysis

MODEL_VERSION = 1


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnOut(_Out):
    name: str = Field(description="Column name in the database.")
    json_name: str = Field(description="Property name in the API and in events.")
    type: s.FieldType
    role: str = Field(description="primary-key, foreign-key, field, version, created-at, …")
    nullable: bool
    default: s.ScalarValue | None
    unique: bool
    values: list[str] = Field(description="Allowed values of an enum.")
    max_length: int | None
    min_length: int | None = Field(description="Fewest characters of a text value.")
    minimum: int | float | None = Field(description="Smallest value of a number.")
    maximum: int | float | None = Field(description="Largest value of a number.")
    precision: int | None
    scale: int | None
    pii: bool
    sensitive: bool = Field(description="Never returned by the API.")
    description: str
    references: str | None = Field(description="Entity a foreign key points to.")


class RelationOut(_Out):
    name: str
    column: str
    target: str
    kind: str
    on_delete: str
    nullable: bool


class IndexOut(_Out):
    name: str
    columns: list[str]
    unique: bool
    origin: str = Field(
        description="declared, foreign-key (added for a relation) or pagination (the "
        "(created_at, id) index cursor pagination reads)."
    )
    where: dict[str, s.ScalarValue | None] = Field(description="Partial index condition.")


class EntityOut(_Out):
    name: str
    table: str
    description: str
    primary_key: list[str]
    columns: list[ColumnOut]
    relations: list[RelationOut]
    indexes: list[IndexOut]
    soft_delete: bool
    versioned: bool
    search: dict[str, str] = Field(description="Full-text search fields and their weights.")
    service: str | None = Field(description="The service that owns the entity.")
    join_table: bool
    platform: str | None = Field(
        description="access-control or outbox for a table the design adds; null for an entity."
    )


class OperationOut(_Out):
    id: str
    kind: str
    method: str
    path: str
    summary: str
    success_status: int
    public: bool
    resource: str | None
    entity: str | None
    permission: str | None
    roles: list[str] = Field(description="Roles granted the operation (empty when public).")


class DependencyOut(_Out):
    service: str
    protocol: str
    description: str


class ServiceOut(_Out):
    name: str
    responsibility: str
    owns: list[str]
    depends_on: list[DependencyOut]
    publishes: list[str]
    consumes: list[str]
    technology: str | None


class EventOut(_Out):
    name: str
    channel: str = Field(description="Topic, queue or subject it travels on.")
    description: str
    version: int
    entity: str | None = Field(description="Aggregate whose public view is the data.")
    fields: list[ColumnOut] = Field(description="Payload fields besides the entity's view.")
    key: str | None = Field(description="Payload property keying the message; null: aggregateId.")
    publishers: list[str]
    consumers: list[str]
    declared: bool = Field(description="Whether the spec declares the payload.")


class RoleOut(_Out):
    name: str
    description: str
    permissions: list[str]


class FigureOut(_Out):
    name: str
    value: float
    unit: str
    formula: str


class StageOut(_Out):
    number: int
    name: str
    cost_band: str


class ArchitectureOut(_Out):
    style: str = Field(description="The style the design uses.")
    recommended: str = Field(description="The style the decision tree recommends.")
    stage_now: StageOut | None
    stage_next: StageOut | None
    users_target: int | None
    users_target_basis: str


class FindingOut(_Out):
    rule: str
    severity: str
    message: str
    hint: str | None
    path: str = Field(description="Dotted spec path the finding is about.")
    line: int
    column: int


class ApiOut(_Out):
    prefix: str
    pagination: str
    page_size: int
    max_page_size: int
    operations: list[OperationOut]


class SecurityOut(_Out):
    scheme: str
    access_token_ttl_minutes: int | None
    refresh_token_ttl_days: int | None
    mfa: bool
    roles: list[RoleOut]


class SystemOut(_Out):
    name: str
    slug: str
    description: str
    version: str
    owners: list[s.Owner]


class ModelOut(_Out):
    """The resolved model of one spec, as archsmith built it."""

    model_version: int = Field(MODEL_VERSION, description="Raised on any incompatible change.")
    archsmith_version: str
    system: SystemOut
    requirements: s.Requirements
    architecture: ArchitectureOut
    capacity: list[FigureOut] = Field(description="Derived figures, each with its formula.")
    services: list[ServiceOut]
    infrastructure: s.Infrastructure
    entities: list[EntityOut]
    platform_tables: list[EntityOut] = Field(
        description="Tables the design adds beside the entities: access control, outbox."
    )
    api: ApiOut
    security: SecurityOut
    events: list[EventOut]
    decisions: list[s.Decision]
    findings: list[FindingOut] = Field(description="The design review's findings.")


def render(system: System, analysis: Analysis, review: LintReport) -> str:
    data = export(system, analysis, review).model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def json_schema() -> dict[str, Any]:
    """The published schema of model.json (`archsmith schema --model`)."""
    schema = ModelOut.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://archsmith.dev/schema/model-v{MODEL_VERSION}.json"
    return schema


def export(system: System, analysis: Analysis, review: LintReport) -> ModelOut:
    scaling = analysis.scaling
    return ModelOut(
        archsmith_version=__version__,
        system=SystemOut(
            name=system.name,
            slug=system.slug,
            description=system.description,
            version=system.version,
            owners=list(system.owners),
        ),
        requirements=system.requirements,
        architecture=ArchitectureOut(
            style=analysis.style.style,
            recommended=analysis.style.recommended,
            stage_now=_stage(scaling.current),
            stage_next=_stage(scaling.target),
            users_target=scaling.users_target,
            users_target_basis=scaling.target_basis,
        ),
        capacity=[
            FigureOut(name=f.name, value=f.value, unit=f.unit, formula=f.formula)
            for f in analysis.capacity.figures
        ],
        services=[
            ServiceOut(
                name=sv.name,
                responsibility=sv.responsibility,
                owns=list(sv.owns),
                depends_on=[
                    DependencyOut(service=d.service, protocol=d.protocol, description=d.description)
                    for d in sv.depends_on
                ],
                publishes=list(sv.publishes),
                consumes=list(sv.consumes),
                technology=sv.technology,
            )
            for sv in system.services
        ],
        infrastructure=system.infrastructure,
        entities=[_entity(e) for e in system.entities],
        platform_tables=[_entity(e) for e in system.platform_tables],
        api=ApiOut(
            prefix=system.api.prefix,
            pagination=system.api.pagination,
            page_size=system.api.page_size,
            max_page_size=system.api.max_page_size,
            operations=[_operation(op) for op in system.api.operations],
        ),
        security=SecurityOut(
            scheme=system.security.scheme,
            access_token_ttl_minutes=system.security.access_token_ttl_minutes,
            refresh_token_ttl_days=system.security.refresh_token_ttl_days,
            mfa=system.security.mfa,
            roles=[
                RoleOut(name=r.name, description=r.description, permissions=list(r.permissions))
                for r in system.security.roles
            ],
        ),
        events=[_event(e) for e in system.events],
        decisions=list(system.decisions),
        findings=[
            FindingOut(
                rule=f.code,
                severity=str(f.severity),
                message=f.message,
                hint=f.hint,
                path=f.path,
                line=f.location.line,
                column=f.location.column,
            )
            for f in review.findings
        ],
    )


def _stage(stage: Any) -> StageOut | None:
    if stage is None:
        return None
    return StageOut(number=stage.number, name=stage.name, cost_band=stage.cost_band)


def _column(c: Column) -> ColumnOut:
    return ColumnOut(
        name=c.name,
        json_name=c.json_name,
        type=c.type,
        role=c.role,
        nullable=c.nullable,
        default=c.default,
        unique=c.unique,
        values=list(c.values),
        max_length=c.max_length,
        min_length=c.min_length,
        minimum=c.minimum,
        maximum=c.maximum,
        precision=c.precision,
        scale=c.scale,
        pii=c.pii,
        sensitive=c.sensitive,
        description=c.description,
        references=c.references,
    )


def _entity(e: Entity) -> EntityOut:
    return EntityOut(
        name=e.name,
        table=e.table,
        description=e.description,
        primary_key=list(e.primary_key),
        columns=[_column(c) for c in e.columns],
        relations=[
            RelationOut(
                name=fk.relation,
                column=fk.column,
                target=fk.target,
                kind=fk.kind,
                on_delete=fk.on_delete,
                nullable=fk.nullable,
            )
            for fk in e.foreign_keys
        ],
        indexes=[
            IndexOut(
                name=ix.name,
                columns=list(ix.columns),
                unique=ix.unique,
                origin=ix.origin,
                where=dict(ix.where),
            )
            for ix in e.indexes
        ],
        soft_delete=e.soft_delete,
        versioned=e.versioned,
        search={f.column: f.weight for f in e.search},
        service=e.owner,
        join_table=e.is_join_table,
        platform=e.platform,
    )


def _operation(op: Operation) -> OperationOut:
    return OperationOut(
        id=op.id,
        kind=op.kind,
        method=op.method,
        path=op.path,
        summary=op.summary,
        success_status=op.success_status,
        public=op.public,
        resource=op.resource,
        entity=op.entity,
        permission=op.permission,
        roles=list(op.roles),
    )


def _event(e: Event) -> EventOut:
    return EventOut(
        name=e.name,
        channel=e.address,
        description=e.description,
        version=e.version,
        entity=e.entity,
        fields=[_column(c) for c in e.fields],
        key=e.key,
        publishers=list(e.publishers),
        consumers=list(e.consumers),
        declared=e.declared,
    )
