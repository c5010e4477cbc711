"""Relations into foreign keys, their columns, and the link tables of many-to-many."""

from __future__ import annotations

from generator import naming
from generator import spec as s
from generator.diagnostics import quote
from generator.model import Column, Entity, ForeignKey, Index
from generator.resolve.columns import reference_type
from generator.resolve.context import Context
from generator.resolve.names import check_identifier, index_name


def foreign_keys(
    ctx: Context, name: str, entity: s.Entity
) -> tuple[list[ForeignKey], list[Column]]:
    """The foreign keys of the to-one relations of `name`, and the column each one adds."""
    base = ("entities", name)
    keys: list[ForeignKey] = []
    columns: list[Column] = []
    for rel_name, relation in entity.relations.items():
        if relation.kind == "many-to-many":
            continue
        where = ctx.at(*base, "relations", rel_name, key=True)
        if relation.target not in ctx.spec.entities:
            ctx.unknown(
                "entity",
                relation.target,
                ctx.spec.entities,
                ctx.at(*base, "relations", rel_name, "target"),
                "add it under 'entities:'",
            )
            continue
        column = f"{rel_name}_id"
        on_delete = relation.on_delete or ("set-null" if relation.nullable else "restrict")
        if on_delete == "set-null" and not relation.nullable:
            ctx.error(
                "invalid-on-delete",
                f"on_delete: set-null needs a nullable relation, but {quote(rel_name)} is not nullable",
                ctx.at(*base, "relations", rel_name, "on_delete"),
                "add 'nullable: true' or choose cascade/restrict",
            )
        target_table = ctx.spec.entities[relation.target].table or naming.table_name(
            relation.target
        )
        if relation.on_delete is not None and not relation.foreign_key:
            ctx.error(
                "on-delete-without-key",
                f"relation {quote(rel_name)} sets on_delete but has no foreign key",
                ctx.at(*base, "relations", rel_name, "on_delete"),
                "remove 'on_delete' (the other service decides what happens to its rows)",
            )
        keys.append(
            ForeignKey(
                rel_name,
                column,
                relation.target,
                target_table,
                on_delete,
                relation.kind,
                relation.nullable,
                where,
                enforced=relation.foreign_key,
            )
        )
        key_type, key_length = reference_type(ctx, relation.target)
        columns.append(
            Column(
                column,
                naming.camel(column),
                key_type,
                "foreign-key",
                where,
                max_length=key_length,
                nullable=relation.nullable,
                unique=relation.kind == "one-to-one",
                description=relation.description or f"References {relation.target}.",
                references=relation.target,
                renamed_from=f"{relation.renamed_from}_id" if relation.renamed_from else None,
            )
        )
    return keys, columns


def join_tables(
    ctx: Context, name: str, entity: s.Entity, table: str, tables: dict[str, str]
) -> list[Entity]:
    result = []
    for rel_name, relation in entity.relations.items():
        if relation.kind != "many-to-many":
            continue
        where = ctx.at("entities", name, "relations", rel_name, key=True)
        if relation.target not in ctx.spec.entities:
            ctx.unknown(
                "entity",
                relation.target,
                ctx.spec.entities,
                ctx.at("entities", name, "relations", rel_name, "target"),
                "add it under 'entities:'",
            )
            continue
        target_table = ctx.spec.entities[relation.target].table or naming.table_name(
            relation.target
        )
        join = f"{naming.snake(name)}_{rel_name}"
        check_identifier(ctx, join, where, "join table name")
        if join in tables:
            ctx.error(
                "duplicate-table",
                f"join table {quote(join)} clashes with entity {quote(tables[join])}",
                where,
            )
            continue
        tables[join] = join
        left, right = _join_columns(name, rel_name)
        # A renamed owner or relation renames the link table and its key columns.
        old_owner, old_rel = entity.renamed_from or name, relation.renamed_from or rel_name
        old_left, old_right = _join_columns(old_owner, old_rel)
        old_join = f"{naming.snake(old_owner)}_{old_rel}"
        on_delete = relation.on_delete or "cascade"
        if on_delete == "set-null":
            # Both columns of a link row are its primary key: never NULL. MySQL
            # refuses the key outright; PostgreSQL fails at the first delete.
            ctx.error(
                "invalid-on-delete",
                f"on_delete: set-null cannot apply to the many-to-many relation {quote(rel_name)}: a link row's columns are its key",
                ctx.at("entities", name, "relations", rel_name, "on_delete"),
                "use cascade (drop the link) or restrict",
            )
        fks = (
            ForeignKey(
                naming.snake(name), left, name, table, "cascade", "many-to-one", False, where
            ),
            ForeignKey(
                naming.singular(rel_name),
                right,
                relation.target,
                target_table,
                on_delete,
                "many-to-one",
                False,
                where,
            ),
        )
        left_type, left_length = reference_type(ctx, name)
        right_type, right_length = reference_type(ctx, relation.target)
        columns = (
            Column(
                left,
                naming.camel(left),
                left_type,
                "foreign-key",
                where,
                max_length=left_length,
                references=name,
                description=f"References {name}.",
                renamed_from=old_left if old_left != left else None,
            ),
            Column(
                right,
                naming.camel(right),
                right_type,
                "foreign-key",
                where,
                max_length=right_length,
                references=relation.target,
                description=f"References {relation.target}.",
                renamed_from=old_right if old_right != right else None,
            ),
            Column(
                "created_at",
                "createdAt",
                "datetime",
                "created-at",
                where,
                description="When the link was created.",
            ),
        )
        # The composite primary key leads with `left`; `right` needs its own index.
        indexes = (Index(index_name("idx", join, right), (right,), False, "foreign-key", where),)
        result.append(
            Entity(
                name=naming.pascal(join),
                table=join,
                description=relation.description
                or f"Links {name} to {relation.target} ({rel_name}).",
                columns=columns,
                primary_key=(left, right),
                foreign_keys=fks,
                indexes=indexes,
                location=where,
                timestamps=False,
                is_join_table=True,
                renamed_from=naming.pascal(old_join) if old_join != join else None,
            )
        )
    return result


def _join_columns(owner: str, relation: str) -> tuple[str, str]:
    left, right = f"{naming.snake(owner)}_id", f"{naming.singular(relation)}_id"
    return left, (f"related_{right}" if left == right else right)
