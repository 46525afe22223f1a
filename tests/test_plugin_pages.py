"""The plugin converts generated pages with their HTML blocks set aside: the HTML,
contents and anchors must be MkDocs' own, page for page, and a page it cannot
be sure of goes to MkDocs' own conversion."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from generator.pipeline import generated_files, run
from generator.plugin.pages import Converter, RenderedPage, nav_titles
from generator.render.templates import template_folders
from tests.support.cli import CLI_ENV, run_cli
from tests.support.paths import ROOT
from tests.support.repos import copy_repository
from tests.support.trees import files_of

AS_OF = dt.date(2017, 1, 1)


def _config(root: Path) -> MkDocsConfig:
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_config(config)
    return config


def _pages(root: Path, as_of: dt.date) -> dict[str, str]:
    outcome = run(root, as_of)
    files = generated_files(outcome, template_folders(root / "site_templates"))
    return {f.path: f.content for f in files if f.path.endswith(".md") and f.content}


def _toc(items: list[AnchorLink]) -> list[tuple[str, str, int, list[object]]]:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


def _both(config: MkDocsConfig, path: str, text: str, converter: Converter) -> tuple[Page, Page]:
    """The page as MkDocs converts it, and as the plugin does."""
    own = Page(None, File.generated(config, path, content=text), config)
    fast = RenderedPage(None, File.generated(config, path, content=text), config, converter)
    files = Files([own.file])
    for page in (own, fast):
        page.read_source(config)
        page.render(config, files)
    return own, fast


def _assert_same(own: Page, fast: Page) -> None:
    assert fast.content == own.content
    assert _toc(fast.toc.items) == _toc(own.toc.items)
    assert fast.present_anchor_ids == own.present_anchor_ids
    assert fast.title == own.title


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "programme"
    made = run_cli(
        "synth", str(out), "--boroughs", "2", "--teams", "3", "--years", "4", "--seed", "3"
    )
    assert made.returncode == 0, made.stderr
    return out


@pytest.mark.parametrize("where", ["sample", "synthetic"])
def test_every_generated_page_converts_as_mkdocs_converts_it(where: str, synthetic: Path) -> None:
    root, as_of = (ROOT, AS_OF) if where == "sample" else (synthetic, dt.date(2026, 1, 1))
    config = _config(root)
    converter = Converter(config)
    pages = _pages(root, as_of)
    assert len(pages) > 60
    declined = []
    for path, text in sorted(pages.items()):
        own, fast = _both(config, path, text, converter)
        _assert_same(own, fast)
        body = text.split("---\n", 2)[2]
        if converter.convert(body) is None:
            declined.append(path)
    # Every page took the quick way: the comparison above is of it, not of MkDocs twice.
    assert declined == []


HEAD = "---\ntitle: A page\n---\n\n# A page\n\n"


@pytest.mark.parametrize(
    "body",
    [
        "<p>Text</p>\nA paragraph straight after.\n",  # text that is not an element
        "<div>\n<p>Never closed</p>\n",
        "<div>\n<script>var a = '</div>';</script>\n</div>\n",  # script is text to the parser
        '<div markdown="1">\n*emphasis*\n</div>\n',  # md_in_html would convert it
        "<div>\n```\n<p>fenced</p>\n```\n</div>\n",  # fenced code is found inside HTML
        "<p>One</p> and more on its line\n",
        "A paragraph first.\n\n<p>Then HTML</p>\n",
        "<span>An inline element starting a line</span>\n",
    ],
)
def test_a_page_it_cannot_be_sure_of_is_mkdocs_own(body: str) -> None:
    config = _config(ROOT)
    converter = Converter(config)
    assert converter.convert(HEAD.split("---\n", 2)[2] + body) is None
    _assert_same(*_both(config, "page.md", HEAD + body, converter))


@pytest.mark.parametrize(
    "body",
    [
        "<div>\n<p>a</p>\n\n\n<p>b</p>\n</div>\n## Next\n<p>c</p>\n<p>d</p>\n\n<hr>\n",
        "<table>\n<tr><td><table><tr><td>x</td></tr></table></td></tr>\n</table>\n\n<p>e</p>",
        "<div>\n<div>\n<p>unclosed p closed by its div\n</div>\n</div>\n",
        "<details><summary>More</summary>\n<!-- <div> in a comment -->\n</details>\n",
        "<div>\n\t<p>a tab</p>\n   \n</div>\n",
    ],
)
def test_html_blocks_are_set_aside_as_python_markdown_sets_them_aside(body: str) -> None:
    config = _config(ROOT)
    converter = Converter(config)
    assert converter.convert(HEAD.split("---\n", 2)[2] + body) is not None
    _assert_same(*_both(config, "page.md", HEAD + body, converter))


def test_a_markdown_extension_reading_inside_html_turns_the_quick_way_off(tmp_path: Path) -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        text.replace("markdown_extensions:\n", "markdown_extensions:\n  - md_in_html\n"),
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    config = load_config(str(tmp_path / "mkdocs.yml"))
    assert Converter(config).convert("# A\n\n<p>b</p>\n") is None


def test_the_navigation_keeps_the_titles_mkdocs_yml_gives() -> None:
    nav = [
        {"Dashboard": "index.md"},
        "plain.md",
        {"Board": [{"Meetings": "board/index.md"}, {"Again": "index.md"}]},
    ]
    assert nav_titles(nav) == {
        "index.md": ["Dashboard", "Again"],
        "plain.md": [None],
        "board/index.md": ["Meetings"],
    }


# A build with its search entries and address checks made in other processes
# for any number of pages (or never), saying whether they were.
_BUILD = """
import sys
import generator.plugin.aside as aside
aside.ENOUGH_PAGES = int(sys.argv[2])
read = aside.Aside.read_search
def counted(self, index, pages):
    print("read aside:", len(pages))
    read(self, index, pages)
