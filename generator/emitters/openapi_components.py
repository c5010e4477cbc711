"""Shared OpenAPI components: error responses, headers, parameters, security, health, auth.

Why shared: every operation points at the same error envelope, rate-limit headers
and pagination parameters, so a client generator sees one type for each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.emitters.openapi_schemas import Schema, error_schemas, pagination_schema, ref

if TYPE_CHECKING:
    from generator.model import System

Component = dict[str, Any]

RESPONSES = "#/components/responses/"
HEADERS = "#/components/headers/"
PARAMETERS = "#/components/parameters/"

# Error status -> (component name, description, example code); seeds 001/002/004.
ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("BadRequest", "The request is malformed or a parameter is invalid.", "BAD_REQUEST"),
    401: ("Unauthorized", "Credentials are missing, invalid or expired.", "UNAUTHORIZED"),
    403: ("Forbidden", "Signed in, but no role grants this operation.", "FORBIDDEN"),
    404: ("NotFound", "The resource (or a parent in the path) does not exist.", "NOT_FOUND"),
    409: (
        "Conflict",
        "The request conflicts with current state: a duplicate unique value or a stale version.",
        "CONFLICT",
    ),
    412: (
        "PreconditionFailed",
        "If-Match does not match the current ETag; reload and retry.",
        "PRECONDITION_FAILED",
    ),
    422: (
        "UnprocessableEntity",
        "The body is well-formed but fails validation.",
        "VALIDATION_ERROR",
    ),
    429: ("TooManyRequests", "Rate limit exceeded; wait Retry-After seconds.", "RATE_LIMITED"),
    500: (
        "InternalServerError",
        "Unexpected server error; details are logged, not returned.",
        "INTERNAL_ERROR",
    ),
}

RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")

SECURITY_SCHEME_NAMES = {
    "jwt": "bearerAuth",
    "api-key": "apiKeyAuth",
    "oauth2": "oauth2",
    "session": "cookieAuth",
}


def security_scheme_name(system: System) -> str:
    """The scheme's component name; a JWT sent as 'Token <jwt>' is an API key header."""
    if system.security.scheme == "jwt" and system.security.header == "Token":
        return "tokenAuth"
    return SECURITY_SCHEME_NAMES[system.security.scheme]


def header_refs(*names: str) -> dict[str, Component]:
    return {name: {"$ref": HEADERS + name} for name in names}


def error_response(status: int) -> Component:
    return {"$ref": RESPONSES + ERRORS[status][0]}


def responses() -> dict[str, Component]:
    result: dict[str, Component] = {}
    for status, (name, description, code) in ERRORS.items():
        response: Component = {"description": description}
        if status == 429:
            response["headers"] = header_refs("Retry-After", *RATE_LIMIT_HEADERS)
        error: Component = {"code": code, "message": description}
        if status == 422:
            error["details"] = [{"field": "email", "message": "Invalid email format"}]
        media = {"schema": ref("Error"), "example": {"error": error}}
        response["content"] = {"application/json": media}
        result[name] = response
    return result


def headers() -> dict[str, Component]:
    def integer(description: str) -> Component:
        return {"description": description, "schema": {"type": "integer", "minimum": 0}}

    return {
        "X-RateLimit-Limit": integer("Requests allowed in the current window (see x-rate-limit)."),
        "X-RateLimit-Remaining": integer("Requests left in the current window."),
        "X-RateLimit-Reset": integer("Unix time, in seconds, when the window resets."),
        "Retry-After": integer("Seconds to wait before retrying."),
        "Location": {
            "description": "URL of the created resource.",
            "schema": {"type": "string", "format": "uri-reference"},
        },
        "ETag": {
            "description": "Current version of the resource; send it back in If-Match.",
            "schema": {"type": "string"},
        },
    }


def parameters(system: System) -> dict[str, Component]:
    api = system.api
    limit = {
        "name": "limit",
        "in": "query",
        "description": "Items per page.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": api.max_page_size,
            "default": api.page_size,
        },
    }
    page = {
        "name": "page",
        "in": "query",
        "description": "Page number, from 1.",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    }
    cursor = {
        "name": "cursor",
        "in": "query",
        "description": "Opaque cursor from pagination.nextCursor; omit for the first page.",
        "schema": {"type": "string"},
    }
    if_match = {
        "name": "If-Match",
        "in": "header",
        "required": True,
        "description": "The ETag last read; the write fails with 412 if the resource has changed.",
        "schema": {"type": "string"},
    }
    idempotency = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "A key unique to this request; a retry with the same key is not applied twice.",
        "schema": {"type": "string", "maxLength": 255},
    }
    return {
        "Limit": limit,
        "Page": page,
        "Cursor": cursor,
        "IfMatch": if_match,
        "IdempotencyKey": idempotency,
    }


