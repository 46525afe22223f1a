"""Writing outputs safely: a file whole or not at all, a folder swapped in
only when it is complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from generator.core.errors import UsageError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one build at a time is up to the user
    fcntl = None  # type: ignore[assignment]


class FolderInUse(UsageError):
    """The output folder holds something other than what the tool writes there."""


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextlib.contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """A new, empty folder to fill; it replaces ``out`` in one step when the block
    ends without an error, and is removed otherwise, leaving ``out`` as it was.

    What the new folder does not make is kept from the old one, as MkDocs
    keeps it when it cleans a site folder: hidden entries (``.htaccess``, a
    ``.git`` of a publishing branch), the folder's permissions and group.
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
            if out.exists():
                for hidden in sorted(out.glob(".*")):
                    if not (staging / hidden.name).exists():
                        hidden.rename(staging / hidden.name)
                retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
                out.rename(retired / out.name)
                staging.rename(out)
                shutil.rmtree(retired, ignore_errors=True)
            else:
                staging.rename(out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _recover(out: Path) -> None:
    """Undo what a run killed midway left: a half-built folder, or the old one aside."""
    retired = sorted(out.parent.glob(f".{out.name}.old.*"))
    if not out.exists():
        for folder in retired:
            if (folder / out.name).is_dir():
                (folder / out.name).rename(out)
                break
    for stale in sorted(out.parent.glob(f".{out.name}.staging.*")) + retired:
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
    if fcntl is None:
        yield
        return
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderInUse(
                f"another run is writing {path.parent / path.name[1:-5]} now; try again "
                "when it has finished"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
