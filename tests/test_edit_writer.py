"""The editor's writer: an edited file changes only the lines the edit must, keeps every
comment, and reads back as exactly the data it was given."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check.repository import check
from generator.edit.house_style import WriteFailed, frontmatter_and_body, write_file
from generator.workflow.scaffold import draft_review, meeting_file
from tests.support.paths import ROOT
from tests.support.repos import copy_repository

SAMPLES = sorted((ROOT / "reviews").glob("**/*.md"))
REVIEWS = [path for path in SAMPLES if path.parent.name != "governance"]
MEETINGS = [path for path in SAMPLES if path.parent.name == "governance"]
WESTMINSTER = ROOT / "reviews/westminster/mental-health/2012-05-24.md"
LEARNING_DISABILITY = ROOT / "reviews/hammersmith-fulham/learning-disability/2011-09-22.md"
DAY = dt.date(2017, 3, 1)


def name(path: Path) -> str:
    return str(path.relative_to(ROOT / "reviews"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def changed(before: str, after: str) -> list[str]:
    """The diff's removed and added lines, without the headers."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
    return [line for line in lines if line[:1] in "+-" and line[:3] not in ("---", "+++")]


def edited(text: str, change: Any) -> tuple[str, dict[str, Any]]:
    """``text`` written over with its data changed by ``change(data)``."""
    data, body = frontmatter_and_body(text)
    data = copy.deepcopy(data)
    change(data)
    return write_file(text, data, body), data


def comment_lines(text: str) -> list[str]:
    """The frontmatter's comments, whole-line or at a line's end, in order."""
    lines = text.splitlines()
    found = (re.search(r"(^|\s)#.*", line) for line in lines[1 : lines.index("---", 1)])
    return [match.group().strip() for match in found if match]


@pytest.mark.parametrize("path", SAMPLES, ids=name)
def test_every_sample_file_is_written_back_byte_for_byte_when_nothing_changed(path: Path) -> None:
    text = read(path)
    data, body = frontmatter_and_body(text)
    assert write_file(text, copy.deepcopy(data), body) == text


def test_line_endings_and_a_byte_order_mark_are_kept_through_an_edit() -> None:
    text = "\ufeff" + read(WESTMINSTER).replace("\n", "\r\n")
    data, body = frontmatter_and_body(text)
    assert write_file(text, data, body) == text
    data["ratings"]["S02"] = "Good"
    data["actions"][0]["status"] = "done"
    data["actions"][0]["completed"] = dt.date(2012, 8, 1)
    written = write_file(text, data, body + "One more line.\n")
    assert written.startswith("\ufeff---\r\n")
    assert "\n" not in written.replace("\r\n", "")
    assert changed(text, written) == [
        "-  S02: Adequate",
        "+  S02: Good",
        "-    status: open",
        "+    status: done",
        "+    completed: 2012-08-01",
        "+One more line.",
    ]
    assert frontmatter_and_body(written) == (data, body + "One more line.\n")


def test_changing_one_rating_changes_exactly_that_line() -> None:
    text = read(WESTMINSTER)
    written, _ = edited(text, lambda data: data["ratings"].update(S02="Good"))
    assert changed(text, written) == ["-  S02: Adequate", "+  S02: Good"]


def test_a_note_turns_a_short_rating_into_a_map_and_back_keeping_the_comment() -> None:
    text = read(WESTMINSTER).replace(
        "  S05: Good\n", "  S05: Good            # pii-ok: initials of the team manager\n"
    )
    note = {"rating": "Good", "note": "Visits are weekly: no gaps.", "evidence": ["case-audit"]}
    long, _ = edited(text, lambda data: data["ratings"].update(S05=note))
    assert changed(text, long) == [
        "-  S05: Good            # pii-ok: initials of the team manager",
        "+  S05:                 # pii-ok: initials of the team manager",
        "+    rating: Good",
        '+    note: "Visits are weekly: no gaps."',
        "+    evidence: [case-audit]",
    ]
    short, _ = edited(long, lambda data: data["ratings"].update(S05="Good"))
    assert short == text


