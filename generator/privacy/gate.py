"""The partner edition's last gate: its output, read as partners will read it.

The guard (``generator.privacy.guard``) scans every content file before anything is
built. This gate scans what was built: the text of every page as a browser
shows it (markup gone, inline elements joined, attribute values such as link
addresses and titles included), the search index (each entry read against the
page it indexes, so that what is apart on the page stays apart) and every
download. Personal
data that only appears after rendering (a number split across Markdown markup,
an id that became part of an address) is caught here, before the partner
edition is swapped in.

What a reviewer accepted with a ``pii-ok`` marker (and the guard listed) is
let through; anything else stops the build. Each find is reported as
``path:line: field: message``: the source file and line when the same thing is
written in the content, else the page it was found on. The value itself is
never printed.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from generator.core.problems import FILE, Problem
from generator.load.repository import LoadedRepository
from generator.privacy.detect import find_personal_data
from generator.privacy.guard import Accepted, finding_key, places_of_findings
from generator.privacy.markers import find_markers
from generator.privacy.names import DenyList
from generator.privacy.search_index import SEARCH_INDEX, PageBlocks, apart_as_on_page, page_of

# Elements a browser starts on a line of their own: their texts are not joined.
_BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "button", "caption", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hr", "label", "legend", "li", "main", "nav", "ol",
        "option", "p", "pre", "script", "section", "select", "style", "summary", "table", "tbody",
        "td", "textarea", "tfoot", "th", "thead", "title", "tr", "ul",
    )
)
# What the site's own folders may hold that is text a reader could fetch.
_OWN_TEXT = frozenset((".js", ".css", ".map", ".svg"))
# What the search index leaves out of a page.
_NOT_INDEXED = frozenset(("object", "script", "style"))
# Blocks, as readers_text_of_html separates them.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# Attributes whose values a reader sees (a tooltip, a label) or that name pages.
_READ_ATTRIBUTES = frozenset(("alt", "title", "aria-label", "href", "src", "content", "value"))
# What a site holds besides its text: the theme's code, fonts, pictures.
_NOT_TEXT = frozenset(
    (
        ".js", ".css", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp",
        ".woff", ".woff2", ".ttf", ".eot", ".gz", ".zip", ".lock",
        # A PDF paper is read from the HTML it was made from (GeneratedFile.readers_text).
        ".pdf",
    )
)


@dataclass(frozen=True)
class Published:
    """One text of the built edition, and the file it is in (relative to the site)."""

    path: str
    text: str


class _Reader(HTMLParser):
    """The text of an HTML page as a reader meets it, in paragraphs; and, apart, the
    text of its content (its ``<article>``) as the search index takes it: without
    attribute values, scripts or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.indexed: list[str] = []
        self.article = 0  # how deep in <article> elements
        self.skipping = 0  # how deep in elements the search index leaves out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")
            if self.article:
                self.indexed.append("\n\n")
        self.article += tag == "article"
        self.skipping += tag in _NOT_INDEXED
        for name, value in attrs:
            if value and name in _READ_ATTRIBUTES:
                self.parts.append(f"\n\n{value}\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.article:
            self.article -= 1
        if tag in _NOT_INDEXED and self.skipping:
            self.skipping -= 1
        if tag in _BLOCKS:
            self.parts.append("\n\n")
            if self.article:
                self.indexed.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self.article and not self.skipping:
            self.indexed.append(data)


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def readers_text_of_html(html: str) -> str:
    """What a reader of ``html`` sees: texts of inline elements joined as shown,
    blocks and attribute values kept apart by blank lines."""
    return "".join(_read(html).parts)


def published_texts(
    files: Iterable[tuple[str, bytes]], own: Collection[str] = ()
) -> Iterator[Published]:
    """The texts of a built edition's files, each as its reader meets it. Scripts,
    styles and pictures are skipped unless they are among ``own`` (paths of files
    the site's own folders hold, as opposed to the theme's). The search index is
    read last, each entry against the page it indexes (``search_index``)."""
    pages: dict[str, PageBlocks] = {}
    indexes: list[tuple[str, str]] = []
    for path, raw in files:
        suffix = Path(path).suffix.lower()
        if suffix in _NOT_TEXT and (path not in own or suffix not in _OWN_TEXT):
            continue
        if suffix == ".xlsx":  # a workbook: the text of its cells, as a spreadsheet shows
            yield Published(path, "\n\n".join(_workbook_texts(raw)))
            continue
        text = raw.decode("utf-8", errors="replace")
        if path == SEARCH_INDEX:
            indexes.append((path, text))
        elif suffix in (".html", ".htm", ".md"):
            reader = _read(text)
            yield Published(path, "".join(reader.parts))
            if suffix != ".md":
                pages[path] = PageBlocks.of(_PARAGRAPH_BREAK.split("".join(reader.indexed)))
        elif suffix == ".json":
            yield Published(path, "\n\n".join(_json_texts(text)))
        else:  # CSV, XML (the sitemap), plain text
            yield Published(path, text)
    for path, text in indexes:
        yield Published(path, "\n\n".join(_search_index_texts(text, pages)))


def _search_index_texts(text: str, pages: Mapping[str, PageBlocks]) -> Iterator[str]:
    """The texts of Material's search index: each entry's text in its page's blocks,
    as the page shows it apart, and every other string as ``_json_texts`` reads it."""
    try:
        document = json.loads(text)
    except ValueError:
        yield text
        return
    entries = document.get("docs") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        yield from _json_values(document)
        return
    rest = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            rest.append(entry)
            continue
        paragraphs = _PARAGRAPH_BREAK.split(readers_text_of_html(entry["text"]))
        page = pages.get(page_of(str(entry.get("location", ""))))
        yield "\n\n".join(paragraphs if page is None else apart_as_on_page(paragraphs, page))
        rest.append({key: value for key, value in entry.items() if key != "text"})
    yield from _json_values({**document, "docs": rest})


def _workbook_texts(raw: bytes) -> Iterator[str]:
    """The text of every cell and sheet name of an .xlsx workbook: the text of every
    element of its XML parts (shared strings, cells, document properties) and every
    name (the sheets'). A file that is not such a workbook is read as text."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
            for name in sorted(workbook.namelist()):
                if name.endswith(".xml"):
                    root = ElementTree.fromstring(workbook.read(name))
                    yield "\n".join(
                        text for e in root.iter() for text in (e.text, e.get("name")) if text
                    )
    except (zipfile.BadZipFile, ElementTree.ParseError):
        yield raw.decode("utf-8", errors="replace")


def _json_texts(text: str) -> Iterator[str]:
    """Every string (and key) of a JSON document; HTML inside one (the search index
    keeps pages' markup) read as a reader would."""
    try:
        document = json.loads(text)
    except ValueError:
        yield text
        return
    yield from _json_values(document)


def _json_values(document: Any) -> Iterator[str]:
    pending: list[Any] = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            yield readers_text_of_html(value) if "<" in value else value
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield str(key)
                pending.append(item)
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield str(value)


def accepted_in_pages(docs: Path, deny: DenyList | None) -> list[Accepted]:
    """What the site's hand-written pages (``docs/``) accept with a ``pii-ok`` marker
    on the line: an example in the documentation, a public switchboard number."""
    accepted = []
    for path in sorted(docs.rglob("*.md")):
        if path.is_symlink() or not path.is_file():
            continue
        relative = path.relative_to(docs).as_posix()
        for number, line in enumerate(path.read_text("utf-8", "replace").splitlines(), 1):
            reasons = [m.reason for m in find_markers(line) if m.reason]
            if not reasons:
                continue
            for finding in find_personal_data(line, deny):
                key = finding_key(line[finding.start : finding.end])
                accepted.append(
                    Accepted(relative, number, "page", finding.description, reasons[0], key)
                )
    return accepted


def site_files(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of a built site, in name order, as (path relative to it, bytes)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(folder).as_posix(), path.read_bytes()


def gate(
    published: Iterable[Published],
    accepted: Iterable[Accepted],
    deny: DenyList | None,
    trace: Callable[[str], tuple[str, int, str] | None],
    shown_as: str,
) -> list[Problem]:
    """Every find of personal data in ``published`` that no ``pii-ok`` marker accepted.

    ``trace(key)`` gives the source (path, line, field) that writes the same thing,
    when one does; ``shown_as`` is how the edition's folder is named in a message.
    """
    allowed = {entry.key for entry in accepted if entry.key}
    problems = []
    # Every page repeats the navigation, header and footer: each paragraph is scanned once.
    keys: dict[str, list[tuple[str, str]]] = {}
    for item in published:
        for paragraph in _PARAGRAPH_BREAK.split(item.text):
            found = keys.get(paragraph)
            if found is None:
                found = keys[paragraph] = [
                    (f.description, finding_key(paragraph[f.start : f.end]))
                    for f in find_personal_data(paragraph, deny)
                ]
            for description, key in found:
                if key in allowed:
                    continue
                problems.append(_problem(description, trace(key), f"{shown_as}/{item.path}"))
    return sorted(set(problems))


def _problem(description: str, source: tuple[str, int, str] | None, where: str) -> Problem:
    if source is None:
        return Problem(
            where,
            1,
            FILE,
            f"{description} in the partner edition as built, made when the content was "
            "rendered (no content file writes it as one piece); find what this page shows "
            "from the content and take it out",
        )
    path, line, field = source
    return Problem(
        path,
        line,
        field,
        f"{description} reaches the partner edition as built ({where}); take it out, or "
        "mark it internal",
    )


def tracer(
    load: Callable[[], LoadedRepository], deny: DenyList | None
) -> Callable[[str], tuple[str, int, str] | None]:
    """A ``trace`` for ``gate``: where the content (``load()``) writes each thing, by key."""
    places: dict[str, tuple[str, int, str]] | None = None

    def trace(key: str) -> tuple[str, int, str] | None:
        nonlocal places
        if places is None:  # only when the gate found something: a second full scan
            places = places_of_findings(load(), deny)
        return places.get(key)

    return trace
