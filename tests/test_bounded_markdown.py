"""Narratives in linear time: links read with bounded patterns, and a block with
more markup than its length allows shown as written.

These assert what comes out for inputs made to be slow, never how long it
takes: benchmarks/run times the same inputs ("Crafted inputs").
"""

from __future__ import annotations

import pytest

from generator.render.bounded_markdown import LINK_TEXT_LIMIT, MARKUP_BUDGET, without_markers
from generator.render.markup import narrative_html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        (
            "[the guide](https://example.org/a)",
            '<p><a href="https://example.org/a">the guide</a></p>',
        ),
        (
            '[the guide](https://example.org/a "Title")',
            '<p><a href="https://example.org/a" title="Title">the guide</a></p>',
        ),
        (
            "[the [Care] guide](https://en.example.org/wiki/A_(b))",
            '<p><a href="https://en.example.org/wiki/A_(b)">the [Care] guide</a></p>',
        ),
        ("[a](<https://example.org/a b>)", '<p><a href="https://example.org/a b">a</a></p>'),
        (
            "[ref][r] and [r]\n\n[r]: https://example.org/r",
            '<p><a href="https://example.org/r">ref</a> and '
            '<a href="https://example.org/r">r</a></p>',
        ),
        ("![a picture](/a.png)", "<p><span>[image: a picture]</span></p>"),
        ("[not closed](https://example.org", "<p>[not closed](https://example.org</p>"),
        ("[a [b [c]]](https://example.org)", "<p>[a [b [c]]](https://example.org)</p>"),
    ],
)
def test_links_people_write_read_as_before(source: str, html: str) -> None:
    assert str(narrative_html(source)) == html


def test_a_link_text_past_the_limit_is_text() -> None:
    text = "a" * (LINK_TEXT_LIMIT + 1)
    assert str(narrative_html(f"[{text}](https://example.org)")).startswith(f"<p>[{text}]")
    assert "<a " in str(narrative_html(f"[{text[1:]}](https://example.org)"))


@pytest.mark.parametrize(
    "hostile",
    [
        "[" * 200_000,
        "![" * 100_000,
        "[a](" * 50_000,
        "[a][" * 50_000,
        "[a[b][c]" * 25_000,
        "\\[" * 100_000,
        "*_" * 100_000,
        "&#" * 100_000,
        ">" * 200_000,
    ],
)
def test_a_block_of_nothing_but_markup_is_shown_as_written(hostile: str) -> None:
    before = "Intro with *emphasis*."
    html = str(narrative_html(f"{before}\n\n{hostile}\n\nAfter.", top_level=3))
    assert html.startswith("<p>Intro with <em>emphasis</em>.</p>")
    assert html.endswith("<p>After.</p>")
    middle = html.split("\n")[1] if "\n" in html else html
    assert middle.startswith("<p>") and "<a" not in middle and "<em>" not in middle


def test_an_ordinary_long_narrative_is_formatted_whole() -> None:
    paragraph = "Visits were *recorded*, see [the policy](https://example.org/p). " * 40
    text = "\n\n".join([paragraph] * 30)
    assert len(text) * text.count("*") > MARKUP_BUDGET  # past the budget as a whole...
    html = str(narrative_html(text))
    assert html.count("<em>recorded</em>") == 40 * 30  # ...yet every block is formatted
    assert html.count('<a href="https://example.org/p">') == 40 * 30


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("Duty line 020 7946 0018. <!-- pii-ok: public number -->\n", "Duty line 020 7946 0018.\n"),
        ("a <!-- pii-ok: x --> b <!-- pii-ok: y -->", "a b"),
        ("unclosed <!-- pii-ok " * 3, "unclosed <!-- pii-ok " * 3),
        ("a <!-- pii-ok: x --> b <!-- pii-ok no end", "a b <!-- pii-ok no end"),
        ("word" + " " * 1000 + "<!-- pii-ok: x -->", "word"),
    ],
)
def test_markers_are_taken_out_in_one_pass(source: str, kept: str) -> None:
    assert without_markers(source) == kept


@pytest.mark.parametrize("marker", ["- ", "+ ", "* ", "1. ", "> ", "2) "])
def test_nesting_deeper_than_people_write_is_shown_as_written(marker: str) -> None:
    deep = marker * 600 + "x"
    html = str(narrative_html(f"Intro.\n\n{deep}\n\nAfter."))
    assert html.startswith("<p>Intro.</p>\n<p>")
    assert html.endswith("<p>After.</p>")
    assert "<li>" not in html and "<blockquote>" not in html


def test_nesting_by_indentation_past_the_limit_never_fails() -> None:
    deep = "".join("    " * level + "- x\n" for level in range(700))
    html = str(narrative_html(f"{deep}\nAfter."))
    assert html.endswith("<p>After.</p>")


def test_lists_people_write_are_nested_as_before() -> None:
    html = str(narrative_html("- a\n    - b\n        - c\n"))
    assert html == "<ul>\n<li>a<ul>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>"
