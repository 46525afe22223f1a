"""Safe publishing: `qa-site build` swaps a new site in only when it is whole.

A build that fails, late or early, or is killed midway, leaves the previous
site exactly as it was. Exit codes: 0 built, 1 the content or a page stopped
it, 2 a usage or configuration error.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from generator.core.files import staged_folder
from generator.core.progress import Progress
from tests.support.cli import CLI_ENV, console_command, run_cli
from tests.support.repos import copy_repository
from tests.support.sites import BuiltSite


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a digest of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(repo: Path) -> list[str]:
    return sorted(p.name for p in repo.iterdir() if p.name.startswith(".site.") and p.is_dir())


@pytest.fixture
def published_repo(published: BuiltSite) -> Path:
    """A repository with a site built by `qa-site build` (once for the run; read-only)."""
    return published.site.parent


@pytest.fixture
def repo(published_repo: Path, tmp_path: Path) -> Path:
    """A copy of the published repository, site included, for one test to break."""
    copy = tmp_path / "repo"
    shutil.copytree(published_repo, copy)
    return copy


def test_a_build_says_what_it_published_in_plain_lines(published_repo: Path) -> None:
    site = published_repo / "site"
    assert (site / "index.html").is_file()
    assert (site / "sitemap.xml").is_file()
    assert leftovers(published_repo) == []
    # Readable by a web server running as another user, like any folder MkDocs makes.
    assert stat.S_IMODE(site.stat().st_mode) & 0o055 == 0o055


def test_the_summary_line_counts_what_was_published(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    result = run_cli("build", "--root", str(repo), "--as-of", "2017-01-01", cwd=repo)
    assert result.returncode == 0, result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(
        "qa-site build: built site/ (internal edition) from 3 boroughs, 13 teams, "
        "23 presented reviews, 8 board meetings, no warnings ("
    )
    assert "\r" not in result.stderr  # no progress line when not on a terminal
    assert "\x1b[" not in result.stderr  # nor colour


def test_a_build_that_fails_late_keeps_the_previous_site(repo: Path) -> None:
    before = tree(repo / "site")
    # A broken link is found after every page was written: strict mode then aborts.
    guide = repo / "docs/programme.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n[gone](nowhere.md)\n", "utf-8")
    result = run_cli("build", "--root", str(repo), cwd=repo)
    assert result.returncode == 1
    assert "contains a link 'nowhere.md', but the target is not found" in result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stderr
    assert result.stderr.endswith("qa-site build: not built; site/ was left as it was\n")
    assert tree(repo / "site") == before
    assert leftovers(repo) == []


def test_a_build_stopped_by_content_keeps_the_previous_site(repo: Path) -> None:
    before = tree(repo / "site")
    review = repo / "reviews/kensington-chelsea/hospital/2012-01-26.md"
    review.write_text(
        review.read_text(encoding="utf-8").replace("status: presented", "status: presnted", 1),
        encoding="utf-8",
    )
    result = run_cli("build", "--root", str(repo), cwd=repo)
    assert result.returncode == 1
    assert "reviews/kensington-chelsea/hospital/2012-01-26.md:2: status: " in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(repo / "site") == before
    assert leftovers(repo) == []


def test_a_build_killed_midway_keeps_the_previous_site(repo: Path) -> None:
    before = tree(repo / "site")
    process = subprocess.Popen(
        console_command("build", "--root", str(repo)),
        cwd=repo,
        env=CLI_ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Wait until the new site is half written, then kill the build outright. Its
    # papers come first, which take a while when none is kept from an earlier run.
    deadline = time.monotonic() + 300
    written: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:
        staging = [p for p in repo.glob(".site.staging.*") if p.is_dir()]
        written = [p for s in staging for p in s.rglob("index.html")]
        if len(written) >= 5:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the build finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(written) >= 5
    assert tree(repo / "site") == before
    assert len(leftovers(repo)) == 1  # the half-written site, never served

    again = run_cli("build", "--root", str(repo), cwd=repo)
    assert again.returncode == 0, again.stderr
    assert leftovers(repo) == []
    assert tree(repo / "site") == before  # same content, same as-of date: same bytes


def test_two_builds_never_swap_at_once(repo: Path) -> None:
    with open(repo / ".site.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_cli("build", "--root", str(repo), cwd=repo)
    assert result.returncode == 2
    assert f"another run is writing {repo / 'site'} now" in result.stderr


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "mine.txt").write_text("keep me", encoding="utf-8")
    result = run_cli("build", "--root", str(repo), "-d", str(notes), cwd=repo)
    assert result.returncode == 2
    assert "has no index.html); the build replaces its folder whole" in result.stderr
    assert tree(notes) == {"mine.txt": hashlib.sha256(b"keep me").hexdigest()}


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("      as_of: 2017-01-01\n", "      as_of: soon\n", "expected a date written"),
        ("      as_of: 2017-01-01\n", "      as_of: 2012-13-45\n", "month must be in 1..12"),
        ("theme:\n  name: material\n", "theme:\n  name: no-such-theme\n", "no-such-theme"),
    ],
    ids=["plugin-option", "yaml-date", "theme"],
)
def test_a_configuration_error_exits_2(
    tmp_path: Path, before: str, after: str, message: str
) -> None:
    repo = copy_repository(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert before in text
    config.write_text(text.replace(before, after), encoding="utf-8")
    result = run_cli("build", "--root", str(repo), cwd=repo)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (repo / "site").exists()


# --------------------------------------------------------------------------
# Progress on a terminal


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_waits_a_moment_then_redraws_one_line() -> None:
    out, clock = io.StringIO(), FakeClock()
    progress = Progress(out, enabled=True, delay=0.5, clock=clock)
    progress.update("Reading content", 10)
    assert out.getvalue() == ""  # a short run shows nothing
    clock.now = 0.6
    progress.update("Reading content", 20)
    clock.now = 0.65
    progress.update("Reading content", 21)  # too soon to redraw
    clock.now = 0.8
    progress.update("Writing pages", 3, 103)
    progress.clear()
    assert out.getvalue() == ("\rReading content: 20\rWriting pages: 3/103\r                    \r")


def test_progress_is_silent_off_a_terminal() -> None:
    out, clock = io.StringIO(), FakeClock()
    progress = Progress.for_stream(out)
    clock.now = 10
    progress.update("Reading content", 1)
    progress.clear()
    assert (progress.enabled, out.getvalue()) == (False, "")


def test_the_swap_keeps_what_the_build_does_not_make(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    (site / ".htaccess").write_text("Require ip 10.0.0.0/8", encoding="utf-8")
    (site / ".git").mkdir()
    (site / ".git/HEAD").write_text("ref: refs/heads/pages", encoding="utf-8")
    site.chmod(0o2750)
    with staged_folder(site) as staging:
        (staging / "index.html").write_text("new", encoding="utf-8")
    assert tree(site) == {
        ".git/HEAD": hashlib.sha256(b"ref: refs/heads/pages").hexdigest(),
        ".htaccess": hashlib.sha256(b"Require ip 10.0.0.0/8").hexdigest(),
        "index.html": hashlib.sha256(b"new").hexdigest(),
    }
    assert stat.S_IMODE(site.stat().st_mode) == 0o2750
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_site_moved_aside_by_a_killed_swap_is_put_back(tmp_path: Path) -> None:
    # Killed between the two renames: the old site is aside and nothing is in place.
    aside = tmp_path / ".site.old.x1y2"
    aside.mkdir()
    (aside / "site").mkdir()
    (aside / "site/index.html").write_text("the last good site", encoding="utf-8")
    (tmp_path / ".site.staging.z3").mkdir()
    with pytest.raises(RuntimeError), staged_folder(tmp_path / "site"):
        raise RuntimeError("the next build fails too")
    assert (tmp_path / "site/index.html").read_text(encoding="utf-8") == "the last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_folder_that_cannot_be_made_is_a_usage_error(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = run_cli("build", "--root", str(repo), "-d", str(tmp_path / "a-file/site"), cwd=repo)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert f"{tmp_path / 'a-file'}" in result.stderr
