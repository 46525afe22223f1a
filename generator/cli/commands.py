"""The ``qa-site`` command: a thin edge over the pipeline.

Exit codes: 0 success, 1 content problems, 2 usage or configuration errors
(click's own exit code for usage errors), 3 a fault in the tool itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from generator import __version__
from generator.check.repository import check, guarded
from generator.check.validate import Validation, validate_repository
from generator.cli.reports import format_markdown_report
from generator.cli.terminal import format_review_score
from generator.core.dates import default_as_of
from generator.core.files import FolderInUse, staged_folder, write_atomically
from generator.core.numbers import counted
from generator.core.problems import (
    FILE,
    Problem,
    closest,
    did_you_mean,
    format_github,
    format_json,
    format_text,
    sort_problems,
)
from generator.core.progress import Progress, seconds
from generator.export.results import build_export, to_csv, to_json
from generator.load.repository import LoadedRepository, ParseCache, links_inside, load_repository
from generator.load.root import ContentRootNotFound, content_folder_holding, find_root
from generator.model.content import KEBAB_ID_PATTERN, json_schemas
from generator.model.programme import Programme
from generator.privacy.deny_list import DENY_LIST_VARIABLE, deny_list_inside, read_deny_list
from generator.privacy.detect import DenyList
from generator.privacy.gate import gate, published_texts, tracer
from generator.privacy.guard import Accepted, guard_repository
from generator.render.site import (
    TEMPLATES,
    GeneratedFile,
    TemplateProblem,
    render_site,
    replace_folder,
)
from generator.score.published import published
from generator.score.scoring import Rules, score_in_team, score_programme
from generator.share.datapackage import write_package
from generator.share.edition import EDITION_TITLES, EDITIONS, Edition, for_edition
from generator.workflow import scaffold
from generator.workflow.changes import compare_results, format_markdown
from generator.workflow.history import (
    RevisionError,
    load_revision,
    rescored_reviews,
    review_paths,
    rewritten_reviews,
)
from generator.workflow.synth import Plan, SynthError, default_catalogue, write_programme

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

_AS_OF_HELP = "Treat this as today (default: SOURCE_DATE_EPOCH if set, else today)."
_ROOT_HELP = "The reviews repository (default: found from the current folder upwards)."


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a real date written YYYY-MM-DD") from None


_as_of_option = click.option("--as-of", metavar="YYYY-MM-DD", callback=_iso_date, help=_AS_OF_HELP)
_root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), help=_ROOT_HELP
)
_deny_list_option = click.option(
    "--deny-list",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Names that must never appear (one per line), kept outside the repository; "
    f"default: the file ${DENY_LIST_VARIABLE} names, if set.",
)


def _deny_list(path: Path | None) -> DenyList | None:
    """The deny-list of names, or exit 2 when one is named but cannot be read."""
    try:
        deny = read_deny_list(path)
    except (OSError, ValueError) as error:
        raise click.UsageError(f"cannot read the deny-list: {error}") from None
    return deny


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qa-site")
@click.option("--debug", is_flag=True, help="Show a Python traceback if the tool itself fails.")
def cli(debug: bool) -> None:
    """Validate, score and publish adult social work quality reviews."""


def _resolve_root(root: Path | None, paths: Sequence[Path]) -> Path:
    if root is not None:
        if not (root / "standards" / "framework.yml").is_file():
            raise click.UsageError(f"{root} has no standards/framework.yml")
        return root.resolve()
    start = paths[0] if paths else Path.cwd()
    try:
        return find_root(start if start.is_dir() else start.parent)
    except ContentRootNotFound as error:
        raise click.UsageError(str(error)) from None


def _relative_targets(root: Path, paths: Sequence[Path]) -> list[str]:
    targets = []
    for path in paths:
        if not path.exists():
            raise click.BadParameter(f"{path} does not exist", param_hint="PATH")
        try:
            targets.append(path.resolve().relative_to(root).as_posix())
        except ValueError:
            raise click.BadParameter(f"{path} is not inside {root}", param_hint="PATH") from None
    return targets


_Located = TypeVar("_Located", Problem, Accepted)


def _select(problems: Sequence[_Located], targets: Sequence[str]) -> list[_Located]:
    if not targets or "." in targets:
        return list(problems)
    return [
        p
        for p in problems
        if any(p.path == t or p.path.startswith(t.rstrip("/") + "/") for t in targets)
    ]


def _summary(validation: Validation, shown: Sequence[Problem], elapsed: float) -> str:
    errors = sum(p.is_error for p in shown)
    warnings = len(shown) - errors
    verdict = (
        f"{counted(errors, 'error')}, {counted(warnings, 'warning')}" if shown else ("no problems")
    )
    programme = validation.programme
    if programme is None:
        return f"{verdict} ({seconds(elapsed)})"
    counts = [
        counted(len(programme.standards), "standard"),
        counted(len(programme.boroughs), "borough"),
        counted(len(programme.teams), "team"),
        counted(len(programme.reviews), "review"),
        counted(len(programme.meetings), "meeting"),
    ]
    return f"{verdict}: {', '.join(counts)} ({seconds(elapsed)})"


def _validate_once(
    repo: Path,
    as_of: dt.date,
    base: str | None,
    progress: Progress,
    cache: ParseCache,
    deny: DenyList | None,
) -> tuple[Validation, list[Problem]]:
    """Every problem in the repository, and with ``base`` every refused rewrite."""
    loaded = load_repository(repo, progress.counter("Reading content"), cache)
    progress.update("Checking")
    validation = guarded(validate_repository(loaded, as_of), loaded, deny)
    problems = list(validation.problems)
    if base is not None:
        then = _load_revision(repo, base)
        progress.update(f"Comparing with {base}")
        base_programme = validate_repository(then, as_of).programme
        problems += rewritten_reviews(
            base_programme, validation.programme, review_paths(loaded), base
        )
        if base_programme is not None and validation.programme is not None:
            problems += rescored_reviews(
                score_programme(base_programme, as_of),
                score_programme(validation.programme, as_of),
            )
        problems = sort_problems(problems)
    progress.clear()
    return validation, problems


def _append(path: Path, text: str) -> None:
    """Add ``text`` to the end of ``path`` (a CI job summary), on a line of its own."""
    with open(path, "ab+") as report:
        if report.seek(0, os.SEEK_END):
            report.seek(-1, os.SEEK_END)
            if report.read(1) != b"\n":
                text = "\n" + text
        report.write(text.encode("utf-8"))  # appended at the end, wherever it was read


def _load_revision(repo: Path, revision: str) -> LoadedRepository:
    try:
        return load_revision(repo, revision)
    except RevisionError as error:
        raise click.UsageError(str(error)) from None


def _snapshot(repo: Path) -> dict[str, tuple[int, int]]:
    """What the content files look like now, to notice a save."""
    found = {}
    for folder in ("standards", "reviews"):
        # Links are not content (the check says so) and are never followed here either.
        if (repo / folder).is_symlink():
            continue
        for top, _, names in os.walk(repo / folder, followlinks=False):
            for name in names:
                path = Path(top) / name
                try:
                    stat = path.lstat()
                except OSError:  # removed while we looked
                    continue
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_root_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text: path:line: field: message; github: Actions annotations; json: a list.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--base",
    metavar="REV",
    help="Also refuse changes to reviews presented at Git revision REV (a deleted review, "
    "or changed ratings, grades or actions without a new amendment).",
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append every problem, as a Markdown table, to this file (for $GITHUB_STEP_SUMMARY).",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: check again each time a file in reviews/ or standards/ changes.",
)
@_deny_list_option
@_as_of_option
def validate(
    paths: tuple[Path, ...],
    root: Path | None,
    output_format: str,
    strict: bool,
    base: str | None,
    summary_file: Path | None,
    watch: bool,
    deny_list: Path | None,
    as_of: dt.date | None,
) -> None:
    """Check the whole repository and report every problem.

    With PATHs, the whole repository is still checked (files depend on each
    other) but only problems in those files or folders are reported.
    Exits 1 when there is an error (or, with --strict, a warning), else 0.
    """
    repo = _resolve_root(root, paths)
    targets = _relative_targets(repo, paths)
    when = as_of or _default_as_of()
    formatter = {"text": format_text, "github": format_github, "json": format_json}[output_format]
    cache = ParseCache()  # with --watch, each check parses only the files that changed
    deny = _deny_list(deny_list)
    try:
        while True:
            seen = _snapshot(repo) if watch else {}
            if watch:
                click.echo("qa-site validate: checking", err=True)
            progress = Progress.for_stream(sys.stderr)
            validation, problems = _validate_once(repo, when, base, progress, cache, deny)
            shown = _select(problems, targets)
            click.echo(formatter(shown), nl=False)
            summary = f"qa-site validate: {_summary(validation, shown, progress.elapsed)}"
            click.echo(summary, err=True)
            if summary_file is not None:
                accepted = _select(validation.accepted, targets)
                _append(summary_file, format_markdown_report(shown, summary, accepted))
            if not watch:
                sys.exit(EXIT_PROBLEMS if any(p.is_error or strict for p in shown) else 0)
            while _snapshot(repo) == seen:
                time.sleep(0.5)
    except KeyboardInterrupt:
        sys.exit(0)


@cli.command()
@_deny_list_option
@_root_option
def privacy(deny_list: Path | None, root: Path | None) -> None:
    """Scan every text for personal data, and list what pii-ok markers accepted.

    Looks for NHS numbers, National Insurance numbers, postcodes, dates of
    birth, phone numbers, email addresses and the deny-list's names. A
    finding is an error in text partner boroughs would read and in case or
    worker references, else a warning; the value found is never printed.
    Each finding a marker accepted is listed with its reason. Exits 1 when
    there is an error, else 0.
    """
    repo = _resolve_root(root, [])
    loaded = load_repository(repo)
    report = guard_repository(
        loaded,
        _deny_list(deny_list),
        lambda path: (repo / path).read_text(encoding="utf-8", errors="replace"),
    )
    click.echo(format_text(report.problems), nl=False)
    for accepted in report.accepted:
        click.echo(accepted.format_text())
    errors = sum(p.is_error for p in report.problems)
    click.echo(
        f"qa-site privacy: {counted(errors, 'error')}, "
        f"{counted(len(report.problems) - errors, 'warning')}, "
        f"{counted(len(report.accepted), 'finding')} accepted with pii-ok",
        err=True,
    )
    sys.exit(EXIT_PROBLEMS if errors else 0)


def _refuse(command: str, problems: Sequence[Problem], what: str) -> NoReturn:
    """Print the errors that stop ``command`` and exit 1."""
    errors = [p for p in problems if p.is_error]
    click.echo(format_text(errors), nl=False, err=True)
    click.echo(f"qa-site {command}: {counted(len(errors), 'error')}; {what}", err=True)
    sys.exit(EXIT_PROBLEMS)


def _valid_programme(validation: Validation, command: str, what: str) -> Programme:
    """The validated programme, or the errors printed and exit 1."""
    programme = validation.programme
    if programme is None or any(p.is_error for p in validation.problems):
        _refuse(command, validation.problems, what)
    return programme


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "csv", "datapackage", "xlsx"]),
    default="json",
    show_default=True,
    help="json: the whole scored programme (schema qa-site/1); csv: one row per review "
    "and standard; datapackage: a Frictionless data package of the presented results, "
    "for partner boroughs (-o is a folder); xlsx: a workbook for managers, a sheet of "
    "team results per borough and one of open actions (-o is a file).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (the folder, for datapackage) instead of standard output.",
)
@click.option(
    "--borough",
    "boroughs",
    multiple=True,
    metavar="ID",
    help="Only this borough (repeat for more); default: every borough.",
)
@click.option(
    "--audience",
    type=click.Choice(EDITIONS),
    default="internal",
    show_default=True,
    help="partners: for xlsx, the wording of actions not marked for partners is left out; "
    "for json and csv, completed reviews not yet presented are left out.",
)
@_as_of_option
@_root_option
def export(
    output_format: str,
    output: Path | None,
    boroughs: tuple[str, ...],
    audience: Edition,
    as_of: dt.date | None,
    root: Path | None,
) -> None:
    """Write the results of every completed and presented review (never drafts).

    datapackage and xlsx hold presented reviews only, as the site does. The
    repository must validate without errors; otherwise the errors are
    printed and nothing is written.
    """
    if output_format in ("datapackage", "xlsx") and output is None:
        raise click.UsageError(f"--format {output_format} needs -o/--output")
    repo = _resolve_root(root, [])
    if output is not None:
        _check_outside_content(repo, output, "-o/--output")
    as_of = as_of or _default_as_of()
    validation = check(repo, as_of, deny=_deny_list(None))
    programme = _valid_programme(validation, "export", "nothing was exported")
    unknown = sorted(set(boroughs) - set(programme.boroughs))
    if unknown:
        raise click.BadParameter(
            f"no borough '{unknown[0]}'{did_you_mean(unknown[0], programme.boroughs)}",
            param_hint="--borough",
        )
    if boroughs:
        programme = dataclasses.replace(
            programme, boroughs={k: v for k, v in programme.boroughs.items() if k in boroughs}
        )
    programme = for_edition(programme, audience)
    results = score_programme(programme, as_of)
    if output_format == "datapackage":
        assert output is not None
        try:
            with _writing("export", output):
                package = write_package(programme, results, output)
        except (FileExistsError, NotADirectoryError) as error:
            raise click.UsageError(str(error)) from None
        click.echo(f"qa-site export: wrote {output}/datapackage.json ({package})", err=True)
        return
    if output_format == "xlsx":
        from generator.export.spreadsheet import workbook_bytes  # openpyxl: only when asked for

        assert output is not None
        with _writing("export", output):
            write_atomically(output, workbook_bytes(programme, results))
        click.echo(f"qa-site export: wrote {output}", err=True)
        return
    # Partners see what is presented, as on their edition of the site.
    document = build_export(programme, published(results) if audience == "partners" else results)
    text = to_json(document) if output_format == "json" else to_csv(document)
    if output is None:
        click.echo(text, nl=False)
    else:
        with _writing("export", output):
            write_atomically(output, text)
        click.echo(f"qa-site export: wrote {output} ({len(document.reviews)} reviews)", err=True)


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_as_of_option
@_root_option
def score(path: Path, as_of: dt.date | None, root: Path | None) -> None:
    """Print one review's scores as a table, drafts included.

    PATH is a review file. Errors in it, in standards/, in its team.yml and
    borough.yml, or in the team's earlier reviews stop the scoring; they are
    printed instead.
    """
    repo = _resolve_root(root, [path])
    (target,) = _relative_targets(repo, [path])
    as_of = as_of or _default_as_of()
    validation = check(repo, as_of)
    programme = validation.programme
    record = programme.review_at(target) if programme else None
    # What the score depends on: the rulebook, the review, its team and borough
    # files, and the team's earlier reviews (for the change).
    folder, _, name = target.rpartition("/")
    borough_file = folder.rpartition("/")[0] + "/borough.yml"

    def needed(path: str) -> bool:
        if path in (target, borough_file, f"{folder}/team.yml") or _is_rulebook(path):
            return True
        # An earlier review of the team: file names are dates, so they sort as dates.
        earlier, _, earlier_name = path.rpartition("/")
        return earlier == folder and earlier_name < name

    blocking = [p for p in validation.problems if needed(p.path)]
    if any(p.is_error for p in blocking):
        _refuse("score", blocking, "fix these first")
    if programme is None or record is None:
        raise click.BadParameter(
            f"{target} is not a review (reviews/<borough>/<team>/<YYYY-MM-DD>.md)",
            param_hint="PATH",
        )
    warnings = [p for p in blocking if not p.is_error]
    click.echo(format_text(warnings), nl=False, err=True)
    rules = Rules.from_framework(programme.framework)
    result = score_in_team(programme, record, as_of, rules)
    click.echo(format_review_score(result, programme, rules, as_of), nl=False)


def _mkdocs(command: str, root: Path, as_of: dt.date | None, extra: Sequence[str]) -> NoReturn:
    """Run ``mkdocs COMMAND`` on the repository's mkdocs.yml, as of a date if given."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        raise click.UsageError(f"{root} has no mkdocs.yml")
    _set_as_of(as_of)
    args = [sys.executable, "-m", "mkdocs", command, "--config-file", str(config), *extra]
    completed = subprocess.run(args, env=dict(os.environ), check=False)
    sys.exit(EXIT_PROBLEMS if completed.returncode else 0)


