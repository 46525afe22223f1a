"""The validated programme: what the validator hands to scoring and rendering.

Plain containers over the models, in a stable order: boroughs and teams by id,
reviews and meetings by date. Only content that passed validation is here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.load.repository import SourceDocument
from generator.model.framework import Framework, Standard
from generator.model.meeting import Meeting
from generator.model.organisation import Borough, Team
from generator.model.review import Review, ReviewStatus


@dataclass(frozen=True)
class ReviewRecord:
    """One review of one team on one date, with its findings narrative."""

    borough_id: str
    team_id: str
    date: dt.date
    review: Review
    findings: str
    source: SourceDocument

    @property
    def status(self) -> ReviewStatus:
        return self.review.status


@dataclass(frozen=True)
class MeetingRecord:
    """One governance board meeting, with its minutes."""

    borough_id: str
    date: dt.date
    meeting: Meeting
    minutes: str
    source: SourceDocument


@dataclass
class TeamRecord:
    id: str
    borough_id: str
    team: Team
    reviews: list[ReviewRecord] = field(default_factory=list)  # by date


@dataclass
class BoroughRecord:
    id: str
    borough: Borough
    teams: dict[str, TeamRecord] = field(default_factory=dict)  # by id
    meetings: list[MeetingRecord] = field(default_factory=list)  # by date


@dataclass
class Programme:
    framework: Framework
    standards: dict[str, Standard]  # by id
    boroughs: dict[str, BoroughRecord]  # by id

    def standards_in(self, version: int) -> list[Standard]:
        """The standards a review of this framework version rates, in id order."""
        return [s for s in self.standards.values() if s.in_version(version)]

    @property
    def teams(self) -> list[TeamRecord]:
        return [t for b in self.boroughs.values() for t in b.teams.values()]

    @property
    def reviews(self) -> list[ReviewRecord]:
        return [r for t in self.teams for r in t.reviews]

    def review_at(self, path: str) -> ReviewRecord | None:
        """The review read from ``path`` (relative to the repository), if it is one."""
        for review in self.reviews:
            if review.source.path == path:
                return review
        return None

    @property
    def meetings(self) -> list[MeetingRecord]:
        return [m for b in self.boroughs.values() for m in b.meetings]
