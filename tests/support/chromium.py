"""Debian's Chromium for the browser tests: whether it can run here, pages opened with
every request to another host stopped and counted, and waiting for a page to be drawn."""

from __future__ import annotations

import functools
import importlib.util
import os
import socket
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.support.paths import ROOT
from tests.support.serving import Site

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Route,
        ViewportSize,
    )

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHART_TIMEOUT_MS = 15_000
ACTION_TIMEOUT_MS = 15_000
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}

# What a chart looks like once plotly has drawn it (see the chart markup contract).
UNDRAWN_CHARTS_JS = """() => [...document.querySelectorAll('.qa-chart__plot')]
    .filter((plot) => !plot.querySelector('svg.main-svg'))
    .map((plot) => plot.id || plot.outerHTML.slice(0, 80))"""

# Plotly's "share" buttons (plotly.js 4: "Share chart...", which uploads to Plotly
# Cloud; older: "Edit in Chart Studio"), its cloud dialog, and links to plotly's hosts.
CLOUD_SELECTORS = [
    '[data-title*="Cloud" i]',
    '[data-title*="Share chart" i]',
    '.modebar-btn[data-title="Edit in Chart Studio"]',
    ".plotly-cloud-dialog-box",
    'a[href*="plot.ly" i]',
    'a[href*="chart-studio" i]',
    'a[href*="plotly.com" i]',
]


def chromium_path() -> Path:
    return Path(os.environ.get("QA_SITE_CHROMIUM", DEFAULT_CHROMIUM))


def browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for module in ("playwright.sync_api", "axe_playwright_python.sync_playwright"):
        if importlib.util.find_spec(module.split(".")[0]) is None:
            return (
                f"{module} is not importable: install the test extra with "
                "`pip install -e '.[test]'`"
            )
    path = chromium_path()
    if not path.is_file() or not os.access(path, os.X_OK):
        return (
            f"Chromium not found at {path}: install it with `apt-get install chromium` "
            "(or point QA_SITE_CHROMIUM at a Chromium binary)"
        )
    return None


def artifacts_dir() -> Path:
    """Where screenshots go: $QA_SITE_ARTIFACTS, or tests/artifacts (git-ignored)."""
    override = os.environ.get("QA_SITE_ARTIFACTS")
    return Path(override) if override else ROOT / "tests" / "artifacts"


def screenshot_path(name: str) -> Path:
    folder = artifacts_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def screenshot(page: Page, name: str) -> Path:
    path = screenshot_path(name)
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class Visit:
    """An open page and what it did: requests blocked, console errors, requests made."""

    page: Page
    base_url: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def new_visit(
    browser: Browser, site: Site, viewport: ViewportSize = VIEWPORT
) -> tuple[BrowserContext, Visit]:
    """A fresh context, its window ``viewport``, that answers the site's requests and
    aborts all others."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    visit = Visit(page=page, base_url=site.base_url)

    def route(route: Route) -> None:
        request = route.request
        local = site.to_local(request.url)
        if local is None:
            visit.blocked.append(f"{request.method} {request.url} ({request.resource_type})")
            route.abort("blockedbyclient")
            return
        visit.requests.append(request.url)
        if request.url.startswith(site.local):
            route.continue_()
            return
        try:
            route.fulfill(response=route.fetch(url=local, max_redirects=0))
        except PlaywrightError as error:
            # A request still in flight when the test closes its context (a
            # late favicon, say) has nobody left to answer: not a failure.
            if page.is_closed() or type(error).__name__ == "TargetClosedError":
                return
            raise

    context.route("**/*", route)
    _listen(visit)
    return context, visit


def _listen(visit: Visit) -> None:
    """Count the page's console errors, uncaught errors and web sockets in ``visit``."""
    page = visit.page

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            visit.errors.append(f"console.error: {message.text} [{where}] on {page.url}")

    def page_error(error: Exception) -> None:
        visit.errors.append(f"uncaught: {error} on {page.url}")

    page.on("console", console)
    page.on("pageerror", page_error)
    page.on("websocket", lambda ws: visit.blocked.append(f"WEBSOCKET {ws.url}"))


_HELD_SOCKETS: list[socket.socket] = []


