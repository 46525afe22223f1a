"""Rules for the catalogue, ``standards/<ID>-<slug>.md``: file names that match
ids, ids used once, and what each standard names found in the framework.
"""

from __future__ import annotations

import re

from generator.check.context import CheckContext
from generator.check.rules.common import check_evidence_ids, check_per_label
from generator.core.matching import did_you_mean
from generator.core.problems import FILE
from generator.load.repository import SourceDocument
from generator.model.framework import Framework, Standard

_STANDARD_NAME = re.compile(r"([A-Z]+[0-9]+)-[a-z0-9]+(-[a-z0-9]+)*\.md")


def check_standards(ctx: CheckContext, docs: list[SourceDocument]) -> dict[str, Standard]:
    """Every catalogue rule; returns the usable standards by id, in id order."""
    standards: dict[str, Standard] = {}
    for doc in docs:
        name_match = _STANDARD_NAME.fullmatch(doc.name)
        if name_match is None:
            ctx.error(
                doc,
                FILE,
                f"file name must be <ID>-<slug>.md, like S07-safeguarding-enquiries.md; "
                f"got '{doc.name}'",
            )
        standard = ctx.parse(Standard, doc)
        if standard is None:
            if name_match is not None:
                ctx.uncertain_standards.add(name_match.group(1))
            continue
        if name_match is not None and name_match.group(1) != standard.id:
            ctx.uncertain_standards.update({standard.id, name_match.group(1)})
            ctx.error(
                doc,
                ("id",),
                f"id '{standard.id}' does not match the file name, which starts "
                f"'{name_match.group(1)}'",
            )
        if standard.id in standards:
            other = standards[standard.id].source
            ctx.error(
                doc,
                ("id",),
                f"id '{standard.id}' is already used by {other.path}:{other.line_of(('id',))}",
            )
            continue
        standards[standard.id] = standard
        if ctx.framework is not None:
            check_standard_in_framework(ctx, ctx.framework, standard)
    for standard in standards.values():
        check_replaced_by(ctx, standard, standards)
    return dict(sorted(standards.items()))


def check_standard_in_framework(ctx: CheckContext, fw: Framework, standard: Standard) -> None:
    """A standard's domain, evidence sources, descriptors and versions are the framework's."""
    doc = standard.source
    domains = [d.id for d in fw.domains]
    if standard.domain not in domains:
        hint = did_you_mean(standard.domain, domains)
        ctx.error(doc, ("domain",), f"no domain '{standard.domain}' in framework.yml{hint}")
    check_evidence_ids(ctx, doc, ("evidence",), standard.evidence)
    if ctx.scale is not None:
        check_per_label(ctx, doc, "descriptors", standard.descriptors)
    if standard.introduced > fw.version:
        ctx.error(
            doc,
            ("introduced",),
            f"version {standard.introduced} is later than the framework's "
            f"current version ({fw.version})",
        )
    if standard.retired is not None and standard.retired <= standard.introduced:
        ctx.error(
            doc,
            ("retired",),
            f"must be after the version it was introduced in ({standard.introduced})",
        )
    check_revisions(ctx, fw, standard)


def check_revisions(ctx: CheckContext, fw: Framework, standard: Standard) -> None:
    """Each revision is for a later version than the one before, while the standard
    is in the framework, and names the framework's labels and evidence sources."""
    doc = standard.source
    after = standard.introduced
    for index, revision in enumerate(standard.revisions):
        loc = ("revisions", index, "version")
        if revision.version <= after:
            ctx.error(
                doc,
                loc,
                f"must be after version {after}: revisions start after the version the "
                "standard was introduced in, oldest first",
            )
        elif revision.version > fw.version:
            ctx.error(
                doc,
                loc,
                f"version {revision.version} is later than the framework's current "
                f"version ({fw.version})",
            )
        elif standard.retired is not None and revision.version >= standard.retired:
            ctx.error(
                doc,
                loc,
                f"the standard is retired from version {standard.retired}, so it has no "
                f"wording in version {revision.version}",
            )
        after = max(after, revision.version)
        if revision.evidence is not None:
            check_evidence_ids(ctx, doc, ("revisions", index, "evidence"), revision.evidence)
        if revision.descriptors is not None and ctx.scale is not None:
            check_per_label(
                ctx, doc, ("revisions", index, "descriptors"), revision.descriptors
            )


def check_replaced_by(
    ctx: CheckContext, standard: Standard, standards: dict[str, Standard]
) -> None:
    """``replaced_by`` goes with ``retired`` and names standards of the version it was
    retired in."""
    doc = standard.source
    if standard.replaced_by and standard.retired is None:
        ctx.error(
            doc,
            ("replaced_by",),
            "only a retired standard is replaced: add `retired:` with the first version "
            "without it, or remove `replaced_by`",
        )
        return
    for index, other_id in enumerate(standard.replaced_by):
        other = standards.get(other_id)
        loc = ("replaced_by", index)
        if other is None:
            if other_id not in ctx.uncertain_standards:
                hint = did_you_mean(other_id, list(standards))
                ctx.error(doc, loc, f"no standard '{other_id}' in the catalogue{hint}")
        elif standard.retired is not None and not other.in_version(standard.retired):
            ctx.error(
                doc,
                loc,
                f"standard '{other_id}' is not part of framework version {standard.retired}, "
                "the version this standard was retired in",
            )
