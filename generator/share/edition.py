"""What the partner edition takes out: the site's two editions, and how the
partner one is made from the content.

The same content builds two editions. ``internal`` is everything presented.
``partners`` is for the partner boroughs: scores, ratings, case-audit shares,
standards and comparisons, but no narrative that was not marked for them::

    audience: partners      # on a review, a meeting or a team.yml
    S07: {rating: Good, note: "...", audience: partners}   # on one note
    cases: [{ref: ..., audience: internal}]                 # on one board case note

What the partner edition takes out (``for_partners``):

- every reviewer's name, on every review;
- of a review not marked for partners: its findings, its case references, the
  text of its actions and the reasons of its amendments;
- a rating's note not marked for partners (a note without a mark of its own
  has its review's);
- a team's description, unless its team.yml is marked for partners;
- the minutes of a meeting not marked for partners, and a board case note
  marked ``internal`` in a meeting that is.

The partner edition is made by taking the text out of the programme before
anything is scored or rendered, so no template can show what is not there.
Scores do not change: ratings, grades and action statuses stay. What no edition
shows (drafts, completed reviews not yet presented, draft minutes) is taken out
by ``generator.score.published``, not here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Literal

from generator.model.meeting import BoardCase
from generator.model.programme import (
    BoroughRecord,
    MeetingRecord,
    Programme,
    ReviewRecord,
    TeamRecord,
)
from generator.model.review import Rating, Review
from generator.model.types import shared

Edition = Literal["internal", "partners"]
EDITIONS: tuple[Edition, ...] = ("internal", "partners")

EDITION_TITLES: dict[Edition, str] = {
    "internal": "internal edition",
    "partners": "partner edition",
}

# What the partner edition says where text was taken out.
NOT_SHARED = "Not shared with partner boroughs."
NOT_SHARED_FINDINGS = (
    "*The findings are not shared with partner boroughs: see the ratings, "
    "domains and case-audit shares below.*\n"
)
NAME_NOT_SHARED = "Name not shared"


def for_edition(programme: Programme, edition: Edition) -> Programme:
    """``programme`` as ``edition`` may show it."""
    return programme if edition == "internal" else for_partners(programme)


def for_partners(programme: Programme) -> Programme:
    """``programme`` without any narrative, note, minute or name not marked for partners."""
    return dataclasses.replace(
        programme,
        boroughs={
            borough_id: _borough(borough) for borough_id, borough in programme.boroughs.items()
        },
    )


def _borough(borough: BoroughRecord) -> BoroughRecord:
    return dataclasses.replace(
        borough,
        teams={team_id: _team(team) for team_id, team in borough.teams.items()},
        meetings=[_meeting(m) for m in borough.meetings if shared(m.meeting.audience)],
    )


def _team(record: TeamRecord) -> TeamRecord:
    team = record.team
    if not shared(team.audience):
        team = team.model_copy(update={"description": None})
    return dataclasses.replace(record, team=team, reviews=[_review(r) for r in record.reviews])


def _review(record: ReviewRecord) -> ReviewRecord:
    review = record.review
    whole = shared(review.audience)
    update: dict[str, object] = {
        "reviewers": [r.model_copy(update={"name": NAME_NOT_SHARED}) for r in review.reviewers],
        "ratings": {
            standard_id: _rating(entry, review) for standard_id, entry in review.ratings.items()
        },
    }
    if not whole:
        update["cases"] = [case.model_copy(update={"ref": None}) for case in review.cases]
        update["actions"] = [a.model_copy(update={"action": NOT_SHARED}) for a in review.actions]
        update["amendments"] = [
            a.model_copy(update={"reason": NOT_SHARED}) for a in review.amendments
        ]
    return dataclasses.replace(
        record,
        review=review.model_copy(update=update),
        findings=record.findings if whole else NOT_SHARED_FINDINGS,
    )


def _rating(entry: Rating, review: Review) -> Rating:
    if entry.note is None or shared(entry.audience, review.audience):
        return entry
    return entry.model_copy(update={"note": None})


def _meeting(record: MeetingRecord) -> MeetingRecord:
    meeting = record.meeting
    cases: list[BoardCase] = [c for c in meeting.cases if shared(c.audience, meeting.audience)]
    return dataclasses.replace(record, meeting=meeting.model_copy(update={"cases": cases}))


def unredacted(records: Iterable[ReviewRecord], meetings: Iterable[MeetingRecord]) -> list[str]:
    """Paths of records that still hold text the partner edition must not show.

    A guard for the renderer: the partner edition is only ever rendered from a
    programme that went through ``for_partners`` before it was scored.
    """
    paths = [
        r.source.path
        for r in records
        if not shared(r.review.audience) and r.findings != NOT_SHARED_FINDINGS
    ]
    paths += [m.source.path for m in meetings if not shared(m.meeting.audience)]
    return sorted(set(paths))
