"""The scoring page's generated parts: the rules table and a worked example.

``docs/scoring.md`` explains the rules in prose; the numbers in it come from
here, computed by the scoring code from ``standards/framework.yml`` and one
review of the sample content, so the page cannot drift from the code.
``python -m generator.reference.docs docs/scoring.md`` regenerates them.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

from generator.check.repository import check
from generator.core.errors import ToolError
from generator.core.numbers import counted, score_text, share_text
from generator.model.programme import Programme, ReviewRecord
from generator.score.results import Results, score_programme
from generator.score.review import ReviewResult
from generator.score.rules import Rules
from generator.score.schedule import add_months
from generator.score.series import HalfYear
from generator.score.trends import Change

# The worked example: a review where the critical limiter applied, and the
# team's next review. The as-of date is fixed so the page never changes by itself.
EXAMPLE_REVIEW = "reviews/westminster/mental-health/2011-11-24.md"
# After the sample's last review and action, so that all of it is valid.
EXAMPLE_AS_OF = dt.date(2017, 1, 1)
SERIES_BOROUGH = "hammersmith-fulham"


class ExampleMissing(ToolError):
    """The sample content no longer holds the worked example's review."""


def rules_table(root: Path) -> str:
    """Bands, their halves and review intervals, from framework.yml."""
    programme = _programme(root)
    rules = Rules.from_framework(programme.framework)
    lowest = rules.bands[-1].reachable_from
    rows = [
        "| rating | percentage | lower half | upper half | next review after |",
        "|---|---|---|---|---|",
    ]
    for band in rules.bands:
        if not band.reachable:
            rows.append(
                f"| {band.label} | cannot be reached with this scale | | "
                f"| {rules.interval_months[band.label]} months |"
            )
            continue
        top = "100%" if band.top == 100 else f"below {_number(band.top)}%"
        rows.append(
            f"| {band.label} | {_number(band.reachable_from)}% to {top} "
            f"| below {_number(band.midpoint)}% | {_number(band.midpoint)}% and above "
            f"| {rules.interval_months[band.label]} months |"
        )
    critical = [s for _, s in sorted(programme.standards.items()) if s.critical]
    clamp = add_months(dt.date(2011, 8, 31), 6)
    return (
        "\n".join(rows)
        + "\n\n"
        + f"- Values: {', '.join(f'{label} {rules.values[label]}' for label in rules.labels)}. "
        f"The lowest percentage the scale can give is {_number(lowest)}% "
        f"(every standard {rules.lowest}); a band's halves are counted from there when the "
        f"band starts lower.\n"
        f"- Critical standards ({len(critical)}): "
        + "; ".join(f"{s.id} {s.title}" for s in critical)
        + ".\n"
        f"- Critical limiter: one critical standard rated {rules.lowest} makes the overall "
        f"rating {rules.one_inadequate} at best; two or more make it "
        f"{rules.two_or_more_inadequate} at best.\n"
        f"- Case audits count grades of {rules.adequate_or_above} or better as "
        f'"adequate or above".\n'
        f"- Calendar months: 31 August 2011 plus 6 months is {_long_date(clamp)}, the last day "
        f"of the shorter month.\n"
    )


