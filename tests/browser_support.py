"""Helpers for the real-browser tests (tests/test_browser.py).

Builds the site with MkDocs, serves it on 127.0.0.1, opens pages in Debian's
Chromium with every request to another host aborted and counted, and reads
what the tests assert on: console errors, charts, axe-core violations.
audit_pages() goes through every page of a built site (site_pages()) in both
colour schemes, a page at a time in each visit it is given.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml

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
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
SCHEMES = ("default", "slate")  # Material's light and dark palettes

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


def _screenshot_path(name: str) -> Path:
    folder = artifacts_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def screenshot(page: Page, name: str) -> Path:
    path = _screenshot_path(name)
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
    ``root`` is the folder served, when known.
    """

    base_url: str
    local: str
    root: Path | None = None

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


def _sitemap_locs(site: Path) -> list[str]:
    sitemap = site / "sitemap.xml"
    return re.findall(r"<loc>\s*(https?://[^<\s]+)\s*</loc>", sitemap.read_text("utf-8"))


def site_url_of(site: Path) -> str | None:
    """The ``site_url`` a site was built with: its sitemap's shortest URL (the home page)."""
    locs = _sitemap_locs(site)
    if not locs:
        return None
    home = min(locs, key=len)
    return home[: home.rindex("/") + 1]


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, found by walking its ``*.html`` files.

    Each is given as a path under the site's root, the way the site links to it:
    "" for the home page, "teams/" for ``teams/index.html``, "404.html" as it is.
    """
    pages = []
    for file in site.rglob("*.html"):
        path = file.relative_to(site).as_posix()
        pages.append(path.removesuffix("index.html") if file.name == "index.html" else path)
    return sorted(pages)


def sitemap_pages(site: Path) -> list[str]:
    """The pages a built site's sitemap.xml lists, as paths under its root."""
    base = site_url_of(site)
    if base is None:
        return []
    return sorted(loc.removeprefix(base) for loc in _sitemap_locs(site))


@contextmanager
def serve(directory: Path) -> Iterator[Site]:
    """Serve ``directory`` on 127.0.0.1 (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield Site(base_url=site_url_of(directory) or local, local=local, root=directory)
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

    context = browser.new_context(viewport=VIEWPORT)
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


def new_cached_visit(browser: Browser, site: Site) -> tuple[BrowserContext, Visit]:
    """A fresh context that opens the site at its local address with Chromium's cache on.

    Routing requests, as new_visit does, turns Chromium's cache off, so every page
    with charts would fetch and compile plotly.js (4 MB) again. Here nothing is
    routed: the site is opened on 127.0.0.1 (so Material's instant navigation is
    off) and a request to any other host goes to a proxy that refuses it, and is
    counted in ``blocked``. For going through many pages quickly.
    """
    context = browser.new_context(
        viewport=VIEWPORT, proxy={"server": _refusing_proxy(), "bypass": "127.0.0.1"}
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


@functools.cache
def _axe_script() -> str:
    """axe-core itself, as axe-playwright-python ships it."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


def start_axe(page: Page) -> None:
    """Start axe-core's AXE_TAGS rules on the page as it is now, without waiting for them.

    axe is put into the page once per document; running it again (after the
    palette toggle, say) reuses it. axe_results() waits for the run.
    """
    if not page.evaluate("() => typeof window.axe?.run === 'function'"):
        page.evaluate(_axe_script())
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    # Started from a timer: a promise chain begun here would run before evaluate() returns.
    page.evaluate(
        """(options) => {
            window.__qaAxeRun = new Promise((started) => setTimeout(started, 0))
                .then(() => axe.run(document, options))
                .then((results) => results.violations);
        }""",
        options,
    )


