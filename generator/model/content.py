"""The content contract as pydantic models: the single declaration of the schema.

These models check the shape of each file on its own: keys, types, formats.
Rules that need more than one file (does this standard exist? is this team in
the borough?) live in ``validate``. The reference tables in the reviewers'
docs and the JSON Schemas are generated from these classes, so every field
carries a description.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from generator.load.repository import SourceDocument

# --------------------------------------------------------------------------
# Value types with messages written for reviewers


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "expected a date as YYYY-MM-DD, without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise PydanticCustomError(
                "date_format", "expected a date as YYYY-MM-DD, got '{value}'", {"value": value}
            )
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date_not_real", "'{value}' is not a real calendar date", {"value": value}
            ) from None
    raise PydanticCustomError("date_format", "expected a date as YYYY-MM-DD")


def _matching(pattern: str, kind: str, message: str) -> Callable[[str], str]:
    """A validator that accepts values matching ``pattern``, else says ``message``."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(kind, message + ", got '{value}'", {"value": value})
        return value

    return check


# What an id is, for every check that reads one (the validator, packages, the CLI).
KEBAB_ID_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
STANDARD_ID_PATTERN = r"[A-Z]+[0-9]+"

_check_kebab = _matching(
    KEBAB_ID_PATTERN,
    "kebab_id",
    "expected a lower-case id of letters, digits and hyphens (like 'older-people')",
)
_check_standard_id = _matching(
    STANDARD_ID_PATTERN,
    "standard_id",
    "expected a standard id of capital letters then digits (like 'S07')",
)
_check_item_id = _matching(
    r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*",
    "item_id",
    "an action id may contain only letters, digits and single hyphens (like 'A1')",
)


def _check_pseudonym(value: str, kind: str, example: str) -> str:
    if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", value):
        raise PydanticCustomError(
            "reference_format",
            "{kind} may contain only capital letters, digits and single hyphens "
            "(like '{example}'), got '{value}'",
            {"kind": kind, "example": example, "value": value},
        )
    if not re.search(r"[0-9]", value):
        # A reference without digits is how a name slips in: refuse it.
        raise PydanticCustomError(
            "reference_no_digit",
            "{kind} must contain at least one digit (like '{example}'); never use a person's name",
            {"kind": kind, "example": example},
        )
    return value


def _check_case_ref(value: str) -> str:
    return _check_pseudonym(value, "a case reference", "HF-LD-2010-01")


def _check_worker_ref(value: str) -> str:
    return _check_pseudonym(value, "a worker reference", "W01")


def _check_not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank_text", "must not be blank")
    return value


