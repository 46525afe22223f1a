"""A review's own page: its findings, ratings, case audits and action plan."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.core.dates import day_text
from generator.render.page import Page, PageContext
from generator.render.urls import review_path
from generator.render.view import SiteView
from generator.score.review import ReviewResult
from generator.score.team import TeamResult


@dataclass(frozen=True)
class ReviewContext(PageContext):
    team: TeamResult
    review: ReviewResult

    def variables(self) -> dict[str, Any]:
        # Standards are named in the words of the review's own framework version.
        version = self.review.record.review.framework_version
        return {**super().variables(), "standards_version": version}


def review_pages(site: SiteView) -> Iterator[Page]:
    for team in site.results.teams:
        for review in team.history:
            record = review.record
            yield Page(
                review_path(record.borough_id, record.team_id, record.date),
                f"{team.record.team.name}: review of {day_text(record.date)}",
                "review.md.j2",
                ReviewContext(team, review),
                listed=False,
                team=(record.borough_id, record.team_id),
            )
