"""Charts for the papers, drawn as inline SVG when the papers are built.

WeasyPrint runs no JavaScript, so the charts that plotly.js draws on the site
(:mod:`generator.render.charts`) are drawn here again as plain SVG, with the
same Okabe-Ito colours, markers and dashes. Each chart is one image: its
``<title>`` names it (WeasyPrint makes it the Alt text of the PDF's Figure)
and its ``<desc>`` states every figure in words, so nothing is said by the
picture alone.

The charts are drawn for the printable width of an A4 page in portrait,
about 170 mm or 640 CSS pixels: the view box is 640 wide and the text 13
units high, so at that width no text prints smaller than 11 pixels. Text
too long for its room is shortened on the picture only, and the title and
description keep it whole. The names beside bars are wrapped to two lines
and then cut with an ellipsis; x labels stand level on up to two lines, or,
when one will not fit, all are slanted and cut; legend names and the y-axis
title are cut.

The same input always gives the same bytes: every coordinate is written
with one decimal, and text widths are estimated from a fixed table rather
than measured with whatever fonts are installed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from markupsafe import Markup, escape

from generator.render import charts
from generator.render.charts import SERIES_COLOURS, SERIES_DASHES, SERIES_SYMBOLS, Line

__all__ = ["Line", "bar_chart", "line_chart"]

WIDTH = 640
PAD = 8
FONT = 13
TITLE_FONT = 15
TEXT = "#1a1a1a"  # 17:1 on white
ON_BAR = "#ffffff"  # 5.2:1 on the bars' #0072B2
GRID = "#d9d9d9"
AXIS = "#595959"
PERCENT_TICKS = (0, 25, 50, 75, 100)
NO_DATA = "There is no data to show."
ELLIPSIS = "\u2026"

# Bar chart: names right-aligned in a column, then 0-100% across BAR_SCALE units per point.
NAME_RIGHT = 172.0
BAR_LEFT = 180.0
BAR_SCALE = 4.0
ROW = 38.0
BAR = 22.0

# Line chart: the y-axis title and ticks on the left, the plot to the right.
PLOT_LEFT = 72.0
PLOT_RIGHT = 624.0
PLOT_HEIGHT = 220.0
LEGEND_SAMPLE = 30.0

_ID = re.compile(r"[a-z][a-z0-9-]*")
# Characters XML 1.0 does not allow, which would leave the document unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Widths of DejaVu Sans (the fallback sans-serif of most systems) in ems, rounded up
# a little, so that an estimate errs towards leaving room.
_NARROW = frozenset(" .,:;!|'il()[]fjtI-")
_DIGIT_WIDTH = 0.64
_UPPER_WIDTH = 0.72
_LOWER_WIDTH = 0.6
_NARROW_WIDTH = 0.36
_WIDE_WIDTH = 1.0

# plotly's dash names as SVG dash arrays for a 2-unit line.
_DASH_ARRAYS = {
    "solid": "",
    "dash": "7 4",
    "dot": "2 3",
    "dashdot": "7 3 2 3",
    "longdash": "13 4",
    "longdashdot": "13 4 2 4",
}
# plotly's marker names as paths around (0, 0), each about 10 units across.
_MARKER_PATHS = {
    "circle": "M-4.5,0A4.5,4.5 0 1,0 4.5,0A4.5,4.5 0 1,0 -4.5,0Z",
    "square": "M-4,-4H4V4H-4Z",
    "diamond": "M0,-5.5L5.5,0L0,5.5L-5.5,0Z",
    "triangle-up": "M0,-5.5L5.5,4.5H-5.5Z",
    "cross": "M-1.6,-5H1.6V-1.6H5V1.6H1.6V5H-1.6V1.6H-5V-1.6H-1.6Z",
    "star": "M0,-5.5L1.3,-1.8L5.2,-1.7L2.1,0.7L3.2,4.5L0,2.2L-3.2,4.5L-2.1,0.7"
    "L-5.2,-1.7L-1.3,-1.8Z",
    "x": "M-5,-3.4L-3.4,-5L0,-1.6L3.4,-5L5,-3.4L1.6,0L5,3.4L3.4,5L0,1.6L-3.4,5L-5,3.4L-1.6,0Z",
}


def bar_chart(
    title: str,
    names: Sequence[str],
    percents: Sequence[float],
    labels: Sequence[str],
    *,
    id: str,
) -> Markup:
    """Horizontal bars of percentages (0-100), one per name, each labelled at its end
    with ``labels[i]`` (e.g. "72.5% Good"); like ``charts.percent_bars``.

    ``id`` starts the ids of the chart's title and description, so it must be unique
    in the document. An empty label is written as the percentage with one decimal.
    """
    _check_chart(id, title)
    if not len(names) == len(percents) == len(labels):
        raise ValueError("a bar chart needs one percentage and one label per name")
    if not names:
        return _render_no_data(id, title)
    for percent in percents:
        _check_finite(percent)
    texts = [_format_value(label, percent) for label, percent in zip(labels, percents, strict=True)]
    desc = "; ".join(f"{_clean(n)}: {t}" for n, t in zip(names, texts, strict=True)) + "."

    body, plot_top = _render_title(title)
    plot_bottom = plot_top + ROW * len(names)
    for tick in PERCENT_TICKS:
        x = BAR_LEFT + BAR_SCALE * tick
        body.append(_render_line(x, plot_top, x, plot_bottom, GRID))
        body.append(_render_text(x, plot_bottom + 16, f"{tick}%", anchor="middle"))
    for row, (name, percent, text) in enumerate(zip(names, percents, texts, strict=True)):
        centre = plot_top + ROW * row + ROW / 2
        body += _render_lines(
            NAME_RIGHT, centre, _wrap_text(_clean(name), NAME_RIGHT - PAD, FONT, 2), "end"
        )
        length = BAR_SCALE * min(max(percent, 0.0), 100.0)
        body.append(
            f'<rect x="{_n(BAR_LEFT)}" y="{_n(centre - BAR / 2)}" width="{_n(length)}" '
            f'height="{_n(BAR)}" fill="{SERIES_COLOURS[0]}"/>'
        )
        body.append(_render_bar_label(BAR_LEFT + length, length, centre, text))
    body.append(_render_line(BAR_LEFT, plot_top, BAR_LEFT, plot_bottom, AXIS))
    return _render_svg(id, title, desc, plot_bottom + 28, body)


def line_chart(
    title: str,
    x: Sequence[str],
    lines: Sequence[Line],
    y_title: str,
    y_range: tuple[float, float],
    *,
    id: str,
    bands: Sequence[charts.Shade] = (),
) -> Markup:
    """Percentages over categorical x labels, one line per series, each with its own
    colour, marker shape and dash (``charts.SERIES_COLOURS``/``SYMBOLS``/``DASHES``
    order), over ``bands`` shaded and named at the right, as on the site. A None
    value is a gap that the line bridges, joining the points either side, as
    plotly's ``connectgaps=True`` does.

    The legend is drawn only when there is more than one series, as on the site:
    one line needs no key, and its name is in the description.
    ``id`` starts the ids of the chart's title and description.
    """
    _check_chart(id, title)
    low, high = y_range
    _check_finite(low)
    _check_finite(high)
    if not low < high:
        raise ValueError(f"the y range must rise (got {low} to {high})")
    for line in lines:
        if not len(line.values) == len(line.labels) == len(x):
            raise ValueError("each line needs one value and one label per x label")
        for value in line.values:
            if value is not None:
                _check_finite(value)
    if not x or not lines:
        return _render_no_data(id, title)
    shown = [(b, max(b.low, low), min(b.high, high)) for b in bands]
    shown = [(band, bottom, top) for band, bottom, top in shown if bottom < top]
    desc = _describe_lines(x, lines, y_title) + "".join(
        f" {_clean(band.label)}: {bottom:g}% to {top:g}%." for band, bottom, top in shown
    )

    body, top = _render_title(title)
    plot_top = top + 6
    plot_bottom = plot_top + PLOT_HEIGHT

    def y_of(value: float) -> float:
        share = (min(max(value, low), high) - low) / (high - low)
        return plot_bottom - PLOT_HEIGHT * share

    for band, bottom, band_top in shown:
        body.append(
            f'<rect x="{_n(PLOT_LEFT)}" y="{_n(y_of(band_top))}"'
            f' width="{_n(PLOT_RIGHT - PLOT_LEFT)}" height="{_n(y_of(bottom) - y_of(band_top))}"'
            f' fill="{charts.rating_colour(band.rank)}" fill-opacity="{charts.SHADE_OPACITY}"/>'
        )
        centre = (y_of(bottom) + y_of(band_top)) / 2 + 4.5
        body.append(_render_text(PLOT_RIGHT - 4, centre, _clean(band.label), anchor="end"))
    for tick in PERCENT_TICKS:
        if low <= tick <= high:
            y = y_of(tick)
            body.append(_render_line(PLOT_LEFT, y, PLOT_RIGHT, y, GRID))
            body.append(_render_text(PLOT_LEFT - 8, y + 4.5, f"{tick}%", anchor="end"))
    middle = (plot_top + plot_bottom) / 2
    axis_title = _truncate_text(_clean(y_title), PLOT_HEIGHT, FONT)
    body.append(_render_text(18, middle, axis_title, anchor="middle", rotate=(-90, 18, middle)))
    body.append(_render_line(PLOT_LEFT, plot_bottom, PLOT_RIGHT, plot_bottom, AXIS))

    slot = (PLOT_RIGHT - PLOT_LEFT) / len(x)
    centres = [PLOT_LEFT + slot * (i + 0.5) for i in range(len(x))]
    x_labels, labels_bottom = _render_x_labels(x, centres, slot, plot_bottom)
    for i, line in enumerate(lines):
        points = [
            (cx, y_of(v)) for cx, v in zip(centres, line.values, strict=True) if v is not None
        ]
        body.append(_render_series(i, points))
    body += x_labels
    if len(lines) > 1:
        legend, labels_bottom = _render_legend([line.name for line in lines], labels_bottom + 10)
        body += legend
    return _render_svg(id, title, desc, labels_bottom + PAD, body)


def _check_chart(id: str, title: str) -> None:
    if not _ID.fullmatch(id):
        raise ValueError(f"a chart's id must match [a-z][a-z0-9-]* (got {id!r})")
    if not _clean(title):
        raise ValueError("a chart needs a title: it is the chart's alternative text")


def _check_finite(value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"a chart's values must be finite numbers (got {value})")


def _clean(text: str) -> str:
    """``text`` on one line, without characters XML cannot hold."""
    return " ".join(_NOT_XML.sub("", text).split())


def _n(value: float) -> str:
    """A coordinate with one decimal, the same on every run and platform."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _format_value(label: str, value: float | None) -> str:
    """What a bar or point says: its label, else its value, else that it has none."""
    if _clean(label):
        return _clean(label)
    return "no value" if value is None else f"{value:.1f}%"


