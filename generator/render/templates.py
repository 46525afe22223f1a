"""The Jinja2 templates of ``site_templates/``: their environment, the filters
and functions every template has, and a page rendered through its template.

Each template is compiled once, however many pages and builds use it, and again
only when its source changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import yaml
from markupsafe import Markup, escape

from generator.core.bundled import bundled
from generator.core.dates import day_text, elapsed_text
from generator.core.errors import ToolError
from generator.core.numbers import counted, score_text, share_decimal, share_text
from generator.render import charts
from generator.render.markup import markdown_text, narrative_html
from generator.render.page import Page
from generator.render.urls import (
    meeting_paper_path,
    meeting_path,
    relative_link,
    review_path,
    scorecard_paper_path,
    scorecard_path,
    standard_path,
)
from generator.render.view import SiteView
from generator.score.overall import Score
from generator.score.schedule import is_overdue
from generator.score.trends import Change

TEMPLATES = "site_templates"  # in the repository, beside reviews/ and standards/


class _Compiled(jinja2.BytecodeCache):
    """Templates compiled in this process, by name and source: a rebuild under
    ``mkdocs serve`` compiles only a template that changed (Jinja checks each
    against its source's checksum before using it)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


class TemplateProblem(ToolError):
    """A template in site_templates/ is missing or broken."""


def template_folders(own: Path | None) -> tuple[Path, ...]:
    """Where templates and assets are looked for, first found first: a programme's own
    ``site_templates/`` (when it has one), then the ones qa-site carries. A file of
    the programme's overrides the carried file of the same name and nothing else,
    so a council can restyle one page and still take the others' upgrades."""
    carried = bundled("site_templates").resolve()
    if own is not None and own.is_symlink():
        return (own, carried)  # kept as it is, for the check that refuses links to find it
    if own is None or not own.is_dir() or own.resolve() == carried:
        return (carried,)
    return (own.resolve(), carried)


# Draws a chart where a template calls ``chart(name, figure, caption)``: on the
# site, a plotly figure for the browser to draw; on paper, a picture drawn here.
ChartDrawer = Callable[[str, Mapping[str, Any], str], Markup]


class Templates:
    """The templates of a search path (``template_folders``), rendering one site's pages
    (or, with ``paper``, the same pages for print: ``generator.papers``)."""

    def __init__(
        self, folders: Sequence[Path], site: SiteView, paper: ChartDrawer | None = None
    ) -> None:
        self.folders = tuple(folders)
        self.folder = self.folders[0]
        self.site = site
        self.draw_chart: ChartDrawer = paper or _chart
        self.paper = paper is not None
        self._badges: dict[tuple[str | None, bool], Markup] = {}
        self.env = self._environment()

    def render(self, page: Page) -> str:
        """The page's Markdown: its title as front matter, then its template's output."""
        body = self.render_body(page)
        # The theme shows titles without escaping them: escape here, once.
        front: dict[str, object] = {"title": str(escape(page.title))}
        keywords = page.context.search_keywords()
        if keywords:
            # Material's search weighs a page's tags far above its title and text, and
            # shows them on the page's result; without its tags plugin, not on the page.
            front["tags"] = keywords
        meta = yaml.safe_dump(front, allow_unicode=True, width=10_000)
        return f"---\n{meta}---\n\n{body}"

    def render_body(self, page: Page) -> str:
        """The page's Markdown as its template writes it, without front matter."""
        template = self._template(page.template)

        def href(target: str) -> str:
            """A link to ``target``'s source file (``standards/S07.md``, with an optional
            ``#fragment``), from this page's: each engine turns it into a URL."""
            path, mark, fragment = target.partition("#")
            return relative_link(page.path, path) + mark + fragment

        try:
            return template.render(page=page, href=href, **page.context.variables())
        except Exception as error:  # any fault in a template: say which, not a traceback
            raise TemplateProblem(
                f"{template.filename or page.template}, rendering {page.path}: "
                f"{type(error).__name__}: {error}"
            ) from None

    def _template(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as error:
            raise TemplateProblem(f"{self.folder}/{error.name}: template not found") from None
        except jinja2.TemplateSyntaxError as error:
            raise TemplateProblem(
                f"{error.filename or name}:{error.lineno}: {error.message}"
            ) from None

    def _environment(self) -> jinja2.Environment:
        site = self.site
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.folders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a build reads each template once
            bytecode_cache=_COMPILED,
        )
        env.filters.update(
            md=markdown_text,
            narrative=narrative_html,
            day=day_text,
            percent=score_text,
            share=share_text,
            counted=counted,
            tally=site.tally_text,
        )
        env.globals.update(
            site=site,
            edition=site.edition,
            compared=site.compared,
            programme=site.programme,
            results=site.results,
            rules=site.rules,
            framework=site.results.framework,
            as_of=site.results.as_of,
            critical=site.critical,
            scorecard_path=scorecard_path,
            review_path=review_path,
            standard_path=standard_path,
            meeting_path=meeting_path,
            scorecard_paper_path=scorecard_paper_path,
            meeting_paper_path=meeting_paper_path,
            paper=self.paper,
            rating=self._rating_badge,
            change=_change_badge,
            band=_band_text,
            chart=self.draw_chart,
            signed=_signed,
            overdue=lambda action: is_overdue(action, site.results.as_of),
            overdue_by=lambda due: elapsed_text(due, site.results.as_of),
            abbreviations=site.abbreviations,
            team_link=self._team_link,
            standard_link=self._standard_link,
            standard_links=self._standard_links,
        )
        return env

    # Links on every row of every table: functions, because a Jinja macro call
    # costs more than the link it writes.

    @jinja2.pass_context
    def _team_link(self, context: jinja2.runtime.Context, borough: str, team: str) -> Markup:
        site = self.site
        source = site.source_of(borough)
        if source is not None:  # a partner's team: no scorecard here, so no link
            return Markup('{} <small class="qa-source">(from {}, as of {})</small>').format(
                site.team_name(borough, team), source.package.name, day_text(source.package.as_of)
            )
        href = escape(context["href"](scorecard_path(borough, team)))
        return Markup(f'<a href="{href}">{escape(site.team_name(borough, team))}</a>')

    @jinja2.pass_context
    def _standard_link(
        self,
        context: jinja2.runtime.Context,
        id: str,
        with_title: bool = False,
        short: bool = False,
        version: int | None = None,
    ) -> Markup:
        """``S07``, linked; with ``short``, ``S07 Safeguarding enquiries``, all of it the
        link; with ``with_title``, the link and then the standard's whole title."""
        href = escape(context["href"](standard_path(id)))
        if short:
            if version is None:  # the page's own version: a review's, a meeting's day's
                version = context.get("standards_version")
            return Markup(f'<a href="{href}">{escape(self.site.named(id, version))}</a>')
        link = Markup(f'<a href="{href}">{escape(id)}</a>')
        if with_title:
            return link + " " + self.site.programme.standards[id].title
        return link

    @jinja2.pass_context
    def _standard_links(
        self, context: jinja2.runtime.Context, ids: Iterable[str], version: int | None = None
    ) -> Markup:
        """Each standard's id and short name, linked: ``S25 FACS eligibility, S28 ...``."""
        return Markup(", ").join(
            self._standard_link(context, id, short=True, version=version) for id in ids
        )

    def _rating_badge(self, label: str | None, short: bool = False) -> Markup:
        # A few labels, shown tens of thousands of times on a large programme.
        badge = self._badges.get((label, short))
        if badge is None:
            badge = self._badges[(label, short)] = self._make_badge(label, short)
        return badge

    def _make_badge(self, label: str | None, short: bool) -> Markup:
        if label is None:
            return Markup('<span class="qa-rating qa-rating--none">Not rated</span>')
        rank = self.site.rules.rank(label)
        text = self.site.abbreviations[label] if short else label
        title = Markup(' title="{}"').format(label) if short else Markup("")
        return Markup('<span class="qa-rating qa-rating--{}"{}>{}</span>').format(rank, title, text)


_CHANGE_TEXT = {
    Change.IMPROVED: ("▲", "improved"),
    Change.DECLINED: ("▼", "declined"),
    Change.UNCHANGED: ("=", "unchanged"),
    Change.NEW: ("•", "new"),
}


_CHANGE_BADGES = {
    change: Markup(
        '<span class="qa-change qa-change--{}"><span aria-hidden="true">{}</span> {}</span>'
    ).format(change.value, symbol, text)
    for change, (symbol, text) in _CHANGE_TEXT.items()
}


def _change_badge(change: Change | None) -> Markup:
    return Markup("") if change is None else _CHANGE_BADGES[change]


def _signed(delta: Fraction) -> str:
    """A change in percentage points: ``+4.2``, ``-0.5``, ``0.0``."""
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    return sign + str(share_decimal(abs(delta)))


def _band_text(score: Score) -> str:
    return f"{score.band} band, {score.band_position.value} half"


def _chart(name: str, figure: Mapping[str, Any], caption: str) -> Markup:
    # The figure rides in an attribute, not a <script>: instant navigation
    # re-creates content scripts without their type and would run it as code.
    return Markup(
        '<figure class="qa-chart">\n'
        '<div class="qa-chart__plot" id="chart-{name}" data-qa-figure="{data}"></div>\n'
        "<figcaption>{caption}</figcaption>\n"
        "</figure>"
    ).format(name=name, data=charts.as_json(dict(figure)), caption=caption)
