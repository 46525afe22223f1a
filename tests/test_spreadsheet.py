"""The managers' workbook: team results per borough and the open actions, as .xlsx.

Expected values come from the sample files under reviews/, worked out by hand
(the working is in the comments).
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from generator.check.repository import check
from generator.export.spreadsheet import workbook_bytes
from generator.model.programme import Programme
from generator.score.published import published, published_programme
from generator.score.results import Results, score_programme
from tests.support.paths import ROOT
from tests.support.repos import RepoFactory

AS_OF = dt.date(2017, 1, 1)

TEAM_HEADER = (
    "Team",
    "Service",
    "Status",
    "Latest review",
    "Overall rating",
    "Percentage",
    "Band position",
    "Limited by",
    "Change since previous",
    "Next review due",
    "Review overdue",
    "Open actions",
    "Overdue actions",
    "Case audits adequate or above (%)",
    "Case-audit grades",
)
ACTION_HEADER = (
    "Borough",
    "Team",
    "Source",
    "Action id",
    "Standards",
    "Action",
    "Owner",
    "Due",
    "Overdue",
)
DATE_FORMAT = "d mmm yyyy"


def _scored(root: Path, as_of: dt.date) -> tuple[Programme, Results]:
    validation = check(root, as_of)
    assert validation.programme is not None
    assert [p.format_text() for p in validation.problems if p.is_error] == []
    return validation.programme, score_programme(validation.programme, as_of)


def _read(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def _rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def _strings(workbook: Workbook) -> Iterator[str]:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from (v for v in row if isinstance(v, str))


@pytest.fixture(scope="module")
def sample_inputs() -> tuple[Programme, Results]:
    return _scored(ROOT, AS_OF)


@pytest.fixture(scope="module")
def sample_bytes(sample_inputs: tuple[Programme, Results]) -> bytes:
    programme, results = sample_inputs
    # As the export command calls it: published content only.
    return workbook_bytes(published_programme(programme), published(results))


@pytest.fixture(scope="module")
def sample(sample_bytes: bytes) -> Workbook:
    return _read(sample_bytes)


def test_the_sheets_are_about_then_each_borough_by_id_then_open_actions(
    sample: Workbook,
) -> None:
    # hammersmith-fulham, kensington-chelsea, westminster: by id, named by short name.
    assert sample.sheetnames == ["About", "H&F", "RBKC", "WCC", "Open actions"]


def test_the_about_sheet_states_the_date_framework_sheets_and_rounding(
    sample: Workbook,
) -> None:
    rows = {row[0]: row[1] for row in _rows(sample["About"]) if row[0]}
    assert rows["As of"] == dt.datetime(2017, 1, 1)
    assert sample["About"]["B2"].is_date
    assert rows["Framework"] == "Adult Social Work Quality Standards, version 2"
    assert {"H&F", "RBKC", "WCC", "Open actions"} <= set(rows)
    assert str(rows["H&F"]).startswith("Hammersmith & Fulham: ")
    assert "rounded down" in str(rows["Rounding"])
    assert "halves up" in str(rows["Rounding"])


def test_borough_sheets_have_a_bold_frozen_filtered_header(sample: Workbook) -> None:
    for name in ["H&F", "RBKC", "WCC"]:
        sheet = sample[name]
        assert _rows(sheet)[0] == TEAM_HEADER
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    assert sample["H&F"].max_row == 1 + 7  # seven teams, three of them closed
    widths = [sample["H&F"].column_dimensions[c].width for c in "ABCDEFGHIJKLMNO"]
    assert all(8 <= w <= 60 for w in widths)


def test_a_team_row_holds_its_latest_presented_review(sample: Workbook) -> None:
    rows = {row[0]: row for row in _rows(sample["H&F"])[1:]}
    # reviews/hammersmith-fulham/learning-disability/2011-09-22.md, presented:
    # 4 Outstanding, 29 Good, 17 Adequate = 16 + 87 + 34 = 137 of 200 points: 68.5%, Good
    # (63 to 88), below the band's midpoint 75.5: lower. No critical standard Inadequate.
    # The previous review (2010-12-09) was 103 of 200, 51.5%, Adequate: improved.
    # Good: next review 18 months on, 22 March 2013, before the as-of date (1 January 2017)
    # and never held: overdue. Action A3 is open, due 30 March 2012, before the as-of date:
    # overdue (every action of 2010-12-09 is done).
    # Case audits: 56 grades, 7 of them Inadequate: 49 of 56, 87.5%.
    assert rows["Learning Disability Team"] == (
        "Learning Disability Team",
        "Learning disability",
        "Active",
        dt.datetime(2011, 9, 22),
        "Good",
        68.5,
        "lower",
        None,
        "improved",
        dt.datetime(2013, 3, 22),
        "Yes",
        1,
        1,
        87.5,
        56,
    )


def test_a_limited_rating_names_its_critical_standards(sample: Workbook) -> None:
    rows = {row[0]: row for row in _rows(sample["WCC"])[1:]}
    # reviews/westminster/learning-disability/2012-01-12.md: 19 Good, 27 Adequate,
    # 4 Inadequate = 57 + 54 + 4 = 115 of 200, 57.5%: Adequate (39 to 63), upper half
    # (midpoint 51). S14 and S47, both critical, are Inadequate: two cap it at Inadequate.
    # Inadequate: next review in 6 months, 12 July 2012, before the as-of date: overdue, as
    # the draft of 12 July 2012 counts for nothing.
    # A4 (due 30 April 2012) and A5 (29 June 2012) are open and overdue.
    # Audits: 38 of 59 grades adequate or above, 64.41%: 64.4.
    assert rows["Learning Disability Partnership"] == (
        "Learning Disability Partnership",
        "Learning disability",
        "Active",
        dt.datetime(2012, 1, 12),
        "Inadequate",
        57.5,
        "upper",
        "S14, S47",
        "new",
        dt.datetime(2012, 7, 12),
        "Yes",
        2,
        2,
        64.4,
        59,
    )
    # reviews/westminster/access-assessment/2016-02-18.md: 3 Outstanding, 33 Good,
    # 11 Adequate, 3 Inadequate = 12 + 99 + 22 + 3 = 136 of 200, 68%: Good (63 to 88), lower
    # half (midpoint 75.5). S07, critical, is Inadequate: one caps it at Adequate. Its
    # completed review of 21 June 2012 was never presented: this one is the team's first.
    # Adequate: next review in 12 months, 18 February 2017, after the as-of date.
    # A5 and A7 (both due 31 May 2016) are open and overdue.
    # Audits: 8 cases, 52 grades, 14 Inadequate: 38 of 52, 73.08%: 73.1.
    assert rows["Access and Assessment Team"] == (
        "Access and Assessment Team",
        "Assessment",
        "Active",
        dt.datetime(2016, 2, 18),
        "Adequate",
        68.0,
        "lower",
        "S07",
        "new",
        dt.datetime(2017, 2, 18),
        "No",
        2,
        2,
        73.1,
        52,
    )


def test_closed_teams_are_listed_and_marked(sample: Workbook) -> None:
    rows = {row[0]: row for row in _rows(sample["H&F"])[1:]}
    closed = rows["Older People's Team"]  # team.yml: closed: 2011-06-30
    assert closed[2] == "Closed on 30 June 2011"
    assert closed[3] == dt.datetime(2010, 11, 18)
    assert closed[9] is None  # no next review for a closed team
    assert closed[10] == "No"


def test_a_team_with_only_a_completed_review_is_not_yet_reviewed(
    make_repo: RepoFactory,
) -> None:
    repo = make_repo(
        {
            "reviews/hammersmith-fulham/assessment/team.yml": (
                "name: Access and Assessment Team\nservice: assessment\n"
            ),
            "reviews/hammersmith-fulham/assessment/2011-03-10.md": (
                "---\nstatus: completed\nframework_version: 1\n"
                "ratings: {S01: Good, S02: Good, S03: Inadequate}\n"
                "actions:\n  - {id: A1, standards: [S03], action: Audit supervision.,"
                " owner: Team manager, due: 2011-04-30, status: open}\n"
                "---\n## Findings\n\nCompleted, not yet presented.\n"
            ),
        }
    )
    programme, results = _scored(repo, dt.date(2011, 6, 1))
    workbook = _read(workbook_bytes(published_programme(programme), published(results)))
    rows = {row[0]: row for row in _rows(workbook["H&F"])[1:]}
    # Its only review is completed, not presented: no result, and its open action is not
    # counted.
    assert rows["Access and Assessment Team"] == (
        "Access and Assessment Team",
        "Assessment",
        "Active",
        "Not yet reviewed",
        None,
        None,
        None,
        None,
        None,
        None,
        "No",
        0,
        0,
        None,
        None,
    )


def test_open_actions_from_reviews_and_board_meetings(sample: Workbook) -> None:
    sheet = sample["Open actions"]
    rows = _rows(sheet)
    assert rows[0] == ACTION_HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{sheet.max_row}"
    # reviews/hammersmith-fulham/learning-disability/2011-09-22.md, action A3.
    assert (
        "H&F",
        "Learning Disability Team",
        dt.datetime(2011, 9, 22),
        "A3",
        "S32",
        "Clear overdue reviews, seeing every person face to face.",
        "Team manager",
        dt.datetime(2012, 3, 30),
        "Yes",
    ) in rows
    # reviews/hammersmith-fulham/governance/2012-04-19.md, action G2: still open, due
    # 31 July 2012, before the as-of date.
    assert (
        "H&F",
        "Governance board",
        dt.datetime(2012, 4, 19),
        "G2",
        "S42",
        "Agree an escalation route for continuing healthcare disputes with health commissioners.",
        "Head of service",
        dt.datetime(2012, 7, 31),
        "Yes",
    ) in rows
    # reviews/westminster/mental-health/2016-06-16.md, action A2: due 31 December 2016, the
    # day before the as-of date.
    assert (
        "WCC",
        "Mental Health Social Work Service",
        dt.datetime(2016, 6, 16),
        "A2",
        "S30",
        "Agree with the direct payments support service a route for people using mental health "
        "services, including help to manage a payment when unwell.",
        "Service manager",
        dt.datetime(2016, 12, 31),
        "Yes",
    ) in rows


def test_open_actions_are_sorted_by_borough_due_date_source_and_id(sample: Workbook) -> None:
    rows = _rows(sample["Open actions"])[1:]
    boroughs = {"H&F": 0, "RBKC": 1, "WCC": 2}
    keys = [(boroughs[r[0]], r[7], r[2], r[3]) for r in rows]
    assert keys == sorted(keys)
    # Open in the presented reviews and approved meetings: H&F 7 review actions (4 from
    # 2011 reviews, 3 from 2015 ones) and 3 of the board's (G3 of 2012-01-19, G1 and G2 of
    # 2012-04-19; the 2015 meetings' actions are all done), RBKC 7 (5 from 2011-2012
    # reviews, 2 from Long Term Support's 2015 review), WCC 10 (2 Learning Disability
    # Partnership, 6 Mental Health: 4 from 2011-2012, 2 from 2016; 2 Access and Assessment
    # from 2016, none from its completed 2012 review).
    assert [r[0] for r in rows].count("H&F") == 10
    assert [r[0] for r in rows].count("RBKC") == 7
    assert [r[0] for r in rows].count("WCC") == 10


def test_drafts_and_completed_reviews_appear_nowhere(
    sample: Workbook, sample_inputs: tuple[Programme, Results], sample_bytes: bytes
) -> None:
    text = set(_strings(sample))
    # Actions of the draft (reviews/westminster/learning-disability/2012-07-12.md) and
    # of the completed review (reviews/westminster/access-assessment/2012-06-21.md).
    assert (
        "Capacity specialist to continue joint visits with the team until the end of September."
    ) not in text
    assert "Add a standing capacity item to every supervision." not in text
    assert (
        "Screen everyone on the waiting list by risk within a month, and re-screen monthly "
        "until they are assessed."
    ) not in text
    assert "Hold a monthly capacity clinic open to every worker in the team." not in text
    dates = {
        v for s in sample.worksheets for row in _rows(s) for v in row if isinstance(v, dt.datetime)
    }
    assert dt.datetime(2012, 6, 21) not in dates
    assert dt.datetime(2012, 7, 12) in dates  # the due date of an Inadequate team's review
    # Given everything, unfiltered, the workbook is the same: it filters for itself.
    programme, results = sample_inputs
    assert workbook_bytes(programme, results) == sample_bytes


def test_date_cells_are_dates(sample: Workbook) -> None:
    team = sample["H&F"]
    for column in "DJ":  # Latest review, Next review due
        cell = team[f"{column}4"]
        assert cell.is_date, column
        assert cell.number_format == DATE_FORMAT
    actions = sample["Open actions"]
    for column in "CH":  # Source, Due
        for cell in actions[column][1:]:
            assert cell.is_date, cell.coordinate
            assert cell.number_format == DATE_FORMAT
    assert team["F4"].number_format == "0.0"
    assert team["N4"].number_format == "0.0"


def test_the_same_inputs_give_the_same_bytes(sample_inputs: tuple[Programme, Results]) -> None:
    programme, results = sample_inputs
    first = workbook_bytes(programme, results)
    time.sleep(1.1)  # core.xml's times are to the second
    assert workbook_bytes(programme, results) == first
    # ZIP times are to two seconds, so the sleep alone could miss them.
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2017, 1, 1, 0, 0, 0)}
    properties = _read(first).properties
    assert properties.creator == "qa-site"
    assert properties.created == properties.modified == dt.datetime(2017, 1, 1)


MEETING = """---
status: {status}
chairs:
  - {{role: Head of community assessment and social work}}
