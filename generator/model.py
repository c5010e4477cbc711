"""The resolved system: one frozen, typed model that every rule and emitter reads.

Why: references are resolved, names derived (tables, columns, JSON names, paths,
operation ids) and order fixed exactly once, here, so the OpenAPI contract, the
three DDL dialects, the diagrams and the design document cannot disagree.
System columns (id, foreign keys, version, timestamps, deleted_at) are real columns
in this model; dialect-only artefacts (a PostgreSQL tsvector) are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator.diagnostics import Location
from generator.spec import (
    Alerts,
    Decision,
    Encryption,
    FieldAccess,
    FieldType,
    Infrastructure,
    KeyType,
    Owner,
    RateLimit,
    Requirements,
    Slo,
)

ColumnRole = Literal[
    "primary-key", "foreign-key", "field", "version", "created-at", "updated-at", "deleted-at"
]
OperationKind = Literal[
    "list",
    "get",
    "create",
    "update",
    "replace",
    "delete",
    "custom",
    "login",
    "refresh",
    "logout",
    "health",
]
ScalarValue = str | int | float | bool
# Tables the design itself needs: the access model's roles, the transactional outbox.
PlatformKind = Literal["access-control", "outbox", "refresh-tokens"]

# Columns the server owns: never in create/update payloads, read-only in responses.
SERVER_OWNED_ROLES = frozenset({"primary-key", "version", "created-at", "updated-at", "deleted-at"})
Scope = Literal["own", "any"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    json_name: str
    type: FieldType
    role: ColumnRole
    location: Location
    nullable: bool = False
    default: ScalarValue | None = None
    unique: bool = False
    values: tuple[str, ...] = ()
    max_length: int | None = None
    min_length: int | None = None
    minimum: int | float | None = None  # numbers only; a decimal's bound as the spec wrote it
    maximum: int | float | None = None
    precision: int | None = None
    scale: int | None = None
    pii: bool = False
    sensitive: bool = False
    description: str = ""
    example: ScalarValue | None = None
    references: str | None = None  # entity name, for foreign-key columns
    access: FieldAccess = "read-write"
    input: str | None = None  # JSON name of the request field whose transform is stored here
    renamed_from: str | None = None  # the column's previous name (spec `renamed_from:`)

    @property
    def server_owned(self) -> bool:
        """Never accepted in a request: generated columns and server-set fields."""
        if self.access == "server-set":
            return True
        # A natural (string) primary key is the client's to choose once: immutable.
        return self.role in SERVER_OWNED_ROLES and self.access != "immutable"

    @property
    def returned(self) -> bool:
        """Shown in responses: everything but secrets and write-only fields."""
        return not self.sensitive and self.access != "write-only"

    @property
    def readable(self) -> bool:
        """In an entity's default read view: returned, and not the soft-delete marker."""
        return self.returned and self.role != "deleted-at"

    @property
    def generated(self) -> bool:
        """A column archsmith adds itself (id, version, timestamps, deleted_at)."""
        return self.role in SERVER_OWNED_ROLES

    @property
    def changeable(self) -> bool:
        """Accepted in an update as well as a create."""
        return not self.server_owned and self.access != "immutable"


@dataclass(frozen=True, slots=True)
class ForeignKey:
    relation: str  # the relation's name in the spec, e.g. "customer"
    column: str  # e.g. "customer_id"
    target: str  # entity name
    target_table: str
    on_delete: Literal["cascade", "restrict", "set-null", "no-action"]
    kind: Literal["many-to-one", "one-to-one"]
    nullable: bool
    location: Location
    enforced: bool = True  # False: a reference by id across services, no constraint


@dataclass(frozen=True, slots=True)
class Index:
    name: str
    columns: tuple[str, ...]
    unique: bool
    origin: Literal["declared", "foreign-key", "pagination"]
    location: Location
    where: tuple[tuple[str, ScalarValue | None], ...] = ()  # column = value; None means IS NULL


@dataclass(frozen=True, slots=True)
class SearchField:
    column: str
    weight: Literal["A", "B", "C", "D"]


@dataclass(frozen=True, slots=True)
class Ownership:
    """Who owns an entity's records: the caller itself, or through a to-one relation.

    `relation` is None on the account entity itself (owner: self); `direct` says the
    relation's target is the account entity, so the key is taken from the caller's
    credentials; otherwise the owner is inherited from the owned entity it points to.
    """

    relation: str | None
    column: str  # "id" for self, else the relation's foreign-key column
    target: str  # the entity the relation points to (the principal for direct ownership)
    direct: bool
    location: Location


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    table: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    indexes: tuple[Index, ...]
    location: Location
    soft_delete: bool = False
    versioned: bool = False
    timestamps: bool = True
    search: tuple[SearchField, ...] = ()
    owner: str | None = None  # service name
    is_join_table: bool = False
    erasure: Literal["delete", "anonymise"] | None = None  # None: decided by the rules
    lint_ignore: tuple[str, ...] = ()
    ownership: Ownership | None = None
    # A table the design adds beside the spec's entities (System.platform_tables).
    platform: PlatformKind | None = None
    key: KeyType = "uuid"
    renamed_from: str | None = None  # the entity's previous name; its table was the old one's

    # Why an index: emitters look columns up by name for every operation and schema,
    # which a scan made quadratic in fields (and, through System.entity, in entities).
    _columns_by_name: dict[str, Column] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_columns_by_name", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self._columns_by_name[name]

    @property
    def fields(self) -> tuple[Column, ...]:
        """The columns declared as fields in the spec, in spec order."""
        return tuple(c for c in self.columns if c.role == "field")