# What a spreadsheet may take for the start of a formula, as regular-expression
# character classes: one declaration for the validator, the CSV writers and the
# data package's table schema. The signs are = + - @ and every character Unicode
# folds into one of them (their full-width, small and superscript forms).
FORMULA_SIGNS = (
    r"=+\-@\u207a\u207c\u208a\u208c\u2a75\u2a76\ufb29"
    r"\ufe62\ufe63\ufe66\ufe6b\uff0b\uff0d\uff1d\uff20"
)
# What a spreadsheet may skip or trim before it looks for a sign: control
# characters (tab, carriage return, line feed...), spaces of every width and the
# invisible format marks (soft hyphen, zero-width spaces and joiners, direction
# marks, the byte-order mark).
BLANK_START = (
    r"\x00-\x20\x7f-\xa0\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    r"\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff"
    r"\ufff9-\ufffb"
)
_CONTROL = r"\x00-\x1f\x7f-\x9f"
# A name that begins like a formula: with a control character, or with a sign
# after nothing but blank characters.
FORMULA_NAME = f"[{_CONTROL}]|[{BLANK_START}]*[{FORMULA_SIGNS}]"
_FORMULA_NAME = re.compile(FORMULA_NAME)
_INVISIBLE = re.compile(f"[{BLANK_START}]")
_CONTROL_NAMES = {"\t": "a tab", "\r": "a carriage return", "\n": "a line break"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character == " ":
        return character
    if character in _CONTROL_NAMES:
        return repr(character)[1:-1]
    return f"\\u{ord(character):04x}"


def shown(text: str) -> str:
    """``text`` with its invisible characters written as escapes (``\\t``), for a message."""
    return _INVISIBLE.sub(_escape, text)


def formula_start(text: str) -> str | None:
    """How ``text`` begins like a spreadsheet formula, in words; None when it does not."""
    match = _FORMULA_NAME.match(text)
    if match is None:
        return None
    found = match.group()
    first = found[-1]
    if len(found) == 1 and not first.isprintable():  # a control character, not a sign
        return _CONTROL_NAMES.get(first, f"a control character (U+{ord(first):04X})")
    sign = f"'{first}'"
    folded = unicodedata.normalize("NFKC", first)[0]
    if folded != first:
        sign += f" (a form of '{folded}')"
    if len(found) > 1:
        before = "spaces" if found[:-1].isspace() else "invisible characters"
        sign += f", even after {before}"
    return sign


def _check_name(value: str) -> str:
    value = _check_not_blank(value)
    start = formula_start(value)
    if start is not None:
        raise PydanticCustomError(
            "formula_start",
            "must not begin with {start}: a spreadsheet opening an export could take it for "
            "a formula; begin with a letter or a digit instead, got '{value}'",
            {"start": start, "value": shown(value)},
        )
    return value


def _text_from_number(value: Any) -> Any:
    # Unquoted 2011 or 12 in a text field is still what the reviewer meant.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _pattern(pattern: str) -> WithJsonSchema:
    # For editors: the JSON Schema says what the validator checks in its own words.
    return WithJsonSchema({"type": "string", "pattern": f"^{pattern}$"})


IsoDate = Annotated[dt.date, BeforeValidator(_parse_date)]
Text = Annotated[str, BeforeValidator(_text_from_number), AfterValidator(_check_not_blank)]
# A name, title or label of the framework, a standard, a borough or a team: what
# identifies them in every table and export, and no real one begins like a formula.
Name = Annotated[
    str,
    BeforeValidator(_text_from_number),
    AfterValidator(_check_name),
    WithJsonSchema({"type": "string", "pattern": f"^(?!{FORMULA_NAME})"}),
]
KebabId = Annotated[str, AfterValidator(_check_kebab), _pattern(KEBAB_ID_PATTERN)]
StandardId = Annotated[str, AfterValidator(_check_standard_id), _pattern(STANDARD_ID_PATTERN)]
_REFERENCE = r"(?=[A-Z-]*[0-9])[A-Z0-9]+(-[A-Z0-9]+)*"
CaseRef = Annotated[
    str,
    BeforeValidator(_text_from_number),
    AfterValidator(_check_case_ref),
    _pattern(_REFERENCE),
]
WorkerRef = Annotated[
    str,
    BeforeValidator(_text_from_number),
    AfterValidator(_check_worker_ref),
    _pattern(_REFERENCE),
]


ItemId = Annotated[
    str,
    BeforeValidator(_text_from_number),
    AfterValidator(_check_item_id),
    _pattern(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*"),
]


def _check_label_text(value: str) -> str:
    # Which labels exist depends on the framework: the validator matches them.
    return _check_not_blank(value)


# A label of the framework's scale, matched ignoring case by the validator.
RatingLabel = Annotated[str, BeforeValidator(_text_from_number), AfterValidator(_check_label_text)]


class ContentModel(BaseModel):
    """Base for every model of the format: unknown keys are errors, never dropped."""

    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


class FileModel(ContentModel):
    """A whole file's model, which knows the file it was read from.

    Only whole files carry their source: a private attribute costs every
    instance a post-init step, and a large programme has a hundred thousand
    ratings, grades and actions that do not need one.
    """

    _source: SourceDocument | None = PrivateAttr(default=None)

    @property
    def source(self) -> SourceDocument:
        if self._source is None:
            raise RuntimeError(f"{type(self).__name__} was not loaded from a file")
        return self._source

    def attach(self, source: SourceDocument) -> None:
        self._source = source


# --------------------------------------------------------------------------
# standards/framework.yml


class ScaleLevel(ContentModel):
    label: Name = Field(description="The rating as reviewers write it, e.g. `Good`.")
    value: int = Field(
        ge=0, description="Its points, 0 or more: the best level has the highest value."
    )


class Domain(ContentModel):
    id: KebabId = Field(description="Lower-case id that standards refer to.")
    title: Name = Field(description="Heading shown on the site.")


class EvidenceSource(ContentModel):
    id: KebabId = Field(description="Lower-case id that standards and reviews refer to.")
    title: Name = Field(description="Name shown on the site.")


class CriticalLimits(ContentModel):
    one_inadequate: RatingLabel = Field(
        description="Best overall rating allowed when one critical standard is Inadequate."
    )
    two_or_more_inadequate: RatingLabel = Field(
        description="Best overall rating allowed when two or more are."
    )


class Framework(FileModel):
    """`standards/framework.yml`: the rulebook every review is scored by."""

    name: Name = Field(description="Name of the framework, shown on the site.")
    version: int = Field(
        ge=1, description="Current framework version; reviews name the one they used."
    )
    scale: list[ScaleLevel] = Field(
        min_length=2, description="Rating levels, best first, each with a label and a value."
    )
    adequate_or_above: RatingLabel = Field(
        description="The line the programme tracks in case audits: this level or better."
    )
    domains: list[Domain] = Field(
        min_length=1, description="Groups of standards, in display order."
    )
    evidence_sources: list[EvidenceSource] = Field(
        min_length=1, description="The sources of evidence (twelve in the default catalogue)."
    )
    bands: dict[RatingLabel, float] = Field(
        description="For each label, the lowest overall percentage that earns it."
    )
    critical_limits: CriticalLimits = Field(
        description="Caps on the overall rating when critical standards are Inadequate."
    )
    review_interval_months: dict[RatingLabel, Annotated[int, Field(ge=1)]] = Field(
        description="For each label, months until the team's next review is due (1 or more)."
    )

    @field_validator("bands")
    @classmethod
    def _bands_are_percentages(cls, bands: dict[str, float]) -> dict[str, float]:
        for label, value in bands.items():
            if not 0 <= value <= 100:
                raise PydanticCustomError(
                    "band_range",
                    "the band for '{label}' must be a percentage from 0 to 100, got {value}",
                    {"label": label, "value": value},
                )
        return bands


class Scale:
    """The framework's rating labels, best first, matched ignoring case."""

    def __init__(self, framework: Framework) -> None:
        self.labels = [level.label for level in framework.scale]
        self._by_lower = {label.lower(): label for label in self.labels}

    def resolve(self, text: str) -> str | None:
        """The label as the scale spells it, or None when ``text`` is not on the scale."""
        return self._by_lower.get(text.strip().lower())


# --------------------------------------------------------------------------
# standards/<ID>-<slug>.md


class Standard(FileModel):
    """`standards/<ID>-<slug>.md`: one standard; the Markdown body is its guidance."""

    id: StandardId = Field(description="Unique id, `S01`..`S50` in the default catalogue.")
    title: Name = Field(description="The standard, as one statement of good practice.")
    domain: KebabId = Field(description="A domain id from `framework.yml`.")
    critical: bool = Field(
        default=False, description="A critical standard can limit the team's overall rating."
    )
    evidence: list[KebabId] = Field(
        default_factory=list, description="Evidence source ids that inform this standard."
    )
    descriptors: dict[RatingLabel, Text] = Field(
        description="What practice looks like at each level: one entry per scale label."
    )
    introduced: int = Field(default=1, ge=1, description="First framework version with it.")
    retired: int | None = Field(
        default=None, ge=2, description="First framework version without it."
    )

    def in_version(self, version: int) -> bool:
        return self.introduced <= version and (self.retired is None or version < self.retired)


# --------------------------------------------------------------------------
# reviews/<borough>/borough.yml and reviews/<borough>/<team>/team.yml


class Borough(FileModel):
    """`reviews/<borough>/borough.yml`: a council. The folder name is its id."""

    name: Name = Field(description="The council's name.")
    short: Name = Field(description="Short name for tables and charts, e.g. `H&F`.")


class Team(FileModel):
    """`reviews/<borough>/<team>/team.yml`: a team or service. The folder name is its id."""

    name: Name = Field(description="The team's name.")
    service: KebabId = Field(
        description="Service type, for like-for-like comparison across boroughs."
    )
    description: str | None = Field(default=None, description="About the team, in Markdown.")
    established: IsoDate | None = Field(default=None, description="When the team started.")
    closed: IsoDate | None = Field(default=None, description="When the team stopped existing.")
    replaced_by: list[KebabId] = Field(
        default_factory=list, description="Ids of the teams in the same borough that took over."
    )
    audience: Audience = Field(
        default="internal",
        description="Who may read the description: `internal` (the default) or `partners`.",
    )


# --------------------------------------------------------------------------
# Reviews and meetings


ReviewStatus = Literal["draft", "completed", "presented"]
ReviewerRole = Literal["lead", "capacity-specialist", "safeguarding-specialist", "independent"]
Interviewee = Literal["worker", "supervisor", "user", "carer"]
ActionStatus = Literal["open", "done"]
MeetingStatus = Literal["draft", "approved"]
# Who may read a piece of narrative: the council's own staff only (the default),
# or partner boroughs too. Scores, ratings and audit shares are always shared.
Audience = Literal["internal", "partners"]


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


RatingEntry = Annotated[
    Rating, BeforeValidator(_rating_from_label, json_schema_input_type=str | None | Rating)
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
    audience: Audience = Field(
        default="internal",
        description="Who may read the minutes: `internal` (the default: the meeting is left "
        "out of the partner edition) or `partners`.",
    )


# Every model a reviewer writes as a file, with where it lives. Used by the docs
# reference and the JSON Schemas.
FILE_MODELS: dict[str, type[FileModel]] = {
    "standards/framework.yml": Framework,
    "standards/<ID>-<slug>.md": Standard,
    "reviews/<borough>/borough.yml": Borough,
    "reviews/<borough>/<team>/team.yml": Team,
    "reviews/<borough>/<team>/<YYYY-MM-DD>.md": Review,
    "reviews/<borough>/governance/<YYYY-MM-DD>.md": Meeting,
}


# The name each file's JSON Schema is written under by `qa-site schema`.
SCHEMA_NAMES: dict[str, str] = {
    "standards/framework.yml": "framework",
    "standards/<ID>-<slug>.md": "standard",
    "reviews/<borough>/borough.yml": "borough",
    "reviews/<borough>/<team>/team.yml": "team",
    "reviews/<borough>/<team>/<YYYY-MM-DD>.md": "review",
    "reviews/<borough>/governance/<YYYY-MM-DD>.md": "meeting",
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """A JSON Schema for each kind of file, by name; for a Markdown file, of its frontmatter."""
    schemas = {}
    for path, model in FILE_MODELS.items():
        schema = model.model_json_schema()
        what = "frontmatter of " if path.endswith(".md") else ""
        schemas[SCHEMA_NAMES[path]] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"qa-site/{SCHEMA_NAMES[path]}.schema.json",
            **schema,
            "title": f"The {what}{path}",
        }
    return schemas


def shared(audience: Audience | None, default: Audience = "internal") -> bool:
    """Whether text with this ``audience`` (None: ``default``) is for partners."""
    return (audience or default) == "partners"
