"""Every page of both editions laid out for its reader, at a phone's width (390 px) and a
desktop's (1280 px), in a real browser (Debian's Chromium through Playwright).

Every page, found by walking the built site's HTML files (a new page is covered with
no change here), opened once at each width, must:

- fit the screen: nothing wider than the window (the page never scrolls sideways);
- set every text in its tables at 14 px or more, qualifiers included;
- draw the charts it displays, their text whole (none cut off at the chart's edge)
  and at 4.5:1 contrast or more against what is behind it (read from a picture of
  the chart), in both colour schemes (the dark one at the desktop width only: a
  chart's colours do not change with the width);
- on a team's scorecard, at 1280 px, start the action plan within 1,800 px (two
  desktop screens) of the top of the page.

Each edition's pages are shared out between a few tests per width, to check them in
parallel; a failure lists every page and what is wrong on it. Then the home page, a
scorecard, the newest meeting and the like-for-like page are pictured at both widths
(tests/artifacts/screenshots/layout-<width>-<page>.png), to be looked at. Last, each
check is shown to fail on small pages made to fail it.

Skipped when Chromium or Playwright is missing, unless QA_SITE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.chromium import (
    Visit,
    artifacts_dir,
    goto,
    new_cached_visit,
    screenshot,
    settle,
    undrawn_charts,
)
from tests.support.layout import (
    ACTION_PLAN_WITHIN_PX,
    MIN_TABLE_TEXT_PX,
    VIEWPORTS,
    check_layout,
    check_pages,
    contrast_failures,
    is_scorecard,
    measure,
)
from tests.support.serving import Site, serve, site_pages

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

pytestmark = pytest.mark.browser

EDITIONS = {"internal": "served_sample", "partners": "served_partners"}  # -> site fixture
WIDTHS = list(VIEWPORTS)  # "390", "1280"
# Each edition's pages are shared out between this many tests per width (every
# LAYOUT_PARTS-th page to each), so that a parallel run checks them in as many processes.
LAYOUT_PARTS = 3
PARTS = [(e, w, p) for e in EDITIONS for w in WIDTHS for p in range(LAYOUT_PARTS)]

SCORECARD = "teams/hammersmith-fulham/learning-disability/"
COMPARISON = "comparison/"
_MEETING = re.compile(r"board/[^/]+/(\d{4}-\d{2}-\d{2})/")

Opener = Callable[[Site, str], Visit]


def _served(request: pytest.FixtureRequest, edition: str) -> Site:
    served: Site = request.getfixturevalue(EDITIONS[edition])
    assert served.root is not None
    return served


@pytest.fixture
def open_at(chromium: Browser) -> Iterator[Opener]:
    """``open_at(site, width)``: a fresh visit of ``site`` with a window of that width."""
    contexts: list[BrowserContext] = []

    def open_(site: Site, width: str) -> Visit:
        context, visit = new_cached_visit(chromium, site, VIEWPORTS[width])
        contexts.append(context)
        return visit

    yield open_
    for context in contexts:
        context.close()


# --- every page of both editions, at both widths ------------------------------------------


@pytest.mark.parametrize(
    ("edition", "width", "part"),
    PARTS,
    ids=[f"{e}-{w}px-{p + 1}of{LAYOUT_PARTS}" for e, w, p in PARTS],
)
def test_every_page_fits_the_screen_and_reads_at_both_widths(
    open_at: Opener, request: pytest.FixtureRequest, edition: str, width: str, part: int
) -> None:
    served = _served(request, edition)
    assert served.root is not None
    pages = site_pages(served.root)
    assert "" in pages and "404.html" in pages, f"{edition}: found only {pages}"
    share = pages[part::LAYOUT_PARTS]
    found = check_pages(open_at(served, width), share, width=width)
    if found:
        problems = [problem for page_problems in found.values() for problem in page_problems]
        pytest.fail(
            f"{edition} edition at {width} px: problems on {len(found)} of {len(share)} pages "
            f"(part {part + 1} of {LAYOUT_PARTS}):\n" + "\n".join(problems),
            pytrace=False,
        )


def test_every_scorecard_has_an_action_plan_to_find(request: pytest.FixtureRequest) -> None:
    """The action plan check finds its heading (id "action-plan") on the scorecards of
    teams with a presented review: without it, the check above would pass unseen."""
    root = _served(request, "internal").root
    assert root is not None
    scorecards = [path for path in site_pages(root) if is_scorecard(path)]
    with_plan = [
        path for path in scorecards
        if 'id="action-plan"' in (root / path / "index.html").read_text("utf-8")
    ]  # fmt: skip
    assert SCORECARD in with_plan
    assert len(with_plan) >= len(scorecards) // 2, (
        f"only {len(with_plan)} of {len(scorecards)} scorecards have an action plan heading"
    )


# --- pictures to look at ---------------------------------------------------------------------


def newest_meeting(root: Path) -> str:
    """The page of the newest board meeting in a built site (of any board)."""
    meetings = [path for path in site_pages(root) if _MEETING.fullmatch(path)]
    assert meetings, "no meeting pages under board/"
    return max(meetings, key=lambda path: (_MEETING.fullmatch(path).group(1), path))  # type: ignore[union-attr]


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_key_pages_are_pictured_at_both_widths(
    open_at: Opener, request: pytest.FixtureRequest, width: str
) -> None:
    from PIL import Image

    served = _served(request, "internal")
    assert served.root is not None
    pages = {
        "home": "",
        "scorecard": SCORECARD,
        "meeting": newest_meeting(served.root),
        "comparison": COMPARISON,
    }
    visit = open_at(served, width)
    written = {}
    for name, path in pages.items():
        goto(visit, path)
        undrawn_charts(visit.page, displayed_only=True)
        settle(visit.page)
        visit.page.mouse.move(0, 0)
        written[name] = screenshot(visit.page, f"layout-{width}-{name}")
    expected_width = VIEWPORTS[width]["width"]
    for name, file in written.items():
        assert file.name == f"layout-{width}-{name}.png"
        assert file.parent == artifacts_dir() / "screenshots"
        with Image.open(file) as image:
            assert image.width == expected_width, f"{file}: {image.width} px wide"
            assert image.height >= VIEWPORTS[width]["height"], f"{file}: {image.height} px high"
            colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
            assert len(colours) > 50, f"{file}: only {len(colours)} colours: a blank page?"


# --- each check fails where it should ---------------------------------------------------------

_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body {{ margin: 0; font: 16px sans-serif; background: #fff; color: #000; }}</style>
</head><body><div class="md-content">{body}</div></body></html>"""

