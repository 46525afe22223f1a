"""The personal-data guard on real content: what stops a build, and where it says.

Findings are planted in a copy of the sample content. Where partners would
read them (a review, note or meeting marked for partners) and in case
references they stop `qa-site validate` and `qa-site build` with the file and
line; in internal text they are warnings. The value found is never printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.cli import CliResult, run_cli
from tests.support.paths import ROOT
from tests.support.repos import RepoFactory, copy_repository

SHARED_REVIEW = "reviews/hammersmith-fulham/learning-disability/2011-09-22.md"
INTERNAL_REVIEW = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
SHARED_MEETING = "reviews/hammersmith-fulham/governance/2012-04-19.md"
SHARED_NOTE_REVIEW = "reviews/kensington-chelsea/hospital/2012-01-26.md"
NHS_NUMBER = "943 476 5919"  # passes the Modulus 11 check
POSTCODE = "W6 9JU"
NAME = "Margaret Hollis"


def _qa_site(repo: Path, *args: str, **env: str) -> CliResult:
    return run_cli(*args, cwd=repo, env=env)


def _append_line(path: Path, text: str) -> int:
    """Add a line to the end of a Markdown file; its line number."""
    content = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(content, encoding="utf-8")
    return len(content.splitlines())


def _replace(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) and return the line it is on."""
    content = path.read_text(encoding="utf-8")
    assert content.count(old) == 1, old
    path.write_text(content.replace(old, new), encoding="utf-8")
    return content[: content.index(old)].count("\n") + 1


