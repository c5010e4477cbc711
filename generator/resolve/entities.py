"""Entities into tables: generated columns, relations, search fields, one SQL namespace."""

from __future__ import annotations

import dataclasses

from generator import naming
from generator import spec as s
from generator.diagnostics import quote
from generator.model import Column, Entity, SearchField
from generator.resolve.columns import (
    RESERVED_COLUMNS,
    TEXTUAL,
    check_field,
    column,
    key_column,
    lifecycle_columns,
)
from generator.resolve.context import Context
from generator.resolve.indexes import indexes
from generator.resolve.names import check_confusable, check_identifier, index_name
from generator.resolve.ownership import resolve_ownership
from generator.resolve.relations import foreign_keys, join_tables


def entities(ctx: Context) -> tuple[Entity, ...]:
    spec = ctx.spec
    check_confusable(ctx, "entity", spec.entities, ("entities",))
    tables: dict[str, str] = {}
    owners: dict[str, str] = {}
    for service_name, service in spec.services.items():
        for entity_name in service.owns:
            owners.setdefault(entity_name, service_name)
    result: list[Entity] = []
    joins: list[Entity] = []
    for name, entity in spec.entities.items():
        table = entity.table or naming.table_name(name)
        check_identifier(ctx, table, ctx.at("entities", name, key=True), f"table name of {name}")
        if table in tables:
            ctx.error(
                "duplicate-table",
                f"entities {quote(tables[table])} and {quote(name)} both map to table {quote(table)}",
                ctx.at("entities", name, key=True),
                "set 'table:' on one of them",
            )
        tables[table] = name
        result.append(resolve_entity(ctx, name, entity, table, owners.get(name)))
        joins.extend(join_tables(ctx, name, entity, table, tables))
    check_schema_names(ctx, [*result, *joins])
    check_renames(ctx)
    return (*result, *joins)


def check_renames(ctx: Context) -> None:
    """`renamed_from:` names what the previous version called it: never the own name,
    nothing this spec still has, and each old name once."""
    spec = ctx.spec
    entities = {name: e.renamed_from for name, e in spec.entities.items() if e.renamed_from}
    _check_old_names(ctx, "entity", ("entities",), entities, set(spec.entities), ())
    for name, entity in spec.entities.items():
        base = ("entities", name)
        fields = {f: spec.renamed_from for f, spec in entity.fields.items() if spec.renamed_from}
        relations = {r: rel.renamed_from for r, rel in entity.relations.items() if rel.renamed_from}
        kept = {*entity.fields, *entity.relations}
        _check_old_names(ctx, "field", (*base, "fields"), fields, kept, ())
        claimed = tuple((old, f) for f, old in fields.items())
        _check_old_names(
            ctx, "relation", (*base, "relations"), relations, kept, claimed, column="_id"
        )


def _check_old_names(
    ctx: Context,
    what: str,
    base: tuple[str, ...],
    renames: dict[str, str],
    kept: set[str],
    claimed: tuple[tuple[str, str], ...],
    column: str = "",
) -> None:
    """renames: new name -> old name; claimed: (old column, new name) already taken."""
    seen = dict(claimed)
    for new, old in renames.items():
        where = ctx.at(*base, new, "renamed_from")
        if old == new:
            ctx.error(
                "renamed-from-itself",
                f"{what} {quote(new)} is renamed from its own name",
                where,
                "remove 'renamed_from', or write the previous name",
            )
            continue
        if old in kept:
            ctx.error(
                "renamed-from-existing",
                f"{what} {quote(new)} is renamed from {quote(old)}, which this spec still has",
                where,
                f"remove {quote(old)} (a rename replaces it) or remove 'renamed_from'",
            )
            continue
        key = f"{old}{column}"
        if key in seen:
            ctx.error(
                "duplicate-renamed-from",
                f"{quote(new)} and {quote(seen[key])} are both renamed from {quote(old)}",
                where,
                "only one of them can take over the old one; remove the other 'renamed_from'",
            )
            continue
        seen[key] = new


