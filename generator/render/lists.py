"""The lists several pages show: open actions with the page each came from,
the review schedule, the teams needing attention, and the governance board's cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.dates import day_text
from generator.model.meeting import BoardCase
from generator.model.programme import MeetingRecord, Programme
from generator.model.review import Action
from generator.render.urls import due_path, meeting_path, review_path
from generator.score.actions import OpenAction, open_actions
from generator.score.results import Results
from generator.score.rules import Rules
from generator.score.schedule import add_months
from generator.score.team import TeamResult

DUE_SOON_MONTHS = 3

TeamActions = tuple[str | None, list["ListedAction"]]  # a team's id (None: the board)


@dataclass(frozen=True)
class ListedAction:
    """An open action as the lists show it: with where it came from."""

    borough: str
    team: str | None  # None: a governance board action
    source: str  # "Review of 9 December 2010" or "Board meeting of ..."
    source_path: str  # the page it came from, in the docs folder
    action: Action
    overdue: bool


def listed_actions(programme: Programme, results: Results) -> list[ListedAction]:
    """Every open action, in the order of ``open_actions``: overdue first."""
    return [_listed(found) for found in open_actions(programme, results)]


def _listed(found: OpenAction) -> ListedAction:
    if found.team is None:
        source = f"Board meeting of {day_text(found.day)}"
        path = meeting_path(found.borough, found.day)
    else:
        source = f"Review of {day_text(found.day)}"
        path = review_path(found.borough, found.team, found.day)
    return ListedAction(found.borough, found.team, source, path, found.action, found.overdue)


def actions_by_borough(
    programme: Programme, actions: list[ListedAction]
) -> list[tuple[str, list[TeamActions]]]:
    """Open actions grouped by borough, then team (board actions last), overdue first."""
    grouped = []
    for borough in programme.boroughs:
        mine = [a for a in actions if a.borough == borough]
        teams: list[TeamActions] = []
        for team in [*programme.boroughs[borough].teams, None]:
            chosen = [a for a in mine if a.team == team]
            if chosen:
                teams.append((team, chosen))
        grouped.append((borough, teams))
    return grouped


@dataclass(frozen=True)
class ScheduleEntry:
    team: TeamResult
    due: dt.date | None
    state: str  # overdue | due-soon | scheduled | not-reviewed

    @property
    def order(self) -> tuple[int, dt.date, str, str]:
        rank = {"overdue": 0, "not-reviewed": 1, "due-soon": 2, "scheduled": 3}[self.state]
        return (rank, self.due or dt.date.max, self.team.record.borough_id, self.team.record.id)


def review_schedule(results: Results) -> list[ScheduleEntry]:
    """Every team that still exists, overdue first, then by due date."""
    soon = add_months(results.as_of, DUE_SOON_MONTHS)
    entries = []
    for team in results.teams:
        if team.closed:
            continue
        due = team.next_review_due
        if team.latest is None:
            state = "not-reviewed"
        elif team.overdue:
            state = "overdue"
        elif due is not None and due <= soon:
            state = "due-soon"
        else:
            state = "scheduled"
        entries.append(ScheduleEntry(team, due, state))
    return sorted(entries, key=lambda e: e.order)


@dataclass(frozen=True)
class BoroughDue:
    """What one borough has overdue or due soon: every item, most overdue first."""

    borough: str  # its id
    schedule: list[ScheduleEntry]  # reviews overdue, then due soon, by due date
    overdue_actions: list[ListedAction]  # by due date, the longest overdue first

    @property
    def reviews_overdue(self) -> int:
        return sum(1 for e in self.schedule if e.state == "overdue")

    @property
    def reviews_due_soon(self) -> int:
        return sum(1 for e in self.schedule if e.state == "due-soon")

    @property
    def path(self) -> str:
        """The borough's page that lists every one of them."""
        return due_path(self.borough)


def due_by_borough(
    programme: Programme, schedule: list[ScheduleEntry], actions: list[ListedAction]
) -> list[BoroughDue]:
    """Each borough's reviews overdue or due soon and its overdue actions, in the
    programme's order of boroughs, each list in the order it is given (``review_schedule``,
    ``listed_actions``: the most overdue first)."""
    return [
        BoroughDue(
            borough,
            [
                e
                for e in schedule
                if e.team.record.borough_id == borough and e.state in ("overdue", "due-soon")
            ],
            [a for a in actions if a.borough == borough and a.overdue],
        )
        for borough in programme.boroughs
    ]


@dataclass(frozen=True)
class BoardCaseEntry:
    meeting: MeetingRecord
    index: int  # position in the meeting's cases

    @property
    def case(self) -> BoardCase:
        return self.meeting.meeting.cases[self.index]


def board_cases(programme: Programme) -> list[BoardCaseEntry]:
    """Every case of every meeting, by meeting date."""
    return [
        BoardCaseEntry(meeting, i)
        for meeting in sorted(programme.meetings, key=lambda m: (m.date, m.borough_id))
        for i in range(len(meeting.meeting.cases))
    ]


@dataclass(frozen=True)
class TeamAttention:
    """An active team that needs attention, and why: see ``teams_needing_attention``."""

    team: TeamResult
    below_line: bool  # rated below the framework's "adequate or above" line
    overdue_actions: list[ListedAction]  # the team's, the longest overdue first

    @property
    def limited(self) -> bool:
        latest = self.team.latest
        return latest is not None and latest.overall.limited


def teams_needing_attention(
    results: Results, rules: Rules, actions: list[ListedAction]
) -> list[TeamAttention]:
    """Every team still open that is rated below the "adequate or above" line, had its
    rating lowered by a critical standard, is overdue for review, has an overdue action,
    or has not been reviewed. Ranked: the worst overall rating first; then a rating the
    critical limiter lowered; then the lowest percentage; then the review longest
    overdue, then the most overdue actions; teams not yet reviewed last, by name."""
    overdue_of: dict[tuple[str, str | None], list[ListedAction]] = {}
    for listed in actions:
        if listed.overdue:
            overdue_of.setdefault((listed.borough, listed.team), []).append(listed)
    found = []
    for team in results.teams:
        if team.closed:
            continue
        overdue = overdue_of.get((team.record.borough_id, team.record.id), [])
        rating = team.latest.overall.rating if team.latest is not None else None
        below = rating is not None and not rules.is_adequate_or_above(rating)
        entry = TeamAttention(team, below, overdue)
        if rating is None or below or entry.limited or team.overdue or overdue:
            found.append(entry)
    return sorted(found, key=lambda entry: _attention_order(entry, rules))


def _attention_order(entry: TeamAttention, rules: Rules) -> tuple[object, ...]:
    team = entry.team
    name = (team.record.team.name, team.record.borough_id, team.record.id)
    overall = team.latest.overall if team.latest is not None else None
    if overall is None or overall.rating is None:
        return (1, 0, False, 0, dt.date.max, 0, name)
    return (
        0,
        -rules.rank(overall.rating),
        not overall.limited,
        overall.score.percent if overall.score is not None else 0,
        team.next_review_due if team.overdue and team.next_review_due else dt.date.max,
        -len(entry.overdue_actions),
        name,
    )
