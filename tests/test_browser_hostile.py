"""Hostile reviewers' text in a real browser, in both editions of the site.

A copy of the sample content gets links to ``javascript:`` (and ``vbscript:``,
``data:``, ``file:``) disguised every way tests/test_markup_security.py knows
(character references with and without semicolons, ``&colon;``, ``&Tab;``,
``&NewLine;``, tabs, case, leading spaces and controls) in a review's
findings, a team's description, board minutes and a standard's guidance, as
inline, reference and angle-bracket links and autolinks; and a team name
written in plotly.js's label markup. Both editions are built with the real
``qa-site build``, and in Chromium every piece of hostile text is clicked:
no dialog may open, no payload may run, the page may not go anywhere, and no
request may leave the local server. Charts must draw the team name as
literal characters, with no link in them.

Skipped when Chromium or Playwright is missing, unless QA_SITE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from generator.render.markup import unsafe_urls
from tests.support.chromium import Visit, goto, hover_charts, new_visit, settle, undrawn_charts
from tests.support.cli import run_console
from tests.support.disguises import DISGUISED
from tests.support.paths import ROOT
from tests.support.serving import Site, serve
from tests.support.sites import Build, BuildError, shared_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Dialog, Frame, Page

pytestmark = pytest.mark.browser

REVIEW_FILE = Path("reviews/hammersmith-fulham/learning-disability/2011-09-22.md")
TEAM_FILE = Path("reviews/hammersmith-fulham/learning-disability/team.yml")
MEETING_FILE = Path("reviews/hammersmith-fulham/governance/2012-04-19.md")
STANDARD_FILE = Path("standards/S07-safeguarding-enquiries.md")

REVIEW = "teams/hammersmith-fulham/learning-disability/2011-09-22/"
SCORECARD = "teams/hammersmith-fulham/learning-disability/"
MEETING = "board/hammersmith-fulham/2012-04-19/"
STANDARD = "standards/S07/"
HEATMAP = "comparison/standards/"

# Every label of hostile text starts with this, and no sample text does.
MARK = "qa-hostile-"
# A team name in plotly.js's markup: a link to another host, bold, styled text,
# a line break, MathJax, and a character reference that must stay as written.
TEAM_NAME = (
    '<a href="https://evil.example/">qa-click</a> <b>qa-bold</b> '
    '<span style="font-size:60px">qa-big</span><br>$qa$ &amp; Team'
)

_IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "site", "site-partners", "build", "dist", "tests", "__pycache__",
    "*.egg-info", ".*_cache", ".hypothesis", ".benchmarks", "partner-package",
)  # fmt: skip


# --- the hostile copy ---------------------------------------------------------------


def _disguises() -> dict[str, str]:
    """The disguised schemes a content file can hold (no raw control characters)."""
    return {
        name: prefix
        for name, prefix in DISGUISED.items()
        if all(c.isprintable() or c == "\t" for c in prefix)
    }


def hostile_markdown(tag: str) -> str:
    """Markdown with every disguised scheme as every kind of link, labelled MARK + tag + n."""
    lines = [f"### {MARK}{tag} links", ""]
    definitions = []
    for n, prefix in enumerate(_disguises().values()):
        label = f"{MARK}{tag}{n:02d}"
        # No quotes or spaces: Markdown would read what follows them as a title.
        url = f"{prefix}window.__pwned={n};alert(document.domain)"
        lines += [
            f"- [{label}i]({url})",
            f"- [{label}r][{tag}{n}]",
            f"- [{label}a](<{url}>)",
            f'- [{label}t]({url} "{label}")',
            f"- [{label}s]",
        ]
        definitions += [f"[{tag}{n}]: {url}", f"[{label}s]: <{url}>"]
    lines += [
        "",
        "Autolinks: <javascript:window.__pwned=1;alert(1)> and "
        "<&#106;avascript:window.__pwned=1;alert(1)>, and raw HTML: "
        f'<a href="&#106;avascript:window.__pwned=1">{MARK}{tag}html</a>.',
        "",
        *definitions,
        "",
    ]
    return "\n".join(lines)


def _append_to_body(path: Path, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    path.write_text(content.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def _append_to_latest_guidance(path: Path, text: str) -> None:
    """Append ``text`` to the guidance of the standard's last revision: the wording its
    page shows first. The guidance is the revision's last key, a literal block."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    assert lines[:end].count("    guidance: |") == 1, f"{path} has no revised guidance"
    block = ["", *("      " + line if line else "" for line in text.split("\n"))]
    path.write_text("\n".join(lines[:end] + block + lines[end:]), encoding="utf-8")


