"""Rules for boroughs and teams: each folder has its ``borough.yml`` or
``team.yml``, dates in the right order, and replacements within the borough.
"""

from __future__ import annotations

from generator.check.context import CheckContext
from generator.check.rules.files import check_folder_id, report_missing
from generator.core.matching import did_you_mean
from generator.load.repository import BOROUGH_FILE, TEAM_FILE, BoroughFolder, TeamFolder
from generator.model.organisation import Borough, Team
from generator.model.programme import TeamRecord


def check_borough_file(ctx: CheckContext, folder: BoroughFolder) -> Borough | None:
    """A borough folder has a usable ``borough.yml``; returns it."""
    if folder.borough is None:
        report_missing(
            ctx,
            f"{folder.path}/{BOROUGH_FILE}",
            "missing: every borough folder needs a borough.yml with 'name' and 'short'",
        )
        return None
    return ctx.parse(Borough, folder.borough)


def check_team_folder(ctx: CheckContext, borough_id: str, folder: TeamFolder) -> TeamRecord | None:
    """A team folder is named by an id and has a usable ``team.yml``; returns the team."""
    ok = check_folder_id(ctx, folder.path, folder.id, "team")
    if folder.team is None:
        report_missing(
            ctx,
            f"{folder.path}/{TEAM_FILE}",
            "missing: every team folder needs a team.yml with 'name' and 'service'",
        )
        return None
    team = ctx.parse(Team, folder.team)
    if team is None or not ok:
        return None
    if team.established and team.closed and team.closed < team.established:
        ctx.error(
            team.source,
            ("closed",),
            f"closed before the team was established ({team.established})",
        )
        # Which date is wrong is unknown: check nothing else against them.
        team = team.model_copy(update={"established": None, "closed": None})
        team.attach(folder.team)
    return TeamRecord(folder.id, borough_id, team)


def check_replacements(ctx: CheckContext, record: TeamRecord, teams: dict[str, TeamRecord]) -> None:
    """A team is replaced by other teams of its borough, and only once it has closed."""
    team = record.team
    for index, other in enumerate(team.replaced_by):
        if other == record.id:
            ctx.error(team.source, ("replaced_by", index), "a team cannot replace itself")
        elif other not in teams:
            hint = did_you_mean(other, teams)
            ctx.error(
                team.source,
                ("replaced_by", index),
                f"no team '{other}' in this borough{hint}",
            )
    if team.replaced_by and team.closed is None:
        ctx.warn(
            team.source,
            ("replaced_by",),
            "replaced_by is given but the team has no 'closed' date",
        )
