"""What every invention draws on: the rulebook's standards and scoring rules, the
plan, and random streams seeded from the seed and the id of what is invented.

Each review is rated with the product's own scoring (``score.overall``), so
an invented review's overall rating is exactly the one the site will show.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model.framework import Framework, Standard
from generator.score.overall import overall_of
from generator.score.rules import Rules, ScoringError
from generator.workflow.synth.plan import Plan, SynthError


@dataclass(frozen=True)
class Setting:
    """The rulebook and the plan, read once for every invention."""

    rules: Rules
    framework: Framework
    plan: Plan
    version: int  # the framework version every invented review uses
    standards: list[Standard]  # those of that version, by id
    by_id: dict[str, Standard]
    critical: list[str]
    worst_first: list[str]  # the scale's labels, the worst first
    line: int  # the rank of the adequate-or-above line
    domains: dict[str, str]  # domain id -> title
    evidence: list[str]  # evidence source ids
    difficulty: dict[str, float]  # standard id -> how hard it is to meet, everywhere

    @classmethod
    def of(cls, framework: Framework, standards: Sequence[Standard], plan: Plan) -> Setting:
        try:
            rules = Rules.from_framework(framework)
        except ScoringError as error:
            raise SynthError(str(error)) from None
        # One rulebook for the whole invented programme: the one in force when it starts.
        version = framework.in_force_on(plan.start)
        ordered = sorted((s for s in standards if s.in_version(version)), key=lambda s: s.id)
        common = random.Random(f"{plan.seed}:standards")
        return cls(
            rules=rules,
            framework=framework,
            plan=plan,
            version=version,
            standards=ordered,
            by_id={s.id: s for s in ordered},
            critical=[s.id for s in ordered if s.critical],
            worst_first=list(reversed(rules.labels)),
            line=rules.rank(rules.adequate_or_above),
            domains={d.id: d.title for d in framework.domains},
            evidence=[e.id for e in framework.evidence_sources],
            # Some standards are harder to meet than others, everywhere.
            difficulty={s.id: common.gauss(0, 0.3) for s in ordered},
        )

    def rng(self, *parts: object) -> random.Random:
        """The random stream for what ``parts`` name, the same for the same seed."""
        return random.Random(":".join(str(p) for p in (self.plan.seed, *parts)))

    def domain(self, standard_id: str) -> str:
        """The title of the standard's domain."""
        domain = self.by_id[standard_id].domain
        return self.domains.get(domain, domain)

    def overall(self, ratings: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
        """The overall rating, and the critical standards that limited it."""
        overall = overall_of(ratings, self.critical, self.rules)
        assert overall.rating is not None  # every standard is rated
        return overall.rating, overall.limited_by

    def needs_action(self, standard_id: str, label: str) -> bool:
        """Inadequate, or critical and at or below the adequate-or-above line."""
        if label == self.rules.lowest:
            return True
        return self.by_id[standard_id].critical and self.rules.rank(label) >= self.line