def _describe_lines(x: Sequence[str], lines: Sequence[Line], y_title: str) -> str:
    """Every series' value at every x label, in words, after what the values are."""
    series = [
        f"{_clean(line.name)}: "
        + "; ".join(
            f"{_clean(label)} {_format_value(text, value)}"
            for label, value, text in zip(x, line.values, line.labels, strict=True)
        )
        + "."
        for line in lines
    ]
    heading = _clean(y_title)
    return " ".join([f"{heading}.", *series] if heading else series)


def _char_width(char: str) -> float:
    if char.isdigit():
        return _DIGIT_WIDTH
    if char in _NARROW:
        return _NARROW_WIDTH
    if unicodedata.east_asian_width(char) in ("W", "F") or char in "%mwMW@":
        return _WIDE_WIDTH
    if char.isupper():
        return _UPPER_WIDTH
    return _LOWER_WIDTH


def _text_width(text: str, size: float) -> float:
    return size * sum(_char_width(char) for char in text)


def _truncate_text(text: str, room: float, size: float) -> str:
    """``text`` if it fits ``room``, else as much as fits followed by an ellipsis."""
    if _text_width(text, size) <= room:
        return text
    return _cut_text(text, room, size)


def _cut_text(text: str, room: float, size: float) -> str:
    """As much of ``text`` as fits ``room`` with an ellipsis after it."""
    room -= _text_width(ELLIPSIS, size)
    kept = ""
    for char in text:
        if _text_width(kept + char, size) > room:
            break
        kept += char
    return kept.rstrip() + ELLIPSIS


