"""Plotly figures for the site, built in Python and drawn by the browser.

Each figure is plain JSON that ``site_templates/assets/charts.js`` hands to
plotly.js. Colours come from the Okabe-Ito palette, which stays distinct for
the common kinds of colour blindness, and never carry meaning alone: ratings
are also written on bars and cells, series also differ by marker and dash,
and every chart has a table with the same numbers beside it.

plotly.js reads the text it draws (titles, tick labels, legend names, text on
bars and cells, hover labels) as a small markup language: ``<a href>``,
``<b>``, ``<span style>``, ``<br>``, character references, and ``$...$`` for
MathJax. Every piece of text here comes from content files, so it is passed
through :func:`plain` first, and plotly.js shows it as written.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

# Okabe & Ito (2008), best rating first.
RATING_COLOURS = ("#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
RATING_PATTERNS = ("", "/", ".", "x", "-", "+", "\\")
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SERIES_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "star", "x")
SERIES_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid")


# Characters plotly.js gives a meaning to in text it draws, and the character
# references it turns back into those characters when it draws them. "%" has a
# meaning only in a hover template, where "%{" starts a variable.
_REFERENCES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "$": "&#36;", "%": "&#37;"}
_PLOTLY_MARKUP = re.compile(r"[&<>$]")
_TEMPLATE_MARKUP = re.compile(r"[&<>$%]")


def plain(text: str) -> str:
    """``text`` for plotly.js to draw exactly as written, never as markup."""
    return _PLOTLY_MARKUP.sub(lambda m: _REFERENCES[m.group(0)], text)


def _template_text(text: str) -> str:
    """``text`` inside a hover template: as :func:`plain`, and no ``%{...}`` variable."""
    return _TEMPLATE_MARKUP.sub(lambda m: _REFERENCES[m.group(0)], text)


def _plain_all(texts: Iterable[str]) -> list[str]:
    return [plain(text) for text in texts]


@dataclass(frozen=True)
class Shade:
    """A rating band's range of percentages, shaded behind a line chart and named
    there, so that a point reads as a rating without its colour."""

    label: str
    low: float
    high: float
    rank: int  # of the rating, 0 the best: its colour


# Band shading is faint, so that the lines and the band's name over it keep
# their contrast with the page (the name is drawn in the page's text colour).
SHADE_OPACITY = 0.12


@dataclass(frozen=True)
class Line:
    """One series of a line chart: y values (None for a gap) over shared x labels."""

    name: str
    values: Sequence[float | None]
    labels: Sequence[str]  # the text shown on hover for each point


def _figure(data: list[Any], title: str, height: int, **layout: Any) -> dict[str, Any]:
    figure = go.Figure(
        data=data,
        layout={
            "template": "none",
            "title": {"text": plain(title), "x": 0, "xanchor": "left"},
            "height": height,
            "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "inherit", "size": 13},
            **layout,
        },
    )
    result: dict[str, Any] = figure.to_plotly_json()
    return result


def rating_colour(rank: int) -> str:
    return RATING_COLOURS[rank % len(RATING_COLOURS)]


def line_chart(
    title: str,
    x: Sequence[str],
    lines: Sequence[Line],
    y_title: str,
    y_range: tuple[float, float],
    bands: Sequence[Shade] = (),
) -> dict[str, Any]:
    """Percentages over time, one line per series, each with its own marker and dash;
    behind them, each of ``bands`` shaded and named in the chart's right margin."""
    data = [
        go.Scatter(
            x=_plain_all(x),
            y=list(line.values),
            name=plain(line.name),
            mode="lines+markers",
            connectgaps=True,
            text=_plain_all(line.labels),
            hovertemplate="%{x}: %{text}<extra>%{fullData.name}</extra>",
            line={
                "color": SERIES_COLOURS[i % len(SERIES_COLOURS)],
                "dash": SERIES_DASHES[i % len(SERIES_DASHES)],
                "width": 2,
            },
            marker={"symbol": SERIES_SYMBOLS[i % len(SERIES_SYMBOLS)], "size": 9},
        )
        for i, line in enumerate(lines)
    ]
    return _figure(
        data,
        title,
        360,
        xaxis={"type": "category", "automargin": True},
        yaxis={"title": {"text": plain(y_title)}, "range": list(y_range), "ticksuffix": "%"},
        legend={"orientation": "h", "y": -0.2},
        **_band_layout(bands, y_range),
    )


