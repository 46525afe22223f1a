"""The stages joined up, for the edges (the CLI now, the MkDocs plugin later).

    load  ->  validate  ->  score  ->  render

Only this module and the edges know about the clock and the environment;
every stage after it takes the as-of date as an argument.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from generator.check.validate import Validation, validate_repository
from generator.core.problems import sort_problems, with_excerpts
from generator.load.repository import LoadedRepository, ParseCache, load_repository
from generator.privacy.detect import DenyList
from generator.privacy.guard import guard_repository, withhold

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one build at a time is up to the user
    fcntl = None  # type: ignore[assignment]


class ContentRootNotFound(Exception):
    """No repository (a folder with standards/framework.yml) was found."""


def default_as_of(environ: Mapping[str, str] = os.environ) -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today's date."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds, got {epoch!r}") from None
    return dt.date.today()


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds standards/framework.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "standards" / "framework.yml").is_file():
            return folder
    raise ContentRootNotFound(
        f"no standards/framework.yml in {start} or any folder above it; "
        "run this inside a reviews repository or pass --root"
    )


def check(
    root: Path,
    as_of: dt.date,
    on_read: Callable[[str], None] | None = None,
    cache: ParseCache | None = None,
    deny: DenyList | None = None,
) -> Validation:
    """Load and validate every content file under ``root``, and scan it for personal
    data (names too, when a ``deny`` list is given)."""
    loaded = load_repository(root, on_read, cache)
    return guarded(validate_repository(loaded, as_of), loaded, deny)


def guarded(
    validation: Validation, loaded: LoadedRepository, deny: DenyList | None
) -> Validation:
    """``validation`` with the personal-data guard's findings added to its problems."""
    root = loaded.root
    guard = guard_repository(
        loaded, deny, lambda path: (root / path).read_text(encoding="utf-8", errors="replace")
    )
    # Other checks quote what they refuse; what looks like personal data is withheld.
    withheld = [
        dataclasses.replace(p, message=withhold(with_excerpts(p.message), deny))
        for p in validation.problems
    ]
    validation.problems = sort_problems([*withheld, *guard.problems])
    validation.accepted = guard.accepted
    return validation


DENY_LIST_VARIABLE = "QA_SITE_DENY_LIST"


def deny_list_path(path: Path | None, environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where the deny-list of names is: ``path``, else $QA_SITE_DENY_LIST, else nowhere."""
    if path is not None:
        return path
    named = environ.get(DENY_LIST_VARIABLE, "").strip()
    return Path(named) if named else None


def read_deny_list(
    path: Path | None, environ: Mapping[str, str] = os.environ
) -> DenyList | None:
    """The deny-list of names at ``deny_list_path(path)``, or None when none is named.

    A list that is named but cannot be read is an error (OSError, ValueError), never
    skipped: a scan without it would pass names it exists to stop.
    """
    path = deny_list_path(path, environ)
    if path is None:
        return None
    try:
        return DenyList.read(path)
    except UnicodeDecodeError:
        raise ValueError(f"deny-list {path} is not UTF-8 text") from None


def deny_list_inside(
    path: Path | None, folders: Iterable[Path], environ: Mapping[str, str] = os.environ
) -> tuple[Path, Path] | None:
    """The deny-list and the one of ``folders`` it is inside, if it is inside one:
    a published folder must never hold it."""
    path = deny_list_path(path, environ)
    if path is None:
        return None
    for folder in folders:
        if path.resolve().is_relative_to(folder.resolve()):
            return path, folder
    return None


# The folders reviewers write; no output of the tool may go inside them.
CONTENT_FOLDERS = ("reviews", "standards")


def content_folder_holding(root: Path, target: Path) -> str | None:
    """The content folder of ``root`` that ``target`` is (or is inside), if any."""
    resolved = target.resolve()
    for name in CONTENT_FOLDERS:
        if resolved.is_relative_to((root / name).resolve()):
            return name
    return None


class FolderInUse(Exception):
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


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``path`` whole or not at all: a failed write never leaves half a file."""
    path = path.resolve()
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # mkstemp makes the file private; give it the usual mode.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
