"""The refresh-token table, where a password login issues refresh tokens.

Why a table: a refresh token is revoked on logout and rotated on every refresh, which
only a server-side record can do; only its hash is kept, so a copied table signs no
one in. Kept apart from the role tables (rbac.py) so either can move on its own.
"""

from __future__ import annotations

from generator import naming
from generator.emitters.sql.escape import short_name
from generator.model import Column, Entity, ForeignKey, Index, System

TABLE = "refresh_tokens"


def entities(system: System) -> tuple[Entity, ...]:
    """The table when the system offers a password login; () otherwise."""
    sec = system.security
    if not sec.password_login or sec.credential is None:
        return ()
    account = next((e for e in system.entities if sec.credential in e.columns), None)
    if account is None:
        return ()
    taken = {e.table for e in system.entities}
    table = TABLE if TABLE not in taken else f"auth_{TABLE}"
    at = sec.location
    key = account.column("id")
    owner = f"{naming.snake(account.name)}_id"
    columns = (
        Column("id", "id", "uuid", "primary-key", at, description="Primary key."),
        Column(
            owner,
            naming.camel(owner),
            key.type,
            "foreign-key",
            at,
            max_length=key.max_length,
            references=account.name,
            description=f"The {account.name} the token was issued to.",
        ),
        Column(
            "token_hash",
            "tokenHash",
            "string",
            "field",
            at,
            max_length=64,
            unique=True,
            sensitive=True,
            description="SHA-256 of the token, hex; the token itself is never stored.",
        ),
        Column("expires_at", "expiresAt", "datetime", "field", at, description="When it expires."),
        Column(
            "revoked_at",
            "revokedAt",
            "datetime",
            "field",
            at,
            nullable=True,
            description="When logout or a refresh revoked it; null while it is valid.",
        ),
        Column(
            "created_at",
            "createdAt",
            "datetime",
            "created-at",
            at,
            description="When it was issued.",
        ),
    )
    fk = ForeignKey(
        naming.snake(account.name),
        owner,
        account.name,
        account.table,
        "cascade",
        "many-to-one",
        False,
        at,
    )
    index = Index(short_name("idx", table, owner), (owner,), False, "foreign-key", at)
    return (
        Entity(
            "RefreshToken",
            table,
            "Refresh tokens issued by login, stored as hashes; revoked on logout, rotated on refresh.",
            columns,
            ("id",),
            (fk,),
            (index,),
            at,
            timestamps=False,
        ),
    )
