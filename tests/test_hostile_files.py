"""Hostile files: what a repository may hold that must never reach a reader.

Symbolic links out of the repository (and back into it), YAML tags, control
characters, files too large or unreadable, output aimed into the content, a
disk that fills up while writing, and a frontmatter line made to be slow.
Every test puts real files in a temporary folder, runs the real command and
checks exactly what it prints, what it exits with and what it leaves behind.

Files outside the repository hold ``MARK`` where a reader would see it if a
link to them were followed: as a YAML key (which validation names when it is
unknown), at the start of a value (which a message quotes), in a review's
text (which the site and the exports publish). It must never be printed,
published or exported.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cli.main import main
from generator.load.repository import MAX_FILE_BYTES
from tests.support.cli import run_cli, run_console
from tests.support.paths import BASE, EPOCH, ROOT
from tests.support.repos import RepoFactory

MARK = "qa7f_outside_secret"

HF = "reviews/hammersmith-fulham"
TEAM = f"{HF}/learning-disability"
REVIEW = f"{TEAM}/2010-12-09.md"
MEETING = f"{HF}/governance/2011-01-20.md"
NEW_REVIEW = f"{TEAM}/2011-06-01.md"

LINK = (
    "is a symbolic link, which is never followed: content must be real files and folders "
    "inside the repository; put the file itself here instead of a link"
)
MISSING_BOROUGH = (
    f"{HF}/borough.yml:1: file: missing: every borough folder needs a borough.yml with "
    "'name' and 'short'"
)
MISSING_TEAM = (
    f"{TEAM}/team.yml:1: file: missing: every team folder needs a team.yml with 'name' and "
    "'service'"
)
MISSING_FRAMEWORK = "standards/framework.yml:1: file: missing: the framework file is required"
TEAM_GONE = [
    f"{MEETING}:4: chairs[1].team: no team 'learning-disability' in this borough",
    f"{MEETING}:6: representatives[0].team: no team 'learning-disability' in this borough",
    f"{MEETING}:9: cases[0].team: no team 'learning-disability' in this borough",
]
CONTENT_OUTSIDE = (
    "is inside {folder}/, which holds the content; write it somewhere else (the site and "
    "exports belong outside reviews/ and standards/)"
)
# Control characters a terminal or a CI log acts on; a newline is how output is split.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def linked(path: str) -> str:
    return f"{path}:1: file: {LINK}"


def linked_at(path: str, revision: str) -> str:
    return (
        f"{path}:1: file: is a symbolic link at revision {revision}, which is never followed: "
        "content must be real files and folders inside the repository"
    )


def stray(folder: str) -> str:
    return f"{folder}:1: file: warning: folder not part of the content format; ignored"


def too_large(path: str) -> str:
    return (
        f"{path}:1: file: is larger than 1024 KiB, the most a content file may hold; nothing "
        "in it was checked: split the text, or check that nothing was pasted in by mistake"
    )


def unreadable(path: str, reason: str) -> str:
    return (
        f"{path}:1: file: could not be read ({reason}); nothing in it was checked: check the "
        "file is there and readable, then run again"
    )


def control_in_body(path: str, line: int, char: str) -> str:
    return (
        f"{path}:{line}: body: an invisible control character (U+{ord(char):04X}) is on this "
        "line; delete it or retype the line (it would be written into the pages as it is)"
    )


def tag_refused(path: str, line: int, shown: str) -> str:
    return (
        f"{path}:{line}: yaml: '{shown}' starts a YAML tag, which the format does not use; "
        "put the value in quotes"
    )


def could_not_write(command: str, target: Path | str) -> str:
    return (
        f"qa-site {command}: could not write {target}: No space left on device; nothing was "
        f"replaced, and {target} was left as it was"
    )


# --------------------------------------------------------------------------
# Running the command, watching what it touches


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def both(self) -> str:
        return self.out + self.err

    @property
    def err_unwrapped(self) -> str:
        """Standard error on one line: MkDocs' log wraps a build's messages to the
        terminal's width, which differs from one run to another."""
        return " ".join(self.err.split())


Qa = Callable[..., Run]


