"""A governance board meeting's pack: what the board has before it on the day.

The pack is as things stood on the meeting's date: the reviews of the
borough's teams presented since the board's meeting before, the cases the
meeting considered, the board's actions still open from earlier meetings, the
teams' actions overdue on the day, and the programme's case-audit series on
the critical standards up to the day. An action done after the meeting was
open at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.core.dates import day_text
from generator.model.programme import MeetingRecord
from generator.model.review import Action
from generator.render.figures import series_figure
from generator.render.lists import ListedAction
from generator.render.page import Page, PageContext
from generator.render.urls import meeting_paper_path, meeting_path, review_path
from generator.render.view import SiteView
from generator.score.review import ReviewResult
from generator.score.series import AuditSeries, audit_series


@dataclass(frozen=True)
class BoardPackContext(PageContext):
    meeting: MeetingRecord
    since: dt.date | None  # the borough's board meeting before this one
    reviews: list[ReviewResult]  # presented since then, up to the day, oldest first
    board_actions: list[ListedAction]  # from earlier meetings, open on the day
    team_actions: list[ListedAction]  # from the borough's reviews, overdue on the day
    series: list[AuditSeries]  # one per critical standard, all boroughs, up to the day
    series_figure: dict[str, Any] | None


def board_packs(site: SiteView) -> Iterator[Page]:
    """A pack for every board meeting the site shows, by borough and date."""
    for borough in site.programme.boroughs.values():
        before: MeetingRecord | None = None
        for meeting in borough.meetings:
            yield Page(
                meeting_paper_path(meeting.borough_id, meeting.date),
                f"{borough.borough.short} governance board, {day_text(meeting.date)}: board pack",
                "papers/board-pack.md.j2",
                _context(site, meeting, before),
                listed=False,
            )
            before = meeting


def _context(
    site: SiteView, meeting: MeetingRecord, before: MeetingRecord | None
) -> BoardPackContext:
    day, borough = meeting.date, meeting.borough_id
    since = before.date if before is not None else None
    reviews = [
        review
        for review in site.results.reviews
        if review.record.borough_id == borough
        and review.record.date <= day
        and (since is None or review.record.date > since)
    ]
    reviews.sort(key=lambda r: (r.record.date, site.team_name(borough, r.record.team_id)))
    board_actions = [
        _listed(borough, None, _board_source(m.date), meeting_path(borough, m.date), a, day)
        for m in site.programme.boroughs[borough].meetings
        if m.date < day
        for a in m.meeting.actions
        if _open_on(a, day)
    ]
    team_actions = [
        _listed(
            borough,
            r.record.team_id,
            f"Review of {day_text(r.record.date)}",
            review_path(borough, r.record.team_id, r.record.date),
            a,
            day,
        )
        for r in site.results.reviews
        if r.record.borough_id == borough and r.record.date <= day
        for a in r.record.review.actions
        if _open_on(a, day) and a.due < day
    ]
    standards = [s.id for s in site.critical]
    earlier = [r for r in site.results.reviews if r.record.date <= day]
    series = [s for s in audit_series(earlier, (), standards) if s.standard is not None]
    figure = (
        series_figure(site, "Case-audit grades adequate or above, critical standards", series)
        if any(s.points for s in series)
        else None
    )
    return BoardPackContext(
        meeting,
        since,
        reviews,
        sorted(board_actions, key=_order),
        sorted(team_actions, key=_order),
        series,
        figure,
    )


def _board_source(day: dt.date) -> str:
    return f"Board meeting of {day_text(day)}"


def _open_on(action: Action, day: dt.date) -> bool:
    """Whether ``action`` was open on ``day``: open still, or done after it."""
    if action.status == "open":
        return True
    return action.completed is not None and action.completed > day


def _listed(
    borough: str, team: str | None, source: str, path: str, action: Action, day: dt.date
) -> ListedAction:
    return ListedAction(borough, team, source, path, action, action.due < day)


def _order(entry: ListedAction) -> tuple[bool, dt.date, str, str]:
    return (not entry.overdue, entry.action.due, entry.team or "", entry.action.id)