@cli.command()
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
@_deny_list_option
@_as_of_option
@_root_option
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

    repo = _resolve_root(root, [])
    config_file = repo / "mkdocs.yml"
    if not config_file.is_file():
        raise click.UsageError(f"{repo} has no mkdocs.yml")
    _set_as_of(as_of)
    progress = Progress.for_stream(sys.stderr)
    with _mkdocs_logging(progress):
        try:
            # MkDocs checks the site folder too (never inside docs/, say).
            config = load_config(
                str(config_file), strict=True, site_dir=str(site_dir) if site_dir else None
            )
        except (ConfigurationError, ValueError) as error:
            # ValueError: YAML's own date parsing (as_of: 2012-13-45) fails this way.
            raise click.UsageError(f"{config_file}: {error}") from None
        except Abort as error:  # MkDocs reports configuration errors this way too
            raise click.UsageError(f"{config_file}: {error.format_message()}") from None
        plugin = config.plugins.get("qa-site")
        edition = audience or (plugin.config.audience if plugin is not None else "internal")
        if plugin is not None:
            plugin.progress = progress
            plugin.config.audience = edition
            if deny_list is not None:
                plugin.config.deny_list = str(deny_list.resolve())
        elif edition == "partners":
            raise click.UsageError(f"{config_file}: the qa-site plugin is not enabled")
        if edition == "partners" and site_dir is None and audience is not None:
            # Never over the internal site by default: that is where its readers look.
            config.site_dir = config.site_dir.rstrip("/\\") + "-partners"
        target = Path(config.site_dir).resolve()
        if plugin is not None:
            plugin.site_shown = _shown_path(target).rstrip("/")
        _check_outside_content(repo, target, "the site folder")
        _check_site_folder(target)
        _check_deny_list_kept_out(deny_list, [Path(config.docs_dir), target])
        try:
            with _writing("build", target), staged_folder(target) as staging:
                config.site_dir = str(staging)
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    mkdocs_build(config)
                finally:
                    config.plugins.on_shutdown()
        except FolderInUse as error:
            raise click.UsageError(str(error)) from None
        except MkDocsException as error:  # content errors, broken pages, strict warnings
            progress.clear()
            click.echo(error.format_message(), err=True)
            click.echo(
                f"qa-site build: not built; {_shown_path(target)} was left as it was", err=True
            )
            sys.exit(EXIT_PROBLEMS)
    counts = getattr(plugin, "published", None)
    what = f" from {counts}" if counts is not None else ""
    click.echo(
        f"qa-site build: built {_shown_path(target)} ({EDITION_TITLES[edition]}){what}, "
        "no warnings "
        f"({seconds(progress.elapsed)})",
        err=True,
    )


