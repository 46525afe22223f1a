"""Helpers for the real-browser tests (tests/test_browser.py).

Builds the site with MkDocs, serves it on 127.0.0.1, opens pages in Debian's
Chromium with every request to another host aborted and counted, and reads
what the tests assert on: console errors, charts, axe-core violations.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route

ROOT = Path(__file__).parent.parent
SOURCE_DATE_EPOCH = "1341100800"  # as-of date 2012-07-01, as in the other tests

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
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

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


# --- the browser ------------------------------------------------------------------


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


def screenshot(page: Page, name: str) -> Path:
    folder = artifacts_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- building and serving the site --------------------------------------------------


class BuildError(Exception):
    pass


def build_site(project: Path, dest: Path) -> Path:
    """Run ``mkdocs build --strict`` in ``project`` into ``dest``; return ``dest``."""
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(dest)],
        cwd=project,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "NO_MKDOCS_2_WARNING": "1",
            "PYTHONPATH": pythonpath,
        },
        check=False,
    )
    if result.returncode != 0:
        raise BuildError(
            f"`mkdocs build --strict` failed in {project} (exit {result.returncode}):\n"
            f"{result.stderr[-4000:]}"
        )
    return dest


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Site:
    """A built site being served.

    ``local`` is the HTTP server on 127.0.0.1. ``base_url`` is where the browser
    opens the site: its own ``site_url`` when it has one (taken from sitemap.xml),
    with every request under it answered from ``local`` by the browser context's
    router, so nothing reaches the network; else ``local`` itself. Material's
    instant navigation only handles links whose URL, after it swaps in the page's
    protocol and host name, matches the sitemap's (port and path included), so a
    site with a ``site_url`` has to be opened there for that feature to be tested.
    """

    base_url: str
    local: str

    def to_local(self, url: str) -> str | None:
        """The local server's URL for a URL of the site, or None if it is not the site's."""
        for base in (self.base_url, self.local):
            if _same_origin(url, base) and urlsplit(url).path.startswith(urlsplit(base).path):
                rest = url[len(_origin(url)) + len(urlsplit(base).path) :]
                return self.local + rest
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _same_origin(a: str, b: str) -> bool:
    def key(url: str) -> tuple[str, str | None, int]:
        parts = urlsplit(url)
        return parts.scheme, parts.hostname, parts.port or {"https": 443}.get(parts.scheme, 80)

    return key(a) == key(b)


def site_url_of(site: Path) -> str | None:
    """The ``site_url`` a site was built with: its sitemap's shortest URL (the home page)."""
    sitemap = site / "sitemap.xml"
    locs = re.findall(r"<loc>\s*(https?://[^<\s]+)\s*</loc>", sitemap.read_text("utf-8"))
    if not locs:
        return None
    home = min(locs, key=len)
    return home[: home.rindex("/") + 1]


