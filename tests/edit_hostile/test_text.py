"""Hostile text against ``qa-site edit``: whatever is typed in a field of the form,
however YAML would misread it (a key, a comment, a document end, a lone surrogate),
reads back from the file as exactly what was typed, and never closes the frontmatter.

Each test drives the editor as the browser does against a committed copy of the
sample content, and reads back what reached the disk.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import pytest

from generator.edit.app import EditorApp
from tests.support.edit_forms import (
    MEETING,
    TEAM,
    new_draft,
    read_back,
    refusal_of,
    unchanged_call,
)

HOSTILE_TEXT = [
    "Visits were few\n  S02: Outstanding",
    "reason: none given",
    "seen at home #2",
    "- listed",
    "{rating: Outstanding}",
    "[S01, S02]",
    "&anchor",
    "*anchor",
    "!!python/object:os.system",
    "!tag text",
    "%YAML 1.1",
    "@handle",
    "`code`",
    "a\ttab",
    "line\u2028separator",
    "next\x85line",
    "nul\x00byte",
    "bell\x07and\x1bescape",
    "x" * 20000,
    "---",
    "...",
    "---\nstatus: presented",
    "No",
    "yes",
    "null",
    "~",
    "0o17",
    "0x1F",
    "1e3",
    ".inf",
    "1_000",
    "12:30",
    "2012-01-01",
    "2012-01-01 10:00:00",
    "true",
    "\u0405\u041e1 with Cyrillic look-alikes",
    "zero\u200bwidth",
    "\ufeffbyte order mark",
    "carriage\rreturn",
    "windows\r\nline",
    "'single'",
    '"double"',
    "|",
    ">",
    "? key",
    ": colon first",
    "ends with colon:",
    "back\\slash",
    "\\",
    "#",
    "  padded  ",
    "no\u00a0break",
    "emoji \U0001f600",
    "<!-- pii-ok: not a marker -->",
    "# pii-ok: not a comment",
]


def _as_typed(text: str) -> str:
    """What a field reads back as: the form's line ends made \\n and the ends trimmed."""
    return text.replace("\r\n", "\n").strip()


def test_text_typed_in_any_field_reads_back_as_exactly_that_text(
    app: EditorApp, repo: Path
) -> None:
    # One save holds every text: each in a note, a reviewer, a case audit and an action
    # of its own, and all of them in the findings.
    path = new_draft(app)
    before, _ = read_back(repo, path)
    payload = unchanged_call(repo, path, body="\n\n".join(HOSTILE_TEXT))
    form = payload["data"]
    # The first texts as notes, one per standard of the draft (50 of them).
    standards = list(form["ratings"])
    for standard_id, typed in zip(standards, HOSTILE_TEXT, strict=False):
        form["ratings"][standard_id] = {"rating": "Good", "note": typed, "evidence": []}
    form["reviewers"] = [{"name": typed, "role": "lead"} for typed in HOSTILE_TEXT]
    form["cases"] = [
        {
            "ref": typed,
            "worker": typed,
            "interviewed": [],
            "record_reviewed": False,
            "grades": [{"standard": "S01", "grade": typed}],
        }
        for typed in HOSTILE_TEXT
    ]
    form["actions"] = [
        {
            "id": f"A{number}",
            "standards": "S01",
            "action": typed,
            "owner": typed,
            "due": "2017-06-01",
            "status": "open",
            "completed": "",
        }
        for number, typed in enumerate(HOSTILE_TEXT, 1)
    ]
    app.call("save", payload)
    data, body = read_back(repo, path)
    assert sorted(data) == sorted(before)
    assert data["status"] == "draft"
    wrong = []
    for index, typed in enumerate(HOSTILE_TEXT):
        value = _as_typed(typed)
        standard_id = standards[index % len(standards)]
        read = (
            data["ratings"][standard_id] if index < len(standards) else None,
            data["reviewers"][index],
            data["cases"][index],
            data["actions"][index],
        )
        meant = (
            {"rating": "Good", "note": value} if index < len(standards) else None,
            {"name": value, "role": "lead"},
            {
                "ref": value,
                "worker": value,
                "interviewed": [],
                "record_reviewed": False,
                "grades": {"S01": value},
            },
            {
                "id": f"A{index + 1}",
                "standards": ["S01"],
                "action": value,
                "owner": value,
                "due": dt.date(2017, 6, 1),
                "status": "open",
            },
        )
        if read != meant:
            wrong.append((typed[:40], read))
    assert wrong == []
    assert len(data["ratings"]) == len(before["ratings"])
    assert body == "\n\n".join(HOSTILE_TEXT).replace("\r\n", "\n").replace("\r", "\n")


