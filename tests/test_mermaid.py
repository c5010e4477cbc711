"""The design document's Mermaid diagrams, drawn by Mermaid itself in headless Chromium:
every block of every example parses and renders to SVG, hostile names included."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from generator.build import build_system
from generator.pipeline import load_system, load_text
from tests.helpers import EXAMPLES, ROOT
from tests.test_site import CHROMIUM, CHROMIUM_ARGS

MERMAID = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.MULTILINE | re.DOTALL)
HOSTILE = """\
system:
  name: 'Evil "end" ; #35; <b>x</b>'
  description: 'x'
requirements:
  functional: ['Users create orders; then "end" #x']
services:
  end:
    owns: [Order]
    depends_on: [{service: graph, description: 'a "quoted" ; call #1 -->|x|'}]
  graph:
    owns: [User]
infrastructure:
  external: {subgraph: 'end --> "x"'}
entities:
  User:
    fields: {email: {type: email, unique: true}}
  Order:
    fields: {note: string}
    relations: {customer: {target: User}}
api:
  resources:
    orders: {entity: Order}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium not installed at /usr/bin/chromium: apt-get install chromium")
    if not MERMAID.exists():
        pytest.fail("mermaid is not installed: run `npm ci` (scripts/setup.sh test does)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def blocks(design: str) -> list[str]:
    return _BLOCK.findall(design)


def draw(
    browser: Browser, diagrams: list[str], tmp_path: Path, *, render: bool = True
) -> list[dict[str, object]]:
    """Each diagram parsed (and rendered) by Mermaid: {ok, error, svg} per diagram.

    Why rendering is optional: laying out a large ER diagram takes seconds in a headless
    browser, and parsing is where a label breaks a diagram."""
    page_file = tmp_path / "mermaid.html"
    page_file.write_text(f'<!doctype html><script src="{MERMAID.as_uri()}"></script><body></body>')
    page = browser.new_page()
    page.goto(page_file.as_uri())
    results: list[dict[str, object]] = page.evaluate(
        """async ([diagrams, render]) => {
            mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
            const out = [];
            for (const [i, text] of diagrams.entries()) {
                try {
                    await mermaid.parse(text);
                    const svg = render ? (await mermaid.render(`d${i}`, text)).svg : "<svg";
                    out.push({ok: true, svg});
                } catch (error) {
                    out.push({ok: false, error: String(error && error.message || error)});
                }
            }
            return out;
        }""",
        [diagrams, render],
    )
    page.close()
    return results


def test_every_example_diagram_parses_and_renders(browser: Browser, tmp_path: Path) -> None:
    for path in EXAMPLES:
        design = build_system(load_system(path)).files["design.md"].decode()
        found = blocks(design)
        kinds = {text.split("\n", 1)[0] for text in found}
        assert {"flowchart LR", "erDiagram", "sequenceDiagram"} <= kinds, path.name
        drawn = draw(browser, found, tmp_path, render=path.stem == "shop")
        for text, result in zip(found, drawn, strict=True):
            assert result["ok"], (path.name, result.get("error"), text[:200])
            assert "<svg" in str(result["svg"])


def test_hostile_names_stay_labels(browser: Browser, tmp_path: Path) -> None:
    design = build_system(load_text(HOSTILE)).files["design.md"].decode()
    found = blocks(design)
    results = draw(browser, found, tmp_path)
    assert all(r["ok"] for r in results), json.dumps(results)[:500]
    svgs = " ".join(str(r["svg"]) for r in results)
    assert "<b>" not in svgs and "\u2039b\u203ax\u2039/b\u203a" in svgs  # text, never markup
