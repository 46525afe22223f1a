"""What the editor's tests share: a committed copy of the sample content, the editor
over it, and the calls its form sends.

The form's calls are built here once (``review_form_of``, ``meeting_form_of``,
``unchanged_call``) so that every test of ``qa-site edit`` sends what the browser
sends for a file left as it is, and changes only what the test is about.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.edit.app import EditorApp
from generator.edit.house_style import frontmatter_and_body
from generator.edit.refusals import EditRefused
from generator.edit.server import EditServer, parse_address
from generator.privacy.names import DenyList
from tests.support.editing import sample_git_copy

AS_OF = dt.date(2017, 1, 1)
TOKEN = "hostile-session-token"
PRESENTED = "reviews/hammersmith-fulham/assessment/2011-10-20.md"
MEETING = "reviews/hammersmith-fulham/governance/2015-07-16.md"
TEAM = "hammersmith-fulham/learning-disability"
DRAFT = f"reviews/{TEAM}/2017-03-01.md"
# A valid NHS number (its check digit is right), as the guard's own tests use.
NHS_NUMBER = "943 476 5919"
DENIED_NAME = "Jane Smith"


def sample_repo(folder: Path) -> Path:
    """A copy of the sample content in ``folder``, committed as a reviewer's clone is:
    the record a presented review is held to is the last commit's."""
    return sample_git_copy(folder).resolve()


def editor_app(repo: Path) -> EditorApp:
    """The editor over ``repo`` on the day the tests take as today, with a deny list
    that names ``DENIED_NAME``."""
    return EditorApp(repo, token=TOKEN, as_of=AS_OF, deny=DenyList.of([DENIED_NAME]))


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_back(repo: Path, path: str) -> tuple[dict[str, Any], str]:
    """The frontmatter and body of the file at ``path`` as it is on disk."""
    return frontmatter_and_body((repo / path).read_text(encoding="utf-8"))


def review_form_of(text: str) -> dict[str, Any]:
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


def meeting_form_of(text: str) -> dict[str, Any]:
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


def unchanged_call(repo: Path, path: str, **changes: Any) -> dict[str, Any]:
    """A call for the file at ``path`` as the form sends it unchanged, with ``changes``:
    top-level keys of the call, and ``form`` for keys of the form's fields."""
    text = (repo / path).read_bytes().decode("utf-8")  # its own line ends, for the digest
    _, body = frontmatter_and_body(text)
    form = meeting_form_of(text) if "/governance/" in path else review_form_of(text)
    form.update(changes.pop("form", {}))
    return {
        "file": path,
        "digest": digest_of(text),
        "data": form,
        "body": body,
        "date": path.rsplit("/", 1)[1].removesuffix(".md"),
        **changes,
    }


def new_draft(app: EditorApp) -> str:
    """A new draft review for ``TEAM``, made as the list's form makes it."""
    answer = app.call("new", {"kind": "review", "where": TEAM, "date": "2017-03-01"})
    assert answer["file"] == DRAFT
    return DRAFT


def snapshot_of(folder: Path) -> dict[str, str | bytes]:
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


def refusal_of(call: Callable[[], object]) -> EditRefused:
    """The EditRefused ``call`` raises, checked to be a client's error with a message."""
    with pytest.raises(EditRefused) as refused:
        call()
    assert 400 <= refused.value.status < 500, refused.value.message
    assert refused.value.message.strip()
    return refused.value


# The value for ``set_slot`` that takes a key or an item out.
REMOVED = object()


def set_slot(payload: dict[str, Any], slot: str, value: Any) -> None:
    """Put ``value`` at ``slot`` of the payload: dotted keys, list indices as numbers,
    ``+`` to append to a list; ``REMOVED`` as the value takes the key or item out."""
    *parents, last = slot.split(".")
    here: Any = payload
    for part in parents:
        here = here[int(part)] if isinstance(here, list) else here.setdefault(part, {})
    if value is REMOVED:
        del here[int(last) if isinstance(here, list) else last]
    elif isinstance(here, list) and last == "+":
        here.append(value)
    elif isinstance(here, list):
        here[int(last)] = value
    else:
        here[last] = value


@dataclass(frozen=True)
class Served:
    """The editor's real server running over ``repo``."""

    repo: Path
    port: int

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Answer:
    """A response as it came, headers in their order, repeats kept."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@contextmanager
def serving(app: EditorApp, repo: Path) -> Iterator[Served]:
    """The editor's real server for ``repo`` on 127.0.0.1, in a thread."""
    server = EditServer.start(app, parse_address("127.0.0.1:0"), TOKEN)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(repo, server.port)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def raw_request(
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
