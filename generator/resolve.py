"""Resolve a validated spec into the system model: references checked, names derived, order fixed.

Every cross-reference problem becomes a located diagnostic; all are collected and
raised together so one run reports everything.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from generator import naming, resolve_checks
from generator import spec as s
from generator.diagnostics import Diagnostic, Location, Severity, SpecError, quote
from generator.loader import Document, PathKey
from generator.model import (
    Api,
    Body,
    Column,
    Dependency,
    Entity,
    Event,
    ForeignKey,
    Index,
    Observability,
    Operation,
    PathParam,
    Resource,
    Role,
    SearchField,
    Security,
    Service,
    System,
)
from generator.spec import HttpMethod
from generator.validate import did_you_mean

MAX_IDENTIFIER = 63  # PostgreSQL truncates longer identifiers; MySQL allows 64
RESERVED_COLUMNS = {"id", "created_at", "updated_at", "deleted_at", "version", "search_vector"}
_STRING_DEFAULT_LENGTH = {"string": 255, "email": 255, "url": 2048}
_TEXTUAL = {"string", "text", "email", "url", "enum"}
_CRUD: dict[str, tuple[HttpMethod, str, int]] = {
    # operation: (method, item or collection, success status) — seeds 002/004
    "list": ("GET", "collection", 200),
    "create": ("POST", "collection", 201),
    "get": ("GET", "item", 200),
    "update": ("PATCH", "item", 200),
    "replace": ("PUT", "item", 200),
    "delete": ("DELETE", "item", 204),
}
_PERMISSION_ALIASES = {"read": {"list", "get"}, "write": {"create", "update", "replace", "delete"}}


class _Resolver:
    def __init__(self, spec: s.Spec, document: Document, raw: bytes) -> None:
        self.spec = spec
        self.doc = document
        self.raw = raw
        self.problems: list[Diagnostic] = []

    def at(self, *path: str | int, key: bool = False) -> Location:
        return self.doc.locate(tuple(path), key=key)

    def error(self, code: str, message: str, location: Location, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(Severity.ERROR, code, message, location, hint))

    def unknown(
        self, what: str, name: str, choices: Iterable[str], location: Location, add: str
    ) -> None:
        hint = did_you_mean(name, choices) or add
        self.error(f"unknown-{what}", f"{what} {quote(name)} is not defined", location, hint)

    # --- entities -------------------------------------------------------------

    def entities(self) -> tuple[Entity, ...]:
        spec = self.spec
        self.check_confusable("entity", spec.entities, ("entities",))
        tables: dict[str, str] = {}
        owners: dict[str, str] = {}
        for service_name, service in spec.services.items():
            for entity_name in service.owns:
                owners.setdefault(entity_name, service_name)
        result: list[Entity] = []
        joins: list[Entity] = []
        for name, entity in spec.entities.items():
            table = entity.table or naming.table_name(name)
            self.check_identifier(
                table, self.at("entities", name, key=True), f"table name of {name}"
            )
            if table in tables:
                self.error(
                    "duplicate-table",
                    f"entities {quote(tables[table])} and {quote(name)} both map to table {quote(table)}",
                    self.at("entities", name, key=True),
                    "set 'table:' on one of them",
                )
            tables[table] = name
            result.append(self.entity(name, entity, table, owners.get(name)))
            joins.extend(self.join_tables(name, entity, table, tables))
        self.check_schema_names([*result, *joins])
        return (*result, *joins)

    def check_schema_names(self, entities: list[Entity]) -> None:
        """Tables, views and indexes share one namespace in PostgreSQL and SQLite: a
        table called active_users and the view of a soft-deleted users table collide."""
        seen: dict[str, str] = {}
        for entity in entities:
            objects = [(entity.table, f"table of {entity.name}")]
            if entity.soft_delete:
                objects.append((_index_name("active", entity.table), f"view of {entity.name}"))
            if entity.search:
                objects.append((_index_name(entity.table, "fts"), f"search table of {entity.name}"))
            objects += [(ix.name, f"index of {entity.name}") for ix in entity.indexes]
            objects += [
                (_index_name("uq", entity.table, c.name), f"unique constraint of {entity.name}")
                for c in entity.columns
                if c.unique
            ]
            for name, what in objects:
                if name in seen and seen[name] != what:
                    self.error(
                        "duplicate-sql-name",
                        f"the {what} is called {quote(name)}, like the {seen[name]}",
                        entity.location,
                        "set 'table:' to another name",
                    )
                seen.setdefault(name, what)

    def entity(self, name: str, entity: s.Entity, table: str, owner: str | None) -> Entity:
        base = ("entities", name)
        self.check_confusable("field", entity.fields, (*base, "fields"))
        columns = [
            Column(
                "id",
                "id",
                "uuid",
                "primary-key",
                self.at(*base, key=True),
                description=f"Primary key of the {name}.",
            )
        ]
        foreign_keys: list[ForeignKey] = []
        for rel_name, relation in entity.relations.items():
            if relation.kind == "many-to-many":
                continue
            where = self.at(*base, "relations", rel_name, key=True)
            if relation.target not in self.spec.entities:
                self.unknown(
                    "entity",
                    relation.target,
                    self.spec.entities,
                    self.at(*base, "relations", rel_name, "target"),
                    "add it under 'entities:'",
                )
                continue
            column = f"{rel_name}_id"
            on_delete = relation.on_delete or ("set-null" if relation.nullable else "restrict")
            if on_delete == "set-null" and not relation.nullable:
                self.error(
                    "invalid-on-delete",
                    f"on_delete: set-null needs a nullable relation, but {quote(rel_name)} is not nullable",
                    self.at(*base, "relations", rel_name, "on_delete"),
                    "add 'nullable: true' or choose cascade/restrict",
                )
            target_table = self.spec.entities[relation.target].table or naming.table_name(
                relation.target
            )
            if relation.on_delete is not None and not relation.foreign_key:
                self.error(
                    "on-delete-without-key",
                    f"relation {quote(rel_name)} sets on_delete but has no foreign key",
                    self.at(*base, "relations", rel_name, "on_delete"),
                    "remove 'on_delete' (the other service decides what happens to its rows)",
                )
            foreign_keys.append(
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
            columns.append(
                Column(
                    column,
                    naming.camel(column),
                    "uuid",
                    "foreign-key",
                    where,
                    nullable=relation.nullable,
                    unique=relation.kind == "one-to-one",
                    description=relation.description or f"References {relation.target}.",
                    references=relation.target,
                )
            )
        generated = {c.name: c for c in columns}
        for field_name, field in entity.fields.items():
            where = self.at(*base, "fields", field_name, key=True)
            if field_name in RESERVED_COLUMNS:
                self.error(
                    "reserved-field",
                    f"field {quote(field_name)} is generated by archsmith",
                    where,
                    "remove it; use soft_delete/versioned/timestamps to control generated columns",
                )
                continue
            if field_name in generated:
                self.error(
                    "duplicate-column",
                    f"field {quote(field_name)} clashes with the column of relation {quote(field_name.removesuffix('_id'))}",
                    where,
                    "rename the field or the relation",
                )
                continue
            self.check_field(base, field_name, field)
            columns.append(self.column(field_name, field, where))
        if entity.versioned:
            columns.append(
                Column(
                    "version",
                    "version",
                    "integer",
                    "version",
                    self.at(*base, "versioned"),
                    default=1,
                    description="Optimistic-locking version, incremented on every update.",
                )
            )
        if entity.timestamps:
            columns.append(
                Column(
                    "created_at",
                    "createdAt",
                    "datetime",
                    "created-at",
                    self.at(*base, key=True),
                    description="When the row was created.",
                )
            )
            columns.append(
                Column(
                    "updated_at",
                    "updatedAt",
                    "datetime",
                    "updated-at",
                    self.at(*base, key=True),
                    description="When the row was last changed.",
                )
            )
        if entity.soft_delete:
            columns.append(
                Column(
                    "deleted_at",
                    "deletedAt",
                    "datetime",
                    "deleted-at",
                    self.at(*base, "soft_delete"),
                    nullable=True,
                    description="When the row was soft-deleted; NULL while active.",
                )
            )
        for built in columns:
            self.check_identifier(built.name, built.location, f"column name in {name}")
        search = []
        for field_name, weight in entity.search.items():
            if field_name not in entity.fields:
                self.unknown(
                    "field",
                    field_name,
                    entity.fields,
                    self.at(*base, "search", field_name, key=True),
                    f"add it under entities.{name}.fields",
                )
            elif entity.fields[field_name].type not in _TEXTUAL:
                self.error(
                    "search-not-text",
                    f"full-text search field {quote(field_name)} is {entity.fields[field_name].type}, not text",
                    self.at(*base, "search", field_name, key=True),
                )
            else:
                search.append(SearchField(field_name, weight))
        indexes = self.indexes(name, table, entity, {c.name: c for c in columns}, foreign_keys)
        return Entity(
            name=name,
            table=table,
            description=entity.description,
            columns=tuple(columns),
            primary_key=("id",),
            foreign_keys=tuple(foreign_keys),
            indexes=indexes,
            location=self.at(*base, key=True),
            soft_delete=entity.soft_delete,
            versioned=entity.versioned,
            timestamps=entity.timestamps,
            search=tuple(search),
            owner=owner,
            erasure=entity.erasure,
            lint_ignore=tuple(entity.lint_ignore),
        )

    def column(self, name: str, field: s.FieldSpec, where: Location) -> Column:
        max_length = field.max_length or _STRING_DEFAULT_LENGTH.get(field.type)
        precision, scale = field.precision, field.scale
        default, example = field.default, field.example
        if field.type == "decimal":
            precision, scale = precision or 12, scale if scale is not None else 2
            if default is not None:
                default = resolve_checks.decimal_text(default) or default
            if example is not None:
                example = resolve_checks.decimal_text(example) or example
        return Column(
            name=name,
            json_name=naming.camel(name),
            type=field.type,
            role="field",
            location=where,
            nullable=field.nullable,
            default=default,
            unique=field.unique,
            values=tuple(field.values or ()),
            max_length=max_length if field.type in ("string", "email", "url") else None,
            precision=precision,
            scale=scale,
            pii=field.pii,
            sensitive=field.sensitive,
            description=field.description,
            example=example,
        )

    def check_field(self, base: PathKey, name: str, field: s.FieldSpec) -> None:
        path = (*base, "fields", name)
        if field.type == "enum" and not field.values:
            self.error(
                "enum-without-values",
                f"enum field {quote(name)} has no values",
                self.at(*path, key=True),
                "add 'values: [a, b]'",
            )
        if field.values is not None and field.type != "enum":
            self.error(
                "values-not-enum",
                f"field {quote(name)} has 'values' but is {field.type}",
                self.at(*path, "values"),
                "set 'type: enum' or remove 'values'",
            )
        if field.values and len(set(field.values)) != len(field.values):
            self.error(
                "duplicate-value",
                f"enum field {quote(name)} lists a value twice",
                self.at(*path, "values"),
            )
        if (field.precision is not None or field.scale is not None) and field.type != "decimal":
            self.error(
                "precision-not-decimal",
                f"field {quote(name)} sets precision/scale but is {field.type}",
                self.at(*path, key=True),
                "use 'type: decimal'",
            )
        if (
            field.precision is not None
            and field.scale is not None
            and field.scale > field.precision
        ):
            self.error(
                "scale-over-precision",
                f"scale {field.scale} is larger than precision {field.precision}",
                self.at(*path, "scale"),
            )
        if field.max_length is not None and field.type not in ("string", "email", "url"):
            self.error(
                "length-not-string",
                f"field {quote(name)} sets max_length but is {field.type}",
                self.at(*path, "max_length"),
                "use 'type: string'",
            )
        if field.default is not None:
            self.check_default(path, name, field)
        if field.example is not None:
            self.check_example(path, name, field)

    def check_default(self, path: PathKey, name: str, field: s.FieldSpec) -> None:
        value = field.default
        assert value is not None
        current = resolve_checks.CURRENT_TIME.get(field.type)
        if value == current:
            return  # the dialect's current date or time, taken when the row is written
        problem = resolve_checks.value_problem(
            field.type,
            value,
            values=tuple(field.values or ()),
            max_length=field.max_length or _STRING_DEFAULT_LENGTH.get(field.type),
            precision=field.precision,
            scale=field.scale,
        )
        if problem is None:
            return
        hint = f"write a value of type {field.type}"
        if current is not None:
            hint += f", or '{current}' for the moment the row is written"
        elif field.type == "enum":
            hint = did_you_mean(str(value), field.values or ()) or hint
        elif field.type == "json":
            hint = "remove the default; json columns take no default"
        self.error(
            "bad-default",
            f"default {quote(value)} of field {quote(name)} {problem}",
            self.at(*path, "default"),
            hint,
        )

    def check_example(self, path: PathKey, name: str, field: s.FieldSpec) -> None:
        """OpenAPI linters check `examples` against the schema, as validators check defaults."""
        assert field.example is not None
        problem = resolve_checks.value_problem(
            field.type,
            field.example,
            values=tuple(field.values or ()),
            max_length=field.max_length or _STRING_DEFAULT_LENGTH.get(field.type),
            precision=field.precision,
            scale=field.scale,
        )
        if problem is not None:
            self.error(
                "bad-example",
                f"example {quote(field.example)} of field {quote(name)} {problem}",
                self.at(*path, "example"),
                f"write a value of type {field.type}",
            )

    def indexes(
        self,
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
            _index_name("uq", table, c.name): ((c.name,), True, ())
            for c in columns.values()
            if c.unique
        }
        if entity.search:
            taken[_index_name("idx", table, "search")] = "full-text search"
        for i, index in enumerate(entity.indexes):
            for field_name in resolve_checks.duplicates(list(index.fields)):
                self.error(
                    "duplicate-index-column",
                    f"column {quote(field_name)} is listed twice in one index",
                    self.at(*base, i, "fields"),
                    "list each column once",
                )
            missing = [f for f in index.fields if f not in names]
            for field_name in missing:
                self.unknown(
                    "column",
                    field_name,
                    names,
                    self.at(*base, i, "fields"),
                    f"index columns are fields, '<relation>_id' or timestamps of {entity_name}",
                )
            where = tuple((index.where or {}).items())
            for column, value in where:
                if column not in names:
                    self.unknown(
                        "column",
                        column,
                        names,
                        self.at(*base, i, "where", column, key=True),
                        f"use a column of {entity_name}",
                    )
                elif value is not None:
                    self.check_condition(columns[column], value, (*base, i, "where", column))
            if missing:
                continue
            suffix = "_".join(index.fields)
            prefix = "uq" if index.unique else "idx"
            name = _index_name(prefix, table, suffix)
            shape = (tuple(index.fields), index.unique, where)
            if taken.get(name) == shape:
                self.error(
                    "duplicate-index",
                    f"this index repeats another one on {', '.join(index.fields)} (or the field's 'unique: true')",
                    self.at(*base, i),
                    "remove one of them",
                )
                continue
            number = 2
            while name in taken:  # same columns, another condition: a name of its own
                name = _index_name(prefix, table, f"{suffix}_{number}")
                number += 1
            taken[name] = shape
            result.append(
                Index(name, tuple(index.fields), index.unique, "declared", self.at(*base, i), where)
            )
        covered = {ix.columns[0] for ix in result}
        # Seed 002: "Add indexes on foreign keys" — PostgreSQL does not create them itself.
        for fk in foreign_keys:
            if fk.column not in covered and fk.kind != "one-to-one":
                result.append(
                    Index(
                        _index_name("idx", table, fk.column),
                        (fk.column,),
                        False,
                        "foreign-key",
                        fk.location,
                    )
                )
        return tuple(result)

    def check_condition(self, column: Column, value: s.ScalarValue, path: PathKey) -> None:
        """A partial index compares a column with a literal; a literal the column's type
        cannot hold fails on PostgreSQL when the index is created."""
        problem = resolve_checks.value_problem(
            column.type,
            value,
            values=column.values,
            precision=column.precision,
            scale=column.scale,
        )
        if problem is not None:
            self.error(
                "bad-condition",
                f"value {quote(value)} for column {quote(column.name)} {problem}",
                self.at(*path),
                f"compare with a value of type {column.type}, or null for IS NULL",
            )

    def join_tables(
        self, name: str, entity: s.Entity, table: str, tables: dict[str, str]
    ) -> list[Entity]:
        result = []
        for rel_name, relation in entity.relations.items():
            if relation.kind != "many-to-many":
                continue
            where = self.at("entities", name, "relations", rel_name, key=True)
            if relation.target not in self.spec.entities:
                self.unknown(
                    "entity",
                    relation.target,
                    self.spec.entities,
                    self.at("entities", name, "relations", rel_name, "target"),
                    "add it under 'entities:'",
                )
                continue
            target_table = self.spec.entities[relation.target].table or naming.table_name(
                relation.target
            )
            join = f"{naming.snake(name)}_{rel_name}"
            self.check_identifier(join, where, "join table name")
            if join in tables:
                self.error(
                    "duplicate-table",
                    f"join table {quote(join)} clashes with entity {quote(tables[join])}",
                    where,
                )
                continue
            tables[join] = join
            left, right = f"{naming.snake(name)}_id", f"{naming.singular(rel_name)}_id"
            if left == right:
                right = f"related_{right}"
            on_delete = relation.on_delete or "cascade"
            if on_delete == "set-null":
                # Both columns of a link row are its primary key: never NULL. MySQL
                # refuses the key outright; PostgreSQL fails at the first delete.
                self.error(
                    "invalid-on-delete",
                    f"on_delete: set-null cannot apply to the many-to-many relation {quote(rel_name)}: a link row's columns are its key",
                    self.at("entities", name, "relations", rel_name, "on_delete"),
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
            columns = (
                Column(
                    left,
                    naming.camel(left),
                    "uuid",
                    "foreign-key",
                    where,
                    references=name,
                    description=f"References {name}.",
                ),
                Column(
                    right,
                    naming.camel(right),
                    "uuid",
                    "foreign-key",
                    where,
                    references=relation.target,
                    description=f"References {relation.target}.",
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
            indexes = (
                Index(_index_name("idx", join, right), (right,), False, "foreign-key", where),
            )
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
                )
            )
        return result

    def check_identifier(self, name: str, location: Location, what: str) -> None:
        if len(name) > MAX_IDENTIFIER:
            self.error(
                "name-too-long",
                f"{what} {quote(name)} is {len(name)} characters; PostgreSQL allows {MAX_IDENTIFIER}",
                location,
                "shorten the name or set 'table:'",
            )

    def check_confusable(self, what: str, names: Iterable[str], path: PathKey) -> None:
        """Names that differ only in case or Unicode form collide in file systems, URLs and SQL."""
        seen: dict[str, str] = {}
        for name in names:
            folded = (
                unicodedata.normalize("NFKC", name).casefold().replace("_", "").replace("-", "")
            )
            if folded in seen:
                self.error(
                    "duplicate-name",
                    f"{what} {quote(name)} collides with {quote(seen[folded])} (names are compared ignoring case and separators)",
                    self.at(*path, name, key=True),
                    "rename one of them",
                )
            seen.setdefault(folded, name)

    # --- services and events ---------------------------------------------------

    def services(self) -> tuple[tuple[Service, ...], tuple[Event, ...]]:
        spec = self.spec
        result = []
        for name, service in spec.services.items():
            base = ("services", name)
            for i, owned in enumerate(service.owns):
                if owned not in spec.entities:
                    self.unknown(
                        "entity",
                        owned,
                        spec.entities,
                        self.at(*base, "owns", i),
                        "add it under 'entities:' or remove it from 'owns'",
                    )
            deps = []
            for i, dep in enumerate(service.depends_on):
                if dep.service not in spec.services:
                    self.unknown(
                        "service",
                        dep.service,
                        spec.services,
                        self.at(*base, "depends_on", i, "service"),
                        "add it under 'services:'",
                    )
                elif dep.service == name:
                    self.error(
                        "self-dependency",
                        f"service {quote(name)} depends on itself",
                        self.at(*base, "depends_on", i, "service"),
                    )
                deps.append(
                    Dependency(
                        dep.service, dep.protocol, dep.description, self.at(*base, "depends_on", i)
                    )
                )
            result.append(
                Service(
                    name,
                    service.responsibility,
                    tuple(service.owns),
                    tuple(deps),
                    tuple(service.publishes),
                    tuple(service.consumes),
                    service.technology,
                    self.at(*base, key=True),
                )
            )
        publishers: dict[str, list[str]] = {}
        consumers: dict[str, list[str]] = {}
        for name, service in spec.services.items():
            for event in service.publishes:
                publishers.setdefault(event, []).append(name)
            for event in service.consumes:
                consumers.setdefault(event, []).append(name)
        for name, service in spec.services.items():
            for i, event in enumerate(service.consumes):
                if event not in publishers:
                    hint = (
                        did_you_mean(event, publishers)
                        or "add it to the 'publishes' list of the service that emits it"
                    )
                    self.error(
                        "unpublished-event",
                        f"event {quote(event)} is consumed by {quote(name)} but no service publishes it",
                        self.at("services", name, "consumes", i),
                        hint,
                    )
        events = tuple(
            Event(event, tuple(publishers.get(event, ())), tuple(consumers.get(event, ())))
            for event in sorted(set(publishers) | set(consumers))
        )
        return tuple(result), events

    # --- API ------------------------------------------------------------------

    def api(self, entities: dict[str, Entity], security: Security) -> Api:
        spec_api = self.spec.api
        prefix = spec_api.base_path + (f"/{spec_api.version}" if spec_api.version else "")
        resources = self.spec.api.resources
        self.check_confusable("resource", resources, ("api", "resources"))
        if spec_api.page_size > spec_api.max_page_size:
            self.error(
                "page-size-over-max",
                f"page_size {spec_api.page_size} is over max_page_size {spec_api.max_page_size}; the 'limit' parameter's default would break its own maximum",
                self.at("api", "page_size"),
                "lower page_size or raise max_page_size",
            )
        built: list[Resource] = []
        for name, resource in resources.items():
            base = ("api", "resources", name)
            if resource.entity not in entities:
                self.unknown(
                    "entity",
                    resource.entity,
                    [e for e in entities if not entities[e].is_join_table],
                    self.at(*base, "entity"),
                    "add it under 'entities:'",
                )
                continue
            chain = self.parent_chain(name)
            if chain is None:
                continue
            collection, params = prefix, []
            for parent_name in chain:
                parent = resources[parent_name]
                param = naming.camel(naming.singular(parent_name)) + "Id"
                collection += f"/{parent_name}/{{{param}}}"
                params.append(PathParam(param, parent.entity))
            collection += f"/{name}"
            item_param = PathParam(naming.camel(naming.singular(name)) + "Id", resource.entity)
            item = f"{collection}/{{{item_param.name}}}"
            entity = entities[resource.entity]
            if resource.parent is not None and resource.parent in resources:
                parent_entity = resources[resource.parent].entity
                if not any(fk.target == parent_entity for fk in entity.foreign_keys):
                    self.error(
                        "parent-without-relation",
                        f"resource {quote(name)} is nested under {quote(resource.parent)} but {resource.entity} has no relation to {parent_entity}",
                        self.at(*base, "parent"),
                        f"add a relation with 'target: {parent_entity}' to {resource.entity}",
                    )
            exposed = self.exposed(name, resource, entity)
            operations = self.operations(
                name, resource, entity, collection, item, tuple(params), item_param, security
            )
            built.append(
                Resource(
                    name,
                    resource.entity,
                    collection,
                    item,
                    resource.parent,
                    operations,
                    exposed,
                    self.at(*base, key=True),
                    tuple(resource.lint_ignore),
                )
            )
        system_ops = self.system_operations(prefix, security)
        all_ops = [op for r in built for op in r.operations] + system_ops
        self.check_unique_operations(all_ops)
        ordered = tuple(sorted(all_ops, key=lambda op: (op.path, _METHOD_ORDER[op.method])))
        return Api(
            prefix,
            spec_api.base_path,
            spec_api.version,
            spec_api.pagination,
            spec_api.page_size,
            spec_api.max_page_size,
            tuple(built),
            ordered,
            self.at("api", key=True),
        )

    def parent_chain(self, name: str) -> list[str] | None:
        resources = self.spec.api.resources
        chain: list[str] = []
        current = resources[name].parent
        while current is not None:
            if current not in resources:
                self.unknown(
                    "resource",
                    current,
                    resources,
                    self.at("api", "resources", chain[-1] if chain else name, "parent"),
                    "add it under 'api.resources:'",
                )
                return None
            if current == name or current in chain:
                self.error(
                    "parent-cycle",
                    f"resource {quote(name)} is nested inside itself through 'parent'",
                    self.at("api", "resources", name, "parent"),
                )
                return None
            chain.append(current)
            current = resources[current].parent
        return list(reversed(chain))

    def exposed(self, name: str, resource: s.Resource, entity: Entity) -> tuple[str, ...]:
        visible = [c.name for c in entity.columns if not c.sensitive and c.role != "deleted-at"]
        if resource.fields is None:
            return tuple(visible)
        for i, field_name in enumerate(resource.fields):
            if field_name not in {c.name for c in entity.columns}:
                self.unknown(
                    "field",
                    field_name,
                    [c.name for c in entity.columns],
                    self.at("api", "resources", name, "fields", i),
                    f"{entity.name} has no such column",
                )
        chosen = set(resource.fields) | {"id"}
        return tuple(c for c in visible if c in chosen)

    def operations(
        self,
        name: str,
        resource: s.Resource,
        entity: Entity,
        collection: str,
        item: str,
        params: tuple[PathParam, ...],
        item_param: PathParam,
        security: Security,
    ) -> tuple[Operation, ...]:
        base = ("api", "resources", name)
        singular = naming.pascal(naming.singular(name))
        plural = naming.pascal(name)
        limit = _rate_limit(security, public=False, resource=resource.rate_limit)
        ops = []
        for kind in resource.public:
            if kind not in resource.operations:
                self.error(
                    "public-not-operation",
                    f"{quote(kind)} is listed as public but is not an operation of {quote(name)}",
                    self.at(*base, "public", resource.public.index(kind)),
                    "add it to 'operations' or remove it from 'public'",
                )
        if any(_CRUD[kind][1] == "item" for kind in resource.operations):
            self.check_parameters(
                [p.name for p in (*params, item_param)],
                self.at(*base, "parent") if resource.parent else self.at(*base, key=True),
                "rename this resource or its parent so their singular names differ",
            )
        elif params:
            self.check_parameters(
                [p.name for p in params],
                self.at(*base, "parent"),
                "rename the resources so their singular names differ",
            )
        seen: set[str] = set()
        for i, kind in enumerate(resource.operations):
            if kind in seen:
                self.error(
                    "duplicate-operation",
                    f"operation {quote(kind)} is listed twice",
                    self.at(*base, "operations", i),
                )
                continue
            seen.add(kind)
            method, scope, status = _CRUD[kind]
            is_item = scope == "item"
            public = kind in resource.public
            op_id = f"{kind}{plural if kind == 'list' else singular}"
            summary = {
                "list": f"List {naming.snake(name).replace('_', ' ')}",
                "get": f"Get a {naming.singular(naming.snake(name)).replace('_', ' ')}",
                "create": f"Create a {naming.singular(naming.snake(name)).replace('_', ' ')}",
                "update": f"Update a {naming.singular(naming.snake(name)).replace('_', ' ')} (partial)",
                "replace": f"Replace a {naming.singular(naming.snake(name)).replace('_', ' ')}",
                "delete": f"Delete a {naming.singular(naming.snake(name)).replace('_', ' ')}",
            }[kind]
            ops.append(
                Operation(
                    id=op_id,
                    kind=kind,
                    method=method,
                    path=item if is_item else collection,
                    summary=summary,
                    success_status=status,
                    public=public,
                    location=self.at(*base, "operations", i),
                    resource=name,
                    entity=entity.name,
                    permission=f"{name}:{kind}",
                    roles=() if public else self.roles_for(name, kind, security),
                    path_params=(*params, item_param) if is_item else params,
                    rate_limit=_rate_limit(security, public=True, resource=resource.rate_limit)
                    if public
                    else limit,
                    lint_ignore=tuple(resource.lint_ignore),
                )
            )
        for custom_name, custom in resource.custom.items():
            where = ("api", "resources", name, "custom", custom_name)
            path = (
                collection + custom.path.rstrip("/") if custom.path not in ("", "/") else collection
            )
            path_params = list(params)
            for segment in custom.path.split("/"):
                if segment.startswith("{"):
                    param = segment[1:-1]
                    path_params.append(
                        item_param if param == item_param.name else PathParam(param, entity.name)
                    )
            self.check_parameters(
                [p.name for p in path_params],
                self.at(*where, "path"),
                "give each '{...}' segment its own name",
            )
            for body_name in ("request", "response"):
                body = getattr(custom, body_name)
                if (
                    body is not None
                    and body.entity is not None
                    and body.entity not in self.spec.entities
                ):
                    self.unknown(
                        "entity",
                        body.entity,
                        self.spec.entities,
                        self.at(*where, body_name, "entity"),
                        "add it under 'entities:'",
                    )
            ops.append(
                Operation(
                    id=f"{naming.camel(custom_name)}{singular}",
                    kind="custom",
                    method=custom.method,
                    path=path,
                    summary=custom.summary
                    or naming.snake(custom_name).replace("_", " ").capitalize(),
                    success_status=custom.status,
                    public=custom.public,
                    location=self.at(*where, key=True),
                    resource=name,
                    entity=entity.name,
                    permission=f"{name}:{naming.kebab(custom_name)}",
                    roles=()
                    if custom.public
                    else self.roles_for(name, naming.kebab(custom_name), security),
                    path_params=tuple(path_params),
                    request=_body(custom.request),
                    response=_body(custom.response),
                    description=custom.description,
                    rate_limit=_rate_limit(security, public=True, resource=resource.rate_limit)
                    if custom.public
                    else limit,
                    lint_ignore=tuple(custom.lint_ignore) + tuple(resource.lint_ignore),
                )
            )
        return tuple(ops)

    def check_parameters(self, names: list[str], location: Location, hint: str) -> None:
        """OpenAPI forbids two path parameters of one name, and a URL could not say which is which."""
        for name in resolve_checks.duplicates(names):
            self.error(
                "duplicate-parameter",
                f"path parameter {quote(name)} appears twice in one path",
                location,
                hint,
            )

    def roles_for(self, resource: str, action: str, security: Security) -> tuple[str, ...]:
        granted = []
        for role in security.roles:
            for permission in role.permissions:
                if permission == "*":
                    granted.append(role.name)
                    break
                res, _, act = permission.partition(":")
                if res == resource and (
                    act in ("*", action) or action in _PERMISSION_ALIASES.get(act, ())
                ):
                    granted.append(role.name)
                    break
        return tuple(granted)

    def system_operations(self, prefix: str, security: Security) -> list[Operation]:
        where = self.at("security", "authentication", key=True)
        ops = [
            Operation(
                "getHealth",
                "health",
                "GET",
                "/health",
                "Service health",
                200,
                True,
                self.at("api", key=True),
                description="Liveness and dependency status (seed 004 shape).",
            )
        ]
        if security.scheme == "jwt":
            public_limit = _rate_limit(security, public=True, resource=None)
            ops += [
                Operation(
                    "login",
                    "login",
                    "POST",
                    f"{prefix}/auth/login",
                    "Log in with credentials",
                    200,
                    True,
                    where,
                    rate_limit=public_limit,
                ),
                Operation(
                    "refreshToken",
                    "refresh",
                    "POST",
                    f"{prefix}/auth/refresh",
                    "Exchange a refresh token for new tokens",
                    200,
                    True,
                    where,
                    rate_limit=public_limit,
                ),
                Operation(
                    "logout",
                    "logout",
                    "POST",
                    f"{prefix}/auth/logout",
                    "Revoke the refresh token",
                    204,
                    False,
                    where,
                    rate_limit=_rate_limit(security, public=False, resource=None),
                ),
            ]
        return ops

    def check_unique_operations(self, ops: list[Operation]) -> None:
        by_id: dict[str, Operation] = {}
        by_route: dict[tuple[str, str], Operation] = {}
        for op in ops:
            if op.id in by_id:
                self.error(
                    "duplicate-operation",
                    f"operation id {quote(op.id)} is generated twice (also at line {by_id[op.id].location.line})",
                    op.location,
                    "rename the custom operation",
                )
            by_id.setdefault(op.id, op)
            route = (op.method, _route_shape(op.path))
            if route in by_route and by_route[route].id != op.id:
                self.error(
                    "duplicate-route",
                    f"{op.method} {op.path} is already defined by {quote(by_route[route].id)}",
                    op.location,
                    "change the path or method",
                )
            by_route.setdefault(route, op)

    # --- security, observability ----------------------------------------------

    def security(self) -> Security:
        sec = self.spec.security
        resources = self.spec.api.resources
        roles = []
        for name, role in sec.roles.items():
            for i, permission in enumerate(role.permissions):
                if permission == "*":
                    continue
                res, _, act = permission.partition(":")
                if res not in resources:
                    self.unknown(
                        "resource",
                        res,
                        resources,
                        self.at("security", "roles", name, "permissions", i),
                        "permissions are 'resource:operation' with a resource of api.resources",
                    )
                    continue
                actions = (
                    set(resources[res].operations)
                    | {naming.kebab(c) for c in resources[res].custom}
                    | set(_PERMISSION_ALIASES)
                    | {"*"}
                )
                if act not in actions:
                    self.unknown(
                        "operation",
                        act,
                        actions,
                        self.at("security", "roles", name, "permissions", i),
                        f"operations of {res}: {', '.join(sorted(actions))}",
                    )
            roles.append(
                Role(
                    name,
                    role.description,
                    tuple(role.permissions),
                    self.at("security", "roles", name, key=True),
                )
            )
        auth = sec.authentication
        return Security(
            auth.scheme,
            auth.access_token_ttl_minutes,
            auth.refresh_token_ttl_days,
            auth.password_hashing,
            auth.mfa,
            tuple(roles),
            dict(sec.rate_limits),
            sec.encryption,
            sec.pii_retention_days,
            self.at("security", key=True),
        )

    def resolve(self) -> System:
        spec = self.spec
        system_slug = spec.system.slug or naming.slugify(spec.system.name)
        if not system_slug:
            self.error(
                "no-slug",
                f"system name {quote(spec.system.name)} gives an empty slug",
                self.at("system", "name"),
                "add 'slug: my-system' under 'system:'",
            )
        elif (problem := resolve_checks.slug_problem(system_slug)) is not None:
            given = spec.system.slug is not None
            self.error(
                "reserved-slug",
                f"system slug {quote(system_slug)} cannot be used: {problem}",
                self.at("system", "slug" if given else "name"),
                f"{'change' if given else 'add'} 'slug:' under 'system:', e.g. 'slug: {system_slug}-system'",
            )
        self.check_quantities()
        entities = self.entities()
        self.check_ownership()
        services, events = self.services()
        security = self.security()
        api = self.api({e.name: e for e in entities}, security)
        obs = spec.observability
        observability = Observability(
            dict(obs.slos),
            tuple(obs.metrics),
            obs.alerts,
            obs.log_retention_days,
            obs.tracing,
            self.at("observability", key=True),
        )
        if self.problems:
            raise SpecError(self.problems)
        return System(
            name=spec.system.name,
            slug=system_slug,
            description=spec.system.description,
            version=spec.system.version,
            owners=tuple(spec.system.owners),
            source=self.doc.file,
            content_hash=hashlib.sha256(self.raw).hexdigest(),
            requirements=spec.requirements,
            style_override=spec.architecture.style,
            style_rationale=spec.architecture.rationale,
            services=services,
            events=events,
            infrastructure=spec.infrastructure,
            entities=entities,
            api=api,
            security=security,
            observability=observability,
            decisions=tuple(spec.decisions),
            lint_disable=tuple(spec.lint.disable),
            locations=_dotted_locations(self.doc),
        )

    def check_quantities(self) -> None:
        """Requirements are arithmetic inputs (capacity, scaling): finite and of a real size."""
        req = self.spec.requirements
        obs = self.spec.observability
        groups: list[tuple[PathKey, object]] = [
            (("requirements", "scale"), req.scale),
            (("requirements", "latency_ms"), req.latency_ms),
            (("requirements",), req),
            (("observability", "alerts"), obs.alerts),
            *((("observability", "slos", name), slo) for name, slo in obs.slos.items()),
        ]
        for path, model in groups:
            for key, value in vars(model).items():
                if isinstance(value, bool) or not isinstance(value, int | float):
                    continue
                problem = resolve_checks.quantity_problem(value)
                if problem is not None:
                    self.error(
                        "number-out-of-range",
                        f"'{'.'.join(map(str, (*path, key)))}' {problem}",
                        self.at(*path, key),
                        f"use a number up to {resolve_checks.MAX_QUANTITY:,.0f}",
                    )

    def check_ownership(self) -> None:
        """Two services owning one entity is a design smell (lint), not a broken reference."""


def resolve(spec: s.Spec, document: Document, raw: bytes) -> System:
    return _Resolver(spec, document, raw).resolve()


_METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def _route_shape(path: str) -> str:
    return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))


def _index_name(*parts: str) -> str:
    """Like the SQL emitter's derived names (escape.short_name): long ones end in a hash."""
    name = "_".join(parts)
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_IDENTIFIER - 9]}_{digest}"


def _body(body: s.CustomBody | None) -> Body | None:
    if body is None:
        return None
    return Body(body.entity, tuple(body.fields.items()), body.many)


def _rate_limit(security: Security, *, public: bool, resource: int | None) -> s.RateLimit | None:
    if resource is not None:
        return s.RateLimit(requests=resource, per="minute")
    limits = security.rate_limits
    if public and "public" in limits:
        return limits["public"]
    return limits.get("default")


def _dotted_locations(document: Document) -> dict[str, tuple[int, int]]:
    """Dotted path -> (line, column): of the key where every step is a key, else of the value."""
    result: dict[str, tuple[int, int]] = {}
    for path, span in document.positions.items():
        if not path:
            continue
        dotted = ".".join(map(str, path))
        if span.key_line and all(type(p) is str for p in path):
            result[dotted] = (span.key_line, span.key_column)
        else:
            result[dotted] = (span.line, span.column)
    return result
