"""The JSON export: the document built from the scored programme, and its text."""

from __future__ import annotations

from fractions import Fraction

import pydantic_core

from generator.core.numbers import score_decimal, share_decimal
from generator.export.document import (
    SCHEMA_ID,
    ActionsExport,
    AuditsExport,
    BoroughExport,
    CatalogueStandardExport,
    ExportDocument,
    ExportModel,
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
    VersionExport,
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
    parts = _Parts()
    return ExportDocument(
        schema_=SCHEMA_ID,
        as_of=results.as_of,
        framework=FrameworkExport(
            name=framework.name,
            version=framework.version,
            scale=list(results.rules.labels),
            adequate_or_above=results.rules.adequate_or_above,
            versions=[
                VersionExport(version=v.version, in_force=v.in_force, title=v.title)
                for v in framework.versions
            ],
            standards=[
                CatalogueStandardExport(
                    id=s.id,
                    introduced=s.introduced,
                    retired=s.retired,
                    replaced_by=list(s.replaced_by),
                    meaning_changed_in=[r.version for r in s.revisions if r.meaning == "changed"],
                )
                for s in programme.standards.values()
            ],
        ),
        boroughs=[
            BoroughExport(id=b.id, name=b.borough.name, short=b.borough.short)
            for b in programme.boroughs.values()
        ],
        reviews=[parts.review(r) for r in results.reviews],
        teams=[parts.team(t) for t in results.teams],
        series=[parts.series(s) for s in results.series],
    )


def _percent(value: Fraction) -> Percent:
    return float(score_decimal(value))


def _share(value: Fraction | None) -> Percent | None:
    return None if value is None else float(share_decimal(value))


class _Parts:
    """The parts of one export, each distinct one made (and validated) once.

    A programme's reviews repeat a few thousand standard results, a hundred
    domain scores and a few dozen tallies tens of thousands of times: each
    distinct value becomes one frozen model, which every review that has it
    shares. A part's key holds everything the part is made from.
    """

    def __init__(self) -> None:
        self._standards: dict[tuple[object, ...], StandardExport] = {}
        self._scores: dict[tuple[object, ...], ScoreExport] = {}
        self._tallies: dict[tuple[int, int], AuditsExport] = {}
        self._actions: dict[tuple[int, int, int], ActionsExport] = {}

    def review(self, result: ReviewResult) -> ReviewExport:
        record, overall, change = result.record, result.overall, result.change
        score = self._score(overall.score)
        status = record.status
        if overall.rating is None or status == "draft":
            raise ValueError(f"{record.source.path}: a draft or unrated review cannot be exported")
        standards = self._standards_of(result)
        audits = result.audits
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
                previous_framework_version=change.previous_version,
                compared_standards=change.compared,
            ),
            domains={d.id: self._score(d.score) for d in result.domains},
            standards=standards,
            audits=ReviewAuditsExport(
                cases=len(record.review.cases),
                graded=audits.graded,
                adequate_or_above=audits.adequate_or_above,
                percent=_share(audits.share),
            ),
            actions=self._counts(result.actions),
            next_review_due=result.next_review_due,
        )

    def _standards_of(self, result: ReviewResult) -> dict[str, StandardExport]:
        made = self._standards
        standards = {}
        for standard in result.standards:
            of, audit = standard.standard, standard.audit
            key = (
                standard.rating,
                standard.value,
                standard.change,
                standard.previous,
                of.critical,
                of.domain,
                audit.graded,
                audit.adequate_or_above,
                standard.disagrees,
            )
            export = made.get(key)
            if export is None:
                if standard.rating is None or standard.value is None or standard.change is None:
                    raise ValueError(f"{result.record.source.path}: {standard.id} is not rated")
                export = made[key] = StandardExport(
                    rating=standard.rating,
                    value=standard.value,
                    change=standard.change.value,
                    previous=standard.previous,
                    critical=of.critical,
                    domain=of.domain,
                    audits=self._tally(audit),
                    disagree=standard.disagrees,
                )
            standards[of.id] = export
        return standards

    def _score(self, score: Score | None) -> ScoreExport:
        if score is None:  # validation guarantees every standard of a final review is rated
            raise ValueError("a completed or presented review has an unrated domain")
        percent = score.percent
        key = (
            percent.numerator,
            percent.denominator,
            score.points,
            score.max_points,
            score.band,
            score.band_position,
        )
        export = self._scores.get(key)
        if export is None:
            export = self._scores[key] = ScoreExport(
                percent=_percent(percent),
                points=score.points,
                max_points=score.max_points,
                rating=score.band,
                band_position=score.band_position.value,
            )
        return export

    def _tally(self, tally: AuditTally) -> AuditsExport:
        key = (tally.graded, tally.adequate_or_above)
        export = self._tallies.get(key)
        if export is None:
            export = self._tallies[key] = AuditsExport(
                graded=tally.graded,
                adequate_or_above=tally.adequate_or_above,
                percent=_share(tally.share),
            )
        return export

    def _counts(self, counts: ActionCounts) -> ActionsExport:
        key = (counts.open, counts.done, counts.overdue)
        export = self._actions.get(key)
        if export is None:
            export = self._actions[key] = ActionsExport(
                open=counts.open, done=counts.done, overdue=counts.overdue
            )
        return export

    def team(self, result: TeamResult) -> TeamExport:
        team, latest = result.record.team, result.latest
        score = latest.overall.score if latest else None
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
            percent=_percent(score.percent) if score else None,
            next_review_due=result.next_review_due,
            overdue=result.overdue,
            actions=self._counts(result.actions),
        )

    def series(self, series: AuditSeries) -> SeriesExport:
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


