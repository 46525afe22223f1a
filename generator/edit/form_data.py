"""The form's fields turned back into a file's frontmatter.

The browser sends what each field holds, as text; this module gives it back
the shapes and types a reviewer would have written, starting from the file's
own data so that nothing the form does not show is lost (an ``audience`` key,
an amendment already recorded) and nothing it shows unchanged is rewritten: a
rating left as it was keeps its short or long form, a list of the same items
keeps its order, a blank that was blank stays blank.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from generator.edit.form_input import meeting_fields, review_fields
from generator.edit.refusals import EditRefused

_STANDARD_IDS = re.compile(r"[A-Za-z]+[0-9]+")
# Keys whose blank means "not given": the key is left out rather than written empty.
_OPTIONAL = {"note", "completed", "next_meeting", "team", "evidence", "audience", "status"}


def review_data(original: Mapping[str, Any], sent: Any) -> dict[str, Any]:
    """A review's frontmatter: ``original`` with what the form holds put in."""
    form = review_fields(sent)
    data = _start(original)
    if "status" in form:
        _put(data, "status", _text(form["status"]), original)
    _put(data, "audience", _audience(form, original), original)
    if "framework_version" in form:
        _put(data, "framework_version", _whole(form["framework_version"]), original)
    data["reviewers"] = _items(original.get("reviewers"), form.get("reviewers"), _flat_item)
    _put(data, "evidence", _choices(original.get("evidence"), form.get("evidence")), original)
    data["ratings"] = _ratings(original.get("ratings"), form.get("ratings"))
    data["cases"] = _items(original.get("cases"), form.get("cases"), _case)
    data["actions"] = _items(original.get("actions"), form.get("actions"), _action)
    _amend(data, form.get("amendment"))
    return _tidy(data, original)


def meeting_data(original: Mapping[str, Any], sent: Any) -> dict[str, Any]:
    """A meeting's frontmatter: ``original`` with what the form holds put in."""
    form = meeting_fields(sent)
    data = _start(original)
    if "status" in form:
        _put(data, "status", _text(form["status"]), original)
    _put(data, "audience", _audience(form, original), original)
    data["chairs"] = _items(original.get("chairs"), form.get("chairs"), _flat_item)
    data["representatives"] = _items(
        original.get("representatives"), form.get("representatives"), _flat_item
    )
    data["cases"] = _items(original.get("cases"), form.get("cases"), _board_case)
    data["development"] = _items(original.get("development"), form.get("development"), _flat_item)
    data["actions"] = _items(original.get("actions"), form.get("actions"), _action)
    if "next_meeting" in form:
        _put(data, "next_meeting", _date(form["next_meeting"]), original)
    return _tidy(data, original)


