"""Showing reviewers' text safely on the site.

Everything a content file says is shown as text, never run as code. Plain
fields (titles, notes, actions) are escaped. Narratives (findings, minutes,
standard guidance, team descriptions) keep their Markdown formatting, but raw
HTML in them is shown as text, links may only go to web pages, e-mail or the
site itself, and images are replaced by their description: an image from
another host would be a request the intranet cannot make, and a way to
track readers.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

# Characters Python-Markdown gives a meaning to inline, escaped with a backslash.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers ignore these inside a URL's scheme ("java\tscript:" still runs).
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def markdown_text(text: str) -> Markup:
    """``text`` for a Markdown line (a heading, a page title): shown exactly as written."""
    escaped = str(escape(" ".join(text.split())))
    return Markup(_MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped))


def is_safe_url(url: str) -> bool:
    """A link to a web page, an e-mail address, or within the site."""
    compact = _IGNORED_IN_URL.sub("", url)
    scheme = _SCHEME.match(compact)
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


class _Neutralise(Treeprocessor):
    """Drop unsafe links, turn images into text and shift headings under the page's."""

    def __init__(self, md: markdown.Markdown, top_level: int, drop_heading: str | None) -> None:
        super().__init__(md)
        self.top_level = top_level
        self.drop_heading = drop_heading

    def run(self, root: etree.Element) -> None:
        first = root[0] if len(root) else None
        if (
            first is not None
            and self.drop_heading is not None
            and re.fullmatch(r"h[1-6]", str(first.tag))
            and "".join(first.itertext()).strip().lower() == self.drop_heading.lower()
        ):
            root.remove(first)  # the page already has this heading
        for parent in root.iter():
            for index, element in enumerate(list(parent)):
                if element.tag == "img":
                    parent.remove(element)
                    text = element.get("alt") or ""
                    span = etree.Element("span")
                    span.text = f"[image: {text}]" if text else "[image]"
                    span.tail = element.tail
                    parent.insert(index, span)
                elif element.tag == "a" and not is_safe_url(element.get("href", "")):
                    element.attrib.pop("href", None)
                    element.tag = "span"
        self._shift_headings(root)

    def _shift_headings(self, root: etree.Element) -> None:
        levels = [int(e.tag[1]) for e in root.iter() if re.fullmatch(r"h[1-6]", str(e.tag))]
        if not levels:
            return
        shift = self.top_level - min(levels)
        for element in root.iter():
            if re.fullmatch(r"h[1-6]", str(element.tag)):
                element.tag = f"h{min(6, max(1, int(element.tag[1]) + shift))}"


class _NoRawHtml(Extension):
    def __init__(self, top_level: int, drop_heading: str | None) -> None:
        super().__init__()
        self.top_level = top_level
        self.drop_heading = drop_heading

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Without these, raw HTML is ordinary text and comes out escaped.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(
            _Neutralise(md, self.top_level, self.drop_heading), "qa_neutralise", 0
        )


def narrative_html(text: str, top_level: int = 3, drop_heading: str | None = None) -> Markup:
    """A Markdown narrative as safe HTML, its headings starting at ``top_level``.

    A first heading reading ``drop_heading`` is left out: the page has one.
    ``<!-- pii-ok: reason -->`` markers are for the personal-data check, not
    for readers: they are left out too.
    """
    renderer = _renderer(top_level, drop_heading)
    renderer.reset()
    return Markup(renderer.convert(_PII_OK.sub("", text)))


# The personal-data check's markers (see generator/guard.py), with the space before.
_PII_OK = re.compile(r"[ \t]*<!--\s*pii-ok\b.*?-->", re.I | re.S)


@functools.lru_cache(maxsize=16)
def _renderer(top_level: int, drop_heading: str | None) -> markdown.Markdown:
    # Made once per kind of narrative: making one costs more than most conversions.
    return markdown.Markdown(
        extensions=["tables", "sane_lists", _NoRawHtml(top_level, drop_heading)],
        output_format="html",
    )


# What makes markup inside a line of GitHub-flavoured Markdown; "&" only where it
# would start an entity ("H&F" stays as it is).
_GFM_INLINE = re.compile(r"[\\`*_\[\]<>|~]|&(?=#?\w+;)")


def markdown_cell(text: str) -> str:
    """``text`` on one line of a Markdown report (a table cell, a list item), shown
    as written: for CI job summaries and pull-request comments, not the site."""
    line = _GFM_INLINE.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))
    return "\\" + line if line.startswith(("#", "+", "-")) else line
