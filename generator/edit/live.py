"""The real check and the scoring package, run on a file's unsaved text.

The repository is loaded as on disk (through a parse cache, so only changed
files are parsed again), the file in hand is put in place of its saved self,
and the whole programme is checked as ``qa-site validate`` checks it: model,
cross-file rules and the personal-data guard, reading the unsaved text. A
review is then scored against its team's earlier reviews, drafts included, as
``qa-site score`` scores it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.check.blocking import problems_blocking_score
from generator.check.repository import check_loaded
from generator.check.validate import Validation
from generator.core.problems import Problem
from generator.load.repository import (
    GOVERNANCE_FOLDER,
    BoroughFolder,
    LoadedRepository,
    ParseCache,
    TeamFolder,
    load_repository,
    parse_file,
)
from generator.load.source import SourceDocument
from generator.model.programme import MeetingRecord, Programme, ReviewRecord
from generator.privacy.names import DenyList
from generator.score.review import ReviewResult
from generator.score.rules import ScoringError
from generator.score.team import score_in_team
from generator.workflow.history import rewrites

# How the form's message for a status taken back names the presented review.
_SAVED = "the saved file"
# How the form asks for a change to a presented review to be put right.
_IN_THE_FORM = (
    " after the review was presented; say why in the Amendment section (date, reason, and "
    "by whom), or undo the change"
)


@dataclass(frozen=True)
class Draft:
    """The unsaved content of one file: the path it will be saved at, its full
    text, and the path it was opened from when that differs (a new date)."""

    path: str
    text: str
    replaces: str | None = None


@dataclass(frozen=True)
class Checked:
    """What the check found in a draft, and its score."""

    problems: tuple[Problem, ...]  # the draft's own, in report order
    elsewhere: tuple[Problem, ...]  # errors the draft causes or meets in other files
    programme: Programme | None
    review: ReviewRecord | None
    meeting: MeetingRecord | None
    result: ReviewResult | None  # None when the review cannot be scored yet
    score_blocked_by: tuple[Problem, ...]  # errors that stop the score, when it is None
    unamended: tuple[Problem, ...] = ()  # changes to a presented review that need an amendment
    personal: tuple[Problem, ...] = ()  # what looks like personal data, errors and warnings

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class Checker:
    """Checks drafts of one repository as of one date, keeping parsed files between
    checks: a check while the reviewer types parses only the file in hand."""

    def __init__(self, root: Path, as_of: dt.date, deny: DenyList | None = None) -> None:
        self.root = root.resolve()
        self.as_of = as_of
        self.deny = deny
        self._cache = ParseCache()

    def check(self, draft: Draft, base: Draft | None = None) -> Checked:
        """Check ``draft`` in place of the file on disk. With ``base`` (the file as it
        was presented), changes to the record that need an amendment are problems too."""
        loaded = load_repository(self.root, cache=self._cache)
        validation = self._validate(loaded, draft)
        programme = validation.programme
        path = draft.path
        review = programme.review_at(path) if programme else None
        meeting = _meeting_at(programme, path)
        problems = [p for p in validation.problems if p.path == path]
        unamended: list[Problem] = []
        if base is not None and _status_of(base) == "presented":
            then = self._validate(loaded, base).programme
            presented = then.review_at(base.path) if then else None
            if presented is not None and review is not None:
                unamended = [
                    p for p in rewrites(presented, review, _SAVED, _IN_THE_FORM) if p.is_error
                ]
            else:  # one of the two does not read as a review: compared as written
                unamended = _unread_rewrites(base, draft)
            problems += unamended
        # Errors elsewhere that the draft brings: not those the files have as saved, which
        # are checked for only when there are errors elsewhere at all (seldom).
        others = [
            p for p in validation.problems if p.path not in (path, draft.replaces) and p.is_error
        ]
        if others:
            before = {_key(p) for p in check_loaded(loaded, self.as_of, self.deny).problems}
            others = [p for p in others if _key(p) not in before]
        result, blocked = self._score(programme, review, validation.problems, path)
        return Checked(
            problems=tuple(sorted(problems, key=lambda p: (p.line, p.field, p.message))),
            elsewhere=tuple(others),
            programme=programme,
            review=review,
            meeting=meeting,
            result=result,
            score_blocked_by=tuple(blocked),
            unamended=tuple(unamended),
            personal=tuple(p for p in validation.personal if p.path == path),
        )

    def loaded(self) -> LoadedRepository:
        """The repository as saved, read."""
        return load_repository(self.root, cache=self._cache)

    def saved(self) -> Validation:
        """The repository as saved, checked."""
        return check_loaded(self.loaded(), self.as_of, self.deny)

    def _validate(self, loaded: LoadedRepository, draft: Draft) -> Validation:
        document, found = parse_file(draft.text.encode("utf-8"), draft.path, markdown=True)
        gone = {draft.path, draft.replaces}
        overlaid = dataclasses.replace(
            loaded,
            boroughs=[_with_document(b, document, gone) for b in loaded.boroughs],
            problems=[p for p in loaded.problems if p.path not in gone] + found,
        )
        root = self.root

        def read_text(path: str) -> str:
            if path == draft.path:
                return draft.text
            return (root / path).read_text(encoding="utf-8", errors="replace")

        return check_loaded(overlaid, self.as_of, self.deny, read_text)

    def _score(
        self,
        programme: Programme | None,
        review: ReviewRecord | None,
        problems: Sequence[Problem],
        path: str,
    ) -> tuple[ReviewResult | None, list[Problem]]:
        if programme is None or review is None:
            return None, []
        # The draft's own errors leave its score provisional; errors in what the score
        # rests on (the rulebook, the team, earlier reviews) stop it, as qa-site score.
        blocking = [
            p for p in problems_blocking_score(problems, path) if p.is_error and p.path != path
        ]
        if blocking:
            return None, blocking
        try:
            return score_in_team(programme, review, self.as_of), []
        except ScoringError:
            return None, []


def _with_document(
    borough: BoroughFolder, document: SourceDocument, gone: set[str | None]
) -> BoroughFolder:
    """``borough`` with ``document`` in its place (and the files in ``gone`` out)."""
    parts = document.path.split("/")
    mine = len(parts) == 4 and parts[1] == borough.id
    if mine and parts[2] == GOVERNANCE_FOLDER:
        meetings = [m for m in borough.meetings if m.path not in gone] + [document]
        return dataclasses.replace(borough, meetings=sorted(meetings, key=lambda d: d.path))
    teams = [
        _team_with(team, document, gone, mine and parts[2] == team.id) for team in borough.teams
    ]
    meetings = [m for m in borough.meetings if m.path not in gone]
    return dataclasses.replace(borough, teams=teams, meetings=meetings)


def _team_with(
    team: TeamFolder, document: SourceDocument, gone: set[str | None], here: bool
) -> TeamFolder:
    reviews = [r for r in team.reviews if r.path not in gone]
    if here:
        reviews = sorted([*reviews, document], key=lambda d: d.path)
    return dataclasses.replace(team, reviews=reviews)


def _meeting_at(programme: Programme | None, path: str) -> MeetingRecord | None:
    if programme is None:
        return None
    return next((m for m in programme.meetings if m.source.path == path), None)


def _unread_rewrites(base: Draft, draft: Draft) -> list[Problem]:
    """When the draft of a presented review does not read as a review (an error in it),
    its record is compared as written: a change to its status, ratings, grades or
    actions' wording without a new amendment is refused all the same."""
    then, _ = parse_file(base.text.encode("utf-8"), base.path, markdown=True)
    now, _ = parse_file(draft.text.encode("utf-8"), draft.path, markdown=True)
    if not isinstance(then.data, dict):
        return []
    data = now.data if isinstance(now.data, dict) else {}
    earlier = _listed(then.data.get("amendments"))
    added = _listed(data.get("amendments"))[len(earlier) :]
    # An amendment counts only when it says when, why and by whom.
    amended = any(_complete(a) for a in added)
    changed = [key for key in _RECORD if _record(then.data, key) != _record(data, key)]
    if data.get("status") != "presented":
        changed.insert(0, "status")
    elif amended:
        changed = []
    return [
        Problem(
            draft.path,
            now.line_of((key,)),
            key,
            "this review was presented: its "
            + ("status stays presented" if key == "status" else f"{key} changed")
            + "; say why in the Amendment section (date, reason, and by whom), or undo "
            "the change (the file has errors, so the change is named by its part only)",
        )
        for key in changed
    ]


