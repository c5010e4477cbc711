"""The RBAC seed rows (roles, permissions, grants) changed in place.

Why not re-run the emitter's seed: its INSERTs would collide with the rows a
deployed database already holds; only the difference is written, by name.
"""

from __future__ import annotations

from generator.diff.plan import Risk
from generator.emitters.sql.dialects import Dialect
from generator.emitters.sql.rbac import RbacSeed

SeedStatement = tuple[str, tuple[tuple[Risk, str], ...]]


def seed_statements(d: Dialect, old: RbacSeed | None, new: RbacSeed | None) -> list[SeedStatement]:
    if new is None:
        return []  # the RBAC tables are dropped with the roles, or never existed
    same_tables = old is not None and old.roles_table == new.roles_table
    old_roles = {r.name: r for r in old.roles} if old is not None and same_tables else {}
    old_permissions = set(old.permissions) if old is not None and same_tables else set()
    q = d.q
    roles, permissions, grants = (
        q(new.roles_table),
        q(new.permissions_table),
        q(new.role_permissions_table),
    )
    out: list[SeedStatement] = []
    new_roles = {r.name: r for r in new.roles}
    # SQLite runs the migration with foreign keys off (its rebuild needs that), so
    # ON DELETE CASCADE does not fire there: dependent rows are deleted by name first.
    user_roles = q(new.roles_table.removesuffix("roles") + "user_roles")
    for name in old_roles:
        if name not in new_roles:
            role = f"(SELECT {q('id')} FROM {roles} WHERE {q('name')} = {d.text(name)})"
            out.append((f"DELETE FROM {grants} WHERE {q('role_id')} IN {role};", ()))
            out.append((f"DELETE FROM {user_roles} WHERE {q('role_id')} IN {role};", ()))
            out.append(
                (
                    f"DELETE FROM {roles} WHERE {q('name')} = {d.text(name)};",
                    (("destructive", f"removes role {name} and every user's membership in it"),),
                )
            )
    for p in sorted(old_permissions - set(new.permissions)):
        permission = f"(SELECT {q('id')} FROM {permissions} WHERE {q('name')} = {d.text(p)})"
        out.append((f"DELETE FROM {grants} WHERE {q('permission_id')} IN {permission};", ()))
        out.append((f"DELETE FROM {permissions} WHERE {q('name')} = {d.text(p)};", ()))
    for r in new.roles:
        before = old_roles.get(r.name)
        if before is None:
            out.append(
                (
                    f"INSERT INTO {roles} ({q('name')}, {q('description')}) "
                    f"VALUES ({d.text(r.name)}, {d.text(r.description)});",
                    (),
                )
            )
        elif before.description != r.description:
            out.append(
                (
                    f"UPDATE {roles} SET {q('description')} = {d.text(r.description)} "
                    f"WHERE {q('name')} = {d.text(r.name)};",
                    (),
                )
            )
    for p in new.permissions:
        if p not in old_permissions:
            out.append((f"INSERT INTO {permissions} ({q('name')}) VALUES ({d.text(p)});", ()))
    for r in new.roles:
        before = old_roles.get(r.name)
        if before is not None and before.permissions == r.permissions:
            continue
        if before is not None:
            out.append(
                (
                    f"DELETE FROM {grants} WHERE {q('role_id')} IN "
                    f"(SELECT {q('id')} FROM {roles} WHERE {q('name')} = {d.text(r.name)});",
                    (),
                )
            )
        if r.permissions:
            listed = ", ".join(d.text(p) for p in r.permissions)
            out.append(
                (
                    f"INSERT INTO {grants} ({q('role_id')}, {q('permission_id')})\n"
                    f"    SELECT r.{q('id')}, p.{q('id')} FROM {roles} AS r CROSS JOIN {permissions} AS p\n"
                    f"    WHERE r.{q('name')} = {d.text(r.name)} AND p.{q('name')} IN ({listed});",
                    (),
                )
            )
    return out
