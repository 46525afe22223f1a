"""The bundled sample programme: valid, and true to the programme's history."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.check.repository import check
from generator.model.programme import Programme, ReviewRecord
from tests.support.cli import run_cli
from tests.support.paths import ROOT

END_OF_SAMPLE = dt.date(2017, 1, 1)
ADEQUATE_OR_ABOVE = {"Outstanding", "Good", "Adequate"}


@pytest.fixture(scope="module")
def programme() -> Programme:
    validation = check(ROOT, END_OF_SAMPLE)
    assert validation.problems == []
    assert validation.programme is not None
    return validation.programme


def test_the_sample_validates_strictly_with_nothing_to_say() -> None:
    result = run_cli("validate", "--strict")
    assert (result.returncode, result.stdout) == (0, "")


def _safeguarding_share(reviews: list[ReviewRecord], standards: set[str]) -> float:
    grades = [
        label
        for r in reviews
        for case in r.review.cases
        for standard_id, label in case.grades.items()
        if standard_id in standards
    ]
    assert len(grades) >= 10
    return 100 * sum(label in ADEQUATE_OR_ABOVE for label in grades) / len(grades)


@pytest.mark.parametrize(
    "standards", [{"S07"}, {f"S0{n}" for n in range(1, 9)}], ids=["S07", "safeguarding-domain"]
)
def test_hf_safeguarding_audits_rise_from_55_to_76_percent(
    programme: Programme, standards: set[str]
) -> None:
    hf = [r for r in programme.reviews if r.borough_id == "hammersmith-fulham"]
    late_2009 = [r for r in hf if dt.date(2009, 7, 1) <= r.date <= dt.date(2009, 12, 31)]
    late_2011 = [r for r in hf if dt.date(2011, 7, 1) <= r.date <= dt.date(2011, 12, 31)]
    assert _safeguarding_share(late_2009, standards) == pytest.approx(55, abs=2)
    assert _safeguarding_share(late_2011, standards) == pytest.approx(76, abs=2)


def test_seven_hf_services_and_the_2011_reorganisation(programme: Programme) -> None:
    hf = programme.boroughs["hammersmith-fulham"]
    assert len(hf.teams) == 7
    end_of_2011 = dt.date(2011, 12, 31)
    # All seven had been reviewed by late 2011 ...
    assert all(any(r.date <= end_of_2011 for r in team.reviews) for team in hf.teams.values())
    dates = [r.date for t in hf.teams.values() for r in t.reviews]
    assert min(dates).strftime("%Y-%m") == "2009-11"
    assert max(d for d in dates if d <= end_of_2011).strftime("%Y-%m") == "2011-10"
    # ... and after the reorganisation only its two new teams are reviewed again.
    later = sorted(
        (r.date, t.id) for t in hf.teams.values() for r in t.reviews if r.date > end_of_2011
    )
    assert later == [
        (dt.date(2015, 6, 18), "social-work"),
        (dt.date(2015, 9, 17), "assessment"),
    ]
    closed = {t.id for t in hf.teams.values() if t.team.closed}
    assert closed == {"older-people", "physical-disabilities", "hospital"}
    for team_id in closed:
        team = hf.teams[team_id].team
        assert team.closed is not None and team.closed.year == 2011
        assert set(team.replaced_by) == {"social-work", "assessment"}


def test_the_learning_disability_team_improved(programme: Programme) -> None:
    reviews = programme.boroughs["hammersmith-fulham"].teams["learning-disability"].reviews
    first, *_, latest = reviews
    assert first.date.strftime("%Y-%m") == "2010-12"
    values = {"Outstanding": 4, "Good": 3, "Adequate": 2, "Inadequate": 1}
    for standard_id in ("S07", "S36"):  # safeguarding enquiries, face-to-face contact
        before = first.review.ratings[standard_id].rating
        after = latest.review.ratings[standard_id].rating
        assert before == "Inadequate"
        assert after is not None and values[after] > values[before]


def test_partner_boroughs_have_comparable_teams(programme: Programme) -> None:
    hf_services = {t.team.service for t in programme.boroughs["hammersmith-fulham"].teams.values()}
    for borough_id in ("kensington-chelsea", "westminster"):
        teams = programme.boroughs[borough_id].teams.values()
        assert len(teams) >= 3
        assert {t.team.service for t in teams} <= hf_services
        assert min(r.date for t in teams for r in t.reviews) >= dt.date(2011, 7, 1)


def test_a_draft_a_completed_review_and_overdue_work(programme: Programme) -> None:
    statuses = [r.status for r in programme.reviews]
    assert statuses.count("draft") >= 1
    assert statuses.count("completed") >= 1
    overdue = [
        a
        for r in programme.reviews
        if r.status != "draft"
        for a in r.review.actions
        if a.status == "open" and a.due < END_OF_SAMPLE
    ]
    assert overdue


def test_governance_board_co_chaired_by_a_frontline_social_worker(programme: Programme) -> None:
    meetings = programme.boroughs["hammersmith-fulham"].meetings
    assert len(meetings) >= 4
    for record in meetings:
        roles = [chair.role for chair in record.meeting.chairs]
        assert "Frontline social worker" in roles
        assert record.meeting.representatives
        assert all(case.standards for case in record.meeting.cases)
    court = [c for m in meetings for c in m.meeting.cases if "S21" in c.standards]
    assert len({c.ref for c in court if c.team == "learning-disability"}) >= 3
