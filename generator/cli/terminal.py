"""One review's scores as a plain-text table, for ``qa-site score``.

A reviewer checks a draft before committing it: the overall result and why,
the domains, the critical standards, the case audits and when the team is
due again. Plain text, no colour, fits 100 columns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import textwrap
from collections.abc import Iterator, Sequence
from types import FrameType

from generator.core.numbers import counted, score_text, share_text
from generator.model.programme import Programme
from generator.score.audits import AuditTally
from generator.score.overall import Score
from generator.score.review import ReviewResult
from generator.score.rules import Rules

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
        lines.append(_row("Overall", f"{overall.rating}, {score_text(overall.score.percent)}"))
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
                    score_text(score.percent) if score else "-",
                    f"{score.band}, {score.band_position.value} half" if score else "not rated",
                ],
                [44, 7, 9, 0],
            )
        )
    lines.append("")

    widths = [44, 12, 11, 0]
    lines.append(
        _columns(["Critical standard", "Rating", "Change", "Case audits adequate or above"], widths)
    )
    version = record.review.framework_version
    for standard in result.critical:
        tally = standard.audit
        title = standard.standard.nearest_wording(version).title
        lines.append(
            _columns(
                [
                    _shorten(f"{standard.id} {title}", 43),
                    standard.rating or "not rated",
                    standard.change.value if standard.change else "-",
                    "not audited"
                    if tally.share is None
                    else f"{tally.adequate_or_above} of {tally.graded} ({share_text(tally.share)})",
                ],
                widths,
            )
        )
    lines.append("")

    cases = len(record.review.cases)
    lines.append(_row("Case audits", f"{counted(cases, 'case')}; {_describe_tally(result.audits)}"))
    disagreeing = result.disagreements
    if not disagreeing:
        lines.append(_row("Disagreements", "none: ratings and case audits point the same way"))
    for index, standard in enumerate(disagreeing):
        tally = standard.audit
        if standard.rating == rules.lowest:
            better = f"better than {rules.adequate_or_above}"
            why = (
                f"but its one case-audit grade is {better}"
                if tally.graded == 1
                else f"but all {tally.graded} case-audit grades are {better}"
            )
        else:
            why = f"but only {_describe_tally(tally)}"
        lines.append(
            _row("" if index else "Disagreements", f"{standard.id} rated {standard.rating}, {why}")
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
        f"{score.points} of {score.max_points} points over {counted(score.rated, 'standard')}; "
        f"{score.band_position.value} half of the {score.band} band"
    )


def _describe_change(result: ReviewResult) -> str:
    change = result.change
    if change.since is None:
        return "new: no earlier presented review of this team"
    if change.percent_now is None or change.percent_then is None:
        return f"new: no standard in common with the review of {change.since}"
    shared = f"the {counted(change.compared, 'standard')} both reviews rated"
    if change.versions_differ:
        shared += " (the framework versions differ)"
    return (
        f"rating {change.rating.value} since {change.since} ({change.rating_then} -> "
        f"{change.rating_now}); percentage {change.percent.value} "
        f"({score_text(change.percent_then)} -> {score_text(change.percent_now)}), "
        f"both over {shared}"
    )


def _describe_tally(tally: AuditTally) -> str:
    if tally.share is None:
        return "no case-audit grades"
    return (
        f"{tally.adequate_or_above} of {counted(tally.graded, 'case-audit grade')} adequate or "
        f"above ({share_text(tally.share)})"
    )


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager's or an editor's task's stop) taken as Ctrl-C while
    serving, so that a server stops as it does on Ctrl-C (MkDocs' serve removing its
    temporary site, the editor freeing its port). The handler there before is put back
    afterwards."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        # None: a handler not set from Python, which cannot be put back; the default then.
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
