"""Writing outputs safely: a file whole or not at all, a folder swapped in
only when it is complete.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from generator.core.errors import UsageError


class FolderInUse(UsageError):
    """The output folder holds something other than what the tool writes there."""


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextlib.contextmanager
def staged_folder(out: Path, keep: Collection[str] = ()) -> Iterator[Path]:
    """A new, empty folder to fill; it replaces ``out`` in one step when the block
    ends without an error, and is removed otherwise, leaving ``out`` as it was.

    What the new folder does not make is kept from the old one, as MkDocs
    keeps it when it cleans a site folder: hidden entries (``.htaccess``, a
    ``.git`` of a publishing branch), and the folder's permissions and group.
    The entries named in ``keep`` (any case: ``web.config``) are always the old
    folder's: one the new folder makes of such a name is dropped for it.
    A lock beside ``out`` keeps two runs from swapping at once; holding it,
    whatever a killed run left behind is cleared up, and a site it had moved
    aside but not yet replaced is put back.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out.parent / f".{out.name}.lock"):
        _recover(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging.", dir=out.parent))
        try:
            _take_on(staging, out)
            yield staging
            _swap(staging, out, {name.casefold() for name in keep})
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _swap(staging: Path, out: Path, keep: Collection[str]) -> None:
    """Put ``staging`` in place of ``out``, carrying over what is kept; a rename that
    fails (on Windows, a file a web server holds open) leaves ``out`` as it was."""
    if not out.exists():
        staging.rename(out)
        return
    carried = [
        entry.name
        for entry in sorted(out.iterdir())
        if entry.name.casefold() in keep
        or (entry.name.startswith(".") and not os.path.lexists(staging / entry.name))
    ]
    if any(name.casefold() in keep for name in carried):
        for made in staging.iterdir():
            if made.name.casefold() in keep:
                _remove(made)
    moved: list[str] = []
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    try:
        for name in carried:
            (out / name).rename(staging / name)
            moved.append(name)
        out.rename(retired / out.name)
        try:
            staging.rename(out)
        except BaseException:
            (retired / out.name).rename(out)
            raise
    except BaseException:
        if out.is_dir():
            for name in moved:
                (staging / name).rename(out / name)
        if not (retired / out.name).exists():
            shutil.rmtree(retired, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        entry.unlink()


def empty_folder(folder: Path) -> None:
    """Remove everything in ``folder`` (a link is removed, never followed)."""
    for entry in sorted(folder.iterdir()):
        _remove(entry)


@contextlib.contextmanager
def filling_new_folder(out: Path) -> Iterator[None]:
    """Write into ``out``, new or empty (the caller has checked): if the block fails,
    ``out`` is left as it was found, removed if this made it, else emptied."""
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        yield
    except BaseException:
        if made:
            shutil.rmtree(out, ignore_errors=True)
        else:
            for entry in out.iterdir():
                with contextlib.suppress(OSError):
                    _remove(entry)
        raise


def _recover(out: Path) -> None:
    """Undo what a run killed midway left: a half-built folder, or the old one aside.

    The folder's name is escaped: ``site[1]`` must never match, and delete, what
    a run left beside ``site1``."""
    name = glob.escape(out.name)
    retired = sorted(out.parent.glob(f".{name}.old.*"))
    if not out.exists():
        for folder in retired:
            if (folder / out.name).is_dir():
                (folder / out.name).rename(out)
                break
    for stale in sorted(out.parent.glob(f".{name}.staging.*")) + retired:
        shutil.rmtree(stale, ignore_errors=True)


def _take_on(staging: Path, out: Path) -> None:
    """Give ``staging`` the permissions and group of the folder it will replace."""
    if not out.is_dir():
        # mkdtemp makes the folder private: a web server must be able to read it.
        os.chmod(staging, 0o777 & ~_umask())
        return
    shutil.copymode(out, staging)
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):  # only a member of the group may hand it on
            os.chown(staging, -1, out.stat().st_gid)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock file ``path`` for the block, or refuse: another run holds it.

    The lock is the system's own (``flock``, or ``msvcrt.locking`` on Windows), so it
    is released when the file is closed, and by the system when a run is killed.
    """
    lock = _system_lock()
    with open(path, "a+b") as handle:
        release = lock(handle, path)
        try:
            yield
        finally:
            release()


_Release = Callable[[], None]


def _system_lock() -> Callable[[BinaryIO, Path], _Release]:
    """How this system locks a file, or a refusal where it cannot."""
    if _system_module("fcntl") is not None:
        return _flock
    if _system_module("msvcrt") is not None:
        return _msvcrt_lock
    raise UsageError(
        "this system offers no file locks (neither fcntl nor msvcrt), so qa-site cannot "
        "keep two runs from replacing the same folder at once; nothing was written"
    )


def _system_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _flock(handle: BinaryIO, path: Path) -> _Release:
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise _in_use(path) from None
    return lambda: fcntl.flock(handle, fcntl.LOCK_UN)


def _msvcrt_lock(handle: BinaryIO, path: Path) -> _Release:
    msvcrt = importlib.import_module("msvcrt")
    # msvcrt locks bytes from the file's position: always its first byte, which
    # Windows lets a run lock even in an empty file.
    handle.seek(0)
    try:
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EDEADLOCK):
            raise _in_use(path) from None
        raise

    def release() -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

    return release


def _in_use(path: Path) -> FolderInUse:
    return FolderInUse(
        f"another run is writing {path.parent / path.name[1:-5]} now; try again "
        "when it has finished"
    )


def replace_files(
    folder: Path,
    files: Mapping[str, str | bytes],
    *,
    check: Callable[[Path], None] | None = None,
    stage_in: Path | None = None,
) -> None:
    """Write ``files`` (name -> content) into ``folder``, all whole or none at all.

    Every file is first written into a new hidden folder inside ``stage_in``
    (default: ``folder``; it must be on the same file system), where ``check``,
    if given, reads them and raises to stop. Only then does each replace the
    entry of its name in ``folder``, in the order given, so that the last can
    name the others. An entry that is a link is replaced, never written through.
    A failed write or check leaves ``folder`` as it was.
    """
    staging = Path(tempfile.mkdtemp(prefix=".qa-site.", dir=stage_in or folder))
    try:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            # Files made here get the usual mode (the folder itself is private).
            (staging / name).write_bytes(data)
        if check is not None:
            check(staging)
        for name in files:
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``path`` whole or not at all: a failed write never leaves half a file."""
    path = path.resolve()
    replace_files(path.parent, {path.name: content})
