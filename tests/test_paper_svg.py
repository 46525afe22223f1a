"""The papers' charts as inline SVG: exact geometry, every figure in words,
reviewers' text escaped, the same bytes every time, and a PDF/UA figure whose
alternative text is the chart's title."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pikepdf
import pypdfium2
import pytest
import weasyprint
from markupsafe import Markup

from generator.papers.svg import Line, bar_chart, line_chart
from generator.render.charts import SERIES_COLOURS

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"quoted\" ]]> <![CDATA[ &amp;"

DOMAINS = ["Safeguarding", "Assessment"]
PERCENTS = [72.5, 61.0]
LABELS = ["72.5% Good", "61.0% Adequate"]
PERIODS = ["2016 H1", "2016 H2", "2017 H1"]


def _parse(svg: Markup) -> ET.Element:
    return ET.fromstring(str(svg))


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _bars(root: ET.Element) -> list[dict[str, str]]:
    return [dict(rect.attrib) for rect in root.iter(f"{SVG}rect")]


def _series(root: ET.Element, prefix: str) -> list[ET.Element]:
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith(prefix)]
    assert [g.get("class") for g in groups] == [f"{prefix}{i}" for i in range(len(groups))]
    return groups


def _trend(*lines: Line, x: list[str] = PERIODS, id: str = "trend") -> Markup:
    return line_chart("Audits over time", x, lines, "Adequate or above", (0, 100), id=id)


def _seven_series() -> list[Line]:
    return [Line(f"S0{i + 1}", [10.0 * i, 10.0 * i + 5, 10.0 * i + 8], [""] * 3) for i in range(7)]


def test_a_bar_chart_is_an_image_named_by_its_title_and_described_in_words() -> None:
    root = _parse(bar_chart("Domains", DOMAINS, PERCENTS, LABELS, id="bars"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == "0 0 640 145.0"
    assert root.get("font-family") == "inherit"
    assert root.get("aria-labelledby") == "bars-title bars-desc"
    title, desc = root[0], root[1]
    assert (title.tag, title.get("id"), title.text) == (f"{SVG}title", "bars-title", "Domains")
    assert (desc.tag, desc.get("id")) == (f"{SVG}desc", "bars-desc")
    assert desc.text == "Safeguarding: 72.5% Good; Assessment: 61.0% Adequate."


def test_a_bar_without_a_label_is_written_and_described_as_its_percentage() -> None:
    root = _parse(bar_chart("Domains", DOMAINS, [72.5, 61.04], ["72.5% Good", ""], id="bars"))

    assert root[1].text == "Safeguarding: 72.5% Good; Assessment: 61.0%."
    assert "61.0%" in _texts(root)


def test_a_line_chart_describes_every_series_at_every_x_label() -> None:
    svg = _trend(
        Line("S01", [50.0, None, 100.0], ["", "", ""]),
        Line("S02", [25.0, 30.0, None], ["25.0% (1 of 4)", "", "no grades"]),
    )
    root = _parse(svg)

    assert root.get("aria-labelledby") == "trend-title trend-desc"
    assert root[0].text == "Audits over time"
    assert root[1].text == (
        "Adequate or above. "
        "S01: 2016 H1 50.0%; 2016 H2 no value; 2017 H1 100.0%. "
        "S02: 2016 H1 25.0% (1 of 4); 2016 H2 30.0%; 2017 H1 no grades."
    )


def test_bar_widths_are_proportional_to_the_percents() -> None:
    root = _parse(
        bar_chart("Domains", [*DOMAINS, "Voice"], [72.5, 61.0, 0.0], [*LABELS, "0.0%"], id="b")
    )
    bars = _bars(root)

    # 0-100% spans 400 units from x=180; rows are 38 apart, bars 22 high.
    assert [b["x"] for b in bars] == ["180.0"] * 3
    assert [b["width"] for b in bars] == ["290.0", "244.0", "0.0"]
    assert [b["y"] for b in bars] == ["49.0", "87.0", "125.0"]
    assert {b["height"] for b in bars} == {"22.0"}
    assert [float(b["width"]) / p for b, p in zip(bars, [72.5, 61.0], strict=False)] == [4.0, 4.0]


def test_each_bar_is_labelled_at_its_end_and_named_beside_it() -> None:
    root = _parse(bar_chart("Domains", DOMAINS, PERCENTS, LABELS, id="bars"))
    placed = {t.text: (t.get("x"), t.get("y")) for t in root.iter(f"{SVG}text")}

    assert placed["72.5% Good"] == ("475.0", "64.5")  # 5 after the bar's end at 470
    assert placed["61.0% Adequate"] == ("429.0", "102.5")
    assert placed["Safeguarding"] == ("172.0", "64.5")
    assert placed["Assessment"] == ("172.0", "102.5")


def test_a_label_with_no_room_after_its_bar_is_written_inside_it_in_white() -> None:
    root = _parse(
        bar_chart("Domains", ["Outcomes"], [95.0], ["95.0% Requires improvement"], id="b")
    )
    label = next(t for t in root.iter(f"{SVG}text") if t.text == "95.0% Requires improvement")

    assert (label.get("x"), label.get("text-anchor"), label.get("fill")) == (
        "555.0",
        "end",
        "#ffffff",
    )


def test_percentage_axes_have_ticks_every_25_percent_and_light_grid_lines() -> None:
    for svg in (
        bar_chart("Domains", DOMAINS, PERCENTS, LABELS, id="bars"),
        _trend(Line("S01", [50.0, 60.0, 70.0], [""] * 3)),
    ):
        root = _parse(svg)
        assert [t for t in _texts(root) if t.endswith("%") and " " not in t][:5] == [
            "0%",
            "25%",
            "50%",
            "75%",
            "100%",
        ]
        grid = [line for line in root.iter(f"{SVG}line") if line.get("stroke") == "#d9d9d9"]
        assert len(grid) == 5


def test_a_gap_is_bridged_by_joining_the_points_either_side() -> None:
    root = _parse(_trend(Line("S01", [50.0, None, 100.0], ["", "", ""])))
    (series,) = _series(root, "series-")
    (polyline,) = series.iter(f"{SVG}polyline")
    markers = list(series.iter(f"{SVG}path"))

    # Three slots of 184 from x=72; 0-100% spans 220 up from y=267.
    assert polyline.get("points") == "164.0,157.0 532.0,47.0"
    assert [m.get("transform") for m in markers] == [
        "translate(164.0 157.0)",
        "translate(532.0 47.0)",
    ]


def test_a_series_with_one_value_is_a_marker_alone() -> None:
    root = _parse(_trend(Line("S01", [None, 40.0, None], ["", "", ""])))
    (series,) = _series(root, "series-")

    assert list(series.iter(f"{SVG}polyline")) == []
    assert [m.get("transform") for m in series.iter(f"{SVG}path")] == ["translate(348.0 179.0)"]


def test_series_differ_by_colour_marker_and_dash() -> None:
    root = _parse(_trend(*_seven_series()))
    groups = _series(root, "series-")
    polylines = [next(g.iter(f"{SVG}polyline")) for g in groups]
    markers = [next(g.iter(f"{SVG}path")) for g in groups]

    assert [p.get("stroke") for p in polylines] == list(SERIES_COLOURS)
    assert len({m.get("d") for m in markers}) == 7
    dashes = [p.get("stroke-dasharray") for p in polylines]
    assert dashes == [None, "7 4", "2 3", "7 3 2 3", "13 4", "13 4 2 4", None]
    # The two solid lines still differ by marker.
    assert markers[0].get("d") != markers[6].get("d")


def test_the_legend_has_an_entry_per_series_with_its_line_and_marker() -> None:
    lines = _seven_series()
    root = _parse(_trend(*lines))
    groups = _series(root, "series-")
    entries = _series(root, "legend-")

    assert [_texts(entry) for entry in entries] == [[line.name] for line in lines]
    for entry, series in zip(entries, groups, strict=True):
        sample, polyline = next(entry.iter(f"{SVG}line")), next(series.iter(f"{SVG}polyline"))
        assert sample.get("stroke") == polyline.get("stroke")
        assert sample.get("stroke-dasharray") == polyline.get("stroke-dasharray")
        marker, key = next(series.iter(f"{SVG}path")), next(entry.iter(f"{SVG}path"))
        assert key.get("d") == marker.get("d")


def test_one_series_has_no_legend() -> None:
    root = _parse(_trend(Line("Overall", [50.0, 60.0, 70.0], [""] * 3)))

    assert [g.get("class") for g in root.iter(f"{SVG}g")] == ["series-0"]
    assert "Overall" not in _texts(root)
    assert root[1].text is not None and "Overall: 2016 H1 50.0%" in root[1].text


def test_crowded_x_labels_are_slanted_and_stay_inside_the_chart() -> None:
    dates = [f"20{10 + i}-03-01" for i in range(10)]
    root = _parse(_trend(Line("Overall", [50.0] * 10, [""] * 10), x=dates))
    labels = [t for t in root.iter(f"{SVG}text") if t.text in dates]

    assert [t.text for t in labels] == dates
    assert {t.get("transform", "")[:11] for t in labels} == {"rotate(-45."}
    # Slanted, ten characters of 13-unit text reach about 54 units below their baseline.
    height = float(root.get("viewBox", "").split()[3])
    assert height >= max(float(t.get("y", "")) for t in labels) + 54


def test_a_long_name_is_wrapped_to_two_lines_and_cut_but_kept_whole_in_the_desc() -> None:
    name = "Assessment and planning of children's care in the community " * 3
    root = _parse(bar_chart("Domains", [name], [50.0], ["50.0% Adequate"], id="bars"))
    beside = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("x") == "172.0"]

    assert beside == ["Assessment and", "planning of children's\u2026"]
    assert root[1].text == f"{name.strip()}: 50.0% Adequate."


def test_hostile_text_is_escaped_and_the_document_still_parses() -> None:
    charts = [
        bar_chart(HOSTILE, [HOSTILE, "Fine"], [40.0, 50.0], [HOSTILE, "50.0%"], id="bars"),
        line_chart(
            HOSTILE,
            [HOSTILE, "2017"],
            [Line(HOSTILE, [40.0, None], [HOSTILE, ""]), Line("S02", [1.0, 2.0], ["", ""])],
            HOSTILE,
            (0, 100),
            id="lines",
        ),
    ]
    for svg in charts:
        assert "<script" not in str(svg)
        assert "<![CDATA[" not in str(svg)
        root = _parse(svg)
        assert {e.tag.removeprefix(SVG) for e in root.iter()} <= {
            "svg", "title", "desc", "text", "rect", "line", "polyline", "path", "g",
        }  # fmt: skip
        assert root[0].text == HOSTILE
        assert root[1].text is not None and root[1].text.count(HOSTILE) >= 2
        assert any(HOSTILE[:8] in t for t in _texts(root))


def test_characters_xml_cannot_hold_are_left_out() -> None:
    root = _parse(bar_chart("Dom\x00ains\x1b", ["Safe\x0cguarding"], [50.0], ["50%"], id="b"))

    assert root[0].text == "Domains"
    assert root[1].text == "Safeguarding: 50%."


def test_the_same_input_gives_the_same_bytes() -> None:
    assert bar_chart("D", DOMAINS, PERCENTS, LABELS, id="a") == bar_chart(
        "D", DOMAINS, PERCENTS, LABELS, id="a"
    )
    assert _trend(*_seven_series()) == _trend(*_seven_series())


def test_numbers_are_written_with_one_decimal_at_most() -> None:
    root = _parse(_trend(*[Line("S", [100 / 3, 200 / 7, None], [""] * 3)] * 2))
    geometry = {"viewBox", "x", "y", "x1", "x2", "y1", "y2", "width", "height", "points"}
    values = [
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if (name in geometry and element is not root) or name in ("viewBox", "transform")
    ]
    numbers = [n for value in values for n in re.findall(r"[-\d.]+", value)]

    polyline = next(_series(root, "series-")[0].iter(f"{SVG}polyline"))
    assert polyline.get("points") == "164.0,193.7 348.0,204.1"  # 267 less 220 x 1/3, 220 x 2/7
    assert len(numbers) > 50
    assert all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers), numbers


def test_ids_come_from_the_prefix_and_are_unique_in_a_document() -> None:
    html = "<div>{}{}</div>".format(
        bar_chart("D", DOMAINS, PERCENTS, LABELS, id="domains-2017"),
        _trend(*_seven_series(), id="audits"),
    )
    ids = [e.get("id") for e in ET.fromstring(html).iter() if e.get("id")]

    assert ids == ["domains-2017-title", "domains-2017-desc", "audits-title", "audits-desc"]


@pytest.mark.parametrize("bad", ["", "1st", "Bars", "bars 1", "bars_1", 'a"b', "a-\n"])
def test_an_id_that_is_not_lowercase_letters_digits_and_hyphens_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="id"):
        bar_chart("D", DOMAINS, PERCENTS, LABELS, id=bad)
    with pytest.raises(ValueError, match="id"):
        _trend(*_seven_series(), id=bad)


def test_mismatched_lengths_and_values_that_are_not_numbers_are_refused() -> None:
    with pytest.raises(ValueError):
        bar_chart("D", DOMAINS, [1.0], LABELS, id="b")
    with pytest.raises(ValueError):
        bar_chart("D", DOMAINS, [1.0, float("nan")], LABELS, id="b")
    with pytest.raises(ValueError):
        _trend(Line("S01", [1.0, 2.0], ["", ""]))
    with pytest.raises(ValueError):
        line_chart("T", PERIODS, [], "", (50, 50), id="t")


def test_empty_inputs_give_a_small_chart_that_says_there_is_no_data() -> None:
    for svg in (
        bar_chart("Domains", [], [], [], id="bars"),
        line_chart("Audits", [], [], "Adequate or above", (0, 100), id="lines"),
        line_chart("Audits", PERIODS, [], "Adequate or above", (0, 100), id="lines"),
    ):
        root = _parse(svg)
        assert root[1].text == "There is no data to show."
        assert root.get("viewBox") == "0 0 640 66.0"
        assert "There is no data to show." in _texts(root)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_is_large_enough_and_dark_enough_to_read() -> None:
    for svg in (
        bar_chart("D", ["Outcomes", *DOMAINS], [95.0, *PERCENTS], ["95.0% Good", *LABELS], id="b"),
        _trend(*_seven_series()),
    ):
        root = _parse(svg)
        for text in root.iter(f"{SVG}text"):
            assert int(text.get("font-size", root.get("font-size", "0"))) >= 11
            fill = text.get("fill", root.get("fill", ""))
            background = "#0072B2" if fill == "#ffffff" else "#ffffff"
            assert _contrast(fill, background) >= 4.5


def _structure(node: object) -> list[tuple[str, str | None]]:
    """The structure elements under ``node``, as (type, alternative text)."""
    if not isinstance(node, pikepdf.Dictionary):
        return []
    found = []
    if "/S" in node:
        alt = node.get("/Alt")
        found.append((str(node["/S"]), None if alt is None else str(alt)))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        found += _structure(kid)
    return found


def test_in_a_tagged_pdf_each_chart_is_a_figure_with_its_title_as_alt_text() -> None:
    title = 'Domains & <standards> "2017"'
    bars = bar_chart(title, DOMAINS, PERCENTS, LABELS, id="domains")
    trend = _trend(*_seven_series()[:2])
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>Board pack</title>"
        "<style>@page { size: A4; margin: 20mm }</style></head>"
        f"<body><h1>Board pack</h1>{bars}{trend}</body></html>"
    )
    pdf = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None

    with pikepdf.Pdf.open(io.BytesIO(pdf)) as document:
        figures = [e for e in _structure(document.Root.StructTreeRoot) if e[0] == "/Figure"]
    assert figures == [("/Figure", title), ("/Figure", "Audits over time")]

    pages = pypdfium2.PdfDocument(pdf)
    text = pages[0].get_textpage().get_text_range()
    for label in [*LABELS, *DOMAINS, "S01", "S02", "2016 H1", "100%"]:
        assert label in text
    # The bars are drawn in the palette's blue.
    picture = pages[0].render(scale=1).to_pil().convert("RGB")
    assert (0x00, 0x72, 0xB2) in {colour for _, colour in picture.getcolors(1 << 20) or []}
