"""The intranet site: a real `mkdocs build` of the sample content, its links,
what it must never show, the golden pages, and the plugin's edges."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.render.markup import is_safe_url, markdown_text, narrative_html
from generator.render.urls import page_url
from tests.support import golden
from tests.support.cli import run_cli
from tests.support.links import check_links
from tests.support.paths import ROOT
from tests.support.repos import copy_repository
from tests.support.serving import free_port
from tests.support.sites import BuiltSite, mkdocs, mkdocs_env


@pytest.fixture
def built(built_sample: BuiltSite) -> tuple[Path, str]:
    """The sample site built with `mkdocs build --strict` (once for the run), and MkDocs' log."""
    return built_sample.site, built_sample.log


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --------------------------------------------------------------------------
# The build


def test_the_sample_site_builds_strict_without_warnings(built: tuple[Path, str]) -> None:
    site, log = built
    assert "WARNING" not in log
    assert "qa-site: as of 2017-01-01" in log
    for page in [
        "index.html",
        "teams/index.html",
        "teams/hammersmith-fulham/learning-disability/index.html",
        "teams/hammersmith-fulham/learning-disability/2011-09-22/index.html",
        "standards/index.html",
        "standards/S07/index.html",
        "board/index.html",
        "board/case-notes/index.html",
        "board/hammersmith-fulham/2011-07-14/index.html",
        "comparison/index.html",
        "comparison/standards/index.html",
        "comparison/services/index.html",
        "actions/index.html",
        "schedule/index.html",
        "data/index.html",
        "programme/index.html",
        "writing-reviews/index.html",
    ]:
        assert (site / page).is_file(), page
    assert (site / "data/qa-export.json").is_file()
    assert (site / "data/qa-export.csv").is_file()
    assert (site / "assets/qa-site/plotly.min.js").stat().st_size > 1_000_000


def test_every_internal_link_in_the_built_site_resolves(built: tuple[Path, str]) -> None:
    site, _ = built
    # Pages are read as if served at site_url, so canonical links count as the site's own.
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    links = check_links(site, base)
    assert links.broken == []
    assert links.external == []
    assert links.checked > 5000


def test_drafts_and_unpresented_reviews_appear_nowhere(built: tuple[Path, str]) -> None:
    site, _ = built
    draft = ROOT / "reviews/westminster/learning-disability/2012-07-12.md"
    completed = ROOT / "reviews/westminster/access-assessment/2012-06-21.md"
    assert "status: draft" in draft.read_text(encoding="utf-8")
    assert "status: completed" in completed.read_text(encoding="utf-8")
    assert not (site / "teams/westminster/learning-disability/2012-07-12").exists()
    assert not (site / "teams/westminster/access-assessment/2012-06-21").exists()
    # No sentence of either findings narrative, and neither date, is published.
    sentences = [
        s.strip()
        for path in (draft, completed)
        for s in re.split(r"(?<=[.!?])\s", path.read_text(encoding="utf-8").split("---", 2)[2])
        if len(s.strip()) > 40
    ]
    assert sentences
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"):
        if path.name == "plotly.min.js":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for sentence in sentences:
            assert sentence not in text, f"{path.relative_to(site)} shows {sentence!r}"
        for mention in (
            "learning-disability/2012-07-12",
            "access-assessment/2012-06-21",
            "review of 12 July 2012",
            "review of 21 June 2012",
        ):
            assert mention not in text, f"{path.relative_to(site)} mentions {mention}"
    search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in search["docs"] if "2012-07-12" in d["location"]]
    exported = json.loads((site / "data/qa-export.json").read_text(encoding="utf-8"))
    assert {r["status"] for r in exported["reviews"]} == {"presented"}
    assert not {("2012-07-12", "2012-06-21")} & {r["date"] for r in exported["reviews"]}
    assert len(exported["reviews"]) == 23
    assert all(not t["pending"] for t in exported["teams"])


