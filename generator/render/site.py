"""The render stage: scored results in, the site's generated pages out.

    load  ->  validate  ->  score  ->  render (this module)  ->  MkDocs builds HTML

Pages are of a few kinds (home, team scorecard, review, standard, meeting,
comparison...), each rendered by its own Jinja2 template in
``site_templates/``. The result is a list of files (Markdown pages, the data
downloads, the chart script and plotly.js) that the MkDocs plugin adds to a
build and ``qa-site render`` writes to a folder: one code path for both.

Only presented reviews are published. Drafts and completed reviews not yet
presented appear nowhere: not on a page, not in a download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
import plotly
import yaml
from markupsafe import Markup, escape

from generator.core.dates import day_text
from generator.core.files import FolderInUse, staged_folder
from generator.core.numbers import counted, score_text, share_decimal, share_text
from generator.core.text import service_title
from generator.export.results import build_export, schema_text, to_csv, to_json
from generator.model.content import Action, Standard
from generator.model.programme import MeetingRecord, Programme
from generator.render import charts
from generator.render.markup import markdown_text, narrative_html
from generator.score.published import published, published_programme
from generator.score.scoring import (
    AuditSeries,
    AuditTally,
    Change,
    HalfYear,
    Results,
    ReviewResult,
    Score,
    TeamResult,
    add_months,
    audit_series,
    is_overdue,
)
from generator.share.comparison import Source, compare_with
from generator.share.datapackage import Package
from generator.share.edition import Edition, unredacted

ASSETS = "assets/qa-site"
TEMPLATES = "site_templates"  # in the repository, beside reviews/ and standards/
RENDER_MARK = ".qa-site-render"  # marks a folder that ``qa-site render`` wrote
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
DUE_SOON_MONTHS = 3


class TemplateProblem(Exception):
    """A template in site_templates/ is missing or broken."""


@dataclass(frozen=True)
class GeneratedFile:
    """A file of the site: text, bytes, or an existing file copied as it is."""

    path: str  # relative to the docs folder, with forward slashes
    content: str | bytes | None = None
    source: Path | None = None
    listed: bool = True  # False: reached by links, never listed in the navigation


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    listed: bool = True  # one of the few pages the navigation lists

    @property
    def url(self) -> str:
        return page_url(self.path)


def page_url(path: str) -> str:
    """The directory URL MkDocs gives a page: ``teams/x/index.md`` -> ``teams/x/``."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative).

    What ``posixpath.relpath`` gives for such paths, without its look at the
    current folder: a large site makes hundreds of thousands of links.
    """
    source = [part for part in from_url.split("/") if part]
    target = [part for part in to_url.split("/") if part]
    common = 0
    for mine, theirs in zip(source, target, strict=False):
        if mine != theirs:
            break
        common += 1
    link = "/".join([".."] * (len(source) - common) + target[common:])
    if not link:
        return "./"
    return link + "/" if to_url == "" or to_url.endswith("/") else link


# --------------------------------------------------------------------------
# Where things live on the site


def team_url(borough: str, team: str) -> str:
    return f"teams/{borough}/{team}/"


def review_url(borough: str, team: str, day: dt.date) -> str:
    return f"teams/{borough}/{team}/{day.isoformat()}/"


def standard_url(standard: str) -> str:
    return f"standards/{standard}/"


def meeting_url(borough: str, day: dt.date) -> str:
    return f"board/{borough}/{day.isoformat()}/"


# --------------------------------------------------------------------------
# What pages list


@dataclass(frozen=True)
class OpenAction:
    """An open action with where it came from, for the programme-wide lists."""

    borough: str
    team: str | None  # None: a governance board action
    source: str  # "Review of 9 December 2010" or "Board meeting of ..."
    source_url: str
    action: Action
    overdue: bool
    day: dt.date  # the review's or the meeting's date


def open_actions(programme: Programme, results: Results) -> list[OpenAction]:
    """Every open action of the presented reviews and the meetings in ``programme``,
    overdue first, then by due date."""
    as_of = results.as_of
    found = []
    for team in results.teams:
        for review in team.history:
            record = review.record
            for action in record.review.actions:
                if action.status == "open":
                    found.append(
                        OpenAction(
                            record.borough_id,
                            record.team_id,
                            f"Review of {day_text(record.date)}",
                            review_url(record.borough_id, record.team_id, record.date),
                            action,
                            is_overdue(action, as_of),
                            record.date,
                        )
                    )
    for meeting in programme.meetings:
        for action in meeting.meeting.actions:
            if action.status == "open":
                found.append(
                    OpenAction(
                        meeting.borough_id,
                        None,
                        f"Board meeting of {day_text(meeting.date)}",
                        meeting_url(meeting.borough_id, meeting.date),
                        action,
                        is_overdue(action, as_of),
                        meeting.date,
                    )
                )
    return sorted(
        found,
        key=lambda a: (not a.overdue, a.action.due, a.borough, a.team or "", a.action.id),
    )


@dataclass(frozen=True)
class ScheduleEntry:
    team: TeamResult
    due: dt.date | None
    state: str  # overdue | due-soon | scheduled | not-reviewed

    @property
    def order(self) -> tuple[int, dt.date, str, str]:
        rank = {"overdue": 0, "not-reviewed": 1, "due-soon": 2, "scheduled": 3}[self.state]
        return (rank, self.due or dt.date.max, self.team.record.borough_id, self.team.record.id)


@dataclass(frozen=True)
class BoardCaseEntry:
    meeting: MeetingRecord
    index: int  # position in the meeting's cases

    @property
    def case(self) -> Any:
        return self.meeting.meeting.cases[self.index]


@dataclass(frozen=True)
class Published:
    """How much of the programme a build publishes."""

    boroughs: int
    teams: int
    reviews: int
    meetings: int

    def __str__(self) -> str:
        return ", ".join(
            [
                counted(self.boroughs, "borough"),
                counted(self.teams, "team"),
                counted(self.reviews, "presented review"),
                counted(self.meetings, "board meeting"),
            ]
        )


def published_counts(programme: Programme, results: Results) -> Published:
    shown = published_programme(programme)
    return Published(
        len(shown.boroughs), len(shown.teams), len(published(results).reviews), len(shown.meetings)
    )


class SiteBuilder:
    """Turns a programme and its published results into the site's pages."""

    def __init__(
        self,
        programme: Programme,
        results: Results,
        templates: Path,
        edition: Edition = "internal",
        packages: Sequence[tuple[str, Package]] = (),
    ) -> None:
        self.edition = edition
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
        self.templates = templates
        self.critical = [s for s in programme.standards.values() if s.critical]
        self._badges: dict[tuple[str | None, bool], Markup] = {}
        self.env = self._environment()
        self.open_actions = open_actions(self.programme, self.results)
        self.board_cases = [
            BoardCaseEntry(meeting, i)
            for meeting in sorted(self.programme.meetings, key=lambda m: (m.date, m.borough_id))
            for i in range(len(meeting.meeting.cases))
        ]

    # ---------------------------------------------------------------- files

    def files(self) -> list[GeneratedFile]:
        pages = self.pages()
        files = [
            GeneratedFile(page.path, self._render_page(page), listed=page.listed)
            for page in pages
        ]
        document = build_export(self.programme, self.results)
        files += [
            GeneratedFile("data/qa-export.json", to_json(document)),
            GeneratedFile("data/qa-export.csv", to_csv(document)),
            GeneratedFile("data/export.schema.json", schema_text()),
            GeneratedFile(f"{ASSETS}/plotly.min.js", source=PLOTLY_JS),
        ]
        assets = self.templates / "assets"
        if assets.is_dir():
            for asset in sorted(assets.rglob("*")):
                # A link could publish any file of the machine: never followed.
                if asset.is_file() and not asset.is_symlink():
                    path = asset.relative_to(assets).as_posix()
                    files.append(GeneratedFile(f"{ASSETS}/{path}", source=asset))
        return files

    def pages(self) -> list[Page]:
        return [
            self._home(),
            self._teams_index(),
            *self._scorecards(),
            *self._review_pages(),
            self._standards_index(),
            *self._standard_pages(),
            self._board_index(),
            *self._meeting_pages(),
            self._case_notes(),
            self._comparison(),
            self._heatmap(),
            self._services(),
            self._actions(),
            self._schedule(),
            self._data(),
        ]

    # ---------------------------------------------------------------- pages

    def _home(self) -> Page:
        overdue = [a for a in self.open_actions if a.overdue]
        schedule = [e for e in self.schedule() if e.state in ("overdue", "due-soon")]
        series = [self._series(None, s.id) for s in self.critical]
        return Page(
            "index.md",
            "Programme dashboard",
            "home.md.j2",
            {
                "schedule": schedule,
                "overdue_actions": overdue,
                "series": series,
                "series_figure": self._series_figure(
                    "Case-audit grades adequate or above, critical standards", series
                )
                if any(s.points for s in series)
                else None,
            },
        )

    def _teams_index(self) -> Page:
        return Page("teams/index.md", "Teams", "teams.md.j2")

    def _scorecards(self) -> Iterable[Page]:
        for team in self.results.teams:
            record = team.record
            yield Page(
                f"teams/{record.borough_id}/{record.id}/index.md",
                f"{record.team.name} ({self.borough_short(record.borough_id)})",
                "scorecard.md.j2",
                {
                    "team": team,
                    "latest": team.latest,
                    "earlier_open": [
                        a
                        for a in self.open_actions
                        if a.borough == record.borough_id
                        and a.team == record.id
                        and (team.latest is None or a.source_url != self._review_link(team.latest))
                    ],
                    "replaced": self._replaced(record.borough_id, record.id),
                    "domain_figure": self._domain_figure(team.latest) if team.latest else None,
                    "trend_figure": self._trend_figure(team) if team.history else None,
                },
                listed=False,
            )

    def _review_pages(self) -> Iterable[Page]:
        for team in self.results.teams:
            for review in team.history:
                record = review.record
                yield Page(
                    f"teams/{record.borough_id}/{record.team_id}/{record.date.isoformat()}.md",
                    f"{team.record.team.name}: review of {day_text(record.date)}",
                    "review.md.j2",
                    {"team": team, "review": review},
                    listed=False,
                )

    def _standards_index(self) -> Page:
        return Page("standards/index.md", "Standards", "standards.md.j2")

    def _standard_pages(self) -> Iterable[Page]:
        boroughs = sorted(self.programme.boroughs)
        for standard in self.programme.standards.values():
            latest = [
                (team, team.latest.standard(standard.id))
                for team in self.results.teams
                if team.latest is not None and team.latest.rates(standard.id)
            ]
            (series,) = audit_series(self.results.reviews, [], [standard.id])[:1]
            counts = [
                sum(1 for _, result in latest if result.rating == label)
                for label in self.rules.labels
            ]
            yield Page(
                f"standards/{standard.id}.md",
                f"{standard.id}: {standard.title}",
                "standard.md.j2",
                {
                    "standard": standard,
                    "latest": latest,
                    "series": series,
                    "counts": counts,
                    "cases": [
                        c for c in self.board_cases if standard.id in c.case.standards
                    ],
                    "distribution_figure": charts.rating_stacks(
                        f"Latest rating of each team on {standard.id}",
                        ["All teams"],
                        self.rules.labels,
                        [[n] for n in counts],
                    )
                    if latest
                    else None,
                    "series_figure": self._series_figure(
                        f"Case-audit grades on {standard.id} adequate or above", [series]
                    )
                    if series.points
                    else None,
                    "boroughs": boroughs,
                },
                listed=False,
            )

    def _board_index(self) -> Page:
        return Page("board/index.md", "Governance board", "board.md.j2")

    def _meeting_pages(self) -> Iterable[Page]:
        for meeting in self.programme.meetings:
            borough = self.programme.boroughs[meeting.borough_id].borough
            yield Page(
                f"board/{meeting.borough_id}/{meeting.date.isoformat()}.md",
                f"{borough.short} governance board, {day_text(meeting.date)}",
                "meeting.md.j2",
                {"meeting": meeting},
                listed=False,
            )

    def _case_notes(self) -> Page:
        by_standard: dict[str, list[BoardCaseEntry]] = {}
        for entry in self.board_cases:
            for standard in entry.case.standards:
                by_standard.setdefault(standard, []).append(entry)
        return Page(
            "board/case-notes.md",
            "Case notes by team and by standard",
            "case-notes.md.j2",
            {"by_standard": dict(sorted(by_standard.items()))},
        )

    def _comparison(self) -> Page:
        boroughs = list(self.compared.programme.boroughs.values())
        latest = {
            b.id: [t.latest for t in self.active_teams(b.id) if t.latest is not None]
            for b in boroughs
        }
        counts = [
            [sum(1 for r in latest[b.id] if r.overall.rating == label) for b in boroughs]
            for label in self.rules.labels
        ]
        shares = {
            (b.id, s.id): sum(
                (r.standard(s.id).audit for r in latest[b.id] if r.rates(s.id)), AuditTally()
            )
            for b in boroughs
            for s in self.critical
        }
        lines = [
            charts.Line(
                s.id,
                [_share_value(shares[(b.id, s.id)]) for b in boroughs],
                [_share_label(shares[(b.id, s.id)]) for b in boroughs],
            )
            for s in self.critical
        ]
        trends = []
        for b in boroughs:
            series = [self._series(b.id, s.id, self.compared.results) for s in self.critical]
            if any(one.points for one in series):
                title = f"{b.borough.short}: case-audit grades adequate or above"
                trends.append((b, series, self._series_figure(title, series)))
        return Page(
            "comparison/index.md",
            "Tri-borough comparison",
            "comparison.md.j2",
            {
                "trends": trends,
                "latest": latest,
                "counts": counts,
                "shares": shares,
                "distribution_figure": charts.rating_stacks(
                    "Latest overall rating of each active team",
                    [b.borough.short for b in boroughs],
                    self.rules.labels,
                    counts,
                ),
                "shares_figure": charts.grouped_shares(
                    "Case-audit grades adequate or above in each team's latest review",
                    [b.borough.short for b in boroughs],
                    lines,
                ),
            },
        )

    def _heatmap(self) -> Page:
        teams = [t for t in self.compared.results.teams if t.latest is not None]
        standards = list(self.programme.standards.values())
        abbreviations = self.abbreviations
        columns = [
            f"{self.borough_short(t.record.borough_id)} {t.record.team.name}"
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
                rating = self.rating_on(team.latest, standard.id)
                row_ranks.append(None if rating is None else self.rules.rank(rating))
                row_texts.append("" if rating is None else abbreviations[rating])
            ranks.append(row_ranks)
            texts.append(row_texts)
        figure = charts.rating_heatmap(
            [s.id for s in standards],
            columns,
            ranks,
            [f"{label} ({abbreviations[label]})" for label in self.rules.labels],
            texts,
        )
        return Page(
            "comparison/standards.md",
            "Standards across all teams",
            "heatmap.md.j2",
            {"teams": teams, "standards": standards, "figure": figure},
        )

    def _services(self) -> Page:
        services: dict[str, list[TeamResult]] = {}
        for team in self.compared.results.teams:
            if not team.closed:
                services.setdefault(team.record.team.service, []).append(team)
        return Page(
            "comparison/services.md",
            "Like-for-like: teams of the same service",
            "services.md.j2",
            {"services": dict(sorted(services.items()))},
        )

    def _actions(self) -> Page:
        return Page("actions.md", "Action plans", "actions.md.j2")

    def _schedule(self) -> Page:
        return Page("schedule.md", "Review schedule", "schedule.md.j2")

    def _data(self) -> Page:
        return Page("data/index.md", "Data downloads", "data.md.j2")

    # ---------------------------------------------------------------- lists

    def schedule(self) -> list[ScheduleEntry]:
        """Every team that still exists, overdue first, then by due date."""
        soon = add_months(self.results.as_of, DUE_SOON_MONTHS)
        entries = []
        for team in self.results.teams:
            if team.closed:
                continue
            due = team.next_review_due
            if team.latest is None:
                state = "not-reviewed"
            elif team.overdue:
                state = "overdue"
            elif due is not None and due <= soon:
                state = "due-soon"
            else:
                state = "scheduled"
            entries.append(ScheduleEntry(team, due, state))
        return sorted(entries, key=lambda e: e.order)

    def actions_by_borough(self) -> list[tuple[str, list[tuple[str | None, list[OpenAction]]]]]:
        """Open actions grouped by borough, then team (board actions last), overdue first."""
        grouped = []
        for borough in self.programme.boroughs:
            mine = [a for a in self.open_actions if a.borough == borough]
            teams: list[tuple[str | None, list[OpenAction]]] = []
            for team in [*self.programme.boroughs[borough].teams, None]:
                actions = [a for a in mine if a.team == team]
                if actions:
                    teams.append((team, actions))
            grouped.append((borough, teams))
        return grouped

    def _replaced(self, borough: str, team: str) -> list[str]:
        """The teams that ``team`` took over from."""
        return [
            other.id
            for other in self.programme.boroughs[borough].teams.values()
            if team in other.team.replaced_by
        ]

    def _series(
        self, borough: str | None, standard: str | None, results: Results | None = None
    ) -> AuditSeries:
        for series in (results or self.results).series:
            if series.borough == borough and series.standard == standard:
                return series
        raise KeyError((borough, standard))

    def _review_link(self, review: ReviewResult) -> str:
        record = review.record
        return review_url(record.borough_id, record.team_id, record.date)

    # ---------------------------------------------------------------- figures

    def _series_figure(self, title: str, series: Sequence[AuditSeries]) -> dict[str, Any]:
        periods = self.periods(series)
        lines = []
        for one in series:
            by_period = {p.period: p.audits for p in one.points}
            tallies = [by_period.get(period, AuditTally()) for period in periods]
            lines.append(
                charts.Line(
                    one.standard or "All standards",
                    [_share_value(t) for t in tallies],
                    [self.tally_text(t) for t in tallies],
                )
            )
        return charts.line_chart(
            title, [p.label for p in periods], lines, "Adequate or above", (0, 105)
        )

    def _domain_figure(self, review: ReviewResult) -> dict[str, Any]:
        scores = [(d.title, d.score) for d in review.domains if d.score is not None]
        return charts.percent_bars(
            f"Domain percentages, review of {day_text(review.record.date)}",
            [title for title, _ in scores],
            [float(score.percent) for _, score in scores],
            [f"{score_text(score.percent)} {score.band}" for _, score in scores],
        )

    def _trend_figure(self, team: TeamResult) -> dict[str, Any]:
        history = [r for r in team.history if r.overall.score is not None]
        return charts.line_chart(
            "Overall percentage at each review",
            [r.record.date.isoformat() for r in history],
            [
                charts.Line(
                    "Overall",
                    [float(r.overall.score.percent) for r in history if r.overall.score],
                    [
                        f"{score_text(r.overall.score.percent)}, rated {r.overall.rating}"
                        for r in history
                        if r.overall.score
                    ],
                )
            ],
            "Overall percentage",
            (0, 105),
        )

    # ---------------------------------------------------------------- helpers for templates

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

    @property
    def due_soon_months(self) -> int:
        return DUE_SOON_MONTHS

    def periods(self, series: Sequence[AuditSeries]) -> list[HalfYear]:
        return sorted({p.period for one in series for p in one.points})

    def point_text(self, series: AuditSeries, period: HalfYear) -> str:
        for point in series.points:
            if point.period == period:
                return self.tally_text(point.audits)
        return "no grades"

    def reviewer_roles(self, review: ReviewResult) -> str:
        """Reviewers by role only: staff names stay in the content files."""
        roles = [r.role.replace("-", " ") for r in review.record.review.reviewers]
        counts = {role: roles.count(role) for role in roles}
        return ", ".join(role if n == 1 else f"{role} ({n})" for role, n in counts.items())

    def service_title(self, service: str) -> str:
        return service_title(service)

    def reviews_in(self, period: HalfYear) -> str:
        """How many reviews were presented in a half-year, and in which boroughs."""
        chosen = [r for r in self.results.reviews if HalfYear.of(r.record.date) == period]
        boroughs = sorted({r.record.borough_id for r in chosen})
        by_borough = [
            f"{self.borough_short(b)} {sum(1 for r in chosen if r.record.borough_id == b)}"
            for b in boroughs
        ]
        return f"{len(chosen)} ({', '.join(by_borough)})" if chosen else "0"

    def domain_title(self, domain: str) -> str:
        for item in self.results.framework.domains:
            if item.id == domain:
                return item.title
        return domain

    def descriptor(self, standard: Standard, label: str) -> str:
        by_label = {self.rules.label(w): text for w, text in standard.descriptors.items()}
        return by_label.get(label, "")

    def guidance(self, standard: Standard) -> str:
        return standard.source.body

    def team_label(self, borough: str, team: str) -> str:
        teams = self.programme.boroughs[borough].teams
        return teams[team].team.name if team in teams else team

    def active_teams(self, borough: str) -> list[TeamResult]:
        teams = self.compared.results.teams
        return [t for t in teams if t.record.borough_id == borough and not t.closed]

    def date_range(self, reviews: Sequence[ReviewResult]) -> str:
        if not reviews:
            return "no reviews"
        days = sorted(r.record.date for r in reviews)
        if days[0] == days[-1]:
            return day_text(days[0])
        return f"{day_text(days[0])} to {day_text(days[-1])}"

    def evidence_title(self, source: str) -> str:
        for item in self.results.framework.evidence_sources:
            if item.id == source:
                return item.title
        return source

    # ---------------------------------------------------------------- rendering

    def _environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(
            md=markdown_text,
            narrative=narrative_html,
            day=day_text,
            percent=score_text,
            share=share_text,
            counted=counted,
            tally=self.tally_text,
        )
        env.globals.update(
            site=self,
            edition=self.edition,
            compared=self.compared,
            programme=self.programme,
            results=self.results,
            rules=self.rules,
            framework=self.results.framework,
            as_of=self.results.as_of,
            critical=self.critical,
            team_url=team_url,
            review_url=review_url,
            standard_url=standard_url,
            meeting_url=meeting_url,
            rating=self._rating_badge,
            change=_change_badge,
            band=_band_text,
            chart=_chart,
            signed=_signed,
            overdue=lambda action: is_overdue(action, self.results.as_of),
            abbreviations=self.abbreviations,
            team_link=self._team_link,
            standard_link=self._standard_link,
            standard_links=self._standard_links,
        )
        return env

    # Links on every row of every table: functions, because a Jinja macro call
    # costs more than the link it writes.

    @jinja2.pass_context
    def _team_link(self, context: jinja2.runtime.Context, borough: str, team: str) -> Markup:
        source = self.source_of(borough)
        if source is not None:  # a partner's team: no scorecard here, so no link
            return Markup('{} <small class="qa-source">(from {}, as of {})</small>').format(
                self.team_name(borough, team), source.package.name, day_text(source.package.as_of)
            )
        href = escape(context["href"](team_url(borough, team)))
        return Markup(f'<a href="{href}">{escape(self.team_name(borough, team))}</a>')

    @jinja2.pass_context
    def _standard_link(
        self, context: jinja2.runtime.Context, id: str, with_title: bool = False
    ) -> Markup:
        href = escape(context["href"](standard_url(id)))
        link = Markup(f'<a href="{href}">{escape(id)}</a>')
        if with_title:
            return link + " " + self.programme.standards[id].title
        return link

    @jinja2.pass_context
    def _standard_links(self, context: jinja2.runtime.Context, ids: Iterable[str]) -> Markup:
        return Markup(", ").join(self._standard_link(context, id) for id in ids)

    def _rating_badge(self, label: str | None, short: bool = False) -> Markup:
        # A few labels, shown tens of thousands of times on a large programme.
        badge = self._badges.get((label, short))
        if badge is None:
            badge = self._badges[(label, short)] = self._make_badge(label, short)
        return badge

    def _make_badge(self, label: str | None, short: bool) -> Markup:
        if label is None:
            return Markup('<span class="qa-rating qa-rating--none">Not rated</span>')
        rank = self.rules.rank(label)
        text = self.abbreviations[label] if short else label
        title = Markup(' title="{}"').format(label) if short else Markup("")
        return Markup('<span class="qa-rating qa-rating--{}"{}>{}</span>').format(rank, title, text)

    def _render_page(self, page: Page) -> str:
        try:
            template = self.env.get_template(page.template)
        except jinja2.TemplateNotFound as error:
            raise TemplateProblem(f"{self.templates}/{error.name}: template not found") from None
        except jinja2.TemplateSyntaxError as error:
            raise TemplateProblem(
                f"{error.filename or page.template}:{error.lineno}: {error.message}"
            ) from None

        def href(url: str) -> str:
            return relative_url(page.url, url)

        try:
            body = template.render(page=page, href=href, **page.context)
        except Exception as error:  # any fault in a template: say which, not a traceback
            raise TemplateProblem(
                f"{self.templates}/{page.template}, rendering {page.path}: "
                f"{type(error).__name__}: {error}"
            ) from None
        # The theme shows titles without escaping them: escape here, once.
        meta = yaml.safe_dump({"title": str(escape(page.title))}, allow_unicode=True, width=10_000)
        return f"---\n{meta}---\n\n{body}"


def _share_label(tally: AuditTally) -> str:
    return "" if tally.share is None else share_text(tally.share)


def _share_value(tally: AuditTally) -> float | None:
    return None if tally.share is None else float(tally.share)


_CHANGE_TEXT = {
    Change.IMPROVED: ("▲", "improved"),
    Change.DECLINED: ("▼", "declined"),
    Change.UNCHANGED: ("=", "unchanged"),
    Change.NEW: ("•", "new"),
}


_CHANGE_BADGES = {
    change: Markup(
        '<span class="qa-change qa-change--{}"><span aria-hidden="true">{}</span> {}</span>'
    ).format(change.value, symbol, text)
    for change, (symbol, text) in _CHANGE_TEXT.items()
}


def _change_badge(change: Change | None) -> Markup:
    return Markup("") if change is None else _CHANGE_BADGES[change]


def _signed(delta: Fraction) -> str:
    """A change in percentage points: ``+4.2``, ``-0.5``, ``0.0``."""
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    return sign + str(share_decimal(abs(delta)))


def _band_text(score: Score) -> str:
    return f"{score.band} band, {score.band_position.value} half"


def _chart(name: str, figure: Mapping[str, Any], caption: str) -> Markup:
    # The figure rides in an attribute, not a <script>: instant navigation
    # re-creates content scripts without their type and would run it as code.
    return Markup(
        '<figure class="qa-chart">\n'
        '<div class="qa-chart__plot" id="chart-{name}" data-qa-figure="{data}"></div>\n'
        "<figcaption>{caption}</figcaption>\n"
        "</figure>"
    ).format(name=name, data=charts.as_json(dict(figure)), caption=caption)


def render_site(
    programme: Programme,
    results: Results,
    templates: Path,
    edition: Edition = "internal",
    packages: Sequence[tuple[str, Package]] = (),
) -> list[GeneratedFile]:
    """Every generated file of ``edition`` of the site, in a stable order.

    For the partner edition, ``programme`` must already be ``for_partners``:
    this only words the pages for the edition, it takes nothing out.
    """
    return SiteBuilder(programme, results, templates, edition, packages).files()


def replace_folder(out: Path, files: Sequence[GeneratedFile]) -> None:
    """Write ``files`` to a new folder, then put it in place of ``out`` in one step.

    ``out`` is replaced only when it is missing, empty, or was written by this
    function before: never a folder of someone's own files.
    """
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / RENDER_MARK).is_file():
        raise FolderInUse(
            f"{out} is not empty and was not written by qa-site render; not replacing it"
        )
    with staged_folder(out) as staging:
        write_files(files, staging)
        (staging / RENDER_MARK).write_text(
            "Written by qa-site render: replaced whole on the next run.\n", encoding="utf-8"
        )


def write_files(files: Sequence[GeneratedFile], out: Path) -> None:
    """Write generated files under ``out``."""
    for item in files:
        target = out / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.source is not None:
            target.write_bytes(item.source.read_bytes())
        elif isinstance(item.content, bytes):
            target.write_bytes(item.content)
        else:
            target.write_text(item.content or "", encoding="utf-8", newline="")
