"""Synthetic programmes: a whole, valid reviews repository invented from a seed.

For demos, tests and benchmarks. ``write_programme`` copies the rulebook (and
the site's configuration, pages and templates) from a repository, then
``synthesise`` invents boroughs, teams, reviews and governance board meetings
for it. Every invented file is valid by construction: each review is scored
with the product's own rules (``scoring``), and the team's next review falls
exactly when the framework's interval for the overall rating it earned says.

Nothing here reads the clock: every date derives from a fixed start and the
arguments, and every choice is drawn from ``random.Random`` instances seeded
from the seed and the id of what is being invented. The same arguments write
byte-identical files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import random
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import generator
from generator.check.repository import check
from generator.core.dates import MONTHS, day_text
from generator.load.root import ContentRootNotFound, find_root
from generator.model.content import Framework, Standard
from generator.score.scoring import (
    Rules,
    ScoringError,
    add_months,
    limit_rating,
    next_review_due,
    score_ratings,
)

# The programme starts here, unless it is so long that it would not end before
# ENDS_BEFORE: then it starts as many years earlier as it needs.
START = dt.date(2010, 1, 4)
# Everything is dated before this, so the output is valid on any later day.
ENDS_BEFORE = dt.date(2026, 1, 1)

# Copied unchanged from the catalogue's repository, so that the output builds.
SITE_PARTS = ("mkdocs.yml", "docs", "site_templates")


class SynthError(Exception):
    """The programme cannot be written: the folder is in use, or the catalogue is unusable."""


@dataclass(frozen=True)
class Plan:
    """What to invent: how many boroughs, teams per borough and years, from which seed."""

    boroughs: int = 3
    teams: int = 25
    years: int = 10
    seed: int = 1

    @property
    def start(self) -> dt.date:
        return START.replace(year=min(START.year, ENDS_BEFORE.year - 1 - self.years))

    @property
    def end(self) -> dt.date:
        """The programme's last day: nothing is dated after it."""
        return self.start.replace(year=self.start.year + self.years) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Synthesised:
    """The invented files (repository path -> text) and how many of each there are."""

    files: dict[str, str]
    boroughs: int
    teams: int
    reviews: int
    meetings: int

    def summary(self) -> str:
        """``3 boroughs, 75 teams, 1,234 reviews, 120 meetings``."""
        counts = [
            _counted(self.boroughs, "borough"),
            _counted(self.teams, "team"),
            _counted(self.reviews, "review"),
            _counted(self.meetings, "meeting"),
        ]
        return ", ".join(counts)


# --------------------------------------------------------------------------
# Writing a repository


def default_catalogue(cwd: Path) -> Path:
    """The repository found from ``cwd``, else the checkout qa-site runs from."""
    try:
        return find_root(cwd)
    except ContentRootNotFound:
        return Path(generator.__file__).resolve().parents[1]


def write_programme(out: Path, catalogue: Path, plan: Plan) -> Synthesised:
    """Copy the catalogue's rulebook and site into ``out`` (new or empty) and
    write an invented programme beside it. On failure ``out`` is left empty."""
    if not (catalogue / "standards" / "framework.yml").is_file():
        raise SynthError(f"{catalogue} has no standards/framework.yml to copy")
    if out.exists() and not out.is_dir():
        raise SynthError(f"{out} is a file, not a folder for the repository")
    if out.is_dir() and any(out.iterdir()):
        raise SynthError(f"{out} is not empty; synth writes a whole repository into a new folder")
    for name in ("standards", *SITE_PARTS):
        if out.resolve().is_relative_to((catalogue / name).resolve()):
            raise SynthError(f"{out} is inside {catalogue / name}, which is copied into it")
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        _copy_catalogue(catalogue, out)
        framework, standards = _read_catalogue(out, catalogue, plan.end)
        result = synthesise(framework, standards, plan)
        _write_files(out, result.files)
    except BaseException:
        _clear(out, made)
        raise
    return result


def _copy_catalogue(catalogue: Path, out: Path) -> None:
    hidden = shutil.ignore_patterns(".*", "__pycache__")
    for name in ("standards", *SITE_PARTS):
        source = catalogue / name
        if source.is_dir():
            # Bytes only: the same catalogue gives the same files, whatever their times.
            shutil.copytree(source, out / name, ignore=hidden, copy_function=shutil.copyfile)
        elif source.is_file():
            shutil.copyfile(source, out / name)