def _wrap_text(text: str, room: float, size: float, most_lines: int) -> list[str]:
    """``text`` in lines that fit ``room``, broken between words where it can be;
    beyond ``most_lines`` the last line kept ends with an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _text_width(candidate, size) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        while _text_width(word, size) > room:
            cut = next(
                (n for n in range(len(word), 0, -1) if _text_width(word[:n], size) <= room), 1
            )
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    if len(lines) > most_lines:
        lines = [*lines[: most_lines - 1], _cut_text(lines[most_lines - 1], room, size)]
    return lines


def _render_svg(id: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" '
        f'aria-labelledby="{id}-title {id}-desc" '
        f'font-family="inherit" font-size="{FONT}" fill="{TEXT}">'
        f'<title id="{id}-title">{escape(_clean(title))}</title>'
        f'<desc id="{id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _render_no_data(id: str, title: str) -> Markup:
    body, top = _render_title(title)
    body.append(_render_text(PAD, top + FONT, NO_DATA))
    return _render_svg(id, title, NO_DATA, top + FONT + PAD + 4, body)


def _render_title(title: str) -> tuple[list[str], float]:
    """The title drawn above the chart, and where the chart below it starts."""
    lines = _wrap_text(_clean(title), WIDTH - 2 * PAD, TITLE_FONT * 1.1, 2)
    body = [
        _render_text(PAD, PAD + TITLE_FONT + 19 * i, line, size=TITLE_FONT, bold=True)
        for i, line in enumerate(lines)
    ]
    return body, PAD + 19 * len(lines) + 14


def _render_text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = FONT,
    bold: bool = False,
    fill: str = "",
    rotate: tuple[float, float, float] | None = None,
) -> str:
    """One line of text with its baseline at ``y``; ``text`` is escaped here."""
    attributes = [f'x="{_n(x)}"', f'y="{_n(y)}"']
    if anchor != "start":
        attributes.append(f'text-anchor="{anchor}"')
    if size != FONT:
        attributes.append(f'font-size="{size}"')
    if bold:
        attributes.append('font-weight="bold"')
    if fill:
        attributes.append(f'fill="{fill}"')
    if rotate is not None:
        angle, cx, cy = rotate
        attributes.append(f'transform="rotate({_n(angle)} {_n(cx)} {_n(cy)})"')
    return f"<text {' '.join(attributes)}>{escape(text)}</text>"


def _render_lines(x: float, centre: float, lines: list[str], anchor: str) -> list[str]:
    """Lines of text, 15 units apart, centred on ``centre`` as a block."""
    first = centre + 4.5 - 7.5 * (len(lines) - 1)
    return [_render_text(x, first + 15 * i, line, anchor=anchor) for i, line in enumerate(lines)]


def _render_line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        f'stroke="{colour}" stroke-width="1"/>'
    )


def _render_bar_label(end: float, length: float, centre: float, text: str) -> str:
    """The label after the bar's end; inside it, in white, where there is no room after."""
    outside = WIDTH - PAD - (end + 5)
    width = _text_width(text, FONT)
    if width <= outside or outside >= length - 10:
        return _render_text(end + 5, centre + 4.5, _truncate_text(text, outside, FONT))
    return _render_text(
        end - 5,
        centre + 4.5,
        _truncate_text(text, length - 10, FONT),
        anchor="end",
        fill=ON_BAR,
    )


