"""The menus of both editions: the internal one groups the pages about the programme,
the reviewers' and the engineers'; the partner edition leaves the engineers' pages
out, from its menu and its pages, and its other pages link to none of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.plugin.internal_pages import ENGINEERS_PAGES, unlinked, without_pages
from tests.support.sites import BuiltSite

ENGINEERS_FOLDERS = [page.removesuffix(".md") for page in ENGINEERS_PAGES]


def _sections(site: Path) -> dict[str, list[str]]:
    """The menu's sections as the home page shows them: each title with its pages' links."""
    html = (site / "index.html").read_text(encoding="utf-8")
    primary = html[html.index("md-nav--primary") :]
    end = primary.rfind("md-nav--secondary")  # the contents beside the page
    primary = primary if end < 0 else primary[:end]
    found: dict[str, list[str]] = {}
    parts = re.split(r'<li class="md-nav__item md-nav__item--section', primary)
    for part in parts[1:]:
        title = re.search(
            r'<label class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', part
        )
        assert title is not None
        found[title.group(1)] = re.findall(r'href="([^"#]+)" class="md-nav__link"', part)
    return found


def test_the_internal_menu_groups_pages_by_reader(built_sample: BuiltSite) -> None:
    sections = _sections(built_sample.site)
    assert sections["About the programme"] == ["programme/", "sharing/"]
    assert sections["For reviewers"] == [
        "writing-reviews/",
        "editing-reviews/",
        "reviewing/",
        "scoring/",
        "export/",
    ]
    assert sections["For engineers"] == [f"{folder}/" for folder in ENGINEERS_FOLDERS]
    for folder in ENGINEERS_FOLDERS:
        assert (built_sample.site / folder / "index.html").is_file()


def test_the_partner_edition_leaves_the_engineers_pages_out(built_partners: BuiltSite) -> None:
    site = built_partners.site
    sections = _sections(site)
    assert "For engineers" not in sections
    assert sections["For reviewers"] == [
        "writing-reviews/",
        "editing-reviews/",
        "reviewing/",
        "scoring/",
        "export/",
    ]
    for folder in ENGINEERS_FOLDERS:
        assert not (site / folder).exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    search = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    for folder in ENGINEERS_FOLDERS:
        assert f"/{folder}/" not in sitemap
        assert f'"location":"{folder}/' not in search
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for folder in ENGINEERS_FOLDERS:
            assert not re.search(rf'href="[./]*{folder}/', html), (page, folder)
    reviewing = (site / "reviewing" / "index.html").read_text(encoding="utf-8")
    assert "(see continuous integration)" in reviewing


def test_a_menu_without_some_pages_drops_the_sections_left_empty() -> None:
    nav = [
        {"Dashboard": "index.md"},
        {"About": [{"The programme": "programme.md"}, {"Sharing": "sharing.md"}]},
        {"For engineers": [{"CI": "continuous-integration.md"}, "/commands.md"]},
    ]
    assert without_pages(nav, {"continuous-integration.md", "commands.md", "sharing.md"}) == [
        {"Dashboard": "index.md"},
        {"About": [{"The programme": "programme.md"}]},
    ]


@pytest.mark.parametrize(
    ("page", "html", "expected"),
    [
        ("reviewing/", '<a href="../commands/#x">the commands</a>', "the commands"),
        ("reviewing/", '<a href="../scoring/">scoring</a>', '<a href="../scoring/">scoring</a>'),
        ("", '<a href="commands/">commands</a>', "commands"),
        ("reviewing.html", '<a href="commands.html">c</a>', "c"),
        (
            "reviewing/",
            '<a href="https://x.example/commands/">c</a>',
            '<a href="https://x.example/commands/">c</a>',
        ),
        ("reviewing/", '<a href="#commands">c</a>', '<a href="#commands">c</a>'),
    ],
)
def test_links_to_left_out_pages_become_their_text(page: str, html: str, expected: str) -> None:
    assert unlinked(html, page, {"commands/", "commands.html"}) == expected
