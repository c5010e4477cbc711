"""Material's search index across MkDocs dirty builds (site_workspace.py).

Why: the search plugin indexes only the pages a build renders, and a dirty build renders
few. This plugin keeps every page's entries between builds and gives the plugin the
whole list, in page order, before it writes the index: the index equals a clean build's.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import BasePlugin, event_priority


class SearchEntries(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Keeps each page's entries of Material's search index across dirty builds.

    Why the priorities: a page's entries are read after the search plugin indexed it
    (last), and the whole list is put back before the plugin writes the index (first).
    """

    def __init__(self, pages: dict[str, list[Any]]) -> None:
        super().__init__()
        self.pages = pages
        self._order: list[str] = []
        self._seen = 0

    @event_priority(-100)
    def on_files(self, files: Any, *, config: Any) -> Any:
        self._order = [file.src_uri for file in files.documentation_pages()]
        return files

    @event_priority(-100)
    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        entries = _index(config).entries
        self.pages[page.file.src_uri] = entries[self._seen :]
        self._seen = len(entries)
        return context

    @event_priority(100)
    def on_post_build(self, *, config: Any) -> None:
        self.pages = {uri: self.pages[uri] for uri in self._order if uri in self.pages}
        _index(config).entries = [entry for entries in self.pages.values() for entry in entries]


def _index(config: Any) -> Any:
    return config.plugins["material/search"].search_index
