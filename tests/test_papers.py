"""The PDF papers: each board meeting's pack and each team's scorecard.

What a paper says is read back from the PDF (pypdfium2) and compared with the
site's own JSON export, formatted as the site formats numbers; its structure
is read with pikepdf and held to the PDF/UA checks that can run here
(tests/support/pdfs.py). Then: the same content makes the same bytes, a
change makes new bytes only in the papers that show it, a partner's paper says
nothing the partner edition does not, and papers read nothing from the network.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import re
import socket
import urllib.request
from collections.abc import Iterator
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pikepdf
import pytest
import yaml

from generator.core.dates import day_text
from generator.core.numbers import score_text, share_text
from generator.papers import pdf as papers_pdf
from generator.papers.make import paper_documents, pdf_files
from generator.pipeline import run
from generator.render.templates import TEMPLATES, template_folders
from tests.support.cli import run_cli, run_console
from tests.support.paths import ROOT
from tests.support.pdfs import PDFUA_PART, accessibility_problems, pdf_text
from tests.support.repos import RepoFactory, copy_repository
from tests.support.sites import BuiltSite, shared_site

AS_OF = dt.date(2017, 1, 1)
HF = "hammersmith-fulham"
MEETING = dt.date(2015, 7, 16)
MEETING_BEFORE = dt.date(2015, 2, 19)  # the H&F board's meeting before MEETING
PACK = f"papers/board/{HF}/{MEETING.isoformat()}.pdf"
SCORECARD_TEAM = "social-work"
SCORECARD = f"papers/teams/{HF}/{SCORECARD_TEAM}.pdf"
# The one meeting marked for partners (audience: partners): the partner edition's only pack.
SHARED_MEETING = dt.date(2012, 4, 19)

RUNNING = {
    "internal": "Internal edition, for the council's own staff · as of 1 January 2017",
    "partners": "Partner edition, shared with partner boroughs · as of 1 January 2017",
}
# How the site shows a change (generator/render/templates.py): a symbol, then words.
CHANGE_SYMBOL = {"improved": "▲", "declined": "▼", "unchanged": "=", "new": "•"}
A4 = (595.276, 841.890)  # 210 x 297 mm in points

FRAMEWORK = ROOT / "standards" / "framework.yml"


def _export(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "data" / "qa-export.json").read_text("utf-8"))
    return data


def _review(export: dict[str, Any], borough: str, team: str, day: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        r for r in export["reviews"] if (r["borough"], r["team"], r["date"]) == (borough, team, day)
    ]
    assert len(found) == 1, (borough, team, day)
    return found[0]


def _team(export: dict[str, Any], borough: str, team: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        t for t in export["teams"] if (t["borough"], t["id"]) == (borough, team)
    )
    return found


def _flat(pages: list[str], edition: str = "internal") -> str:
    """A paper's text in one line, single-spaced, without its running header and
    page numbers (so that a table split over two pages reads as one)."""
    lines = []
    for number, page in enumerate(pages, start=1):
        for line in page.split("\n"):
            line = line.strip()
            if line in (RUNNING[edition], f"Page {number} of {len(pages)}"):
                continue
            lines.append(line)
    return " ".join(" ".join(lines).split())


def _between(text: str, start: str, end: str | None = None) -> str:
    assert text.count(start) == 1, f"{start!r} found {text.count(start)} times"
    begin = text.index(start)
    if end is None:
        return text[begin:]
    assert end in text[begin:], f"{end!r} not after {start!r}"
    return text[begin : text.index(end, begin)]


def _share(graded: int, adequate: int) -> str:
    """A standard's case audits as the site writes them (``site.tally_text``)."""
    if graded == 0:
        return "no grades"
    return f"{share_text(Fraction(100 * adequate, graded))} ({adequate} of {graded})"


def _percent(points: int, max_points: int) -> str:
    return score_text(Fraction(100 * points, max_points))


def _signed(delta: Fraction) -> str:
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    return sign + share_text(abs(delta)).removesuffix("%")


def _over(review: dict[str, Any], ids: list[str]) -> Fraction:
    """A review's exact percentage over the standards ``ids``."""
    top = review["overall"]["max_points"] // len(review["standards"])
    points = sum(review["standards"][i]["value"] for i in ids)
    return Fraction(100 * points, top * len(ids))


def _headline(export: dict[str, Any], review: dict[str, Any]) -> list[str]:
    """What a review's headline must say, piece by piece, worked out from the export:
    its figures, what limited it and its change since the team's review before."""
    overall = review["overall"]
    lowest = export["framework"]["scale"][-1]
    said = [
        f"Overall rating {overall['rating']} "
        f"Percentage {_percent(overall['points'], overall['max_points'])} "
        f"({overall['points']} of {overall['max_points']} points) "
        f"Band {overall['band']} band, {overall['band_position']} half "
        f"Reviewed {day_text(dt.date.fromisoformat(review['date']))} "
    ]
    assert f"{overall['percent']:.1f}%" in said[0]  # the export's own rounding agrees
    if overall["limited_by"]:
        ids = overall["limited_by"]
        said.append(
            f"The critical limiter lowered this rating The percentage earns {overall['band']}, "
            f"but critical {'standard' if len(ids) == 1 else 'standards'} {', '.join(ids)} "
            f"{'was' if len(ids) == 1 else 'were'} rated {lowest}, so the overall rating "
            f"is {overall['rating']}."
        )
    if overall["previous_review"] is None:
        said.append("Since the last review first review")
        return said
    previous = _review(export, review["borough"], review["team"], overall["previous_review"])
    compared = [i for i, s in review["standards"].items() if s["change"] != "new"]
    assert len(compared) == overall["compared_standards"]
    then, now = _over(previous, compared), _over(review, compared)
    said.append(
        f"Since the last review rating {CHANGE_SYMBOL[overall['change']]} {overall['change']}, "
        f"percentage {CHANGE_SYMBOL[overall['percent_change']]} {overall['percent_change']} "
        f"({_signed(now - then)} points)"
    )
    since = day_text(dt.date.fromisoformat(overall["previous_review"]))
    if overall["previous_framework_version"] != review["framework_version"]:
        said.append(
            f"Compared with the review of {since}, rated {overall['previous_rating']}, under "
            f"framework version {overall['previous_framework_version']}: the framework changed "
            "between the two reviews, so the change is worked out over the "
            f"{overall['compared_standards']} standards that kept their meaning "
            f"({score_text(then)} then, {score_text(now)} now)."
        )
    else:
        said.append(f"Compared with the review of {since}, rated {overall['previous_rating']}.")
    return said