aside.Aside.read_search = counted
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "--strict", "-q", "-d", sys.argv[1]]
cli()
"""


def _build(repo: Path, site: Path, enough: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BUILD, str(site), str(enough)],
        cwd=repo,
        env={**CLI_ENV, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_a_build_read_aside_is_the_build_read_in_turn(tmp_path: Path) -> None:
    sites = {}
    for name, enough in (("aside", 1), ("inline", 10**9)):
        done = _build(ROOT, tmp_path / name, enough)
        assert done.returncode == 0, done.stderr
        sites[name] = (done.stdout, files_of(tmp_path / name))
    pages = len(list((tmp_path / "inline").rglob("*.html"))) - 1  # not 404.html
    assert sites["aside"][0] == f"read aside: {pages}\n"
    assert sites["inline"][0] == ""
    assert sites["aside"][1] == sites["inline"][1]
    index = sites["aside"][1]["search/search_index.json"]
    assert b"Safeguarding enquiries are proportionate" in index


def test_an_unsafe_address_found_aside_stops_the_build_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "docs" / "help.md").write_text(
        '# Help\n\n<p><a href="javascript:alert(1)">Ask</a></p>\n', encoding="utf-8"
    )
    for name, enough in (("aside", 1), ("inline", 10**9)):
        site = tmp_path / name
        done = _build(repo, site, enough)
        assert done.returncode == 1
        said = [line for line in done.stderr.splitlines() if "qa-site:" in line]
        assert said == [
            "ERROR   -  qa-site: help.md: addresses that are not a web page, e-mail address "
            "or page of the site: a href='javascript:alert(1)'"
        ]
        assert [p for p in site.rglob("*") if p.is_file()] == []  # nothing half-built


@pytest.mark.parametrize(
    ("spec", "path", "started"),
    [
        (None, None, True),  # python -c
        ("mkdocs.__main__", "/venv/lib/mkdocs/__main__.py", True),  # python -m mkdocs
        ("generator.__main__", "/repo/generator/__main__.py", True),
        (None, "/venv/bin/qa-site", True),  # the console scripts
        (None, "/venv/bin/mkdocs", True),
        (None, "/home/me/build_site.py", False),  # may lack the main guard
        ("my_tools.build", "/home/me/my_tools/build.py", False),
        (None, "<stdin>", False),
    ],
)
def test_other_processes_start_only_from_programs_known_to_guard_their_main(
    monkeypatch: pytest.MonkeyPatch, spec: str | None, path: str | None, started: bool
) -> None:
    import types

    from generator.plugin import aside

    main = types.ModuleType("__main__")
    main.__spec__ = types.SimpleNamespace(name=spec) if spec else None  # type: ignore[assignment]
    if path is not None:
        main.__file__ = path
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert aside.worth_processes(aside.ENOUGH_PAGES) is started
    assert aside.worth_processes(aside.ENOUGH_PAGES - 1) is False
