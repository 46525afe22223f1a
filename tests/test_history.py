"""Across revisions: the record is never rewritten silently, and `qa-site diff`.

Each test commits the small base repository as main, changes the working
tree, and runs the command as a reviewer or CI would.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.paths import BASE
from tests.support.repos import RepoFactory

REVIEW = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
MEETING = "reviews/hammersmith-fulham/governance/2011-01-20.md"
AMENDMENT = (
    "amendments:\n"
    "  - {date: 2011-01-10, reason: Grades corrected after the audit was re-read., "
    "by: Head of quality assurance}\n"
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Reviewer", "-c", "user.email=qa@council.example", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def committed(make_repo: RepoFactory) -> Path:
    repo = make_repo()
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "base")
    return repo


def edit(repo: Path, path: str, old: str, new: str) -> None:
    target = repo / path
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def against_main(repo: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("validate", "--base", "main", "--root", str(repo), cwd=repo)


PRESENTED = "after the review was presented (at main); add an entry to amendments (date, reason, "
ADVICE = PRESENTED + "by: a role) saying why, or undo the change"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  S03: Good", "  S03: good", ""),  # the same label, written differently
        ("Safeguarding work was weak.", "Safeguarding work was weak overall.", ""),
        (  # progress on an action is not a rewrite
            "    status: done\n    completed: 2011-02-14\n",
            "    status: open\n",
            "",
        ),
        (
            "S02: {rating: Adequate,",
            "S02: {rating: Good,",
            f"{REVIEW}:9: ratings.S02: S02 changed from Adequate to Good {ADVICE}\n",
        ),
        (
            '  S02: {rating: Adequate, note: "Few face-to-face visits in the sample.", '
            "evidence: [case-audit]}\n",
            "",
            f"{REVIEW}:7: ratings: S02 changed from Adequate to no rating {ADVICE}\n"
            f"{REVIEW}:7: ratings.S02: S02 is not rated; a presented review rates every "
            "standard of framework version 1\n",
        ),
        (
            "grades: {S01: Inadequate, S02: Adequate}",
            "grades: {S01: Adequate, S02: Adequate}",
            f"{REVIEW}:16: cases[0].grades.S01: HF-LD-2010-01's grade on S01 changed from "
            f"Inadequate to Adequate {ADVICE}\n",
        ),
        (
            "    due: 2011-03-31",
            "    due: 2011-06-30",
            f"{REVIEW}:22: actions[0].due: action A1: its due date changed {ADVICE}\n",
        ),
        (
            "actions:\n",
            "actions:\n  - {id: A2, standards: [S02], action: Visit., owner: Team manager, "
            "due: 2011-04-30, status: open}\n",
            f"{REVIEW}:18: actions[0]: action A2 was added {ADVICE}\n",
        ),
        (
            "status: presented",
            "status: completed",
            f"{REVIEW}:2: status: was 'presented' at main; a presented review stays presented\n",
        ),
    ],
    ids=[
        "label-case",
        "findings",
        "action-progress",
        "rating",
        "rating-removed",
        "grade",
        "action-due",
        "action-added",
        "unpresented",
    ],
)
def test_a_presented_review_changes_only_with_an_amendment(
    committed: Path, old: str, new: str, expected: str
) -> None:
    edit(committed, REVIEW, old, new)
    result = against_main(committed)
    assert result.stdout == expected
    assert result.returncode == (1 if expected else 0)
    if expected and "status:" not in expected and "is not rated" not in expected:
        # The same change with an amendment saying why is accepted.
        edit(committed, REVIEW, "---\n## Findings", AMENDMENT + "---\n## Findings")
        accepted = against_main(committed)
        assert (accepted.returncode, accepted.stdout) == (0, "")


def test_amendments_are_only_ever_added(committed: Path) -> None:
    edit(committed, REVIEW, "---\n## Findings", AMENDMENT + "---\n## Findings")
    git(committed, "commit", "--quiet", "-am", "amended")
    edit(committed, REVIEW, "Grades corrected", "Ratings corrected")
    changed = against_main(committed)
    assert changed.stdout == (
        f"{REVIEW}:26: amendments[0]: an amendment recorded before was changed or removed; "
        "amendments are only ever added\n"
    )
    git(committed, "checkout", "--quiet", "--", REVIEW)
    edit(committed, REVIEW, AMENDMENT, "")
    removed = against_main(committed)
    assert removed.stdout == (
        f"{REVIEW}:2: amendments: an amendment recorded before was changed or removed; "
        "amendments are only ever added\n"
    )


def test_a_presented_review_is_never_deleted_or_renamed(committed: Path) -> None:
    (committed / REVIEW).rename(committed / REVIEW.replace("2010-12-09", "2010-12-10"))
    result = against_main(committed)
    assert result.returncode == 1
    assert result.stdout == (
        f"{REVIEW}:1: file: this review was presented (at main) and is the record; it cannot "
        "be deleted or renamed. Restore it; to correct it, change it and add an entry to its "
        "amendments\n"
    )


def test_drafts_and_completed_reviews_change_freely(committed: Path) -> None:
    edit(committed, REVIEW, "status: presented", "status: completed")
    git(committed, "commit", "--quiet", "-am", "not presented after all")
    edit(committed, REVIEW, "S02: {rating: Adequate,", "S02: {rating: Good,")
    assert against_main(committed).returncode == 0
    (committed / REVIEW).unlink()
    assert (against_main(committed).returncode, against_main(committed).stdout) == (0, "")


def test_the_content_may_sit_in_a_folder_of_a_larger_repository(tmp_path: Path) -> None:
    import shutil

    top = tmp_path / "council"
    shutil.copytree(BASE, top / "quality/reviews-site")
    git(top, "init", "--quiet", "--initial-branch=main")
    git(top, "add", ".")
    git(top, "commit", "--quiet", "-m", "base")
    content = top / "quality/reviews-site"
    edit(content, REVIEW, "S02: {rating: Adequate,", "S02: {rating: Good,")
    result = against_main(content)
    assert result.stdout == f"{REVIEW}:9: ratings.S02: S02 changed from Adequate to Good {ADVICE}\n"


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("no-such-branch", "no revision 'no-such-branch' in this repository"),
        ("--help", "'--help' is not a revision"),
    ],
)
def test_an_unknown_revision_is_a_usage_error(committed: Path, revision: str, message: str) -> None:
    result = run_cli("validate", f"--base={revision}", "--root", str(committed), cwd=committed)
    assert result.returncode == 2
    assert message in result.stderr


def test_outside_git_the_base_cannot_be_read(make_repo: RepoFactory) -> None:
    repo = make_repo()
    result = against_main(repo)
    assert result.returncode == 2
    assert "is not in a Git repository" in result.stderr


# --------------------------------------------------------------------------
# qa-site diff


def diff(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("diff", *args, "--root", str(repo), cwd=repo)


def test_no_change_says_so(committed: Path) -> None:
    result = diff(committed, "main")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "## Effect on results\n\n`main` compared with `working tree`, as of 1 January 2017.\n\n"
        "No change to results.\n"
    )


def test_a_draft_changes_nothing_published(committed: Path) -> None:
    (committed / "reviews/hammersmith-fulham/learning-disability/2012-09-03.md").write_text(
        "---\nstatus: draft\nframework_version: 1\nratings:\n  S01: Outstanding\n---\n",
        encoding="utf-8",
    )
    result = diff(committed, "main")
    assert result.stdout.endswith(
        "No change to results.\n\nAlso added or changed, but not published, so with no effect "
        "on results: 1 file (drafts, or reviews not yet presented).\n"
    )
    assert "Outstanding" not in result.stdout


def test_an_amended_rating_and_a_closed_action(committed: Path) -> None:
    edit(committed, REVIEW, "  S01: Inadequate", "  S01: Adequate")
    edit(committed, REVIEW, "---\n## Findings", AMENDMENT + "---\n## Findings")
    edit(committed, MEETING, "status: open}", "status: done, completed: 2011-08-01}")
    result = diff(committed, "main", "--as-of", "2012-07-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "## Effect on results\n\n`main` compared with `working tree`, as of 1 July 2012.\n\n"
        "### Teams\n\n"
        "| Team | Before | After | Change |\n"
        "|---|---|---|---|\n"
        "| H&F Learning Disability Team | Adequate, 50.0% (review of 9 December 2010) | "
        "Adequate, 58.3% (review of 9 December 2010) | +8.3 points; 1 standard re-rated |\n"
        "\n"
        "#### H&F Learning Disability Team: standards whose rating changed\n\n"
        "| Standard | Before | After |\n"
        "|---|---|---|\n"
        "| S01 Safeguarding enquiries are proportionate, timely and person-led | Inadequate | "
        "Adequate |\n"
        "\n"
        "### Reviews amended\n\n"
        f"- H&F Learning Disability Team, review of 9 December 2010 (`{REVIEW}`):\n"
        "  - amendment: Grades corrected after the audit was re-read. (Head of quality "
        "assurance, 10 January 2011)\n"
        "  - S01 changed from Inadequate to Adequate\n"
        "\n"
        "### Actions closed\n\n"
        "| Where | Action | Owner | Due |\n"
        "|---|---|---|---|\n"
        "| H&F board, 20 January 2011 | G1: Supervision audit. | Head of service | "
        "30 September 2011 |\n"
    )


def test_diff_needs_both_sides_valid(committed: Path) -> None:
    edit(committed, REVIEW, "  S03: Good", "  S03: Goood")
    result = diff(committed, "main")
    assert result.returncode == 1
    assert f"{REVIEW}:10: ratings.S03: 'Goood' is not a rating" in result.stderr
    assert "qa-site diff: 1 error; in the working tree; run qa-site validate there first" in (
        result.stderr
    )


def test_a_rulebook_change_that_moves_a_published_result_is_a_warning(committed: Path) -> None:
    edit(committed, "standards/framework.yml", "  Adequate: 39", "  Adequate: 55")
    result = against_main(committed)
    assert result.returncode == 0  # a warning: the rulebook may need to change
    assert result.stdout == (
        f"{REVIEW}:1: file: warning: its published result changes from Adequate (50.0%) to "
        "Inadequate (50.0%) through a change to standards/, though the review itself did not "
        "change; a change to the rulebook re-scores the record, so say why in the pull "
        "request (qa-site diff lists every result it moves)\n"
    )
    assert (
        run_cli(
            "validate", "--strict", "--base", "main", "--root", str(committed), cwd=committed
        ).returncode
        == 1
    )


def test_reordering_an_actions_standards_is_no_change(committed: Path) -> None:
    edit(committed, REVIEW, "    standards: [S01]", "    standards: [S01, S03]")
    git(committed, "commit", "--quiet", "-am", "A1 names S03 too")
    edit(committed, REVIEW, "    standards: [S01, S03]", "    standards: [S03, S01]")
    assert (against_main(committed).returncode, against_main(committed).stdout) == (0, "")
    edit(committed, REVIEW, "    standards: [S03, S01]", "    standards: [S01]")
    assert against_main(committed).stdout == (
        f"{REVIEW}:19: actions[0].standards: action A1: the standards it names changed {ADVICE}\n"
    )


def test_a_rewrite_without_an_amendment_is_not_called_no_change(committed: Path) -> None:
    edit(committed, REVIEW, "S02: {rating: Adequate,", "S02: {rating: Good,")
    result = diff(committed, "main", "--as-of", "2012-07-01")
    assert "No change to results." not in result.stdout
    assert result.stdout.endswith(
        "### Presented reviews changed without an amendment\n\n"
        f"- H&F Learning Disability Team, review of 9 December 2010 (`{REVIEW}`):\n"
        "  - S02 changed from Adequate to Good\n"
    )


def test_sharing_a_presented_review_with_partners_needs_no_amendment(committed: Path) -> None:
    # Who may read the findings is a decision about sharing, not a change to the record.
    edit(committed, REVIEW, "framework_version: 1\n", "framework_version: 1\naudience: partners\n")
    edit(
        committed,
        REVIEW,
        'note: "Few face-to-face visits in the sample.",',
        'note: "Few face-to-face visits in the sample.", audience: internal,',
    )
    result = against_main(committed)
    assert (result.returncode, result.stdout) == (0, "")
