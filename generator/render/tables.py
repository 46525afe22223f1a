"""Tables that a phone can read: each body cell labelled with its column's head.

On a narrow screen (``site.css``, below 600 px) a table marked ``qa-stack``
shows each row as a block of lines, every cell preceded by its column's head
(``td::before { content: attr(data-label) }``), so that no column, the rating
and the due date included, is cut off to the right. :func:`label_cells` marks
the tables of a page's text and labels their cells.

The text is the output of the site's own templates, whose tables are regular:
``<table>``, a ``<thead>`` with one row of ``<th scope="col">``, then the body
rows. What reviewers wrote is inside cells, escaped or as links, and is never
touched: only the opening tags of tables and cells change. A table that has a
class already (the ``qa-matrix`` grids of ratings) scrolls in its own region
and is left as it is.
"""

from __future__ import annotations

import html
import re

__all__ = ["STACK_CLASS", "label_cells"]

STACK_CLASS = "qa-stack"

_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table\s*>", re.DOTALL | re.IGNORECASE)
_CLASS = re.compile(r"\sclass\s*=", re.IGNORECASE)
_THEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead\s*>", re.DOTALL | re.IGNORECASE)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.DOTALL | re.IGNORECASE)
_HEAD_CELL = re.compile(r"<(th|td)\b([^>]*)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_SCOPE_COL = re.compile(r"""\sscope\s*=\s*(?:"col"|'col'|col(?![^\s/>]))""", re.IGNORECASE)
_COLSPAN = re.compile(r"""\scolspan\s*=\s*["']?(\d+)""", re.IGNORECASE)
_CELL_OPEN = re.compile(r"<(th|td)\b([^>]*)>", re.IGNORECASE)
_ROW_OPEN_OR_CLOSE = re.compile(r"<tr\b[^>]*>|</tr\s*>", re.IGNORECASE)
_DATA_LABEL = re.compile(r"\sdata-label\s*=", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")

# A column spans at most this many heads; a larger colspan is the page's own error.
_MOST_SPAN = 1000


def label_cells(text: str) -> str:
    """``text`` with each table that has one header row of ``<th scope="col">``
    and no class marked ``class="qa-stack"``, and each cell of its body rows
    given ``data-label`` (the text of its column's head, or of the heads it
    spans, for an attribute). Everything else is returned as it was."""
    return _TABLE.sub(_label_table, text)


def _label_table(found: re.Match[str]) -> str:
    attributes, inside = found.group(1), found.group(2)
    if _CLASS.search(attributes):
        return found.group(0)
    thead = _THEAD.search(inside)
    if thead is None:
        return found.group(0)
    heads = _column_heads(thead.group(1))
    if heads is None:
        return found.group(0)
    body = _label_rows(inside[thead.end() :], heads)
    return f'<table class="{STACK_CLASS}"{attributes}>{inside[: thead.end()]}{body}</table>'


def _column_heads(thead: str) -> list[str] | None:
    """The label of each column, from a header of one row of ``<th scope="col">``;
    None for any other header."""
    rows = _ROW.findall(thead)
    if len(rows) != 1:
        return None
    heads: list[str] = []
    position = 0
    for cell in _HEAD_CELL.finditer(rows[0]):
        if rows[0][position : cell.start()].strip():
            return None  # something other than a head cell between the cells
        position = cell.end()
        name, attributes, content = cell.groups()
        if name.lower() != "th" or not _SCOPE_COL.search(attributes):
            return None
        heads += [_label_text(content)] * _span(attributes)
    if not heads or rows[0][position:].strip():
        return None
    return heads


def _label_rows(body: str, heads: list[str]) -> str:
    """``body`` with the opening tag of each cell in its rows labelled."""
    pieces: list[str] = []
    position = 0
    column: int | None = None  # None outside a row
    for tag in _ROW_OPEN_OR_CLOSE.finditer(body):
        if column is not None:
            pieces.append(_label_row(body[position : tag.start()], heads))
        else:
            pieces.append(body[position : tag.start()])
        pieces.append(tag.group(0))
        position = tag.end()
        column = 0 if tag.group(0)[1] != "/" else None
    pieces.append(body[position:])
    return "".join(pieces)


def _label_row(row: str, heads: list[str]) -> str:
    column = 0

    def label(cell: re.Match[str]) -> str:
        nonlocal column
        name, attributes = cell.group(1), cell.group(2)
        span = _span(attributes)
        spanned = heads[column : column + span]
        column += span
        names = list(dict.fromkeys(head for head in spanned if head))
        if not names or _DATA_LABEL.search(attributes):
            return cell.group(0)
        value = html.escape(", ".join(names), quote=True)
        closing = "/" if attributes.endswith("/") else ""
        attributes = attributes[:-1] if closing else attributes
        return f'<{name}{attributes} data-label="{value}"{closing}>'

    return _CELL_OPEN.sub(label, row)


def _span(attributes: str) -> int:
    found = _COLSPAN.search(attributes)
    if found is None:
        return 1
    return min(max(int(found.group(1)), 1), _MOST_SPAN)


def _label_text(head: str) -> str:
    """A head cell's text as a reader sees it: no tags, references read, spaces collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", head))).strip()
