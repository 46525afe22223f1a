"""The invented programme while it is being invented: boroughs, teams, reviews, case
audits and actions, filled in step by step before they are written out as files.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from generator.workflow.synth.names import Service


@dataclass
class Case:
    ref: str
    worker: str
    interviewed: list[str]
    record_reviewed: bool
    grades: dict[str, str]


@dataclass
class Action:
    id: str
    standards: list[str]
    action: str
    owner: str
    due: dt.date
    status: str = "open"
    completed: dt.date | None = None


@dataclass
class Review:
    date: dt.date
    positions: dict[str, int]  # standard id -> place on the scale, 0 the worst
    ratings: dict[str, str]  # standard id -> label
    overall: str
    limited_by: tuple[str, ...]
    status: str = "presented"
    reviewers: list[tuple[str, str]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    notes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    blank: set[str] = field(default_factory=set)  # left unrated in a draft
    cases: list[Case] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


@dataclass
class Team:
    borough_id: str
    borough_code: str
    id: str
    name: str
    service: Service
    code: str
    rng: random.Random
    first: dt.date  # the first review
    established: dt.date
    closed: dt.date | None = None
    replaced_by: list[str] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)

    def open_on(self, day: dt.date) -> bool:
        return self.established <= day and (self.closed is None or day <= self.closed)


@dataclass
class Borough:
    id: str
    name: str
    short: str
    code: str
    teams: list[Team]
