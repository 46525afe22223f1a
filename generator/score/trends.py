"""Change since the team's previous presented review, per standard and overall.

A standard's rating improved or declined by its value on the scale; a
standard the previous review did not rate is new. The overall result is
compared by scoring both reviews again over the standards both rated, the
critical limiter included, so that a change of framework version compares
like with like.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from generator.model.framework import Standard
from generator.model.programme import ReviewRecord
from generator.score.overall import Scores
from generator.score.rules import Rules


class Change(StrEnum):
    """How a rating moved since the team's previous presented review."""

    IMPROVED = "improved"
    DECLINED = "declined"
    UNCHANGED = "unchanged"
    NEW = "new"  # no previous presented review rated it


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
    previous_version: int | None = None  # the framework version the previous review used

    @property
    def delta(self) -> Fraction | None:
        """Percentage points gained (or lost, below 0) over the shared standards."""
        if self.percent_now is None or self.percent_then is None:
            return None
        return self.percent_now - self.percent_then


def compare(now: Fraction | int, then: Fraction | int | None) -> Change:
    if then is None:
        return Change.NEW
    if now == then:
        return Change.UNCHANGED
    return Change.IMPROVED if now > then else Change.DECLINED


def overall_change(
    now: Mapping[str, str],
    then: Mapping[str, str],
    version: int,
    in_version: Sequence[Standard],
    rules: Rules,
    previous: ReviewRecord | None,
    previous_rating: str | None,
    scores: Scores | None = None,
) -> OverallChange:
    """From ``then``, the ratings of the ``previous`` presented review (its own overall
    rating ``previous_rating``), to ``now``, those of a review of framework ``version``
    whose standards are ``in_version``. ``scores``: the run's table of scores, if any."""
    if previous is None:
        return OverallChange(Change.NEW, Change.NEW, None, None, None, None, None, None, 0, False)
    scores = Scores(rules) if scores is None else scores
    in_both = now.keys() & then.keys()
    shared = sorted(in_both)
    critical = [s.id for s in in_version if s.critical and s.id in in_both]
    rating_now, percent_now = _rate(shared, now, critical, scores)
    rating_then, percent_then = _rate(shared, then, critical, scores)
    rating_change = percent_change = Change.NEW  # nothing in common to compare
    if rating_now and rating_then and percent_now is not None and percent_then is not None:
        # A better rating ranks lower on the scale, so compare the ranks reversed.
        rating_change = compare(-rules.rank(rating_now), -rules.rank(rating_then))
        percent_change = compare(percent_now, percent_then)
    return OverallChange(
        rating=rating_change,
        percent=percent_change,
        since=previous.date,
        previous_rating=previous_rating,
        rating_then=rating_then,
        rating_now=rating_now,
        percent_then=percent_then,
        percent_now=percent_now,
        compared=len(shared),
        versions_differ=previous.review.framework_version != version,
        previous_version=previous.review.framework_version,
    )


def _rate(
    ids: Sequence[str], ratings: Mapping[str, str], critical: Sequence[str], scores: Scores
) -> tuple[str | None, Fraction | None]:
    """The overall rating (limiter included) and percentage over ``ids`` (all of them
    keys of ``ratings``) only."""
    # Nearly always both reviews rated the same standards: then ``ids`` are all of them.
    over = ratings if len(ids) == len(ratings) else {i: ratings[i] for i in ids}
    overall = scores.overall(over, critical)
    return overall.rating, overall.score.percent if overall.score else None
