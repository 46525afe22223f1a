"""The case-audit series: the share of grades adequate or above, per half-year.

For all boroughs together and for each borough, for each critical standard
and for all standards together. Only presented reviews count, each in the
half-year of its date; a series runs from the first half-year with grades to
the last, the half-years between with no grades included as empty points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from generator.score.audits import AuditTally
from generator.score.review import ReviewResult


@dataclass(frozen=True, order=True)
class HalfYear:
    """January to June (half 1) or July to December (half 2) of a year."""

    year: int
    half: int

    @classmethod
    def of(cls, day: dt.date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"{self.year}-H{self.half}"

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)


@dataclass(frozen=True)
class SeriesPoint:
    period: HalfYear
    audits: AuditTally
    reviews: int  # presented reviews in the period with grades counted


@dataclass(frozen=True)
class AuditSeries:
    """Share of case-audit grades adequate or above, per half-year."""

    borough: str | None  # None: all boroughs together
    standard: str | None  # None: all standards
    points: tuple[SeriesPoint, ...]  # every half-year from the first with grades to the last


def audit_series(
    reviews: Sequence[ReviewResult], boroughs: Sequence[str], standards: Sequence[str]
) -> tuple[AuditSeries, ...]:
    """For all boroughs together and for each of ``boroughs``: the audit share per
    half-year, for each of ``standards`` and for all standards together. Only
    presented reviews count; a borough with none has series with no points."""
    presented = [r for r in reviews if r.presented]
    series = []
    for borough in [None, *boroughs]:
        chosen = [r for r in presented if borough is None or r.record.borough_id == borough]
        for standard in [*standards, None]:
            series.append(AuditSeries(borough, standard, _half_years(chosen, standard)))
    return tuple(series)


def _half_years(reviews: Sequence[ReviewResult], standard: str | None) -> tuple[SeriesPoint, ...]:
    tallies: dict[HalfYear, AuditTally] = {}
    counts: dict[HalfYear, int] = {}
    for review in reviews:
        tally = review.audits if standard is None else _standard_tally(review, standard)
        if tally.graded:
            period = HalfYear.of(review.record.date)
            tallies[period] = tallies.get(period, AuditTally()) + tally
            counts[period] = counts.get(period, 0) + 1
    if not tallies:
        return ()
    points = []
    period, last = min(tallies), max(tallies)
    while period <= last:
        points.append(SeriesPoint(period, tallies.get(period, AuditTally()), counts.get(period, 0)))
        period = period.next()
    return tuple(points)


def _standard_tally(review: ReviewResult, standard_id: str) -> AuditTally:
    try:
        return review.standard(standard_id).audit
    except KeyError:  # not in the review's framework version
        return AuditTally()
