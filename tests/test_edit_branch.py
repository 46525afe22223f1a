"""Save and commit to a branch, in a real Git repository: the commit holds the edited
file alone, on a new branch, and everything else in the working tree stays as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.edit.branch import Committed, branch_for, commit_to_branch, pull_request_url
from generator.edit.refusals import EditRefused

REVIEW = "reviews/hammersmith-fulham/learning-disability/2017-03-01.md"
MINUTES = "reviews/hammersmith-fulham/governance/2017-03-01.md"
OTHER = "reviews/hammersmith-fulham/learning-disability/2016-03-01.md"


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(autouse=True)
def no_identity_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Git reads only the test repository's configuration: no user's or system's."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with one commit (an earlier review) on main, and an identity."""
    root = tmp_path / "repo"
    (root / "reviews" / "hammersmith-fulham" / "learning-disability").mkdir(parents=True)
    (root / "reviews" / "hammersmith-fulham" / "governance").mkdir()
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "config", "user.name", "Quality Reviewer")
    _git(root, "config", "user.email", "reviewer@council.example")
    (root / OTHER).write_text("earlier review\n", "utf-8")
    (root / "notes.txt").write_text("notes\n", "utf-8")
    _git(root, "add", "--", OTHER, "notes.txt")
    _git(root, "commit", "--quiet", "-m", "An earlier review")
    return root


def _files_in(root: Path, commit: str) -> list[str]:
    return _git(root, "show", "--name-only", "--format=", commit).splitlines()


def test_branch_names_come_from_the_path() -> None:
    assert branch_for(REVIEW) == "review/hammersmith-fulham-learning-disability-2017-03-01"
    assert branch_for(MINUTES) == "minutes/hammersmith-fulham-2017-03-01"


def test_the_file_alone_is_committed_on_a_new_branch(repo: Path) -> None:
    (repo / REVIEW).write_text("new review\n", "utf-8")
    (repo / OTHER).write_text("earlier review, changed\n", "utf-8")
    (repo / "notes.txt").write_text("notes, staged\n", "utf-8")
    _git(repo, "add", "notes.txt")
    (repo / "untracked.txt").write_text("mine\n", "utf-8")

    committed = commit_to_branch(repo, REVIEW, "Draft the 2017 review of learning disability")

    name = "review/hammersmith-fulham-learning-disability-2017-03-01"
    assert committed == Committed(name, _git(repo, "rev-parse", "HEAD"), (), None)
    assert _git(repo, "symbolic-ref", "--short", "HEAD") == name
    assert _files_in(repo, "HEAD") == [REVIEW]
    assert _git(repo, "log", "-1", "--format=%s%n%an") == (
        "Draft the 2017 review of learning disability\nQuality Reviewer"
    )
    assert _git(repo, "rev-parse", "HEAD~1") == _git(repo, "rev-parse", "main")
    # What else was changed, staged or not, is still there and uncommitted.
    assert _git(repo, "status", "--porcelain", "--untracked-files=all").splitlines() == [
        "M  notes.txt",
        f" M {OTHER}",
        "?? untracked.txt",
    ]
    assert (repo / OTHER).read_text("utf-8") == "earlier review, changed\n"


def test_a_renamed_draft_commits_the_new_file_and_the_old_ones_removal(repo: Path) -> None:
    (repo / OTHER).unlink()
    (repo / REVIEW).write_text("the draft, on its new date\n", "utf-8")

    committed = commit_to_branch(repo, [REVIEW, OTHER], "Move the draft to 1 March")

    assert _git(repo, "show", "--name-status", "--format=", committed.commit).splitlines() == [
        f"D\t{OTHER}",
        f"A\t{REVIEW}",
    ]
    assert _git(repo, "status", "--porcelain") == ""


def test_an_untracked_old_path_that_is_gone_is_left_out(repo: Path) -> None:
    (repo / REVIEW).write_text("renamed from a draft never committed\n", "utf-8")
    gone = "reviews/hammersmith-fulham/learning-disability/2017-02-01.md"

    committed = commit_to_branch(repo, [REVIEW, gone], "Draft the 2017 review")

    assert _files_in(repo, committed.commit) == [REVIEW]


def test_a_taken_branch_name_gets_the_next_free_suffix(repo: Path) -> None:
    name = "review/hammersmith-fulham-learning-disability-2017-03-01"
    _git(repo, "branch", name)
    _git(repo, "branch", f"{name}-2")
    (repo / REVIEW).write_text("new review\n", "utf-8")

    committed = commit_to_branch(repo, REVIEW, "Draft")

    assert committed.branch == f"{name}-3"
    assert _git(repo, "symbolic-ref", "--short", "HEAD") == f"{name}-3"


