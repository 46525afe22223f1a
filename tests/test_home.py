"""The dashboard (the home page) stays a summary however large the programme grows:
each borough's ten most overdue reviews and actions, how many more there are, and a
link to the borough's own page, which lists every one. On the sample, whose lists are
short, it still shows every item it always has."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.render.markup import markdown_text
from generator.share.edition import NOT_SHARED
from tests.support.paths import ROOT
from tests.support.rendered import rendered_pages
from tests.support.scored_repos import action, new_repo, write_review
from tests.support.sites import BuiltSite

AS_OF = dt.date(2012, 6, 30)
BUSY = "hammersmith-fulham"  # 13 teams, each overdue for review, each with an overdue action
QUIET = "westminster"  # one team, reviewed lately, with one overdue action
BUSY_TEAMS = [f"t{i:02d}" for i in range(1, 14)]
GOOD = {"S01": "Good", "S02": "Good", "S03": "Good"}

REVIEWS = "## Reviews due soon and overdue"
ACTIONS = "## Overdue actions"


def _review_day(index: int) -> dt.date:
    """The earlier a team's review, the longer it is overdue: t01 most of all."""
    return dt.date(2010, 1, 4) + dt.timedelta(weeks=index)


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The generated pages of a programme whose lists outgrow the dashboard, by path."""
    repo = new_repo(tmp_path_factory.mktemp("busy") / "repo")
    for index, team in enumerate(BUSY_TEAMS):
        day = _review_day(index)
        write_review(repo, team, day, GOOD, borough=BUSY)  # A1, due 30 days later
    day = dt.date(2012, 1, 10)
    actions = [action("A1", dt.date(2012, 2, 9), standards=list(GOOD))]
    write_review(repo, "quiet", day, GOOD, borough=QUIET, actions=actions)
    return rendered_pages(repo, AS_OF)


def _section(page: str, heading: str, borough: str | None = None) -> str:
    """The text under ``heading`` (a ``## `` line) up to the next one; with ``borough``,
    only under that borough's ``### `` heading within it."""
    start = page.index(heading + "\n")
    end = page.find("\n## ", start + 1)
    text = page[start : end if end != -1 else len(page)]
    if borough is None:
        return text
    start = text.index(f"### {markdown_text(borough)}\n")
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _review_rows(text: str) -> list[str]:
    """The teams of a table of reviews due, in order, by their scorecards' paths."""
    return re.findall(
        r'<tr><th scope="row"[^>]*><a href="(?:\.\./)?teams/[^/]+/([^/]+)/index\.md"', text
    )


def _action_rows(text: str) -> list[tuple[str, str]]:
    """The actions of a table of open actions, in order: (the page they come from, id)."""
    return re.findall(
        r'(?:<td[^>]*>|<br>)<a href="(?:\.\./)?([^"]+)">(?:Review|Board meeting) of [^<]+</a>'
        r'(?:</td><th scope="row"[^>]*>|: )([^<]+)</t[hd]>',
        text,
    )


def test_the_dashboard_lists_a_borough_s_ten_most_overdue_reviews(busy: dict[str, str]) -> None:
    home = busy["index.md"]
    mine = _section(home, REVIEWS, f"Borough {BUSY}")
    assert _review_rows(mine) == BUSY_TEAMS[:10]
    assert "<p>13 reviews overdue, 0 due within 3 months: the 10 most overdue.</p>" in mine
    assert (
        "<p>3 more reviews not shown here: "
        f'<a href="due/{BUSY}.md#reviews-due-soon-and-overdue">'
        f"all 13 reviews overdue or due soon in Borough {BUSY}</a>.</p>"
    ) in mine
    quiet = _section(home, REVIEWS, f"Borough {QUIET}")
    assert _review_rows(quiet) == []
    assert f"<p>No review in Borough {QUIET} is overdue or due in the next 3 months.</p>" in quiet


def test_the_dashboard_lists_a_borough_s_ten_longest_overdue_actions(
    busy: dict[str, str],
) -> None:
    home = busy["index.md"]
    mine = _section(home, ACTIONS, f"Borough {BUSY}")
    expected = [
        (f"teams/{BUSY}/{team}/{_review_day(i).isoformat()}.md", "A1")
        for i, team in enumerate(BUSY_TEAMS)
    ]
    assert _action_rows(mine) == expected[:10]
    assert "<p>13 actions overdue: the 10 longest overdue.</p>" in mine
    assert (
        "<p>3 more overdue actions not shown here: "
        f'<a href="due/{BUSY}.md#overdue-actions">'
        f"all 13 overdue actions in Borough {BUSY}</a>.</p>"
    ) in mine
    quiet = _section(home, ACTIONS, f"Borough {QUIET}")
    assert _action_rows(quiet) == [(f"teams/{QUIET}/quiet/2012-01-10.md", "A1")]
    assert "<p>1 action overdue.</p>" in quiet
    assert "not shown here" not in quiet


def test_the_dashboard_counts_each_borough_s_lists(busy: dict[str, str]) -> None:
    home = busy["index.md"]
    assert (
        "<p>As of 30 June 2012, across the programme: 13 reviews overdue, 0 due in the next "
        "3 months, and 14 overdue actions."
    ) in home
    rows = re.findall(
        r'<tr><th scope="row"[^>]*><a href="(due/[^"]+)">([^<]+)</a></th>'
        r"<td[^>]*>(\d+)</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td></tr>",
        home,
    )
    assert rows == [
        (f"due/{BUSY}.md", f"Borough {BUSY}", "13", "0", "13"),
        (f"due/{QUIET}.md", f"Borough {QUIET}", "0", "0", "1"),
    ]


def test_a_borough_s_page_lists_every_review_due_and_every_overdue_action(
    busy: dict[str, str],
) -> None:
    page = busy[f"due/{BUSY}.md"]
    assert page.startswith(f"---\ntitle: Overdue and due soon in Borough {BUSY}\n---\n")
    assert _review_rows(_section(page, REVIEWS)) == BUSY_TEAMS
    assert _action_rows(_section(page, ACTIONS)) == [
        (f"teams/{BUSY}/{team}/{_review_day(i).isoformat()}.md", "A1")
        for i, team in enumerate(BUSY_TEAMS)
    ]
    quiet = busy[f"due/{QUIET}.md"]
    assert _review_rows(_section(quiet, REVIEWS)) == []
    assert _action_rows(_section(quiet, ACTIONS)) == [(f"teams/{QUIET}/quiet/2012-01-10.md", "A1")]


# --------------------------------------------------------------------------
# The sample: short lists, all of them still on the dashboard


SAMPLE_OVERDUE_ACTIONS = {
    "hammersmith-fulham": [
        ("teams/hammersmith-fulham/mental-health/2011-06-16/", "A4"),
        ("teams/hammersmith-fulham/assessment/2011-10-20/", "A3"),
        ("teams/hammersmith-fulham/learning-disability/2011-09-22/", "A3"),
        ("board/hammersmith-fulham/2012-04-19/", "G1"),
        ("board/hammersmith-fulham/2012-04-19/", "G2"),
        ("board/hammersmith-fulham/2012-01-19/", "G3"),
        ("teams/hammersmith-fulham/assessment/2011-10-20/", "A4"),
        ("teams/hammersmith-fulham/social-work/2015-06-18/", "A6"),
        ("teams/hammersmith-fulham/assessment/2015-09-17/", "A3"),
        ("teams/hammersmith-fulham/social-work/2015-06-18/", "A3"),
    ],
    "kensington-chelsea": [
        ("teams/kensington-chelsea/learning-disability/2011-11-17/", "A2"),
        ("teams/kensington-chelsea/long-term-support/2012-03-22/", "A2"),
        ("teams/kensington-chelsea/hospital/2012-01-26/", "A3"),
        ("teams/kensington-chelsea/long-term-support/2012-03-22/", "A4"),
        ("teams/kensington-chelsea/long-term-support/2012-03-22/", "A3"),
        ("teams/kensington-chelsea/long-term-support/2015-11-19/", "A4"),
        ("teams/kensington-chelsea/long-term-support/2015-11-19/", "A2"),
    ],
    "westminster": [
        ("teams/westminster/mental-health/2011-11-24/", "A3"),
        ("teams/westminster/learning-disability/2012-01-12/", "A4"),
        ("teams/westminster/learning-disability/2012-01-12/", "A5"),
        ("teams/westminster/mental-health/2012-05-24/", "A2"),
        ("teams/westminster/mental-health/2012-05-24/", "A1"),
        ("teams/westminster/mental-health/2012-05-24/", "A3"),
        ("teams/westminster/access-assessment/2016-02-18/", "A5"),
        ("teams/westminster/access-assessment/2016-02-18/", "A7"),
        ("teams/westminster/mental-health/2016-06-16/", "A5"),
        ("teams/westminster/mental-health/2016-06-16/", "A2"),
    ],
}
# Each team still open whose next review is overdue or due within 3 months of the sample's
# date, most overdue first (closed teams are never due).
SAMPLE_REVIEWS_DUE = [
    "teams/hammersmith-fulham/mental-health/",  # 16 December 2012
    "teams/hammersmith-fulham/learning-disability/",  # 22 March 2013
    "teams/hammersmith-fulham/assessment/",  # 17 September 2016
    "teams/hammersmith-fulham/social-work/",  # 18 December 2016
    "teams/kensington-chelsea/learning-disability/",  # 17 November 2012
    "teams/kensington-chelsea/hospital/",  # 26 July 2013
    "teams/westminster/learning-disability/",  # 12 July 2012
    "teams/westminster/access-assessment/",  # 18 February 2017, within 3 months
]


def _built_review_rows(html: str) -> list[str]:
    return re.findall(r'<tr><th scope="row"[^>]*><a href="(?:\.\./)*(teams/[^"]+/)">', html)


def _built_action_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'(?:<td[^>]*>|<br>)<a href="(?:\.\./)*([^"]+)">(?:Review|Board meeting) of [^<]+</a>'
        r'(?:</td><th scope="row"[^>]*>|: )([^<]+)</t[hd]>',
        html,
    )


