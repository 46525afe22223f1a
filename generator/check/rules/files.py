"""Rules about where files are and what they are named: files and folders the
format does not read, missing files, folder names as ids, file names as dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from generator.check.context import CheckContext
from generator.core.problems import FILE
from generator.load.repository import GOVERNANCE_FOLDER, TEAM_FILE, SourceDocument
from generator.model.types import KEBAB_ID_PATTERN

_DATED_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.md", re.IGNORECASE)
_DAY_FIRST_NAME = re.compile(r"(\d{2})[-_.](\d{2})[-_.](\d{4})\.md", re.IGNORECASE)
_KEBAB = re.compile(KEBAB_ID_PATTERN)


def check_stray(ctx: CheckContext, path: str) -> None:
    """A file the format does not read: an error when it looks like content."""
    name = path.rsplit("/", 1)[-1]
    stem, _, suffix = name.lower().rpartition(".")
    if path.endswith(f"/{GOVERNANCE_FOLDER}/{TEAM_FILE}"):
        ctx.error(path, FILE, "'governance' is reserved for board meetings, not a team")
    elif stem in {"framework", "borough", "team"} and suffix in {"yml", "yaml"}:
        ctx.error(path, FILE, f"not read: the file must be named '{stem}.yml'")
    elif suffix in {"md", "markdown"}:
        ctx.error(
            path,
            FILE,
            "not read: reviews go in reviews/<borough>/<team>/YYYY-MM-DD.md, "
            "meetings in reviews/<borough>/governance/YYYY-MM-DD.md",
        )
    else:
        ctx.warn(path, FILE, "not part of the content format; ignored")


def check_stray_folder(ctx: CheckContext, path: str, files: list[str]) -> None:
    """A folder the format does not read: an error when it holds Markdown files."""
    markdown = [f for f in files if f.lower().endswith((".md", ".markdown"))]
    if markdown:
        shown = ", ".join(markdown[:3]) + (", ..." if len(markdown) > 3 else "")
        where = (
            "standards go in standards/<ID>-<slug>.md"
            if path.startswith("standards/")
            else "reviews go in reviews/<borough>/<team>/YYYY-MM-DD.md"
        )
        ctx.error(
            path,
            FILE,
            f"folder not read, but it holds {len(markdown)} Markdown "
            f"file{'s' if len(markdown) > 1 else ''} ({shown}); {where}",
        )
    else:
        ctx.warn(path, FILE, "folder not part of the content format; ignored")


def report_missing(ctx: CheckContext, path: str, message: str) -> None:
    """A required file is missing, unless it exists under a name already reported."""
    folder, _, name = path.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    misnamed = {f"{folder}/{stem}.yml".lower(), f"{folder}/{stem}.yaml".lower()}
    if not any(other.lower() in misnamed for other in ctx.stray):
        ctx.error(path, FILE, message)


def check_folder_id(ctx: CheckContext, path: str, folder_id: str, what: str) -> bool:
    """A borough's or team's folder name is its id: lower-case letters, digits, hyphens."""
    if _KEBAB.fullmatch(folder_id):
        return True
    suggestion = re.sub(r"[^a-z0-9]+", "-", folder_id.lower()).strip("-")
    ctx.error(
        path,
        FILE,
        f"folder name is the {what} id and must be lower-case letters, digits and "
        f"hyphens; rename '{folder_id}' to '{suggestion}'",
    )
    return False


def dated_documents(
    ctx: CheckContext, docs: Iterable[SourceDocument]
) -> list[tuple[dt.date, SourceDocument]]:
    """A review or meeting is named by a real date, one file per date; returns
    the documents that are, by date."""
    dated: list[tuple[dt.date, SourceDocument]] = []
    by_date: dict[dt.date, SourceDocument] = {}
    for doc in docs:
        date = _date_from_name(ctx, doc)
        if date is None:
            continue
        if date in by_date:
            ctx.error(
                doc,
                FILE,
                f"another file has the same date: {by_date[date].path} "
                "(one review or meeting per date)",
            )
            continue
        by_date[date] = doc
        dated.append((date, doc))
    return sorted(dated, key=lambda pair: pair[0])


def _date_from_name(ctx: CheckContext, doc: SourceDocument) -> dt.date | None:
    match = _DATED_NAME.fullmatch(doc.name)
    if match is None:
        day_first = _DAY_FIRST_NAME.fullmatch(doc.name)
        hint = ""
        if day_first:
            day, month, year = day_first.groups()
            hint = f"; did you mean '{year}-{month}-{day}.md'?"
        ctx.error(
            doc,
            FILE,
            f"file name must be the date, as YYYY-MM-DD.md; got '{doc.name}'{hint}",
        )
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        ctx.error(doc, FILE, f"file name '{doc.name}' is not a real calendar date")
        return None
