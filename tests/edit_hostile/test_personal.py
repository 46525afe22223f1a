"""Personal data typed into the form of ``qa-site edit``: found before the file is
saved, shown beside its field, and never committed.

Each test drives the editor as the browser does against a committed copy of the
sample content, and reads back what reached the disk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.edit.app import EditorApp
from tests.support.edit_forms import (
    DENIED_NAME,
    NHS_NUMBER,
    new_draft,
    refusal_of,
    unchanged_call,
)
from tests.support.editing import git


def _with_personal_data(repo: Path, path: str, where: str, text: str) -> dict[str, Any]:
    """A call for the draft at ``path`` with ``text`` typed at ``where``; otherwise a
    draft without errors."""
    payload = unchanged_call(repo, path)
    form = payload["data"]
    form["ratings"]["S01"] = {"rating": "Good", "note": "", "evidence": []}
    form["reviewers"] = [{"name": "Quality Reviewer", "role": "lead"}]
    form["cases"] = [
        {"ref": "HF-LD-2017-01", "worker": "W01", "interviewed": ["worker"], "grades": []}
    ]
    action = {
        "id": "A1",
        "standards": "S01",
        "action": "Audit the sample again.",
        "owner": "Team manager",
        "due": "2017-06-01",
        "status": "open",
        "completed": "",
    }
    form["actions"] = [action]
    if where == "note":
        form["ratings"]["S01"]["note"] = f"Seen at home: {text}."
    elif where == "body":
        payload["body"] += f"\nThe worker met {text} at home.\n"
    elif where == "action":
        action["action"] = f"Write to {text} again."
    elif where == "owner":
        action["owner"] = text
    elif where == "case":
        form["cases"][0]["ref"] = text
    return payload


PERSONAL = {
    "nhs-number": (NHS_NUMBER, "an NHS number"),
    "nhs-number-dashed": (NHS_NUMBER.replace(" ", "-"), "an NHS number"),
    "denied-name": (DENIED_NAME, "a name on the deny-list"),
    "denied-name-capitals": (DENIED_NAME.upper(), "a name on the deny-list"),
    "denied-name-look-alike": ("J\u0430ne \uff33mith", "a name on the deny-list"),
}


@pytest.mark.parametrize("kind", list(PERSONAL))
@pytest.mark.parametrize("where", ["note", "body", "action", "owner", "case"])
def test_personal_data_typed_in_the_form_is_found_before_it_is_saved(
    app: EditorApp, repo: Path, where: str, kind: str
) -> None:
    path = new_draft(app)
    before = (repo / path).read_bytes()
    text, description = PERSONAL[kind]
    answer = app.call("check", _with_personal_data(repo, path, where, text))
    field = {
        "note": "ratings.S01.note",
        "body": "body",
        "action": "actions[0].action",
        "owner": "actions[0].owner",
        "case": "cases[0].ref",
    }[where]
    found = [p for p in answer["problems"] if p["message"].startswith(description)]
    assert [p["field"] for p in found] == [field]
    assert text not in json.dumps(answer["problems"], ensure_ascii=False)
    assert (repo / path).read_bytes() == before


@pytest.mark.parametrize(
    "where",
    [
        "note",
        "body",
        "action",
        "owner",
        "case",
    ],
)
@pytest.mark.parametrize("kind", ["nhs-number", "denied-name"])
def test_personal_data_typed_in_the_form_is_never_committed(
    app: EditorApp, repo: Path, where: str, kind: str
) -> None:
    path = new_draft(app)
    harmless = "HF-LD-2017-02" if where == "case" else "the person"
    clean = app.call("check", _with_personal_data(repo, path, where, harmless))
    assert clean["problems"] == []
    refused = refusal_of(
        lambda: app.call("commit", _with_personal_data(repo, path, where, PERSONAL[kind][0]))
    )
    assert refused.status == 409
    assert git(repo, "branch", "--show-current") == "main"
    assert git(repo, "log", "--format=%s") == "The sample content"
