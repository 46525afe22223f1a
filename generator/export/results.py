"""Exports of the scored programme: versioned JSON and tidy CSV.

The JSON document is declared here once, as pydantic models: the shipped JSON
Schema (``generator/schemas/export.schema.json``) and the field reference in
``docs/export.md`` are generated from these classes. Regenerate the schema with::

    python -m generator.export.results --schema generator/schemas/export.schema.json

Exports hold results, never narrative: no findings, notes, case references or
reviewer names. Drafts are never exported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.core.numbers import score_decimal, share_decimal
from generator.model.content import BLANK_START, FORMULA_SIGNS
from generator.model.programme import Programme
from generator.score.scoring import (
    ActionCounts,
    AuditSeries,
    AuditTally,
    Results,
    ReviewResult,
    Score,
    TeamResult,
)

SCHEMA_ID = "qa-site/1"
SCHEMA_PATH = Path(__file__).parent.parent / "schemas" / "export.schema.json"


class ExportModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A percentage to one decimal place: see generator/numbers.py for the rounding.
Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0)]


class FrameworkExport(ExportModel):
    name: str = Field(description="The framework's name.")
    version: int = Field(description="Its current version.")
    scale: list[str] = Field(description="The rating labels, best first.")
    adequate_or_above: str = Field(description="The line that audit shares count up to.")


class ScoreExport(ExportModel):
    percent: Percent = Field(
        description="Points as a percentage of the most possible, to one decimal place "
        "(rounded down, so it never shows a higher band than it earned)."
    )
    points: Count = Field(description="Sum of the ratings' values.")
    max_points: Count = Field(description="Top value times the number of standards rated.")
    rating: str = Field(description="The rating the percentage earns through the bands.")
    band_position: Literal["upper", "lower"] = Field(
        description="Whether the percentage is in the upper or lower half of its band."
    )


class OverallExport(ExportModel):
    percent: Percent = Field(description="As for a domain: one decimal place, rounded down.")
    points: Count = Field(description="Sum of the ratings' values.")
    max_points: Count = Field(description="Top value times the number of standards rated.")
    band: str = Field(description="The rating the percentage earns, before the limiter.")
    band_position: Literal["upper", "lower"] = Field(
        description="Upper or lower half of the band the percentage is in."
    )
    rating: str = Field(description="The overall rating, after the critical limiter.")
    limited_by: list[str] = Field(
        description="Critical standards rated at the bottom of the scale that lowered the "
        "rating; empty when the limiter did not change it."
    )
    change: Literal["improved", "declined", "unchanged", "new"] = Field(
        description="The overall rating (after the limiter) against the team's previous "
        "presented review, both taken over the standards both reviews rated; `new` for a "
        "team's first review."
    )
    percent_change: Literal["improved", "declined", "unchanged", "new"] = Field(
        description="The overall percentage against the previous presented review's, over "
        "the same standards. It can rise while the rating falls, when a critical standard "
        "limits the rating."
    )
    previous_review: dt.date | None = Field(description="The date of that previous review.")
    previous_rating: str | None = Field(description="Its overall rating.")
    compared_standards: Count = Field(description="How many standards the change compares.")


class AuditsExport(ExportModel):
    graded: Count = Field(description="Case-audit grades given.")
    adequate_or_above: Count = Field(description="Of those, how many are adequate or above.")
    percent: Percent | None = Field(
        description="The share adequate or above, to the nearest tenth of a percent; "
        "null when nothing was graded."
    )


class StandardExport(ExportModel):
    rating: str = Field(description="The rating label.")
    value: int = Field(description="Its value on the scale.")
    change: Literal["improved", "declined", "unchanged", "new"] = Field(
        description="Against the previous presented review; `new` when it did not rate it."
    )
    previous: str | None = Field(description="The rating in the previous presented review.")
    critical: bool = Field(description="Whether the standard is critical.")
    domain: str = Field(description="The standard's domain id.")
    audits: AuditsExport = Field(description="Case-audit grades for this standard.")
    disagree: bool = Field(
        description="The rating and the case audits point different ways: rated above the "
        "adequate line with under half the grades adequate or above, or rated at the bottom "
        "with every grade above the line."
    )


class ReviewAuditsExport(AuditsExport):
    cases: Count = Field(description="Cases audited.")


class ActionsExport(ExportModel):
    open: Count = Field(description="Actions not done.")
    done: Count = Field(description="Actions done.")
    overdue: Count = Field(description="Open actions due before the as-of date.")


class ReviewExport(ExportModel):
    borough: str = Field(description="Borough id (the folder name).")
    team: str = Field(description="Team id (the folder name).")
    date: dt.date = Field(description="The review's date.")
    status: Literal["completed", "presented"] = Field(
        description="`presented` reviews are the record; `completed` ones are not yet presented."
    )
    framework_version: int = Field(description="The framework version it was scored by.")
    overall: OverallExport = Field(description="The overall result.")
    domains: dict[str, ScoreExport] = Field(description="Domain id to its result.")
    standards: dict[str, StandardExport] = Field(description="Standard id to its result.")
    audits: ReviewAuditsExport = Field(description="All case-audit grades of the review.")
    actions: ActionsExport = Field(description="The review's action plan, counted.")
    next_review_due: dt.date | None = Field(
        description="Review date plus the interval for the overall rating; null only when "
        "that would be after the year 9999."
    )


class BoroughExport(ExportModel):
    id: str = Field(description="Borough id (the folder name).")
    name: str = Field(description="The council's name.")
    short: str = Field(description="Short name for tables and charts.")


class TeamExport(ExportModel):
    borough: str = Field(description="Borough id.")
    id: str = Field(description="Team id.")
    name: str = Field(description="The team's name.")
    service: str = Field(description="Service type, for like-for-like comparison.")
    closed: dt.date | None = Field(description="When the team closed, if it has.")
    replaced_by: list[str] = Field(description="Ids of the teams that took over.")
    reviews: list[dt.date] = Field(description="Dates of its presented reviews, oldest first.")
    pending: list[dt.date] = Field(
        description="Dates of completed reviews after the latest presented one."
    )
    latest_review: dt.date | None = Field(description="Its latest presented review.")
    rating: str | None = Field(description="That review's overall rating.")
    percent: Percent | None = Field(description="That review's overall percentage.")
    next_review_due: dt.date | None = Field(
        description="When the next review is due; null for a closed or never-reviewed team."
    )
    overdue: bool = Field(description="The as-of date is past the next review's due date.")
    actions: ActionsExport = Field(description="Actions of all its presented reviews.")


class SeriesPointExport(ExportModel):
    period: str = Field(description="The half-year, e.g. `2009-H2` (July to December).")
    start: dt.date = Field(description="First day of the half-year.")
    end: dt.date = Field(description="Last day of the half-year.")
    reviews: Count = Field(description="Presented reviews in it with grades counted.")
    graded: Count = Field(description="Case-audit grades.")
    adequate_or_above: Count = Field(description="Of those, adequate or above.")
    percent: Percent | None = Field(
        description="The share, to the nearest tenth of a percent; null when nothing was graded."
    )


class SeriesExport(ExportModel):
    borough: str | None = Field(description="Borough id; null for all boroughs together.")
    standard: str | None = Field(description="Standard id; null for all standards together.")
    points: list[SeriesPointExport] = Field(
        description="Every half-year from the first with grades to the last, gaps included."
    )


class ExportDocument(ExportModel):
    """The JSON export: every completed or presented review, scored."""

    model_config = ConfigDict(
        title="qa-site export",
        json_schema_extra={"$id": "urn:qa-site:export:1"},
        populate_by_name=True,
    )

    schema_: Literal["qa-site/1"] = Field(
        alias="schema", description="The format's version: `qa-site/1`."
    )
    as_of: dt.date = Field(description="The date everything time-dependent was computed for.")
    framework: FrameworkExport = Field(description="The framework the results use.")
    boroughs: list[BoroughExport] = Field(description="Every borough, by id.")
    reviews: list[ReviewExport] = Field(
        description="Completed and presented reviews (never drafts), by borough, team and date."
    )
    teams: list[TeamExport] = Field(description="Every team, by borough and id.")
    series: list[SeriesExport] = Field(
        description="The share of case-audit grades adequate or above per half-year, per "
        "borough and for all, for each critical standard and for all standards."
    )


# --------------------------------------------------------------------------
# Building the document


def build_export(programme: Programme, results: Results) -> ExportDocument:
    framework = results.framework
    return ExportDocument(
        schema_=SCHEMA_ID,
        as_of=results.as_of,
        framework=FrameworkExport(
            name=framework.name,
            version=framework.version,
            scale=list(results.rules.labels),
            adequate_or_above=results.rules.adequate_or_above,
        ),
        boroughs=[
            BoroughExport(id=b.id, name=b.borough.name, short=b.borough.short)
            for b in programme.boroughs.values()
        ],
        reviews=[_export_review(r) for r in results.reviews],
        teams=[_export_team(t) for t in results.teams],
        series=[_export_series(s) for s in results.series],
    )


def _percent(value: Fraction) -> Percent:
    return float(score_decimal(value))


def _share(value: Fraction | None) -> Percent | None:
    return None if value is None else float(share_decimal(value))


def _export_score(score: Score | None) -> ScoreExport:
    if score is None:  # validation guarantees every standard of a final review is rated
        raise ValueError("a completed or presented review has an unrated domain")
    return ScoreExport(
        percent=_percent(score.percent),
        points=score.points,
        max_points=score.max_points,
        rating=score.band,
        band_position=score.band_position.value,
    )


def _export_tally(tally: AuditTally) -> AuditsExport:
    return AuditsExport(
        graded=tally.graded,
        adequate_or_above=tally.adequate_or_above,
        percent=_share(tally.share),
    )


def _export_actions(counts: ActionCounts) -> ActionsExport:
    return ActionsExport(open=counts.open, done=counts.done, overdue=counts.overdue)


def _export_review(result: ReviewResult) -> ReviewExport:
    record, overall, change = result.record, result.overall, result.change
    score = _export_score(overall.score)
    status = record.status
    if overall.rating is None or status == "draft":
        raise ValueError(f"{record.source.path}: a draft or unrated review cannot be exported")
    standards = {}
    for standard in result.standards:
        if standard.rating is None or standard.value is None or standard.change is None:
            raise ValueError(f"{record.source.path}: {standard.id} is not rated")
        standards[standard.id] = StandardExport(
            rating=standard.rating,
            value=standard.value,
            change=standard.change.value,
            previous=standard.previous,
            critical=standard.standard.critical,
            domain=standard.standard.domain,
            audits=_export_tally(standard.audit),
            disagree=standard.disagrees,
        )
    return ReviewExport(
        borough=record.borough_id,
        team=record.team_id,
        date=record.date,
        status=status,
        framework_version=record.review.framework_version,
        overall=OverallExport(
            percent=score.percent,
            points=score.points,
            max_points=score.max_points,
            band=score.rating,
            band_position=score.band_position,
            rating=overall.rating,
            limited_by=list(overall.limited_by),
            change=change.rating.value,
            percent_change=change.percent.value,
            previous_review=change.since,
            previous_rating=change.previous_rating,
            compared_standards=change.compared,
        ),
        domains={d.id: _export_score(d.score) for d in result.domains},
        standards=standards,
        audits=ReviewAuditsExport(
            cases=len(record.review.cases), **_export_tally(result.audits).model_dump()
        ),
        actions=_export_actions(result.actions),
        next_review_due=result.next_review_due,
    )


def _export_team(result: TeamResult) -> TeamExport:
    team, latest = result.record.team, result.latest
    return TeamExport(
        borough=result.record.borough_id,
        id=result.record.id,
        name=team.name,
        service=team.service,
        closed=team.closed,
        replaced_by=list(team.replaced_by),
        reviews=[r.record.date for r in result.history],
        pending=[r.record.date for r in result.pending],
        latest_review=latest.record.date if latest else None,
        rating=latest.overall.rating if latest else None,
        percent=_percent(latest.overall.score.percent) if latest and latest.overall.score else None,
        next_review_due=result.next_review_due,
        overdue=result.overdue,
        actions=_export_actions(result.actions),
    )


def _export_series(series: AuditSeries) -> SeriesExport:
    return SeriesExport(
        borough=series.borough,
        standard=series.standard,
        points=[
            SeriesPointExport(
                period=p.period.label,
                start=p.period.start,
                end=p.period.end,
                reviews=p.reviews,
                graded=p.audits.graded,
                adequate_or_above=p.audits.adequate_or_above,
                percent=_share(p.audits.share),
            )
            for p in series.points
        ],
    )


# --------------------------------------------------------------------------
# Writing


def to_json(document: ExportDocument) -> str:
    return document.model_dump_json(indent=2, by_alias=True) + "\n"


# Each column of the CSV export, with its meaning (for the docs).
CSV_COLUMNS: dict[str, str] = {
    "as_of": "The as-of date of the export.",
    "borough": "Borough id.",
    "team": "Team id.",
    "date": "The review's date.",
    "status": "`completed` or `presented`.",
    "framework_version": "The framework version the review used.",
    "standard": "Standard id.",
    "domain": "The standard's domain id.",
    "critical": "Whether the standard is critical.",
    "rating": "The rating label.",
    "value": "Its value on the scale.",
    "change": "`improved`, `declined`, `unchanged` or `new`, against the previous presented "
    "review.",
    "previous": "The rating in the previous presented review.",
    "audit_graded": "Case-audit grades for the standard.",
    "audit_adequate_or_above": "Of those, how many are adequate or above.",
    "disagree": "Whether the rating and the case audits disagree.",
}


# --------------------------------------------------------------------------
# Text cells a spreadsheet never runs as a formula
#
# A spreadsheet opening a CSV file runs a cell that begins with = + - or @ (or
# a full-width form of one, or a tab or carriage return, or spaces before one)
# as a formula. As OWASP advises, such a text cell is written with a leading
# apostrophe, which spreadsheets show as text. Numbers and dates are never
# changed: a negative number is a number. The content's names and labels cannot
# begin so (models.Name); the writers hold whatever they are given all the same.

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


def to_csv(document: ExportDocument) -> str:
    """Tidy CSV: one row per review and standard.

    Text cells go through :func:`csv_text`; numbers, dates and true/false are
    written as they are.
    """
    return csv_lines([list(CSV_COLUMNS), *_csv_rows(document)])


def _csv_rows(document: ExportDocument) -> Iterator[list[object]]:
    for review in document.reviews:
        for standard_id, s in review.standards.items():
            yield [
                document.as_of.isoformat(),
                csv_text(review.borough),
                csv_text(review.team),
                review.date.isoformat(),
                csv_text(review.status),
                review.framework_version,
                csv_text(standard_id),
                csv_text(s.domain),
                "true" if s.critical else "false",
                csv_text(s.rating),
                s.value,
                csv_text(s.change),
                csv_text(s.previous or ""),
                s.audits.graded,
                s.audits.adequate_or_above,
                "true" if s.disagree else "false",
            ]


def json_schema() -> dict[str, Any]:
    schema = ExportDocument.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2 or argv[0] != "--schema":
        print("usage: python -m generator.export.results --schema FILE", file=sys.stderr)
        return 2
    Path(argv[1]).write_text(schema_text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
