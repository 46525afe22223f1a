"""Data packages: one borough's results, for another borough's site to show.

Each borough may keep its own reviews repository. To compare teams across
boroughs, a borough publishes a *data package* of its partner-visible results,
and the other boroughs' sites read it::

    qa-site export --format datapackage -o DIR [--borough ID]

The format, ``qa-site-package/1``, is a Frictionless Tabular Data Package
(spec v1): ``datapackage.json`` plus six CSV tables, each with a Table Schema
(field types, constraints, primary and foreign keys), so any Frictionless tool
can check it too. The tables are declared once, in ``TABLES``: the writer's
descriptor and the reader's checks both come from that declaration.

    boroughs.csv    id, name, short
    teams.csv       borough, id, name, service, closed
    standards.csv   id, title, domain, critical, introduced, retired
    reviews.csv     borough, team, date, framework_version, rating, percent, cases
    ratings.csv     borough, team, date, standard, rating
    grades.csv      borough, team, date, standard, grade, count

A package holds results only, from presented reviews only: never a draft or a
review completed but not yet presented, never narrative, notes, actions, case
references, worker references or anyone's name. Case-audit grades are counted
per standard and grade, so no row stands for one case.

The reader is strict: it reports every problem it finds, in the shape of
every other problem (``path:line: field: message``), and returns a package
only when there is none. It reads nothing outside the package's folder and
never fetches anything over the network.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import datetime as dt
import io
import itertools
import json
import os
import re
import shutil
import tempfile
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Literal, TypeVar

from generator.core.files import FolderInUse
from generator.core.numbers import counted, score_decimal
from generator.core.problems import FILE, Problem, did_you_mean, sort_problems
from generator.export.results import (
    CSV_TEXT_PATTERN,
    csv_lines,
    csv_text,
    csv_text_value,
    csv_unsafe,
)
from generator.model.content import KEBAB_ID_PATTERN, STANDARD_ID_PATTERN, formula_start
from generator.model.content import shown as _shown
from generator.model.programme import Programme
from generator.score.published import published, published_programme
from generator.score.scoring import Results, ReviewResult, Rules

FORMAT = "qa-site-package/1"
FORMAT_NAME, _, _FORMAT_MAJOR = FORMAT.partition("/")
DESCRIPTOR = "datapackage.json"
# Field name for a problem in the JSON text itself.
JSON = "json"

_K = TypeVar("_K")
_V = TypeVar("_V")

_KEBAB = re.compile(KEBAB_ID_PATTERN)
_STANDARD_ID = re.compile(STANDARD_ID_PATTERN)
_PACKAGE_NAME = re.compile(r"[a-z0-9._-]+")  # what Data Package v1 allows in a name
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")  # a scheme; one letter is a Windows drive


class PackageError(Exception):
    """The files written do not read back as a package: a bug in the writer."""


class PackageFolderInUse(FolderInUse, FileExistsError):
    """The output folder holds something other than a data package: not written.

    A ``FolderInUse`` like the site's own output folder, and a ``FileExistsError``
    for callers that treat it as one."""


# --------------------------------------------------------------------------
# What a package holds, as the reader returns it


@dataclass(frozen=True)
class PackageStandard:
    id: str
    title: str
    domain: str
    critical: bool
    introduced: int  # first framework version with it
    retired: int | None  # first framework version without it

    def in_version(self, version: int) -> bool:
        return self.introduced <= version and (self.retired is None or version < self.retired)


@dataclass(frozen=True)
class PackageReview:
    borough: str
    team: str
    date: dt.date
    framework_version: int
    rating: str  # overall, after the critical limiter
    percent: Decimal  # one decimal place, rounded down as the site shows it
    cases: int  # case audits
    ratings: Mapping[str, str]  # standard id -> rating label, by id
    grades: Mapping[str, Mapping[str, int]]  # standard id -> grade label -> count, best first


@dataclass(frozen=True)
class PackageTeam:
    borough: str
    id: str
    name: str
    service: str
    closed: dt.date | None
    reviews: tuple[PackageReview, ...]  # presented reviews, oldest first

    @property
    def latest(self) -> PackageReview | None:
        return self.reviews[-1] if self.reviews else None


@dataclass(frozen=True)
class PackageBorough:
    id: str
    name: str
    short: str
    teams: tuple[PackageTeam, ...]  # by id


@dataclass(frozen=True)
class Package:
    source: Path  # the package's folder
    name: str
    title: str
    as_of: dt.date
    framework_name: str
    framework_version: int
    scale: tuple[str, ...]  # rating labels, best first
    adequate_or_above: str
    standards: Mapping[str, PackageStandard]  # by id
    boroughs: tuple[PackageBorough, ...]  # by id

    def __str__(self) -> str:
        teams = sum(len(b.teams) for b in self.boroughs)
        return (
            f"{self.name}: {counted(len(self.boroughs), 'borough')}, {counted(teams, 'team')}, "
            f"{counted(len(self.reviews), 'presented review')}, as of {self.as_of.isoformat()}"
        )

    @property
    def reviews(self) -> tuple[PackageReview, ...]:
        """Every review, by borough, team and date."""
        return tuple(r for b in self.boroughs for t in b.teams for r in t.reviews)

    def borough(self, borough_id: str) -> PackageBorough:
        for borough in self.boroughs:
            if borough.id == borough_id:
                return borough
        raise KeyError(borough_id)

    def team(self, borough_id: str, team_id: str) -> PackageTeam:
        for team in self.borough(borough_id).teams:
            if team.id == team_id:
                return team
        raise KeyError((borough_id, team_id))


# --------------------------------------------------------------------------
# The tables, declared once

_Kind = Literal["kebab", "standard", "text", "label", "date", "integer", "number", "boolean"]
_TYPES: Mapping[_Kind, str] = {
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
_ESCAPED: frozenset[_Kind] = frozenset({"text", "label"})
_ESCAPE_NOTE = (
    " A text a spreadsheet could take for a formula (one that begins with = + - @ or a "
    "form of one, a space, or a control or invisible character) is written with one more "
    "' in front, which is not part of it."
)


@dataclass(frozen=True)
class _Column:
    name: str
    kind: _Kind
    description: str
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None

    @property
    def type(self) -> str:
        return _TYPES[self.kind]


@dataclass(frozen=True)
class _ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class _Table:
    name: str
    title: str
    description: str
    columns: tuple[_Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[_ForeignKey, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _borough(description: str = "Borough id.") -> _Column:
    return _Column("borough", "kebab", description)


_REVIEW_KEY = (
    _borough(),
    _Column("team", "kebab", "Team id."),
    _Column("date", "date", "The review's date: the day it was presented."),
)
_TO_REVIEW = _ForeignKey(("borough", "team", "date"), "reviews", ("borough", "team", "date"))
_TO_STANDARD = _ForeignKey(("standard",), "standards", ("id",))

TABLES: tuple[_Table, ...] = (
    _Table(
        "boroughs",
        "Boroughs",
        "The councils whose results the package holds.",
        (
            _Column("id", "kebab", "Borough id: its folder name in the reviews repository."),
            _Column("name", "text", "The council's name."),
            _Column("short", "text", "Short name for tables and charts."),
        ),
        ("id",),
    ),
    _Table(
        "teams",
        "Teams",
        "Every team of those boroughs, reviewed or not, open or closed.",
        (
            _borough(),
            _Column("id", "kebab", "Team id: its folder name, unique within the borough."),
            _Column("name", "text", "The team's name."),
            _Column("service", "kebab", "Service type, for like-for-like comparison."),
            _Column("closed", "date", "When the team closed; empty if it has not.", False),
        ),
        ("borough", "id"),
        (_ForeignKey(("borough",), "boroughs", ("id",)),),
    ),
    _Table(
        "standards",
        "Standards",
        "Every standard of the framework, retired ones too.",
        (
            _Column("id", "standard", "Standard id, e.g. S07."),
            _Column("title", "text", "The standard as one statement of good practice."),
            _Column("domain", "kebab", "The id of the standard's domain."),
            _Column("critical", "boolean", "Whether the standard can limit the overall rating."),
            _Column("introduced", "integer", "First framework version with it.", minimum=1),
            _Column(
                "retired",
                "integer",
                "First framework version without it; empty if it is current.",
                False,
                minimum=2,
            ),
        ),
        ("id",),
    ),
    _Table(
        "reviews",
        "Reviews",
        "Presented reviews, one row each: the overall result.",
        (
            *_REVIEW_KEY,
            _Column("framework_version", "integer", "The framework version it rated.", minimum=1),
            _Column("rating", "label", "The overall rating, after the critical limiter."),
            _Column(
                "percent",
                "number",
                "Points as a percentage of the most possible, to one decimal place, rounded "
                "down (so it never shows a band it did not reach).",
                minimum=0,
                maximum=100,
            ),
            _Column("cases", "integer", "How many cases were audited in depth.", minimum=0),
        ),
        ("borough", "team", "date"),
        (_ForeignKey(("borough", "team"), "teams", ("borough", "id")),),
    ),
    _Table(
        "ratings",
        "Ratings",
        "The rating each review gave each standard of its framework version.",
        (
            *_REVIEW_KEY,
            _Column("standard", "standard", "Standard id."),
            _Column("rating", "label", "The rating, as the scale spells it."),
        ),
        ("borough", "team", "date", "standard"),
        (_TO_REVIEW, _TO_STANDARD),
    ),
    _Table(
        "grades",
        "Case-audit grades",
        "A review's case-audit grades, counted per standard and grade.",
        (
            *_REVIEW_KEY,
            _Column("standard", "standard", "Standard id."),
            _Column("grade", "label", "The grade, as the scale spells it."),
            _Column("count", "integer", "How many audited cases gave it.", minimum=1),
        ),
        ("borough", "team", "date", "standard", "grade"),
        (_TO_REVIEW, _TO_STANDARD),
    ),
)
_TABLES_BY_NAME = {t.name: t for t in TABLES}


def _descriptor_field(column: _Column, scale: Sequence[str]) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": column.required}
    if column.kind == "kebab":
        constraints["pattern"] = _KEBAB.pattern
    elif column.kind == "standard":
        constraints["pattern"] = _STANDARD_ID.pattern
    elif column.kind == "text":
        constraints["pattern"] = CSV_TEXT_PATTERN
    elif column.kind == "label":
        constraints["enum"] = [csv_text(label) for label in scale]
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    description = column.description
    if column.kind in _ESCAPED:
        description += _ESCAPE_NOTE
    field: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": description,
    }
    if column.kind == "boolean":
        field |= {"trueValues": ["true"], "falseValues": ["false"]}
    field["constraints"] = constraints
    return field


def _descriptor_resource(table: _Table, scale: Sequence[str]) -> dict[str, Any]:
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [_descriptor_field(c, scale) for c in table.columns],
            "missingValues": [""],
            "primaryKey": list(table.primary_key),
            "foreignKeys": [
                {
                    "fields": list(fk.fields),
                    "reference": {"resource": fk.resource, "fields": list(fk.reference)},
                }
                for fk in table.foreign_keys
            ],
        },
    }


# --------------------------------------------------------------------------
# Writing


def package_files(
    programme: Programme, results: Results, boroughs: Sequence[str] | None = None
) -> dict[str, str]:
    """The package's files by name, ``datapackage.json`` first, as text.

    ``boroughs`` chooses whose results go in (None: every borough); an id the
    programme does not have is a ValueError naming the ids it has. Only what
    the site publishes goes in: presented reviews, never drafts or completed
    ones. The same input gives the same text, whatever the day or machine.
    """
    shown, scored = published_programme(programme), published(results)
    chosen = _choose_boroughs(shown, boroughs)
    rules = scored.rules
    reviews = sorted(
        (
            r
            for r in scored.reviews
            if r.presented and r.record.borough_id in chosen
        ),
        key=lambda r: (r.record.borough_id, r.record.team_id, r.record.date),
    )
    rows: dict[str, list[list[str]]] = {
        "boroughs": [
            [b, shown.boroughs[b].borough.name, shown.boroughs[b].borough.short] for b in chosen
        ],
        "teams": [
            [b, t.id, t.team.name, t.team.service, _format_cell(t.team.closed)]
            for b in chosen
            for t in sorted(shown.boroughs[b].teams.values(), key=lambda t: t.id)
        ],
        "standards": [
            [
                s.id,
                s.title,
                s.domain,
                _format_cell(s.critical),
                str(s.introduced),
                _format_cell(s.retired),
            ]
            for s in sorted(shown.standards.values(), key=lambda s: s.id)
        ],
        "reviews": [_review_row(r) for r in reviews],
        "ratings": [row for r in reviews for row in _rating_rows(r)],
        "grades": [row for r in reviews for row in _grade_rows(r, rules)],
    }
    files = {DESCRIPTOR: _descriptor_text(shown, scored, chosen)}
    for table in TABLES:
        files[table.path] = _format_csv(table, rows[table.name])
    return files


def write_package(
    programme: Programme,
    results: Results,
    out: Path,
    boroughs: Sequence[str] | None = None,
) -> Package:
    """Write the package into the folder ``out`` and return it as read back.

    ``out`` is created if missing. A folder that holds a package already has its
    package files replaced (other files are left alone); a folder that holds
    other things but no ``datapackage.json`` is refused (PackageFolderInUse). Every
    file is first written into a folder beside ``out`` and checked with
    :func:`read_package`; the tables are then moved in, ``datapackage.json``
    last, so it never names a table that is not there.
    """
    files = package_files(programme, results, boroughs)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise PackageFolderInUse(f"{out} is a file, not a folder; not writing a data package there")
    if out.is_dir() and any(out.iterdir()) and not (out / DESCRIPTOR).is_file():
        raise PackageFolderInUse(
            f"{out} is not empty and holds no {DESCRIPTOR}; not writing a data package "
            "among someone's own files"
        )
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.package.", dir=out.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        package, problems = read_package(staging)
        if package is None:
            listed = "".join(f"\n  {p.format_text()}" for p in problems[:10])
            raise PackageError(f"the package written does not read back:{listed}")
        for name in [*(n for n in files if n != DESCRIPTOR), DESCRIPTOR]:
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dataclasses.replace(package, source=out)


def _choose_boroughs(programme: Programme, boroughs: Sequence[str] | None) -> list[str]:
    known = sorted(programme.boroughs)
    if boroughs is None:
        return known
    if isinstance(boroughs, str):  # one id, not a sequence of one-letter ids
        boroughs = [boroughs]
    chosen = sorted(set(boroughs))
    if not chosen:
        raise ValueError(f"no borough chosen; the boroughs are {', '.join(known)}")
    unknown = [b for b in chosen if b not in programme.boroughs]
    if unknown:
        raise ValueError(
            f"no borough {', '.join(repr(b) for b in unknown)} in this repository; the "
            f"boroughs are {', '.join(known)}" + did_you_mean(unknown[0], known)
        )
    return chosen


def _descriptor_text(programme: Programme, results: Results, chosen: Sequence[str]) -> str:
    framework, rules = results.framework, results.rules
    names = _joined([programme.boroughs[b].borough.name for b in chosen])
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"qa-site-{chosen[0]}" if len(chosen) == 1 else "qa-site-results",
        "title": f"{framework.name}: results of {names}",
        "description": (
            f"Presented quality review results of {names} as of "
            f"{results.as_of.isoformat()}: overall ratings and percentages, the rating of "
            "each standard, and case-audit grades counted per standard. Results only: no "
            "narrative, notes, actions, case or worker references, or names of people."
        ),
        # Midnight UTC of the as-of date, not the clock: the same input, the same bytes.
        "created": f"{results.as_of.isoformat()}T00:00:00Z",
        "qa_site": {
            "format": FORMAT,
            "as_of": results.as_of.isoformat(),
            "framework": {
                "name": framework.name,
                "version": framework.version,
                "scale": list(rules.labels),
                "adequate_or_above": rules.adequate_or_above,
            },
        },
        "resources": [_descriptor_resource(t, rules.labels) for t in TABLES],
    }
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def _review_row(review: ReviewResult) -> list[str]:
    record, overall = review.record, review.overall
    if overall.score is None or overall.rating is None:  # validation rates every standard
        raise PackageError(f"{record.source.path}: a presented review has no overall rating")
    return [
        record.borough_id,
        record.team_id,
        record.date.isoformat(),
        str(record.review.framework_version),
        overall.rating,
        f"{score_decimal(overall.score.percent):.1f}",
        str(len(record.review.cases)),
    ]


def _rating_rows(review: ReviewResult) -> list[list[str]]:
    key = _review_key(review)
    return [
        [*key, s.id, s.rating]
        for s in sorted(review.standards, key=lambda s: s.id)
        if s.rating is not None
    ]


def _grade_rows(review: ReviewResult, rules: Rules) -> list[list[str]]:
    counts: dict[tuple[str, str], int] = {}
    for case in review.record.review.cases:
        for standard_id, written in case.grades.items():
            key = (standard_id, rules.label(written))
            counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (item[0][0], rules.rank(item[0][1])))
    return [[*_review_key(review), s, label, str(n)] for (s, label), n in ordered]


def _review_key(review: ReviewResult) -> list[str]:
    record = review.record
    return [record.borough_id, record.team_id, record.date.isoformat()]


def _format_cell(value: bool | int | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _format_csv(table: _Table, rows: Sequence[Sequence[str]]) -> str:
    """The table as CSV; every text cell of a string column through ``csv_text``."""
    text = [c.type == "string" for c in table.columns]
    written = (
        [csv_text(cell) if is_text else cell for cell, is_text in zip(row, text, strict=True)]
        for row in rows
    )
    return csv_lines([table.header, *written])


def _joined(words: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# --------------------------------------------------------------------------
# Reading


def read_package(path: Path) -> tuple[Package | None, list[Problem]]:
    """Read and check the package in the folder ``path`` (or its ``datapackage.json``).

    Returns the package and no problems, or None and every problem found,
    sorted by file and line. Problems name files as ``path`` was given
    (relative stays relative), CSV lines counting the header as line 1.
    """
    path = Path(path)
    if path.is_dir():
        folder, descriptor = path, path / DESCRIPTOR
    elif path.is_file():
        folder, descriptor = path.parent, path
    else:
        return None, [Problem(str(path), 1, FILE, "no such folder or file")]
    if not descriptor.is_file():
        return None, [
            Problem(str(descriptor), 1, FILE, "not found: a data package folder holds one")
        ]
    return _PackageReader(folder, descriptor).read()


@dataclass(frozen=True)
class _Row:
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
class _Resource:
    table: _Table
    path: str  # as datapackage.json gives it
    rows: list[_Row] | None = None  # None: not read, for a problem already reported
    clean: bool = False  # read, and no row of it has a problem of its own


class _CellError(Exception):
    pass


class _Stop(Exception):
    """A problem after which nothing else in the package can be checked sensibly."""


class _PackageReader:
    def __init__(self, folder: Path, descriptor: Path) -> None:
        self.folder = folder
        self.descriptor = descriptor
        self.problems: list[Problem] = []
        self.lines: _JsonLines | None = None
        self.scale: tuple[str, ...] | None = None
        self.framework_version: int | None = None
        self.resources: dict[str, _Resource] = {}  # the tables that can be read, by name
        self.unreadable: set[str] = set()  # tables named, but not to be read

    def read(self) -> tuple[Package | None, list[Problem]]:
        try:
            document = self._read_descriptor()
        except _Stop:
            return None, sort_problems(self.problems)
        for resource in self.resources.values():
            self._read_table(resource)
        self._check_keys()
        self._check_reviews()
        if self.problems:
            return None, sort_problems(self.problems)
        return self._build(document), []

    # ------------------------------------------------------------ problems

    def _json_problem(self, where: str, message: str) -> None:
        line = self.lines.line(where) if self.lines else 1
        self.problems.append(Problem(str(self.descriptor), line, where or FILE, message))

    def _csv_problem(self, resource: _Resource, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self._display(resource), line, field, message))

    def _display(self, resource: _Resource) -> str:
        return str(self.folder / resource.path)

    # ------------------------------------------------------------ datapackage.json

    def _read_descriptor(self) -> dict[str, Any]:
        try:
            text = self.descriptor.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self._json_problem("", f"not UTF-8 text ({error.reason} at byte {error.start})")
            raise _Stop from None
        except OSError as error:
            self._json_problem("", f"cannot be read: {error.strerror}")
            raise _Stop from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            self.problems.append(
                Problem(
                    str(self.descriptor),
                    error.lineno,
                    JSON,
                    f"not valid JSON: {error.msg} (column {error.colno})",
                )
            )
            raise _Stop from None
        except RecursionError:
            self._json_problem("", "not valid JSON: nested too deeply")
            raise _Stop from None
        self.lines = _JsonLines(text)
        for where in self.lines.duplicates:
            self._json_problem(where, "duplicate key: a JSON object names each key once")
        if not isinstance(document, dict):
            self._json_problem("", f"expected a JSON object, got {_json_type(document)}")
            raise _Stop
        self._check_format(document)
        self._check_package(document)
        self._check_resources(document)
        return document

    def _check_format(self, document: Mapping[str, Any]) -> None:
        """The format id first: a package of another format or major version is
        not checked further, as its layout may differ in any way."""
        qa_site = document.get("qa_site")
        if not isinstance(qa_site, dict):
            self._json_problem(
                "qa_site",
                f"missing: not a {FORMAT_NAME} data package (expected a qa_site object "
                f"with format '{FORMAT}')"
                if qa_site is None
                else f"expected an object, got {_json_type(qa_site)}",
            )
            raise _Stop
        written = qa_site.get("format")
        if written == FORMAT:
            return
        match = re.fullmatch(rf"{re.escape(FORMAT_NAME)}/([0-9]+)(\.[0-9]+)*", str(written))
        if written is None:
            message = f"missing: expected '{FORMAT}'"
        elif isinstance(written, str) and match and match.group(1) != _FORMAT_MAJOR:
            message = (
                f"'{written}' is major version {match.group(1)} of the format; this reader "
                f"reads version {_FORMAT_MAJOR} only ('{FORMAT}'): use a qa-site that reads it"
            )
        else:
            message = f"expected '{FORMAT}', got {json.dumps(written, ensure_ascii=False)}"
        self._json_problem("qa_site.format", message)
        raise _Stop

    def _check_package(self, document: Mapping[str, Any]) -> None:
        self._expect_equal(document, "", "profile", "tabular-data-package")
        name = self._expect_text(document, "", "name")
        if name is not None and not _PACKAGE_NAME.fullmatch(name):
            self._json_problem(
                "name",
                "expected lower-case letters, digits, '.', '-' and '_' (like "
                f"'qa-site-hammersmith-fulham'), got '{name}'",
            )
        self._expect_text(document, "", "title")
        created = self._expect_text(document, "", "created")
        if created is not None and _parse_datetime(created) is None:
            self._json_problem(
                "created", f"expected a date and time like 2012-07-01T00:00:00Z, got '{created}'"
            )
        qa_site = document["qa_site"]
        as_of = self._expect_text(qa_site, "qa_site", "as_of")
        if as_of is not None:
            try:
                _parse_date(as_of)
            except _CellError as error:
                self._json_problem("qa_site.as_of", str(error))
        framework = qa_site.get("framework")
        if not isinstance(framework, dict):
            self._json_problem(
                "qa_site.framework",
                "missing: the framework's name, version, scale and adequate_or_above"
                if framework is None
                else f"expected an object, got {_json_type(framework)}",
            )
            return
        where = "qa_site.framework"
        self._expect_text(framework, where, "name")
        self.framework_version = self._expect_integer(framework, where, "version", 1)
        scale = framework.get("scale")
        if not isinstance(scale, list) or len(scale) < 2:
            self._json_problem(
                f"{where}.scale",
                "expected the rating labels, best first: a list of two or more",
            )
        else:
            labels = []
            for index, label in enumerate(scale):
                if not isinstance(label, str) or not label.strip():
                    self._json_problem(f"{where}.scale[{index}]", "expected a rating label")
                elif label in labels:
                    self._json_problem(f"{where}.scale[{index}]", f"'{label}' is listed twice")
                else:
                    labels.append(label)
            if len(labels) == len(scale):
                self.scale = tuple(labels)
        line = self._expect_text(framework, where, "adequate_or_above")
        if line is not None and self.scale is not None and line not in self.scale:
            self._json_problem(
                f"{where}.adequate_or_above",
                f"'{line}' is not on the scale ({', '.join(self.scale)})"
                + did_you_mean(line, self.scale),
            )

    def _check_resources(self, document: Mapping[str, Any]) -> None:
        resources = document.get("resources")
        if not isinstance(resources, list):
            self._json_problem(
                "resources",
                "missing: expected the list of the package's tables"
                if resources is None
                else f"expected a list, got {_json_type(resources)}",
            )
            return
        for index, resource in enumerate(resources):
            self._check_resource(f"resources[{index}]", resource)
        missing = [t.name for t in TABLES if t.name not in self._named]
        if missing:
            self._json_problem(
                "resources",
                f"no resource {_joined([repr(m) for m in missing])}: a {FORMAT} package has "
                f"{', '.join(t.name for t in TABLES)}",
            )

    @property
    def _named(self) -> set[str]:
        return set(self.resources) | self.unreadable

    def _check_resource(self, where: str, resource: Any) -> None:
        if not isinstance(resource, dict):
            self._json_problem(where, f"expected an object, got {_json_type(resource)}")
            return
        name = self._expect_text(resource, where, "name")
        if name is None:
            return
        if name in self._named:
            self._json_problem(f"{where}.name", f"a second resource named '{name}'")
            return
        table = _TABLES_BY_NAME.get(name)
        if table is None:
            self._json_problem(
                f"{where}.name",
                f"'{name}' is not a table of {FORMAT} (expected "
                f"{', '.join(t.name for t in TABLES)})" + did_you_mean(name, _TABLES_BY_NAME),
            )
            return
        self._expect_equal(resource, where, "profile", "tabular-data-resource")
        self._expect_equal(resource, where, "format", "csv")
        self._expect_equal(resource, where, "mediatype", "text/csv")
        encoding = self._expect_text(resource, where, "encoding")
        if encoding is not None and encoding.lower() not in ("utf-8", "utf8"):
            self._json_problem(f"{where}.encoding", f"expected 'utf-8', got '{encoding}'")
        if "dialect" in resource:
            self._json_problem(
                f"{where}.dialect",
                "not read: the tables are plain CSV (commas, double quotes), without a dialect",
            )
        if "data" in resource:
            self._json_problem(
                f"{where}.data", "not read: a table is a CSV file in the package, named by path"
            )
        self._check_schema(f"{where}.schema", resource.get("schema"), table)
        path = self._safe_path(f"{where}.path", resource.get("path"))
        if path is None:
            self.unreadable.add(name)
            return
        self.resources[name] = _Resource(table, path)

    def _check_schema(self, where: str, schema: Any, table: _Table) -> None:
        if not isinstance(schema, dict):
            self._json_problem(
                where,
                "missing: expected the table's schema"
                if schema is None
                else f"expected an object, got {_json_type(schema)}",
            )
            return
        fields = schema.get("fields")
        declared = []
        if isinstance(fields, list):
            declared = [
                (f.get("name"), f.get("type", "string")) if isinstance(f, dict) else (None, None)
                for f in fields
            ]
        expected = [(c.name, c.type) for c in table.columns]
        if declared != expected:
            self._json_problem(
                f"{where}.fields",
                f"expected the fields of {table.path} in {FORMAT}: "
                + ", ".join(f"{name} ({kind})" for name, kind in expected),
            )

    def _safe_path(self, where: str, path: Any) -> str | None:
        """``path`` when it names a file inside the package's folder, else None."""
        if not isinstance(path, str) or not path.strip():
            self._json_problem(
                where,
                "missing: expected the CSV file's path in the package folder"
                if path is None
                else "expected one relative path, as text",
            )
            return None
        quoted = json.dumps(path, ensure_ascii=False)
        if "://" in path or _URL.match(path):
            self._json_problem(
                where, f"{quoted} is a URL: a package is read from its folder, never fetched"
            )
            return None
        posix, windows = PurePosixPath(path), PureWindowsPath(path)
        if posix.is_absolute() or windows.is_absolute() or windows.drive or "\\" in path:
            self._json_problem(
                where,
                f"{quoted} is not a relative path with forward slashes: a table's path is "
                "relative to the package folder",
            )
            return None
        if ".." in posix.parts:
            self._json_problem(
                where,
                f"{quoted} is outside the package folder: a table's path stays inside it",
            )
            return None
        target = (self.folder / path).resolve()
        if not target.is_relative_to(self.folder.resolve()):  # a link out of the folder
            self._json_problem(
                where, f"{quoted} leads outside the package folder (through a link); not read"
            )
            return None
        if not target.is_file():
            self._json_problem(where, f"{quoted} is not a file in the package folder")
            return None
        return path

    def _expect_text(self, container: Mapping[str, Any], where: str, key: str) -> str | None:
        at = f"{where}.{key}" if where else key
        value = container.get(key)
        if value is None:
            self._json_problem(at, "missing: this key is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self._json_problem(at, f"expected text, got {_json_type(value)}")
            return None
        return value

    def _expect_integer(
        self, container: Mapping[str, Any], where: str, key: str, minimum: int
    ) -> int | None:
        at = f"{where}.{key}" if where else key
        value = container.get(key)
        if value is None:
            self._json_problem(at, "missing: this key is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self._json_problem(at, f"expected a whole number of at least {minimum}, got {value}")
            return None
        return value

    def _expect_equal(
        self, container: Mapping[str, Any], where: str, key: str, expected: str
    ) -> None:
        at = f"{where}.{key}" if where else key
        value = container.get(key)
        if value is None:
            self._json_problem(at, f"missing: expected '{expected}'")
        elif value != expected:
            got = json.dumps(value, ensure_ascii=False)
            self._json_problem(at, f"expected '{expected}', got {got}")

    # ------------------------------------------------------------ the tables

    def _read_table(self, resource: _Resource) -> None:
        header = resource.table.header
        try:
            text = (self.folder / resource.path).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            data = (self.folder / resource.path).read_bytes()
            line = data.count(b"\n", 0, error.start) + 1
            self._csv_problem(resource, line, FILE, f"not UTF-8 text ({error.reason})")
            return
        except OSError as error:
            self._csv_problem(resource, 1, FILE, f"cannot be read: {error.strerror}")
            return
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows: list[_Row] = []
        clean = True
        try:
            first = next(reader, None)
            if first is None:
                self._csv_problem(
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
            self._csv_problem(resource, reader.line_num, FILE, f"not valid CSV: {error}")
            return
        resource.rows, resource.clean = rows, clean

    def _check_header(self, resource: _Resource, cells: Sequence[str]) -> bool:
        header = resource.table.header
        if tuple(cells) == header:
            return True
        for index, expected in enumerate(header):
            got = cells[index] if index < len(cells) else None
            if got != expected:
                self._csv_problem(
                    resource,
                    1,
                    expected,
                    f"expected the header {','.join(header)}; column {index + 1} is "
                    + (f"'{got}'" if got is not None else "missing"),
                )
                return False
        extra = cells[len(header)]
        self._csv_problem(
            resource,
            1,
            extra or FILE,
            f"expected the header {','.join(header)}; column {len(header) + 1} "
            f"('{extra}') is not one of {resource.table.path}'s",
        )
        return False

    def _read_row(self, resource: _Resource, line: int, cells: Sequence[str]) -> _Row | None:
        columns = resource.table.columns
        if not cells:
            self._csv_problem(resource, line, FILE, "a blank line: every line is a row")
            return None
        if len(cells) != len(columns):
            self._csv_problem(
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
                values[column.name] = _parse_cell(column, cell, self.scale)
            except _CellError as error:
                self._csv_problem(resource, line, column.name, str(error))
                bad.add(column.name)
        return _Row(
            line, dict(zip(resource.table.header, cells, strict=True)), values, frozenset(bad)
        )

    # ------------------------------------------------------------ across rows and tables

    def _check_keys(self) -> None:
        for resource in self.resources.values():
            if resource.rows is None:
                continue
            table = resource.table
            first: dict[tuple[str, ...], int] = {}
            for row in resource.rows:
                key = row.key(table.primary_key)
                if key is None:
                    continue
                if key in first:
                    self._csv_problem(
                        resource,
                        row.line,
                        table.primary_key[-1],
                        f"duplicate key ({', '.join(key)}): line {first[key]} has the same "
                        + _joined(table.primary_key),
                    )
                    resource.clean = False
                else:
                    first[key] = row.line
            for foreign_key in table.foreign_keys:
                self._check_foreign_key(resource, foreign_key)

    def _check_foreign_key(self, resource: _Resource, foreign_key: _ForeignKey) -> None:
        referenced = self.resources.get(foreign_key.resource)
        if resource.rows is None or referenced is None or referenced.rows is None:
            return  # what stops the check is reported already
        known = {tuple(r.cells[c] for c in foreign_key.reference) for r in referenced.rows}
        missing: dict[tuple[str, ...], list[int]] = {}
        for row in resource.rows:
            key = row.key(foreign_key.fields)
            if key is not None and key not in known:
                missing.setdefault(key, []).append(row.line)
        for key, lines in missing.items():
            message = f"no {_describe_key(foreign_key.resource, key)} in {referenced.path}"
            if len(lines) > 1:
                more = counted(len(lines) - 1, "more row")
                message += f" (the same on {more}, up to line {lines[-1]})"
            self._csv_problem(resource, lines[0], foreign_key.fields[-1], message)

    def _check_standards(self) -> dict[str, PackageStandard] | None:
        """The standards whose rows are right, by id; None when the table was not read."""
        standards = self.resources.get("standards")
        if standards is None or standards.rows is None:
            return None
        by_id: dict[str, PackageStandard] = {}
        for row in standards.rows:
            if row.bad:
                continue
            standard = _standard(row)
            if standard.retired is not None and standard.retired <= standard.introduced:
                self._csv_problem(
                    standards,
                    row.line,
                    "retired",
                    f"version {standard.retired} is not after the version it was introduced "
                    f"in ({standard.introduced})",
                )
            by_id[standard.id] = standard
        return by_id

    def _check_reviews(self) -> None:
        """A review's ratings and grades against its framework version and its cases."""
        by_id = self._check_standards()
        reviews = self.resources.get("reviews")
        if by_id is None or reviews is None or reviews.rows is None:
            return
        latest = self.framework_version
        versions: dict[tuple[str, ...], int] = {}
        for row in reviews.rows:
            key = row.key(_TO_REVIEW.reference)
            if key is None or "framework_version" in row.bad:
                continue
            version: int = row.values["framework_version"]
            if latest is not None and version > latest:
                self._csv_problem(
                    reviews,
                    row.line,
                    "framework_version",
                    f"there is no framework version {version} (the package's framework is at "
                    f"version {latest})",
                )
                continue
            versions[key] = version
        for name in ("ratings", "grades"):
            self._check_versions(name, by_id, versions)
        self._check_every_standard_rated(reviews, by_id, versions)
        self._check_grades_within_cases(reviews)

    def _check_versions(
        self,
        name: str,
        standards: Mapping[str, PackageStandard],
        versions: Mapping[tuple[str, ...], int],
    ) -> None:
        resource = self.resources.get(name)
        if resource is None or resource.rows is None:
            return
        for row in resource.rows:
            key = row.key(_TO_REVIEW.fields)
            standard = standards.get(row.cells["standard"])
            if key is None or key not in versions or standard is None or "standard" in row.bad:
                continue
            version = versions[key]
            if not standard.in_version(version):
                since = (
                    f"introduced in version {standard.introduced}"
                    if version < standard.introduced
                    else f"retired in version {standard.retired}"
                )
                self._csv_problem(
                    resource,
                    row.line,
                    "standard",
                    f"{standard.id} is not part of framework version {version} ({since})",
                )
                resource.clean = False

    def _check_every_standard_rated(
        self,
        reviews: _Resource,
        standards: Mapping[str, PackageStandard],
        versions: Mapping[tuple[str, ...], int],
    ) -> None:
        ratings = self.resources.get("ratings")
        if ratings is None or ratings.rows is None or not ratings.clean:
            return  # a row with a problem of its own would be counted missing
        rated: dict[tuple[str, ...], set[str]] = {}
        for row in ratings.rows:
            rated.setdefault(tuple(row.cells[c] for c in _TO_REVIEW.fields), set()).add(
                row.cells["standard"]
            )
        for row in reviews.rows or []:
            key = row.key(_TO_REVIEW.reference)
            if key is None or key not in versions:
                continue
            version = versions[key]
            missing = sorted(
                s.id
                for s in standards.values()
                if s.in_version(version) and s.id not in rated.get(key, set())
            )
            if missing:
                shown = ", ".join(missing[:5]) + (
                    f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                )
                self._csv_problem(
                    reviews,
                    row.line,
                    "framework_version",
                    f"{ratings.path} has no rating of {shown} for this review: a presented "
                    f"review rates every standard of its framework version ({version})",
                )

    def _check_grades_within_cases(self, reviews: _Resource) -> None:
        grades = self.resources.get("grades")
        if grades is None or grades.rows is None or not grades.clean:
            return
        totals: dict[tuple[str, ...], dict[str, int]] = {}
        for row in grades.rows:
            key = tuple(row.cells[c] for c in _TO_REVIEW.fields)
            per_standard = totals.setdefault(key, {})
            standard = row.cells["standard"]
            per_standard[standard] = per_standard.get(standard, 0) + row.values["count"]
        for row in reviews.rows or []:
            review = row.key(_TO_REVIEW.reference)
            if review is None or "cases" in row.bad or review not in totals:
                continue
            cases = row.values["cases"]
            standard, most = max(sorted(totals[review].items()), key=lambda item: item[1])
            if most > cases:
                self._csv_problem(
                    reviews,
                    row.line,
                    "cases",
                    f"{grades.path} counts {most} grades of {standard} for this review, more "
                    f"than its {counted(cases, 'case')}: each case grades a standard once at most",
                )

    # ------------------------------------------------------------ the package

    def _build(self, document: Mapping[str, Any]) -> Package:
        def rows(name: str) -> list[_Row]:
            return self.resources[name].rows or []

        scale: tuple[str, ...] = self.scale or ()
        ratings: dict[tuple[str, ...], dict[str, str]] = {}
        for row in rows("ratings"):
            ratings.setdefault(_key_of(row), {})[row.values["standard"]] = row.values["rating"]
        grades: dict[tuple[str, ...], dict[str, dict[str, int]]] = {}
        for row in rows("grades"):
            per_standard = grades.setdefault(_key_of(row), {}).setdefault(
                row.values["standard"], {}
            )
            per_standard[row.values["grade"]] = row.values["count"]
        reviews: dict[tuple[str, str], list[PackageReview]] = {}
        for row in rows("reviews"):
            key = _key_of(row)
            its_grades = grades.get(key, {})
            review = PackageReview(
                borough=row.values["borough"],
                team=row.values["team"],
                date=row.values["date"],
                framework_version=row.values["framework_version"],
                rating=row.values["rating"],
                percent=row.values["percent"],
                cases=row.values["cases"],
                ratings=_frozen(dict(sorted(ratings.get(key, {}).items()))),
                grades=_frozen(
                    {
                        standard: _frozen(
                            dict(sorted(counts.items(), key=lambda i: scale.index(i[0])))
                        )
                        for standard, counts in sorted(its_grades.items())
                    }
                ),
            )
            reviews.setdefault((review.borough, review.team), []).append(review)
        teams: dict[str, list[PackageTeam]] = {}
        for row in sorted(rows("teams"), key=lambda r: (r.values["borough"], r.values["id"])):
            borough, team_id = row.values["borough"], row.values["id"]
            teams.setdefault(borough, []).append(
                PackageTeam(
                    borough=borough,
                    id=team_id,
                    name=row.values["name"],
                    service=row.values["service"],
                    closed=row.values["closed"],
                    reviews=tuple(
                        sorted(reviews.get((borough, team_id), []), key=lambda r: r.date)
                    ),
                )
            )
        boroughs = tuple(
            PackageBorough(
                id=row.values["id"],
                name=row.values["name"],
                short=row.values["short"],
                teams=tuple(teams.get(row.values["id"], [])),
            )
            for row in sorted(rows("boroughs"), key=lambda r: r.values["id"])
        )
        standards = sorted((_standard(row) for row in rows("standards")), key=lambda s: s.id)
        qa_site = document["qa_site"]
        framework = qa_site["framework"]
        return Package(
            source=self.folder,
            name=document["name"],
            title=document["title"],
            as_of=_parse_date(qa_site["as_of"]),
            framework_name=framework["name"],
            framework_version=framework["version"],
            scale=scale,
            adequate_or_above=framework["adequate_or_above"],
            standards=_frozen({s.id: s for s in standards}),
            boroughs=boroughs,
        )


def _key_of(row: _Row) -> tuple[str, ...]:
    return tuple(row.cells[c] for c in _TO_REVIEW.fields)


def _standard(row: _Row) -> PackageStandard:
    values = row.values
    return PackageStandard(
        id=values["id"],
        title=values["title"],
        domain=values["domain"],
        critical=values["critical"],
        introduced=values["introduced"],
        retired=values["retired"],
    )


def _frozen(mapping: dict[_K, _V]) -> Mapping[_K, _V]:
    return types.MappingProxyType(mapping)


def _describe_key(resource: str, key: Sequence[str]) -> str:
    if resource == "boroughs":
        return f"borough '{key[0]}'"
    if resource == "teams":
        return f"team '{key[1]}' of borough '{key[0]}'"
    if resource == "reviews":
        return f"review of {key[0]}/{key[1]} on {key[2]}"
    if resource == "standards":
        return f"standard '{key[0]}'"
    return f"row ({', '.join(key)})"


# --------------------------------------------------------------------------
# Cells


def _parse_cell(column: _Column, text: str, scale: Sequence[str] | None) -> Any:
    """The value of one CSV cell, or _CellError saying what is wrong with it."""
    if text == "":
        if column.required:
            raise _CellError("missing: this column needs a value")
        return None
    kind = column.kind
    if column.type == "string":
        if kind in _ESCAPED and csv_unsafe(text):
            raise _CellError(
                "could be taken for a spreadsheet formula: a package writes a text that begins "
                "with = + - @ (or a form of one), a space, or a control or invisible character "
                f"with one more ' in front, got '{_shown(text)}'"
            )
        text = csv_text_value(text)
    if kind == "kebab":
        if not _KEBAB.fullmatch(text):
            raise _CellError(
                "expected a lower-case id of letters, digits and hyphens (like 'older-people'), "
                f"got '{text}'"
            )
        return text
    if kind == "standard":
        if not _STANDARD_ID.fullmatch(text):
            raise _CellError(
                f"expected a standard id of capital letters then digits (like 'S07'), got '{text}'"
            )
        return text
    if kind == "text":
        if not text.strip():
            raise _CellError("must not be blank")
        start = formula_start(text)
        if start is not None:  # every text column is a name, title or label of the content
            raise _CellError(
                f"must not begin with {start}: a name that a spreadsheet could take for a "
                f"formula is refused, as in the content it comes from, got '{_shown(text)}'"
            )
        return text
    if kind == "label":
        if scale is not None and text not in scale:
            raise _CellError(
                f"'{text}' is not on the package's scale ({', '.join(scale)})"
                + did_you_mean(text, scale)
            )
        return text
    if kind == "date":
        return _parse_date(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise _CellError(f"expected true or false, got '{text}'")
        return text == "true"
    if kind == "integer":
        if not _INTEGER.fullmatch(text) or (
            column.minimum is not None and int(text) < column.minimum
        ):
            least = "" if column.minimum is None else f" of at least {column.minimum}"
            raise _CellError(f"expected a whole number{least}, got '{text}'")
        return int(text)
    if not _NUMBER.fullmatch(text) or not _within(Decimal(text), column):
        raise _CellError(
            f"expected a number from {column.minimum} to {column.maximum}, got '{text}'"
        )
    return Decimal(text)


def _within(number: Decimal, column: _Column) -> bool:
    return (column.minimum is None or number >= column.minimum) and (
        column.maximum is None or number <= column.maximum
    )


def _parse_date(text: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise _CellError(f"expected a date as YYYY-MM-DD, got '{text}'")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _CellError(f"'{text}' is not a real calendar date") from None


def _parse_datetime(text: str) -> dt.datetime | None:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T.+", text):
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------
# Lines of datapackage.json


class _JsonLines:
    """The line each key path of a JSON text starts on (``resources[2].path``).

    ``json`` keeps no positions, so this walks the text again once it has parsed.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._decoder = json.JSONDecoder()
        self._lines: dict[str, int] = {}
        self.duplicates: list[str] = []
        self._walk(self._skip(0), "")

    def line(self, path: str) -> int:
        """The line of ``path``, or of the nearest key above it that is there."""
        while path not in self._lines:
            if not path:
                return 1
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self._lines[path]

    def _line_at(self, position: int) -> int:
        return bisect.bisect_right(self._starts, position)

    def _skip(self, position: int) -> int:
        while position < len(self.text) and self.text[position] in " \t\r\n":
            position += 1
        return position

    def _walk(self, position: int, path: str) -> int:
        """Record the lines under ``path``, whose value starts at ``position``;
        return where the value ends."""
        opening = self.text[position]
        if opening not in "{[":
            _, end = self._decoder.raw_decode(self.text, position)
            return end
        closing = "}" if opening == "{" else "]"
        position = self._skip(position + 1)
        seen: set[str] = set()
        for index in itertools.count():
            if self.text[position] == closing:
                return position + 1
            if opening == "{":
                key, after = self._decoder.raw_decode(self.text, position)
                child = f"{path}.{key}" if path else key
                if key in seen:
                    self.duplicates.append(child)
                seen.add(key)
                self._lines[child] = self._line_at(position)
                position = self._skip(self._skip(after) + 1)  # past the colon
            else:
                child = f"{path}[{index}]"
                self._lines[child] = self._line_at(position)
            position = self._skip(self._walk(position, child))
            if self.text[position] == ",":
                position = self._skip(position + 1)
        raise AssertionError("unreachable")  # pragma: no cover