def _render_x_labels(
    x: Sequence[str], centres: list[float], slot: float, plot_bottom: float
) -> tuple[list[str], float]:
    """The x labels under their points, and where they end.

    Labels that fit their slot in two lines stand level; otherwise every label is
    slanted at 45 degrees and cut to 120 units, as plotly.js does with crowded labels.
    """
    room = slot - 6
    texts = [_clean(label) for label in x]
    wrapped = [_wrap_text(text, room, FONT, 2) for text in texts]
    level = all(" ".join(lines) == text for lines, text in zip(wrapped, texts, strict=True))
    if level:
        body = [
            _render_text(cx, plot_bottom + 18 + 15 * i, line, anchor="middle")
            for cx, lines in zip(centres, wrapped, strict=True)
            for i, line in enumerate(lines)
        ]
        return body, plot_bottom + 22 + 15 * max(len(lines) for lines in wrapped)
    y = plot_bottom + 14
    # Slanted, a label reaches left of its point by 0.7 of its length: the first
    # ones may have less than 120 units before the edge.
    shown = [
        _truncate_text(text, min(120.0, (cx + 2) / math.sqrt(0.5)), FONT)
        for cx, text in zip(centres, texts, strict=True)
    ]
    body = [
        _render_text(cx + 4, y, text, anchor="end", rotate=(-45, cx + 4, y))
        for cx, text in zip(centres, shown, strict=True)
    ]
    deepest = max(_text_width(text, FONT) for text in shown)
    return body, y + deepest * math.sqrt(0.5) + 8


