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
        """The half-year for programs and files: ``2011-H2``."""
        return f"{self.year}-H{self.half}"

    @property
    def text(self) -> str:
        """The half-year as readers read it, in charts and tables: "Jul\u2013Dec 2011"."""
        months = "Jan\u2013Jun" if self.half == 1 else "Jul\u2013Dec"
        return f"{months} {self.year}"

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
    # One pass over the reviews: per (borough, standard) and half-year, the grades,
    # those adequate or above, and the reviews with grades counted.
    counted: dict[tuple[str | None, str | None], dict[tuple[int, int], list[int]]] = {}
    wanted, chosen = set(boroughs), {*standards, None}
    for review in reviews:
        if not review.presented:
            continue
        day = review.record.date
        period = (day.year, 1 if day.month <= 6 else 2)
        its_borough = review.record.borough_id
        in_series = (None, its_borough) if its_borough in wanted else (None,)
        for standard in chosen:
            tally = review.audits if standard is None else _standard_tally(review, standard)
            if not tally.graded:
                continue
            for series_borough in in_series:
                halves = counted.setdefault((series_borough, standard), {})
                sums = halves.get(period)
                if sums is None:
                    halves[period] = [tally.graded, tally.adequate_or_above, 1]
                else:
                    sums[0] += tally.graded
                    sums[1] += tally.adequate_or_above
                    sums[2] += 1
    series = []
    for borough in [None, *boroughs]:
        for standard in [*standards, None]:
            halves = counted.get((borough, standard), {})
            series.append(AuditSeries(borough, standard, _half_years(halves)))
    return tuple(series)


def _half_years(halves: dict[tuple[int, int], list[int]]) -> tuple[SeriesPoint, ...]:
    if not halves:
        return ()
    points = []
    period, last = HalfYear(*min(halves)), HalfYear(*max(halves))
    while period <= last:
        sums = halves.get((period.year, period.half))
        if sums is None:
            points.append(SeriesPoint(period, AuditTally(), 0))
        else:
            points.append(SeriesPoint(period, AuditTally(sums[0], sums[1]), sums[2]))
        period = period.next()
    return tuple(points)


def _standard_tally(review: ReviewResult, standard_id: str) -> AuditTally:
    try:
        return review.standard(standard_id).audit
    except KeyError:  # not in the review's framework version
        return AuditTally()
