"""What the reader holds while it reads: the problems found, each table's rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.problems import FILE, Problem
from generator.share.datapackage.json_lines import JsonLines
from generator.share.datapackage.tables import Table


@dataclass(frozen=True)
class Row:
    line: int
    cells: Mapping[str, str]
    values: Mapping[str, Any]
    bad: frozenset[str]  # columns whose cell is wrong, already reported

    def key(self, columns: Sequence[str]) -> tuple[str, ...] | None:
        """The cells of ``columns``, or None when one of them is wrong."""
        if self.bad & set(columns):
            return None
        return tuple(self.cells[c] for c in columns)


@dataclass
class Resource:
    table: Table
    path: str  # as datapackage.json gives it
    rows: list[Row] | None = None  # None: not read, for a problem already reported
    clean: bool = False  # read, and no row of it has a problem of its own


class Stop(Exception):
    """A problem after which nothing else in the package can be checked sensibly."""


class Report:
    """The problems found so far, each in the shape of every other problem."""

    def __init__(self, folder: Path, descriptor: Path) -> None:
        self.folder = folder
        self.descriptor = descriptor
        self.problems: list[Problem] = []
        self.lines: JsonLines | None = None  # once datapackage.json has parsed

    def in_json(self, where: str, message: str) -> None:
        line = self.lines.line(where) if self.lines else 1
        self.problems.append(Problem(str(self.descriptor), line, where or FILE, message))

    def in_csv(self, resource: Resource, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(str(self.folder / resource.path), line, field, message))