# Where a review's standards and the document's reviews go, each left empty.
_NO_STANDARDS = '\n      "standards": {}'
_STANDARDS_START = '\n      "standards": {\n        '
_NO_REVIEWS = '\n  "reviews": []'


def to_json(document: ExportDocument) -> str:
    """The document as JSON, indented by two spaces, ending in a line feed.

    The text is ``document.model_dump_json(indent=2, by_alias=True)`` and a line
    feed, every byte (tests/test_export_text.py holds it to that), put together
    faster: each part that reviews share (see ``_Parts``) is written once, then
    set in every review that has it at that review's depth. A JSON string never
    holds a line break, so a text is put deeper by indenting each of its lines.
    """
    keys: dict[str, str] = {}
    # By the id of the part: the document holds every part while this runs.
    standards: dict[int, str] = {}
    pieces: list[str] = []
    for review in document.reviews:
        pieces.append(",\n    " if pieces else "\n    ")
        text = _deeper(_json(review.model_copy(update={"standards": {}})), 4)
        if not review.standards:
            pieces.append(text)
            continue
        head, tail = text.split(_NO_STANDARDS, 1)
        pieces.append(head)
        separator = _STANDARDS_START
        for standard_id, standard in review.standards.items():
            key = keys.get(standard_id)
            if key is None:
                key = keys[standard_id] = pydantic_core.to_json(standard_id).decode() + ": "
            part = standards.get(id(standard))
            if part is None:
                part = standards[id(standard)] = _deeper(_json(standard), 8)
            pieces += (separator, key, part)
            separator = ",\n        "
        pieces += ("\n      }", tail)
    text = _json(document.model_copy(update={"reviews": []}))
    if not pieces:
        return text + "\n"
    head, tail = text.split(_NO_REVIEWS, 1)
    return "".join([head, '\n  "reviews": [', *pieces, "\n  ]", tail, "\n"])


def _json(model: ExportModel) -> str:
    return model.model_dump_json(indent=2, by_alias=True)


def _deeper(text: str, spaces: int) -> str:
    """JSON ``text`` indented by ``spaces`` more, but for its first line."""
    return text.replace("\n", "\n" + " " * spaces)