TINY_PAGES = {
    "wide.html": '<p>Fits.</p><div class="wide" style="width: 500px">Too wide</div>',
    "narrow.html": (
        '<p>Fits.</p><div style="overflow-x: auto"><table><tr>'
        '<td style="min-width: 800px">A wide table that scrolls in its own box</td>'
        "</tr></table></div>"
    ),
    "escaping.html": (
        '<div style="overflow-x: auto"><table><tr><td>Cell'
        '<span class="escapee" style="position: absolute; left: 600px; width: 1px; '
        'height: 1px; overflow: hidden">hidden words</span></td></tr></table></div>'
    ),
    "tables.html": (
        '<table><tr><th>Big</th><td style="font-size: 12px">small cell</td>'
        '<td>cell <small style="font-size: 10px">qualifier</small></td>'
        '<td><span style="position: absolute; width: 1px; height: 1px; overflow: hidden; '
        'clip: rect(0 0 0 0); font-size: 8px">for screen readers</span>ok</td></tr></table>'
        '<details><summary>More</summary><table><tr><td style="font-size: 13px">folded</td>'
        "</tr></table></details>"
    ),
    "chart.html": (
        '<figure class="qa-chart"><div class="qa-chart__plot" id="chart-tiny">'
        '<svg width="360" height="160" xmlns="http://www.w3.org/2000/svg">'
        '<rect x="0" y="100" width="360" height="60" fill="#e69f00"/>'
        '<text x="10" y="40" font-size="28" style="fill: #aaaaaa">Grey words</text>'
        '<text x="200" y="40" font-size="28" style="fill: #000000">Black</text>'
        '<text x="10" y="145" font-size="28" style="fill: #ffffff">White on amber</text>'
        "</svg></div></figure>"
    ),
    "cut.html": (
        '<figure class="qa-chart"><div class="qa-chart__plot" id="chart-cut">'
        '<svg width="200" height="60" xmlns="http://www.w3.org/2000/svg">'
        '<text x="10" y="40" font-size="20">Whole</text>'
        '<text x="150" y="40" font-size="20">Cut off here</text>'
        "</svg></div></figure>"
    ),
    "undrawn.html": (
        '<figure class="qa-chart"><div class="qa-chart__plot" id="shown">...</div></figure>'
        '<figure class="qa-chart"><div class="qa-chart__plot" id="given-way" '
        'style="display: none"></div><p>See the table.</p></figure>'
    ),
    "plan-low.html": '<h2 id="action-plan" style="margin-top: 2000px">Action plan</h2>',
    "plan-high.html": '<h2 id="action-plan" style="margin-top: 100px">Action plan</h2>',
}


