"""The commands that check content: ``validate``, ``privacy`` and ``score``."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import click

from generator.check.blocking import problems_blocking_score
from generator.check.repository import check, check_loaded, scan
from generator.check.validate import Validation
from generator.cli.failures import EXIT_PROBLEMS, ToolCommand, refuse
from generator.cli.options import (
    as_of_option,
    deny_list_option,
    relative_targets,
    resolve_root,
    root_option,
    run_date,
)
from generator.cli.reports import format_markdown_report
from generator.cli.terminal import format_review_score
from generator.core.errors import InvalidValue
from generator.core.numbers import counted
from generator.core.problems import Problem, format_github, format_json, format_text
from generator.core.progress import Progress, seconds
from generator.load.repository import ParseCache, load_repository
from generator.privacy.deny_list import named_deny_list as read_deny_list
from generator.privacy.guard import Accepted
from generator.privacy.names import DenyList
from generator.score.rules import Rules
from generator.score.team import score_in_team
from generator.workflow.history import check_against_revision

_Located = TypeVar("_Located", Problem, Accepted)


@click.command(cls=ToolCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option
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
@deny_list_option
@as_of_option
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
    repo = resolve_root(root, paths)
    targets = relative_targets(repo, paths)
    when = run_date(repo, as_of)
    formatter = {"text": format_text, "github": format_github, "json": format_json}[output_format]
    cache = ParseCache()  # with --watch, each check parses only the files that changed
    deny = read_deny_list(deny_list)
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
    validation = check_loaded(loaded, as_of, deny)
    problems = list(validation.problems)
    if base is not None:
        progress.update(f"Comparing with {base}")
        problems = check_against_revision(loaded, validation, base, as_of)
    progress.clear()
    return validation, problems


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


def _append(path: Path, text: str) -> None:
    """Add ``text`` to the end of ``path`` (a CI job summary), on a line of its own."""
    with open(path, "ab+") as report:
        if report.seek(0, os.SEEK_END):
            report.seek(-1, os.SEEK_END)
            if report.read(1) != b"\n":
                text = "\n" + text
        report.write(text.encode("utf-8"))  # appended at the end, wherever it was read


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


@click.command(cls=ToolCommand)
@deny_list_option
@root_option
def privacy(deny_list: Path | None, root: Path | None) -> None:
    """Scan every text for personal data, and list what pii-ok markers accepted.

    Looks for NHS numbers, National Insurance numbers, postcodes, dates of
    birth, phone numbers, email addresses and the deny-list's names. A
    finding is an error in text partner boroughs would read and in case or
    worker references, else a warning; the value found is never printed.
    Each finding a marker accepted is listed with its reason. Exits 1 when
    there is an error, else 0.
    """
    repo = resolve_root(root, [])
    report = scan(load_repository(repo), read_deny_list(deny_list))
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


@click.command(cls=ToolCommand)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_of_option
@root_option
def score(path: Path, as_of: dt.date | None, root: Path | None) -> None:
    """Print one review's scores as a table, drafts included.

    PATH is a review file. Errors in it, in standards/, in its team.yml and
    borough.yml, or in the team's earlier reviews stop the scoring; they are
    printed instead.
    """
    repo = resolve_root(root, [path])
    (target,) = relative_targets(repo, [path])
    as_of = run_date(repo, as_of)
    validation = check(repo, as_of)
    programme = validation.programme
    record = programme.review_at(target) if programme else None
    blocking = problems_blocking_score(validation.problems, target)
    if any(p.is_error for p in blocking):
        refuse("score", blocking, "fix these first")
    if programme is None or record is None:
        raise InvalidValue(
            f"{target} is not a review (reviews/<borough>/<team>/<YYYY-MM-DD>.md)", "PATH"
        )
    warnings = [p for p in blocking if not p.is_error]
    click.echo(format_text(warnings), nl=False, err=True)
    rules = Rules.from_framework(programme.framework)
    result = score_in_team(programme, record, as_of, rules)
    click.echo(format_review_score(result, programme, rules, as_of), nl=False)
