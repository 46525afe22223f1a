"""The site's search, typed into the search box of the built sample in a real browser
(Material's lunr index, searched in a web worker): a standard's own page comes
before the pages that only mention it, for the words of its short name, in the
singular or the plural.

Skipped when Chromium or Playwright is missing, unless QA_SITE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.support.chromium import ACTION_TIMEOUT_MS, goto, new_visit
from tests.support.serving import Site, serve
from tests.support.sites import BuiltSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

RESULT_LINKS = ".md-search-result__item > .md-search-result__link"


@pytest.fixture(scope="module")
def site(browser_available: None, built_sample: BuiltSite) -> Iterator[Site]:
    with serve(built_sample.site) as served:
        yield served


def _results(chromium: Browser, site: Site, query: str) -> list[str]:
    """The pages the search box lists for ``query``, in its order, as addresses
    relative to the site (without their fragments)."""
    context, visit = new_visit(chromium, site)
    try:
        goto(visit, "")
        page = visit.page
        page.locator("input.md-search__input").click()
        # Typed key by key, as a reader does: the search runs on each key's events.
        page.keyboard.type(query)
        page.wait_for_selector(RESULT_LINKS, timeout=ACTION_TIMEOUT_MS)
        links = page.eval_on_selector_all(
            RESULT_LINKS, "(links) => links.map((a) => a.getAttribute('href'))"
        )
        assert visit.errors == []
        # Each result links to its page with the words to mark (?h=...).
        return [urlsplit(link).path.removeprefix(urlsplit(site.base_url).path) for link in links]
    finally:
        context.close()


@pytest.mark.parametrize(
    ("query", "standard"),
    [
        ("safeguarding enquiry", "standards/S07/"),
        ("safeguarding enquiries", "standards/S07/"),
        ("supervision", "standards/S47/"),
    ],
)
def test_a_standard_s_own_page_comes_first(
    chromium: Browser, site: Site, query: str, standard: str
) -> None:
    found = _results(chromium, site, query)
    assert found[0] == standard, found[:6]
