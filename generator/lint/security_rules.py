"""Security rules: secrets, tokens, authentication and authorisation, checked system-wide."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.diagnostics import Severity, quote
from generator.lint.registry import Finding, finding, rule

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.model import Column, Entity, System

SECRET_NAME = re.compile(
    r"(^|_)(password|passwd|secret|token|api_key|apikey|private_key|otp|pin_code)(_|$)"
)
# Seed 000 signs access tokens for 15 minutes; an hour is the outer bound.
MAX_ACCESS_TTL_MINUTES = 60
MAX_REFRESH_TTL_DAYS = 30  # seed 000 uses 7 days
RECOMMENDED_HASHING = frozenset({"argon2id", "bcrypt"})  # seed 000: "bcrypt, argon2"


def user_columns(system: System) -> Iterator[tuple[Entity, Column]]:
    for entity in system.entities:
        if not entity.is_join_table:
            for column in entity.fields:
                yield entity, column


@rule(
    "SEC003",
    Severity.ERROR,
    "Secrets are marked sensitive",
    """Credentials are never exposed. A `password`, `secret` or `token` field that
      is not `sensitive: true` is returned by every read operation of its resource.""",
)
def secrets_sensitive(system: System) -> Iterator[Finding]:
    for entity, column in user_columns(system):
        if SECRET_NAME.search(column.name) and not column.sensitive:
            yield finding(
                system,
                "SEC003",
                f"entities.{entity.name}.fields.{column.name}",
                f"{entity.name}.{column.name} looks like a secret but is not sensitive",
                "add 'sensitive: true' so no response exposes it",
            )


@rule(
    "SEC004",
    Severity.WARNING,
    "Deletes are kept to staff or to the owner",
    """Deleting is back-office work or the owner's own choice: a role that is not
      staff (`staff: true`, or `*`) and may delete any record can wipe everyone's data
      with one loop over the ids.""",
)
def delete_roles(system: System) -> Iterator[Finding]:
    if system.security.scheme == "none":
        return
    staff = system.security.staff_roles
    for resource in system.api.resources:
        for op in resource.operations:
            # A custom DELETE below the item (/{slug}/favorite) removes a link, not the record.
            removes_record = op.kind == "delete" or op.path == resource.item_path
            if op.method != "DELETE" or op.public or not removes_record:
                continue
            for grant in op.grants:
                if grant.scope == "any" and grant.role not in staff:
                    yield finding(
                        system,
                        "SEC004",
                        f"security.roles.{grant.role}",
                        f"role {grant.role!r} may delete any {op.entity} ({op.method} {op.path})",
                        "mark the role 'staff: true' if it is back-office, or grant the delete ':own' on an owned entity",
                    )


@rule(
    "SEC005",
    Severity.ERROR,
    "Access tokens expire",
    """Access tokens are signed with an expiry (`expiresIn: '15m'`); a JWT without
      one is a password that can never be changed.""",
)
def access_ttl(system: System) -> Iterator[Finding]:
    if (
        system.security.scheme in ("jwt", "oauth2")
        and system.security.access_token_ttl_minutes is None
    ):
        yield finding(
            system,
            "SEC005",
            "security.authentication.access_token_ttl_minutes",
            "access tokens have no lifetime",
            "set 'access_token_ttl_minutes: 15'",
            location=system.locate("security.authentication.scheme"),
        )


@rule(
    "SEC006",
    Severity.WARNING,
    "Access tokens are short-lived",
    f"""Access tokens usually live 15 minutes and are refreshed; a stolen token is
      usable for its whole lifetime, so more than {MAX_ACCESS_TTL_MINUTES} minutes is too long.""",
)
def access_ttl_long(system: System) -> Iterator[Finding]:
    ttl = system.security.access_token_ttl_minutes
    if ttl is not None and ttl > MAX_ACCESS_TTL_MINUTES:
        yield finding(
            system,
            "SEC006",
            "security.authentication.access_token_ttl_minutes",
            f"access tokens live {ttl} minutes",
            "use 15 minutes with refresh tokens",
        )


@rule(
    "SEC007",
    Severity.WARNING,
    "Refresh tokens expire",
    f"""A JWT flow refreshes access tokens with a refresh token, which usually lives
      7 days. One without a lifetime, or longer than {MAX_REFRESH_TTL_DAYS} days, outlives
      the session it was issued for.""",
)
def refresh_ttl(system: System) -> Iterator[Finding]:
    sec = system.security
    if not sec.password_login:
        return  # refresh tokens are issued only by this system's own login
    if sec.refresh_token_ttl_days is None:
        yield finding(
            system,
            "SEC007",
            "security.authentication.refresh_token_ttl_days",
            "refresh tokens have no lifetime",
            "set 'refresh_token_ttl_days: 7'",
            location=system.locate("security.authentication.scheme"),
        )
    elif sec.refresh_token_ttl_days > MAX_REFRESH_TTL_DAYS:
        yield finding(
            system,
            "SEC007",
            "security.authentication.refresh_token_ttl_days",
            f"refresh tokens live {sec.refresh_token_ttl_days} days",
            "use 7 to 30 days",
        )


@rule(
    "SEC008",
    Severity.ERROR,
    "Writes need an authentication scheme",
    """With `scheme: none` every operation is anonymous; every state change should be
      authenticated, so a system that writes data needs a scheme.""",
)
def no_auth(system: System) -> Iterator[Finding]:
    if system.security.scheme != "none":
        return
    writes = [op for r in system.api.resources for op in r.operations if op.method != "GET"]
    if writes:
        yield finding(
            system,
            "SEC008",
            "security.authentication.scheme",
            f"authentication is off but {len(writes)} operation(s) write (e.g. {writes[0].id})",
            "use 'scheme: jwt' (or oauth2, session, api-key)",
        )


@rule(
    "SEC009",
    Severity.INFO,
    "Passwords are hashed with argon2id or bcrypt",
    """Passwords are hashed with strong algorithms (bcrypt, argon2). scrypt is sound
      but has fewer vetted libraries and tuning guides.""",
)
def hashing(system: System) -> Iterator[Finding]:
    if system.security.password_hashing not in RECOMMENDED_HASHING:
        yield finding(
            system,
            "SEC009",
            "security.authentication.password_hashing",
            f"passwords are hashed with {quote(system.security.password_hashing)}",
            "prefer 'argon2id'",
        )


@rule(
    "SEC012",
    Severity.ERROR,
    "Traffic is encrypted in transit",
    """Traffic is encrypted with TLS at least up to the edge; sending tokens and
      personal data in clear text gives them to anyone on the network path.""",
)
def in_transit(system: System) -> Iterator[Finding]:
    if not system.security.encryption.in_transit:
        yield finding(
            system,
            "SEC012",
            "security.encryption.in_transit",
            "encryption in transit is off",
            "set 'in_transit: true' (TLS everywhere)",
        )


@rule(
    "SEC013",
    Severity.INFO,
    "Full-access roles use multi-factor authentication",
    """A role with `*` can do everything, which makes such accounts an attacker's
      first target, and MFA is the cheapest defence.""",
)
def admin_mfa(system: System) -> Iterator[Finding]:
    sec = system.security
    admins = [r for r in sec.roles if "*" in r.permissions]
    if admins and not sec.mfa and sec.scheme != "none":
        yield finding(
            system,
            "SEC013",
            f"security.roles.{admins[0].name}",
            f"role {quote(admins[0].name)} has full access but MFA is off",
            "set 'security.authentication.mfa: true'",
        )