def test_a_chosen_branch_is_used_and_refused_when_taken(repo: Path) -> None:
    (repo / REVIEW).write_text("new review\n", "utf-8")
    _git(repo, "branch", "my-review")

    with pytest.raises(EditRefused) as refused:
        commit_to_branch(repo, REVIEW, "Draft", branch="my-review")
    assert (refused.value.status, refused.value.field) == (409, "branch")
    assert refused.value.message == (
        "the branch my-review exists already; commit to a new one, such as my-review-2"
    )
    assert _git(repo, "symbolic-ref", "--short", "HEAD") == "main"

    assert commit_to_branch(repo, REVIEW, "Draft", branch="reviews/mine").branch == "reviews/mine"


@pytest.mark.parametrize("name", ["-f", "two words", "a..b", "ends.lock"])
def test_a_chosen_name_git_would_not_take_is_refused(repo: Path, name: str) -> None:
    (repo / REVIEW).write_text("new review\n", "utf-8")

    with pytest.raises(EditRefused) as refused:
        commit_to_branch(repo, REVIEW, "Draft", branch=name)

    assert (refused.value.status, refused.value.message) == (
        400,
        f"'{name}' cannot be a branch name",
    )


def test_nothing_to_commit_is_refused_and_no_branch_is_made(repo: Path) -> None:
    with pytest.raises(EditRefused) as refused:
        commit_to_branch(repo, OTHER, "Nothing")

    assert (refused.value.status, refused.value.message) == (
        409,
        f"nothing to commit: {OTHER} is as the last commit has it",
    )
    assert _git(repo, "branch", "--format=%(refname:short)") == "main"


def test_outside_a_git_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "plain"
    (root / "reviews" / "hammersmith-fulham" / "governance").mkdir(parents=True)
    (root / MINUTES).write_text("minutes\n", "utf-8")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository above

    with pytest.raises(EditRefused) as refused:
        commit_to_branch(root, MINUTES, "Minutes")

    assert (refused.value.status, refused.value.message) == (
        409,
        f"{root} is not a Git repository, so there is no branch to commit to; your file is saved",
    )


@pytest.mark.parametrize(("key", "what"), [("user.name", "name"), ("user.email", "email")])
def test_a_missing_identity_is_refused_before_anything_changes(
    repo: Path, key: str, what: str
) -> None:
    _git(repo, "config", "--unset", key)
    (repo / REVIEW).write_text("new review\n", "utf-8")

    with pytest.raises(EditRefused) as refused:
        commit_to_branch(repo, REVIEW, "Draft")

    example = "Your Name" if what == "name" else "you@example.org"
    assert (refused.value.status, refused.value.message) == (
        409,
        f"Git does not know your {what}, which every commit carries; set it with git "
        f'config --global {key} "{example}" and commit again (your file is saved)',
    )
    assert _git(repo, "branch", "--format=%(refname:short)") == "main"


def test_git_missing_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / REVIEW).write_text("new review\n", "utf-8")
    monkeypatch.setattr(shutil, "which", lambda name: None)

    with pytest.raises(EditRefused) as refused:
        commit_to_branch(repo, REVIEW, "Draft")

    assert (refused.value.status, refused.value.message) == (
        409,
        "Git is not installed (or not on PATH), so the editor cannot commit; your file is "
        "saved: install Git, or commit it another way",
    )


