"""Rules for a review's ratings: each names a standard of the version and a
label of the scale, and a final review rates every standard of its version.
"""

from __future__ import annotations

from generator.check.context import CheckContext
from generator.check.rules.common import (
    check_evidence_ids,
    check_label,
    check_standard_ref,
    standards_of,
)
from generator.core.matching import same_id
from generator.load.repository import Loc
from generator.model.review import Review


def check_ratings(ctx: CheckContext, review: Review, version: int | None) -> dict[str, str]:
    """Each rating names a standard of the version, evidence sources of the
    framework and a scale label, given unless the review is a draft; returns
    the labels of the known standards rated, by standard id."""
    doc = review.source
    final = review.status != "draft"
    ratings: dict[str, str] = {}  # standard id -> canonical label
    confirmed = standards_of(ctx, version)
    for standard_id, entry in review.ratings.items():
        loc: Loc = ("ratings", standard_id)
        known = (
            standard_id in confirmed and standard_id not in ctx.uncertain_standards
        ) or check_standard_ref(ctx, doc, loc, standard_id, version)
        check_evidence_ids(ctx, doc, (*loc, "evidence"), entry.evidence)
        if entry.rating is None:
            if final:
                ctx.error(
                    doc, loc, f"no rating given; a {review.status} review rates every standard"
                )
            continue
        label = ctx.scale.resolve(entry.rating) if ctx.scale is not None else None
        if label is None:
            # Point at the 'rating:' line when the rating is written as a map.
            label_loc = (*loc, "rating") if (*loc, "rating") in doc.positions else loc
            label = check_label(ctx, doc, label_loc, entry.rating)
        if known and label is not None:
            ratings[standard_id] = label
    return ratings


def check_every_standard_rated(
    ctx: CheckContext, review: Review, version: int | None, pruned: set[Loc]
) -> None:
    """A final review rates every standard of its framework version."""
    doc = review.source
    final = review.status != "draft"
    if not (final and version is not None and ctx.standards and ("ratings",) not in pruned):
        return
    if not review.ratings:
        expected = [s.id for s in ctx.standards.values() if s.in_version(version)]
        ctx.error(
            doc,
            ("ratings",),
            f"a {review.status} review rates all {len(expected)} standards of "
            f"framework version {version}; none are rated",
        )
        return
    in_version = ctx.ids_in_version(version)
    unrated = [
        standard_id
        for standard_id in ctx.standards
        if standard_id in in_version
        and standard_id not in review.ratings
        and standard_id not in ctx.uncertain_standards
    ]
    if not unrated:
        return
    # A key refused or reported for its spelling (s02, S2) still
    # means the standard is rated: that one mistake is reported once.
    written = [k for k in review.ratings] + [
        str(loc[1]) for loc in pruned if loc[0] == "ratings" and len(loc) == 2
    ]
    salvaged_ids = {same_id(k, ctx.standards) for k in written}
    for standard_id in unrated:
        if standard_id not in salvaged_ids:
            ctx.error(
                doc,
                ("ratings", standard_id),
                f"{standard_id} is not rated; a {review.status} review rates "
                f"every standard of framework version {version}",
            )
