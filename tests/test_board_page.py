"""The governance board's page answers a board member: the next meeting, as the latest
minutes set it, with the open actions due by then and the cases of the last meeting;
then the meetings, the newest first. The partner edition builds it from the minutes
shared with partners only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.paths import ROOT
from tests.support.rendered import rendered_pages
from tests.support.scored_repos import BOROUGH, action, new_repo, write_review

AS_OF = dt.date(2017, 1, 1)  # the sample's own date
SAMPLE_MEETINGS = [
    "2015-07-16",
    "2015-02-19",
    "2012-04-19",
    "2012-01-19",
    "2011-10-13",
    "2011-07-14",
    "2011-04-14",
    "2011-01-20",
]


@pytest.fixture(scope="module")
def sample() -> dict[str, str]:
    return rendered_pages(ROOT, AS_OF)


@pytest.fixture(scope="module")
def partners() -> dict[str, str]:
    return rendered_pages(ROOT, AS_OF, "partners")


def _borough(page: str, name: str) -> str:
    start = page.index(f"\n## {name}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end != -1 else len(page)]


def _meetings(text: str) -> list[str]:
    """The meetings of a board's table, in order, by date."""
    table = text[text.index("### Meetings") :]
    return re.findall(r'<th scope="row"[^>]*><a href="[^"]*/(\d{4}-\d\d-\d\d)\.md">', table)


def _due(text: str) -> list[tuple[str, str, str]]:
    """The actions due by the next meeting: (the page they come from, id, due text)."""
    start = text.index("### Next meeting")
    end = text.index("### Meetings")
    return re.findall(
        r'<br><a href="([^"]+)">(?:Review|Board meeting) of [^<]+</a>: '
        r'([^<]+)</th>.*?<td[^>]*>([^<]+(?:<span class="qa-flag">[^<]+'
        r"</span>)?)</td></tr>",
        text[start:end],
    )


def test_the_meetings_are_listed_the_newest_first(sample: dict[str, str]) -> None:
    board = _borough(sample["board/index.md"], "Hammersmith &amp; Fulham")
    assert _meetings(board) == SAMPLE_MEETINGS
    assert "<caption>Meetings in Hammersmith &amp; Fulham, the newest first</caption>" in board
    assert board.index("### Next meeting") < board.index("### Meetings")
    for name in ("Kensington and Chelsea", "Westminster"):
        assert (
            _borough(sample["board/index.md"], name)
            .strip()
            .endswith("<p>No meetings recorded.</p>")
        )


def test_the_next_meeting_is_the_one_the_latest_minutes_set(sample: dict[str, str]) -> None:
    board = _borough(sample["board/index.md"], "Hammersmith &amp; Fulham")
    assert (
        '<p><strong>15 October 2015</strong>, as the minutes of <a href="hammersmith-fulham/'
        '2015-07-16.md">the meeting of 16 July 2015</a> set it. That date is before 1 January '
        "2017, the date these pages are shown as of, and no minutes of a later meeting are "
        "recorded.</p>"
    ) in board
    assert (
        "<p>Due by then: 7 open actions of the board and of the teams in Hammersmith &amp; "
        "Fulham, 7 of them overdue as of 1 January 2017, the soonest due first.</p>"
    ) in board
    overdue = '<span class="qa-flag">Overdue by {}</span>'
    assert _due(board) == [
        (
            "../teams/hammersmith-fulham/mental-health/2011-06-16.md",
            "A4",
            "16 December 2011 " + overdue.format("5 years"),
        ),
        (
            "../teams/hammersmith-fulham/assessment/2011-10-20.md",
            "A3",
            "30 March 2012 " + overdue.format("4 years 9 months"),
        ),
        (
            "../teams/hammersmith-fulham/learning-disability/2011-09-22.md",
            "A3",
            "30 March 2012 " + overdue.format("4 years 9 months"),
        ),
        (
            "hammersmith-fulham/2012-04-19.md",
            "G1",
            "15 June 2012 " + overdue.format("4 years 6 months"),
        ),
        (
            "hammersmith-fulham/2012-04-19.md",
            "G2",
            "31 July 2012 " + overdue.format("4 years 5 months"),
        ),
        (
            "hammersmith-fulham/2012-01-19.md",
            "G3",
            "31 July 2012 " + overdue.format("4 years 5 months"),
        ),
        (
            "../teams/hammersmith-fulham/assessment/2011-10-20.md",
            "A4",
            "31 July 2012 " + overdue.format("4 years 5 months"),
        ),
    ]