def _render_series(index: int, points: list[tuple[float, float]]) -> str:
    """One series: the line through its points (gaps bridged) and a marker at each."""
    colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    dash = _DASH_ARRAYS[SERIES_DASHES[index % len(SERIES_DASHES)]]
    symbol = SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)]
    parts = [f'<g class="series-{index}">']
    if len(points) > 1:
        parts.append(
            f'<polyline points="{" ".join(f"{_n(px)},{_n(py)}" for px, py in points)}" '
            + _stroke(colour, dash)
            + "/>"
        )
    parts += [_render_marker(symbol, colour, px, py) for px, py in points]
    parts.append("</g>")
    return "".join(parts)


def _stroke(colour: str, dash: str) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return f'fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round"{dashes}'


def _render_marker(symbol: str, colour: str, x: float, y: float) -> str:
    # A dark edge keeps the light colours of the palette visible on white.
    return (
        f'<path transform="translate({_n(x)} {_n(y)})" d="{_MARKER_PATHS[symbol]}" '
        f'fill="{colour}" stroke="{TEXT}" stroke-width="0.75"/>'
    )


def _render_legend(names: list[str], top: float) -> tuple[list[str], float]:
    """A key under the chart, one entry per series, flowing onto more rows as needed."""
    body: list[str] = []
    x, y = PLOT_LEFT, top + 10
    for index, name in enumerate(names):
        text = _truncate_text(_clean(name), WIDTH - PAD - PLOT_LEFT - LEGEND_SAMPLE - 6, FONT)
        width = LEGEND_SAMPLE + 6 + _text_width(text, FONT)
        if x > PLOT_LEFT and x + width > WIDTH - PAD:
            x, y = PLOT_LEFT, y + 20
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        dash = _DASH_ARRAYS[SERIES_DASHES[index % len(SERIES_DASHES)]]
        symbol = SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)]
        body.append(
            f'<g class="legend-{index}">'
            f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + LEGEND_SAMPLE)}" y2="{_n(y)}" '
            + _stroke(colour, dash)
            + "/>"
            + _render_marker(symbol, colour, x + LEGEND_SAMPLE / 2, y)
            + _render_text(x + LEGEND_SAMPLE + 6, y + 4.5, text)
            + "</g>"
        )
        x += width + 18
    return body, y + 10
