"""The JSON export's document, declared once as pydantic models: the shipped JSON
Schema (``generator/schemas/export.schema.json``) and the field reference in
``docs/export.md`` are generated from these classes.

Exports hold results, never narrative: no findings, notes, case references or
reviewer names. Drafts are never exported.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "qa-site/1"


class ExportModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A percentage to one decimal place: see generator/numbers.py for the rounding.
Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0)]


class VersionExport(ExportModel):
    version: int = Field(description="The version number reviews name.")
    in_force: dt.date = Field(description="The date it came into force.")
    title: str = Field(description="What the version is known as.")


class CatalogueStandardExport(ExportModel):
    id: str = Field(description="The standard's id.")
    introduced: int = Field(description="First framework version with it.")
    retired: int | None = Field(description="First framework version without it, if any.")
    replaced_by: list[str] = Field(description="The standards that took its place, if retired.")
    meaning_changed_in: list[int] = Field(
        description="Versions whose revision changed its meaning: ratings before such a "
        "version are not compared with ratings from it on."
    )


class FrameworkExport(ExportModel):
    name: str = Field(description="The framework's name.")
    version: int = Field(description="Its current version.")
    scale: list[str] = Field(description="The rating labels, best first.")
    adequate_or_above: str = Field(description="The line that audit shares count up to.")
    versions: list[VersionExport] = Field(
        description="Every version with the date it came into force; empty when the "
        "framework does not list them."
    )
    standards: list[CatalogueStandardExport] = Field(
        description="Every standard of every version, by id: which versions have it, so "
        "that results are compared only where a standard kept its meaning."
    )


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
    previous_framework_version: int | None = Field(
        description="The framework version it was scored by. When it differs from this "
        "review's, the change is over the standards both versions have with the same "
        "meaning."
    )
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
