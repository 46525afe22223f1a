"""The governance board's pages: the list of meetings, each meeting's
minutes, and the index of the cases it considered."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.core.dates import day_text
from generator.model.programme import MeetingRecord
from generator.render.lists import BoardCaseEntry
from generator.render.page import Page, PageContext
from generator.render.urls import BOARD_PATH, CASE_NOTES_PATH, meeting_path
from generator.render.view import SiteView


def board_page() -> Page:
    return Page(BOARD_PATH, "Governance board", "board.md.j2")


@dataclass(frozen=True)
class MeetingContext(PageContext):
    meeting: MeetingRecord
    standards_version: int  # the framework version in force on the meeting's day


def meeting_pages(site: SiteView) -> Iterator[Page]:
    for meeting in site.programme.meetings:
        borough = site.programme.boroughs[meeting.borough_id].borough
        yield Page(
            meeting_path(meeting.borough_id, meeting.date),
            f"{borough.short} governance board, {day_text(meeting.date)}",
            "meeting.md.j2",
            MeetingContext(meeting, site.programme.framework.in_force_on(meeting.date)),
            listed=False,
        )


@dataclass(frozen=True)
class CaseNotesContext(PageContext):
    by_standard: dict[str, list[BoardCaseEntry]]  # by standard id, in order


def case_notes_page(site: SiteView) -> Page:
    by_standard: dict[str, list[BoardCaseEntry]] = {}
    for entry in site.board_cases:
        for standard in entry.case.standards:
            by_standard.setdefault(standard, []).append(entry)
    return Page(
        CASE_NOTES_PATH,
        "Case notes by team and by standard",
        "case-notes.md.j2",
        CaseNotesContext(dict(sorted(by_standard.items()))),
    )
