"""The editor's application: its pages, and what its form asks of it.

Pages: ``/`` (the file named on the command line, or the list of files),
``/files`` (the list: reviews and minutes by borough and team) and
``/edit?file=...`` (one file's form). Calls, each a JSON object in and out:
``check`` (the unsaved form checked and scored), ``preview`` (the findings or
minutes as the site shows them), ``save``, ``commit`` (saved and committed on a
new branch) and ``new`` (a draft from the scaffold). The server in front of it
(``server``) has already refused any request that is not this session's own.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from generator.core.errors import ToolError
from generator.core.problems import Problem
from generator.edit import branch, record, safe_files
from generator.edit.form import meeting_form, review_form
from generator.edit.form_data import meeting_data, review_data
from generator.edit.house_style import WriteFailed, frontmatter_and_body, write_file
from generator.edit.listing import file_list
from generator.edit.live import Checked, Checker, Draft
from generator.edit.refusals import EditRefused, refuse_half_characters
from generator.edit.scores import score_summary
from generator.edit.server import Response
from generator.load.repository import MAX_FILE_BYTES
from generator.model.programme import Programme
from generator.privacy.names import DenyList
from generator.render.markup import narrative_html
from generator.workflow import scaffold

_TEMPLATES = Path(__file__).parent / "templates"
_HTML = "text/html; charset=utf-8"


class EditorApp:
    """``qa-site edit`` over the repository at ``root``, as of ``as_of``; ``start`` is
    the file named on the command line, shown at ``/``."""

    def __init__(
        self,
        root: Path,
        *,
        token: str,
        as_of: dt.date,
        start: str | None = None,
        deny: DenyList | None = None,
    ) -> None:
        self.root = root.resolve()
        self.token = token
        self.as_of = as_of
        self.start = start
        self.checker = Checker(self.root, as_of, deny)
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(_TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["pairs"] = _pairs
        self._env.filters["values"] = lambda options: [value for value, _ in _pairs(options)]
        # The server answers each request in its own thread; the parse cache and the
        # files are one reviewer's, so requests are answered one at a time.
        self._lock = threading.Lock()

    def page(self, route: str, query: Mapping[str, str]) -> Response | None:
        with self._lock:
            return self._page(route, query)

    def _page(self, route: str, query: Mapping[str, str]) -> Response | None:
        if route == "/" and self.start:
            return self._file_page(self.start)
        if route in ("/", "/files"):
            return self._list_page()
        if route == "/edit":
            return self._file_page(query.get("file", ""))
        return None

    def _list_page(self) -> Response:
        validation = self.checker.saved()
        listing = file_list(validation.programme, self.checker)
        return self._html("list.html.j2", listing=listing, as_of=self.as_of.isoformat())

    def _file_page(self, relative: str) -> Response:
        try:
            path = safe_files.editable_path(relative)
            text = safe_files.read_text(self.root, path)
        except EditRefused as refused:
            return self._html("refused.html.j2", status=refused.status, message=refused.message)
        if text is None:
            return self._html("refused.html.j2", status=404, message=f"There is no file {path}.")
        programme = self._programme()
        try:
            data, body = frontmatter_and_body(text)
        except ValueError as unreadable:
            return self._html(
                "refused.html.j2", status=422, message=f"{path} cannot be read: {unreadable}"
            )
        digest = _digest(text)
        if safe_files.is_minutes(path):
            minutes = meeting_form(programme, path, digest, data, body)
            return self._html("meeting.html.j2", form=minutes)
        review = review_form(programme, path, digest, data, body, self.as_of)
        return self._html("review.html.j2", form=review)

    def _html(self, name: str, status: int = 200, **context: Any) -> Response:
        text = self._env.get_template(name).render(
            token=self.token, on_branch=branch.current_branch(self.root), **context
        )
        return Response(status, _HTML, text.encode("utf-8"))

    def call(self, name: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        refuse_half_characters(payload)
        with self._lock:
            return self._call(name, payload)

    def _call(self, name: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        if name == "check":
            return self._check(payload)
        if name == "preview":
            return {"html": str(narrative_html(_body(payload), 3))}
        if name == "save":
            return self._save(payload, commit=False)
        if name == "commit":
            return self._save(payload, commit=True)
        if name == "new":
            return self._new(payload)
        raise EditRefused(404, f"no such action: {name}")

    def _check(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        edit = _Edit.of(self.root, payload)
        checked = self.checker.check(edit.draft, edit.base)
        return edit.answer(checked, checked.programme or self._programme())

    def _save(self, payload: Mapping[str, Any], *, commit: bool) -> dict[str, Any]:
        edit = _Edit.of(self.root, payload)
        if edit.digest != payload.get("digest"):
            raise EditRefused(
                409,
                f"{edit.opened} changed on disk since this form was opened (perhaps in another "
                "editor); nothing was saved. Copy what you typed, then reload the page.",
            )
        _refuse_a_partial_amendment(payload)
        checked = self.checker.check(edit.draft, edit.base)
        answer = edit.answer(checked, checked.programme or self._programme())
        if edit.draft.path != edit.opened:
            if edit.base is not None:
                raise EditRefused(
                    409,
                    "a presented review keeps its date: its file name is the record's; "
                    "put the date back",
                    "date",
                )
            if safe_files.exists(self.root, edit.draft.path):
                raise EditRefused(
                    409, f"{edit.draft.path} already exists; choose another date", "date"
                )
            record.refuse_replacing(self.root, edit.draft.path)
        if checked.unamended:
            raise EditRefused(
                409,
                "this review was presented: say why it changed in the amendment (date, "
                "reason, and by whom), then save again",
                "amendment",
            )
        if commit and checked.errors:
            raise EditRefused(
                409,
                "only a file without errors is committed: fix the problems shown, then save "
                "and commit again (Save alone keeps your work)",
            )
        if commit and checked.personal:
            # A commit keeps the text in the history for good, even once the file is mended.
            raise EditRefused(
                409,
                "what looks like personal data is in this file (see the problems shown): take "
                "it out before committing, or, if it is not personal data, ask whoever looks after "
                "the repository to mark it as checked (docs/sharing.md). Save alone keeps your "
                "work.",
            )
        if edit.changed:
            safe_files.write_text(self.root, edit.draft.path, edit.draft.text)
            if edit.draft.path != edit.opened:
                safe_files.remove(self.root, edit.opened)
        answer.update(saved=edit.changed, digest=_digest(edit.draft.text))
        if commit:
            paths = [edit.draft.path]
            if edit.draft.path != edit.opened:
                paths.append(edit.opened)
            committed = branch.commit_to_branch(self.root, paths, edit.commit_message(checked))
            answer["commit"] = {
                "branch": committed.branch,
                "commit": committed.commit,
                "commands": list(committed.commands),
                "pull_request_url": committed.pull_request_url,
            }
        return answer

    def _new(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        kind, where, day = payload.get("kind"), payload.get("where"), payload.get("date")
        if not isinstance(where, str) or not isinstance(day, str):
            raise EditRefused(400, "choose a team or borough and a date")
        try:
            when = dt.date.fromisoformat(day)
        except ValueError:
            raise EditRefused(
                400, f"'{day}' is not a date: write it as YYYY-MM-DD", "date"
            ) from None
        programme = self._programme()
        try:
            if kind == "review":
                borough_id, _, team_id = where.partition("/")
                relative, text = scaffold.draft_review(programme, borough_id, team_id, when)
            elif kind == "meeting":
                relative, text = scaffold.draft_minutes(programme, where, when)
            else:
                raise EditRefused(400, "a new file is a review or a meeting's minutes")
        except ToolError as error:
            raise EditRefused(400, str(error)) from None
        relative = safe_files.editable_path(relative)
        if safe_files.exists(self.root, relative):
            raise EditRefused(409, f"{relative} already exists: open it from the list", "date")
        record.refuse_replacing(self.root, relative)
        safe_files.write_text(self.root, relative, text)
        return {"file": relative, "url": f"edit?file={relative}"}

    def _programme(self) -> Programme:
        programme = self.checker.saved().programme
        if programme is None:
            raise EditRefused(
                409, "the rulebook (standards/) has errors: run qa-site validate and fix them"
            )
        return programme


class _Edit:
    """One request's edit: the file as opened, and the draft the form makes of it."""

    def __init__(
        self, opened: str, original: str, draft: Draft, base: Draft | None, meeting: bool
    ) -> None:
        self.opened = opened
        self.original = original
        self.draft = draft
        self.base = base
        self.meeting = meeting
        self.digest = _digest(original)
        self.changed = draft.text != original or draft.path != opened

    @classmethod
    def of(cls, root: Path, payload: Mapping[str, Any]) -> _Edit:
        opened = safe_files.editable_path(str(payload.get("file", "")))
        original = safe_files.read_text(root, opened)
        if original is None:
            raise EditRefused(404, f"{opened} is no longer there; go back to the list")
        try:
            data, _ = frontmatter_and_body(original)
        except ValueError as unreadable:
            raise EditRefused(422, f"{opened} cannot be read: {unreadable}") from None
        form = payload.get("data")
        if not isinstance(form, Mapping):
            raise EditRefused(400, "the form sent no fields")
        meeting = safe_files.is_minutes(opened)
        new_data = meeting_data(data, form) if meeting else review_data(data, form)
        try:
            text = write_file(original, new_data, _body(payload))
        except WriteFailed as failed:
            raise EditRefused(422, f"this cannot be written safely: {failed}") from None
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise EditRefused(
                413,
                f"the file would be larger than a content file may be ({MAX_FILE_BYTES // 1024} "
                "KiB): shorten the findings or the notes",
            )
        path = _dated(opened, payload.get("date"))
        return cls(
            opened, original, Draft(path, text, opened), record.presented(root, opened), meeting
        )

    def answer(self, checked: Checked, programme: Programme) -> dict[str, Any]:
        problems = [_problem(p) for p in checked.problems]
        diff = "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.draft.text.splitlines(keepends=True),
                f"a/{self.opened}",
                f"b/{self.draft.path}",
                n=1,
            )
        )
        return {
            "file": self.draft.path,
            "problems": problems,
            "errors": sum(1 for p in checked.problems if p.is_error),
            "elsewhere": [_problem(p) for p in checked.elsewhere[:20]],
            "score": None if self.meeting else score_summary(checked, programme),
            "changed": self.changed,
            "diff": diff,
        }

    def commit_message(self, checked: Checked) -> str:
        what = "Minutes of the board" if self.meeting else "Review"
        return f"{what}: {self.draft.path}"


