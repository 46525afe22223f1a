"""The programme's results: every review and team scored as of a date, and the
case-audit series; ``score_programme`` is scoring's one entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model.framework import Framework
from generator.model.programme import Programme
from generator.score.review import ReviewResult
from generator.score.rules import Rules
from generator.score.series import AuditSeries, audit_series
from generator.score.team import TeamResult, score_team


@dataclass(frozen=True)
class Results:
    as_of: dt.date
    framework: Framework
    rules: Rules
    reviews: tuple[ReviewResult, ...]  # completed and presented, never drafts
    teams: tuple[TeamResult, ...]
    series: tuple[AuditSeries, ...]

    def team(self, borough_id: str, team_id: str) -> TeamResult:
        for team in self.teams:
            if (team.record.borough_id, team.record.id) == (borough_id, team_id):
                return team
        raise KeyError((borough_id, team_id))


def score_programme(programme: Programme, as_of: dt.date) -> Results:
    """Score every completed and presented review, every team and the programme series."""
    rules = Rules.from_framework(programme.framework)
    teams = tuple(
        score_team(team, programme.standards, programme.framework, rules, as_of)
        for team in programme.teams
    )
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
