"""The record against ``qa-site edit``: a review presented in Git's last commit changes
only with a complete amendment, by whatever route a change comes (a field, a rename,
a second save, a file set back to draft or deleted by hand).

Each test drives the editor as the browser does against a committed copy of the
sample content, and reads back what reached the disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from generator.edit.app import EditorApp
from generator.edit.refusals import EditRefused
from tests.support.edit_forms import (
    PRESENTED,
    REMOVED,
    read_back,
    refusal_of,
    set_slot,
    snapshot_of,
    unchanged_call,
)
from tests.support.editing import git


def _rating(label: str) -> dict[str, Any]:
    return {"rating": label, "note": "", "evidence": []}


Changes = dict[str, list[tuple[str, Any]]]
RECORD_CHANGES: Changes = {
    "rating": [("data.ratings.S02", _rating("Good"))],
    "rating-blank": [("data.ratings.S02", _rating(""))],
    "rating-unknown": [("data.ratings.S02", _rating("Goodish"))],
    "grade": [("data.cases.0.grades.0", {"standard": "S02", "grade": "Good"})],
    "grade-removed": [("data.cases.0.grades.0", REMOVED)],
    "grade-added": [("data.cases.0.grades.+", {"standard": "S50", "grade": "Good"})],
    "case-ref": [("data.cases.0.ref", "HF-AST-2011-99")],
    "case-removed": [("data.cases.0", REMOVED)],
    "cases-emptied": [("data.cases", [])],
    "action-wording": [("data.actions.0.action", "Something else.")],
    "action-owner": [("data.actions.0.owner", "Head of service")],
    "action-due": [("data.actions.0.due", "2013-01-31")],
    "action-standards": [("data.actions.0.standards", "S09, S10")],
    "action-id": [("data.actions.0.id", "A9")],
    "action-removed": [("data.actions.0", REMOVED)],
    "action-added": [
        (
            "data.actions.+",
            {"id": "A9", "standards": "S02", "action": "x", "owner": "Team manager"}
            | {"due": "2012-06-30", "status": "open"},
        )
    ],
    "status-draft": [("data.status", "draft")],
    "status-completed": [("data.status", "completed")],
    "framework-version": [("data.framework_version", "2")],
    "renamed": [("date", "2011-10-21")],
}


def _changed(payload: dict[str, Any], changes: list[tuple[str, Any]]) -> dict[str, Any]:
    for slot, value in changes:
        set_slot(payload, slot, value)
    return payload


@pytest.mark.parametrize("change", list(RECORD_CHANGES))
def test_a_presented_review_is_not_changed_without_an_amendment(
    app: EditorApp, repo: Path, change: str
) -> None:
    before = snapshot_of(repo / "reviews")
    payload = unchanged_call(repo, PRESENTED)
    _changed(payload, RECORD_CHANGES[change])
    for name in ("save", "commit"):
        refused = refusal_of(partial(app.call, name, payload))
        field = "date" if change == "renamed" else "amendment"
        assert (refused.status, refused.field) == (409, field)
    assert snapshot_of(repo / "reviews") == before


def test_a_rating_the_form_leaves_out_is_kept_as_written(app: EditorApp, repo: Path) -> None:
    before = (repo / PRESENTED).read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    del payload["data"]["ratings"]["S02"]
    assert app.call("save", payload)["saved"] is False
    assert (repo / PRESENTED).read_bytes() == before


@pytest.mark.parametrize("change", ["status-draft", "status-completed", "renamed"])
def test_an_amendment_never_takes_a_presented_review_back_or_renames_it(
    app: EditorApp, repo: Path, change: str
) -> None:
    before = snapshot_of(repo / "reviews")
    payload = unchanged_call(repo, PRESENTED)
    _changed(payload, RECORD_CHANGES[change])
    payload["data"]["amendment"] = {"date": "2016-12-01", "reason": "x", "by": "Head of service"}
    assert refusal_of(lambda: app.call("save", payload)).status == 409
    assert snapshot_of(repo / "reviews") == before


# Each of these makes the review fail its model as well, so that it cannot be compared
# with the record as a review.
RECORD_CHANGES_WITH_AN_ERROR: Changes = {
    "status-capitalised": [("data.status", "Presented")],
    "status-blank": [("data.status", "")],
    "status-unknown": [("data.status", "withdrawn")],
    "framework-version-text": [("data.framework_version", "one")],
    "rating-and-bad-case-ref": [
        ("data.ratings.S02", _rating("Good")),
        ("data.cases.1.ref", "case two"),
    ],
    "wording-and-bad-due-date": [
        ("data.actions.0.action", "Something else."),
        ("data.actions.0.due", "2012-02-30"),
    ],
    "rating-key-in-lower-case": [
        ("data.ratings.S02", REMOVED),
        ("data.ratings.s02", _rating("Good")),
    ],
}


@pytest.mark.parametrize("change", list(RECORD_CHANGES_WITH_AN_ERROR))
def test_a_presented_review_with_an_error_is_not_changed_without_an_amendment(
    app: EditorApp, repo: Path, change: str
) -> None:
    before = (repo / PRESENTED).read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    _changed(payload, RECORD_CHANGES_WITH_AN_ERROR[change])
    assert refusal_of(lambda: app.call("save", payload)).status == 409
    assert (repo / PRESENTED).read_bytes() == before


@pytest.mark.parametrize(
    "amendment",
    [
        {"date": "", "reason": "", "by": "Head of service"},
        {"date": "", "reason": "Re-rated.", "by": ""},
        {"date": "2016-12-01", "reason": "", "by": ""},
        {"date": "not a date", "reason": "x", "by": "x"},
    ],
    ids=["by-only", "reason-only", "date-only", "no-date"],
)
def test_an_amendment_without_its_date_reason_and_author_does_not_count(
    app: EditorApp, repo: Path, amendment: dict[str, str]
) -> None:
    before = (repo / PRESENTED).read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = _rating("Good")
    payload["data"]["amendment"] = amendment
    refused = refusal_of(lambda: app.call("save", payload))
    # Refused as incomplete (400), or, with every box filled but no date, by the record's
    # rule (409): either way the change is not saved.
    assert refused.field == "amendment"
    assert refused.status == (409 if all(amendment.values()) else 400)
    assert (repo / PRESENTED).read_bytes() == before


def _committed_ratings_of_s02(repo: Path) -> set[str]:
    """S02's line in the presented review as every branch has it."""
    branches = git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads").split()
    lines = set()
    for branch in branches:
        text = git(repo, "show", f"{branch}:{PRESENTED}")
        lines |= {line for line in text.splitlines() if line.startswith("  S02:")}
    return lines


