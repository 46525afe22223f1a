"""The built site in a real browser (Debian's Chromium through Playwright).

A sample of pages is opened with every request to a host other than the local
server aborted and counted, and must: send nothing off the site, log no
console error, draw each chart (without plotly's "share to cloud" button),
keep working across instant navigation and the palette toggle, pass axe-core's
WCAG 2.2 AA rules in both colour schemes, and show planted HTML as text.

Then every page of both editions, found by walking the built site's HTML
files (a new page is covered without a change here), must pass axe-core's
WCAG 2.2 AA rules in both colour schemes (in the second, the colour rules:
the palette changes nothing else), with its sidebar links at least 24 by 24
CSS px and uncovered, its charts drawn, nothing sent off the site and no
console error. Each edition's pages are shared out between a few tests, to
audit them in parallel.

Skipped when Chromium or Playwright is missing, unless QA_SITE_REQUIRE_BROWSER=1
(set by CI), which turns the skip into a failure. Screenshots go to
tests/artifacts/screenshots/ (or $QA_SITE_ARTIFACTS/screenshots/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.audit import audit_pages
from tests.support.axe import axe_violations, describe_violations
from tests.support.chromium import (
    ACTION_TIMEOUT_MS,
    CHART_TIMEOUT_MS,
    CLOUD_SELECTORS,
    Visit,
    artifacts_dir,
    chart_count,
    goto,
    hover_charts,
    new_cached_visit,
    new_visit,
    screenshot,
    set_scheme,
    settle,
    undrawn_charts,
    unstyled_modebars,
)
from tests.support.planted import SCRIPT_TEXT, TEAM_TEXT, make_injected_copy
from tests.support.serving import Site, serve, site_pages, sitemap_pages
from tests.support.sites import Build, BuildError, build_site, shared_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

HOME = ""
SCORECARD = "teams/hammersmith-fulham/learning-disability/"
REVIEW = "teams/hammersmith-fulham/learning-disability/2011-09-22/"
STANDARD = "standards/S07/"
MEETING = "board/hammersmith-fulham/2011-07-14/"
COMPARISON = "comparison/"

# name -> (path, whether the page must have charts)
PAGES = {
    "home": (HOME, True),
    "scorecard": (SCORECARD, True),
    "standard": (STANDARD, True),
    "meeting": (MEETING, False),
    "comparison": (COMPARISON, True),
}
CHART_PAGES = [name for name, (_, charts) in PAGES.items() if charts]

Opener = Callable[..., Visit]


# --- fixtures ----------------------------------------------------------------------


def _shared(shared_sites: Path, name: str, build: Build) -> Path:
    try:
        return shared_site(shared_sites, name, build).site
    except BuildError as error:
        pytest.fail(str(error), pytrace=False)


def _injected(site: Path) -> str:
    return build_site(make_injected_copy(site.parent / "project"), site)


@pytest.fixture(scope="session")
def injected_site(browser_available: None, shared_sites: Path) -> Iterator[Site]:
    """A copy of the sample content with script payloads planted in a review and a team."""
    with serve(_shared(shared_sites, "injected", _injected)) as served:
        yield served


@pytest.fixture
def open_page(chromium: Browser, served_sample: Site) -> Iterator[Opener]:
    """Open a path in a fresh, guarded browser context: ``open_page(path, on=site)``
    (by default, the sample site: tests/conftest.py's served_sample)."""
    contexts: list[BrowserContext] = []

    def open_(path: str, on: Site = served_sample) -> Visit:
        context, visit = new_visit(chromium, on)
        contexts.append(context)
        goto(visit, path)
        return visit

    yield open_
    for context in contexts:
        context.close()


def _open_settled(open_page: Opener, name: str) -> Visit:
    """Open one of PAGES and let it finish drawing (without asserting that it did)."""
    visit = open_page(PAGES[name][0])
    undrawn_charts(visit.page)
    hover_charts(visit.page)
    settle(visit.page)
    return visit


def _assert_charts_drawn(page: Page, where: str, *, required: bool = True) -> int:
    count = chart_count(page)
    if required:
        assert count > 0, f"{where}: no .qa-chart__plot on the page"
    undrawn = undrawn_charts(page)
    assert undrawn == [], (
        f"{where}: {len(undrawn)} of {count} charts not drawn within "
        f"{CHART_TIMEOUT_MS} ms (no svg.main-svg): {undrawn}"
    )
    return count


# --- each page on its own ---------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_the_site(open_page: Opener, name: str) -> None:
    visit = _open_settled(open_page, name)
    assert visit.blocked == [], (
        f"{name}: {len(visit.blocked)} request(s) to another host:\n" + "\n".join(visit.blocked)
    )


@pytest.mark.parametrize("name", PAGES)
def test_no_console_errors(open_page: Opener, name: str) -> None:
    visit = _open_settled(open_page, name)
    assert visit.errors == []


@pytest.mark.parametrize("name", PAGES)
def test_every_chart_is_drawn(open_page: Opener, name: str) -> None:
    path, has_charts = PAGES[name]
    visit = open_page(path)
    count = _assert_charts_drawn(visit.page, name, required=has_charts)
    figures = visit.page.locator("figure.qa-chart").count()
    data = visit.page.locator("figure.qa-chart .qa-chart__plot[data-qa-figure]")
    assert (figures, data.count()) == (count, count), (
        f"{name}: expected one <figure class=qa-chart> with one plot and its figure per chart"
    )


@pytest.mark.parametrize("name", PAGES)
def test_plotly_is_served_from_the_site_only_where_there_are_charts(
    open_page: Opener, name: str
) -> None:
    visit = _open_settled(open_page, name)
    plotly = [url for url in visit.requests if "plotly" in url.rsplit("/", 1)[-1].lower()]
    if chart_count(visit.page):
        assert plotly, f"{name}: has charts but plotly.js was not loaded from the site"
        assert all(url.startswith(visit.base_url + "assets/") for url in plotly), plotly
    else:
        assert plotly == [], f"{name}: has no charts but loaded {plotly}"


@pytest.mark.parametrize("name", CHART_PAGES)
def test_no_send_to_cloud_button(open_page: Opener, name: str) -> None:
    visit = _open_settled(open_page, name)
    page = visit.page
    _assert_charts_drawn(page, name)
    found = {
        selector: count for selector in CLOUD_SELECTORS if (count := page.locator(selector).count())
    }
    assert found == {}, f"{name}: plotly cloud/share controls or links on the page: {found}"


# --- instant navigation and the palette ------------------------------------------------


def _click_in_content_link(page: Page, url: str) -> None:
    """Click the first visible link in the content that leads to ``url``."""
    marked = page.evaluate(
        """(want) => {
            const link = [...document.querySelectorAll('.md-content a[href]')].find((a) => {
                const href = new URL(a.href);
                href.hash = href.search = '';
                return href.href === want && a.offsetParent !== null;
            });
            if (!link) return false;
            link.setAttribute('data-qa-target', '');
            return true;
        }""",
        url,
    )
    assert marked, f"no visible link to {url} in .md-content of {page.url}"
    # Instant navigation swaps .md-container; mark the old one to know when it is gone.
    page.evaluate("() => document.querySelector('.md-content').setAttribute('data-qa-old', '')")
    page.locator("[data-qa-target]").click()


def _wait_for_swap(page: Page, url: str) -> None:
    page.wait_for_url(url, timeout=ACTION_TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('.md-content[data-qa-old]')",
        timeout=ACTION_TIMEOUT_MS,
    )


def _assert_instant(page: Page, where: str) -> None:
    marker = page.evaluate("() => window.__qaMarker")
    assert marker == 1, f"{where}: window.__qaMarker is {marker!r}: the page was fully reloaded"


def test_instant_navigation_and_palette_keep_charts_drawn(open_page: Opener) -> None:
    visit = open_page(HOME)
    page = visit.page
    _assert_charts_drawn(page, "home")
    page.evaluate("() => { window.__qaMarker = 1; }")

    _click_in_content_link(page, visit.base_url + SCORECARD)
    _wait_for_swap(page, visit.base_url + SCORECARD)
    _assert_instant(page, "home -> scorecard")
    _assert_charts_drawn(page, "scorecard after instant navigation")
    assert unstyled_modebars(page) == [], "plotly's stylesheet was lost"

    page.evaluate("() => { document.querySelector('.md-content').dataset.qaOld = ''; }")
    page.evaluate("() => history.back()")
    _wait_for_swap(page, visit.base_url + HOME)
    _assert_instant(page, "scorecard -> back to home")
    _assert_charts_drawn(page, "home after history.back()")
    assert unstyled_modebars(page) == [], "plotly's stylesheet was lost"

    _click_in_content_link(page, visit.base_url + SCORECARD)
    _wait_for_swap(page, visit.base_url + SCORECARD)
    _assert_instant(page, "home -> scorecard again")
    _assert_charts_drawn(page, "scorecard, second visit")

    set_scheme(page, "slate")
    settle(page)
    _assert_charts_drawn(page, "scorecard in the dark scheme")
    set_scheme(page, "default")
    settle(page)
    _assert_charts_drawn(page, "scorecard back in the light scheme")
    _assert_instant(page, "after toggling the palette")

    assert visit.errors == []
    assert visit.blocked == []


# --- accessibility and screenshots -----------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_accessibility_in_both_schemes(open_page: Opener, name: str) -> None:
    visit = _open_settled(open_page, name)
    page = visit.page
    page.mouse.move(0, 0)  # no hover label or mode bar over the content
    problems = []
    for scheme, suffix in (("default", ""), ("slate", "-dark")):
        set_scheme(page, scheme)
        settle(page)
        screenshot(page, name + suffix)
        violations = axe_violations(page)
        if violations:
            problems.append(
                f"{name} ({scheme}): {len(violations)} axe violation(s)\n"
                + describe_violations(violations)
            )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --- planted HTML stays text -------------------------------------------------------------


_PWNED = "() => typeof window.__qaPwned === 'undefined' ? null : String(window.__qaPwned)"
_INLINE_HANDLERS = """() => [...document.querySelectorAll('.md-content *, title, h1')]
    .filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on')))
    .map((el) => el.outerHTML.slice(0, 120))"""
_EXECUTABLE_PWNED_SCRIPTS = """() => [...document.scripts]
    .filter((s) => ['', 'text/javascript', 'module'].includes(s.type.toLowerCase()))
    .filter((s) => s.text.includes('__qaPwned'))
    .map((s) => s.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize(
    ("name", "path", "literal"),
    [("review", REVIEW, SCRIPT_TEXT), ("scorecard", SCORECARD, TEAM_TEXT)],
    ids=["review", "scorecard"],
)
def test_planted_html_is_shown_as_text(
    open_page: Opener, injected_site: Site, name: str, path: str, literal: str
) -> None:
    visit = open_page(path, on=injected_site)
    page = visit.page
    undrawn_charts(page)
    settle(page)

    assert page.evaluate(_PWNED) is None, f"{name}: a payload ran on load"
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.locator("img[onerror]").count() == 0
    assert page.locator("[onmouseover]").count() == 0
    assert page.evaluate(_INLINE_HANDLERS) == []
    assert page.evaluate(_EXECUTABLE_PWNED_SCRIPTS) == []
    text = page.locator("body").inner_text()
    assert literal in text, f"{name}: {literal!r} is not shown as text on the page"

    for selector in ("h1", ".md-content b", ".md-content img", ".qa-chart__plot"):
        targets = page.locator(selector)
        for index in range(min(targets.count(), 5)):
            if targets.nth(index).is_visible():
                targets.nth(index).hover()
    assert page.evaluate(_PWNED) is None, f"{name}: a payload ran on hover"

    for label in ("a link", "an anchor"):
        link = page.locator(".md-content").get_by_text(label, exact=True)
        if link.count() and link.first.is_visible():
            link.first.click(no_wait_after=True)
            assert page.evaluate(_PWNED) is None, f"{name}: a payload ran on clicking {label!r}"


# --- the partner edition ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        (HOME, "Programme dashboard"),
        ("teams/kensington-chelsea/hospital/2012-01-26/", "Hospital Social Work Team: review"),
        ("board/hammersmith-fulham/2012-04-19/", "H&F governance board"),
    ],
    ids=["home", "review", "meeting"],
)
def test_the_partner_edition_says_so_and_stays_accessible(
    open_page: Opener, served_partners: Site, path: str, heading: str
) -> None:
    visit = open_page(path, on=served_partners)
    page = visit.page
    settle(page)
    assert page.locator("h1").first.inner_text().startswith(heading)
    banner = page.locator(".md-banner .qa-edition")
    assert banner.is_visible()
    assert banner.inner_text().startswith("Partner edition, shared with partner boroughs.")
    assert page.title().endswith("(partner edition)")
    assert visit.blocked == [] and visit.errors == []
    problems = []
    for scheme, suffix in (("default", ""), ("slate", "-dark")):
        set_scheme(page, scheme)
        settle(page)
        screenshot(page, f"partners-{path.strip('/').replace('/', '-') or 'home'}{suffix}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{path} ({scheme}):\n" + describe_violations(violations))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --- every page of both editions --------------------------------------------------------

# edition -> the fixture (tests/conftest.py) serving its site
EDITIONS = {"internal": "served_sample", "partners": "served_partners"}

# Pages checked at once, each in a page of its own: axe keeps a core busy per page.
AUDIT_LANES = 2
# Each edition's pages are shared out between this many tests (every AUDIT_PARTS-th
# page to each), so that a parallel run audits an edition in as many processes.
AUDIT_PARTS = 4
PARTS = [(edition, part) for edition in EDITIONS for part in range(AUDIT_PARTS)]


@pytest.mark.parametrize(
    ("edition", "part"), PARTS, ids=[f"{e}-{p + 1}of{AUDIT_PARTS}" for e, p in PARTS]
)
def test_every_page_is_accessible_in_both_schemes(
    chromium: Browser, request: pytest.FixtureRequest, edition: str, part: int
) -> None:
    served: Site = request.getfixturevalue(EDITIONS[edition])
    assert served.root is not None
    pages = site_pages(served.root)
    listed = sitemap_pages(served.root)
    unfound = sorted(set(listed) - set(pages))
    assert listed and not unfound, f"{edition}: sitemap pages not found as HTML files: {unfound}"
    assert "" in pages and "404.html" in pages, f"{edition}: found only {pages}"
    share = pages[part::AUDIT_PARTS]

    contexts: list[BrowserContext] = []
    try:
        visits = []
        for _ in range(AUDIT_LANES):
            context, visit = new_cached_visit(chromium, served)
            contexts.append(context)
            visits.append(visit)
        found = audit_pages(visits, share)
    finally:
        for context in contexts:
            context.close()
    if found:
        problems = [problem for page_problems in found.values() for problem in page_problems]
        pytest.fail(
            f"{edition} edition: problems on {len(found)} of {len(share)} pages "
            f"(part {part + 1} of {AUDIT_PARTS}; screenshots in "
            f"{artifacts_dir() / 'screenshots'}):\n" + "\n".join(problems),
            pytrace=False,
        )
