"""What the editor's pages show, built from the rulebook and the file in hand.

A review's form is built from the rulebook of the review's framework version:
every standard of that version, by domain, with its title in that version's
words and the critical ones marked; the scale, the evidence sources, the roles
and the interviewees are the model's own. Values come from the file's data as
read, which need not be valid yet: a value the form has no choice for is shown
as written, so the reviewer sees it and the check says what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from generator.model.framework import Framework
from generator.model.meeting import MeetingStatus
from generator.model.programme import Programme
from generator.model.review import ActionStatus, Interviewee, ReviewerRole, ReviewStatus


@dataclass(frozen=True)
class StandardField:
    id: str
    title: str
    critical: bool
    rating: str  # as written, "" when blank
    note: str
    evidence: tuple[str, ...]
    audience: str  # who may read the note, as written; "" to follow the review
    open: bool  # shown with its note and evidence open


@dataclass(frozen=True)
class DomainFields:
    id: str
    title: str
    standards: tuple[StandardField, ...]


@dataclass(frozen=True)
class Choices:
    """The fixed choices a form offers."""

    scale: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]  # (id, title)
    roles: tuple[str, ...] = tuple(get_args(ReviewerRole))
    interviewees: tuple[str, ...] = tuple(get_args(Interviewee))
    review_statuses: tuple[str, ...] = tuple(get_args(ReviewStatus))
    meeting_statuses: tuple[str, ...] = tuple(get_args(MeetingStatus))
    action_statuses: tuple[str, ...] = tuple(get_args(ActionStatus))
    standards: tuple[tuple[str, str], ...] = ()  # (id, title) of the version in hand
    teams: tuple[tuple[str, str], ...] = ()  # (id, name) of the borough's teams


@dataclass(frozen=True)
class ReviewForm:
    path: str
    digest: str
    title: str
    date: str
    status: str
    audience: str  # who may read its words, as written; "" for the default (internal)
    version: int | None
    presented: bool
    reviewers: tuple[Mapping[str, str], ...]
    evidence: tuple[str, ...]
    domains: tuple[DomainFields, ...]
    cases: tuple[Mapping[str, Any], ...]
    actions: tuple[Mapping[str, str], ...]
    amendments: tuple[Mapping[str, str], ...]
    body: str
    choices: Choices
    as_of: str
    unknown_ratings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class MeetingForm:
    path: str
    digest: str
    title: str
    date: str
    status: str  # as written; "" when the file leaves it out (approved)
    audience: str
    chairs: tuple[Mapping[str, str], ...]
    representatives: tuple[Mapping[str, str], ...]
    cases: tuple[Mapping[str, str], ...]
    development: tuple[Mapping[str, str], ...]
    actions: tuple[Mapping[str, str], ...]
    next_meeting: str
    body: str
    choices: Choices


def review_form(
    programme: Programme,
    path: str,
    digest: str,
    data: Mapping[str, Any],
    body: str,
    as_of: dt.date,
) -> ReviewForm:
    """The form of the review at ``path`` whose frontmatter reads as ``data``."""
    borough_id, team_id, day = _parts(path)
    framework = programme.framework
    version = data.get("framework_version")
    if not isinstance(version, int) or not programme.standards_in(version):
        version = framework.in_force_on(_day(day) or as_of)
    written = data.get("ratings")
    ratings: Mapping[str, Any] = written if isinstance(written, Mapping) else {}
    standards = programme.standards_in(version)
    by_domain: dict[str, list[StandardField]] = {}
    for standard in standards:
        value = ratings.get(standard.id)
        entry = value if isinstance(value, Mapping) else {"rating": value}
        note = _shown(entry.get("note"))
        evidence = tuple(_shown(e) for e in _list(entry.get("evidence")))
        audience = _shown(entry.get("audience"))
        by_domain.setdefault(standard.domain, []).append(
            StandardField(
                id=standard.id,
                title=standard.nearest_wording(version).title,
                critical=standard.critical,
                rating=_shown(entry.get("rating")),
                note=note,
                evidence=evidence,
                audience=audience,
                open=bool(note or evidence or audience),
            )
        )
    domains = tuple(
        DomainFields(d.id, d.title, tuple(by_domain[d.id]))
        for d in framework.domains
        if d.id in by_domain
    )
    known = {s.id for s in standards}
    team = programme.boroughs.get(borough_id)
    team_name = team.teams[team_id].team.name if team and team_id in team.teams else team_id
    borough_name = team.borough.name if team else borough_id
    status = _shown(data.get("status"))
    return ReviewForm(
        path=path,
        digest=digest,
        title=f"Review of {team_name}, {borough_name}",
        date=day,
        status=status,
        audience=_shown(data.get("audience")),
        version=version,
        presented=status == "presented",
        reviewers=tuple(_texts(r) for r in _list(data.get("reviewers"))),
        evidence=tuple(_shown(e) for e in _list(data.get("evidence"))),
        domains=domains,
        cases=tuple(_case(c) for c in _list(data.get("cases"))),
        actions=tuple(_action(a) for a in _list(data.get("actions"))),
        amendments=tuple(_texts(a) for a in _list(data.get("amendments"))),
        body=body,
        choices=_choices(framework, programme, version, borough_id),
        as_of=as_of.isoformat(),
        unknown_ratings=tuple(sorted(str(k) for k in ratings if k not in known)),
    )


def meeting_form(
    programme: Programme, path: str, digest: str, data: Mapping[str, Any], body: str
) -> MeetingForm:
    """The form of the meeting minutes at ``path``."""
    borough_id, _, day = _parts(path)
    borough = programme.boroughs.get(borough_id)
    name = borough.borough.name if borough else borough_id
    cases = []
    for case in _list(data.get("cases")):
        fields = _texts(case)
        fields["standards"] = ", ".join(_shown(s) for s in _list(_get(case, "standards")))
        cases.append(fields)
    return MeetingForm(
        path=path,
        digest=digest,
        title=f"Governance board of {name}",
        date=day,
        status=_shown(data.get("status")),
        audience=_shown(data.get("audience")),
        chairs=tuple(_texts(c) for c in _list(data.get("chairs"))),
        representatives=tuple(_texts(r) for r in _list(data.get("representatives"))),
        cases=tuple(cases),
        development=tuple(_texts(d) for d in _list(data.get("development"))),
        actions=tuple(_action(a) for a in _list(data.get("actions"))),
        next_meeting=_shown(data.get("next_meeting")),
        body=body,
        choices=_choices(
            programme.framework,
            programme,
            programme.framework.in_force_on(_day(day) or dt.date.max),
            borough_id,
        ),
    )


def _choices(framework: Framework, programme: Programme, version: int, borough: str) -> Choices:
    teams = programme.boroughs[borough].teams if borough in programme.boroughs else {}
    return Choices(
        scale=tuple(level.label for level in framework.scale),
        evidence=tuple((source.id, source.title) for source in framework.evidence_sources),
        standards=tuple(
            (s.id, s.nearest_wording(version).title) for s in programme.standards_in(version)
        ),
        teams=tuple((team_id, team.team.name) for team_id, team in sorted(teams.items())),
    )


def _case(case: Any) -> dict[str, Any]:
    fields: dict[str, Any] = _texts(case)
    fields["interviewed"] = tuple(_shown(i) for i in _list(_get(case, "interviewed")))
    fields["record_reviewed"] = _get(case, "record_reviewed") is True
    grades = _get(case, "grades")
    fields["grades"] = tuple(
        (_shown(k), _shown(v)) for k, v in (grades.items() if isinstance(grades, Mapping) else ())
    )
    return fields


def _action(action: Any) -> dict[str, str]:
    fields = _texts(action)
    fields["standards"] = ", ".join(_shown(s) for s in _list(_get(action, "standards")))
    return fields


def _texts(item: Any) -> dict[str, str]:
    """The scalar fields of a group, as text."""
    if not isinstance(item, Mapping):
        return {}
    return {str(k): _shown(v) for k, v in item.items() if not isinstance(v, list | dict | Mapping)}


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else None


def _parts(path: str) -> tuple[str, str, str]:
    """(borough, team or ``governance``, date as written in the name) of a file's path."""
    parts = path.split("/")
    return parts[1], parts[2], parts[3].removesuffix(".md")


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
