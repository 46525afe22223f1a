"""Shared fixtures: throwaway repositories built from a few lines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DATA = Path(__file__).parent / "data"
BASE = DATA / "base"
ROOT = Path(__file__).parent.parent

RepoFactory = Callable[..., Path]


@pytest.fixture
def make_repo(tmp_path: Path) -> RepoFactory:
    """Copy the small valid base repository into tmp_path, then apply changes.

    ``files`` maps repository paths to new content (str or bytes); ``remove``
    lists repository paths (files or folders) to delete.
    """

    def make(
        files: Mapping[str, str | bytes] | None = None, remove: list[str] | None = None
    ) -> Path:
        repo = tmp_path / "repo"
        if not repo.exists():
            shutil.copytree(BASE, repo)
        for path in remove or []:
            target = repo / path
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        for path, content in (files or {}).items():
            target = repo / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return repo

    return make


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``qa-site`` as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1341100800"},
        check=False,
    )


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Nothing, when Chromium can be driven; else the test is skipped, or fails where
    QA_SITE_REQUIRE_BROWSER=1 (CI) says it may not be skipped."""
    from tests import browser_support

    reason = browser_support.browser_unavailable()
    if reason is None:
        return
    if os.environ.get("QA_SITE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (QA_SITE_REQUIRE_BROWSER=1, so not skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium(browser_available: None) -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright, for the whole session."""
    from playwright.sync_api import sync_playwright

    from tests import browser_support

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(browser_support.chromium_path()),
            headless=True,
            args=browser_support.CHROMIUM_ARGS,
        )
        yield browser
        browser.close()