def test_text_typed_in_the_minutes_reads_back_as_exactly_that_text(
    app: EditorApp, repo: Path
) -> None:
    before, _ = read_back(repo, MEETING)
    payload = unchanged_call(repo, MEETING, body="\n".join(HOSTILE_TEXT))
    form = payload["data"]
    form["chairs"] = [{"role": typed} for typed in HOSTILE_TEXT]
    form["development"] = [{"title": typed, "note": typed} for typed in HOSTILE_TEXT]
    form["cases"] = [
        {"ref": "HF-LD-2015-01", "team": "learning-disability", "standards": "S07"}
        | {"summary": typed, "decision": typed}
        for typed in HOSTILE_TEXT
    ]
    app.call("save", payload)
    data, body = read_back(repo, MEETING)
    assert sorted(data) == sorted(before)
    values = [_as_typed(typed) for typed in HOSTILE_TEXT]
    assert [chair["role"] for chair in data["chairs"]] == values
    assert [(d["title"], d["note"]) for d in data["development"]] == list(
        zip(values, values, strict=True)
    )
    assert [(c["summary"], c["decision"]) for c in data["cases"]] == list(
        zip(values, values, strict=True)
    )
    assert data["actions"] == before["actions"]
    assert body == "\n".join(HOSTILE_TEXT).replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize(
    "findings",
    [
        "---\nstatus: presented\n",
        "---\n---\nstatus: presented\n---\n",
        "\n---\nstatus: presented\naudience: partners\n---\nText.\n",
        "...\nstatus: presented\n",
        "---",
        "--- \nstatus: presented",
        "\ufeff---\nstatus: presented\n",
    ],
)
def test_the_findings_can_never_close_the_frontmatter_or_add_keys(
    app: EditorApp, repo: Path, findings: str
) -> None:
    path = new_draft(app)
    before, _ = read_back(repo, path)
    answer = app.call("save", unchanged_call(repo, path, body=findings))
    assert answer["saved"] is True
    data, body = read_back(repo, path)
    assert data == before
    assert body == findings


@pytest.mark.parametrize(
    "where",
    [
        "note",
        "body",
        "file",
        "date",
    ],
)
def test_a_lone_surrogate_is_refused_and_nothing_written(
    app: EditorApp, repo: Path, where: str
) -> None:
    path = new_draft(app)
    before = (repo / path).read_bytes()
    payload = unchanged_call(repo, path)
    if where == "note":
        payload["data"]["ratings"]["S01"] = {"rating": "Good", "note": "a\ud800b"}
    elif where == "body":
        payload["body"] = "a\udfffb"
    elif where == "file":
        payload["file"] = path.replace("2017", "2\ud80017")
    else:
        payload["date"] = "2017-03-0\ud800"
    for call in ("check", "save"):
        refusal_of(partial(app.call, call, payload))
    assert (repo / path).read_bytes() == before
    assert sorted(p.name for p in (repo / "reviews" / TEAM).iterdir()) == [
        "2010-12-09.md",
        "2011-09-22.md",
        "2017-03-01.md",
        "team.yml",
    ]