def test_removing_a_note_from_a_long_rating_leaves_its_other_keys() -> None:
    text = read(WESTMINSTER)
    written, _ = edited(text, lambda data: data["ratings"]["S07"].pop("note"))
    assert changed(text, written) == [
        "-    note: Five of the six audited enquiries were adequate or better, all were "
        "recorded on the council's system, and desired outcomes were recorded."
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("No", '"No"'),
        ("yes", '"yes"'),
        ("on", '"on"'),
        ("~", '"~"'),
        ("null", '"null"'),
        ("1.0", '"1.0"'),
        ("0x1F", '"0x1F"'),
        ("2012-01-31", '"2012-01-31"'),
        ("1_000", '"1_000"'),
        (".inf", '".inf"'),
        ("", '""'),
        (" padded ", '" padded "'),
        ("- listed", '"- listed"'),
        ("@handle", '"@handle"'),
        ("`code`", '"`code`"'),
        ("ends with:", '"ends with:"'),
        ("a: b", '"a: b"'),
        ("see #4", '"see #4"'),
        ('"hi" \\ bye', '"\\"hi\\" \\\\ bye"'),
        ('say "hi" \\ bye', 'say "hi" \\ bye'),
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab\\there"'),
        ("Adequate, in part", "Adequate, in part"),
        ("#1 priority", '"#1 priority"'),
        ("café – ok", "café – ok"),
    ],
)
def test_strings_yaml_would_misread_are_quoted_and_read_back_as_text(
    value: str, written: str
) -> None:
    text = read(WESTMINSTER)

    def change(data: dict[str, Any]) -> None:
        data["ratings"]["S09"]["note"] = value
        data["actions"][0]["owner"] = value
        data["cases"][0]["ref"] = value

    result, data = edited(text, change)
    assert f"    note: {written}" in result.splitlines()
    assert f"    owner: {written}" in result.splitlines()
    assert f"  - ref: {written}" in result.splitlines()
    assert frontmatter_and_body(result)[0] == data


def test_text_in_a_flow_list_is_quoted_where_a_comma_or_bracket_would_split_it() -> None:
    text = read(WESTMINSTER)
    written, data = edited(text, lambda d: d["ratings"]["S07"].update(evidence=["a, b", "[c]"]))
    assert '    evidence: ["a, b", "[c]"]' in written.splitlines()
    assert frontmatter_and_body(written)[0] == data


def test_pii_ok_markers_survive_related_and_unrelated_edits() -> None:
    text = read(WESTMINSTER).replace(
        "    note: Crisis plans were in place in five of the six audited cases.\n",
        "    # pii-ok: the worker's initials are the team's code, agreed 2012-05-01\n"
        "    note: Crisis plans were in place in five of the six audited cases.  "
        "# pii-ok: no person named\n",
    )
    markers = comment_lines(text)
    assert len(markers) == 2

    def unrelated(data: dict[str, Any]) -> None:
        data["ratings"]["S01"] = "Good"
        data["actions"].append(
            {"id": "A5", "action": "Audit again.", "owner": "Team manager",
             "due": dt.date(2012, 11, 30), "status": "open", "standards": ["S11"]}
        )  # fmt: skip

    def related(data: dict[str, Any]) -> None:
        data["ratings"]["S11"]["note"] = "Crisis plans were in place in every audited case."
        data["ratings"]["S11"]["rating"] = "Good"

    for change in (unrelated, related):
        written, data = edited(text, change)
        assert comment_lines(written) == markers
        assert frontmatter_and_body(written)[0] == data
    written, _ = edited(text, related)
    assert sorted(changed(text, written)) == [
        "+    note: Crisis plans were in place in every audited case.             "
        "# pii-ok: no person named",
        "+    rating: Good",
        "-    note: Crisis plans were in place in five of the six audited cases.  "
        "# pii-ok: no person named",
        "-    rating: Adequate",
    ]


def test_a_new_key_goes_where_reviewers_expect_it() -> None:
    text = read(WESTMINSTER).replace("  S10: Good\n", "")

    def change(data: dict[str, Any]) -> None:
        data["ratings"]["S10"] = "Good"
        data["audience"] = "partners"
        data["amendments"] = [
            {"reason": "S04 regraded", "by": "Head of service", "date": dt.date(2012, 7, 1)}
        ]

    written, data = edited(text, change)
    lines = written.splitlines()
    assert lines[2:5] == ["framework_version: 1", "audience: partners", "reviewers:"]
    assert lines[lines.index("  S10: Good") - 3 : lines.index("  S10: Good")] == [
        "  S09:",
        "    rating: Adequate",
        "    note: Every audited case had a risk assessment less than a year old; two were "
        "not updated after an admission.",
    ]
    closing = lines.index("---", 1)
    assert lines[closing - 5 : closing] == [
        "    completed: 2012-06-22",
        "amendments:",
        "  - date: 2012-07-01",
        "    reason: S04 regraded",
        "    by: Head of service",
    ]
    assert frontmatter_and_body(written)[0] == data


def test_standard_ids_are_placed_in_natural_order() -> None:
    text = "---\nstatus: draft\nratings:\n  S2: Good\n  S9: Good\n  S11: Good\n---\n"
    written, _ = edited(text, lambda data: data["ratings"].update(S10="Adequate", S1="Good"))
    assert written.split("\n")[3:9] == [
        "  S1: Good",
        "  S2: Good",
        "  S9: Good",
        "  S10: Adequate",
        "  S11: Good",
        "---",
    ]


def test_removing_a_middle_case_removes_its_lines_only() -> None:
    text = read(WESTMINSTER)
    written, _ = edited(text, lambda data: data["cases"].pop(2))
    removed = changed(text, written)
    assert [line[:1] for line in removed] == ["-"] * 5
    assert removed[0] == "-  - ref: WCC-MH-2012-03"


