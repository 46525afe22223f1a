"""A review file: reviewers, ratings, case audits, the action plan and the
amendments made after it was presented.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from generator.model.base import ContentModel, FileModel
from generator.model.types import (
    Audience,
    CaseRef,
    IsoDate,
    ItemId,
    KebabId,
    RatingLabel,
    StandardId,
    Text,
    WorkerRef,
)

ReviewStatus = Literal["draft", "completed", "presented"]


ReviewerRole = Literal["lead", "capacity-specialist", "safeguarding-specialist", "independent"]


Interviewee = Literal["worker", "supervisor", "user", "carer"]


ActionStatus = Literal["open", "done"]


class Reviewer(ContentModel):
    name: Text = Field(description="The reviewer's name (staff, not service users).")
    role: ReviewerRole = Field(
        description="`lead`, `capacity-specialist`, `safeguarding-specialist` or `independent`."
    )


def _rating_from_label(value: Any) -> Any:
    # `S01: Good` is shorthand for `S01: {rating: Good}`; `S01:` left blank is
    # an unrated standard, allowed in a draft.
    if value is None:
        return {"rating": None}
    if isinstance(value, bool):
        raise PydanticCustomError(
            "rating_type",
            "expected a rating label such as Good, got a yes/no value (YAML reads yes, no, "
            "on and off as true/false)",
        )
    if isinstance(value, list):
        raise PydanticCustomError(
            "rating_type", "expected a rating label, or a map of rating, note and evidence"
        )
    if isinstance(value, str | int | float):
        return {"rating": str(value)}
    return value


class Rating(ContentModel):
    """A rating is written `S01: Good`, or as a map when it has a note or evidence."""

    rating: RatingLabel | None = Field(
        default=None, description="A scale label; may be left blank only in a draft."
    )
    note: str | None = Field(default=None, description="Why, in a sentence or two.")
    evidence: list[KebabId] = Field(
        default_factory=list, description="Evidence source ids behind this rating."
    )
    audience: Audience | None = Field(
        default=None,
        description="Who may read the note: `internal` or `partners`; default the review's.",
    )


# The rating each shorthand label (`S01: Good`) was read as: a programme writes a
# few labels tens of thousands of times, and a rating is never changed once made,
# so each is made once and shared. Bounded, as labels that are no label are kept too.
_SHORTHAND: dict[str, Rating] = {}
_SHORTHAND_HELD = 256


def _rating_once(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    if value.__class__ is not str:
        return handler(value)
    rating = _SHORTHAND.get(value)
    if rating is None:
        rating = handler(value)  # raises, and keeps nothing, for a value that is no rating
        if len(_SHORTHAND) >= _SHORTHAND_HELD:
            _SHORTHAND.clear()
        _SHORTHAND[value] = rating
    return rating


RatingEntry = Annotated[
    Rating,
    BeforeValidator(_rating_from_label, json_schema_input_type=str | None | Rating),
    WrapValidator(_rating_once),
]


class CaseAudit(ContentModel):
    """One in-depth case audit: one social worker's case."""

    ref: CaseRef | None = Field(
        default=None,
        description="Pseudonymous case reference: capital letters, digits, hyphens; "
        "at least one digit. Never a name. May be left blank only in a draft.",
    )
    worker: WorkerRef = Field(
        description="Pseudonymous worker reference, unique within the review, e.g. `W01`."
    )
    interviewed: list[Interviewee] = Field(
        default_factory=list,
        description="Who was interviewed: `worker`, `supervisor`, `user`, `carer`.",
    )
    record_reviewed: bool = Field(default=False, description="Whether the case record was read.")
    grades: dict[StandardId, RatingLabel] = Field(
        default_factory=dict, description="Standards this case shows, each graded on the scale."
    )


class Action(ContentModel):
    """An improvement item, from a review's action plan or a board meeting."""

    id: ItemId = Field(description="Unique within the file, e.g. `A1` or `G1`.")
    standards: list[StandardId] = Field(
        default_factory=list, description="Ids of the standards the action addresses."
    )
    action: Text = Field(description="What will be done.")
    owner: Text = Field(description="Who is responsible: a role, not a person.")
    due: IsoDate = Field(description="Due date; after the review or meeting date.")
    status: ActionStatus = Field(description="`open` or `done`.")
    completed: IsoDate | None = Field(
        default=None, description="Required when `done`; never in the future."
    )


class Amendment(ContentModel):
    """A change to a review after it was presented, and why: the record's history."""

    date: IsoDate = Field(description="When the change was agreed; not before the review.")
    reason: Text = Field(description="What changed and why.")
    by: Text = Field(description="Who agreed it: a role, not a person.")


class Review(FileModel):
    """`reviews/<borough>/<team>/<YYYY-MM-DD>.md`: one review; the body is the findings."""

    status: ReviewStatus = Field(
        description="`draft` (never published), `completed` (not yet presented) or `presented`."
    )
    framework_version: int = Field(ge=1, description="The framework version the review used.")
    reviewers: list[Reviewer] = Field(default_factory=list, description="Who reviewed, by role.")
    evidence: list[KebabId] = Field(
        default_factory=list, description="Evidence source ids drawn on."
    )
    ratings: dict[StandardId, RatingEntry] = Field(
        default_factory=dict,
        description="Every standard of the framework version, unless the status is `draft`.",
    )
    cases: list[CaseAudit] = Field(
        default_factory=list, description="The in-depth case audits, one per social worker."
    )
    actions: list[Action] = Field(
        default_factory=list, description="The action plan agreed with the service manager."
    )
    amendments: list[Amendment] = Field(
        default_factory=list,
        description="Changes to ratings, grades or actions after the review was presented, "
        "oldest first; entries are only ever added.",
    )
    audience: Audience = Field(
        default="internal",
        description="Who may read the findings, notes, action wording and amendment reasons: "
        "`internal` (the default: the council's own site) or `partners` (the partner edition "
        "too). Scores, ratings and case-audit shares are always shared.",
    )
