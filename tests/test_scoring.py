"""Scoring: the rules of the issue, checked on real repositories with hand-computed numbers.

Every expected value below is worked out by hand in a comment from the rules
(scale 4/3/2/1, bands 88/63/39/0, critical limits Adequate/Inadequate, review
intervals 24/18/12/6 months unless a test writes its own framework.yml), never
copied from running the code. Inputs are real repositories built in tmp_path
and passed through ``pipeline.check`` so that scoring only ever sees content
the validator accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from generator.core import numbers
from generator.model.review import Action
from generator.score.audits import AuditTally
from generator.score.overall import BandPosition, score_ratings
from generator.score.results import Results
from generator.score.review import ReviewResult
from generator.score.rules import Rules
from generator.score.schedule import ActionCounts, add_months, count_actions, is_overdue
from generator.score.series import HalfYear
from generator.score.trends import Change, OverallChange
from tests.support.paths import ROOT
from tests.support.repos import RepoFactory
from tests.support.scored_repos import (
    ALL_50,
    AS_OF,
    BOROUGH,
    CRITICAL_50,
    REAL_STANDARDS,
    TEAM,
    action,
    new_repo,
    score,
    write_review,
    write_team,
    write_version_2,
)


def ratings_50(default: str, **overrides: str) -> dict[str, str]:
    """All fifty standards rated ``default`` except the ones named."""
    return {s: overrides.get(s, default) for s in ALL_50}


def only_review(results: Results, team: str = TEAM, borough: str = BOROUGH) -> ReviewResult:
    history = results.team(borough, team).history
    assert len(history) == 1
    return history[0]


def dates(reviews: Sequence[ReviewResult]) -> list[dt.date]:
    return [r.record.date for r in reviews]


@pytest.fixture(scope="module")
def sample_results() -> Results:
    """The bundled sample content, scored at the end of the sample period."""
    return score(ROOT, dt.date(2017, 1, 1))


@pytest.fixture(scope="module")
def default_rules(sample_results: Results) -> Rules:
    return sample_results.rules


# --------------------------------------------------------------------------
# 1. Fifty standards: the band edge at 63%


def test_63_percent_over_fifty_standards_is_good_and_62_5_is_adequate(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    # 26 Good (S01..S26) + 24 Adequate (S27..S50): 26*3 + 24*2 = 78 + 48 = 126 of 4*50 = 200
    # -> 63.0% exactly: Good, in the lower half (Good runs 63..88, midpoint 75.5).
    good = {s: "Good" if int(s[1:]) <= 26 else "Adequate" for s in ALL_50}
    # 25 Good (S01..S25) + 25 Adequate: 75 + 50 = 125 of 200 -> 62.5%: Adequate, upper half
    # (Adequate runs 39..63, midpoint 51).
    adequate = {s: "Good" if int(s[1:]) <= 25 else "Adequate" for s in ALL_50}
    write_review(repo, "good-team", dt.date(2011, 3, 10), good)
    write_review(repo, "adequate-team", dt.date(2011, 3, 10), adequate)
    results = score(repo)

    good_review = only_review(results, "good-team")
    assert good_review.overall.score is not None
    assert (good_review.overall.score.points, good_review.overall.score.max_points) == (126, 200)
    assert good_review.overall.score.rated == 50
    assert good_review.overall.score.percent == Fraction(63)
    assert good_review.overall.score.band == "Good"
    assert good_review.overall.score.band_position is BandPosition.LOWER
    assert good_review.overall.rating == "Good"
    assert good_review.overall.limited_by == ()
    assert numbers.score_text(good_review.overall.score.percent) == "63.0%"
    # Good: 18 months after 2011-03-10.
    assert good_review.next_review_due == dt.date(2012, 9, 10)

    adequate_review = only_review(results, "adequate-team")
    assert adequate_review.overall.score is not None
    assert adequate_review.overall.score.points == 125
    assert adequate_review.overall.score.percent == Fraction(125, 2)
    assert adequate_review.overall.score.band == "Adequate"
    assert adequate_review.overall.score.band_position is BandPosition.UPPER
    assert adequate_review.overall.rating == "Adequate"
    assert numbers.score_text(adequate_review.overall.score.percent) == "62.5%"
    # Adequate: 12 months after 2011-03-10.
    assert adequate_review.next_review_due == dt.date(2012, 3, 10)


def test_domain_percentages_use_only_the_domains_own_standards(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    write_review(
        repo,
        TEAM,
        dt.date(2011, 3, 10),
        {s: "Good" if int(s[1:]) <= 26 else "Adequate" for s in ALL_50},
    )
    review = only_review(score(repo))
    domains = {d.id: d for d in review.domains}
    assert [d.id for d in review.domains] == [
        "safeguarding",
        "risk",
        "capacity",
        "assessment",
        "planning",
        "experience",
        "carers-partners",
        "recording",
        "supervision",
    ]
    # Safeguarding is S01..S08, all Good: 8*3 = 24 of 32 -> 75%, Good, lower half (< 75.5).
    safeguarding = domains["safeguarding"].score
    assert domains["safeguarding"].standards == tuple(f"S0{i}" for i in range(1, 9))
    assert safeguarding is not None
    assert (safeguarding.points, safeguarding.max_points) == (24, 32)
    assert (safeguarding.percent, safeguarding.band) == (Fraction(75), "Good")
    assert safeguarding.band_position is BandPosition.LOWER
    # Assessment is S22..S28: five Good and two Adequate: 15 + 4 = 19 of 28 = 67.857...%, Good.
    assessment = domains["assessment"].score
    assert assessment is not None
    assert (assessment.percent, assessment.band) == (Fraction(1900, 28), "Good")
    assert numbers.score_text(assessment.percent) == "67.8%"
    # Supervision is S47..S50, all Adequate: 8 of 16 -> 50%, Adequate, lower (midpoint 51).
    supervision = domains["supervision"].score
    assert supervision is not None
    assert (supervision.percent, supervision.band) == (Fraction(50), "Adequate")
    assert supervision.band_position is BandPosition.LOWER


# --------------------------------------------------------------------------
# 2. Position within the band


def values_for(points: int, count: int = 50) -> list[int]:
    """``count`` values on the 4..1 scale adding up to ``points``."""
    assert count <= points <= 4 * count
    values, extra = [1] * count, points - count
    for index in range(count):
        step = min(3, extra)
        values[index] += step
        extra -= step
    assert sum(values) == points
    return values


@pytest.mark.parametrize(
    ("points", "percent", "band", "position"),
    [
        # Out of 200 (fifty standards), so each point is 0.5%.
        # Outstanding: 88..100, midpoint 94.
        (200, Fraction(100), "Outstanding", BandPosition.UPPER),
        (188, Fraction(94), "Outstanding", BandPosition.UPPER),
        (187, Fraction(187, 2), "Outstanding", BandPosition.LOWER),
        (176, Fraction(88), "Outstanding", BandPosition.LOWER),
        # Good: 63..88, midpoint 75.5.
        (175, Fraction(175, 2), "Good", BandPosition.UPPER),
        (151, Fraction(151, 2), "Good", BandPosition.UPPER),
        (150, Fraction(75), "Good", BandPosition.LOWER),
        (126, Fraction(63), "Good", BandPosition.LOWER),
        # Adequate: 39..63, midpoint 51.
        (125, Fraction(125, 2), "Adequate", BandPosition.UPPER),
        (102, Fraction(51), "Adequate", BandPosition.UPPER),
        (101, Fraction(101, 2), "Adequate", BandPosition.LOWER),
        (78, Fraction(39), "Adequate", BandPosition.LOWER),
        # Inadequate: from 25 (all Inadequate: 50 of 200), not 0, up to 39: midpoint 32.
        (77, Fraction(77, 2), "Inadequate", BandPosition.UPPER),
        (64, Fraction(32), "Inadequate", BandPosition.UPPER),
        (63, Fraction(63, 2), "Inadequate", BandPosition.LOWER),
        (50, Fraction(25), "Inadequate", BandPosition.LOWER),
    ],
)
def test_band_and_half_of_the_band_at_and_around_each_midpoint(
    default_rules: Rules,
    points: int,
    percent: Fraction,
    band: str,
    position: BandPosition,
) -> None:
    result = score_ratings(values_for(points), default_rules)
    assert result is not None
    assert (result.percent, result.band, result.band_position) == (percent, band, position)


def test_the_bands_reach_from_the_lowest_percentage_the_scale_can_give(
    default_rules: Rules,
) -> None:
    # Lowest possible: 1 of 4 = 25%. Inadequate 25..39, Adequate 39..63, Good 63..88,
    # Outstanding 88..100.
    midpoints = {b.label: b.midpoint for b in default_rules.bands}
    assert midpoints == {
        "Outstanding": Fraction(94),
        "Good": Fraction(151, 2),
        "Adequate": Fraction(51),
        "Inadequate": Fraction(32),
    }


def test_band_position_through_a_whole_review_at_the_good_midpoint(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    # One Outstanding and 49 Good: 4 + 147 = 151 of 200 = 75.5%: Good, upper half.
    write_review(repo, "upper", dt.date(2011, 3, 10), ratings_50("Good", S01="Outstanding"))
    # Fifty Good: 150 of 200 = 75.0%: Good, lower half.
    write_review(repo, "lower", dt.date(2011, 3, 10), ratings_50("Good"))
    results = score(repo)
    upper = only_review(results, "upper").overall.score
    lower = only_review(results, "lower").overall.score
    assert upper is not None and lower is not None
    assert (upper.percent, upper.band, upper.band_position) == (
        Fraction(151, 2),
        "Good",
        BandPosition.UPPER,
    )
    assert (lower.percent, lower.band, lower.band_position) == (
        Fraction(75),
        "Good",
        BandPosition.LOWER,
    )
    assert numbers.score_text(upper.percent) == "75.5%"
    assert numbers.score_text(lower.percent) == "75.0%"


# --------------------------------------------------------------------------
# 3. The critical limiter


def test_one_critical_inadequate_caps_the_overall_rating_at_adequate(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    # S01 (critical) Inadequate, S02 and S03 Outstanding: 1 + 4 + 4 = 9 of 12 = 75%: Good band.
    write_review(
        repo,
        TEAM,
        dt.date(2011, 3, 10),
        {"S01": "Inadequate", "S02": "Outstanding", "S03": "Outstanding"},
    )
    review = only_review(score(repo))
    assert review.overall.score is not None
    assert review.overall.score.percent == Fraction(75)  # the limiter never changes it
    assert review.overall.score.band == "Good"
    assert review.overall.rating == "Adequate"
    assert review.overall.limited_by == ("S01",)
    assert review.overall.limited
    # The due date follows the limited rating: Adequate, 12 months.
    assert review.next_review_due == dt.date(2012, 3, 10)


def test_two_critical_inadequate_cap_at_inadequate_and_are_named_in_order(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    # S47 written before S07 in the file; 48 Good + 2 Inadequate: 144 + 2 = 146 of 200 = 73%.
    ratings = {"S47": "Inadequate", **ratings_50("Good", S07="Inadequate", S47="Inadequate")}
    assert next(iter(ratings)) == "S47"
    write_review(repo, TEAM, dt.date(2011, 3, 10), ratings)
    review = only_review(score(repo))
    assert review.overall.score is not None
    assert review.overall.score.percent == Fraction(73)
    assert review.overall.score.band == "Good"
    assert review.overall.rating == "Inadequate"
    assert review.overall.limited_by == ("S07", "S47")
    # Inadequate: 6 months.
    assert review.next_review_due == dt.date(2011, 9, 10)


def test_two_critical_inadequate_in_the_small_catalogue_cap_an_adequate_band(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo")
    # S03, S01 critical Inadequate, S02 Outstanding: 1 + 4 + 1 = 6 of 12 = 50%: Adequate band.
    write_review(
        repo,
        TEAM,
        dt.date(2011, 3, 10),
        {"S03": "Inadequate", "S02": "Outstanding", "S01": "Inadequate"},
    )
    review = only_review(score(repo))
    assert review.overall.score is not None
    assert (review.overall.score.percent, review.overall.score.band) == (Fraction(50), "Adequate")
    assert review.overall.rating == "Inadequate"
    assert review.overall.limited_by == ("S01", "S03")


def test_a_band_already_below_the_cap_is_not_limited(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    # S01 (critical) Inadequate, S02 Inadequate, S03 Adequate: 1 + 1 + 2 = 4 of 12 = 33.3%:
    # Inadequate band, already worse than the Adequate cap.
    write_review(
        repo,
        TEAM,
        dt.date(2011, 3, 10),
        {"S01": "Inadequate", "S02": "Inadequate", "S03": "Adequate"},
    )
    review = only_review(score(repo))
    assert review.overall.score is not None
    assert review.overall.score.percent == Fraction(100, 3)
    assert (review.overall.score.band, review.overall.rating) == ("Inadequate", "Inadequate")
    assert review.overall.limited_by == ()
    assert not review.overall.limited


def test_a_band_equal_to_the_cap_is_not_limited(make_repo: RepoFactory) -> None:
    # The base review: S01 (critical) Inadequate, S02 Adequate, S03 Good: 1 + 2 + 3 = 6 of 12
    # = 50%: Adequate band, which is the one-inadequate cap itself.
    results = score(make_repo(), dt.date(2012, 1, 1))
    review = only_review(results)
    assert review.overall.score is not None
    assert review.overall.score.percent == Fraction(50)
    assert review.overall.rating == "Adequate"
    assert review.overall.limited_by == ()


def test_a_non_critical_inadequate_standard_does_not_limit(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    # S02 is not critical: 4 + 1 + 4 = 9 of 12 = 75%: Good, and it stays Good.
    write_review(
        repo,
        TEAM,
        dt.date(2011, 3, 10),
        {"S01": "Outstanding", "S02": "Inadequate", "S03": "Outstanding"},
    )
    review = only_review(score(repo))
    assert review.overall.rating == "Good"
    assert review.overall.limited_by == ()


# --------------------------------------------------------------------------
# 4. The framework's parameters are read, not hard-coded

CUSTOM_FRAMEWORK = """\
name: Custom Framework
version: 2
versions:
  - {version: 1, in_force: 2009-11-01, title: The first version}
  - {version: 2, in_force: 2015-04-01, title: The second version}
