"""The pages of what falls due: the action plans (every open action) and the
review schedule (every active team's next review). Their templates read the
lists from the site (``site.open_actions``, ``site.schedule()``)."""

from __future__ import annotations

from generator.render.page import Page
from generator.render.urls import ACTIONS_PATH, SCHEDULE_PATH


def actions_page() -> Page:
    return Page(ACTIONS_PATH, "Action plans", "actions.md.j2")


def schedule_page() -> Page:
    return Page(SCHEDULE_PATH, "Review schedule", "schedule.md.j2")