def make_hostile_copy(dest: Path) -> Path:
    """Copy the project to ``dest`` and plant hostile text in content shared with partners."""
    shutil.copytree(ROOT, dest, ignore=_IGNORED)
    _append_to_body(dest / REVIEW_FILE, hostile_markdown("F"))
    _append_to_body(dest / MEETING_FILE, hostile_markdown("M"))
    # The standard's page shows its latest guidance, then each earlier one.
    _append_to_latest_guidance(
        dest / STANDARD_FILE, "## Hostile guidance\n\n" + hostile_markdown("S")
    )
    _append_to_body(dest / STANDARD_FILE, "## Hostile guidance\n\n" + hostile_markdown("E"))
    team = dest / TEAM_FILE
    data = yaml.safe_load(team.read_text(encoding="utf-8"))
    assert data.get("audience") == "partners", f"{TEAM_FILE} is no longer shared: update the test"
    data["name"] = TEAM_NAME
    data["description"] = data["description"] + "\n\n" + hostile_markdown("D")
    team.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    meeting = (dest / MEETING_FILE).read_text(encoding="utf-8")
    assert "\naudience: partners" in meeting, f"{MEETING_FILE} is no longer shared: update the test"
    return dest


def qa_site_build(project: Path, dest: Path, audience: str) -> str:
    """Build ``project`` with the real ``qa-site build`` into ``dest``; its log."""
    result = run_console(
        "build", "--root", str(project), "--audience", audience, "-d", str(dest), cwd=project
    )
    if result.returncode != 0:
        raise BuildError(
            f"`qa-site build --audience {audience}` failed (exit {result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stderr


def _hostile_build(audience: str) -> Build:
    def build(site: Path) -> str:
        return qa_site_build(make_hostile_copy(site.parent / "project"), site, audience)

    return build


# --- fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="module", params=["internal", "partners"])
def built(request: pytest.FixtureRequest, browser_available: None, shared_sites: Path) -> Path:
    """The hostile copy built in an edition, once for the run (every worker included)."""
    audience: str = request.param
    try:
        built = shared_site(
            shared_sites, f"hostile-{audience}", _hostile_build(audience), f"site-{audience}"
        )
    except BuildError as error:
        pytest.fail(str(error), pytrace=False)
    return built.site


@pytest.fixture(scope="module")
def hostile_site(built: Path) -> Iterator[Site]:
    with serve(built) as served:
        yield served


@dataclass
class Watch:
    """A guarded page (see tests.support.chromium.new_visit) and what script could have done."""

    visit: Visit
    dialogs: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)

    @property
    def page(self) -> Page:
        return self.visit.page


@pytest.fixture
def watch(chromium: Browser, hostile_site: Site) -> Iterator[Callable[[str], Watch]]:
    contexts: list[BrowserContext] = []

    def open_(path: str) -> Watch:
        context, visit = new_visit(chromium, hostile_site)
        contexts.append(context)
        watched = Watch(visit)

        def dialog(dialog: Dialog) -> None:
            watched.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def navigated(frame: Frame) -> None:
            watched.navigations.append(frame.url)

        visit.page.on("dialog", dialog)
        visit.page.on("framenavigated", navigated)
        context.on("page", lambda page: watched.popups.append(page.url))
        goto(visit, path)
        return watched

    yield open_
    for context in contexts:
        context.close()


