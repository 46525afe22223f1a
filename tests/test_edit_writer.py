"""The editor's writer: an edited file changes only the lines the edit must, keeps every
comment, and reads back as exactly the data it was given."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from functools import lru_cache
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
        ("caf\u00e9 \u2013 ok", "caf\u00e9 \u2013 ok"),
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


def test_keys_are_quoted_only_where_they_would_not_read_as_written() -> None:
    keys = {"yes": 1, "=": 2, "<<": 3, "a: b": 4, "S07": 5, "2012-01-31": 6}
    written, data = edited("---\nstatus: draft\n---\n", lambda d: d.update(grid=keys))
    assert written.splitlines()[3:9] == [
        "  yes: 1",
        '  "=": 2',
        '  "<<": 3',
        '  "a: b": 4',
        "  S07: 5",
        "  2012-01-31: 6",
    ]
    assert frontmatter_and_body(written)[0] == data


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

    def short(data: dict[str, Any]) -> None:
        data["ratings"]["S11"] = "Good"

    # Shortening the rating takes its note, and the marker on the note's line, with it;
    # the marker on a line of its own stays.
    for change, kept in ((unrelated, markers), (related, markers), (short, markers[:1])):
        written, data = edited(text, change)
        assert comment_lines(written) == kept
        assert frontmatter_and_body(written)[0] == data
    written, _ = edited(text, short)
    lines = written.splitlines()
    assert lines[lines.index("  S11: Good") + 1] == "    " + markers[0]
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


def test_a_rating_map_gains_its_label_before_its_note() -> None:
    text = "---\nratings:\n  S01:\n    note: Late.\n---\n"
    written, _ = edited(text, lambda data: data["ratings"]["S01"].update(rating="Good"))
    assert written == "---\nratings:\n  S01:\n    rating: Good\n    note: Late.\n---\n"


@pytest.mark.parametrize(
    ("text", "change", "expected"),
    [
        (  # a literal block replaced on its key's line, the next key left alone
            "---\nnote: |\n  one\n  two\nowner: Team\n---\n",
            {"note": "short"},
            "---\nnote: short\nowner: Team\n---\n",
        ),
        (  # a list written without indentation, and a value on the line after its key
            "---\nevidence:\n- a\n- b\nnote:\n  two lines\n  of plain text  # c\n---\n",
            {"evidence": ["a", "c", "b"], "note": "one"},
            "---\nevidence:\n- a\n- c\n- b\nnote: one        # c\n---\n",
        ),
        (  # a flow list over two lines
            "---\nevidence: [a,\n  b]   # c\nx: 1\n---\n",
            {"evidence": ["a"]},
            "---\nevidence: [a] # c\nx: 1\n---\n",
        ),
        (  # old Mac line endings
            "---\rstatus: draft\rx: 1\r---\rbody\r",
            {"x": 2, "y": [1, 2]},
            "---\rstatus: draft\rx: 2\ry: [1, 2]\r---\rbody\r",
        ),
        (  # an item whose first key is on the line after its dash
            "---\ncases:\n  -\n    ref: A1\n    worker: W1\n---\n",
            {"cases": [{"ref": "B2", "worker": "W1"}]},
            "---\ncases:\n  -\n    ref: B2\n    worker: W1\n---\n",
        ),
        (  # an item's first key removed: the item is written again from its dash
            "---\ncases:\n  - ref: A1\n    worker: W1\n---\n",
            {"cases": [{"worker": "W1"}]},
            "---\ncases:\n  - worker: W1\n---\n",
        ),
    ],
)
def test_files_written_in_other_valid_ways_are_edited_in_place(
    text: str, change: dict[str, Any], expected: str
) -> None:
    written, data = edited(text, lambda data: data.update(change))
    assert written == expected
    assert frontmatter_and_body(written)[0] == data


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
    long_form = [line for line in added if line.startswith("+    ") and "S07" not in line]
    assert long_form[:2] == ["+    rating: Adequate", "+    note: Two enquiries were late."]
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


def test_a_layout_that_cannot_be_edited_in_place_is_refused_with_a_reason() -> None:
    text = "---\n? status\n: draft\nowner: Team\n---\n"
    with pytest.raises(WriteFailed) as refused:
        write_file(text, {"status": "completed", "owner": "Team"}, "")
    assert str(refused.value) == (
        "the file is laid out in a way the editor cannot change in place (line 2: a key's "
        "':' is not on the key's line); make this change by hand"
    )


def test_a_new_file_is_written_whole_in_house_style() -> None:
    data = {"status": "draft", "framework_version": 1, "evidence": ["case-audit"]}
    written = write_file("", data, "## Findings\n")
    assert written == (
        "---\nstatus: draft\nframework_version: 1\nevidence: [case-audit]\n---\n## Findings\n"
    )


# Property tests: generated data, and random edits of the samples.

AMBIGUOUS = [
    *("No", "yes", "on", "off", "~", "null", "1.0", "0x1F", "2012-01-31", "1_000", ".inf"),
    *("", " lead", "lead ", "a: b", "a #b", "#c", "- d", "[e]", "{f}", "g, h", "'i'", '"j"'),
    *("k:", "%l", "@m", "`n`", "!o", "&p", "*q", "|r", ">s", "?t", "two\nlines", "tab\tin"),
    *("back\\slash", "\u2028", "no\u00a0break", "\u00e9t\u00e9", "---", "...", "S07: Good"),
]
TEXTS = st.one_of(st.sampled_from(AMBIGUOUS), st.text(max_size=30))
LABELS = st.sampled_from(["Outstanding", "Good", "Adequate", "Inadequate"])
IDS = st.from_regex(r"[a-z]{1,8}(-[a-z]{1,5})?", fullmatch=True)
STANDARDS = st.integers(1, 60).map(lambda n: f"S{n:02d}")
DATES = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
RATINGS = st.one_of(
    LABELS,
    st.none(),
    st.fixed_dictionaries(
        {"rating": st.one_of(LABELS, st.none())},
        optional={"note": TEXTS, "evidence": st.lists(IDS, max_size=3)},
    ),
)
PEOPLE = ["worker", "supervisor", "user", "carer"]
CASES = st.fixed_dictionaries(
    {
        "ref": st.one_of(st.none(), TEXTS),
        "worker": TEXTS,
        "interviewed": st.lists(st.sampled_from(PEOPLE), max_size=4),
        "record_reviewed": st.booleans(),
        "grades": st.dictionaries(STANDARDS, LABELS, max_size=4),
    }
)
ACTIONS = st.fixed_dictionaries(
    {
        "id": TEXTS,
        "standards": st.lists(STANDARDS, max_size=3),
        "action": TEXTS,
        "owner": TEXTS,
        "due": DATES,
        "status": st.sampled_from(["open", "done"]),
    },
    optional={"completed": DATES},
)
AMENDMENTS = st.fixed_dictionaries({"date": DATES, "reason": TEXTS, "by": TEXTS})
REVIEW_DATA = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["draft", "completed", "presented"]),
        "framework_version": st.integers(1, 3),
        "reviewers": st.lists(
            st.fixed_dictionaries(
                {"name": TEXTS, "role": st.sampled_from(["lead", "independent"])}
            ),
            max_size=3,
        ),
        "evidence": st.lists(IDS, max_size=4),
        "ratings": st.dictionaries(STANDARDS, RATINGS, max_size=8),
        "cases": st.lists(CASES, max_size=3),
        "actions": st.lists(ACTIONS, max_size=3),
    },
    optional={
        "amendments": st.lists(AMENDMENTS, max_size=2),
        "audience": st.sampled_from(["internal", "partners"]),
    },
)
PROPERTIES = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@lru_cache(maxsize=1)
def review_scaffold() -> str:
    programme = check(ROOT, DAY).programme
    assert programme is not None
    return draft_review(programme, "hammersmith-fulham", "learning-disability", DAY)[1]


@PROPERTIES
@given(data=REVIEW_DATA, base=st.sampled_from(["scaffold", *REVIEWS[:4]]), body=st.text())
def test_generated_reviews_read_back_as_written_and_are_then_stable(
    data: dict[str, Any], base: str | Path, body: str
) -> None:
    text = review_scaffold() if base == "scaffold" else read(Path(base))
    written = write_file(text, data, body)
    read_data, read_body = frontmatter_and_body(written)
    assert (read_data, read_body) == (data, body.replace("\r\n", "\n").replace("\r", "\n"))
    assert write_file(written, copy.deepcopy(read_data), read_body) == written


@pytest.mark.parametrize("path", SAMPLES, ids=name)
def test_each_sample_written_over_a_scaffold_reads_back_as_the_sample(path: Path) -> None:
    scaffold = meeting_file(None, "H&F", ()) if path in MEETINGS else review_scaffold()
    data, body = frontmatter_and_body(read(path))
    written = write_file(scaffold, data, body)
    assert frontmatter_and_body(written) == (data, body)
    assert write_file(written, copy.deepcopy(data), body) == written


def plant_comments(text: str) -> str:
    """``text`` with comments planted where no random edit below removes a node."""
    text = re.sub(r"(?m)^(status: .*)$", r"\1   # pii-ok: planted on the status", text, count=1)
    text = text.replace("\nratings:\n", "\n# pii-ok: planted before the ratings\nratings:\n", 1)
    text = re.sub(r"(?m)^(  S\d+:.*)$", r"\1  # pii-ok: planted on a rating", text, count=1)
    second = list(re.finditer(r"(?m)^  S\d+:", text))[1].start()
    return text[:second] + "  # pii-ok: planted among the ratings\n" + text[second:]


@PROPERTIES
@given(st.data())
def test_random_edits_read_back_and_keep_every_comment_outside_removed_nodes(
    draw: st.DataObject,
) -> None:
    text = plant_comments(read(draw.draw(st.sampled_from(REVIEWS), label="sample")))
    data, body = frontmatter_and_body(text)
    data = copy.deepcopy(data)
    for _ in range(draw.draw(st.integers(1, 6), label="edits")):
        kind = draw.draw(st.sampled_from(["rating", "case", "action", "top"]), label="kind")
        if kind == "rating":
            standard = draw.draw(STANDARDS, label="standard")
            data["ratings"][standard] = draw.draw(RATINGS, label="rating")
        elif kind in ("case", "action"):
            items = data[f"{kind}s"]
            index = draw.draw(st.integers(0, len(items)), label="index")
            choice = draw.draw(st.sampled_from(["add", "remove", "change"]), label="how")
            new = draw.draw(CASES if kind == "case" else ACTIONS, label="item")
            if choice == "add" or index == len(items):
                items.insert(index, new)
            elif choice == "remove":
                del items[index]
            else:
                field = draw.draw(st.sampled_from(sorted(new)), label="field")
                items[index][field] = new[field]
        else:
            extra = draw.draw(REVIEW_DATA, label="top")
            key = draw.draw(st.sampled_from(sorted(extra)), label="key")
            data[key] = extra[key] if key != "ratings" else {**data["ratings"], **extra[key]}
    written = write_file(text, data, body)
    assert frontmatter_and_body(written) == (data, body)
    planted = re.compile(r"# pii-ok: planted [a-z ]+$", re.MULTILINE)
    assert planted.findall(written) == planted.findall(text)
    assert len(planted.findall(text)) == 4
