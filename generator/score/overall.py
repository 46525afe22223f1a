"""The overall rating: the percentage's band, then the critical limiter.

The ratings earn points (each label's value on the scale); the percentage of
the points possible falls in a band, and the band is the rating it earns.
Then the limiter: a critical standard rated Inadequate (the scale's worst
label) holds the overall rating at ``critical_limits.one_inadequate`` or
below, two or more at ``critical_limits.two_or_more_inadequate`` or below.
The standards that lowered the rating are kept, to say why.

Percentages are exact fractions and bands apply to the exact value; how they
are shown is decided in ``core.numbers``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from generator.score.rules import Rules


class BandPosition(StrEnum):
    """Where a percentage sits within its band, as CQC reports it."""

    UPPER = "upper"
    LOWER = "lower"


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


def score_ratings(values: Iterable[int], rules: Rules) -> Score | None:
    """Sum of values over the most possible, as a percentage in its band."""
    counted = list(values)
    return score_points(sum(counted), len(counted), rules)


def score_points(points: int, rated: int, rules: Rules) -> Score | None:
    """``points`` over the most ``rated`` standards could score, as a percentage in its
    band; None when none is rated."""
    if not rated:
        return None
    max_points = rules.top_value * rated
    percent = Fraction(points * 100, max_points)
    band = rules.band_for(percent)
    position = BandPosition.UPPER if percent >= band.midpoint else BandPosition.LOWER
    return Score(points, max_points, rated, percent, band.label, position)


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


def overall_of(ratings: Mapping[str, str], critical: Iterable[str], rules: Rules) -> Overall:
    """The overall result of ``ratings`` (standard id -> label), limiter included."""
    return Scores(rules).overall(ratings, critical)


class Scores:
    """Scores by points and standards rated, each worked out once for one set of rules.

    A score depends on nothing else, and a programme's reviews and their domains
    ask for the same few hundred again and again; a table lives as long as the
    scoring run that made it, and can never be stale.
    """

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._known: dict[tuple[int, int], Score | None] = {}

    def of(self, points: int, rated: int) -> Score | None:
        key = (points, rated)
        try:
            return self._known[key]
        except KeyError:
            score = self._known[key] = score_points(points, rated, self.rules)
            return score

    def overall(self, ratings: Mapping[str, str], critical: Iterable[str]) -> Overall:
        """The overall result of ``ratings`` (standard id -> label), limiter included."""
        values = self.rules.values
        score = self.of(sum([values[label] for label in ratings.values()]), len(ratings))
        if score is None:
            return Overall(None, None, ())
        rating, limited_by = limit_rating(score.band, ratings, critical, self.rules)
        return Overall(score, rating, limited_by)
