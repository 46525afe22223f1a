"""A table a phone can read: every body cell labelled with its column's head, so
that stacked rows never hide the rating or the due date. What reviewers wrote,
inside cells, is never changed. In Chromium, the sample's pages with their tables
labelled fit a 390 px screen, rows stacked and each cell named, and stay tables on
a laptop; their text is 14 px at least on both."""

from __future__ import annotations

import shutil
import time
from typing import Any

import pytest

from generator.render.tables import label_cells

HEAD = (
    '<thead><tr><th scope="col">Team</th><th scope="col">Overall rating</th>'
    '<th scope="col">Next review due</th></tr></thead>'
)


def test_each_body_cell_is_labelled_with_its_column_head() -> None:
    page = (
        "<p>Before</p>\n<table>\n" + HEAD + "\n<tbody>\n<tr>\n"
        '<th scope="row"><a href="teams/a/">Assessment Team</a></th>\n'
        '<td><span class="qa-rating qa-rating--2">Adequate</span></td>\n'
        '<td>17 September 2016 <span class="qa-flag">Overdue</span></td>\n'
        "</tr>\n</tbody>\n</table>\n<p>After</p>"
    )
    assert label_cells(page) == (
        '<p>Before</p>\n<table class="qa-stack">\n' + HEAD + "\n<tbody>\n<tr>\n"
        '<th scope="row" data-label="Team"><a href="teams/a/">Assessment Team</a></th>\n'
        '<td data-label="Overall rating">'
        '<span class="qa-rating qa-rating--2">Adequate</span></td>\n'
        '<td data-label="Next review due">'
        '17 September 2016 <span class="qa-flag">Overdue</span></td>\n'
        "</tr>\n</tbody>\n</table>\n<p>After</p>"
    )


def test_hostile_cell_text_is_left_exactly_as_written() -> None:
    cells = [
        "&lt;td data-label=&quot;x&quot;&gt;&lt;/td&gt;",
        "&lt;/table&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        '<a href="reviews/a.md?x=%3Ctd%3E">&lt;th scope=&quot;col&quot;&gt;</a>',
        "&amp;amp; &#39; &quot; data-label= ' \"",
    ]
    body = "".join(f"<tr><td>{cells[i]}</td><td>{cells[i + 1]}</td></tr>" for i in (0, 2))
    head = '<thead><tr><th scope="col">A</th><th scope="col">B</th></tr></thead>'
    result = label_cells(f"<table>{head}<tbody>{body}</tbody></table>")
    expected = "".join(
        f'<tr><td data-label="A">{cells[i]}</td><td data-label="B">{cells[i + 1]}</td></tr>'
        for i in (0, 2)
    )
    assert result == f'<table class="qa-stack">{head}<tbody>{expected}</tbody></table>'


def test_head_text_is_read_then_escaped_for_the_attribute() -> None:
    head = (
        '<thead><tr><th scope="col">Team &amp; <em>service</em></th>'
        '<th scope="col"><span class="qa-visually-hidden">Change since</span>\n  the "last"</th>'
        "<th scope='col'>O&#39;Brien &lt;lead&gt;</th></tr></thead>"
    )
    result = label_cells(f"<table>{head}<tr><td>1</td><td>2</td><td>3</td></tr></table>")
    assert result == (
        f'<table class="qa-stack">{head}<tr><td data-label="Team &amp; service">1</td>'
        '<td data-label="Change since the &quot;last&quot;">2</td>'
        '<td data-label="O&#x27;Brien &lt;lead&gt;">3</td></tr></table>'
    )


