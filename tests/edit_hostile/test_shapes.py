"""Keys and JSON shapes the form never sends, against ``qa-site edit``: an unknown key is
never written, a value of the wrong JSON type is refused or harmless (never read as
blank), odd digits are refused or kept as typed, and no save makes a file larger than
a content file may be.

Each test drives the editor as the browser does against a committed copy of the
sample content, and reads back what reached the disk.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest

from generator.edit.app import EditorApp
from generator.edit.house_style import frontmatter_and_body
from generator.edit.refusals import EditRefused
from tests.support.edit_forms import (
    MEETING,
    PRESENTED,
    TEAM,
    new_draft,
    read_back,
    refusal_of,
    set_slot,
    snapshot_of,
    unchanged_call,
)


def test_keys_the_form_never_sends_are_never_written(app: EditorApp, repo: Path) -> None:
    path = new_draft(app)
    before, _ = read_back(repo, path)
    payload = unchanged_call(repo, path)
    form = payload["data"]
    form.update(
        {
            "__proto__": {"status": "presented"},
            "constructor": "x",
            "amendments": [{"date": "2016-01-01", "reason": "x", "by": "y"}],
            "body": "---\nstatus: presented",
            "../": "x",
            "S01: Good": "x",
        }
    )
    form["cases"] = [
        {
            "ref": "HF-LD-2017-01",
            "worker": "W01",
            "status": "presented",
            "__proto__": "x",
            "audience": "partners",
            "S01": "Good",
        }
    ]
    form["actions"] = [
        {"id": "A1", "standards": "S01", "action": "x", "__proto__": "x", "audience": "partners"}
    ]
    form["amendment"] = {"date": "", "reason": "", "by": "", "__proto__": "x"}
    app.call("save", payload)
    data, _ = read_back(repo, path)
    assert sorted(data) == sorted(before)
    assert data["status"] == "draft"
    assert data["cases"] == [
        {
            "ref": "HF-LD-2017-01",
            "worker": "W01",
            "interviewed": [],
            "record_reviewed": False,
            "grades": {},
        }
    ]
    assert data["actions"] == [
        {
            "id": "A1",
            "standards": ["S01"],
            "action": "x",
            "owner": None,
            "due": None,
            "status": None,
        }
    ]


@pytest.mark.parametrize("key", ["__proto__", "audience", "status", "S01: Good"])
def test_a_persons_or_items_unknown_key_is_never_written(
    app: EditorApp, repo: Path, key: str
) -> None:
    path = new_draft(app)
    payload = unchanged_call(repo, path)
    payload["data"]["reviewers"] = [{"name": "Quality Reviewer", "role": "lead", key: "x"}]
    app.call("save", payload)
    minutes = unchanged_call(repo, MEETING)
    minutes["data"]["chairs"][0][key] = "x"
    minutes["data"]["representatives"][0][key] = "x"
    minutes["data"]["development"][0][key] = "x"
    app.call("save", minutes)
    review, _ = read_back(repo, path)
    meeting, _ = read_back(repo, MEETING)
    assert review["reviewers"] == [{"name": "Quality Reviewer", "role": "lead"}]
    items = [meeting["chairs"][0], meeting["representatives"][0], meeting["development"][0]]
    assert [item for item in items if key in item] == []


@pytest.mark.parametrize(
    "key", ["S01: Good", "../", "__proto__", "status", "S99", "S01\nS02", "S0\u0661", "-"]
)
def test_a_rating_key_the_rulebook_lacks_reads_back_as_sent_and_is_reported(
    app: EditorApp, repo: Path, key: str
) -> None:
    path = new_draft(app)
    before, _ = read_back(repo, path)
    payload = unchanged_call(repo, path)
    payload["data"]["ratings"][key] = {"rating": "Good", "note": "", "evidence": []}
    answer = app.call("save", payload)
    data, _ = read_back(repo, path)
    assert sorted(data) == sorted(before)
    assert data["ratings"] == {**before["ratings"], key: "Good"}
    assert [p["field"] for p in answer["problems"] if p["severity"] == "error"] == [
        f"ratings.{key}"
    ]


WRONG_TYPES: list[Any] = [5, True, None, ["x"], [None], {"a": 1}, "x"]


REVIEW_SLOTS = [
    "file",
    "digest",
    "body",
    "date",
    "data",
    "data.status",
    "data.framework_version",
    "data.reviewers",
    "data.reviewers.0",
    "data.reviewers.0.name",
    "data.reviewers.0.origin",
    "data.evidence",
    "data.ratings",
    "data.ratings.S01.rating",
    "data.ratings.S01.note",
    "data.ratings.S01.evidence",
    "data.cases",
    "data.cases.0",
    "data.cases.0.ref",
    "data.cases.0.interviewed",
    "data.cases.0.grades.0",
    "data.cases.0.grades.0.standard",
    "data.cases.0.grades.0.grade",
    "data.cases.0.origin",
    "data.actions",
    "data.actions.0",
    "data.actions.0.id",
    "data.actions.0.standards",
    "data.actions.0.due",
    "data.actions.0.origin",
    "data.amendment",
    "data.amendment.date",
    "data.amendment.reason",
]
MEETING_SLOTS = [
    "data.status",
    "data.chairs",
    "data.chairs.0",
    "data.chairs.0.role",
    "data.representatives.0.team",
    "data.cases.0.standards",
    "data.cases.0.summary",
    "data.development",
    "data.development.0.note",
    "data.actions.0.standards",
    "data.actions.0.completed",
    "data.next_meeting",
]


def _refused_or_readable(app: EditorApp, repo: Path, name: str, payload: dict[str, Any]) -> None:
    """The call is refused (4xx, said) or answered, and every file still reads."""
    try:
        app.call(name, payload)
    except EditRefused as refused:
        assert 400 <= refused.status < 500, refused.message
        assert refused.message.strip()
    for path in (PRESENTED, MEETING):
        frontmatter_and_body((repo / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("slot", [*REVIEW_SLOTS, *(f"meeting:{s}" for s in MEETING_SLOTS)])
def test_a_wrong_json_type_anywhere_is_refused_or_harmless(
    app: EditorApp, repo: Path, slot: str
) -> None:
    path = MEETING if slot.startswith("meeting:") else PRESENTED
    slot = slot.removeprefix("meeting:")
    original = (repo / path).read_text(encoding="utf-8")
    for value in WRONG_TYPES:
        # A save reads the form as a check does, then writes.
        (repo / path).write_text(original, encoding="utf-8")
        payload = unchanged_call(repo, path)
        payload["data"].setdefault("amendment", {})
        set_slot(payload, slot, value)
        _refused_or_readable(app, repo, "save", payload)


@pytest.mark.parametrize("slot", ["kind", "where", "date"])
def test_a_wrong_json_type_in_a_new_file_is_refused(app: EditorApp, repo: Path, slot: str) -> None:
    before = snapshot_of(repo / "reviews")
    for value in WRONG_TYPES:
        payload: dict[str, Any] = {"kind": "review", "where": TEAM, "date": "2017-03-01"}
        payload[slot] = value
        refusal_of(partial(app.call, "new", payload))
    assert snapshot_of(repo / "reviews") == before


def test_a_preview_of_anything_but_text_is_refused(app: EditorApp) -> None:
    for value in WRONG_TYPES[:-1]:
        assert refusal_of(partial(app.call, "preview", {"body": value})).status == 400
    assert app.call("preview", {}) == {"html": ""}


def test_an_unknown_call_is_refused(app: EditorApp) -> None:
    for name in ("Save", "__init__", "_save", "page", "../save", ""):
        assert refusal_of(partial(app.call, name, {})).status == 404


def _rated_draft(app: EditorApp, repo: Path) -> str:
    """A draft with S01 rated Good and one case audit graded on S01 and S07."""
    path = new_draft(app)
    payload = unchanged_call(repo, path)
    payload["data"]["ratings"]["S01"] = {"rating": "Good", "note": "", "evidence": []}
    payload["data"]["cases"] = [
        {
            "ref": "HF-LD-2017-01",
            "worker": "W01",
            "interviewed": ["worker"],
            "record_reviewed": True,
            "grades": [{"standard": "S01", "grade": "Good"}, {"standard": "S07", "grade": "Good"}],
        }
    ]
    app.call("save", payload)
    data, _ = read_back(repo, path)
    assert data["ratings"]["S01"] == "Good"
    assert data["cases"][0]["grades"] == {"S01": "Good", "S07": "Good"}
    return path


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("grades", 5, id="grades-number"),
        pytest.param("grades", True, id="grades-true"),
        pytest.param("grades", "S01: Good", id="grades-text"),
        pytest.param("grades", {"S01": "Good"}, id="grades-map"),
        pytest.param("record_reviewed", "false", id="record-reviewed-text"),
        pytest.param("record_reviewed", 0, id="record-reviewed-number"),
        pytest.param("rating", "Good", id="rating-text"),
        pytest.param("rating", ["Good"], id="rating-list"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_never_read_as_blank(
    app: EditorApp, repo: Path, field: str, value: Any
) -> None:
    path = _rated_draft(app, repo)
    before = (repo / path).read_bytes()
    payload = unchanged_call(repo, path)
    if field == "rating":
        payload["data"]["ratings"]["S01"] = value
    else:
        payload["data"]["cases"][0][field] = value
    for name in ("check", "save"):
        assert refusal_of(partial(app.call, name, payload)).status == 400
    assert (repo / path).read_bytes() == before


@pytest.mark.parametrize(
    "version",
    [
        "\u00b2",
        "9" * 5000,
        "\u0661",
        "0" * 5 + "2",
    ],
    ids=["superscript", "too-many-digits", "arabic-indic", "zeros"],
)
def test_a_framework_version_of_odd_digits_is_refused_or_kept_as_typed(
    app: EditorApp, repo: Path, version: str
) -> None:
    path = new_draft(app)
    payload = unchanged_call(repo, path)
    payload["data"]["framework_version"] = version
    try:
        app.call("save", payload)
    except EditRefused as refused:
        assert refused.status == 400
        return
    data, _ = read_back(repo, path)
    assert str(data["framework_version"]) in (version, version.lstrip("0"))


def test_a_save_never_writes_a_file_larger_than_a_content_file_may_be(
    app: EditorApp, repo: Path
) -> None:
    path = new_draft(app)
    before = (repo / path).read_bytes()
    payload = unchanged_call(repo, path, body="x" * (1024 * 1024))
    assert refusal_of(lambda: app.call("save", payload)).status == 413
    assert (repo / path).read_bytes() == before
    page = app.page("/edit", {"file": path})
    assert page is not None and page.status == 200