@pytest.fixture
def qa(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Qa:
    """``qa-site ARGS`` run in this process, as the console script runs it (on the date
    run_cli uses)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("QA_SITE_DENY_LIST", raising=False)

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        code: Any = 0
        try:
            main([str(arg) for arg in args])
        except SystemExit as exit:
            code = exit.code
        captured = capsys.readouterr()
        return Run(0 if code is None else int(code), captured.out, captured.err)

    return run


class Trespass(RuntimeError):
    """A file was opened, or a folder listed, through a symbolic link."""


class LinkSpy:
    """Notes (and stops) every open and every folder listing under the repository
    that goes through a symbolic link, wherever the link points."""

    def __init__(self, repo: Path) -> None:
        self.repo = os.path.realpath(repo)
        self.crossed: list[str] = []

    def check(self, path: Any, follows_last: bool) -> None:
        if isinstance(path, int) or path is None:
            return
        absolute = os.path.abspath(os.fsdecode(os.fspath(path)))
        if absolute != self.repo and not absolute.startswith(self.repo + os.sep):
            return
        walked = absolute if follows_last else os.path.dirname(absolute)
        if os.path.realpath(walked) != walked:
            self.crossed.append(os.path.relpath(absolute, self.repo))
            raise Trespass(absolute)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> LinkSpy:
        real_open, real_os_open = builtins.open, os.open
        real_scandir, real_listdir = os.scandir, os.listdir

        def spied_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            self.check(file, follows_last=True)
            return real_open(file, *args, **kwargs)

        def spied_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            self.check(path, follows_last=not flags & getattr(os, "O_NOFOLLOW", 0))
            return real_os_open(path, flags, *args, **kwargs)

        def spied_scandir(path: Any = ".") -> Any:
            self.check(path, follows_last=True)
            return real_scandir(path)

        def spied_listdir(path: Any = ".") -> list[Any]:
            self.check(path, follows_last=True)
            return real_listdir(path)

        monkeypatch.setattr(builtins, "open", spied_open)
        monkeypatch.setattr(io, "open", spied_open)
        monkeypatch.setattr(os, "open", spied_os_open)
        monkeypatch.setattr(os, "scandir", spied_scandir)
        monkeypatch.setattr(os, "listdir", spied_listdir)
        return self


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (links as links, never followed) and its content."""
    found: dict[str, str] = {}
    if not folder.exists() and not folder.is_symlink():
        return found
    for top, folders, files in os.walk(folder):
        for name in [*folders, *files]:
            path = Path(top, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = "link to " + os.readlink(path)
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[key] = "folder" if path.is_dir() else "other"
    return found


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def base_text(relative: str) -> str:
    return (BASE / relative).read_text(encoding="utf-8")


def plant_link(repo: Path, relative: str, target: str | Path) -> None:
    """Put a symbolic link at ``relative``, in place of whatever was there."""
    path = repo / relative
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def content_tree(repo: Path) -> dict[str, dict[str, str]]:
    """Everything in ``reviews/`` and ``standards/``."""
    return {folder: snapshot(repo / folder) for folder in ("reviews", "standards")}


def _written(folder: Path) -> list[str]:
    """What is in ``folder``, but for the lock files that keep two runs apart."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


# --------------------------------------------------------------------------
# What lies outside the repository


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Files and folders outside the repository, each holding MARK.

    ``noisy*`` and ``folder/`` are what validation would name if it read them;
    ``valid/`` is content that would pass and be published if it were read.
    """
    out = tmp_path / "outside"
    passwd = "".join(f"{MARK}{i}:x:{i}:{i}:{MARK}:/home/u{i}:/bin/sh\n" for i in range(40))
    write(out / "passwd", passwd)
    noisy_yml = f"{MARK}: {MARK} value\n"
    noisy_md = f"---\n{MARK}: {MARK} value\n---\n{MARK} text\n"
    write(out / "noisy.yml", noisy_yml)
    write(out / "noisy.md", noisy_md)
    folder = out / "folder"
    for name in ("borough.yml", "team.yml", "framework.yml", "b/borough.yml", "t/team.yml"):
        write(folder / name, noisy_yml)
    for name in (
        "2010-12-09.md",
        "S04-outside.md",
        "t/2010-12-09.md",
        "governance/2011-01-20.md",
        "b/t/2010-12-09.md",
    ):
        write(folder / name, noisy_md)

    valid = out / "valid"
    review = base_text(REVIEW).replace(
        "Safeguarding work was weak.", f"Safeguarding work was weak. {MARK} was here."
    )
    team = base_text(f"{TEAM}/team.yml").replace("Learning Disability Team", f"Team {MARK}")
    borough = f"name: Borough {MARK}\nshort: OUT\n"
    meeting = base_text(MEETING).replace("The board met.", f"The board met about {MARK}.")
    standard = (
        base_text("standards/S02-face-to-face-contact.md")
        .replace("id: S02", "id: S51")
        .replace("Guidance on contact.", f"Guidance on {MARK}.")
    )
    write(valid / "review.md", review)
    write(valid / "team.yml", team)
    write(valid / "borough.yml", borough)
    write(valid / "meeting.md", meeting)
    write(valid / "standard.md", standard)
    write(valid / "borough/borough.yml", borough)
    write(valid / "borough/learning-disability/team.yml", team)
    write(valid / "borough/learning-disability/2010-12-09.md", review)
    write(valid / "team/team.yml", team)
    write(valid / "team/2010-12-09.md", review)
    write(valid / "governance/2011-01-20.md", meeting)
    shutil.copytree(BASE / "standards", valid / "standards")
    framework = valid / "standards/framework.yml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("Test Framework", f"Framework {MARK}"),
        encoding="utf-8",
    )
    shutil.copytree(BASE / "reviews", valid / "reviews")
    write(valid / f"reviews/{HF.split('/')[1]}/borough.yml", borough)
    return out


def assert_never_shown(*texts: str) -> None:
    for text in texts:
        assert MARK not in text, text


# --------------------------------------------------------------------------
# 1. Symbolic links in the working tree: never followed, always an error

# (case, link, target, other problems): a target "outside:NAME" is a file or folder
# outside the repository; "/" the root of the machine; anything else is written
# into the link as it is (a relative link, or one to nothing). For "archive/reviews"
# the real reviews/ is moved there first.
LINK_CASES: list[tuple[str, str, str, list[str]]] = [
    # to a file outside
    ("review to a file", NEW_REVIEW, "outside:noisy.md", []),
    ("review in place of one", REVIEW, "outside:noisy.md", []),
    ("meeting", f"{HF}/governance/2011-05-01.md", "outside:noisy.md", []),
    ("standard", "standards/S04-outside.md", "outside:noisy.md", []),
    ("borough.yml to a system file", f"{HF}/borough.yml", "outside:passwd", [MISSING_BOROUGH]),
    ("team.yml", f"{TEAM}/team.yml", "outside:noisy.yml", [MISSING_TEAM]),
    ("framework.yml", "standards/framework.yml", "outside:noisy.yml", [MISSING_FRAMEWORK]),
    (
        "file in a stray folder of standards",
        "standards/notes/secret.yml",
        "outside:passwd",
        [stray("standards/notes")],
    ),
    (
        "file in a stray folder of a team",
        f"{TEAM}/attachments/notes.md",
        "outside:noisy.md",
        [stray(f"{TEAM}/attachments")],
    ),
    # to a folder outside
    ("borough folder", "reviews/outside-borough", "outside:folder", []),
    ("borough folder in place of one", HF, "outside:folder", []),
    ("team folder", f"{HF}/outside-team", "outside:folder", []),
    ("team folder in place of one", TEAM, "outside:folder", TEAM_GONE),
    ("governance folder", f"{HF}/governance", "outside:folder", []),
    ("standards/ itself", "standards", "outside:folder", [MISSING_FRAMEWORK]),
    ("reviews/ itself", "reviews", "outside:folder", []),
    (
        "folder in a stray folder",
        f"{TEAM}/attachments/more",
        "outside:folder",
        [stray(f"{TEAM}/attachments")],
    ),
    # to the root of the machine
    ("/ as a borough folder", "reviews/root", "/", []),
    ("/ as a team folder", f"{HF}/root", "/", []),
    ("/ as a review", NEW_REVIEW, "/", []),
    ("/ as reviews/", "reviews", "/", []),
    ("/ in a stray folder", "standards/notes/root", "/", [stray("standards/notes")]),
    # to nothing
    ("dangling review", NEW_REVIEW, "outside:no-such-file.md", []),
    ("dangling team.yml", f"{TEAM}/team.yml", "no-such-team.yml", [MISSING_TEAM]),
    ("dangling borough folder", "reviews/gone", "outside:no-such-folder", []),
    ("dangling governance folder", f"{HF}/governance", "no-such-folder", []),
    ("link to itself", "standards/S04-loop.md", "S04-loop.md", []),
    # back inside the repository: still refused
    ("review to a review beside it", NEW_REVIEW, "2010-12-09.md", []),
    ("standard to a standard", "standards/S04-copy.md", "S01-safeguarding-enquiries.md", []),
    ("team folder to a team folder", f"{HF}/second-team", "learning-disability", []),
    ("borough folder to a borough folder", "reviews/second-borough", "hammersmith-fulham", []),
    (
        "borough.yml to a team.yml",
        f"{HF}/borough.yml",
        "learning-disability/team.yml",
        [MISSING_BOROUGH],
    ),
    ("reviews/ to a folder inside", "reviews", "archive/reviews", []),
]


def _plant_case(repo: Path, outside: Path, link: str, target: str) -> None:
    if target.startswith("outside:"):
        plant_link(repo, link, outside / target.removeprefix("outside:"))
    elif link == "reviews" and target == "archive/reviews":
        (repo / "archive").mkdir()
        shutil.move(repo / "reviews", repo / "archive/reviews")
        plant_link(repo, link, target)
    else:
        plant_link(repo, link, target)


@pytest.mark.parametrize(
    ("link", "target", "others"),
    [case[1:] for case in LINK_CASES],
    ids=[case[0] for case in LINK_CASES],
)
def test_a_link_is_an_error_and_nothing_is_read_through_it(
    make_repo: RepoFactory,
    outside: Path,
    qa: Qa,
    monkeypatch: pytest.MonkeyPatch,
    link: str,
    target: str,
    others: list[str],
) -> None:
    repo = make_repo()
    _plant_case(repo, outside, link, target)
    before = snapshot(outside)
    spy = LinkSpy(repo).install(monkeypatch)

    text = qa("validate", "--root", repo)
    github = qa("validate", "--root", repo, "--format", "github")
    as_json = qa("validate", "--root", repo, "--format", "json")

    assert spy.crossed == []
    assert sorted(text.lines) == sorted([linked(link), *others]), text.both
    assert (text.code, github.code, as_json.code) == (1, 1, 1)
    assert f"::error file={link},line=1,title=file::{LINK}\n" in github.out
    assert {"file": link, "line": 1, "field": "file", "message": LINK, "severity": "error"} in (
        json.loads(as_json.out)
    )
    assert_never_shown(text.both, github.both, as_json.both)
    assert "internal error" not in text.err + github.err + as_json.err
    assert snapshot(outside) == before


def test_a_link_to_the_root_of_the_machine_as_standards_is_never_walked(
    make_repo: RepoFactory, qa: Qa, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``standards/`` linked to ``/``: there is no framework there, which is said; the
    machine's files are never listed or read."""
    repo = make_repo()
    plant_link(repo, "standards", "/")
    spy = LinkSpy(repo).install(monkeypatch)

    result = qa("validate", "--root", repo)

    assert spy.crossed == []
    assert result.code in (1, 2), result.both
    assert "internal error" not in result.err
    assert "root:" not in result.both  # nothing of /etc/passwd or the like


def _plant_every_link(repo: Path, outside: Path) -> list[str]:
    """Links of every kind at once, to valid content outside (which would be
    published if followed); returns the links' paths."""
    valid = outside / "valid"
    links = {
        f"{TEAM}/2013-01-01.md": valid / "review.md",
        f"{HF}/governance/2013-01-01.md": valid / "meeting.md",
        "standards/S51-outside.md": valid / "standard.md",
        "reviews/outside-borough": valid / "borough",
        f"{HF}/outside-team": valid / "team",
        "reviews/root": Path("/"),
        "standards/notes/passwd": outside / "passwd",
        f"{TEAM}/2013-02-01.md": outside / "no-such-file.md",
        f"{TEAM}/2013-03-01.md": Path("2010-12-09.md"),
    }
    for relative, target in links.items():
        plant_link(repo, relative, target)
    return sorted(links)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample repository that can be built (read-only for the tests)."""
    target = tmp_path_factory.mktemp("sample") / "repo"
    for name in ("reviews", "standards", "docs", "site_templates"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


@pytest.fixture
def sample_copy(sample: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(sample, copy, symlinks=True)
    return copy


def test_no_command_prints_publishes_or_exports_what_a_link_points_to(
    sample_copy: Path, outside: Path, qa: Qa, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = sample_copy
    links = _plant_every_link(repo, outside)
    # In place of real files of the sample: a borough's borough.yml and a team's team.yml.
    plant_link(repo, "reviews/westminster/borough.yml", outside / "valid/borough.yml")
    team_yml = sorted((repo / "reviews/kensington-chelsea").glob("*/team.yml"))[0]
    plant_link(repo, team_yml.relative_to(repo).as_posix(), outside / "valid/team.yml")
    links += ["reviews/westminster/borough.yml", team_yml.relative_to(repo).as_posix()]
    before = content_tree(repo)
    spy = LinkSpy(repo).install(monkeypatch)
    out = tmp_path / "out"
    out.mkdir()

    runs = {
        "validate": qa("validate", "--root", repo),
        "github": qa("validate", "--root", repo, "--format", "github"),
        "json": qa("validate", "--root", repo, "--format", "json"),
        "privacy": qa("privacy", "--root", repo),
        "build": qa("build", "--root", repo, "-d", out / "site"),
        "export": qa("export", "--root", repo),
        "export json": qa("export", "--root", repo, "-o", out / "results.json"),
        "export csv": qa("export", "--root", repo, "--format", "csv", "-o", out / "r.csv"),
        "datapackage": qa("export", "--root", repo, "--format", "datapackage", "-o", out / "pkg"),
        "xlsx": qa("export", "--root", repo, "--format", "xlsx", "-o", out / "book.xlsx"),
        "render": qa("render", "--root", repo, "--out", out / "pages"),
    }

    assert spy.crossed == []
    for name, run in runs.items():
        assert_never_shown(run.both)
        assert "internal error" not in run.err, (name, run.err)
    for link in links:
        assert linked(link) in runs["validate"].lines
    # The privacy scan lists personal data only: it has nothing to say about links.
    assert {name: run.code for name, run in runs.items()} == {
        **dict.fromkeys(runs, 1),
        "privacy": 0,
    }
    assert runs["export"].out == ""
    assert linked("reviews/root") in runs["build"].err_unwrapped
    assert "qa-site build: not built" in runs["build"].err
    assert _written(out) == [], "nothing is written when links stop it"
    assert content_tree(repo) == before


@pytest.mark.parametrize("folder", ["reviews", "standards"])
def test_a_linked_content_folder_is_never_built_into_the_site(
    sample_copy: Path,
    outside: Path,
    qa: Qa,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    folder: str,
) -> None:
    """``reviews/`` or ``standards/`` itself a link to valid content elsewhere."""
    repo = sample_copy
    shutil.rmtree(repo / folder)
    (repo / folder).symlink_to(outside / "valid" / folder)
    spy = LinkSpy(repo).install(monkeypatch)
    site = tmp_path / "site"

    built = qa("build", "--root", repo, "-d", site)
    exported = qa("export", "--root", repo)

    assert spy.crossed == []
    assert built.code == 1, built.both
    assert linked(folder) in built.err_unwrapped
    assert not site.exists()
    assert exported.code == 1
    assert linked(folder) in exported.err
    assert_never_shown(built.both, exported.both)


def test_a_review_scored_through_a_link_out_is_refused(
    make_repo: RepoFactory, outside: Path, qa: Qa
) -> None:
    repo = make_repo()
    plant_link(repo, NEW_REVIEW, outside / "valid/review.md")

    result = qa("score", "--root", repo, repo / NEW_REVIEW)

    assert result.code in (1, 2), result.both
    assert_never_shown(result.both)
    assert "internal error" not in result.err


# --------------------------------------------------------------------------
# validate --watch: the files it watches are the content's own


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("reviews/root", "/"),
        (f"{HF}/outside-team", "outside:folder"),
        ("reviews", "/"),
        ("reviews", "outside:folder"),
        ("standards", "outside:valid/standards"),
    ],
    ids=["/ as a borough", "folder as a team", "/ as reviews/", "folder as reviews/", "standards/"],
)
def test_watching_never_walks_through_a_link(
    make_repo: RepoFactory,
    outside: Path,
    qa: Qa,
    monkeypatch: pytest.MonkeyPatch,
    link: str,
    target: str,
) -> None:
    """``validate --watch`` checks, then waits for a save: neither the check nor the
    wait lists a folder through a link (a link to / would have it walk the machine)."""
    repo = make_repo()
    _plant_case(repo, outside, link, target)

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt  # the reviewer stops watching after the first check

    monkeypatch.setattr(time, "sleep", interrupted)
    spy = LinkSpy(repo).install(monkeypatch)

    result = qa("validate", "--watch", "--root", repo)

    assert spy.crossed == [], f"listed through a link: {spy.crossed[:3]}"
    assert linked(link) in result.lines, result.both
    assert result.code == 0
    assert_never_shown(result.both)


# --------------------------------------------------------------------------
# Links committed in a Git revision: diff and validate --base


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Reviewer",
    "GIT_AUTHOR_EMAIL": "reviewer@council.example",
    "GIT_COMMITTER_NAME": "Reviewer",
    "GIT_COMMITTER_EMAIL": "reviewer@council.example",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
    "PATH": "/usr/bin:/bin",
}


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env=GIT_ENV,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def commit(repo: Path, tag: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", tag)
    git(repo, "tag", tag)


REVISION_LINKS = {
    NEW_REVIEW: "outside:noisy.md",
    f"{HF}/governance/2011-05-01.md": "outside:noisy.md",
    "reviews/root": "/",
    f"{HF}/outside-team": "outside:folder",
    "standards/notes/passwd": "outside:passwd",
    f"{TEAM}/2011-07-01.md": "outside:no-such-file.md",
    f"{TEAM}/2011-08-01.md": "2010-12-09.md",
}


@pytest.fixture
def history(make_repo: RepoFactory, outside: Path) -> Path:
    """A Git repository of the base content: ``clean``, then ``links`` (links of every
    kind committed), then ``unlinked`` (the links removed again, as the working tree is)."""
    repo = make_repo()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "clean")
    for relative, target in REVISION_LINKS.items():
        _plant_case(repo, outside, relative, target)
    commit(repo, "links")
    for relative in REVISION_LINKS:
        (repo / relative).unlink()
    (repo / "standards/notes").rmdir()
    commit(repo, "unlinked")
    return repo


def test_diff_reports_links_in_either_revision_and_reads_none(history: Path, outside: Path) -> None:
    before = snapshot(outside)
    expected = sorted(linked_at(path, "links") for path in REVISION_LINKS)

    forward = run_cli("diff", "clean", "links", "--root", str(history), cwd=history)
    backward = run_cli("diff", "links", "unlinked", "--root", str(history), cwd=history)
    against_tree = run_cli("diff", "links", "--root", str(history), cwd=history)

    for result in (forward, backward, against_tree):
        assert result.returncode == 1, result.stderr
        lines = result.stderr.splitlines()
        assert sorted(lines[:-1]) == expected, result.stderr
        assert lines[-1] == (
            f"qa-site diff: {len(expected)} errors; in links; run qa-site validate there first"
        )
        assert result.stdout == ""
        assert_never_shown(result.stdout, result.stderr)
    assert snapshot(outside) == before


def test_validate_against_a_revision_with_links_still_checks_presented_reviews(
    history: Path, outside: Path
) -> None:
    clean = run_cli("validate", "--base", "links", "--root", str(history), cwd=history)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout == ""
    assert "internal error" not in clean.stderr

    review = history / REVIEW
    review.write_text(
        review.read_text(encoding="utf-8").replace("  S03: Good", "  S03: Outstanding"),
        encoding="utf-8",
    )
    rewritten = run_cli("validate", "--base", "links", "--root", str(history), cwd=history)
    assert rewritten.returncode == 1, rewritten.stderr
    assert rewritten.stdout == (
        f"{REVIEW}:10: ratings.S03: S03 changed from Good to Outstanding after the review was "
        "presented (at links); add an entry to amendments (date, reason, by: a role) saying "
        "why, or undo the change\n"
    )
    assert_never_shown(clean.stdout, clean.stderr, rewritten.stdout, rewritten.stderr)


@pytest.mark.parametrize("folder", ["reviews", "standards"])
def test_a_content_folder_committed_as_a_link_is_an_error_in_the_revision(
    make_repo: RepoFactory, outside: Path, folder: str
) -> None:
    repo = make_repo()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "clean")
    git(repo, "rm", "-rq", folder)
    (repo / folder).symlink_to(outside / "valid" / folder)
    commit(repo, "linked")
    git(repo, "checkout", "-q", "clean")

    diff = run_cli("diff", "clean", "linked", "--root", str(repo), cwd=repo)
    base = run_cli("validate", "--base", "linked", "--root", str(repo), cwd=repo)

    assert diff.returncode == 1, diff.stderr
    assert linked_at(folder, "linked") in diff.stderr.splitlines()
    assert "internal error" not in diff.stderr + base.stderr
    assert base.returncode == 0, base.stdout + base.stderr
    assert_never_shown(diff.stdout, diff.stderr, base.stdout, base.stderr)


def test_an_oversized_file_in_a_revision_is_not_read(make_repo: RepoFactory) -> None:
    repo = make_repo()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "clean")
    write(repo / NEW_REVIEW, _oversized_review())
    commit(repo, "big")

    result = run_cli("diff", "clean", "big", "--root", str(repo), cwd=repo)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        too_large(NEW_REVIEW),
        "qa-site diff: 1 error; in big; run qa-site validate there first",
    ]
    assert_never_shown(result.stdout, result.stderr)


# --------------------------------------------------------------------------
# 2. Messages quote an excerpt, never a whole value, never raw control bytes


def test_a_system_file_as_borough_yml_is_quoted_only_in_part(
    make_repo: RepoFactory, qa: Qa
) -> None:
    lines = [f"user{i}:x:{1000 + i}:{1000 + i}::/home/user{i}:/bin/sh" for i in range(30)]
    lines.append(f"last:x:9999:9999:{MARK}:/root:/bin/bash")
    repo = make_repo({f"{HF}/borough.yml": "\n".join(lines) + "\n"})
    shown = " ".join(lines)[:59] + "\u2026"

    text = qa("validate", "--root", repo)
    github = qa("validate", "--root", repo, "--format", "github")
    as_json = qa("validate", "--root", repo, "--format", "json")

    message = f"expected 'key: value' lines at the top, got '{shown}'"
    assert text.lines == [f"{HF}/borough.yml:1: file: {message}"]
    assert github.out == f"::error file={HF}/borough.yml,line=1,title=file::{message}\n"
    assert [p["message"] for p in json.loads(as_json.out)] == [message]
    assert_never_shown(text.both, github.both, as_json.both)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (r'"pres\e]0;owned\aented"', r"pres\x1b]0;owned\x07ented"),
        (r'"pres\0ented"', r"pres\x00ented"),
        (r'"pres\x9b2Jented"', r"pres\x9b2Jented"),
        (r'"pres\nented"', r"pres\x0aented"),
        ("p" * 200 + MARK, "p" * 59 + "\u2026"),
    ],
    ids=["terminal title", "NUL", "C1 CSI", "line break", "long"],
)
def test_a_quoted_value_is_an_excerpt_with_control_characters_shown(
    make_repo: RepoFactory, qa: Qa, written: str, shown: str
) -> None:
    text = base_text(REVIEW).replace("status: presented", f"status: {written}", 1)
    repo = make_repo({REVIEW: text})

    result = qa("validate", "--root", repo)
    github = qa("validate", "--root", repo, "--format", "github")

    line = f"{REVIEW}:2: status: expected one of draft, completed, presented; got '{shown}'"
    assert len(result.lines) == 1, result.out
    assert result.lines[0] in (line, f"{line}; did you mean 'presented'?")
    assert not RAW_CONTROL.search(result.out)
    assert not RAW_CONTROL.search(github.out)
    assert_never_shown(result.both, github.both)


def test_a_file_name_with_control_characters_is_shown_escaped_in_every_format(
    make_repo: RepoFactory, qa: Qa
) -> None:
    """A file named with a terminal escape (set the window title, ring the bell):
    every format shows it escaped (JSON too: its readers print it)."""
    name = "2011-06-01\x1b]0;owned\x07.md"
    repo = make_repo({f"{TEAM}/{name}": base_text(REVIEW)})

    text = qa("validate", "--root", repo)
    github = qa("validate", "--root", repo, "--format", "github")
    as_json = qa("validate", "--root", repo, "--format", "json")

    shown = f"{TEAM}/2011-06-01\\x1b]0;owned\\x07.md"
    assert text.code == github.code == as_json.code == 1
    assert text.lines and all(line.startswith(f"{shown}:1: file: ") for line in text.lines)
    assert not RAW_CONTROL.search(text.out)
    assert not RAW_CONTROL.search(github.out), github.out.encode()
    assert {p["file"] for p in json.loads(as_json.out)} == {shown}
    assert not RAW_CONTROL.search(as_json.out)


# --------------------------------------------------------------------------
# 3. YAML tags: only the plain core ones


BOROUGH_TAGS = [
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!python/object:os.system x", "!!python/object:os.system"),
    ("!!python/object/new:os.system x", "!!python/object/new:os.system"),
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!foo bar", "!foo"),
    ("!<tag:yaml.org,2002:binary> aGVsbG8=", "!!binary"),
    ("!<tag:example.com,2000:app/foo> x", "tag:example.com,2000:app/foo"),
    ("!foo%1B]0;owned%07 x", "!foo\\x1b]0;owned\\x07"),
    ("!" + "x" * 300 + " y", "!" + "x" * 58 + "\u2026"),
]


@pytest.mark.parametrize(
    ("value", "shown"), BOROUGH_TAGS, ids=[shown[:20] for _, shown in BOROUGH_TAGS]
)
def test_a_tagged_scalar_is_refused_on_its_line(
    make_repo: RepoFactory, qa: Qa, value: str, shown: str
) -> None:
    repo = make_repo({f"{HF}/borough.yml": f"short: H&F\nname: {value}\n"})

    result = qa("validate", "--root", repo)

    assert result.code == 1
    assert tag_refused(f"{HF}/borough.yml", 2, shown) in result.lines, result.out
    assert not RAW_CONTROL.search(result.out)


def test_a_tag_directive_is_refused_where_the_tag_is_used(make_repo: RepoFactory, qa: Qa) -> None:
    borough = "%TAG !e! tag:example.com,2000:\n---\nname: !e!foo x\nshort: H&F\n"
    repo = make_repo({f"{HF}/borough.yml": borough})

    result = qa("validate", "--root", repo)

    assert result.lines == [tag_refused(f"{HF}/borough.yml", 3, "tag:example.com,2000:foo")]


@pytest.mark.parametrize(
    ("old", "new", "line", "shown", "follows"),
    [
        (
            "evidence: [case-audit, case-record]",
            "evidence: !!set {case-audit: null}",
            6,
            "!!set",
            "evidence: expected a list ([a, b] or lines starting '- '), got nothing (the value "
            "is blank)",
        ),
        (
            "ratings:\n",
            "ratings: !!omap\n",
            7,
            "!!omap",
            "ratings: expected 'key: value' lines (a mapping), got nothing (the value is blank)",
        ),
        (
            "  - ref: HF-LD-2010-01\n",
            "  - !foo\n    ref: HF-LD-2010-01\n",
            12,
            "!foo",
            "cases[0]: expected 'key: value' lines (a mapping), got nothing (the value is blank)",
        ),
        (
            "evidence: [case-audit, case-record]",
            "evidence: !!python/tuple [case-audit, case-record]",
            6,
            "!!python/tuple",
            "evidence: expected a list ([a, b] or lines starting '- '), got nothing (the value "
            "is blank)",
        ),
        (
            "evidence: [case-audit, case-record]",
            "evidence: !!python/object/apply:os.system [echo]",
            6,
            "!!python/object/apply:os.system",
            "evidence: expected a list ([a, b] or lines starting '- '), got nothing (the value "
            "is blank)",
        ),
        (
            "reviewers:\n",
            "reviewers: !local\n",
            4,
            "!local",
            None,
        ),
    ],
    ids=[
        "!!set mapping",
        "!!omap mapping",
        "local tag on a mapping",
        "!!python/tuple list",
        "!!python/object/apply list",
        "local tag on a list",
    ],
)
def test_a_tagged_list_or_mapping_is_refused_on_its_line(
    make_repo: RepoFactory,
    qa: Qa,
    old: str,
    new: str,
    line: int,
    shown: str,
    follows: str | None,
) -> None:
    text = base_text(REVIEW)
    assert old in text
    repo = make_repo({REVIEW: text.replace(old, new, 1)})

    result = qa("validate", "--root", repo)

    assert result.code == 1
    assert tag_refused(REVIEW, line, shown) in result.lines, result.out
    if follows is not None:
        assert f"{REVIEW}:{line}: {follows}" in result.lines, result.out
    assert "internal error" not in result.err


def test_a_tag_on_a_key_is_refused_too(make_repo: RepoFactory, qa: Qa) -> None:
    repo = make_repo({f"{HF}/borough.yml": "!foo name: Hammersmith & Fulham\nshort: H&F\n"})

    result = qa("validate", "--root", repo)

    assert tag_refused(f"{HF}/borough.yml", 1, "!foo") in result.lines, result.both
    assert result.code == 1


def test_the_plain_core_tags_and_implicit_dates_are_accepted(
    make_repo: RepoFactory, qa: Qa
) -> None:
    review = (
        base_text(REVIEW)
        .replace("framework_version: 1", "framework_version: !!int 1")
        .replace("record_reviewed: true", "record_reviewed: !!bool true")
        .replace("evidence: [case-audit, case-record]", "evidence: !!seq [case-audit, case-record]")
        .replace("S03: Good", "S03: !!str Good")
        .replace("due: 2011-03-31", "due: !!timestamp 2011-03-31")
    )
    team = base_text(f"{TEAM}/team.yml").replace("service:", "service: !!str", 1)
    repo = make_repo(
        {
            f"{HF}/borough.yml": "name: !!str Hammersmith & Fulham\nshort: ! H&F\n",
            f"{TEAM}/team.yml": team,
            REVIEW: review,
            MEETING: base_text(MEETING).replace("  - {role: Head", "  - !!map {role: Head", 1),
        }
    )

    result = qa("validate", "--root", repo)

    assert (result.code, result.out) == (0, ""), result.both


# --------------------------------------------------------------------------
# 4. Control characters in a Markdown body


BODY_CONTROLS = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9b",
    "\x9f",
]


@pytest.mark.parametrize("char", BODY_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BODY_CONTROLS])
def test_a_control_character_in_a_review_body_is_an_error_on_its_line(
    make_repo: RepoFactory, qa: Qa, char: str
) -> None:
    text = base_text(REVIEW) + f"\nMore findings{char}[31m here.\n"
    line = text.split("\n").index(f"More findings{char}[31m here.") + 1
    repo = make_repo({REVIEW: text})

    result = qa("validate", "--root", repo)
    github = qa("validate", "--root", repo, "--format", "github")

    assert result.lines == [control_in_body(REVIEW, line, char)], result.both
    assert result.code == github.code == 1
    assert not RAW_CONTROL.search(result.out + github.out)


def test_every_line_with_a_control_character_is_reported_once(
    make_repo: RepoFactory, qa: Qa
) -> None:
    standard = "standards/S03-supervision.md"
    review = base_text(REVIEW) + "\nOne\x1b[2J line.\nFine line.\nTwo\x00 and \x07 here.\n"
    meeting = base_text(MEETING) + "\nNoted\x1b]0;title\x07.\n"
    repo = make_repo(
        {REVIEW: review, MEETING: meeting, standard: base_text(standard) + "Beep\x07.\n"}
    )

    def line_of(text: str, start: str) -> int:
        return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(start))

    result = qa("validate", "--root", repo)

    assert result.lines == [
        control_in_body(MEETING, line_of(meeting, "Noted"), "\x1b"),
        control_in_body(REVIEW, line_of(review, "One"), "\x1b"),
        control_in_body(REVIEW, line_of(review, "Two"), "\x00"),
        control_in_body(standard, line_of(base_text(standard) + "Beep\x07.\n", "Beep"), "\x07"),
    ], result.out


def test_tabs_and_windows_line_ends_in_a_body_are_text(make_repo: RepoFactory, qa: Qa) -> None:
    review = base_text(REVIEW) + "\n| Case\t| Grade |\n\tIndented with a tab.\n"
    repo = make_repo({REVIEW: review.replace("\n", "\r\n").encode("utf-8")})

    result = qa("validate", "--root", repo)

    assert (result.code, result.out) == (0, ""), result.both


def test_a_control_character_in_a_body_stops_the_site_and_the_pages(
    make_repo: RepoFactory, qa: Qa, tmp_path: Path
) -> None:
    repo = make_repo({REVIEW: base_text(REVIEW) + "\nBell\x07.\n"})
    shutil.copytree(ROOT / "site_templates", repo / "site_templates")

    rendered = qa("render", "--root", repo, "--out", tmp_path / "pages")
    exported = qa("export", "--root", repo)

    assert rendered.code == exported.code == 1
    assert not (tmp_path / "pages").exists()
    assert exported.out == ""
    assert not RAW_CONTROL.search(rendered.err + exported.err)


# --------------------------------------------------------------------------
# 5. Files too large, files that cannot be read


def _oversized_review(size: int = MAX_FILE_BYTES + 1, last_word: str = MARK) -> bytes:
    """The base review, its text padded to exactly ``size`` bytes, ``last_word`` at the end."""
    start = base_text(REVIEW).encode("utf-8") + b"\n"
    tail = f"\nThe end {last_word}.\n".encode()
    padding = b"Padding line.\n" * (size // 14 + 1)
    return start + padding[: size - len(start) - len(tail)] + tail


def test_a_file_over_the_limit_is_refused_unread(make_repo: RepoFactory, qa: Qa) -> None:
    big = _oversized_review()
    assert len(big) == MAX_FILE_BYTES + 1
    borough = ("name: " + "x" * MAX_FILE_BYTES + f"{MARK}\nshort: H&F\n").encode()
    standard = "standards/S02-face-to-face-contact.md"
    padded = base_text(standard).encode() + b"y" * MAX_FILE_BYTES + MARK.encode()
    repo = make_repo({NEW_REVIEW: big})

    review_only = qa("validate", "--root", repo)
    make_repo({f"{HF}/borough.yml": borough, standard: padded})
    all_three = qa("validate", "--root", repo)
    as_json = qa("validate", "--root", repo, "--format", "json")

    assert review_only.lines == [too_large(NEW_REVIEW)], review_only.both
    assert review_only.code == 1
    assert all_three.lines == [
        too_large(f"{HF}/borough.yml"),
        too_large(NEW_REVIEW),
        too_large(standard),
    ], all_three.both
    assert len(json.loads(as_json.out)) == 3
    assert_never_shown(review_only.both, all_three.both, as_json.both)


def test_a_file_at_the_limit_is_read(make_repo: RepoFactory, qa: Qa) -> None:
    at_limit = _oversized_review(MAX_FILE_BYTES, last_word="of the findings")
    assert len(at_limit) == MAX_FILE_BYTES
    repo = make_repo({REVIEW: at_limit})

    result = qa("validate", "--root", repo)

    assert (result.code, result.out) == (0, ""), result.both[:2000]


def test_a_file_over_the_limit_is_refused_while_watching(
    make_repo: RepoFactory, qa: Qa, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo({NEW_REVIEW: _oversized_review()})

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupted)
    result = qa("validate", "--watch", "--root", repo)

    assert result.lines == [too_large(NEW_REVIEW)], result.both
    assert_never_shown(result.both)


def _failing_open(
    monkeypatch: pytest.MonkeyPatch, failing: dict[str, Callable[[Any, int], int]]
) -> None:
    """``os.open`` as it is, except for the files named (by their path's ending)."""
    real = os.open

    def patched(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        text = os.fsdecode(os.fspath(path)) if not isinstance(path, int) else ""
        for ending, action in failing.items():
            if text.endswith(ending):
                return action(path, flags)
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", patched)


def _io_error(path: Any, flags: int) -> int:
    raise OSError(errno.EIO, os.strerror(errno.EIO), os.fspath(path))


@pytest.mark.parametrize("watch", [False, True], ids=["validate", "validate --watch"])
def test_a_file_that_cannot_be_read_is_named_and_the_rest_still_checked(
    make_repo: RepoFactory, qa: Qa, monkeypatch: pytest.MonkeyPatch, watch: bool
) -> None:
    standard = "standards/S03-supervision.md"
    meeting = base_text(MEETING) + "\nBell\x07.\n"
    bell_line = meeting.split("\n").index("Bell\x07.") + 1
    repo = make_repo({MEETING: meeting})
    _failing_open(monkeypatch, {REVIEW: _io_error, standard: _io_error})
    if watch:

        def interrupted(seconds: float) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(time, "sleep", interrupted)

    result = qa("validate", *(["--watch"] if watch else []), "--root", repo)

    assert unreadable(REVIEW, "Input/output error") in result.lines, result.both
    assert unreadable(standard, "Input/output error") in result.lines
    assert control_in_body(MEETING, bell_line, "\x07") in result.lines
    assert "internal error" not in result.err
    assert result.code == (0 if watch else 1)


def test_a_read_that_fails_midway_is_named(
    make_repo: RepoFactory, qa: Qa, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The file opens, then reading it fails (here: what was opened is a folder)."""
    repo = make_repo()
    somewhere = tmp_path / "a-folder"
    somewhere.mkdir()
    real = os.open
    _failing_open(monkeypatch, {REVIEW: lambda path, flags: real(somewhere, os.O_RDONLY)})

    result = qa("validate", "--root", repo)

    assert unreadable(REVIEW, "Is a directory") in result.lines, result.both
    assert result.code == 1
    assert "internal error" not in result.err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_named(make_repo: RepoFactory, qa: Qa) -> None:
    repo = make_repo()
    (repo / REVIEW).chmod(0)
    try:
        result = qa("validate", "--root", repo)
    finally:
        (repo / REVIEW).chmod(0o644)

    assert unreadable(REVIEW, "Permission denied") in result.lines, result.both
    assert result.code == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_the_content_is_never_opened(make_repo: RepoFactory) -> None:
    """A pipe would block a reader for ever: it is reported, never opened."""
    repo = make_repo()
    os.mkfifo(repo / NEW_REVIEW)
    os.mkfifo(repo / "standards/S04-pipe.md")
    completed = run_console("validate", "--root", str(repo), cwd=repo, timeout=120)

    assert completed.returncode == 1, completed.stderr
    assert (
        f"{NEW_REVIEW}:1: file: not read: reviews go in reviews/<borough>/<team>/YYYY-MM-DD.md, "
        "meetings in reviews/<borough>/governance/YYYY-MM-DD.md"
    ) in completed.stdout.splitlines()
    assert "standards/S04-pipe.md:1:" in completed.stdout


# --------------------------------------------------------------------------
# 6. Output never goes into the content; a failed write leaves the old output


REFUSED_TARGETS = [
    ("export", ["-o", f"{TEAM}/team.yml"], "-o/--output", f"{TEAM}/team.yml", "reviews"),
    (
        "export",
        ["-o", "standards/framework.yml"],
        "-o/--output",
        "standards/framework.yml",
        "standards",
    ),
    (
        "export",
        ["--format", "csv", "-o", "reviews/results.csv"],
        "-o/--output",
        "reviews/results.csv",
        "reviews",
    ),
    ("export", ["--format", "datapackage", "-o", "reviews"], "-o/--output", "reviews", "reviews"),
    (
        "export",
        ["--format", "datapackage", "-o", f"{HF}/package"],
        "-o/--output",
        f"{HF}/package",
        "reviews",
    ),
    (
        "export",
        ["--format", "xlsx", "-o", "standards/book.xlsx"],
        "-o/--output",
        "standards/book.xlsx",
        "standards",
    ),
    (
        "export",
        ["-o", "elsewhere/../reviews/x.json"],
        "-o/--output",
        "elsewhere/../reviews/x.json",
        "reviews",
    ),
    ("export", ["-o", "into-reviews/x.json"], "-o/--output", "into-reviews/x.json", "reviews"),
    ("render", ["--out", "reviews/pages"], "--out", "reviews/pages", "reviews"),
    ("render", ["--out", "standards"], "--out", "standards", "standards"),
    ("render", ["--out", HF], "--out", HF, "reviews"),
    ("render", ["--out", "into-reviews/pages"], "--out", "into-reviews/pages", "reviews"),
]


@pytest.mark.parametrize(
    ("command", "args", "what", "target", "folder"),
    REFUSED_TARGETS,
    ids=[f"{c} {' '.join(a)}" for c, a, *_ in REFUSED_TARGETS],
)
def test_export_and_render_refuse_a_target_inside_the_content(
    make_repo: RepoFactory,
    qa: Qa,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    args: list[str],
    what: str,
    target: str,
    folder: str,
) -> None:
    repo = make_repo()
    shutil.copytree(ROOT / "site_templates", repo / "site_templates")
    (repo / "into-reviews").symlink_to(repo / HF)  # a link outside the content, into it
    monkeypatch.chdir(repo)
    before = content_tree(repo)

    result = qa(command, "--root", repo, *args)

    assert result.code == 2, result.both
    assert result.out == ""
    assert f"Error: {what} {target} {CONTENT_OUTSIDE.format(folder=folder)}" in result.err
    assert content_tree(repo) == before
    assert (repo / f"{TEAM}/team.yml").read_text(encoding="utf-8") == base_text(f"{TEAM}/team.yml")


@pytest.mark.parametrize(
    "site", ["reviews/site", "standards/site", "reviews", f"{HF}/learning-disability"]
)
def test_build_refuses_a_site_folder_inside_the_content(sample: Path, qa: Qa, site: str) -> None:
    before = content_tree(sample)

    result = qa("build", "--root", sample, "-d", sample / site)

    folder = site.split("/")[0]
    assert result.code == 2, result.both
    assert (
        f"Error: the site folder {sample / site} {CONTENT_OUTSIDE.format(folder=folder)}"
        in result.err
    )
    assert content_tree(sample) == before
    assert not (sample / "reviews/site").exists() and not (sample / "standards/site").exists()


class _FullDisk:
    """The disk under ``folder`` fills up: the first ``allowed`` files opened for
    writing there are written; every write after that fails with ENOSPC, as does
    every copy (``os.sendfile``, which ``shutil`` uses to copy a theme's files)."""

    def __init__(self, folder: Path, allowed: int = 0) -> None:
        self.folder = os.path.realpath(folder)
        self.allowed = allowed
        self.failed = 0
        self.copied_from: list[str] = []  # the files a failed copy was reading

    def _under(self, path: Any) -> bool:
        if isinstance(path, int):
            return False
        text = os.path.abspath(os.fsdecode(os.fspath(path)))
        return text.startswith(self.folder + os.sep) and not text.endswith(".lock")

    def _full(self, path: Any) -> bool:
        if not self._under(path):
            return False
        if self.allowed > 0:
            self.allowed -= 1
            return False
        return True

    def fail(self) -> None:
        self.failed += 1
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> _FullDisk:
        real_open, real_fdopen = builtins.open, os.fdopen
        real_sendfile = getattr(os, "sendfile", None)
        disk = self

        class FullFile:
            def __init__(self, handle: Any) -> None:
                self._handle = handle

            def write(self, data: Any) -> int:
                disk.fail()
                return 0

            def writelines(self, lines: Any) -> None:
                disk.fail()

            def __enter__(self) -> FullFile:
                return self

            def __exit__(self, *exc: object) -> None:
                self._handle.close()

            def __getattr__(self, name: str) -> Any:
                return getattr(self._handle, name)

        def patched_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_open(file, mode, *args, **kwargs)
            if any(m in mode for m in "wax+") and disk._full(file):
                return FullFile(handle)
            return handle

        def patched_fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, mode, *args, **kwargs)
            if "w" in mode and disk._full(os.readlink(f"/proc/self/fd/{fd}")):
                return FullFile(handle)
            return handle

        def patched_sendfile(out_fd: int, in_fd: int, offset: Any, count: int) -> int:
            if disk._under(os.readlink(f"/proc/self/fd/{out_fd}")):
                disk.copied_from.append(os.readlink(f"/proc/self/fd/{in_fd}"))
                disk.fail()  # shutil then names the file it was copying from
            assert real_sendfile is not None
            return int(real_sendfile(out_fd, in_fd, offset, count))

        monkeypatch.setattr(builtins, "open", patched_open)
        monkeypatch.setattr(io, "open", patched_open)
        monkeypatch.setattr(os, "fdopen", patched_fdopen)
        if real_sendfile is not None:
            monkeypatch.setattr(os, "sendfile", patched_sendfile)
        return self


needs_proc = pytest.mark.skipif(
    not os.path.isdir("/proc/self/fd"), reason="finds an open file's path in /proc"
)


@needs_proc
@pytest.mark.parametrize(
    ("args", "name"),
    [
        ([], "results.json"),
        (["--format", "csv"], "results.csv"),
        (["--format", "xlsx"], "book.xlsx"),
        (["--format", "datapackage"], "package"),
    ],
    ids=["json", "csv", "xlsx", "datapackage"],
)
def test_a_full_disk_during_export_names_the_target_and_keeps_the_old_output(
    make_repo: RepoFactory,
    qa: Qa,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
    name: str,
) -> None:
    repo = make_repo()
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    first = qa("export", "--root", repo, *args, "-o", target)
    assert first.code == 0, first.both
    before = snapshot(out)
    disk = _FullDisk(out).install(monkeypatch)

    result = qa("export", "--root", repo, *args, "-o", target)

    assert disk.failed, "the write never reached the full disk"
    assert result.code == 2, result.both
    assert result.err.splitlines()[-1] == could_not_write("export", target)
    assert "Traceback" not in result.err
    assert snapshot(out) == before, "the old output is kept, and nothing half-written is left"


def test_a_read_only_target_for_export_is_named(
    make_repo: RepoFactory, qa: Qa, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = make_repo()
    target = tmp_path / "results.json"

    def read_only(*args: Any, **kwargs: Any) -> Any:
        name = os.path.join(kwargs.get("dir") or str(tmp_path), ".qa-site.tmp")
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), name)

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    result = qa("export", "--root", repo, "-o", target)

    assert result.code == 2, result.both
    assert result.err.splitlines()[-1] == (
        f"qa-site export: could not write {target}: Read-only file system; nothing was "
        f"replaced, and {target} was left as it was"
    )
    assert not target.exists()


@needs_proc
def test_a_full_disk_during_render_names_the_target_and_keeps_the_old_pages(
    make_repo: RepoFactory, qa: Qa, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = make_repo()
    shutil.copytree(ROOT / "site_templates", repo / "site_templates")
    pages = tmp_path / "pages"
    first = qa("render", "--root", repo, "--out", pages)
    assert first.code == 0, first.both
    before = snapshot(pages)
    disk = _FullDisk(tmp_path, allowed=5).install(monkeypatch)

    result = qa("render", "--root", repo, "--out", pages)

    assert disk.failed
    assert result.code == 2, result.both
    assert result.err.splitlines()[-1] == could_not_write("render", pages)
    assert snapshot(pages) == before
    assert sorted(p.name for p in tmp_path.iterdir() if ".staging." in p.name) == []


@needs_proc
def test_a_full_disk_during_build_names_the_site_not_a_theme_file(
    sample_copy: Path, qa: Qa, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    site = tmp_path / "published" / "site"
    first = run_cli("build", "--root", str(sample_copy), "-d", str(site), cwd=sample_copy)
    assert first.returncode == 0, first.stderr
    before = snapshot(site)
    disk = _FullDisk(site.parent).install(monkeypatch)

    result = qa("build", "--root", sample_copy, "-d", site)

    assert disk.copied_from, "no file was copied into the site"
    assert result.code == 2, result.both
    assert result.err.splitlines()[-1] == could_not_write("build", site)
    assert not [source for source in disk.copied_from if source in result.err]
    assert "site-packages" not in result.err
    assert str(ROOT / "generator") not in result.err
    assert snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir() if ".staging." in p.name) == []


# --------------------------------------------------------------------------
# 7. A frontmatter line of hundreds of thousands of spaces


SPACES = 300_000


@pytest.mark.parametrize(
    ("path", "after", "line_text"),
    [
        (REVIEW, "status: presented\n", "oops"),
        (REVIEW, "status: presented\n", "notes: value"),
        (REVIEW, "status: presented\n", "notes: |"),
        (REVIEW, "status: presented\n", "- item"),
        (REVIEW, "status: presented\n", "a:b:c:d #e 'f"),
        (f"{TEAM}/team.yml", "service: learning-disability\n", "oops"),
        (f"{TEAM}/team.yml", "service: learning-disability\n", "notes: >"),
    ],
    ids=["word", "key", "block", "item", "colons", "team word", "team block"],
)
def test_a_line_of_many_spaces_gets_the_same_problems_as_a_short_one(
    make_repo: RepoFactory, qa: Qa, path: str, after: str, line_text: str
) -> None:
    text = base_text(path)
    assert after in text

    def problems(spaces: int) -> list[str]:
        repo = make_repo({path: text.replace(after, after + " " * spaces + line_text + "\n", 1)})
        result = qa("validate", "--root", repo)
        assert "internal error" not in result.err
        return result.lines

    short, long = problems(4), problems(SPACES)

    assert long == short
    assert long, "a stray line in the frontmatter is always reported"
    assert all(len(line) < 400 for line in long), "the spaces are never quoted whole"


def test_a_line_of_many_spaces_before_a_key_is_the_usual_syntax_error(
    make_repo: RepoFactory, qa: Qa
) -> None:
    text = base_text(REVIEW).replace(
        "status: presented\n", "status: presented\n" + " " * SPACES + "notes: value\n", 1
    )
    repo = make_repo({REVIEW: text})

    result = qa("validate", "--root", repo)

    assert result.lines == [
        f"{REVIEW}:3: yaml: YAML syntax error: mapping values are not allowed here (a value "
        "that contains ': ' must be put in quotes, or a line is indented wrongly)"
    ]


def test_a_blank_line_of_many_spaces_changes_nothing(make_repo: RepoFactory, qa: Qa) -> None:
    text = base_text(REVIEW).replace(
        "status: presented\n", "status: presented\n" + " " * SPACES + "\n"
    )
    repo = make_repo(
        {REVIEW: text, f"{TEAM}/team.yml": base_text(f"{TEAM}/team.yml") + " " * SPACES + "\n"}
    )

    result = qa("validate", "--root", repo)

    assert (result.code, result.out) == (0, ""), result.both
