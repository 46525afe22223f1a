"""Partner boroughs' data packages joined to the comparison pages.

A borough that keeps its own repository publishes its results as a data
package (``qa-site export --format datapackage``). A site that lists the
package in ``mkdocs.yml`` shows its teams on the comparison pages beside its
own, scored by this site's rulebook over the standards both frameworks share:
a standard is shared when the package has one with the same id and the same
wording. Nothing else of a package is published: its teams have no scorecard
here, and it carries no narrative to show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.errors import ToolError
from generator.load.repository import SourceDocument
from generator.model.framework import Standard
from generator.model.organisation import Borough, Team
from generator.model.programme import BoroughRecord, Programme, ReviewRecord, TeamRecord
from generator.model.review import Review
from generator.score.results import Results
from generator.score.review import ReviewResult, score_over
from generator.score.rules import Rules
from generator.score.series import audit_series
from generator.score.team import TeamResult, team_result
from generator.share.datapackage.model import Package, PackageReview, PackageTeam


class PackageMismatch(ToolError):
    """A package that cannot be compared with this site's results at all."""


@dataclass(frozen=True)
class Source:
    """Where some of the compared boroughs' results come from."""

    package: Package
    label: str  # as written in mkdocs.yml
    boroughs: tuple[str, ...]  # ids
    shared: tuple[str, ...]  # ids of the standards compared
    same_framework: bool  # same framework name and version
    standard_count: int  # standards of this site's framework

    @property
    def unshared(self) -> int:
        """This site's standards the package's teams are not compared on."""
        return self.standard_count - len(self.shared)

    @property
    def all_standards(self) -> bool:
        """Every standard of this site's framework is shared."""
        return self.unshared == 0


@dataclass(frozen=True)
class Compared:
    """The programme and results the comparison pages show: this site's own
    published content plus the teams of every package."""

    programme: Programme
    results: Results
    sources: tuple[Source, ...]

    def source_of(self, borough_id: str) -> Source | None:
        for source in self.sources:
            if borough_id in source.boroughs:
                return source
        return None


def _wording(text: str) -> str:
    return " ".join(text.split()).casefold()


def shared_standards(package: Package, standards: dict[str, Standard]) -> list[Standard]:
    """This site's standards that the package has too, with the same wording in some
    version of this site's framework: a standard reworded with its meaning kept is
    the same standard, whichever version the package words it by."""
    return [
        standard
        for standard_id, standard in sorted(standards.items())
        if standard_id in package.standards
        and _wording(package.standards[standard_id].title) in _titles(standard)
    ]


def _titles(standard: Standard) -> set[str]:
    """Every title ``standard`` has had, from its newest back to the last change of
    meaning (before that, it measured something else)."""
    last = standard.title
    titles = {_wording(last)}
    for revision in standard.revisions:
        last = revision.title if revision.title is not None else last
        if revision.meaning == "changed":
            titles = set()
        titles.add(_wording(last))
    return titles


def compare_with(
    programme: Programme,
    results: Results,
    packages: Sequence[tuple[str, Package]],
) -> Compared:
    """``programme`` and ``results`` (already published) joined with ``packages``,
    each given with the label it was configured under."""
    if not packages:
        return Compared(programme, results, ())
    rules = results.rules
    boroughs = dict(programme.boroughs)
    teams = list(results.teams)
    reviews = list(results.reviews)
    sources = []
    for label, package in packages:
        _check_scale(label, package, rules)
        shared = shared_standards(package, programme.standards)
        if not shared:
            raise PackageMismatch(
                f"{label}: shares no standard with {programme.framework.name} "
                "(same id and wording); nothing to compare"
            )
        ids = []
        for borough in package.boroughs:
            if borough.id in boroughs:
                raise PackageMismatch(
                    f"{label}: borough '{borough.id}' is already on this site; a borough's "
                    "results come from one place only"
                )
            ids.append(borough.id)
            record = BoroughRecord(borough.id, Borough(name=borough.name, short=borough.short))
            for team in borough.teams:
                team_record, result = _team(label, team, shared, programme, rules, results)
                record.teams[team.id] = team_record
                teams.append(result)
                reviews.extend(result.history)
            boroughs[borough.id] = record
        framework = programme.framework
        sources.append(
            Source(
                package=package,
                label=label,
                boroughs=tuple(ids),
                shared=tuple(s.id for s in shared),
                same_framework=(package.framework_name, package.framework_version)
                == (framework.name, framework.version),
                standard_count=len(programme.standards),
            )
        )
    ordered = dict(sorted(boroughs.items()))
    joined = dataclasses.replace(programme, boroughs=ordered)
    order = {borough_id: i for i, borough_id in enumerate(ordered)}
    teams.sort(key=lambda t: (order[t.record.borough_id], t.record.id))
    reviews.sort(key=lambda r: (r.record.borough_id, r.record.team_id, r.record.date))
    critical = [s.id for _, s in sorted(programme.standards.items()) if s.critical]
    return Compared(
        joined,
        dataclasses.replace(
            results,
            teams=tuple(teams),
            reviews=tuple(reviews),
            series=audit_series(reviews, sorted(ordered), critical),
        ),
        tuple(sources),
    )


def _check_scale(label: str, package: Package, rules: Rules) -> None:
    theirs = [s.casefold() for s in package.scale]
    ours = [s.casefold() for s in rules.labels]
    if theirs != ours:
        raise PackageMismatch(
            f"{label}: its rating scale ({', '.join(package.scale)}) is not this site's "
            f"({', '.join(rules.labels)}); ratings on different scales are not comparable"
        )
    if package.adequate_or_above.casefold() != rules.adequate_or_above.casefold():
        raise PackageMismatch(
            f"{label}: it counts case audits from {package.adequate_or_above} up, this site "
            f"from {rules.adequate_or_above}; the shares are not comparable"
        )


def _team(
    label: str,
    team: PackageTeam,
    shared: list[Standard],
    programme: Programme,
    rules: Rules,
    results: Results,
) -> tuple[TeamRecord, TeamResult]:
    model = Team(name=team.name, service=team.service, closed=team.closed)
    record = TeamRecord(team.id, team.borough, model)
    history: list[ReviewResult] = []
    for review in team.reviews:
        review_record = _review_record(label, team, review, shared, rules)
        record.reviews.append(review_record)
        grades = {
            standard.id: [
                rules.label(grade)
                for grade, count in sorted(review.grades.get(standard.id, {}).items())
                for _ in range(count)
            ]
            for standard in shared
        }
        history.append(
            score_over(
                review_record,
                shared,
                grades,
                programme.framework,
                rules,
                history[-1] if history else None,
                results.as_of,
            )
        )
    return record, team_result(record, history, (), results.as_of)


def _review_record(
    label: str,
    team: PackageTeam,
    review: PackageReview,
    shared: list[Standard],
    rules: Rules,
) -> ReviewRecord:
    ids = {s.id for s in shared}
    model = Review(
        status="presented",
        framework_version=review.framework_version,
        ratings={
            standard_id: {"rating": rules.label(rating)}
            for standard_id, rating in sorted(review.ratings.items())
            if standard_id in ids
        },
    )
    source = SourceDocument(path=f"{label} ({team.borough}/{team.id}, {review.date})")
    return ReviewRecord(team.borough, team.id, review.date, model, "", source)
