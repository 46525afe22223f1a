"""The commands that publish the site: ``build`` and ``serve`` (MkDocs with the
plugin) and ``render`` (the generated pages alone, without MkDocs)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from logging.handlers import BufferingHandler
from pathlib import Path

import click

from generator.check.validate import Validation
from generator.cli.failures import EXIT_PROBLEMS, ToolCommand, refuse, writing
from generator.cli.options import (
    as_of_option,
    check_outside_content,
    deny_list_option,
    pinned_as_of,
    resolve_root,
    root_option,
    run_date,
    shown_path,
)
from generator.cli.terminal import sigterm_as_interrupt
from generator.core.dates import AS_OF_VARIABLE, default_as_of, epoch_text
from generator.core.errors import UsageError
from generator.core.files import staged_folder
from generator.core.numbers import counted
from generator.core.problems import FILE, Problem, excerpt
from generator.core.progress import Progress, seconds
from generator.load.repository import links_inside, load_repository
from generator.pipeline import generated_files, run
from generator.privacy.deny_list import deny_list_inside
from generator.privacy.deny_list import named_deny_list as read_deny_list
from generator.privacy.gate import gate, published_texts, tracer
from generator.privacy.names import DenyList
from generator.render.links import LINK_FORMS, LinkForm, plain_links
from generator.render.page import GeneratedFile
from generator.render.site import replace_folder
from generator.render.templates import TEMPLATES, template_folders
from generator.share.edition import EDITION_TITLES, EDITIONS, Edition


@click.command(cls=ToolCommand)
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to put the site (default: mkdocs.yml's site_dir, normally site/; for the "
    "partner edition, that name with -partners added, normally site-partners/).",
)
@click.option(
    "--audience",
    type=click.Choice(EDITIONS),
    help="The edition: internal (everything presented) or partners (no narrative, note, "
    "minute or name not marked for partners). Default: the plugin's audience option, "
    "normally internal.",
)
@deny_list_option
@as_of_option
@root_option
def build(
    site_dir: Path | None,
    audience: Edition | None,
    deny_list: Path | None,
    as_of: dt.date | None,
    root: Path | None,
) -> None:
    """Build the intranet site with MkDocs (strict: any warning fails the build).

    The site is built in a new folder beside the target and swapped in only
    when the whole build succeeded: a failed or interrupted build leaves the
    previous site as it was. Content errors are printed as
    path:line: field: message. Exits 0 when the site was built, 1 when the
    content (or a page) stopped it, 2 for a usage or configuration error.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

    repo = resolve_root(root, [])
    config_file = _mkdocs_config(repo)
    _set_as_of(repo, as_of)
    progress = Progress.for_stream(sys.stderr)
    with _mkdocs_logging(progress):
        try:
            # MkDocs checks the site folder too (never inside docs/, say).
            config = load_config(
                str(config_file), strict=True, site_dir=str(site_dir) if site_dir else None
            )
        except (ConfigurationError, ValueError) as error:
            # ValueError: YAML's own date parsing (as_of: 2012-13-45) fails this way.
            raise UsageError(f"{config_file}: {error}") from None
        except Abort as error:  # MkDocs reports configuration errors this way too
            raise UsageError(f"{config_file}: {error.format_message()}") from None
        plugin = config.plugins.get("qa-site")
        edition = audience or (plugin.config.audience if plugin is not None else "internal")
        if plugin is not None:
            plugin.progress = progress
            plugin.config.audience = edition
            if deny_list is not None:
                plugin.config.deny_list = str(deny_list.resolve())
        elif edition == "partners":
            raise UsageError(f"{config_file}: the qa-site plugin is not enabled")
        if edition == "partners" and site_dir is None and audience is not None:
            # Never over the internal site by default: that is where its readers look.
            config.site_dir = config.site_dir.rstrip("/\\") + "-partners"
        target = Path(config.site_dir).resolve()
        if plugin is not None:
            plugin.site_shown = shown_path(target).rstrip("/")
        check_outside_content(repo, target, "the site folder")
        _check_site_folder(target)
        templates = template_folders(repo / TEMPLATES)
        _check_deny_list_kept_out(deny_list, [Path(config.docs_dir), target, *templates])
        try:
            with writing("build", target), staged_folder(target) as staging:
                config.site_dir = str(staging)
                # What `mkdocs build` does with a loaded configuration.
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    mkdocs_build(config)
                finally:
                    config.plugins.on_shutdown()
        except MkDocsException as error:  # content errors, broken pages, strict warnings
            progress.clear()
            click.echo(error.format_message(), err=True)
            click.echo(
                f"qa-site build: not built; {shown_path(target)} was left as it was", err=True
            )
            sys.exit(EXIT_PROBLEMS)
    counts = getattr(plugin, "published", None)
    what = f" from {counts}" if counts is not None else ""
    click.echo(
        f"qa-site build: built {shown_path(target)} ({EDITION_TITLES[edition]}){what}, "
        "no warnings "
        f"({seconds(progress.elapsed)})",
        err=True,
    )