def test_the_sample_dashboard_still_shows_every_review_due_and_overdue_action(
    built_sample: BuiltSite,
) -> None:
    home = (built_sample.site / "index.html").read_text(encoding="utf-8")
    due = home[home.index('id="reviews-due-soon-and-overdue"') : home.index('id="overdue-actions"')]
    assert _built_review_rows(due) == SAMPLE_REVIEWS_DUE
    assert "18 February 2017 (within 3 months)" in due
    actions = home[home.index('id="overdue-actions"') :]
    assert _built_action_rows(actions) == [
        row for rows in SAMPLE_OVERDUE_ACTIONS.values() for row in rows
    ]
    assert "not shown here" not in home
    for borough, rows in SAMPLE_OVERDUE_ACTIONS.items():
        assert f'<a href="due/{borough}/">' in home
        page = (built_sample.site / "due" / borough / "index.html").read_text(encoding="utf-8")
        assert _built_action_rows(page) == rows
        assert 'id="reviews-due-soon-and-overdue"' in page
        assert 'id="overdue-actions"' in page


def _action_texts(text: str) -> list[tuple[str, str, str]]:
    """The actions of the dashboard's and the borough pages' tables of overdue actions:
    (the page they come from, id, their text)."""
    return re.findall(
        r'<br><a href="(?:\.\./)?([^"]+)">(?:Review|Board meeting) of [^<]+</a>: '
        r"([^<]+)</th><td[^>]*>([^<]*)</td>",
        text,
    )


