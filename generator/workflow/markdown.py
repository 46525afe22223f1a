"""A small Markdown writer: headings, paragraphs, lists and tables, each block
followed by a blank line, for reports posted as pull-request comments or CI
job summaries.

Text is written as given: cells and items are escaped by the caller
(``core.text.markdown_cell``), which knows which parts are Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class MarkdownWriter:
    def __init__(self) -> None:
        self._lines: list[str] = []

    def heading(self, level: int, text: str) -> None:
        self._block([f"{'#' * level} {text}"])

    def paragraph(self, text: str) -> None:
        self._block([text])

    def bullets(self, items: Iterable[str]) -> None:
        self._block([f"- {item}" for item in items])

    def nested_bullets(self, items: Iterable[tuple[str, Sequence[str]]]) -> None:
        """A list whose items each have a list of their own."""
        lines = []
        for item, children in items:
            lines.append(f"- {item}")
            lines += [f"  - {child}" for child in children]
        self._block(lines)

    def table(self, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        lines = [_row(header), "|" + "---|" * len(header)]
        lines += [_row(row) for row in rows]
        self._block(lines)

    def text(self) -> str:
        """Everything written, each line ended."""
        return "\n".join(self._lines)

    def _block(self, lines: Sequence[str]) -> None:
        self._lines += [*lines, ""]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
