"""The two editions of the site: what partner boroughs may read, and nothing more.

Both editions of the sample content are built with ``qa-site build``. Every
text not marked for partners (findings, notes, action wording, amendment
reasons, minutes, case notes, team descriptions, reviewer names, case
references) is looked for in every file of the partner edition: pages, the
search index and the downloads. The same probes must be found in the internal
edition, so a probe that could never match fails the test instead.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.check.repository import check
from generator.model.programme import Programme
from generator.model.review import Amendment
from generator.model.types import shared
from generator.score.published import published_programme
from generator.score.results import score_programme
from generator.share.edition import NOT_SHARED, for_partners
from tests.support.cli import run_cli
from tests.support.paths import ROOT
from tests.support.repos import copy_repository
from tests.support.sites import BuiltSite

AS_OF = dt.date(2017, 1, 1)


@pytest.fixture
def editions(published: BuiltSite, built_partners: BuiltSite) -> dict[str, Path]:
    """Both editions of the sample site built by `qa-site build` (once for the run)."""
    return {"internal": published.site, "partners": built_partners.site}


@pytest.fixture(scope="module")
def programme() -> Programme:
    validation = check(ROOT, AS_OF)
    assert validation.programme is not None
    return published_programme(validation.programme)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", html.unescape(text).lower()))


def _site_text(site: Path) -> str:
    """Every word a reader, a search or a download can reach, in one string."""
    parts = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".csv", ".xml"):
            parts.append(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
        elif path.suffix == ".json":
            parts.append(json.dumps(json.loads(path.read_text(encoding="utf-8"))))
    return _words(" ".join(parts).replace("\\n", " "))


def _sentences(text: str) -> Iterator[str]:
    """Sentences of six words or more, as probes; short ones are too common."""
    for sentence in re.split(r"(?<=[.;:!?])\s+|\n+", text):
        words = _words(re.sub(r"[*_`#>\[\]()]", " ", sentence))
        if len(words.split()) >= 6:
            yield words


def _texts(programme: Programme, partners: bool) -> dict[str, list[str]]:
    """Texts by kind: those marked for partners, or those that are not."""
    found: dict[str, list[str]] = {}

    def add(kind: str, text: str | None, audience_shared: bool) -> None:
        if text and audience_shared == partners:
            found.setdefault(kind, []).append(text)

    for team in programme.teams:
        add("team description", team.team.description, shared(team.team.audience))
        for record in team.reviews:
            review = record.review
            if review.status != "presented":
                continue
            whole = shared(review.audience)
            add("findings", record.findings, whole)
            for entry in review.ratings.values():
                add("note", entry.note, shared(entry.audience, review.audience))
            for action in review.actions:
                add("action", action.action, whole)
            for amendment in review.amendments:
                add("amendment reason", amendment.reason, whole)
            for case in review.cases:
                add("case reference", case.ref, whole)
            if not partners:
                for reviewer in review.reviewers:
                    add("reviewer name", reviewer.name, False)
    for meeting in programme.meetings:
        whole = shared(meeting.meeting.audience)
        add("minutes", meeting.minutes, whole)
        for case in meeting.meeting.cases:
            case_shared = shared(case.audience, meeting.meeting.audience)
            add("case note", case.summary, case_shared)
            add("case note", case.decision, case_shared)
            add("case reference", case.ref, case_shared)
        for item in meeting.meeting.development:
            add("minutes", item.note, whole)
        for action in meeting.meeting.actions:
            add("action", action.action, whole)
    return found


def _probes(texts: dict[str, list[str]], shared_text: str) -> dict[str, set[str]]:
    """Distinctive pieces of each kind of text: whole sentences, names and references.

    A sentence that also occurs in shared text (a standard's wording quoted in
    a note, say) proves nothing either way and is left out.
    """
    probes: dict[str, set[str]] = {}
    for kind, items in texts.items():
        for text in items:
            if kind in ("reviewer name", "case reference"):
                candidates = {_words(text)}
            else:
                candidates = set(_sentences(text))
            probes.setdefault(kind, set()).update(c for c in candidates if c not in shared_text)
    return probes


def test_the_partner_edition_holds_nothing_not_marked_for_partners(
    editions: dict[str, Path], programme: Programme
) -> None:
    partner_site = _site_text(editions["partners"])
    internal_site = _site_text(editions["internal"])
    # Marked text, and the manual's examples (which use a sample case reference).
    manual = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
    marked = [t for ts in _texts(programme, True).values() for t in ts]
    probes = _probes(_texts(programme, False), _words(" ".join(marked + manual)))

    assert set(probes) == {
        "team description",
        "findings",
        "note",
        "action",
        "case reference",
        "reviewer name",
        "minutes",
        "case note",
    }
    for kind, pieces in probes.items():
        assert pieces, kind
        # The probes work: each is on the internal edition (names are on neither:
        # pages give reviewers by role)...
        missing = sorted(p for p in pieces if p not in internal_site)
        if kind == "reviewer name":
            assert missing == sorted(pieces)
        else:
            assert not missing, f"{kind} probes not found even internally: {missing[:3]}"
        # ...and none is on the partner edition.
        leaked = sorted(p for p in pieces if p in partner_site)
        assert not leaked, f"{kind} leaked into the partner edition: {leaked[:3]}"


def test_what_is_marked_for_partners_is_on_the_partner_edition(
    editions: dict[str, Path], programme: Programme
) -> None:
    partner_site = _site_text(editions["partners"])
    marked = _texts(programme, True)
    # The sample marks one review, one note, one team description and one meeting.
    assert sorted(marked) == [
        "action",
        "case note",
        "case reference",
        "findings",
        "minutes",
        "note",
        "team description",
    ]
    for kind, texts in marked.items():
        for text in texts:
            for probe in [_words(text)] if kind == "case reference" else _sentences(text):
                assert probe in partner_site, (kind, probe)


def test_only_minutes_marked_for_partners_are_on_the_partner_edition(
    editions: dict[str, Path],
) -> None:
    def meetings(edition: str) -> list[str]:
        pages = (editions[edition] / "board").glob("*/*/index.html")
        return sorted(p.parent.name for p in pages)

    assert meetings("partners") == ["2012-04-19"]
    assert len(meetings("internal")) == 8
    page = (editions["partners"] / "board/hammersmith-fulham/2012-04-19/index.html").read_text(
        encoding="utf-8"
    )
    assert all(ref in page for ref in ("HF-SW-2012-01", "HF-AST-2012-02", "HF-MH-2012-01"))


MEETING = "reviews/hammersmith-fulham/governance/2012-04-19.md"


def test_a_case_note_kept_internal_stays_out_of_shared_minutes(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    meeting = repo / MEETING
    text = meeting.read_text(encoding="utf-8")
    decision = "a letter with reasons and an apology to be sent.\n"
    text = text.replace(decision, decision + "    audience: internal\n", 1)
    meeting.write_text(text, encoding="utf-8")
    # The minutes still tell the case by its reference: that would share it.
    paragraph = next(line for line in text.splitlines() if line.startswith("**HF-AST-2012-02.**"))
    line = text.splitlines().index(paragraph) + 1
    refused = run_cli("build", "--audience", "partners", cwd=repo)
    assert refused.returncode == 1
    assert (
        f"{MEETING}:{line}: body: names case HF-AST-2012-02, whose note is kept internal "
        "(cases[1] has audience: internal), in text partner boroughs would read"
    ) in refused.stderr

    meeting.write_text(text.replace(paragraph + "\n\n", ""), encoding="utf-8")
    built = run_cli("build", "--audience", "partners", cwd=repo)
    assert built.returncode == 0, built.stderr
    partner_site = repo / "site-partners"
    page = (partner_site / "board/hammersmith-fulham/2012-04-19/index.html").read_text(
        encoding="utf-8"
    )
    assert "HF-SW-2012-01" in page and "HF-MH-2012-01" in page
    assert "hf ast 2012 02" not in _site_text(partner_site)
    assert run_cli("build", cwd=repo).returncode == 0
    assert "HF-AST-2012-02" in (
        repo / "site/board/hammersmith-fulham/2012-04-19/index.html"
    ).read_text(encoding="utf-8")


def test_every_page_says_which_edition_it_is(editions: dict[str, Path]) -> None:
    banners = {
        "internal": "<strong>Internal edition</strong>, for the council's own staff",
        "partners": "<strong>Partner edition</strong>, shared with partner boroughs",
    }
    for edition, site in editions.items():
        pages = sorted(site.rglob("*.html"))
        assert len(pages) > 100
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert f'<meta name="qa-site-edition" content="{edition}">' in text, page
            assert banners[edition] in html.unescape(text), page
    home = (editions["partners"] / "index.html").read_text(encoding="utf-8")
    assert "<title>Programme dashboard - Adult Social Work Quality Assurance (partner edition)" in (
        home
    )


def test_the_editions_publish_the_same_results(editions: dict[str, Path]) -> None:
    for name in ("qa-export.json", "qa-export.csv"):
        internal = (editions["internal"] / "data" / name).read_bytes()
        assert (editions["partners"] / "data" / name).read_bytes() == internal


def test_a_review_not_marked_shows_its_ratings_but_not_its_words(
    editions: dict[str, Path],
) -> None:
    page = editions["partners"] / "teams/kensington-chelsea/hospital/2012-01-26/index.html"
    text = html.unescape(page.read_text(encoding="utf-8"))
    assert "The findings are not shared with partner boroughs" in text
    assert NOT_SHARED in text  # in place of each action's wording
    assert "Concerns raised on the wards are triaged the same day." in text  # marked note
    assert "Case 1</th>" in text  # case references are numbered instead


def test_scores_do_not_change_for_partners() -> None:
    validation = check(ROOT, AS_OF)
    assert validation.programme is not None
    internal = score_programme(validation.programme, AS_OF)
    partners = score_programme(for_partners(validation.programme), AS_OF)
    assert [(r.overall, r.standards, r.audits, r.actions) for r in partners.reviews] == [
        (r.overall, r.standards, r.audits, r.actions) for r in internal.reviews
    ]


def test_build_refuses_partners_without_the_plugin(tmp_path: Path) -> None:
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "framework.yml").write_text(
        (ROOT / "standards" / "framework.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Plain\n", encoding="utf-8")
    result = run_cli("build", "--audience", "partners", "--root", str(tmp_path))
    assert result.returncode == 2
    assert "the qa-site plugin is not enabled" in result.stderr


def test_amendment_reasons_are_taken_out_unless_the_review_is_shared() -> None:
    validation = check(ROOT, AS_OF)
    assert validation.programme is not None
    programme = validation.programme
    for record in programme.reviews:
        amendment = Amendment(date=record.date, reason="Rating of S07 corrected.", by="Head")
        review = record.review.model_copy(update={"amendments": [amendment]})
        object.__setattr__(record, "review", review)
    redacted = {r.source.path: r.review for r in for_partners(programme).reviews}
    reasons = {path: [a.reason for a in review.amendments] for path, review in redacted.items()}
    shared_path = "reviews/hammersmith-fulham/learning-disability/2011-09-22.md"
    assert reasons.pop(shared_path) == ["Rating of S07 corrected."]
    assert set(map(tuple, reasons.values())) == {(NOT_SHARED,)}
    assert {a.by for r in redacted.values() for a in r.amendments} == {"Head"}
