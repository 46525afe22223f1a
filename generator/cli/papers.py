"""``qa-site papers``: the PDF papers alone, without building the site."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

import click

from generator.cli.failures import ToolCommand, refuse, writing
from generator.cli.options import (
    as_of_option,
    check_outside_content,
    resolve_root,
    root_option,
    run_date,
    shown_path,
)
from generator.cli.publish import checked_templates, gate_rendered
from generator.core.numbers import counted
from generator.papers.document import readers_html
from generator.papers.make import paper_documents, paper_page, pdf_files
from generator.papers.pdf import user_cache
from generator.pipeline import run
from generator.privacy.deny_list import named_deny_list as read_deny_list
from generator.render.page import GeneratedFile
from generator.render.site import refuse_foreign, replace_folder
from generator.render.urls import PAPERS
from generator.share.edition import EDITION_TITLES, EDITIONS, Edition


@click.command(cls=ToolCommand)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the PDFs to: new, empty, or written by papers before "
    "(default: papers/, or papers-partners/ for the partner edition).",
)
@click.option(
    "--audience",
    type=click.Choice(EDITIONS),
    default="internal",
    show_default=True,
    help="The edition: partners shows only what the partner edition of the site shows.",
)
@as_of_option
@root_option
def papers(out: Path | None, audience: Edition, as_of: dt.date | None, root: Path | None) -> None:
    """Write the board packs and team scorecards as accessible PDF files.

    A pack for each governance board meeting (board/BOROUGH/DATE.pdf) and a
    scorecard for each team (teams/BOROUGH/TEAM.pdf): tagged PDF/UA-1, made from
    the same results and templates as the site, the same ones a build publishes
    under papers/. The folder is replaced whole, and only when every paper was
    made; for the partner edition, only when no paper holds personal data.
    """
    repo = resolve_root(root, [])
    if out is None:
        out = Path("papers" if audience == "internal" else "papers-partners")
    check_outside_content(repo, out, "--out")
    with writing("papers", out):
        refuse_foreign(out.resolve(), "papers")  # before the papers: they take a while
    templates = checked_templates("papers", repo)
    deny = read_deny_list(None)
    outcome = run(repo, run_date(repo, as_of), audience, deny=deny)
    if outcome.programme is None or outcome.results is None:
        refuse("papers", outcome.validation.problems, "nothing was written")
        return
    documents = paper_documents(outcome.programme, outcome.results, templates, audience)
    if audience == "partners":
        # What a partner reads in a paper is the text of its HTML: read it as the
        # partner edition's pages are read, before anything is made.
        texts = [
            GeneratedFile(_in_out(paper_page(doc.path)), readers_html(doc.html))
            for doc in documents
        ]
        gate_rendered("papers", repo, texts, outcome.validation, deny, out)
    files = pdf_files(documents, user_cache(os.environ))
    with writing("papers", out):
        replace_folder(out, [replace(f, path=_in_out(f.path)) for f in files], "papers")
    click.echo(
        f"qa-site papers: wrote {counted(len(files), 'PDF')} ({EDITION_TITLES[audience]}) "
        f"to {shown_path(out.resolve())}",
        err=True,
    )


def _in_out(path: str) -> str:
    """Where a paper of the site (``papers/teams/x/y.pdf``) goes in ``--out``."""
    return path.removeprefix(f"{PAPERS}/")
