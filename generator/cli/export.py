"""The ``export`` command: the scored results as JSON, CSV, a data package or a
workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.cli.failures import ToolCommand, refuse, writing
from generator.cli.options import (
    as_of_option,
    check_outside_content,
    resolve_root,
    root_option,
    run_date,
)
from generator.core.errors import UsageError
from generator.core.files import write_atomically
from generator.export.to_csv import to_csv
from generator.export.to_json import build_export, to_json
from generator.model.programme import Programme
from generator.pipeline import run
from generator.privacy.deny_list import named_deny_list as deny_list
from generator.score.published import published
from generator.score.results import Results
from generator.share.datapackage.write import write_package
from generator.share.edition import EDITIONS, Edition


@click.command(cls=ToolCommand)
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
@as_of_option
@root_option
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
        raise UsageError(f"--format {output_format} needs -o/--output")
    repo = resolve_root(root, [])
    if output is not None:
        check_outside_content(repo, output, "-o/--output")
    when = run_date(repo, as_of)
    outcome = run(repo, when, audience, deny=deny_list(None), boroughs=boroughs)
    if outcome.programme is None or outcome.results is None:
        refuse("export", outcome.validation.problems, "nothing was exported")
    programme, results = outcome.programme, outcome.results
    if output_format == "datapackage":
        assert output is not None
        _write_package(programme, results, output)
    elif output_format == "xlsx":
        assert output is not None
        _write_workbook(programme, results, output)
    else:
        # Partners see what is presented, as on their edition of the site.
        shown = published(results) if audience == "partners" else results
        _write_results(programme, shown, output_format, output)


def _write_package(programme: Programme, results: Results, output: Path) -> None:
    try:
        with writing("export", output):
            package = write_package(programme, results, output)
    except (FileExistsError, NotADirectoryError) as error:
        raise UsageError(str(error)) from None
    click.echo(f"qa-site export: wrote {output}/datapackage.json ({package})", err=True)


def _write_workbook(programme: Programme, results: Results, output: Path) -> None:
    from generator.export.spreadsheet import workbook_bytes  # openpyxl: only when asked for

    with writing("export", output):
        write_atomically(output, workbook_bytes(programme, results))
    click.echo(f"qa-site export: wrote {output}", err=True)


def _write_results(
    programme: Programme, results: Results, output_format: str, output: Path | None
) -> None:
    document = build_export(programme, results)
    text = to_json(document) if output_format == "json" else to_csv(document)
    if output is None:
        click.echo(text, nl=False)
        return
    with writing("export", output):
        write_atomically(output, text)
    click.echo(f"qa-site export: wrote {output} ({len(document.reviews)} reviews)", err=True)