def _set_as_of(as_of: dt.date | None) -> None:
    """The plugin's as-of date, and MkDocs' own dates (sitemap), come from here."""
    if as_of is not None:
        midnight = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    else:
        _default_as_of()  # a bad SOURCE_DATE_EPOCH is a usage error, said once
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _check_deny_list_kept_out(named: Path | None, published: Sequence[Path]) -> None:
    """Refuse a deny-list inside a folder that is published (or replaced whole)."""
    inside = deny_list_inside(named, published)
    if inside is not None:
        raise click.UsageError(
            f"the deny-list {inside[0]} is inside {inside[1]}, which is published or replaced "
            "whole; keep it outside the site"
        )


def _check_outside_content(repo: Path, target: Path, what: str) -> None:
    """Refuse to write output into the content: it would be read as content next time,
    or overwrite a reviewer's file."""
    folder = content_folder_holding(repo, target)
    if folder is not None:
        raise click.UsageError(
            f"{what} {target} is inside {folder}/, which holds the content; write it "
            "somewhere else (the site and exports belong outside reviews/ and standards/)"
        )


@contextmanager
def _writing(command: str, target: Path) -> Iterator[None]:
    """A failure to write (a full disk, a read-only share) reported against ``target``,
    not against whichever file was being copied when it happened."""
    try:
        yield
    except OSError as error:
        if isinstance(error, FileExistsError | NotADirectoryError | BlockingIOError):
            raise  # said as a usage error where they are expected
        reason = error.strerror or str(error)
        click.echo(
            f"qa-site {command}: could not write {target}: {reason}; nothing was replaced, "
            f"and {target} was left as it was",
            err=True,
        )
        sys.exit(EXIT_USAGE)


