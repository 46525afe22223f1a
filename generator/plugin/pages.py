"""Generated pages handed to MkDocs with their HTML blocks set aside.

A generated page is Markdown headings between blocks of HTML (the templates
write tables, cards and charts as HTML, and reviewers' Markdown is already
HTML by then). MkDocs would convert each page with Python-Markdown, whose
raw-HTML pass, and MkDocs' own pass looking for anchors, parse every tag of
it in Python: most of what a build spends on the generated pages. Here each
top-level HTML block is put in the converter's stash just as Python-Markdown's
own raw-HTML pass would put it, so the converter, with the site's own
extensions and settings, reads only the headings. The HTML, contents and
title are the same; ``tests/test_plugin_pages.py`` compares them with MkDocs'
own conversion on every page of the sample and of a synthetic programme.

A page is converted the usual way instead when anything could tell the
difference: a block that is not a heading or a whole HTML element, HTML
that does not close, an extension that adds a step before the raw-HTML pass
(it would see inside the blocks), or another plugin that rewrote the page's
Markdown.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from dataclasses import dataclass

import markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.plugins.qa-site")

# Python-Markdown's own steps before the raw-HTML pass; an extension adding
# another (snippets, fenced code) would see inside the HTML blocks.
_OWN_PREPROCESSORS = {NormalizeWhitespace, HtmlBlockPreprocessor, FencedBlockPreprocessor}
# Fenced code is found anywhere a line starts, inside HTML blocks too.
_FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})", re.MULTILINE)

_BLANK = re.compile(r"\n+")
# Python-Markdown keeps an element's line break when a blank line follows it.
_BLANK_AFTER = re.compile(r"([ ]*\n){2}")
_HEADING = re.compile(r"#{1,6}(?:[ \t][^\n]*)?")
# Read as text by Python's HTML parser (script, style), differently by some of
# its versions, or converted inside by md_in_html (markdown=): left to MkDocs.
_SET_APART = re.compile(
    r"<(?:script|style|textarea|title|plaintext|xmp|iframe|noembed|noframes|noscript)\b"
    r"|\smarkdown=",
    re.IGNORECASE,
)
# A tag, a comment, or a declaration.
_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>",
    re.DOTALL,
)
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr",
}  # fmt: skip
_ANCHOR = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(\s[^>]*?\b(?:id|name)=[^>]*)>")
_ATTRIBUTE = re.compile(r"\s(id|name)=\"([^\"]*)\"")


@dataclass(frozen=True)
class Converted:
    content: str
    toc_tokens: list[dict[str, object]]
    anchor_ids: set[str]


class Converter:
    """One Python-Markdown converter for every generated page of a build, set up
    as MkDocs sets up its own, reset between pages."""

    def __init__(self, config: MkDocsConfig, remember: bool = False) -> None:
        self.md = markdown.Markdown(
            extensions=config["markdown_extensions"],
            extension_configs=config["mdx_configs"] or {},
        )
        self.usable = all(type(step) in _OWN_PREPROCESSORS for step in self.md.preprocessors)
        self._normalise = self.md.preprocessors["normalize_whitespace"]
        # Done once here, before the blocks are set aside, as convert() would.
        self.md.preprocessors.deregister("normalize_whitespace")
        self.settings = (config["markdown_extensions"], config["mdx_configs"])
        # Under `mkdocs serve`, each build's conversions, for the next.
        self.remember = remember
        self._converted: dict[str, Converted] = {}
        self._last: dict[str, Converted] = {}

    def start(self) -> None:
        """A new build: its pages' conversions are kept for the next."""
        self._last, self._converted = self._converted, {}

    def convert(self, text: str) -> Converted | None:
        """The page's HTML, contents and anchors; None when the page must be
        converted the usual way. A text converted in the build before is taken
        from it."""
        converted = self._last.get(text) or self._converted.get(text)
        if converted is None:
            converted = self._convert(text)
        if converted is not None and self.remember:
            self._converted[text] = converted
        return converted

    def _convert(self, text: str) -> Converted | None:
        if not self.usable or not text.strip():
            return None
        source = "\n".join(self._normalise.run(text.split("\n")))
        if _FENCE.search(source):
            return None
        blocks = _blocks(source, self.md)
        if blocks is None:
            return None
        md = self.md
        md.reset()
        parts = [md.htmlStash.store(block) if raw else block for raw, block in blocks]
        content = md.convert("\n\n".join(parts))
        tokens = list(getattr(md, "toc_tokens", []))
        return Converted(content, tokens, _anchor_ids(content))


