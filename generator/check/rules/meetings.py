"""Rules for governance board meetings, ``reviews/<borough>/governance/<YYYY-MM-DD>.md``:
chairs, representatives and cases of the borough's teams, and the actions agreed.
"""

from __future__ import annotations

import datetime as dt

from generator.check.context import CheckContext
from generator.check.mending import touched
from generator.check.rules.actions import check_actions
from generator.check.rules.common import check_standard_ref
from generator.check.rules.files import dated_documents
from generator.core.matching import did_you_mean
from generator.load.repository import Loc, SourceDocument, TeamFolder
from generator.model.meeting import Meeting
from generator.model.programme import MeetingRecord, TeamRecord


def check_meetings(
    ctx: CheckContext,
    borough_id: str,
    docs: list[SourceDocument],
    teams: dict[str, TeamRecord],
    folders: list[TeamFolder],
) -> list[MeetingRecord]:
    """Every meeting rule; returns the meetings validated as written."""
    # A team whose team.yml is broken still exists: don't call it unknown.
    team_ids = sorted({f.id for f in folders})
    meetings = []
    for date, doc in dated_documents(ctx, docs):
        parsed = ctx.parse_partial(Meeting, doc)
        meeting = parsed.model
        if meeting is None:
            continue
        check_chairs_given(ctx, meeting, parsed.pruned)
        check_next_meeting(ctx, meeting, date)

        def check_team(
            loc: Loc, team_id: str | None, doc: SourceDocument = doc, date: dt.date = date
        ) -> None:
            check_board_team(ctx, doc, loc, team_id, date, team_ids, teams)

        for index, chair in enumerate(meeting.chairs):
            check_team(("chairs", index, "team"), chair.team)
        for index, rep in enumerate(meeting.representatives):
            check_team(("representatives", index, "team"), rep.team)
        for index, case in enumerate(meeting.cases):
            check_team(("cases", index, "team"), case.team)
            for position, standard_id in enumerate(case.standards):
                loc = ("cases", index, "standards", position)
                check_board_standard(ctx, doc, loc, standard_id, date)
        # Actions name standards of the catalogue; when, is checked below.
        check_actions(ctx, doc, meeting.actions, date, None)
        for index, action in enumerate(meeting.actions):
            for position, standard_id in enumerate(action.standards):
                loc = ("actions", index, "standards", position)
                check_board_standard(ctx, doc, loc, standard_id, date, known=True)
        if parsed.complete:
            meetings.append(MeetingRecord(borough_id, date, meeting, doc.body, doc))
    return meetings


def check_board_standard(
    ctx: CheckContext,
    doc: SourceDocument,
    loc: Loc,
    standard_id: str,
    date: dt.date,
    known: bool = False,
) -> None:
    """A board names a standard of the catalogue that was in the framework by its
    meeting's ``date``: retired ones too, for a case from an earlier review.
    ``known``: the catalogue check was made already."""
    if not known and not check_standard_ref(ctx, doc, loc, standard_id, None):
        return
    standard = ctx.standards.get(standard_id) if ctx.standards else None
    fw = ctx.framework
    if standard is None or fw is None or standard_id in ctx.uncertain_standards:
        return
    version = fw.in_force_on(date)
    if standard.introduced > version:
        entry = fw.version_entry(standard.introduced)
        since = f", in force from {entry.in_force}" if entry is not None else ""
        ctx.error(
            doc,
            loc,
            f"standard '{standard_id}' was introduced in framework version "
            f"{standard.introduced}{since}; on this meeting's date version {version} "
            "was in force",
        )


def check_chairs_given(ctx: CheckContext, meeting: Meeting, pruned: set[Loc]) -> None:
    """Approved minutes name at least one chair."""
    if (
        not meeting.chairs
        and meeting.status != "draft"
        and not any(len(loc) == 1 for loc in pruned)
        and not touched(pruned, "chairs")
    ):
        ctx.error(
            meeting.source,
            ("chairs",),
            "no chair given; approved minutes name at least one chair, by role",
        )


def check_next_meeting(ctx: CheckContext, meeting: Meeting, date: dt.date) -> None:
    """The next meeting the minutes set is after this meeting's date."""
    if meeting.next_meeting is not None and meeting.next_meeting <= date:
        ctx.error(
            meeting.source,
            ("next_meeting",),
            f"{meeting.next_meeting} is not after this meeting's date ({date})",
        )


def check_board_team(
    ctx: CheckContext,
    doc: SourceDocument,
    loc: Loc,
    team_id: str | None,
    date: dt.date,
    team_ids: list[str],
    teams: dict[str, TeamRecord],
) -> None:
    """A team named in a meeting is one of the borough's; a chair's or a
    representative's team has not closed before the meeting (a warning)."""
    if team_id is None:
        return
    if team_id not in team_ids:
        hint = did_you_mean(team_id, team_ids)
        ctx.error(doc, loc, f"no team '{team_id}' in this borough{hint}")
        return
    team = teams.get(team_id)
    closed = team.team.closed if team else None
    # A case may concern a team's past work; chairs and representatives may not.
    if closed and closed < date and loc[0] != "cases":
        ctx.warn(doc, loc, f"team '{team_id}' closed on {closed}, before this meeting")