# The parts of a review that are its record, and what of each counts.
_RECORD = ("framework_version", "ratings", "cases", "actions")


def _record(data: dict[str, Any], key: str) -> Any:
    value = data.get(key)
    if key == "ratings" and isinstance(value, dict):
        return {
            k: str((v.get("rating") if isinstance(v, dict) else v) or "").strip().lower()
            for k, v in value.items()
        }
    if key == "cases":
        return [
            (c.get("ref"), c.get("grades")) if isinstance(c, dict) else c for c in _listed(value)
        ]
    if key == "actions":
        return [
            {k: v for k, v in a.items() if k not in ("status", "completed")}
            if isinstance(a, dict)
            else a
            for a in _listed(value)
        ]
    return value


def _key(problem: Problem) -> tuple[str, str, str]:
    return problem.path, problem.field, problem.message


def _complete(amendment: Any) -> bool:
    return (
        isinstance(amendment, dict)
        and isinstance(amendment.get("date"), dt.date)
        and all(
            isinstance(amendment.get(k), str) and amendment[k].strip() for k in ("reason", "by")
        )
    )


def _status_of(draft: Draft) -> Any:
    """The status a file's text says, as written (None when it does not read)."""
    document, _ = parse_file(draft.text.encode("utf-8"), draft.path, markdown=True)
    return document.data.get("status") if isinstance(document.data, dict) else None


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