def test_a_comment_keeps_its_column_or_moves_one_space_after_a_long_value() -> None:
    text = "---\nstatus: draft  # keep\nowner:            # who\n---\n"
    written, _ = edited(text, lambda data: data.update(owner="Team manager"))
    assert written == "---\nstatus: draft  # keep\nowner: Team manager # who\n---\n"
    written, _ = edited(text, lambda data: data.update(status="completed", owner="Head"))
    assert written == "---\nstatus: completed # keep\nowner: Head       # who\n---\n"


def test_meeting_items_are_added_in_the_style_of_their_neighbours() -> None:
    path = ROOT / "reviews/hammersmith-fulham/governance/2011-01-20.md"
    text = read(path)

    def change(data: dict[str, Any]) -> None:
        data["chairs"].append({"role": "Principal social worker"})
        data["development"].append({"title": "Advocacy", "note": "New contract: from May."})

    written, data = edited(text, change)
    assert changed(text, written) == [
        "+  - {role: Principal social worker}",
        "+  - title: Advocacy",
        '+    note: "New contract: from May."',
    ]
    assert frontmatter_and_body(written)[0] == data


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("sample"))


def test_a_filled_in_draft_validates_keeps_its_guidance_and_changes_only_the_blanks(
    sample_copy: Path,
) -> None:
    programme = check(sample_copy, DAY).programme
    assert programme is not None
    relative, draft = draft_review(
        programme, "hammersmith-fulham", "learning-disability", DAY, workers=1
    )
    data, body = frontmatter_and_body(draft)
    data["reviewers"] = [{"name": "Anne Whitlock", "role": "lead"}]
    data["ratings"] = {standard: "Good" for standard in data["ratings"]}
    data["ratings"]["S07"] = {"rating": "Adequate", "note": "Two enquiries were late."}
    data["cases"][0].update(ref="HF-LD-2017-01", grades={"S07": "Adequate", "S09": "Good"})
    data["actions"] = [
        {"id": "A1", "standards": ["S07"], "action": "Close enquiries within 28 days.",
         "owner": "Team manager", "due": dt.date(2017, 6, 30), "status": "open"}
    ]  # fmt: skip
    written = write_file(draft, data, body)
    (sample_copy / relative).write_text(written, encoding="utf-8")
    problems = [p.format_text() for p in check(sample_copy, DAY).problems if relative in p.path]
    assert problems == []
    assert comment_lines(written) == comment_lines(draft)
    diff = changed(draft, written)
    removed = [line for line in diff if line.startswith("-")]
    added = [line for line in diff if line.startswith("+")]
    # The blanks, and no other line: every rating but S07, whose map goes below its line.
    assert len(removed) == len(data["ratings"]) - 1 + 4
    assert len(added) == len(removed) + 1 + 2 + 6  # the reviewer, S07's map, the action
    assert diff[:3] == [
        "-reviewers: []           # add each reviewer: - {name: ..., role: lead}",
        "+reviewers:              # add each reviewer: - {name: ..., role: lead}",
        "+  - {name: Anne Whitlock, role: lead}",
    ]
    assert (
        "+  S01: Good             # Safeguarding concerns are recognised, triaged and "
        "responded to on the day they are raised"
    ) in added
    assert ["+    rating: Adequate", "+    note: Two enquiries were late."] == [
        line for line in added if line.startswith("+    ") and "S07" not in line
    ][:2]
    assert "+  - ref: HF-LD-2017-01  # the case reference only, never a name" in added
    assert (
        "+    grades: {S07: Adequate, S09: Good} # the standards the case shows: {S07: Good}"
        in (added)
    )
    assert removed[-1] == (
        "-actions: []             # the action plan agreed with the service manager"
    )
    assert added[-7:] == [
        "+actions:                # the action plan agreed with the service manager",
        "+  - id: A1",
        "+    standards: [S07]",
        "+    action: Close enquiries within 28 days.",
        "+    owner: Team manager",
        "+    due: 2017-06-30",
        "+    status: open",
    ]


def test_a_file_that_does_not_read_is_refused() -> None:
    with pytest.raises(ValueError, match="frontmatter is not closed"):
        frontmatter_and_body("---\nstatus: draft\n")
    with pytest.raises(WriteFailed, match="cannot be read"):
        write_file("---\nstatus: [draft\n---\n", {"status": "draft"}, "")


def test_data_that_no_file_can_hold_is_refused_rather_than_written_wrongly() -> None:
    text = read(WESTMINSTER)
    data, body = frontmatter_and_body(text)
    with pytest.raises(WriteFailed, match="type set"):
        write_file(text, {**data, "status": {"draft"}}, body)
    # Not a number is never equal to itself: the file could not read back as the data.
    with pytest.raises(WriteFailed, match="would not read back"):
        write_file(text, {**data, "framework_version": float("nan")}, body)


def test_a_new_file_is_written_whole_in_house_style() -> None:
    data = {"status": "draft", "framework_version": 1, "evidence": ["case-audit"]}
    written = write_file("", data, "## Findings\n")
    assert written == (
        "---\nstatus: draft\nframework_version: 1\nevidence: [case-audit]\n---\n## Findings\n"
    )