def _check_site_folder(target: Path) -> None:
    """Refuse to replace a folder that is not a built site: it is replaced whole."""
    if not target.exists():
        return
    if not target.is_dir():
        raise click.UsageError(f"{target} is a file, not a folder for the site")
    if any(target.iterdir()) and not (target / "index.html").is_file():
        raise click.UsageError(
            f"{target} is not empty and does not hold a site (it has no index.html); the "
            "build replaces its folder whole, so choose another"
        )


def _shown_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return str(path) + "/"


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


@cli.command()
@click.option(
    "-a",
    "--dev-addr",
    metavar="IP:PORT",
    default="127.0.0.1:8000",
    show_default=True,
    help="Where to serve the site.",
)
@_as_of_option
@_root_option
def serve(dev_addr: str, as_of: dt.date | None, root: Path | None) -> None:
    """Serve the site locally, rebuilding when a review, standard or template changes."""
    repo = _resolve_root(root, [])
    _mkdocs("serve", repo, as_of, ["--dev-addr", dev_addr])


@cli.command()
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
@_as_of_option
@_root_option
def render(out: Path, audience: Edition, as_of: dt.date | None, root: Path | None) -> None:
    """Write the generated pages as ordinary Markdown files, without MkDocs.

    The same pages the plugin adds to a build, plus the data downloads and the
    chart scripts: for inspecting and diffing them, or for building the site
    with an engine that runs no plugins (see docs/publishing.md). The folder
    is replaced whole, and only when every page rendered.
    """
    repo = _resolve_root(root, [])
    _check_outside_content(repo, out, "--out")
    links = links_inside(repo / TEMPLATES)
    if links:
        _refuse(
            "render",
            [
                Problem(link, 1, FILE, "is a symbolic link, which is never followed")
                for link in links
            ],
            "nothing was written",
        )
    as_of = as_of or _default_as_of()
    validation = check(repo, as_of, deny=_deny_list(None))
    programme = _valid_programme(validation, "render", "nothing was written")
    programme = for_edition(programme, audience)
    try:
        files = render_site(
            programme, score_programme(programme, as_of), repo / TEMPLATES, audience
        )
        if audience == "partners":
            _gate_rendered(repo, files, validation, out)
        with _writing("render", out):
            replace_folder(out, files)
    except TemplateProblem as error:
        click.echo(f"qa-site render: {error}", err=True)
        sys.exit(EXIT_PROBLEMS)
    except FolderInUse as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"qa-site render: wrote {counted(len(files), 'file')} to {out}", err=True)


