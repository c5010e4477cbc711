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
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diagnostics import ToolError
from generator.site_pages import (
    Page,
    home_page,
    lint_report,
    openapi_script,
    rule_docs,
    system_section,
)

if TYPE_CHECKING:
    from generator.build import Built

SITE_PREFIX = "site/"
DROPPED = frozenset({"sitemap.xml", "sitemap.xml.gz"})


def site_project_dir() -> Path:
    """The hand-written MkDocs project: packaged as generator/site_base, or site/ in a checkout."""
    packaged = Path(__file__).parent / "site_base"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "site"


def build_site(built: list[Built]) -> dict[str, bytes]:
    """The whole website for these specs, as `site/<path>` → bytes."""
    with tempfile.TemporaryDirectory(prefix="archsmith-site-") as tmp:
        out = Path(tmp) / "out"
        run_mkdocs(write_project(Path(tmp) / "project", built), out)
        return {
            SITE_PREFIX + path.relative_to(out).as_posix(): path.read_bytes()
            for path in sorted(out.rglob("*"))
            if path.is_file() and _kept(path.relative_to(out).as_posix())
        }


def write_project(project: Path, built: list[Built]) -> Path:
    """The MkDocs project for these specs under `project`; returns its mkdocs.yml."""
    shutil.copytree(
        site_project_dir(), project, ignore=shutil.ignore_patterns("docs", "site", "__pycache__")
    )
    nav = write_docs(project / "docs", built)
    shutil.copytree(project / "assets", project / "docs" / "assets")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + nav_yaml(nav), encoding="utf-8")
    return config


def _kept(path: str) -> bool:
    return path not in DROPPED and not path.endswith(".map")


NavEntry = tuple[str, "str | list[NavEntry]"]


def write_docs(docs: Path, built: list[Built]) -> list[NavEntry]:
    """Write every page and artifact under `docs`; return the navigation."""
    reports = {item.system.slug: lint_report(item.system) for item in built}
    home = home_page(built, reports)
    _write(docs, home)
    systems: list[NavEntry] = []
    for item in built:
        section = system_section(item, reports[item.system.slug])
        for page in section.pages:
            _write(docs, page)
        for name, content in item.files.items():
            if not name.endswith(".md"):  # a .md artifact is a page, not a download
                _write_bytes(docs / item.system.slug / name, content)
        if "openapi.yaml" in item.files:
            _write_bytes(
                docs / item.system.slug / "openapi.js", openapi_script(item.files["openapi.yaml"])
            )
        systems.append((section.name, [(p.title, p.path) for p in section.pages]))
    nav: list[NavEntry] = [(home.title, home.path), ("Systems", systems)]
    rules = rule_docs()
    if rules is not None:
        _write(docs, Page("rules.md", "Design rules", rules))
        nav.append(("Design rules", "rules.md"))
    return nav


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


def _write(docs: Path, page: Page) -> None:
    _write_bytes(docs / page.path, page.text.encode())


def _write_bytes(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def run_mkdocs(config_file: Path, site_dir: Path) -> None:
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with _quiet_mkdocs():
        try:
            config = load_config(str(config_file), site_dir=str(site_dir))
            build(config)
        except exceptions.MkDocsException as error:
            # Strict mode turns a broken generated link into an abort: a bug here, or
            # a theme/plugin version the site was not built for.
            raise ToolError(f"mkdocs could not build the website: {error}") from error


@contextmanager
def _quiet_mkdocs() -> Iterator[None]:
    """MkDocs logs every step at INFO; the CLI prints its own summary instead."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
