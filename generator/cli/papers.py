"""``qa-site papers``: the PDF papers alone, without building the site."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from generator.cli.failures import ToolCommand, refuse, writing
from generator.cli.options import (
    as_of_option,
    check_outside_content,
    resolve_root,
    root_option,
    shown_path,
)
from generator.core.dates import default_as_of
from generator.core.files import FolderInUse, staged_folder
from generator.core.numbers import counted
from generator.core.problems import FILE, Problem
from generator.load.repository import links_inside, load_repository
from generator.papers.document import readers_html
from generator.papers.make import paper_documents, paper_page, pdf_files
from generator.papers.pdf import user_cache
from generator.pipeline import run
from generator.privacy.deny_list import named_deny_list as read_deny_list
from generator.privacy.gate import gate, published_texts, tracer
from generator.render.templates import TEMPLATES, template_folders
from generator.share.edition import EDITION_TITLES, EDITIONS, Edition

PAPERS_MARK = ".qa-site-papers"  # marks a folder that ``qa-site papers`` wrote
PREFIX = "papers/"


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
        _refuse_foreign(out.resolve())  # before the papers are made: they take a while
    templates = template_folders(repo / TEMPLATES)
    symbolic = [link for folder in templates for link in links_inside(folder)]
    if symbolic:
        refuse(
            "papers",
            [
                Problem(link, 1, FILE, "is a symbolic link, which is never followed")
                for link in symbolic
            ],
            "nothing was written",
        )
    deny = read_deny_list(None)
    outcome = run(repo, as_of or default_as_of(), audience, deny=deny)
    if outcome.programme is None or outcome.results is None:
        refuse("papers", outcome.validation.problems, "nothing was written")
        return
    documents = paper_documents(outcome.programme, outcome.results, templates, audience)
    if audience == "partners":
        # What a partner reads in a paper is the text of its HTML: read it as the
        # partner edition's pages are read, before anything is made.
        problems = gate(
            published_texts(
                (paper_page(doc.path).removeprefix(PREFIX), readers_html(doc.html))
                for doc in documents
            ),
            outcome.validation.accepted,
            deny,
            tracer(lambda: load_repository(repo), deny),
            shown_path(out.resolve()).rstrip("/"),
        )
        if problems:
            refuse("papers", problems, "nothing was written")
    files = pdf_files(documents, user_cache(os.environ))
    with writing("papers", out):
        _replace(out.resolve(), [(f.path.removeprefix(PREFIX), f.content) for f in files])
    click.echo(
        f"qa-site papers: wrote {counted(len(files), 'PDF')} ({EDITION_TITLES[audience]}) "
        f"to {shown_path(out.resolve())}",
        err=True,
    )


def _refuse_foreign(out: Path) -> None:
    """Never replace a folder of someone's own files."""
    if out.exists() and any(out.iterdir()) and not (out / PAPERS_MARK).is_file():
        raise FolderInUse(
            f"{out} is not empty and was not written by qa-site papers; not replacing it"
        )


def _replace(out: Path, files: list[tuple[str, object]]) -> None:
    """Write ``files`` to a new folder, then put it in place of ``out`` in one step."""
    _refuse_foreign(out)
    with staged_folder(out) as staging:
        for path, content in files:
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            assert isinstance(content, bytes)
            target.write_bytes(content)
        (staging / PAPERS_MARK).write_text(
            "Written by qa-site papers: replaced whole on the next run.\n", encoding="utf-8"
        )
