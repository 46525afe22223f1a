"""The package, built from tables that read without a problem."""

from __future__ import annotations

import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from generator.share.datapackage.cells import parse_date
from generator.share.datapackage.model import (
    Package,
    PackageBorough,
    PackageReview,
    PackageStandard,
    PackageTeam,
)
from generator.share.datapackage.reading import Resource, Row
from generator.share.datapackage.tables import TO_REVIEW

_K = TypeVar("_K")
_V = TypeVar("_V")


def build_package(
    folder: Path,
    document: Mapping[str, Any],
    resources: Mapping[str, Resource],
    scale: tuple[str, ...],
) -> Package:
    """The package in ``folder``, from its descriptor and tables, once both read
    without a problem."""

    def rows(name: str) -> list[Row]:
        return resources[name].rows or []

    ratings: dict[tuple[str, ...], dict[str, str]] = {}
    for row in rows("ratings"):
        ratings.setdefault(_key_of(row), {})[row.values["standard"]] = row.values["rating"]
    grades: dict[tuple[str, ...], dict[str, dict[str, int]]] = {}
    for row in rows("grades"):
        per_standard = grades.setdefault(_key_of(row), {}).setdefault(row.values["standard"], {})
        per_standard[row.values["grade"]] = row.values["count"]
    reviews: dict[tuple[str, str], list[PackageReview]] = {}
    for row in rows("reviews"):
        key = _key_of(row)
        its_grades = grades.get(key, {})
        review = PackageReview(
            borough=row.values["borough"],
            team=row.values["team"],
            date=row.values["date"],
            framework_version=row.values["framework_version"],
            rating=row.values["rating"],
            percent=row.values["percent"],
            cases=row.values["cases"],
            ratings=_frozen(dict(sorted(ratings.get(key, {}).items()))),
            grades=_frozen(
                {
                    standard: _frozen(dict(sorted(counts.items(), key=lambda i: scale.index(i[0]))))
                    for standard, counts in sorted(its_grades.items())
                }
            ),
        )
        reviews.setdefault((review.borough, review.team), []).append(review)
    teams: dict[str, list[PackageTeam]] = {}
    for row in sorted(rows("teams"), key=lambda r: (r.values["borough"], r.values["id"])):
        borough, team_id = row.values["borough"], row.values["id"]
        teams.setdefault(borough, []).append(
            PackageTeam(
                borough=borough,
                id=team_id,
                name=row.values["name"],
                service=row.values["service"],
                closed=row.values["closed"],
                reviews=tuple(sorted(reviews.get((borough, team_id), []), key=lambda r: r.date)),
            )
        )
    boroughs = tuple(
        PackageBorough(
            id=row.values["id"],
            name=row.values["name"],
            short=row.values["short"],
            teams=tuple(teams.get(row.values["id"], [])),
        )
        for row in sorted(rows("boroughs"), key=lambda r: r.values["id"])
    )
    standards = sorted((standard_of(row) for row in rows("standards")), key=lambda s: s.id)
    qa_site = document["qa_site"]
    framework = qa_site["framework"]
    return Package(
        source=folder,
        name=document["name"],
        title=document["title"],
        as_of=parse_date(qa_site["as_of"]),
        framework_name=framework["name"],
        framework_version=framework["version"],
        scale=scale,
        adequate_or_above=framework["adequate_or_above"],
        standards=_frozen({s.id: s for s in standards}),
        boroughs=boroughs,
    )


def _key_of(row: Row) -> tuple[str, ...]:
    return tuple(row.cells[c] for c in TO_REVIEW.fields)


def standard_of(row: Row) -> PackageStandard:
    values = row.values
    return PackageStandard(
        id=values["id"],
        title=values["title"],
        domain=values["domain"],
        critical=values["critical"],
        introduced=values["introduced"],
        retired=values["retired"],
    )


def _frozen(mapping: dict[_K, _V]) -> Mapping[_K, _V]:
    return types.MappingProxyType(mapping)
