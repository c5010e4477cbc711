"""Build every artifact of a set of specs in memory: spec paths in, file tree out.

Why in memory: `build --check` compares without writing, and artifacts.write_tree can
swap the finished tree in atomically.

Why the emitters are imported inside functions: with a warm cache no spec is rendered,
and `diagrams`, mkdocs and the emitters are then never imported at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator import cache as cache_keys
from generator.built import Built
from generator.cache import SPEC_ENTRIES, Cache
from generator.diagnostics import Diagnostic, Location, Severity, SpecError, ToolError, quote
from generator.discovery import discover, display_name
from generator.lint import LintReport, lint
from generator.lint.profiles import Profile
from generator.model import System
from generator.pipeline import load_system
from generator.rules.analysis import Analysis, analyze
from generator.timings import Timings

# progress(stage, done, total): `done` of `total` specs (or 0/1 for the site) finished.
Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    built: list[Built]
    tree: dict[str, bytes]
    timings: Timings
    cached: dict[str, bool] = field(default_factory=dict)  # slug -> artifacts from the cache
    site_cached: bool = False
    warnings: list[str] = field(default_factory=list)  # e.g. a cache that cannot be written


def load_each(paths: list[Path]) -> tuple[list[System], list[Diagnostic]]:
    """Every spec that loads, and every problem of those that do not (duplicate slugs
    included, reported on the later spec), so a report can show both."""
    systems: list[System] = []
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            systems.append(load_system(path, display=display_name(path)))
        except SpecError as error:
            problems.extend(error.diagnostics)
    slugs: dict[str, System] = {}
    unique: list[System] = []
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
            continue
        slugs[system.slug] = system
        unique.append(system)
    return unique, problems


def load_all(paths: list[Path]) -> list[System]:
    """Load every spec, collecting all problems of all specs before failing."""
    systems, problems = load_each(paths)
    if problems:
        raise SpecError(problems)
    return systems


def build_system(system: System, profile: Profile | None = None) -> Built:
    """One spec's artifacts, always rendered (no cache)."""
    checked = (system, analyze(system), lint(system, profile))
    [files] = _render([checked], Timings(), _silent)
    return Built(*checked, files)


def build_tree(paths: list[Path]) -> tuple[list[Built], dict[str, bytes]]:
    """Every spec's artifacts under `<slug>/` plus the site, as one tree (no cache)."""
    result = build_all(paths)
    return result.built, result.tree


def build_all(
    paths: list[Path],
    *,
    cache: Cache | None = None,
    progress: Progress | None = None,
    profile: Profile | None = None,
    site: bool = True,
) -> BuildResult:
    """Like build_tree, but specs (and a site) whose inputs are unchanged come from `cache`.

    `profile` grades the design review (design.md lists its findings, so it is part of
    every cache key); `site=False` skips the website.
    """
    timings = Timings()
    notify = progress or _silent
    with timings.stage("load+validate"):
        systems = load_all(discover(paths))
    with timings.stage("analyze+lint"):
        checked = [(system, analyze(system), lint(system, profile)) for system in systems]
    result = BuildResult([], {}, timings)
    keys: list[str] = []
    environment = ""
    files: list[dict[str, bytes] | None] = [None] * len(systems)
    if cache is not None:
        with timings.stage("cache"):
            environment = cache_keys.environment_key(inputs())
            graded = profile.key() if profile is not None else ""
            keys = [
                cache_keys.spec_key(environment, s.source, s.content_hash + graded) for s in systems
            ]
            files = [cache.get(SPEC_ENTRIES, key) for key in keys]
    misses = [index for index, found in enumerate(files) if found is None]
    for index, rendered in zip(
        misses, _render([checked[i] for i in misses], timings, notify), strict=True
    ):
        files[index] = rendered
        if cache is not None:
            with timings.stage("cache"):
                _store(cache, SPEC_ENTRIES, keys[index], rendered, result.warnings)
    for index, ((system, analysis, review), found) in enumerate(zip(checked, files, strict=True)):
        assert found is not None  # every miss was rendered above
        result.built.append(Built(system, analysis, review, found))
        result.cached[system.slug] = cache is not None and index not in misses
        for name, content in found.items():
            result.tree[f"{system.slug}/{name}"] = content
    workspace = cache.workspace(environment) if cache is not None else None
    if site:
        result.tree.update(_site(result, keys, cache, workspace, notify))
    if cache is not None:
        with timings.stage("cache"):
            _prune(cache, workspace, result.warnings)
    return result


def inputs() -> tuple[Path, Path]:
    """The folders besides the code that shape the output: templates and the site project."""
    from generator import render, site

    return render.templates_dir(), site.site_project_dir()


def _site(
    result: BuildResult,
    keys: list[str],
    cache: Cache | None,
    workspace: Path | None,
    notify: Progress,
) -> dict[str, bytes]:
    """The website: as last built when every spec's artifacts are the same as then,
    otherwise rebuilt, incrementally when the cache may be written."""
    from generator import site_workspace
    from generator.site import build_site

    key = ""
    if workspace is not None:
        with result.timings.stage("cache"):
            key = cache_keys.site_key(keys, [item.files for item in result.built])
            found = site_workspace.lookup(workspace, key)
        if found is not None:
            result.site_cached = True
            return found
    notify("site", 0, 1)
    with result.timings.stage("site"):
        if cache is not None and cache.writable and workspace is not None:
            tree = _incremental_site(result, workspace, key)
        else:
            tree = build_site(result.built)
    notify("site", 1, 1)
    return tree


