"""Where each page of the site lives: its URL, and the Markdown file that makes it.

MkDocs gives every page a directory URL: ``teams/x/index.md`` and
``teams/x.md`` are both served at ``teams/x/``. A page with pages under it is
an ``index.md`` in its folder; the others are files of their own.
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

# The downloads
EXPORT_JSON_PATH = "data/qa-export.json"
EXPORT_CSV_PATH = "data/qa-export.csv"
EXPORT_SCHEMA_PATH = "data/export.schema.json"
PLOTLY_PATH = f"{ASSETS}/plotly.min.js"


def team_url(borough: str, team: str) -> str:
    return f"teams/{borough}/{team}/"


def review_url(borough: str, team: str, day: dt.date) -> str:
    return f"teams/{borough}/{team}/{day.isoformat()}/"


def standard_url(standard: str) -> str:
    return f"standards/{standard}/"


def meeting_url(borough: str, day: dt.date) -> str:
    return f"board/{borough}/{day.isoformat()}/"


def scorecard_path(borough: str, team: str) -> str:
    return _folder_index(team_url(borough, team))


def review_path(borough: str, team: str, day: dt.date) -> str:
    return _page_file(review_url(borough, team, day))


def standard_path(standard: str) -> str:
    return _page_file(standard_url(standard))


def meeting_path(borough: str, day: dt.date) -> str:
    return _page_file(meeting_url(borough, day))


def asset_path(name: str) -> str:
    """Where a file of ``site_templates/assets/`` is published."""
    return f"{ASSETS}/{name}"


def _folder_index(url: str) -> str:
    return f"{url}index.md"


def _page_file(url: str) -> str:
    return url.removesuffix("/") + ".md"


def page_url(path: str) -> str:
    """The directory URL MkDocs gives a page: ``teams/x/index.md`` -> ``teams/x/``."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative).

    What ``posixpath.relpath`` gives for such paths, without its look at the
    current folder: a large site makes hundreds of thousands of links.
    """
    source = [part for part in from_url.split("/") if part]
    target = [part for part in to_url.split("/") if part]
    common = 0
    for mine, theirs in zip(source, target, strict=False):
        if mine != theirs:
            break
        common += 1
    link = "/".join([".."] * (len(source) - common) + target[common:])
    if not link:
        return "./"
    return link + "/" if to_url == "" or to_url.endswith("/") else link
