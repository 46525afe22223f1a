"""`qa-site new` and `qa-site schema`: files to start from, and schemas for editors."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.check.repository import check
from generator.model.schemas import json_schemas
from generator.render.site import render_site
from generator.render.templates import template_folders
from generator.score.results import score_programme
from tests.support.cli import run_cli
from tests.support.paths import ROOT
from tests.support.repos import RepoFactory

TEAM = "hammersmith-fulham/learning-disability"
SCAFFOLD = f"reviews/{TEAM}/2012-09-03.md"


def qa(repo: Path, *args: str) -> Any:
    return run_cli(*args, "--root", str(repo), cwd=repo)


def test_a_new_review_lists_the_whole_framework_and_validates_as_a_draft(
    make_repo: RepoFactory,
) -> None:
    repo = make_repo()
    made = qa(repo, "new", "review", TEAM, "--date", "2012-09-03")
    assert made.returncode == 0, made.stderr
    text = (repo / SCAFFOLD).read_text(encoding="utf-8")
    frontmatter = text.split("---\n")[1]
    assert re.findall(r"(?m)^  (S\d\d):\s+# (.*)$", frontmatter) == [
        ("S01", "Safeguarding enquiries are proportionate, timely and person-led (critical)"),
        ("S02", "Workers see people face to face often enough to know them"),
        ("S03", "Practitioners receive regular reflective supervision (critical)"),
    ]
    data = yaml.safe_load(frontmatter)
    assert data["status"] == "draft"
    assert data["framework_version"] == 1
    assert data["ratings"] == {"S01": None, "S02": None, "S03": None}
    # One case-audit block, as the team's last review had one case audit.
    assert data["cases"] == [
        {
            "ref": None,
            "worker": "W01",
            "interviewed": ["worker", "supervisor", "user", "carer"],
            "record_reviewed": False,
            "grades": {},
        }
    ]
    assert data["actions"] == [] and data["reviewers"] == []
    assert text.endswith("---\n## Findings\n\n### Strengths\n\n### Areas for improvement\n")
    checked = qa(repo, "validate", "--strict")
    assert (checked.returncode, checked.stdout) == (0, "")


def test_the_sample_programme_scaffolds_every_standard_and_source(tmp_path: Path) -> None:
    made = run_cli(
        "new", "review", TEAM, "--date", "2012-09-03", "--workers", "3", "--root", str(ROOT)
    )
    path = ROOT / SCAFFOLD
    try:
        assert made.returncode == 0, made.stderr
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        checked = run_cli("validate", "--strict", SCAFFOLD)
    finally:
        path.unlink(missing_ok=True)
    assert sorted(data["ratings"]) == [f"S{n:02d}" for n in range(1, 51)]
    assert len(data["evidence"]) == 12
    assert [c["worker"] for c in data["cases"]] == ["W01", "W02", "W03"]
    assert (checked.returncode, checked.stdout) == (0, "")


def test_finishing_a_review_with_blanks_left_names_each_blank(make_repo: RepoFactory) -> None:
    repo = make_repo()
    qa(repo, "new", "review", TEAM, "--date", "2012-09-03")
    path = repo / SCAFFOLD
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: draft", "status: completed"), "utf-8"
    )
    result = qa(repo, "validate")
    assert result.returncode == 1
    lines = path.read_text(encoding="utf-8").splitlines()

    def line(start: str) -> int:
        return next(i for i, text in enumerate(lines, 1) if text.startswith(start))

    message = "no rating given; a completed review rates every standard"
    assert result.stdout == (
        f"{SCAFFOLD}:{line('reviewers:')}: reviewers: warning: no reviewer has the role 'lead'\n"
        f"{SCAFFOLD}:{line('  S01:')}: ratings.S01: {message}\n"
        f"{SCAFFOLD}:{line('  S02:')}: ratings.S02: {message}\n"
        f"{SCAFFOLD}:{line('  S03:')}: ratings.S03: {message}\n"
        f"{SCAFFOLD}:{line('  - ref:')}: cases[0]: warning: case audit has no grades\n"
        f"{SCAFFOLD}:{line('  - ref:')}: cases[0].ref: no case reference given; a completed "
        "review gives every audited case its reference\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["hammersmith-fulham/learning-disabilty"],
            "no team 'learning-disabilty' in "
            "hammersmith-fulham; did you mean 'learning-disability'?",
        ),
        (
            ["hammersmith-fulam/learning-disability"],
            "no borough 'hammersmith-fulam'; did you mean 'hammersmith-fulham'?",
        ),
        (["learning-disability"], "expected <borough>/<team>, got 'learning-disability'"),
        ([TEAM, "--date", "2010-12-09"], f"reviews/{TEAM}/2010-12-09.md already exists"),
        ([TEAM, "--date", "2012-02-30"], "'2012-02-30' is not a real date"),
    ],
    ids=["team-misspelt", "borough-misspelt", "no-borough", "exists", "bad-date"],
)
def test_new_review_refuses_what_it_cannot_do(
    make_repo: RepoFactory, args: list[str], message: str
) -> None:
    repo = make_repo()
    before = (repo / f"reviews/{TEAM}/2010-12-09.md").read_bytes()
    result = qa(repo, "new", "review", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert (repo / f"reviews/{TEAM}/2010-12-09.md").read_bytes() == before
    assert sorted(p.name for p in (repo / f"reviews/{TEAM}").iterdir()) == [
        "2010-12-09.md",
        "team.yml",
    ]


def test_a_closed_team_gets_no_new_review(make_repo: RepoFactory) -> None:
    repo = make_repo(
        {f"reviews/{TEAM}/team.yml": "name: LD\nservice: learning-disability\nclosed: 2011-06-30\n"}
    )
    result = qa(repo, "new", "review", TEAM, "--date", "2012-09-03")
    assert result.returncode == 2
    assert "LD closed on 2011-06-30" in result.stderr


def test_new_minutes_carry_the_board_over_and_stay_unpublished(make_repo: RepoFactory) -> None:
    repo = make_repo()
    made = qa(repo, "new", "meeting", "hammersmith-fulham", "--date", "2011-03-17")
    assert made.returncode == 0, made.stderr
    path = repo / "reviews/hammersmith-fulham/governance/2011-03-17.md"
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert data == {
        "status": "draft",
        "chairs": [
            {"role": "Head of community assessment and social work"},
            {"role": "Frontline social worker", "team": "learning-disability"},
        ],
        "representatives": [{"team": "learning-disability", "role": "Senior social worker"}],
        "cases": [],
        "development": [],
        "actions": [],
    }
    checked = qa(repo, "validate", "--strict")
    assert (checked.returncode, checked.stdout) == (0, "")

    def pages() -> dict[str, str]:
        programme = check(repo, dt.date(2012, 7, 1)).programme
        assert programme is not None
        files = render_site(
            programme,
            score_programme(programme, dt.date(2012, 7, 1)),
            template_folders(ROOT / "site_templates"),
        )
        return {f.path: f.content for f in files if isinstance(f.content, str)}

    draft = pages()
    assert "board/hammersmith-fulham/2011-03-17.md" not in draft
    assert "17 March 2011" not in draft["board/index.md"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: draft\n", ""), encoding="utf-8"
    )
    approved = pages()
    assert "board/hammersmith-fulham/2011-03-17.md" in approved
    assert "17 March 2011" in approved["board/index.md"]


def test_approved_minutes_need_a_chair(make_repo: RepoFactory) -> None:
    repo = make_repo()
    qa(repo, "new", "meeting", "hammersmith-fulham", "--date", "2011-03-17")
    path = repo / "reviews/hammersmith-fulham/governance/2011-03-17.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^chairs:.*?(?=^representatives:)", "chairs: []\n", text)
    path.write_text(text.replace("status: draft", "status: approved"), encoding="utf-8")
    result = qa(repo, "validate")
    assert result.stdout == (
        "reviews/hammersmith-fulham/governance/2011-03-17.md:6: chairs: no chair given; "
        "approved minutes name at least one chair, by role\n"
    )


def test_a_first_meeting_starts_with_no_chairs(make_repo: RepoFactory) -> None:
    repo = make_repo(remove=["reviews/hammersmith-fulham/governance"])
    assert qa(repo, "new", "meeting", "hammersmith-fulham", "--date", "2011-03-17").returncode == 0
    text = (repo / "reviews/hammersmith-fulham/governance/2011-03-17.md").read_text("utf-8")
    assert "\nchairs: []" in text
    assert qa(repo, "validate", "--strict").returncode == 0


def test_new_team_and_borough(make_repo: RepoFactory) -> None:
    repo = make_repo()
    borough = qa(
        repo,
        "new",
        "borough",
        "kensington-chelsea",
        "--name",
        "Kensington & Chelsea",
        "--short",
        "&RBKC",
    )
    assert borough.returncode == 0, borough.stderr
    assert (repo / "reviews/kensington-chelsea/borough.yml").read_text("utf-8") == (
        "name: Kensington & Chelsea\nshort: '&RBKC'\n"
    )
    team = qa(
        repo,
        "new",
        "team",
        "kensington-chelsea/older-people",
        "--name",
        "Older People: East",
        "--service",
        "older-poeple",
        "--established",
        "2008-04-01",
    )
    assert team.returncode == 0, team.stderr
    assert "qa-site new: note: no other team has the service 'older-poeple'" in team.stderr
    assert (repo / "reviews/kensington-chelsea/older-people/team.yml").read_text("utf-8") == (
        "name: 'Older People: East'\n"
        "service: older-poeple   # the service type, for comparison across boroughs\n"
        "established: 2008-04-01\n"
        "# description: About the team, in Markdown.\n"
    )
    checked = qa(repo, "validate", "--strict")
    assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout
    refused = qa(
        repo, "new", "team", "kensington-chelsea/governance", "--name", "G", "--service", "x"
    )
    assert refused.returncode == 2
    assert "'governance' is the board's folder" in refused.stderr


# --------------------------------------------------------------------------
# JSON Schemas


def test_the_committed_schemas_are_the_models(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in (ROOT / "schemas").iterdir())
    for name in written:
        assert (tmp_path / name).read_text("utf-8") == (ROOT / "schemas" / name).read_text(
            "utf-8"
        ), f"schemas/{name} is out of date: run `qa-site schema`"


def _as_editor_reads(value: Any) -> Any:
    """YAML as an editor's language server sees it: dates are strings."""
    if isinstance(value, dict):
        return {str(k): _as_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_reads(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _frontmatter(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("---\n")[1]
    return _as_editor_reads(yaml.safe_load(text))


def _schema_for(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    if parts[0] == "standards":
        return "framework" if path.name == "framework.yml" else "standard"
    if path.name in ("borough.yml", "team.yml"):
        return path.stem
    return "meeting" if parts[2] == "governance" else "review"


def test_every_sample_file_passes_its_schema() -> None:
    schemas = json_schemas()
    files = sorted((ROOT / "standards").iterdir()) + sorted(
        p for p in (ROOT / "reviews").rglob("*") if p.is_file()
    )
    assert len(files) > 90
    for path in files:
        validator = jsonschema.Draft202012Validator(schemas[_schema_for(path)])
        errors = [e.message for e in validator.iter_errors(_frontmatter(path))]
        assert errors == [], f"{path.relative_to(ROOT)}: {errors}"


def test_a_schema_catches_what_an_editor_should_flag() -> None:
    schema = json.loads((ROOT / "schemas/team.schema.json").read_text("utf-8"))
    team = jsonschema.Draft202012Validator(schema)
    assert not list(team.iter_errors({"name": "LD", "service": "learning-disability"}))
    messages = sorted(e.message for e in team.iter_errors({"name": "LD", "servce": "Learning"}))
    assert messages == [
        "'service' is a required property",
        "Additional properties are not allowed ('servce' was unexpected)",
    ]
    review = jsonschema.Draft202012Validator(json_schemas()["review"])
    case = {"ref": "Jane", "worker": "W01"}
    bad_ref = {"status": "draft", "framework_version": 1, "cases": [case]}
    assert [e.message for e in review.iter_errors(bad_ref)] == [
        "'Jane' is not valid under any of the given schemas"
    ]
    case["ref"] = "HF-LD-2012-11"
    assert not list(review.iter_errors(bad_ref))


def test_new_minutes_leave_out_the_board_members_of_closed_teams(make_repo: RepoFactory) -> None:
    repo = make_repo(
        {f"reviews/{TEAM}/team.yml": "name: LD\nservice: learning-disability\nclosed: 2011-06-30\n"}
    )
    assert qa(repo, "new", "meeting", "hammersmith-fulham", "--date", "2011-09-15").returncode == 0
    path = repo / "reviews/hammersmith-fulham/governance/2011-09-15.md"
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert data["chairs"] == [{"role": "Head of community assessment and social work"}]
    assert data["representatives"] == []
    checked = qa(repo, "validate", "--strict")
    assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout
