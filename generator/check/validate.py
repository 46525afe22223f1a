"""Validate: turn loaded files into a Programme, collecting every problem.

Each file is checked against its model (``generator.model``), then against the
rules that need other files (``check.rules``): the framework's scale and
versions, the catalogue of standards, the teams of a borough. Nothing stops at
the first problem. This module runs the rules, file kind by file kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.check.context import CheckContext
from generator.check.rules.files import check_folder_id, check_stray, check_stray_folder
from generator.check.rules.framework import check_framework
from generator.check.rules.meetings import check_meetings
from generator.check.rules.organisation import (
    check_borough_file,
    check_replacements,
    check_team_folder,
)
from generator.check.rules.reviews import check_team_reviews
from generator.check.rules.standards import check_standards
from generator.core.collector import holds_collector
from generator.core.problems import FILE, Problem, sort_problems
from generator.load.repository import BoroughFolder, LoadedRepository
from generator.model.framework import Framework
from generator.model.programme import BoroughRecord, Programme, TeamRecord
from generator.privacy.guard import Accepted


@dataclass
class Validation:
    """The outcome: the programme (None when the framework is unusable) and problems."""

    programme: Programme | None
    problems: list[Problem]
    # Personal-data findings a pii-ok marker accepted (see generator/privacy/guard.py).
    accepted: list[Accepted] = field(default_factory=list)
    # The guard's findings among ``problems``, errors and warnings: personal data no
    # marker accepted.
    personal: list[Problem] = field(default_factory=list)


@holds_collector
def validate_repository(loaded: LoadedRepository, as_of: dt.date) -> Validation:
    """Check everything in ``loaded``; ``as_of`` is "today" for future-date rules."""
    ctx = CheckContext(as_of, loaded.derived)
    programme = _check_programme(ctx, loaded)
    return Validation(programme, sort_problems([*loaded.problems, *ctx.problems]))


def _check_programme(ctx: CheckContext, loaded: LoadedRepository) -> Programme | None:
    for path in loaded.stray:
        if path in loaded.stray_contents:
            check_stray_folder(ctx, path, loaded.stray_contents[path])
        else:
            check_stray(ctx, path)
    ctx.stray = set(loaded.stray)

    if loaded.framework is None:
        ctx.error("standards/framework.yml", FILE, "missing: the framework file is required")
    else:
        ctx.framework = ctx.parse(Framework, loaded.framework)
        if ctx.framework is not None:
            check_framework(ctx, ctx.framework)

    ctx.standards = check_standards(ctx, loaded.standards)
    boroughs = {}
    for folder in loaded.boroughs:
        record = _check_borough(ctx, folder)
        if record is not None:
            boroughs[record.id] = record
    if ctx.framework is None:
        return None
    return Programme(ctx.framework, ctx.standards, boroughs)


def _check_borough(ctx: CheckContext, folder: BoroughFolder) -> BoroughRecord | None:
    """A borough's files: its borough.yml, its teams and their reviews, its meetings."""
    ok = check_folder_id(ctx, folder.path, folder.id, "borough")
    borough = check_borough_file(ctx, folder)
    teams: dict[str, TeamRecord] = {}
    for team_folder in folder.teams:
        team = check_team_folder(ctx, folder.id, team_folder)
        if team is not None:
            teams[team.id] = team
    for record in teams.values():
        check_replacements(ctx, record, teams)
    for team_folder in folder.teams:
        reviews = check_team_reviews(ctx, folder.id, teams.get(team_folder.id), team_folder)
        if team_folder.id in teams:
            teams[team_folder.id].reviews = reviews
    meetings = check_meetings(ctx, folder.id, folder.meetings, teams, folder.teams)
    if borough is None or not ok:
        return None
    return BoroughRecord(folder.id, borough, teams, meetings)
