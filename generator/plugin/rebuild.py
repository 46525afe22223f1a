"""What a rebuild under ``mkdocs serve`` takes from the build before it.

A reviewer who saves her review changes one file; MkDocs then builds the
whole site again. Each step keeps what it made last time and makes again only
what depends on something that changed, so that the site is the one a clean
build of the same content makes (``tests/test_preview.py`` compares them
page for page):

- **Pages of unchanged teams.** With the packaged templates (a programme's
  own folder holding only copies of them), a team's scorecard and its
  reviews' pages show its own reviews and, beside them, only what the team
  files, the rulebook and the meetings say, and only a review's own page shows
  its findings. While those and the as-of date, edition, templates and
  partners' packages are as they were, an edit to findings alone makes only
  that review's page again; otherwise a team whose reviews are unchanged keeps
  its pages, and every other page is made again (``Fingerprints``). With
  templates of a programme's own, every page is made again.
- **Conversions.** A page's Markdown converted to HTML, by its text.
- **Search entries.** Material's search reads each page's HTML; a page whose
  HTML, contents and front matter are unchanged gives the entries it gave.
- **Whole pages.** A page whose HTML, contents, front matter, address and place
  in the navigation are unchanged, in a build whose configuration, theme and
  navigation are unchanged, is written as it was written last time (through a
  template that prints it), and the last check of its addresses, already made
  on the same text, is not made again. Only when no plugin but this one and
  search acts on pages between their content and their output, and this one
  sees the output first (the privacy plugin, after it, sees the same again).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from generator.render.links import UrlOf, resolve_source_links
from generator.render.page import GeneratedFile
from generator.render.site import Earlier

# In the plugin's theme folder: prints a page's output from the build before.
KEPT_TEMPLATE = "qa-site-kept.html"

Team = tuple[str, str]


@dataclass(frozen=True)
class Fingerprints:
    """The content as digests: each team's reviews' frontmatter, each review's
    findings (its Markdown body), and all the rest."""

    rest: bytes
    teams: dict[Team, bytes]
    findings: dict[str, bytes]  # by the review's path: reviews/<borough>/<team>/<date>.md


def fingerprints(root: Path, folders: Sequence[Path], settings: str) -> Fingerprints:
    """Digests of the files under ``root``'s reviews/ and standards/ and under
    ``folders`` (templates, packages), following no link; ``settings`` (as-of
    date, edition...) counts as part of the rest."""
    rest = hashlib.sha256(settings.encode())
    teams: dict[Team, Any] = {}
    findings = {}
    for folder in (root / "reviews", root / "standards", *folders):
        for path in _files(folder):
            relative = path.relative_to(folder.parent).as_posix()
            parts = relative.split("/")
            data = path.read_bytes()
            digest = rest
            review = parts[0] == "reviews" and parts[-1].endswith(".md")
            if review and len(parts) == 4 and parts[2] != "governance":
                digest = teams.setdefault((parts[1], parts[2]), hashlib.sha256())
                front, body = _frontmatter(data)
                findings[relative] = hashlib.sha256(body).digest()
                data = front
            digest.update(relative.encode() + b"\0" + data + b"\0")
    teams_digests = {team: d.digest() for team, d in teams.items()}
    return Fingerprints(rest.digest(), teams_digests, findings)


def _frontmatter(data: bytes) -> tuple[bytes, bytes]:
    """A review's frontmatter and body, split where the loader splits them; a
    file it cannot split is all frontmatter. Where this split differs from the
    loader's, the loader's ends later in the file (it also takes a line of
    '---' followed by other white space than this one does), so this one's
    frontmatter always holds the loader's."""
    lines = data.split(b"\n")
    if lines[0].rstrip() != b"---":
        return data, b""
    for index in range(1, len(lines)):
        if lines[index].rstrip() == b"---":
            return b"\n".join(lines[: index + 1]), b"\n".join(lines[index + 1 :])
    return data, b""


def packaged_templates(folders: Sequence[Path]) -> bool:
    """Whether the templates in use are the packaged ones (a programme's own
    folder holding only copies of them): the pages a rebuild keeps are chosen
    by what those show."""
    if len(folders) < 2:
        return True
    own, packaged = folders[0], folders[-1]
    for path in _files(own):
        relative = path.relative_to(own)
        if path.suffix == ".j2":
            copy = packaged / relative
            if not copy.is_file() or copy.read_bytes() != path.read_bytes():
                return False
    return True


def _files(folder: Path) -> list[Path]:
    found = []
    for parent, folders, names in os.walk(folder):  # following no link
        folders.sort()
        found += [Path(parent) / name for name in sorted(names)]
    return [path for path in found if path.is_file() and not path.is_symlink()]


