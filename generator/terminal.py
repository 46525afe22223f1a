"""One review's scores as a plain-text table, for ``qa-site score``.

A reviewer checks a draft before committing it: the overall result and why,
the domains, the critical standards, the case audits and when the team is
due again. Plain text, no colour, fits 100 columns.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence

from generator.programme import Programme
from generator.scoring import (
    AuditTally,
    Change,
    ReviewResult,
    Rules,
    Score,
    format_percent,
)

_WIDTH = 100
_LABEL = 18  # width of the left-hand labels


def format_review_score(
    result: ReviewResult, programme: Programme, rules: Rules, as_of: dt.date
) -> str:
    record = result.record
    borough = programme.boroughs[record.borough_id]
    team = borough.teams[record.team_id].team
    framework = programme.framework
    expected = len(result.standards)
    lines = [
        f"{team.name}, {borough.borough.name}: review of {record.date} ({record.status})",
        f"Scored by {framework.name}, version {record.review.framework_version}, as of {as_of}.",
        "",
    ]
    if record.status == "draft":
        lines += [
            _row(
                "Draft",
                f"{result.rated} of {expected} standards rated. Only rated standards count, "
                "and nothing here is published.",
            ),
            "",
        ]
    overall = result.overall
    if overall.score is None or overall.rating is None:
        lines.append(_row("Overall", "no standards rated yet"))
    else:
        lines.append(_row("Overall", f"{overall.rating}, {format_percent(overall.score.percent)}"))
        lines.append(_row("", _describe_score(overall.score)))
        if overall.limited:
            names = " and ".join(overall.limited_by)
            cap_reason = (
                f"critical standard {names} is"
                if len(overall.limited_by) == 1
                else f"critical standards {names} are"
            )
            lines.append(
                _row(
                    "Limited",
                    f"the percentage earns {overall.score.band}, but {cap_reason} rated "
                    f"{rules.lowest}, so the rating is at most {overall.rating}",
                )
            )
    lines.append(_row("Change", _describe_change(result)))
    lines.append("")

    lines.append(_columns(["Domain", "Rated", "Percent", "Rating"], [44, 7, 9, 0]))
    for domain in result.domains:
        rated = sum(result.standard(i).rating is not None for i in domain.standards)
        score = domain.score
        lines.append(
            _columns(
                [
                    domain.title,
                    f"{rated}/{len(domain.standards)}",
                    format_percent(score.percent) if score else "-",
                    f"{score.band}, {score.band_position.value} half" if score else "not rated",
                ],
                [44, 7, 9, 0],
            )
        )
    lines.append("")

    lines.append(
        _columns(["Critical standard", "Rating", "Change", "Case audits"], [44, 12, 11, 0])
    )
    for standard in result.critical:
        lines.append(
            _columns(
                [
                    _shorten(f"{standard.id} {standard.standard.title}", 43),
                    standard.rating or "not rated",
                    standard.change.value if standard.change else "-",
                    _describe_tally(standard.audit),
                ],
                [44, 12, 11, 0],
            )
        )
    lines.append("")

    cases = len(record.review.cases)
    lines.append(
        _row(
            "Case audits",
            f"{cases} case{'' if cases == 1 else 's'}; "
            + _describe_tally(result.audits, grades=True),
        )
    )
    disagreeing = result.disagreements
    if not disagreeing:
        lines.append(_row("Disagreements", "none: ratings and case audits point the same way"))
    for index, standard in enumerate(disagreeing):
        lines.append(
            _row(
                "" if index else "Disagreements",
                f"{standard.id} rated {standard.rating}, but "
                + _describe_tally(standard.audit, grades=True),
            )
        )
    actions = result.actions
    lines.append(
        _row("Actions", f"{actions.open} open, {actions.done} done, {actions.overdue} overdue")
    )
    if result.next_review_due is None or overall.rating is None:
        lines.append(_row("Next review due", "when the standards are rated"))
    else:
        months = rules.interval_months[overall.rating]
        lines.append(
            _row(
                "Next review due",
                f"{result.next_review_due} ({months} months after a rating of {overall.rating})"
                + (", if presented as it stands" if record.status == "draft" else ""),
            )
        )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _row(label: str, text: str) -> str:
    """``text`` beside ``label``, wrapped under itself to fit the width."""
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent=f"{label:<{_LABEL}}",
        subsequent_indent=" " * _LABEL,
        break_on_hyphens=False,
    )


def _columns(cells: Sequence[str], widths: Sequence[int]) -> str:
    parts = [
        f"{cell:<{width}}" if width else cell for cell, width in zip(cells, widths, strict=True)
    ]
    return "  " + "".join(parts)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _describe_score(score: Score) -> str:
    return (
        f"{score.points} of {score.max_points} points over {score.rated} standards; "
        f"{score.band_position.value} half of the {score.band} band"
    )


def _describe_change(result: ReviewResult) -> str:
    change = result.change
    if change.since is None:
        return "new: the team's first presented review"
    if change.percent_now is None or change.percent_then is None:
        return f"new: no standard in common with the review of {change.since}"
    shared = f"{change.compared} standards both reviews rated"
    if change.versions_differ:
        shared += " (the framework versions differ)"
    was = f" (then rated {change.previous_rating})" if change.previous_rating else ""
    movement = {
        Change.IMPROVED: "improved",
        Change.DECLINED: "declined",
        Change.UNCHANGED: "unchanged",
        Change.NEW: "new",
    }[change.change]
    return (
        f"{movement} since {change.since}{was}: {format_percent(change.percent_then)} -> "
        f"{format_percent(change.percent_now)} on the {shared}"
    )


def _describe_tally(tally: AuditTally, grades: bool = False) -> str:
    if tally.share is None:
        return "no grades" if grades else "not audited"
    noun = " grades" if grades else ""
    return (
        f"{tally.adequate_or_above} of {tally.graded}{noun} adequate or above "
        f"({format_percent(tally.share)})"
    )