def _band_layout(bands: Sequence[Shade], y_range: tuple[float, float]) -> dict[str, Any]:
    """Shapes and names for ``bands``, clipped to ``y_range``; nothing for no bands."""
    low_end, high_end = min(y_range), max(y_range)
    shapes, names = [], []
    for band in bands:
        low, high = max(band.low, low_end), min(band.high, high_end)
        if high <= low:
            continue
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": low,
                "y1": high,
                "fillcolor": rating_colour(band.rank),
                "opacity": SHADE_OPACITY,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        names.append(
            {
                "text": plain(band.label),
                "xref": "paper",
                "x": 1,
                "xanchor": "left",
                "xshift": 4,
                "yref": "y",
                "y": (low + high) / 2,
                "yanchor": "middle",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    if not shapes:
        return {}
    # Room on the right for the bands' names, outside the plot, clear of the lines.
    margin = {"l": 60, "r": 100, "t": 50, "b": 50}
    return {"shapes": shapes, "annotations": names, "margin": margin}


def percent_bars(
    title: str, names: Sequence[str], percents: Sequence[float], labels: Sequence[str]
) -> dict[str, Any]:
    """Horizontal bars of percentages, each labelled with its value and rating."""
    bar = go.Bar(
        x=list(percents),
        y=_plain_all(names),
        orientation="h",
        text=_plain_all(labels),
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
        marker={"color": SERIES_COLOURS[0]},
    )
    return _figure(
        [bar],
        title,
        80 + 34 * len(names),
        xaxis={"range": [0, 118], "ticksuffix": "%", "dtick": 25},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 20, "r": 20, "t": 50, "b": 40},
    )


def rating_stacks(
    title: str, groups: Sequence[str], labels: Sequence[str], counts: Sequence[Sequence[int]]
) -> dict[str, Any]:
    """Counts of each rating per group, stacked; each rating has a colour and a pattern.

    ``counts[i][j]`` is how many of group ``j`` have rating ``labels[i]``.
    """
    data = [
        go.Bar(
            x=_plain_all(groups),
            y=list(row),
            name=plain(label),
            hovertemplate="%{x}: %{y} " + _template_text(label) + "<extra></extra>",
            marker={
                "color": rating_colour(rank),
                "pattern": {"shape": RATING_PATTERNS[rank % len(RATING_PATTERNS)]},
                "line": {"color": "#000000", "width": 1},
            },
        )
        for rank, (label, row) in enumerate(zip(labels, counts, strict=True))
    ]
    return _figure(
        data,
        title,
        360,
        barmode="stack",
        yaxis={"title": {"text": "Teams"}, "dtick": 1},
        legend={"orientation": "h", "y": -0.15, "traceorder": "normal"},
    )


def grouped_shares(
    title: str, groups: Sequence[str], lines: Sequence[Line]
) -> dict[str, Any]:
    """Percentages side by side per group (one bar per series), values written on bars."""
    data = [
        go.Bar(
            x=_plain_all(groups),
            y=list(line.values),
            name=plain(line.name),
            text=_plain_all(line.labels),
            textposition="outside",
            textfont={"size": 12},
            cliponaxis=False,
            hovertemplate="%{x}: %{text}<extra>%{fullData.name}</extra>",
            marker={
                "color": SERIES_COLOURS[i % len(SERIES_COLOURS)],
                "pattern": {"shape": RATING_PATTERNS[i % len(RATING_PATTERNS)]},
                "line": {"color": "#000000", "width": 1},
            },
        )
        for i, line in enumerate(lines)
    ]
    return _figure(
        data,
        title,
        380,
        barmode="group",
        yaxis={"range": [0, 115], "ticksuffix": "%", "title": {"text": "Adequate or above"}},
        legend={"orientation": "h", "y": -0.15},
    )


def rating_heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    ranks: Sequence[Sequence[int | None]],
    labels: Sequence[str],
    texts: Sequence[Sequence[str]],
) -> dict[str, Any]:
    """A grid of ratings, coloured by rank and with the rating written in each cell.

    ``ranks`` holds the rank of the rating (0 is best) or None where there is none.
    """
    levels = len(labels)
    colourscale: list[list[Any]] = []
    for rank in range(levels):
        low, high = rank / levels, (rank + 1) / levels
        colourscale += [[low, rating_colour(rank)], [high, rating_colour(rank)]]
    xs, ys = _plain_all(columns), _plain_all(rows)
    cell_texts = [_plain_all(row) for row in texts]
    heat = go.Heatmap(
        z=[list(row) for row in ranks],
        x=xs,
        y=ys,
        text=cell_texts,
        hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        zmin=-0.5,
        zmax=levels - 0.5,
        colorscale=colourscale,
        xgap=2,
        ygap=2,
        colorbar={
            "tickvals": list(range(levels)),
            "ticktext": _plain_all(labels),
            "title": {"text": "Rating"},
        },
    )
    # The rating in each cell is drawn over it in black or white, whichever
    # stands out more from the cell's colour (plotly.js gives a heatmap's text
    # one colour for every cell).
    written = [
        (x, y, text, text_colour(rating_colour(rank)))
        for y, row_ranks, row_texts in zip(ys, ranks, cell_texts, strict=True)
        for x, rank, text in zip(xs, row_ranks, row_texts, strict=True)
        if rank is not None and text
    ]
    on_cells = go.Scatter(
        x=[x for x, _, _, _ in written],
        y=[y for _, y, _, _ in written],
        text=[text for _, _, text, _ in written],
        mode="text",
        textfont={"color": [colour for _, _, _, colour in written], "size": 13},
        hoverinfo="skip",
        showlegend=False,
    )
    # No title inside the chart: the long, slanted team names need the room.
    return _figure(
        [heat, on_cells],
        "",
        260 + 22 * len(rows),
        xaxis={"side": "top", "type": "category", "tickangle": -45, "automargin": True},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        margin={"l": 20, "r": 20, "t": 20, "b": 20},
    )


def shades_in(figure: dict[str, Any]) -> list[Shade]:
    """The bands a line chart of :func:`line_chart` shades, read back from its
    figure (as clipped to its axis), their names as written: for the papers,
    which draw the same chart again."""
    layout = figure.get("layout", {})
    shapes = [s for s in layout.get("shapes", ()) if s.get("type") == "rect"]
    names = layout.get("annotations", ())
    colours = [colour.lower() for colour in RATING_COLOURS]
    return [
        Shade(
            html.unescape(str(name.get("text", ""))),
            float(shape["y0"]),
            float(shape["y1"]),
            colours.index(str(shape.get("fillcolor", "")).lower()),
        )
        for shape, name in zip(shapes, names, strict=False)
        if str(shape.get("fillcolor", "")).lower() in colours
    ]


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a ``#rrggbb`` colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    black, white = contrast("#000000", background), contrast("#ffffff", background)
    return "#000000" if black >= white else "#ffffff"


def as_json(figure: dict[str, Any]) -> str:
    """The figure as compact JSON, byte-stable (escape it for where it goes)."""
    return json.dumps(figure, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