def check_schema_names(ctx: Context, tables: list[Entity]) -> None:
    """Tables, views and indexes share one namespace in PostgreSQL and SQLite: a
    table called active_users and the view of a soft-deleted users table collide."""
    seen: dict[str, str] = {}
    for entity in tables:
        objects = [(entity.table, f"table of {entity.name}")]
        if entity.soft_delete:
            objects.append((index_name("active", entity.table), f"view of {entity.name}"))
        if entity.search:
            objects.append((index_name(entity.table, "fts"), f"search table of {entity.name}"))
        objects += [(ix.name, f"index of {entity.name}") for ix in entity.indexes]
        objects += [
            (index_name("uq", entity.table, c.name), f"unique constraint of {entity.name}")
            for c in entity.columns
            if c.unique
        ]
        for name, what in objects:
            if name in seen and seen[name] != what:
                ctx.error(
                    "duplicate-sql-name",
                    f"the {what} is called {quote(name)}, like the {seen[name]}",
                    entity.location,
                    "set 'table:' to another name",
                )
            seen.setdefault(name, what)


def resolve_entity(
    ctx: Context, name: str, entity: s.Entity, table: str, owner: str | None
) -> Entity:
    base = ("entities", name)
    check_confusable(ctx, "field", entity.fields, (*base, "fields"))
    columns = [key_column(name, entity.key, ctx.at(*base, key=True))]
    keys, key_columns = foreign_keys(ctx, name, entity)
    columns += key_columns
    generated = {c.name: c for c in columns}
    for field_name, field in entity.fields.items():
        where = ctx.at(*base, "fields", field_name, key=True)
        if field_name in RESERVED_COLUMNS:
            ctx.error(
                "reserved-field",
                f"field {quote(field_name)} is generated by archsmith",
                where,
                "remove it; use soft_delete/versioned/timestamps to control generated columns",
            )
            continue
        if field_name in entity.relations:
            ctx.error(
                "field-shadows-relation",
                f"field {quote(field_name)} has the name of a relation, whose embedded object would be hidden",
                where,
                "rename the field or the relation",
            )
            continue
        if field_name in generated:
            ctx.error(
                "duplicate-column",
                f"field {quote(field_name)} clashes with the column of relation {quote(field_name.removesuffix('_id'))}",
                where,
                "rename the field or the relation",
            )
            continue
        check_field(ctx, base, field_name, field)
        columns.append(column(field_name, field, where))
    columns += lifecycle_columns(ctx, base, entity)
    check_inputs(ctx, base, columns)
    for built in columns:
        check_identifier(ctx, built.name, built.location, f"column name in {name}")
    ownership = resolve_ownership(ctx, name, entity, keys)
    if ownership is not None and ownership.direct and ownership.relation is not None:
        # The owner of a new record is the caller: a client never names it.
        columns = [
            dataclasses.replace(c, access="server-set") if c.name == ownership.column else c
            for c in columns
        ]
    table_indexes = indexes(ctx, name, table, entity, {c.name: c for c in columns}, keys)
    return Entity(
        name=name,
        table=table,
        description=entity.description,
        columns=tuple(columns),
        primary_key=("id",),
        foreign_keys=tuple(keys),
        indexes=table_indexes,
        location=ctx.at(*base, key=True),
        soft_delete=entity.soft_delete,
        versioned=entity.versioned,
        timestamps=entity.timestamps,
        search=search_fields(ctx, name, entity),
        owner=owner,
        erasure=entity.erasure,
        lint_ignore=tuple(entity.lint_ignore),
        ownership=ownership,
        key=entity.key,
        renamed_from=entity.renamed_from,
    )


def search_fields(ctx: Context, name: str, entity: s.Entity) -> tuple[SearchField, ...]:
    base = ("entities", name)
    search = []
    for field_name, weight in entity.search.items():
        if field_name not in entity.fields:
            ctx.unknown(
                "field",
                field_name,
                entity.fields,
                ctx.at(*base, "search", field_name, key=True),
                f"add it under entities.{name}.fields",
            )
        elif entity.fields[field_name].type not in TEXTUAL:
            ctx.error(
                "search-not-text",
                f"full-text search field {quote(field_name)} is {entity.fields[field_name].type}, not text",
                ctx.at(*base, "search", field_name, key=True),
            )
        else:
            search.append(SearchField(field_name, weight))
    return tuple(search)


def check_inputs(ctx: Context, base: tuple[str, str], columns: list[Column]) -> None:
    """The request field of a stored secret must not clash with a column's JSON name."""
    taken = {c.json_name for c in columns}
    for c in columns:
        if c.input is not None and c.input in taken:
            ctx.error(
                "duplicate-column",
                f"input {quote(c.input)} of {quote(c.name)} has the JSON name of a column",
                ctx.at(*base, "fields", c.name, "input"),
                "name the input differently",
            )
