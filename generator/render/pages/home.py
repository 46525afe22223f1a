"""The programme dashboard (the home page) and the list of teams."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.render.figures import series_figure
from generator.render.lists import ListedAction, ScheduleEntry
from generator.render.page import Page, PageContext
from generator.render.urls import HOME_PATH, TEAMS_PATH
from generator.render.view import SiteView
from generator.score.series import AuditSeries


@dataclass(frozen=True)
class HomeContext(PageContext):
    schedule: list[ScheduleEntry]  # overdue and due soon
    overdue_actions: list[ListedAction]
    series: list[AuditSeries]  # one per critical standard, all boroughs
    series_figure: dict[str, Any] | None


def home_page(site: SiteView) -> Page:
    series = [site.series(None, s.id) for s in site.critical]
    figure = (
        series_figure(site, "Case-audit grades adequate or above, critical standards", series)
        if any(s.points for s in series)
        else None
    )
    return Page(
        HOME_PATH,
        "Programme dashboard",
        "home.md.j2",
        HomeContext(
            [e for e in site.schedule() if e.state in ("overdue", "due-soon")],
            [a for a in site.open_actions if a.overdue],
            series,
            figure,
        ),
    )


def teams_page() -> Page:
    return Page(TEAMS_PATH, "Teams", "teams.md.j2")
