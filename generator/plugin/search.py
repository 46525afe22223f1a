"""Material's search entries for a build's pages, read in a second process.

Material's search plugin reads every page's HTML with Python's HTML parser as
MkDocs writes the page; on a large programme that is about a quarter of a
build, on one core while the other waits. Once every page is converted (all
that the entries are made from is known then), the plugin sends the pages to
a process of its own, which makes their entries with Material's own code, and
hands each page's entries to the search index when MkDocs reaches the page:
the same entries in the same order, made while the main process writes pages.
Only when no other plugin changes pages as MkDocs writes them, and only for a
build with enough pages to repay starting the process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

# Fewer pages than this are read faster than a process starts.
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
    """Each page's entries, as Material's search index makes them (in the second process)."""
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


def _to(parser: object, i: int, j: int) -> int:
    return j


class SearchReader:
    """Pages' search entries, read in a second process as the build goes on."""

    def __init__(self, index: Any, pages: Sequence[Page]) -> None:
        self._index = index
        self._own_read = index.add_entry_from_context
        # Spawned, not forked: `mkdocs serve` has threads, which a fork would copy midway.
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self._batches: dict[str, tuple[Future[list[list[dict[str, Any]]]], int]] = {}
        for start in range(0, len(pages), _BATCH):
            batch = pages[start : start + _BATCH]
            sent = [_Read(p.url, p.content or "", p.toc, dict(p.meta), p.title) for p in batch]
            future = self._pool.submit(_entries, index.config, sent)
            for position, page in enumerate(batch):
                self._batches[page.url] = (future, position)
        index.add_entry_from_context = self._add_entry

    def _add_entry(self, page: Page) -> None:
        sent = self._batches.pop(page.url, None)
        if sent is None:
            self._own_read(page)
            return
        future, position = sent
        self._index.entries.extend(future.result()[position])

    def close(self) -> None:
        self._index.add_entry_from_context = self._own_read
        self._pool.shutdown(wait=True, cancel_futures=True)


def worth_a_process(pages: int) -> bool:
    return pages >= ENOUGH_PAGES and (os.cpu_count() or 1) > 1
