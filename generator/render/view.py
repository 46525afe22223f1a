"""The site as the templates see it: the published programme and results, the
lists several pages show, and the lookups and short texts every template may
ask for (``site.…`` in a template).

Only presented reviews are published. Drafts and completed reviews not yet
presented appear nowhere: not on a page, not in a download.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from generator.core.dates import day_text
from generator.core.numbers import share_text
from generator.core.text import service_title
from generator.model.framework import FrameworkVersion, Standard, Wording
from generator.model.programme import Programme
from generator.render.lists import (
    DUE_SOON_MONTHS,
    BoardCaseEntry,
    ListedAction,
    ScheduleEntry,
    TeamActions,
    actions_by_borough,
    board_cases,
    listed_actions,
    review_schedule,
)
from generator.score.audits import AuditTally
from generator.score.published import published, published_programme
from generator.score.results import Results
from generator.score.review import ReviewResult
from generator.score.series import AuditSeries, HalfYear
from generator.score.team import TeamResult
from generator.share.comparison import Source, compare_with
from generator.share.datapackage.model import Package
from generator.share.edition import Edition, unredacted


class SiteView:
    """The published programme and results of one edition, with the comparison
    pages' partners, and what templates ask of them."""

    def __init__(
        self,
        programme: Programme,
        results: Results,
        edition: Edition = "internal",
        packages: Sequence[tuple[str, Package]] = (),
        papers: bool = False,
    ) -> None:
        self.edition = edition
        self.papers = papers  # whether the build makes the PDF papers the pages link
        self.programme = published_programme(programme)
        self.results = published(results)
        if edition == "partners":
            leaks = unredacted(
                [*self.programme.reviews, *(r.record for r in self.results.reviews)],
                self.programme.meetings,
            )
            if leaks:
                raise ValueError(f"partner edition from content not made for partners: {leaks}")
        # The comparison pages' boroughs: this site's own and its partners' packages.
        self.compared = compare_with(self.programme, self.results, packages)
        self.rules = self.results.rules
        framework = self.programme.framework
        self.critical = [
            s for s in self.programme.standards_in(framework.version) if s.critical
        ]
        self._wordings: dict[tuple[str, int | None], Wording] = {}

    @cached_property
    def open_actions(self) -> list[ListedAction]:
        return listed_actions(self.programme, self.results)

    def actions_by_borough(self) -> list[tuple[str, list[TeamActions]]]:
        return actions_by_borough(self.programme, self.open_actions)

    def schedule(self) -> list[ScheduleEntry]:
        return review_schedule(self.results)

    @property
    def due_soon_months(self) -> int:
        return DUE_SOON_MONTHS

    @cached_property
    def board_cases(self) -> list[BoardCaseEntry]:
        return board_cases(self.programme)

    # Lookups by id cover the partners' packages too: their ids never clash with ours.

    def borough_name(self, borough: str) -> str:
        return self.compared.programme.boroughs[borough].borough.name

    def borough_short(self, borough: str) -> str:
        return self.compared.programme.boroughs[borough].borough.short

    def team_name(self, borough: str, team: str) -> str:
        return self.compared.programme.boroughs[borough].teams[team].team.name

    def source_of(self, borough: str) -> Source | None:
        """The partner's package a borough's results come from; None for this site's own."""
        return self.compared.source_of(borough)

    def team_label(self, borough: str, team: str) -> str:
        teams = self.programme.boroughs[borough].teams
        return teams[team].team.name if team in teams else team

    def active_teams(self, borough: str) -> list[TeamResult]:
        teams = self.compared.results.teams
        return [t for t in teams if t.record.borough_id == borough and not t.closed]

    def series(
        self, borough: str | None, standard: str | None, results: Results | None = None
    ) -> AuditSeries:
        """The case-audit series of a borough (None: all) on a standard (None: all)."""
        for series in (results or self.results).series:
            if series.borough == borough and series.standard == standard:
                return series
        raise KeyError((borough, standard))

    def rating_on(self, review: ReviewResult | None, standard: str) -> str | None:
        if review is None or not review.rates(standard):
            return None
        return review.standard(standard).rating

    @cached_property
    def abbreviations(self) -> dict[str, str]:
        """The shortest prefix that tells each rating label apart: O, G, A, I."""
        labels = self.rules.labels
        for length in range(1, max(len(label) for label in labels) + 1):
            prefixes = [label[:length] for label in labels]
            if len(set(prefixes)) == len(prefixes):
                return dict(zip(labels, prefixes, strict=True))
        return {label: label for label in labels}

    def tally_text(self, tally: AuditTally) -> str:
        if tally.share is None:
            return "no grades"
        return f"{share_text(tally.share)} ({tally.adequate_or_above} of {tally.graded})"

    def periods(self, series: Sequence[AuditSeries]) -> list[HalfYear]:
        return sorted({p.period for one in series for p in one.points})

    def point_text(self, series: AuditSeries, period: HalfYear) -> str:
        for point in series.points:
            if point.period == period:
                return self.tally_text(point.audits)
        return "no grades"

    def versions_in(self, period: HalfYear) -> str:
        """The framework versions in force during a half-year: ``1``, or ``1 and 2``
        for the half-year a revision came into force in."""
        framework = self.programme.framework
        first, last = framework.in_force_on(period.start), framework.in_force_on(period.end)
        return str(first) if first == last else f"{first} and {last}"

    def spans_versions(self, series: Sequence[AuditSeries]) -> bool:
        """Whether the half-years of ``series`` fall under more than one framework version."""
        periods = self.periods(series)
        if not periods or len(self.versions) < 2:
            return False
        framework = self.programme.framework
        return framework.in_force_on(periods[0].start) != framework.in_force_on(periods[-1].end)

    @cached_property
    def latest_versions(self) -> list[tuple[int, int]]:
        """(framework version, how many active teams' latest reviews used it), by version:
        the comparison pages say when teams are compared across versions."""
        counts: dict[int, int] = {}
        for team in self.compared.results.teams:
            if team.latest is not None and not team.closed:
                version = team.latest.record.review.framework_version
                counts[version] = counts.get(version, 0) + 1
        return sorted(counts.items())

    def reviews_in(self, period: HalfYear) -> str:
        """How many reviews were presented in a half-year, and in which boroughs."""
        chosen = [r for r in self.results.reviews if HalfYear.of(r.record.date) == period]
        boroughs = sorted({r.record.borough_id for r in chosen})
        by_borough = [
            f"{self.borough_short(b)} {sum(1 for r in chosen if r.record.borough_id == b)}"
            for b in boroughs
        ]
        return f"{len(chosen)} ({', '.join(by_borough)})" if chosen else "0"

    def reviewer_roles(self, review: ReviewResult) -> str:
        """Reviewers by role only: staff names stay in the content files."""
        roles = [r.role.replace("-", " ") for r in review.record.review.reviewers]
        counts = {role: roles.count(role) for role in roles}
        return ", ".join(role if n == 1 else f"{role} ({n})" for role, n in counts.items())

    def service_title(self, service: str) -> str:
        return service_title(service)

    def domain_title(self, domain: str) -> str:
        for item in self.results.framework.domains:
            if item.id == domain:
                return item.title
        return domain

    def evidence_title(self, source: str) -> str:
        for item in self.results.framework.evidence_sources:
            if item.id == source:
                return item.title
        return source

    def descriptor(self, wording: Wording, label: str) -> str:
        by_label = {self.rules.label(w): text for w, text in wording.descriptors.items()}
        return by_label.get(label, "")

    def wording(self, standard: Standard, version: int | None = None) -> Wording:
        """What ``standard`` says in framework ``version``; by default, and for a version
        without it, its wording in the nearest version that has it (for a retired
        standard, the last)."""
        key = (standard.id, version)
        found = self._wordings.get(key)
        if found is None:
            wanted = self.programme.framework.version if version is None else version
            found = self._wordings[key] = standard.nearest_wording(wanted)
        return found

    def short_name(self, id: str, version: int | None = None) -> str:
        """A few words naming standard ``id`` in framework ``version`` (its title when
        the rulebook gives no short name), or the id alone for a standard it lacks."""
        standard = self.programme.standards.get(id)
        return id if standard is None else self.wording(standard, version).short_name

    def named(self, id: str, version: int | None = None) -> str:
        """``S47 Supervision``: the id and its short name (the id alone without one)."""
        short = self.short_name(id, version)
        return id if short == id else f"{id} {short}"

    def title(self, standard: Standard, version: int | None = None) -> str:
        """The standard's title in framework ``version`` (see ``wording``)."""
        return self.wording(standard, version).title

    @property
    def versions(self) -> list[FrameworkVersion]:
        """The framework's versions with their dates; empty when it lists none."""
        return self.programme.framework.versions

    def version_text(self, version: int) -> str:
        """``version 2 (The Care Act revision, from 1 April 2015)``, or ``version 2``."""
        entry = self.programme.framework.version_entry(version)
        if entry is None:
            return f"version {version}"
        return f"version {version} ({entry.title}, from {day_text(entry.in_force)})"

    def version_heading(self, version: int) -> str:
        """``Version 1: The 2009 framework, from 1 November 2009``, or ``Version 1``."""
        entry = self.programme.framework.version_entry(version)
        if entry is None:
            return f"Version {version}"
        return f"Version {version}: {entry.title}, from {day_text(entry.in_force)}"

    def earlier_wordings(self, standard: Standard) -> list[Wording]:
        """Each wording the standard had before its latest, newest first."""
        latest = self.wording(standard)
        return [
            w
            for w in reversed(standard.wordings(self.programme.framework.version))
            if w.version != latest.version
        ]

    def replaces(self, standard: Standard) -> list[str]:
        """The retired standards whose place ``standard`` took."""
        return [s.id for s in self.programme.standards.values() if standard.id in s.replaced_by]

    def date_range(self, reviews: Sequence[ReviewResult]) -> str:
        if not reviews:
            return "no reviews"
        days = sorted(r.record.date for r in reviews)
        if days[0] == days[-1]:
            return day_text(days[0])
        return f"{day_text(days[0])} to {day_text(days[-1])}"