def test_colspan_moves_the_columns_along_in_the_head_and_the_body() -> None:
    head = (
        '<thead><tr><th scope="col">Team</th><th scope="col" colspan="2">Rating</th>'
        '<th scope="col">Due</th></tr></thead>'
    )
    body = (
        '<tbody><tr><th scope="row">A</th><td>Good</td><td>(was Adequate)</td><td>1 May</td></tr>'
        '<tr><td colspan="3">Not reviewed</td><td>2 May</td></tr>'
        "<tr><td colspan=2>x</td><td>y</td><td>z</td></tr></tbody>"
    )
    assert label_cells(f"<table>{head}{body}</table>") == (
        f'<table class="qa-stack">{head}<tbody>'
        '<tr><th scope="row" data-label="Team">A</th><td data-label="Rating">Good</td>'
        '<td data-label="Rating">(was Adequate)</td><td data-label="Due">1 May</td></tr>'
        '<tr><td colspan="3" data-label="Team, Rating">Not reviewed</td>'
        '<td data-label="Due">2 May</td></tr>'
        '<tr><td colspan=2 data-label="Team, Rating">x</td><td data-label="Rating">y</td>'
        '<td data-label="Due">z</td></tr></tbody></table>'
    )


def test_cells_beyond_the_heads_and_under_an_empty_head_get_no_label() -> None:
    head = '<thead><tr><th scope="col"></th><th scope="col">B</th></tr></thead>'
    table = f"<table>{head}<tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>"
    assert label_cells(table) == (
        f'<table class="qa-stack">{head}<tbody><tr><td>1</td><td data-label="B">2</td>'
        "<td>3</td></tr></tbody></table>"
    )


@pytest.mark.parametrize(
    "table",
    [
        # a class of its own: the heatmaps scroll in their region
        f'<table class="qa-matrix">{HEAD}<tbody><tr><td>1</td></tr></tbody></table>',
        # no header row
        "<table><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
        # a head without scope="col", or a row scope, or a data cell in the head
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        '<table><thead><tr><th scope="colgroup">A</th></tr></thead><tr><td>1</td></tr></table>',
        '<table><thead><tr><th scope="col">A</th><td>B</td></tr></thead>'
        "<tr><td>1</td></tr></table>",
        # two header rows
        '<table><thead><tr><th scope="col">A</th></tr><tr><th scope="col">B</th></tr></thead>'
        "<tbody><tr><td>1</td></tr></tbody></table>",
    ],
    ids=["class", "no-thead", "no-scope", "colgroup", "td-in-head", "two-head-rows"],
)
def test_other_tables_are_left_alone(table: str) -> None:
    page = f"<h2>Results</h2>\n{table}\n<p>x</p>"
    assert label_cells(page) == page


def test_labelling_again_changes_nothing_and_text_without_tables_is_unchanged() -> None:
    table = f"<table>{HEAD}<tbody><tr><td>a</td><td>b</td><td>c</td></tr></tbody></table>"
    once = label_cells(table)
    assert label_cells(once) == once
    assert label_cells("<p>No table &lt;table&gt; here</p>") == "<p>No table &lt;table&gt; here</p>"
    # A cell labelled already keeps its label.
    mine = f'<table>{HEAD}<tr><td data-label="Mine">a</td><td>b</td></tr></table>'
    assert label_cells(mine) == (
        f'<table class="qa-stack">{HEAD}<tr><td data-label="Mine">a</td>'
        '<td data-label="Overall rating">b</td></tr></table>'
    )


def test_each_table_of_a_page_is_labelled_by_its_own_heads() -> None:
    first = '<thead><tr><th scope="col">A</th></tr></thead>'
    second = '<thead><tr><th scope="col">B</th></tr></thead>'
    page = (
        f'<table id="one">{first}<tr><td>1</td></tr></table><p>x</p>'
        f'<table class="qa-matrix">{first}<tr><td>2</td></tr></table>'
        f"<table>{second}<tr><td>3</td></tr></table>"
    )
    assert label_cells(page) == (
        f'<table class="qa-stack" id="one">{first}<tr><td data-label="A">1</td></tr></table>'
        f'<p>x</p><table class="qa-matrix">{first}<tr><td>2</td></tr></table>'
        f'<table class="qa-stack">{second}<tr><td data-label="B">3</td></tr></table>'
    )


def test_a_long_page_is_labelled_in_time_proportional_to_its_length() -> None:
    row = '<tr><th scope="row"><a href="x/">Team</a></th><td>Good</td><td>1 May 2016</td></tr>\n'

    def page(rows: int) -> str:
        return f"<table>{HEAD}<tbody>{row * rows}</tbody></table>\n" * 4

    small, large = page(2_000), page(20_000)
    labelled = label_cells(large)
    assert labelled.count('data-label="Next review due"') == 80_000

    def timed(text: str) -> float:
        start = time.perf_counter()
        label_cells(text)
        return time.perf_counter() - start

    # Ten times the rows takes about ten times as long (well under a hundred).
    assert min(timed(large) for _ in range(3)) < 30 * min(timed(small) for _ in range(3))


