"""The managers' workbook: team results per borough and the open actions, as .xlsx.

One sheet per borough lists every team (closed ones too) with its latest
presented review, its schedule and its actions; one sheet lists every open
action. Numbers are rounded as in the JSON and CSV exports (``numbers``).

The same programme and results give the same bytes: openpyxl stamps the
document properties and every ZIP entry with the current time, so both are
pinned to the as-of date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from generator.core.dates import day_text
from generator.core.numbers import score_decimal, share_decimal
from generator.core.text import service_title
from generator.model.programme import Programme
from generator.score.actions import OpenAction, open_actions
from generator.score.published import published, published_programme
from generator.score.results import Results
from generator.score.team import TeamResult

TITLE = "Quality reviews: managers' workbook"
CREATOR = "qa-site"
ABOUT_SHEET = "About"
ACTIONS_SHEET = "Open actions"
BOARD = "Governance board"
NOT_REVIEWED = "Not yet reviewed"
DATE_FORMAT = "d mmm yyyy"
PERCENT_FORMAT = "0.0"

# Excel refuses these in a sheet name, and names longer than 31 characters.
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LENGTH = 31
# Excel keeps this name for itself.
_RESERVED_SHEET_NAMES = {"history"}
# ZIP timestamps cannot be before 1980 nor after 2107.
_ZIP_EPOCH = dt.date(1980, 1, 1)
_ZIP_END = dt.date(2107, 12, 31)

CellValue = str | int | float | dt.date | None


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None
    wrap: bool = False  # free text: wrapped within a capped width


TEAM_COLUMNS = (
    Column("Team"),
    Column("Service"),
    Column("Status"),
    Column("Latest review", DATE_FORMAT),
    Column("Overall rating"),
    Column("Percentage", PERCENT_FORMAT),
    Column("Band position"),
    Column("Limited by"),
    Column("Change since previous"),
    Column("Next review due", DATE_FORMAT),
    Column("Review overdue"),
    Column("Open actions"),
    Column("Overdue actions"),
    Column("Case audits adequate or above (%)", PERCENT_FORMAT),
    Column("Case-audit grades"),
)

ACTION_COLUMNS = (
    Column("Borough"),
    Column("Team"),
    Column("Source", DATE_FORMAT),
    Column("Action id"),
    Column("Standards"),
    Column("Action", wrap=True),
    Column("Owner"),
    Column("Due", DATE_FORMAT),
    Column("Overdue"),
)

_MAX_WIDTH = 60
_DATE_WIDTH = len("30 Sep 2011")


def workbook_bytes(programme: Programme, results: Results) -> bytes:
    """The managers' workbook (.xlsx): one sheet per borough of team results, and one sheet
    of open actions. Same programme and results (as-of date) -> same bytes, byte for byte."""
    # Both filters are idempotent: applying them to content already filtered changes nothing.
    programme = published_programme(programme)
    results = published(results)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    about = workbook.create_sheet(ABOUT_SHEET)
    taken = {ABOUT_SHEET.lower(), ACTIONS_SHEET.lower()}
    sheets: list[tuple[str, str]] = []  # (sheet name, borough name)
    for borough_id in sorted(programme.boroughs):
        borough = programme.boroughs[borough_id].borough
        name = _resolve_sheet_name(borough.short, borough_id, taken)
        teams = sorted(
            (t for t in results.teams if t.record.borough_id == borough_id),
            key=lambda t: t.record.id,
        )
        _render_table(workbook.create_sheet(name), TEAM_COLUMNS, [_team_row(t) for t in teams])
        sheets.append((name, borough.name))
    actions = sorted(
        open_actions(programme, results),
        key=lambda a: (
            a.borough,
            a.action.due,
            a.day,
            a.team is None,  # a team's actions before the board's of the same day
            _team_name(a, programme),
            a.action.id,
        ),
    )
    _render_table(
        workbook.create_sheet(ACTIONS_SHEET),
        ACTION_COLUMNS,
        [_action_row(a, programme) for a in actions],
    )
    _render_about(about, results, sheets)
    return _pinned_bytes(workbook, results.as_of)


def _team_row(team: TeamResult) -> list[CellValue]:
    info, latest = team.record.team, team.latest
    row: list[CellValue] = [info.name, service_title(info.service), _format_status(team)]
    if latest is None or latest.overall.score is None:
        row += [NOT_REVIEWED, None, None, None, None, None]
    else:
        overall, score = latest.overall, latest.overall.score
        row += [
            latest.record.date,
            overall.rating,
            float(score_decimal(score.percent)),
            score.band_position.value,
            ", ".join(overall.limited_by) or None,
            latest.change.rating.value,
        ]
    row += [
        team.next_review_due,
        _format_yes_no(team.overdue),
        team.actions.open,
        team.actions.overdue,
    ]
    share = latest.audits.share if latest is not None else None
    row += [
        None if share is None else float(share_decimal(share)),
        None if latest is None else latest.audits.graded,
    ]
    return row


def _team_name(row: OpenAction, programme: Programme) -> str:
    return "" if row.team is None else programme.boroughs[row.borough].teams[row.team].team.name


def _action_row(row: OpenAction, programme: Programme) -> list[CellValue]:
    action = row.action
    return [
        programme.boroughs[row.borough].borough.short,
        _team_name(row, programme) or BOARD,
        row.day,
        action.id,
        ", ".join(action.standards) or None,
        action.action,
        action.owner,
        action.due,
        _format_yes_no(row.overdue),
    ]


def _format_status(team: TeamResult) -> str:
    closed = team.record.team.closed
    if closed is None:
        return "Active"
    if team.closed:
        return f"Closed on {day_text(closed)}"
    return f"Active, closing on {day_text(closed)}"  # closes after the as-of date


def _format_yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def _resolve_sheet_name(short: str, fallback: str, taken: set[str]) -> str:
    """``short`` as Excel allows a sheet name, unique (ignoring case) among ``taken``."""
    name = _FORBIDDEN_IN_SHEET_NAME.sub("-", short).strip().strip("'").strip()
    name = name[:_SHEET_NAME_LENGTH].strip() or fallback[:_SHEET_NAME_LENGTH]
    candidate, number = name, 1
    while candidate.lower() in taken | _RESERVED_SHEET_NAMES:
        number += 1
        suffix = f" ({number})"
        candidate = name[: _SHEET_NAME_LENGTH - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _render_table(
    sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[CellValue]]
) -> None:
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        _write_cell(sheet, 1, index, column.header).font = bold
    for row_index, row in enumerate(rows, start=2):
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = _write_cell(sheet, row_index, index, value)
            if column.number_format and not isinstance(value, str):
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for index, column in enumerate(columns, start=1):
        values = [column.header, *(row[index - 1] for row in rows)]
        width = max(_width_of(v) for v in values)
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)


def _write_cell(sheet: Worksheet, row: int, column: int, value: CellValue) -> Cell:
    if not isinstance(value, str):
        return sheet.cell(row, column, value)
    # Free text is always text: openpyxl would store "=..." as a formula, and it refuses
    # control characters.
    cell = sheet.cell(row, column, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def _width_of(value: CellValue) -> int:
    """The characters a value shows, for the column's width."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return _DATE_WIDTH
    if isinstance(value, float):
        return len(f"{value:.1f}")
    return max(len(line) for line in str(value).splitlines() or [""])


