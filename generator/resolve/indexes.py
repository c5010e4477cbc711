"""Declared indexes checked and named, plus an index for every foreign key."""

from __future__ import annotations

from generator import spec as s
from generator.diagnostics import quote
from generator.loader import PathKey
from generator.model import Column, ForeignKey, Index
from generator.resolve import values
from generator.resolve.context import Context
from generator.resolve.names import index_name


def indexes(
    ctx: Context,
    entity_name: str,
    table: str,
    entity: s.Entity,
    columns: dict[str, Column],
    foreign_keys: list[ForeignKey],
) -> tuple[Index, ...]:
    base = ("entities", entity_name, "indexes")
    names = set(columns)
    result: list[Index] = []
    # Index names share one namespace with the unique constraints (and PostgreSQL's
    # search index) of the same table: (columns, unique, where) of each, by name.
    taken: dict[str, object] = {
        index_name("uq", table, c.name): ((c.name,), True, ()) for c in columns.values() if c.unique
    }
    if entity.search:
        taken[index_name("idx", table, "search")] = "full-text search"
    for i, index in enumerate(entity.indexes):
        for field_name in values.duplicates(list(index.fields)):
            ctx.error(
                "duplicate-index-column",
                f"column {quote(field_name)} is listed twice in one index",
                ctx.at(*base, i, "fields"),
                "list each column once",
            )
        missing = [f for f in index.fields if f not in names]
        for field_name in missing:
            ctx.unknown(
                "column",
                field_name,
                names,
                ctx.at(*base, i, "fields"),
                f"index columns are fields, '<relation>_id' or timestamps of {entity_name}",
            )
        where = tuple((index.where or {}).items())
        for column, value in where:
            if column not in names:
                ctx.unknown(
                    "column",
                    column,
                    names,
                    ctx.at(*base, i, "where", column, key=True),
                    f"use a column of {entity_name}",
                )
            elif value is not None:
                check_condition(ctx, columns[column], value, (*base, i, "where", column))
        if missing:
            continue
        suffix = "_".join(index.fields)
        prefix = "uq" if index.unique else "idx"
        name = index_name(prefix, table, suffix)
        shape = (tuple(index.fields), index.unique, where)
        if taken.get(name) == shape:
            ctx.error(
                "duplicate-index",
                f"this index repeats another one on {', '.join(index.fields)} (or the field's 'unique: true')",
                ctx.at(*base, i),
                "remove one of them",
            )
            continue
        number = 2
        while name in taken:  # same columns, another condition: a name of its own
            name = index_name(prefix, table, f"{suffix}_{number}")
            number += 1
        taken[name] = shape
        result.append(
            Index(name, tuple(index.fields), index.unique, "declared", ctx.at(*base, i), where)
        )
    covered = {ix.columns[0] for ix in result}
    # Seed 002: "Add indexes on foreign keys" — PostgreSQL does not create them itctx.
    for fk in foreign_keys:
        if fk.column not in covered and fk.kind != "one-to-one":
            result.append(
                Index(
                    index_name("idx", table, fk.column),
                    (fk.column,),
                    False,
                    "foreign-key",
                    fk.location,
                )
            )
    return tuple(result)


def check_condition(ctx: Context, column: Column, value: s.ScalarValue, path: PathKey) -> None:
    """A partial index compares a column with a literal; a literal the column's type
    cannot hold fails on PostgreSQL when the index is created."""
    problem = values.value_problem(
        column.type,
        value,
        values=column.values,
        precision=column.precision,
        scale=column.scale,
    )
    if problem is not None:
        ctx.error(
            "bad-condition",
            f"value {quote(value)} for column {quote(column.name)} {problem}",
            ctx.at(*path),
            f"compare with a value of type {column.type}, or null for IS NULL",
        )