# --- the tests ---------------------------------------------------------------------

_PWNED = "() => typeof window.__pwned === 'undefined' ? null : String(window.__pwned)"
# Every element of the content whose own text holds a hostile label (the link,
# or what is left of it), each marked with a number to click it by.
_MARK_TARGETS = """(mark) => {
    const found = [];
    for (const el of document.querySelectorAll('.md-content *')) {
        const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
            .map((n) => n.textContent).join('');
        if (own.includes(mark)) found.push(el);
    }
    return found.map((el, i) => {
        el.setAttribute('data-qa-click', String(i));
        return el.tagName.toLowerCase() + (el.hasAttribute('href') ? ' ' + el.getAttribute('href')
            : '') + ': ' + el.textContent.trim().slice(0, 40);
    });
}"""
_HOSTILE_LINKS = """(mark) => [...document.querySelectorAll('.md-content a')]
    .filter((a) => a.textContent.includes(mark))
    .map((a) => a.outerHTML.slice(0, 160))"""
_SCRIPT_LINKS = """() => [...document.querySelectorAll('a[href], area[href], [src], [action]')]
    .map((el) => el.href || el.src || el.action || '')
    .filter((url) => /^(javascript|vbscript|data|file):/i.test(url))"""


@dataclass(frozen=True)
class Planted:
    path: str
    tag: str  # the label tag: F findings, D description, M minutes, S and E guidance
    minimum: int  # at least this many labels on the page


PLANTED = [
    Planted(REVIEW, "F", 5 * len(_disguises())),
    Planted(SCORECARD, "D", 5 * len(_disguises())),
    Planted(MEETING, "M", 5 * len(_disguises())),
    Planted(STANDARD, "S", 5 * len(_disguises())),
    Planted(STANDARD, "E", 5 * len(_disguises())),  # the earlier wording's guidance
]


def _assert_nothing_ran(watched: Watch, site: Site, where: str) -> None:
    page = watched.page
    assert page.evaluate(_PWNED) is None, f"{where}: a payload ran"
    assert watched.dialogs == [], f"{where}: a dialog opened: {watched.dialogs}"
    assert watched.popups == [], f"{where}: a window opened: {watched.popups}"
    assert watched.visit.blocked == [], f"{where}: requests left the site: {watched.visit.blocked}"
    strays = [url for url in watched.navigations if site.to_local(url) is None]
    assert strays == [], f"{where}: the page went to {strays}"


@pytest.mark.parametrize(
    "planted", PLANTED, ids=lambda p: p.path.strip("/").replace("/", "-") + "-" + p.tag
)
def test_clicking_hostile_text_runs_nothing(
    watch: Callable[[str], Watch], hostile_site: Site, built: Path, planted: Planted
) -> None:
    watched = watch(planted.path)
    page = watched.page
    settle(page)
    url = page.url
    where = f"{built.name} /{planted.path} ({planted.tag})"
    # A reader opens what is folded away (a standard's earlier wording, say).
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")

    targets: list[str] = page.evaluate(_MARK_TARGETS, MARK + planted.tag)
    assert len(targets) >= planted.minimum, f"{where}: only {len(targets)} hostile labels shown"
    assert f"{MARK}{planted.tag}html" in page.locator(".md-content").inner_text()
    _assert_nothing_ran(watched, hostile_site, f"{where} on load")

    for index, target in enumerate(targets):
        # click() scrolls the element into view first, force=True or not.
        page.locator(f'[data-qa-click="{index}"]').click(no_wait_after=True, force=True)
        page.wait_for_timeout(20)  # a javascript: address would run in a task of its own
        _assert_nothing_ran(watched, hostile_site, f"{where}, clicking {target!r}")
        assert page.url == url, f"{where}: clicking {target!r} went to {page.url}"
    page.wait_for_timeout(300)
    _assert_nothing_ran(watched, hostile_site, f"{where} after every click")
    assert page.evaluate(_HOSTILE_LINKS, MARK) == [], f"{where}: hostile text became a link"
    assert page.evaluate(_SCRIPT_LINKS) == [], f"{where}: a script address is on the page"
    assert watched.visit.errors == [], f"{where}: {watched.visit.errors}"