def test_the_last_meeting_s_cases_are_named_with_their_standards(sample: dict[str, str]) -> None:
    board = _borough(sample["board/index.md"], "Hammersmith &amp; Fulham")
    cases = re.findall(r"<li>([A-Z]+-[A-Z]+-\d{4}-\d\d) \(([^;]+); (.*?)\): <em>Decision", board)
    assert [(ref, team) for ref, team, _ in cases] == [
        ("HF-SW-2015-21", "Social Work Team"),
        ("HF-SW-2015-22", "Social Work Team"),
        ("HF-AST-2015-21", "Assessment Team"),
        ("HF-SW-2015-12", "Social Work Team"),
    ]
    assert cases[3][2] == (
        '<a href="../standards/S21.md">S21 Court of Protection</a>, '
        '<a href="../standards/S20.md">S20 Deprivation of liberty</a>'
    )


def test_the_partner_edition_s_next_meeting_comes_from_the_minutes_it_shares(
    partners: dict[str, str],
) -> None:
    board = _borough(partners["board/index.md"], "Hammersmith &amp; Fulham")
    assert _meetings(board) == ["2012-04-19"]
    assert (
        '<p><strong>19 July 2012</strong>, as the minutes of <a href="hammersmith-fulham/'
        '2012-04-19.md">the meeting of 19 April 2012</a> set it. That date is before 1 January '
        "2017, the date these pages are shown as of, and no minutes of a later meeting are "
        "shared with partner boroughs.</p>"
    ) in board
    assert [(src, id) for src, id, _ in _due(board)] == [
        ("../teams/hammersmith-fulham/mental-health/2011-06-16.md", "A4"),
        ("../teams/hammersmith-fulham/assessment/2011-10-20.md", "A3"),
        ("../teams/hammersmith-fulham/learning-disability/2011-09-22.md", "A3"),
        ("hammersmith-fulham/2012-04-19.md", "G1"),
    ]
    for unshared in ("2015", "2012-01-19", "G3", "HF-SW-2015"):
        assert unshared not in board, unshared


def test_a_meeting_names_the_next_one_and_links_it_when_recorded(
    sample: dict[str, str], partners: dict[str, str]
) -> None:
    first = sample["board/hammersmith-fulham/2011-01-20.md"]
    assert (
        '<a href="../index.md">all meetings</a> · next meeting: '
        '<a href="2011-04-14.md">14 April 2011</a></p>'
    ) in first
    last = sample["board/hammersmith-fulham/2015-07-16.md"]
    assert '<a href="../index.md">all meetings</a> · next meeting: 15 October 2015</p>' in last
    shared = partners["board/hammersmith-fulham/2012-04-19.md"]
    assert '<a href="../index.md">all meetings</a> · next meeting: 19 July 2012</p>' in shared


def _write_meeting(repo: Path, day: dt.date, **front: Any) -> None:
    folder = repo / "reviews" / BOROUGH / "governance"
    folder.mkdir(parents=True, exist_ok=True)
    data = {"chairs": [{"role": "Head of service"}], **front}
    text = yaml.safe_dump(data, sort_keys=False)
    (folder / f"{day.isoformat()}.md").write_text(f"---\n{text}---\nThe board met.\n", "utf-8")


def test_a_next_meeting_ahead_lists_only_the_actions_due_by_then(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    good = {"S01": "Good", "S02": "Good", "S03": "Good"}
    as_of = dt.date(2012, 6, 30)
    actions = [action("A1", dt.date(2012, 6, 15)), action("A2", dt.date(2012, 9, 30))]
    write_review(repo, "team", dt.date(2012, 3, 1), good, actions=actions)
    _write_meeting(repo, dt.date(2012, 1, 19), next_meeting=dt.date(2012, 4, 19))
    board_actions = [action("G1", dt.date(2012, 7, 31)), action("G2", dt.date(2012, 8, 1))]
    _write_meeting(repo, dt.date(2012, 4, 19), actions=board_actions, next_meeting="2012-07-31")
    board = rendered_pages(repo, as_of)["board/index.md"]
    assert (
        '<p><strong>31 July 2012</strong>, as the minutes of <a href="hammersmith-fulham/'
        '2012-04-19.md">the meeting of 19 April 2012</a> set it.</p>'
    ) in board
    assert "Due by then: 2 open actions of the board and of the teams in " in board
    assert ", 1 of them overdue as of 30 June 2012, the soonest due first.</p>" in board
    assert [(src, id) for src, id, _ in _due(board)] == [
        ("../teams/hammersmith-fulham/team/2012-03-01.md", "A1"),
        ("hammersmith-fulham/2012-04-19.md", "G1"),
    ]
    assert "<p>No cases were considered at <a " in board


def test_minutes_that_set_no_next_meeting_say_none_is_planned(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write_review(repo, "team", dt.date(2012, 3, 1), {"S01": "Good", "S02": "Good", "S03": "Good"})
    _write_meeting(repo, dt.date(2012, 4, 19))
    board = rendered_pages(repo, dt.date(2012, 6, 30))["board/index.md"]
    assert (
        '<p>The minutes of <a href="hammersmith-fulham/2012-04-19.md">the meeting of 19 April '
        "2012</a> set no date for the next meeting: none is planned yet.</p>"
    ) in board
    assert "Due by then" not in board
