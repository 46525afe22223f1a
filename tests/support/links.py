"""The links of a built site, followed as a reader's click would: to a file of the
site and, for a fragment, to an element with that id."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Where a site without a site_url is read as if served: any other host is external.
PLACEHOLDER_BASE = "https://site.example/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            url = values.get(name)
            if url is not None and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.links.append((tag, url))


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@dataclass
class LinkReport:
    checked: int = 0  # links to the site's own files
    broken: list[str] = field(default_factory=list)  # "page: url", with why if not plain
    external: list[str] = field(default_factory=list)  # "page: <tag> url"


def check_links(site: Path, base: str = PLACEHOLDER_BASE, folder_index: bool = True) -> LinkReport:
    """Every link of every HTML page of ``site``, its pages read as if served at
    ``base`` (so that canonical links count as the site's own). With
    ``folder_index``, a link to a folder leads to its ``index.html``, as a web
    server serves it; without, a folder is broken, as a site of ``.html``
    addresses must never link to one."""
    parsed = {page: _parse(page) for page in sorted(site.rglob("*.html"))}
    report = LinkReport()
    for page, links in parsed.items():
        shown = page.relative_to(site).as_posix()
        for tag, url in links.links:
            parts = urlsplit(urljoin(base + shown, url))
            if parts.scheme in ("mailto",):
                continue
            if f"{parts.scheme}://{parts.netloc}/" != base:
                report.external.append(f"{shown}: <{tag}> {url}")
                continue
            target = site / unquote(parts.path.removeprefix("/"))
            if target.is_dir() and folder_index:
                target = target / "index.html"
            report.checked += 1
            if not target.is_file():
                report.broken.append(f"{shown}: {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    report.broken.append(f"{shown}: {url} (no such anchor)")
    return report