def _read_catalogue(out: Path, catalogue: Path, as_of: dt.date) -> tuple[Framework, list[Standard]]:
    """The framework and the standards of its current version, as copied."""
    validation = check(out, as_of)
    errors = [p for p in validation.problems if p.is_error]
    if errors or validation.programme is None:
        first = f"; the first: {errors[0].format_text()}" if errors else ""
        raise SynthError(
            f"the catalogue in {catalogue} has {_counted(len(errors), 'error')}{first}; "
            f"see them all with: qa-site validate --root {catalogue}"
        )
    programme = validation.programme
    standards = programme.standards_in(programme.framework.version)
    if not standards:
        raise SynthError(
            f"the catalogue in {catalogue} has no standards in framework version "
            f"{programme.framework.version}"
        )
    return programme.framework, standards


def _write_files(out: Path, files: Mapping[str, str]) -> None:
    folders: set[Path] = set()
    for relative, text in files.items():
        path = out / relative
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_text(text, encoding="utf-8", newline="\n")


def _clear(out: Path, made: bool) -> None:
    """Remove what was written into ``out``, which was new or empty."""
    if made:
        shutil.rmtree(out, ignore_errors=True)
        return
    for entry in out.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


# --------------------------------------------------------------------------
# What the invented programme is made of


@dataclass(frozen=True)
class _Service:
    id: str
    name: str
    code: str  # in case references
    description: str


# The first nine are the services of the sample content; the rest add variety.
SERVICES = (
    _Service(
        "older-people",
        "Older People's Team",
        "OP",
        "Assessment, care management and long-term support for people aged 65 and over "
        "living in the community.",
    ),
    _Service(
        "learning-disability",
        "Learning Disability Team",
        "LD",
        "Integrated with the NHS: social workers, community nurses and therapists work in "
        "one team under one manager.",
    ),
    _Service(
        "mental-health",
        "Mental Health Social Work Team",
        "MH",
        "Social workers and approved mental health professionals in the community mental "
        "health teams.",
    ),
    _Service(
        "physical-disabilities",
        "Physical Disabilities Team",
        "PD",
        "Adults of working age with physical disabilities or sensory impairments.",
    ),
    _Service(
        "hospital",
        "Hospital Social Work Team",
        "HSW",
        "Social workers on the wards of the acute hospitals, planning safe discharge.",
    ),
    _Service(
        "assessment",
        "Assessment Team",
        "AT",
        "First assessments, support planning and reviews for all adult client groups.",
    ),
    _Service(
        "social-work",
        "Social Work Team",
        "SW",
        "Safeguarding enquiries, Court of Protection work and complex long-term casework.",
    ),
    _Service(
        "long-term-support",
        "Long Term Support Team",
        "LTS",
        "Long-term social work with adults whose needs are ongoing.",
    ),
    _Service(
        "access-assessment",
        "Access and Assessment Team",
        "AA",
        "First contact, information and advice, and first assessments for all adults.",
    ),
    _Service(
        "transitions",
        "Transitions Team",
        "TR",
        "Young people moving from children's services to adult social care.",
    ),
    _Service(
        "reablement",
        "Reablement Team",
        "RE",
        "Short-term support to regain independence after an illness or a hospital stay.",
    ),
    _Service(
        "sensory-impairment",
        "Sensory Impairment Team",
        "SI",
        "Specialist assessment and support for people with sight or hearing loss.",
    ),
    _Service(
        "substance-misuse",
        "Substance Misuse Social Work Team",
        "SM",
        "Social workers in the drug and alcohol services run with the NHS.",
    ),
    _Service(
        "review",
        "Review Team",
        "RV",
        "Planned and unplanned reviews of care and support plans.",
    ),
)

# Services that take on the work of any team that closes.
_GENERIC = ("assessment", "social-work", "long-term-support", "access-assessment")

# Invented councils and their short names; cycled, with a number, when more are needed.
BOROUGHS = (
    ("Ashworth Vale", "AV"),
    ("Brackenhurst", "BRK"),
    ("Coldwater", "CW"),
    ("Dunmere", "DUN"),
    ("Eastholme", "EH"),
    ("Fernleigh", "FL"),
    ("Greywell", "GW"),
    ("Hollinbrook", "HB"),
    ("Kestrel Heath", "KH"),
    ("Lydmoor", "LYD"),
    ("Marrowby", "MBY"),
    ("Northwold", "NW"),
)

