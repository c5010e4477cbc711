"""Which files of a built tree belong to which artifact, for `--only` and scoped checks.

Why artifacts and not file globs: a team commits "the contract and the schema", not
"openapi.yaml and three .sql files", and checks what it commits. The site and the
rendered diagrams depend on MkDocs and graphviz versions that differ between machines,
so a team that commits only text can check only text and still catch every real drift.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum

from generator.diagnostics import quote


class Artifact(StrEnum):
    """What `only` selects (`--only`, and `only` in the configuration)."""

    OPENAPI = "openapi"
    ASYNCAPI = "asyncapi"
    DDL = "ddl"
    DESIGN = "design"
    ASCII = "ascii"
    DIAGRAMS = "diagrams"
    MODEL = "model"
    CATALOG = "catalog"
    STRUCTURIZR = "structurizr"
    SITE = "site"


ALL_ARTIFACTS = frozenset(Artifact)

# A spec's own files, under `<slug>/`, by exact name or by suffix; the site is everything
# under `site/`. What each artifact is, for the configuration reference.
_NAMES = {
    "openapi.yaml": Artifact.OPENAPI,
    "asyncapi.yaml": Artifact.ASYNCAPI,
    "design.md": Artifact.DESIGN,
    "architecture.txt": Artifact.ASCII,
    "model.json": Artifact.MODEL,
    "catalog-info.yaml": Artifact.CATALOG,
    "workspace.dsl": Artifact.STRUCTURIZR,
}
_SUFFIXES: tuple[tuple[str, Artifact], ...] = (
    (".svg", Artifact.DIAGRAMS),
    (".png", Artifact.DIAGRAMS),
    (".sql", Artifact.DDL),
)
MEANING = {
    Artifact.OPENAPI: "`openapi.yaml`",
    Artifact.ASYNCAPI: "`asyncapi.yaml`",
    Artifact.DDL: "`schema.<dialect>.sql`",
    Artifact.DESIGN: "`design.md`",
    Artifact.ASCII: "`architecture.txt`",
    Artifact.DIAGRAMS: "SVG and PNG diagrams, rendered by graphviz",
    Artifact.MODEL: "`model.json`",
    Artifact.CATALOG: "`catalog-info.yaml`",
    Artifact.STRUCTURIZR: "`workspace.dsl`",
    Artifact.SITE: "`site/`, rendered by MkDocs",
}


def parse_only(text: str) -> frozenset[Artifact]:
    """`--only openapi,ddl,design` as a set; ValueError names an unknown artifact."""
    from generator.validate import did_you_mean

    names = [a.value for a in Artifact]
    chosen: set[Artifact] = set()
    for word in (w.strip() for w in text.split(",")):
        if not word:
            continue
        if word not in names:
            hint = did_you_mean(word, names)
            raise ValueError(
                f"{quote(word)} is not an artifact; use {', '.join(names)}"
                + (f"; {hint}" if hint else "")
            )
        chosen.add(Artifact(word))
    if not chosen:
        raise ValueError(f"name at least one artifact: {', '.join(names)}")
    return frozenset(chosen)


def artifact_of(path: str) -> Artifact | None:
    """The artifact a built file belongs to ("shop/openapi.yaml" -> openapi); None for a
    file that is no artifact (e.g. the output folder's manifest)."""
    first, sep, rest = path.partition("/")
    if not sep:
        return None
    if first == "site":
        return Artifact.SITE
    if rest in _NAMES:
        return _NAMES[rest]
    if "/" in rest:
        return None
    for suffix, artifact in _SUFFIXES:
        if rest.endswith(suffix):
            return artifact
    return None


def select(tree: Mapping[str, bytes], only: Collection[Artifact] | None) -> dict[str, bytes]:
    """The files of `tree` that belong to the artifacts in `only` (all when None).

    With every artifact selected the tree comes back whole, files that are no artifact
    included, so a full check compares exactly what a build writes.
    """
    if only is None or set(only) >= ALL_ARTIFACTS:
        return dict(tree)
    chosen = set(only)
    return {path: data for path, data in tree.items() if artifact_of(path) in chosen}


def split_drift(paths: Collection[str]) -> tuple[list[str], list[str]]:
    """Drifted paths as (artifact files, site files), each sorted: the site is reported
    apart because its drift usually means another MkDocs version, not another design."""
    site = sorted(p for p in paths if artifact_of(p) is Artifact.SITE)
    rest = sorted(p for p in paths if artifact_of(p) is not Artifact.SITE)
    return rest, site