def _gate_rendered(
    repo: Path, files: Sequence[GeneratedFile], validation: Validation, out: Path
) -> None:
    """The partner edition's pages, as rendered, read for personal data before any
    is written (the plugin does the same for a built site)."""
    deny = _deny_list(None)
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
        _shown_path(out.resolve()).rstrip("/"),
    )
    if problems:
        _refuse("render", problems, "nothing was written")


@cli.command()
@click.argument("base")
@click.argument("head", required=False)
@_as_of_option
@_root_option
def diff(base: str, head: str | None, as_of: dt.date | None, root: Path | None) -> None:
    """Summarise, in Markdown, what a change does to the published results.

    Compares Git revision BASE with HEAD (default: the files as they are now):
    per team, the overall rating and percentage before and after and the
    standards whose ratings changed; reviews published or amended; actions
    opened or closed; board minutes published. Prints "No change to results."
    when there is none. Both sides must validate.
    """
    repo = _resolve_root(root, [])
    when = as_of or _default_as_of()
    sides = []
    for revision in (base, head):
        loaded = load_repository(repo) if revision is None else _load_revision(repo, revision)
        name = revision or "the working tree"
        what = f"in {name}; run qa-site validate there first"
        sides.append(_valid_programme(validate_repository(loaded, when), "diff", what))
    before, after = sides
    change = compare_results(
        before, score_programme(before, when), after, score_programme(after, when)
    )
    click.echo(format_markdown(change, base, head or "working tree", when, after), nl=False)


