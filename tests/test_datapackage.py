"""Data packages: a borough's results written for partners, and read back strictly."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest

from generator.check.repository import check
from generator.core.files import FolderInUse
from generator.model.programme import Programme
from generator.score.results import Results, score_programme
from generator.share.datapackage.model import Package, PackageReview, PackageStandard
from generator.share.datapackage.read import read_package
from generator.share.datapackage.write import write_package
from tests.support.paths import ROOT
from tests.support.repos import RepoFactory

AS_OF = dt.date(2017, 1, 1)
HF = "hammersmith-fulham"
FILES = [
    "boroughs.csv",
    "datapackage.json",
    "grades.csv",
    "ratings.csv",
    "reviews.csv",
    "standards.csv",
    "teams.csv",
]
CASE_REF = re.compile(rb"[A-Z]+-[A-Z]+-\d{4}-\d+")


def _scored(root: Path) -> tuple[Programme, Results]:
    validation = check(root, AS_OF)
    assert validation.programme is not None, validation.problems
    return validation.programme, score_programme(validation.programme, AS_OF)


@pytest.fixture(scope="module")
def sample() -> tuple[Programme, Results]:
    return _scored(ROOT)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("packages")


@pytest.fixture(scope="module")
def hf_package(sample: tuple[Programme, Results], packages: Path) -> Path:
    programme, results = sample
    out = packages / HF
    write_package(programme, results, out, boroughs=[HF])
    return out


@pytest.fixture(scope="module")
def all_package(sample: tuple[Programme, Results], packages: Path) -> Path:
    programme, results = sample
    out = packages / "all"
    write_package(programme, results, out)
    return out


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _frictionless_errors(report: frictionless.Report) -> list[tuple[object, ...]]:
    """Each error as (table, row number, kind, note); the table is None for the package."""
    found: list[tuple[object, ...]] = [(None, None, e.type, e.note) for e in report.errors]
    for task in report.tasks:
        for error in task.errors:
            found.append(
                (task.name, error.to_descriptor().get("rowNumber"), error.type, error.note)
            )
    return found


# --------------------------------------------------------------------------
# Frictionless agrees


@pytest.mark.parametrize("which", ["hf_package", "all_package"])
def test_frictionless_finds_the_package_valid(which: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(which)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, _frictionless_errors(report)
    assert report.stats["tasks"] == 6


def test_frictionless_checks_the_keys_the_package_declares(
    hf_package: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(hf_package, copy)
    _replace(
        copy / "grades.csv",
        "learning-disability,2011-09-22,S02,",
        "learning-disability,2011-09-23,S02,",
    )
    with (copy / "reviews.csv").open("a", encoding="utf-8") as out:
        out.write("hammersmith-fulham,learning-disability,2011-09-22,1,Good,68.5,7\n")
    report = frictionless.validate(str(copy / "datapackage.json"))
    kinds = {(error[0], error[2]) for error in _frictionless_errors(report)}
    assert kinds == {("grades", "foreign-key"), ("reviews", "primary-key")}


# --------------------------------------------------------------------------
# What goes in


def test_the_package_describes_itself(hf_package: Path) -> None:
    descriptor = json.loads((hf_package / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in hf_package.iterdir()) == FILES
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["name"] == "qa-site-hammersmith-fulham"
    assert descriptor["created"] == "2017-01-01T00:00:00Z"
    assert descriptor["qa_site"] == {
        "format": "qa-site-package/1",
        "as_of": "2017-01-01",
        "framework": {
            "name": "Adult Social Work Quality Standards",
            "version": 2,
            "scale": ["Outstanding", "Good", "Adequate", "Inadequate"],
            "adequate_or_above": "Adequate",
        },
    }
    assert [(r["name"], r["path"]) for r in descriptor["resources"]] == [
        ("boroughs", "boroughs.csv"),
        ("teams", "teams.csv"),
        ("standards", "standards.csv"),
        ("reviews", "reviews.csv"),
        ("ratings", "ratings.csv"),
        ("grades", "grades.csv"),
    ]
    reviews = descriptor["resources"][3]["schema"]
    assert reviews["primaryKey"] == ["borough", "team", "date"]
    assert reviews["foreignKeys"] == [
        {
            "fields": ["borough", "team"],
            "reference": {"resource": "teams", "fields": ["borough", "id"]},
        }
    ]


def test_the_learning_disability_team_reads_back_as_its_review_file_says(
    hf_package: Path,
) -> None:
    # Derived by hand from reviews/hammersmith-fulham/learning-disability/2011-09-22.md:
    # 4 Outstanding, 29 Good, 17 Adequate: 137 of 200 points, 68.5%, Good (no critical
    # standard Inadequate); seven cases, their grades counted per standard.
    package, problems = read_package(hf_package)
    assert problems == []
    assert package is not None
    outstanding = {"S10", "S15", "S26", "S38"}
    adequate = {
        "S01", "S03", "S04", "S07", "S08", "S12", "S13", "S22", "S28",
        "S29", "S30", "S32", "S37", "S44", "S45", "S47", "S50",
    }  # fmt: skip
    ratings = {
        f"S{n:02}": "Outstanding"
        if f"S{n:02}" in outstanding
        else "Adequate"
        if f"S{n:02}" in adequate
        else "Good"
        for n in range(1, 51)
    }
    expected = PackageReview(
        borough=HF,
        team="learning-disability",
        date=dt.date(2011, 9, 22),
        framework_version=1,
        rating="Good",
        percent=Decimal("68.5"),
        cases=7,
        ratings=ratings,
        grades={
            "S01": {"Adequate": 1, "Inadequate": 1},
            "S02": {"Good": 1},
            "S03": {"Adequate": 1, "Inadequate": 1},
            "S04": {"Adequate": 1, "Inadequate": 1},
            "S05": {"Good": 2, "Adequate": 1},
            "S07": {"Good": 1, "Adequate": 4, "Inadequate": 2},
            "S08": {"Inadequate": 1},
            "S09": {"Good": 3, "Adequate": 2},
            "S14": {"Good": 3, "Adequate": 2},
            "S16": {"Good": 1, "Adequate": 1},
            "S20": {"Good": 1},
            "S21": {"Outstanding": 1, "Good": 2, "Adequate": 1},
            "S32": {"Good": 1, "Adequate": 2},
            "S35": {"Good": 1, "Adequate": 1},
            "S36": {"Outstanding": 1, "Good": 4, "Adequate": 2},
            "S42": {"Outstanding": 1, "Good": 2, "Adequate": 1},
            "S47": {"Good": 1, "Adequate": 3, "Inadequate": 1},
        },
    )
    team = package.team(HF, "learning-disability")
    assert team.latest == expected
    assert list(team.latest.ratings) == sorted(ratings)
    assert list(team.latest.grades["S07"]) == ["Good", "Adequate", "Inadequate"]
    assert sum(sum(g.values()) for g in team.latest.grades.values()) == 56
    assert (team.name, team.service, team.closed) == (
        "Learning Disability Team",
        "learning-disability",
        None,
    )
    assert [r.date for r in team.reviews] == [dt.date(2010, 12, 9), dt.date(2011, 9, 22)]
    # Line 7: after the header, the assessment team's two reviews (2011 and 2015), the
    # hospital team's two and this team's first.
    lines = (hf_package / "reviews.csv").read_text(encoding="utf-8").splitlines()
    assert lines[6] == "hammersmith-fulham,learning-disability,2011-09-22,1,Good,68.5,7"
    grades = (hf_package / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert grades[186:189] == [
        "hammersmith-fulham,learning-disability,2011-09-22,S07,Good,1",
        "hammersmith-fulham,learning-disability,2011-09-22,S07,Adequate,4",
        "hammersmith-fulham,learning-disability,2011-09-22,S07,Inadequate,2",
    ]


def test_the_package_holds_the_borough_its_teams_and_every_standard(hf_package: Path) -> None:
    package, _ = read_package(hf_package)
    assert package is not None
    assert (package.name, package.as_of, package.scale, package.adequate_or_above) == (
        "qa-site-hammersmith-fulham",
        AS_OF,
        ("Outstanding", "Good", "Adequate", "Inadequate"),
        "Adequate",
    )
    assert package.title == "Adult Social Work Quality Standards: results of Hammersmith & Fulham"
    assert (package.framework_name, package.framework_version) == (
        "Adult Social Work Quality Standards",
        2,
    )
    assert [(b.id, b.name, b.short) for b in package.boroughs] == [
        (HF, "Hammersmith & Fulham", "H&F")
    ]
    assert [t.id for t in package.borough(HF).teams] == [
        "assessment",
        "hospital",
        "learning-disability",
        "mental-health",
        "older-people",
        "physical-disabilities",
        "social-work",
    ]
    assert package.team(HF, "hospital").closed == dt.date(2011, 6, 30)
    # Twelve reviews under version 1 (2009-2011), and two under version 2: social work
    # 2015-06-18 and assessment 2015-09-17.
    assert len(package.reviews) == 12 + 2
    assert [r.framework_version for r in package.reviews].count(2) == 2
    assert str(package) == (
        "qa-site-hammersmith-fulham: 1 borough, 7 teams, 14 presented reviews, as of 2017-01-01"
    )
    # Every standard of either version, each under its latest title.
    assert list(package.standards) == [f"S{n:02}" for n in range(1, 55)]
    assert package.standards["S07"] == PackageStandard(
        id="S07",
        title="Safeguarding enquiries are proportionate, timely and person-led",
        domain="safeguarding",
        critical=True,
        introduced=1,
        retired=None,
    )
    assert sorted(s.id for s in package.standards.values() if s.critical) == [
        "S07",
        "S09",
        "S14",
        "S35",
        "S47",
    ]
    assert {s.id: s.retired for s in package.standards.values() if s.retired} == {
        "S03": 2,
        "S06": 2,
        "S25": 2,
        "S40": 2,
    }
    assert [s.id for s in package.standards.values() if s.introduced == 2] == [
        "S51",
        "S52",
        "S53",
        "S54",
    ]


def _private_text(programme: Programme) -> set[str]:
    """Every name, case and worker reference, note, action and finding in the content."""
    found: set[str] = set()
    for record in programme.reviews:
        review = record.review
        found |= {r.name for r in review.reviewers}
        found |= {c.ref for c in review.cases if c.ref} | {c.worker for c in review.cases}
        found |= {e.note for e in review.ratings.values() if e.note}
        found |= {a.action for a in review.actions}
        found |= {line for line in record.findings.splitlines() if len(line) > 20}
    for meeting in programme.meetings:
        found |= {line for line in meeting.minutes.splitlines() if len(line) > 20}
        found |= {c.summary for c in meeting.meeting.cases}
    return found


@pytest.mark.parametrize("which", ["hf_package", "all_package"])
def test_the_package_holds_no_names_references_or_narrative(
    which: str, request: pytest.FixtureRequest, sample: tuple[Programme, Results]
) -> None:
    folder: Path = request.getfixturevalue(which)
    private = _private_text(sample[0])
    assert {"HF-LD-2011-01", "W01", "Anne Whitlock"} <= private
    assert len(private) > 200
    for name, data in _contents(folder).items():
        assert CASE_REF.findall(data) == [], name
        text = data.decode("utf-8")
        assert sorted(p for p in private if p in text) == [], name


def test_only_presented_reviews_go_in(all_package: Path) -> None:
    # Westminster has a completed review (access-assessment, 2012-06-21) and a draft
    # (learning-disability, 2012-07-12): neither is in the package. Its presented reviews
    # of 2016 (access-assessment, mental-health) are.
    package, problems = read_package(all_package)
    assert problems == []
    assert package is not None
    westminster = {
        t.id: [r.date.isoformat() for r in t.reviews] for t in package.borough("westminster").teams
    }
    assert westminster == {
        "access-assessment": ["2016-02-18"],
        "learning-disability": ["2012-01-12"],
        "mental-health": ["2011-11-24", "2012-05-24", "2016-06-16"],
    }
    for name, data in _contents(all_package).items():
        assert b"2012-06-21" not in data, name
        assert b"2012-07-12" not in data, name
    assert package.name == "qa-site-results"
    assert [b.id for b in package.boroughs] == [HF, "kensington-chelsea", "westminster"]
    assert len(package.reviews) == 14 + 4 + 5


def test_a_small_repository_gives_exactly_these_files(
    make_repo: RepoFactory, tmp_path: Path
) -> None:
    team = "reviews/hammersmith-fulham/learning-disability"
    repo = make_repo(
        {
            f"{team}/2011-06-09.md": (
                "---\nstatus: completed\nframework_version: 1\n"
                "reviewers:\n  - {name: Quality Reviewer, role: lead}\n"
                "ratings: {S01: Good, S02: Good, S03: Good}\n"
                "cases:\n  - {ref: HF-LD-2011-09, worker: W02, grades: {S01: Good}}\n"
                "---\nNot yet presented.\n"
            ),
            f"{team}/2012-09-06.md": (
                "---\nstatus: draft\nframework_version: 1\nratings: {S01: Good}\n---\nPlanned.\n"
            ),
            "reviews/westminster/borough.yml": "name: Westminster\nshort: WCC\n",
        }
    )
    programme, results = _scored(repo)
    assert {r.record.status for r in results.reviews} == {"presented", "completed"}
    out = tmp_path / "package"
    write_package(programme, results, out, boroughs=[HF])
    files = {name: data.decode("utf-8") for name, data in _contents(out).items()}
    assert files["boroughs.csv"] == "id,name,short\nhammersmith-fulham,Hammersmith & Fulham,H&F\n"
    assert files["teams.csv"] == (
        "borough,id,name,service,closed\n"
        "hammersmith-fulham,learning-disability,Learning Disability Team,learning-disability,\n"
    )
    assert files["standards.csv"] == (
        "id,title,domain,critical,introduced,retired\n"
        'S01,"Safeguarding enquiries are proportionate, timely and person-led",'
        "safeguarding,true,1,\n"
        "S02,Workers see people face to face often enough to know them,practice,false,1,\n"
        "S03,Practitioners receive regular reflective supervision,practice,true,1,\n"
    )
    # 1 + 2 + 3 = 6 of 12 points: 50.0%, Adequate, where S01 (critical, Inadequate)
    # caps it anyway.
    assert files["reviews.csv"] == (
        "borough,team,date,framework_version,rating,percent,cases\n"
        "hammersmith-fulham,learning-disability,2010-12-09,1,Adequate,50.0,1\n"
    )
    assert files["ratings.csv"] == (
        "borough,team,date,standard,rating\n"
        "hammersmith-fulham,learning-disability,2010-12-09,S01,Inadequate\n"
        "hammersmith-fulham,learning-disability,2010-12-09,S02,Adequate\n"
        "hammersmith-fulham,learning-disability,2010-12-09,S03,Good\n"
    )
    assert files["grades.csv"] == (
        "borough,team,date,standard,grade,count\n"
        "hammersmith-fulham,learning-disability,2010-12-09,S01,Inadequate,1\n"
        "hammersmith-fulham,learning-disability,2010-12-09,S02,Adequate,1\n"
    )
    assert "Westminster" not in files["datapackage.json"]
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, _frictionless_errors(report)


# --------------------------------------------------------------------------
# How it is written


def test_the_same_input_gives_the_same_bytes(
    sample: tuple[Programme, Results], hf_package: Path, tmp_path: Path
) -> None:
    programme, results = sample
    again = write_package(programme, results, tmp_path / "again", boroughs=[HF])
    assert isinstance(again, Package)
    assert again.source == tmp_path / "again"
    assert _contents(tmp_path / "again") == _contents(hf_package)
    # Over a previous package, damaged since: every package file is written afresh.
    (tmp_path / "again" / "reviews.csv").write_text("damaged\n", encoding="utf-8")
    (tmp_path / "again" / "README.md").write_text("Our notes.\n", encoding="utf-8")
    write_package(programme, results, tmp_path / "again", boroughs=[HF])
    assert _contents(tmp_path / "again") == {
        **_contents(hf_package),
        "README.md": b"Our notes.\n",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again"]  # nothing left beside it


def test_a_folder_of_other_files_is_refused(
    sample: tuple[Programme, Results], tmp_path: Path
) -> None:
    programme, results = sample
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>ours</p>\n", encoding="utf-8")
    with pytest.raises(FolderInUse, match=r"site is not empty and holds no datapackage\.json"):
        write_package(programme, results, tmp_path / "site")
    with pytest.raises(FileExistsError):  # the same refusal, for callers that catch OSErrors
        write_package(programme, results, tmp_path / "site")
    assert _contents(tmp_path / "site") == {"index.html": b"<p>ours</p>\n"}
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(FolderInUse, match="is a file, not a folder"):
        write_package(programme, results, tmp_path / "file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "site"]


def test_an_unknown_borough_is_refused_by_name(
    sample: tuple[Programme, Results], tmp_path: Path
) -> None:
    programme, results = sample
    with pytest.raises(ValueError) as refused:
        write_package(programme, results, tmp_path / "out", boroughs=["hammersmith"])
    assert str(refused.value) == (
        "no borough 'hammersmith' in this repository; the boroughs are hammersmith-fulham, "
        "kensington-chelsea, westminster; did you mean 'hammersmith-fulham'?"
    )
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------
# How it is read


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")


def _edit_descriptor(folder: Path, change: Callable[[dict[str, object]], None]) -> None:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _resource(index: int, key: str, value: object) -> Callable[[dict[str, object]], None]:
    def change(descriptor: dict[str, object]) -> None:
        resources = descriptor["resources"]
        assert isinstance(resources, list)
        resources[index][key] = value

    return change


def _line_of(path: Path, needle: str) -> int:
    (found,) = [
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    ]
    return found


LD = "hammersmith-fulham,learning-disability,2011-09-22"
SW = "hammersmith-fulham,social-work,2015-06-18"
SCALE = "(Outstanding, Good, Adequate, Inadequate)"


def _drop_grades(descriptor: dict[str, object]) -> None:
    resources = descriptor["resources"]
    assert isinstance(resources, list)
    resources.pop()


def _append(name: str, line: str) -> Callable[[Path], None]:
    def change(folder: Path) -> None:
        with (folder / name).open("a", encoding="utf-8", newline="") as out:
            out.write(line + "\n")

    return change


def _set_format(value: str) -> Callable[[dict[str, object]], None]:
    def change(descriptor: dict[str, object]) -> None:
        qa_site = descriptor["qa_site"]
        assert isinstance(qa_site, dict)
        qa_site["format"] = value

    return change


def _retire_s50_for_the_sw_review(folder: Path) -> None:
    """Framework version 3 without S50, and the social work review of 2015 rated by it."""
    _replace(folder / "datapackage.json", '"version": 2', '"version": 3')
    _replace(folder / "reviews.csv", f"{SW},2,", f"{SW},3,")
    _replace(
        folder / "standards.csv",
        'safely",supervision,false,1,\n',
        'safely",supervision,false,1,3\n',
    )


CORRUPTIONS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "bad-date": (
        lambda f: _replace(f / "ratings.csv", f"{LD},S07,", f"{LD[:-2]}31,S07,"),
        ["pkg/ratings.csv:258: date: '2011-09-31' is not a real calendar date"],
    ),
    "date-not-iso": (
        lambda f: _replace(f / "teams.csv", "2011-06-30", "30/06/2011"),
        ["pkg/teams.csv:3: closed: expected a date as YYYY-MM-DD, got '30/06/2011'"],
    ),
    "rating-not-on-the-scale": (
        lambda f: _replace(f / "ratings.csv", f"{LD},S07,Adequate", f"{LD},S07,Excellent"),
        [f"pkg/ratings.csv:258: rating: 'Excellent' is not on the package's scale {SCALE}"],
    ),
    "grade-misspelt": (
        lambda f: _replace(f / "grades.csv", f"{LD},S07,Adequate,4", f"{LD},S07,adequate,4"),
        [
            f"pkg/grades.csv:188: grade: 'adequate' is not on the package's scale {SCALE}; "
            "did you mean 'Adequate'?"
        ],
    ),
    "unknown-standard": (
        lambda f: _replace(f / "ratings.csv", f"{LD},S07,", f"{LD},S99,"),
        [
            "pkg/ratings.csv:258: standard: no standard 'S99' in standards.csv",
            "pkg/reviews.csv:7: framework_version: ratings.csv has no rating of S07 for this "
            "review: a presented review rates every standard of its framework version (1)",
        ],
    ),
    "standard-id-lower-case": (
        lambda f: _replace(f / "grades.csv", f"{LD},S07,Good,1", f"{LD},s07,Good,1"),
        [
            "pkg/grades.csv:187: standard: expected a standard id of capital letters then "
            "digits (like 'S07'), got 's07'"
        ],
    ),
    "duplicate-review": (
        _append("reviews.csv", f"{LD},1,Good,68.5,7"),
        [
            "pkg/reviews.csv:16: date: duplicate key (hammersmith-fulham, learning-disability, "
            "2011-09-22): line 7 has the same borough, team and date"
        ],
    ),
    "foreign-key-miss": (
        lambda f: _replace(f / "grades.csv", f"{LD},S02,Good,1", f"{LD[:-2]}23,S02,Good,1"),
        [
            "pkg/grades.csv:180: date: no review of hammersmith-fulham/learning-disability "
            "on 2011-09-23 in reviews.csv"
        ],
    ),
    "foreign-key-miss-on-many-rows": (
        lambda f: _replace(f / "reviews.csv", f"{LD},", f"{LD[:-2]}23,"),
        [
            "pkg/grades.csv:178: date: no review of hammersmith-fulham/learning-disability "
            "on 2011-09-22 in reviews.csv (the same on 35 more rows, up to line 213)",
            "pkg/ratings.csv:252: date: no review of hammersmith-fulham/learning-disability "
            "on 2011-09-22 in reviews.csv (the same on 49 more rows, up to line 301)",
            "pkg/reviews.csv:7: framework_version: ratings.csv has no rating of S01, S02, S03, "
            "S04, S05 and 45 more for this review: a presented review rates every standard of "
            "its framework version (1)",
        ],
    ),
    "percent-over-100": (
        lambda f: _replace(f / "reviews.csv", f"{LD},1,Good,68.5,", f"{LD},1,Good,101.0,"),
        ["pkg/reviews.csv:7: percent: expected a number from 0 to 100, got '101.0'"],
    ),
    "more-grades-than-cases": (
        lambda f: _replace(f / "reviews.csv", f"{LD},1,Good,68.5,7", f"{LD},1,Good,68.5,6"),
        [
            "pkg/reviews.csv:7: cases: grades.csv counts 7 grades of S07 for this review, more "
            "than its 6 cases: each case grades a standard once at most"
        ],
    ),
    "boolean-spelt-yes": (
        lambda f: _replace(f / "standards.csv", ",safeguarding,true,1,", ",safeguarding,yes,1,"),
        ["pkg/standards.csv:8: critical: expected true or false, got 'yes'"],
    ),
    "header-renamed": (
        lambda f: _replace(
            f / "reviews.csv", "framework_version,rating,", "framework_version,overall,"
        ),
        [
            "pkg/reviews.csv:1: rating: expected the header borough,team,date,"
            "framework_version,rating,percent,cases; column 5 is 'overall'"
        ],
    ),
    "short-row": (
        _append("boroughs.csv", "westminster,Westminster"),
        ["pkg/boroughs.csv:3: file: expected 3 cells (id, name, short), got 2"],
    ),
    "resource-missing": (
        lambda f: _edit_descriptor(f, _drop_grades),
        [
            "pkg/datapackage.json:22: resources: no resource 'grades': a qa-site-package/1 "
            "package has boroughs, teams, standards, reviews, ratings, grades"
        ],
    ),
    "format-major-2": (
        lambda f: _edit_descriptor(f, _set_format("qa-site-package/2")),
        [
            "pkg/datapackage.json:8: qa_site.format: 'qa-site-package/2' is major version 2 "
            "of the format; this reader reads version 1 only ('qa-site-package/1'): use a "
            "qa-site that reads it"
        ],
    ),
    "format-other": (
        lambda f: _edit_descriptor(f, _set_format("fiscal-data/1")),
        [
            "pkg/datapackage.json:8: qa_site.format: expected 'qa-site-package/1', got "
            '"fiscal-data/1"'
        ],
    ),
    "profile-wrong": (
        lambda f: _replace(f / "datapackage.json", '"tabular-data-package"', '"data-package"'),
        ["pkg/datapackage.json:2: profile: expected 'tabular-data-package', got \"data-package\""],
    ),
    "framework-version-unknown": (
        lambda f: _replace(f / "reviews.csv", f"{LD},1,", f"{LD},3,"),
        [
            "pkg/reviews.csv:7: framework_version: there is no framework version 3 (the "
            "package's framework is at version 2)"
        ],
    ),
    "standard-retired-before-the-review": (
        _retire_s50_for_the_sw_review,
        [
            # One case of that review graded S50 too.
            "pkg/grades.csv:469: standard: S50 is not part of framework version 3 (retired in "
            "version 3)",
            "pkg/ratings.csv:697: standard: S50 is not part of framework version 3 (retired in "
            "version 3)",
        ],
    ),
    "json-key-twice": (
        lambda f: _replace(f / "datapackage.json", '  "title"', '  "name": "other",\n  "title"'),
        ["pkg/datapackage.json:4: name: duplicate key: a JSON object names each key once"],
    ),
    "json-broken": (
        lambda f: _replace(f / "datapackage.json", '"created": ', '"created" '),
        ["pkg/datapackage.json:6: json: not valid JSON: Expecting ':' delimiter (column 13)"],
    ),
}


@pytest.mark.parametrize("scenario", sorted(CORRUPTIONS))
def test_a_corrupt_copy_gives_exactly_its_problems(
    scenario: str, hf_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, expected = CORRUPTIONS[scenario]
    shutil.copytree(hf_package, tmp_path / "pkg")
    change(tmp_path / "pkg")
    monkeypatch.chdir(tmp_path)
    package, problems = read_package(Path("pkg"))
    assert [p.format_text() for p in problems] == expected
    assert package is None


def test_a_missing_table_file_is_named_where_the_descriptor_lists_it(
    hf_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(hf_package, tmp_path / "pkg")
    (tmp_path / "pkg" / "grades.csv").unlink()
    line = _line_of(tmp_path / "pkg" / "datapackage.json", '"path": "grades.csv"')
    monkeypatch.chdir(tmp_path)
    package, problems = read_package(Path("pkg") / "datapackage.json")
    assert package is None
    assert [p.format_text() for p in problems] == [
        f'pkg/datapackage.json:{line}: resources[5].path: "grades.csv" is not a file in the '
        "package folder"
    ]


OUTSIDE = "is outside the package folder: a table's path stays inside it"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../x.csv", f'"../x.csv" {OUTSIDE}'),
        ("tables/../../x.csv", f'"tables/../../x.csv" {OUTSIDE}'),
        (
            "/etc/passwd",
            '"/etc/passwd" is not a relative path with forward slashes: a table\'s path is '
            "relative to the package folder",
        ),
        (
            "https://example.org/teams.csv",
            '"https://example.org/teams.csv" is a URL: a package is read from its folder, '
            "never fetched",
        ),
        ("link.csv", '"link.csv" leads outside the package folder (through a link); not read'),
    ],
)
def test_a_table_outside_the_package_is_never_read(
    path: str, message: str, hf_package: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "pkg"
    shutil.copytree(hf_package, folder)
    # What the paths lead to exists and is a valid teams table: it is refused all the same.
    shutil.copy(folder / "teams.csv", tmp_path / "x.csv")
    os.symlink(tmp_path / "x.csv", folder / "link.csv")
    _edit_descriptor(folder, _resource(1, "path", path))
    line = _line_of(folder / "datapackage.json", f'"path": {json.dumps(path)}')
    package, problems = read_package(folder)
    assert package is None
    assert [p.format_text() for p in problems] == [
        f"{folder}/datapackage.json:{line}: resources[1].path: {message}"
    ]


def test_every_problem_is_reported_not_just_the_first(
    hf_package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(hf_package, tmp_path / "pkg")
    for scenario in ["bad-date", "boolean-spelt-yes", "foreign-key-miss", "profile-wrong"]:
        CORRUPTIONS[scenario][0](tmp_path / "pkg")
    monkeypatch.chdir(tmp_path)
    _, problems = read_package(Path("pkg"))
    assert [(p.path, p.line, p.field) for p in problems] == [
        ("pkg/datapackage.json", 2, "profile"),
        ("pkg/grades.csv", 180, "date"),
        ("pkg/ratings.csv", 258, "date"),
        ("pkg/standards.csv", 8, "critical"),
    ]


def test_a_folder_without_a_package_says_so(tmp_path: Path) -> None:
    package, problems = read_package(tmp_path)
    assert package is None
    assert [p.format_text() for p in problems] == [
        f"{tmp_path}/datapackage.json:1: file: not found: a data package folder holds one"
    ]