@contextmanager
def serve(directory: Path) -> Iterator[Site]:
    """Serve ``directory`` on 127.0.0.1 (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield Site(base_url=site_url_of(directory) or local, local=local)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- a copy of the sample content with hostile text planted in it --------------------

INJECTED_REVIEW = Path("reviews/hammersmith-fulham/learning-disability/2011-09-22.md")
INJECTED_TEAM = Path("reviews/hammersmith-fulham/learning-disability/team.yml")

BODY_PAYLOADS = [
    '<script>window.__qaPwned = "script"</script>',
    "Inline <script>window.__qaPwned = 'inline'</script> in a sentence.",
    '<img src="x" onerror="window.__qaPwned = \'img\'">',
    "[a link](javascript:window.__qaPwned='link')",
    "<a href=\"javascript:window.__qaPwned='anchor'\">an anchor</a>",
    "<svg onload=\"window.__qaPwned = 'svg'\"></svg>",
]
NOTE_PAYLOAD = "Outcomes <img src=x onerror=\"window.__qaPwned='note'\"> were checked."
TEAM_PAYLOAD = "Learning <b onmouseover=\"window.__qaPwned='team'\">Disability</b> Team"
SCRIPT_TEXT = "<script>window.__qaPwned"
TEAM_TEXT = "<b onmouseover=\"window.__qaPwned='team'\">"

_IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "site", "build", "dist", "tests", "__pycache__", "*.egg-info",
    ".*_cache", ".hypothesis", ".benchmarks",
)  # fmt: skip


def _yaml_single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def make_injected_copy(dest: Path) -> Path:
    """Copy the project's content to ``dest`` and plant script payloads in it."""
    shutil.copytree(ROOT, dest, ignore=_IGNORED)

    review = dest / INJECTED_REVIEW
    text = review.read_text(encoding="utf-8")
    _, frontmatter, body = text.split("---\n", 2)
    note = re.compile(r"^(    note: )People's desired outcomes.*$", re.MULTILINE)
    frontmatter, replaced = note.subn(
        lambda m: m.group(1) + _yaml_single_quoted(NOTE_PAYLOAD), frontmatter
    )
    if replaced != 1:
        raise AssertionError(f"the S02 note in {INJECTED_REVIEW} has changed: update the test")
    data = yaml.safe_load(frontmatter)
    assert data["ratings"]["S02"]["note"] == NOTE_PAYLOAD
    body = body.rstrip("\n") + "\n\n" + "\n\n".join(BODY_PAYLOADS) + "\n"
    review.write_text(f"---\n{frontmatter}---\n{body}", encoding="utf-8")

    team = dest / INJECTED_TEAM
    text = team.read_text(encoding="utf-8")
    text, replaced = re.subn(
        r"^name: .*$", "name: " + _yaml_single_quoted(TEAM_PAYLOAD), text, flags=re.MULTILINE
    )
    if replaced != 1:
        raise AssertionError(f"{INJECTED_TEAM} has no `name:` line: update the test")
    assert yaml.safe_load(text)["name"] == TEAM_PAYLOAD
    team.write_text(text, encoding="utf-8")
    return dest


def make_partner_copy(dest: Path) -> Path:
    """Copy the project to ``dest``, its mkdocs.yml set to build the partner edition."""
    shutil.copytree(ROOT, dest, ignore=_IGNORED)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if text.count("  - qa-site\n") != 1:
        raise AssertionError("mkdocs.yml no longer lists `- qa-site` plainly: update the test")
    config.write_text(
        text.replace("  - qa-site\n", "  - qa-site:\n      audience: partners\n"),
        encoding="utf-8",
    )
    return dest


# --- pages with every off-site request blocked ----------------------------------------


@dataclass
class Visit:
    """An open page and what it did: requests blocked, console errors, requests made."""

    page: Page
    base_url: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def new_visit(browser: Browser, site: Site) -> tuple[BrowserContext, Visit]:
    """A fresh context that answers the site's requests and aborts all others."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1280, "height": 900})
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

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            visit.errors.append(f"console.error: {message.text} [{where}] on {page.url}")

    def page_error(error: Exception) -> None:
        visit.errors.append(f"uncaught: {error} on {page.url}")

    context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", page_error)
    page.on("websocket", lambda ws: visit.blocked.append(f"WEBSOCKET {ws.url}"))
    return context, visit


def goto(visit: Visit, path: str) -> None:
    response = visit.page.goto(visit.base_url + path, wait_until="load")
    assert response is not None and response.status == 200, (
        f"/{path} answered {response.status if response else 'nothing'}"
    )


def settle(page: Page) -> None:
    """Wait for the network to go quiet and finite animations to end."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        """() => document.getAnimations().every((a) => a.playState !== 'running'
            || a.effect?.getComputedTiming().iterations === Infinity)""",
        timeout=ACTION_TIMEOUT_MS,
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => "
                  "requestAnimationFrame(() => done(null))))")  # fmt: skip


def chart_count(page: Page) -> int:
    return page.locator(".qa-chart__plot").count()


def undrawn_charts(page: Page, timeout_ms: int = CHART_TIMEOUT_MS) -> list[str]:
    """Wait up to ``timeout_ms`` for every chart to be drawn; return the ones that are not."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    with suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => ({UNDRAWN_CHARTS_JS})().length === 0", timeout=timeout_ms)
    undrawn: list[str] = page.evaluate(UNDRAWN_CHARTS_JS)
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


# --- accessibility ---------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]], limit: int = 4) -> str:
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes[:limit]]
        more = f" (+{len(nodes) - limit} more)" if len(nodes) > limit else ""
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}; "
            f"{len(nodes)} node(s): {', '.join(targets)}{more}"
        )
    return "\n".join(lines)
