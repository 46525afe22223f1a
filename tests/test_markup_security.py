"""Reviewers' text never becomes script: disguised link schemes, the allow-list
sanitiser, generated hostile Markdown, and chart labels plotly.js must not read
as markup.

The checks here do not reuse generator.render.markup's own decoding: they read the
output with html.parser, as a browser would (character references decoded
once, tabs and newlines dropped), and also decode it again and again, so that
neither too little nor too much decoding can hide a scheme.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.render import charts
from generator.render.markup import (
    _markdown_html,
    is_safe_url,
    narrative_html,
    sanitise,
    unsafe_urls,
    url_scheme,
)
from tests.support.disguises import DISGUISED

# --- what the output may contain -------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "span", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"title"}, "ol": {"start"}}
ALIGNMENTS = {"text-align: left;", "text-align: center;", "text-align: right;"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

PAYLOAD = "window.__pwned=1;alert(document.domain)"


def browser_scheme(value: str) -> str | None:
    """The scheme of an attribute value already decoded once, as the URL parser reads it."""
    value = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))
    found = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", value)
    return found.group(1).lower() if found else None


def strict_schemes(value: str) -> Iterator[str]:
    """Every scheme ``value`` could be read as, decoding as often as it nests."""
    for _ in range(10):
        compact = re.sub(r"[\s\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]", "", value)
        found = re.match(r"([a-z][a-z0-9+.\-]*):", compact.lower())
        if found:
            yield found.group(1)
        decoded = html.unescape(value)
        if decoded == value:
            return
        value = decoded
    pytest.fail(f"{value!r} still decodes after ten rounds")


class Inspector(HTMLParser):
    """Every element and attribute of an HTML fragment, with what is wrong with them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not allowed")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}> is an event handler")
            elif name == "style" and tag in ("th", "td"):
                if value not in ALIGNMENTS:
                    self.problems.append(f"<{tag} style={value!r}> is not an alignment")
            elif name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self.problems.append(f"<{tag} {name}> is not allowed")
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))
                scheme = browser_scheme(value)
                if scheme is not None and scheme not in ALLOWED_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>: the browser reads {scheme}:")
                for strict in strict_schemes(value):
                    if strict not in ALLOWED_SCHEMES:
                        self.problems.append(f"<{tag} {name}={value!r}> decodes to {strict}:")

    handle_startendtag = handle_starttag


def inspect(fragment: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(fragment)
    inspector.close()
    return inspector


def assert_safe(fragment: str, source: str) -> None:
    problems = inspect(fragment).problems
    assert problems == [], f"{source!r} became {fragment!r}: {problems}"


# --- disguised schemes -------------------------------------------------------------------

# A few of these only matter to Markdown (a link destination cannot hold a
# newline or a raw control character), but every one must fail the URL check.
URLS = {name: prefix + PAYLOAD for name, prefix in DISGUISED.items()}


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_a_disguised_scheme_is_not_a_safe_url(url: str) -> None:
    assert is_safe_url(url) is False


def _link_forms(label: str, url: str) -> dict[str, str]:
    return {
        "inline": f"Before [{label}]({url}) after.",
        "inline with title": f'Before [{label}]({url} "a title") after.',
        "angle brackets": f"Before [{label}](<{url}>) after.",
        "reference": f"Before [{label}][ref] after.\n\n[ref]: {url}",
        "reference in angle brackets": f'Before [{label}][ref] after.\n\n[ref]: <{url}> "t"',
        "collapsed reference": f"Before [{label}][] after.\n\n[{label}]: {url}",
        "shortcut reference": f"Before [{label}] after.\n\n[{label}]: {url}",
        "in a list": f"- item\n- [{label}]({url})",
        "in a table": f"| a | b |\n|---|:-:|\n| [{label}]({url}) | x |",
        "in a heading": f"## [{label}]({url})",
        "around an image": f"[![{label}](https://x.example/i.png)]({url})",
        "image": f"![{label}]({url})",
    }


FORMS = list(_link_forms("go", "URL"))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_a_disguised_link_is_not_a_link(url: str, form: str) -> None:
    source = _link_forms("go", url)[form]
    for layer, output in (
        ("Markdown", _markdown_html(source, 3, None)),
        ("sanitised", str(narrative_html(source))),
    ):
        assert_safe(output, source)
        links = inspect(output).links
        assert links == [], f"{layer}: {source!r} became {output!r}"


@pytest.mark.parametrize("url", [url for url in URLS.values() if url.isprintable()])
def test_a_disguised_link_keeps_its_text_as_a_span(url: str) -> None:
    assert narrative_html(f"[go]({url})") == "<p><span>go</span></p>"
    assert narrative_html(f"[go][1]\n\n[1]: {url}") == "<p><span>go</span></p>"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=1&c=2#d",
        "HTTPS://EXAMPLE.ORG/",
        "http://example.org",
        "mailto:qa@council.example",
        "MailTo:qa@council.example",
        "../S07/",
        "/teams/",
        "#top",
        "?page=2",
        "//intranet.example/path",
        "S07/",
        "notes.html",
    ],
)
def test_web_mail_and_site_links_stay_links(url: str) -> None:
    assert is_safe_url(url)
    output = str(narrative_html(f"[go]({url})"))
    assert "<a href=" in output, output
    assert_safe(output, url)