@dataclass(frozen=True, slots=True)
class Dependency:
    service: str
    protocol: Literal["http", "grpc"]
    description: str
    location: Location


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    responsibility: str
    owns: tuple[str, ...]
    depends_on: tuple[Dependency, ...]
    publishes: tuple[str, ...]
    consumes: tuple[str, ...]
    technology: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class Event:
    """An event services publish or consume, with what it carries when the spec says.

    `fields` are payload fields beside the entity's public view; `key` is the JSON name
    of the field that keys the message (None: the aggregate's id).
    """

    name: str
    publishers: tuple[str, ...]
    consumers: tuple[str, ...]
    description: str = ""
    entity: str | None = None
    fields: tuple[Column, ...] = ()
    key: str | None = None
    version: int = 1
    channel: str = ""
    declared: bool = False  # listed under `events:`, so its payload is known
    location: Location | None = None

    @property
    def address(self) -> str:
        """Where it travels: the declared channel, else the event's name."""
        return self.channel or self.name


@dataclass(frozen=True, slots=True)
class PathParam:
    name: str  # camelCase, e.g. "orderId", or a lookup field's JSON name ("slug")
    entity: str
    column: str = "id"  # the column whose value the segment carries


@dataclass(frozen=True, slots=True)
class BodyField:
    """A field of a body or view that is no column: computed by the server, or request-only."""

    name: str  # snake_case, as in the spec
    json_name: str
    type: FieldType | None  # None: the field holds a view's object
    view: str | None = None
    many: bool = False
    values: tuple[str, ...] = ()
    nullable: bool = False
    required: bool = True
    description: str = ""


