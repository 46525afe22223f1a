"""Rules for action plans, in reviews and board meetings: ids used once, dates
that follow, and an action for every rating that needs one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from generator.check.context import CheckContext
from generator.check.rules.common import check_standard_ref, check_unique
from generator.load.repository import Loc, SourceDocument
from generator.model.review import Action, Review


def check_actions(
    ctx: CheckContext,
    doc: SourceDocument,
    actions: Sequence[Action],
    date: dt.date,
    version: int | None,
) -> None:
    """Action ids are unique; each action names standards of the version, is due
    after the file's date, and has a completion date exactly when done."""
    check_unique(ctx, doc, "actions", "id", [a.id for a in actions], "action id")
    for index, action in enumerate(actions):
        loc: Loc = ("actions", index)
        for position, standard_id in enumerate(action.standards):
            check_standard_ref(ctx, doc, (*loc, "standards", position), standard_id, version)
        if action.due <= date:
            ctx.error(
                doc,
                (*loc, "due"),
                f"due {action.due}, which is not after the date of the file ({date})",
            )
        if action.status == "done" and action.completed is None:
            ctx.error(
                doc,
                (*loc, "completed"),
                "a done action needs its completion date (completed: YYYY-MM-DD)",
            )
        if action.status == "open" and action.completed is not None:
            ctx.warn(
                doc,
                (*loc, "completed"),
                "a completion date is given but the status is 'open', so the action "
                "counts as open; if it is finished, set status: done",
            )
        if action.completed is not None and action.completed > ctx.as_of:
            ctx.error(
                doc,
                (*loc, "completed"),
                f"{action.completed} is in the future (today is {ctx.as_of})",
            )


def check_action_coverage(ctx: CheckContext, review: Review, ratings: dict[str, str]) -> None:
    """Every Inadequate standard, and every critical one below Good, needs an action."""
    if ctx.scale is None or ctx.framework is None:
        return
    labels = ctx.scale.labels
    # "Below Good" in the contract: at or below the adequate-or-above line.
    line = ctx.scale.resolve(ctx.framework.adequate_or_above)
    line_index = labels.index(line) if line is not None else len(labels)
    addressed = {s for action in review.actions for s in action.standards}
    for standard_id, label in ratings.items():
        if standard_id in addressed:
            continue
        if label == labels[-1]:
            reason = f"rated {label}"
        elif ctx.standards[standard_id].critical and labels.index(label) >= line_index:
            reason = f"a critical standard rated {label}"
        else:
            continue
        ctx.error(
            review.source,
            ("ratings", standard_id),
            f"{reason} but no action names it; add an action with standards: [{standard_id}]",
        )
