"""Validate: the cross-file rules, partial salvage, and what the CLI prints."""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import subprocess
from pathlib import Path

from generator.check.repository import check
from tests.support.cli import CLI_ENV, console_command, interruptible, run_cli
from tests.support.repos import RepoFactory

TEAM = "reviews/hammersmith-fulham/learning-disability"


def review(status: str = "presented", ratings: str = "S01: Good\n  S02: Good\n  S03: Good") -> str:
    return f"""---
status: {status}
framework_version: 1
reviewers:
  - {{name: Quality Reviewer, role: lead}}
ratings:
  {ratings}
---
## Findings
"""


def test_the_base_repository_is_clean(make_repo: RepoFactory) -> None:
    result = run_cli("validate", "--root", str(make_repo()))
    assert result.returncode == 0
    assert result.stdout == ""
    assert re.fullmatch(
        r"qa-site validate: no problems: 3 standards, 1 borough, 1 team, 1 review, 1 meeting "
        r"\(\d+\.\d s\)\n",
        result.stderr,
    )


def test_the_programme_holds_what_was_validated_in_order(make_repo: RepoFactory) -> None:
    repo = make_repo({f"{TEAM}/2011-09-22.md": review(), f"{TEAM}/2010-01-05.md": review()})
    validation = check(repo, dt.date(2012, 1, 1))
    assert validation.problems == []
    programme = validation.programme
    assert programme is not None
    team = programme.boroughs["hammersmith-fulham"].teams["learning-disability"]
    assert [r.date for r in team.reviews] == [
        dt.date(2010, 1, 5),
        dt.date(2010, 12, 9),
        dt.date(2011, 9, 22),
    ]
    assert team.reviews[1].review.ratings["S02"].note == "Few face-to-face visits in the sample."
    assert team.reviews[1].findings.startswith("## Findings")
    assert [s.id for s in programme.standards_in(1)] == ["S01", "S02", "S03"]
    assert programme.meetings[0].meeting.cases[0].ref == "HF-LD-2011-04"


def test_a_draft_may_leave_ratings_blank_or_out(make_repo: RepoFactory) -> None:
    repo = make_repo({f"{TEAM}/2012-07-12.md": review("draft", "S01:\n  S02: Inadequate")})
    result = run_cli("validate", "--root", str(repo))
    assert (result.returncode, result.stdout) == (0, "")


def test_a_completed_review_may_not(make_repo: RepoFactory) -> None:
    repo = make_repo({f"{TEAM}/2012-07-12.md": review("completed", "S01:\n  S02: Good")})
    result = run_cli("validate", "--root", str(repo))
    path = f"{TEAM}/2012-07-12.md"
    assert result.stdout.splitlines() == [
        f"{path}:6: ratings.S03: S03 is not rated; a completed review rates every standard "
        "of framework version 1",
        f"{path}:7: ratings.S01: no rating given; a completed review rates every standard",
    ]
    assert result.returncode == 1


def test_shape_problems_do_not_hide_cross_file_problems(make_repo: RepoFactory) -> None:
    text = review(
        ratings="S01: Good\n  S02: {rating: Good, notes: x}\n  S03: Adequete\n  S09: Good"
    )
    repo = make_repo({f"{TEAM}/2011-09-22.md": text})
    result = run_cli("validate", "--root", str(repo))
    path = f"{TEAM}/2011-09-22.md"
    assert result.stdout.splitlines() == [
        f"{path}:8: ratings.S02.notes: unknown key; did you mean 'note'?",
        f"{path}:9: ratings.S03: 'Adequete' is not a rating on the scale; did you mean 'Adequate'?",
        f"{path}:10: ratings.S09: no standard 'S09' in the catalogue",
    ]


def test_salvaged_list_items_keep_their_own_line_numbers(make_repo: RepoFactory) -> None:
    text = review().replace(
        "---\n## Findings",
        """actions:
  - {id: A1, standards: [S01], action: x, owner: Team manager, due: 2011-02-30, status: open}
  - {id: A2, standards: [S01], action: x, owner: Team manager, due: 2011-01-01, status: open}
---
## Findings""",
    )
    repo = make_repo({f"{TEAM}/2011-09-22.md": text})
    result = run_cli("validate", "--root", str(repo))
    path = f"{TEAM}/2011-09-22.md"
    assert result.stdout.splitlines() == [
        f"{path}:11: actions[0].due: '2011-02-30' is not a real calendar date",
        f"{path}:12: actions[1].due: due 2011-01-01, which is not after the date of the file "
        "(2011-09-22)",
    ]


def test_naming_a_file_reports_only_its_problems(make_repo: RepoFactory) -> None:
    repo = make_repo(
        {
            f"{TEAM}/2011-09-22.md": review(ratings="S01: Good"),
            f"{TEAM}/2011-10-22.md": review(ratings="S01: Good"),
        }
    )
    result = run_cli("validate", f"{TEAM}/2011-10-22.md", cwd=repo)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        f"{TEAM}/2011-10-22.md"
    ] * 2
    assert result.returncode == 1


