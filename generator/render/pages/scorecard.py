"""A team's scorecard: its latest review, what to do next, its action plan and its history."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from generator.core.dates import day_text
from generator.core.numbers import score_text
from generator.model.programme import Programme
from generator.render import charts
from generator.render.figures import band_shades
from generator.render.lists import ListedAction
from generator.render.page import Page, PageContext
from generator.render.urls import review_path, scorecard_path
from generator.render.view import SiteView
from generator.score.review import ReviewResult
from generator.score.rules import Rules
from generator.score.schedule import ActionCounts
from generator.score.standards import StandardResult
from generator.score.team import TeamResult

NEAREST_ACTIONS = 3  # how many open actions "What to do next" names; the rest are a link away


@dataclass(frozen=True)
class ScorecardContext(PageContext):
    team: TeamResult
    latest: ReviewResult | None
    earlier_open: list[ListedAction]  # still open from the team's earlier reviews
    replaced: list[str]  # ids of the teams this one took over from
    domain_figure: dict[str, Any] | None
    trend_figure: dict[str, Any] | None
    # The team's actions over all its presented reviews: open (from the latest review
    # or still from an earlier one), overdue, and done.
    action_counts: ActionCounts
    # The open actions due soonest (the most overdue first), at most NEAREST_ACTIONS.
    next_actions: list[ListedAction]
    # The latest review's standards rated below the line the programme tracks
    # ("Adequate or above"), critical standards first, then by id.
    to_improve: list[StandardResult]

    def variables(self) -> dict[str, Any]:
        # Standards are named in the words of the latest review's framework version.
        version = self.latest.record.review.framework_version if self.latest else None
        return {**super().variables(), "standards_version": version}


def scorecard_pages(site: SiteView, kept: Collection[tuple[str, str]] = ()) -> Iterator[Page]:
    """Every team's scorecard; for a team in ``kept``, only its path and title (its
    page is taken from an earlier render)."""
    for team in site.results.teams:
        record = team.record
        key = (record.borough_id, record.id)
        path = scorecard_path(record.borough_id, record.id)
        title = f"{record.team.name} ({site.borough_short(record.borough_id)})"
        if key in kept:
            yield Page(path, title, "scorecard.md.j2", listed=False, team=key)
            continue
        latest = team.latest
        latest_path = (
            review_path(record.borough_id, record.id, latest.record.date) if latest else None
        )
        # In the order of ``listed_actions``: overdue first, then by due date.
        mine = [
            a for a in site.open_actions if a.borough == record.borough_id and a.team == record.id
        ]
        yield Page(
            path,
            title,
            "scorecard.md.j2",
            ScorecardContext(
                team,
                latest,
                [a for a in mine if a.source_path != latest_path],
                _replaced(site.programme, record.borough_id, record.id),
                _domain_figure(latest) if latest else None,
                _trend_figure(team, site.rules) if team.history else None,
                sum((r.actions for r in team.history), ActionCounts()),
                mine[:NEAREST_ACTIONS],
                _to_improve(latest, site.rules) if latest else [],
            ),
            listed=False,
            team=key,
        )


def _replaced(programme: Programme, borough: str, team: str) -> list[str]:
    """The teams that ``team`` took over from."""
    return [
        other.id
        for other in programme.boroughs[borough].teams.values()
        if team in other.team.replaced_by
    ]


def _to_improve(review: ReviewResult, rules: Rules) -> list[StandardResult]:
    """The standards rated below "Adequate or above", critical first, then in id order."""
    below = [
        s
        for s in review.standards
        if s.rating is not None and not rules.is_adequate_or_above(s.rating)
    ]
    return sorted(below, key=lambda s: not s.standard.critical)


def _domain_figure(review: ReviewResult) -> dict[str, Any]:
    scores = [(d.title, d.score) for d in review.domains if d.score is not None]
    return charts.percent_bars(
        f"Domain percentages, review of {day_text(review.record.date)}",
        [title for title, _ in scores],
        [float(score.percent) for _, score in scores],
        [f"{score_text(score.percent)} {score.band}" for _, score in scores],
    )


def _trend_figure(team: TeamResult, rules: Rules) -> dict[str, Any]:
    """The overall percentage at each review, by its date as the page writes it, over
    the rating bands shaded and named."""
    history = [r for r in team.history if r.overall.score is not None]
    versions = sorted({r.record.review.framework_version for r in history})

    def line(name: str, version: int | None) -> charts.Line:
        # A point of another framework version is a gap: each version has its own line.
        points = [
            r.overall.score if version in (None, r.record.review.framework_version) else None
            for r in history
        ]
        return charts.Line(
            name,
            [None if p is None else float(p.percent) for p in points],
            [
                ""
                if p is None
                else f"{score_text(p.percent)}, rated {r.overall.rating}, "
                f"framework version {r.record.review.framework_version}"
                if version is not None
                else f"{score_text(p.percent)}, rated {r.overall.rating}"
                for r, p in zip(history, points, strict=True)
            ],
        )

    return charts.line_chart(
        "Overall percentage at each review",
        [day_text(r.record.date) for r in history],
        [line("Overall", None)]
        if len(versions) == 1
        else [line(f"Framework version {v}", v) for v in versions],
        "Overall percentage",
        (0, 105),
        band_shades(rules),
    )