def _refuse_a_partial_amendment(payload: Mapping[str, Any]) -> None:
    """An amendment is saved whole or not at all: once saved, only a hand edit could
    complete it."""
    data = payload.get("data")
    amendment = data.get("amendment") if isinstance(data, Mapping) else None
    if not isinstance(amendment, Mapping):
        return
    filled = {key: str(amendment.get(key) or "").strip() for key in ("date", "reason", "by")}
    if any(filled.values()) and not all(filled.values()):
        missing = [
            words
            for key, words in (
                ("date", "the date it was agreed"),
                ("reason", "what changed and why"),
                ("by", "who agreed it"),
            )
            if not filled[key]
        ]
        raise EditRefused(
            400, f"the amendment needs {' and '.join(missing)} before it is saved", "amendment"
        )


def _pairs(options: Any) -> list[tuple[str, str]]:
    """Choices as (value, label): a plain string is both."""
    return [(o, o) if isinstance(o, str) else (str(o[0]), str(o[1])) for o in options]


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "field": problem.field,
        "line": problem.line,
        "message": problem.message,
        "severity": "error" if problem.is_error else "warning",
        "path": problem.path,
    }


def _body(payload: Mapping[str, Any]) -> str:
    body = payload.get("body", "")
    if not isinstance(body, str):
        raise EditRefused(400, "the form sent findings that are not text")
    return body.replace("\r\n", "\n")


def _dated(path: str, day: Any) -> str:
    """``path`` named for the date in the form, when it is a date."""
    if not isinstance(day, str):
        return path
    try:
        when = dt.date.fromisoformat(day.strip())
    except ValueError:
        return path
    folder = path.rpartition("/")[0]
    return safe_files.editable_path(f"{folder}/{when.isoformat()}.md")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
