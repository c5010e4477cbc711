"""Tables the design adds beside the spec's entities: the access model and the outbox.

Why in the model: the DDL creates them, so the design document's table count, the ER
diagrams and the DDL must all see them; built once here, each reads `System.tables`.
They are ordinary entities (flagged `platform`), so they get the same types, quoting,
keys, indexes and comments as spec tables in every dialect.

- Access control, when the spec declares roles: roles, permissions and the two link
  tables (prefixed `rbac_` when a spec table already uses one of the names).
- A transactional outbox per service that publishes events, owned by that service:
  the design says events are written in the same transaction as the change and a
  relay publishes them, which needs the table in the publishing service's database.
- Refresh tokens, when the system offers a password login: the design stores them
  hashed server-side, rotates them on every refresh and revokes them on logout.
"""

from __future__ import annotations

import dataclasses

from generator import naming
from generator.model import (
    Column,
    Entity,
    ForeignKey,
    Index,
    PlatformKind,
    ScalarValue,
    Service,
    System,
)
from generator.resolve.names import index_name

RBAC_NAMES = ("roles", "permissions", "role_permissions", "user_roles")
USERS_TABLE = "users"
OUTBOX_SUFFIX = "outbox"


def with_platform_tables(system: System) -> System:
    taken = {e.table for e in system.entities}
    tables = (
        *access_control(system, taken),
        *outboxes(system, taken),
        *refresh_tokens(system, taken),
    )
    return dataclasses.replace(system, platform_tables=tables) if tables else system


def rbac_table_names(taken: set[str]) -> tuple[str, str, str, str]:
    """The four table names; prefixed with `rbac_` when a spec entity already uses one."""
    prefix = "rbac_" if taken & set(RBAC_NAMES) else ""
    roles, permissions, role_permissions, user_roles = (prefix + n for n in RBAC_NAMES)
    return roles, permissions, role_permissions, user_roles


def has_users(system: System) -> bool:
    return any(e.table == USERS_TABLE for e in system.entities)


def access_control(system: System, taken: set[str]) -> tuple[Entity, ...]:
    if not system.security.roles:
        return ()
    at = system.security.location
    roles, permissions, role_permissions, user_roles = rbac_table_names(taken)

    def col(name: str, type_: str = "uuid", **kw: object) -> Column:
        return Column(name, name, type_, "field", at, **kw)  # type: ignore[arg-type]

    def fk(column: str, target: str, target_table: str) -> ForeignKey:
        return ForeignKey(column, column, target, target_table, "cascade", "many-to-one", False, at)

    def ix(table: str, column: str) -> Index:
        return Index(index_name("idx", table, column), (column,), False, "foreign-key", at)

    pk = Column("id", "id", "uuid", "primary-key", at, description="Primary key.")
    users = next((e.name for e in system.entities if e.table == USERS_TABLE), None)
    # user_id takes the type of users.id, which need not be a UUID (key: bigint).
    user_key = system.entity(users).column("id").type if users else "uuid"
    link_users = (fk("user_id", users, USERS_TABLE),) if users else ()
    platform: PlatformKind = "access-control"
    return (
        Entity(
            "Role",
            roles,
            "Roles of the access model, one row per role the spec declares.",
            (
                pk,
                col(
                    "name",
                    "string",
                    max_length=63,
                    unique=True,
                    description="Role name from the spec.",
                ),
                col("description", "text", description="What the role is for."),
            ),
            ("id",),
            (),
            (),
            at,
            platform=platform,
        ),
        Entity(
            "Permission",
            permissions,
            "Permissions as 'resource:operation', 'resource:*' or '*'.",
            (
                pk,
                col("name", "string", max_length=120, unique=True, description="Permission name."),
            ),
            ("id",),
            (),
            (),
            at,
            platform=platform,
        ),
        Entity(
            "RolePermission",
            role_permissions,
            "Which role grants which permission.",
            (
                col("role_id", references="Role"),
                col("permission_id", references="Permission"),
            ),
            ("role_id", "permission_id"),
            (fk("role_id", "Role", roles), fk("permission_id", "Permission", permissions)),
            (ix(role_permissions, "permission_id"),),
            at,
            is_join_table=True,
            timestamps=False,
            platform=platform,
        ),
        Entity(
            "UserRole",
            user_roles,
            "Which user holds which role.",
            (
                col(
                    "user_id",
                    user_key,
                    description="The user; references users when the spec has that table.",
                ),
                col("role_id", references="Role"),
            ),
            ("user_id", "role_id"),
            (*link_users, fk("role_id", "Role", roles)),
            (ix(user_roles, "role_id"),),
            at,
            is_join_table=True,
            timestamps=False,
            platform=platform,
        ),
    )