# --- in a browser: the sample's pages, their tables labelled, on a phone and a laptop --

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
# Pages whose tables a reader needs whole: the home page, every team, a scorecard
# (its action plan's due dates), the board's meetings.
STACKED_PAGES = [
    "index.html",
    "teams/index.html",
    "teams/hammersmith-fulham/learning-disability/index.html",
    "board/index.html",
]

_TABLES_JS = """() => [...document.querySelectorAll('.md-content table.qa-stack')].map((table) => {
  const cells = [...table.querySelectorAll('tbody [data-label]')];
  const head = table.querySelector('thead').getBoundingClientRect();
  return {
    display: getComputedStyle(table).display,
    head: [head.width, head.height],
    labels: cells.map((c) => c.getAttribute('data-label')),
    rowHeads: cells.map((c) => c.matches('th[scope="row"]')),
    drawn: cells.map((c) => getComputedStyle(c, '::before').content),
    right: Math.max(...cells.map((c) => c.getBoundingClientRect().right)),
    smallest: Math.min(...[...table.querySelectorAll('td, th, td *, th *')]
      .filter((e) => e.textContent.trim() && e.getBoundingClientRect().width > 1)
      .map((e) => parseFloat(getComputedStyle(e).fontSize))),
  };
})"""


@pytest.fixture(scope="module")
def labelled_site(built_sample: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The built sample with the tables of STACKED_PAGES labelled, served."""
    from tests.support.serving import serve

    site = tmp_path_factory.mktemp("labelled") / "site"
    shutil.copytree(built_sample.site, site)
    for page in STACKED_PAGES:
        path = site / page
        path.write_text(label_cells(path.read_text(encoding="utf-8")), encoding="utf-8")
    with serve(site) as served:
        yield served


@pytest.mark.parametrize("page", STACKED_PAGES)
def test_on_a_phone_rows_stack_with_every_cell_named_and_nothing_off_screen(
    chromium: Any, labelled_site: Any, page: str
) -> None:
    from tests.support.chromium import goto, new_visit, settle

    context, visit = new_visit(chromium, labelled_site, PHONE)
    try:
        goto(visit, "" if page == "index.html" else page.removesuffix("index.html"))
        settle(visit.page)
        width = visit.page.evaluate("() => document.documentElement.scrollWidth")
        tables = visit.page.evaluate(_TABLES_JS)
    finally:
        context.close()
    assert width == PHONE["width"], f"{page}: {width} px wide on a 390 px screen"
    assert tables, f"{page}: no table was marked to stack"
    for table in tables:
        assert table["display"] == "block"
        assert table["head"][0] <= 1 and table["head"][1] <= 1  # kept for screen readers
        assert table["right"] <= PHONE["width"]
        assert table["smallest"] >= 14
        # Each cell but the row's own head (the block's title) shows its column's
        # head before it, not read out a second time.
        expected = [
            "none" if row_head else f'"{label}" / ""'
            for label, row_head in zip(table["labels"], table["rowHeads"], strict=True)
        ]
        assert table["drawn"] == expected


@pytest.mark.parametrize("page", STACKED_PAGES[:3])
def test_on_a_laptop_the_same_tables_are_tables_with_14_px_text_at_least(
    chromium: Any, labelled_site: Any, page: str
) -> None:
    from tests.support.chromium import goto, new_visit, settle

    context, visit = new_visit(chromium, labelled_site, LAPTOP)
    try:
        goto(visit, "" if page == "index.html" else page.removesuffix("index.html"))
        settle(visit.page)
        tables = visit.page.evaluate(_TABLES_JS)
    finally:
        context.close()
    assert tables
    for table in tables:
        assert table["display"] == "inline-block"
        assert table["head"][1] > 20  # the header row is shown
        assert set(table["drawn"]) == {"none"}
        assert table["smallest"] >= 14
