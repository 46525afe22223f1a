"""A team's scorecard answers its manager first: how did we do (the summary card, with
the team's open and overdue actions), what must we do next and by when (the nearest
actions and the areas for improvement, then the action plan), and only then the
details (critical standards, domains, every standard behind a summary, case audits,
history). A review's own page puts its action plan under its card the same way. Both
open with a bar of links to their sections, which a printed paper leaves out."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from generator.papers.document import draw_chart
from generator.render.pages.review import review_pages
from generator.render.pages.scorecard import scorecard_pages
from generator.render.templates import TEMPLATES, Templates, template_folders
from generator.render.view import SiteView
from tests.support.paths import ROOT
from tests.support.rendered import rendered_pages, scored
from tests.support.scored_repos import (
    ALL_50,
    REAL_STANDARDS,
    action,
    new_repo,
    write_review,
    write_team,
)
from tests.support.sites import BuiltSite

SAMPLE_AS_OF = dt.date(2017, 1, 1)
TEAMS = "teams"
LONG_TERM = "teams/kensington-chelsea/long-term-support/index.md"
ASSESSMENT = "teams/hammersmith-fulham/assessment/index.md"

# A scorecard's sections, in order; "Still open from earlier reviews" and "Ratings and
# case audits disagree" only where there are some.
SCORECARD_SECTIONS = [
    "## Latest review",
    "## What to do next",
    "## Action plan",
    "### Still open from earlier reviews",
    "## Critical standards",
    "## Domains",
    "## All standards",
    "## Case audits",
    "## Ratings and case audits disagree",
    "## How the review was done",
    "## History",
]
ROW = re.compile(r'<tr>\s*<th scope="row"')  # a table's row, headed by its first cell
REQUIRED_SECTIONS = [h for h in SCORECARD_SECTIONS if "### " not in h and "disagree" not in h]
REVIEW_SECTIONS = [
    "## Action plan",
    "## Findings",
    "## Domains",
    "## Standards",
    "## Case audits",
    "## Ratings and case audits disagree",
    "## Amendments",
    "## How the review was done",
]


@pytest.fixture(scope="module")
def sample() -> dict[str, str]:
    """The sample's generated pages (internal edition), as of the tests' date."""
    return rendered_pages(ROOT, SAMPLE_AS_OF)


@pytest.fixture(scope="module")
def sample_partners() -> dict[str, str]:
    return rendered_pages(ROOT, SAMPLE_AS_OF, "partners")


def _scorecards(pages: dict[str, str]) -> dict[str, str]:
    return {
        path: text
        for path, text in pages.items()
        if re.fullmatch(r"teams/[^/]+/[^/]+/index\.md", path)
    }


def _reviews(pages: dict[str, str]) -> dict[str, str]:
    return {
        path: text
        for path, text in pages.items()
        if re.fullmatch(r"teams/[^/]+/[^/]+/\d{4}-\d\d-\d\d\.md", path)
    }


def _headings(page: str) -> list[str]:
    return re.findall(r"^#{2,3} .+$", page, flags=re.M)


def _section(page: str, heading: str) -> str:
    start = page.index(f"\n{heading}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end != -1 else len(page)]


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup.replace("<br>", " "))).split())


def _card_actions(page: str) -> str:
    found = re.search(r"<div><dt>Actions[^<]*</dt><dd>(.*?)</dd></div>", page)
    assert found is not None, "no line for actions on the summary card"
    return _text(found.group(1))


def _next_actions(page: str) -> list[str]:
    """The items of "What to do next"'s list of actions, as text."""
    section = _section(page, "## What to do next")
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", section)]


# --------------------------------------------------------------------------
# The sample's scorecards


@pytest.mark.parametrize("edition", ["internal", "partners"])
def test_every_scorecard_puts_its_sections_in_the_managers_order(
    edition: str, sample: dict[str, str], sample_partners: dict[str, str]
) -> None:
    pages = _scorecards(sample if edition == "internal" else sample_partners)
    assert len(pages) == 13
    for path, page in pages.items():
        headings = _headings(page)
        assert headings == [h for h in SCORECARD_SECTIONS if h in headings], path
        for required in REQUIRED_SECTIONS:
            assert required in headings, (path, required)