def outboxes(system: System, taken: set[str]) -> tuple[Entity, ...]:
    return tuple(
        _outbox(service, _free(index_name(naming.snake(service.name), OUTBOX_SUFFIX), taken))
        for service in system.services
        if service.publishes
    )


def _free(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`... when a spec table already has it."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = index_name(name, str(n))
    taken.add(candidate)
    return candidate


def _outbox(service: Service, table: str) -> Entity:
    at = service.location
    unpublished: tuple[tuple[str, ScalarValue | None], ...] = (("published_at", None),)

    def col(name: str, type_: str, description: str, **kw: object) -> Column:
        return Column(name, name, type_, "field", at, description=description, **kw)  # type: ignore[arg-type]

    return Entity(
        naming.pascal(service.name) + "Outbox",
        table,
        f"Events of the {service.name} service, written in the same transaction as the "
        "change they describe; a relay publishes them in order and sets published_at.",
        (
            Column(
                "id",
                "id",
                "uuid",
                "primary-key",
                at,
                description="Envelope id; consumers skip an id they have processed.",
            ),
            col("aggregate", "string", "Entity the event is about.", max_length=63),
            col("aggregate_id", "uuid", "Id of the row the event is about."),
            col("event_type", "string", "Event name, e.g. order.placed.", max_length=120),
            col("payload", "json", "The event's data."),
            Column(
                "created_at",
                "created_at",
                "datetime",
                "created-at",
                at,
                description="When the change was committed.",
            ),
            col(
                "published_at",
                "datetime",
                "When the relay published it; NULL until then.",
                nullable=True,
            ),
        ),
        ("id",),
        (),
        (
            Index(
                index_name("idx", table, "unpublished"),
                ("published_at", "created_at"),
                False,
                "declared",
                at,
                where=unpublished,
            ),
        ),
        at,
        owner=service.name,
        timestamps=False,
        platform="outbox",
    )


def refresh_tokens(system: System, taken: set[str]) -> tuple[Entity, ...]:
    credential = system.security.credential
    if not system.security.password_login or credential is None:
        return ()
    owner = next(e for e in system.entities if credential in e.columns)
    at = system.security.location
    table = _free("refresh_tokens", taken)
    key = f"{naming.snake(owner.name)}_id"

    def col(name: str, type_: str, description: str, **kw: object) -> Column:
        return Column(name, naming.camel(name), type_, "field", at, description=description, **kw)  # type: ignore[arg-type]

    return (
        Entity(
            "RefreshToken",
            table,
            "Refresh tokens, stored as hashes: rotated on every refresh, revoked on logout.",
            (
                Column("id", "id", "uuid", "primary-key", at, description="Primary key."),
                col(
                    key,
                    owner.column("id").type,
                    f"The {naming.snake(owner.name).replace('_', ' ')} it was issued to.",
                    references=owner.name,
                ),
                col(
                    "token_hash",
                    "string",
                    "Hash of the token; the token itself is never stored.",
                    max_length=128,
                    unique=True,
                ),
                col("expires_at", "datetime", "When the token stops working."),
                col(
                    "revoked_at",
                    "datetime",
                    "When it was rotated or revoked; NULL while valid.",
                    nullable=True,
                ),
                Column(
                    "created_at",
                    "createdAt",
                    "datetime",
                    "created-at",
                    at,
                    description="When it was issued.",
                ),
            ),
            ("id",),
            (ForeignKey(key, key, owner.name, owner.table, "cascade", "many-to-one", False, at),),
            (Index(index_name("idx", table, key), (key,), False, "foreign-key", at),),
            at,
            timestamps=False,
            platform="refresh-tokens",
        ),
    )
