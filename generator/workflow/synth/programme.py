"""The shape of an invented programme: boroughs, their teams, which teams close and
which take on their work, and the files of the whole programme.

About one team in eight closes partway, after its first review; its work
passes to a team of the same service, else to a generic one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from generator.model.framework import Framework, Standard
from generator.workflow.synth.meetings import invent_meetings
from generator.workflow.synth.names import BOROUGHS, GENERIC, SERVICES
from generator.workflow.synth.plan import Plan, Synthesised
from generator.workflow.synth.records import Borough, Team
from generator.workflow.synth.review_text import borough_text, review_text, team_text
from generator.workflow.synth.reviews import invent_reviews
from generator.workflow.synth.setting import Setting

# A borough given rather than invented: its id, name and short name.
Council = tuple[str, str, str]


def synthesise(
    framework: Framework,
    standards: Sequence[Standard],
    plan: Plan,
    councils: Sequence[Council] = (),
) -> Synthesised:
    """The files of an invented programme from the catalogue's ``standards``, under the
    framework version in force when ``plan`` starts, without the catalogue itself: pure,
    and the same for the same plan.

    The first boroughs are ``councils``, real ones named by their id, name and short
    name (``qa-site init --example``); the rest are invented."""
    setting = Setting.of(framework, standards, plan)
    files: dict[str, str] = {}
    boroughs = [
        _invent_borough(setting, index, councils[index] if index < len(councils) else None)
        for index in range(plan.boroughs)
    ]
    reviews = meetings = 0
    for borough in boroughs:
        files[f"reviews/{borough.id}/borough.yml"] = borough_text(borough)
        for team in borough.teams:
            folder = f"reviews/{borough.id}/{team.id}"
            files[f"{folder}/team.yml"] = team_text(team)
            for index, review in enumerate(team.reviews):
                previous = team.reviews[index - 1] if index else None
                files[f"{folder}/{review.date.isoformat()}.md"] = review_text(
                    setting, review, previous
                )
                reviews += 1
        for day, text in invent_meetings(setting, borough):
            files[f"reviews/{borough.id}/governance/{day.isoformat()}.md"] = text
            meetings += 1
    teams = sum(len(b.teams) for b in boroughs)
    return Synthesised(files, len(boroughs), teams, reviews, meetings)


def _invent_borough(setting: Setting, index: int, council: Council | None) -> Borough:
    if council is not None:
        borough_id, name, short = council
    else:
        name, short = BOROUGHS[index % len(BOROUGHS)]
        cycle = index // len(BOROUGHS)
        if cycle:
            name, short = f"{name} {cycle + 1}", f"{short}{cycle + 1}"
        borough_id = f"borough-{index + 1:02d}"
    code = f"B{index + 1:02d}"
    teams = [
        _invent_team(setting, borough_id, code, number) for number in range(setting.plan.teams)
    ]
    rng = setting.rng(borough_id)
    # About one team in eight closes: spread evenly over the boroughs.
    per = setting.plan.teams
    closing = (per * (index + 1) + 4) // 8 - (per * index + 4) // 8
    for team in rng.sample(teams, min(closing, len(teams))):
        _close(setting, team)
    staying = [t for t in teams if t.closed is None]
    for team in teams:
        if team.closed is not None and staying and rng.random() < 0.6:
            # Work passes to a team of the same service, else to a generic one.
            alike = [t.id for t in staying if t.service == team.service]
            generic = [t.id for t in staying if t.service.id in GENERIC]
            heirs = alike or generic or [t.id for t in staying]
            team.replaced_by = sorted(rng.sample(heirs, min(len(heirs), rng.randint(1, 2))))
    for team in teams:
        invent_reviews(setting, team)
    return Borough(borough_id, name, short, code, teams)


def _invent_team(setting: Setting, borough_id: str, borough_code: str, number: int) -> Team:
    service = SERVICES[number % len(SERVICES)]
    repeat = number // len(SERVICES) + 1
    team_id = service.id if repeat == 1 else f"{service.id}-{repeat}"
    name = service.name if repeat == 1 else f"{service.name} {repeat}"
    code = service.code if repeat == 1 else f"{service.code}{repeat}"
    rng = setting.rng(borough_id, team_id)
    first = setting.plan.start + dt.timedelta(days=rng.randint(10, 300))
    first = min(first, setting.plan.end)
    established = (first - dt.timedelta(days=rng.randint(200, 5000))).replace(day=1)
    return Team(borough_id, borough_code, team_id, name, service, code, rng, first, established)


def _close(setting: Setting, team: Team) -> None:
    """Close ``team`` partway through the programme, after its first review."""
    span = (setting.plan.end - setting.plan.start).days
    earliest = max(
        setting.plan.start + dt.timedelta(days=span // 4), team.first + dt.timedelta(days=60)
    )
    latest = setting.plan.start + dt.timedelta(days=span * 17 // 20)
    if earliest < latest:
        day = earliest + dt.timedelta(days=team.rng.randint(0, (latest - earliest).days))
        team.closed = min(month_end(day), setting.plan.end)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