def test_planted_personal_data_in_partner_content_fails_the_build(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    deny = tmp_path / "names.txt"  # outside the repository, as the council keeps it
    deny.write_text(f"# exported from the case management system\n{NAME}\n", encoding="utf-8")
    nhs_line = _append_line(
        repo / SHARED_REVIEW, f"The person's NHS number, {NHS_NUMBER}, was on the referral."
    )
    postcode_line = _replace(
        repo / SHARED_NOTE_REVIEW,
        "note: Concerns raised on the wards are triaged the same day.",
        f"note: Concerns raised on the wards near {POSTCODE} are triaged the same day.",
    )
    name_line = _append_line(repo / SHARED_MEETING, f"{NAME} attended with her daughter.")
    (repo / "site").mkdir()
    (repo / "site" / "index.html").write_text("the last good site\n", encoding="utf-8")

    result = _qa_site(repo, "build", "--deny-list", str(deny))

    assert result.returncode == 1
    assert (
        f"{SHARED_REVIEW}:{nhs_line}: body: an NHS number in text partner boroughs would read"
        in result.stderr
    )
    assert (
        f"{SHARED_NOTE_REVIEW}:{postcode_line}: ratings.S01.note: a UK postcode in text "
        "partner boroughs would read" in result.stderr
    )
    assert (
        f"{SHARED_MEETING}:{name_line}: body: a name on the deny-list in text partner "
        "boroughs would read" in result.stderr
    )
    assert "3 errors in the content; nothing was built" in result.stderr
    for value in (NHS_NUMBER, POSTCODE, NAME):
        assert value not in result.stderr + result.stdout
    assert (repo / "site" / "index.html").read_text(encoding="utf-8") == "the last good site\n"


def test_the_deny_list_can_come_from_the_environment(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    deny = tmp_path / "names.txt"
    deny.write_text(f"{NAME}\n", encoding="utf-8")
    line = _append_line(repo / SHARED_MEETING, f"{NAME.upper()} attended.")
    result = _qa_site(repo, "validate", QA_SITE_DENY_LIST=str(deny))
    assert result.returncode == 1
    assert result.stdout == (
        f"{SHARED_MEETING}:{line}: body: a name on the deny-list in text partner boroughs "
        "would read; service users appear only by case reference and staff by role (if it is "
        "not personal data, say why at the end of the line: '<!-- pii-ok: reason -->')\n"
    )
    # Without the list, names cannot be found: the same content passes.
    assert _qa_site(repo, "validate").returncode == 0


def test_a_missing_deny_list_is_refused_not_skipped(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    result = _qa_site(repo, "validate", "--deny-list", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert "cannot read the deny-list" in result.stderr
    result = _qa_site(repo, "build", QA_SITE_DENY_LIST=str(tmp_path / "missing.txt"))
    assert result.returncode != 0
    assert "cannot read the deny-list" in result.stderr


def test_a_deny_list_inside_the_published_docs_is_refused(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (repo / "docs" / "names.txt").write_text(f"{NAME}\n", encoding="utf-8")
    result = _qa_site(repo, "build", "--deny-list", str(repo / "docs" / "names.txt"))
    assert result.returncode == 2
    assert "which is published or replaced whole; keep it outside the site" in result.stderr
    assert not (repo / "site").exists()


def test_internal_text_gives_a_warning_and_references_an_error(make_repo: RepoFactory) -> None:
    repo = make_repo()
    review = repo / "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    body_line = _append_line(review, f"Seen at home, {POSTCODE}.")
    ref_line = _replace(review, "ref: HF-LD-2010-01", "ref: '9434765919'")
    result = run_cli("validate", cwd=repo)
    assert result.returncode == 1
    path = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    assert result.stdout.splitlines() == [
        f"{path}:{ref_line}: cases[0].ref: an NHS number in a case or worker reference; service "
        "users appear only by case reference and staff by role (if it is not personal data, "
        "say why at the end of the line: '# pii-ok: reason')",
        f"{path}:{body_line}: body: warning: a UK postcode in internal text; service users "
        "appear only by case reference and staff by role (if it is not personal data, say "
        "why at the end of the line: '<!-- pii-ok: reason -->')",
    ]


def test_a_pii_ok_marker_with_a_reason_accepts_a_finding_and_is_reported(
    tmp_path: Path,
) -> None:
    repo = copy_repository(tmp_path / "repo")
    line = _append_line(
        repo / SHARED_REVIEW,
        "Referrals go to the duty line, 020 7946 0018. "
        "<!-- pii-ok: the team's public duty number, on the council's website -->",
    )
    unexplained = _append_line(repo / SHARED_MEETING, "Write to qa@example.org. <!-- pii-ok -->")
    summary = tmp_path / "summary.md"
    result = _qa_site(repo, "validate", "--summary", str(summary))
    assert result.returncode == 1
    assert result.stdout == (
        f"{SHARED_MEETING}:{unexplained}: body: an email address in text partner boroughs "
        "would read; service users appear only by case reference and staff by role (a pii-ok "
        "marker needs a reason, e.g. '<!-- pii-ok: reason -->')\n"
    )
    report = summary.read_text(encoding="utf-8")
    assert (
        "| File | Line | Field | Looks like | Reason given |\n|---|---|---|---|---|\n"
        f"| {SHARED_REVIEW} | {line} | body | a phone number | the team's public duty number, "
        "on the council's website |\n"
    ) in report

    listing = _qa_site(repo, "privacy")
    assert listing.returncode == 1
    assert (
        f"{SHARED_REVIEW}:{line}: body: a phone number: accepted: the team's public duty "
        "number, on the council's website\n"
    ) in listing.stdout
    assert "qa-site privacy: 1 error, 0 warnings, 1 finding accepted with pii-ok" in (
        listing.stderr
    )


def test_the_sample_content_has_no_findings() -> None:
    result = run_cli("privacy")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "0 errors, 0 warnings, 0 findings accepted" in result.stderr


def test_unquoted_numbers_are_scanned_too(make_repo: RepoFactory) -> None:
    repo = make_repo()
    review = repo / "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    ref_line = _replace(review, "ref: HF-LD-2010-01", "ref: 9434765919")
    owner_line = _replace(review, "owner: Team manager", "owner: 4505577104")
    result = run_cli("validate", cwd=repo)
    assert result.returncode == 1
    path = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    lines = result.stdout.splitlines()
    assert [line.split(";")[0] for line in lines] == [
        f"{path}:{ref_line}: cases[0].ref: an NHS number in a case or worker reference",
        f"{path}:{owner_line}: actions[0].owner: an NHS number in text partner boroughs would read",
    ]
    assert "9434765919" not in result.stdout and "4505577104" not in result.stdout


def test_other_checks_never_print_what_looks_like_personal_data(make_repo: RepoFactory) -> None:
    repo = make_repo()
    review = repo / "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    line = _replace(review, "ref: HF-LD-2010-01", "ref: Jane Doe 943 476 5919")
    deny = repo.parent / "names.txt"
    deny.write_text("Jane Doe\n", encoding="utf-8")
    result = run_cli("validate", "--deny-list", str(deny), cwd=repo)
    assert result.returncode == 1
    path = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    refused = [entry for entry in result.stdout.splitlines() if "may contain only" in entry]
    assert refused == [
        f"{path}:{line}: cases[0].ref: a case reference may contain only capital letters, "
        "digits and single hyphens (like 'HF-LD-2010-01'), got '[a name on the deny-list "
        "withheld] [an NHS number withheld]'"
    ]
    assert "943 476 5919" not in result.stdout and "Jane Doe" not in result.stdout


def test_one_marker_accepts_one_finding_and_never_one_inside_a_value(
    make_repo: RepoFactory,
) -> None:
    repo = make_repo()
    review = repo / "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    path = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    two = _replace(
        review,
        "owner: Team manager",
        "owner: Duty desk 020 7946 0018, W6 9JU  # pii-ok: the team's public duty number",
    )
    result = run_cli("validate", cwd=repo)
    assert result.stdout == (
        f"{path}:{two}: actions[0].owner: a UK postcode in text partner boroughs would read; "
        "service users appear only by case reference and staff by role (each finding on a "
        "line needs its own pii-ok marker, e.g. '# pii-ok: reason')\n"
    )
    text = review.read_text(encoding="utf-8").replace(
        "# pii-ok: the team's public duty number",
        "# pii-ok: the team's public duty number; pii-ok: the office's postcode",
    )
    review.write_text(text, encoding="utf-8")
    assert run_cli("validate", cwd=repo).stdout == ""
    listing = run_cli("privacy", cwd=repo).stdout.splitlines()
    assert listing == [
        f"{path}:{two}: actions[0].owner: a UK postcode: accepted: the office's postcode",
        f"{path}:{two}: actions[0].owner: a phone number: accepted: the team's public duty number",
    ]
    inside = _replace(
        review,
        'note: "Few face-to-face visits in the sample."',
        'note: "Call 020 7946 0018 # pii-ok: duty number"',
    )
    result = run_cli("validate", cwd=repo)
    assert result.stdout.startswith(
        f"{path}:{inside}: ratings.S02.note: warning: a phone number in internal text"
    )
    assert "say why at the end of the line" in result.stdout


def test_markers_are_left_out_of_the_pages(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    _append_line(
        repo / SHARED_REVIEW,
        "Referrals go to the duty line, 020 7946 0018. <!-- pii-ok: the public duty number -->",
    )
    result = _qa_site(repo, "build")
    assert result.returncode == 0, result.stderr
    page_url = "teams/hammersmith-fulham/learning-disability/2011-09-22/"
    text = (repo / "site" / page_url / "index.html").read_text(encoding="utf-8")
    assert "Referrals go to the duty line, 020 7946 0018.</p>" in text
    assert "pii-ok" not in text
    index = json.loads((repo / "site/search/search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith(page_url)]
    assert entries and not any("pii-ok" in d["text"] for d in entries)


def test_a_deny_list_in_the_site_folder_is_refused_and_kept(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    assert _qa_site(repo, "build").returncode == 0
    names = repo / "site" / "names.txt"
    names.write_text(f"{NAME}\n", encoding="utf-8")
    result = _qa_site(repo, "build", "--deny-list", str(names))
    assert result.returncode == 2
    assert "which is published or replaced whole; keep it outside the site" in result.stderr
    assert names.read_text(encoding="utf-8") == f"{NAME}\n"


def test_names_match_however_their_accents_are_typed(make_repo: RepoFactory) -> None:
    repo = make_repo()
    deny = repo.parent / "names.txt"
    deny.write_text("Zo\u00eb Bront\u00eb\n", encoding="utf-8")  # composed
    review = repo / "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    _append_line(review, "Zoe\u0308 Bronte\u0308 was visited.")  # decomposed
    result = run_cli("validate", "--deny-list", str(deny), cwd=repo)
    assert "body: warning: a name on the deny-list in internal text" in result.stdout


def test_plain_mkdocs_refuses_a_deny_list_inside_the_docs_too(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    names = repo / "docs" / "names.txt"
    names.write_text(f"{NAME}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QA_SITE_DENY_LIST": str(names)},
        check=False,
    )
    assert result.returncode == 1
    assert (
        f"qa-site: the deny-list {names} is inside {repo / 'docs'}, which is published; "
        "keep it outside the site"
    ) in result.stderr
    assert not (repo / "site").exists()
