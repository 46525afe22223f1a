"""A standard's page, as a social worker looking one up meets it in the built sample:
what each rating looks like as body text, how many active teams have each rating
(closed teams apart), the words search finds it by; and the Standards page's
contents, which name the domains as written."""

from __future__ import annotations

import json
import re

import pytest

from generator.render.markup import markdown_text
from generator.render.pages.standards import singular_words
from tests.support.sites import BuiltSite

CLOSED_FOLDERS = ["hospital", "older-people", "physical-disabilities"]  # H&F, closed in 2011
CLOSED_IN_SAMPLE = [
    "Hospital Social Work Team",
    "Older People's Team",
    "Physical Disabilities Team",
]


def _text(html: str) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return " ".join(without_tags.replace("&#39;", "'").replace("&amp;", "&").split())


def _section(html: str, start_id: str, end_id: str) -> str:
    return html[html.index(f'id="{start_id}"') : html.index(f'id="{end_id}"')]


@pytest.fixture(scope="module")
def s07(built_sample: BuiltSite) -> str:
    return (built_sample.site / "standards" / "S07" / "index.html").read_text(encoding="utf-8")


def test_the_contents_name_a_domain_with_an_apostrophe_as_written(
    built_sample: BuiltSite,
) -> None:
    html = (built_sample.site / "standards" / "index.html").read_text(encoding="utf-8")
    assert "&amp;#39;" not in html
    assert re.search(r'href="#the-persons-experience-of-the-service"', html)
    contents = re.findall(
        r'class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', html
    )
    assert "The person's experience of the service" in contents


def test_quotes_in_a_markdown_line_are_left_as_they_are() -> None:
    assert markdown_text('The person\'s "own" <b>words</b>') == (
        'The person\'s "own" &lt;b&gt;words&lt;/b&gt;'
    )


def test_descriptors_are_body_text_not_a_table(s07: str) -> None:
    ratings = _section(s07, "what-each-rating-looks-like", "evidence-that-informs-it")
    assert "<table" not in ratings
    assert ratings.count('<dl class="qa-descriptors">') == 1
    terms = re.findall(r"<dt>(.*?)</dt>", ratings, re.S)
    assert [_text(t) for t in terms] == ["Outstanding", "Good", "Adequate", "Inadequate"]
    assert len(re.findall(r"<dd>", ratings)) == 4


def test_teams_are_counted_by_rating_active_teams_only(s07: str) -> None:
    teams = _text(_section(s07, "how-teams-do", "closed-teams"))
    assert "In their latest presented review, 10 active teams were rated on S07:" in teams
    counts = re.findall(r"(Outstanding|Good|Adequate|Inadequate) : (\d+) teams?", teams)
    assert counts == [("Outstanding", "0"), ("Good", "4"), ("Adequate", "5"), ("Inadequate", "1")]
    table = _section(s07, "how-teams-do", "closed-teams")
    rows = re.findall(r"<th scope=\"row\"", table)
    assert len(rows) == 10
    for team in CLOSED_FOLDERS:
        assert f"teams/hammersmith-fulham/{team}/" not in table
    assert "(closed)" not in table


def test_closed_teams_are_listed_apart_with_their_last_rating(s07: str) -> None:
    closed = _text(_section(s07, "closed-teams", "trend-in-case-audits"))
    assert "Teams that have closed are not counted above" in closed
    for name in CLOSED_IN_SAMPLE:
        assert f"{name} , H&F 30 June 2011" in closed


def test_the_single_all_teams_bar_is_gone(s07: str) -> None:
    assert "All teams" not in s07


def test_a_standard_s_page_is_found_by_its_short_name_singular_or_plural(
    built_sample: BuiltSite,
) -> None:
    index = json.loads((built_sample.site / "search" / "search_index.json").read_text())
    tags = {e["location"]: e.get("tags") for e in index["docs"] if "#" not in e["location"]}
    assert tags["standards/S07/"] == ["Safeguarding enquiries", "Safeguarding enquiry"]
    assert tags["standards/S47/"] == ["Supervision"]
    assert tags["standards/"] is None  # only a standard's own page


@pytest.mark.parametrize(
    ("short", "singular"),
    [
        ("Safeguarding enquiries", "Safeguarding enquiry"),
        ("Carers' assessments", "Carers' assessment"),
        ("FACS eligibility", "FACS eligibility"),
        ("Needs and risks", "Need and risk"),
        ("Process status", "Process status"),
        ("Supervision", "Supervision"),
    ],
)
def test_short_names_are_put_in_the_singular_word_by_word(short: str, singular: str) -> None:
    assert singular_words(short) == singular


def test_the_standards_page_names_each_standard_beside_its_code(built_sample: BuiltSite) -> None:
    html = (built_sample.site / "standards" / "index.html").read_text(encoding="utf-8")
    assert '<a href="S07/">S07 Safeguarding enquiries</a>' in html
