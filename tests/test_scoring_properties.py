"""Properties of scoring that hold for any ratings, checked with hypothesis.

Most properties run on in-memory values with the rules of the real
``standards/framework.yml`` and the critical flags of the real catalogue's fifty
version 1 standards. One property goes through real files (a repository built once per
module) to show that the order in which ratings and case audits are written
does not change a review's result. The expected values come from small
independent oracles written here from the rules, not from ``scoring``.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.check.repository import check
from generator.core import numbers
from generator.model.programme import Programme
from generator.score.audits import AuditTally
from generator.score.overall import BandPosition, limit_rating, score_ratings
from generator.score.rules import Rules
from generator.score.schedule import add_months
from tests.support.paths import ROOT
from tests.support.scored_repos import (
    ALL_50,
    CRITICAL_50,
    REAL_STANDARDS,
    new_repo,
    score,
    write_review,
)

AS_OF = dt.date(2017, 1, 1)
LABELS = ("Outstanding", "Good", "Adequate", "Inadequate")  # best first
VALUE = {"Outstanding": 4, "Good": 3, "Adequate": 2, "Inadequate": 1}
MIDPOINT = {
    "Outstanding": Fraction(94),  # 88..100
    "Good": Fraction(151, 2),  # 63..88
    "Adequate": Fraction(51),  # 39..63
    "Inadequate": Fraction(32),  # 25 (all Inadequate)..39
}

labels = st.sampled_from(LABELS)
fifty_ratings = st.lists(labels, min_size=50, max_size=50)


@functools.cache
def sample() -> Programme:
    validation = check(ROOT, AS_OF)
    assert [p for p in validation.problems if p.is_error] == []
    assert validation.programme is not None
    return validation.programme


@functools.cache
def rules() -> Rules:
    return Rules.from_framework(sample().framework)


def critical() -> list[str]:
    return [s.id for s in sample().standards.values() if s.critical]


# --------------------------------------------------------------------------
# Oracles, from the rules as the issue states them


def expected_band(percent: Fraction) -> str:
    if percent >= 88:
        return "Outstanding"
    if percent >= 63:
        return "Good"
    if percent >= 39:
        return "Adequate"
    return "Inadequate"


def rank(label: str) -> int:
    return LABELS.index(label)


def expected_overall(ratings: Mapping[str, str]) -> tuple[Fraction, str, tuple[str, ...]]:
    """Percentage, overall rating after the limiter, and the standards that limited it."""
    percent = Fraction(100 * sum(VALUE[r] for r in ratings.values()), 4 * len(ratings))
    band = expected_band(percent)
    inadequate = sorted(s for s in CRITICAL_50 if ratings.get(s) == "Inadequate")
    if not inadequate:
        return percent, band, ()
    cap = "Adequate" if len(inadequate) == 1 else "Inadequate"
    rating = band if rank(band) >= rank(cap) else cap
    return percent, rating, (tuple(inadequate) if rating != band else ())


def full_score(ratings: Mapping[str, str]) -> tuple[Fraction, str, tuple[str, ...]]:
    """The scoring module's percentage, overall rating and limiting standards."""
    result = score_ratings([rules().values[r] for r in ratings.values()], rules())
    assert result is not None
    rating, limited_by = limit_rating(result.band, ratings, critical(), rules())
    return result.percent, rating, limited_by


def test_the_oracles_use_the_real_catalogue() -> None:
    assert critical() == list(CRITICAL_50)
    assert list(sample().standards) == [f"S{n:02d}" for n in range(1, 55)]
    # The repositories the properties write rate version 1: S01..S50.
    assert [s.id for s in sample().standards_in(1)] == list(ALL_50)
    assert [s.id for s in sample().standards_in(1) if s.critical] == list(CRITICAL_50)
    assert rules().labels == LABELS
    assert dict(rules().values) == VALUE


# --------------------------------------------------------------------------
# (a) The percentage, its band and its half


@settings(deadline=None)
@given(st.lists(labels, min_size=1, max_size=120))
def test_percentage_lies_between_25_and_100_in_the_band_it_earns(ratings: list[str]) -> None:
    result = score_ratings([VALUE[r] for r in ratings], rules())
    assert result is not None
    assert Fraction(25) <= result.percent <= Fraction(100)
    assert result.percent == Fraction(100 * sum(VALUE[r] for r in ratings), 4 * len(ratings))
    assert (result.rated, result.max_points) == (len(ratings), 4 * len(ratings))
    assert result.band == expected_band(result.percent)
    upper = result.percent >= MIDPOINT[result.band]
    assert result.band_position is (
        BandPosition.UPPER if upper else BandPosition.LOWER
    )


def test_nothing_rated_has_no_score() -> None:
    assert score_ratings([], rules()) is None


@settings(deadline=None)
@given(st.fractions(min_value=0, max_value=100))
def test_the_displayed_percentage_is_never_above_the_exact_one(percent: Fraction) -> None:
    shown = numbers.score_decimal(percent)
    assert shown.as_tuple().exponent == -1
    assert Fraction(shown) <= percent < Fraction(shown) + Fraction(1, 10)
    # So the displayed figure never sits in a better band than the percentage earned.
    assert rank(expected_band(Fraction(shown))) >= rank(expected_band(percent))
    assert numbers.score_text(percent) == f"{shown}%"
    assert Decimal(str(shown)) == shown


# --------------------------------------------------------------------------
# (b) The limiter never raises a rating


