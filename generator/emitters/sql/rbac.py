"""Role-based access control tables (seed 002) as ordinary entities, plus their seed rows.

Why entities: the four tables then get the same types, quoting, keys, indexes and
comments as spec tables in every dialect, with no second code path to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.emitters.sql.escape import short_name
from generator.model import Column, Entity, ForeignKey, Index, Role, System

NAMES = ("roles", "permissions", "role_permissions", "user_roles")
USERS_TABLE = "users"


@dataclass(frozen=True)
class RbacSeed:
    roles_table: str
    permissions_table: str
    role_permissions_table: str
    roles: tuple[Role, ...]
    permissions: tuple[str, ...]  # every permission granted by some role, first-seen order


def table_names(system: System) -> tuple[str, str, str, str]:
    """The four table names; prefixed with `rbac_` when a spec entity already uses one."""
    taken = {e.table for e in system.entities}
    prefix = "rbac_" if taken & set(NAMES) else ""
    roles, permissions, role_permissions, user_roles = (prefix + n for n in NAMES)
    return roles, permissions, role_permissions, user_roles


def has_users(system: System) -> bool:
    return any(e.table == USERS_TABLE for e in system.entities)


def entities(system: System) -> tuple[Entity, ...]:
    if not system.security.roles:
        return ()
    at = system.security.location
    roles, permissions, role_permissions, user_roles = table_names(system)

    def col(name: str, type_: str = "uuid", **kw: object) -> Column:
        return Column(name, name, type_, "field", at, **kw)  # type: ignore[arg-type]

    def fk(column: str, target_table: str) -> ForeignKey:
        return ForeignKey(
            column, column, target_table, target_table, "cascade", "many-to-one", False, at
        )

    def ix(table: str, column: str) -> Index:
        return Index(short_name("idx", table, column), (column,), False, "foreign-key", at)

    pk = Column("id", "id", "uuid", "primary-key", at, description="Primary key.")
    link_users = (fk("user_id", USERS_TABLE),) if has_users(system) else ()
    users = next((e for e in system.entities if e.table == USERS_TABLE), None)
    # user_id takes the type of users.id, which need not be a UUID (key: bigint).
    user_key = users.column("id") if users is not None else pk
    return (
        Entity(
            "Role",
            roles,
            "Roles of the access model (seed 002).",
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
            (fk("role_id", roles), fk("permission_id", permissions)),
            (ix(role_permissions, "permission_id"),),
            at,
            is_join_table=True,
            timestamps=False,
        ),
        Entity(
            "UserRole",
            user_roles,
            "Which user holds which role.",
            (
                col(
                    "user_id",
                    user_key.type,
                    max_length=user_key.max_length,
                    description="The user; references users when the spec has that table.",
                ),
                col("role_id", references="Role"),
            ),
            ("user_id", "role_id"),
            (*link_users, fk("role_id", roles)),
            (ix(user_roles, "role_id"),),
            at,
            is_join_table=True,
            timestamps=False,
        ),
    )


def seed(system: System) -> RbacSeed | None:
    if not system.security.roles:
        return None
    roles, permissions, role_permissions, _ = table_names(system)
    granted = tuple(dict.fromkeys(p for r in system.security.roles for p in r.permissions))
    return RbacSeed(roles, permissions, role_permissions, system.security.roles, granted)
