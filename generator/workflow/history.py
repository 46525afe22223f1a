"""The published record across revisions: the rule that a presented review is
never rewritten silently (``qa-site validate --base``).

A presented review is the record of what the service was told. Its ratings,
case-audit grades and action plan may change after presentation only with a
new entry in its ``amendments`` list saying when, why and by whom (a role),
and the review may not be deleted, renamed or taken back to an earlier status.
Progress on an action (its status and completion date) is not a rewrite: it
is how an action plan is followed up, so it needs no amendment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.check.validate import Validation, validate_repository
from generator.core.numbers import score_text
from generator.core.problems import FILE, Problem, Severity, sort_problems
from generator.load.repository import LoadedRepository, Loc, format_loc
from generator.model.programme import Programme, ReviewRecord
from generator.model.review import Action, CaseAudit, Review
from generator.score.results import Results, score_programme
from generator.score.review import ReviewResult
from generator.workflow.revision import load_revision

# What an action says, as opposed to how far it has got (status, completed).
_ACTION_TERMS = {"action": "wording", "owner": "owner", "due": "due date"}


def check_against_revision(
    loaded: LoadedRepository, validation: Validation, base: str, as_of: dt.date
) -> list[Problem]:
    """Every problem of ``validation`` (the working tree's, read as ``loaded``) and
    every change since Git revision ``base`` that the record refuses, in report order:
    a presented review deleted, renamed or rewritten without an amendment, and, as
    warnings, presented results that a change to the rulebook moves.

    Raises ``RevisionError`` when ``base`` cannot be read.
    """
    then = load_revision(loaded.root, base)
    base_programme = validate_repository(then, as_of).programme
    problems = list(validation.problems)
    problems += rewritten_reviews(base_programme, validation.programme, review_paths(loaded), base)
    if base_programme is not None and validation.programme is not None:
        problems += rescored_reviews(
            score_programme(base_programme, as_of),
            score_programme(validation.programme, as_of),
        )
    return sort_problems(problems)


def review_paths(loaded: LoadedRepository) -> set[str]:
    """Every file that sits where a review sits, readable or not."""
    return {
        doc.path for borough in loaded.boroughs for team in borough.teams for doc in team.reviews
    }


def rewritten_reviews(
    base: Programme | None,
    head: Programme | None,
    head_paths: set[str],
    revision: str,
) -> list[Problem]:
    """Every change to a review presented at ``base`` that the lifecycle refuses.

    ``head_paths`` are the review files present now, readable or not: a file
    that no longer parses is reported by the validator, not as a deletion.
    """
    if base is None:
        return []
    now = {r.source.path: r for r in head.reviews} if head else {}
    problems: list[Problem] = []
    for then in base.reviews:
        if then.status != "presented":
            continue
        path = then.source.path
        if path not in head_paths:
            problems.append(
                Problem(
                    path,
                    1,
                    FILE,
                    f"this review was presented (at {revision}) and is the record; it cannot "
                    "be deleted or renamed. Restore it; to correct it, change it and add an "
                    "entry to its amendments",
                )
            )
            continue
        if path in now:
            problems += rewrites(then, now[path], revision)
    return problems


def review_changes(old: Review, new: Review) -> list[tuple[Loc, str]]:
    """What changed in a review's record (ratings, grades, actions), and where."""
    found: list[tuple[Loc, str]] = []
    if old.framework_version != new.framework_version:
        found.append(
            (
                ("framework_version",),
                f"framework version changed from {old.framework_version} to "
                f"{new.framework_version}",
            )
        )
    found += _rating_changes(old, new)
    found += _grade_changes(old, new)
    found += _action_changes(old, new)
    return found


def rescored_reviews(before: Results, after: Results) -> list[Problem]:
    """Presented reviews whose published result moves though the review did not change:
    a change to the rulebook (bands, limits, critical standards) re-scoring the record."""
    then = {r.record.source.path: r for r in before.reviews if r.presented}
    problems = []
    for review in after.reviews:
        path = review.record.source.path
        old = then.get(path)
        unchanged = old is not None and (
            old.record.review.model_dump() == review.record.review.model_dump()
        )
        if old is None or not review.presented or not unchanged:
            continue
        was, now = _result_text(old), _result_text(review)
        if was != now:
            problems.append(
                Problem(
                    path,
                    1,
                    FILE,
                    f"its published result changes from {was} to {now} through a change to "
                    "standards/, though the review itself did not change; a change to the "
                    "rulebook re-scores the record, so say why in the pull request "
                    "(qa-site diff lists every result it moves)",
                    Severity.WARNING,
                )
            )
    return problems


def _result_text(review: ReviewResult) -> str:
    score = review.overall.score
    percent = f" ({score_text(score.percent)})" if score else ""
    return f"{review.overall.rating}{percent}"


def rewrites(
    then: ReviewRecord, now: ReviewRecord, revision: str, advice: str | None = None
) -> list[Problem]:
    """What the record refuses in the change from ``then`` (presented at ``revision``)
    to ``now``: a status taken back, amendments changed, and each change to ratings,
    grades or actions when no amendment was added. ``advice`` follows each change's
    message, saying how to put it right; by default, in the file's own words."""
    doc = now.source
    found: list[tuple[Loc, str]] = []
    if now.status != "presented":
        found.append(
            (("status",), f"was 'presented' at {revision}; a presented review stays presented")
        )
    old, new = then.review, now.review
    earlier = list(old.amendments)
    kept = list(new.amendments[: len(earlier)])
    problems = [
        Problem(doc.path, doc.line_of(("amendments", i)), f"amendments[{i}]", _AMENDMENT_CHANGED)
        for i, (a, b) in enumerate(zip(earlier, kept, strict=False))
        if a != b
    ]
    if len(kept) < len(earlier):
        problems.append(
            Problem(doc.path, doc.line_of(("amendments",)), "amendments", _AMENDMENT_CHANGED)
        )
    amended = len(new.amendments) > len(earlier)
    found += review_changes(old, new)
    for loc, message in found:
        if amended and loc != ("status",):
            continue
        after = (
            ""
            if loc == ("status",)
            else advice
            or f" after the review was presented (at {revision}); add an entry to "
            "amendments (date, reason, by: a role) saying why, or undo the change"
        )
        problems.append(Problem(doc.path, doc.line_of(loc), format_loc(loc), message + after))
    return problems


_AMENDMENT_CHANGED = (
    "an amendment recorded before was changed or removed; amendments are only ever added"
)


def _label(rating: str | None) -> str:
    return (rating or "").strip().lower()


def _shown(rating: str | None) -> str:
    return rating.strip() if rating and rating.strip() else "no rating"


def _rating_changes(old: Review, new: Review) -> Iterator[tuple[Loc, str]]:
    before = {k: v.rating for k, v in old.ratings.items()}
    after = {k: v.rating for k, v in new.ratings.items()}
    for standard_id in sorted(before.keys() | after.keys()):
        was, now = before.get(standard_id), after.get(standard_id)
        if _label(was) != _label(now):
            loc: Loc = ("ratings", standard_id) if standard_id in after else ("ratings",)
            yield loc, f"{standard_id} changed from {_shown(was)} to {_shown(now)}"


def _grade_changes(old: Review, new: Review) -> Iterator[tuple[Loc, str]]:
    # A case is known by its reference; a blank one (reported already) by its worker.
    def key(case: CaseAudit) -> str:
        return case.ref or f"the case of {case.worker}"

    before = {key(case): case for case in old.cases}
    after = {key(case): (index, case) for index, case in enumerate(new.cases)}
    for ref in sorted(before.keys() - after.keys()):
        yield ("cases",), f"the case audit {ref} was removed"
    for ref, (index, case) in sorted(after.items(), key=lambda item: item[1][0]):
        loc: Loc = ("cases", index)
        if ref not in before:
            yield loc, f"the case audit {ref} was added"
            continue
        was = {k: _label(v) for k, v in before[ref].grades.items()}
        now = {k: _label(v) for k, v in case.grades.items()}
        for standard_id in sorted(was.keys() | now.keys()):
            if was.get(standard_id) != now.get(standard_id):
                where: Loc = (*loc, "grades", standard_id) if standard_id in now else loc
                then_text = _shown(before[ref].grades.get(standard_id))
                now_text = _shown(case.grades.get(standard_id))
                yield (
                    where,
                    f"{ref}'s grade on {standard_id} changed from {then_text} to {now_text}",
                )


def _action_changes(old: Review, new: Review) -> Iterator[tuple[Loc, str]]:
    before: dict[str, Action] = {action.id: action for action in old.actions}
    after = {action.id: (index, action) for index, action in enumerate(new.actions)}
    for action_id in sorted(before.keys() - after.keys()):
        yield ("actions",), f"action {action_id} was removed"
    for action_id, (index, action) in sorted(after.items(), key=lambda item: item[1][0]):
        loc: Loc = ("actions", index)
        if action_id not in before:
            yield loc, f"action {action_id} was added"
            continue
        was = before[action_id]
        if sorted(was.standards) != sorted(action.standards):  # the order says nothing
            yield (*loc, "standards"), f"action {action_id}: the standards it names changed"
        for term in ("action", "owner", "due"):
            if getattr(was, term) != getattr(action, term):
                yield (*loc, term), f"action {action_id}: its {_ACTION_TERMS[term]} changed"
