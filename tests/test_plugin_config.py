"""The plugin looks after itself: its stylesheet and script on every page, its
packaged templates where a repository has none, and a refusal, saying what to
change, of a configuration that would silently break the site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.core.bundled import bundled
from generator.render.templates import template_folders
from tests.support.paths import BASE
from tests.support.sites import build_site, mkdocs

THEME = {"name": "material", "font": False}
PAGES = {
    "docs/scoring.md": "# How scores are calculated\n",
    "docs/export.md": "# Exporting results\n",
}


def _repository(folder: Path, **config: object) -> Path:
    """The small base repository, two hand-written pages and an mkdocs.yml of ``config``."""
    repo = folder / "programme"
    shutil.copytree(BASE, repo)
    for path, text in PAGES.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
    settings = {"site_name": "Quality reviews", "theme": THEME, "plugins": ["qa-site"], **config}
    (repo / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return repo


def test_a_plain_configuration_gets_the_stylesheet_script_and_templates(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    assert not (repo / "site_templates").exists()
    site = tmp_path / "site"
    build_site(repo, site)

    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<link rel="stylesheet" href="(assets/qa-site/[^"]+)"', home) == [
        "assets/qa-site/site.css"
    ]
    assert re.findall(r'<script src="(assets/qa-site/[^"]+)"', home) == [
        "assets/qa-site/charts.js"
    ]
    for asset in ("site.css", "charts.js", "plotly.min.js"):
        assert (site / "assets" / "qa-site" / asset).is_file()
    # The packaged templates drew the pages.
    assert (site / "teams" / "index.html").is_file()
    assert 'data-qa-figure="' in home


def test_listing_the_assets_again_adds_them_once(tmp_path: Path) -> None:
    repo = _repository(
        tmp_path,
        extra_css=["assets/qa-site/site.css"],
        extra_javascript=["assets/qa-site/charts.js"],
    )
    site = tmp_path / "site"
    build_site(repo, site)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('href="assets/qa-site/site.css"') == 1
    assert home.count('src="assets/qa-site/charts.js"') == 1


@pytest.mark.parametrize(
    ("config", "reasons"),
    [
        (
            {"theme": {"name": "readthedocs"}},
            ["- theme: the pages are made for Material for MkDocs; set `theme: name: material` "
             "(found 'readthedocs')"],
        ),
        (
            {"theme": {"name": "material"}},
            ["- theme.font: Material then loads its fonts from Google Fonts, which the intranet "
             "cannot reach; set `font: false` under `theme` (the system's fonts are used)"],
        ),
        (
            {
                "theme": {**THEME, "logo": "https://cdn.example/logo.png"},
                "extra_css": ["//fonts.example/face.css"],
                "extra_javascript": ["local.js", "https://cdn.example/tracker.js"],
            },
            [
                "- theme.logo: https://cdn.example/logo.png is on another host; put the file "
                "in docs/",
                "- extra_css: //fonts.example/face.css is on another host; put the file in docs/",
                "- extra_javascript: https://cdn.example/tracker.js is on another host; put the "
                "file in docs/",
            ],
        ),
        (
            {
                "theme": {**THEME, "favicon": "/\\evil.example/f.png"},
                "extra_javascript": ["\\\\evil.example\\x.js"],
                "extra": {
                    "polyfills": ["https://polyfill.example/p.js"],
                    "analytics": {"provider": "google", "property": "G-X"},
                },
            },
            [
                "- theme.favicon: /\\evil.example/f.png is on another host; put the file in "
                "docs/",
                "- extra_javascript: \\\\evil.example\\x.js is on another host; put the file "
                "in docs/",
                "- extra.polyfills: https://polyfill.example/p.js is on another host; put the "
                "file in docs/",
                "- extra.analytics: google loads its script from another host and sends who "
                "reads what there; take `analytics` out of `extra`",
            ],
        ),
    ],
    ids=["another-theme", "web-fonts", "assets-from-other-hosts", "disguised-and-analytics"],
)
def test_a_configuration_that_breaks_the_site_is_refused_saying_what_to_change(
    tmp_path: Path, config: dict[str, object], reasons: list[str]
) -> None:
    repo = _repository(tmp_path, **config)
    result = mkdocs("build", "--strict", "-d", str(tmp_path / "site"), cwd=repo)

    assert result.returncode == 1
    message = result.stderr[result.stderr.index("qa-site: this configuration") :]
    assert message.splitlines()[1 : 1 + len(reasons)] == reasons
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_programmes_own_template_overrides_that_file_only(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    own = repo / "site_templates"
    (own / "assets").mkdir(parents=True)
    carried = bundled("site_templates")
    home = (carried / "home.md.j2").read_text(encoding="utf-8")
    (own / "home.md.j2").write_text(
        home.replace("{% extends", "<p>Camden's own dashboard.</p>\n{% extends", 1)
        if "{% extends" in home
        else "<p>Camden's own dashboard.</p>\n" + home,
        encoding="utf-8",
    )
    (own / "assets" / "site.css").write_text(".camden { color: #123456; }\n", "utf-8")
    site = tmp_path / "site"
    build_site(repo, site)

    assert "<p>Camden's own dashboard.</p>" in (site / "index.html").read_text("utf-8")
    assert (site / "assets/qa-site/site.css").read_text("utf-8") == ".camden { color: #123456; }\n"
    # Everything else is the packaged file.
    assert (site / "assets/qa-site/charts.js").read_bytes() == (
        carried / "assets" / "charts.js"
    ).read_bytes()
    teams = (site / "teams" / "index.html").read_text("utf-8")
    assert "Camden's own" not in teams


def test_the_search_path_puts_a_programmes_own_templates_first(tmp_path: Path) -> None:
    carried = bundled("site_templates").resolve()
    assert template_folders(None) == (carried,)
    assert template_folders(tmp_path / "missing") == (carried,)
    assert template_folders(carried) == (carried,)
    own = tmp_path / "site_templates"
    own.mkdir()
    assert template_folders(own) == (own.resolve(), carried)


def test_a_linked_templates_folder_is_refused(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(bundled("site_templates"), elsewhere)
    (repo / "site_templates").symlink_to(elsewhere, target_is_directory=True)
    result = mkdocs("build", "--strict", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode == 1
    assert "site_templates: is a symbolic link" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("markup", "found"),
    [
        ('<img src="https://cdn.example/team.png" alt="the team">',
         "img src='https://cdn.example/team.png'"),
        ('<link rel="stylesheet" href="//fonts.example/face.css">',
         "link href='//fonts.example/face.css'"),
        ('<p><iframe src="HTTPS://video.example/embed/1" title="v"></iframe></p>',
         "iframe src='HTTPS://video.example/embed/1'"),
    ],
    ids=["picture", "stylesheet", "frame"],
)  # fmt: skip
def test_a_page_that_would_fetch_from_another_host_stops_the_build(
    tmp_path: Path, markup: str, found: str
) -> None:
    """Whatever put it there (a hand-written page, a theme override), and with or
    without Material's privacy plugin: the intranet cannot reach another host."""
    repo = _repository(tmp_path)
    (repo / "docs" / "about.md").write_text(
        f"# About\n\nSee [the council](https://council.example/).\n\n{markup}\n", "utf-8"
    )
    result = mkdocs("build", "--strict", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode == 1
    assert (
        "qa-site: about.md: the page would fetch from another host as it loads, which the "
        f"intranet cannot reach; put the file in docs/: {found}"
    ) in result.stderr


def test_a_deny_list_among_the_templates_is_refused(tmp_path: Path) -> None:
    """The templates' assets are published: a deny-list of names there would be too."""
    names = "site_templates/assets/n.txt"
    repo = _repository(tmp_path, plugins=[{"qa-site": {"deny_list": names}}])
    (repo / "site_templates" / "assets").mkdir(parents=True)
    (repo / "site_templates" / "assets" / "n.txt").write_text("Jane Realperson\n", "utf-8")
    result = mkdocs("build", "--strict", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode == 1
    assert (
        f"qa-site: the deny-list {repo}/site_templates/assets/n.txt is inside "
        f"{(repo / 'site_templates').resolve()}, which is published; keep it outside the site"
    ) in result.stderr
    assert not (tmp_path / "site").exists()
