"""The dashboard answers the head of service first: a strip of headline figures, each
linking to the list it counts, then the teams needing attention, ranked, with why;
closed teams only on the Teams page; everything overdue says by how long, the longest
first. Checked on the sample as of 1 January 2017, and on small programmes written here."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.check.repository import check
from generator.render.lists import listed_actions, teams_needing_attention
from tests.support.paths import ROOT
from tests.support.rendered import rendered_pages
from tests.support.scored_repos import action, new_repo, score, write_review, write_team

AS_OF = dt.date(2017, 1, 1)  # the sample's own date

CLOSED = ["hospital", "older-people", "physical-disabilities"]  # of Hammersmith & Fulham

# The sample's active teams, the most in need of attention first, and why.
RANKED = [
    (
        "westminster/learning-disability",
        "WCC",
        "Inadequate",
        "57.5%",
        'Rated below Adequate. Rating lowered by critical standards <a href="../standards/S14.md">'
        'S14 Capacity assessment</a>, <a href="../standards/S47.md">S47 Supervision</a>. '
        "Review overdue by 4 years 5 months. 2 actions overdue, the longest by 4 years 8 months.",
    ),
    (
        "westminster/access-assessment",
        "WCC",
        "Adequate",
        "68.0%",
        'Rating lowered by critical standard <a href="../standards/S07.md">S07 Safeguarding '
        "enquiries</a>. 2 actions overdue, the longest by 7 months.",
    ),
    (
        "hammersmith-fulham/assessment",
        "H&amp;F",
        "Adequate",
        "56.5%",
        "Review overdue by 3 months. 3 actions overdue, the longest by 4 years 9 months.",
    ),
    (
        "kensington-chelsea/learning-disability",
        "RBKC",
        "Adequate",
        "58.5%",
        "Review overdue by 4 years 1 month. 1 action overdue by 4 years 7 months.",
    ),
    (
        "westminster/mental-health",
        "WCC",
        "Adequate",
        "59.5%",
        "6 actions overdue, the longest by 4 years 9 months.",
    ),
    (
        "hammersmith-fulham/learning-disability",
        "H&amp;F",
        "Good",
        "68.5%",
        "Review overdue by 3 years 9 months. 1 action overdue by 4 years 9 months.",
    ),
    # 69.0% both: the review overdue comes first.
    (
        "hammersmith-fulham/mental-health",
        "H&amp;F",
        "Good",
        "69.0%",
        "Review overdue by 4 years. 1 action overdue by 5 years.",
    ),
    (
        "kensington-chelsea/long-term-support",
        "RBKC",
        "Good",
        "69.0%",
        "5 actions overdue, the longest by 4 years 7 months.",
    ),
    (
        "kensington-chelsea/hospital",
        "RBKC",
        "Good",
        "69.5%",
        "Review overdue by 3 years 5 months. 1 action overdue by 4 years 5 months.",
    ),
    (
        "hammersmith-fulham/social-work",
        "H&amp;F",
        "Good",
        "70.5%",
        "Review overdue by 14 days. 2 actions overdue, the longest by 1 year.",
    ),
]


@pytest.fixture(scope="module")
def sample() -> dict[str, str]:
    return rendered_pages(ROOT, AS_OF)


def _section(page: str, heading: str) -> str:
    """From the ``## `` heading to the next one."""
    start = page.index(f"\n## {heading}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end != -1 else len(page)]


def _heading_ids(page: str) -> set[str]:
    """The ids MkDocs gives the page's ``## `` and ``### `` headings (first of each)."""
    return {
        "#" + re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")
        for title in re.findall(r"^#{2,3} (.+)$", page, re.MULTILINE)
    }


def _strip(page: str) -> list[tuple[str, str, str]]:
    strip = page[page.index('<ul class="qa-strip"') : page.index("</ul>")]
    return re.findall(
        r'<li><a href="([^"]+)"><strong class="qa-strip__figure">(\d+)</strong> '
        r'<span class="qa-strip__label">([^<]+)</span></a></li>',
        strip,
    )


def _rows(text: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", text, re.DOTALL)


def test_the_strip_comes_before_every_table_and_counts_what_the_dashboard_lists(
    sample: dict[str, str],
) -> None:
    home = sample["index.md"]
    assert home.index('<ul class="qa-strip" aria-label="The programme at a glance">') < home.index(
        "<table"
    )
    ratings = "#latest-rating-of-every-team"
    assert _strip(home) == [
        (ratings, "0", "teams Outstanding"),
        (ratings, "5", "teams Good"),
        (ratings, "4", "teams Adequate"),
        (ratings, "1", "team Inadequate"),
        ("#teams-needing-attention", "2", "teams limited by a critical standard"),
        ("#reviews-due-soon-and-overdue", "7", "reviews overdue"),
        ("#overdue-actions", "27", "actions overdue"),
    ]
    # Each figure is what the list it links to shows.
    latest = _section(home, "Latest rating of every team")
    for label, figure in [("Good", 5), ("Adequate", 4), ("Inadequate", 1), ("Outstanding", 0)]:
        badges = re.findall(rf'<td[^>]*><span class="qa-rating [^"]+">{label}</span>', latest)
        assert len(badges) == figure, label
    assert latest.count("(limited by") == 2
    reviews = _section(home, "Reviews due soon and overdue")
    assert reviews.count('<span class="qa-flag">Overdue') == 7
    actions = _section(home, "Overdue actions")
    assert len([r for r in _rows(actions) if '<th scope="row"' in r]) == 27
    assert actions.count('<span class="qa-flag">Overdue by ') == 27
    assert {target for target, _, _ in _strip(home)} <= _heading_ids(home)


def test_the_teams_needing_attention_are_ranked_and_say_why(sample: dict[str, str]) -> None:
    home = sample["index.md"]
    assert home.index("## Teams needing attention") < home.index("## Latest rating of every team")
    section = _section(home, "Teams needing attention")
    assert "<p>10 teams still open need attention: " in section
    assert "The worst overall rating comes first; then a rating the critical limiter lowered; " in (
        section
    )
    found = re.findall(
        r'<tr><th scope="row"[^>]*><a href="teams/([^"]+)/index\.md">[^<]+</a></th>'
        r"<td[^>]*>([^<]+)</td>\n<td[^>]*><span [^>]+>([^<]+)</span></td>"
        r"<td[^>]*>([^<]+)</td>\n?<td[^>]*>(.*?)</td></tr>",
        section,
    )
    expected = [
        (team, borough, rating, percent, why.replace('href="../', 'href="'))
        for team, borough, rating, percent, why in RANKED
    ]
    assert found == expected


def test_closed_teams_are_on_the_teams_page_in_their_own_section(sample: dict[str, str]) -> None:
    home = sample["index.md"]
    latest = _section(home, "Latest rating of every team")
    for team in CLOSED:
        assert f"hammersmith-fulham/{team}/index.md" not in latest
        assert f"hammersmith-fulham/{team}/index.md" not in _section(
            home, "Teams needing attention"
        )
    assert latest.count('/index.md">') == 10
    assert '<a href="teams/index.md#closed-teams">the Teams page</a>' in latest
    teams = sample["teams/index.md"]
    main, closed = teams.split("\n## Closed teams\n")
    assert "(closed " not in main
    assert re.findall(r'<a href="hammersmith-fulham/([^/]+)/index\.md">', closed) == [
        "hospital",
        "older-people",
        "physical-disabilities",
    ]
    assert closed.count("(closed 30 June 2011)") == 3
    # Every team is still listed, open or closed.
    assert len(re.findall(r'<th scope="row"[^>]*><a href="[^"]+/index\.md">', teams)) == 13


def test_what_is_overdue_says_how_long_the_longest_first(sample: dict[str, str]) -> None:
    schedule = sample["schedule.md"]
    overdue = re.findall(r"Overdue by ([^<]+)</span>", schedule)
    assert overdue == [
        "4 years 5 months",
        "4 years 1 month",
        "4 years",
        "3 years 9 months",
        "3 years 5 months",
        "3 months",
        "14 days",
    ]
    page = sample["due/westminster.md"]
    actions = _section(page, "Overdue actions")
    assert "<p>10 actions overdue, the longest by 4 years 9 months. " in actions
    dues = re.findall(r"<td[^>]*>(\d+ \w+ \d{4}) <span class=\"qa-flag\">Overdue by", actions)
    days = [dt.datetime.strptime(d, "%d %B %Y").date() for d in dues]
    assert len(days) == 10 and days == sorted(days)
    plans = sample["actions.md"]
    assert (
        "<li>Hammersmith &amp; Fulham: 10 actions overdue, the longest by 5 years.</li>\n"
        "<li>Kensington and Chelsea: 7 actions overdue, the longest by 4 years 7 months.</li>\n"
        "<li>Westminster: 10 actions overdue, the longest by 4 years 9 months.</li>"
    ) in plans


def test_the_dashboard_s_overdue_actions_keep_to_four_columns(sample: dict[str, str]) -> None:
    """The borough is the heading above the table, each row is named by its team, the
    review it comes from and its id, and each action's standards are on the action
    plans page: the due date is never pushed off the side."""
    actions = _section(sample["index.md"], "Overdue actions")
    heads = re.findall(r"<thead>(.*?)</thead>", actions)
    assert len(heads) == 3
    for head in heads:
        assert re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', head) == [
            "Action",
            "What will be done",
            "Owner",
            "Due",
        ]


def test_teams_not_yet_reviewed_come_last_and_teams_in_good_order_are_left_out(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}
    as_of = dt.date(2012, 6, 30)
    write_team(repo, "a-new-team")
    write_review(repo, "on-time", dt.date(2012, 3, 1), good, actions=[])
    write_review(
        repo,
        "late-action",
        dt.date(2012, 3, 1),
        good,
        actions=[action("A1", dt.date(2012, 4, 30)), action("A2", dt.date(2012, 5, 31))],
    )
    write_review(repo, "late-review", dt.date(2009, 12, 1), good, actions=[])
    write_review(repo, "was-late", dt.date(2009, 12, 1), good, actions=[])
    write_team(repo, "was-late", closed=dt.date(2011, 1, 31))
    results = score(repo, as_of)
    validation = check(repo, as_of)
    assert validation.programme is not None
    found = teams_needing_attention(
        results, results.rules, listed_actions(validation.programme, results)
    )
    assert [(e.team.record.id, [a.action.id for a in e.overdue_actions]) for e in found] == [
        ("late-review", []),  # Good, the same percentage: the review overdue first
        ("late-action", ["A1", "A2"]),
        ("a-new-team", []),
    ]