@settings(deadline=None)
@given(labels, st.dictionaries(st.sampled_from(ALL_50), labels))
def test_the_limiter_never_raises_a_rating(band: str, ratings: dict[str, str]) -> None:
    limited, limited_by = limit_rating(band, ratings, critical(), rules())
    assert rank(limited) >= rank(band)
    inadequate = sorted(s for s in CRITICAL_50 if ratings.get(s) == "Inadequate")
    if not inadequate:
        assert (limited, limited_by) == (band, ())
    else:
        cap = "Adequate" if len(inadequate) == 1 else "Inadequate"
        assert limited == (band if rank(band) >= rank(cap) else cap)
        assert limited_by == (tuple(inadequate) if limited != band else ())


# --------------------------------------------------------------------------
# (c) Lowering a rating never raises the result


@settings(deadline=None)
@given(fifty_ratings, st.integers(min_value=0, max_value=49), st.integers(min_value=1, max_value=3))
def test_lowering_one_rating_never_raises_the_percentage_or_the_overall_rating(
    labels_written: list[str], index: int, steps: int
) -> None:
    before = dict(zip(ALL_50, labels_written, strict=True))
    lowered = LABELS[min(rank(labels_written[index]) + steps, len(LABELS) - 1)]
    after = {**before, ALL_50[index]: lowered}
    percent_before, rating_before, _ = full_score(before)
    percent_after, rating_after, _ = full_score(after)
    assert (percent_before, rating_before, full_score(before)[2]) == expected_overall(before)
    assert (percent_after, rating_after, full_score(after)[2]) == expected_overall(after)
    if lowered == labels_written[index]:
        assert (percent_after, rating_after) == (percent_before, rating_before)
    else:
        assert percent_after < percent_before
    assert rank(rating_after) >= rank(rating_before)


# --------------------------------------------------------------------------
# (d) Order does not matter


@settings(deadline=None)
@given(fifty_ratings, st.permutations(ALL_50))
def test_scoring_does_not_depend_on_the_order_of_standards(
    labels_written: list[str], order: list[str]
) -> None:
    ratings = dict(zip(ALL_50, labels_written, strict=True))
    shuffled = {s: ratings[s] for s in order}
    assert full_score(shuffled) == full_score(ratings) == expected_overall(ratings)
    values = [VALUE[ratings[s]] for s in order]
    assert score_ratings(values, rules()) == score_ratings(
        [VALUE[r] for r in labels_written], rules()
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_repo(tmp_path_factory.mktemp("order") / "repo", REAL_STANDARDS)


grade_maps = st.lists(
    st.dictionaries(st.sampled_from(ALL_50[:8]), labels, min_size=1, max_size=4),
    max_size=5,
)


def expected_tallies(cases: Sequence[Mapping[str, str]]) -> dict[str, tuple[int, int]]:
    tallies: dict[str, tuple[int, int]] = {}
    for grades in cases:
        for standard, label in grades.items():
            graded, adequate = tallies.get(standard, (0, 0))
            tallies[standard] = (graded + 1, adequate + (rank(label) <= rank("Adequate")))
    return tallies


def expected_disagreement(rating: str, grades: Sequence[str]) -> bool:
    if not grades:
        return False
    if rating in ("Outstanding", "Good"):
        return 2 * sum(rank(g) <= rank("Adequate") for g in grades) < len(grades)
    if rating == "Inadequate":
        return all(g in ("Outstanding", "Good") for g in grades)
    return False


@settings(deadline=None, max_examples=30)
@given(fifty_ratings, st.permutations(ALL_50), grade_maps, st.randoms(use_true_random=False))
def test_a_review_scores_the_same_whatever_order_its_file_is_written_in(
    repo: Path,
    labels_written: list[str],
    order: list[str],
    cases: list[dict[str, str]],
    shuffle: random.Random,
) -> None:
    ratings = dict(zip(ALL_50, labels_written, strict=True))
    shuffled_cases = [dict(sorted(c.items(), reverse=True)) for c in cases]
    shuffle.shuffle(shuffled_cases)
    date = dt.date(2011, 3, 10)
    write_review(repo, "in-order", date, ratings, cases=cases)
    write_review(repo, "shuffled", date, {s: ratings[s] for s in order}, cases=shuffled_cases)
    results = score(repo, AS_OF)
    in_order = results.team("hammersmith-fulham", "in-order").history[0]
    shuffled = results.team("hammersmith-fulham", "shuffled").history[0]

    percent, rating, limited_by = expected_overall(ratings)
    for review in (in_order, shuffled):
        assert review.overall.score is not None
        assert review.overall.score.percent == percent
        assert (review.overall.rating, review.overall.limited_by) == (rating, limited_by)
        assert [s.id for s in review.standards] == list(ALL_50)
        tallies = expected_tallies(cases)
        grades: dict[str, list[str]] = {}
        for case in cases:
            for standard, label in case.items():
                grades.setdefault(standard, []).append(label)
        for result in review.standards:
            graded, adequate = tallies.get(result.id, (0, 0))
            assert result.audit == AuditTally(graded, adequate)
            assert result.disagrees is expected_disagreement(
                ratings[result.id], grades.get(result.id, [])
            )
        assert review.audits.graded == sum(len(c) for c in cases)
    assert shuffled.overall == in_order.overall
    assert shuffled.domains == in_order.domains
    assert shuffled.audits == in_order.audits
    assert [(s.id, s.rating, s.audit, s.disagrees) for s in shuffled.standards] == [
        (s.id, s.rating, s.audit, s.disagrees) for s in in_order.standards
    ]
    assert shuffled.next_review_due == in_order.next_review_due


# --------------------------------------------------------------------------
# Calendar months


@settings(deadline=None)
@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.integers(min_value=0, max_value=600),
)
def test_add_months_moves_whole_calendar_months_and_clamps_the_day(
    day: dt.date, months: int
) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    if result.day < day.day:  # clamped: the last day of a shorter month
        assert (result + dt.timedelta(days=1)).day == 1
    if day.day <= 28:
        assert result.day == day.day
