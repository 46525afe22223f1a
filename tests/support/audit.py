"""Every page of a built site audited in Chromium: axe-core in each colour scheme, the
sidebar's link targets, charts drawn, nothing sent off the site, no console error."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

from tests.support.axe import (
    axe_results,
    bullets,
    describe_violations,
    nav_target_problems,
    start_axe,
)
from tests.support.chromium import (
    Visit,
    current_scheme,
    goto,
    screenshot_path,
    set_scheme,
    settle_drawing,
    undrawn_charts,
)

SCHEMES = ("default", "slate")  # Material's light and dark palettes


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
                    + bullets(small, limit=10)
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
        # The palette toggle changes only colours (and which of its own two labels,
        # alike but for their words, is shown), so every rule but the colour rules
        # finds the same in each scheme: all of them run in the first scheme, the
        # colour rules alone in the others.
        start_axe(page, colour_only=len(self._todo) < len(self.schemes))

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
                page.screenshot(path=str(screenshot_path(f"audit-{slug}-{scheme}")))
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
    AXE_TAGS rules in each colour scheme (the colour rules alone after the first;
    starting with the scheme the page opens in, to save a toggle), and nothing may
    leave the site or log a console error.
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
