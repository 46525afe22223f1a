"""Showing reviewers' text safely on the site.

Everything a content file says is shown as text, never run as code. Plain
fields (titles, notes, actions) are escaped. Narratives (findings, minutes,
standard guidance, team descriptions) keep their Markdown formatting, but raw
HTML in them is shown as text, links may only go to web pages, e-mail or the
site itself, and images are replaced by their description: an image from
another host would be a request the intranet cannot make, and a way to
track readers.

A link's scheme is judged on the address the browser will follow, not on the
text as written: character references (``&#106;avascript:``, ``&colon;``,
``&Tab;``) are decoded as the browser decodes them, and the tabs, newlines
and other control characters it ignores are dropped. Then, as a second line
of defence, the HTML made from a narrative goes through an allow-list
sanitiser (nh3) that knows only the tags and attributes Markdown makes here.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator, Mapping
from html.parser import HTMLParser

import markdown
import nh3
from markdown import util as markdown_util
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from generator.render.bounded_markdown import BoundedLinks, render_bounded, without_markers

# Characters Python-Markdown gives a meaning to inline, escaped with a backslash.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers drop tabs and newlines anywhere in a URL and control characters and
# spaces around it ("java\tscript:" still runs); all of them are dropped here,
# wherever they are, and so are the invisible format characters and the other
# Unicode spaces, so that nothing can hide inside a scheme.
_IGNORED_IN_URL = re.compile(
    r"[\s\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+"
)
# Attributes whose value is an address the browser may follow or fetch.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "cite", "action", "formaction", "poster", "background",
     "longdesc", "lowsrc", "dynsrc", "data", "codebase", "ping", "xlink:href", "manifest"}
)  # fmt: skip
# How many rounds of character-reference decoding a URL may need; more is refused.
_MAX_DECODING = 8
# An "&" that starts no complete character reference: Python-Markdown writes it
# out as "&amp;" in an attribute, and keeps every complete reference as written.
_BARE_AMPERSAND = re.compile(r"&(?!(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)", re.I)


def markdown_text(text: str) -> Markup:
    """``text`` for a Markdown line (a heading, a page title): shown exactly as written.

    Quotes are left as they are: they mean nothing in a line of text, and a
    character reference for one (``&#39;``) is escaped a second time by the
    contents list that MkDocs makes from the headings.
    """
    escaped = html.escape(" ".join(text.split()), quote=False)
    return Markup(_MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped))


def url_scheme(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it, lower case; None for a relative link.

    ``url`` is taken as already decoded: see :func:`is_safe_url`.
    """
    scheme = _SCHEME.match(_IGNORED_IN_URL.sub("", url).casefold())
    return scheme.group(1) if scheme else None


def _readings(url: str) -> Iterator[str]:
    """``url`` as written, then decoded again and again until decoding changes nothing.

    The browser decodes character references in an attribute once; a value
    is judged at every stage, so that neither too little decoding nor too
    much can hide a scheme. The text is first decoded as the browser will see
    it once serialised (a bare ``&`` stays a bare ``&``).
    """
    yield url
    yield html.unescape(_BARE_AMPERSAND.sub("&amp;", url))
    for _ in range(_MAX_DECODING):
        decoded = html.unescape(url)
        if decoded == url:
            return
        url = decoded
        yield url
    raise ValueError("too many layers of character references")


def is_safe_url(url: str) -> bool:
    """A link to a web page, an e-mail address, or within the site.

    ``url`` is an attribute's value as written in HTML: character references
    in it are decoded (as often as they nest) before its scheme is read, and
    the characters a browser ignores are dropped. Only ``http``, ``https``,
    ``mailto`` and relative links (no scheme) are safe.
    """
    try:
        return all(url_scheme(reading) in (None, *SAFE_SCHEMES) for reading in _readings(url))
    except ValueError:
        return False


def _as_written(value: str) -> str:
    """An attribute's value inside Python-Markdown's tree as it will be written out.

    Python-Markdown keeps its own placeholders in the tree until it writes the
    HTML: ``&`` of the entities it makes (e-mail autolinks), and backslash
    escapes.
    """
    value = value.replace(markdown_util.AMP_SUBSTITUTE, "&")
    return re.sub(
        f"{markdown_util.STX}([0-9]+){markdown_util.ETX}", lambda m: chr(int(m.group(1))), value
    )


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
                    continue
                unsafe = [
                    name
                    for name, value in element.items()
                    if name.lower() in URL_ATTRIBUTES and not is_safe_url(_as_written(value))
                ]
                for name in unsafe:
                    element.attrib.pop(name)
                if element.tag == "a" and "href" not in element.attrib:
                    element.tag = "span"  # not a link, and not shown as one
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
    for readers: they are left out too. Every piece Markdown makes goes
    through ``sanitise``; a block shown as written (see
    ``generator.render.bounded_markdown``) is escaped text in a paragraph already.
    """
    convert = _converter(top_level, drop_heading)
    return Markup(
        render_bounded(without_markers(text), lambda source: sanitise(convert(source)))
    )


def _markdown_html(text: str, top_level: int, drop_heading: str | None) -> str:
    """The first line of defence alone: Python-Markdown with links and images checked."""
    return render_bounded(without_markers(text), _converter(top_level, drop_heading))


def _converter(top_level: int, drop_heading: str | None) -> Callable[[str], str]:
    renderer = _renderer(top_level, drop_heading)

    def convert(source: str) -> str:
        renderer.reset()
        return renderer.convert(source)

    return convert


# What Python-Markdown makes of a narrative here (core syntax, `tables`,
# `sane_lists`, unsafe links turned into spans); nothing else gets through.
NARRATIVE_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre",
     "blockquote", "ul", "ol", "li", "a", "span", "table", "thead", "tbody", "tr", "th", "td"}
)  # fmt: skip
NARRATIVE_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "span": frozenset({"title"}),  # a link that was not safe keeps its title
    "ol": frozenset({"start"}),
}
# A table column's alignment, exactly as the `tables` extension writes it.
_ALIGNMENTS = {f"text-align: {side};" for side in ("left", "center", "right")}


def sanitise(fragment: str) -> str:
    """``fragment``, HTML made from reviewers' text, through the allow-list sanitiser.

    Only the tags and attributes of :data:`NARRATIVE_TAGS` and
    :data:`NARRATIVE_ATTRIBUTES` are kept, and links only to web pages, e-mail
    and the site itself. What Python-Markdown makes of the sample content
    comes out unchanged, apart from character references, which come out
    decoded (the same text).
    """
    return nh3.clean(
        fragment,
        tags=set(NARRATIVE_TAGS),
        attributes={tag: set(names) for tag, names in NARRATIVE_ATTRIBUTES.items()},
        tag_attribute_values={cell: {"style": set(_ALIGNMENTS)} for cell in ("th", "td")},
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


class _Addresses(HTMLParser):
    """Every address in a page's start tags: (tag, attribute, value decoded once); and
    those the browser fetches as the page loads (``loads``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self.loads: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        fetched = _FETCHED.get(tag, ())
        if tag == "link" and not _FETCHED_LINKS & set((values.get("rel") or "").lower().split()):
            fetched = ()
        start = len(self.found)
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                if name in ("srcset", "ping"):  # several addresses in one value
                    parts = value.split(",") if name == "srcset" else value.split()
                    self.found += [(tag, name, p.strip().split(" ")[0]) for p in parts]
                else:
                    self.found.append((tag, name, value))
            elif tag in ("animate", "set") and name in ("values", "to", "from") and value:
                # SVG animation can set an address: each of its values is one.
                self.found += [(tag, name, part.strip()) for part in value.split(";")]
        self.loads += [entry for entry in self.found[start:] if entry[1] in fetched]

    handle_startendtag = handle_starttag

    def updatepos(self, i: int, j: int) -> int:
        # The parser counts lines and columns after every token, for messages
        # this one never gives: a fifth of its time on a large page.
        return j


# What a browser fetches by itself as a page loads: (tag -> its attributes that do so),
# and the kinds of <link> that fetch.
_FETCHED = {
    "script": ("src",),
    "img": ("src", "srcset", "lowsrc", "dynsrc", "longdesc"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data", "codebase"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "link": ("href",),
    "html": ("manifest",),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
    "th": ("background",),
}
_FETCHED_LINKS = frozenset(
    {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "prefetch",
     "prerender", "manifest", "preconnect", "dns-prefetch"}
)  # fmt: skip


def remote_loads(page: str) -> list[str]:
    """Every address in an HTML page that the browser fetches from another host as the
    page loads (a script, a stylesheet, a font or a picture), as ``tag attribute='value'``.

    The intranet has no internet: such a page is broken there, and tells the other
    host who reads it wherever it does load.
    """
    return page_addresses(page)[1]


def page_addresses(page: str) -> tuple[list[str], list[str]]:
    """``unsafe_urls(page)`` and ``remote_loads(page)``, reading the page once."""
    parser = _Addresses()
    parser.feed(page)
    parser.close()
    return (
        [f"{tag} {name}={value!r}" for tag, name, value in parser.found if not is_safe_url(value)],
        [f"{tag} {name}={value!r}" for tag, name, value in parser.loads if is_remote(value)],
    )


def is_remote(address: str) -> bool:
    """Fetched from another host: ``//host``, or a scheme that names one. A browser reads
    ``\\\\host`` and ``/\\host`` as ``//host`` too (and MkDocs writes a backslash as ``/``)."""
    address = address.strip().replace("\\", "/")
    return address.startswith("//") or url_scheme(address) not in _LOCAL_SCHEMES


_LOCAL_SCHEMES = frozenset({None, "data", "blob", "about", "file"})


def unsafe_urls(page: str) -> list[str]:
    """Every address in an HTML page that is not a web page, e-mail or a link within the site.

    For a last check of each built page: each is given as ``tag attribute='value'``
    (the value as the browser reads it); an empty list when the page is safe.
    Only addresses are checked: inline scripts and event handlers are the
    theme's own business.
    """
    return page_addresses(page)[0]


@functools.lru_cache(maxsize=16)
def _renderer(top_level: int, drop_heading: str | None) -> markdown.Markdown:
    # Made once per kind of narrative: making one costs more than most conversions.
    return markdown.Markdown(
        extensions=["tables", "sane_lists", BoundedLinks(), _NoRawHtml(top_level, drop_heading)],
        output_format="html",
    )


