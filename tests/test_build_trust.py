"""Build trust: the cache is invisible in the output, a failed build changes nothing,
diagrams render concurrently, the CLI reports what it did, and `serve` reloads."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import build, cache, render, site
from generator.artifacts import read_tree, write_tree
from generator.cli import main
from generator.emitters import design_doc, graphviz, openapi, sql
from generator.serve import RELOAD_SCRIPT, VERSION_PATH
from generator.timings import STAGES
from tests.helpers import ROOT

Calls = Counter[str]


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """Two example specs in a folder of their own, so tests may edit them."""
    folder = tmp_path / "specs"
    folder.mkdir()
    for name in ("inkwell.yaml", "shop.yaml"):
        shutil.copy(ROOT / "specs" / name, folder / name)
    return folder


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """How often each emitter and the site builder ran (they still run for real)."""
    counts: Calls = Counter()
    targets: list[tuple[Any, str, str]] = [
        (openapi, "render_with_document", "openapi"),
        (sql, "render_all", "sql"),
        (graphviz, "render", "diagrams"),
        (design_doc, "render_design", "design"),
        (site, "build_site", "site"),
    ]
    for module, name, label in targets:
        monkeypatch.setattr(module, name, _counted(getattr(module, name), label, counts))
    return counts


def _counted(function: Callable[..., Any], label: str, counts: Calls) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        counts[label] += 1
        return function(*args, **kwargs)

    return wrapper


def build_cli(*args: str | Path) -> int:
    return main(["build", *(str(a) for a in args)])


def test_warm_cache_renders_nothing_and_output_equals_an_uncached_build(
    specs: Path, tmp_path: Path, calls: Calls, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build_cli(specs, "--out", tmp_path / "cold", "--no-cache") == 0
    assert not (tmp_path / ".archsmith-cache").exists()
    assert build_cli(specs, "--out", tmp_path / "first") == 0  # fills the default cache
    assert (tmp_path / ".archsmith-cache" / "specs").is_dir()
    assert calls == {"openapi": 4, "sql": 4, "diagrams": 4, "design": 4, "site": 2}
    calls.clear()
    capsys.readouterr()
    assert build_cli(specs, "--out", tmp_path / "warm", "--verbose") == 0
    assert calls == {}  # not one emitter, diagram or mkdocs run
    out = capsys.readouterr().out
    assert out.count(", cache hit)") == 2 and "site: cache hit" in out
    cold, warm = read_tree(tmp_path / "cold"), read_tree(tmp_path / "warm")
    assert cold == read_tree(tmp_path / "first") == warm
    assert any(name.endswith(".png") for name in warm) and "site/index.html" in warm


def test_editing_one_spec_rerenders_that_spec_and_the_site_only(
    specs: Path, tmp_path: Path, calls: Calls, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build_cli(specs, "--out", out) == 0
    calls.clear()
    shop = specs / "shop.yaml"
    shop.write_text(shop.read_text().replace("version: 2.3.0", "version: 2.3.1"))
    capsys.readouterr()
    assert build_cli(specs, "--out", out, "--verbose") == 0
    assert calls == {"openapi": 1, "sql": 1, "diagrams": 1, "design": 1, "site": 1}
    lines = capsys.readouterr().out.splitlines()
    assert any("inkwell.yaml" in line and line.endswith("cache hit)") for line in lines)
    assert any("shop.yaml" in line and line.endswith("rendered)") for line in lines)
    assert "site: rebuilt" in "\n".join(lines)
    assert b"2.3.1" in (out / "shop" / "openapi.yaml").read_bytes()
    # Back to the old bytes: the spec comes from the cache; the workspace holds only the
    # latest site, so the site is built again (incrementally) and equals the first one.
    first = read_tree(out)
    calls.clear()
    shop.write_text(shop.read_text().replace("version: 2.3.1", "version: 2.3.0"))
    assert build_cli(specs, "--out", out) == 0
    assert calls == {"site": 1}
    assert read_tree(out) != first
    assert build_cli(specs, "--out", tmp_path / "clean", "--no-cache") == 0
    assert read_tree(out) == read_tree(tmp_path / "clean")


@pytest.fixture
def rendered_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The docs pages MkDocs converts from Markdown, in order (it still does so for real)."""
    from mkdocs.structure.pages import Page

    pages: list[str] = []
    real = Page.render

    def render(self: Page, *args: Any, **kwargs: Any) -> None:
        pages.append(self.file.src_uri)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Page, "render", render)
    return pages