def security_schemes(system: System, scopes: dict[str, str]) -> dict[str, Component]:
    scheme = system.security.scheme
    if scheme == "jwt":
        ttl = system.security.access_token_ttl_minutes
        source = "POST login" if system.security.password_login else "the token issuer"
        text = f"Access token from {source}, sent as 'Authorization: Bearer <token>'."
        if ttl:
            text += f" Valid for {ttl} minutes."
        value: Component = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        if system.security.header == "Token":
            # Not RFC 6750: the word 'Token' before the JWT, so OpenAPI calls it an API key.
            text = text.replace("Bearer <token>", "Token <token>")
            value = {"type": "apiKey", "in": "header", "name": "Authorization"}
        value["description"] = text
    elif scheme == "api-key":
        value = {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    elif scheme == "session":
        value = {"type": "apiKey", "in": "cookie", "name": "session"}
    elif scheme == "oauth2":
        # Placeholder flows: relative URLs resolve against the server serving the API.
        code = {"authorizationUrl": "/oauth/authorize", "tokenUrl": "/oauth/token"}
        flows = {
            "clientCredentials": {"tokenUrl": "/oauth/token", "scopes": scopes},
            "authorizationCode": {**code, "scopes": scopes},
        }
        value = {"type": "oauth2", "flows": flows}
    else:
        return {}
    return {security_scheme_name(system): value}


def health_schemas(system: System) -> dict[str, Schema]:
    """Seed 004's /health: status, version, timestamp and one check per dependency."""
    infra = system.infrastructure
    checks = ["database"] + (["cache"] if infra.cache else []) + (["queue"] if infra.queue else [])
    check: Schema = {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"type": "string", "enum": ["up", "down"]},
            "latency": {"type": "integer", "minimum": 0, "description": "Milliseconds."},
        },
    }
    health: Schema = {
        "type": "object",
        "required": ["status", "version", "timestamp", "checks"],
        "properties": {
            "status": {"type": "string", "enum": ["healthy", "degraded", "unhealthy"]},
            "version": {"type": "string", "examples": [system.version]},
            "timestamp": {"type": "string", "format": "date-time"},
            "checks": {
                "type": "object",
                "required": checks,
                "properties": {name: ref("HealthCheck") for name in checks},
                "additionalProperties": ref("HealthCheck"),
            },
        },
    }
    return {"Health": health, "HealthCheck": check}


def auth_schemas(system: System) -> dict[str, Schema]:
    """Request and response bodies of the login, refresh and logout flow."""
    security = system.security
    login: Schema = {
        "email": {"type": "string", "format": "email", "examples": ["user@example.com"]},
        "password": {"type": "string", "format": "password", "writeOnly": True},
    }
    if security.mfa:
        login["mfaCode"] = {
            "type": "string",
            "description": "One-time code from the second factor.",
        }
    expires: Schema = {
        "type": "integer",
        "minimum": 1,
        "description": "Access-token lifetime in seconds.",
    }
    if security.access_token_ttl_minutes:
        expires["examples"] = [security.access_token_ttl_minutes * 60]
    refresh_text = "Long-lived token for POST refresh; revoke it with POST logout."
    if security.refresh_token_ttl_days:
        refresh_text += f" Valid for {security.refresh_token_ttl_days} days."
    token_pair: Schema = {
        "type": "object",
        "required": ["accessToken", "refreshToken", "expiresIn"],
        "properties": {
            "accessToken": {
                "type": "string",
                "description": "Short-lived JWT for the Authorization header.",
            },
            "refreshToken": {"type": "string", "description": refresh_text},
            "expiresIn": expires,
        },
    }
    return {
        "LoginRequest": {"type": "object", "required": ["email", "password"], "properties": login},
        "RefreshRequest": {
            "type": "object",
            "required": ["refreshToken"],
            "properties": {"refreshToken": {"type": "string"}},
        },
        "TokenPair": token_pair,
    }


def shared_schemas(system: System) -> dict[str, Schema]:
    return {
        **error_schemas(),
        "Pagination": pagination_schema(system),
        **health_schemas(system),
        **auth_schemas(system),
    }
