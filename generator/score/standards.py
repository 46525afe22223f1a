"""Each standard's result, and each domain's percentage.

A standard's result is its rating (as the scale spells it; blank in a draft),
the rating's change since the team's previous presented review, and its
case-audit grades tallied and set against the rating. A domain's percentage
is the points of its rated standards over the points possible, in its band
like the overall percentage, but never limited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model.framework import Framework, Standard
from generator.model.programme import ReviewRecord
from generator.score.audits import AuditTally, disagrees, tally
from generator.score.overall import Score, score_ratings
from generator.score.rules import Rules
from generator.score.trends import Change, compare


@dataclass(frozen=True)
class StandardResult:
    standard: Standard
    rating: str | None  # None: left blank in a draft
    value: int | None
    change: Change | None  # None when not rated
    previous: str | None  # the rating in the previous presented review, if any
    audit: AuditTally
    disagrees: bool  # the rating and the case audits point different ways

    @property
    def id(self) -> str:
        return self.standard.id


@dataclass(frozen=True)
class DomainResult:
    id: str
    title: str
    standards: tuple[str, ...]
    score: Score | None  # None when none of its standards is rated


def ratings_of(record: ReviewRecord, rules: Rules) -> dict[str, str]:
    """Standard id -> rating label as the scale spells it; blank ratings left out."""
    return {
        standard_id: rules.label(entry.rating)
        for standard_id, entry in sorted(record.review.ratings.items())
        if entry.rating is not None
    }


def standard_results(
    in_version: Sequence[Standard],
    ratings: Mapping[str, str],
    before: Mapping[str, str],
    grades: Mapping[str, Sequence[str]],
    rules: Rules,
) -> tuple[StandardResult, ...]:
    """The result of each of ``in_version``, given the review's ``ratings``, the previous
    presented review's (``before``) and the case-audit grades per standard."""
    results = []
    for standard in in_version:
        label = ratings.get(standard.id)
        then = before.get(standard.id)
        its_grades = grades.get(standard.id, [])
        change = None
        if label is not None:
            change = compare(rules.values[label], None if then is None else rules.values[then])
        results.append(
            StandardResult(
                standard=standard,
                rating=label,
                value=None if label is None else rules.values[label],
                change=change,
                previous=then,
                audit=tally(its_grades, rules),
                disagrees=disagrees(label, its_grades, rules),
            )
        )
    return tuple(results)


def domain_results(
    framework: Framework,
    in_version: Sequence[Standard],
    ratings: Mapping[str, str],
    rules: Rules,
) -> tuple[DomainResult, ...]:
    """A result for each domain with standards in ``in_version``, in the framework's order."""
    domains = []
    for domain in framework.domains:
        ids = tuple(s.id for s in in_version if s.domain == domain.id)
        if ids:
            values = [rules.values[ratings[i]] for i in ids if i in ratings]
            domains.append(DomainResult(domain.id, domain.title, ids, score_ratings(values, rules)))
    return tuple(domains)
