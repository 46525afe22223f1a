"""The programme dashboard (the home page) and the list of teams."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.render.figures import series_figure
from generator.render.lists import BoroughDue, ListedAction, ScheduleEntry, due_by_borough
from generator.render.page import Page, PageContext
from generator.render.urls import HOME_PATH, TEAMS_PATH
from generator.render.view import SiteView
from generator.score.series import AuditSeries

# How many of a borough's reviews due, and of its overdue actions, the dashboard
# lists, the most overdue first; the borough's own page lists every one. With ten,
# the dashboard of a 1,254-review programme is about 135 KB of HTML, not 800 KB.
HOME_LIST_LIMIT = 10


@dataclass(frozen=True)
class HomeContext(PageContext):
    schedule: list[ScheduleEntry]  # overdue and due soon, the whole programme
    overdue_actions: list[ListedAction]  # the whole programme
    due: list[BoroughDue]  # the same, by borough
    limit: int  # how many of each borough's lists the page shows
    series: list[AuditSeries]  # one per critical standard, all boroughs
    series_figure: dict[str, Any] | None


def home_page(site: SiteView) -> Page:
    series = [site.series(None, s.id) for s in site.critical]
    figure = (
        series_figure(site, "Case-audit grades adequate or above, critical standards", series)
        if any(s.points for s in series)
        else None
    )
    schedule = [e for e in site.schedule() if e.state in ("overdue", "due-soon")]
    overdue_actions = [a for a in site.open_actions if a.overdue]
    return Page(
        HOME_PATH,
        "Programme dashboard",
        "home.md.j2",
        HomeContext(
            schedule,
            overdue_actions,
            due_by_borough(site.programme, schedule, overdue_actions),
            HOME_LIST_LIMIT,
            series,
            figure,
        ),
    )


def teams_page() -> Page:
    return Page(TEAMS_PATH, "Teams", "teams.md.j2")
