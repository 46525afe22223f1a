"""What a change to the content does to the published results: ``qa-site diff``.

Both sides are scored the same way, as of the same date, and compared on what
the site publishes (presented reviews, approved minutes). The summary is
Markdown, for a pull-request comment or a CI job summary. Drafts and
completed reviews are counted, never shown: their results stay unseen until
they are presented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.core.dates import day_text
from generator.core.numbers import counted, score_decimal
from generator.core.text import markdown_cell as cell
from generator.model.programme import MeetingRecord, Programme, ReviewRecord
from generator.model.review import Action, Amendment
from generator.score.published import published, published_programme
from generator.score.results import Results
from generator.score.review import ReviewResult
from generator.workflow.history import review_changes
from generator.workflow.markdown import MarkdownWriter


@dataclass(frozen=True)
class TeamChange:
    """A team whose current result is not what it was."""

    name: str
    before: ReviewResult | None  # the latest presented review
    after: ReviewResult | None
    ratings: tuple[tuple[str, str | None, str | None], ...]  # standard, before, after


@dataclass(frozen=True)
class ActionChange:
    where: str
    action: Action


@dataclass(frozen=True)
class Amended:
    review: ReviewResult
    amendments: tuple[Amendment, ...]  # the entries added
    changes: tuple[str, ...]  # what they changed in the record


@dataclass(frozen=True)
class ResultsChange:
    teams: tuple[TeamChange, ...]
    published: tuple[ReviewResult, ...]  # reviews presented since
    amended: tuple[Amended, ...]  # presented reviews whose record changed, amended or not
    opened: tuple[ActionChange, ...]
    closed: tuple[ActionChange, ...]
    meetings: tuple[MeetingRecord, ...]  # minutes approved since
    unpublished: int  # drafts and unpresented reviews or minutes added or changed

    @property
    def affects_results(self) -> bool:
        return any(
            (self.teams, self.published, self.amended, self.opened, self.closed, self.meetings)
        )


def compare_results(
    base: Programme, base_results: Results, head: Programme, head_results: Results
) -> ResultsChange:
    """What changed in the published results from ``base`` to ``head``."""
    before, after = published(base_results), published(head_results)
    teams = []
    old_teams = {(t.record.borough_id, t.record.id): t for t in before.teams}
    for team in after.teams:
        key = (team.record.borough_id, team.record.id)
        was = old_teams.pop(key, None)
        change = _team_change(head, was.latest if was else None, team.latest)
        if change is not None:
            teams.append(change)
    for was in old_teams.values():  # a team whose folder went
        change = _team_change(base, was.latest, None)
        if change is not None:
            teams.append(change)

    old_reviews = {r.record.source.path: r for r in before.reviews}
    new_reviews = [r for r in after.reviews if r.record.source.path not in old_reviews]
    amended = []
    for review in after.reviews:
        then = old_reviews.get(review.record.source.path)
        if then is not None:
            added = review.record.review.amendments[len(then.record.review.amendments) :]
            changed = review_changes(then.record.review, review.record.review)
            if added or changed:
                amended.append(Amended(review, tuple(added), tuple(m for _, m in changed)))

    old_actions = dict(_actions(base, before))
    opened, closed = [], []
    for key, (where, action) in _actions(head, after):
        was_action = old_actions.get(key)
        was_open = was_action is not None and was_action[1].status == "open"
        if action.status == "open" and not was_open:
            opened.append(ActionChange(where, action))
        elif action.status == "done" and was_open:
            closed.append(ActionChange(where, action))

    old_meetings = {m.source.path for m in _approved(base)}
    return ResultsChange(
        teams=tuple(teams),
        published=tuple(new_reviews),
        amended=tuple(amended),
        opened=tuple(opened),
        closed=tuple(closed),
        meetings=tuple(m for m in _approved(head) if m.source.path not in old_meetings),
        unpublished=_unpublished_changes(base, head),
    )


def format_markdown(
    change: ResultsChange, base: str, head: str, as_of: dt.date, programme: Programme
) -> str:
    """The change as a Markdown report, headed by what was compared."""
    out = MarkdownWriter()
    out.heading(2, "Effect on results")
    out.paragraph(f"`{base}` compared with `{head}`, as of {day_text(as_of)}.")
    if not change.affects_results:
        out.paragraph("No change to results.")
    if change.teams:
        _write_teams(out, change.teams, programme)
    if change.published:
        out.heading(3, "Reviews published")
        out.bullets(_review(programme, r) for r in change.published)
    # A rewrite without an amendment is refused by validate --base; shown
    # here too, so that the summary never says a changed record is unchanged.
    for title, items in (
        ("Reviews amended", [i for i in change.amended if i.amendments]),
        (
            "Presented reviews changed without an amendment",
            [i for i in change.amended if not i.amendments],
        ),
    ):
        if items:
            out.heading(3, title)
            out.nested_bullets(
                (f"{_review(programme, item.review)}:", _amendment_lines(item)) for item in items
            )
    for title, actions in (("Actions opened", change.opened), ("Actions closed", change.closed)):
        if actions:
            out.heading(3, title)
            out.table(
                ("Where", "Action", "Owner", "Due"),
                (
                    (
                        cell(a.where),
                        f"{cell(a.action.id)}: {cell(a.action.action)}",
                        cell(a.action.owner),
                        day_text(a.action.due),
                    )
                    for a in actions
                ),
            )
    if change.meetings:
        out.heading(3, "Board minutes published")
        out.bullets(
            f"{cell(programme.boroughs[m.borough_id].borough.short)} governance board, "
            f"{day_text(m.date)} (`{m.source.path}`)"
            for m in change.meetings
        )
    if change.unpublished:
        out.paragraph(
            f"Also added or changed, but not published, so with no effect on results: "
            f"{counted(change.unpublished, 'file')} (drafts, or reviews not yet presented)."
        )
    return out.text()


def _write_teams(out: MarkdownWriter, teams: Sequence[TeamChange], programme: Programme) -> None:
    out.heading(3, "Teams")
    out.table(
        ("Team", "Before", "After", "Change"),
        ((cell(t.name), _result(t.before), _result(t.after), _movement(t)) for t in teams),
    )
    for team in teams:
        if team.ratings:
            out.heading(4, f"{cell(team.name)}: standards whose rating changed")
            out.table(
                ("Standard", "Before", "After"),
                (
                    (
                        f"{standard_id} {cell(_title(programme, standard_id, team))}",
                        was or "not rated",
                        now or "not rated",
                    )
                    for standard_id, was, now in team.ratings
                ),
            )


def _title(programme: Programme, standard_id: str, team: TeamChange) -> str:
    """The standard's title as the team's newer review words it (its version's)."""
    newer = team.after or team.before
    assert newer is not None  # a team whose ratings changed has both reviews
    standard = programme.standards[standard_id]
    return standard.nearest_wording(newer.record.review.framework_version).title


def _amendment_lines(item: Amended) -> list[str]:
    lines = [
        f"amendment: {cell(a.reason)} ({cell(a.by)}, {day_text(a.date)})" for a in item.amendments
    ]
    return lines + [cell(text) for text in item.changes]


def _team_change(
    programme: Programme, before: ReviewResult | None, after: ReviewResult | None
) -> TeamChange | None:
    if before is None and after is None:
        return None
    ratings = _ratings(before), _ratings(after)
    same = (
        before is not None
        and after is not None
        and before.record.date == after.record.date
        and before.overall.rating == after.overall.rating
        and _percent(before) == _percent(after)
        and ratings[0] == ratings[1]
    )
    if same:
        return None
    record = (after or before).record  # type: ignore[union-attr]
    borough = programme.boroughs[record.borough_id]
    name = f"{borough.borough.short} {borough.teams[record.team_id].team.name}"
    changed: tuple[tuple[str, str | None, str | None], ...] = ()
    if before is not None and after is not None:
        then, now = (r.record.review.framework_version for r in (before, after))
        compared = sorted(ratings[0].keys() | ratings[1].keys())
        if then != now:
            # Across a revision, only the standards that kept their meaning compare.
            standards = programme.standards
            compared = [
                i for i in compared if i in standards and standards[i].comparable(then, now)
            ]
        changed = tuple(
            (standard_id, ratings[0].get(standard_id), ratings[1].get(standard_id))
            for standard_id in compared
            if ratings[0].get(standard_id) != ratings[1].get(standard_id)
        )
    return TeamChange(name, before, after, changed)


def _ratings(review: ReviewResult | None) -> dict[str, str]:
    if review is None:
        return {}
    return {s.id: s.rating for s in review.standards if s.rating is not None}


def _percent(review: ReviewResult) -> str | None:
    score = review.overall.score
    return f"{score_decimal(score.percent)}%" if score else None


def _result(review: ReviewResult | None) -> str:
    if review is None:
        return "no presented review"
    percent = _percent(review)
    rating = review.overall.rating or "not rated"
    shown = f"{rating}, {percent}" if percent else rating
    return f"{shown} (review of {day_text(review.record.date)})"


def _movement(team: TeamChange) -> str:
    if team.before is None:
        return "first presented review"
    if team.after is None:
        return "no longer published"
    parts = []
    then, now = (r.record.review.framework_version for r in (team.before, team.after))
    if then != now:
        parts.append(f"framework version {then} to {now}")
    if team.before.overall.rating != team.after.overall.rating:
        parts.append(f"{team.before.overall.rating} to {team.after.overall.rating}")
    before, after = team.before.overall.score, team.after.overall.score
    if before and after:
        delta = score_decimal(after.percent) - score_decimal(before.percent)
        if delta:
            parts.append(f"{delta:+} points")
    if team.ratings:
        shared = " of those both versions share" if then != now else ""
        parts.append(counted(len(team.ratings), "standard") + shared + " re-rated")
    return "; ".join(parts) or "new review, same result"


def _review(programme: Programme, review: ReviewResult) -> str:
    record = review.record
    borough = programme.boroughs[record.borough_id]
    team = borough.teams[record.team_id].team
    return (
        f"{cell(borough.borough.short)} {cell(team.name)}, review of "
        f"{day_text(record.date)} (`{record.source.path}`)"
    )


def _actions(
    programme: Programme, results: Results
) -> Iterable[tuple[tuple[str, str], tuple[str, Action]]]:
    for review in results.reviews:
        record = review.record
        team = programme.boroughs[record.borough_id].teams[record.team_id].team
        where = (
            f"{programme.boroughs[record.borough_id].borough.short} {team.name}, review of "
            f"{day_text(record.date)}"
        )
        for action in record.review.actions:
            yield (record.source.path, action.id), (where, action)
    for meeting in _approved(programme):
        where = (
            f"{programme.boroughs[meeting.borough_id].borough.short} board, "
            f"{day_text(meeting.date)}"
        )
        for action in meeting.meeting.actions:
            yield (meeting.source.path, action.id), (where, action)


def _approved(programme: Programme) -> list[MeetingRecord]:
    return published_programme(programme).meetings


def _unpublished(programme: Programme) -> dict[str, ReviewRecord | MeetingRecord]:
    shown = {m.source.path for m in _approved(programme)}
    found: dict[str, ReviewRecord | MeetingRecord] = {
        r.source.path: r for r in programme.reviews if r.status != "presented"
    }
    found.update((m.source.path, m) for m in programme.meetings if m.source.path not in shown)
    return found


def _unpublished_changes(base: Programme, head: Programme) -> int:
    before, after = _unpublished(base), _unpublished(head)
    return sum(
        1
        for path, record in after.items()
        if path not in before
        or before[path].source.data != record.source.data
        or before[path].source.body != record.source.body
    )