def _standard_cells(review: dict[str, Any], standard: str) -> str:
    """A standard's row after its title: rating, change, case audits."""
    result = review["standards"][standard]
    overall = review["overall"]
    if overall["previous_review"] is None:
        change = "first review"
    elif result["change"] == "new" and (
        overall["previous_framework_version"] != review["framework_version"]
    ):
        change = "not compared"
    else:
        change = f"{CHANGE_SYMBOL[result['change']]} {result['change']}"
        if result["previous"] and result["change"] != "unchanged":
            change += f" (was {result['previous']})"
    audits = result["audits"]
    return f"{result['rating']} {change}" + (
        ""
        if change == "not compared"
        else f" {_share(audits['graded'], audits['adequate_or_above'])}"
    )


def _row_problems(
    table: str, review: dict[str, Any], standards: list[str], labels: list[str]
) -> list[str]:
    """Whether ``table`` (a standards table's text) has a row for each of ``standards``,
    in that order, whose first rating label is the standard's rating, followed by its
    change and case audits, and which is marked critical only if the standard is."""
    label = re.compile(r"\b(?:" + "|".join(map(re.escape, labels)) + r")\b")
    starts = []
    at = 0
    for standard in standards:
        found = re.compile(rf"(?<![\w-]){standard}(?![\w-])").search(table, at)
        if found is None:
            return [f"{standard}: no row (after {table[max(0, at - 80) : at]!r})"]
        starts.append(found.start())
        at = found.end()
    problems = []
    for standard, begin, end in zip(standards, starts, [*starts[1:], len(table)], strict=True):
        row = table[begin:end]
        cells = _standard_cells(review, standard)
        first = label.search(row)
        if first is None or not row.startswith(cells, first.start()):
            problems.append(f"{standard}: expected {cells!r}, the row reads {row[:240]!r}")
            continue
        critical = "(critical)" in row[: first.start()]
        if critical != review["standards"][standard]["critical"]:
            problems.append(f"{standard}: marked critical: {critical}, in {row[:160]!r}")
    return problems


def _domain_titles() -> dict[str, str]:
    framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    return {d["id"]: d["title"] for d in framework["domains"]}


def test_the_board_pack_gives_each_review_it_presents_as_the_export_does(
    built_sample: BuiltSite,
) -> None:
    export = _export(built_sample.site)
    text = _flat(pdf_text(built_sample.site / PACK))
    presented = [
        r
        for r in export["reviews"]
        if r["borough"] == HF
        and r["status"] == "presented"
        and MEETING_BEFORE < dt.date.fromisoformat(r["date"]) <= MEETING
    ]
    assert [(r["team"], r["date"]) for r in presented] == [("social-work", "2015-06-18")]
    assert text.startswith(f"H&F governance board, {day_text(MEETING)} Board pack")
    assert (
        f"Reviews presented {len(presented)} since the meeting of {day_text(MEETING_BEFORE)} "
        in text
    )
    labels = export["framework"]["scale"]
    headings = [
        f"{_team(export, HF, r['team'])['name']}, review of "
        f"{day_text(dt.date.fromisoformat(r['date']))} "
        for r in presented
    ]
    for review, heading, following in zip(
        presented, headings, [*headings[1:], "Cases considered "], strict=True
    ):
        section = _between(text, heading, following)
        expected = _headline(export, review)
        for piece in expected:
            assert piece in section, f"{heading}: {piece!r} not in {section[:1500]!r}"
        if not review["overall"]["limited_by"]:
            assert "critical limiter" not in section
        critical = [i for i, s in review["standards"].items() if s["critical"]]
        assert critical == ["S07", "S09", "S14", "S35", "S47"]
        table = _between(section, "Standard Rating Since the last review")
        assert _row_problems(table, review, critical, labels) == []
        # Only the critical standards: no other standard has a row.
        others = [i for i in review["standards"] if i not in critical]
        assert [i for i in others if re.search(rf"(?<![\w-]){i}(?![\w-])", table)] == []