@pytest.fixture(scope="module")
def tiny_site(browser_available: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("layout-pages")
    for name, body in TINY_PAGES.items():
        (folder / name).write_text(_PAGE.format(body=body), encoding="utf-8")
    (folder / "sitemap.xml").write_text("<urlset></urlset>\n", encoding="utf-8")  # no site_url
    with serve(folder) as served:
        yield served


def _measured(open_at: Opener, site: Site, name: str, width: str = "390") -> Visit:
    visit = open_at(site, width)
    goto(visit, name)
    return visit


def test_a_page_wider_than_a_phone_is_reported_with_its_widest_element(
    open_at: Opener, tiny_site: Site
) -> None:
    page = _measured(open_at, tiny_site, "wide.html").page
    found = measure(page)
    assert (found.width, found.scroll_width) == (390, 500)
    assert [(o["element"], o["right"], o["text"]) for o in found.overflowing] == [
        ("div.wide", 500, "Too wide")
    ]
    problems = check_layout(page, "wide", action_plan=False)
    assert len(problems) == 1
    assert problems[0].startswith("wide: wider than the screen: 500 px in a 390 px window")
    assert "div.wide right edge 500 px, 500 px wide: 'Too wide'" in problems[0]


def test_a_table_scrolling_in_its_own_box_fits_but_an_escaping_element_does_not(
    open_at: Opener, tiny_site: Site
) -> None:
    narrow = measure(_measured(open_at, tiny_site, "narrow.html").page)
    assert (narrow.scroll_width, narrow.overflowing, narrow.overflows) == (390, [], False)
    escaping = measure(_measured(open_at, tiny_site, "escaping.html").page)
    assert escaping.scroll_width == 601
    assert [(o["element"], o["right"]) for o in escaping.overflowing] == [("span.escapee", 601)]


def test_table_text_under_14_px_is_reported_even_when_folded(
    open_at: Opener, tiny_site: Site
) -> None:
    found = measure(_measured(open_at, tiny_site, "tables.html").page)
    assert sorted((t["size"], t["element"], t["text"]) for t in found.small_text) == [
        (10.0, "small", "qualifier"),
        (12.0, "td", "small cell"),
        (13.0, "td", "folded"),
    ]
    assert MIN_TABLE_TEXT_PX == 14


def test_chart_text_contrast_is_read_against_what_is_drawn_behind_it(
    open_at: Opener, tiny_site: Site
) -> None:
    page = _measured(open_at, tiny_site, "chart.html", "1280").page
    found = measure(page)
    assert sorted(t.text for t in found.chart_text) == ["Black", "Grey words", "White on amber"]
    failures = contrast_failures(page, found.chart_text)
    assert [(f["text"], f["fill"], f["background"], f["ratio"]) for f in failures] == [
        ("Grey words", "#aaaaaa", "#ffffff", 2.32),
        ("White on amber", "#ffffff", "#e69f00", 2.25),
    ]
    problems = check_layout(page, "chart", action_plan=False, schemes=["default"])
    assert problems == [
        "chart (default): chart text under 4.5:1 contrast:\n"
        "    #aaaaaa on #ffffff 2.32:1 in #chart-tiny (x1, e.g. 'Grey words')\n"
        "    #ffffff on #e69f00 2.25:1 in #chart-tiny (x1, e.g. 'White on amber')"
    ]


def test_chart_text_running_past_the_chart_is_reported_as_cut_off(
    open_at: Opener, tiny_site: Site
) -> None:
    page = _measured(open_at, tiny_site, "cut.html").page
    cut = measure(page).cut_text
    assert [(t["text"], t["chart"], t["shown"]) for t in cut] == [("Cut off here", "chart-cut", 50)]
    assert cut[0]["width"] > 100
    problems = check_layout(page, "cut", action_plan=False, schemes=["default"])
    assert problems == [
        "cut: chart text cut off at the chart's edge:\n"
        f"    #chart-cut: 50 of {cut[0]['width']} px shown (x1, e.g. 'Cut off here')"
    ]
    whole = measure(_measured(open_at, tiny_site, "chart.html").page)
    assert whole.cut_text == []


def test_a_chart_not_drawn_is_reported_unless_the_page_does_not_display_it(
    open_at: Opener, tiny_site: Site
) -> None:
    visit = _measured(open_at, tiny_site, "undrawn.html")
    assert undrawn_charts(visit.page, 100) == ["shown", "given-way"]
    assert undrawn_charts(visit.page, 100, displayed_only=True) == ["shown"]
    assert check_pages(visit, ["undrawn.html"], width="390", chart_timeout_ms=100) == {
        "undrawn.html": ["/undrawn.html at 390 px: chart not drawn: shown"]
    }


def test_an_action_plan_below_two_desktop_screens_is_reported(
    open_at: Opener, tiny_site: Site
) -> None:
    low = _measured(open_at, tiny_site, "plan-low.html", "1280").page
    problems = check_layout(low, "low", action_plan=True)
    assert len(problems) == 1 and problems[0].startswith("low: the action plan starts at 20")
    assert f"(limit {ACTION_PLAN_WITHIN_PX:g} px)" in problems[0]
    high = _measured(open_at, tiny_site, "plan-high.html", "1280").page
    assert check_layout(high, "high", action_plan=True) == []
    assert measure(high).plan_top is not None
