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
