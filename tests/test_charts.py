"""What the site's charts say, read from the figures plotly.js draws: half-years in
words, standards named in legends, rating bands shaded and named behind a trend,
and the rating in each heatmap cell in a colour that stands out from the cell."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from generator import pipeline
from generator.papers.svg import line_chart as svg_line_chart
from generator.render import charts
from generator.render.figures import band_shades, series_figure, series_name
from generator.render.view import SiteView
from generator.score.series import HalfYear
from tests.support.paths import ROOT

AS_OF = dt.date(2017, 1, 1)
BANDS = [
    charts.Shade("Outstanding", 80.0, 100.0, 0),
    charts.Shade("Good", 65.0, 80.0, 1),
    charts.Shade("Adequate", 50.0, 65.0, 2),
    charts.Shade("Inadequate", 0.0, 50.0, 3),
]


@pytest.fixture(scope="module")
def site() -> SiteView:
    outcome = pipeline.run(ROOT, AS_OF)
    assert outcome.programme is not None and outcome.results is not None
    return SiteView(outcome.programme, outcome.results)


@pytest.mark.parametrize(
    ("period", "text", "label"),
    [
        (HalfYear(2011, 2), "Jul\u2013Dec 2011", "2011-H2"),
        (HalfYear(2012, 1), "Jan\u2013Jun 2012", "2012-H1"),
        (HalfYear.of(dt.date(2009, 6, 30)), "Jan\u2013Jun 2009", "2009-H1"),
        (HalfYear.of(dt.date(2009, 7, 1)), "Jul\u2013Dec 2009", "2009-H2"),
    ],
)
def test_a_half_year_is_written_in_months_for_readers_and_kept_short_for_files(
    period: HalfYear, text: str, label: str
) -> None:
    assert (period.text, period.label) == (text, label)


def test_the_audit_trend_names_its_half_years_and_its_standards(site: SiteView) -> None:
    series = [s for s in site.results.series if s.borough is None]
    figure = series_figure(site, "Audits", series)
    names = [trace["name"] for trace in figure["data"]]
    critical = [s.standard for s in series if s.standard is not None]
    assert names == [f"{id} {site.short_name(id)}" for id in critical] + ["All standards"]
    assert all(site.short_name(id) != id for id in critical)
    x = figure["data"][0]["x"]
    assert x[:3] == ["Jul\u2013Dec 2009", "Jan\u2013Jun 2010", "Jul\u2013Dec 2010"]
    assert not any("-H" in label for label in x)


def test_a_series_of_a_standard_the_framework_lacks_is_named_by_its_code(site: SiteView) -> None:
    assert series_name(site, "S999") == "S999"
    assert series_name(site, None) == "All standards"


def test_the_sample_rulebook_gives_four_bands_covering_0_to_100(site: SiteView) -> None:
    shades = band_shades(site.rules)
    assert [s.label for s in shades] == list(site.rules.labels)
    assert [s.rank for s in shades] == [0, 1, 2, 3]
    assert shades[0].high == 100.0 and shades[-1].low == 0.0
    assert all(a.low == b.high for a, b in itertools.pairwise(shades))


def test_a_trend_has_each_band_shaded_behind_its_lines_and_named_beside_them() -> None:
    line = charts.Line("Overall", [55.0, 70.0], ["55.0%", "70.0%"])
    figure = charts.line_chart("Trend", ["May 2015", "June 2016"], [line], "%", (0, 105), BANDS)
    shapes, names = figure["layout"]["shapes"], figure["layout"]["annotations"]
    assert [(s["y0"], s["y1"]) for s in shapes] == [(80, 100), (65, 80), (50, 65), (0, 50)]
    assert [s["fillcolor"] for s in shapes] == [charts.rating_colour(r) for r in range(4)]
    assert {(s["layer"], s["xref"], s["x0"], s["x1"], s["opacity"]) for s in shapes} == {
        ("below", "paper", 0, 1, charts.SHADE_OPACITY)
    }
    assert [(n["text"], n["y"], n["x"], n["xanchor"]) for n in names] == [
        ("Outstanding", 90, 1, "left"),
        ("Good", 72.5, 1, "left"),
        ("Adequate", 57.5, 1, "left"),
        ("Inadequate", 25, 1, "left"),
    ]
    assert not any(n["showarrow"] for n in names)
    # The names stand in a right margin wide enough for them.
    assert figure["layout"]["margin"]["r"] == 100


def test_the_bands_of_a_figure_read_back_as_they_were_given() -> None:
    line = charts.Line("Overall", [55.0], ["55.0%"])
    bands = [*BANDS[:3], charts.Shade("Poor & <worse>", -10.0, 50.0, 3)]
    figure = charts.line_chart("Trend", ["May 2015"], [line], "%", (0, 105), bands)
    assert charts.shades_in(figure) == [*BANDS[:3], charts.Shade("Poor & <worse>", 0.0, 50.0, 3)]
    assert charts.shades_in(charts.line_chart("Trend", ["May 2015"], [line], "%", (0, 105))) == []


def test_bands_outside_the_axis_are_clipped_or_left_out_and_names_are_plain() -> None:
    line = charts.Line("Overall", [55.0], ["55.0%"])
    bands = [charts.Shade("<b>Top</b> & co", 90.0, 120.0, 0), charts.Shade("Low", -5.0, 0.0, 1)]
    figure = charts.line_chart("Trend", ["May 2015"], [line], "%", (0, 105), bands)
    assert [(s["y0"], s["y1"]) for s in figure["layout"]["shapes"]] == [(90, 105)]
    assert figure["layout"]["annotations"][0]["text"] == "&lt;b&gt;Top&lt;/b&gt; &amp; co"
    without = charts.line_chart("Trend", ["May 2015"], [line], "%", (0, 105))
    assert "shapes" not in without["layout"] or not without["layout"]["shapes"]


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        ("#0072B2", "#ffffff"),  # blue: white 5.2:1, black 4.0:1
        ("#009E73", "#000000"),
        ("#E69F00", "#000000"),  # amber: white would be 2.3:1
        ("#D55E00", "#000000"),
        ("#CC79A7", "#000000"),
        ("#56B4E9", "#000000"),
        ("#F0E442", "#000000"),
    ],
)
def test_text_on_a_rating_colour_is_black_or_white_whichever_reads_better(
    colour: str, expected: str
) -> None:
    assert charts.text_colour(colour) == expected
    assert charts.contrast(expected, colour) >= 4.5


def test_contrast_is_the_wcag_ratio() -> None:
    assert charts.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert charts.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert charts.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_each_heatmap_cell_has_its_rating_written_in_a_contrasting_colour() -> None:
    figure = charts.rating_heatmap(
        ["S01", "S02"],
        ["Team A", "Team B"],
        [[0, 2], [None, 3]],
        ["Outstanding (O)", "Good (G)", "Adequate (A)", "Inadequate (I)"],
        [["O", "A"], ["", "I"]],
    )
    heat, written = figure["data"]
    assert heat["type"] == "heatmap" and "texttemplate" not in heat
    assert written["type"] == "scatter" and written["mode"] == "text"
    assert list(zip(written["x"], written["y"], written["text"], strict=True)) == [
        ("Team A", "S01", "O"),
        ("Team B", "S01", "A"),
        ("Team B", "S02", "I"),
    ]
    assert written["textfont"]["color"] == ["#ffffff", "#000000", "#000000"]
    assert written["hoverinfo"] == "skip" and written["showlegend"] is False


def test_the_papers_shade_and_name_the_same_bands() -> None:
    line = charts.Line("Overall", [55.0, 70.0], ["55.0%", "70.0%"])
    picture = str(
        svg_line_chart(
            "Trend", ["May 2015", "June 2016"], [line], "%", (0, 100), id="t", bands=BANDS
        )
    )
    for shade in BANDS:
        assert f'fill="{charts.rating_colour(shade.rank)}" fill-opacity="0.12"' in picture
        assert f'text-anchor="end">{shade.label}</text>' in picture
    assert "Outstanding: 80% to 100%. Good: 65% to 80%." in picture
