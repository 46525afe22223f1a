"""Hostile inputs against ``qa-site edit``, by family: text that YAML would misread,
keys and JSON shapes the form never sends, paths and links that lead elsewhere, web
requests from other sites and hostile content in the files it shows, personal data
typed into the form, and every route by which a presented review could change
without an amendment.

Each test drives the editor as the browser does (``EditorApp`` in the process, or
its real server on 127.0.0.1) against a copy of the sample content, and reads back
what reached the disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html.parser
import http.client
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from generator.edit.app import EditorApp
from generator.edit.house_style import frontmatter_and_body
from generator.edit.refusals import EditRefused
from generator.edit.server import TOKEN_HEADER, EditServer, parse_address
from generator.privacy.names import DenyList
from generator.render.markup import NARRATIVE_ATTRIBUTES, NARRATIVE_TAGS
from tests.support.repos import copy_repository

AS_OF = dt.date(2017, 1, 1)
TOKEN = "hostile-session-token"
PRESENTED = "reviews/hammersmith-fulham/assessment/2011-10-20.md"
MEETING = "reviews/hammersmith-fulham/governance/2015-07-16.md"
TEAM = "hammersmith-fulham/learning-disability"
DRAFT = f"reviews/{TEAM}/2017-03-01.md"
# A valid NHS number (its check digit is right), as the guard's own tests use.
NHS_NUMBER = "943 476 5919"
DENIED_NAME = "Jane Smith"


# Repositories and the editor over them


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return done.stdout.decode("utf-8").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the sample content, committed as a reviewer's clone is: the record a
    presented review is held to is the last commit's."""
    return _committed(copy_repository(tmp_path / "repo").resolve())


def _committed(root: Path) -> Path:
    """``root`` made a Git repository with its content committed on main, as a
    reviewer's clone is (once)."""
    if (root / ".git").exists():
        return root
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Quality Reviewer")
    _git(root, "config", "user.email", "reviewer@council.example")
    _git(root, "config", "commit.gpgsign", "false")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--no-verify", "-m", "The sample content")
    return root


@pytest.fixture
def app(repo: Path) -> EditorApp:
    return EditorApp(repo, token=TOKEN, as_of=AS_OF, deny=DenyList.of([DENIED_NAME]))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(repo: Path, path: str) -> tuple[dict[str, Any], str]:
    return frontmatter_and_body((repo / path).read_text(encoding="utf-8"))


def _form_of(text: str) -> dict[str, Any]:
    """What the form sends for a review left as it is."""
    data, _ = frontmatter_and_body(text)
    ratings = {}
    for standard_id, value in data.get("ratings", {}).items():
        entry = value if isinstance(value, dict) else {"rating": value}
        ratings[standard_id] = {
            "rating": entry.get("rating") or "",
            "note": entry.get("note") or "",
            "evidence": entry.get("evidence") or [],
        }
    return {
        "status": data["status"],
        "framework_version": str(data["framework_version"]),
        "reviewers": [{"origin": i, **r} for i, r in enumerate(data.get("reviewers") or [])],
        "evidence": list(data.get("evidence") or []),
        "ratings": ratings,
        "cases": [
            {
                "origin": i,
                "ref": c.get("ref") or "",
                "worker": c.get("worker") or "",
                "interviewed": list(c.get("interviewed") or []),
                "record_reviewed": bool(c.get("record_reviewed")),
                "grades": [{"standard": k, "grade": v} for k, v in (c.get("grades") or {}).items()],
            }
            for i, c in enumerate(data.get("cases") or [])
        ],
        "actions": [
            {
                "origin": i,
                **{k: "" if v is None else str(v) for k, v in a.items() if k != "standards"},
                "standards": ", ".join(a.get("standards") or []),
            }
            for i, a in enumerate(data.get("actions") or [])
        ],
    }


def _meeting_form(text: str) -> dict[str, Any]:
    """What the form sends for minutes left as they are."""
    data, _ = frontmatter_and_body(text)

    def listed(key: str) -> list[dict[str, Any]]:
        return [
            {
                "origin": i,
                **{k: str(v) for k, v in item.items() if k != "standards"},
                **({"standards": ", ".join(item["standards"])} if "standards" in item else {}),
            }
            for i, item in enumerate(data.get(key) or [])
        ]

    return {
        "status": str(data.get("status") or ""),
        **{key: listed(key) for key in ("chairs", "representatives", "cases", "development")},
        "actions": listed("actions"),
        "next_meeting": str(data.get("next_meeting") or ""),
    }


def _payload(repo: Path, path: str, **changes: Any) -> dict[str, Any]:
    """A call for the file at ``path`` as the form sends it unchanged, with ``changes``."""
    text = (repo / path).read_bytes().decode("utf-8")  # its own line ends, for the digest
    _, body = frontmatter_and_body(text)
    form = _meeting_form(text) if "/governance/" in path else _form_of(text)
    return {
        "file": path,
        "digest": _digest(text),
        "data": form,
        "body": body,
        "date": path.rsplit("/", 1)[1].removesuffix(".md"),
        **changes,
    }


def _new_draft(app: EditorApp) -> str:
    answer = app.call("new", {"kind": "review", "where": TEAM, "date": "2017-03-01"})
    assert answer["file"] == DRAFT
    return DRAFT


def _snapshot(folder: Path) -> dict[str, str | bytes]:
    """Every entry below ``folder``, links as their targets, files as their bytes."""
    found: dict[str, str | bytes] = {}
    for top, folders, files in os.walk(folder):
        for name in [*folders, *files]:
            path = Path(top) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = f"link to {os.readlink(path)}"
            elif path.is_file():
                found[key] = path.read_bytes()
            else:
                found[key] = "folder"
    return found


def _refusal(call: Callable[[], object]) -> EditRefused:
    with pytest.raises(EditRefused) as refused:
        call()
    assert 400 <= refused.value.status < 500, refused.value.message
    assert refused.value.message.strip()
    return refused.value


