"""Printing the built site, in a real browser (Debian's Chromium through Playwright).

Team managers print their scorecard for the team meeting; board members print
pages. One page of each kind, of the internal edition and a scorecard of the
partner edition, is opened with print media emulated, and must show the
content alone (no header, search, palette toggle, sidebars, footer, "back to
top", banner or permalinks), black on white in either palette, headings kept
with what follows, tables whole with their header row repeated and no row split
between sheets, collapsed blocks open, and charts within the width of A4's text.

Then a scorecard of each edition is printed to PDF on A4, and every sheet must
carry its edition, the as-of date and "Page i of N" in its margins; the charts
must have been drawn again to the paper's width when printing started, and back
to the screen's when it ended.

The margins' text comes from the build's settings into CSS strings: the theme
template is also rendered on its own with hostile settings, which must stay
inside their string.

The browser tests are skipped when Chromium or Playwright is missing, unless
QA_SITE_REQUIRE_BROWSER=1. Each printed PDF is kept in the test's tmp_path.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.chromium import (
    ACTION_TIMEOUT_MS,
    Visit,
    goto,
    new_visit,
    set_scheme,
    settle,
    settle_drawing,
    undrawn_charts,
)
from tests.support.paths import ROOT
from tests.support.serving import Site, serve
from tests.support.sites import BuiltSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

# A4 portrait less the 20 mm margins of the @page rule (generator/theme/main.html),
# in CSS px (96 to the inch): 170 by 257 mm.
TEXT_WIDTH_PX = 170 * 96 / 25.4
TEXT_HEIGHT_PX = 257 * 96 / 25.4
# A4 in PDF points, as Chromium writes it (whole CSS px: 794 by 1123).
A4_POINTS = (595.92, 842.88)

EDITION_MARGINS = {
    "internal": "Internal edition: do not forward outside the council",
    "partners": "Partner edition: shared with partner boroughs",
}
# The tests build the site as of SOURCE_DATE_EPOCH, 1 January 2017.
AS_OF_MARGIN = "Results as of 1 January 2017"


@dataclass(frozen=True)
class PageKind:
    edition: str
    path: str
    charts: bool
    tables: bool


PAGES = {
    "home": PageKind("internal", "", charts=True, tables=True),
    "scorecard": PageKind(
        "internal", "teams/hammersmith-fulham/learning-disability/", charts=True, tables=True
    ),
    "review": PageKind(
        "internal",
        "teams/hammersmith-fulham/learning-disability/2011-09-22/",
        charts=False,
        tables=True,
    ),
    "standard": PageKind("internal", "standards/S07/", charts=True, tables=True),
    "meeting": PageKind(
        "internal", "board/hammersmith-fulham/2011-07-14/", charts=False, tables=True
    ),
    "comparison": PageKind("internal", "comparison/", charts=True, tables=True),
    # The grid of every team on every standard: the tallest chart, the widest table.
    "comparison-grid": PageKind("internal", "comparison/standards/", charts=True, tables=True),
    "data": PageKind("internal", "data/", charts=False, tables=False),
    "partners-scorecard": PageKind(
        "partners", "teams/hammersmith-fulham/learning-disability/", charts=True, tables=True
    ),
}
CHART_PAGES = [name for name, kind in PAGES.items() if kind.charts]
TABLE_PAGES = [name for name, kind in PAGES.items() if kind.tables]

# What a screen has and paper must not: each is on every page.
FURNITURE = {
    "header": ".md-header",
    "primary sidebar (navigation)": ".md-sidebar--primary",
    "secondary sidebar (table of contents)": ".md-sidebar--secondary",
    "search": ".md-search",
    "palette toggle": '[data-md-component="palette"]',
    "back to top": ".md-top",
    "footer": ".md-footer",
    "edition banner": ".md-banner",
    "permalinks": ".md-content .headerlink",
}

# For each selector: how many elements match, and how many of them are rendered.
_SHOWN_JS = """(selectors) => Object.fromEntries(Object.entries(selectors).map(([name, sel]) => {
    const found = [...document.querySelectorAll(sel)];
    return [name, [found.length, found.filter((el) => el.checkVisibility()).length]];
}))"""

# Each chart's drawn size (as _CHART_WIDTHS_JS) and its figure's.
_CHARTS_JS = """() => [...document.querySelectorAll('.qa-chart__plot')].map((plot) => {
    const svg = plot.querySelector('svg.main-svg').getBoundingClientRect();
    const figure = plot.closest('figure');
    return {
        id: plot.id,
        width: svg.width,
        height: svg.height,
        figureHeight: figure.getBoundingClientRect().height,
        figureBreakInside: getComputedStyle(figure).breakInside,
    };
})"""

# Each chart's drawn width: its (first) plotly SVG as rendered, zoom included.
_CHART_WIDTHS_JS = """() => [...document.querySelectorAll('.qa-chart__plot')]
    .map((plot) => plot.querySelector('svg.main-svg').getBoundingClientRect().width)"""

# Every table of the content: its header row, its rows, its width against the
# content's, and any box between them that would scroll or clip it.
_TABLES_JS = """() => [...document.querySelectorAll('.md-content table')].map((table) => {
    const article = table.closest('article');
    const boxes = [];
    for (let el = table; el !== article; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
            boxes.push(`${el.tagName.toLowerCase()}.${el.className}: overflow ${style.overflow}`);
        }
    }
    const content = article.getBoundingClientRect().width
        - parseFloat(getComputedStyle(article).paddingLeft)
        - parseFloat(getComputedStyle(article).paddingRight);
    return {
        label: (table.closest('[aria-label]')?.getAttribute('aria-label')
            || table.rows[0]?.innerText.slice(0, 40) || '').trim(),
        thead: table.tHead ? getComputedStyle(table.tHead).display : null,
        rowBreaks: [...new Set([...table.rows].map((row) => getComputedStyle(row).breakInside))],
        width: table.getBoundingClientRect().width,
        content: content,
        overflowing: table.scrollWidth > table.clientWidth + 1,
        scrolling: boxes,
    };
})"""

# Every heading in the content, with its break-after.
_HEADINGS_JS = """() => [...document.querySelectorAll('.md-content :is(h1, h2, h3, h4, h5, h6)')]
    .map((h) => [h.tagName.toLowerCase(), getComputedStyle(h).breakAfter])"""

# The colours of the page's background, of its text, and of its links (with their
# underline), each colour once.
_COLOURS_JS = """() => {
    const all = (selector) => [...document.querySelectorAll(selector)];
    const once = (values) => [...new Set(values)];
    const links = all('.md-content a:not(.headerlink)');
    return {
        background: getComputedStyle(document.body).backgroundColor,
        text: once(all('.md-content :is(p, li, td, th, dd, h1, h2, h3)')
            .map((el) => getComputedStyle(el).color)),
        links: once(links.map((a) => {
            const style = getComputedStyle(a);
            return `${style.color} ${style.textDecorationLine}`;
        })),
        linkCount: links.length,
    };
}"""

Opener = Callable[[str], Visit]

# Each edition's served site, by its fixture's name.
SITES = {"internal": "internal_site", "partners": "partner_site"}


# --- fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def internal_site(browser_available: None, built_sample: BuiltSite) -> Iterator[Site]:
    with serve(built_sample.site) as served:
        yield served


@pytest.fixture(scope="session")
def partner_site(browser_available: None, built_partners: BuiltSite) -> Iterator[Site]:
    with serve(built_partners.site) as served:
        yield served


@pytest.fixture
def open_page(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Opener]:
    """Open one of PAGES in a fresh, guarded browser context, its charts drawn."""
    contexts: list[BrowserContext] = []

    def open_(name: str) -> Visit:
        kind = PAGES[name]
        site: Site = request.getfixturevalue(SITES[kind.edition])
        context, visit = new_visit(chromium, site)
        contexts.append(context)
        goto(visit, kind.path)
        if kind.charts:
            assert undrawn_charts(visit.page) == [], f"{name}: charts not drawn on screen"
        settle(visit.page)
        return visit

    yield open_
    for context in contexts:
        context.close()


def _print_media(page: Page) -> None:
    """Emulate print media and let the page react (the media query's change event)."""
    page.emulate_media(media="print")
    settle_drawing(page)


def _chart_widths(page: Page) -> list[float]:
    widths: list[float] = page.evaluate(_CHART_WIDTHS_JS)
    return widths


def _wait_for_chart_widths(page: Page, widths: list[float], where: str) -> None:
    """Wait for the charts to be ``widths`` wide again; fail with ``where`` if they are not."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"(want) => JSON.stringify(({_CHART_WIDTHS_JS})()) === JSON.stringify(want)",
            arg=widths,
            timeout=ACTION_TIMEOUT_MS,
        )
    assert _chart_widths(page) == widths, where


# --- print media, page by page -----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_print_shows_the_content_alone(open_page: Opener, name: str) -> None:
    visit = open_page(name)
    page = visit.page
    on_screen = page.evaluate(_SHOWN_JS, FURNITURE)
    missing = [part for part, (found, _) in on_screen.items() if found == 0]
    assert missing == [], f"{name}: not on the page at all, so this test proves nothing: {missing}"
    hidden_on_screen = [part for part, (found, shown) in on_screen.items() if shown != found]
    assert hidden_on_screen == [], f"{name}: already hidden on screen: {hidden_on_screen}"

    _print_media(page)
    on_paper = page.evaluate(_SHOWN_JS, FURNITURE)
    assert {part: shown for part, (_, shown) in on_paper.items()} == dict.fromkeys(FURNITURE, 0)
    assert visit.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("name", TABLE_PAGES)
def test_print_keeps_tables_whole(open_page: Opener, name: str) -> None:
    page = open_page(name).page
    _print_media(page)
    tables: list[dict[str, Any]] = page.evaluate(_TABLES_JS)
    assert tables, f"{name}: no table in the content"
    for table in tables:
        where = f"{name}, table {table['label']!r}"
        assert table["thead"] == "table-header-group", f"{where}: header row not repeated"
        assert table["rowBreaks"] == ["avoid"], f"{where}: rows may split between sheets"
        assert table["scrolling"] == [], f"{where}: in a box that scrolls or clips"
        assert not table["overflowing"], f"{where}: wider than itself"
        assert table["width"] == pytest.approx(table["content"], abs=1), (
            f"{where}: {table['width']} px wide, not the content's full {table['content']} px"
        )


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_print_headings_stay_with_what_follows(open_page: Opener, name: str) -> None:
    page = open_page(name).page
    _print_media(page)
    headings: list[list[str]] = page.evaluate(_HEADINGS_JS)
    assert headings, f"{name}: no heading in the content"
    assert [h for h in headings if h[1] != "avoid"] == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "scheme"),
    [(name, "default") for name in PAGES] + [("scorecard", "slate"), ("home", "slate")],
)
def test_print_is_black_on_white(open_page: Opener, name: str, scheme: str) -> None:
    page = open_page(name).page
    set_scheme(page, scheme)
    _print_media(page)
    colours = page.evaluate(_COLOURS_JS)
    assert colours["background"] == "rgb(255, 255, 255)"
    assert colours["text"] == ["rgb(0, 0, 0)"]
    assert colours["linkCount"] > 0, f"{name}: no link in the content"
    assert colours["links"] == ["rgb(0, 0, 0) none"], "links should read as plain text on paper"


@pytest.mark.browser
def test_print_opens_collapsed_blocks(open_page: Opener) -> None:
    page = open_page("standard").page
    inside = "() => [...document.querySelectorAll('details > :not(summary)')]" \
        ".map((el) => el.checkVisibility())"  # fmt: skip
    closed = "() => [...document.querySelectorAll('details')].map((d) => d.open)"
    assert page.evaluate(closed) == [False], "expected one collapsed block (the earlier wording)"
    assert page.evaluate(inside) == [False]
    _print_media(page)
    assert page.evaluate(inside) == [True]
    assert page.evaluate(closed) == [False], "printing opened it for good, not just on paper"


@pytest.mark.browser
@pytest.mark.parametrize("name", CHART_PAGES)
def test_print_draws_charts_to_the_paper(open_page: Opener, name: str) -> None:
    page = open_page(name).page
    on_screen = _chart_widths(page)
    assert on_screen and min(on_screen) > TEXT_WIDTH_PX, (
        f"{name}: charts {on_screen} px wide on screen: no wider than paper, so this test "
        "proves nothing"
    )
    _print_media(page)
    page.wait_for_function(
        f"(limit) => ({_CHART_WIDTHS_JS})().every((width) => width <= limit)",
        arg=TEXT_WIDTH_PX,
        timeout=ACTION_TIMEOUT_MS,
    )
    for chart in page.evaluate(_CHARTS_JS):
        where = f"{name}, chart {chart['id']}"
        # The width of the text of the sheet (a chart zoomed out loses a fraction of a px).
        assert TEXT_WIDTH_PX - 2 <= chart["width"] <= TEXT_WIDTH_PX, (
            f"{where}: {chart['width']} px wide on paper, for {TEXT_WIDTH_PX:.1f} px of text"
        )
        assert chart["figureBreakInside"] == "avoid", f"{where}: may split between sheets"
        assert chart["figureHeight"] < TEXT_HEIGHT_PX, (
            f"{where}: {chart['figureHeight']} px tall, taller than a sheet"
        )

    page.emulate_media(media="screen")
    _wait_for_chart_widths(page, on_screen, f"{name}: charts not drawn again for the screen")


# --- printed to PDF --------------------------------------------------------------------

# Listeners added after charts.js's own, so they see each chart as charts.js left it.
_RECORD_PRINTING_JS = """() => {
    window.__qaPrinted = [];
    const record = (moment) => window.__qaPrinted.push([moment, (CHART_WIDTHS)()]);
    window.addEventListener('beforeprint', () => record('beforeprint'));
    matchMedia('print').addEventListener('change', (e) => record(e.matches ? 'print' : 'screen'));
    window.addEventListener('afterprint', () => record('afterprint'));
}""".replace("CHART_WIDTHS", _CHART_WIDTHS_JS)


def _pdf_texts(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for index in range(len(document)):
            sheet = document[index]
            assert tuple(sheet.get_size()) == pytest.approx(A4_POINTS, abs=1), (
                f"sheet {index + 1} is {sheet.get_size()} pt, not A4 portrait"
            )
            texts.append(sheet.get_textpage().get_text_range())
        return texts
    finally:
        document.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["scorecard", "partners-scorecard"])
def test_printed_scorecard_says_its_edition_date_and_page_on_every_sheet(
    open_page: Opener, name: str, tmp_path: Path
) -> None:
    edition = PAGES[name].edition
    visit = open_page(name)
    page = visit.page
    on_screen = _chart_widths(page)
    assert on_screen and min(on_screen) > TEXT_WIDTH_PX
    page.evaluate(_RECORD_PRINTING_JS)

    data = page.pdf(format="A4")
    (tmp_path / f"{name}.pdf").write_bytes(data)

    texts = _pdf_texts(data)
    sheets = len(texts)
    assert sheets > 1, f"{name}: printed on {sheets} sheet; the test needs more"
    other = next(words for key, words in EDITION_MARGINS.items() if key != edition)
    for number, text in enumerate(texts, start=1):
        where = f"{name}, sheet {number} of {sheets}"
        assert EDITION_MARGINS[edition] in text, f"{where}: no edition in the margin:\n{text}"
        assert other not in text, f"{where}: the other edition's words"
        assert AS_OF_MARGIN in text, f"{where}: no as-of date in the margin:\n{text}"
        assert re.findall(r"Page (\d+) of (\d+)", text) == [(str(number), str(sheets))], where

    # charts.js drew the charts to the paper's width as printing started, and
    # drew them for the screen again when it ended.
    page.wait_for_function("() => window.__qaPrinted.length === 4", timeout=ACTION_TIMEOUT_MS)
    printed: list[tuple[str, list[float]]] = [tuple(e) for e in page.evaluate("__qaPrinted")]
    assert [moment for moment, _ in printed] == ["beforeprint", "print", "afterprint", "screen"]
    charts = len(on_screen)
    for moment, widths in printed[:2]:
        assert len(widths) == charts and all(w <= TEXT_WIDTH_PX for w in widths), (
            f"{name}: at {moment}, charts {widths} px wide, for {TEXT_WIDTH_PX:.1f} px of paper"
        )
    assert printed[1][1] == [pytest.approx(TEXT_WIDTH_PX, abs=1)] * charts
    assert printed[3][1] == on_screen, "charts not drawn again for the screen after printing"
    assert visit.errors == [] and visit.blocked == []


# --- the margins' text, from the build's settings ------------------------------------

_THEME = ROOT / "generator" / "theme"
# Material's base.html, reduced to the blocks generator/theme/main.html fills.
_BASE = "<head>{% block extrahead %}{% endblock %}</head>{% block announce %}{% endblock %}"


def _margins(edition: str, as_of: object) -> str:
    """The print style generator/theme/main.html writes for these globals, rendered as
    MkDocs renders themes (a plain Jinja environment: no autoescaping)."""
    import jinja2

    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(_THEME), jinja2.DictLoader({"base.html": _BASE})]
    )
    environment = jinja2.Environment(loader=loader, auto_reload=False)
    environment.globals.update(qa_site_edition=edition, qa_site_as_of=as_of)
    html = environment.get_template("main.html").render()
    styles = re.findall(r'<style media="print">(.*?)</style>', html, flags=re.S)
    assert len(styles) == 1 and html.count("<style") == 1 and html.count("</style") == 1, html
    return str(styles[0])


def _contents(style: str) -> list[str]:
    return re.findall(r"content: (.*?);\n", style)


@pytest.mark.parametrize(
    ("edition", "words"),
    [(edition, words) for edition, words in EDITION_MARGINS.items()] + [("public", "")],
)
def test_margins_say_the_edition_and_date(edition: str, words: str) -> None:
    assert _contents(_margins(edition, "1 January 2017")) == [
        f'"{words}"',
        f'"{AS_OF_MARGIN}"',
        '"Page " counter(page) " of " counter(pages)',
    ]


@pytest.mark.parametrize(
    ("as_of", "shown"),
    [
        (
            '1 January 2017"; } body { display: none } @page { x: "',
            "1 January 2017  body  display none  page  x ",
        ),
        ("</style><script>alert(1)</script>", "stylescriptalert1script"),
        ('1 January 2017\\"\n\\a', "1 January 2017a"),
        ("", None),
        (None, None),
    ],
    ids=["css", "element", "escapes", "empty", "none"],
)
def test_margins_keep_the_date_inside_its_css_string(as_of: object, shown: str | None) -> None:
    top_right = _contents(_margins("internal", as_of))[1]
    assert top_right == (f'"Results as of {shown}"' if shown is not None else '""')
