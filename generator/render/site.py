"""The render stage: scored results in, the site's generated files out.

    load  ->  validate  ->  score  ->  render (this package)  ->  MkDocs builds HTML

Pages are of a few kinds (home, team scorecard, review, standard, meeting,
comparison...), each made in its module of ``generator.render.pages`` and
rendered by its own Jinja2 template in ``site_templates/``. The result is a
list of files (Markdown pages, the data downloads, the chart script and
plotly.js) that the MkDocs plugin adds to a build and ``qa-site render``
writes to a folder: one code path for both.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.core.files import FolderInUse, staged_folder
from generator.core.numbers import counted
from generator.model.programme import Programme
from generator.render.page import GeneratedFile, Page
from generator.render.pages.board import board_page, case_notes_page, meeting_pages
from generator.render.pages.comparison import comparison_page, heatmap_page, services_page
from generator.render.pages.downloads import download_files, downloads_page
from generator.render.pages.due import actions_page, borough_due_pages, schedule_page
from generator.render.pages.home import home_page, teams_page
from generator.render.pages.review import ReviewContext, review_pages
from generator.render.pages.scorecard import scorecard_pages
from generator.render.pages.standards import standard_pages, standards_page
from generator.render.tables import label_cells
from generator.render.templates import Templates
from generator.render.view import SiteView
from generator.score.published import published, published_programme
from generator.score.results import Results
from generator.share.datapackage.model import Package
from generator.share.edition import Edition


def mark_of(command: str) -> str:
    """The file that marks a folder ``qa-site COMMAND`` wrote (``render``, ``papers``)."""
    return f".qa-site-{command}"


def render_site(
    programme: Programme,
    results: Results,
    templates: Sequence[Path],
    edition: Edition = "internal",
    packages: Sequence[tuple[str, Package]] = (),
    earlier: Earlier | None = None,
    papers: bool = False,
) -> list[GeneratedFile]:
    """Every generated file of ``edition`` of the site, in a stable order (with
    ``papers``, the pages link the PDFs of ``generator.papers``, made beside them).

    For the partner edition, ``programme`` must already be ``for_partners``:
    this only words the pages for the edition, it takes nothing out. With
    ``earlier``, the pages of its teams are taken from it instead of made again.
    """
    site = SiteView(programme, results, edition, packages, papers)
    rendering = Templates(templates, site)
    if earlier is not None and earlier.findings is not None:
        return _with_findings(site, rendering, earlier.files, earlier.findings)
    before = earlier.files if earlier is not None else {}
    kept = earlier.teams if earlier is not None else frozenset()
    pages = site_pages(site, kept)
    if any(page.team in kept and page.path not in before for page in pages):
        kept = frozenset()  # a kept team has a page it had not: make every page
        pages = site_pages(site)
    files = [
        before[page.path]
        if page.team in kept
        else GeneratedFile(page.path, label_cells(rendering.render(page)), listed=page.listed)
        for page in pages
    ]
    return files + download_files(site, templates)


@dataclass(frozen=True)
class Earlier:
    """Files of an earlier render of the same site, and what to take from them
    (the caller knows what changed since): the pages of ``teams``, whose own
    files are as they were then when nothing else but other teams' reviews has
    changed; or, with ``findings``, every file but the pages of those reviews
    (``reviews/<borough>/<team>/<date>.md``), when nothing else but their
    findings has changed (only a review's own page shows them)."""

    files: Mapping[str, GeneratedFile]
    teams: frozenset[tuple[str, str]]
    findings: frozenset[str] | None = None


def _with_findings(
    site: SiteView,
    rendering: Templates,
    before: Mapping[str, GeneratedFile],
    findings: frozenset[str],
) -> list[GeneratedFile]:
    """The earlier files, the pages of reviews in ``findings`` made again."""
    made = {}
    for page in review_pages(site):
        assert isinstance(page.context, ReviewContext)
        if page.context.review.record.source.path in findings:
            text = label_cells(rendering.render(page))
            made[page.path] = GeneratedFile(page.path, text, listed=page.listed)
    return [made.get(path, item) for path, item in before.items()]


def site_pages(site: SiteView, kept: Collection[tuple[str, str]] = ()) -> list[Page]:
    """Every page of the site, in the order the navigation takes them; the
    scorecards of teams in ``kept`` with only their paths and titles."""
    return [
        home_page(site),
        teams_page(),
        *scorecard_pages(site, kept),
        *review_pages(site),
        standards_page(),
        *standard_pages(site),
        board_page(),
        *meeting_pages(site),
        case_notes_page(site),
        comparison_page(site),
        heatmap_page(site),
        services_page(site),
        actions_page(),
        schedule_page(),
        *borough_due_pages(site),
        downloads_page(),
    ]


@dataclass(frozen=True)
class Published:
    """How much of the programme a build publishes."""

    boroughs: int
    teams: int
    reviews: int
    meetings: int

    def __str__(self) -> str:
        return ", ".join(
            [
                counted(self.boroughs, "borough"),
                counted(self.teams, "team"),
                counted(self.reviews, "presented review"),
                counted(self.meetings, "board meeting"),
            ]
        )


def published_counts(programme: Programme, results: Results) -> Published:
    shown = published_programme(programme)
    return Published(
        len(shown.boroughs), len(shown.teams), len(published(results).reviews), len(shown.meetings)
    )


def replace_folder(out: Path, files: Sequence[GeneratedFile], command: str = "render") -> None:
    """Write ``files`` to a new folder, then put it in place of ``out`` in one step.

    ``out`` is replaced only when it is missing, empty, or was written by
    ``qa-site COMMAND`` before: never a folder of someone's own files.
    """
    out = out.resolve()
    refuse_foreign(out, command)
    with staged_folder(out) as staging:
        write_files(files, staging)
        (staging / mark_of(command)).write_text(
            f"Written by qa-site {command}: replaced whole on the next run.\n", encoding="utf-8"
        )


def refuse_foreign(out: Path, command: str) -> None:
    """A ``FolderInUse`` unless ``out`` is missing, empty, or ``qa-site COMMAND`` wrote it."""
    if out.exists() and any(out.iterdir()) and not (out / mark_of(command)).is_file():
        raise FolderInUse(
            f"{out} is not empty and was not written by qa-site {command}; not replacing it"
        )


def write_files(files: Sequence[GeneratedFile], out: Path) -> None:
    """Write generated files under ``out``."""
    for item in files:
        target = out / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.source is not None:
            target.write_bytes(item.source.read_bytes())
        elif isinstance(item.content, bytes):
            target.write_bytes(item.content)
        else:
            target.write_text(item.content or "", encoding="utf-8", newline="")
