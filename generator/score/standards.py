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
from functools import cached_property

from generator.model.framework import Framework, Standard
from generator.model.programme import ReviewRecord
from generator.score.audits import AuditTally, count_grades, disagrees_counted
from generator.score.overall import Score, Scores
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

    # Read for every standard of every review: kept after the first read.
    @cached_property
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
    counts = {standard_id: count_grades(g, rules) for standard_id, g in grades.items()}
    return Parts(Scores(rules)).standards(in_version, ratings, before, counts)


DomainPlan = tuple[tuple[str, str, tuple[str, ...]], ...]  # id, title, its standards' ids


def domains_of(framework: Framework, in_version: Sequence[Standard]) -> DomainPlan:
    """Each domain with standards in ``in_version``, in the framework's order."""
    domains = []
    for domain in framework.domains:
        ids = tuple(s.id for s in in_version if s.domain == domain.id)
        if ids:
            domains.append((domain.id, domain.title, ids))
    return tuple(domains)


def domain_results(
    framework: Framework,
    in_version: Sequence[Standard],
    ratings: Mapping[str, str],
    rules: Rules,
) -> tuple[DomainResult, ...]:
    """A result for each domain with standards in ``in_version``, in the framework's order."""
    return Parts(Scores(rules)).domains(domains_of(framework, in_version), ratings)


_NO_GRADES = (0, 0, 0)


class Parts:
    """Standard and domain results, each distinct one made once in a scoring run.

    A large programme's fifty thousand standard results are a few thousand
    distinct ones, and its ten thousand domain results a few hundred. A key
    holds everything its result is made from, so the result found is the one
    that would be made; results are frozen, so reviews can share them.
    """

    def __init__(self, scores: Scores) -> None:
        self.rules = scores.rules
        self.scores = scores
        self._standards: dict[tuple[object, ...], StandardResult] = {}
        self._domains: dict[tuple[object, ...], DomainResult] = {}

    def standards(
        self,
        in_version: Sequence[Standard],
        ratings: Mapping[str, str],
        before: Mapping[str, str],
        counts: Mapping[str, Sequence[int]],
    ) -> tuple[StandardResult, ...]:
        """``standard_results``, each standard's grades counted as ``count_grades``
        counts them."""
        known = self._standards
        results = []
        for standard in in_version:
            standard_id = standard.id
            label = ratings.get(standard_id)
            then = before.get(standard_id)
            graded, adequate, above = counts.get(standard_id, _NO_GRADES)
            # The standard by identity: the result keeps it, so no other takes its id.
            key = (id(standard), label, then, graded, adequate, above)
            result = known.get(key)
            if result is None:
                result = known[key] = self._standard(standard, label, then, graded, adequate, above)
            results.append(result)
        return tuple(results)

    def _standard(
        self,
        standard: Standard,
        label: str | None,
        then: str | None,
        graded: int,
        adequate: int,
        above: int,
    ) -> StandardResult:
        values = self.rules.values
        value = change = None
        if label is not None:
            value = values[label]
            change = compare(value, None if then is None else values[then])
        return StandardResult(
            standard=standard,
            rating=label,
            value=value,
            change=change,
            previous=then,
            audit=AuditTally(graded, adequate),
            disagrees=disagrees_counted(label, graded, adequate, above, self.rules),
        )

    def domains(self, domains: DomainPlan, ratings: Mapping[str, str]) -> tuple[DomainResult, ...]:
        """``domain_results``, for the domains ``domains_of`` gives."""
        known = self._domains
        values = self.rules.values
        results = []
        for domain in domains:
            rated = [values[ratings[i]] for i in domain[2] if i in ratings]
            key = (domain, sum(rated), len(rated))
            result = known.get(key)
            if result is None:
                domain_id, title, ids = domain
                result = known[key] = DomainResult(
                    domain_id, title, ids, self.scores.of(key[1], key[2])
                )
            results.append(result)
        return tuple(results)
