"""What to invent and what was invented: the plan's sizes, seed and dates, and the files.

Nothing here reads the clock: the programme starts on a fixed day (earlier
for a long programme) so that every date derives from the arguments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.errors import UsageError
from generator.workflow.synth.yaml_text import counted

# The programme starts here, unless it is so long that it would not end before
# ENDS_BEFORE: then it starts as many years earlier as it needs.
START = dt.date(2010, 1, 4)
# Everything is dated before this, so the output is valid on any later day.
ENDS_BEFORE = dt.date(2026, 1, 1)


class SynthError(UsageError):
    """The programme cannot be written: the folder is in use, or the catalogue is unusable."""


@dataclass(frozen=True)
class Plan:
    """What to invent: how many boroughs, teams per borough and years, from which seed."""

    boroughs: int = 3
    teams: int = 25
    years: int = 10
    seed: int = 1

    @property
    def start(self) -> dt.date:
        return START.replace(year=min(START.year, ENDS_BEFORE.year - 1 - self.years))

    @property
    def end(self) -> dt.date:
        """The programme's last day: nothing is dated after it."""
        return self.start.replace(year=self.start.year + self.years) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Synthesised:
    """The invented files (repository path -> text) and how many of each there are."""

    files: dict[str, str]
    boroughs: int
    teams: int
    reviews: int
    meetings: int

    def summary(self) -> str:
        """``3 boroughs, 75 teams, 1,234 reviews, 120 meetings``."""
        counts = [
            counted(self.boroughs, "borough"),
            counted(self.teams, "team"),
            counted(self.reviews, "review"),
            counted(self.meetings, "meeting"),
        ]
        return ", ".join(counts)
