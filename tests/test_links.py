"""Links between pages: written to their targets' source files, and turned into
URLs by each engine (Zensical itself, MkDocs through the plugin) or by
``qa-site render --links directory|file`` for an engine that turns none."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
import yaml

from generator.render.links import plain_links, resolve_source_links
from generator.render.page import GeneratedFile
from generator.render.urls import page_url, relative_link, review_path, scorecard_path
from tests.support.cli import run_cli
from tests.support.links import check_links
from tests.support.paths import ROOT
from tests.support.programs import program
from tests.support.repos import RepoFactory, copy_repository
from tests.support.sites import BuiltSite, build_site, mkdocs, mkdocs_env, shared_site

# --------------------------------------------------------------------------
# Paths and links between them


@pytest.mark.parametrize(
    ("origin", "target", "link"),
    [
        (
            "board/case-notes.md",
            "board/hammersmith-fulham/2011-10-13.md",
            "hammersmith-fulham/2011-10-13.md",
        ),
        ("teams/index.md", "teams/b/t/index.md", "b/t/index.md"),
        ("teams/b/t/index.md", "standards/S07.md", "../../../standards/S07.md"),
        ("teams/b/t/2011-09-22.md", "teams/b/t/index.md", "index.md"),
        ("index.md", "scoring.md", "scoring.md"),
        ("data/index.md", "data/qa-export.json", "qa-export.json"),
        ("schedule.md", "schedule.md", "schedule.md"),
        # From URL to URL, as MkDocs makes them
        ("", "teams/", "teams/"),
        ("teams/a/b/", "standards/S07/", "../../../standards/S07/"),
        ("teams/a/b/", "teams/a/b/2011-09-22/", "2011-09-22/"),
        ("teams/a/b/2011-09-22/", "teams/a/b/", "../"),
        ("standards/S07/", "", "../../"),
        ("schedule/", "schedule/", "./"),
        ("teams/a/b.html", "standards/S07.html", "../../standards/S07.html"),
        ("index.html", "index.html", "index.html"),
    ],
)
def test_links_are_relative_to_the_linking_files_folder(
    origin: str, target: str, link: str
) -> None:
    assert relative_link(origin, target) == link


def test_pages_have_the_urls_mkdocs_gives_them() -> None:
    paths = ["index.md", "teams/index.md", "actions.md", "a/b.md", "data/qa-export.json"]
    assert [page_url(p) for p in paths] == ["", "teams/", "actions/", "a/b/", paths[-1]]
    assert [page_url(p, directory_urls=False) for p in paths] == [
        "index.html",
        "teams/index.html",
        "actions.html",
        "a/b.html",
        paths[-1],
    ]


def test_each_page_has_one_source_path() -> None:
    assert review_path("b", "t", dt.date(2011, 10, 13)) == "teams/b/t/2011-10-13.md"
    assert scorecard_path("b", "t") == "teams/b/t/index.md"


# --------------------------------------------------------------------------
# resolve_source_links


class _Site:
    """``url_of`` for a page of a few files, recording what it was asked."""

    def __init__(self, *paths: str) -> None:
        self.paths = set(paths)
        self.asked: list[str] = []

    def url_of(self, path: str) -> str | None:
        self.asked.append(path)
        return f"<{path}>" if path in self.paths else None


def _resolved(html: str, page: str = "board/case-notes.md", *paths: str) -> tuple[str, list[str]]:
    return resolve_source_links(html, page, _Site(*paths).url_of)


def test_a_link_to_a_source_file_becomes_its_url() -> None:
    target = "board/hammersmith-fulham/2011-10-13.md"
    html = '<p>See <a href="hammersmith-fulham/2011-10-13.md">the meeting</a>.</p>'
    assert _resolved(html, "board/case-notes.md", target) == (
        f'<p>See <a href="&lt;{target}&gt;">the meeting</a>.</p>',
        [],
    )


@pytest.mark.parametrize(
    ("href", "asked", "written"),
    [
        ("../standards/S07.md", "standards/S07.md", "&lt;standards/S07.md&gt;"),
        ("./case-notes.md", "board/case-notes.md", "&lt;board/case-notes.md&gt;"),
        ("case-notes.md", "board/case-notes.md", "&lt;board/case-notes.md&gt;"),
        ("x/../../index.md#top", "index.md", "&lt;index.md&gt;#top"),
        (
            "../comparison/index.md#by-borough",
            "comparison/index.md",
            "&lt;comparison/index.md&gt;#by-borough",
        ),
        ("../a.md?q=1#f", "a.md", "&lt;a.md&gt;?q=1#f"),
        ("../a%20b.md", "a b.md", "&lt;a b.md&gt;"),
        ("../a&amp;b.md#x&amp;y", "a&b.md", "&lt;a&amp;b.md&gt;#x&amp;y"),
    ],
)
def test_links_resolve_against_the_pages_folder(href: str, asked: str, written: str) -> None:
    site = _Site(asked)
    html, unresolved = resolve_source_links(
        f'<a href="{href}">x</a>', "board/case-notes.md", site.url_of
    )
    assert site.asked == [asked]
    assert (html, unresolved) == (f'<a href="{written}">x</a>', [])


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/a.md",
        "//example.org/a.md",
        "/standards/S07.md",
        "#S07",
        "#a.md",
        "mailto:someone@example.org?subject=a.md",
        "qa-export.json",
        "../standards/S07/",
        "a.md.txt",
        "",
    ],
)
def test_other_links_are_left_as_written(href: str) -> None:
    site = _Site("board/a.md", "a.md")
    html = f'<a href="{href}">x</a><img src="{href}">'
    assert resolve_source_links(html, "board/case-notes.md", site.url_of) == (html, [])
    assert site.asked == []


def test_every_way_of_writing_the_attribute_is_read() -> None:
    html = (
        "<a href='a.md'>1</a> <A HREF = \"b.md\">2</A> <a href=c.md>3</a> "
        '<img alt="x > y" src="d.md"> <a title="a.md" data-href="e.md">5</a>'
    )
    out, unresolved = _resolved(html, "p.md", "a.md", "b.md", "c.md", "d.md")
    assert out == (
        '<a href="&lt;a.md&gt;">1</a> <A HREF = "&lt;b.md&gt;">2</A> <a href="&lt;c.md&gt;">3</a> '
        '<img alt="x > y" src="&lt;d.md&gt;"> <a title="a.md" data-href="e.md">5</a>'
    )
    assert unresolved == []


def test_text_that_looks_like_a_link_is_not_one() -> None:
    html = (
        '<p>Write <code>&lt;a href="a.md"&gt;</code>; href="a.md" in text stays.</p>\n'
        '<pre><code>&lt;img src="a.md"&gt;</code></pre>\n'
        """<a title=' href="a.md"' data-x="src='a.md'">x</a>"""
    )
    assert _resolved(html, "p.md", "a.md") == (html, [])


def test_links_that_lead_nowhere_are_listed_once_each_and_left_alone() -> None:
    html = (
        '<a href="gone.md">1</a><a href="../up.md#x">2</a><a href="gone.md">3</a>'
        '<a href="here.md">4</a><a href="../../outside.md">5</a><a href="a&amp;b.md">6</a>'
    )
    site = _Site("board/here.md", "outside.md")
    out, unresolved = resolve_source_links(html, "board/case-notes.md", site.url_of)
    assert out == html.replace('"here.md"', '"&lt;board/here.md&gt;"')
    assert unresolved == ["gone.md", "../up.md#x", "../../outside.md", "a&b.md"]
    # Outside the docs folder: no file of the site, without asking.
    assert site.asked == ["board/gone.md", "up.md", "board/here.md", "board/a&b.md"]


def test_a_page_without_links_to_source_files_is_returned_as_it_is() -> None:
    html = '<p><a href="../x/">x</a> <a href="https://example.org/">y</a></p>'
    assert _resolved(html, "p.md") == (html, [])


def test_plain_links_write_mkdocs_urls_relative_to_each_page() -> None:
    files = [
        GeneratedFile(
            "index.md", '<a href="teams/b/t/index.md">t</a> <a href="scoring.md#x">s</a>'
        ),
        GeneratedFile(
            "teams/b/t/index.md", '<a href="../../../index.md">home</a>\n<a href="x.md">x</a>'
        ),
        GeneratedFile("data/qa-export.json", '{"href": "a.md"}'),
    ]
    for directory_urls, expected in [
        (
            True,
            [
                '<a href="teams/b/t/">t</a> <a href="scoring/#x">s</a>',
                '<a href="../../../">home</a>',
            ],
        ),
        (
            False,
            [
                '<a href="teams/b/t/index.html">t</a> <a href="scoring.html#x">s</a>',
                '<a href="../../../index.html">home</a>',
            ],
        ),
    ]:
        written, unresolved = plain_links(files, ["scoring.md"], directory_urls)
        assert [f.content for f in written] == [
            expected[0],
            expected[1] + '\n<a href="x.md">x</a>',
            files[2].content,
        ]
        assert unresolved == [("teams/b/t/index.md", 2, "x.md")]


# --------------------------------------------------------------------------
# Built sites: every engine, every kind of URL


def _render(docs: Path, form: str) -> str:
    """The sample's pages as ``qa-site render --links form`` writes them, with the
    hand-written pages of docs/ beside them, in ``docs``."""
    result = run_cli("render", "--links", form, "--out", str(docs))
    assert result.returncode == 0, result.stderr
    shutil.copytree(
        ROOT / "docs", docs, dirs_exist_ok=True, ignore=shutil.ignore_patterns("architecture.md")
    )
    return result.stderr


def _project(folder: Path, docs: Path, directory_urls: bool) -> Path:
    """A copy of ``docs`` in ``folder`` with a small mkdocs.yml and no plugin, as a site
    without qa-site has (the Markdown extensions are the sample's, which its
    hand-written pages use); the site goes to ``folder / "site"``."""
    shutil.copytree(docs, folder / "docs")
    sample = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": "Quality assurance",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "font": False},
        "use_directory_urls": directory_urls,
        "markdown_extensions": sample["markdown_extensions"],
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _run(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, env=mkdocs_env(), check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(args)}:\n{result.stdout[-2000:]}{result.stderr[-4000:]}"
    )
    return result.stderr


Built = Callable[[str, str, bool], BuiltSite]


@pytest.fixture(scope="module")
def built(shared_sites: Path) -> Built:
    """built(engine, form, directory_urls): the sample's pages rendered with ``--links
    form`` and built by ``engine`` without the plugin, once for the run."""

    def build(engine: str, form: str, directory_urls: bool) -> BuiltSite:
        engine_command = (
            [sys.executable, "-m", "mkdocs"] if engine == "mkdocs" else [program(engine)]
        )
        command = [*engine_command, "build", "--strict"]
        docs = shared_site(shared_sites, f"render-{form}", partial(_render, form=form), "docs")

        def run(site: Path) -> str:
            config = _project(site.parent, docs.site, directory_urls)
            return _run(*command, "-f", str(config), cwd=site.parent)

        return shared_site(shared_sites, f"{engine}-{form}-{directory_urls}", run)

    return build


@pytest.fixture(scope="module")
def file_urls_sample(shared_sites: Path) -> BuiltSite:
    """The sample built by MkDocs with the plugin and ``use_directory_urls: false``."""

    def build(site: Path) -> str:
        project = copy_repository(site.parent / "repo")
        config = project / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8"
        )
        return build_site(project, site)

    return shared_site(shared_sites, "sample-file-urls", build)


def test_the_plugin_builds_a_site_of_html_addresses_with_every_link_working(
    file_urls_sample: BuiltSite,
) -> None:
    site = file_urls_sample.site
    assert (site / "standards/S07.html").is_file()
    assert (site / "teams/hammersmith-fulham/learning-disability/index.html").is_file()
    base = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    links = check_links(site, base, folder_index=False)
    assert links.broken == []
    assert links.checked > 5000


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "file-urls"])
def test_zensical_resolves_the_rendered_links_to_source_files(
    built: Built, directory_urls: bool
) -> None:
    site = built("zensical", "source", directory_urls).site
    page = "standards/S07/index.html" if directory_urls else "standards/S07.html"
    assert (site / page).is_file()
    links = check_links(site, folder_index=directory_urls)
    assert links.broken == []
    assert links.checked > 5000


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
@pytest.mark.parametrize(
    ("form", "directory_urls"), [("directory", True), ("file", False)], ids=["directory", "file"]
)
def test_rendered_urls_work_in_an_engine_that_turns_no_link(
    built: Built, engine: str, form: str, directory_urls: bool
) -> None:
    site = built(engine, form, directory_urls).site
    links = check_links(site, folder_index=directory_urls)
    assert links.broken == []
    assert links.checked > 5000


def test_a_link_to_no_page_stops_a_strict_build_and_render(
    tmp_path: Path, make_repo: RepoFactory
) -> None:
    schedule = (ROOT / "site_templates/schedule.md.j2").read_text(encoding="utf-8")
    config = "site_name: QA\ntheme: {name: material, font: false}\nplugins: [qa-site]\n"
    repo = make_repo(
        {
            "mkdocs.yml": config,
            "docs/scoring.md": "# Scoring\n",
            "docs/export.md": "# Export\n",
        }
    )
    shutil.copytree(ROOT / "site_templates", repo / "site_templates", dirs_exist_ok=True)
    (repo / "site_templates/schedule.md.j2").write_text(
        schedule + '<p><a href="{{ href("no-such-page.md#x") }}">gone</a></p>\n',
        encoding="utf-8",
    )
    result = mkdocs("build", "--strict", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING -  qa-site: schedule.md: the link 'no-such-page.md#x' leads to no page or "
        "file of the site (from the page's template, or from content it shows: a relative "
        "link a reviewer writes is followed from each page showing it)"
    ]
    out = tmp_path / "pages"
    refused = run_cli("render", "--links", "directory", "--out", str(out), cwd=repo)
    assert refused.returncode == 1
    # The line of the page as rendered: its front matter, then the template's lines.
    assert refused.stderr.splitlines()[0] == (
        f"{out.resolve()}/schedule.md:18: link: 'no-such-page.md#x' leads to no "
        "generated page and no file of docs/"
    )
    assert not out.exists()


def test_properdocs_builds_the_sample_with_the_plugin_as_mkdocs_does(
    tmp_path: Path, built_sample: BuiltSite
) -> None:
    """ProperDocs, the continuation of MkDocs 1.x, runs the plugin: the same site, but
    for the engine each page names in its generator tag."""
    project = copy_repository(tmp_path / "repo")
    site = tmp_path / "site"
    _run(program("properdocs"), "build", "--strict", "-d", str(site), cwd=project)

    def files(root: Path) -> dict[str, bytes]:
        tag = re.compile(rb'<meta name="generator" content="[^"]*">')
        return {
            path.relative_to(root).as_posix(): tag.sub(b"", path.read_bytes())
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }

    theirs, ours = files(site), files(built_sample.site)
    assert sorted(theirs) == sorted(ours)
    assert [name for name in ours if theirs[name] != ours[name]] == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<meta name="generator" content="mkdocs-ProperDocs ' in home


def test_a_reviewers_relative_link_is_followed_from_the_page_and_checked(
    tmp_path: Path,
) -> None:
    """A relative link in a review's findings leads from the review's page: to a page
    that is there, it is turned into its address; to none, the strict build stops."""
    repo = copy_repository(tmp_path / "repo")
    review = repo / "reviews/westminster/mental-health/2012-05-24.md"
    text = review.read_text(encoding="utf-8")
    review.write_text(text + "\nSee [S07](../../../standards/S07.md).\n", encoding="utf-8")
    site = tmp_path / "site"
    build_site(repo, site)
    page = (site / "teams/westminster/mental-health/2012-05-24/index.html").read_text("utf-8")
    assert 'See <a href="../../../../standards/S07/">S07</a>.' in page

    review.write_text(text + "\nSee [the notes](notes.md).\n", encoding="utf-8")
    result = mkdocs("build", "--strict", "-d", str(tmp_path / "again"), cwd=repo)
    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING -  qa-site: teams/westminster/mental-health/2012-05-24.md: the link "
        "'notes.md' leads to no page or file of the site (from the page's template, or from "
        "content it shows: a relative link a reviewer writes is followed from each page "
        "showing it)"
    ]


@pytest.mark.parametrize(
    "page",
    [
        "x.md " + "<a " * 20_000,
        "x.md <" + "a" * 20_000,
        "x.md " + '<a "' * 20_000,
        "x.md <a " + 'href="' + "x" * 50_000,
    ],
    ids=["unclosed-tags", "a-long-name", "unclosed-quotes", "an-unclosed-value"],
)
def test_a_page_of_unclosed_tags_is_given_back_as_it_is(page: str) -> None:
    """Nothing to resolve in tags that never close, and reading them stays linear
    (each attempt stops at the next "<"; see links._TAG)."""
    assert resolve_source_links(page, "p.md", lambda path: "u/") == (page, [])