def test_the_card_counts_the_teams_open_and_overdue_actions(sample: dict[str, str]) -> None:
    # Long-Term Support: the 2015 review's three actions, all open and past due on
    # 1 January 2017, and two still open from the 2012 review; three others done.
    assert _card_actions(sample[LONG_TERM]) == "5 open, 5 overdue (3 done)"
    assert _card_actions(sample[ASSESSMENT]) == "3 open, 3 overdue (9 done)"
    assert '<dt>Actions</dt><dd><a href="#action-plan">' in sample[LONG_TERM]


def test_every_cards_counts_are_the_teams_actions_on_the_day(sample: dict[str, str]) -> None:
    """Worked out again from the content: every action of every presented review."""
    _, results = scored(ROOT, SAMPLE_AS_OF)
    for team in results.teams:
        if team.latest is None:
            continue
        actions = [a for r in team.history for a in r.record.review.actions]
        opened = [a for a in actions if a.status == "open"]
        overdue = [a for a in opened if a.due < SAMPLE_AS_OF]
        done = len(actions) - len(opened)
        expected = f"{len(opened)} open, {len(overdue)} overdue" + (
            f" ({done} done)" if done else ""
        )
        path = f"teams/{team.record.borough_id}/{team.record.id}/index.md"
        assert _card_actions(sample[path]) == expected, path


def test_what_to_do_next_names_the_nearest_actions_with_how_long_overdue(
    sample: dict[str, str],
) -> None:
    page = sample[LONG_TERM]
    section = _section(page, "## What to do next")
    assert (
        "<p>The 3 open actions due soonest, the longest overdue first "
        '(2 more in the <a href="#action-plan">action plan</a>):</p>'
    ) in section
    items = _next_actions(page)
    assert [item.split(":")[0] for item in items] == ["A2", "A4", "A3"]
    assert [re.findall(r"· due [^·]*·", item) for item in items] == [
        ["· due 31 May 2012 Overdue by 4 years 7 months ·"],
        ["· due 31 July 2012 Overdue by 4 years 5 months ·"],
        ["· due 28 September 2012 Overdue by 4 years 3 months ·"],
    ]
    # Each from the review before the latest, which the item names and links.
    for item in items:
        assert item.endswith("· from the review of 22 March 2012"), item
    assert section.count('<a href="2012-03-22.md">review of 22 March 2012</a>') == 3
    assert items[0] == (
        "A2: Team manager to review every open enquiry fortnightly and set a date for "
        "the next step. Team manager · due 31 May 2012 Overdue by 4 years 7 months · "
        "from the review of 22 March 2012"
    )


def test_areas_for_improvement_are_the_standards_below_adequate(sample: dict[str, str]) -> None:
    page = sample[ASSESSMENT]
    section = _text(_section(page, "## What to do next"))
    assert (
        "Areas for improvement: the 3 standards rated below Adequate in the review of "
        "17 September 2015: S27 Timeliness and waiting lists, "
        "S32 Plan reviews, S54 Carers' assessment and support."
    ) in section
    assert (
        "Areas for improvement: the standard rated below Adequate in the review of "
        "16 June 2016: S30 Personal budgets and direct payments."
    ) in _text(_section(sample["teams/westminster/mental-health/index.md"], "## What to do next"))
    assert (
        "Areas for improvement: none, as no standard was rated below Adequate in the review "
        "of 19 November 2015."
    ) in _text(_section(sample[LONG_TERM], "## What to do next"))


def test_every_standard_is_behind_a_summary_after_the_action_plan(
    sample: dict[str, str],
) -> None:
    page = sample[LONG_TERM]
    assert page.index("## Action plan") < page.index("## All standards")
    section = _section(page, "## All standards")
    assert section.startswith(
        '\n## All standards\n\n<details class="qa-more">\n<summary>All 50 standards: '
        "rating, change since the last review, case audits and notes</summary>\n\n"
    )
    assert section.rstrip().endswith("</details>")
    assert len(re.findall(ROW, section)) == 50
    # The critical standards' table near the top is the short one: no notes.
    critical = _section(page, "## Critical standards")
    assert len(re.findall(ROW, critical)) == 5
    assert "Note</th>" not in critical
    assert "Note</th>" in section


