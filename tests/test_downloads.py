"""What a partner analyst downloads from the built sample: the team-level CSV beside
the standard-level one, the managers' workbook, and links to them from the Data
downloads page and beside the comparison tables, in both editions."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from generator.export.cells import csv_text_value
from generator.export.document import ExportDocument
from generator.export.team_csv import (
    CRITICAL_COLUMN,
    DOMAIN_COLUMN,
    TEAM_CSV_COLUMNS,
    team_csv_header,
    to_team_csv,
)
from generator.privacy.gate import published_texts
from generator.share.edition import NOT_SHARED
from tests.support.paths import ROOT
from tests.support.sites import BuiltSite

CRITICAL = ["S07", "S09", "S14", "S35", "S47"]


def _rows(site: Path) -> list[dict[str, str]]:
    text = (site / "data" / "qa-teams.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _document(site: Path) -> dict[str, Any]:
    return json.loads((site / "data" / "qa-export.json").read_text(encoding="utf-8"))


def test_one_row_per_presented_review_with_its_team_and_overall_result(
    built_sample: BuiltSite,
) -> None:
    rows = _rows(built_sample.site)
    document = _document(built_sample.site)
    assert len(rows) == len(document["reviews"])
    assert {(r["borough"], r["team"], r["date"]) for r in rows} == {
        (r["borough"], r["team"], r["date"]) for r in document["reviews"]
    }
    row = next(r for r in rows if (r["team"], r["date"]) == ("assessment", "2015-09-17"))
    assert {k: row[k] for k in TEAM_CSV_COLUMNS} == {
        "as_of": "2017-01-01",
        "borough": "hammersmith-fulham",
        "borough_name": "Hammersmith & Fulham",
        "team": "assessment",
        "team_name": "Assessment Team",
        "service": "assessment",
        "service_name": "Assessment",
        "team_closed": "",
        "date": "2015-09-17",
        "status": "presented",
        "latest": "true",
        "framework_version": "2",
        "overall_rating": "Adequate",
        "percent": "56.5",
        "band": "Adequate",
        "band_position": "upper",
        "limited": "false",
        "limited_by": "",
    }
    assert [row[CRITICAL_COLUMN.format(id=s)] for s in CRITICAL] == [
        "Adequate", "Adequate", "Adequate", "Good", "Adequate"
    ]  # fmt: skip
    assert row[DOMAIN_COLUMN.format(id="safeguarding")] == "59.3"


def test_every_figure_matches_the_json_export(built_sample: BuiltSite) -> None:
    document = _document(built_sample.site)
    by_review = {(r["borough"], r["team"], r["date"]): r for r in document["reviews"]}
    for row in _rows(built_sample.site):
        review = by_review[(row["borough"], row["team"], row["date"])]
        overall = review["overall"]
        assert row["overall_rating"] == overall["rating"]
        assert float(row["percent"]) == overall["percent"]
        assert row["limited_by"].split() == overall["limited_by"]
        assert row["limited"] == ("true" if overall["limited_by"] else "false")
        for domain, score in review["domains"].items():
            assert float(row[DOMAIN_COLUMN.format(id=domain)]) == score["percent"]
        for standard in CRITICAL:
            rated = review["standards"].get(standard)
            assert row[CRITICAL_COLUMN.format(id=standard)] == (rated["rating"] if rated else "")


def test_latest_marks_one_row_per_reviewed_team(built_sample: BuiltSite) -> None:
    document = _document(built_sample.site)
    latest = {
        (r["borough"], r["team"], r["date"])
        for r in _rows(built_sample.site)
        if r["latest"] == "true"
    }
    assert latest == {
        (t["borough"], t["id"], t["latest_review"]) for t in document["teams"] if t["latest_review"]
    }
    closed = {r["team_name"] for r in _rows(built_sample.site) if r["team_closed"]}
    assert closed == {
        "Hospital Social Work Team",
        "Older People's Team",
        "Physical Disabilities Team",
    }


def test_text_cells_are_never_formulas(built_sample: BuiltSite) -> None:
    document = ExportDocument.model_validate(_document(built_sample.site))
    hostile = document.model_copy(
        update={
            "teams": [
                t.model_copy(update={"name": '=HYPERLINK("http://x.example","y")'})
                for t in document.teams
            ]
        }
    )
    rows = list(csv.reader(io.StringIO(to_team_csv(hostile))))
    names = {row[team_csv_header(hostile).index("team_name")] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://x.example","y")'}
    assert {csv_text_value(n) for n in names} == {'=HYPERLINK("http://x.example","y")'}


def test_every_column_is_documented() -> None:
    docs = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    for name, meaning in TEAM_CSV_COLUMNS.items():
        assert f"| `{name}` | {meaning} |" in docs
    assert f"| `{DOMAIN_COLUMN}` |" in docs
    assert f"| `{CRITICAL_COLUMN}` |" in docs


@pytest.mark.parametrize("edition", ["built_sample", "built_partners"])
def test_the_data_page_offers_both_csv_files_and_the_workbook(
    request: pytest.FixtureRequest, edition: str
) -> None:
    site: Path = request.getfixturevalue(edition).site
    page = (site / "data" / "index.html").read_text(encoding="utf-8")
    for name in ("qa-teams.csv", "qa-export.csv", "qa-workbook.xlsx", "qa-export.json"):
        assert f'href="{name}" download' in page
        assert (site / "data" / name).is_file()
    for path, name in [
        ("comparison/index.html", "qa-teams.csv"),
        ("comparison/services/index.html", "qa-teams.csv"),
        ("comparison/standards/index.html", "qa-export.csv"),
    ]:
        assert f'href="../../data/{name}" download' in (site / path).read_text(
            encoding="utf-8"
        ) or (f'href="../data/{name}" download' in (site / path).read_text(encoding="utf-8"))


def test_the_partner_workbook_withholds_what_the_partner_edition_withholds(
    built_sample: BuiltSite, built_partners: BuiltSite
) -> None:
    def actions(site: Path) -> list[str]:
        book = load_workbook(site / "data" / "qa-workbook.xlsx", read_only=True)
        sheet = book["Open actions"]
        header, *rows = list(sheet.iter_rows(values_only=True))
        column = header.index("Action")
        return [str(row[column]) for row in rows]

    internal, partners = actions(built_sample.site), actions(built_partners.site)
    assert len(partners) > 0
    assert NOT_SHARED in partners
    assert NOT_SHARED not in internal
    assert set(partners) - {NOT_SHARED} <= set(internal)
    # The partner edition's gate reads the workbook's cells, as a spreadsheet shows them.
    path = "data/qa-workbook.xlsx"
    (read,) = published_texts([(path, (built_partners.site / path).read_bytes())])
    assert NOT_SHARED in read.text
    assert "Open actions" in read.text
