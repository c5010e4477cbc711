"""API design rules: REST conventions checked against the whole system."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator import naming
from generator.diagnostics import Severity, quote
from generator.lint.meta_rules import custom_name
from generator.lint.registry import Finding, finding, rule

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.model import Operation, Resource, System

# Verbs that duplicate what the HTTP method already says. A state transition such as
# /orders/{id}/cancel is an accepted "custom method"; /orders/{id}/update is not.
CRUD_VERBS = frozenset(
    {
        "get",
        "fetch",
        "read",
        "list",
        "find",
        "search-all",
        "create",
        "add",
        "new",
        "insert",
        "make",
        "update",
        "edit",
        "modify",
        "set",
        "save",
        "delete",
        "remove",
        "destroy",
        "do",
    }
)
MAX_PAGE_SIZE = 1000  # beyond this one page is a bulk export, not a page
MAX_NESTING = 2  # /a/{id}/b/{id}/c: deeper paths couple clients to the hierarchy
CURSOR_USERS = 100_000  # seed 002 stage 4: offset scans get slow on tables this size
CURSOR_DATA_GB = 100
_WRITES = {"update", "replace", "delete"}


def _resource_path(resource: Resource) -> str:
    return f"api.resources.{resource.name}"


def op_path(system: System, op: Operation) -> str:
    """A stable element key for an operation: its custom name or CRUD kind under the resource."""
    if op.resource is None:
        return f"api.operations.{op.id}"
    base = f"api.resources.{op.resource}"
    if op.kind == "custom":
        name = custom_name(system, op.resource, op.location)
        return f"{base}.custom.{name}"
    return f"{base}.operations.{op.kind}"


def resource_ops(system: System) -> Iterator[Operation]:
    for resource in system.api.resources:
        yield from resource.operations


@rule(
    "API001",
    Severity.WARNING,
    "Resource names are plural nouns",
    """`GET /api/v1/product` is an anti-pattern: a collection is named by the plural
      noun (`/products`), so every path reads the same way.""",
)
def plural_names(system: System) -> Iterator[Finding]:
    for resource in system.api.resources:
        if not naming.is_plural(resource.name) and resource.name.split("-")[0] not in CRUD_VERBS:
            better = naming.plural(resource.name.replace("-", "_")).replace("_", "-")
            yield finding(
                system,
                "API001",
                _resource_path(resource),
                f"resource {quote(resource.name)} is singular",
                f"rename it to {quote(better)}",
            )


@rule(
    "API002",
    Severity.WARNING,
    "Resource names are nouns, not verbs",
    """Resource URLs use nouns, not verbs: `POST /createUser` is the anti-pattern,
      because the HTTP method is the verb.""",
)
def verb_names(system: System) -> Iterator[Finding]:
    for resource in system.api.resources:
        verb = resource.name.split("-")[0]
        if verb in CRUD_VERBS:
            yield finding(
                system,
                "API002",
                _resource_path(resource),
                f"resource {quote(resource.name)} starts with the verb {quote(verb)}",
                "name the resource by the noun and let the HTTP method be the verb",
            )


@rule(
    "API003",
    Severity.WARNING,
    "The API is versioned",
    """APIs carry a version in their paths (`/api/v1/...`); without one, the first
      breaking change breaks every client.""",
)
def versioned(system: System) -> Iterator[Finding]:
    if system.api.version is None:
        yield finding(
            system,
            "API003",
            "api.version",
            "the API has no version in its paths",
            "set 'version: v1' under 'api:'",
        )


@rule(
    "API004",
    Severity.WARNING,
    "Page sizes are bounded",
    f"""Collections are paginated; a maximum page size above {MAX_PAGE_SIZE} lets one
      request read a table, which defeats the point.""",
)
def page_size(system: System) -> Iterator[Finding]:
    if system.api.max_page_size > MAX_PAGE_SIZE:
        yield finding(
            system,
            "API004",
            "api.max_page_size",
            f"max_page_size {system.api.max_page_size} lets one request read that many rows",
            f"keep it at or below {MAX_PAGE_SIZE}; offer an export job for bulk reads",
        )


@rule(
    "API006",
    Severity.ERROR,
    "Updates and deletes require authentication",
    """Authentication comes before every state change; a public update, replace or
      delete lets anyone on the internet change or destroy data.""",
)
def public_writes(system: System) -> Iterator[Finding]:
    for op in resource_ops(system):
        changing = op.kind in _WRITES or (
            op.kind == "custom" and op.method in ("PUT", "PATCH", "DELETE")
        )
        if op.public and changing:
            yield finding(
                system,
                "API006",
                op_path(system, op),
                f"{op.method} {op.path} ({op.id}) is public",
                "remove it from 'public:' and grant it to a role",
                location=op.location,
            )


@rule(
    "API007",
    Severity.INFO,
    "Public creates need abuse controls",
    """A public create (sign-up, contact form) is sometimes right, but it is the first
      thing bots find, and every public endpoint needs a rate limit.""",
)
def public_creates(system: System) -> Iterator[Finding]:
    for op in resource_ops(system):
        creating = op.kind == "create" or (op.kind == "custom" and op.method == "POST")
        if op.public and creating:
            yield finding(
                system,
                "API007",
                op_path(system, op),
                f"anyone can call {op.method} {op.path} ({op.id})",
                "keep it rate limited and consider a CAPTCHA or e-mail verification",
                location=op.location,
            )


@rule(
    "API008",
    Severity.WARNING,
    "Public endpoints are rate limited",
    """Every public endpoint is rate limited; without a limit one client can exhaust
      the capacity the scale requirements were sized for.""",
)
def public_rate_limits(system: System) -> Iterator[Finding]:
    for op in system.api.operations:
        if op.public and op.rate_limit is None and op.kind != "health":
            yield finding(
                system,
                "API008",
                op_path(system, op),
                f"public {op.method} {op.path} ({op.id}) has no rate limit",
                "add 'security.rate_limits.public' or a 'rate_limit' on the resource",
                location=op.location,
            )


@rule(
    "API014",
    Severity.WARNING,
    "Large collections use cursor pagination",
    f"""Large datasets page with cursors: offset pagination scans and skips rows, so
      deep pages slow down as tables grow (here: {CURSOR_USERS:,} users or
      {CURSOR_DATA_GB} GB, scaling stage 4).""",
)
def cursor_pagination(system: System) -> Iterator[Finding]:
    scale = system.requirements.scale
    big = (scale.users_now or 0) >= CURSOR_USERS or (scale.data_volume_gb or 0) >= CURSOR_DATA_GB
    if big and system.api.pagination == "offset":
        yield finding(
            system,
            "API014",
            "api.pagination",
            "offset pagination on a system of this size",
            "set 'pagination: cursor' under 'api:'",
        )


@rule(
    "API015",
    Severity.WARNING,
    "Resources nest at most two levels",
    f"""Sub-resources nest under their owner (`/users/{{id}}/orders`); beyond
      {MAX_NESTING} levels paths couple every client to the whole hierarchy.""",
)
def nesting(system: System) -> Iterator[Finding]:
    for resource in system.api.resources:
        depth = len(re.findall(r"\{", resource.collection_path))
        if depth > MAX_NESTING:
            yield finding(
                system,
                "API015",
                _resource_path(resource) + ".parent",
                f"resource {quote(resource.name)} is nested {depth} levels deep",
                "give it its own top-level collection with a filter",
            )
