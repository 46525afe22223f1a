"""Rules for ``standards/framework.yml``: a scale listed best first, limits and
bands that agree with it, and ids used once.
"""

from __future__ import annotations

from typing import Any

from generator.check.context import CheckContext
from generator.check.rules.common import check_label, check_per_label, check_unique
from generator.model.framework import Framework, Scale


def check_framework(ctx: CheckContext, fw: Framework) -> None:
    """Every framework rule; sets ``ctx.scale`` unless the scale's own labels are in doubt."""
    doc = fw.source
    check_unique(ctx, doc, "scale", "label", [lv.label.lower() for lv in fw.scale], "label")
    check_scale_order(ctx, fw)
    ctx.scale = Scale(fw)
    before = len(ctx.problems)
    check_label(ctx, doc, ("adequate_or_above",), fw.adequate_or_above)
    check_critical_limits(ctx, fw)
    bands = check_per_label(ctx, doc, "bands", fw.bands)
    check_per_label(ctx, doc, "review_interval_months", fw.review_interval_months)
    # If the framework's own labels disagree, which spelling is right is
    # unknown: checking every rating against the scale would only tell
    # reviewers to copy the mistake. Its labels are checked once it is fixed.
    scale_in_doubt = len(ctx.problems) > before
    check_unique(ctx, doc, "domains", "id", [d.id for d in fw.domains], "id")
    check_unique(ctx, doc, "evidence_sources", "id", [e.id for e in fw.evidence_sources], "id")
    check_bands(ctx, fw, bands)
    check_versions(ctx, fw)
    if scale_in_doubt:
        ctx.scale = None


def check_scale_order(ctx: CheckContext, fw: Framework) -> None:
    """The scale lists the best level first: each value lower than the one before."""
    for index in range(1, len(fw.scale)):
        if fw.scale[index].value >= fw.scale[index - 1].value:
            ctx.error(
                fw.source,
                ("scale", index, "value"),
                "the scale lists the best level first: each value must be lower "
                f"than the one before ({fw.scale[index - 1].value})",
            )


def check_critical_limits(ctx: CheckContext, fw: Framework) -> None:
    """The critical limits are labels of the scale, and two Inadequate critical
    standards allow no better an overall rating than one does."""
    assert ctx.scale is not None
    doc = fw.source
    one = check_label(
        ctx, doc, ("critical_limits", "one_inadequate"), fw.critical_limits.one_inadequate
    )
    two = check_label(
        ctx,
        doc,
        ("critical_limits", "two_or_more_inadequate"),
        fw.critical_limits.two_or_more_inadequate,
    )
    labels = ctx.scale.labels
    if one is not None and two is not None and labels.index(two) < labels.index(one):
        ctx.error(
            doc,
            ("critical_limits", "two_or_more_inadequate"),
            f"two or more critical standards rated {labels[-1]} cannot allow a better "
            f"overall rating ({two}) than one does ({one})",
        )


def check_bands(ctx: CheckContext, fw: Framework, bands: dict[str, Any]) -> None:
    """Each level's band starts below the one above it, and the lowest starts at 0."""
    assert ctx.scale is not None
    if len(bands) != len(ctx.scale.labels):
        return
    ordered = [bands[label] for label in ctx.scale.labels]
    for index in range(1, len(ordered)):
        if ordered[index] >= ordered[index - 1]:
            label = ctx.scale.labels[index]
            ctx.error(
                fw.source,
                ("bands", _key_as_written(fw.bands, label)),
                f"the band for '{label}' must start below the band for the level "
                f"above it ({ordered[index - 1]:g})",
            )
    if ordered[-1] != 0:
        label = ctx.scale.labels[-1]
        ctx.error(
            fw.source,
            ("bands", _key_as_written(fw.bands, label)),
            f"the lowest level's band must start at 0, so that every percentage "
            f"has a rating (got {ordered[-1]:g})",
        )


def _key_as_written(mapping: dict[str, Any], label: str) -> str:
    return next((k for k in mapping if k.lower() == label.lower()), label)


def check_versions(ctx: CheckContext, fw: Framework) -> None:
    """``versions``, when given, lists every version from 1 to ``version`` in order,
    each in force after the one before."""
    if not fw.versions:
        return
    doc = fw.source
    for index, item in enumerate(fw.versions):
        if item.version != index + 1:
            ctx.error(
                doc,
                ("versions", index, "version"),
                f"versions are listed from 1 upwards with none left out: "
                f"expected {index + 1}, got {item.version}",
            )
            return
        if index and item.in_force <= fw.versions[index - 1].in_force:
            ctx.error(
                doc,
                ("versions", index, "in_force"),
                f"must be after the date version {index} came into force "
                f"({fw.versions[index - 1].in_force})",
            )
    if fw.versions[-1].version != fw.version:
        ctx.error(
            doc,
            ("versions",),
            f"lists versions up to {fw.versions[-1].version}, but the framework is at "
            f"version {fw.version}; list every version up to the current one",
        )
