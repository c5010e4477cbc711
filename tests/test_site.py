"""The website: a real MkDocs build of specs/, looked at in a real browser.

Chromium (Debian's, driven by Playwright) loads every page of one system over http on
127.0.0.1 and once from file://; nothing may leave the machine, log an error or fail
to load. A hostile spec must render inert, and two builds must be byte-identical.
Screenshots land in test-artifacts/screenshots/ for humans to look at.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Dialog, Page, Request, Response, sync_playwright
from ruamel.yaml import YAML

from generator.artifacts import write_tree
from generator.build import build_tree
from generator.built import Built
from generator.site import build_site

ROOT = Path(__file__).parent.parent
SPECS = ROOT / "specs"
HOSTILE = Path(__file__).parent / "fixtures" / "site" / "hostile.yaml"
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SYSTEM_PAGES = ("index", "api", "database", "architecture", "decisions", "review", "downloads")


def build(paths: list[Path], out: Path) -> tuple[list[Built], Path]:
    built, tree = build_tree(paths)
    write_tree(out, tree)
    return built, out / "site"


@pytest.fixture(scope="module")
def specs_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Built], Path]:
    return build([SPECS], tmp_path_factory.mktemp("specs"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Built], Path]:
    return build([HOSTILE], tmp_path_factory.mktemp("hostile"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """The site over http on 127.0.0.1, on a free port, in a thread."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Watch:
    """Everything a page does that the site must never do."""

    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("request", self._request)
        page.on("dialog", self._dialog)

    def _request(self, request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in ("file", "data", "blob", "about") and url.hostname != "127.0.0.1":
            self.external.append(request.url)

    def _request_failed(self, request: Request) -> None:
        # Why ERR_ABORTED passes: Chromium aborts what a page still loads (the search
        # worker, its index) when the test navigates on; a missing file is a 4xx below.
        if request.failure != "net::ERR_ABORTED":
            self.failed.append(f"{request.url} {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} HTTP {response.status}")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.failed == []
        assert self.external == []
        assert self.dialogs == []


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # A failure, not a skip: `make test` installs chromium, and a skipped browser test
    # reads as a pass in CI.
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium not installed at /usr/bin/chromium: apt-get install chromium")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser: Browser, watch: Watch) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, color_scheme="light")
    watch.attach(page)
    return page


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def operation_count(openapi_yaml: bytes) -> int:
    document = YAML(typ="safe").load(openapi_yaml)
    methods = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
    return sum(1 for item in document["paths"].values() for key in item if key in methods)


def response_example(page: Page, path_text: str) -> object:
    """The 200 example Swagger UI generates from the response schema of a GET."""
    summary = page.locator(".opblock-get .opblock-summary-path", has_text=path_text).first
    summary.click()
    example = page.locator(".opblock.is-open .responses-table .response .microlight").first
    return json.loads(example.inner_text())


def svg_size(page: Page, src: str) -> tuple[float, float]:
    image = page.locator(f'img[src="{src}"]').first
    image.scroll_into_view_if_needed()
    page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=image.element_handle())
    box = image.bounding_box()
    assert box is not None
    return box["width"], box["height"]


@pytest.mark.slow
def test_every_page_of_a_system_renders_offline(
    specs_site: tuple[list[Built], Path], browser: Browser
) -> None:
    built, root = specs_site
    item = next(b for b in built if b.system.slug == "shop")
    slug = item.system.slug
    watch = Watch()
    page = new_page(browser, watch)
    with serve(root) as base:
        page.goto(base + "index.html", wait_until="networkidle")
        for other in built:
            assert page.locator(f'a[href="{other.system.slug}/index.html"]').count() >= 1
        shoot(page, "home")

        # shop builds every artifact, so every page and tab must be there: a page that
        # went missing fails here instead of being skipped.
        assert {"openapi.yaml", "architecture.svg", "erd.svg"} <= item.files.keys()
        for name in SYSTEM_PAGES:
            assert (root / slug / f"{name}.html").is_file(), name
            page.goto(f"{base}{slug}/{name}.html", wait_until="networkidle")
            assert page.locator("article h1").first.is_visible()
            if name == "api":
                expected = operation_count(item.files["openapi.yaml"])
                page.wait_for_function(
                    f"document.querySelectorAll('#swagger-ui .opblock').length === {expected}"
                )
                product = response_example(page, "/products/{productId}")
                assert isinstance(product, dict) and {"id", "sku", "price"} <= set(product)
            if name == "architecture":
                width, height = svg_size(page, "architecture.svg")
                assert width > 0 and height > 0
            if name == "database":
                width, height = svg_size(page, "erd.svg")
                assert width > 0 and height > 0
            page.evaluate("window.scrollTo(0, 0)")
            shoot(page, f"{slug}-{name}")

        page.goto(base + "index.html", wait_until="networkidle")
        entity = item.system.entities[-1].name
        search = page.locator("input.md-search__input")
        search.click()
        search.press_sequentially(
            entity, delay=20
        )  # keystrokes: fill() skips the theme's key handlers
        result = page.locator(".md-search-result__item", has_text=entity).first
        result.wait_for(state="visible")
        shoot(page, "search")
    page.close()
    watch.assert_clean()


