"""The value types of the content format (dates, ids, references, names,
labels, audiences), each refusing a wrong value with a message for reviewers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from generator.core.dates import NoSuchDay, NotIsoDate, parse_iso_date
from generator.model.formulas import FORMULA_NAME, formula_start, shown


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "expected a date as YYYY-MM-DD, without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_iso_date(value.strip())
        except NotIsoDate:
            raise PydanticCustomError(
                "date_format", "expected a date as YYYY-MM-DD, got '{value}'", {"value": value}
            ) from None
        except NoSuchDay:
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


_PSEUDONYM = re.compile(r"[A-Z0-9]+(-[A-Z0-9]+)*")
_DIGIT = re.compile(r"[0-9]")


def _check_pseudonym(value: str, kind: str, example: str) -> str:
    if not _PSEUDONYM.fullmatch(value):
        raise PydanticCustomError(
            "reference_format",
            "{kind} may contain only capital letters, digits and single hyphens "
            "(like '{example}'), got '{value}'",
            {"kind": kind, "example": example, "value": value},
        )
    if not _DIGIT.search(value):
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


IsoDate = Annotated[dt.date, BeforeValidator(_as_date)]


def _text(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Text, as ``_text_from_number``, pydantic's text and ``_check_not_blank`` in turn
    make it; most values are text that is not blank, and are taken in one call."""
    if value.__class__ is str and value.strip():
        return value
    return _check_not_blank(handler(_text_from_number(value)))


Text = Annotated[str, WrapValidator(_text)]


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


def _label_text(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A label, as ``_text_from_number``, pydantic's text and ``_check_label_text`` in
    turn make it; written thousands of times, most are taken in one call."""
    if value.__class__ is str and value.strip():
        return value
    return _check_label_text(handler(_text_from_number(value)))


# A label of the framework's scale, matched ignoring case by the validator.
RatingLabel = Annotated[str, WrapValidator(_label_text)]


# Who may read a piece of narrative: the council's own staff only (the default),
# or partner boroughs too. Scores, ratings and audit shares are always shared.
Audience = Literal["internal", "partners"]


def shared(audience: Audience | None, default: Audience = "internal") -> bool:
    """Whether text with this ``audience`` (None: ``default``) is for partners."""
    return (audience or default) == "partners"
