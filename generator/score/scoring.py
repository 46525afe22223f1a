"""Scoring: from validated reviews to ratings, percentages, trends and due dates.

Pure functions over the validated programme: no files, no clock. Everything
time-dependent takes the as-of date as an argument, and every parameter (the
scale, bands, critical limits, review intervals, the adequate-or-above line)
comes from ``standards/framework.yml`` through :class:`Rules`.

Percentages are exact fractions and bands apply to the exact value; how they
are shown is decided in ``numbers``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

from generator.model.content import Action, Framework, Scale, Standard
from generator.model.programme import Programme, ReviewRecord, TeamRecord


class ScoringError(Exception):
    """Content that validation should have refused reached scoring."""


class Change(StrEnum):
    """How a rating moved since the team's previous presented review."""

    IMPROVED = "improved"
    DECLINED = "declined"
    UNCHANGED = "unchanged"
    NEW = "new"  # no previous presented review rated it


class BandPosition(StrEnum):
    """Where a percentage sits within its band, as CQC reports it."""

    UPPER = "upper"
    LOWER = "lower"


# --------------------------------------------------------------------------
# The framework's parameters


@dataclass(frozen=True)
class Band:
    """The percentages that earn one rating: from ``lowest`` up to ``below``."""

    label: str
    lowest: Fraction  # as the framework sets it
    below: Fraction  # the next better band's lowest, or past 100 for the best band
    reachable_from: Fraction  # ``lowest``, or the lowest percentage the scale can give

    @property
    def top(self) -> Fraction:
        """Where the band ends: ``below``, or 100 for the best band."""
        return min(self.below, Fraction(100))

    @property
    def reachable(self) -> bool:
        """Whether any percentage the scale can give falls in this band."""
        return self.reachable_from < self.below

    @property
    def midpoint(self) -> Fraction:
        return (self.reachable_from + self.top) / 2


@dataclass(frozen=True)
class Rules:
    """The scoring parameters of a framework, every label spelt as the scale spells it."""

    scale: Scale
    values: Mapping[str, int]
    adequate_or_above: str
    bands: tuple[Band, ...]  # best first
    one_inadequate: str
    two_or_more_inadequate: str
    interval_months: Mapping[str, int]

    @classmethod
    def from_framework(cls, framework: Framework) -> Rules:
        scale = Scale(framework)

        def label(written: str, where: str) -> str:
            resolved = scale.resolve(written)
            if resolved is None:
                raise ScoringError(f"framework.yml: {where}: '{written}' is not on the scale")
            return resolved

        def per_label(mapping: Mapping[str, float], where: str) -> dict[str, float]:
            resolved = {label(k, where): v for k, v in mapping.items()}
            if set(resolved) != set(scale.labels):
                raise ScoringError(f"framework.yml: {where}: needs one entry per scale label")
            return resolved

        values = {level.label: level.value for level in framework.scale}
        top = max(values.values())
        if top <= 0:
            raise ScoringError("framework.yml: scale: the best level's value must be above 0")
        floor_percent = Fraction(min(values.values()) * 100, top)
        lowest = {k: _exact(v) for k, v in per_label(framework.bands, "bands").items()}
        bands = []
        below = Fraction(101)  # 100% itself is in the best band
        for name in scale.labels:
            bands.append(Band(name, lowest[name], below, max(lowest[name], floor_percent)))
            below = lowest[name]
        intervals = per_label(framework.review_interval_months, "review_interval_months")
        limits = framework.critical_limits
        return cls(
            scale=scale,
            values=values,
            adequate_or_above=label(framework.adequate_or_above, "adequate_or_above"),
            bands=tuple(bands),
            one_inadequate=label(limits.one_inadequate, "critical_limits.one_inadequate"),
            two_or_more_inadequate=label(
                limits.two_or_more_inadequate, "critical_limits.two_or_more_inadequate"
            ),
            interval_months={k: int(v) for k, v in intervals.items()},
        )

    @property
    def labels(self) -> tuple[str, ...]:
        """The scale's labels, best first."""
        return tuple(self.scale.labels)

    @property
    def top_value(self) -> int:
        return self.values[self.scale.labels[0]]

    @property
    def lowest(self) -> str:
        """The worst label (Inadequate): the one critical limits count."""
        return self.scale.labels[-1]

    def label(self, written: str) -> str:
        """``written`` as the scale spells it."""
        label = self.scale.resolve(written)
        if label is None:
            raise ScoringError(f"'{written}' is not a rating on the scale")
        return label

    def rank(self, label: str) -> int:
        """0 for the best label, counting down the scale."""
        return self.scale.labels.index(label)

    def worse_of(self, a: str, b: str) -> str:
        return a if self.rank(a) >= self.rank(b) else b

    def is_adequate_or_above(self, label: str) -> bool:
        return self.rank(label) <= self.rank(self.adequate_or_above)

    def is_above_adequate(self, label: str) -> bool:
        """Strictly better than the adequate-or-above line (Good or Outstanding)."""
        return self.rank(label) < self.rank(self.adequate_or_above)

    def band_for(self, percent: Fraction) -> Band:
        for band in self.bands:
            if percent >= band.lowest:
                return band
        raise ScoringError(f"{float(percent)}% is below every band")  # bands end at 0


