"""The list of standards, and each standard's page: how many active teams have
each rating on it, every team's latest rating on it (closed teams apart), its
case-audit trend and the board's cases on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.model.framework import Standard, Wording
from generator.render import charts
from generator.render.figures import series_figure
from generator.render.lists import BoardCaseEntry
from generator.render.page import Page, PageContext
from generator.render.urls import STANDARDS_PATH, standard_path
from generator.render.view import SiteView
from generator.score.series import AuditSeries, audit_series
from generator.score.standards import StandardResult
from generator.score.team import TeamResult


def standards_page() -> Page:
    return Page(STANDARDS_PATH, "Standards", "standards.md.j2")


@dataclass(frozen=True)
class StandardContext(PageContext):
    standard: Standard
    earlier: list[Wording]  # its wording in earlier versions, newest first
    comparable_earlier: bool  # ratings under every earlier wording compare with the latest
    latest: list[tuple[TeamResult, StandardResult]]  # active teams whose latest review rates it
    series: AuditSeries  # all boroughs
    counts: list[int]  # active teams' latest ratings, by label
    cases: list[BoardCaseEntry]
    distribution_figure: dict[str, Any] | None
    series_figure: dict[str, Any] | None
    boroughs: list[str]
    # closed teams whose last review rated it, listed apart: they are not reviewed again
    closed: list[tuple[TeamResult, StandardResult]]
    short_name: str = ""

    def search_keywords(self) -> list[str]:
        """What search finds this page by before any page that only mentions the
        standard: its short name, and the same in the singular ("safeguarding
        enquiry" finds S07 Safeguarding enquiries: search matches the start of a
        word, so a plural is not found by its singular)."""
        if not self.short_name:
            return []
        return list(dict.fromkeys([self.short_name, singular_words(self.short_name)]))


def standard_pages(site: SiteView) -> Iterator[Page]:
    boroughs = sorted(site.programme.boroughs)
    for standard in site.programme.standards.values():
        yield Page(
            standard_path(standard.id),
            f"{standard.id}: {site.title(standard)}",
            "standard.md.j2",
            _context(site, standard, boroughs),
            listed=False,
        )


def singular_words(text: str) -> str:
    """``text`` with each plural-looking word in the singular, by the common English
    endings: "enquiries" -> "enquiry", "concerns" -> "concern"; "process",
    "status" and acronyms ("FACS") are kept."""
    return " ".join(_singular(word) for word in text.split(" "))


def _singular(word: str) -> str:
    lower = word.lower()
    if word.isupper():
        return word  # an acronym: FACS, DoLS keep their letters
    if len(lower) > 4 and lower.endswith("ies"):
        return word[:-3] + "y"
    if len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _context(site: SiteView, standard: Standard, boroughs: list[str]) -> StandardContext:
    rated = [
        (team, team.latest.standard(standard.id))
        for team in site.results.teams
        if team.latest is not None and team.latest.rates(standard.id)
    ]
    latest = [(team, result) for team, result in rated if not team.closed]
    (series,) = audit_series(site.results.reviews, [], [standard.id])[:1]
    counts = [
        sum(1 for _, result in latest if result.rating == label) for label in site.rules.labels
    ]
    earlier = site.earlier_wordings(standard)
    now = site.wording(standard).version
    return StandardContext(
        standard,
        earlier,
        all(standard.comparable(old.version, now) for old in earlier),
        latest,
        series,
        counts,
        [c for c in site.board_cases if standard.id in c.case.standards],
        charts.rating_stacks(
            f"Latest rating of each team on {standard.id}",
            ["Active teams"],
            site.rules.labels,
            [[n] for n in counts],
        )
        if latest
        else None,
        series_figure(site, f"Case-audit grades on {standard.id} adequate or above", [series])
        if series.points
        else None,
        boroughs,
        [(team, result) for team, result in rated if team.closed],
        site.short_name(standard.id),
    )
