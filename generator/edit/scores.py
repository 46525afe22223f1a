"""The live score beside the form, from the scoring package's own result."""

from __future__ import annotations

from typing import Any

from generator.core.dates import day_text
from generator.core.numbers import score_text
from generator.edit.live import Checked
from generator.model.programme import Programme
from generator.score.rules import Rules


def score_summary(checked: Checked, programme: Programme) -> dict[str, Any]:
    """What the score panel shows: the overall result, what limits it, and when the next
    review is due; or why there is no score yet."""
    result = checked.result
    if result is None:
        if checked.review is None:
            why = "The review cannot be scored until the problems in this file are fixed."
        elif checked.score_blocked_by:
            first = checked.score_blocked_by[0]
            why = f"The score waits for a problem in {first.path}: {first.message}"
        else:
            why = "The review cannot be scored yet."
        return {"ready": False, "why": why}
    overall = result.overall
    review = checked.review
    assert review is not None
    version = review.review.framework_version
    rules = Rules.from_framework(programme.framework)
    summary: dict[str, Any] = {
        "ready": True,
        "provisional": bool(checked.errors),
        "rated": result.rated,
        "standards": len(result.standards),
        "draft": review.status == "draft",
    }
    if overall.score is None or overall.rating is None:
        summary.update(rating=None, text="No standards rated yet.")
        return summary
    score = overall.score
    limited_by = [
        {"id": s, "name": programme.standards[s].nearest_wording(version).short_name}
        for s in overall.limited_by
        if s in programme.standards
    ]
    summary.update(
        rating=overall.rating,
        percent=score_text(score.percent),
        points=f"{score.points} of {score.max_points} points",
        band=score.band,
        position=f"{score.band} band, {score.band_position.value} half",
        limited=bool(overall.limited_by),
        limited_by=limited_by,
        lowest=rules.lowest,
        next_review=day_text(result.next_review_due) if result.next_review_due else None,
    )
    return summary
