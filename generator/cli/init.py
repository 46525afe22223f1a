"""``qa-site init``: start a council's own programme repository."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.failures import ToolCommand
from generator.core.errors import InvalidValue
from generator.workflow.init import QUICKSTART, Council, init_repository


@click.command(cls=ToolCommand)
@click.argument("out", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--borough",
    "borough_id",
    required=True,
    metavar="ID",
    help="The council's id, its folder under reviews/, e.g. 'westminster'.",
)
@click.option("--name", required=True, help="The council's name, e.g. 'Westminster'.")
@click.option("--short", required=True, help="Its short name for tables, e.g. 'WCC'.")
@click.option(
    "--example",
    is_flag=True,
    help="Add a small invented programme for the council: two teams, their reviews "
    "and the governance board's minutes, to delete before the first real review.",
)
def init(out: Path, borough_id: str, name: str, short: str, example: bool) -> None:
    """Write a new programme repository for a council in DIR.

    DIR must be new or empty. It gets the site's configuration (mkdocs.yml),
    its own copy of the starter rulebook (standards/) and of the starter pages
    (docs/), the council's borough.yml, a README, requirements.txt pinning
    this version of qa-site, the checks of every pull request and the
    publishing of the site for GitHub, GitLab and Azure DevOps, a pre-commit
    hook and VS Code tasks. The site's templates come with qa-site. The same
    arguments write the same files, and DIR validates with --strict and builds.
    """
    try:
        council = Council.checked(borough_id, name, short)
    except InvalidValue as error:
        raise InvalidValue(error.message, error.option or "--borough") from None
    written = init_repository(out, council, example)
    standards = [path for path in written if path.startswith("standards/")]
    click.echo(f"qa-site init: wrote {len(written)} files in {out}:", err=True)
    for path in written:
        if not path.startswith("standards/"):
            click.echo(f"  {path}", err=True)
    click.echo(f"  standards/ (the starter rulebook: {len(standards)} files)", err=True)
    click.echo(f"Next, in {out}:", err=True)
    for command in QUICKSTART:
        click.echo(f"  {command}", err=True)
