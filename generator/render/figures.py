"""The case-audit trend chart, drawn on several kinds of page, the values of
audit tallies as charts plot them, and the rating bands shaded behind a chart
of overall percentages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.core.numbers import share_text
from generator.render import charts
from generator.render.view import SiteView
from generator.score.audits import AuditTally
from generator.score.rules import Rules
from generator.score.series import AuditSeries


def series_figure(site: SiteView, title: str, series: Sequence[AuditSeries]) -> dict[str, Any]:
    """One line per series: the share adequate or above in each half-year."""
    periods = site.periods(series)
    lines = []
    for one in series:
        by_period = {p.period: p.audits for p in one.points}
        tallies = [by_period.get(period, AuditTally()) for period in periods]
        lines.append(
            charts.Line(
                series_name(site, one.standard),
                [share_value(t) for t in tallies],
                [site.tally_text(t) for t in tallies],
            )
        )
    return charts.line_chart(
        title, [p.text for p in periods], lines, "Adequate or above", (0, 105)
    )


def series_name(site: SiteView, standard: str | None) -> str:
    """A series as its legend names it: ``S47 Supervision``, or ``All standards``."""
    return "All standards" if standard is None else site.named(standard)


def band_shades(rules: Rules) -> list[charts.Shade]:
    """Each rating band's range of overall percentages, best first, to shade
    behind a chart of them (``charts.line_chart(..., bands=...)``)."""
    return [
        charts.Shade(band.label, float(band.lowest), float(band.top), rules.rank(band.label))
        for band in rules.bands
    ]


def share_value(tally: AuditTally) -> float | None:
    return None if tally.share is None else float(tally.share)


def share_label(tally: AuditTally) -> str:
    return "" if tally.share is None else share_text(tally.share)
