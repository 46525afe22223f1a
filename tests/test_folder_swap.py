"""`staged_folder`: its lock (fcntl, msvcrt on Windows, or a refusal) and a swap that
fails halfway (as Windows fails a rename while a web server holds a file open).
"""

from __future__ import annotations

import errno
import hashlib
import os
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.core.errors import UsageError
from generator.core.files import FolderInUse, staged_folder
from tests.support.cli import run_cli


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def in_use(out: Path) -> str:
    return f"another run is writing {out} now; try again when it has finished"


class FakeMsvcrt(types.ModuleType):
    """Windows' msvcrt, as far as locking: a byte range locked from the file's position,
    refused with EACCES while held (``LK_NBLCK``), and an unlock of a range not locked
    is an error, as on Windows."""

    LK_UNLCK, LK_LOCK, LK_NBLCK = 0, 1, 2

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.calls: list[tuple[int, int, int]] = []
        self.held: set[tuple[int, int]] = set()

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        position = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, position, nbytes))
        key = (os.fstat(fd).st_ino, position)
        if mode == self.LK_NBLCK:
            if key in self.held:
                raise OSError(errno.EACCES, "Permission denied")
            self.held.add(key)
        elif mode == self.LK_UNLCK:
            if key not in self.held:
                raise OSError(errno.EACCES, "Permission denied")
            self.held.remove(key)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    """A system with msvcrt and no fcntl."""
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "fcntl", None)  # importing it fails, as on Windows
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    return fake


def _a_second_run_is_refused_during_the_first(out: Path) -> None:
    with staged_folder(out) as staging:
        (staging / "index.html").write_text("first", encoding="utf-8")
        with pytest.raises(FolderInUse) as refused, staged_folder(out):
            pass
    assert refused.value.message == in_use(out)


