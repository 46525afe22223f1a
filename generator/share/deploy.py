"""A built site published to a web server's folder (``qa-site deploy``).

The site comes as a folder or as an archive of one (.zip, .tar.gz: the artifact
CI keeps). It is copied whole into a new folder beside the served one and
swapped in only then (``staged_folder``): readers see the old site or the new
one, and a failure at any point leaves the served folder as it was.

Nothing is written before the site and the folder are known to be right:

- the site must be one qa-site built: its ``index.html`` carries
  ``<meta name="qa-site-edition">`` (``generator/theme/main.html`` puts it
  on every page);
- an archive must hold nothing but files and folders inside itself
  (``core/archives.py``); a folder, no link and nothing but files;
- every name must be one any server's disk holds as it is, Windows' too
  (``core/portable_names.py``), and no file may be one a web server reads as
  its settings or runs as code (``server_files.py``: a ``web.config``, an
  ``.aspx``, a ``.php``...);
- the served folder must be new, empty, or a site qa-site published before, of
  the same edition: a mistyped path never wipes another folder, and the
  internal edition never replaces what partners read by accident.

Hidden entries (``.git``, ``.htaccess``) of the site are left out: a built
folder keeps those of its own place. The served folder's own hidden entries and
its ``web.config`` (IIS's settings for the folder, who may read it among them)
are kept: the site cannot bring another.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from generator.core.archives import Archive, Entry, is_archive, open_archive
from generator.core.errors import ToolError, UsageError
from generator.core.files import staged_folder
from generator.core.portable_names import clashes, name_refusal
from generator.core.problems import FILE, Problem, excerpt
from generator.share.edition import EDITION_TITLES, EDITIONS, Edition
from generator.share.server_files import SETTINGS, server_file_refusal

# Always kept from the served folder, besides hidden entries: IIS reads the folder's
# settings (authorisation, MIME types) there, and a site never brings one.
KEPT = (SETTINGS,)
# Left free on the web server's disk after the new site is copied beside the old one.
HEADROOM = 100_000_000

# Where the system has it (not Windows), an open that refuses a link.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
# A junction's reparse tag; ``stat`` names it only on Windows.
_MOUNT_POINT = getattr(stat, "IO_REPARSE_TAG_MOUNT_POINT", 0xA0000003)

_EDITION_MARK = re.compile(rb'<meta\s+name="qa-site-edition"\s+content="([^"]*)"\s*/?>')


class NotASite(ToolError):
    """What was given to publish is not a site qa-site built."""


class SiteChanged(ToolError):
    """A file of the site folder was replaced by a link, or by what is not a file, after
    the folder was checked."""


@dataclass(frozen=True)
class Published:
    edition: Edition
    files: int
    hidden: int  # hidden entries of the site left out


class SiteSource(ABC):
    """A built site's files, wherever they are read from."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    @abstractmethod
    def files(self) -> list[str]:
        """Every file of the site, as a path inside it (``a/b.html``), hidden ones left
        out, in the order they are best read."""

    @abstractmethod
    def hidden(self) -> int:
        """How many hidden entries of the site are left out."""

    @abstractmethod
    def refusals(self) -> list[Problem]:
        """Every entry that stops the site being published."""

    @abstractmethod
    def read(self, name: str) -> IO[bytes]:
        """The bytes of the file ``name`` (one of ``files()``), as a stream."""

    @abstractmethod
    def size(self) -> int:
        """The bytes the site's files take (an archive's, as it declares them)."""

    def edition(self) -> Edition:
        """The edition the site is, from its ``index.html``; ``NotASite`` otherwise."""
        if "index.html" not in self.files():
            raise NotASite(f"{self.shown} is not a site built by qa-site: it has no index.html")
        with self.read("index.html") as stream:
            found = _EDITION_MARK.search(stream.read())
        return _edition(found.group(1) if found else None, self.shown)


