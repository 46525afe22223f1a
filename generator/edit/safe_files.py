"""The only way the editor touches files: a review or a meeting's minutes, named by its
repository-relative path, read and written without ever following a symbolic link.

The editor is driven by a web page, so every path it is given is treated as hostile:
it must have exactly the shape of a review (``reviews/<borough>/<team>/<date>.md``) or
of minutes (``reviews/<borough>/governance/<date>.md``), and every folder on the way
is opened from the repository's root with a directory descriptor that refuses a link
(``O_NOFOLLOW``), so that a link swapped in for a folder between a check and a write
can never lead outside the repository. Writes are atomic (a temporary file in the same
folder, synced, renamed over the file) so a crash leaves the old text or the new, never
half of one. Borough and team folders are never created: a new team starts with
``qa-site new team``.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from generator.core.dates import parse_iso_date
from generator.edit.refusals import EditRefused
from generator.load.repository import GOVERNANCE_FOLDER, MAX_FILE_BYTES
from generator.model.types import KEBAB_ID_PATTERN

REVIEWS_FOLDER = "reviews"

_ID = re.compile(KEBAB_ID_PATTERN)
_FILE_NAME = re.compile(r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})\.md")
_SHAPE = (
    "the editor writes only reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
    "reviews/<borough>/governance/<YYYY-MM-DD>.md"
)
_FOLDER_FLAGS = (
    os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
)
# O_NONBLOCK: a named pipe put where a review belongs must not hold the editor up.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC | os.O_NONBLOCK


def works_here() -> bool:
    """Whether this system lets the editor open folders without following links
    (POSIX: folder descriptors and O_NOFOLLOW); Windows does not."""
    return os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW")


def editable_path(relative: str) -> str:
    """``relative`` as the repository-relative POSIX path of a file the editor may
    write, or EditRefused: 403 for a path that tries to leave the repository (``..``,
    absolute, a backslash, a NUL), 400 for any other shape than a review's or minutes'.
    """
    if "\0" in relative or "\\" in relative or relative.startswith("/"):
        raise EditRefused(403, f"'{_shown(relative)}' is not a path inside reviews/; {_SHAPE}")
    parts = relative.split("/")
    if ".." in parts:
        raise EditRefused(403, f"'{_shown(relative)}' leads out of its folder (..); {_SHAPE}")
    if len(parts) != 4 or parts[0] != REVIEWS_FOLDER or "" in parts:
        raise EditRefused(400, f"'{_shown(relative)}' is not a review or minutes; {_SHAPE}")
    _, borough, team, name = parts
    for what, value in (("borough", borough), ("team", team)):
        if not _ID.fullmatch(value):
            raise EditRefused(
                400,
                f"'{_shown(relative)}': the {what} folder '{_shown(value)}' is not an id "
                "(lower-case letters, digits and single hyphens, as the folders are named)",
            )
    matched = _FILE_NAME.fullmatch(name)
    if matched is None:
        raise EditRefused(
            400, f"'{_shown(relative)}': the file name must be the date, YYYY-MM-DD.md"
        )
    try:
        parse_iso_date(matched["date"])
    except ValueError:
        raise EditRefused(
            400, f"'{_shown(relative)}': {matched['date']} is not a real calendar date"
        ) from None
    return relative


def is_minutes(relative: str) -> bool:
    """Whether an editable path is a governance meeting's minutes, not a review."""
    return editable_path(relative).split("/")[2] == GOVERNANCE_FOLDER


