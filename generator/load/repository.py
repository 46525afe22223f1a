"""Load: find the content files of a repository and parse them, keeping lines.

The loader is deliberately dumb. It finds the files (following no link, reading
none over the size limit) and has each parsed by ``source_file``, which decodes
it, splits frontmatter from Markdown and turns YAML into plain Python data
(``yaml_nodes``), recording the line of every key and list item. It knows where
files live, not what they should contain: types and rules belong to
``generator.model`` and ``generator.check``.

Problems that stop a file from being read at all (bad encoding, YAML syntax,
tabs, duplicate keys) are collected here so that every file is still tried.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.collector import holds_collector
from generator.core.problems import FILE, Problem
from generator.load.source import Derived, Loc, SourceDocument, format_loc
from generator.load.source_file import parse_file

__all__ = [
    "BOROUGH_FILE",
    "FRAMEWORK_FILE",
    "GOVERNANCE_FOLDER",
    "MAX_FILE_BYTES",
    "TEAM_FILE",
    "BoroughFolder",
    "Derived",
    "LoadedRepository",
    "Loc",
    "ParseCache",
    "SourceDocument",
    "TeamFolder",
    "format_loc",
    "links_inside",
    "load_repository",
    "parse_file",
]

FRAMEWORK_FILE = "framework.yml"
BOROUGH_FILE = "borough.yml"
TEAM_FILE = "team.yml"
GOVERNANCE_FOLDER = "governance"


@dataclass
class TeamFolder:
    id: str
    path: str
    team: SourceDocument | None
    reviews: list[SourceDocument]


@dataclass
class BoroughFolder:
    id: str
    path: str
    borough: SourceDocument | None
    teams: list[TeamFolder]
    meetings: list[SourceDocument]


@dataclass
class LoadedRepository:
    """Everything the loader found, in a stable (sorted) order."""

    root: Path
    framework: SourceDocument | None
    standards: list[SourceDocument]
    boroughs: list[BoroughFolder]
    stray: list[str]  # files and folders that are not part of the format
    stray_contents: dict[str, list[str]]  # for each stray folder, the files inside it
    problems: list[Problem]
    # What the check works out from each document: the parse cache's, kept between
    # loads, or this load's own.
    derived: Derived = field(default_factory=Derived, compare=False, repr=False)


def _is_ignored(path: Path) -> bool:
    return path.name.startswith(".") or path.name.lower() == "readme.md"


# The most a content file may hold. A review of fifty standards, its case audits
# and a long narrative is tens of kilobytes; this leaves room for far more, and
# keeps a file pasted in by mistake (or made to be slow) from holding up a build.
MAX_FILE_BYTES = 1_048_576


def _link_problem(relative: str) -> Problem:
    return Problem(
        relative,
        1,
        FILE,
        "is a symbolic link, which is never followed: content must be real files and "
        "folders inside the repository; put the file itself here instead of a link",
    )


def _children(folder: Path, links: list[str], root: Path) -> list[Path]:
    """The entries of ``folder`` in name order; symbolic links are noted in ``links``
    and left out, so nothing outside the repository is ever read."""
    if folder.is_symlink() or not folder.is_dir():
        return []
    children = []
    for path in sorted((p for p in folder.iterdir() if not _is_ignored(p)), key=lambda p: p.name):
        if path.is_symlink():
            links.append(path.relative_to(root).as_posix())
        else:
            children.append(path)
    return children


def _files_inside(folder: Path) -> tuple[list[str], list[str]]:
    """The files under ``folder`` (relative to it), and the links found on the way,
    which are not followed."""
    files: list[str] = []
    links: list[str] = []
    for top, folders, names in os.walk(folder, followlinks=False):
        here = Path(top)
        for name in sorted(folders):
            if (here / name).is_symlink():
                links.append((here / name).relative_to(folder).as_posix())
        for name in names:
            path = here / name
            relative = path.relative_to(folder).as_posix()
            (links if path.is_symlink() else files).append(relative)
    return sorted(files), sorted(links)


def links_inside(folder: Path) -> list[str]:
    """Every symbolic link at or under ``folder`` (relative to its parent), none
    followed: for the folders the site is built from besides the content."""
    if folder.is_symlink():
        return [folder.name]
    if not folder.is_dir():
        return []
    return [f"{folder.name}/{link}" for link in _files_inside(folder)[1]]


def _read_bytes(path: Path) -> bytes:
    """A content file's bytes, at most ``MAX_FILE_BYTES + 1`` of them, never through a link."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags)
    with os.fdopen(handle, "rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


def _unreadable(relative: str, error: OSError) -> Problem:
    reason = error.strerror or type(error).__name__
    return Problem(
        relative,
        1,
        FILE,
        f"could not be read ({reason}); nothing in it was checked: check the file is there "
        "and readable, then run again",
    )


def _too_large(relative: str) -> Problem:
    return Problem(
        relative,
        1,
        FILE,
        f"is larger than {MAX_FILE_BYTES // 1024} KiB, the most a content file may hold; "
        "nothing in it was checked: split the text, or check that nothing was pasted in by "
        "mistake",
    )


class ParseCache:
    """Parsed files kept between loads, by content: while a reviewer edits with
    ``mkdocs serve`` (or ``validate --watch``) running, a rebuild parses only
    the files that changed.

    Every file is read and its bytes compared on every load: file times can
    lie (a share whose clock differs, a save within the same second), and
    reading and hashing is a small part of parsing. Parsed documents are never
    changed by later stages, so they can be shared; what the check worked out
    from each (its model, its problems, the guard's findings) is kept beside it
    (``derived``), so a check after an edit checks again only the edited file
    and what depends on it.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._seen: set[str] = set()
        self.parsed = 0  # files parsed by the last load
        self.reused = 0  # files taken from the cache by the last load
        self.derived = Derived()

    def start(self) -> None:
        self.parsed = self.reused = 0
        self._seen = set()

    def finish(self) -> None:
        """Forget files that are gone, so a long session does not hold on to them."""
        for gone in self._entries.keys() - self._seen:
            del self._entries[gone]
        self.derived.keep_only(self._seen)

    def read(
        self, path: Path, relative: str, markdown: bool
    ) -> tuple[SourceDocument, list[Problem]]:
        self._seen.add(relative)
        raw = _read_bytes(path)
        if len(raw) > MAX_FILE_BYTES:
            return SourceDocument(relative), [_too_large(relative)]
        digest = hashlib.sha256(raw).digest()
        entry = self._entries.get(relative)
        if entry is not None and entry.digest == digest and entry.markdown == markdown:
            self.reused += 1
            return entry.document, entry.problems
        document, problems = parse_file(raw, relative, markdown=markdown)
        self._entries[relative] = _Entry(digest, markdown, document, problems)
        self.parsed += 1
        return document, problems


@dataclass(frozen=True)
class _Entry:
    digest: bytes
    markdown: bool
    document: SourceDocument
    problems: list[Problem]


@holds_collector
def load_repository(
    root: Path,
    on_read: Callable[[str], None] | None = None,
    cache: ParseCache | None = None,
) -> LoadedRepository:
    """Read every content file under ``root``: the catalogue and the reviews.

    ``on_read`` is told each file's path as it is read (for a progress display);
    with a ``cache``, files unchanged since its last load are not parsed again.
    """
    if cache is not None:
        cache.start()
    root = root.resolve()
    problems: list[Problem] = []
    stray: list[str] = []
    stray_contents: dict[str, list[str]] = {}
    links: list[str] = []

    def rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    def set_aside(path: Path) -> None:
        stray.append(rel(path))
        if path.is_dir():
            # What a folder where none belongs holds, so nothing is dropped unseen.
            files, inner_links = _files_inside(path)
            stray_contents[rel(path)] = files
            links.extend(f"{rel(path)}/{link}" for link in inner_links)

    def read(path: Path, markdown: bool) -> SourceDocument:
        relative = rel(path)
        try:
            if cache is not None:
                document, found = cache.read(path, relative, markdown)
            else:
                raw = _read_bytes(path)
                if len(raw) > MAX_FILE_BYTES:
                    document, found = SourceDocument(relative), [_too_large(relative)]
                else:
                    document, found = parse_file(raw, relative, markdown=markdown)
        except OSError as error:  # a bad disk or share: name the file, read the rest
            document, found = SourceDocument(relative), [_unreadable(relative, error)]
        problems.extend(found)
        if on_read is not None:
            on_read(document.path)
        return document

    def is_file(path: Path) -> bool:
        """A real file here; a link in its place is noted, never followed."""
        if path.is_symlink():
            links.append(rel(path))
            return False
        return path.is_file()

    standards_dir = root / "standards"
    reviews_dir = root / "reviews"
    for folder in (standards_dir, reviews_dir):
        if folder.is_symlink():
            links.append(rel(folder))
    framework_path = standards_dir / FRAMEWORK_FILE
    framework = (
        read(framework_path, markdown=False)
        if not standards_dir.is_symlink() and is_file(framework_path)
        else None
    )
    standards = []
    for path in _children(standards_dir, links, root):
        if path.is_file() and path.suffix.lower() == ".md":
            standards.append(read(path, markdown=True))
        elif path.name != FRAMEWORK_FILE:
            set_aside(path)

    boroughs = []
    for borough_dir in _children(reviews_dir, links, root):
        if not borough_dir.is_dir():
            set_aside(borough_dir)
            continue
        borough_file = borough_dir / BOROUGH_FILE
        borough = read(borough_file, markdown=False) if is_file(borough_file) else None
        teams: list[TeamFolder] = []
        meetings: list[SourceDocument] = []
        for team_dir in _children(borough_dir, links, root):
            if team_dir.name == BOROUGH_FILE:
                continue
            if not team_dir.is_dir():
                set_aside(team_dir)
                continue
            documents = []
            for path in _children(team_dir, links, root):
                if path.is_file() and path.suffix.lower() == ".md":
                    documents.append(read(path, markdown=True))
                elif path.name != TEAM_FILE or team_dir.name == GOVERNANCE_FOLDER:
                    set_aside(path)
            if team_dir.name == GOVERNANCE_FOLDER:
                meetings = documents
                continue
            team_file = team_dir / TEAM_FILE
            team = read(team_file, markdown=False) if is_file(team_file) else None
            teams.append(TeamFolder(team_dir.name, rel(team_dir), team, documents))
        boroughs.append(BoroughFolder(borough_dir.name, rel(borough_dir), borough, teams, meetings))

    problems.extend(_link_problem(link) for link in sorted(set(links)))
    if cache is not None:
        cache.finish()
    derived = cache.derived if cache is not None else Derived()
    return LoadedRepository(
        root, framework, standards, boroughs, stray, stray_contents, problems, derived
    )