def test_a_presented_review_is_not_rewritten_in_two_saves_and_committed(
    app: EditorApp, repo: Path
) -> None:
    first = unchanged_call(repo, PRESENTED)
    first["data"]["ratings"]["S02"] = _rating("Good")
    first["data"]["status"] = "Presented"
    with pytest.raises(EditRefused):
        app.call("save", first)  # the change, saved while the status does not read
        second = unchanged_call(repo, PRESENTED)
        second["data"]["status"] = "presented"
        app.call("commit", second)  # the status put back, and committed
    assert _committed_ratings_of_s02(repo) == {"  S02: Adequate"}


def _taken_back_to_draft(app: EditorApp, repo: Path) -> dict[str, Any]:
    """The presented review set to draft by hand, then a rating changed in the form."""
    text = (repo / PRESENTED).read_text(encoding="utf-8")
    (repo / PRESENTED).write_text(text.replace("status: presented", "status: draft", 1))
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = _rating("Good")
    payload["data"]["status"] = "presented"
    return payload


def _replaced_by_a_new_draft(app: EditorApp, repo: Path) -> dict[str, Any]:
    """The presented review deleted by hand, and a new draft started on its date."""
    (repo / PRESENTED).unlink()
    app.call("new", {"kind": "review", "where": "hammersmith-fulham/assessment", "date": DAY})
    return unchanged_call(repo, PRESENTED)


DAY = PRESENTED.rsplit("/", 1)[1].removesuffix(".md")


@pytest.mark.parametrize(
    "route",
    [_taken_back_to_draft, _replaced_by_a_new_draft],
    ids=["taken-back-to-draft", "replaced-by-a-new-draft"],
)
def test_a_review_presented_in_git_stays_the_record_whatever_is_on_disk(
    app: EditorApp,
    repo: Path,
    route: Callable[[EditorApp, Path], dict[str, Any]],
) -> None:
    with pytest.raises(EditRefused):  # starting the draft or committing it
        app.call("commit", route(app, repo))
    assert _committed_ratings_of_s02(repo) == {"  S02: Adequate"}
    assert git(repo, "log", "--all", "--format=%s") == "The sample content"


@pytest.mark.parametrize(
    ("written", "mended"),
    [
        (("role: independent", "role: boss"), ("data.reviewers.1.role", "independent")),
        (("status: presented\n", "status: presented\naudiense: internal\n"), None),
        (("    due: 2012-01-31", "    due: 2012-01-32"), ("data.actions.0.due", "2012-01-31")),
    ],
    ids=["reviewer-role", "unknown-key", "due-date"],
)
def test_a_presented_review_with_an_error_on_disk_is_still_the_record(
    app: EditorApp, repo: Path, written: tuple[str, str], mended: tuple[str, str] | None
) -> None:
    text = (repo / PRESENTED).read_text(encoding="utf-8")
    assert written[0] in text
    (repo / PRESENTED).write_text(text.replace(written[0], written[1], 1), encoding="utf-8")
    before = (repo / PRESENTED).read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = _rating("Good")
    if mended is not None:
        set_slot(payload, *mended)
    refused = refusal_of(lambda: app.call("save", payload))
    assert (refused.status, refused.field) == (409, "amendment")
    assert (repo / PRESENTED).read_bytes() == before


def test_an_earlier_amendment_is_never_changed_or_removed(app: EditorApp, repo: Path) -> None:
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = _rating("Good")
    first = {"date": "2016-12-01", "reason": "S02 re-rated.", "by": "Head of service"}
    payload["data"]["amendment"] = first
    assert app.call("save", payload)["saved"] is True
    recorded, _ = read_back(repo, PRESENTED)
    assert recorded["amendments"] == [first | {"date": dt.date(2016, 12, 1)}]
    saved = (repo / PRESENTED).read_bytes()

    for amendments in ([], [first | {"reason": "Nothing changed."}], None, "x"):
        again = unchanged_call(repo, PRESENTED)
        again["data"]["amendments"] = amendments
        again["data"]["amendment"] = {"date": "", "reason": "", "by": ""}
        assert app.call("save", again)["saved"] is False
    assert (repo / PRESENTED).read_bytes() == saved

    # A second amendment is added after the first, which stays as it was.
    again = unchanged_call(repo, PRESENTED)
    again["data"]["ratings"]["S02"] = _rating("Adequate")
    again["data"]["amendment"] = {"date": "2016-12-02", "reason": "Back.", "by": "Head of service"}
    assert app.call("save", again)["saved"] is True
    data, _ = read_back(repo, PRESENTED)
    assert data["amendments"][0] == recorded["amendments"][0]
    assert len(data["amendments"]) == 2