class _FolderSite(SiteSource):
    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder
        self._files: list[str] = []
        self._refused: list[Problem] = []
        self._hidden = 0
        self._walk()

    def _walk(self) -> None:
        refused: dict[Path, str] = {}
        entries: list[tuple[str, ...]] = []  # what would be published, folders included
        for top, folders, names in os.walk(self.folder):
            here = Path(top)
            for name in [*folders, *names]:
                path = here / name
                parts = path.relative_to(self.folder).parts
                if name.startswith("."):
                    self._hidden += 1
                elif path.is_symlink() or _is_junction(path):
                    refused[path] = "is a link, which is never copied"
                elif name in names and not path.is_file():
                    refused[path] = "is not a file or a folder"
                elif (reason := _name_refusal(parts, is_file=name in names)) is not None:
                    refused[path] = reason
                else:
                    entries.append(parts)
                    if name in names:
                        self._files.append("/".join(parts))
            # Never into a hidden folder or through a link: neither is copied.
            folders[:] = [
                name
                for name in folders
                if not name.startswith(".")
                and not (here / name).is_symlink()
                and not _is_junction(here / name)
            ]
        entries.sort()
        for clash in clashes(entries):
            # A folder that clashes is refused once, not again for each file inside it.
            if clash.own == "/".join(entries[clash.index]):
                refused[self.folder.joinpath(*entries[clash.index])] = clash.reason
        self._files.sort()
        self._refused = sorted(
            Problem(str(path), 1, FILE, reason) for path, reason in refused.items()
        )

    def files(self) -> list[str]:
        return self._files

    def hidden(self) -> int:
        return self._hidden

    def refusals(self) -> list[Problem]:
        return self._refused

    def read(self, name: str) -> IO[bytes]:
        return _open_file(self.folder, name.split("/"))

    def size(self) -> int:
        return sum(os.lstat(self.folder / name).st_size for name in self._files)


class _ArchiveSite(SiteSource):
    """An archive of a site: at its top, or in its one top folder (``zip -r site.zip site``)."""

    def __init__(self, archive: Archive) -> None:
        super().__init__(str(archive.path))
        self.archive = archive
        entries = [entry for entry in archive.entries if entry.refusal is None and entry.parts]
        paths = {entry.parts for entry in archive.files()}
        tops = {entry.parts[0] for entry in entries}
        top: tuple[str, ...] = ()
        if ("index.html",) not in paths and len(tops) == 1:
            (name,) = tops
            if (name, "index.html") in paths:
                top = (name,)
        self._entries: dict[str, Entry] = {}
        self._hidden: set[tuple[str, ...]] = set()
        for entry in archive.files():
            if entry.parts[: len(top)] != top or len(entry.parts) == len(top):
                continue
            inside = entry.parts[len(top) :]
            hidden = next((i for i, part in enumerate(inside) if part.startswith(".")), None)
            if hidden is None:
                self._entries["/".join(inside)] = entry
            else:
                self._hidden.add(inside[: hidden + 1])

    def files(self) -> list[str]:
        # In the archive's order: a compressed tar is read from its start again for
        # every step back.
        return list(self._entries)

    def hidden(self) -> int:
        return len(self._hidden)

    def refusals(self) -> list[Problem]:
        refused = self.archive.refusals()
        numbers = {problem.line for problem in refused}
        for name, entry in self._entries.items():
            reason = server_file_refusal(tuple(name.split("/")))
            if reason is not None and entry.number not in numbers:
                refused.append(
                    Problem(str(self.archive.path), entry.number, excerpt(entry.name), reason)
                )
        return sorted(refused, key=lambda problem: problem.line)

    def read(self, name: str) -> IO[bytes]:
        return self.archive.read(self._entries[name])

    def size(self) -> int:
        return sum(entry.size for entry in self._entries.values())


def _name_refusal(parts: tuple[str, ...], *, is_file: bool) -> str | None:
    """Why the entry of a site folder at ``parts`` may not be published for its name."""
    reason = name_refusal(parts[-1])
    if reason is None and is_file:
        reason = server_file_refusal(parts)
    return reason


def _open_file(folder: Path, parts: list[str]) -> IO[bytes]:
    """A file of a site folder, opened for reading as it is now, never through a link.

    The folder was walked before anything was read: a link (or a pipe, which would
    keep the read waiting) put in place of a file or of a folder above it since then
    is refused as it is opened. ``O_NOFOLLOW`` and ``dir_fd`` are the system's
    (Linux, macOS); elsewhere what is opened is still refused unless it is a file.
    """
    path = folder.joinpath(*parts)
    flags = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        if _NO_FOLLOW and os.open in os.supports_dir_fd:
            handle = _open_below(folder, parts, flags)
        else:
            handle = os.open(path, flags)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK, errno.ENOTDIR):  # a link, or no folder
            raise _changed(path) from None
        raise
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise _changed(path)
    return os.fdopen(handle, "rb")


def _open_below(folder: Path, parts: list[str], flags: int) -> int:
    """``parts`` opened inside ``folder`` one step at a time, following no link on
    the way (``O_NOFOLLOW`` checks only the last step of a path)."""
    within = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | _NO_FOLLOW, dir_fd=within)
            os.close(within)
            within = inner
        return os.open(parts[-1], flags, dir_fd=within)
    finally:
        os.close(within)


def _changed(path: Path) -> SiteChanged:
    return SiteChanged(
        f"{path} changed while the site was published: it is now a link, or not a file, "
        "which is never copied; nothing was replaced"
    )