def test_one_edit_rerenders_only_that_specs_pages_and_the_site_equals_a_clean_build(
    specs: Path, tmp_path: Path, rendered_pages: list[str]
) -> None:
    out = tmp_path / "out"
    assert build_cli(specs, "--out", out) == 0
    everything = sorted(rendered_pages)
    assert {"index.md", "rules.md", "inkwell/index.md", "shop/api.md"} <= set(everything)
    rendered_pages.clear()
    shop = specs / "shop.yaml"
    shop.write_text(shop.read_text().replace("version: 2.3.0", "version: 2.3.1"))
    assert build_cli(specs, "--out", out) == 0
    # The home page shows each version; shop's pages show theirs; nothing else changed.
    assert "index.md" in rendered_pages and "shop/index.md" in rendered_pages
    assert all(page == "index.md" or page.startswith("shop/") for page in rendered_pages)
    assert len(rendered_pages) < len(everything) / 2
    assert build_cli(specs, "--out", tmp_path / "clean", "--no-cache") == 0
    assert read_tree(out) == read_tree(tmp_path / "clean")  # search index included


def test_a_tampered_or_renamed_site_is_built_clean(
    specs: Path, tmp_path: Path, rendered_pages: list[str]
) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    assert build_cli(specs, "--out", out, "--cache", store) == 0
    [workspace] = (store / "site").iterdir()
    page = workspace / "out" / "inkwell" / "api.html"
    page.write_text(page.read_text() + "<!-- edited -->")
    shop = specs / "shop.yaml"
    shop.write_text(shop.read_text().replace("version: 2.3.0", "version: 2.3.1"))
    rendered_pages.clear()
    assert build_cli(specs, "--out", out, "--cache", store) == 0
    assert "inkwell/api.md" in rendered_pages  # the whole site again, not the edited page
    assert b"<!-- edited -->" not in (out / "site" / "inkwell" / "api.html").read_bytes()
    # A renamed system changes the navigation of every page: built clean as well.
    rendered_pages.clear()
    shop.write_text(shop.read_text().replace("name: Shop\n", "name: Shop Two\n"))
    assert build_cli(specs, "--out", out, "--cache", store) == 0
    assert "inkwell/api.md" in rendered_pages
    assert build_cli(specs, "--out", tmp_path / "clean", "--no-cache") == 0
    assert read_tree(out) == read_tree(tmp_path / "clean")


