"""The commands of a reviewer's and maintainer's work: ``diff``, ``new ...``,
``schema`` and ``synth``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from generator.check.blocking import usable_programme
from generator.check.repository import check
from generator.check.validate import validate_repository
from generator.cli.failures import ToolCommand, ToolGroup, refuse
from generator.cli.options import as_of_option, iso_date, resolve_root, root_option
from generator.core.dates import default_as_of
from generator.core.errors import UsageError
from generator.core.files import write_atomically
from generator.core.numbers import counted
from generator.load.repository import load_repository
from generator.model.programme import Programme
from generator.model.schemas import json_schemas
from generator.score.results import score_programme
from generator.workflow import new_ids, scaffold
from generator.workflow.changes import compare_results, format_markdown
from generator.workflow.revision import load_revision
from generator.workflow.synth.plan import Plan
from generator.workflow.synth.repository import default_catalogue, write_programme


@click.command(cls=ToolCommand)
@click.argument("base")
@click.argument("head", required=False)
@as_of_option
@root_option
def diff(base: str, head: str | None, as_of: dt.date | None, root: Path | None) -> None:
    """Summarise, in Markdown, what a change does to the published results.

    Compares Git revision BASE with HEAD (default: the files as they are now):
    per team, the overall rating and percentage before and after and the
    standards whose ratings changed; reviews published or amended; actions
    opened or closed; board minutes published. Prints "No change to results."
    when there is none. Both sides must validate.
    """
    repo = resolve_root(root, [])
    when = as_of or default_as_of()
    sides = []
    for revision in (base, head):
        loaded = load_repository(repo) if revision is None else load_revision(repo, revision)
        validation = validate_repository(loaded, when)
        programme = usable_programme(validation)
        if programme is None:
            name = revision or "the working tree"
            refuse("diff", validation.problems, f"in {name}; run qa-site validate there first")
        sides.append(programme)
    before, after = sides
    change = compare_results(
        before, score_programme(before, when), after, score_programme(after, when)
    )
    click.echo(format_markdown(change, base, head or "working tree", when, after), nl=False)


@click.group(cls=ToolGroup)
def new() -> None:
    """Start a new file: a draft review or meeting, a team, a borough."""


def _date_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--date", "day", metavar="YYYY-MM-DD", callback=iso_date, help=help_text)


def _write_new(repo: Path, relative: str, text: str, what: str) -> None:
    path = repo / relative
    if path.exists():
        raise UsageError(f"{relative} already exists; nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
    click.echo(f"qa-site new: wrote {relative} ({what}); check it with: qa-site validate", err=True)


def _scaffold_programme(repo: Path, as_of: dt.date) -> Programme:
    programme = check(repo, as_of).programme
    if programme is None:
        raise UsageError("standards/framework.yml has errors; run qa-site validate first")
    return programme


@new.command("review")
@click.argument("team_path", metavar="BOROUGH/TEAM")
@_date_option("The review's date, used as the file name (default: today).")
@click.option(
    "--workers",
    type=click.IntRange(0, 99),
    help="Case-audit blocks, one per social worker (default: as many as the team's "
    "last review had, else 1).",
)
@root_option
def new_review(team_path: str, day: dt.date | None, workers: int | None, root: Path | None) -> None:
    """Write a draft review of BOROUGH/TEAM, with every standard left to rate.

    The draft lists every standard of the framework version in force on its
    date (blank, its title as a comment), the evidence sources, a case-audit
    block per social worker and an empty action plan. It validates as it is.
    """
    repo = resolve_root(root, [])
    when = day or default_as_of()
    borough_id, team_id = new_ids.split_team(team_path)
    relative, text = scaffold.draft_review(
        _scaffold_programme(repo, when), borough_id, team_id, when, workers
    )
    _write_new(repo, relative, text, "a draft")


@new.command("meeting")
@click.argument("borough_id", metavar="BOROUGH")
@_date_option("The meeting's date, used as the file name (default: today).")
@root_option
def new_meeting(borough_id: str, day: dt.date | None, root: Path | None) -> None:
    """Write draft minutes of BOROUGH's governance board meeting.

    Chairs and representatives are carried over from the borough's last
    meeting. The draft is never published until its status line is removed.
    """
    repo = resolve_root(root, [])
    when = day or default_as_of()
    relative, text = scaffold.draft_minutes(_scaffold_programme(repo, when), borough_id, when)
    _write_new(repo, relative, text, "a draft")


@new.command("team")
@click.argument("team_path", metavar="BOROUGH/TEAM")
@click.option("--name", required=True, help="The team's name, e.g. 'Learning Disability Team'.")
@click.option(
    "--service", required=True, help="The service type, shared with like teams in other boroughs."
)
@click.option("--established", metavar="YYYY-MM-DD", callback=iso_date, help="When it started.")
@root_option
def new_team(
    team_path: str, name: str, service: str, established: dt.date | None, root: Path | None
) -> None:
    """Write BOROUGH/TEAM/team.yml for a new team (the folder name is its id)."""
    new_ids.check_text(name, "--name")
    repo = resolve_root(root, [])
    borough_id, team_id = new_ids.split_team(team_path)
    new_ids.check_new_team(repo, borough_id, team_id)
    new_ids.check_new_id(service, "service")
    programme = check(repo, default_as_of()).programme
    services = sorted({t.team.service for t in programme.teams}) if programme else []
    note = new_ids.service_note(service, services)
    if note is not None:
        click.echo(f"qa-site new: note: {note}", err=True)
    text = scaffold.team_file(name, service, established)
    _write_new(repo, f"reviews/{borough_id}/{team_id}/team.yml", text, "a new team")


@new.command("borough")
@click.argument("borough_id", metavar="BOROUGH")
@click.option("--name", required=True, help="The council's name, e.g. 'Westminster'.")
@click.option("--short", required=True, help="Its short name for tables, e.g. 'WCC'.")
@root_option
def new_borough(borough_id: str, name: str, short: str, root: Path | None) -> None:
    """Write BOROUGH/borough.yml for a new council (the folder name is its id)."""
    new_ids.check_text(name, "--name")
    new_ids.check_text(short, "--short")
    repo = resolve_root(root, [])
    new_ids.check_new_id(borough_id, "borough")
    text = scaffold.borough_file(name, short)
    _write_new(repo, f"reviews/{borough_id}/borough.yml", text, "a new borough")


@click.command(cls=ToolCommand)
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write to (default: schemas/ in the repository).",
)
@root_option
def schema(out: Path | None, root: Path | None) -> None:
    """Write a JSON Schema for each kind of content file, from the models.

    For editors (the YAML language server checks framework.yml, borough.yml
    and team.yml with them) and any other tool; for reviews, meetings and
    standards they describe the frontmatter.
    """
    folder = out if out is not None else resolve_root(root, []) / "schemas"
    folder.mkdir(parents=True, exist_ok=True)
    schemas = json_schemas()
    for name, document in schemas.items():
        text = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        write_atomically(folder / f"{name}.schema.json", text)
    click.echo(f"qa-site schema: wrote {counted(len(schemas), 'schema')} to {folder}", err=True)


@click.command(cls=ToolCommand)
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
    written = write_programme(out, source.resolve(), plan)
    click.echo(f"qa-site synth: wrote {out}: {written.summary()}", err=True)
