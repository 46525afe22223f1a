"""The programme's results: every review and team scored as of a date, and the
case-audit series; ``score_programme`` is scoring's one entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from generator.core.collector import holds_collector
from generator.model.framework import Framework
from generator.model.programme import Programme
from generator.score.review import ReviewResult, ReviewScorer
from generator.score.rules import Rules
from generator.score.series import AuditSeries, audit_series
from generator.score.team import TeamResult, score_team_by


@dataclass(frozen=True)
class Results:
    as_of: dt.date
    framework: Framework
    rules: Rules
    reviews: tuple[ReviewResult, ...]  # completed and presented, never drafts
    teams: tuple[TeamResult, ...]
    series: tuple[AuditSeries, ...]

    def team(self, borough_id: str, team_id: str) -> TeamResult:
        try:
            return self._teams[(borough_id, team_id)]
        except KeyError:
            raise KeyError((borough_id, team_id)) from None

    @cached_property
    def _teams(self) -> dict[tuple[str, str], TeamResult]:
        by_key: dict[tuple[str, str], TeamResult] = {}
        for team in self.teams:  # the first, should two have the same ids
            by_key.setdefault((team.record.borough_id, team.record.id), team)
        return by_key


# Scoring builds results that all live as long as the run (see core.collector).
@holds_collector
def score_programme(programme: Programme, as_of: dt.date) -> Results:
    """Score every completed and presented review, every team and the programme series."""
    rules = Rules.from_framework(programme.framework)
    scorer = ReviewScorer(programme.standards, programme.framework, rules, as_of)
    teams = tuple(score_team_by(team, scorer) for team in programme.teams)
    reviews = tuple(
        sorted(
            (r for t in teams for r in (*t.history, *t.completed)),
            key=lambda r: (r.record.borough_id, r.record.team_id, r.record.date),
        )
    )
    critical = [s.id for _, s in sorted(programme.standards.items()) if s.critical]
    return Results(
        as_of=as_of,
        framework=programme.framework,
        rules=rules,
        reviews=reviews,
        teams=teams,
        series=audit_series(reviews, sorted(programme.boroughs), critical),
    )