# 1. YAML injection through form values

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
    path = _new_draft(app)
    before, _ = _read(repo, path)
    payload = _payload(repo, path, body="\n\n".join(HOSTILE_TEXT))
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
    data, body = _read(repo, path)
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
    before, _ = _read(repo, MEETING)
    payload = _payload(repo, MEETING, body="\n".join(HOSTILE_TEXT))
    form = payload["data"]
    form["chairs"] = [{"role": typed} for typed in HOSTILE_TEXT]
    form["development"] = [{"title": typed, "note": typed} for typed in HOSTILE_TEXT]
    form["cases"] = [
        {"ref": "HF-LD-2015-01", "team": "learning-disability", "standards": "S07"}
        | {"summary": typed, "decision": typed}
        for typed in HOSTILE_TEXT
    ]
    app.call("save", payload)
    data, body = _read(repo, MEETING)
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
    path = _new_draft(app)
    before, _ = _read(repo, path)
    answer = app.call("save", _payload(repo, path, body=findings))
    assert answer["saved"] is True
    data, body = _read(repo, path)
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
    path = _new_draft(app)
    before = (repo / path).read_bytes()
    payload = _payload(repo, path)
    if where == "note":
        payload["data"]["ratings"]["S01"] = {"rating": "Good", "note": "a\ud800b"}
    elif where == "body":
        payload["body"] = "a\udfffb"
    elif where == "file":
        payload["file"] = path.replace("2017", "2\ud80017")
    else:
        payload["date"] = "2017-03-0\ud800"
    for call in ("check", "save"):
        _refusal(partial(app.call, call, payload))
    assert (repo / path).read_bytes() == before
    assert sorted(p.name for p in (repo / "reviews" / TEAM).iterdir()) == [
        "2010-12-09.md",
        "2011-09-22.md",
        "2017-03-01.md",
        "team.yml",
    ]


# 2. Keys and shapes the form never sends


def test_keys_the_form_never_sends_are_never_written(app: EditorApp, repo: Path) -> None:
    path = _new_draft(app)
    before, _ = _read(repo, path)
    payload = _payload(repo, path)
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
    data, _ = _read(repo, path)
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
    path = _new_draft(app)
    payload = _payload(repo, path)
    payload["data"]["reviewers"] = [{"name": "Quality Reviewer", "role": "lead", key: "x"}]
    app.call("save", payload)
    minutes = _payload(repo, MEETING)
    minutes["data"]["chairs"][0][key] = "x"
    minutes["data"]["representatives"][0][key] = "x"
    minutes["data"]["development"][0][key] = "x"
    app.call("save", minutes)
    review, _ = _read(repo, path)
    meeting, _ = _read(repo, MEETING)
    assert review["reviewers"] == [{"name": "Quality Reviewer", "role": "lead"}]
    items = [meeting["chairs"][0], meeting["representatives"][0], meeting["development"][0]]
    assert [item for item in items if key in item] == []


@pytest.mark.parametrize(
    "key", ["S01: Good", "../", "__proto__", "status", "S99", "S01\nS02", "S0\u0661", "-"]
)
def test_a_rating_key_the_rulebook_lacks_reads_back_as_sent_and_is_reported(
    app: EditorApp, repo: Path, key: str
) -> None:
    path = _new_draft(app)
    before, _ = _read(repo, path)
    payload = _payload(repo, path)
    payload["data"]["ratings"][key] = {"rating": "Good", "note": "", "evidence": []}
    answer = app.call("save", payload)
    data, _ = _read(repo, path)
    assert sorted(data) == sorted(before)
    assert data["ratings"] == {**before["ratings"], key: "Good"}
    assert [p["field"] for p in answer["problems"] if p["severity"] == "error"] == [
        f"ratings.{key}"
    ]


WRONG_TYPES: list[Any] = [5, True, None, ["x"], [None], {"a": 1}, "x"]


_REMOVED = object()


def _set(payload: dict[str, Any], slot: str, value: Any) -> None:
    """Put ``value`` at ``slot`` of the payload: dotted keys, list indices as numbers,
    ``+`` to append to a list; ``_REMOVED`` as the value takes the key or item out."""
    *parents, last = slot.split(".")
    here: Any = payload
    for part in parents:
        here = here[int(part)] if isinstance(here, list) else here.setdefault(part, {})
    if value is _REMOVED:
        del here[int(last) if isinstance(here, list) else last]
    elif isinstance(here, list) and last == "+":
        here.append(value)
    elif isinstance(here, list):
        here[int(last)] = value
    else:
        here[last] = value


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
        payload = _payload(repo, path)
        payload["data"].setdefault("amendment", {})
        _set(payload, slot, value)
        _refused_or_readable(app, repo, "save", payload)


@pytest.mark.parametrize("slot", ["kind", "where", "date"])
def test_a_wrong_json_type_in_a_new_file_is_refused(app: EditorApp, repo: Path, slot: str) -> None:
    before = _snapshot(repo / "reviews")
    for value in WRONG_TYPES:
        payload: dict[str, Any] = {"kind": "review", "where": TEAM, "date": "2017-03-01"}
        payload[slot] = value
        _refusal(partial(app.call, "new", payload))
    assert _snapshot(repo / "reviews") == before


def test_a_preview_of_anything_but_text_is_refused(app: EditorApp) -> None:
    for value in WRONG_TYPES[:-1]:
        assert _refusal(partial(app.call, "preview", {"body": value})).status == 400
    assert app.call("preview", {}) == {"html": ""}


def test_an_unknown_call_is_refused(app: EditorApp) -> None:
    for name in ("Save", "__init__", "_save", "page", "../save", ""):
        assert _refusal(partial(app.call, name, {})).status == 404


