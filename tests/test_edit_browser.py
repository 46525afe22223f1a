"""``qa-site edit`` in a real browser (Debian's Chromium through Playwright), serving a
Git copy of the sample content as of 2017-01-01 from this process.

A reviewer starts a draft from the list, fills it in through the form and saves
it: the file validates and differs from the scaffold by exactly what was typed,
its comments kept. A presented review's rating changes only with an amendment. A
page of another site cannot make the editor write, even knowing the token. The
list and the forms pass axe-core's WCAG 2.2 AA rules with problems shown, a
problem is tied to its field for a screen reader, the keyboard reaches the form
in order, and the live score follows a rating.

One editor serves the module (each xdist worker starts its own); each test works
on files no other test here writes. Skipped when Chromium or Playwright is
missing, unless QA_SITE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.check.repository import check
from generator.edit.house_style import frontmatter_and_body
from tests.support.axe import axe_violations, describe_violations
from tests.support.cli import run_cli
from tests.support.editing import (
    AS_OF,
    Editor,
    changed_lines,
    comments_in,
    editor_page,
    git,
    open_file,
    running_editor,
    serving_folder,
    start_draft,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DRAFT = "reviews/hammersmith-fulham/learning-disability/2017-03-01.md"
AMENDED = "reviews/hammersmith-fulham/assessment/2011-10-20.md"
SCORED = "reviews/hammersmith-fulham/learning-disability/2011-09-22.md"
TARGETED = "reviews/hammersmith-fulham/older-people/2010-11-18.md"
UNREADABLE = "reviews/hammersmith-fulham/older-people/2009-11-26.md"
MEETING = "reviews/hammersmith-fulham/governance/2015-07-16.md"
# Minutes no other test here writes, which say nothing of their status.
UNSTATED = "reviews/hammersmith-fulham/governance/2015-02-19.md"


@pytest.fixture(scope="module")
def editor(browser_available: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    with running_editor(tmp_path_factory.mktemp("edit-browser") / "repo") as running:
        yield running


@pytest.fixture
def form_page(chromium: Browser) -> Iterator[Page]:
    """A fresh page; the test fails if the page logs an error."""
    with editor_page(chromium) as (page, errors):
        yield page
        assert errors == []


def test_a_draft_started_from_the_list_is_saved_as_typed(form_page: Page, editor: Editor) -> None:
    from playwright.sync_api import expect

    page = form_page
    assert start_draft(page, editor, "hammersmith-fulham/learning-disability", "2017-03-01") == (
        DRAFT
    )
    scaffold = editor.read(DRAFT)

    page.get_by_role("button", name="Add a reviewer").click()
    page.keyboard.type("Anne Whitlock")
    page.locator("[data-list=reviewers] select").select_option("lead")
    page.select_option("#rating-S01", "Good")
    page.select_option("#rating-S02", "Adequate")
    page.select_option("#rating-S07", "Good")
    page.locator('[data-obj="S07"] summary').click()
    page.fill("#note-S07", "Enquiries were prompt and led by the person.")
    first_case = page.locator("[data-list=cases] > [data-item]").first
    first_case.get_by_label("Case reference").fill("HF-LD-2017-01")
    first_case.get_by_role("button", name="Add a grade").click()
    first_case.locator(".grade select[data-key=standard]").select_option("S07")
    first_case.locator(".grade select[data-key=grade]").select_option("Good")
    page.get_by_role("button", name="Add an action").click()
    action = page.locator("[data-list=actions] > [data-item]").first
    action.get_by_label("Action id").fill("A1")
    action.get_by_label("Standards it addresses").fill("S07")
    action.get_by_label("What will be done").fill("Audit six more enquiries.")
    action.get_by_label("Owner").fill("Team manager")
    action.get_by_label("Due").fill("2017-06-30")
    action.get_by_label("Status").select_option("open")
    saves: list[str] = []
    page.on(
        "request",
        lambda request: saves.append(request.method) if "/api/save" in request.url else None,
    )
    page.get_by_role("button", name="Save", exact=True).dblclick()

    expect(page.locator("#save-message")).to_have_text(f"Saved {DRAFT}.")
    assert saves == ["POST"]  # a double click saves once
    saved = editor.read(DRAFT)
    assert changed_lines(scaffold, saved) == (
        [
            "reviewers: []           # add each reviewer: - {name: ..., role: lead}",
            "  S01:                  # Safeguarding concerns are recognised, triaged and "
            "responded to on the day they are raised",
            "  S02:                  # The person's desired outcomes are sought at the start "
            "of safeguarding work and checked at its close (Making Safeguarding Personal)",
            "  - ref:                # the case reference only, never a name",
            "    grades: {}          # the standards the case shows: {S07: Good}",
            "actions: []             # the action plan agreed with the service manager",
        ],
        [
            "reviewers:              # add each reviewer: - {name: ..., role: lead}",
            "  - {name: Anne Whitlock, role: lead}",
            "  S01: Good             # Safeguarding concerns are recognised, triaged and "
            "responded to on the day they are raised",
            "  S02: Adequate         # The person's desired outcomes are sought at the start "
            "of safeguarding work and checked at its close (Making Safeguarding Personal)",
            "    rating: Good",
            "    note: Enquiries were prompt and led by the person.",
            "  - ref: HF-LD-2017-01  # the case reference only, never a name",
            "    grades: {S07: Good} # the standards the case shows: {S07: Good}",
            "actions:                # the action plan agreed with the service manager",
            "  - id: A1",
            "    standards: [S07]",
            "    action: Audit six more enquiries.",
            "    owner: Team manager",
            "    due: 2017-06-30",
            "    status: open",
        ],
    )
    assert comments_in(saved) == comments_in(scaffold)
    assert [p.message for p in check(editor.root, AS_OF).problems if p.path == DRAFT] == []
    assert page.locator("#save-message").inner_text() == f"Saved {DRAFT}."


def test_a_presented_reviews_rating_changes_only_with_an_amendment(
    form_page: Page, editor: Editor
) -> None:
    from playwright.sync_api import expect

    page = form_page
    presented = editor.read_bytes(AMENDED)
    open_file(page, editor, AMENDED)
    page.select_option("#rating-S02", "Good")
    page.get_by_role("button", name="Save", exact=True).click()

    message = page.locator("#save-message")
    expect(message).to_have_text(
        "Not saved: this review was presented: say why it changed in the amendment (date, "
        "reason, and by whom), then save again"
    )
    expect(page.locator("#amendment-date")).to_be_focused()
    assert editor.read_bytes(AMENDED) == presented

    page.fill("#amendment-date", "2016-12-01")
    page.fill("#amendment-by", "Head of service")
    page.fill("#amendment-reason", "S02 re-rated Good after the audit of March 2016.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(message).to_have_text(f"Saved {AMENDED}.")
    assert changed_lines(presented.decode("utf-8"), editor.read(AMENDED)) == (
        ["  S02: Adequate"],
        [
            "  S02: Good",
            "amendments:",
            "  - date: 2016-12-01",
            "    reason: S02 re-rated Good after the audit of March 2016.",
            "    by: Head of service",
        ],
    )
    # Saved, the amendment is listed with those recorded and its boxes are empty: saving
    # again adds it no second time.
    amended = editor.read_bytes(AMENDED)
    recorded = page.locator("#amendments-recorded li")
    expect(recorded).to_have_text(
        ["2016-12-01: S02 re-rated Good after the audit of March 2016. (Head of service)"]
    )
    assert [page.input_value(f"#amendment-{key}") for key in ("date", "by", "reason")] == [
        "",
        "",
        "",
    ]
    page.get_by_role("button", name="Save", exact=True).click()
    expect(message).to_have_text("Nothing to save: the file is as it was.")
    assert editor.read_bytes(AMENDED) == amended

    # The rating and the amendment, checked as the pull request's check would check them:
    # against the review as presented on main. Nothing else was changed, so nothing else
    # is reported.
    validated = run_cli(
        "validate", "--root", str(editor.root), "--base", "main", "--as-of", AS_OF.isoformat()
    )
    assert validated.returncode == 0, validated.stdout
    assert AMENDED not in validated.stdout


def test_a_presented_review_with_an_error_still_needs_an_amendment(
    form_page: Page, editor: Editor
) -> None:
    from playwright.sync_api import expect

    page = form_page
    presented = editor.read_bytes(UNREADABLE)
    open_file(page, editor, UNREADABLE)
    page.select_option("#rating-S03", "Good")
    page.fill("#case-1-ref", "hf op 1")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("#save-message")).to_have_text(re.compile(r"^(Saved|Not saved)"))
    assert page.locator("#save-message").inner_text().startswith("Not saved: this review")
    assert editor.read_bytes(UNREADABLE) == presented


def _plant_audiences(root: Path) -> None:
    """MEETING made readable by partners, but its third case kept to the council (and
    so no longer named in the minutes' text), committed as a clone would have it."""
    front, body = (root / MEETING).read_text(encoding="utf-8").split("\n---\n", 1)
    assert body.count("HF-AST-2015-21") == 1
    text = front + "\n---\n" + body.replace("HF-AST-2015-21", "the carer's challenge")
    text = text.replace("---\nchairs:", "---\naudience: partners\nchairs:", 1)
    case = "  - ref: HF-AST-2015-21\n"
    assert text.count(case) == 1
    text = text.replace(case, case + "    audience: internal\n")
    (root / MEETING).write_text(text, encoding="utf-8")
    git(root, "commit", "--quiet", "--no-verify", "-am", "Minutes for partners, one case not")


def _audiences(text: str) -> tuple[object, list[tuple[object, object]]]:
    data, _ = frontmatter_and_body(text)
    return data.get("audience"), [(c.get("ref"), c.get("audience")) for c in data["cases"]]


def test_a_case_keeps_who_may_read_it_through_two_saves_after_an_earlier_case_goes(
    form_page: Page, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = form_page
    with running_editor(tmp_path / "repo") as own:
        _plant_audiences(own.root)
        open_file(page, own, MEETING)
        page.get_by_role("button", name="Remove this case").first.click()
        page.get_by_role("button", name="Save", exact=True).click()
        message = page.locator("#save-message")
        expect(message).to_have_text(f"Saved {MEETING}.")
        first = own.read(MEETING)
        page.fill("#meeting-next", "2015-10-22")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(message).to_have_text(f"Saved {MEETING}.")
        second = own.read(MEETING)

    expected = (
        "partners",
        [
            ("HF-SW-2015-22", None),
            ("HF-AST-2015-21", "internal"),
            ("HF-SW-2015-12", None),
        ],
    )
    assert _audiences(first) == expected
    assert _audiences(second) == expected
    assert changed_lines(first, second) == (
        ["next_meeting: 2015-10-15"],
        ["next_meeting: 2015-10-22"],
    )


def test_minutes_without_a_status_are_saved_without_one(form_page: Page, editor: Editor) -> None:
    from playwright.sync_api import expect

    page = form_page
    before = editor.read_bytes(UNSTATED)
    assert b"\nstatus:" not in before.split(b"\n---\n", 1)[0]
    open_file(page, editor, UNSTATED)
    assert page.input_value("#meeting-status") == ""
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("#save-message")).to_have_text("Nothing to save: the file is as it was.")
    assert editor.read_bytes(UNSTATED) == before


_ATTACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another site</title></head><body>
<form id="plain" method="post" action="{editor}api/new" enctype="text/plain">
<input type="hidden"
 name='{{"kind": "review", "where": "hammersmith-fulham/hospital", "date": "2017-05-01", "x": "'
 value='"}}'>
<button type="submit">Go</button></form>
<script>
window.outcomes = [];
const attempt = async (label, options) => {{
  try {{
    const response = await fetch("{editor}api/save", options);
    window.outcomes.push(label + ": " + response.type + " " + response.status);
  }} catch (error) {{
    window.outcomes.push(label + ": " + error.name);
  }}
}};
const save = JSON.stringify({save});
window.done = Promise.all([
  attempt("json", {{method: "POST", body: save,
    headers: {{"Content-Type": "application/json", "X-QA-Edit-Token": "{token}"}}}}),
  attempt("text", {{method: "POST", body: save, mode: "no-cors",
    headers: {{"Content-Type": "text/plain"}}}}),
]);
</script></body></html>
"""


@pytest.fixture
def other_site(editor: Editor, tmp_path: Path) -> Iterator[str]:
    """Another local site (another port): a page whose script and form post to the editor,
    with the editor's own token (the worst case: it will not know it)."""
    save = {
        "file": TARGETED,
        "digest": "0" * 64,
        "data": {"status": "draft"},
        "body": "Written by another site.\n",
    }
    page = _ATTACK_PAGE.format(editor=editor.url, token=editor.token, save=json.dumps(save))
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    with serving_folder(tmp_path) as url:
        yield f"{url}index.html"


def test_another_sites_page_cannot_make_the_editor_write(
    chromium: Browser, editor: Editor, other_site: str
) -> None:
    targeted = editor.read_bytes(TARGETED)
    files = editor.files()
    with editor_page(chromium) as (page, errors):
        page.goto(other_site)
        page.evaluate("() => window.done")
        # The JSON call with the token needs the editor's yes before it is sent, and never
        # gets it; the plain-text one is sent and refused, its answer hidden from the script.
        outcomes = page.evaluate("() => window.outcomes")
        assert sorted(outcomes) == ["json: TypeError", "text: opaque 0"]
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Go").click()
        answer = navigation.value
        assert answer is not None and answer.status == 415
        assert answer.json() == {
            "error": "the editor takes calls as JSON (Content-Type: application/json) only"
        }
    assert len(errors) == 1 and "blocked by CORS policy" in errors[0], errors
    assert editor.read_bytes(TARGETED) == targeted
    assert editor.files() == files


def _post(editor: Editor, call: str, payload: object, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"{editor.url}api/{call}",
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        body = json.loads(refused.read().decode("utf-8"))
        assert body == {"error": "calls from another site are refused"}
        return refused.code


def test_the_token_from_another_origin_is_refused(editor: Editor) -> None:
    files = editor.files()
    new = {"kind": "review", "where": "hammersmith-fulham/hospital", "date": "2017-05-02"}
    other = f"http://127.0.0.1:{editor.port + 1}"
    for headers in (
        {"Origin": other},
        {"Origin": "null"},
        {"Origin": editor.url.rstrip("/"), "Sec-Fetch-Site": "same-site"},
    ):
        assert _post(editor, "new", new, {"X-QA-Edit-Token": editor.token, **headers}) == 403
    assert editor.files() == files


def _no_violations(page: Page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"


def test_the_list_and_a_meetings_form_pass_axe(form_page: Page, editor: Editor) -> None:
    from playwright.sync_api import expect

    page = form_page
    page.goto(editor.url)
    _no_violations(page, "the list")

    open_file(page, editor, MEETING)
    page.get_by_role("button", name="Add a case").click()
    page.keyboard.type("not a reference")
    expect(
        page.locator("[data-list=cases] > [data-item] input[data-key=ref]").last
    ).to_have_attribute("aria-invalid", "true")
    _no_violations(page, "a meeting's minutes with problems")


def test_the_review_forms_pass_axe_with_problems_shown(form_page: Page, editor: Editor) -> None:
    from playwright.sync_api import expect

    page = form_page
    open_file(page, editor, SCORED)
    page.select_option("#rating-S02", "Inadequate")
    expect(page.locator("#rating-S02")).to_have_attribute("aria-invalid", "true")
    _no_violations(page, "a presented review with problems")

    start_draft(page, editor, "hammersmith-fulham/mental-health", "2017-04-01")
    page.locator("#case-1-ref").fill("not a reference")
    page.get_by_role("button", name="Add an action").click()
    page.keyboard.type("A 1")
    expect(page.locator("#case-1-ref")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-list=actions] .field-problem")).not_to_have_count(0)
    _no_violations(page, "a draft with problems")


_FOCUS_ORDER_JS = """(previous) => {
    const now = document.activeElement;
    const after = previous === null || previous === now
        || (previous.compareDocumentPosition(now) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    return [now.id || now.textContent.trim(), after];
}"""


def test_the_keyboard_goes_through_the_form_in_order(form_page: Page, editor: Editor) -> None:
    page = form_page
    open_file(page, editor, SCORED)
    previous = None
    reached: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        name, in_order = page.evaluate(_FOCUS_ORDER_JS, previous)
        assert in_order, f"Tab went back up the page to {name} after {reached}"
        if not reached or reached[-1] != name:  # a date field takes a Tab for each part
            reached.append(name)
        previous = page.evaluate_handle("() => document.activeElement")
        if name == "rating-S01":
            break
    assert reached[:2] == ["Skip to the form", "qa-site edit"]
    assert reached[-1] == "rating-S01"
    assert page.locator("select[id^=rating-]").first.get_attribute("id") == "rating-S01"

    count = page.locator("[data-list=cases] > [data-item]").count()
    page.get_by_role("button", name="Add a case audit").focus()
    page.keyboard.press("Enter")
    new_case = page.locator("[data-list=cases] > [data-item]").nth(count)
    assert new_case.locator("legend").first.inner_text() == f"Case audit {count + 1}"
    assert page.evaluate("() => document.activeElement.dataset.key") == "ref"
    assert new_case.locator("input").first.evaluate("(input) => input === document.activeElement")


def test_a_problem_is_tied_to_its_field(form_page: Page, editor: Editor) -> None:
    from playwright.sync_api import expect

    page = form_page
    open_file(page, editor, SCORED)
    reference = page.locator("#case-1-ref")
    written = reference.input_value()
    reference.fill("hf ld 1")
    expect(reference).to_have_attribute("aria-invalid", "true")
    described = (reference.get_attribute("aria-describedby") or "").split()
    assert described[0] == "case-1-ref-hint" and len(described) == 2
    assert page.locator(f"#{described[1]}").inner_text() == (
        "Error: a case reference may contain only capital letters, digits and single "
        "hyphens (like 'HF-LD-2010-01'), got 'hf ld 1'"
    )

    reference.fill(written)
    expect(reference).to_have_attribute("aria-describedby", "case-1-ref-hint")
    assert reference.get_attribute("aria-invalid") is None
    expect(page.locator(f"#{described[1]}")).to_have_count(0)


def test_the_score_follows_a_rating(form_page: Page, editor: Editor) -> None:
    from playwright.sync_api import expect

    page = form_page
    open_file(page, editor, SCORED)
    overall = page.locator("#score .overall")
    expect(overall).to_have_text("Good, 68.5%")  # 137 of 200 points
    page.select_option("#rating-S03", "Good")  # from Adequate, one point more
    expect(overall).to_have_text("Good, 69.0%")
    page.select_option("#rating-S03", "Inadequate")  # from Adequate, one point less
    expect(overall).to_have_text("Good, 68.0%")


_WATCH_LIVE_REGIONS_JS = """() => {
    window.__qaLiveChanges = [];
    for (const id of ['score', 'problem-count']) {
        new MutationObserver(() => window.__qaLiveChanges.push(id)).observe(
            document.getElementById(id), {childList: true, subtree: true, characterData: true});
    }
}"""


def test_the_score_and_the_count_are_read_out_only_when_they_change(
    form_page: Page, editor: Editor
) -> None:
    from playwright.sync_api import expect

    page = form_page
    open_file(page, editor, SCORED)
    page.evaluate(_WATCH_LIVE_REGIONS_JS)
    page.locator('[data-obj="S03"] summary').click()
    page.locator("#note-S03").fill("A note changes no score.")
    expect(page.locator("#diff")).to_contain_text("+    note: A note changes no score.")
    assert page.evaluate("() => window.__qaLiveChanges") == []

    page.select_option("#rating-S03", "Good")
    expect(page.locator("#score .overall")).to_have_text("Good, 69.0%")
    assert "score" in page.evaluate("() => window.__qaLiveChanges")