def _incremental_site(result: BuildResult, workspace: Path, key: str) -> dict[str, bytes]:
    """A workspace that cannot be written costs speed, not the build (like _store)."""
    from generator.site import build_site

    try:
        return build_site(result.built, workspace=(workspace, key))
    except OSError as error:
        result.warnings.append(f"site workspace {workspace} not used: {error.strerror or error}")
        return build_site(result.built)


def _render(
    items: list[tuple[System, Analysis, LintReport]], timings: Timings, notify: Progress
) -> list[dict[str, bytes]]:
    """Each spec's artifacts, stage by stage across all specs (so stages can be timed).

    Why template errors are caught here: a spec that `check` accepts must build, so a
    failing template is archsmith's bug; the user gets one line saying so, not Jinja's
    traceback.
    """
    if not items:  # a warm cache: the emitters, `diagrams` among them, are not even imported
        return []
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        return _render_stages(items, timings, notify)
    except TemplateError as error:
        where = ""
        if isinstance(error, TemplateSyntaxError):
            where = f" ({error.filename or error.name}:{error.lineno})"
        raise ToolError(
            f"while rendering the artifacts, a template failed{where}: {error}; "
            "this is a bug in archsmith: please report it with the spec"
        ) from error


def _render_stages(
    items: list[tuple[System, Analysis, LintReport]], timings: Timings, notify: Progress
) -> list[dict[str, bytes]]:
    from generator.emitters import ascii, asyncapi, openapi, sql
    from generator.emitters.design_doc import Parts, render_design
    from generator.exports import backstage, model_json, structurizr

    total = len(items)
    texts: list[dict[str, str]] = [{} for _ in items]
    with timings.stage("OpenAPI"):
        notify("OpenAPI", 0, total)
        for done, ((system, _, _), text) in enumerate(zip(items, texts, strict=True), 1):
            document, text["openapi.yaml"] = openapi.render_with_document(system)
            if system.events:
                text["asyncapi.yaml"] = asyncapi.render(system, document)
            notify("OpenAPI", done, total)
    with timings.stage("exports"):
        for (system, analysis, review), text in zip(items, texts, strict=True):
            text["model.json"] = model_json.render(system, analysis, review)
            text["workspace.dsl"] = structurizr.render(system)
            text["catalog-info.yaml"] = backstage.render(system, has_events=bool(system.events))
    with timings.stage("DDL"):
        notify("DDL", 0, total)
        for done, ((system, _, _), text) in enumerate(zip(items, texts, strict=True), 1):
            text.update(sql.render_all(system))
            notify("DDL", done, total)
    with timings.stage("diagrams"):
        diagrams = _diagrams(items, notify)
    with timings.stage("design doc"):
        notify("design doc", 0, total)
        for done, ((system, analysis, review), text, images) in enumerate(
            zip(items, texts, diagrams, strict=True), 1
        ):
            text["architecture.txt"] = ascii.architecture(system, analysis.style.style)
            parts = Parts(
                openapi_yaml=text["openapi.yaml"],
                ddl=text["schema.postgresql.sql"],
                ascii_architecture=text["architecture.txt"],
                ascii_er=ascii.er_overview(system),
                ascii_auth=ascii.auth_sequence(system),
                findings=tuple(review.findings),
                links={name: name for name in images if name.endswith(".svg")},
            )
            text["design.md"] = render_design(system, analysis, parts)
            notify("design doc", done, total)
    return [
        dict(sorted(({name: content.encode() for name, content in text.items()} | images).items()))
        for text, images in zip(texts, diagrams, strict=True)
    ]


def _diagrams(
    items: list[tuple[System, Analysis, LintReport]], notify: Progress
) -> list[dict[str, bytes]]:
    """Every spec's diagrams, several specs at once, results in spec order.

    Why threads: nearly all of graphviz.render is spent waiting on `dot` subprocesses,
    which run outside the GIL. Threads measured as fast as a process pool here, without
    pickling systems or forking a process that holds threads; `diagrams` keeps its
    current diagram in a ContextVar, which every thread has its own of.
    """
    from generator.emitters import graphviz

    total = len(items)
    notify("diagrams", 0, total)
    pool = ThreadPoolExecutor(min(total, os.cpu_count() or 1), thread_name_prefix="archsmith-dot")
    try:
        futures = [pool.submit(graphviz.render, s, a.style.style) for s, a, _ in items]
        results = []
        for done, future in enumerate(futures, 1):
            results.append(future.result())
            notify("diagrams", done, total)
        return results
    finally:
        # On an error or Ctrl-C nothing queued starts; running `dot`s finish in their temp dirs.
        pool.shutdown(wait=True, cancel_futures=True)


def _store(cache: Cache, kind: str, key: str, files: dict[str, bytes], warnings: list[str]) -> None:
    """A cache that cannot be written costs speed, not the build: warn once and go on."""
    try:
        cache.put(kind, key, files)
    except OSError as error:
        message = f"cache {cache.root} not written: {error.strerror or error}"
        if message not in warnings:
            warnings.append(message)


def _prune(cache: Cache, workspace: Path | None, warnings: list[str]) -> None:
    try:
        cache.prune(workspace=workspace)
    except OSError as error:
        warnings.append(f"cache {cache.root} not pruned: {error.strerror or error}")


def _silent(stage: str, done: int, total: int) -> None:
    pass
