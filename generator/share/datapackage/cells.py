"""One CSV cell of a package as the reader takes it: its value, or what is wrong."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from generator.core.dates import parse_iso_date
from generator.core.matching import did_you_mean
from generator.export.cells import csv_text_value, csv_unsafe
from generator.model.formulas import formula_start
from generator.model.formulas import shown as _shown
from generator.model.types import KEBAB_ID_PATTERN, STANDARD_ID_PATTERN
from generator.share.datapackage.tables import ESCAPED, Column

_KEBAB = re.compile(KEBAB_ID_PATTERN)
_STANDARD_ID = re.compile(STANDARD_ID_PATTERN)
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class CellError(Exception):
    pass


def parse_cell(column: Column, text: str, scale: Sequence[str] | None) -> Any:
    """The value of one CSV cell, or CellError saying what is wrong with it."""
    if text == "":
        if column.required:
            raise CellError("missing: this column needs a value")
        return None
    kind = column.kind
    if column.type == "string":
        if kind in ESCAPED and csv_unsafe(text):
            raise CellError(
                "could be taken for a spreadsheet formula: a package writes a text that begins "
                "with = + - @ (or a form of one), a space, or a control or invisible character "
                f"with one more ' in front, got '{_shown(text)}'"
            )
        text = csv_text_value(text)
    if kind == "kebab":
        if not _KEBAB.fullmatch(text):
            raise CellError(
                "expected a lower-case id of letters, digits and hyphens (like 'older-people'), "
                f"got '{text}'"
            )
        return text
    if kind == "standard":
        if not _STANDARD_ID.fullmatch(text):
            raise CellError(
                f"expected a standard id of capital letters then digits (like 'S07'), got '{text}'"
            )
        return text
    if kind == "text":
        if not text.strip():
            raise CellError("must not be blank")
        start = formula_start(text)
        if start is not None:  # every text column is a name, title or label of the content
            raise CellError(
                f"must not begin with {start}: a name that a spreadsheet could take for a "
                f"formula is refused, as in the content it comes from, got '{_shown(text)}'"
            )
        return text
    if kind == "label":
        if scale is not None and text not in scale:
            raise CellError(
                f"'{text}' is not on the package's scale ({', '.join(scale)})"
                + did_you_mean(text, scale)
            )
        return text
    if kind == "date":
        return parse_date(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise CellError(f"expected true or false, got '{text}'")
        return text == "true"
    if kind == "integer":
        if not _INTEGER.fullmatch(text) or (
            column.minimum is not None and int(text) < column.minimum
        ):
            least = "" if column.minimum is None else f" of at least {column.minimum}"
            raise CellError(f"expected a whole number{least}, got '{text}'")
        return int(text)
    if not _NUMBER.fullmatch(text) or not _within(Decimal(text), column):
        raise CellError(
            f"expected a number from {column.minimum} to {column.maximum}, got '{text}'"
        )
    return Decimal(text)


def _within(number: Decimal, column: Column) -> bool:
    return (column.minimum is None or number >= column.minimum) and (
        column.maximum is None or number <= column.maximum
    )


def parse_date(text: str) -> dt.date:
    try:
        return parse_iso_date(text)
    except ValueError as error:
        raise CellError(str(error)) from None
