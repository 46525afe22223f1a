"""What a parsed content file is: its data, and the line each key came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# A key path inside a document: ("ratings", "S07", "note") or ("cases", 0, "ref").
Loc = tuple[str | int, ...]


def format_loc(loc: Sequence[str | int]) -> str:
    """``("cases", 0, "ref")`` -> ``cases[0].ref``, the field name people read."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class SourceDocument:
    """One parsed content file and where each of its keys came from."""

    path: str  # relative to the repository root, with forward slashes
    data: Any = None  # the parsed YAML; None when the file could not be read
    positions: dict[Loc, int] = field(default_factory=dict)
    body: str = ""  # Markdown after the frontmatter
    body_line: int = 1  # line on which the body starts
    first_line: int = 1  # line on which the YAML starts

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def line_of(self, loc: Sequence[str | int]) -> int:
        """The line of ``loc``, or of its nearest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.first_line


class Derived:
    """What later stages worked out from each document, by document, each entry
    under what it is (a model class, "review", "guard") and saying itself what
    else it depends on.

    A document is never changed once parsed, and a ``ParseCache`` hands the same
    one to every load until its file changes: a check after an edit takes from
    here what it worked out before for every file but the edited one. Kept beside
    the documents, never in them: a model knows its document, and a document
    that knew its model would make each pair a cycle, which only the garbage
    collector frees, all at once at exit.
    """

    def __init__(self) -> None:
        self._by_path: dict[str, tuple[SourceDocument, dict[object, Any]]] = {}

    def of(self, document: SourceDocument) -> dict[object, Any]:
        """What was worked out from ``document``: empty for a document not seen before."""
        entry = self._by_path.get(document.path)
        if entry is None or entry[0] is not document:
            entry = self._by_path[document.path] = (document, {})
        return entry[1]

    def keep_only(self, paths: set[str]) -> None:
        """Forget the documents of files not in ``paths``, gone since."""
        for gone in self._by_path.keys() - paths:
            del self._by_path[gone]