def _rated_draft(app: EditorApp, repo: Path) -> str:
    """A draft with S01 rated Good and one case audit graded on S01 and S07."""
    path = _new_draft(app)
    payload = _payload(repo, path)
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
    data, _ = _read(repo, path)
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
    payload = _payload(repo, path)
    if field == "rating":
        payload["data"]["ratings"]["S01"] = value
    else:
        payload["data"]["cases"][0][field] = value
    for name in ("check", "save"):
        assert _refusal(partial(app.call, name, payload)).status == 400
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
    path = _new_draft(app)
    payload = _payload(repo, path)
    payload["data"]["framework_version"] = version
    try:
        app.call("save", payload)
    except EditRefused as refused:
        assert refused.status == 400
        return
    data, _ = _read(repo, path)
    assert str(data["framework_version"]) in (version, version.lstrip("0"))


def test_a_save_never_writes_a_file_larger_than_a_content_file_may_be(
    app: EditorApp, repo: Path
) -> None:
    path = _new_draft(app)
    before = (repo / path).read_bytes()
    payload = _payload(repo, path, body="x" * (1024 * 1024))
    assert _refusal(lambda: app.call("save", payload)).status == 413
    assert (repo / path).read_bytes() == before
    page = app.page("/edit", {"file": path})
    assert page is not None and page.status == 200


# 3. Paths and links

HOSTILE_PATHS = [
    "../reviews/hammersmith-fulham/assessment/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/../assessment/2011-10-20.md",
    "reviews/hammersmith-fulham/../../mkdocs.yml",
    "reviews/%2e%2e/hammersmith-fulham/2011-10-20.md",
    "reviews/hammersmith-fulham/%2e%2e/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/%2e%2e%2f2011-10-20.md",
    "reviews\\hammersmith-fulham\\assessment\\2011-10-20.md",
    "reviews/hammersmith-fulham/assessment\\..\\2011-10-20.md",
    "/etc/passwd",
    "//etc/passwd",
    "file:///etc/passwd",
    str(Path("/tmp") / "reviews/hammersmith-fulham/assessment/2011-10-20.md"),
    "reviews/hammersmith-fulham/assessment/2011-10-20.md\x00.txt",
    "reviews/hammersmith-fulham/assessment/2011-10-20.md\n",
    "reviews/hammersmith-fulham/assessment/\u2024\u2024/2011-10-20.md",
    "reviews/hammersmith-fulham/\uff0e\uff0e/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/2011-10-20.md/",
    "reviews//hammersmith-fulham/assessment/2011-10-20.md",
    "./reviews/hammersmith-fulham/assessment/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/./2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/2011-10-20.MD",
    "reviews/hammersmith-fulham/assessment/team.yml",
    "reviews/hammersmith-fulham/borough.yml",
    "reviews/Hammersmith-Fulham/assessment/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/2011-10-20.md.md",
    "reviews/hammersmith-fulham/assessment/\uff12011-10-20.md",
    "reviews/hammersmith-fulham/assessment/2011-02-30.md",
    "standards/S01-person-centred.md",
    "reviews/hammersmith-fulham/" + "a" * 5000 + "/2011-10-20.md",
    "",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS, ids=range(len(HOSTILE_PATHS)))
def test_a_path_that_is_not_a_review_or_minutes_is_refused_by_every_call(
    app: EditorApp, repo: Path, path: str
) -> None:
    before = _snapshot(repo)
    payload = _payload(repo, PRESENTED, file=path)
    payload["data"]["ratings"]["S02"]["rating"] = "Good"
    payload["data"]["amendment"] = {"date": "2016-12-01", "reason": "x", "by": "Head of service"}
    for name in ("check", "save", "commit"):
        _refusal(partial(app.call, name, payload))
    page = app.page("/edit", {"file": path})
    assert page is not None
    assert b"This file cannot be opened here" in page.body
    assert _snapshot(repo) == before


DATES = {
    "../../../x": None,
    "2017-03-08/../../../x": None,
    "../2017-03-08": None,
    "/2017-03-08": None,
    "2017-03-08\x00": None,
    "2017-03-08\\..": None,
    "2017-02-30": None,
    "\uff12\uff10\uff11\uff17-03-08": None,
    "": None,
    " 2017-03-08 ": "2017-03-08",
    "20170308": "2017-03-08",
    "2017-W10-3": "2017-03-08",
}


@pytest.mark.parametrize("day", list(DATES), ids=range(len(DATES)))
def test_a_date_renames_a_draft_only_within_its_own_folder(
    app: EditorApp, repo: Path, day: str
) -> None:
    path = _new_draft(app)
    text = (repo / path).read_text(encoding="utf-8")
    elsewhere = {k: v for k, v in _snapshot(repo).items() if not k.startswith(f"reviews/{TEAM}/")}
    team_before = sorted(p.name for p in (repo / "reviews" / TEAM).iterdir())
    answer = app.call("save", _payload(repo, path, date=day))
    renamed = DATES[day]
    name = f"{renamed}.md" if renamed else "2017-03-01.md"
    assert answer["file"] == f"reviews/{TEAM}/{name}"
    assert (repo / "reviews" / TEAM / name).read_text(encoding="utf-8") == text
    team_after = sorted(p.name for p in (repo / "reviews" / TEAM).iterdir())
    assert team_after == sorted({*team_before, name} - ({"2017-03-01.md"} if renamed else set()))
    assert {
        k: v for k, v in _snapshot(repo).items() if not k.startswith(f"reviews/{TEAM}/")
    } == elsewhere


def test_a_date_that_names_a_file_already_there_is_refused(app: EditorApp, repo: Path) -> None:
    path = _new_draft(app)
    before = _snapshot(repo)
    for day in ("2011-09-22", "2010-12-09"):
        refused = _refusal(partial(app.call, "save", _payload(repo, path, date=day)))
        assert (refused.status, refused.field) == (409, "date")
    other = sorted((repo / MEETING).parent.glob("*.md"))[0].name.removesuffix(".md")
    assert f"{other}.md" != MEETING.rsplit("/", 1)[1]
    refused = _refusal(partial(app.call, "save", _payload(repo, MEETING, date=other)))
    assert (refused.status, refused.field) == (409, "date")
    assert _snapshot(repo) == before