def test_the_next_review_and_each_overdue_action_say_how_long_overdue(
    sample: dict[str, str],
) -> None:
    page = sample[ASSESSMENT]
    assert (
        '<div><dt>Next review due</dt><dd>17 September 2016 <span class="qa-flag">'
        "Overdue by 3 months</span></dd></div>"
    ) in page
    assert (
        '<strong>Next review due:</strong> 17 September 2016 <span class="qa-flag">'
        "Overdue by 3 months</span>."
    ) in page
    plan = _section(page, "## Action plan")
    assert 'Open <span class="qa-flag">Overdue by 9 months</span>' in plan
    assert re.search(
        r'<td[^>]*>30 March 2012 <span class="qa-flag">Overdue by 4 years 9 months</span></td>',
        plan,
    )


def test_the_jump_bar_follows_the_title_line(sample: dict[str, str]) -> None:
    for pages in (_scorecards(sample), _reviews(sample)):
        for path, page in pages.items():
            lines = page.split("\n")
            title = next(i for i, line in enumerate(lines) if line.startswith("# "))
            assert lines[title + 2].startswith("<p>"), path
            assert lines[title + 3] == "", path
            assert lines[title + 4].startswith(
                '<nav class="qa-jump" aria-label="On this page"><ul><li><a href="#'
            ), path
            assert lines[title + 5] == "", path


@pytest.mark.parametrize("built", ["built_sample", "built_partners"])
def test_every_jump_link_leads_to_a_heading_of_its_page(
    request: pytest.FixtureRequest, built: str
) -> None:
    site: BuiltSite = request.getfixturevalue(built)
    pages = sorted(site.site.glob("teams/*/*/index.html")) + sorted(
        site.site.glob("teams/*/*/*/index.html")
    )
    assert len(pages) == 13 + 23
    for path in pages:
        html = path.read_text(encoding="utf-8")
        bar = re.search(r'<nav class="qa-jump" aria-label="On this page">(.*?)</nav>', html)
        assert bar is not None, path
        targets = re.findall(r'href="#([^"]+)"', bar.group(1))
        assert len(targets) >= 6, path
        for target in targets:
            assert re.search(rf'<h2 id="{re.escape(target)}"', html), (path, target)


# --------------------------------------------------------------------------
# Review pages


def test_a_review_puts_its_action_plan_under_its_card(sample: dict[str, str]) -> None:
    pages = _reviews(sample)
    assert len(pages) == 23
    for path, page in pages.items():
        headings = [h for h in _headings(page) if h.startswith("## ")]
        assert headings == [h for h in REVIEW_SECTIONS if h in headings], path
        assert page.index("</dl>") < page.index("## Action plan"), path
        standards = _section(page, "## Standards")
        assert '<details class="qa-more">\n<summary>All ' in standards, path
    page = sample["teams/westminster/mental-health/2011-11-24.md"]
    assert _card_actions(page) == "1 open, 1 overdue (4 done)"
    assert "<dt>Actions set by this review</dt>" in page
    assert 'Open <span class="qa-flag">Overdue by 4 years 9 months</span>' in page


# --------------------------------------------------------------------------
# Papers


def test_a_paper_opens_every_standard_and_has_no_jump_bar() -> None:
    programme, results = scored(ROOT, SAMPLE_AS_OF)
    site = SiteView(programme, results)
    templates = Templates(template_folders(ROOT / TEMPLATES), site, paper=draw_chart)
    pages = [*scorecard_pages(site), *review_pages(site)]
    assert len(pages) == 13 + 23
    for page in pages:
        body = templates.render_body(page)
        assert "qa-jump" not in body, page.path
        assert '<details class="qa-more" open>' in body, page.path
        assert '<details class="qa-more">' not in body, page.path


# --------------------------------------------------------------------------
# Teams the sample lacks: no presented review, closed, standards below the line


