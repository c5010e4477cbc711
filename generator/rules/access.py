"""Who may call an operation, said one way in the document, the site and the contract.

Object-level authorization: on an owned entity, a role granted `:own` reaches only the
caller's records. A list is filtered to them, and a read, change or delete of another
owner's record answers 404 Not Found, as if it did not exist, so ids cannot be probed.
"""

from __future__ import annotations

from generator.model import Operation, System

NOT_FOUND_POLICY = (
    "A record owned by someone else answers 404 Not Found to a caller who may reach only "
    "their own, exactly as a record that does not exist, so ids cannot be probed."
)


def access_label(system: System, op: Operation) -> str:
    """'public', 'none', 'signed in', or the roles allowed, with '(own)' where scoped."""
    if op.public:
        return "public (sign-in optional)" if op.optional_auth else "public"
    if system.security.scheme == "none":
        return "none"
    everyone = {r.name for r in system.security.roles}
    if not op.grants or (
        {g.role for g in op.grants} == everyone and all(g.scope == "any" for g in op.grants)
    ):
        return "signed in"
    return ", ".join(
        f"{g.role} (own)" if op.owned and g.scope == "own" else g.role for g in op.grants
    )


def scope_note(system: System, op: Operation) -> str:
    """What `:own` means for this operation, or '' when no grant is scoped."""
    if not op.owned or not any(g.scope == "own" for g in op.grants):
        return ""
    entity = system.entity(op.entity) if op.entity else None
    what = (op.resource or "records").replace("-", " ")
    own = [g.role for g in op.grants if g.scope == "own"]
    who = ", ".join(own)
    if op.kind == "list":
        return f"For {who}: only the caller's own {what}."
    if op.kind == "create":
        owner = entity.ownership if entity else None
        if owner is not None and owner.direct and owner.relation is not None:
            return f"For {who}: the new record's {owner.relation} is the caller."
        target = owner.target if owner is not None else "record"
        return f"For {who}: only in a {target} the caller owns."
    return f"For {who}: only the caller's own; another owner's answers 404."
