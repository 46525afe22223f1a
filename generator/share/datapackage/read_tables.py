"""Reading one table of a package: its header, then each row's cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from generator.core.problems import FILE
from generator.share.datapackage.cells import CellError, parse_cell
from generator.share.datapackage.reading import Report, Resource, Row


class TableReader:
    """Reads the tables of a package on the scale ``datapackage.json`` gives."""

    def __init__(self, report: Report, scale: tuple[str, ...] | None) -> None:
        self.report = report
        self.folder = report.folder
        self.scale = scale

    def read_table(self, resource: Resource) -> None:
        header = resource.table.header
        try:
            text = (self.folder / resource.path).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            data = (self.folder / resource.path).read_bytes()
            line = data.count(b"\n", 0, error.start) + 1
            self.report.in_csv(resource, line, FILE, f"not UTF-8 text ({error.reason})")
            return
        except OSError as error:
            self.report.in_csv(resource, 1, FILE, f"cannot be read: {error.strerror}")
            return
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows: list[Row] = []
        clean = True
        try:
            first = next(reader, None)
            if first is None:
                self.report.in_csv(
                    resource, 1, FILE, f"empty: expected the header {','.join(header)}"
                )
                return
            if not self._check_header(resource, first):
                return
            line = reader.line_num + 1
            for cells in reader:
                row = self._read_row(resource, line, cells)
                if row is None or row.bad:
                    clean = False
                if row is not None:
                    rows.append(row)
                line = reader.line_num + 1
        except csv.Error as error:
            self.report.in_csv(resource, reader.line_num, FILE, f"not valid CSV: {error}")
            return
        resource.rows, resource.clean = rows, clean

    def _check_header(self, resource: Resource, cells: Sequence[str]) -> bool:
        header = resource.table.header
        if tuple(cells) == header:
            return True
        for index, expected in enumerate(header):
            got = cells[index] if index < len(cells) else None
            if got != expected:
                self.report.in_csv(
                    resource,
                    1,
                    expected,
                    f"expected the header {','.join(header)}; column {index + 1} is "
                    + (f"'{got}'" if got is not None else "missing"),
                )
                return False
        extra = cells[len(header)]
        self.report.in_csv(
            resource,
            1,
            extra or FILE,
            f"expected the header {','.join(header)}; column {len(header) + 1} "
            f"('{extra}') is not one of {resource.table.path}'s",
        )
        return False

    def _read_row(self, resource: Resource, line: int, cells: Sequence[str]) -> Row | None:
        columns = resource.table.columns
        if not cells:
            self.report.in_csv(resource, line, FILE, "a blank line: every line is a row")
            return None
        if len(cells) != len(columns):
            self.report.in_csv(
                resource,
                line,
                FILE,
                f"expected {len(columns)} cells ({', '.join(c.name for c in columns)}), "
                f"got {len(cells)}",
            )
            return None
        values: dict[str, Any] = {}
        bad = set()
        for column, cell in zip(columns, cells, strict=True):
            try:
                values[column.name] = parse_cell(column, cell, self.scale)
            except CellError as error:
                self.report.in_csv(resource, line, column.name, str(error))
                bad.add(column.name)
        return Row(
            line, dict(zip(resource.table.header, cells, strict=True)), values, frozenset(bad)
        )