def _exact(number: float) -> Fraction:
    # 62.5 in YAML is a float; read it as the decimal the reviewer wrote.
    return Fraction(str(number))


# --------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Score:
    """Ratings turned into a percentage of the points possible, and its band."""

    points: int
    max_points: int
    rated: int  # how many standards were rated
    percent: Fraction
    band: str  # the rating the percentage earns
    band_position: BandPosition


@dataclass(frozen=True)
class Overall:
    """The review's overall result: the percentage's band, after the critical limiter."""

    score: Score | None  # None when nothing is rated yet (an empty draft)
    rating: str | None
    limited_by: tuple[str, ...]  # critical standards that lowered the rating

    @property
    def limited(self) -> bool:
        return bool(self.limited_by)


@dataclass(frozen=True)
class AuditTally:
    """Case-audit grades: how many, and how many adequate or above."""

    graded: int = 0
    adequate_or_above: int = 0

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.adequate_or_above * 100, self.graded) if self.graded else None

    def __add__(self, other: AuditTally) -> AuditTally:
        return AuditTally(
            self.graded + other.graded, self.adequate_or_above + other.adequate_or_above
        )


@dataclass(frozen=True)
class ActionCounts:
    """Open (not done), done, and overdue (open and past due) actions."""

    open: int = 0
    done: int = 0
    overdue: int = 0

    def __add__(self, other: ActionCounts) -> ActionCounts:
        return ActionCounts(
            self.open + other.open, self.done + other.done, self.overdue + other.overdue
        )


@dataclass(frozen=True)
class StandardResult:
    standard: Standard
    rating: str | None  # None: left blank in a draft
    value: int | None
    change: Change | None  # None when not rated
    previous: str | None  # the rating in the previous presented review, if any
    audit: AuditTally
    disagrees: bool  # the rating and the case audits point different ways

    @property
    def id(self) -> str:
        return self.standard.id


@dataclass(frozen=True)
class DomainResult:
    id: str
    title: str
    standards: tuple[str, ...]
    score: Score | None  # None when none of its standards is rated


@dataclass(frozen=True)
class OverallChange:
    """The overall result against the team's previous presented review.

    Both reviews are scored again over the standards both rated, limiter
    included, so a change of framework version compares like with like. When
    the versions match and both reviews are complete, that is every standard,
    and the ratings compared are the reviews' own overall ratings.
    """

    rating: Change  # the overall rating, after the limiter
    percent: Change  # the overall percentage
    since: dt.date | None  # the previous presented review's date
    previous_rating: str | None  # its own overall rating
    rating_then: str | None  # over the shared standards
    rating_now: str | None
    percent_then: Fraction | None  # over the shared standards
    percent_now: Fraction | None
    compared: int  # how many standards were compared
    versions_differ: bool

    @property
    def delta(self) -> Fraction | None:
        """Percentage points gained (or lost, below 0) over the shared standards."""
        if self.percent_now is None or self.percent_then is None:
            return None
        return self.percent_now - self.percent_then


