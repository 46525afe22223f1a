"""A reviewer's pull request, played end to end in a real Git repository.

Scaffold a review, fill it in, validate it, present it, commit it on a
branch, summarise the change against main, merge; then try to rewrite the
presented review, first without an amendment (refused, naming the file and
line) and then with one (accepted, and shown on the review page).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.paths import ROOT

TEAM = "hammersmith-fulham/learning-disability"
NEW = f"reviews/{TEAM}/2016-12-05.md"
# The sample runs to 2016; the new review comes after it, under framework version 2.
AS_OF = "2017-01-01"


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=Quality Reviewer", "-c", "user.email=qa@council.example", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A council's repository: the sample programme committed on main."""
    repo = tmp_path / "council"
    for name in ("standards", "reviews", "docs", "site_templates"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy2(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "The programme so far")
    return repo


def qa(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "--root", str(repo), cwd=repo)


def fill_in(text: str) -> str:
    """What a reviewer types into the scaffold: every standard rated, two case
    audits, an action for the critical standard rated below Good."""
    text = text.replace("status: draft", "status: presented")
    text = text.replace("reviewers: []", "reviewers: [{name: Quality Reviewer, role: lead}]")
    text = re.sub(r"(?m)^  (S\d\d):(?= )", lambda m: f"  {m.group(1)}: Good", text)
    text = text.replace("  S07: Good", "  S07: Adequate", 1)
    refs = iter(["HF-LD-2016-01", "HF-LD-2016-02"])
    text = re.sub(r"(?m)^  - ref:", lambda m: f"  - ref: {next(refs)}", text)
    text = text.replace("grades: {}", "grades: {S07: Adequate, S12: Good}")
    text = text.replace(
        "actions: []",
        "actions:\n  - {id: A1, standards: [S07], action: Record the person's outcomes in "
        "every enquiry., owner: Team manager, due: 2017-03-31, status: open}",
    )
    return text.replace("### Strengths\n", "### Strengths\n\nVisits are now face to face.\n")


def line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


def test_a_review_from_scaffold_to_an_amended_record(repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "--quiet", "-b", "review/hf-ld-2016-12")

    # Scaffold: a draft that validates as it stands.
    made = qa(repo, "new", "review", TEAM, "--date", "2016-12-05", "--workers", "2")
    assert made.returncode == 0, made.stderr
    assert made.stderr == (f"qa-site new: wrote {NEW} (a draft); check it with: qa-site validate\n")
    review = repo / NEW
    # In the standards of the framework version in force on its date: version 2 from 2015-04-01.
    scaffold = review.read_text(encoding="utf-8")
    assert "\nframework_version: 2\n" in scaffold
    retired = ("S03", "S06", "S25", "S40")
    version_2 = [f"S{n:02d}" for n in range(1, 55) if f"S{n:02d}" not in retired]
    assert sorted(re.findall(r"(?m)^  (S\d\d):", scaffold)) == version_2
    checked = qa(repo, "validate", "--strict", "--as-of", AS_OF)
    assert (checked.returncode, checked.stdout) == (0, "")

    # Presented with a blank left: refused, naming the standard and its line.
    draft = review.read_text(encoding="utf-8")
    review.write_text(fill_in(draft).replace("  S33: Good", "  S33:"), encoding="utf-8")
    blank = qa(repo, "validate", "--as-of", AS_OF)
    assert blank.returncode == 1
    assert blank.stdout == (
        f"{NEW}:{line_of(review, '  S33:')}: ratings.S33: no rating given; a presented "
        "review rates every standard\n"
    )

    # Filled in properly, presented, committed on the branch.
    review.write_text(fill_in(draft), encoding="utf-8")
    checked = qa(repo, "validate", "--strict", "--as-of", AS_OF)
    assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout
    git(repo, "add", NEW)
    git(repo, "commit", "--quiet", "-m", "Review of H&F learning disability, December 2016")

    # What the pull request does to the results, and the lifecycle check.
    summary = qa(repo, "diff", "main", "HEAD", "--as-of", AS_OF)
    assert summary.returncode == 0, summary.stderr
    report = summary.stdout
    assert report.startswith(
        "## Effect on results\n\n`main` compared with `HEAD`, as of 1 January 2017.\n"
    )
    row = next(line for line in report.splitlines() if "Learning Disability Team |" in line)
    assert row.startswith("| H&F Learning Disability Team | ")
    assert "(review of 22 September 2011) | Good, " in row
    assert "(review of 5 December 2016) |" in row
    # Across the revision only the standards both versions share with one meaning compare,
    # each named as the newer review's version words it.
    assert "framework version 1 to 2" in row
    re_rated = re.search(r"(\d+) standards of those both versions share re-rated", row)
    assert re_rated is not None, row
    table = report.split("H&F Learning Disability Team: standards whose rating changed", 1)[1]
    rows = [line for line in table.split("\n\n", 2)[1].splitlines() if re.match(r"\| S\d", line)]
    assert len(rows) == int(re_rated.group(1))
    retired_or_new = ("S03", "S06", "S25", "S40", "S51", "S52", "S53", "S54")
    assert not any(line.startswith(f"| {s} ") for line in rows for s in retired_or_new)
    assert f"- H&F Learning Disability Team, review of 5 December 2016 (`{NEW}`)" in report
    assert "| H&F Learning Disability Team, review of 5 December 2016 | A1: Record" in (report)
    assert "No change to results." not in report
    lifecycle = qa(repo, "validate", "--base", "main", "--as-of", AS_OF)
    assert (lifecycle.returncode, lifecycle.stdout) == (0, ""), lifecycle.stdout

    # Merged. A later change rewrites a presented rating without saying why.
    git(repo, "checkout", "--quiet", "main")
    git(repo, "merge", "--quiet", "--ff-only", "review/hf-ld-2016-12")
    git(repo, "checkout", "--quiet", "-b", "fix/hf-ld-s01")
    presented = review.read_text(encoding="utf-8")
    review.write_text(presented.replace("  S01: Good", "  S01: Outstanding"), encoding="utf-8")
    refused = qa(repo, "validate", "--base", "main", "--as-of", AS_OF)
    assert refused.returncode == 1
    assert refused.stdout == (
        f"{NEW}:{line_of(review, '  S01:')}: ratings.S01: S01 changed from Good to Outstanding "
        "after the review was presented (at main); add an entry to amendments (date, reason, "
        "by: a role) saying why, or undo the change\n"
    )
    assert qa(repo, "diff", "main", "--as-of", AS_OF).returncode == 0

    # With an amendment, the change is accepted and the record shows it.
    amended = review.read_text(encoding="utf-8").replace(
        "\n---\n## Findings",
        "\namendments:\n  - {date: 2016-12-28, reason: S01 re-rated Outstanding after the "
        "duty log was read., by: Head of quality assurance}\n---\n## Findings",
    )
    review.write_text(amended, encoding="utf-8")
    accepted = qa(repo, "validate", "--strict", "--base", "main", "--as-of", AS_OF)
    assert (accepted.returncode, accepted.stdout) == (0, ""), accepted.stdout
    summary = qa(repo, "diff", "main", "--as-of", AS_OF)
    assert (
        f"- H&F Learning Disability Team, review of 5 December 2016 (`{NEW}`):\n"
        "  - amendment: S01 re-rated Outstanding after the duty log was read. (Head of "
        "quality assurance, 28 December 2016)\n"
        "  - S01 changed from Good to Outstanding\n" in summary.stdout
    )

    site = tmp_path / "site"
    built = qa(repo, "build", "-d", str(site), "--as-of", AS_OF)
    assert built.returncode == 0, built.stderr
    page = (site / f"teams/{TEAM}/2016-12-05/index.html").read_text(encoding="utf-8")
    assert "Amended after it was presented</strong>, most recently on 28 December 2016" in page
    assert (
        '<tr><td data-label="Date">28 December 2016</td><td data-label="What changed and why">'
        "S01 re-rated Outstanding after the duty log was read.</td>"
        '<td data-label="Agreed by">Head of quality assurance</td></tr>' in page
    )