def test_github_format_escapes_what_annotations_cannot_hold(make_repo: RepoFactory) -> None:
    repo = make_repo(
        {f"{TEAM}/2011-09-22.md": review(ratings="S01: Good\n  S02: 50%\n  S03: Good")}
    )
    result = run_cli("validate", "--root", str(repo), "--format", "github")
    assert result.stdout.splitlines() == [
        f"::error file={TEAM}/2011-09-22.md,line=8,title=ratings.S02::'50%25' is not a rating "
        "on the scale; expected one of: Outstanding, Good, Adequate, Inadequate"
    ]


def test_json_format_is_a_list_of_problems(make_repo: RepoFactory) -> None:
    repo = make_repo({f"{TEAM}/2011-09-22.md": review(ratings="S01: Good\n  S02: Good")})
    result = run_cli("validate", "--root", str(repo), "--format", "json")
    assert json.loads(result.stdout) == [
        {
            "file": f"{TEAM}/2011-09-22.md",
            "line": 6,
            "field": "ratings.S03",
            "message": "S03 is not rated; a presented review rates every standard of framework "
            "version 1",
            "severity": "error",
        }
    ]


def test_warnings_pass_unless_strict(make_repo: RepoFactory) -> None:
    text = review().replace("---\n## Findings", "cases:\n  - {ref: HF-1, worker: W01}\n---\n")
    repo = make_repo({f"{TEAM}/2011-09-22.md": text})
    relaxed = run_cli("validate", "--root", str(repo))
    strict = run_cli("validate", "--root", str(repo), "--strict")
    expected = [f"{TEAM}/2011-09-22.md:11: cases[0]: warning: case audit has no grades"]
    assert relaxed.stdout.splitlines() == expected == strict.stdout.splitlines()
    assert (relaxed.returncode, strict.returncode) == (0, 1)


def test_a_folder_without_a_framework_is_a_usage_error(tmp_path: object) -> None:
    result = run_cli("validate", "--root", str(tmp_path))
    assert result.returncode == 2
    assert "has no standards/framework.yml" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_path_is_a_usage_error(make_repo: RepoFactory) -> None:
    result = run_cli("validate", "reviews/nowhere.md", cwd=make_repo())
    assert result.returncode == 2
    assert "reviews/nowhere.md does not exist" in result.stderr


def test_the_summary_file_gets_every_problem_as_a_table(
    make_repo: RepoFactory, tmp_path: Path
) -> None:
    repo = make_repo({f"{TEAM}/2011-09-22.md": review("presented", "S01: Brilliant")})
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps", encoding="utf-8")  # a step that ended mid-line
    result = run_cli(
        "validate", "--format", "github", "--summary", str(summary), "--root", str(repo)
    )
    assert result.returncode == 1
    text = summary.read_text(encoding="utf-8")
    head, table = text.split("| File | Line | Field | Problem |\n|---|---|---|---|\n")
    assert head.startswith("earlier steps\n### Content check\n\nqa-site validate: 3 errors, ")
    assert table == (
        f"| {TEAM}/2011-09-22.md | 6 | ratings.S02 | S02 is not rated; a presented review "
        "rates every standard of framework version 1 |\n"
        f"| {TEAM}/2011-09-22.md | 6 | ratings.S03 | S03 is not rated; a presented review "
        "rates every standard of framework version 1 |\n"
        f"| {TEAM}/2011-09-22.md | 7 | ratings.S01 | 'Brilliant' is not a rating on the "
        "scale; expected one of: Outstanding, Good, Adequate, Inadequate |\n"
        "\n"
    )


def test_watch_checks_again_after_each_save(make_repo: RepoFactory) -> None:
    repo = make_repo()
    process = subprocess.Popen(
        interruptible(console_command("validate", "--watch", "--root", str(repo))),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=CLI_ENV,
    )
    assert process.stdout is not None
    try:
        lines = [process.stdout.readline() for _ in range(2)]
        assert lines[0] == "qa-site validate: checking\n"
        assert lines[1].startswith("qa-site validate: no problems: 3 standards")
        path = repo / TEAM / "2010-12-09.md"
        path.write_text(
            path.read_text(encoding="utf-8").replace("S03: Good", "S03: Goood"), encoding="utf-8"
        )
        lines = [process.stdout.readline() for _ in range(3)]
        assert lines[0] == "qa-site validate: checking\n"
        assert lines[1] == (
            f"{TEAM}/2010-12-09.md:10: ratings.S03: 'Goood' is not a rating on the scale; "
            "did you mean 'Good'?\n"
        )
        assert lines[2].startswith("qa-site validate: 1 error, 0 warnings: 3 standards")
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
