"""Writing a package: its files from the scored programme, and the folder they go in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from generator.core.files import replace_files
from generator.core.matching import did_you_mean
from generator.core.numbers import score_decimal
from generator.export.cells import csv_lines, csv_text
from generator.model.programme import Programme
from generator.score.published import published, published_programme
from generator.score.results import Results
from generator.score.review import ReviewResult
from generator.score.rules import Rules
from generator.share.datapackage.descriptor import descriptor_text
from generator.share.datapackage.model import Package, PackageError, PackageFolderInUse
from generator.share.datapackage.read import read_package
from generator.share.datapackage.tables import DESCRIPTOR, TABLES, Table


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
        (r for r in scored.reviews if r.record.borough_id in chosen),
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
                s.nearest_wording(shown.framework.version).title,
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
    files = {DESCRIPTOR: descriptor_text(shown, scored, chosen)}
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
    _refuse_other_folders(out)
    out.mkdir(parents=True, exist_ok=True)
    read: list[Package] = []

    def reads_back(staging: Path) -> None:
        package, problems = read_package(staging)
        if package is None:
            listed = "".join(f"\n  {p.format_text()}" for p in problems[:10])
            raise PackageError(f"the package written does not read back:{listed}")
        read.append(package)

    # Each file replaces the entry of its name, datapackage.json last; the user's
    # own files beside the package stay. Staged beside the folder, not in it.
    order = [*(n for n in files if n != DESCRIPTOR), DESCRIPTOR]
    replace_files(out, {n: files[n] for n in order}, check=reads_back, stage_in=out.parent)
    package = read[0]
    return dataclasses.replace(package, source=out)


def _refuse_other_folders(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PackageFolderInUse(f"{out} is a file, not a folder; not writing a data package there")
    if out.is_dir() and any(out.iterdir()) and not (out / DESCRIPTOR).is_file():
        raise PackageFolderInUse(
            f"{out} is not empty and holds no {DESCRIPTOR}; not writing a data package "
            "among someone's own files"
        )


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


def _format_csv(table: Table, rows: Sequence[Sequence[str]]) -> str:
    """The table as CSV; every text cell of a string column through ``csv_text``."""
    text = [c.type == "string" for c in table.columns]
    written = (
        [csv_text(cell) if is_text else cell for cell, is_text in zip(row, text, strict=True)]
        for row in rows
    )
    return csv_lines([table.header, *written])