def _is_junction(path: Path) -> bool:
    """A Windows junction: a link to a folder that ``is_symlink`` does not see.

    ``os.path.isjunction`` came with Python 3.12; before it, Windows' ``lstat`` says
    what a folder is in ``st_reparse_tag``, which no other system's has.
    """
    check = getattr(os.path, "isjunction", None)
    if check is not None:
        return bool(check(path))
    try:
        tag = getattr(os.lstat(path), "st_reparse_tag", None)
    except OSError:
        return False
    return tag == _MOUNT_POINT


def _edition(value: bytes | None, shown: str) -> Edition:
    if value is None:
        raise NotASite(
            f"{shown} is not a site built by qa-site: its index.html has no "
            '<meta name="qa-site-edition">, which every page qa-site builds carries'
        )
    text = value.decode("utf-8", errors="replace")
    if text not in EDITIONS:
        raise NotASite(
            f"{shown} is not a site built by qa-site: its index.html names the edition "
            f"'{excerpt(text)}', which is neither {' nor '.join(EDITIONS)}"
        )
    return text


@contextmanager
def open_site(source: Path) -> Iterator[SiteSource]:
    """The site at ``source``: a folder, or a .zip, .tar.gz, .tgz or .tar of one."""
    if source.is_dir():
        yield _FolderSite(source.resolve())
    elif source.is_file() and is_archive(source):
        with open_archive(source) as archive:
            yield _ArchiveSite(archive)
    else:
        raise UsageError(
            f"{source} is neither a folder nor an archive (.zip, .tar.gz, .tgz or .tar) of a "
            "built site"
        )


def check_target(target: Path, source: Path, edition: Edition, *, change_edition: bool) -> None:
    """Refuse a folder that publishing ``source`` there could harm; else nothing."""
    target, source = target.resolve(), source.resolve()
    if target.parent == target:
        raise UsageError(f"{target} is the top of a drive; publish into a folder of it")
    if target == source or target.is_relative_to(source):
        raise UsageError(f"the folder to publish to, {target}, is inside the site {source}")
    if source.is_relative_to(target):
        raise UsageError(
            f"the site {source} is inside {target}, which is replaced whole; move it out first"
        )
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent} does not exist; create it, or check the path")
    if not target.exists():
        return
    if not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder to publish to")
    served = served_edition(target)
    if served is not None and served != edition and not change_edition:
        raise UsageError(
            f"{target} serves the {EDITION_TITLES[served]}, and this site is the "
            f"{EDITION_TITLES[edition]}; if that is meant, say so with --change-edition"
        )


def served_edition(folder: Path) -> Edition | None:
    """The edition of the site ``folder`` serves; None when it holds nothing but what
    publishing keeps. A folder of anything else is refused: it is replaced whole."""
    own = [
        entry
        for entry in folder.iterdir()
        if not entry.name.startswith(".") and entry.name.casefold() not in KEPT
    ]
    if not own:
        return None
    index = folder / "index.html"
    found = _EDITION_MARK.search(index.read_bytes()) if index.is_file() else None
    text = found.group(1).decode("utf-8", errors="replace") if found else None
    if text not in EDITIONS:
        raise UsageError(
            f"{folder} is not empty and holds no site qa-site published (no index.html "
            'with <meta name="qa-site-edition">); publishing replaces its folder whole, so '
            "choose another folder, or empty this one first"
        )
    return text


def check_room(site: SiteSource, target: Path) -> None:
    """Refuse a site the disk of ``target`` has no room for beside the one it serves.

    An archive says how large its files are, and reading one stops there: a
    small archive that unpacks to gigabytes (by mistake or by design) is
    refused before a byte is written, and never fills the web server's disk.
    """
    needed = site.size() + HEADROOM
    free = shutil.disk_usage(target.parent).free
    if needed > free:
        raise UsageError(
            f"the site needs {_megabytes(site.size())} and the disk of {target.parent} has "
            f"{_megabytes(free)} free (keeping {_megabytes(HEADROOM)} spare); nothing was "
            "written"
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def publish(site: SiteSource, edition: Edition, target: Path) -> Published:
    """Copy ``site`` into a new folder and swap it in place of ``target``."""
    check_room(site, target)
    names = site.files()
    with staged_folder(target, keep=KEPT) as staging:
        for name in names:
            path = staging.joinpath(*name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            with site.read(name) as stream:
                copy_file(stream, path)
    return Published(edition, len(names), site.hidden())


def copy_file(stream: IO[bytes], path: Path) -> None:
    """One file of the site written into the new folder, with the folder's usual mode
    (never the archive's), and never over another."""
    with path.open("xb") as out:
        shutil.copyfileobj(stream, out)
