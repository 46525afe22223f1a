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
from generator.score.audits import AuditTally, count_grades, grades_of
from generator.score.overall import Overall, Scores
from generator.score.rules import Rules, ScoringError
from generator.score.schedule import ActionCounts, count_actions, next_review_due
from generator.score.standards import (
    DomainPlan,
    DomainResult,
    Parts,
    StandardResult,
    domains_of,
    ratings_of,
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
    return ReviewScorer(standards, framework, rules, as_of).review(record, previous)


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
    return ReviewScorer({}, framework, rules, as_of).over(record, in_version, grades, previous)


@dataclass(frozen=True)
class _Version:
    """What every review scored over the same standards shares."""

    standards: tuple[Standard, ...]
    ids: frozenset[str]
    critical: tuple[str, ...]
    domains: DomainPlan

    @classmethod
    def of(cls, framework: Framework, in_version: Sequence[Standard]) -> _Version:
        return cls(
            tuple(in_version),
            frozenset(s.id for s in in_version),
            tuple(s.id for s in in_version if s.critical),
            domains_of(framework, in_version),
        )


class ReviewScorer:
    """Scores reviews against one framework's ``standards`` as of one date.

    What every review of a framework version shares (its standards, their
    domains, the critical ones), each score by points and each distinct
    standard and domain result are worked out once (``Scores``, ``Parts``).
    Each is kept under everything it is made from, so none can go stale, and
    all of it lives only as long as the scorer: one scoring run.
    """

    def __init__(
        self,
        standards: Mapping[str, Standard],
        framework: Framework,
        rules: Rules,
        as_of: dt.date,
    ) -> None:
        self.standards = standards
        self.framework = framework
        self.rules = rules
        self.as_of = as_of
        self.scores = Scores(rules)
        self.parts = Parts(self.scores)
        self._versions: dict[int, _Version] = {}
        self._labels: dict[str, str] = {}  # a rating as written -> as the scale spells it
        # A grade as written -> (adequate or above, above the line), as 0 or 1.
        self._grades: dict[str, tuple[int, int]] = {}

    def review(self, record: ReviewRecord, previous: ReviewResult | None) -> ReviewResult:
        """``score_review``: over every standard of the review's framework version."""
        version = record.review.framework_version
        counts = self._count_grades(record)
        in_version = self._versions.get(version)
        if in_version is None:
            standards = [s for _, s in sorted(self.standards.items()) if s.in_version(version)]
            in_version = self._versions[version] = _Version.of(self.framework, standards)
        return self._score(record, in_version, counts, previous)

    def over(
        self,
        record: ReviewRecord,
        in_version: Sequence[Standard],
        grades: Mapping[str, Sequence[str]],
        previous: ReviewResult | None,
    ) -> ReviewResult:
        """``score_over``: over ``in_version``, with the case-audit grades given."""
        counts = {standard_id: count_grades(g, self.rules) for standard_id, g in grades.items()}
        return self._score(record, _Version.of(self.framework, in_version), counts, previous)

    def _comparable(self, ratings: dict[str, str], then: int, now: int) -> dict[str, str]:
        """The ``ratings`` of a review under framework version ``then`` on standards whose
        meaning version ``now`` kept: only those compare across a revision."""
        standards = self.standards
        return {
            standard_id: rating
            for standard_id, rating in ratings.items()
            if standard_id in standards and standards[standard_id].comparable(then, now)
        }

    def _count_grades(self, record: ReviewRecord) -> dict[str, list[int]]:
        """Standard id -> its grades counted as ``count_grades`` counts them."""
        counts: dict[str, list[int]] = {}
        kinds = self._grades
        try:
            for case in record.review.cases:
                for standard_id, written in case.grades.items():
                    kind = kinds.get(written)
                    if kind is None:
                        kind = kinds[written] = self._kind(written)
                    adequate, above = kind
                    counted = counts.get(standard_id)
                    if counted is None:
                        counts[standard_id] = [1, adequate, above]
                    else:
                        counted[0] += 1
                        counted[1] += adequate
                        counted[2] += above
        except ScoringError:
            grades_of(record, self.rules)  # fails on the grade it has always named first
            raise
        return counts

    def _kind(self, written: str) -> tuple[int, int]:
        label = self.rules.label(written)
        return int(self.rules.is_adequate_or_above(label)), int(self.rules.is_above_adequate(label))

    def _ratings(self, record: ReviewRecord) -> dict[str, str]:
        """``ratings_of``; the order of the keys differs, and nothing depends on it."""
        labels = self._labels
        ratings = {}
        for standard_id, entry in record.review.ratings.items():
            written = entry.rating
            if written is not None:
                label = labels.get(written)
                if label is None:
                    try:
                        label = labels[written] = self.rules.label(written)
                    except ScoringError:
                        ratings_of(record, self.rules)  # fails on the one always named first
                        raise
                ratings[standard_id] = label
        return ratings

    def _score(
        self,
        record: ReviewRecord,
        in_version: _Version,
        counts: Mapping[str, Sequence[int]],
        previous: ReviewResult | None,
    ) -> ReviewResult:
        review = record.review
        version = review.framework_version
        rules = self.rules
        ratings = self._ratings(record)
        unknown = sorted(set(ratings) - in_version.ids)
        if unknown:
            raise ScoringError(f"{record.source.path}: not in version {version}: {unknown}")
        before = {s.id: s.rating for s in previous.standards if s.rating} if previous else {}
        if previous is not None and previous.record.review.framework_version != version:
            before = self._comparable(before, previous.record.review.framework_version, version)
        overall = self.scores.overall(ratings, in_version.critical)
        rating = overall.rating
        return ReviewResult(
            record=record,
            overall=overall,
            change=overall_change(
                ratings,
                before,
                version,
                in_version.standards,
                rules,
                previous.record if previous else None,
                previous.overall.rating if previous else None,
                self.scores,
            ),
            domains=self.parts.domains(in_version.domains, ratings),
            standards=self.parts.standards(in_version.standards, ratings, before, counts),
            audits=AuditTally(
                sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
            ),
            actions=count_actions(review.actions, self.as_of),
            next_review_due=None if rating is None else next_review_due(record.date, rating, rules),
        )