def worked_example(root: Path) -> str:
    """The whole arithmetic of one sample review, step by step."""
    programme = _programme(root)
    rules = Rules.from_framework(programme.framework)
    results = score_programme(programme, EXAMPLE_AS_OF)
    result = _example(results)
    record = result.record
    borough = programme.boroughs[record.borough_id]
    team = borough.teams[record.team_id]
    overall, score = result.overall, result.overall.score
    assert score is not None and overall.rating is not None and result.next_review_due
    band = next(b for b in rules.bands if b.label == score.band)
    out: list[str] = []
    version = record.review.framework_version
    entry = programme.framework.version_entry(version)
    in_force = (
        f" ({entry.title}, in force from {_long_date(entry.in_force)})" if entry is not None else ""
    )

    out.append(
        "The example is a review from the sample programme that comes with qa-site's "
        f"source (`{EXAMPLE_REVIEW}` there; every programme's reviews are scored by the "
        f"same steps): the {team.team.name} in {borough.borough.name}, reviewed on "
        f"{_long_date(record.date)}. "
        f"It names framework version {version}{in_force}, and is scored over the "
        f"{len(result.standards)} standards of that version. "
        f"Everything below is for an as-of date of {_long_date(EXAMPLE_AS_OF)}.\n"
    )

    out.append("### 1. Ratings become points\n")
    out.append("| rating | value | standards | points |\n|---|---|---|---|")
    for label in rules.labels:
        count = sum(s.rating == label for s in result.standards)
        out.append(f"| {label} | {rules.values[label]} | {count} | {count * rules.values[label]} |")
    out.append(f"| **total** | | **{score.rated}** | **{score.points}** |\n")

    out.append("### 2. Points become a percentage and a band\n")
    out.append(
        f"The most the {score.rated} standards could score is {rules.top_value} times "
        f"{score.rated}, {score.max_points} points, and {score.points} out of "
        f"{score.max_points} is "
        f"**{score_text(score.percent)}**. That is at least {_number(band.lowest)}% and "
        + (
            "so in the best band"
            if band.below > 100
            else f"below {_number(band.below)}%, so the percentage earns **{band.label}**"
        )
        + f". The {band.label} band's midpoint is {_number(band.midpoint)}%, so "
        f"{score_text(score.percent)} is in its **{score.band_position.value} half**.\n"
    )

    out.append("### 3. The critical limiter\n")
    out.append("| critical standard | rating |\n|---|---|")
    for standard in result.critical:
        out.append(f"| {standard.id} {standard.standard.title} | {standard.rating} |")
    inadequate = [s.id for s in result.critical if s.rating == rules.lowest]
    out.append("")
    if overall.limited:
        cap = rules.one_inadequate if len(inadequate) == 1 else rules.two_or_more_inadequate
        out.append(
            f"{counted(len(inadequate), 'critical standard')} ({', '.join(inadequate)}) "
            f"{'is' if len(inadequate) == 1 else 'are'} rated {rules.lowest}, so the overall "
            f"rating is {cap} at best. {score.band} is better than that, so the overall rating "
            f"is **{overall.rating}**, limited by {' and '.join(overall.limited_by)}. The "
            f"percentage stays {score_text(score.percent)}.\n"
        )
    else:
        out.append(
            f"The limiter does not lower the rating, so the overall rating is "
            f"**{overall.rating}**.\n"
        )

    out.append("### 4. Domains\n")
    out.append(
        "Each domain is scored the same way over its own standards (domains are not limited).\n"
    )
    out.append("| domain | standards | points | percentage | band |\n|---|---|---|---|---|")
    for domain in result.domains:
        s = domain.score
        assert s is not None
        out.append(
            f"| {domain.title} | {s.rated} | {s.points} of {s.max_points} "
            f"| {score_text(s.percent)} | {s.band}, {s.band_position.value} half |"
        )
    out.append("")

    out.append("### 5. Case audits\n")
    cases = len(record.review.cases)
    out.append(
        f"{cases} cases were audited, one per social worker. Each case grades the standards it "
        "shows; these are the critical standards' grades and all grades together.\n"
    )
    out.append(
        "| standard | rated | grades | adequate or above | share | disagree? |\n"
        "|---|---|---|---|---|---|"
    )
    for standard in result.critical:
        tally = standard.audit
        share = share_text(tally.share) if tally.share is not None else "none"
        out.append(
            f"| {standard.id} | {standard.rating} | {tally.graded} | {tally.adequate_or_above} "
            f"| {share} | {'yes' if standard.disagrees else 'no'} |"
        )
    total = result.audits
    assert total.share is not None
    out.append(
        f"| **all standards** | | **{total.graded}** | **{total.adequate_or_above}** "
        f"| **{share_text(total.share)}** | |\n"
    )
    disagreeing = result.disagreements
    out.append(
        "No standard's rating and case audits disagree in this review.\n"
        if not disagreeing
        else "Ratings and case audits disagree for "
        + ", ".join(s.id for s in disagreeing)
        + ": shown for the reader's attention, not an error.\n"
    )

    out.append("### 6. Next review due\n")
    months = rules.interval_months[overall.rating]
    out.append(
        f"An overall rating of {overall.rating} means the next review is due {months} months "
        f"later: {_long_date(record.date)} plus {months} months is "
        f"**{_long_date(result.next_review_due)}**.\n"
    )

    out.append("### 7. Actions\n")
    actions = result.actions
    out.append(
        f"The action plan has {counted(len(record.review.actions), 'action')}: "
        f"{actions.open} open and {actions.done} done. As of {_long_date(EXAMPLE_AS_OF)}, "
        f"{counted(actions.overdue, 'open action')} {'is' if actions.overdue == 1 else 'are'} "
        "overdue (due before that date).\n"
    )

    out.append("### 8. The next review: what changed\n")
    out.append(_next_review(results, record, rules))

    out.append("### 9. The programme series\n")
    out.append(_series(results, programme))
    return "\n".join(out)