def test_a_hook_that_refuses_leaves_no_branch_and_the_file_saved(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'qa-site validate: 1 error' >&2\nexit 1\n", "utf-8")
    hook.chmod(0o755)
    (repo / REVIEW).write_text("new review\n", "utf-8")

    with pytest.raises(EditRefused) as refused:
        commit_to_branch(repo, REVIEW, "Draft")

    assert (refused.value.status, refused.value.message) == (
        409,
        "Git could not commit: qa-site validate: 1 error; nothing was committed, and the "
        "branch review/hammersmith-fulham-learning-disability-2017-03-01 was not kept (your "
        "saved file is as it was)",
    )
    assert _git(repo, "symbolic-ref", "--short", "HEAD") == "main"
    assert _git(repo, "branch", "--format=%(refname:short)") == "main"
    assert (repo / REVIEW).read_text("utf-8") == "new review\n"


def test_a_refused_commit_leaves_the_file_saved_but_not_staged(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n", "utf-8")
    hook.chmod(0o755)
    (repo / REVIEW).write_text("new review\n", "utf-8")
    (repo / OTHER).write_text("earlier review, changed\n", "utf-8")

    with pytest.raises(EditRefused) as refused:
        commit_to_branch(repo, [REVIEW, OTHER], "Draft")

    assert refused.value.status == 409
    # Staged, the files would go into whatever the reviewer commits next by hand.
    assert _git(repo, "diff", "--cached", "--name-only") == ""
    assert _git(repo, "diff", "--name-only") == OTHER
    assert _git(repo, "ls-files", "--others", "--exclude-standard") == REVIEW
    assert (repo / REVIEW).read_text("utf-8") == "new review\n"


@pytest.mark.parametrize(
    "made_here",
    ["review/hammersmith-fulham-learning-disability-2016-03-01", "minutes/hammersmith-fulham-2016"],
)
def test_a_commit_from_a_branch_made_for_another_file_is_refused(
    repo: Path, made_here: str
) -> None:
    _git(repo, "switch", "--quiet", "-c", made_here)
    (repo / REVIEW).write_text("new review\n", "utf-8")
    tip = _git(repo, "rev-parse", "HEAD")

    with pytest.raises(EditRefused) as refused:
        commit_to_branch(repo, REVIEW, "Draft")

    assert (refused.value.status, refused.value.message) == (
        409,
        f"this copy of the repository is on the branch {made_here}, made for another file's "
        "pull request; go back to the main branch first (git switch main), then save and "
        "commit again. Your file is saved.",
    )
    assert _git(repo, "symbolic-ref", "--short", "HEAD") == made_here
    assert _git(repo, "rev-parse", "HEAD") == tip
    assert _git(repo, "branch", "--format=%(refname:short)").splitlines() == ["main", made_here]
    assert _git(repo, "diff", "--cached", "--name-only") == ""
    assert (repo / REVIEW).read_text("utf-8") == "new review\n"


def test_a_content_root_below_the_top_of_the_git_repository(tmp_path: Path) -> None:
    top = tmp_path / "top"
    root = top / "programme"
    (root / "reviews" / "hammersmith-fulham" / "governance").mkdir(parents=True)
    _git(top, "init", "--quiet", "--initial-branch=main")
    _git(top, "config", "user.name", "Quality Reviewer")
    _git(top, "config", "user.email", "reviewer@council.example")
    (root / MINUTES).write_text("minutes\n", "utf-8")

    committed = commit_to_branch(root, MINUTES, "Minutes of the March board")

    assert committed.branch == "minutes/hammersmith-fulham-2017-03-01"
    assert _files_in(top, committed.commit) == [f"programme/{MINUTES}"]


def test_the_push_and_the_pull_request_are_said_for_github(repo: Path) -> None:
    _git(repo, "remote", "add", "origin", "git@github.com:council/qa.git")
    (repo / MINUTES).write_text("minutes\n", "utf-8")

    committed = commit_to_branch(repo, MINUTES, "Minutes")

    assert committed.commands == ("git push -u origin minutes/hammersmith-fulham-2017-03-01",)
    assert committed.pull_request_url == (
        "https://github.com/council/qa/compare/minutes/hammersmith-fulham-2017-03-01?expand=1"
    )


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        (
            "git@github.com:council/qa.git",
            "https://github.com/council/qa/compare/review/a-b?expand=1",
        ),
        (
            "https://github.com/council/qa",
            "https://github.com/council/qa/compare/review/a-b?expand=1",
        ),
        (
            "https://reviewer:ghp_secret@github.com/council/qa.git",
            "https://github.com/council/qa/compare/review/a-b?expand=1",
        ),
        (
            "ssh://git@github.com/council/qa.git",
            "https://github.com/council/qa/compare/review/a-b?expand=1",
        ),
        (
            "https://gitlab.example.org/council/qa.git",
            "https://gitlab.example.org/council/qa/-/merge_requests/new"
            "?merge_request%5Bsource_branch%5D=review%2Fa-b",
        ),
        (
            "git@gitlab.com:council/social-work/qa.git",
            "https://gitlab.com/council/social-work/qa/-/merge_requests/new"
            "?merge_request%5Bsource_branch%5D=review%2Fa-b",
        ),
        ("https://git.council.example/qa.git", None),
        ("/srv/git/qa.git", None),
        ("file:///srv/git/qa.git", None),
    ],
)
def test_pull_request_urls(remote: str, url: str | None) -> None:
    assert pull_request_url(remote, "review/a-b") == url
