"""Work a large build hands to other processes: Material's search entries, and
the last check of each page's addresses.

Both read every page's HTML with Python's HTML parser, one as MkDocs writes
the page and the other just after: on a large programme, more than half of a
build, on one core while the other waits. Here they run in two processes of
the plugin's own while the main process renders and writes pages:

- **Search entries.** Once every page is converted (all that the entries are
  made from is known then), the pages are sent off, their entries made with
  Material's own code, and each page's entries handed to the search index
  when MkDocs reaches the page: the same entries in the same order. Only when
  no other plugin changes pages as MkDocs writes them.
- **Addresses.** Each page's output is sent off as it is written; the findings
  are collected when the build ends, and a page with an unsafe address or one
  on another host stops the build then, as it would have when written, with
  the same message. The site folder is emptied first: nothing of a stopped
  build is left to publish.

Only for builds of enough pages to repay starting the processes, and never
under `mkdocs serve`, whose rebuilds keep what they can instead.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from generator.render.markup import page_addresses

# Fewer pages than this are read faster than the processes start.
ENOUGH_PAGES = 300
_BATCH = 40  # pages sent at once


@dataclass
class _Read:
    """What Material's index reads of a page."""

    url: str
    content: str
    toc: TableOfContents
    meta: dict[str, Any]
    title: str | None


def _entries(config: dict[str, Any], pages: Sequence[_Read]) -> list[list[dict[str, Any]]]:
    """Each page's entries, as Material's search index makes them (in another process)."""
    from material.plugins.search import plugin  # type: ignore[import-untyped]

    # This process only reads: its parser need not count lines and columns for
    # messages it never gives (a fifth of its time).
    plugin.Parser.updatepos = _to
    made = []
    for page in pages:
        index = plugin.SearchIndex(**config)
        index.add_entry_from_context(page)
        made.append(index.entries)
    return made


def _forget(done: Future[Any], pages: list[tuple[str, str]]) -> None:
    if not done.cancelled() and done.exception() is None:
        pages.clear()


def _to(parser: object, i: int, j: int) -> int:
    return j


def _addresses(pages: Sequence[tuple[str, str]]) -> list[tuple[str, list[str], list[str]]]:
    """``page_addresses`` of each (source path, output) with a finding."""
    found = []
    for path, output in pages:
        unsafe, remote = page_addresses(output)
        if unsafe or remote:
            found.append((path, unsafe, remote))
    return found


class Aside:
    """Two processes reading a build's pages while the build goes on."""

    def __init__(self) -> None:
        # Spawned, not forked: a process with threads must not be copied midway.
        self._pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
        self._index: Any = None
        self._own_read: Any = None
        self._entries: dict[str, tuple[Future[list[list[dict[str, Any]]]], int]] = {}
        self._outputs: list[tuple[str, str]] = []
        self._checks: list[tuple[Future[list[tuple[str, list[str], list[str]]]] | None, Any]] = []

    def read_search(self, index: Any, pages: Sequence[Page]) -> None:
        """Make ``pages``' entries aside, and have ``index`` take them from here."""
        for start in range(0, len(pages), _BATCH):
            batch = pages[start : start + _BATCH]
            sent = [_Read(p.url, p.content or "", p.toc, dict(p.meta), p.title) for p in batch]
            try:
                future = self._pool.submit(_entries, index.config, sent)
            except Exception:  # the pool is broken: the index reads these pages itself
                break
            for position, page in enumerate(batch):
                self._entries[page.url] = (future, position)
        self._index, self._own_read = index, index.add_entry_from_context
        index.add_entry_from_context = self._add_entry

    def _add_entry(self, page: Page) -> None:
        sent = self._entries.pop(page.url, None)
        try:
            entries = sent[0].result()[sent[1]] if sent is not None else None
        except Exception:  # the process could not start or died: read it here
            entries = None
        if entries is None:
            self._own_read(page)
        else:
            self._index.entries.extend(entries)

    def check(self, path: str, output: str) -> None:
        """Check the addresses of the page made from ``path`` aside."""
        self._outputs.append((path, output))
        if len(self._outputs) >= _BATCH:
            self._send()

    def _send(self) -> None:
        if self._outputs:
            pages = self._outputs
            future: Future[list[tuple[str, list[str], list[str]]]] | None
            try:
                future = self._pool.submit(_addresses, pages)
                # Kept to be checked here if the process dies; let go once checked.
                future.add_done_callback(lambda done: _forget(done, pages))
            except Exception:  # the pool is broken: checked here at the end
                future = None
            self._checks.append((future, pages))
            self._outputs = []

    def findings(self) -> list[tuple[str, list[str], list[str]]]:
        """Every checked page with a finding: (source path, unsafe, remote)."""
        self._send()
        found = []
        for future, pages in self._checks:
            try:
                found += future.result() if future is not None else _addresses(pages)
            except Exception:  # the process could not start or died: check them here
                found += _addresses(pages)
        return found

    def close(self) -> None:
        if self._index is not None:
            self._index.add_entry_from_context = self._own_read
        self._pool.shutdown(wait=True, cancel_futures=True)


def worth_processes(pages: int) -> bool:
    """Enough pages, a second core, and a main program a new process can start
    from. A new process imports the main program's file: a script without the
    ``if __name__ == "__main__"`` guard would build again in it, into the same
    folder. So only MkDocs' and qa-site's own commands (which have the guard)
    and programs without a file (``python -c``) start processes."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    spec = getattr(main, "__spec__", None)
    known = (
        path is None
        or (spec is not None and spec.name in _GUARDED_MODULES)
        or (spec is None and Path(path).name in _GUARDED_SCRIPTS)
    )
    return pages >= ENOUGH_PAGES and (os.cpu_count() or 1) > 1 and known


# Programs known to start MkDocs only under the guard: `python -m mkdocs`,
# `python -m generator`, and the console scripts pip writes.
_GUARDED_MODULES = frozenset({"mkdocs.__main__", "generator.__main__"})
_GUARDED_SCRIPTS = frozenset({"mkdocs", "qa-site", "mkdocs.exe", "qa-site.exe"})
