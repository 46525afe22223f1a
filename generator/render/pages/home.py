"""The programme dashboard (the home page) and the list of teams."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.core.numbers import counted
from generator.render.figures import series_figure
from generator.render.lists import (
    BoroughDue,
    ListedAction,
    ScheduleEntry,
    TeamAttention,
    due_by_borough,
    teams_needing_attention,
)
from generator.render.page import Page, PageContext
from generator.render.urls import HOME_PATH, TEAMS_PATH
from generator.render.view import SiteView
from generator.score.series import AuditSeries

# How many of a borough's reviews due, and of its overdue actions, the dashboard
# lists, the most overdue first; the borough's own page lists every one. With ten,
# the dashboard of a 1,254-review programme is about 135 KB of HTML, not 800 KB.
HOME_LIST_LIMIT = 10

# The dashboard's sections the headline strip links to (MkDocs' ids of their headings).
RATINGS_ANCHOR = "#latest-rating-of-every-team"
ATTENTION_ANCHOR = "#teams-needing-attention"
REVIEWS_ANCHOR = "#reviews-due-soon-and-overdue"
ACTIONS_ANCHOR = "#overdue-actions"


@dataclass(frozen=True)
class GlanceItem:
    """One figure of the dashboard's headline strip, and the list it counts."""

    figure: int
    label: str  # what is counted, worded for the figure: "teams Good", "review overdue"
    target: str  # the section of the dashboard that lists them


@dataclass(frozen=True)
class HomeContext(PageContext):
    schedule: list[ScheduleEntry]  # overdue and due soon, the whole programme
    overdue_actions: list[ListedAction]  # the whole programme
    due: list[BoroughDue]  # the same, by borough
    limit: int  # how many of each borough's lists the page shows
    series: list[AuditSeries]  # one per critical standard, all boroughs
    series_figure: dict[str, Any] | None
    glance: list[GlanceItem]  # the headline strip, in order
    attention: list[TeamAttention]  # teams needing attention, ranked


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
            glance(site, schedule, overdue_actions),
            teams_needing_attention(site.results, site.rules, site.open_actions),
        ),
    )


def glance(
    site: SiteView, schedule: list[ScheduleEntry], overdue_actions: list[ListedAction]
) -> list[GlanceItem]:
    """The headline strip: the active teams by their latest overall rating (every rating
    of the scale, and those not yet reviewed if any), the teams whose rating a critical
    standard lowered, and the reviews and actions overdue."""
    active = [t for t in site.results.teams if not t.closed]
    latest = [t.latest for t in active if t.latest is not None]
    items = [
        GlanceItem(n, f"{_noun(n, 'team')} {label}", RATINGS_ANCHOR)
        for label in site.rules.labels
        for n in [sum(1 for r in latest if r.overall.rating == label)]
    ]
    unreviewed = len(active) - len(latest)
    if unreviewed:
        items.append(
            GlanceItem(unreviewed, f"{_noun(unreviewed, 'team')} not yet reviewed", RATINGS_ANCHOR)
        )
    limited = sum(1 for r in latest if r.overall.limited)
    overdue = sum(1 for e in schedule if e.state == "overdue")
    return [
        *items,
        GlanceItem(
            limited, f"{_noun(limited, 'team')} limited by a critical standard", ATTENTION_ANCHOR
        ),
        GlanceItem(overdue, f"{_noun(overdue, 'review')} overdue", REVIEWS_ANCHOR),
        GlanceItem(
            len(overdue_actions),
            f"{_noun(len(overdue_actions), 'action')} overdue",
            ACTIONS_ANCHOR,
        ),
    ]


def _noun(n: int, noun: str) -> str:
    """``noun`` as ``counted`` words it for ``n``, without the number."""
    return counted(n, noun).split(" ", 1)[1]


def teams_page() -> Page:
    return Page(TEAMS_PATH, "Teams", "teams.md.j2")
