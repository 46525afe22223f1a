"""A team's result: its scored reviews in date order, whether it is closed, and
whether its next review is overdue.

Drafts are never scored with the team; completed reviews are scored but not
counted as presented. Each review is compared with the team's previous
presented review. A team closed on or before the as-of date is not due a
review; one closing later still is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model.framework import Framework, Standard
from generator.model.programme import Programme, ReviewRecord, TeamRecord
from generator.score.review import ReviewResult, ReviewScorer
from generator.score.rules import Rules
from generator.score.schedule import ActionCounts


@dataclass(frozen=True)
class TeamResult:
    record: TeamRecord
    history: tuple[ReviewResult, ...]  # presented reviews, oldest first
    completed: tuple[ReviewResult, ...]  # completed reviews not (yet) presented, oldest first
    closed: bool  # closed on or before the as-of date
    next_review_due: dt.date | None  # None when closed or never reviewed
    overdue: bool
    actions: ActionCounts  # over the presented reviews' action plans

    @property
    def latest(self) -> ReviewResult | None:
        return self.history[-1] if self.history else None

    @property
    def pending(self) -> tuple[ReviewResult, ...]:
        """Completed reviews after the latest presented one: awaiting presentation."""
        latest = self.latest
        return tuple(
            r for r in self.completed if latest is None or r.record.date > latest.record.date
        )


def score_in_team(
    programme: Programme, record: ReviewRecord, as_of: dt.date, rules: Rules | None = None
) -> ReviewResult:
    """Score one review of any status, drafts too, against the team's earlier presented ones."""
    rules = rules or Rules.from_framework(programme.framework)
    scorer = ReviewScorer(programme.standards, programme.framework, rules, as_of)
    team = programme.boroughs[record.borough_id].teams[record.team_id]
    history = score_team_by(team, scorer).history
    earlier = [r for r in history if r.record.date < record.date]
    previous = earlier[-1] if earlier else None
    return scorer.review(record, previous)


def score_team(
    record: TeamRecord,
    standards: Mapping[str, Standard],
    framework: Framework,
    rules: Rules,
    as_of: dt.date,
) -> TeamResult:
    """Score a team's completed and presented reviews in date order; drafts are left out."""
    return score_team_by(record, ReviewScorer(standards, framework, rules, as_of))


def score_team_by(record: TeamRecord, scorer: ReviewScorer) -> TeamResult:
    """``score_team``, with the scorer of the whole run."""
    history: list[ReviewResult] = []
    completed: list[ReviewResult] = []
    for review in record.reviews:
        if review.status == "draft":
            continue
        result = scorer.review(review, history[-1] if history else None)
        (history if result.presented else completed).append(result)
    return team_result(record, history, completed, scorer.as_of)


def team_result(
    record: TeamRecord,
    history: Sequence[ReviewResult],
    completed: Sequence[ReviewResult],
    as_of: dt.date,
) -> TeamResult:
    """A team's result from its scored reviews: whether it is closed, when it is due."""
    latest = history[-1] if history else None
    # A team closing later than the as-of date still exists, and is still due.
    closed = record.team.closed is not None and record.team.closed <= as_of
    due = None
    if latest is not None and not closed:
        due = latest.next_review_due
    return TeamResult(
        record=record,
        history=tuple(history),
        completed=tuple(completed),
        closed=closed,
        next_review_due=due,
        overdue=due is not None and as_of > due,
        actions=sum((r.actions for r in history), ActionCounts()),
    )
