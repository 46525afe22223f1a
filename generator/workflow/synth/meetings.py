"""Inventing a borough's governance board meetings, every three months, and writing
their minutes: who chaired and attended, the cases discussed (from the teams'
latest presented reviews), service development and the board's actions.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from generator.core.dates import MONTHS, day_text
from generator.score.schedule import add_months
from generator.workflow.synth.names import CHAIRS, OWNERS, REPRESENTATIVE_ROLES
from generator.workflow.synth.records import Action, Borough
from generator.workflow.synth.reviews import follow_up
from generator.workflow.synth.setting import Setting
from generator.workflow.synth.wording import (
    BOARD_ACTIONS,
    BOARD_DECISIONS,
    BOARD_SUMMARIES,
    DEVELOPMENT,
)
from generator.workflow.synth.yaml_text import actions_yaml, counted, flow_list, lowered, scalar


def invent_meetings(setting: Setting, borough: Borough) -> list[tuple[dt.date, str]]:
    rng = setting.rng(borough.id, "governance")
    offset = dt.timedelta(days=9 + 7 * (int(borough.code[1:]) % 3))
    first = setting.plan.start + offset
    days: list[dt.date] = []
    while (day := add_months(first, 3 * len(days))) <= setting.plan.end:
        days.append(day)
    meetings = []
    for index, day in enumerate(days):
        later = days[index + 1] if index + 1 < len(days) else None
        meetings.append((day, _invent_meeting(setting, rng, borough, day, later)))
    return meetings


def _invent_meeting(
    setting: Setting, rng: random.Random, borough: Borough, day: dt.date, later: dt.date | None
) -> str:
    open_teams = [t for t in borough.teams if t.open_on(day)]
    lines = ["---", "chairs:", f"  - {{role: {scalar(rng.choice(CHAIRS), flow=True)}}}"]
    if open_teams and rng.random() < 0.6:
        team = rng.choice(open_teams)
        lines.append(f"  - {{role: Frontline social worker, team: {team.id}}}")
    chosen = [t for t in open_teams if rng.random() < 0.8]
    if chosen:
        lines.append("representatives:")
        for team in chosen:
            role = scalar(rng.choice(REPRESENTATIVE_ROLES), flow=True)
            lines.append(f"  - {{team: {team.id}, role: {role}}}")
    cases = _board_cases(setting, rng, borough, day)
    if cases:
        lines.append("cases:")
    for ref, team_id, standards, summary, decision in cases:
        lines += [
            f"  - ref: {ref}",
            f"    team: {team_id}",
            f"    standards: {flow_list(standards)}",
            f"    summary: {scalar(summary)}",
            f"    decision: {scalar(decision)}",
        ]
    development = rng.sample(DEVELOPMENT, rng.randint(0, 2))
    if development:
        lines.append("development:")
        lines += [
            f"  - {{title: {scalar(t, flow=True)}, note: {scalar(n, flow=True)}}}"
            for t, n in development
        ]
    actions = []
    for number in range(1, rng.randint(0, 2) + 1):
        if cases:
            standards = cases[(number - 1) % len(cases)][2]
        else:
            standards = [rng.choice(setting.standards).id]
        due = day + dt.timedelta(days=rng.randint(20, 120))
        action = Action(
            f"G{number}", standards, rng.choice(BOARD_ACTIONS), rng.choice(OWNERS[3:]), due
        )
        follow_up(setting, rng, action, day, later)
        actions.append(action)
    lines += actions_yaml(actions)
    lines += ["---", *_minutes_text(borough, day, len(chosen), cases, development)]
    return "\n".join(lines) + "\n"


def _board_cases(
    setting: Setting, rng: random.Random, borough: Borough, day: dt.date
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
        topic = lowered(setting.domain(standards[0]))
        summary = rng.choice(BOARD_SUMMARIES).format(topic)
        cases.append((case.ref, team.id, standards, summary, rng.choice(BOARD_DECISIONS)))
    return cases


def _minutes_text(
    borough: Borough,
    day: dt.date,
    representatives: int,
    cases: Sequence[tuple[str, str, list[str], str, str]],
    development: Sequence[tuple[str, str]],
) -> list[str]:
    lines = [
        "## Minutes",
        "",
        f"The {borough.name} governance board met on {day_text(day)}, with "
        f"{counted(representatives, 'team representative')}.",
    ]
    if cases:
        lines += ["", "### Cases"]
        for ref, _team, _standards, summary, decision in cases:
            lines += ["", f"**{ref}.** {summary} {decision}"]
    if development:
        lines += ["", "### Service development", ""]
        lines.append(" ".join(f"{title}: {lowered(note)}" for title, note in development))
    following = add_months(day, 3)
    lines += ["", "### Next meeting", "", f"{MONTHS[following.month - 1]} {following.year}."]
    return lines