def test_the_scorecard_gives_the_latest_review_as_the_export_does(
    built_sample: BuiltSite,
) -> None:
    export = _export(built_sample.site)
    team = _team(export, HF, SCORECARD_TEAM)
    review = _review(export, HF, SCORECARD_TEAM, team["latest_review"])
    text = _flat(pdf_text(built_sample.site / SCORECARD))
    assert text.startswith(f"{team['name']} Hammersmith & Fulham · service: Social work")
    latest = _between(text, "Latest review ", "Critical standards ")
    for piece in _headline(export, review):
        assert piece in latest, f"{piece!r} not in {latest!r}"
    assert (team["rating"], f"{team['percent']:.1f}%") == (
        review["overall"]["rating"],
        _percent(review["overall"]["points"], review["overall"]["max_points"]),
    )

    domains = _between(text, "Domain Percentage Band Standards ", "All standards ")
    titles = _domain_titles()
    assert list(review["domains"]) == list(titles)
    at = 0
    for domain, score in review["domains"].items():
        count = sum(1 for s in review["standards"].values() if s["domain"] == domain)
        row = (
            f"{titles[domain]} {_percent(score['points'], score['max_points'])} "
            f"{score['rating']} band, {score['band_position']} half {count} "
        )
        assert f"{score['percent']:.1f}%" in row
        assert row in domains[at:], f"{row!r} not in order in {domains!r}"
        at = domains.index(row, at) + len(row)

    labels = export["framework"]["scale"]
    critical = [i for i, s in review["standards"].items() if s["critical"]]
    table = _between(text, "Critical standards A critical standard rated", "Domains ")
    assert _row_problems(table, review, critical, labels) == []
    every = _between(text, "case audits and notes Standard Rating", "audited in depth")
    assert len(review["standards"]) == 50
    assert _row_problems(every, review, list(review["standards"]), labels) == []


def test_the_row_check_catches_a_wrong_rating_and_a_wrong_order(
    built_sample: BuiltSite,
) -> None:
    export = _export(built_sample.site)
    review = _review(export, HF, SCORECARD_TEAM, "2015-06-18")
    labels = export["framework"]["scale"]
    text = _flat(pdf_text(built_sample.site / SCORECARD))
    every = _between(text, "case audits and notes Standard Rating", "audited in depth")
    wrong = json.loads(json.dumps(review))
    wrong["standards"]["S11"]["rating"] = "Good"  # the paper says Adequate
    assert [p.split(":")[0] for p in _row_problems(every, wrong, ["S10", "S11"], labels)] == ["S11"]
    assert _row_problems(every, review, ["S11", "S10"], labels)[0].startswith("S10: no row")


def _papers(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted((site / "papers").rglob("*"))
        if p.is_file()
    }


def _expected_titles(site: Path, meetings: list[dt.date]) -> dict[str, str]:
    """Every paper a site of the sample publishes and its title: a pack for each of
    ``meetings`` (all H&F's), a scorecard for each team."""
    export = _export(site)
    short = {b["id"]: b["short"] for b in export["boroughs"]}
    titles = {
        f"papers/board/{HF}/{day.isoformat()}.pdf": (
            f"{short[HF]} governance board, {day_text(day)}: board pack"
        )
        for day in meetings
    }
    for team in export["teams"]:
        path = f"papers/teams/{team['borough']}/{team['id']}.pdf"
        titles[path] = f"Scorecard: {team['name']} ({short[team['borough']]})"
    return titles


def _meetings() -> list[dt.date]:
    folder = ROOT / "reviews" / HF / "governance"
    return sorted(dt.date.fromisoformat(p.stem) for p in folder.glob("*.md"))


def _edition(request: pytest.FixtureRequest, edition: str) -> Path:
    fixture = "built_sample" if edition == "internal" else "built_partners"
    built: BuiltSite = request.getfixturevalue(fixture)
    return built.site


@pytest.mark.parametrize("edition", ["internal", "partners"])
def test_every_paper_has_its_title_a4_pages_and_its_running_header(
    request: pytest.FixtureRequest, edition: str
) -> None:
    site = _edition(request, edition)
    meetings = _meetings() if edition == "internal" else [SHARED_MEETING]
    titles = _expected_titles(site, meetings)
    papers = _papers(site)
    assert sorted(papers) == sorted(titles)
    assert len(papers) == (21 if edition == "internal" else 14)
    for path, content in papers.items():
        with pikepdf.open(io.BytesIO(content)) as pdf:
            assert str(pdf.docinfo["/Title"]) == titles[path], path
            assert (
                pdf.open_metadata().get("{http://purl.org/dc/elements/1.1/}title") == titles[path]
            )
            for number, page in enumerate(pdf.pages, start=1):
                width, height = (float(v) for v in page.mediabox[2:])
                assert (round(width, 3), round(height, 3)) == A4, (path, number)
                assert [float(v) for v in page.mediabox[:2]] == [0.0, 0.0]
        texts = pdf_text(content)
        for number, text in enumerate(texts, start=1):
            lines = [line.strip() for line in text.split("\n")]
            assert RUNNING[edition] in lines, (path, number)
            assert f"Page {number} of {len(texts)}" in lines, (path, number)


@pytest.mark.parametrize("edition", ["internal", "partners"])
def test_every_paper_passes_the_pdf_ua_checks(request: pytest.FixtureRequest, edition: str) -> None:
    site = _edition(request, edition)
    problems = {
        path: found
        for path, content in _papers(site).items()
        if (found := accessibility_problems(content))
    }
    assert problems == {}


# The checks themselves, each shown to find what it looks for: a good paper is
# spoilt one way at a time, and exactly that is reported.


