"""Framework versions: each review is checked, scored, scaffolded and shown by the
rulebook of its time, and only what kept its meaning is compared across a revision.

The sample's Social Work Team (Hammersmith & Fulham) was reviewed under version 1 in
October 2011 and under version 2, the Care Act revision, in June 2015.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from generator.check.repository import check
from generator.score.results import score_programme
from tests.support.cli import run_cli
from tests.support.golden import golden_files
from tests.support.paths import ROOT
from tests.support.repos import copy_repository
from tests.support.scored_repos import REAL_STANDARDS, new_repo, write_review
from tests.support.sites import BuiltSite

TEAM_PAGE = "teams/hammersmith-fulham/social-work/index.html"
AS_OF = dt.date(2017, 1, 1)
RETIRED = {"S03": "S51", "S06": "S52", "S25": "S53", "S40": "S54"}
VERSION_1 = [f"S{n:02d}" for n in range(1, 51)]
VERSION_2 = [s for s in VERSION_1 if s not in RETIRED] + sorted(RETIRED.values())


def _text(html: str) -> str:
    """The page's article as text, one space between words."""
    article = html[html.index("<article") : html.index("</article>")]
    without_tags = re.sub(r"<[^>]+>", " ", article)
    return " ".join(without_tags.replace("&#39;", "'").replace("&amp;", "&").split())


def _errors(repo: Path) -> list[str]:
    return [p.format_text() for p in check(repo, AS_OF).problems if p.is_error]


def _all(label: str, ids: list[str]) -> dict[str, str]:
    return dict.fromkeys(ids, label)


# --------------------------------------------------------------------------
# The rulebook


def test_the_sample_rulebook_has_fifty_standards_and_five_critical_in_each_version() -> None:
    validation = check(ROOT, AS_OF)
    programme = validation.programme
    assert programme is not None
    assert [(v.version, v.in_force) for v in programme.framework.versions] == [
        (1, dt.date(2009, 11, 1)),
        (2, dt.date(2015, 4, 1)),
    ]
    for version, ids in ((1, VERSION_1), (2, VERSION_2)):
        standards = programme.standards_in(version)
        assert [s.id for s in standards] == ids
        assert [s.id for s in standards if s.critical] == ["S07", "S09", "S14", "S35", "S47"]
    for old, new in RETIRED.items():
        assert programme.standards[old].replaced_by == [new]
        assert programme.standards[new].introduced == 2
    # Every standard of both versions words version 1 and 2 differently: the law changed.
    s07 = programme.standards["S07"]
    one, two = s07.wording(1), s07.wording(2)
    assert one is not None and two is not None
    assert one.title.startswith("Adult protection investigations")
    assert two.title == "Safeguarding enquiries are proportionate, timely and person-led"


