"""The team-level CSV export: one row per review, with its team's name, service and
borough, its overall result, each domain's percentage and each critical standard's
rating. Beside the tidy CSV (one row per review and standard), it is the file a
partner analyst opens in a spreadsheet to compare like for like: filter `latest`
to `true` for each team's latest review.
"""

from __future__ import annotations

from generator.core.text import service_title
from generator.export.cells import csv_line_writer, csv_text
from generator.export.document import ExportDocument, ReviewExport, TeamExport

# The fixed columns, with their meaning (for the docs); then one column per domain
# and one per critical standard, named by the patterns below.
TEAM_CSV_COLUMNS: dict[str, str] = {
    "as_of": "The as-of date of the export.",
    "borough": "Borough id.",
    "borough_name": "The council's name.",
    "team": "Team id.",
    "team_name": "The team's name.",
    "service": "Service type id, for like-for-like comparison.",
    "service_name": "The service type, in words.",
    "team_closed": "When the team closed, if it has (else empty).",
    "date": "The review's date.",
    "status": "`completed` or `presented` (the site's downloads hold presented reviews only).",
    "latest": "Whether it is the team's latest review in the export (`true` or `false`): "
    "filter on `true` to compare teams like for like.",
    "framework_version": "The framework version the review used.",
    "overall_rating": "The overall rating, after the critical limiter.",
    "percent": "The overall percentage, one decimal place, rounded down.",
    "band": "The rating the percentage earns, before the limiter.",
    "band_position": "`upper` or `lower` half of that band.",
    "limited": "Whether a critical standard limited the overall rating (`true` or `false`).",
    "limited_by": "The critical standards that limited it, separated by spaces.",
}
DOMAIN_COLUMN = "domain_{id}_percent"
DOMAIN_MEANING = (
    "One column per domain (`{id}` is the domain's id): the review's percentage on that "
    "domain; empty when its framework version has no such domain."
)
CRITICAL_COLUMN = "critical_{id}"
CRITICAL_MEANING = (
    "One column per critical standard (`{id}` is the standard's id, e.g. `critical_S07`): "
    "the review's rating on it; empty when the review does not rate it."
)


# The columns written as they are (numbers, dates, true/false); every other is text.
_NOT_TEXT = {"as_of", "team_closed", "date", "latest", "framework_version", "percent", "limited"}


def team_csv_text_columns(header: list[str]) -> set[str]:
    """The text columns of a team-level CSV with ``header``: each written by ``csv_text``."""
    domains = {c for c in header if c.startswith("domain_") and c.endswith("_percent")}
    return set(header) - _NOT_TEXT - domains


def team_csv_header(document: ExportDocument) -> list[str]:
    """The columns of ``document``'s team-level CSV, in order."""
    domains, critical = _domains(document), _critical(document)
    return [
        *TEAM_CSV_COLUMNS,
        *(DOMAIN_COLUMN.format(id=d) for d in domains),
        *(CRITICAL_COLUMN.format(id=s) for s in critical),
    ]


def to_team_csv(document: ExportDocument) -> str:
    """One row per review, oldest first within each team, teams by borough and id.

    Text cells go through :func:`csv_text`; numbers, dates and true/false are
    written as they are.
    """
    domains, critical = _domains(document), _critical(document)
    teams = {(t.borough, t.id): t for t in document.teams}
    names = {b.id: b.name for b in document.boroughs}
    line = csv_line_writer()
    lines = [line(team_csv_header(document))]
    for review in sorted(document.reviews, key=lambda r: (r.borough, r.team, r.date)):
        team = teams[(review.borough, review.team)]
        cells = _review_cells(document, review, team, names.get(review.borough, ""))
        cells += [_domain_percent(review, d) for d in domains]
        cells += [_critical_rating(review, s) for s in critical]
        lines.append(line(cells))
    return "".join(f"{text}\n" for text in lines)


def _review_cells(
    document: ExportDocument, review: ReviewExport, team: TeamExport, borough_name: str
) -> list[object]:
    overall = review.overall
    return [
        document.as_of.isoformat(),
        csv_text(review.borough),
        csv_text(borough_name),
        csv_text(review.team),
        csv_text(team.name),
        csv_text(team.service),
        csv_text(service_title(team.service)),
        team.closed.isoformat() if team.closed else "",
        review.date.isoformat(),
        csv_text(review.status),
        "true" if team.latest_review == review.date else "false",
        review.framework_version,
        csv_text(overall.rating),
        overall.percent,
        csv_text(overall.band),
        csv_text(overall.band_position),
        "true" if overall.limited_by else "false",
        csv_text(" ".join(overall.limited_by)),
    ]


def _domain_percent(review: ReviewExport, domain: str) -> object:
    score = review.domains.get(domain)
    return "" if score is None else score.percent


def _critical_rating(review: ReviewExport, standard: str) -> str:
    result = review.standards.get(standard)
    return "" if result is None else csv_text(result.rating)


def _domains(document: ExportDocument) -> list[str]:
    """Every domain any review is scored on, in the order the reviews give them."""
    return list(dict.fromkeys(d for review in document.reviews for d in review.domains))


def _critical(document: ExportDocument) -> list[str]:
    """Every standard any review rates as critical, by id."""
    return sorted(
        {id for review in document.reviews for id, s in review.standards.items() if s.critical}
    )
