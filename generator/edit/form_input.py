"""What the form may send, declared once: every field's type, and the fields of each
kind of group. A value of another type is refused, never read as blank (which would
erase what the file holds); a field the form has no box for is dropped, so nothing
reaches the file that the reviewer did not see."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.edit.refusals import EditRefused

# Text boxes: at most a large content file's worth each, whatever the request's size.
_TEXT = Field(default=None, max_length=1_048_576)


class _Fields(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class _Item(_Fields):
    # Which of the file's items this group started as; absent for a new one.
    origin: int | None = Field(default=None, ge=0)


class RatingFields(_Fields):
    rating: str | None = _TEXT
    note: str | None = _TEXT
    evidence: list[str] = []
    audience: str | None = _TEXT  # who may read the note; blank: as the review says


class GradeFields(_Fields):
    standard: str | None = _TEXT
    grade: str | None = _TEXT


class ReviewerFields(_Item):
    name: str | None = _TEXT
    role: str | None = _TEXT


class CaseFields(_Item):
    ref: str | None = _TEXT
    worker: str | None = _TEXT
    interviewed: list[str] = []
    record_reviewed: bool = False
    grades: list[GradeFields] = []


class ActionFields(_Item):
    id: str | None = _TEXT
    standards: str | None = _TEXT
    action: str | None = _TEXT
    owner: str | None = _TEXT
    due: str | None = _TEXT
    status: str | None = _TEXT
    completed: str | None = _TEXT


class AmendmentFields(_Fields):
    date: str | None = _TEXT
    reason: str | None = _TEXT
    by: str | None = _TEXT


class ReviewForm(_Fields):
    status: str | None = _TEXT
    audience: str | None = _TEXT
    framework_version: str | None = _TEXT
    reviewers: list[ReviewerFields] | None = None
    evidence: list[str] | None = None
    ratings: dict[str, RatingFields] | None = None
    cases: list[CaseFields] | None = None
    actions: list[ActionFields] | None = None
    amendment: AmendmentFields | None = None


class ChairFields(_Item):
    role: str | None = _TEXT
    team: str | None = _TEXT


class RepresentativeFields(_Item):
    team: str | None = _TEXT
    role: str | None = _TEXT


class BoardCaseFields(_Item):
    ref: str | None = _TEXT
    team: str | None = _TEXT
    standards: str | None = _TEXT
    summary: str | None = _TEXT
    decision: str | None = _TEXT
    audience: str | None = _TEXT  # who may read the case note; blank: as the minutes say


class DevelopmentFields(_Item):
    title: str | None = _TEXT
    note: str | None = _TEXT


class MeetingForm(_Fields):
    status: str | None = _TEXT
    audience: str | None = _TEXT
    chairs: list[ChairFields] | None = None
    representatives: list[RepresentativeFields] | None = None
    cases: list[BoardCaseFields] | None = None
    development: list[DevelopmentFields] | None = None
    actions: list[ActionFields] | None = None
    next_meeting: str | None = _TEXT


def review_fields(form: Any) -> dict[str, Any]:
    """The review form's fields as sent, each of its declared type; EditRefused (400)
    naming the first field that is not."""
    return _read(ReviewForm, form)


def meeting_fields(form: Any) -> dict[str, Any]:
    """The meeting form's fields as sent, each of its declared type."""
    return _read(MeetingForm, form)


def _read(model: type[_Fields], form: Any) -> dict[str, Any]:
    if not isinstance(form, Mapping):
        raise EditRefused(400, "the form sent no fields")
    try:
        fields = model.model_validate(dict(form))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the form"
        raise EditRefused(
            400, f"the form sent {where} as something it cannot hold: {first['msg']}", where
        ) from None
    # Only what was sent: a field left out keeps what the file holds.
    return fields.model_dump(exclude_unset=True)
