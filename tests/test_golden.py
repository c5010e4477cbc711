"""Golden output trees: what the build writes for each example spec, byte for byte.

tests/golden/<slug>/ holds every text artifact of specs/<slug>.yaml, and under site/
the website's generated pages for it (the Markdown MkDocs builds from, and openapi.js);
tests/golden/_site/ the home page and mkdocs.yml with the site's navigation. PNGs are
checked by their own properties instead: their bytes follow the installed graphviz and
its libraries, and nobody can review a binary diff.

Generated text never names the project's internal sources ("seed NNN"):
test_goldens_name_no_internal_source holds every tree to that, the design rules page
(rules.md, from the lint rules' rationales) included.

Why goldens: a test that checks a few facts of a document passes when the document
says something else; a changed authorization matrix, growth factor or column type
fails here with the diff in front of the reviewer.

After reading the diff, regenerate with `make golden` (ARCHSMITH_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import difflib
import os
import shutil
import struct
import zlib
from functools import cache

import pytest

from generator.build import build_system
from generator.built import Built
from generator.pipeline import load_system
from generator.site import docs_files, project_files
from tests.helpers import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("ARCHSMITH_UPDATE_GOLDEN") == "1"
SITE = "_site"  # not a valid slug (slugs start with a letter), so no spec can collide
BINARY = (".png",)
DIFF_LINES = 40
DIFF_WIDTH = 200  # an SVG's inlined icon is one line of 20,000 characters
SLUGS = [path.stem for path in EXAMPLES]
# The only citations the artifacts of the example specs carry: the health operation's
# description (resolve.py) and the RBAC table comment and insert header (emitters/sql).


@cache
def built() -> tuple[Built, ...]:
    # Named as the CLI names them from the project root, so messages and the document
    # read the same whichever folder the tests run from.
    return tuple(build_system(load_system(path, display=f"specs/{path.name}")) for path in EXAMPLES)


@cache
def trees() -> dict[str, dict[str, bytes]]:
    """Golden group (a slug, or _site) → relative path → bytes, as the build makes them."""
    items = list(built())
    groups: dict[str, dict[str, bytes]] = {SITE: {}}
    for item in items:
        groups[item.system.slug] = {
            name: content for name, content in item.files.items() if not name.endswith(BINARY)
        }
    artifacts = {f"{item.system.slug}/{name}" for item in items for name in item.files}
    docs, _ = docs_files(items)
    for path, content in docs.items():
        if path in artifacts:  # a download is the artifact itself
            continue
        slug, _, page = path.rpartition("/")
        if slug:
            groups[slug][f"site/{page}"] = content
        else:
            groups[SITE][page] = content
    groups[SITE]["mkdocs.yml"] = project_files(items)["mkdocs.yml"]
    return groups


def stored(group: str) -> dict[str, bytes]:
    folder = GOLDEN / group
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write(group: str, files: dict[str, bytes]) -> None:
    folder = GOLDEN / group
    shutil.rmtree(folder, ignore_errors=True)  # files the build no longer writes go too
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def first_difference(group: str, expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    """A reviewer's account of what changed: missing and new files, then the first
    differing file as a unified diff of its first DIFF_LINES lines. Documents come
    before diagrams: a layout change in an SVG is seldom where a reviewer should start."""
    lines: list[str] = []
    missing = sorted(expected.keys() - actual.keys())
    new = sorted(actual.keys() - expected.keys())
    if missing:
        lines.append(f"no longer written: {', '.join(missing)}")
    if new:
        lines.append(f"not in tests/golden/{group}: {', '.join(new)}")
    changed = sorted(
        (name for name in expected.keys() & actual.keys() if expected[name] != actual[name]),
        key=lambda name: (name.endswith(".svg"), name),
    )
    if changed:
        name = changed[0]
        lines.append(f"{len(changed)} file(s) differ: {', '.join(changed)}; the first:")
        diff = difflib.unified_diff(
            expected[name].decode(errors="replace").splitlines(),
            actual[name].decode(errors="replace").splitlines(),
            f"tests/golden/{group}/{name}",
            f"built/{group}/{name}",
            lineterm="",
            n=2,
        )
        body = [line if len(line) <= DIFF_WIDTH else line[:DIFF_WIDTH] + " …" for line in diff]
        lines.extend(body[:DIFF_LINES])
        if len(body) > DIFF_LINES:
            lines.append(f"... {len(body) - DIFF_LINES} more diff lines")
    lines.append("if the change is intended, run `make golden` and commit tests/golden")
    return "\n".join(lines)


@pytest.mark.parametrize("group", [*SLUGS, SITE])
def test_output_matches_the_golden_tree(group: str) -> None:
    actual = trees()[group]
    if UPDATE:
        write(group, actual)
    expected = stored(group)
    assert expected, f"tests/golden/{group} is empty; run `make golden`"
    if expected != actual:
        pytest.fail(first_difference(group, expected, actual), pytrace=False)


def test_every_golden_folder_belongs_to_an_example_spec() -> None:
    """A spec renamed or removed must take its golden tree with it."""
    folders = sorted(path.name for path in GOLDEN.iterdir() if path.is_dir())
    assert folders == sorted([*SLUGS, SITE])


def test_goldens_cover_every_text_artifact_and_page() -> None:
    """The golden trees are only as good as what they hold: every artifact the build
    writes and every page of the site must be in one (a filter that dropped them
    would leave the comparison passing on nothing)."""
    for item in built():
        slug = item.system.slug
        text = {name for name in item.files if not name.endswith(BINARY)}
        assert text >= {
            "design.md",
            "openapi.yaml",
            "architecture.txt",
            "architecture.svg",
            "erd.svg",
            "schema.postgresql.sql",
            "schema.mysql.sql",
            "schema.sqlite.sql",
        }
        pages = {f"site/{name}.md" for name in ("index", "api", "database", "architecture")}
        assert trees()[slug].keys() >= text | pages | {"site/openapi.js"}
    assert trees()[SITE].keys() >= {"index.md", "mkdocs.yml"}


def test_goldens_name_no_internal_source() -> None:
    """`make golden` must not write a citation the generator newly adds into the tree."""
    cited = [
        f"{group}/{name}"
        for group in [*SLUGS, SITE]
        for name, content in stored(group).items()
        if b"seed" in content.lower()
    ]
    assert cited == []


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk, each CRC checked; fails on a truncated file."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        payload = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert len(payload) == length and zlib.crc32(kind + payload) == crc, kind
        chunks.append((kind, payload))
        offset += 12 + length
    return chunks


def svg_size(svg: bytes) -> tuple[float, float]:
    head = svg[: svg.index(b">", svg.index(b"<svg")) + 1].decode()
    width = float(head.split('width="', 1)[1].split("pt", 1)[0])
    height = float(head.split('height="', 1)[1].split("pt", 1)[0])
    return width, height


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("diagram", ["architecture", "erd"])
def test_png_diagrams_are_whole_images_of_their_svg(slug: str, diagram: str) -> None:
    [item] = [b for b in built() if b.system.slug == slug]
    png = item.files[f"{diagram}.png"]
    chunks = png_chunks(png)
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert 200 <= width <= 6000 and 200 <= height <= 6000, (width, height)
    assert depth == 8 and colour in (2, 6), (depth, colour)  # truecolour, maybe with alpha
    # Drawn, not blank: a flat image compresses to almost nothing.
    assert len(png) > 20_000, len(png)
    # The same drawing as the SVG: the same proportions, at graphviz' 144 dpi (2 px/pt).
    svg_width, svg_height = svg_size(item.files[f"{diagram}.svg"])
    assert abs(width / height - svg_width / svg_height) < 0.02, (
        width,
        height,
        svg_width,
        svg_height,
    )
    assert abs(width - 2 * svg_width) <= 4 and abs(height - 2 * svg_height) <= 4
