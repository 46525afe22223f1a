"""One review's result: its standards, domains and overall rating joined, with what
changed since the team's previous presented review, its case audits, its actions
and when the team's next review is due.

A review is scored over the standards of its own framework version; every
rating it gives must be one of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from generator.model.framework import Framework, Standard
from generator.model.programme import ReviewRecord
from generator.score.audits import AuditTally, grades_of, tally
from generator.score.overall import Overall, overall_of
from generator.score.rules import Rules, ScoringError
from generator.score.schedule import ActionCounts, count_actions, next_review_due
from generator.score.standards import (
    DomainResult,
    StandardResult,
    domain_results,
    ratings_of,
    standard_results,
)
from generator.score.trends import OverallChange, overall_change


@dataclass(frozen=True)
class ReviewResult:
    record: ReviewRecord
    overall: Overall
    change: OverallChange
    domains: tuple[DomainResult, ...]
    standards: tuple[StandardResult, ...]  # every standard of the review's version, by id
    audits: AuditTally
    actions: ActionCounts
    next_review_due: dt.date | None

    @property
    def presented(self) -> bool:
        return self.record.status == "presented"

    @property
    def critical(self) -> tuple[StandardResult, ...]:
        return tuple(s for s in self.standards if s.standard.critical)

    @property
    def disagreements(self) -> tuple[StandardResult, ...]:
        return tuple(s for s in self.standards if s.disagrees)

    @property
    def rated(self) -> int:
        return sum(s.rating is not None for s in self.standards)

    def standard(self, standard_id: str) -> StandardResult:
        return self._by_id[standard_id]

    def rates(self, standard_id: str) -> bool:
        """Whether the review's framework version has this standard."""
        return standard_id in self._by_id

    @cached_property
    def _by_id(self) -> dict[str, StandardResult]:
        # The series look standards up for every review: keep it one dictionary read.
        return {s.id: s for s in self.standards}


def score_review(
    record: ReviewRecord,
    standards: Mapping[str, Standard],
    framework: Framework,
    rules: Rules,
    previous: ReviewResult | None,
    as_of: dt.date,
) -> ReviewResult:
    """Score one review against the team's previous presented review, if any."""
    version = record.review.framework_version
    in_version = [s for _, s in sorted(standards.items()) if s.in_version(version)]
    grades = grades_of(record, rules)
    return score_over(record, in_version, grades, framework, rules, previous, as_of)


def score_over(
    record: ReviewRecord,
    in_version: Sequence[Standard],
    grades: Mapping[str, Sequence[str]],
    framework: Framework,
    rules: Rules,
    previous: ReviewResult | None,
    as_of: dt.date,
) -> ReviewResult:
    """Score a review over the standards ``in_version``, its case-audit grades given
    per standard. ``score_review`` gives every standard of the review's framework
    version; a partner's package gives the standards both frameworks share."""
    review = record.review
    version = review.framework_version
    ratings = ratings_of(record, rules)
    unknown = sorted(set(ratings) - {s.id for s in in_version})
    if unknown:
        raise ScoringError(f"{record.source.path}: not in version {version}: {unknown}")
    before = {s.id: s.rating for s in previous.standards if s.rating} if previous else {}
    overall = overall_of(ratings, [s.id for s in in_version if s.critical], rules)
    rating = overall.rating
    return ReviewResult(
        record=record,
        overall=overall,
        change=overall_change(
            ratings,
            before,
            version,
            in_version,
            rules,
            previous.record if previous else None,
            previous.overall.rating if previous else None,
        ),
        domains=domain_results(framework, in_version, ratings, rules),
        standards=standard_results(in_version, ratings, before, grades, rules),
        audits=sum((tally(g, rules) for g in grades.values()), AuditTally()),
        actions=count_actions(review.actions, as_of),
        next_review_due=None if rating is None else next_review_due(record.date, rating, rules),
    )
