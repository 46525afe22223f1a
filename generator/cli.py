"""The ``qa-site`` command: a thin edge over the pipeline.

Exit codes: 0 success, 1 content problems, 2 usage or configuration errors
(click's own exit code for usage errors), 3 a fault in the tool itself.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from generator import __version__
from generator.export import build_export, to_csv, to_json
from generator.numbers import counted
from generator.pipeline import (
    ContentRootNotFound,
    check,
    default_as_of,
    find_root,
    write_atomically,
)
from generator.problems import Problem, format_github, format_json, format_text
from generator.programme import Programme
from generator.scoring import Rules, score_in_team, score_programme
from generator.site import TEMPLATES, FolderInUse, TemplateProblem, render_site, replace_folder
from generator.terminal import format_review_score
from generator.validate import Validation

EXIT_PROBLEMS = 1
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


_as_of_option = click.option(
    "--as-of", metavar="YYYY-MM-DD", callback=_iso_date, help=_AS_OF_HELP
)
_root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), help=_ROOT_HELP
)


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


def _select(problems: Sequence[Problem], targets: Sequence[str]) -> list[Problem]:
    if not targets or "." in targets:
        return list(problems)
    return [
        p
        for p in problems
        if any(p.path == t or p.path.startswith(t.rstrip("/") + "/") for t in targets)
    ]


def _summary(validation: Validation, shown: Sequence[Problem]) -> str:
    errors = sum(p.is_error for p in shown)
    warnings = len(shown) - errors
    if shown:
        return f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
    programme = validation.programme
    if programme is None:
        return "no problems"
    counts = [
        counted(len(programme.standards), "standard"),
        counted(len(programme.boroughs), "borough"),
        counted(len(programme.teams), "team"),
        counted(len(programme.reviews), "review"),
        counted(len(programme.meetings), "meeting"),
    ]
    return "no problems: " + ", ".join(counts)


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
@_as_of_option
def validate(
    paths: tuple[Path, ...],
    root: Path | None,
    output_format: str,
    strict: bool,
    as_of: dt.date | None,
) -> None:
    """Check the whole repository and report every problem.

    With PATHs, the whole repository is still checked (files depend on each
    other) but only problems in those files or folders are reported.
    Exits 1 when there is an error (or, with --strict, a warning), else 0.
    """
    repo = _resolve_root(root, paths)
    targets = _relative_targets(repo, paths)
    validation = check(repo, as_of or _default_as_of())
    shown = _select(validation.problems, targets)
    formatter = {"text": format_text, "github": format_github, "json": format_json}[output_format]
    click.echo(formatter(shown), nl=False)
    click.echo(f"qa-site validate: {_summary(validation, shown)}", err=True)
    if any(p.is_error or strict for p in shown):
        sys.exit(EXIT_PROBLEMS)


def _refuse(command: str, problems: Sequence[Problem], what: str) -> NoReturn:
    """Print the errors that stop ``command`` and exit 1."""
    errors = [p for p in problems if p.is_error]
    click.echo(format_text(errors), nl=False, err=True)
    click.echo(f"qa-site {command}: {counted(len(errors), 'error')}; {what}", err=True)
    sys.exit(EXIT_PROBLEMS)


def _valid_programme(repo: Path, as_of: dt.date, command: str, what: str) -> Programme:
    """The validated programme, or the errors printed and exit 1."""
    validation = check(repo, as_of)
    programme = validation.programme
    if programme is None or any(p.is_error for p in validation.problems):
        _refuse(command, validation.problems, what)
    return programme


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: the whole scored programme (schema qa-site/1); csv: one row per review "
    "and standard.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@_as_of_option
@_root_option
def export(
    output_format: str, output: Path | None, as_of: dt.date | None, root: Path | None
) -> None:
    """Write every completed and presented review's results (never drafts).

    The repository must validate without errors; otherwise the errors are
    printed and nothing is written.
    """
    repo = _resolve_root(root, [])
    as_of = as_of or _default_as_of()
    programme = _valid_programme(repo, as_of, "export", "nothing was exported")
    document = build_export(programme, score_programme(programme, as_of))
    text = to_json(document) if output_format == "json" else to_csv(document)
    if output is None:
        click.echo(text, nl=False)
    else:
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
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    if as_of is not None:
        # The plugin's as-of date, and MkDocs' own dates (sitemap), come from here.
        midnight = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
        env["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    else:
        _default_as_of()  # a bad SOURCE_DATE_EPOCH is a usage error, said once
    args = [sys.executable, "-m", "mkdocs", command, "--config-file", str(config), *extra]
    completed = subprocess.run(args, env=env, check=False)
    sys.exit(EXIT_PROBLEMS if completed.returncode else 0)


@cli.command()
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site/ in the repository).",
)
@_as_of_option
@_root_option
def build(site_dir: Path | None, as_of: dt.date | None, root: Path | None) -> None:
    """Build the intranet site with MkDocs (strict: any warning fails the build).

    Content errors stop the build and are printed as path:line: field: message.
    Exits 0 when the site was built, 1 when it was not.
    """
    repo = _resolve_root(root, [])
    extra = ["--strict"]
    if site_dir is not None:
        extra += ["--site-dir", str(site_dir.resolve())]
    _mkdocs("build", repo, as_of, extra)


@cli.command()
@click.option(
    "-a", "--dev-addr", metavar="IP:PORT", default="127.0.0.1:8000", show_default=True,
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
@_as_of_option
@_root_option
def render(out: Path, as_of: dt.date | None, root: Path | None) -> None:
    """Write the generated pages as ordinary Markdown files, without MkDocs.

    The same pages the plugin adds to a build, plus the data downloads and the
    chart scripts: for inspecting and diffing them, or for building the site
    with an engine that runs no plugins (see docs/publishing.md). The folder
    is replaced whole, and only when every page rendered.
    """
    repo = _resolve_root(root, [])
    as_of = as_of or _default_as_of()
    programme = _valid_programme(repo, as_of, "render", "nothing was written")
    try:
        files = render_site(programme, score_programme(programme, as_of), repo / TEMPLATES)
        replace_folder(out, files)
    except (TemplateProblem, FolderInUse) as error:
        click.echo(f"qa-site render: {error}", err=True)
        sys.exit(EXIT_PROBLEMS)
    click.echo(f"qa-site render: wrote {counted(len(files), 'file')} to {out}", err=True)


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
