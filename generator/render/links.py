"""Links to pages' source files, turned into the URLs of the built site.

Generated pages are raw HTML, and they link to their targets' source files
(``<a href="../standards/S07.md">``), relative to their own, as Markdown links
do. Zensical resolves such links in raw HTML; MkDocs resolves only Markdown
links, so the plugin turns these with :func:`resolve_source_links`, and
``qa-site render --links directory|file`` does the same with MkDocs' rules for
an engine that turns no link at all.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from html import escape, unescape
from typing import Literal
from urllib.parse import unquote, urlsplit

from generator.render.page import GeneratedFile
from generator.render.urls import DATA, PAPERS, page_url, relative_link

# The forms a link between pages may take: to the target's source file, which the
# engine turns into a URL, or to its URL with MkDocs' directory URLs or without.
LinkForm = Literal["source", "directory", "file"]
LINK_FORMS: tuple[LinkForm, ...] = ("source", "directory", "file")

# A start tag, with its attributes; a quoted value may hold ">". Nothing in a tag
# may be "<" (escaped in every attribute the pages write), so that a match tried
# at each "<" stops at the next one: the time stays linear in the page, whatever
# it holds (an unclosed tag, a quote never closed).
# Possessive quantifiers (*+) never give back what they took, so a tag that does
# not close fails at once instead of trying every split of its characters.
_TAG = re.compile(r"""<[A-Za-z][^\s/<>]*+(?:"[^"<]*+"|'[^'<]*+'|[^'"<>]++)*+>""")
# An attribute of a start tag, and its value as written.
_ATTRIBUTE = re.compile(
    r"""(?P<name>\s(?P<key>[^\s"'=<>/]+)\s*=\s*)"""
    r"""(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'=<>`]+))"""
)
_LINK_ATTRIBUTES = frozenset(("href", "src"))
PAPER_SUFFIX = ".pdf"
# What a link to a source file has in it, for a quick look before the whole check.
_SOURCE_MARKS = (".md", PAPER_SUFFIX, DATA + "/")


def _may_link_source(text: str) -> bool:
    return any(mark in text for mark in _SOURCE_MARKS)

# A source path in the docs folder to the URL of its file, relative to the
# page being resolved; None when there is no such file.
UrlOf = Callable[[str], str | None]


def resolve_source_links(html: str, page_path: str, url_of: UrlOf) -> tuple[str, list[str]]:
    """``html`` of the page made from ``page_path`` (posix, relative to the docs
    folder), with every relative link to a Markdown file (``href`` or ``src``, a path
    ending ``.md``, with any ``?query`` or ``#fragment``), to a PDF paper (a path
    under ``papers/`` ending ``.pdf``) or to a data download (a path under ``data/``)
    turned into ``url_of`` its source path; and the links, unescaped, that lead to no
    file.

    Links with a scheme or host, absolute paths, fragments alone and links to
    other files are left as they are.
    """
    if not _may_link_source(html):  # most hand-written pages
        return html, []
    folder = posixpath.dirname(page_path)
    resolved: dict[str, str | None] = {}  # a page links to the same targets many times
    unresolved: list[str] = []

    def resolve(link: str) -> str | None:
        if link not in resolved:
            resolved[link] = _resolve(link, folder, url_of)
            if resolved[link] is None:
                unresolved.append(link)
        return resolved[link]

    def rewrite_link(match: re.Match[str]) -> str:
        if match.group("key").lower() not in _LINK_ATTRIBUTES:
            return match.group(0)
        value = match.group("double")
        if value is None:
            value = match.group("single")
        if value is None:
            value = match.group("bare")
        link = unescape(value)
        if not _is_source_link(link, folder):
            return match.group(0)
        url = resolve(link)
        if url is None:
            return match.group(0)
        return f'{match.group("name")}"{escape(url)}"'

    def rewrite_tag(match: re.Match[str]) -> str:
        tag = match.group(0)
        if not _may_link_source(tag):
            return tag
        return _ATTRIBUTE.sub(rewrite_link, tag)

    return _TAG.sub(rewrite_tag, html), unresolved


def _is_source_link(link: str, folder: str) -> bool:
    if not _may_link_source(link):
        return False
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        return False
    if parts.path.endswith(".md"):
        return True
    # A page's link to its paper (from generator.papers): the site has it when the
    # build makes papers; or to a data download. Another file's link is left as it
    # is written.
    path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if path.startswith(DATA + "/"):
        return True
    return path.endswith(PAPER_SUFFIX) and path.startswith(PAPERS + "/")


def _resolve(link: str, folder: str, url_of: UrlOf) -> str | None:
    """The URL ``link`` (from a page in ``folder``) leads to, or None."""
    parts = urlsplit(link)
    path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if path == ".." or path.startswith("../"):  # outside the docs folder
        return None
    url = url_of(path)
    if url is None:
        return None
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return url + query + fragment


def plain_links(
    files: Sequence[GeneratedFile], others: Collection[str], directory_urls: bool
) -> tuple[list[GeneratedFile], list[tuple[str, int, str]]]:
    """``files`` with every link of their pages to a source file turned into a URL,
    relative to the page's, as MkDocs gives them (with ``directory_urls`` or not):
    for an engine that turns no link. ``others`` are the paths of the docs
    folder's own files, which pages may link to as well. Also: each link that
    leads to no file, as (page, line, link), in order.
    """
    paths = {item.path for item in files} | set(others)
    urls = {path: page_url(path, directory_urls) for path in paths}
    written, unresolved = [], []
    for item in files:
        if not item.path.endswith(".md") or not isinstance(item.content, str):
            written.append(item)
            continue
        origin = urls[item.path]

        def url_of(path: str, origin: str = origin) -> str | None:
            url = urls.get(path)
            return None if url is None else relative_link(origin, url)

        content, missing = resolve_source_links(item.content, item.path, url_of)
        written.append(replace(item, content=content))
        unresolved += [(item.path, _line_of(item.content, link), link) for link in missing]
    return written, unresolved


def _line_of(text: str, link: str) -> int:
    """The line of ``text`` where ``link`` is first written as a value (1 if it cannot
    be found)."""
    written = escape(link, quote=False)
    for quote in "\"'":
        at = text.find(f"{quote}{written}{quote}")
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1
