"""Rules for review files, ``reviews/<borough>/<team>/<YYYY-MM-DD>.md``: the
date against the team and today, the framework version, the reviewers; then
the ratings, case audits, actions and amendments, each in its own module.
"""

from __future__ import annotations

import datetime as dt

from generator.check.context import CheckContext
from generator.check.mending import touched
from generator.check.rules.actions import check_action_coverage, check_actions
from generator.check.rules.amendments import check_amendments
from generator.check.rules.cases import check_case_audits
from generator.check.rules.common import check_evidence_ids
from generator.check.rules.files import dated_documents
from generator.check.rules.ratings import check_every_standard_rated, check_ratings
from generator.core.problems import FILE
from generator.load.repository import Loc, SourceDocument, TeamFolder
from generator.model.organisation import Team
from generator.model.programme import ReviewRecord, TeamRecord
from generator.model.review import Review


def check_team_reviews(
    ctx: CheckContext, borough_id: str, record: TeamRecord | None, folder: TeamFolder
) -> list[ReviewRecord]:
    """Check a team folder's reviews (even when its team.yml is unusable); returns
    those validated as written."""
    reviews = []
    team = record.team if record else None
    # All a review's check reads besides its file; with the same, it finds the same.
    context = (ctx.rulebook(), borough_id, record.id if record else None, team)
    for date, doc in dated_documents(ctx, folder.reviews):
        known, result = ctx.recall(doc, "review", (context, date))
        if not known:
            since = len(ctx.problems)
            result = _check_review_file(ctx, borough_id, record, doc, date)
            ctx.keep(doc, "review", (context, date), since, result)
        if isinstance(result, ReviewRecord):
            reviews.append(result)
    return reviews


def _check_review_file(
    ctx: CheckContext,
    borough_id: str,
    record: TeamRecord | None,
    doc: SourceDocument,
    date: dt.date,
) -> ReviewRecord | None:
    """Every rule for the review in ``doc``; its record when it is validated as written."""
    parsed = ctx.parse_partial(Review, doc)
    review = parsed.model
    if review is None:
        return None
    check_review_date(ctx, doc, review, date, record.team if record else None)
    check_review(ctx, review, date, parsed.pruned)
    if record is not None and parsed.complete:
        return ReviewRecord(borough_id, record.id, date, review, doc.body, doc)
    return None


def check_review_date(
    ctx: CheckContext, doc: SourceDocument, review: Review, date: dt.date, team: Team | None
) -> None:
    """A review is dated while its team exists, and a presented one not after today."""
    if team and team.closed and date > team.closed:
        ctx.error(doc, FILE, f"dated after the team closed ({team.closed})")
    if team and team.established and date < team.established:
        ctx.error(doc, FILE, f"dated before the team was established ({team.established})")
    if review.status == "presented" and date > ctx.as_of:
        ctx.error(
            doc,
            FILE,
            f"a presented review cannot be dated after today ({ctx.as_of}); "
            "check the date in the file name",
        )


def check_review(ctx: CheckContext, review: Review, date: dt.date, pruned: set[Loc]) -> None:
    """Every rule for one review's content, in order."""
    final = review.status != "draft"
    version = check_framework_version(ctx, review, date)
    check_lead_reviewer(ctx, review, pruned)
    check_evidence_ids(ctx, review.source, ("evidence",), review.evidence)
    ratings = check_ratings(ctx, review, version)
    check_every_standard_rated(ctx, review, version, pruned)
    check_case_audits(ctx, review, version)
    check_actions(ctx, review.source, review.actions, date, version)
    check_amendments(ctx, review, date)
    if final and not touched(pruned, "actions"):
        check_action_coverage(ctx, review, ratings)


def check_framework_version(ctx: CheckContext, review: Review, date: dt.date) -> int | None:
    """A review names a framework version that exists and was in force on its ``date``;
    returns the version, or None if there is no such version."""
    fw = ctx.framework
    if fw is None:
        return review.framework_version
    if review.framework_version > fw.version:
        ctx.error(
            review.source,
            ("framework_version",),
            f"there is no framework version {review.framework_version} "
            f"(the framework is at version {fw.version})",
        )
        return None
    entry = fw.version_entry(review.framework_version)
    if entry is not None and date < entry.in_force:
        ctx.error(
            review.source,
            ("framework_version",),
            f"framework version {review.framework_version} came into force on "
            f"{entry.in_force}, after this review's date ({date}); a review of that date "
            f"uses version {fw.in_force_on(date)}",
        )
    return review.framework_version


def check_lead_reviewer(ctx: CheckContext, review: Review, pruned: set[Loc]) -> None:
    """A final review has a reviewer with the role 'lead' (a warning)."""
    # After a misspelt key (reviewer:) the list is missing: that is reported already.
    if (
        review.status != "draft"
        and not any(len(loc) == 1 for loc in pruned)
        and not touched(pruned, "reviewers")
        and not any(r.role == "lead" for r in review.reviewers)
    ):
        ctx.warn(review.source, ("reviewers",), "no reviewer has the role 'lead'")
