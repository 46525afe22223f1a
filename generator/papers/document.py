"""A paper's HTML: the page's template rendered for print, its charts drawn as
pictures, its links taken out, and the document around it.

A paper is a page of the site made again for print: the same templates and
macros, so it shows the same figures in the same words. What differs is only
what a PDF needs: a chart is an SVG picture with its figures in its text (the
site's charts are drawn by plotly.js, which a PDF cannot run), and a link
becomes its text (a paper is printed and sent, and read away from the site).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import markdown
from markupsafe import Markup

from generator.core.dates import day_text
from generator.render.charts import Line, shades_in
from generator.render.page import Page
from generator.render.templates import Templates
from generator.render.view import SiteView
from generator.share.edition import Edition

from . import svg

# The extensions the generated pages are written for (mkdocs.yml lists them too).
EXTENSIONS = ["attr_list", "admonition", "tables", "toc"]

DOCUMENT = "papers/paper.html.j2"
STYLESHEET = "papers/paper.css"

RUNNING = {
    "internal": "Internal edition, for the council's own staff",
    "partners": "Partner edition, shared with partner boroughs",
}

_LINK = re.compile(r"</?a\b[^>]*>")
_CHART_NAME = re.compile(r"[^a-z0-9-]+")


class PaperTemplates:
    """The templates of a site, rendering its pages as papers' HTML documents."""

    def __init__(self, folders: Sequence[Path], site: SiteView) -> None:
        self.site = site
        self.templates = Templates(folders, site, paper=draw_chart)
        self.stylesheet = _first(folders, STYLESHEET)
        css = self.stylesheet.read_text(encoding="utf-8")
        # Nothing in a council's stylesheet can end the style element it goes in.
        self.css = Markup(css.replace("</", "<\\/"))
        self.converter = markdown.Markdown(extensions=EXTENSIONS)  # set up once, reset each time

    @property
    def base(self) -> Path:
        """The folder the stylesheet's addresses (its fonts) are read from."""
        return self.stylesheet.parent

    def document(self, page: Page, edition: Edition) -> str:
        """The page as an HTML document for WeasyPrint."""
        body = self.converter.reset().convert(self.templates.render_body(page))
        as_of = self.site.results.as_of
        running = f"{RUNNING[edition]} · as of {day_text(as_of)}"
        template = self.templates.env.get_template(DOCUMENT)
        return template.render(
            title=page.title,
            description=f"{running}. Made by qa-site from the programme's presented reviews.",
            created=as_of.isoformat(),
            css=self.css,
            running=css_string(running),
            body=Markup(_LINK.sub("", body)),
        )


_PICTURE = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_PICTURE_TEXT = re.compile(r"<(title|desc)\b[^>]*>(.*?)</\1>", re.DOTALL)
_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)


def readers_html(document: str) -> bytes:
    """A paper's body as its reader meets it, for the personal-data gate: each chart
    as its title and description (the figures it draws are in them), not as the
    separate labels it draws."""
    found = _BODY.search(document)
    body = found.group(1) if found else document

    def said(picture: re.Match[str]) -> str:
        texts = [text for _, text in _PICTURE_TEXT.findall(picture.group(0))]
        return "<p>" + " ".join(texts) + "</p>"

    page = f"<title>{html.escape(_title(document))}</title>\n" + _PICTURE.sub(said, body)
    return page.encode("utf-8")


def _title(document: str) -> str:
    found = re.search(r"<title>(.*?)</title>", document, re.DOTALL)
    return html.unescape(found.group(1)) if found else ""


def _first(folders: Sequence[Path], name: str) -> Path:
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    return folders[-1] / name  # missing everywhere: reading it says where


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string that cannot end its string or style element."""
    escaped = "".join(ch if ch.isalnum() or ch in " ,.:()-" else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


def draw_chart(name: str, figure: Mapping[str, Any], caption: str) -> Markup:
    """A site's chart (a plotly figure of ``generator.render.charts``) as an SVG
    picture with its caption; a kind of chart papers do not draw keeps only its
    caption, since the table after it gives the figures."""
    chart_id = "chart-" + _CHART_NAME.sub("-", name.lower()).strip("-")
    data = list(figure.get("data", []))
    layout = figure.get("layout", {})
    title = _text(layout.get("title", {}).get("text", ""))
    picture: Markup | None = None
    if data and all(trace.get("type") == "scatter" for trace in data):
        yaxis = layout.get("yaxis", {})
        low, high = yaxis.get("range", [0, 105])
        lines = [
            Line(_text(trace.get("name", "")), list(trace.get("y", [])), _texts(trace.get("text")))
            for trace in data
        ]
        picture = svg.line_chart(
            title,
            _texts(data[0].get("x")),
            lines,
            _text(yaxis.get("title", {}).get("text", "")),
            (float(low), float(high)),
            id=chart_id,
            bands=shades_in(dict(figure)),
        )
    elif len(data) == 1 and data[0].get("type") == "bar" and data[0].get("orientation") == "h":
        bar = data[0]
        picture = svg.bar_chart(
            title,
            _texts(bar.get("y")),
            [float(v) for v in bar.get("x", [])],
            _texts(bar.get("text")),
            id=chart_id,
        )
    caption_html = Markup("<figcaption>{}</figcaption>").format(caption)
    if picture is None:
        return Markup('<figure class="qa-paper-chart">\n{}\n</figure>').format(caption_html)
    return Markup('<figure class="qa-paper-chart">\n{}\n{}\n</figure>').format(
        picture, caption_html
    )


def _text(value: object) -> str:
    """Text of a plotly figure, which keeps ``&``, ``<``, ``>`` and ``$`` as references."""
    return html.unescape(str(value))


def _texts(values: object) -> list[str]:
    return [_text(v) for v in values] if isinstance(values, list | tuple) else []

