"""Where each page of the site lives: the Markdown file that makes it, and its URL.

Pages link to each other by their source files, relative to the linking page's
own (``../../standards/S07.md``), as Markdown links do: each engine turns them
into its URLs (Zensical itself, MkDocs through the plugin, see ``links.py``).
For an engine that turns no link, ``page_url`` gives the URL MkDocs would.

A page with pages under it is an ``index.md`` in its folder; the others are
files of their own.
"""

from __future__ import annotations

import datetime as dt

ASSETS = "assets/qa-site"  # the chart script, styles, plotly.js

# The pages there is one of
HOME_PATH = "index.md"
TEAMS_PATH = "teams/index.md"
STANDARDS_PATH = "standards/index.md"
BOARD_PATH = "board/index.md"
CASE_NOTES_PATH = "board/case-notes.md"
COMPARISON_PATH = "comparison/index.md"
HEATMAP_PATH = "comparison/standards.md"
SERVICES_PATH = "comparison/services.md"
ACTIONS_PATH = "actions.md"
SCHEDULE_PATH = "schedule.md"
DOWNLOADS_PATH = "data/index.md"

# The downloads, in one folder: pages link them by these paths, as they do pages.
DATA = "data"
EXPORT_JSON_PATH = f"{DATA}/qa-export.json"
EXPORT_CSV_PATH = f"{DATA}/qa-export.csv"
TEAM_CSV_PATH = f"{DATA}/qa-teams.csv"
WORKBOOK_PATH = f"{DATA}/qa-workbook.xlsx"
EXPORT_SCHEMA_PATH = f"{DATA}/export.schema.json"
PLOTLY_PATH = f"{ASSETS}/plotly.min.js"


def scorecard_path(borough: str, team: str) -> str:
    return f"teams/{borough}/{team}/index.md"


def review_path(borough: str, team: str, day: dt.date) -> str:
    return f"teams/{borough}/{team}/{day.isoformat()}.md"


def standard_path(standard: str) -> str:
    return f"standards/{standard}.md"


def meeting_path(borough: str, day: dt.date) -> str:
    return f"board/{borough}/{day.isoformat()}.md"


PAPERS = "papers"  # the PDF papers of a build (generator.papers)


def scorecard_paper_path(borough: str, team: str) -> str:
    """A team's scorecard as a PDF (``qa-site papers``)."""
    return f"{PAPERS}/teams/{borough}/{team}.pdf"


def meeting_paper_path(borough: str, day: dt.date) -> str:
    """A governance board meeting's pack as a PDF (``qa-site papers``)."""
    return f"{PAPERS}/board/{borough}/{day.isoformat()}.pdf"


def due_path(borough: str) -> str:
    """A borough's reviews overdue or due soon and its overdue actions, every one."""
    return f"due/{borough}.md"


def asset_path(name: str) -> str:
    """Where a file of ``site_templates/assets/`` is published."""
    return f"{ASSETS}/{name}"


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the file at ``path`` (relative to the docs folder).

    With directory URLs ``teams/x/index.md`` and ``teams/x.md`` are both
    ``teams/x/`` (the home page is ``""``); without, they are
    ``teams/x/index.html`` and ``teams/x.html``. A file that is not a page
    keeps its path.
    """
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem[:-5] if stem.endswith("/index") else stem + "/"


def relative_link(origin: str, target: str) -> str:
    """A link from ``origin`` to ``target``, both site-relative paths or URLs: relative
    to ``origin``'s folder, which is all of it up to its last ``/``.

    From source file to source file (``board/case-notes.md`` to
    ``board/x/2011-10-13.md``: ``x/2011-10-13.md``), or from URL to URL
    (``teams/a/`` to ``standards/S07/``: ``../../standards/S07/``). What
    ``posixpath.relpath`` gives for such paths, without its look at the
    current folder: a large site makes hundreds of thousands of links.
    """
    source = origin.split("/")[:-1]
    target_parts = [part for part in target.split("/") if part]
    common = 0
    for mine, theirs in zip(source, target_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    link = "/".join([".."] * (len(source) - common) + target_parts[common:])
    if not link:
        return "./"
    return link + "/" if target == "" or target.endswith("/") else link