def test_search_finds_teams_standards_and_case_notes(built: tuple[Path, str]) -> None:
    site, _ = built
    search = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["title"] + " " + d["text"] for d in search["docs"])
    assert "Learning Disability Team" in text
    assert "Safeguarding enquiries are proportionate, timely and person-led" in text
    assert "HF-LD-2011-10" in text


def test_staff_names_are_not_published(built: tuple[Path, str]) -> None:
    """Reviewers appear by role: their names stay in the content files."""
    site, _ = built
    review = (ROOT / "reviews/westminster/mental-health/2011-11-24.md").read_text(encoding="utf-8")
    names = re.findall(r"\{name: ([^,]+), role", review)
    assert "Anne Whitlock" in names
    page = site / "teams/westminster/mental-health/2011-11-24/index.html"
    text = page.read_text(encoding="utf-8")
    assert "Reviewers, by role:</strong> lead, safeguarding specialist, independent." in text
    for path in html_pages(site):
        for name in names:
            assert name not in path.read_text(encoding="utf-8"), path


def test_the_scorecard_shows_the_limiter_and_the_numbers(built: tuple[Path, str]) -> None:
    site, _ = built
    page = (site / "teams/westminster/mental-health/2011-11-24/index.html").read_text(
        encoding="utf-8"
    )
    text = re.sub(r"<[^>]+>", "", page)
    assert "53.0% (106 of 200 points)" in text
    assert "Adequate band, lower half" in text
    assert "The critical limiter lowered this rating" in text
    assert (
        "The percentage earns Adequate, but critical standards S09 Risk assessment, "
        "S47 Supervision were rated "
        "Inadequate, so the overall rating is Inadequate." in text
    )


def test_the_home_page_has_the_critical_series(built: tuple[Path, str]) -> None:
    site, _ = built
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "Shown as of <strong>1 January 2017</strong>" in page
    assert 'data-qa-figure="' in page
    rows = re.findall(
        r"<tr><th scope=\"row\" data-label=\"Half-year\">(\w{3}\u2013\w{3} \d{4})</th>(.*?)</tr>",
        page,
    )
    assert [period for period, _ in rows][:2] == ["Jul\u2013Dec 2009", "Jan\u2013Jun 2010"]


def test_plotly_loads_only_from_the_chart_script(built: tuple[Path, str]) -> None:
    site, _ = built
    for path in html_pages(site):
        assert not re.search(r"<script[^>]*plotly", path.read_text(encoding="utf-8")), path
    script = (site / "assets/qa-site/charts.js").read_text(encoding="utf-8")
    assert "showSendToCloud: false" in script
    assert 'plotlyServerURL: ""' in script


# --------------------------------------------------------------------------
# Golden pages and portable generation


