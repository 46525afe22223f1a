"""axe-core's accessibility rules run in a page, and the sidebar's link targets measured."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@functools.cache
def _axe_script() -> str:
    """axe-core itself, as axe-playwright-python ships it."""
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")


def start_axe(page: Page, *, colour_only: bool = False) -> None:
    """Start axe-core's AXE_TAGS rules on the page as it is now, without waiting for them;
    with ``colour_only``, only those of them about colour (axe's category cat.color).

    axe is put into the page once per document; running it again (after the
    palette toggle, say) reuses it. axe_results() waits for the run.
    """
    if not page.evaluate("() => typeof window.axe?.run === 'function'"):
        page.evaluate(_axe_script())
    # Started from a timer: a promise chain begun here would run before evaluate() returns.
    page.evaluate(
        """([tags, colourOnly]) => {
            const runOnly = colourOnly
                ? {type: 'rule', values: axe.getRules(tags)
                    .filter((rule) => rule.tags.includes('cat.color'))
                    .map((rule) => rule.ruleId)}
                : {type: 'tag', values: tags};
            const options = {runOnly, resultTypes: ['violations']};
            window.__qaAxeRun = new Promise((started) => setTimeout(started, 0))
                .then(() => axe.run(document, options))
                .then((results) => results.violations);
        }""",
        [AXE_TAGS, colour_only],
    )


def axe_results(page: Page) -> list[dict[str, Any]]:
    """Wait for the run start_axe() began on the page; return its violations."""
    violations: list[dict[str, Any]] = page.evaluate("() => window.__qaAxeRun")
    return violations


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of the AXE_TAGS rules on the page as it is now."""
    start_axe(page)
    return axe_results(page)


def bullets(lines: Sequence[str], limit: int) -> str:
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