def test_a_team_name_in_plotly_markup_is_drawn_as_written(
    watch: Callable[[str], Watch], hostile_site: Site, built: Path
) -> None:
    watched = watch(HEATMAP)
    page = watched.page
    where = f"{built.name} /{HEATMAP}"
    assert undrawn_charts(page) == [], f"{where}: the heatmap was not drawn"
    hover_charts(page)
    settle(page)
    drawn = page.evaluate(_DRAW_THE_TEAM, "qa-click")
    assert drawn is not None, f"{where}: no chart has the planted team"

    name = TEAM_NAME  # every character as written, "&amp;" included
    assert any(name in text for text in drawn["ticks"]), (
        f"{where}: the team name is not drawn as written: {drawn['ticks']}"
    )
    assert any(name in text for text in drawn["hover"]), (
        f"{where}: the hover label does not show the team name as written: {drawn['hover']}"
    )
    assert drawn["links"] == 0, f"{where}: plotly drew {drawn['links']} link(s) from a label"
    assert drawn["styled"] == [], f"{where}: label markup styled the team name: {drawn['styled']}"

    # Where plotly would have drawn the link: the team's tick label.
    labels = page.locator(".qa-chart__plot .xtick text", has_text="qa-click")
    assert labels.count() > 0
    for index in range(labels.count()):
        labels.nth(index).evaluate("(label) => label.scrollIntoView({block: 'center'})")
        labels.nth(index).click(force=True, no_wait_after=True)
    page.wait_for_timeout(200)
    assert page.locator(".qa-chart__plot a").count() == 0
    _assert_nothing_ran(watched, hostile_site, where)
    assert watched.visit.errors == [], f"{where}: {watched.visit.errors}"


# plotly.js skips tick labels when they crowd: ask it for every one, and show
# the hover label of the planted team's column, then read what it drew.
_DRAW_THE_TEAM = """async (mark) => {
    const plot = [...document.querySelectorAll('.qa-chart__plot')].find((p) =>
        JSON.parse(p.dataset.qaFigure).data.some((t) =>
            (t.x || []).some((x) => String(x).includes(mark))));
    if (!plot) return null;
    const column = JSON.parse(plot.dataset.qaFigure).data[0].x
        .findIndex((x) => String(x).includes(mark));
    await window.Plotly.relayout(plot, {'xaxis.dtick': 1});
    window.Plotly.Fx.hover(plot, {xval: column, yval: 0});
    const texts = (selector) => [...plot.querySelectorAll(selector)].map((t) => t.textContent);
    return {
        ticks: texts('.xtick text').filter((t) => t.includes(mark)),
        hover: texts('.hoverlayer text').filter((t) => t.includes(mark)),
        links: plot.querySelectorAll('a').length,
        styled: [...plot.querySelectorAll('tspan[style]')]
            .filter((t) => /qa-(click|bold|big)/.test(t.textContent))
            .map((t) => t.outerHTML.slice(0, 160)),
    };
}"""


def test_every_page_of_the_hostile_build_passes_the_last_check(built: Path) -> None:
    """The page-level check of generator.render.markup finds nothing in any built page."""
    problems = {
        page.relative_to(built).as_posix(): found
        for page in sorted(built.rglob("*.html"))
        if (found := unsafe_urls(page.read_text(encoding="utf-8")))
    }
    assert problems == {}
    review = (built / REVIEW / "index.html").read_text(encoding="utf-8")
    assert f"{MARK}F00i" in review, "the planted findings are not on the review page"