def test_the_scheme_is_read_as_the_browser_reads_it() -> None:
    assert url_scheme("JavaScript:x") == "javascript"
    assert url_scheme(" \tjava\nscript:x") == "javascript"
    assert url_scheme("https://x") == "https"
    assert url_scheme("../a:b") is None  # a colon after a slash is not a scheme's
    assert url_scheme("#a:b") is None
    assert url_scheme("1http:x") is None


def test_a_url_nested_too_deep_in_references_is_refused() -> None:
    url = "javascript:x"
    for _ in range(12):
        url = url.replace("&", "&amp;").replace("j", "&#106;", 1)
    assert is_safe_url(url) is False


def test_autolinks_only_for_web_and_mail() -> None:
    assert narrative_html("<javascript:alert(1)>") == "<p>&lt;javascript:alert(1)&gt;</p>"
    assert narrative_html("<JavaScript&colon;alert(1)>") == "<p>&lt;JavaScript:alert(1)&gt;</p>"
    assert narrative_html("<https://example.org/a>") == (
        '<p><a href="https://example.org/a">https://example.org/a</a></p>'
    )
    mail = str(narrative_html("<qa@council.example>"))
    assert mail == '<p><a href="mailto:qa@council.example">qa@council.example</a></p>'
    for text in ("<mailto:javascript:alert(1)@x.example>", "<javascript:alert(1)@x.example>"):
        output = str(narrative_html(text))
        assert_safe(output, text)
        assert all(browser_scheme(href) == "mailto" for _, href in inspect(output).links)


def test_titles_are_text_and_other_url_attributes_are_checked() -> None:
    output = str(narrative_html('[go](https://example.org "javascript:alert(1)")'))
    assert output == '<p><a href="https://example.org" title="javascript:alert(1)">go</a></p>'
    assert narrative_html("![x](javascript:alert(1))") == "<p><span>[image: x]</span></p>"


# --- the sanitiser on its own ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="java&Tab;script:alert(1)" title="t">x</a>', '<a title="t">x</a>'),
        ('<a href="data:text/html,x">x</a>', "<a>x</a>"),
        ('<a href="https://a.example/" onclick="alert(1)">x</a>', '<a href="https://a.example/">x</a>'),
        ('<p onmouseover="alert(1)" style="color:red" class="c" id="i">x</p>', "<p>x</p>"),
        ('<img src="x" onerror="alert(1)">', ""),
        ("<script>alert(1)</script>", ""),
        ("<style>*{}</style>x", "x"),
        ('<iframe src="javascript:alert(1)"></iframe>', ""),
        ('<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">x</a></svg>', ""),
        ('<td style="background:url(javascript:alert(1))">x</td>', "x"),
        ('<table><tr><td style="text-align: center;">x</td></tr></table>',
         '<table><tbody><tr><td style="text-align: center;">x</td></tr></tbody></table>'),
        ('<form action="javascript:alert(1)"><button formaction="x">b</button></form>', "b"),
        ('<ol start="3" type="a"><li>x</li></ol>', '<ol start="3"><li>x</li></ol>'),
        ("<!-- comment -->x", "x"),
    ],
)  # fmt: skip
def test_the_sanitiser_keeps_only_what_markdown_makes(fragment: str, expected: str) -> None:
    assert sanitise(fragment) == expected


# --- generated hostile text --------------------------------------------------------------

