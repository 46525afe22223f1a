"""Case-audit grades: how many are adequate or above, and when they contradict the rating.

Each audited case grades some standards on the rating scale. A standard's
grades are tallied (graded, and adequate or above), and its rating
disagrees with them when it is above the adequate-or-above line (Good,
Outstanding) while fewer than half of its grades are adequate or above, or
when it is the worst label (Inadequate) while every grade is above the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from generator.model.programme import ReviewRecord
from generator.score.rules import Rules


@dataclass(frozen=True)
class AuditTally:
    """Case-audit grades: how many, and how many adequate or above."""

    graded: int = 0
    adequate_or_above: int = 0

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.adequate_or_above * 100, self.graded) if self.graded else None

    def __add__(self, other: AuditTally) -> AuditTally:
        return AuditTally(
            self.graded + other.graded, self.adequate_or_above + other.adequate_or_above
        )


def grades_of(record: ReviewRecord, rules: Rules) -> dict[str, list[str]]:
    """Standard id -> the case-audit grades given it, as the scale spells them."""
    grades: dict[str, list[str]] = {}
    for case in record.review.cases:
        for standard_id, written in sorted(case.grades.items()):
            grades.setdefault(standard_id, []).append(rules.label(written))
    return grades


def tally(grades: Sequence[str], rules: Rules) -> AuditTally:
    return AuditTally(len(grades), sum(rules.is_adequate_or_above(g) for g in grades))


def disagrees(rating: str | None, grades: Sequence[str], rules: Rules) -> bool:
    """Whether the rating and the case audits point different ways."""
    return disagrees_counted(rating, *count_grades(grades, rules), rules)


def count_grades(grades: Sequence[str], rules: Rules) -> tuple[int, int, int]:
    """How many grades, how many adequate or above, how many strictly above the line."""
    return (
        len(grades),
        sum(rules.is_adequate_or_above(g) for g in grades),
        sum(rules.is_above_adequate(g) for g in grades),
    )


def disagrees_counted(
    rating: str | None, graded: int, adequate_or_above: int, above_adequate: int, rules: Rules
) -> bool:
    """``disagrees``, from the grades counted as ``count_grades`` counts them."""
    if rating is None or not graded:
        return False
    if rules.is_above_adequate(rating):
        return adequate_or_above * 2 < graded
    if rating == rules.lowest:
        return above_adequate == graded
    return False
