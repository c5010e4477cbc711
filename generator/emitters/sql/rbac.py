"""The rows of the access-control tables: the roles and permissions the spec declares.

Why here and not in the model: the tables themselves are platform tables of the model
(generator/resolve/platform_tables.py); only their INSERT statements are SQL's concern.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Role, System


@dataclass(frozen=True)
class RbacSeed:
    roles_table: str
    permissions_table: str
    role_permissions_table: str
    roles: tuple[Role, ...]
    permissions: tuple[str, ...]  # every permission granted by some role, first-seen order


def seed(system: System) -> RbacSeed | None:
    tables = {e.name: e.table for e in system.platform_tables if e.platform == "access-control"}
    if not system.security.roles or not tables:
        return None
    granted = tuple(dict.fromkeys(p for r in system.security.roles for p in r.permissions))
    return RbacSeed(
        tables["Role"],
        tables["Permission"],
        tables["RolePermission"],
        system.security.roles,
        granted,
    )


def users_missing(system: System) -> bool:
    """The spec has roles but no users table, so user_roles.user_id references nothing."""
    user_roles = next((e for e in system.platform_tables if e.name == "UserRole"), None)
    return user_roles is not None and len(user_roles.foreign_keys) < 2
