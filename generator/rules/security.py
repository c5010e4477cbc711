"""Security decisions: authentication flow, authorization matrix, validation, encryption.

Seeds 000, 002 and 004: short-lived JWT access tokens with rotated refresh tokens,
RBAC, validation at the API boundary, strong password hashing, rate limits on public
endpoints, HTTPS everywhere, audit logging of security events.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Column, Entity, Operation, System
from generator.rules.missing import MissingKey


@dataclass(frozen=True, slots=True)
class MatrixRow:
    operation: Operation
    access: tuple[str, ...]  # per role: "allow", "deny"; in role order


@dataclass(frozen=True, slots=True)
class ValidationRule:
    entity: str
    field: str
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Check:
    rule: str
    status: bool
    detail: str


@dataclass(frozen=True, slots=True)
class SecurityPlan:
    roles: tuple[str, ...]
    matrix: tuple[MatrixRow, ...]
    validation: tuple[ValidationRule, ...]
    protected_fields: tuple[tuple[str, Column], ...]  # (entity, column) that are pii or sensitive
    owned: tuple[Entity, ...]  # entities whose records belong to someone: object-level checks
    checks: tuple[Check, ...]
    compliance: tuple[Check, ...]
    missing: tuple[MissingKey, ...]


def _cell(op: Operation, role: str, has_roles: bool) -> str:
    """'allow' (every record), 'own' (only the caller's records) or 'deny'."""
    if op.public or not has_roles:
        return "allow"
    scope = op.scope_of(role)
    if scope is None:
        return "deny"
    return "own" if scope == "own" and op.owned else "allow"


def plan_security(system: System) -> SecurityPlan:
    sec = system.security
    roles = tuple(r.name for r in sec.roles)
    business_ops = [op for op in system.api.operations if op.resource is not None]
    matrix = tuple(
        MatrixRow(
            op,
            tuple(_cell(op, role, bool(roles)) for role in roles),
        )
        for op in business_ops
    )
    missing: list[MissingKey] = []
    if sec.scheme == "jwt":
        if sec.access_token_ttl_minutes is None:
            missing.append(
                MissingKey(
                    "security.authentication.access_token_ttl_minutes", "access-token expiry"
                )
            )
        if sec.refresh_token_ttl_days is None and sec.password_login:
            missing.append(
                MissingKey("security.authentication.refresh_token_ttl_days", "refresh-token expiry")
            )
    protected = tuple(
        (e.name, c) for e in system.entities for c in e.columns if c.pii or c.sensitive
    )
    pii = [pair for pair in protected if pair[1].pii]
    public_ops = [op for op in system.api.operations if op.public and op.kind != "health"]
    limited = [op for op in public_ops if op.rate_limit is not None]
    checks = (
        Check(
            "Rate limiting on all public endpoints",
            len(limited) == len(public_ops),
            f"{len(limited)} of {len(public_ops)} public operations have a limit"
            + ("" if len(limited) == len(public_ops) else "; add security.rate_limits.public"),
        ),
        Check(
            "HTTPS for all communications",
            sec.encryption.in_transit,
            "security.encryption.in_transit is " + str(sec.encryption.in_transit).lower(),
        ),
        Check(
            "Strong password hashing",
            sec.password_hashing in ("argon2id", "bcrypt"),
            f"security.authentication.password_hashing is {sec.password_hashing}",
        ),
        Check(
            "Write operations require authentication",
            not any(
                op.public and op.method != "GET" and op.kind not in ("login", "refresh", "create")
                for op in system.api.operations
            ),
            "public writes other than sign-up and login are flagged by the design review",
        ),
        Check(
            "Sensitive fields never leave the API",
            all(
                c.name not in r.exposed
                for r in system.api.resources
                for e in [system.entity(r.entity)]
                for c in e.columns
                if c.sensitive
            ),
            "sensitive columns are excluded from every read model",
        ),
        Check(
            "Encryption at rest for personal data",
            sec.encryption.at_rest or not pii,
            "security.encryption.at_rest is "
            + str(sec.encryption.at_rest).lower()
            + f"; {len(pii)} pii field(s)",
        ),
    )
    compliance = tuple(
        _compliance(system, regime, bool(pii)) for regime in system.requirements.compliance
    )
    owned = tuple(e for e in system.entities if e.ownership is not None)
    return SecurityPlan(
        roles, matrix, _validation(system), protected, owned, checks, compliance, tuple(missing)
    )


def _compliance(system: System, regime: str, has_pii: bool) -> Check:
    retention = system.security.pii_retention_days
    erasable = [
        r.entity for r in system.api.resources if any(op.kind == "delete" for op in r.operations)
    ]
    pii_entities = sorted({e.name for e in system.entities if any(c.pii for c in e.columns)})
    if regime in ("GDPR", "CCPA"):
        # A person's own record is deleted on request; records that only mention a person
        # (an order's address) are kept, e.g. for tax law, and their personal data is
        # overwritten instead, so those need no delete operation.
        people = [e for e in pii_entities if _is_person(system, e)]
        not_erasable = [e for e in people if e not in erasable]
        anonymised = [
            f"{e}.{c.name}"
            for e in pii_entities
            if e not in people
            for c in system.entity(e).columns
            if c.pii
        ]
        ok = (
            retention is not None
            and not not_erasable
            and (system.security.encryption.at_rest or not has_pii)
        )
        parts = [
            f"retention {retention} days" if retention else "add `security.pii_retention_days`"
        ]
        if not_erasable:
            parts.append(f"erasure: no delete operation for {', '.join(not_erasable)}")
        elif people:
            parts.append(f"erasure: delete {', '.join(people)}")
        if anonymised:
            parts.append(f"anonymise {', '.join(anonymised)} and keep the records")
        if has_pii and not system.security.encryption.at_rest:
            parts.append("add `security.encryption.at_rest: true`")
        return Check(regime, ok, "; ".join(parts))
    if regime == "PCI-DSS":
        return Check(
            regime,
            system.security.encryption.field_level,
            "card data needs field-level encryption (security.encryption.field_level) or a tokenising provider",
        )
    if regime == "HIPAA":
        return Check(
            regime,
            system.security.encryption.at_rest and system.security.encryption.in_transit,
            "health data must be encrypted at rest and in transit, with access audit logs",
        )
    return Check(
        regime,
        system.observability.log_retention_days is not None,
        "SOC 2 needs audit-log retention (observability.log_retention_days)",
    )


def _validation(system: System) -> tuple[ValidationRule, ...]:
    out = []
    for entity in system.entities:
        if entity.is_join_table:
            continue
        for column in entity.fields:
            rules: list[str] = []
            if column.input is not None:
                # The client sends the plain value under another name; the column is the
                # server's. The rule is about what the client sends.
                required = "required on create; " if not column.nullable else ""
                hashing = system.security.password_hashing
                rules = [f"{required}string; never returned; stored as its {hashing} hash"]
                out.append(ValidationRule(entity.name, column.input, tuple(rules)))
                continue
            if column.server_owned:
                continue  # never accepted in a request, so nothing to validate
            if not column.nullable and column.default is None:
                rules.append("required on create")
            if column.access == "immutable":
                rules.append("set on create only")
            elif column.access == "write-only":
                rules.append("never returned")
            rules.append(
                {
                    "email": "valid e-mail address",
                    "url": "absolute http(s) URL",
                    "uuid": "UUID",
                    "date": "ISO 8601 date",
                    "datetime": "ISO 8601 date-time with offset",
                    "integer": "32-bit integer",
                    "bigint": "64-bit integer",
                    "boolean": "true/false",
                    "json": "JSON object",
                    "float": "number",
                    "text": "text",
                }.get(column.type, column.type)
            )
            if column.max_length:
                rules.append(f"at most {column.max_length} characters")
            if column.type == "decimal":
                rules.append(
                    f"decimal string, {column.precision} digits, {column.scale} after the point"
                )
            if column.values:
                rules.append("one of " + ", ".join(column.values))
            if column.unique:
                rules.append("unique (409 on conflict)")
            out.append(ValidationRule(entity.name, column.name, tuple(rules)))
    return tuple(out)


def _is_person(system: System, entity_name: str) -> bool:
    """Whether erasure deletes the row: as the spec says (`erasure:`), else when it holds
    a personal e-mail address (an account, a customer), the mark of a person's own record."""
    entity = system.entity(entity_name)
    if entity.erasure is not None:
        return entity.erasure == "delete"
    return any(c.pii and c.type == "email" for c in entity.columns)
