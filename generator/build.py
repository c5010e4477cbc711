"""Build every artifact of a set of specs in memory: spec paths in, file tree out.

Why in memory: `build --check` compares without writing, and artifacts.write_tree can
swap the finished tree in atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, Location, Severity, SpecError, quote
from generator.emitters import ascii, graphviz, openapi, sql
from generator.emitters.design_doc import Parts, render_design
from generator.lint import LintReport, lint
from generator.model import System
from generator.pipeline import load_system
from generator.rules.analysis import Analysis, analyze

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Built:
    system: System
    analysis: Analysis
    review: LintReport
    files: dict[str, bytes]  # relative to the spec's own folder DIR/<slug>/


def discover(paths: list[Path]) -> list[Path]:
    """Spec files named directly, or found (sorted, non-recursive) in named folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.suffix in SPEC_SUFFIXES and p.is_file())
            )
        else:
            found.append(path)
    return found


def display_name(path: Path) -> str:
    """The spec path as shown in messages: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def load_all(paths: list[Path]) -> list[System]:
    """Load every spec, collecting all problems of all specs before failing."""
    systems: list[System] = []
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            systems.append(load_system(path, display=display_name(path)))
        except SpecError as error:
            problems.extend(error.diagnostics)
    slugs: dict[str, System] = {}
    for system in systems:
        if system.slug in slugs:
            other = slugs[system.slug]
            problems.append(
                Diagnostic(
                    Severity.ERROR,
                    "duplicate-slug",
                    f"slug {quote(system.slug)} is also used by {other.source}; output folders would collide",
                    system.locate("system.slug")
                    if "system.slug" in system.locations
                    else Location(system.source, 1, 1),
                    "set a distinct 'system.slug'",
                )
            )
        slugs.setdefault(system.slug, system)
    if problems:
        raise SpecError(problems)
    return systems


def build_system(system: System) -> Built:
    analysis = analyze(system)
    review = lint(system)
    style = analysis.style.style
    text: dict[str, str] = {"openapi.yaml": openapi.render(system), **sql.render_all(system)}
    text["architecture.txt"] = ascii.architecture(system, style)
    diagrams = graphviz.render(system, style)
    parts = Parts(
        openapi_yaml=text["openapi.yaml"],
        ddl=text["schema.postgresql.sql"],
        ascii_architecture=text["architecture.txt"],
        ascii_er=ascii.er_overview(system),
        ascii_auth=ascii.auth_sequence(system),
        findings=tuple(review.findings),
        links={name: name for name in diagrams if name.endswith(".svg")},
    )
    text["design.md"] = render_design(system, analysis, parts)
    files = {name: content.encode() for name, content in text.items()} | diagrams
    return Built(system, analysis, review, dict(sorted(files.items())))


def build_tree(paths: list[Path]) -> tuple[list[Built], dict[str, bytes]]:
    """Every spec's artifacts under `<slug>/`, as one tree."""
    from generator.site import build_site

    built = [build_system(system) for system in load_all(discover(paths))]
    tree: dict[str, bytes] = {}
    for item in built:
        for name, content in item.files.items():
            tree[f"{item.system.slug}/{name}"] = content
    tree.update(build_site(built))
    return built, tree