def _mkdocs_config(repo: Path) -> Path:
    config = repo / "mkdocs.yml"
    if not config.is_file():
        raise UsageError(f"{repo} has no mkdocs.yml")
    return config


def _set_as_of(repo: Path, as_of: dt.date | None) -> None:
    """The plugin's as-of date, and MkDocs' own dates (sitemap), come from here:
    ``--as-of``, which wins over a date mkdocs.yml pins, else the pinned date."""
    if as_of is not None:
        os.environ[AS_OF_VARIABLE] = as_of.isoformat()
    day = as_of or pinned_as_of(repo)
    if day is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch_text(day)
    else:
        default_as_of()  # a bad SOURCE_DATE_EPOCH is a usage error, said once
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _check_deny_list_kept_out(named: Path | None, published: Sequence[Path]) -> None:
    """Refuse a deny-list inside a folder that is published (or replaced whole)."""
    inside = deny_list_inside(named, published)
    if inside is not None:
        raise UsageError(
            f"the deny-list {inside[0]} is inside {inside[1]}, which is published or replaced "
            "whole; keep it outside the site"
        )


def _check_site_folder(target: Path) -> None:
    """Refuse to replace a folder that is not a built site: it is replaced whole."""
    if not target.exists():
        return
    if not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder for the site")
    if any(target.iterdir()) and not (target / "index.html").is_file():
        raise UsageError(
            f"{target} is not empty and does not hold a site (it has no index.html); the "
            "build replaces its folder whole, so choose another"
        )


class _MkDocsHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """MkDocs' log lines, as its own command prints them, clear of the progress line."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(sys.stderr)
        self.progress = progress
        self.coloured = progress.enabled  # colour only on a terminal, never in CI logs

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text if self.coloured else click.unstyle(text)

    def emit(self, record: logging.LogRecord) -> None:
        self.progress.clear()
        super().emit(record)


@contextmanager
def _mkdocs_logging(progress: Progress) -> Iterator[None]:
    from mkdocs.__main__ import ColorFormatter

    logger = logging.getLogger("mkdocs")
    handler = _MkDocsHandler(progress)
    handler.setFormatter(ColorFormatter())
    handler.setLevel(logging.INFO)
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


@click.command(cls=ToolCommand)
@click.option(
    "-a",
    "--dev-addr",
    metavar="IP:PORT",
    default="127.0.0.1:8000",
    show_default=True,
    help="Where to serve the site.",
)
@as_of_option
@root_option
def serve(dev_addr: str, as_of: dt.date | None, root: Path | None) -> None:
    """Serve the site locally, rebuilding when a review, standard or template changes.

    Stops cleanly on Ctrl-C or SIGTERM (as a service manager or an editor's
    task sends it): the server shuts down, frees its port and removes its
    temporary site, and the command exits 0. Exits 1 when the content (or a
    page) stopped the first build, 2 for a usage or configuration error.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    repo = resolve_root(root, [])
    config_file = _mkdocs_config(repo)
    _set_as_of(repo, as_of)
    progress = Progress.for_stream(sys.stderr)
    with _mkdocs_logging(progress), _as_mkdocs_serve_logs(), sigterm_as_interrupt():
        try:
            _check_serve_config(config_file, dev_addr)
            # In this process, not as a child a signal to this one would leave running.
            mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=dev_addr)
        except KeyboardInterrupt:
            # Stopped before MkDocs' serve began to wait for it (during the first build,
            # say); it has run the plugins' shutdown and removed its temporary site.
            pass
        except MkDocsException as error:  # the first build, stopped by the content or a page
            progress.clear()
            click.echo(error.format_message(), err=True)
            click.echo(
                "qa-site serve: not served; correct the errors above and start it again", err=True
            )
            sys.exit(EXIT_PROBLEMS)


def _check_serve_config(config_file: Path, dev_addr: str) -> None:
    """mkdocs.yml and --dev-addr read as MkDocs' serve reads them, so that a mistake in
    either is said as a usage error before anything is built or served."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    # Serve builds in a temporary folder, not in site_dir: checked with one like it.
    site_dir = Path(tempfile.gettempdir()) / "mkdocs_"
    # What the check logs is said only if it fails: else serve's own reading says it.
    logger = logging.getLogger("mkdocs")
    held, shown = BufferingHandler(capacity=sys.maxsize), logger.handlers[:]
    logger.handlers[:] = [held]
    try:
        try:
            load_config(str(config_file), dev_addr=dev_addr, site_dir=str(site_dir))
        finally:
            logger.handlers[:] = shown
    # ValueError: YAML's own date parsing (as_of: 2012-13-45) fails this way; Abort:
    # MkDocs reports configuration errors this way too, after logging each.
    except (ConfigurationError, ValueError, Abort) as error:
        for record in held.buffer:
            logger.handle(record)
        message = error.format_message() if isinstance(error, Abort) else str(error)
        raise UsageError(f"{config_file}: {message}") from None


@contextmanager
def _as_mkdocs_serve_logs() -> Iterator[None]:
    """What ``mkdocs serve`` sets up besides its log handler: a build's warning said
    once, not at every rebuild; Python's warnings (deprecations) said as log lines."""
    from mkdocs.__main__ import _showwarning
    from mkdocs.utils import DuplicateFilter

    build_log, once = logging.getLogger("mkdocs.commands.build"), DuplicateFilter()
    build_log.addFilter(once)
    try:
        with warnings.catch_warnings():
            # As MkDocs: unless `python -W` or PYTHONWARNINGS said otherwise.
            if not sys.warnoptions:
                warnings.simplefilter("module", DeprecationWarning)
                warnings.showwarning = _showwarning
            yield
    finally:
        build_log.removeFilter(once)