FRAGMENTS = [
    "[", "]", "(", ")", "<", ">", "![", "]: ", "[1]", "[1]: ", "\n", "\n\n", " ", "  ", "\t",
    '"', "'", "`", "*", "_", "#", "## ", "|", "---", "- ", "1. ", "> ", "    ", "\\", "=", "/",
    "javascript", "java", "script", "JaVaScRiPt", "vbscript", "data", "file", "livescript",
    ":", "http", "https", "mailto", "//", "text/html,", "alert(1)", "x.example", "@",
    "&", ";", "&#", "&#x", "&#106;", "&#106", "&#x6A;", "&#X6a", "&#58;", "&#x3a;", "&colon;",
    "&Tab;", "&NewLine;", "&#9;", "&#x09;", "&#10;", "&#13;", "&amp;", "&lt;", "&quot;",
    "&#0000106;", "&#1;", "&#32;", "&nbsp;",
    "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\u200b", "\u2028", "\ufeff",
    "<a href=", "</a>", "<script>", "</script>", "<img src=x onerror=alert(1)>", " onclick=",
    "onerror=", " onmouseover=", "<svg onload=alert(1)>", "<iframe src=", "<object data=",
    "<b>", "<span style=", "<form action=", "<!--", "-->", "<!-- pii-ok: x -->", "<http://",
    "<qa@x.example>", "<javascript:", "![x](", "[x](", '"title")', "<>", "{: onclick=x}",
]  # fmt: skip

def _encode_character(character: str, how: str) -> str:
    return {
        "as is": character,
        "upper": character.upper(),
        "decimal": f"&#{ord(character)};",
        "decimal, padded": f"&#000{ord(character)};",
        "hex": f"&#x{ord(character):X};",
        "tab before": "&Tab;" + character,
        "newline before": "&NewLine;" + character,
        "literal tab before": "\t" + character,
        "decimal tab before": "&#9;" + character,
    }[how]


HOWS = [
    "as is", "upper", "decimal", "decimal, padded", "hex", "tab before", "newline before",
    "literal tab before", "decimal tab before",
]  # fmt: skip


@st.composite
def disguised_scheme(draw: st.DrawFn) -> str:
    """ "javascript:" (or another scheme that runs), each character disguised its own way."""
    word = draw(st.sampled_from(["javascript", "vbscript", "data", "file"]))
    letters = [_encode_character(c, draw(st.sampled_from(HOWS))) for c in word]
    colon = draw(st.sampled_from([":", "&colon;", "&#58;", "&#x3A;", "&#0058;"]))
    lead = draw(st.sampled_from(["", " ", "&#32;", "&#1;", "&#x0C;", "\x01", "&Tab;"]))
    return lead + "".join(letters) + colon


@st.composite
def disguised_link(draw: st.DrawFn) -> str:
    """A link (inline, reference definition or autolink) to a disguised scheme."""
    url = draw(disguised_scheme()) + draw(st.sampled_from(["alert(1)", "x", "", PAYLOAD]))
    form = draw(st.sampled_from(["[x]({})", "[x](<{}>)", "[1]: {}", "<{}>", "[x]({} 't')"]))
    return form.format(url)


hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3), disguised_link()), max_size=40
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_generated_hostile_text_stays_inside_the_allow_list(text: str) -> None:
    for top_level, drop in ((3, None), (3, "Findings"), (2, "Minutes")):
        first = _markdown_html(text, top_level, drop)
        final = str(narrative_html(text, top_level, drop))
        for output in (first, final):
            assert_safe(output, text)
        assert narrative_html(text, top_level, drop) == final  # same input, same bytes


@settings(max_examples=400, deadline=None)
@given(
    scheme=disguised_scheme(),
    form=st.sampled_from(FORMS),
    before=st.sampled_from(["", "Text ", "**bold** ", "| a |\n|---|\n| "]),
)
def test_generated_disguised_links_are_never_links(scheme: str, form: str, before: str) -> None:
    url = scheme + PAYLOAD
    decoded = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    assert re.match(r"(javascript|vbscript|data|file):", decoded), url  # the generator's own check
    assert is_safe_url(url) is False
    source = before + _link_forms("go", url)[form]
    for output in (_markdown_html(source, 3, None), str(narrative_html(source))):
        assert_safe(output, source)
        assert inspect(output).links == [], f"{source!r} became {output!r}"


# --- the last check of a whole page ------------------------------------------------------


def test_a_page_check_finds_every_unsafe_address() -> None:
    page = """<!doctype html><html><head><link rel="icon" href="assets/favicon.png">
    <script src="assets/x.js"></script></head><body>
    <a href="../teams/">ok</a> <a href="https://a.example/">ok</a> <a href="#top">ok</a>
    <a href="&#106;avascript:alert(1)">1</a>
    <a href="java&Tab;script&colon;alert(1)">2</a>
    <iframe src="data:text/html,x"></iframe>
    <form action="vbscript:x"><button formaction="javascript:x">3</button></form>
    <img srcset="ok.png 1x, javascript:x 2x">
    <svg><a xlink:href="javascript:x"><text>4</text></a></svg>
    </body></html>"""
    found = unsafe_urls(page)
    assert len(found) == 7, found
    assert all("ok" not in item and "favicon" not in item for item in found)
    assert unsafe_urls('<a href="mailto:qa@x.example">m</a><img src="a.png">') == []