@dataclass(frozen=True, slots=True)
class View:
    """A named response shape: some readable columns of an entity plus computed fields."""

    name: str
    entity: str
    description: str
    columns: tuple[str, ...]  # column names, in the entity's order
    fields: tuple[BodyField, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Body:
    """A custom operation's body: an entity (or some of its fields), a view, inline fields.

    `envelope` and `count` are JSON keys: {envelope: <body>, count: <total>}."""

    entity: str | None
    fields: tuple[BodyField, ...]
    many: bool
    view: str | None = None
    only: tuple[str, ...] | None = None  # column names (or a secret's input name)
    partial: bool = False
    envelope: str | None = None
    count: str | None = None


@dataclass(frozen=True, slots=True)
class QueryParam:
    name: str  # JSON (camelCase) name in the URL
    type: FieldType
    description: str = ""
    values: tuple[str, ...] = ()
    default: ScalarValue | None = None
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False


@dataclass(frozen=True, slots=True)
class Grant:
    """A role's right to an operation: on its own records only, or on any."""

    role: str
    scope: Scope


@dataclass(frozen=True, slots=True)
class Operation:
    id: str  # operationId, unique and stable
    kind: OperationKind
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: str  # full path including base path and version
    summary: str
    success_status: int
    public: bool
    location: Location
    resource: str | None = None
    entity: str | None = None
    permission: str | None = None  # "orders:create"
    grants: tuple[Grant, ...] = ()  # who may call it; never empty unless public or no auth
    path_params: tuple[PathParam, ...] = ()
    request: Body | None = None
    response: Body | None = None
    description: str = ""
    rate_limit: RateLimit | None = None
    lint_ignore: tuple[str, ...] = ()
    owned: bool = False  # on an entity with an owner: ':own' grants reach the caller's records
    query: tuple[QueryParam, ...] = ()  # declared query parameters of a custom operation
    headers: tuple[str, ...] = ()  # declared headers of a custom operation
    optional_auth: bool = False  # public, and a signed-in caller may send credentials
    envelope: str | None = None  # JSON key wrapping the single object of a CRUD body
    view: str | None = None  # the view a CRUD read or write returns

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(g.role for g in self.grants)

    def scope_of(self, role: str) -> Scope | None:
        return next((g.scope for g in self.grants if g.role == role), None)


@dataclass(frozen=True, slots=True)
class Resource:
    name: str
    entity: str
    collection_path: str
    item_path: str
    parent: str | None
    operations: tuple[Operation, ...]
    exposed: tuple[str, ...]  # column names visible in read models
    location: Location
    lint_ignore: tuple[str, ...] = ()
    lookup: str = "id"  # the column that names an item in paths
    envelope: str | None = None  # JSON key wrapping single objects
    view: str | None = None  # the view its reads return


@dataclass(frozen=True, slots=True)
class Api:
    prefix: str  # base path + version, e.g. "/api/v1"
    base_path: str
    version: str | None
    pagination: Literal["offset", "cursor"]
    page_size: int
    max_page_size: int
    resources: tuple[Resource, ...]
    operations: tuple[Operation, ...]  # every operation, auth and health included, in path order
    location: Location
    views: tuple[View, ...] = ()


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    description: str
    permissions: tuple[str, ...]
    location: Location
    staff: bool = False


@dataclass(frozen=True, slots=True)
class Security:
    scheme: Literal["jwt", "api-key", "oauth2", "session", "none"]
    access_token_ttl_minutes: int | None
    refresh_token_ttl_days: int | None
    password_hashing: str
    mfa: bool
    roles: tuple[Role, ...]
    rate_limits: dict[str, RateLimit]
    encryption: Encryption
    pii_retention_days: int | None
    location: Location
    principal: str | None = None  # the entity a credential identifies
    credential: Column | None = None  # the stored password (a field with `input:`), if any
    header: Literal["Bearer", "Token"] = "Bearer"  # Authorization: <header> <jwt>

    @property
    def staff_roles(self) -> frozenset[str]:
        """Roles that work on every owner's records: marked staff, or granted everything."""
        return frozenset(r.name for r in self.roles if r.staff or "*" in r.permissions)

    @property
    def password_login(self) -> bool:
        """Login with a password is offered only where the model stores one."""
        return self.scheme == "jwt" and self.credential is not None


@dataclass(frozen=True, slots=True)
class Observability:
    slos: dict[str, Slo]
    metrics: tuple[str, ...]
    alerts: Alerts
    log_retention_days: int | None
    tracing: bool
    location: Location


@dataclass(frozen=True, slots=True)
class System:
    name: str
    slug: str
    description: str
    version: str
    owners: tuple[Owner, ...]
    source: str  # the spec's path as the user named it
    content_hash: str  # sha256 of the spec's bytes
    requirements: Requirements
    style_override: str | None
    style_rationale: str | None
    services: tuple[Service, ...]
    events: tuple[Event, ...]
    infrastructure: Infrastructure
    entities: tuple[Entity, ...]  # spec order; join tables after their owners
    api: Api
    security: Security
    observability: Observability
    decisions: tuple[Decision, ...]
    lint_disable: tuple[str, ...]
    # Dotted spec path -> (line, column); System.locate makes the Location.
    locations: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Tables the design adds (access control, outbox, refresh tokens), after the spec's.
    platform_tables: tuple[Entity, ...] = ()

    _index: _SystemIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _SystemIndex.of(self))

    @property
    def tables(self) -> tuple[Entity, ...]:
        """Every table the database holds: the spec's entities, then the platform tables.
        Why one property: the DDL, the ER diagrams and the document's counts read this."""
        return (*self.entities, *self.platform_tables)

    @property
    def platform_kinds(self) -> tuple[str, ...]:
        """What the platform tables are for, in words: ('access control', 'outbox')."""
        kinds = (e.platform.replace("-", " ") for e in self.platform_tables if e.platform)
        return tuple(dict.fromkeys(kinds))

    def entity(self, name: str) -> Entity:
        return self._index.entities[name]

    def find_entity(self, name: str) -> Entity | None:
        """The entity called `name`, or None where a name comes from outside the model."""
        return self._index.entities.get(name)

    def find_resource(self, name: str) -> Resource | None:
        return self._index.resources.get(name)

    def service(self, name: str) -> Service:
        return self._index.services[name]

    def resource_of(self, entity: str) -> Resource | None:
        """An entity's first resource, which names its schemas (one view per entity)."""
        return self._index.first_resource.get(entity)

    def locate(self, dotted: str) -> Location:
        """Position of a spec key such as 'requirements.scale.users_now', or its nearest ancestor."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            found = self.locations.get(".".join(parts[:end]))
            if found is not None:
                return Location(self.source, *found)
        # A whole section is missing: point at the spec's first key rather than 1:1.
        return Location(self.source, *self.locations.get("system", (1, 1)))


@dataclass(frozen=True, slots=True)
class _SystemIndex:
    """Lookups by name, built once per System (a scan per lookup was quadratic)."""

    entities: dict[str, Entity]
    services: dict[str, Service]
    resources: dict[str, Resource]
    first_resource: dict[str, Resource]

    @staticmethod
    def of(system: System) -> _SystemIndex:
        first: dict[str, Resource] = {}
        for resource in system.api.resources:
            first.setdefault(resource.entity, resource)
        return _SystemIndex(
            {e.name: e for e in system.entities},
            {s.name: s for s in system.services},
            {r.name: r for r in system.api.resources},
            first,
        )