def test_a_review_dated_before_its_version_came_into_force_is_refused(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    path = write_review(repo, "team", dt.date(2014, 6, 5), _all("Good", VERSION_2), version=2)
    assert _errors(repo) == [
        f"{path.relative_to(repo)}:3: framework_version: framework version 2 came into force "
        "on 2015-04-01, after this review's date (2014-06-05); a review of that date uses "
        "version 1"
    ]


def test_a_review_rated_on_a_retired_standard_is_told_what_replaced_it(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    ratings = _all("Good", [s for s in VERSION_2 if s != "S51"]) | {"S03": "Good"}
    path = write_review(repo, "team", dt.date(2015, 6, 5), ratings, version=2)
    errors = _errors(repo)
    relative = path.relative_to(repo)
    line = path.read_text(encoding="utf-8").splitlines().index("  S03: Good") + 1
    assert (
        f"{relative}:{line}: ratings.S03: standard 'S03' was retired in framework version 2, so "
        "version 2 does not have it; it was replaced by 'S51'"
    ) in errors
    assert any(e.startswith(f"{relative}:") and "S51 is not rated" in e for e in errors)


def test_a_version_1_review_after_the_revision_is_still_accepted(tmp_path: Path) -> None:
    # A review started under the old rulebook may be presented after the change.
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    write_review(repo, "team", dt.date(2015, 5, 1), _all("Good", VERSION_1), version=1)
    assert _errors(repo) == []


def test_versions_must_run_from_1_to_the_current_one_in_date_order(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    framework = repo / "standards" / "framework.yml"
    text = framework.read_text(encoding="utf-8")
    framework.write_text(text.replace("in_force: 2015-04-01", "in_force: 2009-10-01"), "utf-8")
    line = text.splitlines().index("    in_force: 2015-04-01") + 1
    assert _errors(repo) == [
        f"standards/framework.yml:{line}: versions[1].in_force: must be after the date "
        "version 1 came into force (2009-11-01)"
    ]


def test_a_revision_must_come_after_the_version_the_standard_was_introduced_in(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    (path,) = (repo / "standards").glob("S51-*.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("introduced: 2\n", "introduced: 2\nrevisions:\n  - version: 2\n", 1),
        "utf-8",
    )
    (error,) = _errors(repo)
    assert error.endswith(
        "revisions[0].version: must be after version 2: revisions start after the version "
        "the standard was introduced in, oldest first"
    )


# --------------------------------------------------------------------------
# Board meetings and new reviews


def _meeting(standards: list[str]) -> str:
    return (
        "---\nchairs:\n  - {role: Head of service}\ncases:\n"
        "  - ref: HF-SW-2015-31\n    team: social-work\n"
        f"    standards: [{', '.join(standards)}]\n"
        "    summary: A case.\n    decision: A decision.\n---\nMinutes.\n"
    )


@pytest.mark.parametrize(
    ("day", "standards", "expected"),
    [
        # A case from an earlier review may name a standard retired since.
        ("2015-05-14", ["S03", "S51"], []),
        (
            "2015-03-12",
            ["S03", "S51"],
            [
                "cases[0].standards[1]: standard 'S51' was introduced in framework version 2, "
                "in force from 2015-04-01; on this meeting's date version 1 was in force"
            ],
        ),
    ],
)
def test_a_board_names_standards_of_the_rulebook_by_its_date(
    tmp_path: Path, day: str, standards: list[str], expected: list[str]
) -> None:
    repo = copy_repository(tmp_path / "repo")
    path = repo / "reviews" / "hammersmith-fulham" / "governance" / f"{day}.md"
    path.write_text(_meeting(standards), encoding="utf-8")
    prefix = f"reviews/hammersmith-fulham/governance/{day}.md:7: "
    assert _errors(repo) == [prefix + e for e in expected]


@pytest.mark.parametrize(
    ("day", "version", "has", "has_not"),
    [("2014-05-01", 1, "S03", "S51"), ("2016-09-01", 2, "S51", "S03")],
)
def test_a_new_review_lists_the_standards_in_force_on_its_date(
    tmp_path: Path, day: str, version: int, has: str, has_not: str
) -> None:
    repo = copy_repository(tmp_path / "repo")
    result = run_cli(
        "new", "review", "hammersmith-fulham/social-work", "--date", day, "--root", str(repo)
    )
    assert result.returncode == 0, result.stderr
    text = (repo / "reviews/hammersmith-fulham/social-work" / f"{day}.md").read_text("utf-8")
    assert f"\nframework_version: {version}\n" in text
    rated = re.findall(r"^  (S\d\d):", text, re.MULTILINE)
    assert len(set(rated)) == len(rated) == 50
    assert has in rated and has_not not in rated
    s07 = "Adult protection investigations" if version == 1 else "Safeguarding enquiries"
    assert re.search(rf"^  S07: +# {s07}", text, re.MULTILINE)


# --------------------------------------------------------------------------
# Comparing across the revision


def test_a_standard_whose_meaning_changed_is_not_compared_across_the_change(
    tmp_path: Path,
) -> None:
    repo = new_repo(tmp_path / "repo", REAL_STANDARDS)
    (s10,) = (repo / "standards").glob("S10-*.md")
    text = s10.read_text(encoding="utf-8")
    assert text.count("meaning: kept") == 1
    s10.write_text(text.replace("meaning: kept", "meaning: changed"), encoding="utf-8")
    write_review(repo, "team", dt.date(2014, 5, 1), _all("Adequate", VERSION_1), version=1)
    write_review(repo, "team", dt.date(2015, 5, 1), _all("Good", VERSION_2), version=2)
    validation = check(repo, AS_OF)
    assert validation.programme is not None
    results = score_programme(validation.programme, AS_OF)
    (team,) = results.teams
    then, now = team.history
    assert now.change.versions_differ and now.change.previous_version == 1
    # 46 standards both versions have, less S10, whose meaning version 2 changed.
    assert now.change.compared == 45
    assert now.standard("S10").change is not None
    assert now.standard("S10").change.value == "new"
    assert now.standard("S09").change is not None
    assert now.standard("S09").change.value == "improved"
    assert now.standard("S51").change is not None
    assert now.standard("S51").change.value == "new"
    assert then.change.since is None


def _export() -> Mapping[str, Any]:
    result = run_cli("export", "--as-of", AS_OF.isoformat())
    assert result.returncode == 0, result.stderr
    document: Mapping[str, Any] = json.loads(result.stdout)
    return document


def test_the_export_carries_each_review_s_version_and_what_its_change_compares() -> None:
    document = _export()
    framework = document["framework"]
    assert framework["version"] == 2
    assert framework["versions"] == [
        {"version": 1, "in_force": "2009-11-01", "title": "The 2009 framework"},
        {"version": 2, "in_force": "2015-04-01", "title": "The Care Act revision"},
    ]
    catalogue = {s["id"]: s for s in framework["standards"]}
    assert catalogue["S03"] == {
        "id": "S03",
        "introduced": 1,
        "retired": 2,
        "replaced_by": ["S51"],
        "meaning_changed_in": [],
    }
    assert catalogue["S51"]["introduced"] == 2
    reviews = {
        r["date"]: r
        for r in document["reviews"]
        if (r["borough"], r["team"]) == ("hammersmith-fulham", "social-work")
    }
    assert sorted(reviews) == ["2011-10-13", "2015-06-18"]
    before, after = reviews["2011-10-13"], reviews["2015-06-18"]
    assert (before["framework_version"], after["framework_version"]) == (1, 2)
    assert sorted(before["standards"]) == VERSION_1
    assert sorted(after["standards"]) == VERSION_2
    overall = after["overall"]
    assert (overall["previous_review"], overall["previous_framework_version"]) == (
        "2011-10-13",
        1,
    )
    assert overall["compared_standards"] == 46
    assert (overall["percent"], overall["rating"], overall["change"]) == (70.5, "Good", "unchanged")
    assert overall["percent_change"] == "improved"
    assert after["standards"]["S51"]["change"] == "new"
    assert after["standards"]["S07"]["previous"] == before["standards"]["S07"]["rating"]
    assert before["overall"]["previous_framework_version"] is None


def test_the_scorecard_shows_both_versions_and_marks_the_change(built_sample: BuiltSite) -> None:
    text = _text((built_sample.site / TEAM_PAGE).read_text(encoding="utf-8"))
    assert (
        "Compared with the review of 13 October 2011 , rated Good, under framework version 1: "
        "the framework changed between the two reviews, so the change is worked out over the "
        "46 standards that kept their meaning (70.6% then, 71.1% now)."
    ) in text
    assert (
        "The framework changed during this history From the review of 18 June 2015, the team "
        "was reviewed under version 2 (The Care Act revision, from 1 April 2015)."
    ) in text
    history = text[text.index("Review Framework Overall rating") :]
    assert history.startswith(
        "Review Framework Overall rating Percentage Band Rating since the one before "
        "18 June 2015 version 2 (changed) Good 70.5% Good band, lower half = unchanged "
        "(over the 46 standards compared across versions: 70.6% then, 71.1% now) "
        "13 October 2011 version 1 Good 69.5% Good band, lower half first review"
    )
    # The standards new in version 2 are not compared with anything.
    assert "S51 The decision whether the section 42 duty" in text
    assert "not compared (new in version 2)" in text


def test_the_trend_chart_draws_each_version_as_its_own_line(built_sample: BuiltSite) -> None:
    html = (built_sample.site / TEAM_PAGE).read_text(encoding="utf-8")
    names = re.findall(r"&#34;name&#34;:&#34;(Framework version \d)&#34;", html)
    assert names == ["Framework version 1", "Framework version 2"]


def test_each_review_page_words_standards_as_its_own_version_does(
    built_sample: BuiltSite,
) -> None:
    folder = built_sample.site / "teams/hammersmith-fulham/social-work"
    old = _text((folder / "2011-10-13/index.html").read_text(encoding="utf-8"))
    new = _text((folder / "2015-06-18/index.html").read_text(encoding="utf-8"))
    assert "S07 Adult protection investigations" in old
    assert "Safeguarding enquiries are proportionate" not in old
    assert "S07 Safeguarding enquiries are proportionate, timely and person-led" in new
    assert "S03 " in old and "S03 " not in new


def test_a_standard_s_page_shows_every_wording_and_what_replaced_it(
    built_sample: BuiltSite,
) -> None:
    s07 = _text((built_sample.site / "standards/S07/index.html").read_text(encoding="utf-8"))
    assert s07.startswith("S07: Safeguarding enquiries are proportionate, timely and person-led")
    assert "Version 1: The 2009 framework, from 1 November 2009" in s07
    assert "S07: Adult protection investigations" in s07
    assert "Ratings under it compare with ratings under the wording above" in s07
    s03 = _text((built_sample.site / "standards/S03/index.html").read_text(encoding="utf-8"))
    assert (
        "Retired standard Reviews under version 2 (The Care Act revision, from 1 April 2015)" in s03
    )
    assert "Its place was taken by S51 The decision whether the section 42 duty" in s03
    s51 = _text((built_sample.site / "standards/S51/index.html").read_text(encoding="utf-8"))
    assert "It took the place of S03 Adult protection referrals" in s51


def test_standards_are_named_in_the_words_of_the_page_s_own_version() -> None:
    """A review, a scorecard and a meeting name each standard by the short name of the
    framework version the review names, or in force on the meeting's day: a 2011
    review's action on S07 is about adult protection investigations, a 2015 one's
    about safeguarding enquiries."""
    pages = golden_files()
    old_review = pages["teams/hammersmith-fulham/learning-disability/2011-09-22.md"]
    new_review = pages["teams/hammersmith-fulham/assessment/2015-09-17.md"]
    old_meeting = pages["board/hammersmith-fulham/2011-07-14.md"]
    named = re.compile(r">S07 ([A-Za-z ]+)</a>")
    assert set(named.findall(old_review)) == {"Adult protection investigations"}
    assert set(named.findall(new_review)) == {"Safeguarding enquiries"}
    assert set(named.findall(old_meeting)) == {"Adult protection investigations"}
