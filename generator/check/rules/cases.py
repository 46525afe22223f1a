"""Rules for a review's case audits: one case per social worker, each with its
reference once final, graded on the scale against standards of the version.
"""

from __future__ import annotations

from generator.check.context import CheckContext
from generator.check.rules.common import (
    check_label,
    check_standard_ref,
    check_unique,
    standards_of,
)
from generator.load.repository import Loc
from generator.model.review import Review


def check_case_audits(ctx: CheckContext, review: Review, version: int | None) -> None:
    """Case references and workers are unique; a final review gives every case its
    reference and grades; grades name standards of the version and scale labels."""
    doc = review.source
    final = review.status != "draft"
    # A blank reference (allowed in a draft) is never a duplicate of another.
    refs = [c.ref or f"\0{i}" for i, c in enumerate(review.cases)]
    check_unique(ctx, doc, "cases", "ref", refs, "case")
    workers = [c.worker for c in review.cases]
    why = "; the audit takes one case per social worker"
    check_unique(ctx, doc, "cases", "worker", workers, "worker", why)
    confirmed = standards_of(ctx, version)
    for index, case in enumerate(review.cases):
        loc: Loc = ("cases", index)
        if case.ref is None and final:
            ctx.error(
                doc,
                (*loc, "ref"),
                f"no case reference given; a {review.status} review gives every "
                "audited case its reference",
            )
        if not case.grades and final:
            ctx.warn(doc, loc, "case audit has no grades")
        for standard_id, written in case.grades.items():
            grade_loc: Loc = (*loc, "grades", standard_id)
            if standard_id not in confirmed or standard_id in ctx.uncertain_standards:
                check_standard_ref(ctx, doc, grade_loc, standard_id, version)
            check_label(ctx, doc, grade_loc, written)