@cli.group()
def new() -> None:
    """Start a new file: a draft review or meeting, a team, a borough."""


def _date_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--date", "day", metavar="YYYY-MM-DD", callback=_iso_date, help=help_text)


def _write_new(repo: Path, relative: str, text: str, what: str) -> None:
    path = repo / relative
    if path.exists():
        raise click.UsageError(f"{relative} already exists; nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
    click.echo(f"qa-site new: wrote {relative} ({what}); check it with: qa-site validate", err=True)


def _scaffold_programme(repo: Path, as_of: dt.date) -> Programme:
    programme = check(repo, as_of).programme
    if programme is None:
        raise click.UsageError("standards/framework.yml has errors; run qa-site validate first")
    return programme


def _split_team(value: str) -> tuple[str, str]:
    borough, _, team = value.strip("/").partition("/")
    if not borough or not team or "/" in team:
        raise click.BadParameter(f"expected <borough>/<team>, got '{value}'")
    return borough, team


@new.command("review")
@click.argument("team_path", metavar="BOROUGH/TEAM")
@_date_option("The review's date, used as the file name (default: today).")
@click.option(
    "--workers",
    type=click.IntRange(0, 99),
    help="Case-audit blocks, one per social worker (default: as many as the team's "
    "last review had, else 1).",
)
@_root_option
def new_review(team_path: str, day: dt.date | None, workers: int | None, root: Path | None) -> None:
    """Write a draft review of BOROUGH/TEAM, with every standard left to rate.

    The draft lists every standard of the current framework version (blank,
    its title as a comment), the evidence sources, a case-audit block per
    social worker and an empty action plan. It validates as it is.
    """
    repo = _resolve_root(root, [])
    when = day or _default_as_of()
    borough_id, team_id = _split_team(team_path)
    programme = _scaffold_programme(repo, when)
    borough = programme.boroughs.get(borough_id)
    if borough is None:
        raise click.BadParameter(
            f"no borough '{borough_id}'{did_you_mean(borough_id, programme.boroughs)}",
            param_hint="BOROUGH/TEAM",
        )
    team = borough.teams.get(team_id)
    if team is None:
        raise click.BadParameter(
            f"no team '{team_id}' in {borough_id}{did_you_mean(team_id, borough.teams)}",
            param_hint="BOROUGH/TEAM",
        )
    if team.team.closed is not None and when > team.team.closed:
        raise click.UsageError(f"{team.team.name} closed on {team.team.closed}")
    version = programme.framework.version
    text = scaffold.review_file(
        programme.framework,
        programme.standards_in(version),
        team.team.name,
        borough.borough.name,
        workers
        if workers is not None
        else scaffold.case_count(team.reviews[-1] if team.reviews else None),
    )
    _write_new(repo, f"reviews/{borough_id}/{team_id}/{when.isoformat()}.md", text, "a draft")


@new.command("meeting")
@click.argument("borough_id", metavar="BOROUGH")
@_date_option("The meeting's date, used as the file name (default: today).")
@_root_option
def new_meeting(borough_id: str, day: dt.date | None, root: Path | None) -> None:
    """Write draft minutes of BOROUGH's governance board meeting.

    Chairs and representatives are carried over from the borough's last
    meeting. The draft is never published until its status line is removed.
    """
    repo = _resolve_root(root, [])
    when = day or _default_as_of()
    programme = _scaffold_programme(repo, when)
    borough = programme.boroughs.get(borough_id)
    if borough is None:
        raise click.BadParameter(
            f"no borough '{borough_id}'{did_you_mean(borough_id, programme.boroughs)}",
            param_hint="BOROUGH",
        )
    earlier = [m for m in borough.meetings if m.date < when]
    open_teams = [
        t.id for t in borough.teams.values() if not t.team.closed or t.team.closed >= when
    ]
    text = scaffold.meeting_file(earlier[-1] if earlier else None, borough.borough.name, open_teams)
    _write_new(repo, f"reviews/{borough_id}/governance/{when.isoformat()}.md", text, "a draft")


@new.command("team")
@click.argument("team_path", metavar="BOROUGH/TEAM")
@click.option("--name", required=True, help="The team's name, e.g. 'Learning Disability Team'.")
@click.option(
    "--service", required=True, help="The service type, shared with like teams in other boroughs."
)
@click.option("--established", metavar="YYYY-MM-DD", callback=_iso_date, help="When it started.")
@_root_option
def new_team(
    team_path: str, name: str, service: str, established: dt.date | None, root: Path | None
) -> None:
    """Write BOROUGH/TEAM/team.yml for a new team (the folder name is its id)."""
    _check_text(name, "--name")
    repo = _resolve_root(root, [])
    borough_id, team_id = _split_team(team_path)
    _check_new_id(team_id, "team")
    if team_id == "governance":
        raise click.BadParameter("'governance' is the board's folder, not a team id")
    if not (repo / "reviews" / borough_id / "borough.yml").is_file():
        raise click.BadParameter(
            f"no borough '{borough_id}' (qa-site new borough {borough_id} ...)",
            param_hint="BOROUGH/TEAM",
        )
    _check_new_id(service, "service")
    programme = check(repo, _default_as_of()).programme
    services = sorted({t.team.service for t in programme.teams}) if programme else []
    if services and service not in services:
        click.echo(
            f"qa-site new: note: no other team has the service '{service}'. Teams are "
            "compared across boroughs by service, so reuse one where it fits: "
            + ", ".join(services)
            + (f". Did you mean '{near}'?" if (near := closest(service, services)) else "."),
            err=True,
        )
    text = scaffold.team_file(name, service, established)
    _write_new(repo, f"reviews/{borough_id}/{team_id}/team.yml", text, "a new team")


@new.command("borough")
@click.argument("borough_id", metavar="BOROUGH")
@click.option("--name", required=True, help="The council's name, e.g. 'Westminster'.")
@click.option("--short", required=True, help="Its short name for tables, e.g. 'WCC'.")
@_root_option
def new_borough(borough_id: str, name: str, short: str, root: Path | None) -> None:
    """Write BOROUGH/borough.yml for a new council (the folder name is its id)."""
    _check_text(name, "--name")
    _check_text(short, "--short")
    repo = _resolve_root(root, [])
    _check_new_id(borough_id, "borough")
    text = scaffold.borough_file(name, short)
    _write_new(repo, f"reviews/{borough_id}/borough.yml", text, "a new borough")


_ID_EXAMPLES = {"team": "older-people", "service": "older-people", "borough": "westminster"}


def _check_new_id(value: str, what: str) -> None:
    if not re.fullmatch(KEBAB_ID_PATTERN, value):
        raise click.BadParameter(
            f"a {what} id is lower-case letters, digits and hyphens (like "
            f"'{_ID_EXAMPLES[what]}'), got '{value}'"
        )


def _check_text(value: str, option: str) -> None:
    if not value.strip():
        raise click.BadParameter("must not be blank", param_hint=option)


@cli.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write to (default: schemas/ in the repository).",
)
@_root_option
def schema(out: Path | None, root: Path | None) -> None:
    """Write a JSON Schema for each kind of content file, from the models.

    For editors (the YAML language server checks framework.yml, borough.yml
    and team.yml with them) and any other tool; for reviews, meetings and
    standards they describe the frontmatter.
    """
    folder = out if out is not None else _resolve_root(root, []) / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    schemas = json_schemas()
    for name, document in schemas.items():
        text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        write_atomically(folder / f"{name}.schema.json", text)
    click.echo(f"qa-site schema: wrote {counted(len(schemas), 'schema')} to {folder}", err=True)


