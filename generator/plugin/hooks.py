"""The plugin's hooks: what it does at each step of an MkDocs build (see the
package's docstring for its options)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.core.dates import chosen_as_of, day_text, default_as_of, epoch_text, parse_iso_date
from generator.core.errors import ToolError
from generator.core.files import empty_folder
from generator.core.numbers import counted
from generator.core.problems import excerpt, format_text
from generator.core.progress import Progress
from generator.load.repository import ParseCache, links_inside, load_repository
from generator.papers.make import paper_page
from generator.papers.pdf import user_cache
from generator.pipeline import Papers, generated_files, partner_packages, run
from generator.plugin.aside import Aside, worth_processes
from generator.plugin.internal_pages import ENGINEERS_PAGES, unlinked, without_pages
from generator.plugin.pages import Converter, RenderedPage, nav_titles
from generator.plugin.rebuild import (
    KEPT_TEMPLATE,
    Fingerprints,
    Kept,
    build_signature,
    cached_search,
    fingerprints,
    only_search_between,
    packaged_templates,
    page_key,
    pages_kept_whole,
)
from generator.plugin.refusals import refusals, refuse_addresses, serve_offline_shim
from generator.privacy.deny_list import deny_list_inside, deny_list_path
from generator.privacy.deny_list import named_deny_list as deny_list
from generator.privacy.gate import accepted_in_pages, gate, published_texts, site_files, tracer
from generator.render.links import resolve_source_links
from generator.render.markup import page_addresses
from generator.render.page import GeneratedFile
from generator.render.site import published_counts
from generator.render.templates import TEMPLATES, template_folders
from generator.render.urls import asset_path
from generator.share.comparison import PackageMismatch
from generator.share.datapackage.model import Package
from generator.share.edition import EDITION_TITLES, EDITIONS, Edition

log = logging.getLogger("mkdocs.plugins.qa-site")


class _Date(base.BaseConfigOption[dt.date | None]):
    """A date written YYYY-MM-DD: a wrong one is a configuration error, found early."""

    def run_validation(self, value: object) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return parse_iso_date(str(value))
        except ValueError:
            raise base.ValidationError(
                f"expected a date written YYYY-MM-DD, got {value!r}"
            ) from None


class QaSiteConfig(base.Config):
    as_of = _Date()
    root = c.Optional(c.Type(str))
    templates = c.Type(str, default=TEMPLATES)
    audience = c.Choice(EDITIONS, default="internal")
    packages = c.ListOfItems(c.Type(str), default=[])
    deny_list = c.Optional(c.Type(str))
    # The PDF papers: each board meeting's pack and each team's scorecard (qa-site papers).
    papers = c.Type(bool, default=True)
    # Pages of docs/ for the council's engineers: not in the partner edition.
    internal_pages = c.ListOfItems(c.Type(str), default=list(ENGINEERS_PAGES))


# Templates that label every page with its edition; searched after a custom_dir.
THEME = Path(__file__).parent.parent / "theme"
# Added to every page (site_templates/assets/, published under assets/qa-site/).
STYLESHEET = asset_path("site.css")
SCRIPT = asset_path("charts.js")


class QaSitePlugin(BasePlugin[QaSiteConfig]):
    # Set by `qa-site build` on a terminal; a plain `mkdocs build` shows none.
    progress: Progress | None = None
    aside: Aside | None = None  # other processes reading a large build's pages
    # Set by on_startup, which MkDocs may skip: what serve's next build reuses.
    kept: Kept | None = None
    converter: Converter | None = None
    # How `qa-site build` names the site folder (it builds in a staging folder beside it).
    site_shown: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps one plugin object across `mkdocs serve` rebuilds,
        # and with it the parsed files: a rebuild parses only what changed.
        self.command = command
        self.cache = ParseCache()
        self.kept = Kept() if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        refused = refusals(config)
        if refused:
            raise PluginError(
                "qa-site: this configuration would break the site; in mkdocs.yml:\n"
                + "\n".join(f"- {reason}" for reason in refused)
            )
        base_dir = Path(config.config_file_path).parent
        self.root = (base_dir / (self.config.root or ".")).resolve()
        own_templates = (base_dir / self.config.templates).absolute()
        if not (self.root / "standards" / "framework.yml").is_file():
            raise PluginError(f"qa-site: {self.root} has no standards/framework.yml (option root)")
        # A repository's own site_templates/ overrides the packaged templates file by file.
        if self.config.templates != TEMPLATES and not own_templates.is_dir():
            raise PluginError(f"qa-site: templates folder {own_templates} not found")
        with _as_plugin_error():
            self.templates = template_folders(own_templates)
        # The pages' stylesheet and chart script, on every page, whatever mkdocs.yml lists.
        for asset, listed in ((STYLESHEET, config.extra_css), (SCRIPT, config.extra_javascript)):
            if asset not in (str(entry) for entry in listed):
                listed.append(asset)
        serve_offline_shim(config)
        with _as_plugin_error():
            # A command's --as-of, else the date mkdocs.yml pins, else SOURCE_DATE_EPOCH
            # or today; MkDocs' own dates (the sitemap's) follow it.
            self.as_of = chosen_as_of() or self.config.as_of or default_as_of()
        os.environ["SOURCE_DATE_EPOCH"] = epoch_text(self.as_of)
        self.docs_dir = config.docs_dir
        self.edition: Edition = self.config.audience
        self.packages = [(name, base_dir / name) for name in self.config.packages]
        self.deny_path = base_dir / self.config.deny_list if self.config.deny_list else None
        published = [Path(config.docs_dir), Path(config.site_dir), *self.templates]
        inside = deny_list_inside(self.deny_path, published)
        if inside is not None:
            raise PluginError(
                f"qa-site: the deny-list {inside[0]} is inside {inside[1]}, which is "
                "published; keep it outside the site"
            )
        if THEME.as_posix() not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, THEME.as_posix())
        self.left_out: set[str] = set()
        if self.edition == "partners":
            config.site_name = f"{config.site_name} ({EDITION_TITLES['partners']})"
            self.left_out = set(self.config.internal_pages)
            if config.nav:
                config.nav = without_pages(config.nav, self.left_out) or []
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Before MkDocs empties the site folder: bad content leaves the last site alone.
        started = time.perf_counter()
        docs = Path(config.docs_dir)
        links = [
            (folder.parent / link).as_posix()
            for folder in (docs, *self.templates)
            for link in links_inside(folder)
        ]
        if links:
            raise PluginError(
                "qa-site: symbolic links are never followed, since they could publish any "
                "file of the machine; put the files themselves in their place:\n"
                + "\n".join(f"{link}: is a symbolic link" for link in sorted(links))
            )
        kept = self.kept
        if kept is not None:
            kept.start()
            index = _search_index(config)
            if index is not None:
                cached_search(index, kept)
        with _as_plugin_error():
            self.generated = self._generate()
        log.info(f"qa-site: pages generated in {time.perf_counter() - started:.2f} s")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        converter = self.converter
        if converter is None or converter.settings != (
            config["markdown_extensions"],
            config["mdx_configs"],
        ):
            converter = self.converter = Converter(config, remember=self.kept is not None)
        converter.start()
        titles = nav_titles(config.nav)
        for item in self.generated:
            clash = files.get_file_from_path(item.path)
            if clash is not None:
                raise PluginError(
                    f"qa-site: {config.docs_dir}/{item.path} has the path of a generated page; "
                    "rename or move it"
                )
            # Scorecards, reviews, standards and meetings are reached through
            # the pages that list them, not the navigation: no "not in nav" notice.
            inclusion = {} if item.listed else {"inclusion": InclusionLevel.NOT_IN_NAV}
            if item.source is not None:
                source = str(item.source)
                file = File.generated(config, item.path, abs_src_path=source, **inclusion)
            else:
                content = item.content or ""
                file = File.generated(config, item.path, content=content, **inclusion)
            listed = titles.get(file.src_uri, [None])
            if file.is_documentation_page() and len(listed) == 1:
                # Listed twice, it is two pages of the navigation: MkDocs makes them.
                RenderedPage(listed[0], file, config, converter)
            files.append(file)
        # Files of the site's own (hand-written pages, the templates' assets), which the
        # partner edition's gate reads whatever their kind; the theme's are not read.
        own = [Path(config.docs_dir).resolve(), *self.templates]
        self.own_files = {
            file.dest_uri
            for file in files
            if file.abs_src_path
            and any(Path(file.abs_src_path).resolve().is_relative_to(f) for f in own)
        }
        self.generated_pages = {item.path for item in self.generated if item.path.endswith(".md")}
        self.left_out_urls: set[str] = set()
        for file in files.documentation_pages():
            if file.src_uri in self.left_out and file.src_uri not in self.generated_pages:
                file.inclusion = InclusionLevel.EXCLUDED
                self.left_out_urls.add(file.url)
        self.pages_total = len(files.documentation_pages())
        self.pages_done = 0
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["qa_site_edition"] = self.edition
        env.globals["qa_site_as_of"] = day_text(self.as_of)
        kept = self.kept
        if kept is None:
            self._start_aside(config, files)
            return env
        if not pages_kept_whole(config, self, _is_search):
            return env
        # Every page is converted by now: print again what is made from the same.
        build = build_signature(config, self.nav, f"{self.as_of} {self.edition}")
        for file in files.documentation_pages():
            page = file.page
            if isinstance(page, RenderedPage):
                page.made_from = page_key(page, build)
                last = kept.last_outputs.get(page.url)
                if last is not None and last[0] == page.made_from:
                    page.meta["template"] = KEPT_TEMPLATE
                    page.kept_output = last[1]
        return env

    def _start_aside(self, config: MkDocsConfig, files: Files) -> None:
        """Search entries and address checks made in other processes as pages are
        written (``plugin.aside``), on a build large enough."""
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        if not worth_processes(len(pages)):
            return
        self.aside = Aside()
        index = _search_index(config)
        if index is not None and only_search_between(config, self, _is_search):
            self.aside.read_search(index, pages)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Generated pages link to their targets' source files in raw HTML, which
        # MkDocs leaves as written: turn each into the target's URL, as Zensical does.
        # Hand-written pages' links are MkDocs' own to resolve and report.
        if page.file.src_uri not in self.generated_pages:
            return unlinked(html, page.url, getattr(self, "left_out_urls", set()))

        def url_of(path: str) -> str | None:
            target = files.get_file_from_path(path)
            if target is None or target.inclusion.is_excluded():
                return None
            return target.url_relative_to(page.file)

        kept = self.kept
        if kept is not None:
            html, unresolved = kept.links(html, page.file.src_uri, files, url_of)
        else:
            html, unresolved = resolve_source_links(html, page.file.src_uri, url_of)
        for link in unresolved:
            log.warning(
                f"qa-site: {page.file.src_uri}: the link '{excerpt(link)}' leads to no page "
                "or file of the site (from the page's template, or from content it shows: "
                "a relative link a reviewer writes is followed from each page showing it)"
            )
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # The last check of every page (``_refuse_addresses``).
        kept = self.kept
        made_from = getattr(page, "made_from", None)
        if kept is not None and made_from is not None:
            last = kept.last_outputs.get(page.url)
            kept.outputs[page.url] = (made_from, output)
            if last is not None and last[1] == output:
                return self._written(output)  # the same text passed this check last time
        if self.aside is not None:
            self.aside.check(page.file.src_uri, output)
        else:
            self._check_addresses(config, [(page.file.src_uri, *page_addresses(output))])
        return self._written(output)

    def _check_addresses(
        self, config: MkDocsConfig, found: list[tuple[str, list[str], list[str]]]
    ) -> None:
        """Stop the build at the first page with a finding, leaving nothing of it."""
        findings = [finding for finding in found if finding[1] or finding[2]]
        if findings:
            empty_folder(Path(config.site_dir))
            refuse_addresses(*findings[0])

    def _written(self, output: str) -> str:
        self.pages_done += 1
        if self.progress is not None:
            self.progress.update("Writing pages", self.pages_done, self.pages_total)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.aside is not None:
            findings = self.aside.findings()
            self._stop_aside()
            self._check_addresses(config, findings)
        if self.edition == "partners":
            self._gate(Path(config.site_dir))
        if self.progress is not None:
            self.progress.clear()

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_aside()

    def _stop_aside(self) -> None:
        if self.aside is not None:
            self.aside.close()
            self.aside = None

    def _gate(self, site: Path) -> None:
        """The partner edition as built, scanned for personal data before anyone reads
        it; a find empties the folder (``qa-site build`` then never swaps it in)."""
        if self.progress is not None:
            self.progress.update("Checking the partner edition for personal data")
        shown = self.site_shown or site.as_posix()
        load = partial(load_repository, self.root, cache=getattr(self, "cache", None))
        accepted = [*self.accepted, *accepted_in_pages(Path(self.docs_dir), self.deny)]
        papers = [
            (paper_page(item.path), item.readers_text)
            for item in getattr(self, "generated", [])
            if item.readers_text is not None
        ]
        problems = gate(
            published_texts(
                [*site_files(site), *papers], getattr(self, "own_files", set())
            ),
            accepted,
            self.deny,
            tracer(load, self.deny),
            shown,
        )
        if problems:
            empty_folder(site)
            raise PluginError(
                f"qa-site: {counted(len(problems), 'find')} of personal data in the partner "
                "edition as built; nothing was published.\n" + format_text(problems).rstrip("\n")
            )

    def _generate(self) -> list[GeneratedFile]:
        progress = self.progress
        on_read = progress.counter("Reading content") if progress is not None else None
        cache = getattr(self, "cache", None)  # None when MkDocs skipped on_startup
        deny = deny_list(self.deny_path)
        # Taken before the content is read: a file saved meanwhile counts as changed.
        prints = self._fingerprints() if self.kept is not None else None
        outcome = run(self.root, self.as_of, self.edition, deny=deny, cache=cache, on_read=on_read)
        self.deny, self.accepted = deny, outcome.validation.accepted
        for warning in outcome.warnings:
            log.warning(format_text([warning]).rstrip("\n"))
        if outcome.programme is None or outcome.results is None:
            raise PluginError(
                f"qa-site: {counted(len(outcome.errors), 'error')} in the content; nothing was "
                "built.\n" + format_text(outcome.errors).rstrip("\n")
            )
        if progress is not None:
            progress.update("Scoring and rendering")
        packages = self._read_packages()
        kept = self.kept
        earlier = None
        if kept is not None and prints is not None:
            earlier = kept.earlier(prints, packaged_templates(self.templates))
        # The PDF papers, for a build (a preview under serve shows the pages alone).
        papers = Papers(user_cache(os.environ)) if self.config.papers and kept is None else None
        generated = generated_files(
            outcome, self.templates, self.edition, packages, earlier, papers
        )
        if kept is not None and prints is not None:
            kept.generated(prints, generated)
        self.published = published_counts(outcome.programme, outcome.results)
        unchanged = f" ({cache.reused} unchanged)" if cache and cache.reused else ""
        parsed = f"{counted(cache.parsed, 'file')} parsed{unchanged}, " if cache else ""
        reviews = counted(len(outcome.results.reviews), "review")
        log.info(
            f"qa-site: as of {self.as_of}, {parsed}{reviews} "
            f"scored, {counted(len(generated), 'file')} generated"
        )
        return generated

    def _fingerprints(self) -> Fingerprints:
        deny = deny_list_path(self.deny_path)
        deny_text = deny.read_bytes().hex() if deny is not None and deny.is_file() else ""
        settings = f"{self.as_of} {self.edition} {self.packages} {deny} {deny_text}"
        folders = [*self.templates, *(path for _, path in self.packages)]
        return fingerprints(self.root, folders, settings)

    def _read_packages(self) -> list[tuple[str, Package]]:
        """Every configured package, or every problem in them and nothing built."""
        packages, problems = partner_packages(self.packages)
        errors = [p for p in problems if p.is_error]
        if errors:
            raise PluginError(
                f"qa-site: {counted(len(errors), 'error')} in the partners' packages; "
                "nothing was built.\n" + format_text(errors).rstrip("\n")
            )
        return packages

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        folders = [self.root / "reviews", self.root / "standards", *self.templates]
        for folder in [*folders, *(path for _, path in self.packages)]:
            if folder.is_dir():
                server.watch(str(folder))
        return server


def _is_search(plugin: object) -> bool:
    """Material's search plugin (its entries are kept between serve's builds)."""
    return type(plugin).__module__ == "material.plugins.search.plugin"


def _search_index(config: MkDocsConfig) -> Any:
    """Material's search index for this build, if search is on."""
    search = next((p for p in config.plugins.values() if _is_search(p)), None)
    return getattr(search, "search_index", None)


@contextmanager
def _as_plugin_error() -> Iterator[None]:
    """The tool's own errors, said as MkDocs says a plugin's."""
    try:
        yield
    except ToolError as error:
        what = "package " if isinstance(error, PackageMismatch) else ""
        raise PluginError(f"qa-site: {what}{error.message}") from None