def test_on_posix_a_second_run_is_refused_while_the_first_holds_the_lock(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    _a_second_run_is_refused_during_the_first(out)
    with staged_folder(out) as staging:  # released
        (staging / "index.html").write_text("second", encoding="utf-8")
    assert (out / "index.html").read_text(encoding="utf-8") == "second"


def test_on_windows_the_lock_is_msvcrt_s_and_is_released(
    tmp_path: Path, windows: FakeMsvcrt
) -> None:
    out = tmp_path / "site"
    _a_second_run_is_refused_during_the_first(out)
    lock, unlock = FakeMsvcrt.LK_NBLCK, FakeMsvcrt.LK_UNLCK
    # The first byte of the lock file each time, never waiting; unlocked once.
    assert windows.calls == [(lock, 0, 1), (lock, 0, 1), (unlock, 0, 1)]
    assert windows.held == set()
    with staged_folder(out) as staging:
        (staging / "index.html").write_text("second", encoding="utf-8")
    assert windows.calls[-2:] == [(lock, 0, 1), (unlock, 0, 1)]
    assert (out / "index.html").read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_on_windows_the_lock_is_released_when_the_run_fails(
    tmp_path: Path, windows: FakeMsvcrt
) -> None:
    with pytest.raises(RuntimeError), staged_folder(tmp_path / "site"):
        raise RuntimeError("the build failed")
    assert windows.held == set()
    assert [mode for mode, _, _ in windows.calls] == [FakeMsvcrt.LK_NBLCK, FakeMsvcrt.LK_UNLCK]


def test_on_windows_a_deploy_is_refused_while_another_holds_the_lock(
    tmp_path: Path, windows: FakeMsvcrt
) -> None:
    site = tmp_path / "built"
    site.mkdir()
    (site / "index.html").write_text(
        '<meta name="qa-site-edition" content="internal">', encoding="utf-8"
    )
    target = tmp_path / "www"
    with staged_folder(target):
        result = run_cli("deploy", str(site), "--to", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.endswith(f"Error: {in_use(target)}\n")
    assert windows.held == set()


def test_without_fcntl_or_msvcrt_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setitem(sys.modules, "msvcrt", None)
    out = tmp_path / "site"
    with pytest.raises(UsageError) as refused, staged_folder(out):
        pytest.fail("a folder to fill without a lock")
    assert refused.value.message == (
        "this system offers no file locks (neither fcntl nor msvcrt), so qa-site cannot "
        "keep two runs from replacing the same folder at once; nothing was written"
    )
    assert list(tmp_path.iterdir()) == []


# A rename refused halfway through the swap.


@pytest.fixture
def served(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    (site / ".htaccess").write_text("Require ip 10.0.0.0/8", encoding="utf-8")
    (site / "web.config").write_text("<configuration/>", encoding="utf-8")
    return site


def test_what_is_kept_is_always_the_old_folders_whatever_the_new_one_makes(
    tmp_path: Path, served: Path
) -> None:
    """The new folder's own ``Web.Config`` (any case) is dropped for the old folder's
    ``web.config``; a hidden entry it makes replaces the old one, as MkDocs would."""
    with staged_folder(served, keep=["web.config"]) as staging:
        (staging / "index.html").write_text("new", encoding="utf-8")
        (staging / "Web.Config").write_text("<configuration>open</configuration>", encoding="utf-8")
        (staging / "WEB.CONFIG").mkdir()
        (staging / ".htaccess").write_text("Require all granted", encoding="utf-8")
    assert tree(served) == {
        ".htaccess": hashlib.sha256(b"Require all granted").hexdigest(),
        "index.html": hashlib.sha256(b"new").hexdigest(),
        "web.config": hashlib.sha256(b"<configuration/>").hexdigest(),
    }
    assert sorted(p.name for p in served.iterdir()) == [".htaccess", "index.html", "web.config"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


# Which rename fails: the old site moved aside, or the new one moved in.
STEPS: dict[str, Callable[[Path, Path, Path], bool]] = {
    "moving-the-old-site-aside": lambda source, target, served: (
        source == served and target.parent.name.startswith(".site.old.")
    ),
    "moving-the-new-one-in": lambda source, target, served: (
        source.name.startswith(".site.staging.") and target == served
    ),
}


@pytest.mark.parametrize("step", STEPS)
def test_a_swap_refused_halfway_leaves_the_folder_as_it_was(
    tmp_path: Path, served: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    before = tree(served)
    rename = Path.rename

    def renaming(self: Path, target: str | os.PathLike[str]) -> Path:
        if STEPS[step](self, Path(target), served):
            # As Windows refuses it while a web server holds a file inside open.
            raise PermissionError(errno.EACCES, "Access is denied", str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", renaming)
    with pytest.raises(PermissionError), staged_folder(served, keep=["web.config"]) as staging:
        (staging / "index.html").write_text("new", encoding="utf-8")
    assert tree(served) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


# What a killed run left behind.


def test_the_leftovers_of_a_killed_run_are_found_by_the_folders_name_as_written(
    tmp_path: Path,
) -> None:
    """``site[1]`` is a name, not a pattern: what a run left beside ``site1`` (which
    ``.site[1].staging.*`` would match as a pattern) survives; its own leftovers go."""
    out = tmp_path / "site[1]"
    others = tmp_path / ".site1.staging.x"
    others.mkdir()
    (others / "index.html").write_text("another site, half built", encoding="utf-8")
    aside = tmp_path / ".site1.old.y" / "site1"
    aside.mkdir(parents=True)
    (aside / "index.html").write_text("another site, moved aside", encoding="utf-8")
    (tmp_path / ".site[1].staging.z").mkdir()
    (tmp_path / ".site[1].old.w").mkdir()

    with staged_folder(out) as staging:
        (staging / "index.html").write_text("new", encoding="utf-8")

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".site1.old.y",
        ".site1.staging.x",
        ".site[1].lock",
        "site[1]",
    ]
    assert tree(tmp_path / ".site1.staging.x") == {
        "index.html": hashlib.sha256(b"another site, half built").hexdigest()
    }
    assert tree(tmp_path / ".site1.old.y") == {
        "site1/index.html": hashlib.sha256(b"another site, moved aside").hexdigest()
    }
    assert tree(out) == {"index.html": hashlib.sha256(b"new").hexdigest()}
