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
from collections.abc import Iterable, Sequence

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
    out = io.StringIO()
    # The csv module quotes a cell holding any character of the line terminator:
    # with CR LF, both. Each row is then ended with a line feed alone.
    writer = csv.writer(out, lineterminator="\r\n")
    lines = []
    for row in rows:
        writer.writerow(row)
        lines.append(out.getvalue()[:-2] + "\n")
        out.seek(0)
        out.truncate()
    return "".join(lines)