def _planned_texts(text: str) -> list[tuple[str, str, str]]:
    """The actions of the action plans' tables, which give each action's standards
    before its text: (the page they come from, id, their text)."""
    return re.findall(
        r'<td[^>]*><a href="(?:\.\./)?([^"]+)">(?:Review|Board meeting) of [^<]+</a></td>'
        r'<th scope="row"[^>]*>([^<]+)</th><td[^>]*>.*?</td><td[^>]*>([^<]*)</td>',
        text,
    )


def test_the_partner_edition_s_lists_word_each_action_as_its_action_plans_do() -> None:
    as_of = dt.date(2017, 1, 1)
    internal = rendered_pages(ROOT, as_of)
    partners = rendered_pages(ROOT, as_of, "partners")
    as_planned = {(src, id): text for src, id, text in _planned_texts(partners["actions.md"])}
    assert len(as_planned) == 26  # every open action but G3 of minutes not shared
    paths = ["index.md", *sorted(p for p in internal if p.startswith("due/"))]
    assert paths[1:] == sorted(p for p in partners if p.startswith("due/"))
    # Board actions go with their minutes: those of minutes not shared are not listed.
    unshared = [
        row
        for row in _action_rows(internal["index.md"])
        if row[0].startswith("board/") and row[0] not in partners
    ]
    assert unshared == [("board/hammersmith-fulham/2012-01-19.md", "G3")]
    for path in paths:
        rows = _action_texts(partners[path])
        shared = [row for row in _action_rows(internal[path]) if row not in unshared]
        assert [(src, id) for src, id, _ in rows] == shared, path
        assert rows == [(src, id, as_planned[(src, id)]) for src, id, _ in rows], path
    withheld = [row for row in _action_texts(partners["index.md"]) if row[2] == NOT_SHARED]
    assert withheld, "the sample has overdue actions whose text partners must not see"
    for src, id, _ in withheld:
        assert (src, id, NOT_SHARED) not in _action_texts(internal["index.md"])