@dataclass(frozen=True)
class ReviewResult:
    record: ReviewRecord
    overall: Overall
    change: OverallChange
    domains: tuple[DomainResult, ...]
    standards: tuple[StandardResult, ...]  # every standard of the review's version, by id
    audits: AuditTally
    actions: ActionCounts
    next_review_due: dt.date | None

    @property
    def presented(self) -> bool:
        return self.record.status == "presented"

    @property
    def critical(self) -> tuple[StandardResult, ...]:
        return tuple(s for s in self.standards if s.standard.critical)

    @property
    def disagreements(self) -> tuple[StandardResult, ...]:
        return tuple(s for s in self.standards if s.disagrees)

    @property
    def rated(self) -> int:
        return sum(s.rating is not None for s in self.standards)

    def standard(self, standard_id: str) -> StandardResult:
        return self._by_id[standard_id]

    def rates(self, standard_id: str) -> bool:
        """Whether the review's framework version has this standard."""
        return standard_id in self._by_id

    @cached_property
    def _by_id(self) -> dict[str, StandardResult]:
        # The series look standards up for every review: keep it one dictionary read.
        return {s.id: s for s in self.standards}


@dataclass(frozen=True)
class TeamResult:
    record: TeamRecord
    history: tuple[ReviewResult, ...]  # presented reviews, oldest first
    completed: tuple[ReviewResult, ...]  # completed reviews not (yet) presented, oldest first
    closed: bool  # closed on or before the as-of date
    next_review_due: dt.date | None  # None when closed or never reviewed
    overdue: bool
    actions: ActionCounts  # over the presented reviews' action plans

    @property
    def latest(self) -> ReviewResult | None:
        return self.history[-1] if self.history else None

    @property
    def pending(self) -> tuple[ReviewResult, ...]:
        """Completed reviews after the latest presented one: awaiting presentation."""
        latest = self.latest
        return tuple(
            r for r in self.completed if latest is None or r.record.date > latest.record.date
        )


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


@dataclass(frozen=True)
class Results:
    as_of: dt.date
    framework: Framework
    rules: Rules
    reviews: tuple[ReviewResult, ...]  # completed and presented, never drafts
    teams: tuple[TeamResult, ...]
    series: tuple[AuditSeries, ...]

    def team(self, borough_id: str, team_id: str) -> TeamResult:
        for team in self.teams:
            if (team.record.borough_id, team.record.id) == (borough_id, team_id):
                return team
        raise KeyError((borough_id, team_id))


# --------------------------------------------------------------------------
# The rules


def score_ratings(values: Iterable[int], rules: Rules) -> Score | None:
    """Sum of values over the most possible, as a percentage in its band."""
    counted = list(values)
    if not counted:
        return None
    points, max_points = sum(counted), rules.top_value * len(counted)
    percent = Fraction(points * 100, max_points)
    band = rules.band_for(percent)
    position = BandPosition.UPPER if percent >= band.midpoint else BandPosition.LOWER
    return Score(points, max_points, len(counted), percent, band.label, position)


def limit_rating(
    band: str, ratings: Mapping[str, str], critical: Iterable[str], rules: Rules
) -> tuple[str, tuple[str, ...]]:
    """The overall rating after the critical limiter, and the standards that lowered it."""
    inadequate = tuple(s for s in sorted(critical) if ratings.get(s) == rules.lowest)
    if not inadequate:
        return band, ()
    cap = rules.one_inadequate if len(inadequate) == 1 else rules.two_or_more_inadequate
    limited = rules.worse_of(band, cap)
    return limited, (inadequate if limited != band else ())


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_due(day: dt.date, overall_rating: str, rules: Rules) -> dt.date | None:
    """``day`` plus the interval for the rating; None past the calendar's end (9999)."""
    try:
        return add_months(day, rules.interval_months[overall_rating])
    except ValueError:  # year out of range
        return None


def is_overdue(action: Action, as_of: dt.date) -> bool:
    """Open and due before the as-of date."""
    return action.status == "open" and action.due < as_of


def count_actions(actions: Iterable[Action], as_of: dt.date) -> ActionCounts:
    counts = ActionCounts()
    for action in actions:
        done = action.status == "done"
        counts += ActionCounts(int(not done), int(done), int(is_overdue(action, as_of)))
    return counts


def _compare(now: Fraction | int, then: Fraction | int | None) -> Change:
    if then is None:
        return Change.NEW
    if now == then:
        return Change.UNCHANGED
    return Change.IMPROVED if now > then else Change.DECLINED