def test_a_hard_link_to_a_file_outside_is_replaced_never_written_through(
    app: EditorApp, repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    shutil.move(repo / PRESENTED, outside)
    os.link(outside, repo / PRESENTED)
    before = outside.read_bytes()
    payload = _payload(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    assert app.call("save", payload)["saved"] is True
    assert outside.read_bytes() == before
    assert (repo / PRESENTED).read_bytes() != before


def test_a_file_with_windows_line_ends_sent_back_unchanged_is_not_rewritten(
    app: EditorApp, repo: Path
) -> None:
    text = (repo / PRESENTED).read_text(encoding="utf-8")
    (repo / PRESENTED).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = (repo / PRESENTED).read_bytes()
    payload = _payload(repo, PRESENTED)
    payload["body"] = payload["body"].replace("\r\n", "\n")
    answer = app.call("save", payload)
    assert (answer["saved"], answer["diff"]) == (False, "")
    assert (repo / PRESENTED).read_bytes() == before


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("review", "hammersmith-fulham/learning-disability/../assessment"),
        ("review", "hammersmith-fulham/../westminster/access-assessment"),
        ("review", "../hammersmith-fulham/learning-disability"),
        ("review", "/hammersmith-fulham/learning-disability"),
        ("review", "hammersmith-fulham\\learning-disability"),
        ("review", "hammersmith-fulham/learning-disability/"),
        ("review", "hammersmith-fulham/governance"),
        ("review", "hammersmith-fulham/learning-disability\x00"),
        ("review", "hammersmith-fulham/%2e%2e"),
        ("review", "hammersmith-fulham"),
        ("review", ""),
        ("meeting", "../hammersmith-fulham"),
        ("meeting", "hammersmith-fulham/.."),
        ("meeting", "hammersmith-fulham/learning-disability"),
        ("meeting", "."),
        ("meeting", "\uff48ammersmith-fulham"),
        ("meeting", "x" * 5000),
        ("standard", "hammersmith-fulham"),
    ],
)
def test_a_new_file_is_made_only_in_a_known_team_or_borough(
    app: EditorApp, repo: Path, kind: str, where: str
) -> None:
    before = _snapshot(repo)
    for day in ("2017-03-01", "../2017-03-01", "2017-03-01/../../x"):
        _refusal(partial(app.call, "new", {"kind": kind, "where": where, "date": day}))
    assert _snapshot(repo) == before


def _outside_copy(repo: Path, tmp_path: Path, relative: str) -> Path:
    """The folder or file at ``relative`` moved out of the repository, and a link to it
    put in its place."""
    outside = tmp_path / "outside" / Path(relative).name
    outside.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(repo / relative, outside)
    (repo / relative).symlink_to(outside, target_is_directory=outside.is_dir())
    return outside


@pytest.mark.parametrize(
    ("linked", "path"),
    [
        ("reviews", PRESENTED),
        ("reviews/hammersmith-fulham", PRESENTED),
        ("reviews/hammersmith-fulham/assessment", PRESENTED),
        (PRESENTED, PRESENTED),
        ("reviews/hammersmith-fulham/governance", MEETING),
        (MEETING, MEETING),
    ],
    ids=["reviews", "borough", "team", "review", "governance", "minutes"],
)
def test_a_link_at_any_level_is_never_followed(
    app: EditorApp, repo: Path, tmp_path: Path, linked: str, path: str
) -> None:
    payload = _payload(repo, path)
    if path == PRESENTED:
        payload["data"]["actions"][2]["status"] = "done"
        payload["data"]["actions"][2]["completed"] = "2012-04-02"
    else:
        payload["body"] += "\nWritten through a link.\n"
    outside = _outside_copy(repo, tmp_path, linked)
    before = _snapshot(outside.parent)
    page = app.page("/edit", {"file": path})
    assert page is not None and b"This file cannot be opened here" in page.body
    for name in ("check", "save", "commit"):
        assert _refusal(partial(app.call, name, payload)).status == 403
    # A new file in the linked folder, or in the linked file's place.
    day = path.rsplit("/", 1)[1].removesuffix(".md") if linked == path else "2017-02-01"
    new = {"kind": "meeting", "where": "hammersmith-fulham", "date": day}
    if path == PRESENTED:
        new = {"kind": "review", "where": "hammersmith-fulham/assessment", "date": day}
    _refusal(lambda: app.call("new", new))
    assert _snapshot(outside.parent) == before


