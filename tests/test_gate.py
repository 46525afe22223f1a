"""The partner edition's last gate: personal data found in what was built.

The guard scans the content before anything is built; the gate scans the
partner edition as built (pages as a reader sees them, the search index, the
downloads), so data that only appears once pages are rendered still stops the
build before the site is swapped in.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from generator.core.problems import Problem
from generator.privacy.detect import find_personal_data
from generator.privacy.gate import (
    Published,
    gate,
    published_texts,
    readers_text_of_html,
)
from generator.privacy.guard import Accepted, finding_key
from generator.privacy.names import DenyList
from tests.support.cli import run_cli
from tests.support.repos import copy_repository

NHS = "401 023 2137"  # a valid check digit, and not an example in docs/sharing.md


def _kinds(text: str, deny: DenyList | None = None) -> list[str]:
    return [finding.kind for finding in find_personal_data(text, deny)]


def test_inline_markup_is_joined_as_a_reader_sees_it() -> None:
    text = readers_text_of_html("<p>Ref 943<em>476</em><strong>5919</strong> seen.</p>")
    assert _kinds(text) == ["nhs-number"]


def test_blocks_and_cells_stay_apart() -> None:
    text = readers_text_of_html("<table><tr><td>0161</td><td>496</td><td>0000</td></tr></table>")
    assert _kinds(text) == []


def test_character_references_and_attributes_are_read() -> None:
    text = readers_text_of_html('<a href="/teams/" title="&#57;43 476 5919">a team</a>')
    assert _kinds(text) == ["nhs-number"]


def test_the_search_index_is_read_as_pages() -> None:
    page = {"location": "x/", "title": "T", "text": "<p>Ann <b>Smith</b></p>"}
    index = json.dumps({"docs": [page]})
    texts = list(published_texts([("search/search_index.json", index.encode())]))
    assert _kinds(texts[0].text, DenyList.of(["Ann Smith"])) == ["name"]


def _built(cells: str, index_text: str) -> list[tuple[str, bytes]]:
    """A built site in path order: its search index, then the page the index's one
    entry is for (a table of ``cells``), as Material writes them."""
    page = (
        "<html><body><nav>Home</nav><article class='md-content__inner md-typeset'>"
        f"<h1 id='x'>Standards</h1><table><tr><th>Standard</th><th>ABC</th></tr>{cells}</table>"
        "</article></body></html>"
    )
    entry = {"location": "teams/a/#x", "title": "Standards", "text": index_text}
    index = json.dumps({"config": {"lang": ["en"]}, "docs": [entry]})
    return [("search/search_index.json", index.encode()), ("teams/a/index.html", page.encode())]


def _gated(files: list[tuple[str, bytes]]) -> list[str]:
    problems = gate(published_texts(files), [], None, lambda key: None, "site-partners")
    return [p.format_text().split(" in the partner edition")[0] for p in problems]


def test_cells_apart_on_the_page_stay_apart_in_the_search_index() -> None:
    # Material joins a row's cells without a space: "S30", "G", "G" read as a postcode.
    files = _built("<tr><td>S30</td><td>G</td><td>G</td></tr>", "StandardABC S30GG")
    assert _kinds("StandardABC S30GG") == ["postcode"]
    index = next(t for t in published_texts(files) if t.path == "search/search_index.json")
    assert index.text.split("\n\n")[:5] == ["Standard", "ABC ", "S30", "G", "G"]
    assert _gated(files) == []


def test_a_value_in_one_cell_is_still_found_in_the_search_index() -> None:
    files = _built(
        "<tr><td>S01</td><td>Lives at S3 0GG</td></tr>", "StandardABC S01Lives at S3 0GG"
    )
    assert _gated(files) == [
        "site-partners/search/search_index.json:1: file: a UK postcode",
        "site-partners/teams/a/index.html:1: file: a UK postcode",
    ]


def test_search_text_its_page_does_not_show_is_read_as_the_index_joins_it() -> None:
    # The page has no such text (or there is no page): nothing tells the cells apart.
    files = _built("<tr><td>S30</td><td>G</td><td>G</td></tr>", "Standard S30GG and more")
    assert _gated(files) == ["site-partners/search/search_index.json:1: file: a UK postcode"]
    assert _gated(files[:1]) == ["site-partners/search/search_index.json:1: file: a UK postcode"]


def test_code_and_pictures_are_not_read() -> None:
    files = [("assets/app.js", NHS.encode()), ("logo.png", b"\x89PNG")]
    files.append(("data/x.csv", NHS.encode()))
    assert [item.path for item in published_texts(files)] == ["data/x.csv"]


def test_a_workbook_s_cells_and_sheet_names_are_read() -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Open actions"
    book.active["A1"] = "Action"
    book.active["A2"] = f"Call about {NHS}"
    written = io.BytesIO()
    book.save(written)
    files = [("data/qa-workbook.xlsx", written.getvalue())]
    (read,) = published_texts(files)
    assert "Open actions" in read.text and f"Call about {NHS}" in read.text
    assert _gated(files) == ["site-partners/data/qa-workbook.xlsx:1: file: an NHS number"]


def test_a_find_is_traced_to_its_source_when_the_content_writes_it() -> None:
    published = [Published("teams/a/index.html", f"Seen, ref {NHS}.")]
    traced = {finding_key(NHS): ("reviews/hf/a/2011-01-01.md", 14, "body")}
    problems = gate(published, [], None, traced.get, "site-partners")
    assert problems == [
        Problem(
            "reviews/hf/a/2011-01-01.md",
            14,
            "body",
            "an NHS number reaches the partner edition as built "
            "(site-partners/teams/a/index.html); take it out, or mark it internal",
        )
    ]


def test_a_find_made_by_rendering_names_the_page() -> None:
    published = [Published("teams/a/index.html", f"Seen, ref {NHS}.")]
    problems = gate(published, [], None, lambda key: None, "site-partners")
    assert [p.format_text() for p in problems] == [
        "site-partners/teams/a/index.html:1: file: an NHS number in the partner edition as "
        "built, made when the content was rendered (no content file writes it as one piece); "
        "find what this page shows from the content and take it out"
    ]


def test_what_a_marker_accepted_passes_however_it_is_written() -> None:
    accepted = [Accepted("reviews/x.md", 3, "body", "a phone number", "duty line", "02079460018")]
    published = [Published("a/index.html", "Call 020&#8203;7946 0018 or 020-7946-0018.")]
    assert gate(published, accepted, None, lambda key: None, "site") == []
    published = [Published("a/index.html", "Call 020 7946 0019.")]
    assert len(gate(published, accepted, None, lambda key: None, "site")) == 1


def test_a_partner_build_with_data_only_in_its_output_stops_before_the_swap(
    tmp_path: Path,
) -> None:
    repo = copy_repository(tmp_path / "repo")
    # A hand-written page is not content: the guard never reads it; only the gate does.
    (repo / "docs" / "contact.md").write_text(
        f"# Contact\n\nThe duty worker's own line is 020 7946 0999, NHS no. {NHS[:7]}\n"
        f"{NHS[8:]}... held on file.\n",
        encoding="utf-8",
    )
    first = run_cli("build", "--audience", "partners", cwd=repo)
    assert first.returncode == 1
    assert not (repo / "site-partners").exists()
    assert not list(repo.glob(".site-partners.staging.*"))
    lines = [line for line in first.stderr.splitlines() if line.startswith("site-partners/")]
    assert lines == [
        f"site-partners/{page}:1: file: {kind} in the partner edition as built, made when the "
        "content was rendered (no content file writes it as one piece); find what this page "
        "shows from the content and take it out"
        for page, kind in [
            ("contact/index.html", "a phone number"),
            ("contact/index.html", "an NHS number"),
            ("search/search_index.json", "a phone number"),
            ("search/search_index.json", "an NHS number"),
        ]
    ]
    assert "qa-site build: not built; site-partners/ was left as it was" in first.stderr
    assert NHS[8:] not in first.stderr.replace("site-partners", "")

    # The internal edition is read by the council's own staff: the gate is for partners.
    assert run_cli("build", cwd=repo).returncode == 0

    # Said to be an example, on its line, it passes.
    (repo / "docs" / "contact.md").write_text(
        "# Contact\n\nThe duty line is 020 7946 0999. <!-- pii-ok: the team's public number -->\n",
        encoding="utf-8",
    )
    second = run_cli("build", "--audience", "partners", cwd=repo)
    assert second.returncode == 0, second.stderr
    page = (repo / "site-partners" / "contact" / "index.html").read_text(encoding="utf-8")
    assert "020 7946 0999" in page


def test_render_of_the_partner_edition_is_gated_too(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    # A council's own template that prints a number on the home page: no content
    # file holds it, so only the pages as rendered show it.
    home = repo / "site_templates" / "home.md.j2"
    home.write_text(
        home.read_text(encoding="utf-8") + f"\nOut of hours: ring {NHS[:3]}{{{{ '' }}}} "
        f"{NHS[4:]} (NHS).\n",
        encoding="utf-8",
    )
    out = tmp_path / "pages"
    refused = run_cli("render", "--audience", "partners", "--out", str(out), cwd=repo)
    assert refused.returncode == 1
    assert f"{out}/index.md:1: file: an NHS number in the partner edition as built" in (
        refused.stderr
    )
    assert not out.exists()
    # The internal edition is not gated.
    assert run_cli("render", "--out", str(out), cwd=repo).returncode == 0


def test_links_in_the_sites_own_folders_are_never_followed(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    outside = tmp_path / "outside.txt"
    outside.write_text("Jo Price, 401 023 2137\n", encoding="utf-8")
    (repo / "docs" / "names.txt").symlink_to(outside)
    (repo / "site_templates" / "assets" / "fonts.css").symlink_to(outside)
    for edition in ("internal", "partners"):
        result = run_cli("build", "--audience", edition, cwd=repo)
        assert result.returncode == 1
        assert "docs/names.txt: is a symbolic link" in result.stderr
        assert "site_templates/assets/fonts.css: is a symbolic link" in result.stderr
        assert "Jo Price" not in result.stderr
    assert not (repo / "site").exists() and not (repo / "site-partners").exists()
    refused = run_cli("render", "--out", str(tmp_path / "pages"), cwd=repo)
    assert refused.returncode == 1
    assert "site_templates/assets/fonts.css:1: file: is a symbolic link" in refused.stderr


def test_the_sites_own_scripts_and_styles_are_read_by_the_gate(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "docs" / "print.css").write_text(f"/* {NHS} */ body {{ color: black; }}\n")
    result = run_cli("build", "--audience", "partners", cwd=repo)
    assert result.returncode == 1
    assert "site-partners/print.css:1: file: an NHS number in the partner edition" in (
        result.stderr
    )
