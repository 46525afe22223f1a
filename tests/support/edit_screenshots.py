"""The screenshots of docs/editing-reviews.md, taken again: ``python -m
tests.support.edit_screenshots``.

The editor serves a Git copy of the sample content as of 2017-01-01 (the same
copy the browser tests use), and Chromium goes through what the page describes:
the list, a new draft filled in, a problem beside its field, the draft saved and
committed to a new branch, and a presented review refused until it has an
amendment. Each picture is the window as a reviewer sees it, 1280 pixels wide,
written as a PNG of at most 256 colours (a form's flat colours lose nothing
visible) to docs/images/editing-*.png.
"""

from __future__ import annotations

import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tests.support.chromium import CHROMIUM_ARGS, browser_unavailable, chromium_path
from tests.support.editing import Editor, editor_page, git, open_file, running_editor
from tests.support.paths import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page, ViewportSize

IMAGES = ROOT / "docs" / "images"
WINDOW: ViewportSize = {"width": 1280, "height": 800}
DRAFT_TEAM = "hammersmith-fulham/learning-disability"
DRAFT_DATE = "2017-03-01"
PRESENTED = "reviews/hammersmith-fulham/assessment/2011-10-20.md"
# A remote as a council's would be, so that the commit says how to open the pull request.
REMOTE = "git@github.com:council/quality-reviews.git"


def _save_png(png: bytes, path: Path) -> None:
    """``png`` written to ``path`` with at most 256 colours, compressed."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        fewer = picture.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        fewer.save(path, format="PNG", optimize=True)


def _shoot(page: Page, name: str) -> Path:
    path = IMAGES / f"editing-{name}.png"
    page.wait_for_timeout(100)  # the last check's answer drawn
    _save_png(page.screenshot(animations="disabled", caret="hide"), path)
    return path


def _checked(page: Page, text: str) -> None:
    """Wait until the problems panel says ``text``."""
    from playwright.sync_api import expect

    expect(page.locator("#problem-count")).to_have_text(text)


def the_list(page: Page, editor: Editor) -> None:
    page.goto(editor.url)
    page.get_by_label("Team").select_option(DRAFT_TEAM)
    page.get_by_label("Date the review is presented").fill(DRAFT_DATE)
    page.evaluate("() => document.activeElement.blur()")


def the_form(page: Page, editor: Editor) -> None:
    page.get_by_role("button", name="Start a draft review").click()
    page.wait_for_url(lambda url: "/edit?file=" in url)
    _checked(page, "No problems in this file.")
    page.get_by_role("button", name="Add a reviewer").click()
    page.keyboard.type("Quality Reviewer")  # never a member of staff: the page is published
    page.locator("[data-list=reviewers] select").select_option("lead")
    page.select_option("#rating-S01", "Good")
    page.select_option("#rating-S02", "Adequate")
    page.select_option("#rating-S04", "Good")
    page.select_option("#rating-S05", "Good")
    page.select_option("#rating-S07", "Adequate")
    page.locator('[data-obj="S07"] summary').click()
    page.fill("#note-S07", "Enquiries were prompt, but two of six did not record the outcome.")
    page.locator("#ratings-heading").evaluate("(heading) => heading.scrollIntoView()")
    from playwright.sync_api import expect

    expect(page.locator("#score .overall")).to_have_text("Good, 65.0%")


def a_problem(page: Page, editor: Editor) -> None:
    reference = page.locator("#case-1-ref")
    reference.fill("hf ld 1")
    _checked(page, "1 error in this file.")
    page.locator("#cases-heading").evaluate("(heading) => heading.scrollIntoView()")


def saved_and_committed(page: Page, editor: Editor) -> None:
    page.locator("#case-1-ref").fill("HF-LD-2017-01")
    _checked(page, "No problems in this file.")
    page.locator("#save-heading").scroll_into_view_if_needed()
    page.get_by_role("button", name="Save and commit to a new branch").click()
    from playwright.sync_api import expect

    expect(page.locator("#save-message")).to_contain_text("Committed on the new branch")
    page.locator(".side").evaluate("(side) => { side.scrollTop = side.scrollHeight; }")


def an_amendment(page: Page, editor: Editor) -> None:
    open_file(page, editor, PRESENTED)
    page.select_option("#rating-S02", "Good")
    page.get_by_role("button", name="Save", exact=True).click()
    from playwright.sync_api import expect

    expect(page.locator("#save-message")).to_contain_text("Not saved")
    expect(page.locator("#amendment-date")).to_be_focused()
    _checked(page, "1 error in this file.")
    page.locator("#amendment-heading").evaluate("(heading) => heading.scrollIntoView()")


STEPS: list[tuple[str, Callable[[Page, Editor], None]]] = [
    ("list", the_list),
    ("form", the_form),
    ("problem", a_problem),
    ("commit", saved_and_committed),
    ("amendment", an_amendment),
]


def take_screenshots() -> list[Path]:
    """Every screenshot of the page, taken again; their paths."""
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    taken = []
    with (
        tempfile.TemporaryDirectory(prefix="qa-site-edit-") as folder,
        running_editor(Path(folder) / "repo") as editor,
        sync_playwright() as playwright,
    ):
        git(editor.root, "remote", "add", "origin", REMOTE)
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path()), headless=True, args=CHROMIUM_ARGS
        )
        try:
            with editor_page(browser, WINDOW) as (page, errors):
                for name, step in STEPS:
                    step(page, editor)
                    taken.append(_shoot(page, name))
                if errors:
                    raise RuntimeError("the editor's page logged: " + "; ".join(errors))
        finally:
            browser.close()
    return taken


def main() -> int:
    reason = browser_unavailable()
    if reason is not None:
        print(f"edit_screenshots: {reason}", file=sys.stderr)
        return 1
    for path in take_screenshots():
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
