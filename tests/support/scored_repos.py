"""Repositories written review by review for the scoring tests, validated and scored.

Each starts from a copy of a rulebook (the base repository's three standards, or
the sample's fifty-four: fifty in each framework version) with no reviews; teams and
reviews are written as YAML.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from generator.check.repository import check
from generator.score.results import Results, score_programme
from tests.support.paths import BASE, ROOT

AS_OF = dt.date(2012, 6, 30)  # for repositories written here with 2010-2012 reviews
BOROUGH = "hammersmith-fulham"
TEAM = "learning-disability"

SMALL_STANDARDS = BASE / "standards"  # S01 (critical), S02, S03 (critical)
REAL_STANDARDS = ROOT / "standards"  # S01..S54
ALL_50 = tuple(f"S{i:02d}" for i in range(1, 51))  # what a version 1 review rates
CRITICAL_50 = ("S07", "S09", "S14", "S35", "S47")


def new_repo(root: Path, standards: Path = SMALL_STANDARDS, framework: str | None = None) -> Path:
    """A repository at ``root`` with a copy of ``standards`` and no reviews yet."""
    shutil.copytree(standards, root / "standards")
    if framework is not None:
        (root / "standards" / "framework.yml").write_text(framework, encoding="utf-8")
    return root


def write_team(
    repo: Path,
    team: str = TEAM,
    *,
    borough: str = BOROUGH,
    closed: dt.date | None = None,
    established: dt.date | None = None,
) -> Path:
    folder = repo / "reviews" / borough
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "borough.yml").exists():
        (folder / "borough.yml").write_text(
            f"name: Borough {borough}\nshort: {borough[:3].upper()}\n", encoding="utf-8"
        )
    team_data: dict[str, Any] = {"name": f"Team {team}", "service": "learning-disability"}
    if established is not None:
        team_data["established"] = established
    if closed is not None:
        team_data["closed"] = closed
    (folder / team).mkdir(exist_ok=True)
    (folder / team / "team.yml").write_text(
        yaml.safe_dump(team_data, sort_keys=False), encoding="utf-8"
    )
    return folder / team


def action(
    action_id: str,
    due: dt.date,
    status: str = "open",
    completed: dt.date | None = None,
    standards: Sequence[str] = ("S02",),
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": action_id,
        "standards": list(standards),
        "action": "Improve the practice the review found wanting.",
        "owner": "Team manager",
        "due": due,
        "status": status,
    }
    if completed is not None:
        data["completed"] = completed
    return data


def review_text(
    date: dt.date,
    ratings: Mapping[str, str | None],
    *,
    status: str = "presented",
    version: int = 1,
    cases: Sequence[Mapping[str, str]] = (),
    actions: Sequence[Mapping[str, Any]] | None = None,
) -> str:
    """A review file; ratings and grades keep the order of the mappings given.

    Without ``actions``, a completed or presented review gets one open action
    naming every rated standard, which satisfies the validator's coverage rule.
    """
    if actions is None:
        rated = [s for s, label in ratings.items() if label is not None]
        cover = status != "draft" and rated
        actions = [action("A1", date + dt.timedelta(days=30), standards=rated)] if cover else []
    data: dict[str, Any] = {
        "status": status,
        "framework_version": version,
        "reviewers": [{"name": "Quality Reviewer", "role": "lead"}],
        "ratings": dict(ratings),
        "cases": [
            {
                "ref": f"HF-{date.year}-{index + 1:02d}",
                "worker": f"W{index + 1:02d}",
                "interviewed": ["worker"],
                "record_reviewed": True,
                "grades": dict(grades),
            }
            for index, grades in enumerate(cases)
        ],
        "actions": list(actions),
    }
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n## Findings\n\nWhat the reviewers found.\n"


def write_review(
    repo: Path,
    team: str,
    date: dt.date,
    ratings: Mapping[str, str | None],
    *,
    borough: str = BOROUGH,
    status: str = "presented",
    version: int = 1,
    cases: Sequence[Mapping[str, str]] = (),
    actions: Sequence[Mapping[str, Any]] | None = None,
) -> Path:
    folder = repo / "reviews" / borough / team
    if not (folder / "team.yml").exists():
        write_team(repo, team, borough=borough)
    path = folder / f"{date.isoformat()}.md"
    text = review_text(date, ratings, status=status, version=version, cases=cases, actions=actions)
    path.write_text(text, encoding="utf-8")
    return path


def score(repo: Path, as_of: dt.date = AS_OF) -> Results:
    """Validate ``repo`` (which must be free of errors) and score it."""
    validation = check(repo, as_of)
    assert [p.format_text() for p in validation.problems if p.is_error] == []
    assert validation.programme is not None
    return score_programme(validation.programme, as_of)


def write_version_2(repo: Path) -> None:
    """Framework version 2: S02 retired, S04 (not critical) introduced."""
    standards = repo / "standards"
    framework = standards / "framework.yml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("version: 1", "version: 2"),
        encoding="utf-8",
    )
    s02 = standards / "S02-face-to-face-contact.md"
    text = s02.read_text(encoding="utf-8")
    s02.write_text(
        text.replace("domain: practice\n", "domain: practice\nretired: 2\n"), encoding="utf-8"
    )
    (standards / "S04-new-standard.md").write_text(
        text.replace("id: S02", "id: S04").replace(
            "domain: practice\n", "domain: practice\nintroduced: 2\n"
        ),
        encoding="utf-8",
    )