def _render_about(sheet: Worksheet, results: Results, boroughs: Sequence[tuple[str, str]]) -> None:
    framework = results.framework
    rules = results.rules
    rows: list[tuple[str, CellValue]] = [
        (TITLE, None),
        ("As of", results.as_of),
        ("Framework", f"{framework.name}, version {framework.version}"),
        ("", None),
        ("Sheet", "What it holds"),
        *(
            (
                name,
                f"{borough}: one row per team, closed teams included, with its latest "
                "presented review, when its next review is due, and its actions.",
            )
            for name, borough in boroughs
        ),
        (
            ACTIONS_SHEET,
            "Every open action, in every borough: the action plans of presented reviews and "
            "the actions of approved governance board meetings. Overdue: due before the "
            "as-of date.",
        ),
        ("", None),
        (
            "Rounding",
            "A score's percentage is cut to one decimal place, rounded down, so it never "
            "shows a band it did not reach (62.96 shows as 62.9). The share of case-audit "
            f"grades {rules.adequate_or_above} or above is rounded to the nearest tenth, "
            "halves up (2 of 3 is 66.7). The JSON and CSV exports round the same way.",
        ),
        (
            "Left out",
            "Draft reviews, completed reviews not yet presented, and draft minutes.",
        ),
    ]
    bold = Font(bold=True)
    for index, (label, value) in enumerate(rows, start=1):
        if label:
            _write_cell(sheet, index, 1, label).font = bold
        if value is not None:
            cell = _write_cell(sheet, index, 2, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
    sheet.column_dimensions["A"].width = max(len(label) for label, _ in rows[1:]) + 2
    sheet.column_dimensions["B"].width = 90


def _pinned_bytes(workbook: Workbook, as_of: dt.date) -> bytes:
    """The workbook as .xlsx bytes, every timestamp set to the as-of date."""
    stamp = dt.datetime.combine(min(max(as_of, _ZIP_EPOCH), _ZIP_END), dt.time())
    properties = workbook.properties
    properties.creator = CREATOR
    properties.title = TITLE
    properties.created = properties.modified = dt.datetime.combine(as_of, dt.time())  # UTC
    # openpyxl's save_workbook sets `modified` to now; its ExcelWriter keeps what is set.
    written = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()
    # Each ZIP entry carries the time it was written: write them again with a fixed one.
    pinned = io.BytesIO()
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(pinned, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the machine
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return pinned.getvalue()

