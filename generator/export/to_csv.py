"""The CSV export: tidy, one row per review and standard."""

from __future__ import annotations

from generator.export.cells import csv_line_writer, csv_text
from generator.export.document import ExportDocument, ReviewExport, StandardExport

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
    """Tidy CSV: one row per review and standard, the review's cells then the standard's.

    Text cells go through :func:`csv_text`; numbers, dates and true/false are
    written as they are.
    """
    line = csv_line_writer()
    lines = [line(list(CSV_COLUMNS)) + "\n"]
    # Reviews share most of their standards' parts (see to_json._Parts): each part's
    # cells are written once for each standard id it has, and joined to each review's.
    # The document holds every part while this runs, so no id is taken by another.
    ends: dict[tuple[str, int], str] = {}
    for review in document.reviews:
        start = line(_review_cells(document, review))
        for standard_id, standard in review.standards.items():
            key = (standard_id, id(standard))
            end = ends.get(key)
            if end is None:
                end = ends[key] = line(_standard_cells(standard_id, standard))
            lines.append(f"{start},{end}\n")
    return "".join(lines)


def _review_cells(document: ExportDocument, review: ReviewExport) -> list[object]:
    return [
        document.as_of.isoformat(),
        csv_text(review.borough),
        csv_text(review.team),
        review.date.isoformat(),
        csv_text(review.status),
        review.framework_version,
    ]


def _standard_cells(standard_id: str, s: StandardExport) -> list[object]:
    return [
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
