"""`archsmith serve`: the built site on 127.0.0.1, reloaded in the browser after each rebuild.

Why a polling script instead of websockets or mkdocs' livereload: a version endpoint and
a one-second `fetch` loop need no extra dependency, work offline and survive the output
folder being swapped by artifacts.write_tree. The script is injected while a page is
served, so the files on disk stay byte-identical to `archsmith build`.

Nothing here prints; cli.py reports each rebuild.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import watchfiles

from generator.discovery import SPEC_SUFFIXES

VERSION_PATH = "/__archsmith__/version"
RELOAD_SCRIPT = f"""<script>/* archsmith serve: reload after a rebuild */
(function () {{
  var seen = null;
  setInterval(function () {{
    fetch("{VERSION_PATH}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }})
      .then(function (v) {{ if (seen === null) {{ seen = v; }} else if (v !== seen) {{ location.reload(); }} }})
      .catch(function () {{}});
  }}, 1000);
}})();
</script>""".encode()


class LiveServer(ThreadingHTTPServer):
    """Serves `root` and a build number that the injected script polls."""

    daemon_threads = True

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.version = 0
        handler = partial(_Handler, directory=str(root))
        super().__init__(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self.serve_forever, name="archsmith-serve")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> None:
        self._thread.start()

    def reloaded(self) -> None:
        """A rebuild was written: open pages reload on their next poll."""
        self.version += 1

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join()


class _Handler(SimpleHTTPRequestHandler):
    server: LiveServer

    def do_GET(self) -> None:
        if urlsplit(self.path).path == VERSION_PATH:
            self._send(str(self.server.version).encode(), "text/plain; charset=utf-8")
            return
        target = Path(self.translate_path(self.path))
        if target.is_dir() and self.path.endswith("/"):
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            self._send(inject(target.read_bytes()), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        # Pages change under the same URL after every rebuild.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Request logs would drown the rebuild messages; the browser shows failures."""


def inject(page: bytes) -> bytes:
    """The reload script just before `</body>` (or at the end of a fragment without one)."""
    at = page.rfind(b"</body>")
    return page + RELOAD_SCRIPT if at < 0 else page[:at] + RELOAD_SCRIPT + page[at:]


def run(
    server: LiveServer,
    paths: list[Path],
    inputs: list[Path],
    ignore: list[Path],
    rebuild: Callable[[set[Path]], bool],
) -> None:
    """Serve until Ctrl-C or SIGTERM; after each relevant change, `rebuild` and, when it
    wrote a new site, tell open pages to reload."""
    # Why SIGTERM acts like Ctrl-C: a supervisor (or a test) stopping serve gets the same
    # clean shutdown, and a rebuild it interrupts leaves the output as it was.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    server.start()
    try:
        for changed in watch(paths, inputs, ignore, threading.Event()):
            if rebuild(changed):
                server.reloaded()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()


def watch(
    paths: list[Path], inputs: list[Path], ignore: list[Path], stop: threading.Event
) -> Iterator[set[Path]]:
    """Sets of changed files that matter: specs (named, or new ones in named folders) and
    anything below `inputs` (templates, site project); nothing below `ignore` (output, cache).

    Why parents of named files are watched: editors often save by writing a new file and
    renaming it over the old one, which ends a watch on the file itself.
    """
    relevant = _relevance(paths, inputs, ignore)
    roots = sorted({p.resolve() if p.is_dir() else p.resolve().parent for p in paths} | set(inputs))
    for changes in watchfiles.watch(
        *[root for root in roots if root.exists()],
        watch_filter=lambda change, name: relevant(Path(name)),
        stop_event=stop,
        debounce=300,
    ):
        yield {Path(name) for _, name in changes}


def _relevance(paths: list[Path], inputs: list[Path], ignore: list[Path]) -> Callable[[Path], bool]:
    files = {p.resolve() for p in paths if not p.is_dir()}
    folders = {p.resolve() for p in paths if p.is_dir()}
    inputs = [p.resolve() for p in inputs]
    ignore = [p.resolve() for p in ignore]
    default = watchfiles.DefaultFilter()

    def relevant(path: Path) -> bool:
        path = path.resolve()
        if any(path.is_relative_to(folder) for folder in ignore):
            return False
        if not default(watchfiles.Change.modified, str(path)):
            return False  # editor swap files, bytecode, VCS folders
        if path in files or (
            path.suffix in SPEC_SUFFIXES and any(path.is_relative_to(f) for f in folders)
        ):
            return True
        return any(path.is_relative_to(folder) for folder in inputs)

    return relevant
