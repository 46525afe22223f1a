"""``qa-site deploy``: a built site published into a web server's folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.failures import ToolCommand, refuse, writing
from generator.cli.options import check_outside_content, resolve_root, shown_path
from generator.core.numbers import counted
from generator.core.progress import Progress, seconds
from generator.load.root import ContentRootNotFound, find_root
from generator.share.deploy import check_target, open_site, publish
from generator.share.edition import EDITION_TITLES


@click.command(cls=ToolCommand)
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--to",
    "target",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The web server's folder for the site: new, empty, or holding a site published "
    "before. It is replaced whole; its hidden entries and web.config are kept.",
)
@click.option(
    "--change-edition",
    is_flag=True,
    help="Publish even though the folder serves the other edition (internal over partners, "
    "or partners over internal).",
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The reviews repository, whose content folders the target must stay out of "
    "(default: found from the current folder upwards, if there is one; a web server "
    "needs none).",
)
def deploy(source: Path, target: Path, change_edition: bool, root: Path | None) -> None:
    """Publish a built site (a folder, or a .zip, .tar.gz or .tar of one) into a web
    server's folder.

    The site is copied whole into a new folder beside the target and swapped in
    only then: readers see the old site or the new one, and a failure at any
    point leaves the target as it was. Nothing is written unless SOURCE is a
    built site (its index.html says its edition) holding nothing but files and
    folders inside itself, with names any server can hold, no web.config and no
    code a web server would run; and the target is new, empty, or a site
    published before, on a disk with room for the new site. The target's own
    web.config is always kept. Exits 0 when the site was published, 1 when
    SOURCE was refused, 2 for a usage error, or a target refused, full or in
    use by another run.
    """
    progress = Progress.for_stream(sys.stderr)
    repo = _repository(root)
    if repo is not None:
        check_outside_content(repo, target, "--to")
    with open_site(source) as site:
        problems = site.refusals()
        if problems:
            refuse("deploy", problems, "nothing was written")
        edition = site.edition()
        check_target(target, source, edition, change_edition=change_edition)
        with writing("deploy", target):
            published = publish(site, edition, target)
    hidden = ""
    if published.hidden:
        entries = "entry" if published.hidden == 1 else "entries"
        hidden = f", {published.hidden} hidden {entries} left out"
    click.echo(
        f"qa-site deploy: published the {EDITION_TITLES[edition]} to "
        f"{shown_path(target.resolve())}: {counted(published.files, 'file')}{hidden} "
        f"({seconds(progress.elapsed)})",
        err=True,
    )


def _repository(root: Path | None) -> Path | None:
    """The reviews repository whose content the target must stay out of, if any: a web
    server usually has none."""
    if root is not None:
        return resolve_root(root, [])
    try:
        return find_root(Path.cwd())
    except ContentRootNotFound:
        return None