# Reviewers by the role they review in; the lead is always one of the first.
_LEADS = ("Reviewer 1", "Reviewer 2", "Reviewer 3", "Reviewer 4")
_SPECIALISTS = (
    ("Reviewer 5", "capacity-specialist"),
    ("Reviewer 6", "capacity-specialist"),
    ("Reviewer 7", "safeguarding-specialist"),
    ("Reviewer 8", "safeguarding-specialist"),
    ("Reviewer 9", "independent"),
)
_OWNERS = (
    "Team manager",
    "Team manager",
    "Team manager",
    "Service manager",
    "Principal social worker",
    "Practice development lead",
)
_CHAIRS = (
    "Head of adult social care",
    "Head of community assessment and social work",
    "Principal social worker",
)
_REPRESENTATIVE_ROLES = ("Social worker", "Senior social worker", "Senior practitioner")
_LOW_NOTES = (
    "Practice was inconsistent across the team.",
    "Not evidenced in most of the records we read.",
    "Several of the audited cases fell short of the standard.",
    "Managers knew of the gap but had no plan to close it.",
    "Workers described good intentions that the records did not bear out.",
)
_HIGH_NOTES = (
    "A clear strength, consistent in every case we audited.",
    "People we met spoke highly of the team on this.",
    "Well evidenced in the records and in interviews with workers.",
    "Improved since the last review and now part of everyday practice.",
)
_SINGLE_ACTIONS = (
    "Improve practice so that {}.",
    "Audit five cases a month until {}.",
    "Run a practice workshop, then re-audit, so that {}.",
    "Agree in each worker's supervision how to make sure that {}.",
)
_DOMAIN_ACTIONS = (
    "Improve practice in {}, auditing five cases a month and reporting to the service manager.",
    "Agree a team improvement plan for {} and re-audit in three months.",
    "Arrange practice development sessions on {} for every worker.",
)
_BOARD_SUMMARIES = (
    "The family raised concerns about {}; the worker asked the board for a view.",
    "A complex case in which {} was disputed between the team and a partner agency.",
    "The case audit found weaknesses in {}; brought to the board for learning.",
    "An update on a case considered before, on progress with {}.",
)
_BOARD_DECISIONS = (
    "The service manager to review the case within four weeks and report back.",
    "Refer to the principal social worker for a practice review and share the learning.",
    "No further action by the board: the team's plan is sound.",
    "The capacity specialist to support the worker; report to the next meeting.",
    "Escalate to the head of service and the partner agency's lead.",
)
_DEVELOPMENT = (
    ("Overview assessment form", "Shortened after consultation with practitioners."),
    ("Supervision policy", "Revised to a four-weekly standard with a reflective template."),
    ("Case recording guidance", "New guidance on chronologies agreed."),
    ("Carers' assessments", "Joint work with the carers' centre to offer more of them."),
    ("Direct payments", "The support service was re-procured; uptake to be reported quarterly."),
    ("Practice week", "Managers to observe practice and give feedback in every team."),
    ("Mental Capacity Act training", "Refresher training booked for all practitioners."),
    ("Caseload weighting", "A weighting tool is being piloted in two teams."),
)
_BOARD_ACTIONS = (
    "Report the outcome of the case to the board.",
    "Share the learning from the case discussion with every team.",
    "Update the practice guidance in the light of the case.",
)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _counted(number: int, noun: str) -> str:
    """``1,234 reviews``, ``1 meeting``."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _lowered(title: str) -> str:
    """A title to go inside a sentence: 'Safeguarding adults' -> 'safeguarding adults'."""
    if len(title) > 1 and title[1].isupper():  # an acronym: IMCA, DoLS
        return title
    return title[:1].lower() + title[1:]


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,;'()/&-]*")
_YAML_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null"}


def _scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML value: plain where YAML reads it back unchanged, else quoted."""
    plain = (
        _PLAIN.fullmatch(text) is not None
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and text.lower() not in _YAML_WORDS
        and not (flow and any(c in text for c in ",[]{}"))
    )
    # A JSON string is a YAML double-quoted scalar.
    return text if plain else json.dumps(text, ensure_ascii=False)


def _flow_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(_scalar(item, flow=True) for item in items) + "]"


@dataclass
class _Case:
    ref: str
    worker: str
    interviewed: list[str]
    record_reviewed: bool
    grades: dict[str, str]


@dataclass
class _Action:
    id: str
    standards: list[str]
    action: str
    owner: str
    due: dt.date
    status: str = "open"
    completed: dt.date | None = None


