"""Which files of a built tree belong to which artifact, for `--only` and scoped checks.

Why artifacts and not file globs: a team commits "the contract and the schema", not
"openapi.yaml and three .sql files", and checks what it commits. The site and the
rendered diagrams depend on MkDocs and graphviz versions that differ between machines,
so a team that commits only text can check only text and still catch every real drift.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from generator.config import ALL_ARTIFACTS, Artifact

# A spec's own files, under `<slug>/`; the site is everything under `site/`.
_SUFFIXES: tuple[tuple[str, Artifact], ...] = (
    (".svg", Artifact.DIAGRAMS),
    (".png", Artifact.DIAGRAMS),
    (".sql", Artifact.DDL),
)
_NAMES = {
    "openapi.yaml": Artifact.OPENAPI,
    "design.md": Artifact.DESIGN,
    "architecture.txt": Artifact.ASCII,
}


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