@dataclass
class Kept:
    """What the last build made, for the next one under ``mkdocs serve``: each
    ``last_`` mapping is the build before's, the other this build's."""

    prints: Fingerprints | None = None
    files: dict[str, GeneratedFile] = field(default_factory=dict)
    search: dict[str, tuple[object, list[dict[str, Any]]]] = field(default_factory=dict)
    outputs: dict[str, tuple[object, str]] = field(default_factory=dict)
    last_search: dict[str, tuple[object, list[dict[str, Any]]]] = field(default_factory=dict)
    last_outputs: dict[str, tuple[object, str]] = field(default_factory=dict)

    resolved: dict[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)
    last_resolved: dict[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)
    addresses: object = None  # every file's path, address and inclusion, this build
    last_addresses: object = None

    def start(self) -> None:
        """A new build: what the one before made becomes the last."""
        self.last_search, self.search = self.search, {}
        self.last_outputs, self.outputs = self.outputs, {}
        self.last_resolved, self.resolved = self.resolved, {}
        self.last_addresses, self.addresses = self.addresses, None

    def links(self, html: str, path: str, files: Files, url_of: UrlOf) -> tuple[str, list[str]]:
        """``resolve_source_links``, taken from the build before for the same page
        and HTML when the site's files and their addresses are the same."""
        if self.addresses is None:
            self.addresses = tuple((f.src_uri, f.url, f.inclusion.name) for f in files)
        key = (path, html)
        last = self.last_resolved.get(key)
        if last is None or self.addresses != self.last_addresses:
            last = resolve_source_links(html, path, url_of)
        self.resolved[key] = last
        return last

    def earlier(self, prints: Fingerprints, templates_packaged: bool) -> Earlier | None:
        """The last build's files, to keep those nothing changed since: None when
        anything but reviews changed, or the templates are a programme's own.

        Of the packaged templates, only a review's own page shows its findings:
        when nothing but findings changed, every other file is kept. Otherwise
        the pages of teams whose reviews are all unchanged are kept."""
        last = self.prints
        if last is None or last.rest != prints.rest or not templates_packaged:
            return None
        if last.teams == prints.teams and last.findings.keys() == prints.findings.keys():
            changed = {path for path, d in prints.findings.items() if last.findings[path] != d}
            return Earlier(self.files, frozenset(), frozenset(changed))
        same = {
            team
            for team, digest in prints.teams.items()
            if last.teams.get(team) == digest
            and all(
                last.findings.get(path) == d
                for path, d in prints.findings.items()
                if tuple(path.split("/")[1:3]) == team
            )
        }
        return Earlier(self.files, frozenset(same))

    def generated(self, prints: Fingerprints, files: Sequence[GeneratedFile]) -> None:
        self.prints = prints
        self.files = {item.path: item for item in files}


def cached_search(index: Any, kept: Kept) -> None:
    """Material's search index taking an unchanged page's entries from ``kept``."""
    read = index.add_entry_from_context
    entries = index.entries

    def add_entry_from_context(page: Page) -> None:
        key = (page.content, _toc(page.toc.items), meta_text(page), page.title)
        last = kept.last_search.get(page.url)
        if last is not None and last[0] == key:
            entries.extend(dict(entry) for entry in last[1])
        else:
            start = len(entries)
            read(page)
            last = (key, [dict(entry) for entry in entries[start:]])
        kept.search[page.url] = last

    index.add_entry_from_context = add_entry_from_context


def meta_text(page: Page) -> str:
    """The page's front matter, but the template a kept page is printed through."""
    return repr({k: v for k, v in page.meta.items() if (k, v) != ("template", KEPT_TEMPLATE)})


def navigation(nav: Navigation) -> tuple[object, ...]:
    """What every page shows of the navigation."""

    def items(children: Iterable[Any]) -> tuple[object, ...]:
        return tuple(
            (item.title, getattr(item, "url", None), items(item.children))
            if isinstance(item, Section)
            else (item.title, getattr(item, "url", None))
            for item in children
        )

    return items(nav.items)


def page_key(page: Page, build: object) -> object:
    """What a page's output is made from, beside the build's ``build`` signature."""
    around = [
        (getattr(other, "url", None), other.title) if other is not None else None
        for other in (page.previous_page, page.next_page, page.parent)
    ]
    return (
        build,
        page.content,
        _toc(page.toc.items),
        meta_text(page),
        page.title,
        page.url,
        page.file.src_uri,
        page.is_homepage,
        tuple(around),
    )


def build_signature(config: MkDocsConfig, nav: Navigation, extra: str) -> object:
    """The configuration file, the theme's files and the navigation."""
    # Installed packages (MkDocs, Material) do not change while serve runs.
    installed = Path(mkdocs.__file__).parent.parent
    theme = [
        (path.as_posix(), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in config.theme.dirs
        if not Path(folder).is_relative_to(installed)
        for path in _files(Path(folder))
    ]
    config_file = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    return (config_file, tuple(theme), navigation(nav), extra)


def pages_kept_whole(config: MkDocsConfig, own: object, search: Callable[[object], bool]) -> bool:
    """Whether a page's output can be printed again: no plugin but ``own`` and
    search changes a page between its content and its output, and ``own`` is the
    first to see the output (the plugins after it see the same text again)."""
    post = [getattr(h, "__self__", None) for h in config.plugins.events.get("post_page", [])]
    return only_search_between(config, own, search) and post[:1] == [own]


def only_search_between(
    config: MkDocsConfig, own: object, search: Callable[[object], bool]
) -> bool:
    """Whether no plugin but ``own`` and search acts on a page between its content
    and its output (MkDocs' page_context event)."""
    owners = [getattr(h, "__self__", None) for h in config.plugins.events.get("page_context", [])]
    return all(p is own or search(p) for p in owners)


def _toc(items: Iterable[AnchorLink]) -> tuple[object, ...]:
    return tuple((i.title, i.id, i.level, _toc(i.children)) for i in items)
