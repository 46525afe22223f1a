"""qa-site export: the scored programme as versioned JSON and tidy CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.check.repository import check
from generator.export.schema import SCHEMA_PATH, schema_text
from generator.export.to_csv import CSV_COLUMNS
from tests.support.cli import run_cli
from tests.support.paths import ROOT
from tests.support.repos import RepoFactory

AS_OF = "2017-01-01"


@pytest.fixture(scope="module")
def sample_json() -> str:
    result = run_cli("export", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def sample(sample_json: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(sample_json)
    return document


def _review(document: dict[str, Any], borough: str, team: str, date: str) -> dict[str, Any]:
    (found,) = [
        r
        for r in document["reviews"]
        if (r["borough"], r["team"], r["date"]) == (borough, team, date)
    ]
    return found


def test_the_shipped_schema_is_the_one_the_models_generate() -> None:
    shipped = SCHEMA_PATH.read_text(encoding="utf-8")
    assert shipped == schema_text(), (
        "generator/schemas/export.schema.json is out of date: run "
        "`python -m generator.export.schema --schema generator/schemas/export.schema.json`"
    )


def test_the_export_validates_against_the_shipped_schema(sample: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(sample)


def test_the_schema_refuses_what_the_format_does_not_allow(sample: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    broken = json.loads(json.dumps(sample))
    broken["reviews"][0]["overall"]["findings"] = "narrative does not belong here"
    broken["reviews"][1]["status"] = "draft"
    broken["reviews"][2]["overall"]["percent"] = 101.0
    errors = sorted(e.message for e in validator.iter_errors(broken))
    assert len(errors) == 3
    assert any("findings" in e for e in errors)
    assert any("'draft'" in e for e in errors)
    assert any("101.0" in e for e in errors)


def test_two_exports_with_the_same_as_of_date_are_byte_identical(sample_json: str) -> None:
    again = run_cli("export", "--as-of", AS_OF)
    assert again.stdout == sample_json


def test_the_export_states_its_version_date_and_framework(sample: dict[str, Any]) -> None:
    assert sample["schema"] == "qa-site/1"
    assert sample["as_of"] == AS_OF
    framework = dict(sample["framework"])
    standards = framework.pop("standards")
    assert framework == {
        "name": "Adult Social Work Quality Standards",
        "version": 2,
        "scale": ["Outstanding", "Good", "Adequate", "Inadequate"],
        "adequate_or_above": "Adequate",
        "versions": [
            {"version": 1, "in_force": "2009-11-01", "title": "The 2009 framework"},
            {"version": 2, "in_force": "2015-04-01", "title": "The Care Act revision"},
        ],
    }
    # The catalogue: S01-S50 from version 1, of which four are retired in version 2 and
    # replaced one for one by S51-S54; the other 46 keep their meaning.
    replacements = {"S03": "S51", "S06": "S52", "S25": "S53", "S40": "S54"}
    expected = [
        {
            "id": f"S{n:02d}",
            "introduced": 1,
            "retired": 2 if f"S{n:02d}" in replacements else None,
            "replaced_by": [replacements[f"S{n:02d}"]] if f"S{n:02d}" in replacements else [],
            "meaning_changed_in": [],
        }
        for n in range(1, 51)
    ] + [
        {"id": new, "introduced": 2, "retired": None, "replaced_by": [], "meaning_changed_in": []}
        for new in replacements.values()
    ]
    assert standards == expected


def test_the_as_of_date_defaults_to_source_date_epoch() -> None:
    result = run_cli("export")  # run_cli sets SOURCE_DATE_EPOCH to 2017-01-01
    assert json.loads(result.stdout)["as_of"] == "2017-01-01"


def test_drafts_are_never_exported_and_completed_reviews_say_so(sample: dict[str, Any]) -> None:
    keys = [(r["borough"], r["team"], r["date"], r["status"]) for r in sample["reviews"]]
    assert len(keys) == 24
    assert ("westminster", "learning-disability", "2012-07-12", "draft") not in keys
    assert not any(r[:3] == ("westminster", "learning-disability", "2012-07-12") for r in keys)
    assert ("westminster", "access-assessment", "2012-06-21", "completed") in keys
    assert [k for k in keys if k[3] != "presented"] == [
        ("westminster", "access-assessment", "2012-06-21", "completed")
    ]
    assert keys == sorted(keys)


def test_a_limited_review_is_exported_with_its_limiter(sample: dict[str, Any]) -> None:
    review = _review(sample, "westminster", "mental-health", "2011-11-24")
    # 10 Good, 36 Adequate and 4 Inadequate: 30 + 72 + 4 = 106 of 200 points.
    assert review["overall"] == {
        "percent": 53.0,
        "points": 106,
        "max_points": 200,
        "band": "Adequate",
        "band_position": "upper",
        "rating": "Inadequate",
        "limited_by": ["S09", "S47"],
        "change": "new",
        "percent_change": "new",
        "previous_review": None,
        "previous_rating": None,
        "previous_framework_version": None,
        "compared_standards": 0,
    }
    assert review["next_review_due"] == "2012-05-24"
    assert review["domains"]["risk"] == {
        "percent": 40.0,
        "points": 8,
        "max_points": 20,
        "rating": "Adequate",
        "band_position": "lower",
    }
    assert review["standards"]["S09"] == {
        "rating": "Inadequate",
        "value": 1,
        "change": "new",
        "previous": None,
        "critical": True,
        "domain": "risk",
        "audits": {"graded": 6, "adequate_or_above": 2, "percent": 33.3},
        "disagree": False,
    }
    assert review["audits"] == {
        "graded": 48,
        "adequate_or_above": 28,
        "percent": 58.3,
        "cases": 6,
    }
    assert review["actions"] == {"open": 1, "done": 4, "overdue": 1}


def test_the_next_review_reports_its_change(sample: dict[str, Any]) -> None:
    review = _review(sample, "westminster", "mental-health", "2012-05-24")
    overall = review["overall"]
    assert (overall["percent"], overall["rating"], overall["limited_by"]) == (
        58.0,
        "Adequate",
        [],
    )
    assert (overall["change"], overall["percent_change"]) == ("improved", "improved")
    assert (overall["previous_review"], overall["previous_rating"]) == ("2011-11-24", "Inadequate")
    assert overall["compared_standards"] == 50
    assert review["standards"]["S09"]["previous"] == "Inadequate"


def test_teams_carry_their_latest_review_and_overdue_flag(sample: dict[str, Any]) -> None:
    teams = {(t["borough"], t["id"]): t for t in sample["teams"]}
    assert len(teams) == 13
    hospital = teams[("hammersmith-fulham", "hospital")]
    assert hospital["closed"] == "2011-06-30"
    assert hospital["replaced_by"] == ["social-work", "assessment"]
    assert hospital["reviews"] == ["2010-03-18", "2011-03-17"]
    assert (hospital["next_review_due"], hospital["overdue"]) == (None, False)
    westminster_ld = teams[("westminster", "learning-disability")]
    assert westminster_ld["latest_review"] == "2012-01-12"
    assert westminster_ld["rating"] == "Inadequate"
    assert westminster_ld["next_review_due"] == "2012-07-12"
    assert westminster_ld["overdue"] is True  # its 2012-07-12 review is still a draft
    access = teams[("westminster", "access-assessment")]
    # Its 2012 review was completed but never presented; the 2016 one, presented, is the
    # latest, so the 2012 one is neither among its reviews nor pending.
    assert (access["reviews"], access["pending"]) == (["2016-02-18"], [])
    assert (access["latest_review"], access["rating"]) == ("2016-02-18", "Adequate")
    assert (access["next_review_due"], access["overdue"]) == ("2017-02-18", False)


def test_overdue_follows_the_as_of_date() -> None:
    # Westminster access and assessment: rated Adequate on 2016-02-18, due 12 months later.
    later = json.loads(run_cli("export", "--as-of", "2017-02-19").stdout)
    (team,) = [
        t for t in later["teams"] if (t["borough"], t["id"]) == ("westminster", "access-assessment")
    ]
    assert team["overdue"] is True
    on_the_day = json.loads(run_cli("export", "--as-of", "2017-02-18").stdout)
    (team,) = [
        t
        for t in on_the_day["teams"]
        if (t["borough"], t["id"]) == ("westminster", "access-assessment")
    ]
    assert team["overdue"] is False


def test_the_series_shows_safeguarding_improving(sample: dict[str, Any]) -> None:
    (series,) = [
        s
        for s in sample["series"]
        if s["borough"] == "hammersmith-fulham" and s["standard"] == "S07"
    ]
    points = {p["period"]: p for p in series["points"]}
    assert points["2009-H2"] == {
        "period": "2009-H2",
        "start": "2009-07-01",
        "end": "2009-12-31",
        "reviews": 2,
        "graded": 11,
        "adequate_or_above": 6,
        "percent": 54.5,
    }
    assert (points["2011-H2"]["graded"], points["2011-H2"]["adequate_or_above"]) == (21, 16)
    assert points["2011-H2"]["percent"] == 76.2  # 16 of 21 is 76.19%
    every = {(s["borough"], s["standard"]) for s in sample["series"]}
    boroughs = [None, "hammersmith-fulham", "kensington-chelsea", "westminster"]
    standards = ["S07", "S09", "S14", "S35", "S47", None]
    assert every == {(b, s) for b in boroughs for s in standards}


def _personal_and_narrative_text() -> set[str]:
    """Every case and worker reference, name, note, action and finding in the sample."""
    programme = check(ROOT, dt.date.fromisoformat(AS_OF)).programme
    assert programme is not None
    found: set[str] = set()
    for record in programme.reviews:
        review = record.review
        found |= {r.name for r in review.reviewers}
        found |= {c.ref for c in review.cases} | {c.worker for c in review.cases}
        found |= {e.note for e in review.ratings.values() if e.note}
        found |= {a.action for a in review.actions} | {a.owner for a in review.actions}
        found |= {line for line in record.findings.splitlines() if len(line) > 20}
    return found


def test_the_export_holds_no_narrative_or_names(sample_json: str) -> None:
    private = _personal_and_narrative_text()
    assert len(private) > 200
    assert {"HF-LD-2010-01", "W01", "Anne Whitlock"} <= private
    assert sorted(text for text in private if text in sample_json) == []


def test_csv_has_one_row_per_review_and_standard() -> None:
    result = run_cli("export", "--format", "csv", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == list(CSV_COLUMNS)
    # 24 scored reviews (23 presented, 1 completed), each on its version's 50 standards.
    assert len(rows) == 1 + 24 * 50
    by_key = {(r[1], r[2], r[3], r[6]): r for r in rows[1:]}
    assert by_key[("westminster", "mental-health", "2012-05-24", "S09")] == [
        AS_OF,
        "westminster",
        "mental-health",
        "2012-05-24",
        "presented",
        "1",
        "S09",
        "risk",
        "true",
        "Adequate",
        "2",
        "improved",
        "Inadequate",
        "6",  # six cases graded S09: Adequate, Adequate, Adequate, Good, Good, Adequate
        "6",
        "false",
    ]
    assert not any(r[4] == "draft" for r in rows[1:])


def test_an_invalid_repository_exports_nothing(make_repo: RepoFactory, tmp_path: Path) -> None:
    repo = make_repo(
        {
            "reviews/hammersmith-fulham/learning-disability/2011-06-09.md": (
                "---\nstatus: presented\nframework_version: 1\nratings:\n  S01: Goood\n---\n"
            )
        }
    )
    out = tmp_path / "results.json"
    out.write_text("the previous export\n", encoding="utf-8")
    result = run_cli("export", "--root", str(repo), "-o", str(out))
    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        "reviews/hammersmith-fulham/learning-disability/2011-06-09.md:5: ratings.S01: "
        "'Goood' is not a rating on the scale; did you mean 'Good'?"
    ) in result.stderr
    assert result.stderr.rstrip().endswith("nothing was exported")
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "results.json"]


def test_output_file_is_written_whole(make_repo: RepoFactory, tmp_path: Path) -> None:
    repo = make_repo()
    out = tmp_path / "results.csv"
    result = run_cli("export", "--root", str(repo), "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"qa-site export: wrote {out} (1 reviews)\n"
    assert out.read_text(encoding="utf-8").splitlines() == [
        ",".join(CSV_COLUMNS),
        "2017-01-01,hammersmith-fulham,learning-disability,2010-12-09,presented,1,S01,"
        "safeguarding,true,Inadequate,1,new,,1,0,false",
        "2017-01-01,hammersmith-fulham,learning-disability,2010-12-09,presented,1,S02,"
        "practice,false,Adequate,2,new,,1,1,false",
        "2017-01-01,hammersmith-fulham,learning-disability,2010-12-09,presented,1,S03,"
        "practice,true,Good,3,new,,0,0,false",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "results.csv"]
    assert out.stat().st_mode & 0o777 != 0o600


def test_export_writes_the_workbook_and_the_package_from_the_command_line(
    tmp_path: Path,
) -> None:
    import openpyxl

    workbook = tmp_path / "results.xlsx"
    result = run_cli("export", "--format", "xlsx", "-o", str(workbook))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"qa-site export: wrote {workbook}\n"
    sheets = openpyxl.load_workbook(workbook).sheetnames
    assert sheets == ["About", "H&F", "RBKC", "WCC", "Open actions"]

    shared = tmp_path / "partners.xlsx"
    args = ["--format", "xlsx", "--audience", "partners", "-o", str(shared)]
    assert run_cli("export", *args).returncode == 0
    actions = openpyxl.load_workbook(shared)["Open actions"]
    header = [cell.value for cell in actions[1]]
    rows = actions.iter_rows(min_row=2, values_only=True)
    wording = {row[header.index("Action")] for row in rows}
    # Only the review marked for partners (H&F learning disability, 2011-09-22) keeps its words.
    internal = openpyxl.load_workbook(workbook)["Open actions"]
    kept = {row[header.index("Action")] for row in internal.iter_rows(min_row=2, values_only=True)}
    # ...and so do the board actions of the minutes marked for partners (2012-04-19).
    assert wording == {
        "Not shared with partner boroughs.",
        "Clear overdue reviews, seeing every person face to face.",
        "Check written reasons in a sample of twenty eligibility decisions made at review.",
        "Agree an escalation route for continuing healthcare disputes with health commissioners.",
    }
    assert "Clear overdue reviews, seeing every person face to face." in kept
    assert len(kept) > 2

    package = tmp_path / "package"
    result = run_cli(
        "export", "--format", "datapackage", "--borough", "westminster", "-o", str(package)
    )
    assert result.returncode == 0, result.stderr
    boroughs = (package / "boroughs.csv").read_text(encoding="utf-8")
    assert boroughs == "id,name,short\nwestminster,Westminster,WCC\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "--format xlsx needs -o/--output"),
        (["--format", "datapackage"], "--format datapackage needs -o/--output"),
        (["--borough", "westminister"], "no borough 'westminister'; did you mean 'westminster'?"),
    ],
)
def test_export_usage_errors(args: list[str], message: str) -> None:
    result = run_cli("export", *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_the_partners_export_holds_presented_reviews_only() -> None:
    internal = json.loads(run_cli("export").stdout)
    partners = json.loads(run_cli("export", "--audience", "partners").stdout)
    assert {r["status"] for r in internal["reviews"]} == {"completed", "presented"}
    assert [r for r in internal["reviews"] if r["status"] == "presented"] == partners["reviews"]
    assert len(partners["reviews"]) == 23