@click.command(cls=ToolCommand)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the pages to: new, empty, or written by render before.",
)
@click.option(
    "--audience",
    type=click.Choice(EDITIONS),
    default="internal",
    show_default=True,
    help="The edition to render: partners leaves out what is not marked for partners.",
)
@click.option(
    "--links",
    type=click.Choice(LINK_FORMS),
    default="source",
    show_default=True,
    help="How pages link to each other and to docs/: source, to the Markdown file "
    "(../standards/S07.md), for Zensical and for MkDocs with the plugin; directory, to "
    "the URL (../standards/S07/), for an engine that turns no link (MkDocs without the "
    "plugin), with use_directory_urls: true; file (../standards/S07.html), the same "
    "with use_directory_urls: false.",
)
@as_of_option
@root_option
def render(
    out: Path, audience: Edition, links: LinkForm, as_of: dt.date | None, root: Path | None
) -> None:
    """Write the generated pages as ordinary Markdown files, without MkDocs.

    The same pages the plugin adds to a build, plus the data downloads and the
    chart scripts: for inspecting and diffing them, or for building the site
    with an engine that runs no plugins (see docs/publishing.md). The folder
    is replaced whole, and only when every page rendered and, with --links
    directory or file, every link leads to a generated page or a file of docs/.
    """
    repo = resolve_root(root, [])
    check_outside_content(repo, out, "--out")
    templates = checked_templates("render", repo)
    deny = read_deny_list(None)
    outcome = run(repo, run_date(repo, as_of), audience, deny=deny)
    if outcome.programme is None:
        refuse("render", outcome.validation.problems, "nothing was written")
    files = generated_files(outcome, templates, audience)
    if links != "source":
        files = _with_plain_links(files, repo / "docs", links == "directory", out)
    if audience == "partners":
        gate_rendered("render", repo, files, outcome.validation, deny, out)
    with writing("render", out):
        replace_folder(out, files)
    click.echo(f"qa-site render: wrote {counted(len(files), 'file')} to {out}", err=True)


def _with_plain_links(
    files: list[GeneratedFile], docs: Path, directory_urls: bool, out: Path
) -> list[GeneratedFile]:
    """``files`` with their pages' links turned into URLs, as MkDocs makes them from
    the generated files and the pages and files of ``docs``; or every link that
    leads to neither, and nothing written."""
    own = [
        (Path(folder) / name).relative_to(docs).as_posix()
        for folder, _, names in os.walk(docs)  # following no symbolic link
        for name in names
    ]
    written, unresolved = plain_links(files, own, directory_urls)
    if unresolved:
        shown, own_shown = shown_path(out.resolve()), shown_path(docs)
        problems = [
            Problem(
                f"{shown}{page}",
                line,
                "link",
                f"'{excerpt(link)}' leads to no generated page and no file of {own_shown}",
            )
            for page, line, link in unresolved
        ]
        refuse("render", problems, "nothing was written")
    return written


def checked_templates(command: str, repo: Path) -> tuple[Path, ...]:
    """The repository's template folders (``template_folders``), or every symbolic
    link in them refused: a link could bring any file of the machine into the output."""
    templates = template_folders(repo / TEMPLATES)
    symbolic = [link for folder in templates for link in links_inside(folder)]
    if symbolic:
        refuse(
            command,
            [
                Problem(link, 1, FILE, "is a symbolic link, which is never followed")
                for link in symbolic
            ],
            "nothing was written",
        )
    return templates


def gate_rendered(
    command: str,
    repo: Path,
    files: Sequence[GeneratedFile],
    validation: Validation,
    deny: DenyList | None,
    out: Path,
) -> None:
    """The partner edition's pages, as rendered, read for personal data before any
    is written (the plugin does the same for a built site)."""
    written = [
        (item.path, item.content.encode() if isinstance(item.content, str) else item.content)
        for item in files
        if item.content is not None
    ]
    problems = gate(
        published_texts(written),
        validation.accepted,
        deny,
        tracer(lambda: load_repository(repo), deny),
        shown_path(out.resolve()).rstrip("/"),
    )
    if problems:
        refuse(command, problems, "nothing was written")