actions:
  - id: G1
    standards: [S03]
    action: {action}
    owner: {owner}
    due: 2011-05-31
    status: open
---
## Minutes

The board met.
"""


def test_free_text_never_becomes_a_formula(make_repo: RepoFactory) -> None:
    formula = '=HYPERLINK("http://example.invalid/","Open the plan")'
    repo = make_repo(
        {
            "reviews/hammersmith-fulham/governance/2011-02-17.md": MEETING.format(
                status="approved", action=f"'{formula}'", owner="'+Team manager'"
            ),
        }
    )
    programme, results = _scored(repo, dt.date(2011, 6, 1))
    content = workbook_bytes(programme, results)
    sheet = _read(content)["Open actions"]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[2].value == dt.datetime(2011, 2, 17)]
    assert row[5].value == formula
    assert row[5].data_type == "s"
    assert row[6].value == "+Team manager"
    assert row[6].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet3.xml").decode()


def test_draft_minutes_never_appear(make_repo: RepoFactory) -> None:
    repo = make_repo(
        {
            "reviews/hammersmith-fulham/governance/2011-02-17.md": MEETING.format(
                status="approved", action="Approved action.", owner="Head of service"
            ),
            "reviews/hammersmith-fulham/governance/2011-03-17.md": MEETING.format(
                status="draft", action="Draft action.", owner="Head of service"
            ),
        }
    )
    programme, results = _scored(repo, dt.date(2011, 6, 1))
    # tests/data/base: the meeting of 2011-01-20 has G1 open, due 30 September 2011; the
    # new meeting's G1 was due on 31 May 2011, the day before the as-of date.
    rows = _rows(_read(workbook_bytes(programme, results))["Open actions"])[1:]
    assert [(r[2], r[3], r[5], r[8]) for r in rows] == [
        (dt.datetime(2011, 2, 17), "G1", "Approved action.", "Yes"),
        (dt.datetime(2011, 1, 20), "G1", "Supervision audit.", "No"),
    ]


def test_sheet_names_are_ones_excel_accepts(make_repo: RepoFactory) -> None:
    repo = make_repo(
        {
            "reviews/hammersmith-fulham/borough.yml": "name: Hammersmith & Fulham\n"
            "short: 'H/F: [old]*?'\n",
            "reviews/a-borough/borough.yml": "name: A borough\nshort: about\n",
            "reviews/long/borough.yml": f"name: Long\nshort: {'L' * 40}\n",
        }
    )
    programme, results = _scored(repo, dt.date(2011, 6, 1))
    workbook = _read(workbook_bytes(programme, results))
    # By borough id: a-borough, hammersmith-fulham, long.
    assert workbook.sheetnames == ["About", "about (2)", "H-F- -old---", "L" * 31, "Open actions"]
