"""The open actions of a programme: which are open, which are overdue, and their order.

Actions come from the presented reviews' action plans and from the
governance board's meetings. The lists of the site and the managers'
workbook both start from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.programme import Programme
from generator.model.review import Action
from generator.score.results import Results
from generator.score.schedule import is_overdue


@dataclass(frozen=True)
class OpenAction:
    """An open action with where it came from."""

    borough: str
    team: str | None  # None: a governance board action
    day: dt.date  # the review's or the meeting's date
    action: Action
    overdue: bool


def open_actions(programme: Programme, results: Results) -> list[OpenAction]:
    """Every open action of the reviews in ``results`` and the meetings in
    ``programme``, overdue first, then by due date."""
    as_of = results.as_of
    found = []
    for team in results.teams:
        for review in team.history:
            record = review.record
            for action in record.review.actions:
                if action.status == "open":
                    found.append(
                        OpenAction(
                            record.borough_id,
                            record.team_id,
                            record.date,
                            action,
                            is_overdue(action, as_of),
                        )
                    )
    for meeting in programme.meetings:
        for action in meeting.meeting.actions:
            if action.status == "open":
                found.append(
                    OpenAction(
                        meeting.borough_id,
                        None,
                        meeting.date,
                        action,
                        is_overdue(action, as_of),
                    )
                )
    return sorted(
        found,
        key=lambda a: (not a.overdue, a.action.due, a.borough, a.team or "", a.action.id),
    )
