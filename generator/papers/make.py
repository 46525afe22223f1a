"""Every paper of a site: a pack for each governance board meeting and a
scorecard for each team, as PDF files under ``papers/``.

The papers of an edition are made from that edition's programme and results,
through the same templates as its pages: a partner edition's papers show only
what its pages show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.model.programme import Programme
from generator.render.page import GeneratedFile, Page
from generator.render.pages.scorecard import scorecard_pages
from generator.render.urls import scorecard_paper_path
from generator.render.view import SiteView
from generator.score.results import Results
from generator.share.datapackage.model import Package
from generator.share.edition import Edition

from .board_pack import board_packs
from .document import PaperTemplates, readers_html
from .pdf import make_pdfs


def paper_pages(site: SiteView) -> list[Page]:
    """The papers of a site as pages to render: board packs, then scorecards."""
    scorecards = [
        dataclasses.replace(
            page,
            path=scorecard_paper_path(*page.team),
            title=f"Scorecard: {page.title}",
        )
        for page in scorecard_pages(site)
        if page.team is not None
    ]
    return [*board_packs(site), *scorecards]


@dataclass(frozen=True)
class PaperDocument:
    """A paper before it is a PDF: where it goes and the HTML it is made from."""

    path: str  # under papers/, beside the site's pages
    title: str
    html: str
    base: Path  # the folder its stylesheet's fonts are read from


def paper_documents(
    programme: Programme,
    results: Results,
    templates: Sequence[Path],
    edition: Edition = "internal",
    packages: Sequence[tuple[str, Package]] = (),
) -> list[PaperDocument]:
    """Every paper of ``edition`` of the site as HTML, in a stable order.

    As for ``render_site``, ``programme`` of the partner edition must already be
    ``for_partners``.
    """
    site = SiteView(programme, results, edition, packages, papers=True)
    rendering = PaperTemplates(templates, site)
    return [
        PaperDocument(page.path, page.title, rendering.document(page, edition), rendering.base)
        for page in paper_pages(site)
    ]


def paper_page(path: str) -> str:
    """Where the personal-data gate says a paper's text is: ``papers/teams/x/y.pdf``
    read as the page ``papers/teams/x/y.html``."""
    return path.removesuffix(".pdf") + ".html"


def pdf_files(documents: Sequence[PaperDocument], cache: Path | None = None) -> list[GeneratedFile]:
    """``documents`` as PDF files."""
    pdfs = make_pdfs([(doc.html, doc.base) for doc in documents], cache)
    return [
        GeneratedFile(doc.path, pdf, readers_text=readers_html(doc.html))
        for doc, pdf in zip(documents, pdfs, strict=True)
    ]
