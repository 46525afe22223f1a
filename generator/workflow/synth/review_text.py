"""Writing invented boroughs, teams and reviews as the files a reviewer would write:
YAML front matter, and findings that say how the rating moved and why.
"""

from __future__ import annotations

from generator.core.dates import day_text
from generator.workflow.synth.records import Borough, Review, Team
from generator.workflow.synth.setting import Setting
from generator.workflow.synth.yaml_text import actions_yaml, counted, flow_list, scalar


def borough_text(borough: Borough) -> str:
    return f"name: {scalar(borough.name)}\nshort: {scalar(borough.short)}\n"


def team_text(team: Team) -> str:
    lines = [
        f"name: {scalar(team.name)}",
        f"service: {team.service.id}",
        f"description: {scalar(team.service.description)}",
        f"established: {team.established.isoformat()}",
    ]
    if team.closed is not None:
        lines.append(f"closed: {team.closed.isoformat()}")
    if team.replaced_by:
        lines.append(f"replaced_by: {flow_list(team.replaced_by)}")
    return "\n".join(lines) + "\n"


def review_text(setting: Setting, review: Review, previous: Review | None) -> str:
    lines = [
        "---",
        f"status: {review.status}",
        f"framework_version: {setting.version}",
        "reviewers:",
    ]
    lines += [f"  - {{name: {name}, role: {role}}}" for name, role in review.reviewers]
    lines += [f"evidence: {flow_list(review.evidence)}", "ratings:"]
    for standard_id, label in review.ratings.items():
        if standard_id in review.blank:
            lines.append(f"  {standard_id}:")
        elif standard_id in review.notes:
            note, evidence = review.notes[standard_id]
            extra = f", evidence: {flow_list(evidence)}" if evidence else ""
            lines.append(
                f"  {standard_id}: {{rating: {scalar(label, flow=True)}, "
                f"note: {scalar(note, flow=True)}{extra}}}"
            )
        else:
            lines.append(f"  {standard_id}: {scalar(label)}")
    lines.append("cases:")
    for case in review.cases:
        grades = ", ".join(f"{s}: {scalar(g, flow=True)}" for s, g in case.grades.items())
        lines += [
            f"  - ref: {case.ref}",
            f"    worker: {case.worker}",
            f"    interviewed: {flow_list(case.interviewed)}",
            f"    record_reviewed: {'true' if case.record_reviewed else 'false'}",
            f"    grades: {{{grades}}}",
        ]
    lines += actions_yaml(review.actions)
    lines += ["---", *_findings_text(setting, review, previous)]
    return "\n".join(lines) + "\n"


def _findings_text(setting: Setting, review: Review, previous: Review | None) -> list[str]:
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
        change = setting.rules.rank(previous.overall) - setting.rules.rank(review.overall)
        since = f"at the review of {day_text(previous.date)}"
        if change > 0:
            verdict = f"The team is rated {review.overall}, up from {previous.overall} {since}."
        elif change < 0:
            verdict = f"The team is rated {review.overall}, down from {previous.overall} {since}."
        else:
            verdict = f"The team is rated {review.overall}, as it was {since}."
    by_domain: dict[str, list[int]] = {}
    for standard in setting.standards:
        by_domain.setdefault(standard.domain, []).append(review.positions[standard.id])
    ranked = sorted(by_domain, key=lambda d: sum(by_domain[d]) / len(by_domain[d]))
    best, worst = setting.domains.get(ranked[-1], ranked[-1]), setting.domains.get(ranked[0], "")
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
            f"{'is' if len(review.limited_by) == 1 else 'are'} rated {setting.rules.lowest}."
        )
    if review.actions:
        weakness += (
            " The action plan agreed with the service manager has "
            f"{counted(len(review.actions), 'action')}."
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
