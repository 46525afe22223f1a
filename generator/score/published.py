"""What counts as published: presented reviews only, and never draft minutes."""

from __future__ import annotations

import dataclasses

from generator.model.programme import (
    Programme,
)
from generator.score.results import Results


def published(results: Results) -> Results:
    """``results`` without completed reviews that are not presented yet."""
    return dataclasses.replace(
        results,
        reviews=tuple(r for r in results.reviews if r.presented),
        teams=tuple(dataclasses.replace(t, completed=()) for t in results.teams),
    )


def published_programme(programme: Programme) -> Programme:
    """``programme`` without draft minutes: they are never published."""
    boroughs = {
        borough_id: dataclasses.replace(
            borough, meetings=[m for m in borough.meetings if m.meeting.status != "draft"]
        )
        for borough_id, borough in programme.boroughs.items()
    }
    return dataclasses.replace(programme, boroughs=boroughs)
