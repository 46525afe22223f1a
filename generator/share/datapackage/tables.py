"""The format's tables, declared once: the writer's descriptor and the reader's
checks both come from this declaration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

FORMAT = "qa-site-package/1"
FORMAT_NAME, _, FORMAT_MAJOR = FORMAT.partition("/")
DESCRIPTOR = "datapackage.json"

Kind = Literal["kebab", "standard", "text", "label", "date", "integer", "number", "boolean"]
_TYPES: Mapping[Kind, str] = {
    "kebab": "string",
    "standard": "string",
    "text": "string",
    "label": "string",
    "date": "date",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


# Text cells that would begin like a spreadsheet formula are written with a
# leading apostrophe (export.csv_text), which the reader takes off again; ids
# never begin so, and numbers, dates and true/false are never changed.
ESCAPED: frozenset[Kind] = frozenset({"text", "label"})


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None

    @property
    def type(self) -> str:
        return _TYPES[self.kind]


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _borough(description: str = "Borough id.") -> Column:
    return Column("borough", "kebab", description)


_REVIEW_KEY = (
    _borough(),
    Column("team", "kebab", "Team id."),
    Column("date", "date", "The review's date: the day it was presented."),
)
TO_REVIEW = ForeignKey(("borough", "team", "date"), "reviews", ("borough", "team", "date"))
_TO_STANDARD = ForeignKey(("standard",), "standards", ("id",))

TABLES: tuple[Table, ...] = (
    Table(
        "boroughs",
        "Boroughs",
        "The councils whose results the package holds.",
        (
            Column("id", "kebab", "Borough id: its folder name in the reviews repository."),
            Column("name", "text", "The council's name."),
            Column("short", "text", "Short name for tables and charts."),
        ),
        ("id",),
    ),
    Table(
        "teams",
        "Teams",
        "Every team of those boroughs, reviewed or not, open or closed.",
        (
            _borough(),
            Column("id", "kebab", "Team id: its folder name, unique within the borough."),
            Column("name", "text", "The team's name."),
            Column("service", "kebab", "Service type, for like-for-like comparison."),
            Column("closed", "date", "When the team closed; empty if it has not.", False),
        ),
        ("borough", "id"),
        (ForeignKey(("borough",), "boroughs", ("id",)),),
    ),
    Table(
        "standards",
        "Standards",
        "Every standard of the framework, retired ones too.",
        (
            Column("id", "standard", "Standard id, e.g. S07."),
            Column("title", "text", "The standard as one statement of good practice."),
            Column("domain", "kebab", "The id of the standard's domain."),
            Column("critical", "boolean", "Whether the standard can limit the overall rating."),
            Column("introduced", "integer", "First framework version with it.", minimum=1),
            Column(
                "retired",
                "integer",
                "First framework version without it; empty if it is current.",
                False,
                minimum=2,
            ),
        ),
        ("id",),
    ),
    Table(
        "reviews",
        "Reviews",
        "Presented reviews, one row each: the overall result.",
        (
            *_REVIEW_KEY,
            Column("framework_version", "integer", "The framework version it rated.", minimum=1),
            Column("rating", "label", "The overall rating, after the critical limiter."),
            Column(
                "percent",
                "number",
                "Points as a percentage of the most possible, to one decimal place, rounded "
                "down (so it never shows a band it did not reach).",
                minimum=0,
                maximum=100,
            ),
            Column("cases", "integer", "How many cases were audited in depth.", minimum=0),
        ),
        ("borough", "team", "date"),
        (ForeignKey(("borough", "team"), "teams", ("borough", "id")),),
    ),
    Table(
        "ratings",
        "Ratings",
        "The rating each review gave each standard of its framework version.",
        (
            *_REVIEW_KEY,
            Column("standard", "standard", "Standard id."),
            Column("rating", "label", "The rating, as the scale spells it."),
        ),
        ("borough", "team", "date", "standard"),
        (TO_REVIEW, _TO_STANDARD),
    ),
    Table(
        "grades",
        "Case-audit grades",
        "A review's case-audit grades, counted per standard and grade.",
        (
            *_REVIEW_KEY,
            Column("standard", "standard", "Standard id."),
            Column("grade", "label", "The grade, as the scale spells it."),
            Column("count", "integer", "How many audited cases gave it.", minimum=1),
        ),
        ("borough", "team", "date", "standard", "grade"),
        (TO_REVIEW, _TO_STANDARD),
    ),
)
TABLES_BY_NAME = {t.name: t for t in TABLES}


def joined(words: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
