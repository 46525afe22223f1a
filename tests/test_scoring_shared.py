"""A programme is scored in one run that works out once what its reviews share:
the standards of each framework version, each score by points, and the standard
and domain results that many reviews have in common. Whatever is shared, every
review's result must be the one it has when it is scored on its own, and the
programme series the one an oracle written here counts from the reviews.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.check.repository import check
from generator.model.programme import Programme
from generator.score.audits import AuditTally
from generator.score.results import Results, score_programme
from generator.score.review import ReviewResult, score_review
from generator.score.rules import Rules
from generator.score.series import AuditSeries, HalfYear, audit_series
from tests.support.paths import ROOT
from tests.support.scored_repos import BOROUGH, TEAM, new_repo, write_review, write_version_2

AS_OF = dt.date(2017, 1, 1)


def checked(root: Path) -> Programme:
    validation = check(root, AS_OF)
    assert [p.format_text() for p in validation.problems if p.is_error] == []
    assert validation.programme is not None
    return validation.programme


@pytest.fixture(scope="module")
def sample() -> Programme:
    return checked(ROOT)


def each_alone(programme: Programme) -> list[ReviewResult]:
    """Every completed and presented review scored by itself, with fresh rules, each
    against the team's previous presented review as scored the same way."""
    results = []
    for team in programme.teams:
        previous = None
        for record in team.reviews:
            if record.status == "draft":
                continue
            rules = Rules.from_framework(programme.framework)
            result = score_review(
                record, programme.standards, programme.framework, rules, previous, AS_OF
            )
            results.append(result)
            if result.presented:
                previous = result
    return results


def in_run(results: Results) -> list[ReviewResult]:
    return [r for t in results.teams for r in sorted((*t.history, *t.completed), key=_date)]


def _date(result: ReviewResult) -> dt.date:
    return result.record.date


def test_each_review_of_the_sample_is_scored_as_it_is_on_its_own(sample: Programme) -> None:
    alone = each_alone(sample)
    assert len(alone) > 10
    assert in_run(score_programme(sample, AS_OF)) == alone


def test_reviews_of_two_framework_versions_are_scored_as_they_are_on_their_own(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo")
    write_version_2(repo)
    grades = [{"S01": "Good", "S03": "Inadequate"}, {"S01": "Outstanding", "S03": "Good"}]
    v1 = {"S01": "Inadequate", "S02": "Good", "S03": "Inadequate"}
    v2 = {"S01": "Inadequate", "S03": "Inadequate", "S04": "Good"}
    for team in (TEAM, "hospital"):
        write_review(repo, team, dt.date(2010, 3, 1), v1, cases=grades, version=1)
        write_review(repo, team, dt.date(2010, 9, 1), v1, cases=grades[:1], version=1)
        write_review(repo, team, dt.date(2011, 3, 1), v2, cases=grades, version=2)
        write_review(repo, team, dt.date(2011, 9, 1), v2, status="completed", version=2)
        write_review(repo, team, dt.date(2012, 3, 1), {"S01": "Good"}, status="draft", version=2)
    programme = checked(repo)
    results = score_programme(programme, AS_OF)
    alone = each_alone(programme)
    assert in_run(results) == alone
    # The same inputs share one result; the two critical standards do not.
    first, second = results.team(BOROUGH, TEAM), results.team(BOROUGH, "hospital")
    assert first.history[0].standards[0] is second.history[0].standards[0]
    assert [s.id for s in first.history[0].standards] == ["S01", "S02", "S03"]
    assert [s.id for s in first.history[-1].standards] == ["S01", "S03", "S04"]
    assert first.history[-1].change.versions_differ is True


Points = list[tuple[HalfYear, AuditTally, int]]


def oracle(results: Results, borough: str | None, standard: str | None) -> Points:
    """A series counted directly from the rules: presented reviews, by half-year."""
    tallies: dict[HalfYear, AuditTally] = {}
    reviews: dict[HalfYear, int] = {}
    for review in results.reviews:
        if not review.presented or borough not in (None, review.record.borough_id):
            continue
        if standard is None:
            tally = review.audits
        elif review.rates(standard):
            tally = review.standard(standard).audit
        else:
            tally = AuditTally()
        if tally.graded:
            period = HalfYear.of(review.record.date)
            tallies[period] = tallies.get(period, AuditTally()) + tally
            reviews[period] = reviews.get(period, 0) + 1
    points: Points = []
    if tallies:
        period = min(tallies)
        while period <= max(tallies):
            points.append((period, tallies.get(period, AuditTally()), reviews.get(period, 0)))
            period = period.next()
    return points


def as_points(series: AuditSeries) -> Points:
    return [(p.period, p.audits, p.reviews) for p in series.points]


def test_the_series_are_those_counted_review_by_review(sample: Programme) -> None:
    results = score_programme(sample, AS_OF)
    boroughs = sorted(sample.boroughs)
    critical = [s.id for _, s in sorted(sample.standards.items()) if s.critical]
    expected = [(b, s, oracle(results, b, s)) for b in [None, *boroughs] for s in [*critical, None]]
    assert [(s.borough, s.standard, as_points(s)) for s in results.series] == expected
    assert all(points for b, _, points in expected if b is None)
    # A borough asked for twice, one with no reviews, a standard no review rates.
    asked, standards = [boroughs[0], "nowhere", boroughs[0]], ["S07", "S99", "S07"]
    series = audit_series(results.reviews, asked, standards)
    assert [(s.borough, s.standard, as_points(s)) for s in series] == [
        (b, s, oracle(results, b, s)) for b in [None, *asked] for s in [*standards, None]
    ]


def test_a_team_is_found_by_its_borough_and_id(sample: Programme) -> None:
    results = score_programme(sample, AS_OF)
    for team in results.teams:
        assert results.team(team.record.borough_id, team.record.id) is team
    with pytest.raises(KeyError) as missing:
        results.team(BOROUGH, "no-such-team")
    assert missing.value.args == ((BOROUGH, "no-such-team"),)


def test_a_label_not_on_the_scale_has_no_rank(sample: Programme) -> None:
    rules = Rules.from_framework(sample.framework)
    assert [rules.rank(label) for label in rules.labels] == list(range(len(rules.labels)))
    with pytest.raises(ValueError):
        rules.rank("Excellent")
