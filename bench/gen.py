"""Synthetic workload for the benchmark: N entities, 8 fields of mixed types, 1-2 foreign
keys and 1-2 indexes each, 5 CRUD operations per entity; also the same model written in
TypeSpec (for `tsp compile`) and DBML (for `dbml2sql`), so peers do the same work.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

FIELD_TYPES = ["string", "text", "integer", "decimal", "boolean", "datetime", "email", "enum"]
TSP_TYPES = {
    "string": "string",
    "text": "string",
    "integer": "int32",
    "decimal": "decimal",
    "boolean": "boolean",
    "datetime": "utcDateTime",
    "email": "string",
    "enum": "string",
}
DBML_TYPES = {
    "string": "varchar(255)",
    "text": "text",
    "integer": "integer",
    "decimal": "decimal(12,2)",
    "boolean": "boolean",
    "datetime": "timestamptz",
    "email": "varchar(255)",
    "enum": "varchar(20)",
}


def _model(n: int) -> list[tuple[str, list[tuple[str, str]], list[str], list[list[str]]]]:
    rng = random.Random(n)
    entities = []
    for i in range(n):
        name = f"Entity{i:04d}"
        fields = [(f"field_{j}", FIELD_TYPES[(i + j) % len(FIELD_TYPES)]) for j in range(8)]
        targets = (
            sorted({f"Entity{rng.randrange(max(i, 1)):04d}" for _ in range(rng.randint(1, 2))})
            if i
            else []
        )
        indexes = [["field_0"]] + ([["field_2", "field_3"]] if rng.random() < 0.5 else [])
        entities.append((name, fields, targets, indexes))
    return entities


def archsmith_spec(n: int) -> str:
    out = [
        f"system:\n  name: Bench {n}\n  slug: bench-{n}\nrequirements:\n  scale: {{users_now: 50000, peak_rps: 300}}\n  team: {{size: 6}}\nentities:"
    ]
    for name, fields, targets, indexes in _model(n):
        out.append(f"  {name}:\n    fields:")
        for field, kind in fields:
            extra = ", values: [a, b, c]" if kind == "enum" else ""
            out.append(f"      {field}: {{type: {kind}{extra}}}")
        if targets:
            out.append("    relations:")
            out.extend(f"      ref_{t.lower()}: {{target: {t}}}" for t in targets)
        out.append("    indexes:")
        out.extend(f"      - fields: [{', '.join(ix)}]" for ix in indexes)
    out.append("api:\n  resources:")
    for name, *_ in _model(n):
        out.append(
            f"    r-{name.lower()}s: {{entity: {name}, operations: [list, get, create, update, delete]}}"
        )
    return "\n".join(out) + "\n"


def typespec(n: int) -> str:
    out = [
        'import "@typespec/http";',
        "using TypeSpec.Http;",
        '@service(#{title: "Bench"})',
        "namespace Bench;",
        "",
    ]
    for name, fields, targets, _ in _model(n):
        out.append(f"model {name} {{\n  @key id: string;")
        out.extend(f"  {field}: {TSP_TYPES[kind]};" for field, kind in fields)
        out.extend(f"  ref_{t.lower()}_id: string;" for t in targets)
        out.append("}")
        route = name.lower() + "s"
        out.append(f'@route("/{route}") namespace {name}Ops {{')
        out.append(f"  @get op list(): {name}[];")
        out.append(f"  @get op read(@path id: string): {name};")
        out.append(f"  @post op create(@body body: {name}): {name};")
        out.append(
            f"  @patch(#{{implicitOptionality: true}}) op update(@path id: string, @body body: {name}): {name};"
        )
        out.append("  @delete op remove(@path id: string): void;")
        out.append("}")
    return "\n".join(out) + "\n"


def dbml(n: int) -> str:
    out = []
    for name, fields, targets, indexes in _model(n):
        table = name.lower() + "s"
        out.append(f"Table {table} {{\n  id uuid [pk]")
        out.extend(f"  {field} {DBML_TYPES[kind]} [not null]" for field, kind in fields)
        out.extend(f"  ref_{t.lower()}_id uuid [not null, ref: > {t.lower()}s.id]" for t in targets)
        out.append("  indexes {")
        out.extend(f"    ({', '.join(ix)})" if len(ix) > 1 else f"    {ix[0]}" for ix in indexes)
        out.extend(f"    ref_{t.lower()}_id" for t in targets)
        out.append("  }\n}")
    return "\n".join(out) + "\n"


def write(n: int, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "archsmith": folder / f"bench-{n}.yaml",
        "typespec": folder / f"bench-{n}.tsp",
        "dbml": folder / f"bench-{n}.dbml",
    }
    paths["archsmith"].write_text(archsmith_spec(n))
    paths["typespec"].write_text(typespec(n))
    paths["dbml"].write_text(dbml(n))
    return paths


if __name__ == "__main__":
    for size in map(int, sys.argv[1:] or ["10", "100", "1000"]):
        print(write(size, Path("bench/work")))
