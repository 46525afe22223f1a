"""Which problems stop a command: any error stops publishing the programme; only
errors in the files a review's score depends on stop scoring that review.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.check.validate import Validation
from generator.core.problems import Problem
from generator.load.repository import BOROUGH_FILE, TEAM_FILE
from generator.model.programme import Programme


def usable_programme(validation: Validation) -> Programme | None:
    """The programme, when no error stops publishing it (exporting, rendering,
    comparing); None when the errors in ``validation.problems`` must be fixed first."""
    programme = validation.programme
    if programme is None or any(p.is_error for p in validation.problems):
        return None
    return programme


def problems_blocking_score(problems: Iterable[Problem], review_path: str) -> list[Problem]:
    """The problems in the files the score of the review at ``review_path`` depends
    on: the rulebook, the review, its team and borough files, and the team's earlier
    reviews (for the change). Any error among them stops the scoring."""
    folder, _, name = review_path.rpartition("/")
    borough_file = f"{folder.rpartition('/')[0]}/{BOROUGH_FILE}"

    def needed(path: str) -> bool:
        if path in (review_path, borough_file, f"{folder}/{TEAM_FILE}") or is_rulebook(path):
            return True
        # An earlier review of the team: file names are dates, so they sort as dates.
        earlier, _, earlier_name = path.rpartition("/")
        return earlier == folder and earlier_name < name

    return [p for p in problems if needed(p.path)]


def is_rulebook(path: str) -> bool:
    """Whether ``path`` is part of the rulebook (the framework and the standards)."""
    return path.startswith("standards/")
