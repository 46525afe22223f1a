"""Archives read safely: a .zip or a .tar.gz whose every entry is checked before
anything is taken out of it.

An archive comes from elsewhere (a CI artifact, a download) and is unpacked
into a folder a web server serves. An entry could name a place outside that
folder (an absolute path, ``..``, a drive), or be something other than a file
or a folder (a link, a device), or be named so that Windows cannot hold it
(``portable_names``). ``refusals`` finds every such entry at once;
the caller writes nothing while there is one. Files are then read one by one
(``read``): what is written, where, and with which permissions is the
caller's, never the archive's.
"""

from __future__ import annotations

import re
import stat
import tarfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, Protocol

from generator.core.errors import ToolError
from generator.core.portable_names import clashes, name_refusal
from generator.core.problems import Problem, excerpt

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")

EntryKind = Literal["file", "folder", "other"]

_DRIVE = re.compile(r"^[A-Za-z]:")


class UnreadableArchive(ToolError):
    """The archive is damaged or is not the kind its name says."""


@dataclass(frozen=True)
class Entry:
    """One entry of an archive: its place in the archive (from 1), its name as
    written, the parts of its path inside the folder, and what it is."""

    number: int
    name: str
    parts: tuple[str, ...]
    kind: EntryKind
    refusal: str | None  # why it may not be taken out, if it may not
    size: int = 0  # the bytes of a file, as the archive declares them (reading stops there)

    @property
    def path(self) -> str:
        return "/".join(self.parts)


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


class Archive:
    """An open archive's entries, and the bytes of its files."""

    def __init__(self, path: Path, entries: list[Entry], reader: _Reader) -> None:
        self.path = path
        self.entries = entries
        self._reader = reader

    def refusals(self) -> list[Problem]:
        """Every entry that may not be taken out, and why, as
        ``archive:number: name: reason``; duplicates and clashes included."""
        problems = [
            Problem(str(self.path), entry.number, excerpt(entry.name), entry.refusal)
            for entry in self.entries
            if entry.refusal is not None
        ]
        taken = [entry for entry in self.entries if entry.refusal is None and entry.parts]
        seen = Counter(entry.parts for entry in taken)
        files = {entry.parts for entry in taken if entry.kind == "file"}
        parents = {entry.parts[:end] for entry in taken for end in range(1, len(entry.parts))}
        clashing = {clash.index: clash for clash in clashes([entry.parts for entry in taken])}
        for index, entry in enumerate(taken):
            if seen[entry.parts] > 1:
                reason = "appears more than once in the archive"
            elif entry.parts in files and entry.parts in parents:
                reason = "is a file, and other entries are inside it as a folder"
            elif index in clashing:
                reason = clashing[index].reason
            else:
                continue
            problems.append(Problem(str(self.path), entry.number, excerpt(entry.name), reason))
        return sorted(problems, key=lambda problem: problem.line)

    def files(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == "file"]

    def read(self, entry: Entry) -> IO[bytes]:
        """The bytes of a file entry, as a stream; a damaged one fails as it is read."""
        return self._reader.read(entry)


class _Reader(Protocol):
    def read(self, entry: Entry) -> IO[bytes]:
        """The bytes of the file ``entry``, as a stream."""
        ...


@contextmanager
def open_archive(path: Path) -> Iterator[Archive]:
    """The archive at ``path`` (by its name: .zip, .tar.gz, .tgz or .tar), open.

    A damaged archive, or one that is not what its name says, is an
    ``UnreadableArchive``, here or while its files are read inside the block (a
    zip's checksums and a gzip's end are only checked then).
    """
    try:
        if path.name.lower().endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                yield Archive(path, _zip_entries(archive), _ZipReader(archive))
        else:
            with tarfile.open(path, "r:*") as archive:
                yield Archive(path, _tar_entries(archive), _TarReader(archive))
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error) as error:
        raise UnreadableArchive(f"{path} cannot be read as an archive: {error}") from None


class _ZipReader:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def read(self, entry: Entry) -> IO[bytes]:
        return self.archive.open(self.archive.infolist()[entry.number - 1])


class _TarReader:
    def __init__(self, archive: tarfile.TarFile) -> None:
        self.archive = archive
        self.members = archive.getmembers()

    def read(self, entry: Entry) -> IO[bytes]:
        stream = self.archive.extractfile(self.members[entry.number - 1])
        assert stream is not None  # only file entries are read
        return stream


def _zip_entries(archive: zipfile.ZipFile) -> list[Entry]:
    entries = []
    for number, info in enumerate(archive.infolist(), start=1):
        mode = info.external_attr >> 16 if info.create_system == 3 else 0  # made on Unix
        kind: EntryKind = "folder" if info.is_dir() else "file"
        refusal = _type_refusal(mode)
        if refusal is None and info.flag_bits & 0x1:
            refusal = "is encrypted"
        entries.append(_entry(number, info.filename, kind, refusal, info.file_size))
    return entries


def _tar_entries(archive: tarfile.TarFile) -> list[Entry]:
    entries = []
    for number, member in enumerate(archive.getmembers(), start=1):
        kind: EntryKind = "file" if member.isreg() else "folder" if member.isdir() else "other"
        refusal = None
        if member.issym():
            refusal = f"is a symbolic link (to '{excerpt(member.linkname)}')"
        elif member.islnk():
            refusal = f"is a hard link (to '{excerpt(member.linkname)}')"
        elif member.ischr() or member.isblk():
            refusal = "is a device file"
        elif member.isfifo():
            refusal = "is a named pipe"
        elif kind == "other":
            refusal = "is not a file or a folder"
        entries.append(_entry(number, member.name, kind, refusal, member.size))
    return entries


def _type_refusal(mode: int) -> str | None:
    """Why an entry whose Unix mode is ``mode`` may not be taken out (zip)."""
    if stat.S_IFMT(mode) == 0 or stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None  # no type: only permissions (Python's own zipfile writes these)
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe"
    return "is not a file or a folder"


def _entry(
    number: int, name: str, kind: EntryKind, refusal: str | None, size: int = 0
) -> Entry:
    """An entry with its path inside the folder; ``/`` and ``\\`` both separate, as
    Windows reads them."""
    parts = tuple(part for part in re.split(r"[/\\]", name) if part not in ("", "."))
    if refusal is None:
        refusal = _path_refusal(name, parts, kind)
    return Entry(
        number, name, parts if refusal is None else (), kind, refusal, size if kind == "file" else 0
    )


def _path_refusal(name: str, parts: tuple[str, ...], kind: EntryKind) -> str | None:
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path, which would be written outside the folder"
    if ".." in parts:
        return "goes up out of the folder (..)"
    if not parts and kind == "file":
        return "is a file with no name"
    return next(filter(None, map(name_refusal, parts)), None)