def read_text(root: Path, relative: str) -> str | None:
    """The text of the file at ``relative`` (UTF-8), or None when there is none."""
    relative = editable_path(relative)
    folder_parts, name = _split(relative)
    with _folder(root, relative, folder_parts, missing_ok=True) as folder:
        if folder is None:
            return None
        try:
            handle = os.open(name, _READ_FLAGS, dir_fd=folder)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _refusal_for(relative, error) from None
        with os.fdopen(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise EditRefused(403, f"{relative} is not an ordinary file; the editor left it")
            raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise EditRefused(
            413,
            f"{relative} is larger than {MAX_FILE_BYTES // 1024} KiB, the most a content "
            "file may hold; split it or edit it by hand",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise EditRefused(
            422,
            f"{relative} is not UTF-8 text (byte {error.start + 1}); save it as UTF-8 "
            "in a text editor first",
        ) from None


def exists(root: Path, relative: str) -> bool:
    """Whether the file at ``relative`` is there (a link in the way is refused)."""
    relative = editable_path(relative)
    folder_parts, name = _split(relative)
    with _folder(root, relative, folder_parts, missing_ok=True) as folder:
        return folder is not None and _existing_mode(folder, relative, name) is not None


def write_text(root: Path, relative: str, text: str) -> None:
    """Write ``text`` (UTF-8, exactly as given) to ``relative``, atomically: the file
    keeps its permission bits; a new one gets the usual ones (the umask's). The
    borough and team folders must already exist."""
    relative = editable_path(relative)
    data = text.encode("utf-8")
    folder_parts, name = _split(relative)
    with _folder(root, relative, folder_parts, missing_ok=False) as folder:
        assert folder is not None  # missing_ok=False refuses a missing folder
        mode = _existing_mode(folder, relative, name)
        temporary = f".{name}.{secrets.token_hex(8)}.tmp"  # a dot: never read as content
        handle = os.open(
            temporary,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC,
            0o666,
            dir_fd=folder,
        )
        try:
            with os.fdopen(handle, "wb") as file:
                if mode is not None:
                    os.fchmod(file.fileno(), mode)
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            # A rename replaces the entry itself: a link put there since is replaced,
            # never followed.
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
            raise
        os.fsync(folder)


def remove(root: Path, relative: str) -> None:
    """Delete the file at ``relative`` (a draft renamed to another date, say);
    EditRefused (404) when it is not there."""
    relative = editable_path(relative)
    folder_parts, name = _split(relative)
    with _folder(root, relative, folder_parts, missing_ok=True) as folder:
        if folder is None or _existing_mode(folder, relative, name) is None:
            raise EditRefused(404, f"{relative} is not there; nothing was removed")
        os.unlink(name, dir_fd=folder)
        os.fsync(folder)


def _split(relative: str) -> tuple[list[str], str]:
    *folders, name = relative.split("/")
    return folders, name


@contextmanager
def _folder(
    root: Path, relative: str, parts: list[str], *, missing_ok: bool
) -> Iterator[int | None]:
    """A descriptor of the folder ``parts`` below ``root``, walked one folder at a time
    with no link followed; None when a folder is missing and ``missing_ok``."""
    current = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    try:
        for depth, part in enumerate(parts):
            where = "/".join(parts[: depth + 1])
            try:
                child = os.open(part, _FOLDER_FLAGS, dir_fd=current)
            except FileNotFoundError:
                if missing_ok:
                    yield None
                    return
                if depth == len(parts) - 1 and part == GOVERNANCE_FOLDER:
                    # A borough's first minutes: its governance folder is made, as
                    # qa-site new meeting makes it; never any other folder.
                    os.mkdir(part, 0o777, dir_fd=current)
                    child = os.open(part, _FOLDER_FLAGS, dir_fd=current)
                    os.close(current)
                    current = child
                    continue
                raise EditRefused(
                    404,
                    f"{where}/ does not exist, so {relative} cannot be written; the editor "
                    "never makes folders: start a new team with qa-site new team",
                ) from None
            except OSError as error:
                raise _folder_refusal(current, part, where, error) from None
            os.close(current)
            current = child
        yield current
    finally:
        os.close(current)


def _existing_mode(folder: int, relative: str, name: str) -> int | None:
    """The permission bits of the ordinary file ``name``, None when it is not there;
    EditRefused for a link or anything else that is not an ordinary file."""
    try:
        status = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(status.st_mode):
        raise _link_refused(relative)
    if not stat.S_ISREG(status.st_mode):
        raise EditRefused(403, f"{relative} is not an ordinary file; the editor left it")
    return stat.S_IMODE(status.st_mode)


def _folder_refusal(parent: int, part: str, where: str, error: OSError) -> EditRefused:
    """Why the folder ``part`` of ``parent`` could not be opened: a link, not a folder,
    or the system's own reason."""
    with suppress(OSError):
        mode = os.stat(part, dir_fd=parent, follow_symlinks=False).st_mode
        if stat.S_ISLNK(mode):
            return _link_refused(where)
        if not stat.S_ISDIR(mode):
            return EditRefused(403, f"{where} is not a folder; the editor left it")
    return _refusal_for(where, error)


def _refusal_for(where: str, error: OSError) -> EditRefused:
    """What an ``os.open`` that refused says: a link (ELOOP) or the system's reason."""
    if error.errno == errno.ELOOP:
        return _link_refused(where)
    reason = error.strerror or type(error).__name__
    return EditRefused(403, f"{where} could not be opened ({reason})")


def _link_refused(where: str) -> EditRefused:
    return EditRefused(
        403,
        f"{where} is a symbolic link, which the editor never follows; put the real "
        "folder or file there instead of a link",
    )


def _shown(value: str) -> str:
    """A path from a request, shortened and with control characters made visible, for a
    message."""
    text = value if len(value) <= 120 else value[:117] + "..."
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