def _structure(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """The structure elements of ``pdf`` in document order."""

    def walk(node: Any) -> Iterator[pikepdf.Dictionary]:
        if isinstance(node, pikepdf.Array):
            for child in node:
                yield from walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            if "/K" in node:
                yield from walk(node["/K"])

    yield from walk(pdf.Root.StructTreeRoot.K)


def _first(pdf: pikepdf.Pdf, role: str) -> pikepdf.Dictionary:
    return next(e for e in _structure(pdf) if e["/S"] == role)


def _spoil(pdf: pikepdf.Pdf, how: str) -> None:
    """Take one thing PDF/UA asks for out of ``pdf``."""
    root = pdf.Root
    if how == "not marked":
        root.MarkInfo["/Marked"] = False
    elif how == "no language":
        del root["/Lang"]
    elif how == "another language":
        root["/Lang"] = pikepdf.String("en-US")
    elif how == "no title":
        del pdf.docinfo["/Title"]
    elif how == "file name shown":
        root.ViewerPreferences["/DisplayDocTitle"] = False
    elif how == "no pdfuaid":
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta[PDFUA_PART]
    elif how == "untagged":
        del root["/StructTreeRoot"]
    elif how == "first heading H2":
        _first(pdf, "/H1")["/S"] = pikepdf.Name("/H2")
    elif how == "a level skipped":
        _first(pdf, "/H2")["/S"] = pikepdf.Name("/H3")
    elif how == "a table without header cells":
        table = _first(pdf, "/Table")
        below = list(_structure(pdf))
        start = below.index(table)
        for element in below[start + 1 :]:
            if element["/S"] == "/Table":
                break
            if element["/S"] == "/TH":
                element["/S"] = pikepdf.Name("/TD")
    elif how == "a figure without text":
        del _first(pdf, "/Figure")["/Alt"]
    elif how == "a font not embedded":
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        del font.DescendantFonts[0].FontDescriptor["/FontFile2"]
    else:
        raise AssertionError(how)


SPOILT = {
    "not marked": "catalog: /MarkInfo does not have /Marked true",
    "no language": "catalog: /Lang is '', expected 'en-GB'",
    "another language": "catalog: /Lang is 'en-US', expected 'en-GB'",
    "no title": "document information: /Title is missing or empty",
    "file name shown": "catalog: /ViewerPreferences does not have /DisplayDocTitle true",
    "no pdfuaid": "XMP metadata: pdfuaid:part is None, expected '1'",
    "untagged": "catalog: no /StructTreeRoot, so the content is not tagged",
    "first heading H2": "structure: the first heading is H2, not H1",
    "a level skipped": "structure: heading 2 is H3 after an H1: a level is skipped",
    "a table without header cells": (
        "structure: table 1 has no /TH header cell (it holds: THead, TBody)"
    ),
    "a figure without text": "structure: figure 1 has no /Alt text",
    # The font's names are its subset's, made up by the writer.
    "a font not embedded": r"page 1: font /\w+ \(/\w+\+[\w-]+\) is not embedded",
}


@pytest.mark.parametrize("how", list(SPOILT))
def test_the_pdf_ua_checks_find_what_they_look_for(built_sample: BuiltSite, how: str) -> None:
    good = (built_sample.site / SCORECARD).read_bytes()
    assert accessibility_problems(good) == []
    with pikepdf.open(io.BytesIO(good)) as pdf:
        _spoil(pdf, how)
        spoilt = io.BytesIO()
        pdf.save(spoilt)
    problems = accessibility_problems(spoilt.getvalue())
    if how == "a font not embedded":
        assert len(problems) == 1 and re.fullmatch(SPOILT[how], problems[0]), problems
    else:
        assert problems == [SPOILT[how]]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _papers_run(repo: Path, out: Path, cache: Path, seed: str) -> None:
    result = run_console(
        "papers",
        "--root",
        str(repo),
        "--out",
        str(out),
        "--as-of",
        AS_OF.isoformat(),
        cwd=repo,
        env={"XDG_CACHE_HOME": str(cache), "PYTHONHASHSEED": seed},
    )
    assert result.returncode == 0, result.stderr
    assert f"qa-site papers: wrote 21 PDFs (internal edition) to {out}/" in result.stderr


def test_papers_are_the_same_bytes_and_a_change_remakes_only_the_papers_that_show_it(
    tmp_path: Path,
) -> None:
    one, two = copy_repository(tmp_path / "one"), copy_repository(tmp_path / "clone-two")
    # Each run with a cache of its own, empty: every PDF made afresh, in another
    # process, from a repository at another path.
    _papers_run(one, tmp_path / "papers-1", tmp_path / "cache-1", "1")
    _papers_run(two, tmp_path / "papers-2", tmp_path / "cache-2", "2")
    first, second = _tree(tmp_path / "papers-1"), _tree(tmp_path / "papers-2")
    assert len(first) == 22  # 21 PDFs and the folder's mark
    assert ".qa-site-papers" in first
    assert sorted(first) == sorted(second)
    assert sorted(p for p in first if first[p] != second[p]) == []
    assert list((tmp_path / "cache-1").glob("qa-site/papers/*/*.pdf"))

    # The Social Work Team's first review rated S01 Outstanding, not Good. It shows
    # in the team's scorecard (its history, and the latest review's change), in the
    # pack of the meeting it was presented to (13 October 2011), and in the pack of
    # 16 July 2015, which presents the team's next review and its change since this
    # one. S01 is not critical and no case audit changes, so no other pack differs.
    review = one / "reviews" / HF / "social-work" / "2011-10-13.md"
    text = review.read_text(encoding="utf-8")
    assert text.count("\n  S01: Good\n") == 1
    review.write_text(text.replace("\n  S01: Good\n", "\n  S01: Outstanding\n"), "utf-8")
    # With the first run's cache: the papers whose HTML is unchanged are taken from
    # it, the others made again.
    _papers_run(one, tmp_path / "papers-3", tmp_path / "cache-1", "3")
    third = _tree(tmp_path / "papers-3")
    assert sorted(third) == sorted(first)
    assert sorted(p for p in first if first[p] != third[p]) == [
        f"board/{HF}/2011-10-13.pdf",
        f"board/{HF}/2015-07-16.pdf",
        f"teams/{HF}/social-work.pdf",
    ]
    pack = _flat(pdf_text(third[f"board/{HF}/2011-10-13.pdf"]))
    assert "Social Work Team, review of 13 October 2011 Overall rating Good Percentage 70.0%" in (
        pack
    )


_WORD = re.compile(r"[^\W_]{3,}")


class _Text(HTMLParser):
    """The text of a page, as a reader sees it: no script or style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _site_words(site: Path) -> set[str]:
    words: set[str] = set()
    for page in site.rglob("*.html"):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        words |= _words("".join(parser.parts))
    return words


# The papers' own fixed wording, which no page of the site need say: the running
# header and footer (generator/papers/document.py, paper.css), and the literal text
# of the board pack's template (site_templates/papers/board-pack.md.j2).
FIXED_WORDING = [
    "Partner edition, shared with partner boroughs",
    "as of",
    "Page",
    "of",
    "governance board",
    "Board pack",
    "Meeting",
    "Borough",
    "Reviews presented",
    "since the meeting of",
    "up to this, the board's first meeting",
    "the last shared with partner boroughs",
    "up to this meeting (no earlier meeting of this board is shared with partner boroughs)",
    "of the meetings shared with partner boroughs",
    "Board actions open",
    "overdue",
    "Team actions overdue",
    "As of",
    "the meeting's date; this pack was made from the results as of",
    "Chairs and representatives",
    "Co-chair",
    "Representative of",
    "Reviews presented since the last meeting",
    "teams presented",
    "each one's overall rating, percentage and band, what limited it, its critical "
    "standards and its change since the team's review before.",
    "review of",
    "Critical standards",
    "No review of the borough's teams was presented",
    "Cases considered",
    "Cases considered at the meeting",
    "Case",
    "Team",
    "Standards",
    "What it raised",
    "Decision",
    "No case notes from this meeting are shared with partner boroughs.",
    "Board actions still open",
    "Actions of the board's earlier meetings",
    "shared with partner boroughs",
    "that were open on",
    "the overdue first.",
    "No action of an earlier meeting",
    "was open on",
    "Actions from the action plans of",
    "teams that were open and past their due date on",
    "the longest overdue first.",
    "No team action was overdue on",
    "Case audits on the critical standards",
    "The share of case-audit grades that were",
    "or above, per half-year, across every borough, for each critical standard, from the "
    "reviews presented up to",
    "Chart: case-audit grades adequate or above on each critical standard, per half-year. "
    "The table below gives the same figures.",
    "Case-audit grades",
    "or above, by half-year",
    "No case audits had graded a critical standard by",
]


def _fixed_words() -> set[str]:
    return _words(" ".join(FIXED_WORDING))


def test_the_fixed_wording_is_the_papers_own() -> None:
    papers = ROOT / "site_templates" / "papers"
    sources = " ".join(
        [
            (papers / "board-pack.md.j2").read_text(encoding="utf-8"),
            (papers / "paper.css").read_text(encoding="utf-8"),
            (ROOT / "generator" / "papers" / "document.py").read_text(encoding="utf-8"),
        ]
    )
    flat = " ".join(html.unescape(sources).split())
    missing = [phrase for phrase in FIXED_WORDING if phrase not in flat]
    assert missing == []


def test_a_partner_paper_says_no_word_the_partner_edition_does_not(
    built_sample: BuiltSite, built_partners: BuiltSite
) -> None:
    site_words = _site_words(built_partners.site)
    allowed = site_words | _fixed_words()
    unknown = {
        path: sorted(_words(" ".join(pdf_text(content))) - allowed)
        for path, content in _papers(built_partners.site).items()
    }
    assert {path: words for path, words in unknown.items() if words} == {}
    # The check can fail: the internal pack of a meeting not shared with partners
    # says words of its case notes that no partner page says.
    internal = _words(" ".join(pdf_text(built_sample.site / PACK))) - allowed
    assert {"acquaintance", "neighbour", "bank"} <= internal


def test_the_partner_pack_says_which_meetings_it_counts_from(
    built_sample: BuiltSite, built_partners: BuiltSite
) -> None:
    path = f"papers/board/{HF}/{SHARED_MEETING.isoformat()}.pdf"
    internal = _flat(pdf_text(built_sample.site / path))
    partner = _flat(pdf_text(built_partners.site / path), "partners")
    assert "Reviews presented 0 since the meeting of 19 January 2012 " in internal
    # The partner edition shows no earlier meeting of this board: its pack presents
    # every review up to the meeting, and says why, never that the board first met.
    assert (
        "Reviews presented 12 up to this meeting (no earlier meeting of this board is "
        "shared with partner boroughs) "
    ) in partner
    assert "the board's first meeting" not in partner
    assert "Board actions open 0, of the meetings shared with partner boroughs " in partner

    def presented(text: str) -> str:
        return _between(text, "Reviews presented since the last meeting", "Cases considered")

    assert "No review of the borough's teams was presented" in presented(internal)
    assert presented(partner).count(", review of ") == 12


SOCIAL_WORK_REVIEW = f"reviews/{HF}/social-work/2015-06-18.md"
UNSHARED_MEETING = f"reviews/{HF}/governance/2015-07-16.md"
PARTNER_MEETING = f"reviews/{HF}/governance/{SHARED_MEETING.isoformat()}.md"
# Words planted where only the council's own staff may read them.
MARKERS = {
    "findings": "zqfindingsmarker",
    "note": "zqnotemarker",
    "minutes": "zqminutesmarker",
    "case note": "zqcasenotemarker",
    "case note of a shared meeting": "zqsharedmeetingcasemarker",
}
INTERNAL_CASE = "HF-SW-2012-99"


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _plant(repo: Path) -> None:
    review = repo / SOCIAL_WORK_REVIEW
    text = review.read_text(encoding="utf-8")
    review.write_text(
        text.rstrip("\n") + f"\n\nThe {MARKERS['findings']} paragraph is for staff.\n", "utf-8"
    )
    _replace_once(
        review,
        "\n  S09: Good\n",
        f"\n  S09:\n    rating: Good\n    note: Risk plans are {MARKERS['note']} current.\n",
    )
    meeting = repo / UNSHARED_MEETING
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(
        text.rstrip("\n") + f"\n\nThe {MARKERS['minutes']} item was noted.\n", "utf-8"
    )
    _replace_once(
        meeting,
        "cases:\n",
        "cases:\n  - ref: HF-SW-2015-99\n    team: social-work\n    standards: [S07]\n"
        f"    summary: A {MARKERS['case note']} concern.\n    decision: Keep under review.\n",
    )
    # In a meeting shared with partners, a case note kept internal.
    _replace_once(
        repo / PARTNER_MEETING,
        "cases:\n",
        f"cases:\n  - ref: {INTERNAL_CASE}\n    team: social-work\n    standards: [S07]\n"
        f"    summary: A {MARKERS['case note of a shared meeting']} concern.\n"
        "    decision: Keep under review.\n    audience: internal\n",
    )


# The internal papers that show what was planted: made alone, as `qa-site papers`
# makes them, since the other eighteen would only cost time.
PLANTED_INTERNAL = [
    f"papers/board/{HF}/{SHARED_MEETING.isoformat()}.pdf",
    f"papers/board/{HF}/{MEETING.isoformat()}.pdf",
    f"papers/teams/{HF}/social-work.pdf",
]


def _planted_papers(site: Path) -> str:
    repo = copy_repository(site.parent / "repo")
    _plant(repo)
    # Every paper of the partner edition, by the command that gates them.
    env = {"XDG_CACHE_HOME": str(site.parent / "cache")}
    out = site / "partners"
    result = run_cli("papers", "--audience", "partners", "--out", str(out), cwd=repo, env=env)
    assert result.returncode == 0, result.stderr
    outcome = run(repo, AS_OF, "internal")
    assert outcome.programme is not None and outcome.results is not None
    documents = paper_documents(
        outcome.programme, outcome.results, template_folders(repo / TEMPLATES), "internal"
    )
    wanted = [doc for doc in documents if doc.path in PLANTED_INTERNAL]
    assert sorted(doc.path for doc in wanted) == sorted(PLANTED_INTERNAL)
    for paper in pdf_files(wanted):
        target = site / "internal" / paper.path.removeprefix("papers/")
        target.parent.mkdir(parents=True, exist_ok=True)
        assert isinstance(paper.content, bytes)
        target.write_bytes(paper.content)
    return result.stderr


@pytest.fixture(scope="module")
def planted(shared_sites: Path) -> BuiltSite:
    """Papers of a copy of the sample with internal-only words planted (MARKERS), made
    once for the run: every paper of the partner edition, and the internal papers
    that show what was planted."""
    return shared_site(shared_sites, "papers-planted", _planted_papers)


def test_no_partner_paper_holds_a_word_planted_for_staff_only(planted: BuiltSite) -> None:
    partners = _tree(planted.site / "partners")
    assert len([p for p in partners if p.endswith(".pdf")]) == 14
    said = {
        path: _flat(pdf_text(content), "partners").lower()
        for path, content in partners.items()
        if path.endswith(".pdf")
    }
    for kind, marker in MARKERS.items():
        assert [path for path, text in said.items() if marker in text] == [], kind
    assert [path for path, text in said.items() if INTERNAL_CASE.lower() in text] == []
    # The partner pack of the shared meeting still gives its shared case notes.
    assert "HF-SW-2012-01" in _flat(
        pdf_text(partners[f"board/{HF}/{SHARED_MEETING.isoformat()}.pdf"]), "partners"
    )


def test_the_internal_papers_show_the_planted_case_notes_and_note(planted: BuiltSite) -> None:
    internal = _tree(planted.site / "internal")

    def text(path: str) -> str:
        return _flat(pdf_text(internal[path]))

    shared_pack = text(f"board/{HF}/{SHARED_MEETING.isoformat()}.pdf")
    assert (
        f"{INTERNAL_CASE} Social Work Team S07 Adult protection investigations are "
        "proportionate, timely and centred on the person "
        f"A {MARKERS['case note of a shared meeting']} concern. Keep under review."
    ) in shared_pack
    pack = text(f"board/{HF}/{MEETING.isoformat()}.pdf")
    assert f"A {MARKERS['case note']} concern." in pack
    assert f"Risk plans are {MARKERS['note']} current." in pack
    assert f"Risk plans are {MARKERS['note']} current." in text(f"teams/{HF}/social-work.pdf")
    # Findings and minutes are in neither the team's scorecard nor the meeting's pack:
    # a paper gives figures, case notes and actions, not narrative.
    everything = " ".join(_flat(pdf_text(content)) for content in internal.values())
    assert MARKERS["findings"] not in everything
    assert MARKERS["minutes"] not in everything


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str]] = []  # (href, text)
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs).get("href") or "", []))

    def handle_data(self, data: str) -> None:
        for _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.anchors.append((href, " ".join("".join(text).split())))


def _anchors(page: Path) -> list[tuple[str, str]]:
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.anchors


def _target(site: Path, page: Path, href: str) -> str:
    """The site's file a link leads to, as a path under ``site``."""
    shown = "/" + page.relative_to(site).as_posix()
    parts = urlsplit(urljoin("https://site.example" + shown, href))
    assert parts.netloc == "site.example", href
    return parts.path.removeprefix("/")


@pytest.mark.parametrize("edition", ["internal", "partners"])
def test_each_scorecard_and_meeting_page_links_its_pdf(
    request: pytest.FixtureRequest, edition: str
) -> None:
    site = _edition(request, edition)
    meetings = _meetings() if edition == "internal" else [SHARED_MEETING]
    pages = {
        f"board/{HF}/{day.isoformat()}/index.html": f"papers/board/{HF}/{day.isoformat()}.pdf"
        for day in meetings
    }
    for team in _export(site)["teams"]:
        pages[f"teams/{team['borough']}/{team['id']}/index.html"] = (
            f"papers/teams/{team['borough']}/{team['id']}.pdf"
        )
    wrong = {}
    for page, paper in pages.items():
        links = [h for h, text in _anchors(site / page) if text == "Download as PDF"]
        assert len(links) == 1, page
        target = _target(site, site / page, links[0])
        if target != paper or not (site / target).is_file():
            wrong[page] = f"{links[0]} leads to {target}"
    assert wrong == {}


@pytest.mark.parametrize("edition", ["internal", "partners"])
def test_the_downloads_page_lists_every_paper_and_nothing_else_there(
    request: pytest.FixtureRequest, edition: str
) -> None:
    site = _edition(request, edition)
    page = site / "data" / "index.html"
    listed = [
        _target(site, page, href)
        for href, _ in _anchors(page)
        if _target(site, page, href).startswith("papers/")
    ]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(_papers(site))


def test_the_papers_fetcher_reads_only_files_of_its_folders(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    (folder / "fonts").mkdir(parents=True)
    font = folder / "fonts" / "face.ttf"
    font.write_bytes(b"not really a font")
    outside = tmp_path / "secret.txt"
    outside.write_text("outside\n", encoding="utf-8")
    (folder / "fonts" / "link.ttf").symlink_to(outside)
    (folder / "fonts" / "inner.ttf").symlink_to(font)
    fetcher = papers_pdf.local_only([folder])

    refused = [
        "https://example.org/x.png",
        "http://example.org/x.css",
        "ftp://example.org/x.ttf",
        "//example.org/x.png",
        outside.as_uri(),
        "file:///etc/passwd",
        f"file://{folder}/../secret.txt",
        f"file://{folder}/%2e%2e/secret.txt",
        (folder / "fonts" / "link.ttf").as_uri(),  # a link out of the folder
        (folder / "fonts" / "inner.ttf").as_uri(),  # a link, even to a file inside
    ]
    for url in refused:
        with pytest.raises(ValueError, match=r"not a file of the papers' folders|another host"):
            fetcher.fetch(url)

    response: Any = fetcher.fetch(font.as_uri())
    assert response.read() == b"not really a font"
    response.close()
    data: Any = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"


def test_a_file_address_naming_another_host_is_refused_without_a_lookup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = ROOT / "site_templates" / "papers"
    lookups: list[str] = []

    def lookup(host: str) -> str:
        lookups.append(host)
        raise OSError("no network here")

    monkeypatch.setattr(socket, "gethostbyname", lookup)
    fetcher = papers_pdf.local_only([folder])
    # The path is one of the folder's files, but the address names another host.
    with pytest.raises(ValueError, match="another host"):
        fetcher.fetch(f"file://example.org{folder.as_posix()}/fonts/LICENSE")
    assert lookups == []


def test_a_paper_that_names_another_host_is_made_without_the_network(
    make_repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    repo = make_repo()
    outcome = run(repo, AS_OF, "internal")
    assert outcome.programme is not None and outcome.results is not None
    templates = template_folders(repo / TEMPLATES)
    document = paper_documents(outcome.programme, outcome.results, templates)[0]
    remote = (
        '<img src="https://example.org/x.png" alt="A picture from another host">'
        '<link rel="stylesheet" href="http://example.org/x.css">'
        '<style>@import url("https://example.org/y.css");'
        'body { background: url("https://example.org/z.png"); }</style>'
    )
    page = document.html.replace("<body>\n", "<body>\n" + remote, 1)
    assert remote in page

    calls: list[str] = []

    def refuse(name: str) -> Any:
        def called(*args: object, **kwargs: object) -> Any:
            calls.append(f"{name}{args!r}")
            raise AssertionError(f"{name} called while making a paper")

        return called

    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("socket.gethostbyname"))
    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urllib.request.urlopen"))
    monkeypatch.setattr(papers_pdf, "_made", {})

    [made] = papers_pdf.make_pdfs([(page, document.base)])
    assert calls == []
    # Each address was asked for, and refused.
    refused = set(re.findall(r"papers read nothing from another host: (\S+)", caplog.text))
    assert sorted(refused) == [
        "http://example.org/x.css",
        "https://example.org/x.png",
        "https://example.org/y.css",
        "https://example.org/z.png",
    ]
    assert made.startswith(b"%PDF-")
    assert "Learning Disability Team" in _flat(pdf_text(made))


def test_papers_never_replace_a_folder_they_did_not_write(
    make_repo: RepoFactory, tmp_path: Path
) -> None:
    repo = make_repo()
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my own notes\n", encoding="utf-8")
    refused = run_cli("papers", "--out", str(out), cwd=repo, env=env)
    assert refused.returncode == 2
    assert refused.stderr.splitlines()[-1] == (
        f"Error: {out} is not empty and was not written by qa-site papers; not replacing it"
    )
    assert _tree(out) == {"notes.txt": b"my own notes\n"}
    assert not list(tmp_path.glob(".mine.staging.*"))

    # A folder it wrote is replaced whole: what else was put in it goes.
    ours = tmp_path / "papers"
    first = run_cli("papers", "--out", str(ours), cwd=repo, env=env)
    assert first.returncode == 0, first.stderr
    written = _tree(ours)
    assert sorted(written) == [
        ".qa-site-papers",
        f"board/{HF}/2011-01-20.pdf",
        f"teams/{HF}/learning-disability.pdf",
    ]
    (ours / "stray.pdf").write_bytes(b"%PDF-1.7 stray")
    again = run_cli("papers", "--out", str(ours), cwd=repo, env=env)
    assert again.returncode == 0, again.stderr
    assert _tree(ours) == written


SHARED_NOTE_REVIEW = "reviews/kensington-chelsea/hospital/2012-01-26.md"
PHONE = "020 7946 0018"


def test_partner_papers_with_personal_data_are_not_written(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    path = repo / SHARED_NOTE_REVIEW
    text = path.read_text(encoding="utf-8")
    old = "note: Concerns raised on the wards are triaged the same day."
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(
        text.replace(
            old, f"note: Concerns raised on the wards ({PHONE}) are triaged the same day."
        ),
        encoding="utf-8",
    )
    out = tmp_path / "papers-partners"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = run_cli("papers", "--audience", "partners", "--out", str(out), cwd=repo, env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{SHARED_NOTE_REVIEW}:{line}: ratings.S01.note: a phone number in text partner "
        "boroughs would read; service users appear only by case reference and staff by role "
        "(if it is not personal data, say why at the end of the line: '# pii-ok: reason')",
        "qa-site papers: 1 error; nothing was written",
    ]
    assert PHONE not in result.stderr + result.stdout
    assert not out.exists()
    assert not list(tmp_path.glob(".papers-partners.staging.*"))
    assert not (tmp_path / "cache").exists()  # refused before any paper was made


def test_partner_papers_whose_rendered_text_holds_personal_data_are_not_written(
    tmp_path: Path,
) -> None:
    repo = copy_repository(tmp_path / "repo")
    # A council's own pack template that prints a number: no content file holds it,
    # so only the papers as rendered show it.
    template = repo / "site_templates" / "papers" / "board-pack.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8")
        + f"\n<p>Duty line: {PHONE[:3]}{{{{ '' }}}} {PHONE[4:]}.</p>\n",
        encoding="utf-8",
    )
    out = tmp_path / "papers-partners"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = run_cli("papers", "--audience", "partners", "--out", str(out), cwd=repo, env=env)
    assert result.returncode == 1
    # The partner edition's one pack, read as the page it would be.
    assert result.stderr.splitlines() == [
        f"{out}/board/{HF}/{SHARED_MEETING.isoformat()}.html:1: file: a phone number in the "
        "partner edition as built, made when the content was rendered (no content file "
        "writes it as one piece); find what this page shows from the content and take it out",
        "qa-site papers: 1 error; nothing was written",
    ]
    assert not out.exists()
    assert not (tmp_path / "cache").exists()


# The papers kept between runs


_SMALL = (
    '<!DOCTYPE html><html lang="en-GB"><head><title>{title}</title></head>'
    "<body><h1>{title}</h1><p>Kept between runs.</p></body></html>"
)


def _kept_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("??/*.pdf"))


