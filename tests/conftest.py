"""Fixtures: throwaway repositories, sites built once for the run, and Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.repos import RepoFactory, repo_factory
from tests.support.sites import (
    BuildError,
    BuiltSite,
    build_site,
    partner_edition,
    published_sample,
    sample_site,
    shared_root,
    shared_site,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from tests.support.serving import Site


@pytest.fixture
def make_repo(tmp_path: Path) -> RepoFactory:
    """Copy the small valid base repository into tmp_path, then apply changes.

    ``files`` maps repository paths to new content (str or bytes); ``remove``
    lists repository paths (files or folders) to delete.
    """
    return repo_factory(tmp_path)


@pytest.fixture(scope="session")
def shared_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where sites built once for the whole run (every worker included) are kept."""
    return shared_root(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def built_sample(shared_sites: Path) -> BuiltSite:
    """The sample site built with `mkdocs build --strict`, once for the run: read only."""
    return shared_site(shared_sites, "sample", sample_site)


@pytest.fixture(scope="session")
def published(shared_sites: Path) -> BuiltSite:
    """A copy of the sample content with its site built by `qa-site build` in site/, once
    for the run: read only (the copy is the site's parent folder)."""
    return shared_site(shared_sites, "published", published_sample, "repo/site")


@pytest.fixture(scope="session")
def built_partners(shared_sites: Path) -> BuiltSite:
    """The sample's partner edition built by `qa-site build --audience partners`, once for
    the run: read only."""
    return shared_site(shared_sites, "partners", partner_edition)


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Nothing, when Chromium can be driven; else the test is skipped, or fails where
    QA_SITE_REQUIRE_BROWSER=1 (CI) says it may not be skipped."""
    from tests.support.chromium import browser_unavailable

    reason = browser_unavailable()
    if reason is None:
        return
    if os.environ.get("QA_SITE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (QA_SITE_REQUIRE_BROWSER=1, so not skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium(browser_available: None) -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright, for the whole session."""
    from playwright.sync_api import sync_playwright

    from tests.support.chromium import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path()), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def partner_option_edition(site: Path) -> str:
    """The sample content's partner edition, built by ``mkdocs build`` from a copy whose
    mkdocs.yml gives the plugin ``audience: partners``."""
    from tests.support.planted import make_partner_copy

    return build_site(make_partner_copy(site.parent / "project"), site)


@pytest.fixture(scope="session")
def served_sample(browser_available: None, built_sample: BuiltSite) -> Iterator[Site]:
    """The sample site (built_sample) served on 127.0.0.1 for the browser tests."""
    from tests.support.serving import serve

    with serve(built_sample.site) as served:
        yield served


@pytest.fixture(scope="session")
def served_partners(browser_available: None, shared_sites: Path) -> Iterator[Site]:
    """The sample's partner edition (partner_option_edition), built once for the run
    (shared with test_browser.py's partner_site) and served on 127.0.0.1."""
    from tests.support.serving import serve

    try:
        built = shared_site(shared_sites, "partners-option", partner_option_edition)
    except BuildError as error:
        pytest.fail(str(error), pytrace=False)
    with serve(built.site) as served:
        yield served
