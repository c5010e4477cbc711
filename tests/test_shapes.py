"""Custom operations with their own shapes: views, bodies, envelopes, query, headers, auth."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from generator.emitters.openapi import build_document
from tests.helpers import problems, spec

BASE = """\
system: {name: Blog}
entities:
  User:
    owner: self
    fields:
      email: {type: email, unique: true, pii: true}
      name: {type: string}
      password_hash: {type: string, sensitive: true, input: password}
  Post:
    key: bigint
    owner: author
    fields:
      slug: {type: string, unique: true, access: server-set}
      title: {type: string}
      body: {type: text, nullable: true}
      state: {type: enum, values: [draft, live]}
    relations:
      author: {target: User}
api:
  views:
    Author:
      entity: User
      only: [name]
      fields:
        following: {type: boolean, description: The caller follows them.}
    PostCard:
      entity: Post
      only: [slug, title]
      fields:
        likes: {type: integer, description: How many liked it.}
        tags: {type: string, many: true, required: false, description: Tag names.}
        author: {view: Author, description: Who wrote it.}
  resources:
    posts:
      entity: Post
      lookup: slug
      envelope: post
      view: PostCard
      operations: [get]
      public: [get]
      custom:
        browse:
          method: GET
          path: ""
          auth: optional
          query:
            order: {type: enum, values: [new, top], default: new, description: Sort order.}
            limit: {type: integer, minimum: 1, maximum: 50, default: 10}
          response: {view: PostCard, many: true, envelope: posts, count: posts_count}
        write:
          method: POST
          path: ""
          status: 201
          headers: [Location, Idempotency-Key]
          request:
            entity: Post
            only: [title, body]
            fields:
              note: {type: text, nullable: true, required: false}
          response: {view: PostCard}
        retitle:
          method: PATCH
          path: /{slug}
          request: {entity: Post, only: [title, body], partial: true, envelope: changes}
          response: {entity: Post, only: [slug, title]}
    users:
      entity: User
      operations: []
      custom:
        sign_up:
          method: POST
          path: ""
          auth: none
          request: {entity: User, only: [email, password]}
security:
  authentication: {scheme: jwt, header: Token, principal: User}
  roles:
    member: {permissions: ["posts:write:own", "posts:retitle:own"]}
"""


def document(text: str = BASE) -> dict[str, Any]:
    return build_document(spec(text))


def op(doc: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = doc["paths"][path][method]
    return found


def body(operation: dict[str, Any], status: str | None = None) -> Any:
    if status is None:
        return operation["requestBody"]["content"]["application/json"]["schema"]
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_a_view_is_some_fields_plus_computed_ones() -> None:
    card = document()["components"]["schemas"]["PostCard"]
    assert list(card["properties"]) == ["slug", "title", "likes", "tags", "author"]
    assert card["required"] == ["slug", "title", "likes", "author"]  # tags: required: false
    assert card["properties"]["tags"]["type"] == "array"
    assert card["properties"]["author"] == {
        "$ref": "#/components/schemas/Author",
        "description": "Who wrote it.",
    }
    assert card["properties"]["slug"]["readOnly"] is True


def test_crud_reads_take_the_resource_view_and_envelope() -> None:
    get = op(document(), "/api/v1/posts/{slug}", "get")
    assert body(get, "200") == {
        "type": "object",
        "required": ["post"],
        "properties": {"post": {"$ref": "#/components/schemas/PostCard"}},
    }
    slug = next(p for p in get["parameters"] if p.get("name") == "slug")
    assert slug["schema"]["type"] == "string"


def test_an_enveloped_list_with_its_count_and_typed_query() -> None:
    browse = op(document(), "/api/v1/posts", "get")
    listed = body(browse, "200")
    assert listed["required"] == ["posts", "postsCount"]
    assert listed["properties"]["posts"]["items"] == {"$ref": "#/components/schemas/PostCard"}
    order = next(p for p in browse["parameters"] if p["name"] == "order")
    assert order["schema"] == {"type": "string", "enum": ["new", "top"], "default": "new"}
    limit = next(p for p in browse["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 50)
    assert browse["security"] == [{}, {"tokenAuth": []}]


def test_request_bodies_pick_fields_and_add_their_own() -> None:
    doc = document()
    write = op(doc, "/api/v1/posts", "post")
    request = body(write)["properties"]["post"]  # the resource's envelope
    assert list(request["properties"]) == ["title", "body", "note"]
    assert request["required"] == ["title"]  # body is nullable, note not required
    assert request["properties"]["note"]["type"] == ["string", "null"]
    assert set(write["responses"]["201"]["headers"]) >= {"Location"}
    assert {"$ref": "#/components/parameters/IdempotencyKey"} in write["parameters"]
    retitle = body(op(doc, "/api/v1/posts/{slug}", "patch"))
    assert "required" not in retitle["properties"]["changes"]  # partial
    response = body(op(doc, "/api/v1/posts/{slug}", "patch"), "200")["properties"]["post"]
    assert list(response["properties"]) == ["slug", "title"]
    sign_up = body(op(doc, "/api/v1/users", "post"))
    assert sign_up["properties"]["password"]["writeOnly"] is True
    assert sign_up["required"] == ["email", "password"]


def test_token_header_scheme_is_an_api_key_in_authorization() -> None:
    scheme = document()["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "Token <token>" in scheme["description"]
    bearer = document(BASE.replace(", header: Token", ""))["components"]["securitySchemes"]
    assert bearer["bearerAuth"]["scheme"] == "bearer"


def test_custom_body_fields_may_be_nullable_text() -> None:
    """The issue's case: a nullable text field inside a custom request was refused."""
    assert spec(BASE).api.resources[0].operations


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("likes: {type: integer,", "likes: {", "field-without-type"),
        ("author: {view: Author,", "author: {view: Writer,", "unknown-view"),
        ("many: true, envelope: posts, count", "envelope: posts, count", "count-without-envelope"),
        ("  PostCard:\n", "  PostPage:\n", "duplicate-schema"),
        (
            "only: [slug, title]\n      fields:\n        likes",
            "only: [slug, secret]\n      fields:\n        likes",
            "unknown-field",
        ),
        (
            "request: {entity: User, only: [email, password]}",
            "request: {only: [email]}",
            "only-without-entity",
        ),
        ("auth: none", "auth: required\n          public: true", "public-and-auth-required"),
        (
            "likes: {type: integer, description: How many liked it.}",
            "likes: integer",
            "computed-without-description",
        ),
        (
            "order: {type: enum, values: [new, top], default: new",
            "order: {type: enum, values: [new, top], default: old",
            "invalid-default",
        ),
    ],
)
def test_shape_mistakes_are_refused_with_a_location(old: str, new: str, code: str) -> None:
    assert old in BASE
    text = BASE.replace(old, new)
    if code == "duplicate-schema":
        text = text.replace("view: PostCard", "view: PostPage").replace(
            "{view: PostCard", "{view: PostPage"
        )
    codes = {p.code for p in problems(text)}
    assert code in codes, codes


def test_underscored_permission_names_a_custom_operation() -> None:
    text = BASE.replace("        sign_up:", "        change_name:").replace(
        "          auth: none\n", ""
    )
    text = text.replace('"posts:retitle:own"]', '"posts:retitle:own", "users:change_name:own"]')
    (change,) = [o for o in spec(textwrap.dedent(text)).api.operations if o.id == "changeNameUser"]
    assert change.permission == "users:change-name" and change.roles == ("member",)