@pytest.mark.parametrize("linked", ["reviews/hammersmith-fulham/assessment", PRESENTED])
def test_a_link_swapped_in_between_a_check_and_a_save_is_not_followed(
    app: EditorApp, repo: Path, tmp_path: Path, linked: str
) -> None:
    payload = _payload(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    assert app.call("check", payload)["changed"] is True
    outside = _outside_copy(repo, tmp_path, linked)
    before = _snapshot(outside.parent)
    assert _refusal(lambda: app.call("save", payload)).status == 403
    assert _snapshot(outside.parent) == before


def test_a_boroughs_first_minutes_never_go_through_a_dangling_link(
    app: EditorApp, repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere" / "governance"
    target.parent.mkdir()
    (repo / "reviews/kensington-chelsea/governance").symlink_to(target)
    new = {"kind": "meeting", "where": "kensington-chelsea", "date": "2017-02-01"}
    assert _refusal(lambda: app.call("new", new)).status == 403
    assert list(target.parent.iterdir()) == []


# 4. The web: requests from elsewhere, and hostile content in the pages


@dataclass(frozen=True)
class Served:
    repo: Path
    port: int

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@pytest.fixture
def served(app: EditorApp, repo: Path) -> Iterator[Served]:
    """The editor's real server on 127.0.0.1, in a thread."""
    server = EditServer.start(app, parse_address("127.0.0.1:0"), TOKEN)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(repo, server.port)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _request(
    served: Served,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> Answer:
    """One request with exactly ``headers`` (repeats allowed; Host is the server's
    unless given), below the session's key."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=20)
    try:
        connection.putrequest(method, f"/{TOKEN}{path}", skip_host=True, skip_accept_encoding=True)
        sent = headers or []
        if not any(name.lower() == "host" for name, _ in sent):
            sent = [("Host", served.host), *sent]
        for name, value in sent:
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def _own_call(served: Served) -> list[tuple[str, str]]:
    return [
        ("Content-Type", "application/json"),
        (TOKEN_HEADER, TOKEN),
        ("Origin", f"http://{served.host}"),
        ("Sec-Fetch-Site", "same-origin"),
    ]


def _progress(repo: Path) -> bytes:
    """A save of the presented review that the editor takes from its own page: action
    A3 marked done."""
    payload = _payload(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    return json.dumps(payload).encode("utf-8")


def test_the_editors_own_save_is_taken(served: Served) -> None:
    # What the refusals below are measured against.
    answer = _request(served, "POST", "/api/save", _progress(served.repo), _own_call(served))
    assert answer.status == 200
    assert json.loads(answer.body)["saved"] is True


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1.evil.example:{port}",
        "evil.example:{port}",
        "localhost.:{port}",
        "LOCALHOST:{port}",
        "127.0.0.1",
        "localhost",
        "[::1]:{port}",
        "127.0.0.1:{port} ",
        "127.0.0.1:{port}.",
        "127.1:{port}",
        "2130706433:{port}",
        "0x7f000001:{port}",
        "127.0.0.2:{port}",
        "127.0.0.1:{port}@evil.example",
        "",
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_another_host_is_refused_without_the_token(served: Served, host: str, method: str) -> None:
    before = _snapshot(served.repo / "reviews")
    headers = [("Host", host.format(port=served.port)), *_own_call(served)[:2]]
    body = _progress(served.repo) if method == "POST" else None
    path = "/api/save" if method == "POST" else f"/edit?file={PRESENTED}"
    answer = _request(served, method, path, body, headers)
    assert answer.status == 421
    assert TOKEN.encode() not in answer.body
    assert _snapshot(served.repo / "reviews") == before


def test_a_request_without_a_host_is_refused(served: Served) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=20)
    try:
        connection.putrequest("GET", f"/{TOKEN}/", skip_host=True)
        connection.endheaders()
        response = connection.getresponse()
        assert (response.status, TOKEN.encode() in response.read()) == (421, False)
    finally:
        connection.close()


CROSS_SITE: dict[str, list[tuple[str, str]]] = {
    "origin-null": [("Origin", "null")],
    "origin-with-path": [("Origin", "http://127.0.0.1:{port}/edit")],
    "origin-https": [("Origin", "https://127.0.0.1:{port}")],
    "origin-other-site": [("Origin", "http://evil.example")],
    "origin-localhost": [("Origin", "http://localhost:{port}")],
    "origin-twice": [("Origin", "http://evil.example"), ("Origin", "http://127.0.0.1:{port}")],
    "cross-site": [("Sec-Fetch-Site", "cross-site")],
    "same-site": [("Sec-Fetch-Site", "same-site")],
    "text-plain": [("Content-Type", "text/plain")],
    "form": [("Content-Type", "application/x-www-form-urlencoded")],
    "multipart": [("Content-Type", "multipart/form-data; boundary=x")],
    "json-and-text": [("Content-Type", "application/json, text/plain")],
    "no-token": [(TOKEN_HEADER, "")],
    "wrong-token": [(TOKEN_HEADER, TOKEN + "x")],
    "token-prefix": [(TOKEN_HEADER, TOKEN[:-1])],
    "wrong-token-first": [(TOKEN_HEADER, "wrong"), (TOKEN_HEADER, TOKEN)],
}


@pytest.mark.parametrize("change", list(CROSS_SITE))
def test_a_call_from_anywhere_but_our_own_page_is_refused(served: Served, change: str) -> None:
    before = _snapshot(served.repo / "reviews")
    changed = [(n, v.format(port=served.port)) for n, v in CROSS_SITE[change]]
    names = {name.lower() for name, _ in changed}
    headers = [(n, v) for n, v in _own_call(served) if n.lower() not in names] + changed
    answer = _request(served, "POST", "/api/save", _progress(served.repo), headers)
    assert answer.status in (403, 415)
    assert "error" in json.loads(answer.body)
    assert _snapshot(served.repo / "reviews") == before


@pytest.mark.parametrize(
    "body",
    [b"\xef\xbb\xbf" + b'{"body": "x"}', b'{"body": "x"', b'["body"]', b"\xff\xfe{}", b"", b"null"],
    ids=["bom", "cut-short", "list", "utf-16", "empty", "null"],
)
def test_a_call_that_is_not_a_json_object_is_refused_with_a_400(
    served: Served, body: bytes
) -> None:
    answer = _request(served, "POST", "/api/preview", body, _own_call(served))
    assert answer.status == 400
    assert json.loads(answer.body)["error"]


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"body": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"],
    ids=["deep-list", "deep-value"],
)
def test_deeply_nested_json_is_refused_with_a_400(served: Served, body: bytes) -> None:
    answer = _request(served, "POST", "/api/preview", body, _own_call(served))
    assert answer.status == 400
    assert json.loads(answer.body)["error"]


def test_a_preview_of_a_lone_surrogate_is_refused_with_a_400(served: Served) -> None:
    answer = _request(served, "POST", "/api/preview", b'{"body": "a\\ud800b"}', _own_call(served))
    assert answer.status == 400


def test_a_get_never_writes_whatever_it_carries(served: Served) -> None:
    before = _snapshot(served.repo / "reviews")
    for path in (
        f"/api/save?token={TOKEN}&file={PRESENTED}",
        f"/api/new?kind=review&where={TEAM}&date=2017-03-01",
        f"/edit?file={PRESENTED}&data=x&{TOKEN_HEADER}={TOKEN}",
    ):
        answer = _request(served, "GET", path, headers=[(TOKEN_HEADER, TOKEN)])
        assert answer.status in (200, 404)
    assert _snapshot(served.repo / "reviews") == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/", None),
        ("GET", f"/edit?file={PRESENTED}", None),
        ("GET", "/static/edit.js", None),
        ("GET", "/nowhere", None),
        ("HEAD", f"/edit?file={PRESENTED}", None),
        ("OPTIONS", "/api/save", None),
        ("POST", "/api/save", b"{}"),
        ("POST", "/api/check", b"{}"),
    ],
)
def test_no_answer_lets_another_origin_read_it(
    served: Served, method: str, path: str, body: bytes | None
) -> None:
    headers = [
        ("Origin", "http://evil.example"),
        ("Access-Control-Request-Method", "POST"),
        ("Access-Control-Request-Headers", TOKEN_HEADER),
    ]
    answer = _request(served, method, path, body, headers)
    names = {name.lower() for name, _ in answer.headers}
    assert [n for n in names if n.startswith("access-control-")] == []
    assert "x-frame-options" in names
    assert dict((n.lower(), v) for n, v in answer.headers)["x-content-type-options"] == "nosniff"
    if method == "OPTIONS":
        assert answer.status == 405
    if method == "HEAD":
        assert (answer.status, answer.body) == (200, b"")


XSS = [
    '"><img src=x onerror=alert(1)>',
    "<script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
    "</option></select><img src=x onerror=alert(1)>",
    "</template><svg onload=alert(1)>",
    "{{ token }}{% raw %}",
    "<!--",
]
_INJECTED_TAGS = {"img", "svg", "iframe", "object", "embed", "base", "style", "math", "frame"}


class _Page(html.parser.HTMLParser):
    """A page's elements, and the text of each text area, as a browser reads them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.areas: dict[str, str] = {}
        self._area: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "textarea":
            self._area = dict(attrs).get("id") or ""
            self.areas[self._area] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._area = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._area is not None:
            self.areas[self._area] += data

    def area_value(self, name: str) -> str:
        """A text area's value: a browser drops one line break right after its start tag."""
        value = self.areas[name]
        return value[1:] if value.startswith("\n") else value


def _assert_nothing_injected(page: _Page) -> None:
    tags = [tag for tag, _ in page.elements]
    assert sorted(set(tags) & _INJECTED_TAGS) == []
    assert [attrs for tag, attrs in page.elements if tag == "script"] == [
        {"src": "static/edit.js", "defer": None}
    ]
    assert [(t, a) for t, attrs in page.elements for a in attrs if a.startswith("on")] == []
    addresses = [
        (value or "").strip().lower()
        for _, attrs in page.elements
        for name, value in attrs.items()
        if name in ("href", "src", "action", "formaction")
    ]
    # Relative addresses below the session's key, fragments, the empty icon: never a
    # scheme (javascript:, http:) or another host.
    assert [a for a in addresses if a.startswith("/") or a.startswith("\\")] == []
    assert [a for a in addresses if ":" in a.split("?")[0] and a != "data:,"] == []


def _plant_hostile_content(repo: Path) -> tuple[str, str, str]:
    """A presented review and minutes whose every value is hostile markup, and a borough,
    team and standard named in it; (review path, meeting path, the review's findings)."""
    one, two, three, four, five, six, seven, eight, _ = XSS
    review = {
        "status": "presented",
        "framework_version": 1,
        "reviewers": [{"name": one, "role": two}],
        "evidence": ["finance", one],
        "ratings": {
            "S01": one,
            "S02": {"rating": "Good", "note": three, "evidence": [one]},
            two: 5,
        },
        "cases": [
            {
                "ref": one,
                "worker": three,
                "interviewed": [six],
                "record_reviewed": True,
                "grades": {one: two, "S01": six},
            }
        ],
        "actions": [
            {
                "id": one,
                "standards": [seven],
                "action": three,
                "owner": five,
                "due": one,
                "status": six,
                "completed": four,
            }
        ],
        "amendments": [{"date": one, "reason": three, "by": eight}],
    }
    findings = "\n".join([*XSS, "[link](javascript:alert(1))", "<a href='javascript:x'>a</a>"])
    path = "reviews/hammersmith-fulham/assessment/2016-06-01.md"
    (repo / path).write_text(f"---\n{json.dumps(review)}\n---\n{findings}", encoding="utf-8")
    meeting = {
        "status": one,
        "chairs": [{"role": one, "team": two}],
        "representatives": [{"team": six, "role": three}],
        "cases": [
            {"ref": one, "team": two, "standards": [seven], "summary": three, "decision": eight}
        ],
        "development": [{"title": one, "note": three}],
        "actions": [{"id": one, "standards": [two], "action": three, "due": four, "status": six}],
        "next_meeting": one,
    }
    minutes = "reviews/hammersmith-fulham/governance/2016-06-02.md"
    (repo / minutes).write_text(f"---\n{json.dumps(meeting)}\n---\n{findings}", encoding="utf-8")
    (repo / "reviews/hammersmith-fulham/borough.yml").write_text(
        json.dumps({"name": one, "short": two}), encoding="utf-8"
    )
    team = repo / "reviews/hammersmith-fulham/assessment/team.yml"
    team.write_text(
        team.read_text(encoding="utf-8").replace(
            "name: Assessment Team", f"name: {json.dumps(six)}"
        ),
        encoding="utf-8",
    )
    standard = next((repo / "standards").glob("S01-*.md"))
    text = standard.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    standard.write_text(text.replace(title, f"title: {json.dumps(seven)}"), encoding="utf-8")
    return path, minutes, findings


def test_hostile_markup_in_the_files_is_shown_as_text_on_every_page(
    app: EditorApp, repo: Path
) -> None:
    review, minutes, findings = _plant_hostile_content(repo)
    for route, query in [
        ("/", {}),
        ("/files", {}),
        ("/edit", {"file": review}),
        ("/edit", {"file": minutes}),
        ("/edit", {"file": PRESENTED}),
    ]:
        response = app.page(route, query)
        assert response is not None and response.status == 200, (route, query)
        page = _Page(response.body.decode("utf-8"))
        _assert_nothing_injected(page)
        shown = "".join(page.text) + "".join(str(a) for _, at in page.elements for a in at.values())
        # The borough's and the team's names are on every page, the standard's on forms.
        assert XSS[0] in shown and XSS[5] in shown, (route, query)
        if route == "/edit":
            assert XSS[6] in shown
        if route == "/edit" and query["file"] != PRESENTED:
            assert page.area_value("body") == findings
            assert XSS[7] in shown  # a template's braces, shown, never run


def test_findings_that_start_with_a_blank_line_come_back_from_the_form_whole(
    app: EditorApp, repo: Path
) -> None:
    path = "reviews/hammersmith-fulham/assessment/2016-06-01.md"
    (repo / path).write_text(
        "---\nstatus: draft\nframework_version: 2\n---\n\n## Findings\n", encoding="utf-8"
    )
    response = app.page("/edit", {"file": path})
    assert response is not None
    assert _Page(response.body.decode("utf-8")).area_value("body") == "\n## Findings\n"


@pytest.mark.parametrize("name", XSS[:7])
def test_a_hostile_folder_or_path_is_shown_as_text(app: EditorApp, repo: Path, name: str) -> None:
    folder = repo / "reviews/hammersmith-fulham" / name.replace("/", "-")
    folder.mkdir()
    (folder / "2016-06-01.md").write_text("---\nstatus: draft\n---\n", encoding="utf-8")
    for route, query in [
        ("/files", {}),
        ("/edit", {"file": name}),
        ("/edit", {"file": str(folder)}),
    ]:
        response = app.page(route, query)
        assert response is not None and response.status in (200, 400, 403, 404)
        _assert_nothing_injected(_Page(response.body.decode("utf-8")))


def test_the_servers_own_answers_echo_nothing_as_html(served: Served) -> None:
    for path in ["/<script>alert(1)</script>", "/static/<img src=x onerror=1>.js"]:
        answer = _request(served, "GET", path.replace(" ", "%20"))
        headers = {n.lower(): v for n, v in answer.headers}
        assert answer.status == 404
        assert headers["content-type"] == "text/plain; charset=utf-8"
        assert headers["x-content-type-options"] == "nosniff"


PREVIEW_ATTACKS = [
    *XSS,
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](jav&#x61;script:alert(1))",
    "[a](java\tscript:alert(1))",
    "[a]( javascript:alert(1))",
    "<javascript:alert(1)>",
    "[a][r]\n\n[r]: javascript:alert(1)",
    "![i](javascript:alert(1))",
    '![i](x" onerror="alert(1))',
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](vbscript:msgbox)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example>",
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<form action=//evil.example><button>go</button></form>",
    "<details open ontoggle=alert(1)>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("markdown", PREVIEW_ATTACKS, ids=range(len(PREVIEW_ATTACKS)))
def test_the_preview_is_neutralised(app: EditorApp, markdown: str) -> None:
    fragment = app.call("preview", {"body": f"### Findings\n\n{markdown}\n"})["html"]
    page = _Page(fragment)
    assert {tag for tag, _ in page.elements} <= NARRATIVE_TAGS
    for tag, attrs in page.elements:
        assert set(attrs) <= NARRATIVE_ATTRIBUTES.get(tag, frozenset()) | {"id", "style"}, tag
        if "style" in attrs:
            assert tag in ("td", "th")
        href = (attrs.get("href") or "").strip().lower()
        assert href.startswith(("http://", "https://", "mailto:", "/", "#")) or not href


# 5. Personal data typed into the form


def _with_personal_data(repo: Path, path: str, where: str, text: str) -> dict[str, Any]:
    """A call for the draft at ``path`` with ``text`` typed at ``where``; otherwise a
    draft without errors."""
    payload = _payload(repo, path)
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
    path = _new_draft(app)
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
    _committed(repo)
    path = _new_draft(app)
    harmless = "HF-LD-2017-02" if where == "case" else "the person"
    clean = app.call("check", _with_personal_data(repo, path, where, harmless))
    assert clean["problems"] == []
    refused = _refusal(
        lambda: app.call("commit", _with_personal_data(repo, path, where, PERSONAL[kind][0]))
    )
    assert refused.status == 409
    assert _git(repo, "branch", "--show-current") == "main"
    assert _git(repo, "log", "--format=%s") == "The sample content"


# 6. The record: a presented review changes only with an amendment


def _rating(label: str) -> dict[str, Any]:
    return {"rating": label, "note": "", "evidence": []}


Changes = dict[str, list[tuple[str, Any]]]
RECORD_CHANGES: Changes = {
    "rating": [("data.ratings.S02", _rating("Good"))],
    "rating-blank": [("data.ratings.S02", _rating(""))],
    "rating-unknown": [("data.ratings.S02", _rating("Goodish"))],
    "grade": [("data.cases.0.grades.0", {"standard": "S02", "grade": "Good"})],
    "grade-removed": [("data.cases.0.grades.0", _REMOVED)],
    "grade-added": [("data.cases.0.grades.+", {"standard": "S50", "grade": "Good"})],
    "case-ref": [("data.cases.0.ref", "HF-AST-2011-99")],
    "case-removed": [("data.cases.0", _REMOVED)],
    "cases-emptied": [("data.cases", [])],
    "action-wording": [("data.actions.0.action", "Something else.")],
    "action-owner": [("data.actions.0.owner", "Head of service")],
    "action-due": [("data.actions.0.due", "2013-01-31")],
    "action-standards": [("data.actions.0.standards", "S09, S10")],
    "action-id": [("data.actions.0.id", "A9")],
    "action-removed": [("data.actions.0", _REMOVED)],
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
        _set(payload, slot, value)
    return payload


@pytest.mark.parametrize("change", list(RECORD_CHANGES))
def test_a_presented_review_is_not_changed_without_an_amendment(
    app: EditorApp, repo: Path, change: str
) -> None:
    before = _snapshot(repo / "reviews")
    payload = _payload(repo, PRESENTED)
    _changed(payload, RECORD_CHANGES[change])
    for name in ("save", "commit"):
        refused = _refusal(partial(app.call, name, payload))
        field = "date" if change == "renamed" else "amendment"
        assert (refused.status, refused.field) == (409, field)
    assert _snapshot(repo / "reviews") == before


def test_a_rating_the_form_leaves_out_is_kept_as_written(app: EditorApp, repo: Path) -> None:
    before = (repo / PRESENTED).read_bytes()
    payload = _payload(repo, PRESENTED)
    del payload["data"]["ratings"]["S02"]
    assert app.call("save", payload)["saved"] is False
    assert (repo / PRESENTED).read_bytes() == before


@pytest.mark.parametrize("change", ["status-draft", "status-completed", "renamed"])
def test_an_amendment_never_takes_a_presented_review_back_or_renames_it(
    app: EditorApp, repo: Path, change: str
) -> None:
    before = _snapshot(repo / "reviews")
    payload = _payload(repo, PRESENTED)
    _changed(payload, RECORD_CHANGES[change])
    payload["data"]["amendment"] = {"date": "2016-12-01", "reason": "x", "by": "Head of service"}
    assert _refusal(lambda: app.call("save", payload)).status == 409
    assert _snapshot(repo / "reviews") == before


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
        ("data.ratings.S02", _REMOVED),
        ("data.ratings.s02", _rating("Good")),
    ],
}


@pytest.mark.parametrize("change", list(RECORD_CHANGES_WITH_AN_ERROR))
def test_a_presented_review_with_an_error_is_not_changed_without_an_amendment(
    app: EditorApp, repo: Path, change: str
) -> None:
    before = (repo / PRESENTED).read_bytes()
    payload = _payload(repo, PRESENTED)
    _changed(payload, RECORD_CHANGES_WITH_AN_ERROR[change])
    assert _refusal(lambda: app.call("save", payload)).status == 409
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
    payload = _payload(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = _rating("Good")
    payload["data"]["amendment"] = amendment
    refused = _refusal(lambda: app.call("save", payload))
    # Refused as incomplete (400), or, with every box filled but no date, by the record's
    # rule (409): either way the change is not saved.
    assert refused.field == "amendment"
    assert refused.status == (409 if all(amendment.values()) else 400)
    assert (repo / PRESENTED).read_bytes() == before


def _committed_ratings_of_s02(repo: Path) -> set[str]:
    """S02's line in the presented review as every branch has it."""
    branches = _git(repo, "for-each-ref", "--format=%(refname:short)", "refs/heads").split()
    lines = set()
    for branch in branches:
        text = _git(repo, "show", f"{branch}:{PRESENTED}")
        lines |= {line for line in text.splitlines() if line.startswith("  S02:")}
    return lines


def test_a_presented_review_is_not_rewritten_in_two_saves_and_committed(
    app: EditorApp, repo: Path
) -> None:
    _committed(repo)
    first = _payload(repo, PRESENTED)
    first["data"]["ratings"]["S02"] = _rating("Good")
    first["data"]["status"] = "Presented"
    with pytest.raises(EditRefused):
        app.call("save", first)  # the change, saved while the status does not read
        second = _payload(repo, PRESENTED)
        second["data"]["status"] = "presented"
        app.call("commit", second)  # the status put back, and committed
    assert _committed_ratings_of_s02(repo) == {"  S02: Adequate"}


def _taken_back_to_draft(app: EditorApp, repo: Path) -> dict[str, Any]:
    """The presented review set to draft by hand, then a rating changed in the form."""
    text = (repo / PRESENTED).read_text(encoding="utf-8")
    (repo / PRESENTED).write_text(text.replace("status: presented", "status: draft", 1))
    payload = _payload(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = _rating("Good")
    payload["data"]["status"] = "presented"
    return payload


def _replaced_by_a_new_draft(app: EditorApp, repo: Path) -> dict[str, Any]:
    """The presented review deleted by hand, and a new draft started on its date."""
    (repo / PRESENTED).unlink()
    app.call("new", {"kind": "review", "where": "hammersmith-fulham/assessment", "date": DAY})
    return _payload(repo, PRESENTED)


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
    _committed(repo)
    with pytest.raises(EditRefused):  # starting the draft or committing it
        app.call("commit", route(app, repo))
    assert _committed_ratings_of_s02(repo) == {"  S02: Adequate"}
    assert _git(repo, "log", "--all", "--format=%s") == "The sample content"


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
    payload = _payload(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = _rating("Good")
    if mended is not None:
        _set(payload, *mended)
    refused = _refusal(lambda: app.call("save", payload))
    # Refused as incomplete (400), or, with every box filled but no date, by the record's
    # rule (409): either way the change is not saved.
    assert refused.field == "amendment"
    assert refused.status == (409 if all(amendment.values()) else 400)
    assert (repo / PRESENTED).read_bytes() == before


def test_an_earlier_amendment_is_never_changed_or_removed(app: EditorApp, repo: Path) -> None:
    payload = _payload(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = _rating("Good")
    first = {"date": "2016-12-01", "reason": "S02 re-rated.", "by": "Head of service"}
    payload["data"]["amendment"] = first
    assert app.call("save", payload)["saved"] is True
    recorded, _ = _read(repo, PRESENTED)
    assert recorded["amendments"] == [first | {"date": dt.date(2016, 12, 1)}]
    saved = (repo / PRESENTED).read_bytes()

    for amendments in ([], [first | {"reason": "Nothing changed."}], None, "x"):
        again = _payload(repo, PRESENTED)
        again["data"]["amendments"] = amendments
        again["data"]["amendment"] = {"date": "", "reason": "", "by": ""}
        assert app.call("save", again)["saved"] is False
    assert (repo / PRESENTED).read_bytes() == saved

    # A second amendment is added after the first, which stays as it was.
    again = _payload(repo, PRESENTED)
    again["data"]["ratings"]["S02"] = _rating("Adequate")
    again["data"]["amendment"] = {"date": "2016-12-02", "reason": "Back.", "by": "Head of service"}
    assert app.call("save", again)["saved"] is True
    data, _ = _read(repo, PRESENTED)
    assert data["amendments"][0] == recorded["amendments"][0]
    assert len(data["amendments"]) == 2
