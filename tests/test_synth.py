"""`qa-site synth`: an invented programme, valid by construction and the same for a seed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.check.repository import check
from generator.score.results import score_programme
from generator.workflow.synth.plan import Plan
from generator.workflow.synth.repository import write_programme
from tests.support.cli import run_cli
from tests.support.paths import ROOT
from tests.support.trees import files_of

# Long after any programme synth writes ends: it never dates anything after 2025.
LATER = "2026-01-01"
SMALL = ("--boroughs", "2", "--teams", "3", "--years", "4")


def synth(out: Path, *args: str) -> str:
    """Run ``qa-site synth`` into ``out``; its summary line."""
    made = run_cli("synth", str(out), *args)
    assert made.returncode == 0, made.stderr
    assert made.stdout == ""
    return made.stderr


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Two boroughs of three teams over four years, and the summary line."""
    out = tmp_path_factory.mktemp("synth") / "programme"
    return out, synth(out, *SMALL, "--seed", "7")


def test_a_small_programme_validates_strictly(small: tuple[Path, str]) -> None:
    out, _ = small
    checked = run_cli("validate", "--strict", "--root", str(out), "--as-of", LATER)
    assert (checked.returncode, checked.stdout) == (0, ""), checked.stdout


def test_it_validates_on_any_day_after_the_programme(tmp_path: Path) -> None:
    plan = Plan(boroughs=1, teams=8, years=3, seed=3)
    out = tmp_path / "programme"
    write_programme(out, ROOT, plan)
    for today in (plan.end, plan.end + dt.timedelta(days=1), dt.date(2031, 5, 17)):
        problems = check(out, today).problems
        assert problems == [], (today, problems[:3])


def test_the_rulebook_and_the_site_are_copied_byte_for_byte(small: tuple[Path, str]) -> None:
    out, _ = small
    for part in ("standards", "docs", "site_templates"):
        copied = files_of(out / part)
        assert copied == files_of(ROOT / part)
    # All but the as-of date the sample pins for its own time: the synthetic programme
    # has dates of its own, and is shown as of the day it is built.
    sample = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    copied = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "as_of" in sample and "as_of" not in copied
    line = "      as_of: 2017-01-01\n"
    pin = sample[sample.index("  - qa-site:\n") : sample.index(line) + len(line)]
    assert copied == sample.replace(pin, "  - qa-site\n")


def test_the_summary_counts_what_was_written(small: tuple[Path, str]) -> None:
    out, summary = small
    reviews = reviews_of(out)
    meetings = list(out.glob("reviews/*/governance/*.md"))
    assert summary == (
        f"qa-site synth: wrote {out}: 2 boroughs, 6 teams, {len(reviews)} reviews, "
        f"{len(meetings)} meetings\n"
    )
    assert len(list(out.glob("reviews/*/borough.yml"))) == 2
    assert len(list(out.glob("reviews/*/*/team.yml"))) == 6


def reviews_of(out: Path) -> list[Path]:
    return [p for p in out.glob("reviews/*/*/*.md") if p.parent.name != "governance"]


def test_the_same_seed_writes_the_same_files(small: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = small
    synth(tmp_path / "again", *SMALL, "--seed", "7")
    synth(tmp_path / "other", *SMALL, "--seed", "8")
    assert files_of(tmp_path / "again") == files_of(out)
    assert files_of(tmp_path / "other") != files_of(out)


def test_each_review_comes_when_the_last_rating_said(tmp_path: Path) -> None:
    out = tmp_path / "programme"
    write_programme(out, ROOT, Plan(boroughs=2, teams=8, years=8, seed=5))
    as_of = dt.date.fromisoformat(LATER)
    programme = check(out, as_of).programme
    assert programme is not None
    results = score_programme(programme, as_of)
    intervals = {rating: 0 for rating in results.rules.labels}
    for team in results.teams:
        for earlier, later in zip(team.history, team.history[1:], strict=False):
            assert earlier.next_review_due == later.record.date, team.record.id
            assert earlier.overall.rating is not None
            intervals[earlier.overall.rating] += 1
    # The programme has every rating, so every interval of the framework is tried.
    assert all(intervals.values()), intervals


def test_reviews_have_four_to_ten_case_audits_and_cover_their_low_ratings(
    small: tuple[Path, str],
) -> None:
    out, _ = small
    programme = check(out, dt.date.fromisoformat(LATER)).programme
    assert programme is not None
    assert programme.reviews
    for record in programme.reviews:
        assert 4 <= len(record.review.cases) <= 10, record.source.path
        refs = [case.ref for case in record.review.cases]
        assert all(ref and re.fullmatch(r"B\d\d-[A-Z0-9]+-\d{4}-\d\d", ref) for ref in refs)
        for action in record.review.actions:
            assert action.due > record.date


def test_some_team_closes_and_is_not_reviewed_after(small: tuple[Path, str]) -> None:
    out, _ = small
    programme = check(out, dt.date.fromisoformat(LATER)).programme
    assert programme is not None
    closed = [t for t in programme.teams if t.team.closed is not None]
    assert closed
    for team in closed:
        assert team.reviews
        assert all(r.date < team.team.closed for r in team.reviews if team.team.closed)


def test_a_long_programme_still_ends_before_2026() -> None:
    assert Plan(years=10).start == dt.date(2010, 1, 4)
    assert Plan(years=10).end == dt.date(2020, 1, 3)
    assert Plan(years=40).end < dt.date(2026, 1, 1)
    assert Plan(years=40).end - Plan(years=40).start > dt.timedelta(days=365 * 40 - 2)


def test_it_builds(tmp_path: Path) -> None:
    out = tmp_path / "programme"
    synth(out, "--boroughs", "1", "--teams", "2", "--years", "2")
    site = tmp_path / "site"
    built = run_cli("build", "--root", str(out), "-d", str(site), "--as-of", LATER)
    assert built.returncode == 0, built.stderr
    assert (site / "index.html").is_file()


def test_it_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    out = tmp_path / "programme"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = run_cli("synth", str(out), "--boroughs", "1", "--teams", "1", "--years", "1")
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    out = tmp_path / "programme"
    out.mkdir()
    synth(out, "--boroughs", "1", "--teams", "1", "--years", "1")
    assert (out / "standards" / "framework.yml").is_file()
    assert list(out.glob("reviews/borough-01/*/team.yml"))
