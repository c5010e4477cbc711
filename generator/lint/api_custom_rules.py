"""Rules for custom operations: status codes, bodies and paths (REST conventions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.diagnostics import Severity, quote
from generator.lint.api_rules import CRUD_VERBS, op_path, resource_ops
from generator.lint.registry import Finding, finding, rule

if TYPE_CHECKING:
    from collections.abc import Iterator

    from generator.model import System


@rule(
    "API009",
    Severity.WARNING,
    "A POST that creates returns 201",
    """`POST /api/users → 200 OK` is an anti-pattern: a POST to a collection that
      returns the new item answers 201 Created.""",
)
def create_status(system: System) -> Iterator[Finding]:
    for resource in system.api.resources:
        for op in resource.operations:
            on_collection = op.path == resource.collection_path
            returns_item = (
                op.response is not None
                and op.response.entity == resource.entity
                and not op.response.many
            )
            if (
                op.kind == "custom"
                and op.method == "POST"
                and on_collection
                and returns_item
                and op.success_status == 200
            ):
                yield finding(
                    system,
                    "API009",
                    op_path(system, op) + ".status",
                    f"{op.id} creates a {resource.entity} but answers 200",
                    "set 'status: 201'",
                    location=system.locate(op_path(system, op) + ".status"),
                )


@rule(
    "API010",
    Severity.WARNING,
    "A DELETE answers 204 without a body",
    """`DELETE /api/users/:id → 200 OK with body` is an anti-pattern: a delete
      answers 204 No Content.""",
)
def delete_status(system: System) -> Iterator[Finding]:
    for op in resource_ops(system):
        if (
            op.kind == "custom"
            and op.method == "DELETE"
            and (op.success_status != 204 or op.response)
        ):
            path = op_path(system, op)
            yield finding(
                system,
                "API010",
                path + ".status",
                f"{op.id} deletes but answers {op.success_status}"
                + (" with a body" if op.response else ""),
                "set 'status: 204' and drop 'response:'",
                location=system.locate(path + ".status"),
            )


@rule(
    "API011",
    Severity.WARNING,
    "Custom paths do not repeat the HTTP verb",
    """Paths use nouns, not verbs. A custom action such as `/{orderId}/cancel` names a
      state change; `/{orderId}/update` repeats what PATCH already says.""",
)
def verb_paths(system: System) -> Iterator[Finding]:
    for op in resource_ops(system):
        if op.kind != "custom":
            continue
        path = op_path(system, op)
        for segment in op.path.split("/"):
            if segment in CRUD_VERBS:
                yield finding(
                    system,
                    "API011",
                    path + ".path",
                    f"path {quote(op.path)} contains the verb {quote(segment)}",
                    "use the HTTP method on the resource path instead",
                    location=system.locate(path + ".path"),
                )
                break


@rule(
    "API012",
    Severity.ERROR,
    "GET operations take no request body",
    """HTTP gives a GET body no meaning; caches, proxies and generated clients drop
      it, so a GET with a request body fails in production, not in tests.""",
)
def get_body(system: System) -> Iterator[Finding]:
    for op in resource_ops(system):
        if op.kind == "custom" and op.method == "GET" and op.request is not None:
            path = op_path(system, op)
            yield finding(
                system,
                "API012",
                path + ".request",
                f"{op.id} is a GET with a request body",
                "use query parameters or make it a POST",
                location=system.locate(path + ".request"),
            )


@rule(
    "API013",
    Severity.WARNING,
    "A 204 response has no body",
    """204 means No Content. Declaring a response body on a 204 makes the contract
      lie to generated clients.""",
)
def no_content_body(system: System) -> Iterator[Finding]:
    for op in resource_ops(system):
        if (
            op.kind == "custom"
            and op.success_status == 204
            and op.response is not None
            and op.method != "DELETE"
        ):
            path = op_path(system, op)
            yield finding(
                system,
                "API013",
                path + ".response",
                f"{op.id} answers 204 but declares a response body",
                "drop 'response:' or answer 200",
                location=system.locate(path + ".response"),
            )