def axe_results(page: Page) -> list[dict[str, Any]]:
    """Wait for the run start_axe() began on the page; return its violations."""
    violations: list[dict[str, Any]] = page.evaluate("() => window.__qaAxeRun")
    return violations


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of the AXE_TAGS rules on the page as it is now."""
    start_axe(page)
    return axe_results(page)


def _bullets(lines: Sequence[str], limit: int) -> str:
    more = [f"- (+{len(lines) - limit} more)"] if len(lines) > limit else []
    return "\n".join([f"- {line}" for line in lines[:limit]] + more)


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


# Navigation and table-of-contents links in the sidebars that are in full view
# but smaller than 24 by 24 CSS px (WCAG 2.5.8), or partly covered by another
# element (a sticky title, say), so that less of them can be clicked than is
# drawn. Links scrolled partly out of their sidebar, or hidden (the phone
# drawer when closed), are not in view and are left out.
_NAV_TARGET_PROBLEMS_JS = """() => {
    const MIN = 24;
    const problems = [];
    const name = (el) => el.tagName.toLowerCase()
        + (el.className && typeof el.className === 'string'
            ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    for (const link of document.querySelectorAll('.md-sidebar .md-nav__link[href]')) {
        if (!link.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        const box = link.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const wrap = link.closest('.md-sidebar__scrollwrap') || document.documentElement;
        const view = wrap.getBoundingClientRect();
        if (box.top < Math.max(view.top, 0) || box.bottom > Math.min(view.bottom, innerHeight)
            || box.left < Math.max(view.left, 0) || box.right > Math.min(view.right, innerWidth)) {
            continue;
        }
        const label = `"${link.textContent.trim()}" (${link.getAttribute('href')})`;
        if (box.width < MIN || box.height < MIN) {
            problems.push(`${label} is ${box.width.toFixed(1)} x ${box.height.toFixed(1)} px`);
        }
        const x = box.left + Math.min(box.width / 2, MIN / 2);
        for (const y of [box.top + 1, box.top + box.height / 2, box.bottom - 1]) {
            const hit = document.elementFromPoint(x, y);
            if (hit && !link.contains(hit)) {
                const at = `(${x.toFixed(0)}, ${y.toFixed(0)})`;
                problems.push(`${label} is covered by ${name(hit)} at ${at}`);
                break;
            }
        }
    }
    return problems;
}"""


def nav_target_problems(page: Page) -> list[str]:
    """Sidebar navigation and contents links in view that are too small or covered."""
    problems: list[str] = page.evaluate(_NAV_TARGET_PROBLEMS_JS)
    return problems


def current_scheme(page: Page) -> str | None:
    scheme: str | None = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    return scheme


class _Lane:
    """One page, reused, going through pages for audit_pages: open a page, then step
    until it says the page is done. Between steps axe runs in the page on its own,
    so that two lanes keep two renderer processes (two cores) busy."""

    def __init__(self, visit: Visit, schemes: Iterable[str]) -> None:
        self.visit = visit
        self.schemes = tuple(schemes)
        self.path = ""
        self.problems: list[str] = []
        self._todo: list[str] = []
        self._seen = (0, 0)

    @property
    def _where(self) -> str:
        return f"/{self.path}"

    def open(self, path: str) -> bool:
        """Open ``path`` and start axe in its first scheme; False if it is done already."""
        page = self.visit.page
        self.path, self.problems = path, []
        self._seen = (len(self.visit.blocked), len(self.visit.errors))
        try:
            goto(self.visit, path)
            self.problems += [f"{self._where}: chart not drawn: {c}" for c in undrawn_charts(page)]
            settle_drawing(page)
            if small := nav_target_problems(page):
                self.problems.append(
                    f"{self._where}: {len(small)} sidebar link(s) under 24 x 24 px or covered\n"
                    + _bullets(small, limit=10)
                )
            first = current_scheme(page)
            self._todo = sorted(self.schemes, key=lambda scheme: scheme != first)
            self._start()
        except _audit_errors() as error:
            return self._fail(error)
        return True

    def _start(self) -> None:
        page = self.visit.page
        set_scheme(page, self._todo[0])
        settle_drawing(page)
        start_axe(page)

    def step(self) -> bool:
        """Wait for axe; start it in the next scheme and return True, or False when done."""
        page = self.visit.page
        try:
            violations = axe_results(page)
            scheme = self._todo.pop(0)
            if violations:
                self.problems.append(
                    f"{self._where} ({scheme}): {len(violations)} axe violation(s)\n"
                    + describe_violations(violations, limit=10)
                )
                slug = self.path.strip("/").replace("/", "-").removesuffix(".html") or "home"
                page.screenshot(path=str(_screenshot_path(f"audit-{slug}-{scheme}")))
            if self._todo:
                self._start()
                return True
        except _audit_errors() as error:
            return self._fail(error)
        self._finish()
        return False

    def _fail(self, error: Exception) -> bool:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        self.problems.append(f"{self._where}: could not be checked: {first_line}")
        self._finish()
        return False

    def _finish(self) -> None:
        blocked, errors = self._seen
        self.problems += [f"{self._where}: {r} left the site" for r in self.visit.blocked[blocked:]]
        self.problems += [f"{self._where}: {e}" for e in self.visit.errors[errors:]]


def _audit_errors() -> tuple[type[Exception], ...]:
    from playwright.sync_api import Error as PlaywrightError

    return (AssertionError, PlaywrightError)


def audit_pages(
    visits: Sequence[Visit], paths: Iterable[str], schemes: Iterable[str] = SCHEMES
) -> dict[str, list[str]]:
    """Check every page of ``paths`` in each scheme; return what is wrong, page by page.

    Each page is opened in one of ``visits`` (one page reused per visit, taking
    the pages in turn, so that axe runs in as many pages at once) and checked
    once its charts are drawn: its sidebar links (nav_target_problems), axe-core's
    AXE_TAGS rules in each colour scheme (starting with the one the page opens
    in, to save a toggle), and nothing may leave the site or log a console error.
    Problems name the page, the scheme and, for axe, the rule and the target
    selectors of its nodes; a screenshot of each page and scheme with axe
    violations goes to artifacts_dir(). Pages with no problem are left out.
    """
    queue = deque(paths)
    lanes = [_Lane(visit, schemes) for visit in visits]
    if not lanes:
        raise ValueError("audit_pages needs at least one visit")
    found: dict[str, list[str]] = {}
    running: list[_Lane] = []

    def next_page(lane: _Lane) -> None:
        while queue:
            if lane.open(queue.popleft()):
                running.append(lane)
                return
            if lane.problems:
                found[lane.path] = lane.problems

    for lane in lanes:
        next_page(lane)
    while running:
        for lane in list(running):
            if lane.step():
                continue
            running.remove(lane)
            if lane.problems:
                found[lane.path] = lane.problems
            next_page(lane)
    return found


def audit_page(visit: Visit, path: str, schemes: Iterable[str] = SCHEMES) -> list[str]:
    """audit_pages() for one page in one visit: the page's problems, as text."""
    return audit_pages([visit], [path], schemes).get(path, [])
