"""A file's shape problems in reviewers' words: each pydantic error turned into
the location and message a ``Problem`` reports.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Iterable
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from generator.core.matching import did_you_mean, did_you_mean_id
from generator.core.problems import excerpt
from generator.load.repository import Loc


def explain(
    model: type[BaseModel], detail: ErrorDetails, standards: Iterable[str]
) -> tuple[Loc, str]:
    """Where ``detail`` is in a file of ``model``, and what is wrong there.

    ``standards`` are the known standard ids, for hints on a mistyped one.
    """
    loc: Loc = tuple(p for p in detail["loc"] if not _is_internal_loc(p))
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    if detail["loc"] and detail["loc"][-1] == "[key]":
        return loc, f"{detail['msg']}{did_you_mean_id(loc[-1], standards)}"
    if kind == "missing":
        return loc, "required key is missing"
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, loc[:-1])
        hint = did_you_mean(loc[-1], allowed)
        if not hint and allowed:
            hint = "; expected one of: " + ", ".join(allowed)
        return loc, f"unknown key{hint}"
    if kind == "literal_error":
        options = literal_options(detail)
        hint = did_you_mean(value, options)
        return loc, f"expected one of {', '.join(options)}; got {describe(value)}{hint}"
    if kind == "string_type":
        if isinstance(value, bool):
            return loc, (
                "expected text, got a yes/no value (YAML reads yes, no, on, off, "
                "true and false as true/false); put the text in quotes"
            )
        if value is None:
            return loc, "a value is required here (the key is blank)"
        return loc, f"expected text, got {describe(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return loc, f"expected 'key: value' lines (a mapping), got {describe(value)}"
    if kind == "list_type":
        return loc, f"expected a list ([a, b] or lines starting '- '), got {describe(value)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return loc, f"expected a whole number, got {describe(value)}"
    if kind in {"float_type", "float_parsing", "finite_number"}:
        return loc, f"expected a number, got {describe(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return loc, f"expected true or false, got {describe(value)}"
    if kind == "too_short":
        count = ctx.get("min_length", 1)
        return loc, f"needs at least {count} {'entry' if count == 1 else 'entries'}"
    if kind == "greater_than_equal":
        return loc, f"must be at least {ctx.get('ge')}, got {describe(value)}"
    return loc, str(detail["msg"])


def describe(value: object) -> str:
    """What kind of value ``value`` is, as a message says what it got."""
    if value is None:
        return "nothing (the value is blank)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "'key: value' lines (a mapping)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return f"a date ({value})"
    if isinstance(value, int | float):
        return f"the number {excerpt(value)}"
    return f"'{excerpt(value)}'"


def literal_options(detail: ErrorDetails) -> list[str]:
    """The choices a literal_error offered: pydantic gives them only as text."""
    return re.findall(r"'([^']*)'", str((detail.get("ctx") or {}).get("expected", "")))


def allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed at ``loc`` inside ``model``, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) is list:
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _is_internal_loc(part: str | int) -> bool:
    # pydantic adds validator names (function-after[...]) and "[key]" to locations.
    return isinstance(part, str) and (part == "[key]" or ("[" in part and "(" in part))
