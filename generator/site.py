"""The website: built artifacts → a MkDocs docs tree + mkdocs.yml → `mkdocs build`.

Why everything happens in temporary folders: like every emitter this returns files
(`site/<path>` → bytes) and leaves writing to artifacts.write_tree, so `build --check`
can compare a site without touching the output folder.

Why the output is post-processed: MkDocs stamps sitemap.xml with the build date and
sitemap.xml.gz with a gzip mtime. A sitemap needs absolute URLs (`site_url`), which an
offline, file:// site does not have, so both files are dropped rather than faked.
Source maps (*.map, about half the bytes) are dropped too: they only serve someone
debugging the theme's minified JavaScript, not readers of the site.
"""

from __future__ import annotations

import html
import json
import logging
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import ToolError
from generator.site_pages import (
    home_page,
    openapi_script,
    rule_docs,
    system_section,
)

if TYPE_CHECKING:
    from generator.built import Built

SITE_PREFIX = "site/"
DROPPED = frozenset({"sitemap.xml", "sitemap.xml.gz"})


def site_project_dir() -> Path:
    """The hand-written MkDocs project: packaged as generator/site_base, or site/ in a checkout."""
    packaged = Path(__file__).parent / "site_base"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "site"


def build_site(
    built: list[Built], *, workspace: tuple[Path, str] | None = None
) -> dict[str, bytes]:
    """The whole website for these specs, as `site/<path>` → bytes.

    With a `workspace` (a folder of the cache, and the key to remember the site by),
    MkDocs rebuilds only the pages whose source changed since the site last built
    there; the bytes are the same either way.
    """
    project = project_files(built)
    if workspace is not None:
        from generator.site_workspace import build_in

        tree = build_in(*workspace, project)
        if tree is not None:
            return tree
    with tempfile.TemporaryDirectory(prefix="archsmith-site-") as tmp:
        write_files(Path(tmp) / "project", project)
        out = Path(tmp) / "out"
        run_mkdocs(Path(tmp) / "project" / "mkdocs.yml", out)
        return collect(out)


def write_project(project: Path, built: list[Built]) -> Path:
    """The MkDocs project for these specs under `project`; returns its mkdocs.yml."""
    write_files(project, project_files(built))
    return project / "mkdocs.yml"


def project_files(built: list[Built]) -> dict[str, bytes]:
    """The MkDocs project, path → bytes: the hand-written base, mkdocs.yml with the
    generated nav, and under docs/ every page, artifact and asset."""
    base = site_project_dir()
    files: dict[str, bytes] = {}
    for path in sorted(base.rglob("*")):
        relative = path.relative_to(base)
        if path.is_file() and relative.parts[0] not in ("docs", "site", "__pycache__"):
            files[relative.as_posix()] = path.read_bytes()
    for name in [name for name in files if name.startswith("assets/")]:
        files["docs/" + name] = files.pop(name)  # served from the site, not the project
    docs, nav = docs_files(built)
    files.update({"docs/" + name: content for name, content in docs.items()})
    files["mkdocs.yml"] += nav_yaml(nav).encode()
    return files


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def collect(out: Path) -> dict[str, bytes]:
    """The built site as `site/<path>` → bytes, without the files we do not ship."""
    return {
        SITE_PREFIX + path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and _kept(path.relative_to(out).as_posix())
    }


def _kept(path: str) -> bool:
    return path not in DROPPED and not path.endswith(".map")


NavEntry = tuple[str, "str | list[NavEntry]"]


def docs_files(built: list[Built]) -> tuple[dict[str, bytes], list[NavEntry]]:
    """Every page and artifact of the docs folder, path → bytes, and the navigation."""
    docs: dict[str, bytes] = {}
    home = home_page(built)
    docs[home.path] = home.text.encode()
    systems: list[NavEntry] = []
    for item in built:
        section = system_section(item)
        docs.update((page.path, page.text.encode()) for page in section.pages)
        for name, content in item.files.items():
            if not name.endswith(".md"):  # a .md artifact is a page, not a download
                docs[f"{item.system.slug}/{name}"] = content
        if "openapi.yaml" in item.files:
            docs[f"{item.system.slug}/openapi.js"] = openapi_script(item.system)
        systems.append((section.name, [(p.title, p.path) for p in section.pages]))
    nav: list[NavEntry] = [(home.title, home.path), ("Systems", systems)]
    rules = rule_docs()
    if rules is not None:
        docs["rules.md"] = rules.encode()
        nav.append(("Design rules", "rules.md"))
    return docs, nav


def nav_yaml(nav: list[NavEntry]) -> str:
    """The `nav:` block. Titles are JSON strings (valid YAML scalars); spec names are
    HTML-escaped because the theme prints nav titles as HTML."""
    lines = ["", "nav:"]

    def add(entries: list[NavEntry], depth: int) -> None:
        for title, target in entries:
            key = json.dumps(html.escape(title, quote=True))
            if isinstance(target, str):
                lines.append(f"{'  ' * depth}- {key}: {json.dumps(target)}")
            else:
                lines.append(f"{'  ' * depth}- {key}:")
                add(target, depth + 1)

    add(nav, 1)
    return "\n".join(lines) + "\n"


def run_mkdocs(
    config_file: Path, site_dir: Path, *, dirty: bool = False, plugins: Mapping[str, Any] = {}
) -> None:
    """`mkdocs build`, in this process; `plugins` are added to the configured ones and
    `dirty` skips pages whose output is newer than their source (site_workspace.py)."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with _quiet_mkdocs():
        try:
            config = load_config(str(config_file), site_dir=str(site_dir))
            for name, plugin in plugins.items():
                config.plugins[name] = plugin
            build(config, dirty=dirty)
        except exceptions.MkDocsException as error:
            # Strict mode turns a broken generated link into an abort: a bug here, or
            # a theme/plugin version the site was not built for.
            raise ToolError(
                f"while building the website, mkdocs failed: {error}; the generated pages "
                "are meant to always build, so this is a bug in archsmith or an mkdocs or "
                "mkdocs-material version it was not tested with (install with constraints.txt)"
            ) from error


@contextmanager
def _quiet_mkdocs() -> Iterator[None]:
    """MkDocs logs every step at INFO; the CLI prints its own summary instead.

    Why the dirty-build warning is dropped: strict mode would count it as a failure, and
    the stale navigation it warns of cannot happen (site_workspace.py builds clean
    whenever the navigation changes)."""
    logger = logging.getLogger("mkdocs")
    build_logger = logging.getLogger("mkdocs.commands.build")
    level = logger.level
    logger.setLevel(logging.WARNING)
    build_logger.addFilter(_not_dirty_warning)
    try:
        yield
    finally:
        logger.setLevel(level)
        build_logger.removeFilter(_not_dirty_warning)


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("A 'dirty' build is being performed")