def _disagrees(rating: str | None, grades: Sequence[str], rules: Rules) -> bool:
    if rating is None or not grades:
        return False
    if rules.is_above_adequate(rating):
        adequate = sum(rules.is_adequate_or_above(g) for g in grades)
        return adequate * 2 < len(grades)
    if rating == rules.lowest:
        return all(rules.is_above_adequate(g) for g in grades)
    return False


def ratings_of(record: ReviewRecord, rules: Rules) -> dict[str, str]:
    """Standard id -> rating label as the scale spells it; blank ratings left out."""
    return {
        standard_id: rules.label(entry.rating)
        for standard_id, entry in sorted(record.review.ratings.items())
        if entry.rating is not None
    }


def score_review(
    record: ReviewRecord,
    standards: Mapping[str, Standard],
    framework: Framework,
    rules: Rules,
    previous: ReviewResult | None,
    as_of: dt.date,
) -> ReviewResult:
    """Score one review against the team's previous presented review, if any."""
    version = record.review.framework_version
    in_version = [s for _, s in sorted(standards.items()) if s.in_version(version)]
    grades: dict[str, list[str]] = {}
    for case in record.review.cases:
        for standard_id, written in sorted(case.grades.items()):
            grades.setdefault(standard_id, []).append(rules.label(written))
    return score_over(record, in_version, grades, framework, rules, previous, as_of)


def score_over(
    record: ReviewRecord,
    in_version: Sequence[Standard],
    grades: Mapping[str, Sequence[str]],
    framework: Framework,
    rules: Rules,
    previous: ReviewResult | None,
    as_of: dt.date,
) -> ReviewResult:
    """Score a review over the standards ``in_version``, its case-audit grades given
    per standard. ``score_review`` gives every standard of the review's framework
    version; a partner's package gives the standards both frameworks share."""
    review = record.review
    version = review.framework_version
    ratings = ratings_of(record, rules)
    unknown = sorted(set(ratings) - {s.id for s in in_version})
    if unknown:
        raise ScoringError(f"{record.source.path}: not in version {version}: {unknown}")
    before = {s.id: s.rating for s in previous.standards if s.rating} if previous else {}

    results = []
    for standard in in_version:
        label = ratings.get(standard.id)
        then = before.get(standard.id)
        its_grades = grades.get(standard.id, [])
        change = None
        if label is not None:
            change = _compare(rules.values[label], None if then is None else rules.values[then])
        results.append(
            StandardResult(
                standard=standard,
                rating=label,
                value=None if label is None else rules.values[label],
                change=change,
                previous=then,
                audit=_tally(its_grades, rules),
                disagrees=_disagrees(label, its_grades, rules),
            )
        )

    score = score_ratings([rules.values[r] for r in ratings.values()], rules)
    rating: str | None = None
    limited_by: tuple[str, ...] = ()
    if score is not None:
        critical = [s.id for s in in_version if s.critical]
        rating, limited_by = limit_rating(score.band, ratings, critical, rules)

    domains = []
    for domain in framework.domains:
        ids = tuple(s.id for s in in_version if s.domain == domain.id)
        if ids:
            values = [rules.values[ratings[i]] for i in ids if i in ratings]
            domains.append(DomainResult(domain.id, domain.title, ids, score_ratings(values, rules)))

    return ReviewResult(
        record=record,
        overall=Overall(score, rating, limited_by),
        change=_overall_change(ratings, version, previous, before, in_version, rules),
        domains=tuple(domains),
        standards=tuple(results),
        audits=sum((_tally(g, rules) for g in grades.values()), AuditTally()),
        actions=count_actions(review.actions, as_of),
        next_review_due=None if rating is None else next_review_due(record.date, rating, rules),
    )


def _tally(grades: Sequence[str], rules: Rules) -> AuditTally:
    return AuditTally(len(grades), sum(rules.is_adequate_or_above(g) for g in grades))