def _start(original: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(original, Mapping):
        raise EditRefused(409, "the file's frontmatter is not a set of keys; fix it by hand")
    return copy.deepcopy(dict(original))


def _tidy(data: dict[str, Any], original: Mapping[str, Any]) -> dict[str, Any]:
    """Lists the form emptied that the file never had stay out of it."""
    for key in ("reviewers", "cases", "actions", "chairs", "representatives", "development"):
        if key in data and data[key] == [] and key not in original:
            del data[key]
    return data


def _put(data: dict[str, Any], key: str, value: Any, original: Mapping[str, Any]) -> None:
    """Set ``key``, or leave it out when blank and the file had no such key."""
    if (value is None and key not in original) or (value is None and key in _OPTIONAL):
        data.pop(key, None)
    else:
        data[key] = value


def _audience(form: Mapping[str, Any], original: Mapping[str, Any]) -> str | None:
    """Who may read the file's words; the default (internal) is not written unless the
    file wrote it."""
    audience = _text(form.get("audience")) if "audience" in form else original.get("audience")
    if audience == "internal" and "audience" not in original:
        return None
    return audience


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise EditRefused(400, "the form sent a value that is not text")
    # A form's text area sends Windows line ends from some browsers; the files use \n.
    text = value.replace("\r\n", "\n").strip()
    return text or None


def _whole(value: Any) -> int | str | None:
    text = _text(value)
    if text is None:
        return None
    # Digits as a reviewer types them; anything else (², a 5,000-digit number) is kept
    # as text, for the check to say what is wrong with it.
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else text


def _date(value: Any) -> dt.date | str | None:
    """A date as the loader reads a plain ``2012-01-31``; other text is kept as typed,
    for the check to say what is wrong with it."""
    text = _text(value)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d\d-\d\d", text) else text
    except ValueError:
        return text


def _choices(original: Any, chosen: Any) -> list[str] | None:
    """Ticked boxes as a list, in the file's order when they are the same set."""
    if chosen is None:
        return None
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        raise EditRefused(400, "the form sent a list that is not of text")
    if isinstance(original, list) and sorted(map(str, original)) == sorted(chosen):
        return list(original)
    return list(chosen)


def _standard_list(original: Any, typed: Any) -> list[str]:
    """``S07, S21`` as typed into one field, as a list of ids."""
    text = _text(typed) or ""
    ids = [match.upper() for match in _STANDARD_IDS.findall(text)]
    leftover = _STANDARD_IDS.sub("", text).replace(",", " ").split()
    if leftover:
        # What is not a standard id is kept, so that the check names it.
        ids += leftover
    if isinstance(original, list) and [str(o) for o in original] == ids:
        return list(original)
    return ids


def _ratings(original: Any, form: Any) -> dict[str, Any]:
    before: dict[str, Any] = dict(original) if isinstance(original, Mapping) else {}
    if not isinstance(form, Mapping):
        return before
    ratings: dict[str, Any] = {}
    for standard_id, fields in form.items():
        was = before.get(standard_id)
        present = standard_id in before
        value = _rating(was, fields if isinstance(fields, Mapping) else {})
        if value is None and not present:
            continue
        ratings[standard_id] = value
    # Keys the form has no field for (a standard not in this version) are kept for the check.
    for standard_id, value in before.items():
        ratings.setdefault(standard_id, value)
    return dict(sorted(ratings.items(), key=lambda item: _natural(item[0])))


def _rating(was: Any, fields: Mapping[str, Any]) -> Any:
    label = _text(fields.get("rating"))
    note = _text(fields.get("note"))
    before = was if isinstance(was, Mapping) else {}
    evidence = _choices(before.get("evidence"), fields.get("evidence") or [])
    audience = _text(fields.get("audience")) if "audience" in fields else before.get("audience")
    if isinstance(was, Mapping):
        if (
            was.get("rating") == label
            and was.get("note") == note
            and list(was.get("evidence") or []) == (evidence or [])
            and was.get("audience") == audience
        ):
            return was  # as written, long form and all
        kept = {k: v for k, v in was.items() if k not in ("rating", "note", "evidence", "audience")}
    else:
        written = was if isinstance(was, str) or was is None else str(was)
        if written == label and not (note or evidence or audience):
            return was
        kept = {}
    if not note and not evidence and not audience and not kept:
        return label
    entry: dict[str, Any] = {"rating": label}
    if note:
        entry["note"] = note
    if evidence:
        entry["evidence"] = evidence
    if audience:
        entry["audience"] = audience
    entry.update(kept)
    return entry


def _items(original: Any, form: Any, item: Any) -> list[Any]:
    """Repeated groups: each from the file's item it started as (``origin``), if any."""
    before = list(original) if isinstance(original, list) else []
    if form is None:
        return before
    if not isinstance(form, list):
        raise EditRefused(400, "the form sent a group that is not a list")
    items = []
    for fields in form:
        if not isinstance(fields, Mapping):
            raise EditRefused(400, "the form sent a group item that is not a set of fields")
        origin = fields.get("origin")
        was = before[origin] if isinstance(origin, int) and 0 <= origin < len(before) else None
        items.append(item(was, fields))
    return items


def _flat_item(was: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A group of text fields (a reviewer, a chair, a development item)."""
    entry = dict(was) if isinstance(was, Mapping) else {}
    for key, value in fields.items():
        if key == "origin":
            continue
        _put(entry, key, _text(value), was if isinstance(was, Mapping) else {})
    return entry


def _case(was: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
    before = was if isinstance(was, Mapping) else {}
    entry = dict(before)
    _put(entry, "ref", _text(fields.get("ref")), before or {"ref": None})
    _put(entry, "worker", _text(fields.get("worker")), before)
    entry["interviewed"] = _choices(before.get("interviewed"), fields.get("interviewed") or [])
    entry["record_reviewed"] = bool(fields.get("record_reviewed"))
    grades: dict[str, Any] = {}
    for row in fields.get("grades") or []:
        standard = _text(row.get("standard"))
        if standard is None:
            continue
        standard = standard.upper()
        if standard in grades:
            raise EditRefused(
                400,
                f"a case audit ({entry.get('ref') or 'no reference yet'}) grades {standard} "
                "twice: keep one grade for each standard",
                "grades",
            )
        grades[standard] = _text(row.get("grade"))
    entry["grades"] = grades
    return _ordered(entry, ("ref", "worker", "interviewed", "record_reviewed", "grades"))


def _board_case(was: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
    before = was if isinstance(was, Mapping) else {}
    entry = dict(before)
    for key in ("ref", "team", "summary", "decision", "audience"):
        if key in fields:
            _put(entry, key, _text(fields.get(key)), before)
    entry["standards"] = _standard_list(before.get("standards"), fields.get("standards"))
    return _ordered(entry, ("ref", "team", "standards", "summary", "decision"))


def _action(was: Any, fields: Mapping[str, Any]) -> dict[str, Any]:
    before = was if isinstance(was, Mapping) else {}
    entry = dict(before)
    _put(entry, "id", _text(fields.get("id")), before)
    entry["standards"] = _standard_list(before.get("standards"), fields.get("standards"))
    for key in ("action", "owner", "status"):
        _put(entry, key, _text(fields.get(key)), before)
    for key in ("due", "completed"):
        _put(entry, key, _date(fields.get(key)), before)
    for key in ("action", "owner", "due", "status"):
        entry.setdefault(key, None)  # so that the check says it is missing, by name
    return _ordered(entry, ("id", "standards", "action", "owner", "due", "status", "completed"))


def _amend(data: dict[str, Any], amendment: Any) -> None:
    """A new amendment, appended when any of its fields is filled."""
    if not isinstance(amendment, Mapping):
        return
    entry: dict[str, Any] = {key: _text(amendment.get(key)) for key in ("date", "reason", "by")}
    if not any(entry.values()):
        return
    entry["date"] = _date(entry["date"])
    amendments = data.get("amendments")
    recorded = amendments if isinstance(amendments, list) else []
    if recorded and recorded[-1] == entry:
        return  # the same amendment sent again (a second save): recorded once
    data["amendments"] = [*recorded, entry]


def _ordered(entry: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """The keys of a new item in the house order; an existing item keeps its own."""
    first = {key: entry[key] for key in order if key in entry}
    return {**first, **{k: v for k, v in entry.items() if k not in first}}


def _natural(standard_id: str) -> tuple[str, int, str]:
    match = re.fullmatch(r"([A-Za-z]*)(\d+)(.*)", standard_id)
    return (match[1], int(match[2]), match[3]) if match else (standard_id, 0, "")