scale:
  - {label: Outstanding, value: 6}
  - {label: Good, value: 4}
  - {label: Adequate, value: 2}
  - {label: Inadequate, value: 0}
adequate_or_above: Good
domains:
  - {id: safeguarding, title: Safeguarding adults}
  - {id: risk, title: Risk assessment and management}
  - {id: capacity, title: Mental capacity and deprivation of liberty}
  - {id: assessment, title: Assessment and eligibility}
  - {id: planning, title: Care and support planning and review}
  - {id: experience, title: The person's experience of the service}
  - {id: carers-partners, title: "Carers, families and partner agencies"}
  - {id: recording, title: Recording and case management}
  - {id: supervision, title: Supervision and management}
evidence_sources:
  - {id: finance, title: Financial information}
  - {id: user-survey, title: Survey of service users}
  - {id: carer-survey, title: Survey of carers}
  - {id: worker-survey, title: Survey of social workers}
  - {id: manager-survey, title: Survey of managers}
  - {id: case-audit, title: In-depth case audit}
  - {id: case-record, title: Case record review}
  - {id: worker-interview, title: Interview with the social worker}
  - {id: supervisor-interview, title: Interview with the supervisor}
  - {id: user-interview, title: Interview with the service user}
  - {id: carer-interview, title: Interview with the informal carer}
  - {id: performance-data, title: "Performance, complaints and activity data"}
bands:
  Outstanding: 90
  Good: 70
  Adequate: 45
  Inadequate: 0
critical_limits:
  one_inadequate: Good
  two_or_more_inadequate: Adequate
review_interval_months:
  Outstanding: 36
  Good: 9
  Adequate: 4
  Inadequate: 2
"""


def test_a_changed_framework_changes_values_bands_limits_intervals_and_the_audit_line(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS, CUSTOM_FRAMEWORK)
    # Scale 6/4/2/0, so the lowest percentage is 0%. Bands: Outstanding 90..100 (midpoint 95),
    # Good 70..90 (80), Adequate 45..70 (57.5), Inadequate 0..45 (22.5).
    #
    # One critical Inadequate (S07), 49 Outstanding: 294 of 300 = 98%: Outstanding, upper;
    # capped at Good (not Adequate); Good is due after 9 months: 2011-05-31 -> 2012-02-29.
    write_review(
        repo, "one-capped", dt.date(2011, 5, 31), ratings_50("Outstanding", S07="Inadequate")
    )
    # Two critical Inadequate (S07, S09), 48 Outstanding: 288 of 300 = 96%: capped at Adequate
    # (not Inadequate); Adequate is due after 4 months: 2011-08-31 -> 2011-12-31.
    write_review(
        repo,
        "two-capped",
        dt.date(2011, 8, 31),
        ratings_50("Outstanding", S07="Inadequate", S09="Inadequate"),
    )
    # 48 Good, S01 Adequate, S02 Outstanding: 192 + 2 + 6 = 200 of 300 = 66.67%: Adequate
    # (Good needs 70 here), upper half (>= 57.5). Under the default framework the same ratings
    # give 144 + 2 + 4 = 150 of 200 = 75%, Good.
    # S02 is rated Outstanding, strictly above the line (Good); its grades Good, Adequate,
    # Adequate are 1 of 3 at or above Good: fewer than half, so they disagree. Under the
    # default line (Adequate) all 3 would be adequate or above.
    write_review(
        repo,
        "bands",
        dt.date(2011, 1, 15),
        ratings_50("Good", S01="Adequate", S02="Outstanding"),
        cases=[{"S02": "Good"}, {"S02": "Adequate"}, {"S02": "Adequate"}],
    )
    results = score(repo)

    assert {b.label: b.midpoint for b in results.rules.bands} == {
        "Outstanding": Fraction(95),
        "Good": Fraction(80),
        "Adequate": Fraction(115, 2),
        "Inadequate": Fraction(45, 2),
    }

    one = only_review(results, "one-capped")
    assert one.overall.score is not None
    assert (one.overall.score.points, one.overall.score.max_points) == (294, 300)
    assert one.overall.score.percent == Fraction(98)
    assert one.overall.score.band == "Outstanding"
    assert one.overall.score.band_position is BandPosition.UPPER
    assert (one.overall.rating, one.overall.limited_by) == ("Good", ("S07",))
    assert one.next_review_due == dt.date(2012, 2, 29)

    two = only_review(results, "two-capped")
    assert two.overall.score is not None
    assert two.overall.score.percent == Fraction(96)
    assert (two.overall.rating, two.overall.limited_by) == ("Adequate", ("S07", "S09"))
    assert two.next_review_due == dt.date(2011, 12, 31)

    bands = only_review(results, "bands")
    assert bands.overall.score is not None
    assert bands.overall.score.percent == Fraction(200, 3)
    assert bands.overall.score.band == "Adequate"
    assert bands.overall.score.band_position is BandPosition.UPPER
    assert numbers.score_text(bands.overall.score.percent) == "66.6%"
    assert bands.overall.rating == "Adequate"
    assert bands.next_review_due == dt.date(2011, 5, 15)  # 4 months
    s02 = bands.standard("S02")
    assert s02.value == 6
    assert s02.audit == AuditTally(graded=3, adequate_or_above=1)
    assert s02.disagrees is True
    assert bands.audits == AuditTally(graded=3, adequate_or_above=1)


def test_bands_apply_to_the_exact_value_the_framework_writes(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    framework = repo / "standards" / "framework.yml"
    text = framework.read_text(encoding="utf-8")
    assert text.count("Good: 63\n") == 1
    framework.write_text(text.replace("Good: 63\n", "Good: 62.5\n"), encoding="utf-8")
    # 25 Good + 25 Adequate: 125 of 200 = 62.5%: Good now that Good starts at 62.5; lower half
    # (62.5..88, midpoint 75.25).
    write_review(
        repo,
        "at-edge",
        dt.date(2011, 3, 10),
        {s: "Good" if s <= "S25" else "Adequate" for s in ALL_50},
    )
    # 24 Good + 26 Adequate: 72 + 52 = 124 of 200 = 62.0%: still Adequate.
    write_review(
        repo,
        "below-edge",
        dt.date(2011, 3, 10),
        {s: "Good" if s <= "S24" else "Adequate" for s in ALL_50},
    )
    results = score(repo)
    at_edge = only_review(results, "at-edge").overall.score
    below_edge = only_review(results, "below-edge").overall.score
    assert at_edge is not None and below_edge is not None
    assert (at_edge.percent, at_edge.band) == (Fraction(125, 2), "Good")
    assert at_edge.band_position is BandPosition.LOWER
    assert (below_edge.percent, below_edge.band) == (Fraction(62), "Adequate")
    assert below_edge.band_position is BandPosition.UPPER  # 39..62.5, midpoint 50.75
    good_band = next(b for b in results.rules.bands if b.label == "Good")
    assert good_band.midpoint == Fraction(301, 4)


def test_the_same_ratings_under_the_default_framework_for_contrast(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    write_review(
        repo,
        "bands",
        dt.date(2011, 1, 15),
        ratings_50("Good", S01="Adequate", S02="Outstanding"),
        cases=[{"S02": "Good"}, {"S02": "Adequate"}, {"S02": "Adequate"}],
    )
    review = only_review(score(repo), "bands")
    # 150 of 200 = 75%: Good; grades 3 of 3 adequate or above: no disagreement.
    assert review.overall.score is not None
    assert (review.overall.score.percent, review.overall.rating) == (Fraction(75), "Good")
    assert review.standard("S02").audit == AuditTally(graded=3, adequate_or_above=3)
    assert review.standard("S02").disagrees is False


# --------------------------------------------------------------------------
# 5. Case audits


def test_audit_tallies_per_standard_and_in_total_and_disagreements(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write_review(
        repo,
        TEAM,
        dt.date(2011, 3, 10),
        {"S01": "Good", "S02": "Inadequate", "S03": "Adequate"},
        cases=[
            {"S01": "Inadequate", "S02": "Good", "S03": "Adequate"},
            {"S01": "Adequate", "S02": "Outstanding"},
            {"S01": "inadequate", "S03": "Inadequate"},  # labels match ignoring case
        ],
    )
    review = only_review(score(repo))
    s01, s02, s03 = (review.standard(s) for s in ("S01", "S02", "S03"))
    # S01 rated Good; grades Inadequate, Adequate, Inadequate: 1 of 3 adequate or above,
    # fewer than half: disagrees.
    assert s01.audit == AuditTally(graded=3, adequate_or_above=1)
    assert s01.audit.share == Fraction(100, 3)
    assert s01.disagrees is True
    # S02 rated Inadequate; grades Good, Outstanding: all strictly above Adequate: disagrees.
    assert s02.audit == AuditTally(graded=2, adequate_or_above=2)
    assert s02.disagrees is True
    # S03 rated Adequate: never a disagreement, whatever the grades (Adequate, Inadequate).
    assert s03.audit == AuditTally(graded=2, adequate_or_above=1)
    assert s03.disagrees is False
    # Total: 3 + 2 + 2 = 7 grades, 1 + 2 + 1 = 4 adequate or above.
    assert review.audits == AuditTally(graded=7, adequate_or_above=4)
    assert review.audits.share == Fraction(400, 7)
    assert [s.id for s in review.disagreements] == ["S01", "S02"]


def test_grades_that_half_agree_or_are_not_all_good_are_no_disagreement(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write_review(
        repo,
        TEAM,
        dt.date(2011, 3, 10),
        {"S01": "good", "S02": "INADEQUATE", "S03": "Outstanding"},  # labels ignore case
        cases=[
            {"S01": "Adequate", "S02": "Good", "S03": "Outstanding"},
            {"S01": "Inadequate", "S02": "Adequate"},
        ],
    )
    review = only_review(score(repo))
    # S01 rated Good; grades Adequate, Inadequate: exactly half adequate: not a disagreement.
    assert review.standard("S01").audit == AuditTally(graded=2, adequate_or_above=1)
    assert review.standard("S01").audit.share == Fraction(50)
    assert review.standard("S01").disagrees is False
    # S02 rated Inadequate; grades Good, Adequate: Adequate is not strictly above the line.
    assert review.standard("S02").audit == AuditTally(graded=2, adequate_or_above=2)
    assert review.standard("S02").disagrees is False
    assert [(s.rating, s.value) for s in review.standards] == [
        ("Good", 3),
        ("Inadequate", 1),
        ("Outstanding", 4),
    ]
    # S03 rated Outstanding; its one grade is Outstanding.
    assert review.standard("S03").disagrees is False
    assert review.disagreements == ()
    assert review.audits == AuditTally(graded=5, adequate_or_above=4)


def test_a_review_without_case_audits_has_empty_tallies(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write_review(
        repo, TEAM, dt.date(2011, 3, 10), {"S01": "Good", "S02": "Inadequate", "S03": "Outstanding"}
    )
    review = only_review(score(repo))
    assert review.audits == AuditTally(graded=0, adequate_or_above=0)
    assert review.audits.share is None
    for standard in review.standards:
        assert standard.audit == AuditTally(0, 0)
        assert standard.audit.share is None
        assert standard.disagrees is False


# --------------------------------------------------------------------------
# 6. Next review due and overdue teams


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2011, 8, 31), 6, dt.date(2012, 2, 29)),  # into a leap February
        (dt.date(2010, 8, 31), 6, dt.date(2011, 2, 28)),  # into a common February
        (dt.date(2012, 1, 31), 1, dt.date(2012, 2, 29)),
        (dt.date(2011, 1, 31), 1, dt.date(2011, 2, 28)),
        (dt.date(2011, 5, 31), 1, dt.date(2011, 6, 30)),
        (dt.date(2011, 3, 31), 18, dt.date(2012, 9, 30)),
        (dt.date(2010, 8, 31), 18, dt.date(2012, 2, 29)),
        (dt.date(2011, 7, 10), 6, dt.date(2012, 1, 10)),  # across the year end
        (dt.date(2011, 12, 31), 12, dt.date(2012, 12, 31)),
        (dt.date(2011, 6, 15), 24, dt.date(2013, 6, 15)),
        (dt.date(2012, 2, 29), 12, dt.date(2013, 2, 28)),
        (dt.date(2012, 2, 29), 48, dt.date(2016, 2, 29)),
        (dt.date(2011, 10, 20), 0, dt.date(2011, 10, 20)),
    ],
)
def test_add_months_counts_calendar_months_and_clamps_to_the_months_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("date", "ratings", "rating", "due"),
    [
        # 4+4+4 = 100%: Outstanding, 24 months.
        (
            dt.date(2010, 8, 31),
            {"S01": "Outstanding", "S02": "Outstanding", "S03": "Outstanding"},
            "Outstanding",
            dt.date(2012, 8, 31),
        ),
        # 3+3+3 = 75%: Good, 18 months: 2010-08-31 -> February 2012, a leap year.
        (
            dt.date(2010, 8, 31),
            {"S01": "Good", "S02": "Good", "S03": "Good"},
            "Good",
            dt.date(2012, 2, 29),
        ),
        # 1+4+4 = 75% (Good) limited to Adequate by S01: 12 months, not 18.
        (
            dt.date(2011, 8, 31),
            {"S01": "Inadequate", "S02": "Outstanding", "S03": "Outstanding"},
            "Adequate",
            dt.date(2012, 8, 31),
        ),
        # 1+4+1 = 50% (Adequate) limited to Inadequate by S01 and S03: 6 months, leap February.
        (
            dt.date(2011, 8, 31),
            {"S01": "Inadequate", "S02": "Outstanding", "S03": "Inadequate"},
            "Inadequate",
            dt.date(2012, 2, 29),
        ),
        # 1+1+1 = 25%: Inadequate, 6 months, common February.
        (
            dt.date(2010, 8, 31),
            {"S01": "Inadequate", "S02": "Inadequate", "S03": "Inadequate"},
            "Inadequate",
            dt.date(2011, 2, 28),
        ),
    ],
)
def test_next_review_due_follows_the_overall_rating_after_the_limiter(
    tmp_path: Path, date: dt.date, ratings: dict[str, str], rating: str, due: dt.date
) -> None:
    repo = new_repo(tmp_path / "repo")
    write_review(repo, TEAM, date, ratings)
    results = score(repo)
    review = only_review(results)
    assert review.overall.rating == rating
    assert review.next_review_due == due
    assert results.team(BOROUGH, TEAM).next_review_due == due


@pytest.mark.parametrize(
    ("as_of", "overdue"),
    [
        (dt.date(2012, 2, 28), False),
        (dt.date(2012, 2, 29), False),  # on the due date: not yet overdue
        (dt.date(2012, 3, 1), True),
    ],
)
def test_a_team_is_overdue_only_after_its_due_date(
    tmp_path: Path, as_of: dt.date, overdue: bool
) -> None:
    repo = new_repo(tmp_path / "repo")
    # One review, all Good (75%): due 18 months after 2010-08-31 = 2012-02-29.
    write_review(repo, TEAM, dt.date(2010, 8, 31), {"S01": "Good", "S02": "Good", "S03": "Good"})
    team = score(repo, as_of).team(BOROUGH, TEAM)
    assert len(team.history) == 1
    assert team.next_review_due == dt.date(2012, 2, 29)
    assert team.overdue is overdue


def test_only_the_latest_presented_review_sets_the_due_date(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    # 2009-08-31 all Inadequate: due 2010-02-28 (long past on 2011-01-01).
    write_review(
        repo,
        TEAM,
        dt.date(2009, 8, 31),
        {"S01": "Inadequate", "S02": "Inadequate", "S03": "Inadequate"},
    )
    # 2010-08-31 all Good: due 2012-02-29.
    write_review(repo, TEAM, dt.date(2010, 8, 31), {"S01": "Good", "S02": "Good", "S03": "Good"})
    team = score(repo, dt.date(2011, 1, 1)).team(BOROUGH, TEAM)
    assert team.history[0].next_review_due == dt.date(2010, 2, 28)
    assert team.next_review_due == dt.date(2012, 2, 29)
    assert team.overdue is False


def test_a_closed_team_is_never_due_nor_overdue(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write_team(repo, TEAM, closed=dt.date(2011, 6, 30))
    write_review(repo, TEAM, dt.date(2010, 8, 31), {"S01": "Good", "S02": "Good", "S03": "Good"})
    team = score(repo, dt.date(2014, 1, 1)).team(BOROUGH, TEAM)
    assert team.closed
    assert team.history[0].next_review_due == dt.date(2012, 2, 29)  # the review's own date
    assert team.next_review_due is None
    assert team.overdue is False


def test_a_team_closing_after_the_as_of_date_is_still_due(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write_team(repo, TEAM, closed=dt.date(2013, 1, 1))
    # 2 + 2 + 2 = 50%: Adequate, so due 12 months later, on 2012-12-01.
    adequate = {"S01": "Adequate", "S02": "Adequate", "S03": "Adequate"}
    write_review(repo, TEAM, dt.date(2011, 12, 1), adequate)
    before = score(repo, dt.date(2012, 12, 15)).team(BOROUGH, TEAM)
    assert (before.closed, before.next_review_due, before.overdue) == (
        False,
        dt.date(2012, 12, 1),
        True,
    )
    after = score(repo, dt.date(2013, 1, 1)).team(BOROUGH, TEAM)
    assert (after.closed, after.next_review_due, after.overdue) == (True, None, False)


def test_a_due_date_past_the_calendar_is_none(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}
    write_review(repo, TEAM, dt.date(2011, 1, 10), good)
    # A completed review may be dated ahead; 18 months after it is past 9999-12-31.
    write_review(repo, TEAM, dt.date(9999, 11, 24), good, status="completed")
    team = score(repo).team(BOROUGH, TEAM)
    assert team.completed[0].next_review_due is None
    assert team.next_review_due == dt.date(2012, 7, 10)


def test_a_team_never_presented_is_neither_due_nor_overdue(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write_team(repo, "reviewed")  # another team, so the borough has something presented
    write_review(
        repo, "reviewed", dt.date(2010, 8, 31), {"S01": "Good", "S02": "Good", "S03": "Good"}
    )
    write_team(repo, "new-team")
    write_review(
        repo,
        "new-team",
        dt.date(2010, 9, 1),
        {"S01": "Good", "S02": "Good", "S03": "Good"},
        status="completed",
    )
    write_team(repo, "empty-team")
    results = score(repo, dt.date(2014, 1, 1))
    new_team = results.team(BOROUGH, "new-team")
    assert new_team.history == ()
    assert dates(new_team.pending) == [dt.date(2010, 9, 1)]
    assert new_team.latest is None
    assert (new_team.next_review_due, new_team.overdue) == (None, False)
    empty = results.team(BOROUGH, "empty-team")
    assert (empty.history, empty.pending) == ((), ())
    assert (empty.next_review_due, empty.overdue) == (None, False)
    assert results.team(BOROUGH, "reviewed").overdue is True


def test_a_completed_review_after_the_latest_presented_one_is_pending_and_sets_no_date(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo")
    # Presented 2010-08-31, all Good: due 2012-02-29. Completed 2012-04-01, not yet presented.
    write_review(repo, TEAM, dt.date(2010, 8, 31), {"S01": "Good", "S02": "Good", "S03": "Good"})
    write_review(
        repo,
        TEAM,
        dt.date(2012, 4, 1),
        {"S01": "Outstanding", "S02": "Outstanding", "S03": "Outstanding"},
        status="completed",
    )
    team = score(repo, AS_OF).team(BOROUGH, TEAM)
    assert dates(team.history) == [dt.date(2010, 8, 31)]
    assert dates(team.pending) == [dt.date(2012, 4, 1)]
    assert team.pending[0].record.status == "completed"
    assert team.latest is team.history[0]
    assert team.next_review_due == dt.date(2012, 2, 29)
    assert team.overdue is True


# --------------------------------------------------------------------------
# 7. Actions


def test_actions_are_counted_open_done_and_overdue_per_review_and_per_team(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}  # nothing the validator needs covered
    as_of = dt.date(2011, 6, 30)
    write_review(
        repo,
        TEAM,
        dt.date(2010, 1, 10),
        good,
        actions=[
            action("A1", dt.date(2010, 6, 30)),  # open, past due: overdue
            action("A2", dt.date(2010, 6, 30), "done", dt.date(2010, 6, 1)),  # done
        ],
    )
    write_review(
        repo,
        TEAM,
        dt.date(2011, 1, 10),
        good,
        actions=[
            action("A1", as_of),  # open, due on the as-of date: not overdue
            action("A2", dt.date(2011, 6, 29)),  # open, due the day before: overdue
            action("A3", dt.date(2011, 3, 31), "done", dt.date(2011, 3, 1)),  # done
            action("A4", dt.date(2011, 2, 1), "done", dt.date(2011, 5, 1)),  # done late: done
            action("A5", dt.date(2011, 12, 31)),  # open, not due yet
        ],
    )
    # A completed (not presented) review and a draft: their actions are not the team's.
    write_review(
        repo,
        TEAM,
        dt.date(2011, 5, 1),
        good,
        status="completed",
        actions=[action("A1", dt.date(2011, 5, 2))],  # open, overdue
    )
    write_review(
        repo,
        TEAM,
        dt.date(2011, 6, 1),
        good,
        status="draft",
        actions=[action("A1", dt.date(2011, 6, 2)), action("A2", dt.date(2011, 6, 3))],
    )
    results = score(repo, as_of)
    team = results.team(BOROUGH, TEAM)
    first, second = team.history
    assert first.actions == ActionCounts(open=1, done=1, overdue=1)
    assert second.actions == ActionCounts(open=3, done=2, overdue=1)
    assert team.pending[0].actions == ActionCounts(open=1, done=0, overdue=1)
    # The team: presented reviews only: open 1 + 3, done 1 + 2, overdue 1 + 1.
    assert team.actions == ActionCounts(open=4, done=3, overdue=2)


def test_an_action_is_overdue_only_when_open_and_due_before_the_as_of_date() -> None:
    due = dt.date(2011, 6, 30)
    open_action = Action.model_validate(action("A1", due))
    done_action = Action.model_validate(action("A2", due, "done", dt.date(2011, 7, 5)))
    assert not is_overdue(open_action, dt.date(2011, 6, 29))
    assert not is_overdue(open_action, due)
    assert is_overdue(open_action, dt.date(2011, 7, 1))
    assert not is_overdue(done_action, dt.date(2012, 1, 1))
    counts = count_actions([open_action, done_action], dt.date(2011, 7, 1))
    assert counts == ActionCounts(open=1, done=1, overdue=1)


# --------------------------------------------------------------------------
# 8. History


def test_changes_per_standard_and_overall_through_a_teams_history(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    # R1: 2 + 3 + 2 = 7 of 12 = 58.33%: Adequate.
    write_review(
        repo, TEAM, dt.date(2010, 1, 10), {"S01": "Adequate", "S02": "Good", "S03": "Adequate"}
    )
    # R2: 3 + 2 + 2 = 7: same percentage; S01 up, S02 down, S03 the same.
    write_review(
        repo, TEAM, dt.date(2011, 1, 10), {"S01": "Good", "S02": "Adequate", "S03": "Adequate"}
    )
    # R3: 1 + 4 + 4 = 9 of 12 = 75%: Good band, limited to Adequate by S01.
    write_review(
        repo,
        TEAM,
        dt.date(2012, 1, 10),
        {"S01": "Inadequate", "S02": "Outstanding", "S03": "Outstanding"},
    )
    # R4: 3 + 3 + 2 = 8 of 12 = 66.67%: Good, lower than R3.
    write_review(
        repo, TEAM, dt.date(2012, 5, 10), {"S01": "Good", "S02": "Good", "S03": "Adequate"}
    )
    team = score(repo).team(BOROUGH, TEAM)
    r1, r2, r3, r4 = team.history
    assert dates(team.history) == sorted(dates(team.history))

    assert r1.change == OverallChange(
        Change.NEW, Change.NEW, None, None, None, None, None, None, 0, False
    )
    assert [(s.change, s.previous) for s in r1.standards] == [(Change.NEW, None)] * 3

    # Both Adequate, both 58.33%: neither the rating nor the percentage moved.
    assert (r2.change.rating, r2.change.percent) == (Change.UNCHANGED, Change.UNCHANGED)
    assert (r2.change.rating_then, r2.change.rating_now) == ("Adequate", "Adequate")
    assert r2.change.since == dt.date(2010, 1, 10)
    assert r2.change.previous_rating == "Adequate"
    assert (r2.change.percent_now, r2.change.percent_then) == (Fraction(175, 3), Fraction(175, 3))
    assert r2.change.delta == 0
    assert r2.change.compared == 3
    assert r2.change.versions_differ is False
    assert [(s.id, s.change, s.previous) for s in r2.standards] == [
        ("S01", Change.IMPROVED, "Adequate"),
        ("S02", Change.DECLINED, "Good"),
        ("S03", Change.UNCHANGED, "Adequate"),
    ]

    # R3 against R2: 75 against 58.33: the percentage improved by 16.67 (50/3), but the
    # rating, limited to Adequate by S01, is Adequate as before.
    assert (r3.change.rating, r3.change.percent) == (Change.UNCHANGED, Change.IMPROVED)
    assert (r3.change.rating_then, r3.change.rating_now) == ("Adequate", "Adequate")
    assert r3.change.since == dt.date(2011, 1, 10)
    assert r3.change.delta == Fraction(50, 3)
    assert [s.change for s in r3.standards] == [Change.DECLINED, Change.IMPROVED, Change.IMPROVED]

    # R4 against R3: 66.67 against 75: the percentage declined, but the rating went from
    # R3's limited Adequate (not its Good band) to Good: improved.
    assert (r4.change.rating, r4.change.percent) == (Change.IMPROVED, Change.DECLINED)
    assert (r4.change.rating_then, r4.change.rating_now) == ("Adequate", "Good")
    assert r4.change.previous_rating == "Adequate"
    assert (r4.change.percent_now, r4.change.percent_then) == (Fraction(200, 3), Fraction(75))
    assert r4.change.delta == Fraction(-25, 3)
    assert [(s.change, s.previous) for s in r4.standards] == [
        (Change.IMPROVED, "Inadequate"),
        (Change.DECLINED, "Outstanding"),
        (Change.DECLINED, "Outstanding"),
    ]
    assert team.latest is r4


def test_across_framework_versions_only_shared_standards_are_compared(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write_version_2(repo)
    # Version 1: S01 Good, S02 Outstanding, S03 Adequate: 3 + 4 + 2 = 9 of 12 = 75%, Good.
    write_review(
        repo,
        TEAM,
        dt.date(2011, 1, 10),
        {"S01": "Good", "S02": "Outstanding", "S03": "Adequate"},
        version=1,
    )
    # Version 2: S01 Good, S03 Good, S04 Inadequate: 3 + 3 + 1 = 7 of 12 = 58.33%, Adequate.
    write_review(
        repo,
        TEAM,
        dt.date(2012, 1, 10),
        {"S01": "Good", "S03": "Good", "S04": "Inadequate"},
        version=2,
    )
    team = score(repo).team(BOROUGH, TEAM)
    old, new = team.history
    assert old.overall.score is not None and new.overall.score is not None
    assert old.overall.score.percent == Fraction(75)
    assert new.overall.score.percent == Fraction(175, 3)
    # Shared: S01 and S03. Now 3 + 3 = 6 of 8 = 75%, Good; then 3 + 2 = 5 of 8 = 62.5%,
    # Adequate: both improved, although the whole percentage fell from 75 to 58.33 and the
    # whole rating from Good to Adequate.
    assert (new.change.rating, new.change.percent) == (Change.IMPROVED, Change.IMPROVED)
    assert (new.change.rating_then, new.change.rating_now) == ("Adequate", "Good")
    assert new.overall.rating == "Adequate"
    assert new.change.compared == 2
    assert (new.change.percent_now, new.change.percent_then) == (Fraction(75), Fraction(125, 2))
    assert new.change.versions_differ is True
    assert new.change.previous_rating == "Good"
    assert [s.id for s in old.standards] == ["S01", "S02", "S03"]
    assert [(s.id, s.change) for s in new.standards] == [
        ("S01", Change.UNCHANGED),
        ("S03", Change.IMPROVED),
        ("S04", Change.NEW),
    ]


# --------------------------------------------------------------------------
# 9. Drafts and completed reviews


def test_drafts_are_never_scored_and_completed_reviews_are_not_history(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}
    write_review(repo, TEAM, dt.date(2011, 1, 10), good)
    write_review(
        repo,
        TEAM,
        dt.date(2011, 6, 1),
        {"S01": "Outstanding", "S02": "Outstanding", "S03": "Outstanding"},
        status="draft",
    )
    write_review(repo, TEAM, dt.date(2012, 3, 1), good, status="completed")
    write_review(repo, TEAM, dt.date(2012, 7, 12), {"S01": "Good", "S02": None}, status="draft")
    results = score(repo)
    team = results.team(BOROUGH, TEAM)
    assert dates(results.reviews) == [dt.date(2011, 1, 10), dt.date(2012, 3, 1)]
    assert [r.record.status for r in results.reviews] == ["presented", "completed"]
    assert [r.presented for r in results.reviews] == [True, False]
    assert dates(team.history) == [dt.date(2011, 1, 10)]
    assert dates(team.pending) == [dt.date(2012, 3, 1)]
    # The completed review is compared with the presented one before it, not the draft.
    assert team.pending[0].change.since == dt.date(2011, 1, 10)
    assert team.pending[0].change.rating is Change.UNCHANGED
    assert team.pending[0].change.percent is Change.UNCHANGED


def test_a_later_presented_review_compares_with_the_last_presented_not_a_draft_or_completed(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}
    write_review(repo, TEAM, dt.date(2010, 1, 10), good)
    write_review(repo, TEAM, dt.date(2010, 6, 1), {"S01": "Inadequate"}, status="draft")
    write_review(
        repo,
        TEAM,
        dt.date(2010, 9, 1),
        {"S01": "Outstanding", "S02": "Outstanding", "S03": "Outstanding"},
        status="completed",
    )
    write_review(
        repo, TEAM, dt.date(2011, 1, 10), {"S01": "Good", "S02": "Adequate", "S03": "Good"}
    )
    team = score(repo).team(BOROUGH, TEAM)
    assert dates(team.history) == [dt.date(2010, 1, 10), dt.date(2011, 1, 10)]
    latest = team.history[-1]
    # 9 of 12 (75%) then, 8 of 12 (66.67%) now, both Good: the percentage declined against
    # the presented review of 2010-01-10; the rating did not.
    assert latest.change.since == dt.date(2010, 1, 10)
    assert (latest.change.rating, latest.change.percent) == (Change.UNCHANGED, Change.DECLINED)
    assert [s.previous for s in latest.standards] == ["Good", "Good", "Good"]
    assert team.pending == ()


def test_a_completed_review_between_two_presented_ones_is_still_in_the_results(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}
    write_review(repo, TEAM, dt.date(2010, 1, 10), good)
    write_review(repo, TEAM, dt.date(2010, 9, 1), good, status="completed")
    write_review(repo, TEAM, dt.date(2011, 1, 10), good)
    results = score(repo)
    assert dates(results.team(BOROUGH, TEAM).history) == [
        dt.date(2010, 1, 10),
        dt.date(2011, 1, 10),
    ]
    # Results.reviews: "completed and presented, never drafts".
    assert dates(results.reviews) == [
        dt.date(2010, 1, 10),
        dt.date(2010, 9, 1),
        dt.date(2011, 1, 10),
    ]


# --------------------------------------------------------------------------
# 10. The programme series


def test_series_on_the_sample_for_hammersmith_and_fulham_s07(sample_results: Results) -> None:
    results = sample_results
    (series,) = [
        s for s in results.series if (s.borough, s.standard) == ("hammersmith-fulham", "S07")
    ]
    # Counted by hand from the S07 grades of the presented H&F reviews
    # (adequate or above / graded):
    #   2009-H2: older-people 2009-11-26 (A A A I I G: 4/6),
    #            physical-disabilities 2009-12-10 (A I I I A: 2/5)           -> 6/11 = 54.5%
    #   2010-H1: hospital 2010-03-18 (4/7), mental-health 2010-06-17 (4/6)   -> 8/13
    #   2010-H2: older-people 2010-11-18 (5/6), physical-disabilities 2010-12-02 (4/5),
    #            learning-disability 2010-12-09 (3/7)                          -> 12/18
    #   2011-H1: hospital 2011-03-17 (5/7), mental-health 2011-06-16 (5/7)   -> 10/14
    #   2011-H2: learning-disability 2011-09-22 (5/7), social-work 2011-10-13 (6/8),
    #            assessment 2011-10-20 (5/6)                                   -> 16/21 = 76.2%
    #   2012-H1 to 2014-H2: no H&F review: gap points with zero
    #   2015-H1: social-work 2015-06-18 (G G A: 3/3)                           -> 3/3
    #   2015-H2: assessment 2015-09-17 (A I G G: 3/4)                          -> 3/4
    assert [p.period.label for p in series.points] == [
        "2009-H2",
        "2010-H1",
        "2010-H2",
        "2011-H1",
        "2011-H2",
        "2012-H1",
        "2012-H2",
        "2013-H1",
        "2013-H2",
        "2014-H1",
        "2014-H2",
        "2015-H1",
        "2015-H2",
    ]
    assert [p.audits for p in series.points] == [
        AuditTally(11, 6),
        AuditTally(13, 8),
        AuditTally(18, 12),
        AuditTally(14, 10),
        AuditTally(21, 16),
        *[AuditTally(0, 0)] * 6,
        AuditTally(3, 3),
        AuditTally(4, 3),
    ]
    assert [p.reviews for p in series.points] == [2, 2, 3, 2, 3, 0, 0, 0, 0, 0, 0, 1, 1]
    # The programme's measured improvement: November 2009 to October 2011.
    first, late_2011 = series.points[0].audits.share, series.points[4].audits.share
    assert series.points[4].period.label == "2011-H2"
    assert first == Fraction(600, 11) and late_2011 == Fraction(1600, 21)
    assert (round(first), round(late_2011)) == (55, 76)
    assert series.points[-1].audits.share == Fraction(75)


def test_series_exist_per_borough_and_overall_for_each_critical_standard_and_all(
    sample_results: Results,
) -> None:
    results = sample_results
    keys = [(s.borough, s.standard) for s in results.series]
    standards = [*CRITICAL_50, None]
    boroughs = [None, "hammersmith-fulham", "kensington-chelsea", "westminster"]
    assert keys == [(b, s) for b in boroughs for s in standards]


def test_series_count_presented_reviews_only_and_fill_gaps_with_zero(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}
    # Borough one: 2010-02-01 (2010-H1) S01 grades Good, Inadequate; S02 Adequate.
    write_review(
        repo,
        "team-a",
        dt.date(2010, 2, 1),
        good,
        cases=[{"S01": "Good", "S02": "Adequate"}, {"S01": "Inadequate"}],
    )
    # 2011-03-01 (2011-H1): S01 Adequate. 2010-H2 has no grades: a gap point with zero.
    write_review(repo, "team-a", dt.date(2011, 3, 1), good, cases=[{"S01": "Adequate"}])
    # Completed and draft reviews with grades in 2010-H2: not counted.
    write_review(
        repo, "team-a", dt.date(2011, 9, 1), good, status="completed", cases=[{"S01": "Good"}]
    )
    write_review(repo, "team-a", dt.date(2010, 9, 1), good, status="draft", cases=[{"S01": "Good"}])
    # Borough two: 2010-06-30 (still 2010-H1): S01 Inadequate, S03 Good.
    write_review(
        repo,
        "team-b",
        dt.date(2010, 6, 30),
        good,
        borough="westminster",
        cases=[{"S01": "Inadequate", "S03": "Good"}],
    )
    results = score(repo)
    series = {(s.borough, s.standard): s.points for s in results.series}
    assert set(series) == {
        (b, s) for b in (None, BOROUGH, "westminster") for s in ("S01", "S03", None)
    }

    one_s01 = series[(BOROUGH, "S01")]
    assert [(p.period.label, p.audits, p.reviews) for p in one_s01] == [
        ("2010-H1", AuditTally(2, 1), 1),
        ("2010-H2", AuditTally(0, 0), 0),
        ("2011-H1", AuditTally(1, 1), 1),
    ]
    assert one_s01[1].audits.share is None
    # All standards in borough one: 2010-H1 has 3 grades (Good, Adequate, Inadequate), 2 adequate.
    assert [p.audits for p in series[(BOROUGH, None)]] == [
        AuditTally(3, 2),
        AuditTally(0, 0),
        AuditTally(1, 1),
    ]
    # S03 in borough one: never graded: no points at all.
    assert series[(BOROUGH, "S03")] == ()
    # Both boroughs, S01: 2010-H1 adds westminster's Inadequate: 3 graded, 1 adequate.
    assert [(p.period.label, p.audits, p.reviews) for p in series[(None, "S01")]] == [
        ("2010-H1", AuditTally(3, 1), 2),
        ("2010-H2", AuditTally(0, 0), 0),
        ("2011-H1", AuditTally(1, 1), 1),
    ]
    assert [p.audits for p in series[(None, None)]] == [
        AuditTally(5, 3),
        AuditTally(0, 0),
        AuditTally(1, 1),
    ]
    assert [(p.period.label, p.audits) for p in series[("westminster", "S03")]] == [
        ("2010-H1", AuditTally(1, 1))
    ]


def test_half_years_split_at_the_end_of_june() -> None:
    assert HalfYear.of(dt.date(2010, 6, 30)) == HalfYear(2010, 1)
    assert HalfYear.of(dt.date(2010, 7, 1)) == HalfYear(2010, 2)
    assert HalfYear.of(dt.date(2009, 12, 31)).label == "2009-H2"
    assert HalfYear(2009, 2).next() == HalfYear(2010, 1)
    assert HalfYear(2010, 1).next() == HalfYear(2010, 2)
    assert (HalfYear(2010, 2).start, HalfYear(2010, 2).end) == (
        dt.date(2010, 7, 1),
        dt.date(2010, 12, 31),
    )
    assert (HalfYear(2011, 1).start, HalfYear(2011, 1).end) == (
        dt.date(2011, 1, 1),
        dt.date(2011, 6, 30),
    )
    assert HalfYear(2009, 2) < HalfYear(2010, 1) < HalfYear(2010, 2)
    assert not HalfYear(2010, 1) < HalfYear(2010, 1)


# --------------------------------------------------------------------------
# 11. Display


@pytest.mark.parametrize(
    ("percent", "shown"),
    [
        (Fraction(6296, 100), "62.9"),  # 62.96 is cut, not rounded up into Good
        (Fraction(629999, 10000), "62.9"),
        (Fraction(125, 2), "62.5"),
        (Fraction(63), "63.0"),
        (Fraction(200, 3), "66.6"),
        (Fraction(175, 3), "58.3"),
        (Fraction(100), "100.0"),
        (Fraction(25), "25.0"),
        (Fraction(0), "0.0"),
        (Fraction(1, 3), "0.3"),
        (Fraction(8799, 100), "87.9"),
    ],
)
def test_one_decimal_rounds_down(percent: Fraction, shown: str) -> None:
    assert numbers.score_decimal(percent) == Decimal(shown)
    assert str(numbers.score_decimal(percent)) == shown
    assert numbers.score_text(percent) == f"{shown}%"


@pytest.mark.parametrize(
    ("percent", "shown"),
    [
        (Fraction(200, 3), "66.7"),  # 2 of 3: nearest, not cut
        (Fraction(1600, 21), "76.2"),  # 16 of 21 = 76.19
        (Fraction(600, 11), "54.5"),  # 6 of 11 = 54.545...
        (Fraction(3, 20), "0.2"),  # exactly 0.15: a half, rounded up
        (Fraction(1, 20), "0.1"),  # exactly 0.05
        (Fraction(999, 10) + Fraction(4, 100), "99.9"),  # 99.94
        (Fraction(100), "100.0"),
        (Fraction(0), "0.0"),
    ],
)
def test_shares_round_to_the_nearest_tenth(percent: Fraction, shown: str) -> None:
    assert str(numbers.share_decimal(percent)) == shown
    assert numbers.share_text(percent) == f"{shown}%"


def test_a_borough_with_nothing_presented_has_empty_series(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}
    write_review(repo, TEAM, dt.date(2011, 1, 10), good, cases=[{"S01": "Good"}])
    write_team(repo, "new-team", borough="kensington-chelsea")
    write_review(
        repo,
        "new-team",
        dt.date(2011, 2, 1),
        good,
        borough="kensington-chelsea",
        status="draft",
        cases=[{"S01": "Good"}],
    )
    results = score(repo)
    empty = [s for s in results.series if s.borough == "kensington-chelsea"]
    assert [(s.standard, s.points) for s in empty] == [("S01", ()), ("S03", ()), (None, ())]
    (ours,) = [s for s in results.series if s.borough == BOROUGH and s.standard == "S01"]
    assert [(p.period.label, p.audits) for p in ours.points] == [("2011-H1", AuditTally(1, 1))]