def test_workspaces_of_other_code_versions_are_pruned(specs: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    stale = store / "site" / "0123456789abcdef"
    (stale / "out").mkdir(parents=True)
    assert build_cli(specs / "inkwell.yaml", "--out", tmp_path / "out", "--cache", store) == 0
    assert [p.name for p in (store / "site").iterdir()] != [stale.name]
    assert not stale.exists()


@pytest.fixture
def own_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the templates that rendering and the cache key both use."""
    copy = tmp_path / "templates"
    shutil.copytree(render.templates_dir(), copy)
    monkeypatch.setattr(render, "templates_dir", lambda: copy)
    render.environment.cache_clear()
    render._plain_environment.cache_clear()
    yield copy
    render.environment.cache_clear()  # the next test gets the real templates again
    render._plain_environment.cache_clear()


def test_a_template_change_invalidates_the_cache(
    specs: Path, tmp_path: Path, own_templates: Path, calls: Calls
) -> None:
    out = tmp_path / "out"
    assert build_cli(specs / "inkwell.yaml", "--out", out) == 0
    calls.clear()
    template = own_templates / "design" / "design.md.j2"
    template.write_text(template.read_text() + "\nEdited by a test.\n")
    render.environment.cache_clear()
    assert build_cli(specs / "inkwell.yaml", "--out", out) == 0
    assert calls["design"] == 1 and calls["diagrams"] == 1 and calls["site"] == 1
    assert (out / "inkwell" / "design.md").read_text().endswith("Edited by a test.\n")


def test_environment_key_covers_input_folders_and_dot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site-project"
    folder.mkdir()
    (folder / "mkdocs.yml").write_text("site_name: a\n")
    first = cache.environment_key([folder])
    assert cache.environment_key([folder]) == first
    (folder / "mkdocs.yml").write_text("site_name: b\n")
    second = cache.environment_key([folder])
    assert second != first
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert cache.environment_key([folder]) == second  # bytecode is not an input
    monkeypatch.setattr(cache, "dot_version", lambda: "dot - graphviz version 99")
    assert cache.environment_key([folder]) != second


def test_corrupt_or_truncated_entries_are_misses(specs: Path, tmp_path: Path, calls: Calls) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    assert build_cli(specs, "--out", out, "--cache", store) == 0
    expected = read_tree(out)
    first, second = sorted((store / "specs").iterdir())
    first.write_bytes(first.read_bytes()[:-100])  # truncated
    data = bytearray(second.read_bytes())
    data[-1] ^= 0xFF  # one flipped bit in the payload
    second.write_bytes(bytes(data))
    calls.clear()
    assert build_cli(specs, "--out", out, "--cache", store) == 0
    assert calls["diagrams"] == 2 and calls["site"] == 0  # same artifacts -> same site key
    assert read_tree(out) == expected
    assert cache.decode(first.read_bytes()) is not None  # rewritten whole
    for junk in (b"", b"archsmith-cache 1\n", b"archsmith-cache 1\n{]\n", b"PK\x03\x04"):
        assert cache.decode(junk) is None
    files = {"a.txt": b"alpha", "b/c.png": b"\x89PNG"}
    assert cache.decode(cache.encode(files)) == files


def test_check_reads_the_cache_but_writes_nothing(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build_cli(specs / "inkwell.yaml", "--out", out, "--no-cache") == 0
    assert build_cli(specs / "inkwell.yaml", "--out", out, "--check") == 0
    assert not (tmp_path / ".archsmith-cache").exists()


def test_an_unwritable_cache_is_a_warning_not_a_failure(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    out = tmp_path / "out"
    assert build_cli(specs / "inkwell.yaml", "--out", out, "--cache", blocker) == 0
    err = capsys.readouterr().err
    assert err.count("archsmith: warning: cache") == 1 and "not written" in err
    assert (out / "inkwell" / "design.md").is_file()


def test_diagrams_of_several_specs_render_concurrently_in_spec_order(
    specs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    systems = build.load_all(build.discover([ROOT / "specs"]))
    items = [(s, build.analyze(s), build.lint(s)) for s in systems]
    active, peak, lock = 0, 0, threading.Lock()
    real = graphviz.render

    def tracked(*args: Any) -> dict[str, bytes]:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        try:
            return real(*args)
        finally:
            with lock:
                active -= 1

    monkeypatch.setattr(graphviz, "render", tracked)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)
    together = build._diagrams(items, build._silent)
    assert peak == 2
    monkeypatch.setattr(build.os, "cpu_count", lambda: 1)
    alone = build._diagrams(items, build._silent)
    assert together == alone
    assert [sorted(d) for d in together] == [sorted(real(s, a.style.style)) for s, a, _ in items]


def test_timings_name_every_stage_and_quiet_prints_nothing(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert build_cli(specs / "inkwell.yaml", "--out", out, "--timings") == 0
    printed = capsys.readouterr()
    for stage in (*STAGES, "total"):
        assert re.search(rf"^{re.escape(stage)} +\d+\.\d{{3}} s$", printed.out, re.MULTILINE), stage
    assert "archsmith: site" in printed.err  # plain progress lines: stderr is no terminal
    assert build_cli(specs / "inkwell.yaml", "--out", out, "--quiet") == 0
    assert capsys.readouterr() == ("", "")
    assert build_cli(specs / "inkwell.yaml", "--out", out, "--quiet", "--no-cache") == 0
    assert capsys.readouterr() == ("", "")


def _dot_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


def test_ctrl_c_midway_leaves_previous_output_and_no_staging(
    specs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    assert build_cli(specs, "--out", out) == 0
    before = read_tree(out)
    for spec in specs.iterdir():  # both specs must be rendered again
        spec.write_text(spec.read_text().replace("email: {", "email:  {", 1))
    real, rendered = design_doc.render_design, []

    def interrupt_second(*args: Any) -> str:
        if rendered:
            raise KeyboardInterrupt  # the first spec is fully rendered by now
        rendered.append(args[0].slug)
        return real(*args)

    monkeypatch.setattr(design_doc, "render_design", interrupt_second)
    capsys.readouterr()
    assert build_cli(specs, "--out", out) == 130
    assert "interrupted; nothing was written" in capsys.readouterr().err
    assert rendered == ["inkwell"]
    assert read_tree(out) == before
    assert _dot_files(tmp_path) == [".archsmith-cache"]  # no .out.new-* or .out.old-*
    assert not list((tmp_path / ".archsmith-cache").rglob(".tmp-*"))


def test_ctrl_c_while_writing_the_tree_leaves_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(out, {"a.txt": b"old", "b/c.txt": b"old"})
    before = read_tree(out)
    written: list[str] = []
    real = Path.write_bytes

    def interrupt_third(self: Path, data: bytes) -> int:  # type: ignore[override]
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(self.name)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", interrupt_third)
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, {f"n{i}.txt": b"new" for i in range(5)})
    monkeypatch.undo()
    assert written == ["n0.txt", "n1.txt"]
    assert read_tree(out) == before
    assert _dot_files(tmp_path) == []


def test_missing_dot_exits_3_naming_the_package_and_keeps_output(
    specs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert build_cli(specs / "inkwell.yaml", "--out", out) == 0
    before = read_tree(out)
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            str(specs / "inkwell.yaml"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PATH": str(empty)},
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "apt-get install graphviz" in done.stderr and "Traceback" not in done.stderr
    assert read_tree(out) == before
    assert _dot_files(tmp_path) == [".archsmith-cache"]


class _Lines:
    """The lines of a pipe, readable with a timeout, drained by a thread."""

    def __init__(self, stream: Any) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self.thread.start()

    def _pump(self, stream: Any) -> None:
        for line in stream:
            self.queue.put(line)

    def next(self, timeout: float) -> str:
        return self.queue.get(timeout=timeout)

    def rest(self) -> str:
        self.thread.join(timeout=10)  # the pipe reaches EOF once the process has exited
        return "".join(self.queue.get() for _ in range(self.queue.qsize()))


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


def test_serve_rebuilds_on_change_and_tells_the_page_to_reload(tmp_path: Path) -> None:
    spec = tmp_path / "inkwell.yaml"
    shutil.copy(ROOT / "specs" / "inkwell.yaml", spec)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "generator", "serve", str(spec), "--out", str(out)]
    with subprocess.Popen(
        [*command, "--port", "0", "--cache", str(tmp_path / "cache")],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        stdout, stderr = _Lines(server.stdout), _Lines(server.stderr)
        try:
            first = stdout.next(timeout=120)
            found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", first)
            assert found, first
            url = found.group(1)
            version_url = url + VERSION_PATH.lstrip("/")
            page = _get(url + "index.html")
            assert RELOAD_SCRIPT in page and b"Inkwell" in page and b"Inkwell Revised" not in page
            assert RELOAD_SCRIPT not in (out / "site" / "index.html").read_bytes()  # served only
            assert _get(url) == page  # a folder serves its index.html
            version = _get(version_url)
            spec.write_text(spec.read_text().replace("name: Inkwell\n", "name: Inkwell Revised\n"))
            deadline = time.monotonic() + 120
            while _get(version_url) == version:
                assert time.monotonic() < deadline, "serve never rebuilt"
                time.sleep(0.2)
            assert b"Inkwell Revised" in _get(url + "index.html")
            assert "rebuilt in" in stdout.next(timeout=10)
            # A broken edit keeps the last good site up and reports the problem.
            version = _get(version_url)
            spec.write_text(spec.read_text().replace("type: email", "type: e-mail", 1))
            report = ""
            while "kept the previous site" not in report:
                report += stderr.next(timeout=60)
            assert "'e-mail'" in report
            assert _get(version_url) == version
            assert b"Inkwell Revised" in _get(url + "index.html")
        finally:
            server.terminate()
            code = server.wait(timeout=30)
        assert code == 0
        assert "stopped serving" in stderr.rest()


def test_a_workspace_in_use_is_left_alone(tmp_path: Path) -> None:
    import fcntl

    from generator import site_workspace, workspace_lock

    root = tmp_path / "workspace"
    root.mkdir()
    with (root / ".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        # Another build holds it: this one builds elsewhere, and pruning keeps it.
        assert site_workspace.build_in(root, "key", {"mkdocs.yml": b"site_name: x\n"}) is None
        workspace_lock.remove(root)
        assert root.is_dir()
    workspace_lock.remove(root)
    assert not root.exists()


def test_compiled_templates_are_reused_and_a_cache_that_cannot_be_written_costs_nothing(
    tmp_path: Path,
) -> None:
    import jinja2

    source = {"page.j2": "{{ 6 * 7 }}"}
    folder = tmp_path / "bytecode"
    folder.mkdir()
    first = jinja2.Environment(
        loader=jinja2.DictLoader(source), bytecode_cache=render._BytecodeCache(str(folder))
    )
    assert first.get_template("page.j2").render() == "42"
    assert len(list(folder.iterdir())) == 1  # compiled once, kept for the next process
    source["page.j2"] = "{{ 6 * 8 }}"  # an edited template is compiled again, not reused
    second = jinja2.Environment(
        loader=jinja2.DictLoader(source), bytecode_cache=render._BytecodeCache(str(folder))
    )
    assert second.get_template("page.j2").render() == "48"
    blocked = tmp_path / "a-file"  # not a folder: every write fails (even as root)
    blocked.write_text("")
    third = jinja2.Environment(
        loader=jinja2.DictLoader(source), bytecode_cache=render._BytecodeCache(str(blocked))
    )
    assert third.get_template("page.j2").render() == "48"
