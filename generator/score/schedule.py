"""When things fall due: the team's next review, and overdue actions.

The next review is due the framework's interval for the overall rating
(``review_interval_months``) after the review's date, counted in calendar
months and clamped to the end of a shorter month. An action is overdue when
it is open and its due date is before the as-of date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model.review import Action
from generator.score.rules import Rules


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


def is_overdue(action: Action, as_of: dt.date) -> bool:
    """Open and due before the as-of date."""
    return action.status == "open" and action.due < as_of


def count_actions(actions: Iterable[Action], as_of: dt.date) -> ActionCounts:
    open_, done, overdue = 0, 0, 0
    for action in actions:
        if action.status == "done":
            done += 1
        else:
            open_ += 1
        overdue += is_overdue(action, as_of)
    return ActionCounts(open_, done, overdue)
