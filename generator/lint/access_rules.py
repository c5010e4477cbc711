"""Review rules on what callers may send and whose records they reach.

Mass assignment and broken object-level authorization are the two most common API
vulnerabilities; the resolver refuses what cannot be right (an operation no role is
granted, a secret in a response), and these rules flag what is legal but risky.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.diagnostics import Severity
from generator.emitters.openapi_schemas import writable_columns
from generator.lint.registry import Finding, finding, rule
from generator.model import System

# Column names that decide privileges, state or money: a client that may write one
# can promote itself, skip a workflow step or set its own price.
PRIVILEGE_NAME = re.compile(
    r"(^|_)(role|roles|admin|is_admin|permissions?|status|state|verified|verified_at|"
    r"balance|credits?|total|amount|price|discount|plan|tier|owner_id)($|_)"
)

_WRITES = frozenset({"create", "update", "replace"})


@rule(
    "SEC017",
    Severity.ERROR,
    "Public writes accept no privilege fields",
    """Mass assignment: an unauthenticated create or update that accepts a role, a
      status, a verification mark or an amount lets anyone sign up as admin, mark an
      order paid or choose a price. Fields the server decides are `access: server-set`:
      shown in responses, never accepted in requests.""",
)
def public_privilege_fields(system: System) -> Iterator[Finding]:
    for op in system.api.operations:
        if not op.public or op.kind not in _WRITES or op.entity is None:
            continue
        entity = system.entity(op.entity)
        for column in writable_columns(system, entity, partial=op.kind == "update"):
            if column.role == "field" and PRIVILEGE_NAME.search(column.name):
                yield finding(
                    system,
                    "SEC017",
                    f"entities.{entity.name}.fields.{column.name}",
                    f"anyone may set {entity.name}.{column.name} through public {op.method} {op.path} ({op.id})",
                    "add 'access: server-set' to the field (change it through an operation of a role that may), "
                    "or remove the operation from 'public'",
                )


@rule(
    "SEC018",
    Severity.WARNING,
    "Only staff read every owner's records",
    """Broken object-level authorization: when a role that is not back-office may read
      or list any owner's records, every customer sees every order. Grant ':own' to
      such roles, and mark the roles that really work on all records `staff: true`.""",
)
def any_scope_for_customers(system: System) -> Iterator[Finding]:
    staff = system.security.staff_roles
    seen: set[tuple[str, str]] = set()
    for op in system.api.operations:
        if not op.owned or op.kind not in ("list", "get"):
            continue
        for grant in op.grants:
            key = (grant.role, op.resource or "")
            if grant.scope != "any" or grant.role in staff or key in seen:
                continue
            seen.add(key)
            yield finding(
                system,
                "SEC018",
                f"security.roles.{grant.role}",
                f"role {grant.role!r} may read every owner's {op.resource} ({op.method} {op.path})",
                f"grant '{op.resource}:read:own', or mark the role 'staff: true' if it is back-office",
            )


@rule(
    "API016",
    Severity.WARNING,
    "Full-text search is reachable",
    """A full-text index costs writes and storage; it pays only when an endpoint uses
      it. A list operation of the entity takes the search as `q=`.""",
)
def unused_search(system: System) -> Iterator[Finding]:
    listed = {op.entity for op in system.api.operations if op.kind == "list"}
    for entity in system.entities:
        if entity.search and entity.name not in listed:
            yield finding(
                system,
                "API016",
                f"entities.{entity.name}.search",
                f"{entity.name} has a full-text index, but no list operation searches it",
                f"add 'list' to a resource of {entity.name}, or remove 'search:'",
            )
