"""The JSON export: the document built from the scored programme, and its text."""

from __future__ import annotations

from fractions import Fraction

from generator.core.numbers import score_decimal, share_decimal
from generator.export.document import (
    SCHEMA_ID,
    ActionsExport,
    AuditsExport,
    BoroughExport,
    ExportDocument,
    FrameworkExport,
    OverallExport,
    Percent,
    ReviewAuditsExport,
    ReviewExport,
    ScoreExport,
    SeriesExport,
    SeriesPointExport,
    StandardExport,
    TeamExport,
)
from generator.model.programme import Programme
from generator.score.audits import AuditTally
from generator.score.overall import Score
from generator.score.results import Results
from generator.score.review import ReviewResult
from generator.score.schedule import ActionCounts
from generator.score.series import AuditSeries
from generator.score.team import TeamResult


def build_export(programme: Programme, results: Results) -> ExportDocument:
    framework = results.framework
    return ExportDocument(
        schema_=SCHEMA_ID,
        as_of=results.as_of,
        framework=FrameworkExport(
            name=framework.name,
            version=framework.version,
            scale=list(results.rules.labels),
            adequate_or_above=results.rules.adequate_or_above,
        ),
        boroughs=[
            BoroughExport(id=b.id, name=b.borough.name, short=b.borough.short)
            for b in programme.boroughs.values()
        ],
        reviews=[_export_review(r) for r in results.reviews],
        teams=[_export_team(t) for t in results.teams],
        series=[_export_series(s) for s in results.series],
    )


def _percent(value: Fraction) -> Percent:
    return float(score_decimal(value))


def _share(value: Fraction | None) -> Percent | None:
    return None if value is None else float(share_decimal(value))


def _export_score(score: Score | None) -> ScoreExport:
    if score is None:  # validation guarantees every standard of a final review is rated
        raise ValueError("a completed or presented review has an unrated domain")
    return ScoreExport(
        percent=_percent(score.percent),
        points=score.points,
        max_points=score.max_points,
        rating=score.band,
        band_position=score.band_position.value,
    )


def _export_tally(tally: AuditTally) -> AuditsExport:
    return AuditsExport(
        graded=tally.graded,
        adequate_or_above=tally.adequate_or_above,
        percent=_share(tally.share),
    )


def _export_actions(counts: ActionCounts) -> ActionsExport:
    return ActionsExport(open=counts.open, done=counts.done, overdue=counts.overdue)


def _export_review(result: ReviewResult) -> ReviewExport:
    record, overall, change = result.record, result.overall, result.change
    score = _export_score(overall.score)
    status = record.status
    if overall.rating is None or status == "draft":
        raise ValueError(f"{record.source.path}: a draft or unrated review cannot be exported")
    standards = {}
    for standard in result.standards:
        if standard.rating is None or standard.value is None or standard.change is None:
            raise ValueError(f"{record.source.path}: {standard.id} is not rated")
        standards[standard.id] = StandardExport(
            rating=standard.rating,
            value=standard.value,
            change=standard.change.value,
            previous=standard.previous,
            critical=standard.standard.critical,
            domain=standard.standard.domain,
            audits=_export_tally(standard.audit),
            disagree=standard.disagrees,
        )
    return ReviewExport(
        borough=record.borough_id,
        team=record.team_id,
        date=record.date,
        status=status,
        framework_version=record.review.framework_version,
        overall=OverallExport(
            percent=score.percent,
            points=score.points,
            max_points=score.max_points,
            band=score.rating,
            band_position=score.band_position,
            rating=overall.rating,
            limited_by=list(overall.limited_by),
            change=change.rating.value,
            percent_change=change.percent.value,
            previous_review=change.since,
            previous_rating=change.previous_rating,
            compared_standards=change.compared,
        ),
        domains={d.id: _export_score(d.score) for d in result.domains},
        standards=standards,
        audits=ReviewAuditsExport(
            cases=len(record.review.cases), **_export_tally(result.audits).model_dump()
        ),
        actions=_export_actions(result.actions),
        next_review_due=result.next_review_due,
    )


def _export_team(result: TeamResult) -> TeamExport:
    team, latest = result.record.team, result.latest
    return TeamExport(
        borough=result.record.borough_id,
        id=result.record.id,
        name=team.name,
        service=team.service,
        closed=team.closed,
        replaced_by=list(team.replaced_by),
        reviews=[r.record.date for r in result.history],
        pending=[r.record.date for r in result.pending],
        latest_review=latest.record.date if latest else None,
        rating=latest.overall.rating if latest else None,
        percent=_percent(latest.overall.score.percent) if latest and latest.overall.score else None,
        next_review_due=result.next_review_due,
        overdue=result.overdue,
        actions=_export_actions(result.actions),
    )


def _export_series(series: AuditSeries) -> SeriesExport:
    return SeriesExport(
        borough=series.borough,
        standard=series.standard,
        points=[
            SeriesPointExport(
                period=p.period.label,
                start=p.period.start,
                end=p.period.end,
                reviews=p.reviews,
                graded=p.audits.graded,
                adequate_or_above=p.audits.adequate_or_above,
                percent=_share(p.audits.share),
            )
            for p in series.points
        ],
    )


def to_json(document: ExportDocument) -> str:
    return document.model_dump_json(indent=2, by_alias=True) + "\n"