@cli.command()
@click.argument("out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--boroughs",
    metavar="N",
    type=click.IntRange(1, 99),
    default=3,
    show_default=True,
    help="How many boroughs to invent.",
)
@click.option(
    "--teams",
    metavar="N",
    type=click.IntRange(1, 999),
    default=25,
    show_default=True,
    help="Teams in each borough.",
)
@click.option(
    "--years",
    metavar="N",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="Years of reviews and board meetings.",
)
@click.option(
    "--seed",
    metavar="N",
    type=int,
    default=1,
    show_default=True,
    help="Another seed invents another programme; the same seed, the same files.",
)
@click.option(
    "--catalogue",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The repository whose standards/, mkdocs.yml, docs/ and site_templates/ are "
    "copied (default: found from the current folder upwards, else the one qa-site was "
    "installed from).",
)
def synth(
    out: Path, boroughs: int, teams: int, years: int, seed: int, catalogue: Path | None
) -> None:
    """Invent a whole, valid reviews repository in DIR, for demos and benchmarks.

    DIR must be new or empty. The rulebook and the site's configuration, pages
    and templates are copied from the catalogue; the boroughs, teams, reviews
    and governance board meetings are invented. Each team is reviewed again
    exactly when the framework's interval for the rating it earned says; some
    teams close partway. Nothing is dated after 2025, and the same arguments
    write the same files. DIR validates with --strict and builds.
    """
    plan = Plan(boroughs=boroughs, teams=teams, years=years, seed=seed)
    source = catalogue if catalogue is not None else default_catalogue(Path.cwd())
    try:
        written = write_programme(out, source.resolve(), plan)
    except SynthError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"qa-site synth: wrote {out}: {written.summary()}", err=True)


def _is_rulebook(path: str) -> bool:
    return path.startswith("standards/")


def _default_as_of() -> dt.date:
    try:
        return default_as_of()
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: no traceback unless --debug asked for one."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        cli.main(args=args, prog_name="qa-site", standalone_mode=True)
    except SystemExit:
        raise
    except OSError as error:  # a folder that cannot be written, a disk that is full
        if "--debug" in args:
            raise
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"qa-site: {where}{error.strerror or error}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as error:  # a bug in the tool, not in the content
        if "--debug" in args:
            raise
        click.echo(
            f"qa-site: internal error: {type(error).__name__}: {error}\n"
            "This is a fault in qa-site, not in your files. Run again with --debug "
            "for details and report it.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