def _next_review(results: Results, record: ReviewRecord, rules: Rules) -> str:
    history = results.team(record.borough_id, record.team_id).history
    later = [r for r in history if r.record.date > record.date]
    if not later:
        return "The team has not been reviewed again yet.\n"
    following = later[0]
    change = following.change
    assert change.percent_now is not None and change.percent_then is not None
    moved = {c: sum(s.change == c for s in following.standards) for c in Change}
    return (
        f"The team was reviewed again on {_long_date(following.record.date)}: "
        f"{following.overall.rating}, {score_text(change.percent_now)}. Compared on the "
        f"{change.compared} standards both reviews rated, the overall rating went from "
        f"{change.rating_then} to {change.rating_now} (**{change.rating.value}**) and the "
        f"percentage from {score_text(change.percent_then)} to "
        f"{score_text(change.percent_now)} (**{change.percent.value}**). Standard by "
        f"standard, {moved[Change.IMPROVED]} improved, {moved[Change.DECLINED]} declined and "
        f"{moved[Change.UNCHANGED]} stayed the same"
        + (f", and {moved[Change.NEW]} were new" if moved[Change.NEW] else "")
        + ".\n"
    )


def _series(results: Results, programme: Programme) -> str:
    borough = programme.boroughs[SERIES_BOROUGH].borough
    critical = [s for s in results.series if s.borough == SERIES_BOROUGH and s.standard]
    if not critical:
        return "No case audits yet.\n"
    first = critical[0]
    title = programme.standards[first.standard or ""].title
    rows = [
        f"For {borough.name}, in the sample programme, the share of case-audit grades for "
        f"{first.standard} ({title}) "
        "that were adequate or above, by half-year of the review date "
        "(presented reviews only):\n",
        "| half-year | grades | adequate or above | share |",
        "|---|---|---|---|",
    ]
    for point in first.points:
        share = point.audits.share
        rows.append(
            f"| {_half_year(point.period)} | {point.audits.graded} "
            f"| {point.audits.adequate_or_above} "
            f"| {share_text(share) if share is not None else 'no audits'} |"
        )
    return "\n".join(rows) + "\n"


def _programme(root: Path) -> Programme:
    validation = check(root, EXAMPLE_AS_OF)
    if validation.programme is None:
        raise ExampleMissing(f"{root} has no usable framework")
    return validation.programme


def _example(results: Results) -> ReviewResult:
    for review in results.reviews:
        if review.record.source.path == EXAMPLE_REVIEW and review.presented:
            return review
    raise ExampleMissing(f"the worked example's review {EXAMPLE_REVIEW} is missing or invalid")


def _number(value: Fraction) -> str:
    return f"{float(value):g}"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _half_year(period: HalfYear) -> str:
    return f"{'January to June' if period.half == 1 else 'July to December'} {period.year}"