def test_the_generated_pages_match_the_golden_copy() -> None:
    expected = {
        p.relative_to(golden.GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(golden.GOLDEN.rglob("*"))
        if p.is_file()
    }
    actual = golden.golden_files()
    assert sorted(actual) == sorted(expected), "run `python -m tests.golden` to regenerate"
    for path, text in actual.items():
        assert text == expected[path], f"{path} differs: run `python -m tests.golden` if intended"


def test_render_writes_the_pages_the_plugin_builds(
    tmp_path: Path, built: tuple[Path, str]
) -> None:
    site, _ = built
    out = tmp_path / "rendered"
    result = run_cli("render", "--links", "directory", "--out", str(out))
    assert result.returncode == 0, result.stderr
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert len(pages) == 112
    for page in pages:
        assert (site / page_url(page) / "index.html").is_file(), page
    assert (out / "assets/qa-site/plotly.min.js").is_file()
    # A plain MkDocs build without the plugin gives the same pages, byte for byte,
    # but for the edition's banner and meta tag, which come with the plugin.
    plain = copy_repository(tmp_path / "plain")
    shutil.copytree(out, plain / "docs", dirs_exist_ok=True)
    config = (plain / "mkdocs.yml").read_text(encoding="utf-8")
    # Without the plugin, mkdocs.yml names the pages' stylesheet and script itself.
    assets = "extra_css: [assets/qa-site/site.css]\nextra_javascript: [assets/qa-site/charts.js]\n"
    plain_config = re.sub(r"  - qa-site:\n(?:      .*\n)*", "", config) + assets
    (plain / "mkdocs.yml").write_text(plain_config, encoding="utf-8")
    result = mkdocs("build", "--strict", "-d", str(tmp_path / "plain-site"), cwd=plain)
    assert result.returncode == 0, result.stderr
    for page in ["index.html", "teams/hammersmith-fulham/learning-disability/index.html"]:
        built_page = (site / page).read_text(encoding="utf-8")
        # ...and for the print style that puts the edition on every sheet, and the
        # link to the page's PDF, which only a build with the plugin makes.
        without_edition = re.sub(
            r'\s*<meta name="qa-site-edition" content="internal">|'
            r'\s*<aside class="md-banner">.*?</aside>|'
            r'\s*<style media="print">.*?</style>|'
            r'\s*<p class="qa-paper-link">.*?</p>',
            "",
            built_page,
            flags=re.S,
        )
        assert without_edition != built_page
        plain_page = (tmp_path / "plain-site" / page).read_text(encoding="utf-8")
        assert re.sub(r"\s+", " ", plain_page) == re.sub(r"\s+", " ", without_edition)


def test_render_never_replaces_a_folder_it_did_not_write(tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("render", "--out", str(own))
    assert result.returncode == 2
    assert "was not written by qa-site render; not replacing it" in result.stderr
    assert [p.name for p in own.iterdir()] == ["notes.txt"]
    again = tmp_path / "again"
    assert run_cli("render", "--out", str(again)).returncode == 0
    (again / "stale.md").write_text("old", encoding="utf-8")
    assert run_cli("render", "--out", str(again)).returncode == 0
    assert not (again / "stale.md").exists()


# --------------------------------------------------------------------------
# Bad content and broken templates


def test_content_errors_stop_the_build_and_keep_the_last_site(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    review = repo / "reviews/kensington-chelsea/hospital/2012-01-26.md"
    review.write_text(
        review.read_text(encoding="utf-8").replace("status: presented", "status: presnted", 1),
        encoding="utf-8",
    )
    site = repo / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site", encoding="utf-8")
    result = mkdocs("build", cwd=repo)
    assert result.returncode == 1
    assert (
        "reviews/kensington-chelsea/hospital/2012-01-26.md:2: status: expected one of draft, "
        "completed, presented; got 'presnted'; did you mean 'presented'?" in result.stderr
    )
    assert "qa-site: 1 error in the content; nothing was built." in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "the last good site"
    via_cli = run_cli("build", "--root", str(repo))
    assert via_cli.returncode == 1
    assert "Traceback" not in via_cli.stderr


def test_a_broken_template_is_named_without_a_traceback(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "site_templates/schedule.md.j2").write_text("{{ no_such_thing }}\n", encoding="utf-8")
    result = mkdocs("build", cwd=repo)
    assert result.returncode == 1
    expected = "schedule.md.j2, rendering schedule.md: UndefinedError: 'no_such_thing' is undefined"
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_docs_page_in_the_way_of_a_generated_one_is_refused(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "docs/schedule.md").write_text("# Mine\n", encoding="utf-8")
    result = mkdocs("build", cwd=repo)
    assert result.returncode == 1
    assert "docs/schedule.md has the path of a generated page; rename or move it" in result.stderr


def test_the_as_of_option_and_command_line_date(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        config.replace("      as_of: 2017-01-01\n", "      as_of: 2017-03-31\n"),
        encoding="utf-8",
    )
    assert mkdocs("build", cwd=repo).returncode == 0
    assert "Shown as of <strong>31 March 2017</strong>" in (repo / "site/index.html").read_text(
        encoding="utf-8"
    )
    site = str(tmp_path / "s")
    result = run_cli("build", "--root", str(ROOT), "--as-of", "2017-02-01", "-d", site)
    assert result.returncode == 0, result.stderr
    assert "Shown as of <strong>1 February 2017</strong>" in (
        tmp_path / "s/index.html"
    ).read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# mkdocs serve


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    repo = copy_repository(tmp_path / "repo")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=repo,
        env=mkdocs_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield repo, f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}")


def test_serve_rebuilds_when_a_review_a_standard_or_a_template_changes(
    served: tuple[Path, str],
) -> None:
    repo, base = served
    scorecard = base + "teams/hammersmith-fulham/learning-disability/"
    _wait_for(scorecard, "Learning Disability Team")
    team = repo / "reviews/hammersmith-fulham/learning-disability/team.yml"
    team.write_text(
        team.read_text(encoding="utf-8").replace(
            "name: Learning Disability Team", "name: Learning Disability Service"
        ),
        encoding="utf-8",
    )
    _wait_for(scorecard, "Learning Disability Service")
    standard = next((repo / "standards").glob("S07-*.md"))
    standard.write_text(
        standard.read_text(encoding="utf-8").replace(
            "title: Safeguarding enquiries are", "title: Safeguarding enquiries, always,"
        ),
        encoding="utf-8",
    )
    _wait_for(base + "standards/S07/", "Safeguarding enquiries, always,")
    template = repo / "site_templates/schedule.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace("# Review schedule", "# When reviews are due"),
        encoding="utf-8",
    )
    _wait_for(base + "schedule/", "When reviews are due")
    assert not list((repo / "docs").rglob("teams")), "nothing is written into docs/"


# --------------------------------------------------------------------------
# Text from content files is shown as text


@pytest.mark.parametrize(
    ("narrative", "expected"),
    [
        ("Hello **team**", "<p>Hello <strong>team</strong></p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ('<img src=x onerror="alert(1)">', "<p>&lt;img src=x onerror=\"alert(1)\"&gt;</p>"),
        ("[go](javascript:alert(1))", "<p><span>go</span></p>"),
        ("[go](JaVaScRiPt:alert(1))", "<p><span>go</span></p>"),
        ("[go](data:text/html,x)", "<p><span>go</span></p>"),
        ("[go](https://example.org/a)", '<p><a href="https://example.org/a">go</a></p>'),
        ("[go](../S07/)", '<p><a href="../S07/">go</a></p>'),
        ("![a chart](https://tracker.example/x.png)", "<p><span>[image: a chart]</span></p>"),
        ("## Findings\n\n### Strengths", "<h3>Findings</h3>\n<h4>Strengths</h4>"),
        ("`<b>`", "<p><code>&lt;b&gt;</code></p>"),
    ],
)
def test_narratives_keep_markdown_but_not_html(narrative: str, expected: str) -> None:
    assert narrative_html(narrative) == expected


def test_plain_text_in_a_markdown_line_is_shown_as_written() -> None:
    assert markdown_text("H&F <b>*team*</b> [x](y) # 1") == (
        r"H&amp;F &lt;b&gt;\*team\*&lt;/b&gt; \[x\]\(y\) \# 1"
    )


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://a.org", True),
        ("mailto:qa@council.example", True),
        ("../x/", True),
        ("#top", True),
        ("javascript:x", False),
        (" java\tscript:x", False),
        ("vbscript:x", False),
        ("data:text/html,x", False),
    ],
)
def test_only_web_mail_and_site_links_are_safe(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_the_comparison_is_worded_from_the_number_of_boroughs() -> None:
    from generator.render.pages.comparison import comparison_title, in_words

    words = [in_words(n) for n in (1, 2, 3, 9, 10, 12)]
    assert words == ["one", "two", "three", "nine", "10", "12"]
    assert [comparison_title(n) for n in (1, 2, 3, 4)] == [
        "Borough comparison",
        "Borough comparison",
        "Tri-borough comparison",
        "Borough comparison",
    ]
