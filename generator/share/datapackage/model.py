"""What a data package holds, as the reader returns it, and the writer's errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from generator.core.errors import ToolError
from generator.core.files import FolderInUse
from generator.core.numbers import counted


class PackageError(ToolError):
    """The files written do not read back as a package: a bug in the writer."""


class PackageFolderInUse(FolderInUse, FileExistsError):
    """The output folder holds something other than a data package: not written.

    A ``FolderInUse`` like the site's own output folder, and a ``FileExistsError``
    for callers that treat it as one."""


@dataclass(frozen=True)
class PackageStandard:
    id: str
    title: str
    domain: str
    critical: bool
    introduced: int  # first framework version with it
    retired: int | None  # first framework version without it

    def in_version(self, version: int) -> bool:
        return self.introduced <= version and (self.retired is None or version < self.retired)


@dataclass(frozen=True)
class PackageReview:
    borough: str
    team: str
    date: dt.date
    framework_version: int
    rating: str  # overall, after the critical limiter
    percent: Decimal  # one decimal place, rounded down as the site shows it
    cases: int  # case audits
    ratings: Mapping[str, str]  # standard id -> rating label, by id
    grades: Mapping[str, Mapping[str, int]]  # standard id -> grade label -> count, best first


@dataclass(frozen=True)
class PackageTeam:
    borough: str
    id: str
    name: str
    service: str
    closed: dt.date | None
    reviews: tuple[PackageReview, ...]  # presented reviews, oldest first

    @property
    def latest(self) -> PackageReview | None:
        return self.reviews[-1] if self.reviews else None


@dataclass(frozen=True)
class PackageBorough:
    id: str
    name: str
    short: str
    teams: tuple[PackageTeam, ...]  # by id


@dataclass(frozen=True)
class Package:
    source: Path  # the package's folder
    name: str
    title: str
    as_of: dt.date
    framework_name: str
    framework_version: int
    scale: tuple[str, ...]  # rating labels, best first
    adequate_or_above: str
    standards: Mapping[str, PackageStandard]  # by id
    boroughs: tuple[PackageBorough, ...]  # by id

    def __str__(self) -> str:
        teams = sum(len(b.teams) for b in self.boroughs)
        return (
            f"{self.name}: {counted(len(self.boroughs), 'borough')}, {counted(teams, 'team')}, "
            f"{counted(len(self.reviews), 'presented review')}, as of {self.as_of.isoformat()}"
        )

    @property
    def reviews(self) -> tuple[PackageReview, ...]:
        """Every review, by borough, team and date."""
        return tuple(r for b in self.boroughs for t in b.teams for r in t.reviews)

    def borough(self, borough_id: str) -> PackageBorough:
        for borough in self.boroughs:
            if borough.id == borough_id:
                return borough
        raise KeyError(borough_id)

    def team(self, borough_id: str, team_id: str) -> PackageTeam:
        for team in self.borough(borough_id).teams:
            if team.id == team_id:
                return team
        raise KeyError((borough_id, team_id))
