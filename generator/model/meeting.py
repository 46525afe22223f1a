"""A governance board meeting's file: chairs, representatives, cases considered,
service development and actions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import (
    Field,
)

from generator.model.base import ContentModel, FileModel
from generator.model.review import Action
from generator.model.types import (
    Audience,
    CaseRef,
    IsoDate,
    KebabId,
    StandardId,
    Text,
)

MeetingStatus = Literal["draft", "approved"]


class Chair(ContentModel):
    role: Text = Field(description="The chair's role.")
    team: KebabId | None = Field(default=None, description="Their team's id, if any.")


class Representative(ContentModel):
    team: KebabId = Field(description="The id of the team that elected them.")
    role: Text = Field(description="Their role.")


class BoardCase(ContentModel):
    """A case the governance board considered."""

    ref: CaseRef = Field(description="Pseudonymous case reference. Never a name.")
    team: KebabId = Field(description="Id of the team holding the case, in this borough.")
    standards: list[StandardId] = Field(
        default_factory=list, description="Ids of the standards the case concerns."
    )
    summary: Text = Field(description="What the case raised.")
    decision: Text = Field(description="What the board decided.")
    audience: Audience | None = Field(
        default=None,
        description="Who may read this case note: `internal` or `partners`; default the meeting's.",
    )


class DevelopmentItem(ContentModel):
    title: Text = Field(description="The service development item.")
    note: str | None = Field(default=None, description="What was reported or agreed.")


class Meeting(FileModel):
    """`reviews/<borough>/governance/<YYYY-MM-DD>.md`: a board meeting; the body is the minutes."""

    status: MeetingStatus = Field(
        default="approved",
        description="`draft` while the minutes are being written (never published); "
        "`approved` (the default) once they are agreed.",
    )
    chairs: list[Chair] = Field(
        default_factory=list,
        description="The co-chairs, by role; at least one unless the status is `draft`.",
    )
    representatives: list[Representative] = Field(
        default_factory=list, description="Representatives elected by each team."
    )
    cases: list[BoardCase] = Field(default_factory=list, description="Cases considered.")
    development: list[DevelopmentItem] = Field(
        default_factory=list, description="Service development items."
    )
    actions: list[Action] = Field(
        default_factory=list, description="Actions agreed, same shape as review actions."
    )
    next_meeting: IsoDate | None = Field(
        default=None,
        description="The date set for the board's next meeting, `YYYY-MM-DD`, after this "
        "meeting's; the board's page shows the next meeting from the latest minutes, with "
        "the actions due by then.",
    )
    audience: Audience = Field(
        default="internal",
        description="Who may read the minutes: `internal` (the default: the meeting is left "
        "out of the partner edition) or `partners`.",
    )