@functools.cache
def _refusing_proxy() -> str:
    """A proxy that refuses every connection: a port bound on 127.0.0.1, never listened on."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    _HELD_SOCKETS.append(sock)  # held for the life of the process, so the port stays shut
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


def new_cached_visit(
    browser: Browser, site: Site, viewport: ViewportSize = VIEWPORT
) -> tuple[BrowserContext, Visit]:
    """A fresh context, its window ``viewport``, that opens the site at its local address
    with Chromium's cache on.

    Routing requests, as new_visit does, turns Chromium's cache off, so every page
    with charts would fetch and compile plotly.js (4 MB) again. Here nothing is
    routed: the site is opened on 127.0.0.1 (so Material's instant navigation is
    off) and a request to any other host goes to a proxy that refuses it, and is
    counted in ``blocked``. For going through many pages quickly.
    """
    context = browser.new_context(
        viewport=viewport, proxy={"server": _refusing_proxy(), "bypass": "127.0.0.1"}
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    visit = Visit(page=page, base_url=site.local)

    def request(request: Request) -> None:
        if request.url.startswith(site.local):
            visit.requests.append(request.url)
        elif urlsplit(request.url).scheme in ("http", "https"):
            visit.blocked.append(f"{request.method} {request.url} ({request.resource_type})")

    page.on("request", request)
    _listen(visit)
    return context, visit


def goto(visit: Visit, path: str) -> None:
    response = visit.page.goto(visit.base_url + path, wait_until="load")
    assert response is not None and response.status == 200, (
        f"/{path} answered {response.status if response else 'nothing'}"
    )


def settle(page: Page) -> None:
    """Wait for the network to go quiet and finite animations to end."""
    page.wait_for_load_state("networkidle")
    settle_drawing(page)


def settle_drawing(page: Page) -> None:
    """Wait for finite animations to end and two frames to be drawn (not for the network)."""
    page.wait_for_function(
        """() => document.getAnimations().every((a) => a.playState !== 'running'
            || a.effect?.getComputedTiming().iterations === Infinity)""",
        timeout=ACTION_TIMEOUT_MS,
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => "
                  "requestAnimationFrame(() => done(null))))")  # fmt: skip


def chart_count(page: Page) -> int:
    return page.locator(".qa-chart__plot").count()


# The same, leaving out charts not displayed (one a narrow screen shows as its table only).
UNDRAWN_DISPLAYED_CHARTS_JS = """() => [...document.querySelectorAll('.qa-chart__plot')]
    .filter((plot) => plot.getClientRects().length && !plot.querySelector('svg.main-svg'))
    .map((plot) => plot.id || plot.outerHTML.slice(0, 80))"""


def undrawn_charts(
    page: Page, timeout_ms: int = CHART_TIMEOUT_MS, *, displayed_only: bool = False
) -> list[str]:
    """Wait up to ``timeout_ms`` for every chart to be drawn; return the ones that are not.
    With ``displayed_only``, charts the page does not display (display: none) are left out."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    script = UNDRAWN_DISPLAYED_CHARTS_JS if displayed_only else UNDRAWN_CHARTS_JS
    with suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => ({script})().length === 0", timeout=timeout_ms)
    undrawn: list[str] = page.evaluate(script)
    return undrawn


def unstyled_modebars(page: Page) -> list[str]:
    """Charts whose plotly mode bar has lost plotly's own stylesheet (position: absolute)."""
    result: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('.qa-chart__plot .modebar')]
            .filter((bar) => getComputedStyle(bar).position !== 'absolute')
            .map((bar) => bar.closest('.qa-chart__plot').id)"""
    )
    return result


def hover_charts(page: Page) -> None:
    """Hover every chart so that plotly shows its mode bar and hover labels."""
    plots = page.locator(".qa-chart__plot")
    for index in range(plots.count()):
        plots.nth(index).scroll_into_view_if_needed()
        plots.nth(index).hover()


def set_scheme(page: Page, scheme: str) -> None:
    """Click Material's palette toggle until <body> has ``scheme`` ("default", "slate")."""
    current = "() => document.body.getAttribute('data-md-color-scheme')"
    if page.evaluate(current) == scheme:
        return
    toggle = page.locator('form[data-md-component="palette"] label:visible')
    assert toggle.count() == 1, "expected exactly one visible palette toggle in the header"
    toggle.click()
    page.wait_for_function(f"() => ({current})() === {scheme!r}", timeout=ACTION_TIMEOUT_MS)


def current_scheme(page: Page) -> str | None:
    scheme: str | None = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    return scheme
