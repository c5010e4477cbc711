"""Who owns an entity's records: the key that object-level authorization filters by.

An owner is the account entity itself (`owner: self`), a to-one relation to it
(`owner: customer`), or a relation to another owned entity, whose owner it inherits
(an order item belongs to whoever owns its order).
"""

from __future__ import annotations

from generator import spec as s
from generator.diagnostics import quote
from generator.model import ForeignKey, Ownership
from generator.resolve.context import Context

SELF = "self"


def resolve_ownership(
    ctx: Context, name: str, entity: s.Entity, keys: list[ForeignKey]
) -> Ownership | None:
    if entity.owner is None:
        return None
    where = ctx.at("entities", name, "owner")
    principal = ctx.spec.security.authentication.principal
    if principal is None:
        ctx.error(
            "owner-without-principal",
            f"{name} names an owner, but no entity is declared as the one a credential identifies",
            where,
            "add 'principal: <Entity>' under security.authentication, e.g. 'principal: User'",
        )
        return None
    if entity.owner == SELF:
        if name != principal:
            ctx.error(
                "owner-self",
                f"'owner: self' is for the account entity {principal}, not {name}",
                where,
                f"name the relation of {name} that points to its owner",
            )
            return None
        return Ownership(None, "id", name, True, where)
    key = next((k for k in keys if k.relation == entity.owner), None)
    if key is None:
        ctx.unknown(
            "relation",
            entity.owner,
            [k.relation for k in keys] + [SELF] * (name == principal),
            where,
            f"name a to-one relation of {name} (or 'self' on {principal})",
        )
        return None
    if key.target == principal:
        return Ownership(key.relation, key.column, key.target, True, where)
    if _owner_chain(ctx, key.target, principal, {name}) is None:
        ctx.error(
            "owner-not-owned",
            f"owner {quote(entity.owner)} points to {key.target}, which is not owned by a {principal}",
            where,
            f"point 'owner:' at a relation to {principal}, or give {key.target} an 'owner:'",
        )
        return None
    return Ownership(key.relation, key.column, key.target, False, where)


def _owner_chain(ctx: Context, name: str, principal: str, seen: set[str]) -> list[str] | None:
    """The entities from `name` up to the principal along `owner:` relations, or None."""
    chain = []
    while name not in seen:
        seen.add(name)
        chain.append(name)
        if name == principal:
            return chain
        spec_entity = ctx.spec.entities.get(name)
        if spec_entity is None or spec_entity.owner is None:
            return None
        if spec_entity.owner == SELF:
            return chain if name == principal else None
        relation = spec_entity.relations.get(spec_entity.owner)
        if relation is None or relation.kind == "many-to-many":
            return None
        name = relation.target
    return None
