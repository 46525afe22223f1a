"""The pages that compare teams across boroughs, partners' packages included:
the boroughs side by side, every team on every standard (the heatmap), and
teams of the same service side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.model.framework import Standard
from generator.model.programme import BoroughRecord
from generator.render import charts
from generator.render.figures import series_figure, share_label, share_value
from generator.render.page import Page, PageContext
from generator.render.urls import COMPARISON_PATH, HEATMAP_PATH, SERVICES_PATH
from generator.render.view import SiteView
from generator.score.audits import AuditTally
from generator.score.review import ReviewResult
from generator.score.series import AuditSeries
from generator.score.team import TeamResult

Trend = tuple[BoroughRecord, list[AuditSeries], dict[str, Any]]  # a borough's critical series


# Counts the comparison writes in words, as prose does; larger ones in figures.
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(number: int) -> str:
    """``three``: a small count in words, a larger one in figures (``12``)."""
    return _WORDS[number] if 0 <= number < len(_WORDS) else str(number)


def comparison_title(boroughs: int) -> str:
    """The comparison page's title: three boroughs are a tri-borough."""
    return "Tri-borough comparison" if boroughs == 3 else "Borough comparison"


@dataclass(frozen=True)
class ComparisonContext(PageContext):
    boroughs_in_words: str  # how many boroughs are compared, in words: "three"
    trends: list[Trend]
    latest: dict[str, list[ReviewResult]]  # each borough's active teams' latest reviews
    counts: list[list[int]]  # by rating label, then borough
    shares: dict[tuple[str, str], AuditTally]  # by borough and critical standard
    distribution_figure: dict[str, Any]
    shares_figure: dict[str, Any]


def comparison_page(site: SiteView) -> Page:
    boroughs = list(site.compared.programme.boroughs.values())
    latest = {
        b.id: [t.latest for t in site.active_teams(b.id) if t.latest is not None] for b in boroughs
    }
    counts = [
        [sum(1 for r in latest[b.id] if r.overall.rating == label) for b in boroughs]
        for label in site.rules.labels
    ]
    shares = {
        (b.id, s.id): sum(
            (r.standard(s.id).audit for r in latest[b.id] if r.rates(s.id)), AuditTally()
        )
        for b in boroughs
        for s in site.critical
    }
    lines = [
        charts.Line(
            s.id,
            [share_value(shares[(b.id, s.id)]) for b in boroughs],
            [share_label(shares[(b.id, s.id)]) for b in boroughs],
        )
        for s in site.critical
    ]
    shorts = [b.borough.short for b in boroughs]
    return Page(
        COMPARISON_PATH,
        comparison_title(len(boroughs)),
        "comparison.md.j2",
        ComparisonContext(
            in_words(len(boroughs)),
            _trends(site, boroughs),
            latest,
            counts,
            shares,
            charts.rating_stacks(
                "Latest overall rating of each active team", shorts, site.rules.labels, counts
            ),
            charts.grouped_shares(
                "Case-audit grades adequate or above in each team's latest review", shorts, lines
            ),
        ),
    )


def _trends(site: SiteView, boroughs: list[BoroughRecord]) -> list[Trend]:
    """Each borough's case-audit series on the critical standards, if it has any."""
    trends = []
    for b in boroughs:
        series = [site.series(b.id, s.id, site.compared.results) for s in site.critical]
        if any(one.points for one in series):
            title = f"{b.borough.short}: case-audit grades adequate or above"
            trends.append((b, series, series_figure(site, title, series)))
    return trends


@dataclass(frozen=True)
class HeatmapContext(PageContext):
    teams: list[TeamResult]  # every team with a review, partners' too
    standards: list[Standard]
    figure: dict[str, Any]


def heatmap_page(site: SiteView) -> Page:
    teams = [t for t in site.compared.results.teams if t.latest is not None]
    standards = list(site.programme.standards.values())
    abbreviations = site.abbreviations
    columns = [
        f"{site.borough_short(t.record.borough_id)} {t.record.team.name}"
        f" ({t.latest.record.date:%Y-%m}{', closed' if t.closed else ''})"
        for t in teams
        if t.latest is not None
    ]
    ranks: list[list[int | None]] = []
    texts: list[list[str]] = []
    for standard in standards:
        row_ranks: list[int | None] = []
        row_texts: list[str] = []
        for team in teams:
            rating = site.rating_on(team.latest, standard.id)
            row_ranks.append(None if rating is None else site.rules.rank(rating))
            row_texts.append("" if rating is None else abbreviations[rating])
        ranks.append(row_ranks)
        texts.append(row_texts)
    figure = charts.rating_heatmap(
        [s.id for s in standards],
        columns,
        ranks,
        [f"{label} ({abbreviations[label]})" for label in site.rules.labels],
        texts,
    )
    return Page(
        HEATMAP_PATH,
        "Standards across all teams",
        "heatmap.md.j2",
        HeatmapContext(teams, standards, figure),
    )


@dataclass(frozen=True)
class ServicesContext(PageContext):
    services: dict[str, list[TeamResult]]  # active teams by service, services in order


def services_page(site: SiteView) -> Page:
    services: dict[str, list[TeamResult]] = {}
    for team in site.compared.results.teams:
        if not team.closed:
            services.setdefault(team.record.team.service, []).append(team)
    return Page(
        SERVICES_PATH,
        "Like-for-like: teams of the same service",
        "services.md.j2",
        ServicesContext(dict(sorted(services.items()))),
    )