SMALL_AS_OF = dt.date(2012, 6, 30)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    repo = new_repo(tmp_path_factory.mktemp("small") / "repo")
    day = dt.date(2011, 9, 1)
    actions = [
        action("A1", dt.date(2012, 5, 1), standards=["S02", "S03"]),  # overdue 1 month
        action("A2", dt.date(2012, 9, 1), standards=["S02"]),  # due in two months
        action("A3", dt.date(2011, 12, 1), "done", dt.date(2011, 11, 30), standards=["S03"]),
        action("A4", dt.date(2011, 12, 29), standards=["S03"]),  # overdue 6 months
        action("A5", dt.date(2012, 12, 1), standards=["S02"]),
    ]
    ratings = {"S01": "Good", "S02": "Inadequate", "S03": "Inadequate"}
    write_review(repo, "weak", day, ratings, actions=actions)
    write_review(repo, "unreviewed", day, ratings, status="draft", actions=[])
    write_team(repo, "shut", closed=dt.date(2012, 3, 31))
    write_review(repo, "shut", dt.date(2011, 3, 1), {"S01": "Good", "S02": "Good", "S03": "Good"})
    return rendered_pages(repo, SMALL_AS_OF)


def test_nearest_actions_are_the_most_overdue_then_the_soonest(small: dict[str, str]) -> None:
    page = small["teams/hammersmith-fulham/weak/index.md"]
    assert _card_actions(page) == "4 open, 2 overdue (1 done)"
    items = _next_actions(page)
    assert [item.split(":")[0] for item in items] == ["A4", "A1", "A2"]
    assert "due 29 December 2011 Overdue by 6 months" in items[0]
    assert "due 1 May 2012 Overdue by 1 month" in items[1]
    assert items[2].endswith("due 1 September 2012")
    assert '(1 more in the <a href="#action-plan">action plan</a>):' in page


def test_areas_for_improvement_put_critical_standards_first(small: dict[str, str]) -> None:
    page = small["teams/hammersmith-fulham/weak/index.md"]
    section = _section(page, "## What to do next")
    found = re.search(r"Areas for improvement:</strong> (.*?)</p>", section)
    assert found is not None
    assert _text(found.group(1)).startswith(
        "the 2 standards rated below Adequate in the review of 1 September 2011, critical "
        "first: S03"
    )
    assert re.findall(r'href="\.\./\.\./\.\./standards/(S\d\d)\.md"', found.group(1)) == [
        "S03",
        "S02",
    ]


def test_a_team_with_no_presented_review_has_no_jump_bar(small: dict[str, str]) -> None:
    page = small["teams/hammersmith-fulham/unreviewed/index.md"]
    assert "qa-jump" not in page
    assert "<p>This team has no presented review yet.</p>" in page
    assert _headings(page) == ["## History"]


def test_a_closed_team_still_says_what_was_left_to_do(small: dict[str, str]) -> None:
    page = small["teams/hammersmith-fulham/shut/index.md"]
    assert '<p class="admonition-title">This team has closed</p>' in page
    assert _card_actions(page) == "1 open, 1 overdue"
    assert [item.split(":")[0] for item in _next_actions(page)] == ["A1"]
    assert "<p>The team's one open action:</p>" in page
    assert "<strong>Next review due:</strong> none: the team has closed." in page
    assert "Areas for improvement:</strong> none, as no standard was rated below Adequate" in page


def test_a_long_list_of_areas_names_eight_and_counts_the_rest(tmp_path: Path) -> None:
    """A weak team's areas for improvement stay a line or two: the first eight (the
    critical first), then how many more, with a link to every standard's rating."""
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    below = ["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S10", "S11"]
    ratings = {s: "Inadequate" if s in below else "Good" for s in ALL_50}
    write_review(repo, "weak", dt.date(2011, 9, 1), ratings)
    page = rendered_pages(repo, SMALL_AS_OF)["teams/hammersmith-fulham/weak/index.md"]
    found = re.search(r"Areas for improvement:</strong> (.*?)</p>", page)
    assert found is not None
    named = re.findall(r'href="\.\./\.\./\.\./standards/(S\d\d)\.md"', found.group(1))
    assert named == ["S07", "S01", "S02", "S03", "S04", "S05", "S06", "S08"]
    assert _text(found.group(1)).startswith(
        "the 10 standards rated below Adequate in the review of 1 September 2011, critical "
        "first: S07 "
    )
    assert found.group(1).endswith(' and 2 more, in <a href="#all-standards">all standards</a>.')
