"""The search index read as its pages are: what is apart on a page stays apart.

Material's search index holds each section of a page as one text, keeping only
paragraphs, lists and code as markup: the cells of a table are joined without
a space ("S30", "G", "G" become "S30GG", which reads as a postcode). The gate
reads each section against the page it indexes, which it has read too: where
the page has a block boundary (a cell, an item, a paragraph) between two
characters of the section, the section is split there. Nothing else changes:
the characters are the index's own, so a value written in one cell is still
scanned whole; and a section that is not found on its page as written (no such
page, or text the page does not show) is scanned as the index joins it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

SEARCH_INDEX = "search/search_index.json"

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PageBlocks:
    """A page's text without its white space, and the offsets where its blocks start."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, blocks: Iterable[str]) -> PageBlocks:
        text: list[str] = []
        starts: list[int] = []
        length = 0
        for block in blocks:
            solid = _SPACE.sub("", block)
            if solid:
                starts.append(length)
                text.append(solid)
                length += len(solid)
        return cls("".join(text), tuple(starts))


def page_of(location: str) -> str:
    """The built file of a search entry's ``location`` (``comparison/standards/#s07``)."""
    path = location.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def apart_as_on_page(paragraphs: Iterable[str], page: PageBlocks) -> list[str]:
    """``paragraphs`` (a section's text, in the index's own blocks), each split where
    ``page`` has a block boundary between two of its characters. A paragraph the page
    does not show, character for character, is kept whole."""
    out: list[str] = []
    cursor = 0
    for paragraph in paragraphs:
        solid = [(i, c) for i, c in enumerate(paragraph) if not c.isspace()]
        wanted = "".join(c for _, c in solid)
        found = page.text.find(wanted, cursor) if wanted else -1
        if found < 0 and wanted:
            found = page.text.find(wanted)
        if found < 0:
            out.append(paragraph)
            continue
        cursor = found + len(wanted)
        # A block of the page starting after the paragraph's first character cuts it there.
        first, last = bisect_right(page.starts, found), bisect_left(page.starts, cursor)
        cuts = [solid[start - found][0] for start in page.starts[first:last]]
        start = 0
        for cut in cuts:
            out.append(paragraph[start:cut])
            start = cut
        out.append(paragraph[start:])
    return out
