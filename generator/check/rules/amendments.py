"""Rules for amendments, the changes recorded after a review was presented."""

from __future__ import annotations

import datetime as dt

from generator.check.context import CheckContext
from generator.load.repository import Loc
from generator.model.review import Review


def check_amendments(ctx: CheckContext, review: Review, date: dt.date) -> None:
    """Only a presented review has amendments, each dated from the review to today."""
    doc = review.source
    if review.amendments and review.status != "presented":
        ctx.error(
            doc,
            ("amendments",),
            f"amendments record changes made after a review was presented; this review "
            f"is {review.status}, so change it directly and remove the amendments",
        )
    for index, amendment in enumerate(review.amendments):
        loc: Loc = ("amendments", index, "date")
        if amendment.date < date:
            ctx.error(doc, loc, f"{amendment.date} is before the review ({date})")
        elif amendment.date > ctx.as_of:
            ctx.error(doc, loc, f"{amendment.date} is in the future (today is {ctx.as_of})")