@pytest.mark.slow
def test_pages_render_from_file_urls(
    specs_site: tuple[list[Built], Path], browser: Browser
) -> None:
    built, root = specs_site
    item = next(b for b in built if b.system.slug == "shop")
    watch = Watch()
    page = new_page(browser, watch)
    page.goto((root / "shop" / "index.html").as_uri(), wait_until="load")
    assert page.locator("article h1").first.is_visible()
    assert page.locator(".md-header").evaluate("el => getComputedStyle(el).position") == "sticky"
    assert "openapi.yaml" in item.files
    page.goto((root / "shop" / "api.html").as_uri(), wait_until="load")
    page.locator("#swagger-ui .opblock").first.wait_for(state="visible")
    # Schemas resolve from file:// too (Swagger UI's resolver cannot read file:// URLs).
    product = response_example(page, "/products/{productId}")
    assert isinstance(product, dict) and {"id", "sku", "price"} <= set(product)
    shoot(page, "file-api")
    page.close()
    assert watch.failed == [] and watch.external == [] and watch.dialogs == []
    # The search worker cannot start from file:// (browsers forbid file workers);
    # that is the only error allowed there.
    assert [e for e in watch.errors if "Worker" not in e and "search" not in e] == []


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_hostile_spec_text_renders_inert(hostile_site: tuple[list[Built], Path]) -> None:
    _, root = hostile_site
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        parsed = _Elements()
        parsed.feed(path.read_text(encoding="utf-8"))
        where = path.relative_to(root).as_posix()
        for tag, attrs in parsed.tags:
            forbidden = ("iframe", "object", "embed", "frame", "base")
            assert tag not in forbidden, (where, tag, attrs)
            assert not any(name.startswith("on") for name in attrs), (where, tag, attrs)
            assert "autofocus" not in attrs and "ontoggle" not in attrs, (where, tag, attrs)
            for name in ("href", "src", "action", "formaction"):
                assert not attrs.get(name, "").strip().lower().startswith("javascript:"), (
                    where,
                    tag,
                    attrs,
                )
            if tag in ("script", "link", "img"):
                assert "://" not in attrs.get("src", "") + attrs.get("href", ""), (
                    where,
                    tag,
                    attrs,
                )
        assert not any("alert(" in script for script in parsed.scripts), where
    # The hostile spec has resources, so its API page loads the contract from this script.
    openapi_js = root / "hostile" / "openapi.js"
    assert "<" not in openapi_js.read_text(encoding="utf-8")


@pytest.mark.slow
def test_hostile_pages_fire_no_dialog(
    hostile_site: tuple[list[Built], Path], browser: Browser
) -> None:
    _, root = hostile_site
    watch = Watch()
    page = new_page(browser, watch)
    with serve(root) as base:
        for name in ("index", *(f"hostile/{p}" for p in SYSTEM_PAGES)):
            assert (root / f"{name}.html").is_file(), name  # a missing page is no inert page
            page.goto(f"{base}{name}.html", wait_until="networkidle")
            page.mouse.move(200, 300)
        shoot(page, "hostile-decisions")
    page.close()
    watch.assert_clean()


def test_site_is_byte_identical_across_builds() -> None:
    built, _ = build_tree([SPECS])
    first, second = build_site(built), build_site(built)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert "site/sitemap.xml" not in first
    assert not any(name.endswith(".map") for name in first)


def test_navigation_grows_with_specs_not_entities(specs_site: tuple[list[Built], Path]) -> None:
    built, root = specs_site
    home = (root / "index.html").read_text(encoding="utf-8")
    links = home.count('class="md-nav__link"')
    entities = sum(len(b.system.entities) for b in built)
    assert links <= 3 + 8 * len(built) + 5, (links, entities)


def test_pages_list_other_systems_by_one_link(specs_site: tuple[list[Built], Path]) -> None:
    built, root = specs_site
    page = (root / "shop" / "architecture.html").read_text(encoding="utf-8")
    nav = page[page.index("md-nav--primary") : page.index('class="md-content"')]
    assert all(f'href="{name}.html"' in nav for name in SYSTEM_PAGES if name != "architecture")
    others = [b.system.slug for b in built if b.system.slug != "shop"]
    assert others
    for slug in others:
        assert f'href="../{slug}/index.html"' in nav
        assert f'href="../{slug}/database.html"' not in nav


def test_spec_text_cannot_open_markdown_blocks(hostile_site: tuple[list[Built], Path]) -> None:
    _, root = hostile_site
    for path in sorted((root / "hostile").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert '<p class="admonition-title">boom</p>' not in text, path.name
        assert '<details class="note">' not in text, path.name


def test_overview_summarizes_and_links_what_other_pages_show(
    specs_site: tuple[list[Built], Path],
) -> None:
    built, root = specs_site
    design = next(b.files["design.md"] for b in built if b.system.slug == "shop").decode()
    assert "openapi: 3.1.0" not in design and design.count("CREATE TABLE") == 1
    assert "```mermaid" in design  # for GitHub; the site shows the SVG instead
    overview = (root / "shop" / "index.html").read_text(encoding="utf-8")
    assert '<a href="openapi.yaml">openapi.yaml</a>' in overview
    assert "flowchart LR" not in overview and "erDiagram" not in overview
    assert 'class="admonition note"' in overview  # GitHub alerts become admonitions
    assert "[!NOTE]" not in overview


def test_search_indexes_prose_and_tables_not_listings(
    specs_site: tuple[list[Built], Path],
) -> None:
    _, root = specs_site
    entries = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = {entry["location"]: entry["title"] + " " + entry["text"] for entry in entries["docs"]}
    assert not [where for where, text in texts.items() if "CREATE TABLE" in text]
    assert not [where for where, text in texts.items() if "┌" in text or "──▶" in text]
    assert "shop/database.html#tables" in [w for w, text in texts.items() if "OrderItem" in text]
    assert any(text.startswith("Shop · Database") for text in texts.values())