def _blocks(source: str, md: markdown.Markdown) -> list[tuple[bool, str]] | None:
    """The page as (is raw HTML, text) blocks, each HTML element as Python-Markdown's
    raw-HTML pass stashes it; None if a line starts anything but a one-line
    heading or a block-level element that closes at the end of a line."""
    blocks: list[tuple[bool, str]] = []
    position = 0
    length = len(source)
    while True:
        blank = _BLANK.match(source, position)
        position = blank.end() if blank else position
        if position >= length:
            return blocks
        line_end = source.find("\n", position)
        line_end = length if line_end < 0 else line_end
        if _HEADING.fullmatch(source, position, line_end):
            blocks.append((False, source[position:line_end]))
            position = line_end
            continue
        end = _element_end(source, position, md)
        if end is None or not source.startswith("\n", end):
            return None
        # Kept with its element: the line break before a blank line.
        keep = end + 1 if _BLANK_AFTER.match(source, end) else end
        blocks.append((True, source[position:keep]))
        position = end


def _element_end(text: str, start: int, md: markdown.Markdown) -> int | None:
    """Where the block-level element starting at ``start`` ends, as Python-Markdown's
    raw-HTML pass finds it; None if no element starts there, or it does not
    close, or it holds what the pass would read otherwise."""
    first = _TOKEN.match(text, start)
    if first is None or not first[2] or first[1] or not md.is_block_level(first[2]):
        return None
    name = first[2].lower()
    if name in _VOID or first[3].rstrip().endswith("/"):
        end = first.end()
    else:
        # Where its end tag closes as many of its name as were opened (read in C),
        # then checked tag by tag below.
        depth = 0
        for same in _same_name(name).finditer(text, start):
            depth += -1 if same[1] else 1
            if depth == 0:
                break
        else:
            return None
        closed = _TOKEN.match(text, same.start())
        if closed is None:
            return None
        end = closed.end()
    if _SET_APART.search(text, start, end):
        return None
    return end if _closes_last(_TOKEN.findall(text, start, end)) else None


def _closes_last(tags: list[tuple[str, str, str]]) -> bool:
    """Whether the first of ``tags`` stays open until the last, with open tags
    tracked as the raw-HTML pass tracks them (an end tag closes every tag
    opened after its own; one with nothing to close is passed over)."""
    stack: list[str] = []
    last = len(tags) - 1
    for index, (closing, name, attributes) in enumerate(tags):
        if not name:
            continue  # a comment or declaration
        name = name.lower()
        if closing:
            if name in stack:
                while stack.pop() != name:
                    pass
        elif name not in _VOID and not attributes.rstrip().endswith("/"):
            stack.append(name)
        if not stack:
            return index == last
    return False


@functools.lru_cache(maxsize=64)
def _same_name(name: str) -> re.Pattern[str]:
    return re.compile(f"<(/?){re.escape(name)}(?=[\\s/>])", re.IGNORECASE)


def _anchor_ids(content: str) -> set[str]:
    """What MkDocs records as the page's anchors: every id, and every name of a link."""
    found = set()
    for tag, attributes in _ANCHOR.findall(content):
        for key, value in _ATTRIBUTE.findall(attributes):
            if key == "id" or tag.lower() == "a":
                found.add(html.unescape(value))
    return found


def nav_titles(nav: object) -> dict[str, list[str | None]]:
    """Every path ``nav:`` in mkdocs.yml lists, with the titles it gives it (None:
    the page's own), as MkDocs reads the setting."""
    found: dict[str, list[str | None]] = {}

    def walk(data: object, title: str | None = None) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                walk(value, key if isinstance(value, str) else None)
        elif isinstance(data, list):
            for item in data:
                walk(item)
        elif isinstance(data, str):
            found.setdefault(data.lstrip("/"), []).append(title)

    walk(nav)
    return found


class RenderedPage(Page):
    """A generated page, converted by a build's shared ``Converter`` (MkDocs'
    own conversion when the converter declines it). Made before MkDocs makes
    the navigation, which then takes it as it is: ``title`` is the one ``nav:``
    gives the page, if any."""

    # Under `mkdocs serve`: what its output is made from, and the output of the
    # build before when that was made from the same (``plugin.rebuild``).
    made_from: object = None
    kept_output: str | None = None

    def __init__(
        self, title: str | None, file: File, config: MkDocsConfig, converter: Converter
    ) -> None:
        super().__init__(title, file, config)
        self.converter = converter
        self._read: str | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        super().read_source(config)
        self._read = self.markdown

    def render(self, config: MkDocsConfig, files: Files) -> None:
        converted = None
        if self.markdown is not None and self.markdown is self._read and "title" in self.meta:
            converted = self.converter.convert(self.markdown)
        if converted is None:
            super().render(config, files)
            return
        self.content = converted.content
        self.toc = get_toc(converted.toc_tokens)  # type: ignore[arg-type]
        self._title_from_render = None  # the title is the page's front matter's
        self.present_anchor_ids = converted.anchor_ids
        if log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = {}
