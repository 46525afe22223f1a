"""Load: parsing files into data while keeping the line of every key."""

from __future__ import annotations

import datetime as dt

from generator.core.problems import Severity
from generator.load.repository import format_loc, parse_file

REVIEW = """\
---
status: presented
ratings:
  S01: Good
  S02: {rating: Adequate, note: "Few visits."}
cases:
  - ref: HF-LD-2010-01
    grades: {S01: Good}
  - ref: HF-LD-2010-02
---
## Findings

Text.
"""


def test_records_the_line_of_every_key_and_list_item() -> None:
    doc, problems = parse_file(REVIEW.encode(), "r.md", markdown=True)
    assert problems == []
    assert doc.line_of(("status",)) == 2
    assert doc.line_of(("ratings", "S02")) == 5
    assert doc.line_of(("ratings", "S02", "note")) == 5
    assert doc.line_of(("cases", 1)) == 9
    assert doc.line_of(("cases", 1, "ref")) == 9
    assert doc.line_of(("cases", 0, "grades", "S01")) == 8


def test_a_missing_key_takes_the_line_of_its_nearest_parent() -> None:
    doc, _ = parse_file(REVIEW.encode(), "r.md", markdown=True)
    assert doc.line_of(("cases", 1, "worker")) == 9
    assert doc.line_of(("actions",)) == 2  # nothing of it: the frontmatter's first line


def test_splits_the_body_and_knows_where_it_starts() -> None:
    doc, _ = parse_file(REVIEW.encode(), "r.md", markdown=True)
    assert doc.body == "## Findings\n\nText.\n"
    assert doc.body_line == 11


def test_windows_line_endings_keep_the_same_lines() -> None:
    doc, problems = parse_file(REVIEW.replace("\n", "\r\n").encode(), "r.md", markdown=True)
    assert problems == []
    assert doc.line_of(("cases", 1, "ref")) == 9


def test_keys_are_kept_as_written_and_values_resolved() -> None:
    doc, _ = parse_file(b"no: yes\n2011: 12\ndue: 2011-03-31\n", "f.yml", markdown=False)
    assert doc.data == {"no": True, "2011": 12, "due": dt.date(2011, 3, 31)}


def test_an_impossible_date_is_kept_as_text_for_the_models_to_report() -> None:
    doc, problems = parse_file(b"due: 2011-02-30\n", "f.yml", markdown=False)
    assert problems == []
    assert doc.data == {"due": "2011-02-30"}


def test_a_duplicate_key_is_reported_on_its_second_line() -> None:
    _, problems = parse_file(b"ratings:\n  S01: Good\n  S01: Adequate\n", "f.yml", markdown=False)
    assert [(p.line, p.field) for p in problems] == [(3, "ratings.S01")]
    assert "first given on line 2" in problems[0].message


def test_a_byte_order_mark_is_a_warning_and_the_file_still_loads() -> None:
    doc, problems = parse_file(b"\xef\xbb\xbf---\nstatus: draft\n---\n", "r.md", markdown=True)
    assert [(p.line, p.severity) for p in problems] == [(1, Severity.WARNING)]
    assert doc.data == {"status": "draft"}


def test_every_tab_in_indentation_is_reported() -> None:
    text = b"ratings:\n\tS01: Good\n\tS02: Good\nnote: |\n  a\ttab inside text is fine\n"
    _, problems = parse_file(text, "f.yml", markdown=False)
    assert [p.line for p in problems] == [2, 3]


def test_an_unclosed_bracket_points_at_the_line_that_opened_it() -> None:
    text = b"---\nstatus: draft\nratings: {S01: Good\n\nnote: x\n---\n"
    _, problems = parse_file(text, "r.md", markdown=True)
    assert [(p.line, p.field) for p in problems] == [(3, "yaml")]
    assert problems[0].message == (
        "YAML syntax error: a '{' opened on this line is never closed "
        "(expected ',' or '}', but got ':')"
    )


def test_an_unclosed_quote_points_at_the_line_that_opened_it() -> None:
    text = b'---\nstatus: draft\nnote: "Risk\nratings: x\n---\n'
    _, problems = parse_file(text, "r.md", markdown=True)
    assert [(p.line, p.message) for p in problems] == [
        (
            3,
            "YAML syntax error: a quote opened on this line is never closed "
            "(found unexpected end of stream)",
        )
    ]


def test_format_loc_reads_like_the_yaml() -> None:
    assert format_loc(("cases", 0, "grades", "S07")) == "cases[0].grades.S07"
    assert format_loc(()) == ""


def test_a_missing_closing_line_is_found_at_the_markdown_heading() -> None:
    text = (
        b"---\nstatus: draft\nratings:\n  S01: Good\n"
        b"## Findings\n\nThe team did well.\n\n---\n\nMore.\n"
    )
    _, problems = parse_file(text, "r.md", markdown=True)
    assert [(p.line, p.field) for p in problems] == [(5, "yaml")]
    assert problems[0].message.startswith(
        "the frontmatter's closing '---' line seems to be missing before this Markdown heading"
    )
