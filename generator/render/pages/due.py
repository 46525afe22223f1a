"""The pages of what falls due: the action plans (every open action), the
review schedule (every active team's next review), and each borough's page of
what is overdue or due soon (the lists the dashboard shortens). The first two
templates read the lists from the site (``site.open_actions``, ``site.schedule()``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.render.lists import BoroughDue, due_by_borough
from generator.render.page import Page, PageContext
from generator.render.urls import ACTIONS_PATH, SCHEDULE_PATH
from generator.render.view import SiteView


def actions_page() -> Page:
    return Page(ACTIONS_PATH, "Action plans", "actions.md.j2")


def schedule_page() -> Page:
    return Page(SCHEDULE_PATH, "Review schedule", "schedule.md.j2")


@dataclass(frozen=True)
class BoroughDueContext(PageContext):
    due: BoroughDue


def borough_due_pages(site: SiteView) -> Iterator[Page]:
    """One page a borough: every review of its teams overdue or due soon, and every
    overdue action of its teams and its governance board."""
    for due in due_by_borough(site.programme, site.schedule(), site.open_actions):
        yield Page(
            due.path,
            f"Overdue and due soon in {site.borough_name(due.borough)}",
            "due.md.j2",
            BoroughDueContext(due),
            listed=False,
        )
