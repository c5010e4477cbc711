"""The spec as users write it: pydantic models shaped like the YAML, unknown keys rejected.

Why a separate input model: it mirrors the file so every error maps back to a key,
while `model.py` mirrors what emitters need. Names are validated here so nothing
hostile (control characters, SQL, path separators) reaches an emitter.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

# Entity names are PascalCase type names; everything else is a lower-case identifier.
# Why so narrow: names become SQL identifiers, URL segments, file names and Python
# classes in generated clients; a name valid in all four is safe in all four.
ENTITY_NAME = r"^[A-Z][A-Za-z0-9]*$"
FIELD_NAME = r"^[a-z][a-z0-9_]*$"
SLUG_NAME = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
EVENT_NAME = r"^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$"
# resource:operation, optionally :own (only the caller's records) or :any; custom
# operations are named as in the spec (cancel_order) or in kebab case (cancel-order).
PERMISSION = r"^(?:\*|[a-z][a-z0-9-]*:(?:\*|[a-z][a-z0-9_-]*)(?::(?:own|any))?)$"
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
FieldAccess = Literal["read-write", "server-set", "write-only", "immutable"]
KeyType = Literal["uuid", "bigint", "string"]
ScalarValue = str | int | float | bool


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Owner(Strict):
    name: ShortText = Field(
        description="Person or team that owns the system.", examples=["Payments team"]
    )
    email: ShortText | None = Field(
        None, description="Contact address of the owner.", examples=["payments@example.com"]
    )
    role: ShortText | None = Field(
        None, description="What the owner is responsible for.", examples=["tech lead"]
    )


class System(Strict):
    name: ShortText = Field(
        description="Name of the system; titles the design document, the OpenAPI contract "
        "and the website.",
        examples=["Bookings"],
    )
    slug: SlugName | None = Field(
        None,
        description="Folder name of this system's build output (build/<slug>/); "
        "default: the name in kebab-case.",
        examples=["bookings"],
    )
    description: Text = Field(
        "", description="What the system does, in a sentence or two; opens the design document."
    )
    version: ShortText = Field(
        "1.0.0",
        description="Version of the system's contract; becomes info.version of the OpenAPI "
        "and AsyncAPI documents.",
        examples=["0.9.0"],
    )
    owners: list[Owner] = Field(
        [], description="People or teams who own the system; exported to the service catalog."
    )


class Scale(Strict):
    users_now: Count | None = Field(
        None,
        description="Registered users today; picks the scaling stage of the design.",
        examples=[5000],
    )
    users_12m: Count | None = Field(
        None,
        description="Users expected in 12 months; the stage to plan for (default: 10 times "
        "users_now).",
        examples=[50000],
    )
    daily_active_users: Count | None = Field(
        None,
        description="Users active on a typical day; with requests_per_user_per_day gives the "
        "average load.",
        examples=[1500],
    )
    requests_per_user_per_day: Positive | None = Field(
        None,
        description="API requests one active user makes a day; with daily_active_users gives "
        "the average requests per second.",
        examples=[40],
    )
    peak_rps: Positive | None = Field(
        None,
        description="Requests per second at the busiest moment; sizes connection pools and "
        "alert baselines.",
        examples=[40],
    )
    read_write_ratio: Positive | None = Field(
        None,
        description="Reads per write, e.g. 10 for 10:1; a read-heavy ratio recommends read "
        "replicas and a cache.",
        examples=[10],
    )
    data_volume_gb: Annotated[float, Field(ge=0)] | None = Field(
        None, description="Data stored today, in GB; sizes storage.", examples=[20]
    )
    data_growth_gb_per_month: Annotated[float, Field(ge=0)] | None = Field(
        None,
        description="GB added each month; with data_volume_gb gives the storage needed in "
        "12 months.",
        examples=[2],
    )
    hot_data_percent: Percent | None = Field(
        None,
        description="Share of data, in percent, read often enough to cache; with "
        "data_volume_gb sizes the cache.",
        examples=[20],
    )


class Latency(Strict):
    p50: Positive | None = Field(
        None, description="Median response time target, in milliseconds.", examples=[50]
    )
    p95: Positive | None = Field(
        None, description="95th-percentile response time target, in milliseconds.", examples=[200]
    )
    p99: Positive | None = Field(
        None,
        description="99th-percentile response time target, in milliseconds; the review asks "
        "for an alert that watches it.",
        examples=[500],
    )
    db_per_request: Positive | None = Field(
        None,
        description="Milliseconds a request holds a database connection (its queries); "
        "sizes the connection pools.",
        examples=[8],
    )


class Team(Strict):
    size: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="Developers working on the system; a small team points to a monolith.",
        examples=[3],
    )
    teams: Annotated[int, Field(ge=1)] = Field(
        1,
        description="Separate teams; two or more teams over two or more domains point to services.",
    )
    domains: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="Distinct business domains (bounded contexts); default: the number of "
        "services, at least 1.",
        examples=[4],
    )
    skills: list[ShortText] = Field(
        [],
        description="Languages the team knows well, e.g. [python, go]; they pick the stack.",
        examples=[["python", "typescript"]],
    )


class Requirements(Strict):
    functional: list[Text] = Field(
        [],
        description="What users can do, one sentence each; each is traced through services, "
        "calls and events as a data flow in the design document.",
        examples=[["Customers book an appointment with a staff member"]],
    )
    scale: Scale = Field(
        Scale(), description="Users, load and data volume; drive scaling and capacity figures."
    )
    latency_ms: Latency = Field(Latency(), description="Response time targets, in milliseconds.")
    consistency: Literal["strong", "eventual"] | None = Field(
        None,
        description="Whether readers must see every write at once (strong) or may see it "
        "later (eventual); weighed in the trade-offs of the design.",
    )
    availability: Annotated[float, Field(gt=0, lt=100)] | None = Field(
        None,
        description="Target in percent, e.g. 99.9; the review asks for an SLO that tracks it.",
        examples=[99.9],
    )
    team: Team = Field(
        Team(), description="Who builds the system; the architecture style is chosen from it."
    )
    traffic_spikes: bool = Field(
        False,
        description="Load comes in sudden bursts (sales, launches); weighs towards serverless.",
    )
    realtime: bool = Field(
        False,
        description="Clients need live updates (chat, dashboards); recommends pushing them "
        "over WebSockets or Server-Sent Events and weighs towards event-driven.",
    )
    background_jobs: bool = Field(
        False, description="Work runs outside requests (e-mails, reports); recommends a queue."
    )
    budget_usd_per_month: Positive | None = Field(
        None,
        description="Monthly infrastructure budget in US dollars; the review warns when the "
        "estimated cost is above it.",
        examples=[500],
    )
    compliance: list[Literal["GDPR", "CCPA", "HIPAA", "PCI-DSS", "SOC2"]] = Field(
        [],
        description="Regulations the system must meet; the design checks each and the review "
        "asks for the encryption and retention they require.",
        examples=[["GDPR"]],
    )


class Architecture(Strict):
    style: Style | None = Field(
        None,
        description="Architecture style you chose; default: the one the decision tree "
        "recommends from team, scale and requirements (the review flags a difference).",
    )
    rationale: Text | None = Field(
        None,
        description="Why this style, when it differs from the recommendation; shown in the "
        "design document.",
    )


class Dependency(Strict):
    service: SlugName = Field(description="Name of the service called.", examples=["payments"])
    protocol: Literal["http", "grpc"] = Field("http", description="How the call is made.")
    description: Text = Field(
        "", description="What the call is for; labels the call in the diagrams."
    )


class Service(Strict):
    responsibility: Text = Field(
        "", description="What the service does; shown in the diagrams and the design document."
    )
    owns: list[EntityName] = Field(
        [],
        description="Entities whose tables this service owns; the review flags two services "
        "owning one.",
        examples=[["Order", "OrderItem"]],
    )
    depends_on: list[Dependency] = Field(
        [], description="Services this one calls synchronously; drawn as arrows."
    )
    publishes: list[EventName] = Field(
        [],
        description="Events the service publishes to the queue; describe their payloads "
        "under events.",
        examples=[["order.created"]],
    )
    consumes: list[EventName] = Field(
        [],
        description="Events the service consumes; each consumer gets a dead-letter channel.",
        examples=[["payment.captured"]],
    )
    technology: ShortText | None = Field(
        None,
        description="Language or framework the service runs on; sets its stack and labels the "
        "diagrams (default: picked from the team's skills).",
        examples=["Go"],
    )


class Infrastructure(Strict):
    database: Literal["postgresql", "mysql", "sqlite"] = Field(
        "postgresql", description="Primary database; shown in the design and the diagrams."
    )
    read_replicas: Count = Field(0, description="Read-only copies of the database.")
    cache: Literal["redis", "memcached"] | None = Field(
        None, description="Cache in front of the database."
    )
    queue: Literal["kafka", "rabbitmq", "sqs", "redis-streams", "nats"] | None = Field(
        None, description="Message broker that carries events; the AsyncAPI server."
    )
    gateway: Literal["nginx", "kong", "envoy", "traefik", "aws-api-gateway", "haproxy"] | None = (
        Field(None, description="API gateway in front of the services.")
    )
    load_balancer: (
        Literal["nginx", "haproxy", "aws-alb", "gcp-lb", "azure-lb", "cloudflare"] | None
    ) = Field(None, description="Load balancer that spreads requests over instances.")
    search: Literal["elasticsearch", "opensearch", "meilisearch", "postgresql-fts"] | None = Field(
        None, description="Search engine; shown in the design and the diagrams."
    )
    object_storage: Literal["s3", "gcs", "azure-blob", "minio"] | None = Field(
        None, description="Store for files and blobs."
    )
    cdn: Literal["cloudflare", "cloudfront", "fastly", "akamai"] | None = Field(
        None, description="Content delivery network for static and cached responses."
    )
    cloud: Literal["aws", "gcp", "azure", "on-premises"] | None = Field(
        None, description="Where the system runs; picks the icons of the diagrams."
    )
    external: dict[SlugName, ShortText] = Field(
        {},
        description="External systems called, by name, with what they do.",
        examples=[{"stripe": "Card payments"}],
    )


class FieldSpec(Strict):
    type: FieldType = Field(
        description="Data type; maps to a column type in each SQL dialect and a JSON Schema "
        "type in the API. Writing only the type (`name: string`) is short for {type: string}.",
        examples=["string"],
    )
    nullable: bool = Field(False, description="The value may be null (the column is NULL-able).")
    default: ScalarValue | None = Field(
        None, description="Value stored when none is given; the column's DEFAULT.", examples=[0]
    )
    unique: bool = Field(
        False,
        description="No two rows share a value; a unique index (among active rows with "
        "soft_delete).",
    )
    values: list[Annotated[str, StringConstraints(min_length=1, max_length=63)]] | None = Field(
        None,
        description="Allowed values of an enum field (type: enum needs them).",
        examples=[["booked", "cancelled", "done"]],
    )
    max_length: Annotated[int, Field(ge=1, le=65_535)] | None = Field(
        None,
        description="Longest value of a string, email or url field; default: 255 (url: 2048).",
        examples=[120],
    )
    min_length: Annotated[int, Field(ge=0, le=65_535)] | None = Field(
        None, description="Fewest characters a string value may have; a CHECK and minLength."
    )
    minimum: int | float | None = Field(
        None, description="Smallest value a number may take; a CHECK and OpenAPI minimum."
    )
    maximum: int | float | None = Field(
        None, description="Largest value a number may take; a CHECK and OpenAPI maximum."
    )
    precision: Annotated[int, Field(ge=1, le=38)] | None = Field(
        None, description="Total digits of a decimal field; default: 12.", examples=[10]
    )
    scale: Annotated[int, Field(ge=0, le=38)] | None = Field(
        None, description="Digits after the decimal point of a decimal field; default: 2."
    )
    pii: bool = Field(
        False,
        description="Personal data (names, e-mail addresses); marked in the design, erased on "
        "request, and checked against the compliance requirements.",
    )
    sensitive: bool = Field(
        False,
        description="Secret (password hashes, tokens): never returned by the API or put in "
        "event payloads; set by the server, or from a request field named by 'input:'.",
    )
    access: FieldAccess | None = Field(
        None,
        description=(
            "Who sets the field through the API. read-write: clients send and read it; "
            "server-set: the server fills it in, never accepted in a request (readOnly); "
            "write-only: accepted, never returned (writeOnly); immutable: set when the "
            "record is created, read-only after. Default read-write, and server-set for "
            "sensitive fields, which are never returned."
        ),
    )
    input: FieldName | None = Field(
        None,
        description=(
            "For a sensitive field stored transformed: the request field that carries the "
            "plain value, e.g. 'password' for password_hash, hashed with "
            "security.authentication.password_hashing before it is stored."
        ),
        examples=["password"],
    )
    description: Text = Field(
        "",
        description="What the field holds; the column's comment in the SQL and its description "
        "in the API.",
    )
    example: ScalarValue | None = Field(
        None, description="Sample value shown in the API documentation.", examples=["Ada"]
    )
    renamed_from: FieldName | None = Field(
        None,
        description="The field's previous name: `archsmith diff` renames the column in place "
        "(keeping its values) instead of dropping the old one and adding this one. Once every "
        "database is migrated it does nothing and may be removed.",
        examples=["nickname"],
    )


class Relation(Strict):
    target: EntityName = Field(description="Entity this one refers to.", examples=["Customer"])
    kind: Cardinality = Field(
        "many-to-one",
        description="many-to-one and one-to-one add a <name>_id column; many-to-many adds a "
        "link table.",
    )
    on_delete: OnDelete | None = Field(
        None,
        description="What happens to these rows when the target row is deleted; default: "
        "set-null for a nullable relation, else restrict (many-to-many: cascade).",
    )
    nullable: bool = Field(False, description="The reference may be empty.")
    foreign_key: bool = Field(
        True,
        description="false: a reference across a service boundary; the column and its "
        "index, but no FOREIGN KEY constraint (each service owns its data).",
    )
    description: Text = Field("", description="What the relation means.")
    renamed_from: FieldName | None = Field(
        None,
        description="The relation's previous name: `archsmith diff` renames its <name>_id "
        "column (or its link table) in place instead of dropping and adding it.",
        examples=["customer"],
    )


class IndexSpec(Strict):
    fields: Annotated[list[FieldName], Field(min_length=1)] = Field(
        description="Columns of the index, in order.", examples=[["customer_id", "starts_at"]]
    )
    unique: bool = Field(False, description="A unique index.")
    where: dict[FieldName, ScalarValue | None] | None = Field(
        None,
        description="Partial index: field equals value (null means IS NULL).",
        examples=[{"status": "booked"}],
    )


class _TypeShorthand:
    """JSON Schema only: a field may be written as its bare type (`email: string`).

    `_expand_field_shorthand` turns that into `{type: string}` before validation; this
    annotation tells editors the same, so the schema admits what the loader admits: a
    FieldSpec object or one of the field types. Validation is not affected.
    """

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        shorthand = {
            "type": "string",
            "enum": list(get_args(FieldType)),
            "description": "Short for {type: <this>}.",
        }
        return {"anyOf": [handler(schema), shorthand]}


FieldEntry = Annotated[FieldSpec, _TypeShorthand()]


def _expand_field_shorthand(data: Any) -> Any:
    """`email: string` is short for `email: {type: string}`."""
    if isinstance(data, dict) and isinstance(data.get("fields"), dict):
        fields = {k: {"type": v} if isinstance(v, str) else v for k, v in data["fields"].items()}
        return {**data, "fields": fields}
    return data


class Entity(Strict):
    description: Text = Field(
        "", description="What the entity is; describes its API schema and its table in the design."
    )
    table: FieldName | None = Field(
        None,
        description="Table name; default: the entity name in snake_case, plural.",
        examples=["people"],
    )
    fields: dict[FieldName, FieldEntry] = Field(
        {},
        description="Columns by name, each a FieldSpec or just its type (`name: string`); "
        "id, timestamps and relation columns are added for you.",
        examples=[{"email": {"type": "email", "unique": True, "pii": True}, "name": "string"}],
    )
    relations: dict[FieldName, Relation] = Field(
        {},
        description="References to other entities by name; each becomes a <name>_id column "
        "with an index and a foreign key, or a link table.",
        examples=[{"customer": {"target": "Customer", "on_delete": "cascade"}}],
    )
    indexes: list[IndexSpec] = Field(
        [],
        description="Extra indexes; relations and unique fields get theirs already.",
    )
    soft_delete: bool = Field(
        False,
        description="Deleting sets deleted_at instead of removing the row; adds the column and "
        "a view of the active rows.",
    )
    versioned: bool = Field(
        False,
        description="Optimistic locking with a version column: an update must name the version "
        "it read.",
    )
    timestamps: bool = Field(
        True, description="Adds created_at and updated_at columns, kept by the database."
    )
    search: dict[FieldName, Literal["A", "B", "C", "D"]] = Field(
        {},
        description="Full-text search fields with weights (A highest); adds a search vector "
        "with its index.",
        examples=[{"title": "A", "body": "B"}],
    )
    key: KeyType = Field(
        "uuid",
        description="Type of the primary key 'id': a UUID the database generates, a bigint "
        "identity (1, 2, 3, ...) or a string the client chooses on create (a natural key); "
        "references to the entity take the same type.",
        examples=["bigint"],
    )
    owner: FieldName | None = Field(
        None,
        description=(
            "Who owns each record: a to-one relation to the account entity "
            "(security.authentication.principal) or to another owned entity, or 'self' on "
            "the account entity itself. ':own' permissions then reach only the caller's "
            "records: lists are filtered to them, another owner's record answers 404, and a "
            "new record's owner is taken from the caller's credentials."
        ),
        examples=["customer", "self"],
    )
    erasure: Literal["delete", "anonymise"] | None = Field(
        None,
        description="How a person's data here is erased on request: delete the row, or "
        "overwrite its personal fields and keep the record (orders, invoices). Default: "
        "delete when it holds a personal e-mail address, else anonymise.",
    )
    renamed_from: EntityName | None = Field(
        None,
        description="The entity's previous name: `archsmith diff` renames its table (the old "
        "entity's table) in place, with its rows, instead of dropping it and creating this one.",
        examples=["Client"],
    )
    lint_ignore: list[ShortText] = Field(
        [],
        alias="lint-ignore",
        description="Review rule ids not to report for this entity.",
        examples=[["DB006"]],
    )

    _expand = model_validator(mode="before")(_expand_field_shorthand)


class BodyField(Strict):
    """A field of a body or view that is not a column: computed, or only in the request."""

    type: FieldType | None = Field(
        None, description="Value type; give this or 'view'.", examples=["boolean"]
    )
    view: EntityName | None = Field(
        None,
        description="A named view (api.views) whose object the field holds.",
        examples=["Profile"],
    )
    many: bool = Field(False, description="A JSON array of these values.")
    values: list[Annotated[str, StringConstraints(min_length=1, max_length=63)]] | None = Field(
        None, description="Allowed values of an enum field.", examples=[["asc", "desc"]]
    )
    nullable: bool = Field(False, description="The value may be null.")
    required: bool = Field(
        True, description="Always present (in a response) or required (in a request)."
    )
    description: Text = Field(
        "",
        description="What the value means and how the server computes it.",
        examples=["Whether the caller has favorited the article."],
    )


BodyEntry = Annotated[BodyField, _TypeShorthand()]


class View(Strict):
    entity: EntityName = Field(description="Entity the view shows.", examples=["User"])
    description: Text = Field("", description="What the view is for; describes its schema.")
    only: list[FieldName] | None = Field(
        None,
        description="Show only these readable fields of the entity (default: all it exposes).",
        examples=[["username", "bio", "image"]],
    )
    fields: dict[FieldName, BodyEntry] = Field(
        {},
        description="Computed fields beside the entity's, each with its type (or view) and a "
        "description of how the server computes it.",
        examples=[{"following": {"type": "boolean", "description": "The caller follows them."}}],
    )

    _expand = model_validator(mode="before")(_expand_field_shorthand)


class CustomBody(Strict):
    entity: EntityName | None = Field(
        None,
        description="Entity whose public view (response) or writable fields (request) the "
        "body is (default: none).",
        examples=["Order"],
    )
    view: EntityName | None = Field(
        None,
        description="A named view (api.views) the body is, instead of an entity.",
        examples=["Profile"],
    )
    only: list[FieldName] | None = Field(
        None,
        description="Only these fields of the entity: readable ones in a response, writable "
        "ones (or a stored secret's input) in a request.",
        examples=[["email", "password"]],
    )
    fields: dict[FieldName, BodyEntry] = Field(
        {},
        description="Fields of the body by name, each a type or a BodyField, besides the entity's.",
        examples=[{"reason": "text"}],
    )
    many: bool = Field(False, description="A JSON array of these.")
    partial: bool = Field(
        False, description="No field is required, as in an update that changes some."
    )
    envelope: FieldName | None = Field(
        None,
        description='Wrap the body in an object under this key: {"article": {...}}; '
        "default: the resource's envelope when the body is its entity.",
        examples=["article"],
    )
    count: FieldName | None = Field(
        None,
        description="With 'many' and 'envelope': the key of the total number of matches "
        'beside the list ({"articles": [...], "articlesCount": 2}).',
        examples=["articles_count"],
    )

    _expand = model_validator(mode="before")(_expand_field_shorthand)


class QueryParameter(Strict):
    type: FieldType = Field(description="Value type.", examples=["string"])
    description: Text = Field("", description="What the parameter does.")
    values: list[Annotated[str, StringConstraints(min_length=1, max_length=63)]] | None = Field(
        None, description="Allowed values of an enum parameter.", examples=[["asc", "desc"]]
    )
    default: ScalarValue | None = Field(
        None, description="Value when the client gives none.", examples=[20]
    )
    minimum: int | None = Field(None, description="Smallest value of a number.", examples=[0])
    maximum: int | None = Field(None, description="Largest value of a number.", examples=[100])
    required: bool = Field(False, description="The client must give it.")


class CustomOperation(Strict):
    method: HttpMethod = Field(description="HTTP method.", examples=["POST"])
    path: Annotated[
        str,
        StringConstraints(
            pattern=r"^(?:/(?:[a-z0-9-]+|\{[a-z][A-Za-z0-9]*\}))*/?$", max_length=200
        ),
    ] = Field(
        description="Path under the resource's collection; {id} names the item.",
        examples=["/{id}/cancel"],
    )
    summary: ShortText = Field(
        "", description="One-line summary in the API documentation; default: from the name."
    )
    description: Text = Field("", description="Longer description in the API documentation.")
    query: dict[FieldName, QueryParameter] = Field(
        {},
        description="Query parameters by name (snake_case; camelCase in the URL).",
        examples=[{"tag": {"type": "string", "description": "Only articles with this tag."}}],
    )
    request: CustomBody | None = Field(None, description="Request body; default: none.")
    response: CustomBody | None = Field(None, description="Response body; default: none.")
    status: Annotated[int, Field(ge=100, le=599)] = Field(
        200, description="HTTP status of a successful response."
    )
    headers: list[Literal["Location", "ETag", "Idempotency-Key"]] = Field(
        [],
        description="Headers of the success response (Location on a 201) or, for "
        "Idempotency-Key, accepted in the request.",
        examples=[["Location"]],
    )
    public: bool = Field(
        False,
        description="Callable without authentication; otherwise it needs the permission "
        "<resource>:<operation-name>.",
    )
    auth: Literal["required", "optional", "none"] | None = Field(
        None,
        description="Credentials: required (default), optional (anyone may call; a signed-in "
        "caller sees more, e.g. whether they follow someone) or none (same as public).",
        examples=["optional"],
    )
    lint_ignore: list[ShortText] = Field(
        [],
        alias="lint-ignore",
        description="Review rule ids not to report for this operation.",
        examples=[["API008"]],
    )


class Resource(Strict):
    entity: EntityName = Field(description="Entity the resource serves.", examples=["Order"])
    operations: list[Operation] = Field(
        ["list", "get", "create", "update", "delete"],
        description="Operations the API offers; update is PATCH, replace is PUT.",
    )
    parent: SlugName | None = Field(
        None,
        description="Nest under another resource: /parents/{parentId}/children.",
        examples=["customers"],
    )
    public: list[Operation] = Field(
        [],
        description="Operations callable without authentication.",
        examples=[["list", "get"]],
    )
    fields: list[FieldName] | None = Field(
        None, description="Expose only these fields (default: all non-sensitive)."
    )
    envelope: FieldName | None = Field(
        None,
        description="Wrap single objects of this resource under a key in requests and "
        'responses ({"article": {...}}).',
        examples=["article"],
    )
    view: EntityName | None = Field(
        None,
        description="A named view (api.views) that get, create, update and replace return "
        "instead of the entity's read model.",
        examples=["ArticleDetail"],
    )
    lookup: FieldName | None = Field(
        None,
        description="The unique field that names an item in paths, e.g. /articles/{slug}; "
        "default: the primary key, as {<resource>Id}. 'id' names the parameter just {id}.",
        examples=["slug", "username"],
    )
    custom: dict[FieldName, CustomOperation] = Field(
        {},
        description="Operations beyond create, read, update and delete, by name.",
        examples=[{"cancel": {"method": "POST", "path": "/{id}/cancel"}}],
    )
    rate_limit: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="Requests per minute per client, replacing security.rate_limits here.",
        examples=[60],
    )
    lint_ignore: list[ShortText] = Field(
        [],
        alias="lint-ignore",
        description="Review rule ids not to report for this resource and its operations.",
        examples=[["API008"]],
    )


class Api(Strict):
    base_path: Annotated[str, StringConstraints(pattern=r"^(?:/[a-z0-9-]+)*$", max_length=100)] = (
        Field("/api", description="Path every operation starts with, before the version.")
    )
    version: Annotated[str, StringConstraints(pattern=r"^v[0-9]+$")] | None = Field(
        "v1",
        description="Version segment after base_path (/api/v1); null for none.",
        examples=["v2"],
    )
    pagination: Literal["offset", "cursor"] = Field(
        "offset",
        description="How list operations page: offset and limit, or an opaque cursor (better "
        "for large or fast-changing tables).",
    )
    page_size: Annotated[int, Field(ge=1, le=1000)] = Field(
        20, description="Items a list returns when the client gives no limit."
    )
    max_page_size: Annotated[int, Field(ge=1, le=10_000)] = Field(
        100, description="Largest limit a client may ask for."
    )
    resources: dict[SlugName, Resource] = Field(
        {},
        description="REST resources by URL name, each serving one entity.",
        examples=[{"appointments": {"entity": "Appointment"}}],
    )
    views: dict[EntityName, View] = Field(
        {},
        description="Named response shapes: a subset of an entity's fields plus computed ones; "
        "each becomes a schema of its own.",
        examples=[{"Profile": {"entity": "User", "only": ["username", "bio"]}}],
    )


class Authentication(Strict):
    scheme: Literal["jwt", "api-key", "oauth2", "session", "none"] = Field(
        "jwt",
        description="How clients authenticate; jwt adds login, refresh and logout operations "
        "where an entity stores a password ('input:'), none leaves every operation public.",
    )
    access_token_ttl_minutes: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="Lifetime of an access token, in minutes; the review asks for one.",
        examples=[15],
    )
    refresh_token_ttl_days: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Lifetime of a refresh token, in days.", examples=[7]
    )
    password_hashing: Literal["argon2id", "bcrypt", "scrypt"] = Field(
        "argon2id", description="Algorithm that hashes passwords; shown in the login flow."
    )
    mfa: bool = Field(False, description="Login asks for a one-time code from a second factor.")
    header: Literal["Bearer", "Token"] = Field(
        "Bearer",
        description="How a JWT travels: 'Authorization: Bearer <jwt>' (HTTP bearer) or "
        "'Authorization: Token <jwt>' (an API key header with that prefix).",
        examples=["Token"],
    )
    principal: EntityName | None = Field(
        None,
        description=(
            "The entity a credential identifies (User, Merchant): the owner that ':own' "
            "permissions and 'owner:' relations refer to."
        ),
        examples=["User"],
    )


class Role(Strict):
    description: Text = Field("", description="Who has the role.")
    permissions: list[Permission] = Field(
        [],
        description=(
            "'resource:operation' grants, with 'read' (list, get), 'write' (create, update, "
            "replace, delete) or '*' for several; on an entity with an owner, end with ':own' "
            "(only the caller's records) or ':any'. '*' alone grants everything."
        ),
        examples=[["orders:read:own", "orders:create:own", "products:read"]],
    )
    staff: bool = Field(
        False,
        description=(
            "A back-office role that works on every owner's records; the review flags "
            "':any' reads of owned records by roles that are not staff."
        ),
    )


class RateLimit(Strict):
    requests: Annotated[int, Field(ge=1)] = Field(
        description="Requests allowed per period.", examples=[300]
    )
    per: Literal["second", "minute", "hour", "day"] = Field(
        "minute", description="Length of the period."
    )
    by: Literal["ip", "user", "api-key"] = Field(
        "ip", description="What the limit counts requests by."
    )


class Encryption(Strict):
    at_rest: bool = Field(False, description="Data is encrypted on disk (database, backups).")
    in_transit: bool = Field(True, description="TLS on every connection.")
    field_level: bool = Field(
        False, description="Personal fields are encrypted by the application before storage."
    )


class Security(Strict):
    authentication: Authentication = Field(
        Authentication(), description="How clients prove who they are."
    )
    roles: dict[SlugName, Role] = Field(
        {},
        description="Roles by name with their permissions; every non-public operation is "
        "granted to the roles whose permissions match it.",
        examples=[{"staff": {"permissions": ["*"]}}],
    )
    rate_limits: dict[SlugName, RateLimit] = Field(
        {},
        description="Named limits; 'default' applies to every operation, 'public' to unauthenticated ones.",
        examples=[{"default": {"requests": 300, "per": "minute"}}],
    )
    encryption: Encryption = Field(Encryption(), description="Where data is encrypted.")
    pii_retention_days: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="Days personal data is kept before it is deleted; the privacy review asks "
        "for it.",
        examples=[365],
    )


class Slo(Strict):
    target: Annotated[float, Field(gt=0, lt=100)] = Field(
        description="Share of good requests, in percent.", examples=[99.9]
    )
    indicator: Literal["availability", "latency", "error-rate"] = Field(
        "availability", description="What counts as a good request."
    )
    threshold_ms: Positive | None = Field(
        None,
        description="A latency SLO's limit: requests faster than this are good.",
        examples=[300],
    )
    window_days: Annotated[int, Field(ge=1, le=365)] = Field(
        30, description="Rolling window the target is measured over, in days."
    )
    description: Text = Field("", description="What the objective protects.")


class Alerts(Strict):
    p99_latency_ms: Positive | None = Field(
        None, description="Alert when p99 latency exceeds this, in milliseconds.", examples=[500]
    )
    error_rate_percent: Percent | None = Field(
        None, description="Alert when this share of requests fails, in percent.", examples=[1]
    )
    saturation_percent: Percent | None = Field(
        None,
        description="Alert when CPU, memory or database connections stay above this percent.",
        examples=[80],
    )


class Observability(Strict):
    slos: dict[SlugName, Slo] = Field(
        {},
        description="Service level objectives by name.",
        examples=[{"api-availability": {"target": 99.9}}],
    )
    metrics: list[
        Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$", max_length=120)]
    ] = Field(
        [],
        description="Business metrics the system records, besides the request metrics every "
        "endpoint gets.",
        examples=[["bookings_created_total"]],
    )
    alerts: Alerts = Field(Alerts(), description="Alert thresholds.")
    log_retention_days: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="Days logs are kept; the review asks for it under compliance requirements.",
        examples=[30],
    )
    tracing: bool = Field(
        True,
        description="Distributed tracing across services; the review warns when it is off "
        "and requests cross services.",
    )


class Decision(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]+-[0-9]+$", max_length=20)] = Field(
        description="Identifier of the decision record.", examples=["ADR-1"]
    )
    title: ShortText = Field(
        description="The decision in a few words.", examples=["Use PostgreSQL"]
    )
    status: Literal["proposed", "accepted", "deprecated", "superseded"] = Field(
        "accepted", description="Where the decision stands."
    )
    context: Text = Field("", description="The situation and forces that led to it.")
    decision: Text = Field("", description="What was decided.")
    consequences: Text = Field("", description="What follows from it, good and bad.")


class LintSettings(Strict):
    disable: list[ShortText] = Field(
        [],
        description="Review rule ids not to report anywhere in this spec.",
        examples=[["OBS007"]],
    )


def _expand_payload_shorthand(data: Any) -> Any:
    """Payload fields take the same `name: string` shorthand as entity fields."""
    return _expand_field_shorthand(data)


class EventSpec(Strict):
    """What an event carries, where it travels, and how it is versioned.

    Every event travels in one envelope (id, type, aggregateId, timestamp, version,
    data): consumers deduplicate on `id` because delivery is at least once.
    """

    description: Text = Field("", description="What happened; the event's summary.")
    entity: EntityName | None = Field(
        None,
        description="The aggregate the event is about; its public view (no sensitive "
        "fields) becomes the payload's data, with `fields` added.",
        examples=["Order"],
    )
    fields: dict[FieldName, FieldEntry] = Field(
        {},
        description="Payload fields besides the entity's view, typed like entity fields "
        "(`reason: text` is short for {type: text}).",
        examples=[{"reason": "text"}],
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
    """An archsmith spec: one backend system, from requirements to API, data and operations."""

    system: System = Field(description="Name, version and owners of the system.")
    requirements: Requirements = Field(
        Requirements(),
        description="What the system must do and at what scale; drives the design's decisions.",
    )
    architecture: Architecture = Field(
        Architecture(), description="The architecture style, when you choose it yourself."
    )
    services: dict[SlugName, Service] = Field(
        {},
        description="Deployable services by name, with what they own, call, publish and "
        "consume; none: one application.",
        examples=[{"orders": {"owns": ["Order"], "publishes": ["order.created"]}}],
    )
    infrastructure: Infrastructure = Field(
        Infrastructure(), description="Database, cache, queue and the rest of the platform."
    )
    entities: dict[EntityName, Entity] = Field(
        {},
        description="The data model: entities by PascalCase name, each a table.",
        examples=[{"Customer": {"fields": {"name": "string"}}}],
    )
    api: Api = Field(Api(), description="The REST API: base path, paging and resources.")
    security: Security = Field(
        Security(), description="Authentication, roles, rate limits, encryption and retention."
    )
    observability: Observability = Field(
        Observability(), description="SLOs, alerts, metrics, logs and tracing."
    )
    decisions: list[Decision] = Field(
        [], description="Architecture decision records, listed in the design document."
    )
    events: dict[EventName, EventSpec] = Field(
        {},
        description="Payloads of the events services publish and consume (services.*.publishes).",
    )
    lint: LintSettings = Field(LintSettings(), description="Settings of the design review.")


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
