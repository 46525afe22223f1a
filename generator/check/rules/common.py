"""Rules several kinds of file share: no repeated entry in a list, ratings on
the framework's scale, and references to its evidence sources and standards.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from generator.check.context import CheckContext
from generator.core.matching import did_you_mean, did_you_mean_id
from generator.load.repository import Loc, SourceDocument, format_loc
from generator.model.framework import Standard


def check_unique(
    ctx: CheckContext,
    doc: SourceDocument,
    key: str,
    field: str,
    values: Sequence[str],
    what: str,
    why: str = "",
) -> None:
    """Each entry of list ``key`` has a ``field`` no earlier entry has."""
    first: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in first:
            ctx.error(
                doc,
                (key, index, field),
                f"{what} '{value}' is already used in "
                f"{format_loc(ctx.as_written(doc, (key, first[value])))}{why}",
            )
        first.setdefault(value, index)


def check_per_label(
    ctx: CheckContext, doc: SourceDocument, key: str | Loc, mapping: dict[str, Any]
) -> dict[str, Any]:
    """A map (at ``key``, a top-level key or a location) keyed by scale label has one
    entry per label and no other; returns it keyed by canonical label."""
    assert ctx.scale is not None
    loc: Loc = (key,) if isinstance(key, str) else key
    resolved: dict[str, Any] = {}
    for written, value in mapping.items():
        label = ctx.scale.resolve(written)
        if label is None:
            hint = did_you_mean(written, ctx.scale.labels)
            ctx.error(doc, (*loc, written), f"'{written}' is not a label of the scale{hint}")
        else:
            resolved[label] = value
    for label in ctx.scale.labels:
        if label not in resolved:
            ctx.error(doc, loc, f"no entry for '{label}': every scale label needs one")
    return resolved


def check_label(ctx: CheckContext, doc: SourceDocument, loc: Loc, written: str) -> str | None:
    """A rating is a label of the scale; returns the label as the scale spells it."""
    if ctx.scale is None:
        return None
    label = ctx.scale.resolve(written)
    if label is None:
        hint = did_you_mean(written, ctx.scale.labels)
        if not hint:
            hint = "; expected one of: " + ", ".join(ctx.scale.labels)
        ctx.error(doc, loc, f"'{written}' is not a rating on the scale{hint}")
    return label


def check_evidence_ids(
    ctx: CheckContext, doc: SourceDocument, loc: Loc, ids: Sequence[str]
) -> None:
    """Each evidence source named is one of the framework's."""
    if ctx.framework is None or not ids:
        return
    known = [e.id for e in ctx.framework.evidence_sources]
    for index, source_id in enumerate(ids):
        if source_id not in known:
            hint = did_you_mean(source_id, known)
            ctx.error(doc, (*loc, index), f"no evidence source '{source_id}'{hint}")


def check_standard_ref(
    ctx: CheckContext, doc: SourceDocument, loc: Loc, standard_id: str, version: int | None
) -> bool:
    """A standard named is in the catalogue and part of framework ``version``;
    returns whether it is."""
    if not ctx.standards or standard_id in ctx.uncertain_standards:
        return False
    if standard_id in standards_of(ctx, version):
        return True
    standard = ctx.standards.get(standard_id)
    if standard is None:
        hint = did_you_mean_id(standard_id, ctx.standards)
        ctx.error(doc, loc, f"no standard '{standard_id}' in the catalogue{hint}")
        return False
    if version is not None and not standard.in_version(version):
        ctx.error(doc, loc, not_in_version(standard, version))
        return False
    return True


def not_in_version(standard: Standard, version: int) -> str:
    """Why ``standard`` cannot be named under framework ``version``, and what to name instead."""
    if standard.retired is not None and version >= standard.retired:
        instead = (
            f"; it was replaced by {_either(standard.replaced_by)}" if standard.replaced_by else ""
        )
        return (
            f"standard '{standard.id}' was retired in framework version {standard.retired}, "
            f"so version {version} does not have it{instead}"
        )
    return (
        f"standard '{standard.id}' was introduced in framework version {standard.introduced}, "
        f"so version {version} does not have it"
    )


def _either(ids: Sequence[str]) -> str:
    quoted = [f"'{i}'" for i in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def standards_of(ctx: CheckContext, version: int | None) -> Collection[str]:
    """The ids ``check_standard_ref`` confirms for ``version`` (all, when None), unless
    they are uncertain: for the rules that check thousands of references."""
    return ctx.standards if version is None else ctx.ids_in_version(version)
