"""The spec as users write it: pydantic models shaped like the YAML, unknown keys rejected.

Why a separate input model: it mirrors the file so every error maps back to a key,
while `model.py` mirrors what emitters need. Names are validated here so nothing
hostile (control characters, SQL, path separators) reaches an emitter.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Entity names are PascalCase type names; everything else is a lower-case identifier.
# Why so narrow: names become SQL identifiers, URL segments, file names and Python
# classes in generated clients; a name valid in all four is safe in all four.
ENTITY_NAME = r"^[A-Z][A-Za-z0-9]*$"
FIELD_NAME = r"^[a-z][a-z0-9_]*$"
SLUG_NAME = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
EVENT_NAME = r"^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$"
PERMISSION = r"^(?:\*|[a-z][a-z0-9-]*:(?:\*|[a-z][a-z0-9-]*))$"
MAX_NAME = 63  # PostgreSQL's identifier limit, the tightest of the three dialects

EntityName = Annotated[str, StringConstraints(pattern=ENTITY_NAME, max_length=MAX_NAME)]
FieldName = Annotated[str, StringConstraints(pattern=FIELD_NAME, max_length=MAX_NAME)]
SlugName = Annotated[str, StringConstraints(pattern=SLUG_NAME, max_length=MAX_NAME)]
EventName = Annotated[str, StringConstraints(pattern=EVENT_NAME, max_length=120)]
Permission = Annotated[str, StringConstraints(pattern=PERMISSION, max_length=120)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
ShortText = Annotated[str, StringConstraints(max_length=200)]
Percent = Annotated[float, Field(gt=0, le=100)]
Count = Annotated[int, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]

FieldType = Literal[
    "string",
    "text",
    "integer",
    "bigint",
    "decimal",
    "float",
    "boolean",
    "date",
    "datetime",
    "uuid",
    "email",
    "url",
    "json",
    "enum",
]
Operation = Literal["list", "get", "create", "update", "replace", "delete"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Style = Literal["monolith", "modular-monolith", "microservices", "serverless", "event-driven"]
OnDelete = Literal["cascade", "restrict", "set-null", "no-action"]
Cardinality = Literal["many-to-one", "one-to-one", "many-to-many"]
ScalarValue = str | int | float | bool


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Owner(Strict):
    name: ShortText
    email: ShortText | None = None
    role: ShortText | None = None


class System(Strict):
    name: ShortText
    slug: SlugName | None = None
    description: Text = ""
    version: ShortText = "1.0.0"
    owners: list[Owner] = []


class Scale(Strict):
    users_now: Count | None = None
    users_12m: Count | None = None
    daily_active_users: Count | None = None
    requests_per_user_per_day: Positive | None = None
    peak_rps: Positive | None = None
    read_write_ratio: Positive | None = Field(
        None, description="Reads per write, e.g. 10 for 10:1."
    )
    data_volume_gb: Annotated[float, Field(ge=0)] | None = None
    data_growth_gb_per_month: Annotated[float, Field(ge=0)] | None = None
    hot_data_percent: Percent | None = Field(
        None, description="Share of data read often enough to cache."
    )


class Latency(Strict):
    p50: Positive | None = None
    p95: Positive | None = None
    p99: Positive | None = None
    db_per_request: Positive | None = Field(
        None,
        description="Milliseconds a request holds a database connection (its queries); "
        "sizes the connection pools.",
        examples=[8],
    )


class Team(Strict):
    size: Annotated[int, Field(ge=1)] | None = None
    teams: Annotated[int, Field(ge=1)] = 1
    domains: Annotated[int, Field(ge=1)] | None = None
    skills: list[ShortText] = Field(
        [],
        description="Languages the team knows well, e.g. [python, go]; they pick the stack.",
        examples=[["python", "typescript"]],
    )


class Requirements(Strict):
    functional: list[Text] = []
    scale: Scale = Scale()
    latency_ms: Latency = Latency()
    consistency: Literal["strong", "eventual"] | None = None
    availability: Annotated[float, Field(gt=0, lt=100)] | None = Field(
        None, description="Target in percent, e.g. 99.9."
    )
    team: Team = Team()
    traffic_spikes: bool = False
    realtime: bool = False
    background_jobs: bool = False
    budget_usd_per_month: Positive | None = None
    compliance: list[Literal["GDPR", "CCPA", "HIPAA", "PCI-DSS", "SOC2"]] = []


class Architecture(Strict):
    style: Style | None = None
    rationale: Text | None = None


class Dependency(Strict):
    service: SlugName
    protocol: Literal["http", "grpc"] = "http"
    description: Text = ""


class Service(Strict):
    responsibility: Text = ""
    owns: list[EntityName] = []
    depends_on: list[Dependency] = []
    publishes: list[EventName] = []
    consumes: list[EventName] = []
    technology: ShortText | None = None


class Infrastructure(Strict):
    database: Literal["postgresql", "mysql", "sqlite"] = "postgresql"
    read_replicas: Count = 0
    cache: Literal["redis", "memcached"] | None = None
    queue: Literal["kafka", "rabbitmq", "sqs", "redis-streams", "nats"] | None = None
    gateway: Literal["nginx", "kong", "envoy", "traefik", "aws-api-gateway", "haproxy"] | None = (
        None
    )
    load_balancer: (
        Literal["nginx", "haproxy", "aws-alb", "gcp-lb", "azure-lb", "cloudflare"] | None
    ) = None
    search: Literal["elasticsearch", "opensearch", "meilisearch", "postgresql-fts"] | None = None
    object_storage: Literal["s3", "gcs", "azure-blob", "minio"] | None = None
    cdn: Literal["cloudflare", "cloudfront", "fastly", "akamai"] | None = None
    cloud: Literal["aws", "gcp", "azure", "on-premises"] | None = None
    external: dict[SlugName, ShortText] = Field(
        {}, description="External systems called, by name, with what they do."
    )


class FieldSpec(Strict):
    type: FieldType
    nullable: bool = False
    default: ScalarValue | None = None
    unique: bool = False
    values: list[Annotated[str, StringConstraints(min_length=1, max_length=63)]] | None = None
    max_length: Annotated[int, Field(ge=1, le=65_535)] | None = None
    min_length: Annotated[int, Field(ge=0, le=65_535)] | None = Field(
        None, description="Fewest characters a string value may have; a CHECK and minLength."
    )
    minimum: int | float | None = Field(
        None, description="Smallest value a number may take; a CHECK and OpenAPI minimum."
    )
    maximum: int | float | None = Field(
        None, description="Largest value a number may take; a CHECK and OpenAPI maximum."
    )
    precision: Annotated[int, Field(ge=1, le=38)] | None = None
    scale: Annotated[int, Field(ge=0, le=38)] | None = None
    pii: bool = False
    sensitive: bool = False
    description: Text = ""
    example: ScalarValue | None = None


class Relation(Strict):
    target: EntityName
    kind: Cardinality = "many-to-one"
    on_delete: OnDelete | None = None
    nullable: bool = False
    foreign_key: bool = Field(
        True,
        description="false: a reference across a service boundary; the column and its "
        "index, but no FOREIGN KEY constraint (each service owns its data).",
    )
    description: Text = ""


class IndexSpec(Strict):
    fields: Annotated[list[FieldName], Field(min_length=1)]
    unique: bool = False
    where: dict[FieldName, ScalarValue | None] | None = Field(
        None, description="Partial index: field equals value (null means IS NULL)."
    )


def _expand_field_shorthand(data: Any) -> Any:
    """`email: string` is short for `email: {type: string}`."""
    if isinstance(data, dict) and isinstance(data.get("fields"), dict):
        fields = {k: {"type": v} if isinstance(v, str) else v for k, v in data["fields"].items()}
        return {**data, "fields": fields}
    return data


class Entity(Strict):
    description: Text = ""
    table: FieldName | None = None
    fields: dict[FieldName, FieldSpec] = {}
    relations: dict[FieldName, Relation] = {}
    indexes: list[IndexSpec] = []
    soft_delete: bool = False
    versioned: bool = Field(False, description="Optimistic locking with a version column.")
    timestamps: bool = True
    search: dict[FieldName, Literal["A", "B", "C", "D"]] = Field(
        {}, description="Full-text search fields with weights."
    )
    erasure: Literal["delete", "anonymise"] | None = Field(
        None,
        description="How a person's data here is erased on request: delete the row, or "
        "overwrite its personal fields and keep the record (orders, invoices). Default: "
        "delete when it holds a personal e-mail address, else anonymise.",
    )
    lint_ignore: list[ShortText] = Field([], alias="lint-ignore")

    _expand = model_validator(mode="before")(_expand_field_shorthand)


class CustomBody(Strict):
    entity: EntityName | None = None
    fields: dict[FieldName, FieldType] = {}
    many: bool = Field(False, description="A JSON array of these.")


class CustomOperation(Strict):
    method: HttpMethod
    path: Annotated[
        str,
        StringConstraints(
            pattern=r"^(?:/(?:[a-z0-9-]+|\{[a-z][A-Za-z0-9]*\}))*/?$", max_length=200
        ),
    ]
    summary: ShortText = ""
    description: Text = ""
    request: CustomBody | None = None
    response: CustomBody | None = None
    status: Annotated[int, Field(ge=100, le=599)] = 200
    public: bool = False
    lint_ignore: list[ShortText] = Field([], alias="lint-ignore")


class Resource(Strict):
    entity: EntityName
    operations: list[Operation] = ["list", "get", "create", "update", "delete"]
    parent: SlugName | None = Field(
        None, description="Nest under another resource: /parents/{parentId}/children."
    )
    public: list[Operation] = []
    fields: list[FieldName] | None = Field(
        None, description="Expose only these fields (default: all non-sensitive)."
    )
    custom: dict[FieldName, CustomOperation] = {}
    rate_limit: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Requests per minute per client."
    )
    lint_ignore: list[ShortText] = Field([], alias="lint-ignore")


class Api(Strict):
    base_path: Annotated[str, StringConstraints(pattern=r"^(?:/[a-z0-9-]+)*$", max_length=100)] = (
        "/api"
    )
    version: Annotated[str, StringConstraints(pattern=r"^v[0-9]+$")] | None = "v1"
    pagination: Literal["offset", "cursor"] = "offset"
    page_size: Annotated[int, Field(ge=1, le=1000)] = 20
    max_page_size: Annotated[int, Field(ge=1, le=10_000)] = 100
    resources: dict[SlugName, Resource] = {}


class Authentication(Strict):
    scheme: Literal["jwt", "api-key", "oauth2", "session", "none"] = "jwt"
    access_token_ttl_minutes: Annotated[int, Field(ge=1)] | None = None
    refresh_token_ttl_days: Annotated[int, Field(ge=1)] | None = None
    password_hashing: Literal["argon2id", "bcrypt", "scrypt"] = "argon2id"
    mfa: bool = False


class Role(Strict):
    description: Text = ""
    permissions: list[Permission] = []


class RateLimit(Strict):
    requests: Annotated[int, Field(ge=1)]
    per: Literal["second", "minute", "hour", "day"] = "minute"
    by: Literal["ip", "user", "api-key"] = "ip"


class Encryption(Strict):
    at_rest: bool = False
    in_transit: bool = True
    field_level: bool = False


class Security(Strict):
    authentication: Authentication = Authentication()
    roles: dict[SlugName, Role] = {}
    rate_limits: dict[SlugName, RateLimit] = Field(
        {},
        description="Named limits; 'default' applies to every operation, 'public' to unauthenticated ones.",
    )
    encryption: Encryption = Encryption()
    pii_retention_days: Annotated[int, Field(ge=1)] | None = None


class Slo(Strict):
    target: Annotated[float, Field(gt=0, lt=100)]
    indicator: Literal["availability", "latency", "error-rate"] = "availability"
    threshold_ms: Positive | None = None
    window_days: Annotated[int, Field(ge=1, le=365)] = 30
    description: Text = ""


class Alerts(Strict):
    p99_latency_ms: Positive | None = None
    error_rate_percent: Percent | None = None
    saturation_percent: Percent | None = None


class Observability(Strict):
    slos: dict[SlugName, Slo] = {}
    metrics: list[
        Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$", max_length=120)]
    ] = []
    alerts: Alerts = Alerts()
    log_retention_days: Annotated[int, Field(ge=1)] | None = None
    tracing: bool = True


class Decision(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]+-[0-9]+$", max_length=20)]
    title: ShortText
    status: Literal["proposed", "accepted", "deprecated", "superseded"] = "accepted"
    context: Text = ""
    decision: Text = ""
    consequences: Text = ""


class LintSettings(Strict):
    disable: list[ShortText] = []


def _expand_payload_shorthand(data: Any) -> Any:
    """Payload fields take the same `name: string` shorthand as entity fields."""
    return _expand_field_shorthand(data)


class EventSpec(Strict):
    """What an event carries, where it travels, and how it is versioned.

    Every event travels in one envelope (id, type, aggregateId, timestamp, version,
    data): consumers deduplicate on `id` because delivery is at least once.
    """

    description: Text = ""
    entity: EntityName | None = Field(
        None,
        description="The aggregate the event is about; its public view (no sensitive "
        "fields) becomes the payload's data, with `fields` added.",
        examples=["Order"],
    )
    fields: dict[FieldName, FieldSpec] = Field(
        {}, description="Payload fields besides the entity's view, typed like entity fields."
    )
    key: FieldName | None = Field(
        None,
        description="Payload field that keys the message (partitioning, ordering); "
        "default: the aggregate's id.",
    )
    version: Annotated[int, Field(ge=1, le=1000)] = Field(
        1, description="Schema version of the payload; raise it on a breaking change."
    )
    channel: (
        Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._/-]*$", max_length=200)] | None
    ) = Field(None, description="Topic, queue or subject; default: the event name.")

    _expand = model_validator(mode="before")(_expand_payload_shorthand)


class Spec(Strict):
    system: System
    requirements: Requirements = Requirements()
    architecture: Architecture = Architecture()
    services: dict[SlugName, Service] = {}
    infrastructure: Infrastructure = Infrastructure()
    entities: dict[EntityName, Entity] = {}
    api: Api = Api()
    security: Security = Security()
    observability: Observability = Observability()
    decisions: list[Decision] = []
    events: dict[EventName, EventSpec] = Field(
        {},
        description="Payloads of the events services publish and consume (services.*.publishes).",
    )
    lint: LintSettings = LintSettings()


NAME_PATTERNS = {
    ENTITY_NAME: "a PascalCase name like 'OrderItem'",
    FIELD_NAME: "a snake_case name like 'created_by'",
    SLUG_NAME: "a kebab-case name like 'order-items'",
    EVENT_NAME: "a dotted event name like 'order.created'",
    PERMISSION: "'resource:operation', 'resource:*' or '*'",
}


def pattern_hint(pattern: str) -> str | None:
    return NAME_PATTERNS.get(pattern) or (
        "a path like '/{id}/cancel'" if pattern.startswith(r"^(?:/(?:") else None
    )


def is_name_pattern(pattern: str) -> bool:
    return bool(re.fullmatch(r"\^.*\$", pattern)) and pattern in NAME_PATTERNS