@dataclass
class _Review:
    date: dt.date
    positions: dict[str, int]  # standard id -> place on the scale, 0 the worst
    ratings: dict[str, str]  # standard id -> label
    overall: str
    limited_by: tuple[str, ...]
    status: str = "presented"
    reviewers: list[tuple[str, str]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    notes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    blank: set[str] = field(default_factory=set)  # left unrated in a draft
    cases: list[_Case] = field(default_factory=list)
    actions: list[_Action] = field(default_factory=list)


@dataclass
class _Team:
    borough_id: str
    borough_code: str
    id: str
    name: str
    service: _Service
    code: str
    rng: random.Random
    first: dt.date  # the first review
    established: dt.date
    closed: dt.date | None = None
    replaced_by: list[str] = field(default_factory=list)
    reviews: list[_Review] = field(default_factory=list)

    def open_on(self, day: dt.date) -> bool:
        return self.established <= day and (self.closed is None or day <= self.closed)


@dataclass
class _Borough:
    id: str
    name: str
    short: str
    code: str
    teams: list[_Team]


# --------------------------------------------------------------------------
# Inventing

# Where teams' quality settles on average, as a share of the scale from the worst label.
_CENTRE = 0.5


def synthesise(framework: Framework, standards: Sequence[Standard], plan: Plan) -> Synthesised:
    """The files of an invented programme for ``standards`` (those of the framework's
    current version), without the catalogue itself: pure, and the same for the same plan."""
    return _Synthesiser(framework, standards, plan).run()


class _Synthesiser:
    def __init__(self, framework: Framework, standards: Sequence[Standard], plan: Plan) -> None:
        try:
            self.rules = Rules.from_framework(framework)
        except ScoringError as error:
            raise SynthError(str(error)) from None
        self.framework = framework
        self.plan = plan
        self.standards = sorted(standards, key=lambda s: s.id)
        self.by_id = {s.id: s for s in self.standards}
        self.critical = [s.id for s in self.standards if s.critical]
        self.worst_first = list(reversed(self.rules.labels))
        self.line = self.rules.rank(self.rules.adequate_or_above)
        self.domains = {d.id: d.title for d in framework.domains}
        self.evidence = [e.id for e in framework.evidence_sources]
        common = random.Random(f"{plan.seed}:standards")
        # Some standards are harder to meet than others, everywhere.
        self.difficulty = {s.id: common.gauss(0, 0.3) for s in self.standards}

    def _rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.plan.seed, *parts)))

    def run(self) -> Synthesised:
        files: dict[str, str] = {}
        boroughs = [self._invent_borough(index) for index in range(self.plan.boroughs)]
        reviews = meetings = 0
        for borough in boroughs:
            files[f"reviews/{borough.id}/borough.yml"] = self._render_borough(borough)
            for team in borough.teams:
                folder = f"reviews/{borough.id}/{team.id}"
                files[f"{folder}/team.yml"] = self._render_team(team)
                for index, review in enumerate(team.reviews):
                    previous = team.reviews[index - 1] if index else None
                    files[f"{folder}/{review.date.isoformat()}.md"] = self._render_review(
                        review, previous
                    )
                    reviews += 1
            for day, text in self._invent_meetings(borough):
                files[f"reviews/{borough.id}/governance/{day.isoformat()}.md"] = text
                meetings += 1
        teams = sum(len(b.teams) for b in boroughs)
        return Synthesised(files, len(boroughs), teams, reviews, meetings)

    # -- boroughs and teams -------------------------------------------------

    def _invent_borough(self, index: int) -> _Borough:
        name, short = BOROUGHS[index % len(BOROUGHS)]
        cycle = index // len(BOROUGHS)
        if cycle:
            name, short = f"{name} {cycle + 1}", f"{short}{cycle + 1}"
        borough_id = f"borough-{index + 1:02d}"
        code = f"B{index + 1:02d}"
        teams = [self._invent_team(borough_id, code, number) for number in range(self.plan.teams)]
        rng = self._rng(borough_id)
        # About one team in eight closes: spread evenly over the boroughs.
        per = self.plan.teams
        closing = (per * (index + 1) + 4) // 8 - (per * index + 4) // 8
        for team in rng.sample(teams, min(closing, len(teams))):
            self._close(team)
        staying = [t for t in teams if t.closed is None]
        for team in teams:
            if team.closed is not None and staying and rng.random() < 0.6:
                # Work passes to a team of the same service, else to a generic one.
                alike = [t.id for t in staying if t.service == team.service]
                generic = [t.id for t in staying if t.service.id in _GENERIC]
                heirs = alike or generic or [t.id for t in staying]
                team.replaced_by = sorted(rng.sample(heirs, min(len(heirs), rng.randint(1, 2))))
        for team in teams:
            self._invent_reviews(team)
        return _Borough(borough_id, name, short, code, teams)

    def _invent_team(self, borough_id: str, borough_code: str, number: int) -> _Team:
        service = SERVICES[number % len(SERVICES)]
        repeat = number // len(SERVICES) + 1
        team_id = service.id if repeat == 1 else f"{service.id}-{repeat}"
        name = service.name if repeat == 1 else f"{service.name} {repeat}"
        code = service.code if repeat == 1 else f"{service.code}{repeat}"
        rng = self._rng(borough_id, team_id)
        first = self.plan.start + dt.timedelta(days=rng.randint(10, 300))
        first = min(first, self.plan.end)
        established = (first - dt.timedelta(days=rng.randint(200, 5000))).replace(day=1)
        return _Team(
            borough_id, borough_code, team_id, name, service, code, rng, first, established
        )

    def _close(self, team: _Team) -> None:
        """Close ``team`` partway through the programme, after its first review."""
        span = (self.plan.end - self.plan.start).days
        earliest = max(
            self.plan.start + dt.timedelta(days=span // 4), team.first + dt.timedelta(days=60)
        )
        latest = self.plan.start + dt.timedelta(days=span * 17 // 20)
        if earliest < latest:
            day = earliest + dt.timedelta(days=team.rng.randint(0, (latest - earliest).days))
            team.closed = min(_month_end(day), self.plan.end)

    # -- reviews ------------------------------------------------------------

    def _invent_reviews(self, team: _Team) -> None:
        rng = team.rng
        top = len(self.worst_first) - 1
        # A latent quality on the scale (0 the worst label) that drifts towards
        # the middle, with a trend of its own: some teams improve, some decline.
        centre = min(max(rng.gauss(top * _CENTRE, top * 0.17), 0.2), top - 0.2)
        quality = min(max(centre + rng.gauss(0, top * 0.1), 0.0), float(top))
        trend = rng.gauss(0.0, 0.04) * top
        fit = {s.id: rng.gauss(0, 0.3) for s in self.standards}
        day = team.first
        while day <= self.plan.end and (team.closed is None or day < team.closed):
            positions = {
                s.id: min(
                    max(round(quality + self.difficulty[s.id] + fit[s.id] + rng.gauss(0, 0.45)), 0),
                    top,
                )
                for s in self.standards
            }
            ratings = {sid: self.worst_first[p] for sid, p in positions.items()}
            overall, limited_by = self._overall(ratings)
            team.reviews.append(_Review(day, positions, ratings, overall, limited_by))
            # A poor rating brings support, as well as an early re-review.
            quality += trend + 0.15 * (centre - quality) + rng.gauss(0, 0.07) * top
            if overall == self.rules.lowest:
                quality += 0.1 * top
            quality = min(max(quality, 0.0), float(top))
            following = next_review_due(day, overall, self.rules)
            if following is None:
                break
            day = following
        if team.closed is None and len(team.reviews) >= 2 and rng.random() < 0.1:
            team.reviews[-1].status = rng.choice(("completed", "draft"))
        for index, review in enumerate(team.reviews):
            later = team.reviews[index + 1].date if index + 1 < len(team.reviews) else None
            self._fill_review(team, review, later)

    def _overall(self, ratings: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
        """The overall rating exactly as ``scoring.score_review`` works it out."""
        score = score_ratings([self.rules.values[label] for label in ratings.values()], self.rules)
        assert score is not None  # every standard is rated
        return limit_rating(score.band, ratings, self.critical, self.rules)

    def _needs_action(self, standard_id: str, label: str) -> bool:
        """Inadequate, or critical and at or below the adequate-or-above line."""
        if label == self.rules.lowest:
            return True
        return self.by_id[standard_id].critical and self.rules.rank(label) >= self.line

    def _fill_review(self, team: _Team, review: _Review, later: dt.date | None) -> None:
        rng = team.rng
        review.reviewers = [(rng.choice(_LEADS), "lead")]
        review.reviewers += rng.sample(_SPECIALISTS, rng.randint(0, 2))
        review.evidence = [e for e in self.evidence if rng.random() < 0.85] or self.evidence[:1]
        if review.status == "draft":
            review.blank = {s.id for s in self.standards if rng.random() < 0.3}
        for standard_id in rng.sample(list(review.ratings), min(3, rng.randint(0, 3))):
            self._note(rng, review, standard_id)
        review.cases = self._invent_cases(team, review)
        review.actions = self._invent_actions(rng, review, later)

    def _note(self, rng: random.Random, review: _Review, standard_id: str) -> None:
        if standard_id in review.blank:
            return
        place = review.positions[standard_id]
        notes = _LOW_NOTES if place <= len(self.worst_first) // 2 - 1 else _HIGH_NOTES
        sources = [e for e in self.by_id[standard_id].evidence if e in review.evidence]
        evidence = sorted(rng.sample(sources, min(len(sources), rng.randint(0, 2))))
        review.notes[standard_id] = (rng.choice(notes), evidence)

    def _invent_cases(self, team: _Team, review: _Review) -> list[_Case]:
        rng = team.rng
        top = len(self.worst_first) - 1
        others = [s.id for s in self.standards if not s.critical]
        count = rng.randint(4, 10)
        # Case references run on through the year, so no two reviews share one.
        earlier = sum(
            len(r.cases)
            for r in team.reviews
            if r.date.year == review.date.year and r.date < review.date
        )
        cases = []
        for number in range(1, count + 1):
            size = rng.randint(3, 8)
            critical = rng.sample(
                self.critical,
                rng.randint(min(2, len(self.critical)), min(size, len(self.critical))),
            )
            shown = critical + rng.sample(others, min(len(others), size - len(critical)))
            grades = {
                sid: self.worst_first[
                    min(max(round(review.positions[sid] + rng.gauss(0, 0.7)), 0), top)
                ]
                for sid in sorted(shown)
            }
            interviewed = ["worker"] + [
                who
                for who, chance in (("supervisor", 0.85), ("user", 0.7), ("carer", 0.4))
                if rng.random() < chance
            ]
            ref = f"{team.borough_code}-{team.code}-{review.date.year}-{earlier + number:02d}"
            cases.append(_Case(ref, f"W{number:02d}", interviewed, rng.random() < 0.92, grades))
        return cases

    def _invent_actions(
        self, rng: random.Random, review: _Review, later: dt.date | None
    ) -> list[_Action]:
        rated = {sid: label for sid, label in review.ratings.items() if sid not in review.blank}
        needed = [sid for sid, label in rated.items() if self._needs_action(sid, label)]
        groups: list[list[str]] = []
        for sid in needed:
            same = [g for g in groups if len(g) < 2 and self._domain(g[0]) == self._domain(sid)]
            if same:
                same[0].append(sid)
            else:
                groups.append([sid])
        # Now and then, an action on a standard that needed none.
        spare = [sid for sid in rated if sid not in needed and review.positions[sid] <= 1]
        if spare and rng.random() < 0.5:
            groups.append([rng.choice(spare)])
        actions = []
        for number, group in enumerate(groups, start=1):
            if len(group) == 1:
                title = _lowered(self.by_id[group[0]].title)
                text = rng.choice(_SINGLE_ACTIONS).format(title)
            else:
                text = rng.choice(_DOMAIN_ACTIONS).format(_lowered(self._domain(group[0])))
            due = review.date + dt.timedelta(days=rng.randint(30, 180))
            action = _Action(f"A{number}", group, text, rng.choice(_OWNERS), due)
            if review.status == "presented":
                self._progress(rng, action, review.date, later)
            actions.append(action)
        return actions

    def _domain(self, standard_id: str) -> str:
        domain = self.by_id[standard_id].domain
        return self.domains.get(domain, domain)

    def _progress(
        self, rng: random.Random, action: _Action, day: dt.date, later: dt.date | None
    ) -> None:
        """Mark most actions due before the end done, by the next review or meeting."""
        end = self.plan.end
        if action.due >= end or rng.random() >= 0.85:
            return
        done = action.due + dt.timedelta(days=rng.randint(-40, 25))
        done = min(done, later or end, end)
        action.status = "done"
        action.completed = max(done, day + dt.timedelta(days=1))

    # -- meetings -----------------------------------------------------------

    def _invent_meetings(self, borough: _Borough) -> list[tuple[dt.date, str]]:
        rng = self._rng(borough.id, "governance")
        offset = dt.timedelta(days=9 + 7 * (int(borough.code[1:]) % 3))
        first = self.plan.start + offset
        days: list[dt.date] = []
        while (day := add_months(first, 3 * len(days))) <= self.plan.end:
            days.append(day)
        meetings = []
        for index, day in enumerate(days):
            later = days[index + 1] if index + 1 < len(days) else None
            meetings.append((day, self._invent_meeting(rng, borough, day, later)))
        return meetings

    def _invent_meeting(
        self, rng: random.Random, borough: _Borough, day: dt.date, later: dt.date | None
    ) -> str:
        open_teams = [t for t in borough.teams if t.open_on(day)]
        lines = ["---", "chairs:", f"  - {{role: {_scalar(rng.choice(_CHAIRS), flow=True)}}}"]
        if open_teams and rng.random() < 0.6:
            team = rng.choice(open_teams)
            lines.append(f"  - {{role: Frontline social worker, team: {team.id}}}")
        chosen = [t for t in open_teams if rng.random() < 0.8]
        if chosen:
            lines.append("representatives:")
            for team in chosen:
                role = _scalar(rng.choice(_REPRESENTATIVE_ROLES), flow=True)
                lines.append(f"  - {{team: {team.id}, role: {role}}}")
        cases = self._board_cases(rng, borough, day)
        if cases:
            lines.append("cases:")
        for ref, team_id, standards, summary, decision in cases:
            lines += [
                f"  - ref: {ref}",
                f"    team: {team_id}",
                f"    standards: {_flow_list(standards)}",
                f"    summary: {_scalar(summary)}",
                f"    decision: {_scalar(decision)}",
            ]
        development = rng.sample(_DEVELOPMENT, rng.randint(0, 2))
        if development:
            lines.append("development:")
            lines += [
                f"  - {{title: {_scalar(t, flow=True)}, note: {_scalar(n, flow=True)}}}"
                for t, n in development
            ]
        actions = []
        for number in range(1, rng.randint(0, 2) + 1):
            if cases:
                standards = cases[(number - 1) % len(cases)][2]
            else:
                standards = [rng.choice(self.standards).id]
            due = day + dt.timedelta(days=rng.randint(20, 120))
            action = _Action(
                f"G{number}", standards, rng.choice(_BOARD_ACTIONS), rng.choice(_OWNERS[3:]), due
            )
            self._progress(rng, action, day, later)
            actions.append(action)
        lines += self._render_actions(actions)
        lines += ["---", *self._render_minutes(borough, day, len(chosen), cases, development)]
        return "\n".join(lines) + "\n"

    def _board_cases(
        self, rng: random.Random, borough: _Borough, day: dt.date
    ) -> list[tuple[str, str, list[str], str, str]]:
        """Cases from the teams' latest presented reviews before ``day``."""
        cases = []
        seen: set[str] = set()
        for _ in range(rng.randint(0, 3)):
            team = rng.choice(borough.teams)
            earlier = [r for r in team.reviews if r.date < day and r.status == "presented"]
            if not earlier:
                continue
            case = rng.choice(earlier[-1].cases)
            if case.ref in seen:
                continue
            seen.add(case.ref)
            grades = sorted(case.grades)
            standards = sorted(rng.sample(grades, min(len(grades), rng.randint(1, 3))))
            topic = _lowered(self._domain(standards[0]))
            summary = rng.choice(_BOARD_SUMMARIES).format(topic)
            cases.append((case.ref, team.id, standards, summary, rng.choice(_BOARD_DECISIONS)))
        return cases

    # -- rendering ----------------------------------------------------------

    def _render_borough(self, borough: _Borough) -> str:
        return f"name: {_scalar(borough.name)}\nshort: {_scalar(borough.short)}\n"

    def _render_team(self, team: _Team) -> str:
        lines = [
            f"name: {_scalar(team.name)}",
            f"service: {team.service.id}",
            f"description: {_scalar(team.service.description)}",
            f"established: {team.established.isoformat()}",
        ]
        if team.closed is not None:
            lines.append(f"closed: {team.closed.isoformat()}")
        if team.replaced_by:
            lines.append(f"replaced_by: {_flow_list(team.replaced_by)}")
        return "\n".join(lines) + "\n"

    def _render_review(self, review: _Review, previous: _Review | None) -> str:
        lines = [
            "---",
            f"status: {review.status}",
            f"framework_version: {self.framework.version}",
            "reviewers:",
        ]
        lines += [f"  - {{name: {name}, role: {role}}}" for name, role in review.reviewers]
        lines += [f"evidence: {_flow_list(review.evidence)}", "ratings:"]
        for standard_id, label in review.ratings.items():
            if standard_id in review.blank:
                lines.append(f"  {standard_id}:")
            elif standard_id in review.notes:
                note, evidence = review.notes[standard_id]
                extra = f", evidence: {_flow_list(evidence)}" if evidence else ""
                lines.append(
                    f"  {standard_id}: {{rating: {_scalar(label, flow=True)}, "
                    f"note: {_scalar(note, flow=True)}{extra}}}"
                )
            else:
                lines.append(f"  {standard_id}: {_scalar(label)}")
        lines.append("cases:")
        for case in review.cases:
            grades = ", ".join(f"{s}: {_scalar(g, flow=True)}" for s, g in case.grades.items())
            lines += [
                f"  - ref: {case.ref}",
                f"    worker: {case.worker}",
                f"    interviewed: {_flow_list(case.interviewed)}",
                f"    record_reviewed: {'true' if case.record_reviewed else 'false'}",
                f"    grades: {{{grades}}}",
            ]
        lines += self._render_actions(review.actions)
        lines += ["---", *self._render_findings(review, previous)]
        return "\n".join(lines) + "\n"

    def _render_actions(self, actions: Sequence[_Action]) -> list[str]:
        if not actions:
            return ["actions: []"]
        lines = ["actions:"]
        for action in actions:
            lines += [
                f"  - id: {action.id}",
                f"    standards: {_flow_list(action.standards)}",
                f"    action: {_scalar(action.action)}",
                f"    owner: {_scalar(action.owner)}",
                f"    due: {action.due.isoformat()}",
                f"    status: {action.status}",
            ]
            if action.completed is not None:
                lines.append(f"    completed: {action.completed.isoformat()}")
        return lines

    def _render_findings(self, review: _Review, previous: _Review | None) -> list[str]:
        if review.status == "draft":
            return ["## Findings", "", "### Strengths", "", "### Areas for improvement"]
        cases = len(review.cases)
        opening = (
            f"We audited {cases} cases, one per social worker, read their records and "
            "interviewed workers, supervisors, people who use the service and carers."
        )
        if previous is None:
            verdict = f"This was the team's first review: it is rated {review.overall}."
        else:
            change = self.rules.rank(previous.overall) - self.rules.rank(review.overall)
            since = f"at the review of {day_text(previous.date)}"
            if change > 0:
                verdict = f"The team is rated {review.overall}, up from {previous.overall} {since}."
            elif change < 0:
                verdict = (
                    f"The team is rated {review.overall}, down from {previous.overall} {since}."
                )
            else:
                verdict = f"The team is rated {review.overall}, as it was {since}."
        by_domain: dict[str, list[int]] = {}
        for standard in self.standards:
            by_domain.setdefault(standard.domain, []).append(review.positions[standard.id])
        ranked = sorted(by_domain, key=lambda d: sum(by_domain[d]) / len(by_domain[d]))
        best, worst = self.domains.get(ranked[-1], ranked[-1]), self.domains.get(ranked[0], "")
        strength = (
            f"{best} was the team's strongest area, and the people we met valued the "
            "workers who supported them."
        )
        weakness = f"{worst} needs the most attention."
        if review.limited_by:
            which = ", ".join(review.limited_by)
            weakness += (
                f" The overall rating is limited to {review.overall} because the critical "
                f"{'standard' if len(review.limited_by) == 1 else 'standards'} {which} "
                f"{'is' if len(review.limited_by) == 1 else 'are'} rated {self.rules.lowest}."
            )
        if review.actions:
            weakness += (
                " The action plan agreed with the service manager has "
                f"{_counted(len(review.actions), 'action')}."
            )
        return [
            "## Findings",
            "",
            f"{opening} {verdict}",
            "",
            "### Strengths",
            "",
            strength,
            "",
            "### Areas for improvement",
            "",
            weakness,
        ]

    def _render_minutes(
        self,
        borough: _Borough,
        day: dt.date,
        representatives: int,
        cases: Sequence[tuple[str, str, list[str], str, str]],
        development: Sequence[tuple[str, str]],
    ) -> list[str]:
        lines = [
            "## Minutes",
            "",
            f"The {borough.name} governance board met on {day_text(day)}, with "
            f"{_counted(representatives, 'team representative')}.",
        ]
        if cases:
            lines += ["", "### Cases"]
            for ref, _team, _standards, summary, decision in cases:
                lines += ["", f"**{ref}.** {summary} {decision}"]
        if development:
            lines += ["", "### Service development", ""]
            lines.append(" ".join(f"{title}: {_lowered(note)}" for title, note in development))
        following = add_months(day, 3)
        lines += ["", "### Next meeting", "", f"{MONTHS[following.month - 1]} {following.year}."]
        return lines
