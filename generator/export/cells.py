"""Text cells a spreadsheet never runs as a formula, and CSV lines that keep them so.

A spreadsheet opening a CSV file runs a cell that begins with = + - or @ (or
a full-width form of one, or a tab or carriage return, or spaces before one)
as a formula. As OWASP advises, such a text cell is written with a leading
apostrophe, which spreadsheets show as text. Numbers and dates are never
changed: a negative number is a number. The content's names and labels cannot
begin so (models.Name); the writers hold whatever they are given all the same.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence

from generator.model.formulas import BLANK_START, FORMULA_SIGNS

_UNSAFE_START = re.compile(f"[{BLANK_START}{FORMULA_SIGNS}]")
# A text cell as written: it never begins with what a spreadsheet may take for
# the start of a formula (as a Table Schema pattern, matched whole).
CSV_TEXT_PATTERN = f"[^{BLANK_START}{FORMULA_SIGNS}][\\s\\S]*"


def csv_unsafe(cell: str) -> bool:
    """Whether a spreadsheet might take a cell written as ``cell`` for a formula."""
    return _UNSAFE_START.match(cell) is not None


def csv_text(value: str) -> str:
    """``value`` as a text cell that a spreadsheet shows, and never runs.

    A value that would begin like a formula, once any apostrophes it begins
    with are set aside, gains one leading apostrophe; any other is unchanged.
    So every value reads back exactly with :func:`csv_text_value`, one that
    begins with an apostrophe of its own too.
    """
    return "'" + value if csv_unsafe(value.lstrip("'")) else value


def csv_text_value(cell: str) -> str:
    """The value a text cell written by :func:`csv_text` stands for."""
    return cell[1:] if cell.startswith("'") and csv_unsafe(cell.lstrip("'")) else cell


def csv_lines(rows: Iterable[Sequence[object]]) -> str:
    """``rows`` as CSV text, each line ending in a line feed.

    A cell holding a carriage return is quoted, as one holding a line feed is:
    a spreadsheet would otherwise start a new row there, and whatever follows
    would begin a cell of its own (``'\\r=1+1`` would be ``=1+1``).
    """
    line = csv_line_writer()
    return "".join([line(row) + "\n" for row in rows])


def csv_line_writer() -> Callable[[Sequence[object]], str]:
    """A function that gives one row as a line of CSV, without its line ending.

    Each cell is written as :func:`csv_lines` writes it, whatever the cells
    beside it: lines of two or more cells joined with a comma are the line of
    all their cells. (A line of one empty cell is ``""``, so that it is not a
    blank line.)
    """
    out = io.StringIO()
    # The csv module quotes a cell holding any character of the line terminator:
    # with CR LF, both. The terminator is then cut off.
    writer = csv.writer(out, lineterminator="\r\n")

    def line(row: Sequence[object]) -> str:
        writer.writerow(row)
        text = out.getvalue()[:-2]
        out.seek(0)
        out.truncate()
        return text

    return line
