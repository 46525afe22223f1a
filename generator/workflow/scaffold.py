"""New content files, ready to fill in: what ``qa-site new`` writes.

Each function returns the text of one file. A scaffolded review or meeting is
a draft that validates as it stands: every blank is a blank the validator
accepts in a draft (a rating, a case reference) and refuses once the status
says the work is finished. Nothing here invents data: a scaffold never holds
a made-up case reference, name or rating that could be published by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

import yaml

from generator.model.framework import Framework, Standard
from generator.model.meeting import Meeting
from generator.model.programme import MeetingRecord, Programme, ReviewRecord
from generator.workflow import new_ids

# Where the comments start, so a reviewer reads them as a column.
_COMMENT_COLUMN = 24


def _flow(mapping: dict[str, Any]) -> str:
    """``{role: Head of service, team: social-work}``: one YAML line, quoted where needed."""
    text: str = yaml.safe_dump(
        mapping, default_flow_style=True, sort_keys=False, width=10_000, allow_unicode=True
    )
    return text.strip()


def _line(text: str, comment: str = "") -> str:
    if not comment:
        return text
    comment = " ".join(comment.split())
    return f"{text.ljust(_COMMENT_COLUMN - 1)} # {comment}"


def draft_review(
    programme: Programme, borough_id: str, team_id: str, day: dt.date, workers: int | None = None
) -> tuple[str, str]:
    """(path, text) of a new draft review of a team on ``day``, under the rulebook in
    force that day: ``review_file`` for one of the programme's open teams, with as many
    case audits as its last review had when ``workers`` is None."""
    team = new_ids.team_to_review(programme, borough_id, team_id, day)
    # The rulebook in force on the review's date, not necessarily the latest.
    version = programme.framework.in_force_on(day)
    text = review_file(
        programme.framework,
        programme.standards_in(version),
        team.team.name,
        programme.boroughs[borough_id].borough.name,
        workers if workers is not None else case_count(team.reviews[-1] if team.reviews else None),
        version,
    )
    return f"reviews/{borough_id}/{team_id}/{day.isoformat()}.md", text


def draft_minutes(programme: Programme, borough_id: str, day: dt.date) -> tuple[str, str]:
    """(path, text) of draft minutes of a borough's board meeting on ``day``, carrying
    over the chairs and representatives of its meeting before."""
    borough = new_ids.find_borough(programme, borough_id, new_ids.BOROUGH)
    earlier = [m for m in borough.meetings if m.date < day]
    text = meeting_file(
        earlier[-1] if earlier else None, borough.borough.name, new_ids.open_teams(borough, day)
    )
    return f"reviews/{borough_id}/governance/{day.isoformat()}.md", text


def review_file(
    framework: Framework,
    standards: Sequence[Standard],
    team_name: str,
    borough_name: str,
    workers: int,
    version: int | None = None,
) -> str:
    """A draft review of one team under framework ``version`` (the current one when
    None), whose standards are ``standards``: each of them, the evidence sources,
    ``workers`` case-audit blocks and an empty action plan."""
    version = framework.version if version is None else version
    labels = ", ".join(level.label for level in framework.scale)
    lines = [
        "---",
        f"# Draft review of {' '.join(team_name.split())}, {' '.join(borough_name.split())}.",
        "# A draft is never published. Fill in every blank; set the status to",
        "# 'completed' when the review is finished and to 'presented' once it has",
        "# been presented to the service. Check it with: qa-site validate",
        "status: draft",
        f"framework_version: {version}",
        _line("reviewers: []", "add each reviewer: - {name: ..., role: lead}"),
        "# roles: lead, capacity-specialist, safeguarding-specialist, independent",
        _line("evidence:", "the sources drawn on; delete any not used"),
    ]
    lines += [_line(f"  - {source.id}", source.title) for source in framework.evidence_sources]
    lines.append(_line("ratings:", f"one of {labels}"))
    by_domain = {domain.id: domain for domain in framework.domains}
    current = None
    for standard in sorted(standards, key=lambda s: (_domain_index(framework, s), s.id)):
        if standard.domain != current:
            current = standard.domain
            domain = by_domain.get(current)
            lines.append(f"  # {domain.title if domain else current}")
        critical = " (critical)" if standard.critical else ""
        title = standard.nearest_wording(version).title
        lines.append(_line(f"  {standard.id}:", f"{title}{critical}"))
    lines.append(_line("cases:", "one in-depth case audit per social worker"))
    for number in range(1, workers + 1):
        first = number == 1
        lines += [
            _line("  - ref:", "the case reference only, never a name" if first else ""),
            f"    worker: W{number:02d}",
            _line(
                "    interviewed: [worker, supervisor, user, carer]",
                "delete whoever was not" if first else "",
            ),
            "    record_reviewed: false",
            _line("    grades: {}", "the standards the case shows: {S07: Good}" if first else ""),
        ]
    if workers == 0:
        lines[-1] = _line("cases: []", "one in-depth case audit per social worker")
    lines += [
        _line("actions: []", "the action plan agreed with the service manager"),
        "# - {id: A1, standards: [S07], action: ..., owner: Team manager, due: YYYY-MM-DD,",
        "#    status: open}",
        "---",
        "## Findings",
        "",
        "### Strengths",
        "",
        "### Areas for improvement",
        "",
    ]
    return "\n".join(lines)


def meeting_file(
    previous: MeetingRecord | None, borough_name: str, open_teams: Collection[str]
) -> str:
    """Draft minutes of a governance board meeting; chairs and representatives are
    carried over from the borough's ``previous`` meeting, when there is one, except
    those of teams no longer in ``open_teams``."""
    meeting: Meeting | None = previous.meeting if previous else None
    if meeting is not None:
        meeting = meeting.model_copy(
            update={
                "chairs": [c for c in meeting.chairs if c.team is None or c.team in open_teams],
                "representatives": [r for r in meeting.representatives if r.team in open_teams],
            }
        )
    source = f"as at the meeting of {previous.date.isoformat()}" if previous else ""
    lines = [
        "---",
        f"# Draft minutes of the {' '.join(borough_name.split())} governance board.",
        "# A draft is never published: remove the status line once the minutes",
        "# are approved. Check it with: qa-site validate",
        "status: draft",
    ]
    if meeting and meeting.chairs:
        lines.append(_line("chairs:", f"the co-chairs, by role, {source}"))
        lines += [f"  - {_flow(chair.model_dump(exclude_none=True))}" for chair in meeting.chairs]
    else:
        lines.append(_line("chairs: []", "add each co-chair: - {role: ..., team: ...}"))
    if meeting and meeting.representatives:
        lines.append(_line("representatives:", f"elected by each team, {source}"))
        lines += [f"  - {_flow(rep.model_dump())}" for rep in meeting.representatives]
    else:
        lines.append(_line("representatives: []", "- {team: ..., role: ...}"))
    lines += [
        _line("cases: []", "cases considered, by case reference only, never a name"),
        "# - {ref: ..., team: ..., standards: [S07], summary: ..., decision: ...}",
        _line("development: []", "service development items: - {title: ..., note: ...}"),
        _line("actions: []", "the same shape as a review's actions"),
        "---",
        "## Minutes",
        "",
    ]
    return "\n".join(lines)


def _block(mapping: dict[str, Any]) -> str:
    """``name: ...`` lines, quoted where YAML needs it."""
    text: str = yaml.safe_dump(
        mapping, default_flow_style=False, sort_keys=False, width=10_000, allow_unicode=True
    )
    return text


def team_file(name: str, service: str, established: dt.date | None) -> str:
    """A team's ``team.yml``."""
    lines = [
        _block({"name": name}).rstrip("\n"),
        _line(f"service: {service}", "the service type, for comparison across boroughs"),
    ]
    if established is not None:
        lines.append(f"established: {established.isoformat()}")
    lines.append("# description: About the team, in Markdown.")
    return "\n".join(lines) + "\n"


def borough_file(name: str, short: str) -> str:
    """A council's ``borough.yml``."""
    return _block({"name": name, "short": short})


def case_count(previous: ReviewRecord | None) -> int:
    """How many case audits to scaffold when not told: as many as last time, else one."""
    return len(previous.review.cases) if previous and previous.review.cases else 1


def _domain_index(framework: Framework, standard: Standard) -> int:
    ids = [domain.id for domain in framework.domains]
    return ids.index(standard.domain) if standard.domain in ids else len(ids)