def _overall_change(
    now: Mapping[str, str],
    version: int,
    previous: ReviewResult | None,
    then: Mapping[str, str],
    in_version: Sequence[Standard],
    rules: Rules,
) -> OverallChange:
    if previous is None:
        return OverallChange(Change.NEW, Change.NEW, None, None, None, None, None, None, 0, False)
    shared = sorted(set(now) & set(then))
    critical = [s.id for s in in_version if s.critical and s.id in shared]
    rating_now, percent_now = _rate(shared, now, critical, rules)
    rating_then, percent_then = _rate(shared, then, critical, rules)
    rating_change = percent_change = Change.NEW  # nothing in common to compare
    if rating_now and rating_then and percent_now is not None and percent_then is not None:
        # A better rating ranks lower on the scale, so compare the ranks reversed.
        rating_change = _compare(-rules.rank(rating_now), -rules.rank(rating_then))
        percent_change = _compare(percent_now, percent_then)
    return OverallChange(
        rating=rating_change,
        percent=percent_change,
        since=previous.record.date,
        previous_rating=previous.overall.rating,
        rating_then=rating_then,
        rating_now=rating_now,
        percent_then=percent_then,
        percent_now=percent_now,
        compared=len(shared),
        versions_differ=previous.record.review.framework_version != version,
    )


def _rate(
    ids: Sequence[str], ratings: Mapping[str, str], critical: Sequence[str], rules: Rules
) -> tuple[str | None, Fraction | None]:
    """The overall rating (limiter included) and percentage over ``ids`` only."""
    score = score_ratings([rules.values[ratings[i]] for i in ids], rules)
    if score is None:
        return None, None
    rating, _ = limit_rating(score.band, ratings, critical, rules)
    return rating, score.percent


def score_in_team(
    programme: Programme, record: ReviewRecord, as_of: dt.date, rules: Rules | None = None
) -> ReviewResult:
    """Score one review of any status, drafts too, against the team's earlier presented ones."""
    rules = rules or Rules.from_framework(programme.framework)
    team = programme.boroughs[record.borough_id].teams[record.team_id]
    history = score_team(team, programme.standards, programme.framework, rules, as_of).history
    earlier = [r for r in history if r.record.date < record.date]
    previous = earlier[-1] if earlier else None
    return score_review(record, programme.standards, programme.framework, rules, previous, as_of)


def score_team(
    record: TeamRecord,
    standards: Mapping[str, Standard],
    framework: Framework,
    rules: Rules,
    as_of: dt.date,
) -> TeamResult:
    """Score a team's completed and presented reviews in date order; drafts are left out."""
    history: list[ReviewResult] = []
    completed: list[ReviewResult] = []
    for review in record.reviews:
        if review.status == "draft":
            continue
        result = score_review(
            review, standards, framework, rules, history[-1] if history else None, as_of
        )
        (history if result.presented else completed).append(result)
    return team_result(record, history, completed, as_of)


def team_result(
    record: TeamRecord,
    history: Sequence[ReviewResult],
    completed: Sequence[ReviewResult],
    as_of: dt.date,
) -> TeamResult:
    """A team's result from its scored reviews: whether it is closed, when it is due."""
    latest = history[-1] if history else None
    # A team closing later than the as-of date still exists, and is still due.
    closed = record.team.closed is not None and record.team.closed <= as_of
    due = None
    if latest is not None and not closed:
        due = latest.next_review_due
    return TeamResult(
        record=record,
        history=tuple(history),
        completed=tuple(completed),
        closed=closed,
        next_review_due=due,
        overdue=due is not None and as_of > due,
        actions=sum((r.actions for r in history), ActionCounts()),
    )


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


def score_programme(programme: Programme, as_of: dt.date) -> Results:
    """Score every completed and presented review, every team and the programme series."""
    rules = Rules.from_framework(programme.framework)
    teams = tuple(
        score_team(team, programme.standards, programme.framework, rules, as_of)
        for team in programme.teams
    )
    reviews = tuple(
        sorted(
            (r for t in teams for r in (*t.history, *t.completed)),
            key=lambda r: (r.record.borough_id, r.record.team_id, r.record.date),
        )
    )
    critical = [s.id for _, s in sorted(programme.standards.items()) if s.critical]
    return Results(
        as_of=as_of,
        framework=programme.framework,
        rules=rules,
        reviews=reviews,
        teams=teams,
        series=audit_series(reviews, sorted(programme.boroughs), critical),
    )