# --- chart labels -------------------------------------------------------------------------

HOSTILE_LABELS = [
    '<a href="https://evil.example/">click here</a>',
    "<b>bold</b> <i>it</i><br>x<sup>2</sup>",
    '<span style="font-size:90px;color:red">big</span>',
    "&lt;b&gt;already escaped&lt;/b&gt; &amp; &#60;",
    "$\\href{javascript:alert(1)}{x}$",
    "%{x} %{fullData.name} 50%",
    "H&F <extra>x</extra>",
]

# plotly.js's own decoding of character references, as in its svg_text_utils.
_PLOTLY_ENTITY = re.compile(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);")
_PLOTLY_NAMED = {"mu": "\u03bc", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0",
                 "times": "\xd7", "plusmn": "\xb1", "deg": "\xb0"}  # fmt: skip


def plotly_shows(text: str) -> str:
    """What plotly.js draws for ``text`` when it has no tags in it."""

    def one(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref.startswith("#"):
            number = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
            return chr(number) if number <= 0x10FFFF else m.group(0)
        return _PLOTLY_NAMED.get(ref, m.group(0))

    return _PLOTLY_ENTITY.sub(one, text)


def _texts(figure: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(figure, dict):
        for k, v in figure.items():
            yield from _texts(v, k)
    elif isinstance(figure, list):
        for item in figure:
            yield from _texts(item, key)
    elif isinstance(figure, str):
        yield key, figure


def _all_charts(label: str) -> list[dict[str, Any]]:
    line = charts.Line(label, [50.0, None], [label, label])
    return [
        charts.line_chart(label, [label, "2012-01"], [line], label, (0, 105)),
        charts.percent_bars(label, [label, "b"], [50.0, 60.0], [label, "60%"]),
        charts.rating_stacks(label, [label, "b"], [label, "Good"], [[1, 2], [3, 4]]),
        charts.grouped_shares(label, [label, "b"], [line]),
        charts.rating_heatmap([label], [label, "b"], [[0, None]], [label, "Good"], [[label, ""]]),
    ]


# The templates the chart code writes itself, and the hostile label's place in them.
CODE_TEMPLATES = re.compile(r"%\{(x|y|text|fullData\.name)\}|<extra>|</extra>")


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_chart_text_reaches_plotly_as_plain_text(label: str) -> None:
    for figure in _all_charts(label):
        parsed = json.loads(charts.as_json(figure))
        seen = False
        for key, text in _texts(parsed):
            if key == "texttemplate":
                assert text == "%{text}"
                continue
            rest = CODE_TEMPLATES.sub("", text) if key == "hovertemplate" else text
            assert not re.search(r"[<>$]", rest), f"{key}: {text!r}"
            assert not re.search(r"&(?!amp;|lt;|gt;|#36;|#37;)", rest), f"{key}: {text!r}"
            if key == "hovertemplate":
                assert "%{" not in rest, f"{key}: {text!r}"
            seen = seen or plotly_shows(text) == label
        assert seen, f"{label!r} is not in {parsed['layout'].get('title')}"


def test_a_hover_template_shows_a_rating_label_as_written() -> None:
    figure = charts.rating_stacks("t", ["H&F"], ["50% <b>Good</b> %{x}"], [[1]])
    template = figure["data"][0]["hovertemplate"]
    assert template == "%{x}: %{y} 50&#37; &lt;b&gt;Good&lt;/b&gt; &#37;{x}<extra></extra>"
    assert figure["data"][0]["x"] == ["H&amp;F"]


@given(st.text())
def test_plotly_shows_every_chart_text_exactly_as_written(text: str) -> None:
    assert plotly_shows(charts.plain(text)) == text
    assert "<" not in charts.plain(text) and ">" not in charts.plain(text)


def test_an_address_set_by_svg_animation_is_checked() -> None:
    page = (
        '<svg><a><animate attributeName="href" values="https://x.org;java&#115;cript:alert(3)"/>'
        '<set attributeName="href" to="javascript:alert(4)"/><text>t</text></a>'
        '<animate attributeName="opacity" values="0;1;0" dur="1s"/></svg>'
    )
    assert unsafe_urls(page) == [
        "animate values='javascript:alert(3)'",
        "set to='javascript:alert(4)'",
    ]
