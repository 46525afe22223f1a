"""The CSV export: tidy, one row per review and standard."""

from __future__ import annotations

from collections.abc import Iterator

from generator.export.cells import csv_lines, csv_text
from generator.export.document import ExportDocument

# Each column of the CSV export, with its meaning (for the docs).
CSV_COLUMNS: dict[str, str] = {
    "as_of": "The as-of date of the export.",
    "borough": "Borough id.",
    "team": "Team id.",
    "date": "The review's date.",
    "status": "`completed` or `presented`.",
    "framework_version": "The framework version the review used.",
    "standard": "Standard id.",
    "domain": "The standard's domain id.",
    "critical": "Whether the standard is critical.",
    "rating": "The rating label.",
    "value": "Its value on the scale.",
    "change": "`improved`, `declined`, `unchanged` or `new`, against the previous presented "
    "review.",
    "previous": "The rating in the previous presented review.",
    "audit_graded": "Case-audit grades for the standard.",
    "audit_adequate_or_above": "Of those, how many are adequate or above.",
    "disagree": "Whether the rating and the case audits disagree.",
}


def to_csv(document: ExportDocument) -> str:
    """Tidy CSV: one row per review and standard.

    Text cells go through :func:`csv_text`; numbers, dates and true/false are
    written as they are.
    """
    return csv_lines([list(CSV_COLUMNS), *_csv_rows(document)])


def _csv_rows(document: ExportDocument) -> Iterator[list[object]]:
    for review in document.reviews:
        for standard_id, s in review.standards.items():
            yield [
                document.as_of.isoformat(),
                csv_text(review.borough),
                csv_text(review.team),
                review.date.isoformat(),
                csv_text(review.status),
                review.framework_version,
                csv_text(standard_id),
                csv_text(s.domain),
                "true" if s.critical else "false",
                csv_text(s.rating),
                s.value,
                csv_text(s.change),
                csv_text(s.previous or ""),
                s.audits.graded,
                s.audits.adequate_or_above,
                "true" if s.disagree else "false",
            ]