def test_a_kept_paper_is_used_again_and_a_damaged_one_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, cache = tmp_path / "base", tmp_path / "cache"
    base.mkdir()
    monkeypatch.setattr(papers_pdf, "_made", {})
    (first,) = papers_pdf.make_pdfs([(_SMALL.format(title="One"), base)], cache)
    (kept,) = _kept_files(cache)
    assert kept.read_bytes() == first
    # Made again only when neither this process nor the folder has it.
    monkeypatch.setattr(papers_pdf, "_made", {})
    made: list[str] = []
    real = papers_pdf._write

    def counting(document: str, folder: Path) -> bytes:
        made.append(document)
        return real(document, folder)

    monkeypatch.setattr(papers_pdf, "_write", counting)
    assert papers_pdf.make_pdfs([(_SMALL.format(title="One"), base)], cache) == [first]
    assert made == []
    # A file cut short (a full disk) is no PDF: it is made again, and kept whole.
    kept.write_bytes(first[: len(first) // 2])
    monkeypatch.setattr(papers_pdf, "_made", {})
    assert papers_pdf.make_pdfs([(_SMALL.format(title="One"), base)], cache) == [first]
    assert len(made) == 1
    assert kept.read_bytes() == first


def test_kept_papers_no_run_used_for_two_weeks_are_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, cache = tmp_path / "base", tmp_path / "cache"
    base.mkdir()
    monkeypatch.setattr(papers_pdf, "_made", {})
    monkeypatch.setattr(papers_pdf, "_pruned", set())
    documents = [(_SMALL.format(title=title), base) for title in ("Old", "Used", "Recent")]
    papers_pdf.make_pdfs(documents, cache)
    old, used, recent = (
        cache / k[:2] / f"{k}.pdf"
        for k in (papers_pdf._key(doc, folder) for doc, folder in documents)
    )
    now = dt.datetime.now().timestamp()
    for path, days in ((old, 15), (used, 15), (recent, 13)):
        stamp = now - days * 86_400
        os.utime(path, (stamp, stamp))
    # A run that uses "Used" keeps it another fortnight; "Old" goes, "Recent" stays.
    monkeypatch.setattr(papers_pdf, "_made", {})
    monkeypatch.setattr(papers_pdf, "_pruned", set())
    monkeypatch.setattr(papers_pdf, "_write", lambda *_: pytest.fail("made, not kept"))
    papers_pdf.make_pdfs([documents[1]], cache)
    assert _kept_files(cache) == sorted([used, recent])
    assert used.stat().st_mtime > now - 60
