"""Load: find the content files of a repository and parse them, keeping lines.

The loader is deliberately dumb. It reads bytes, decodes them, splits
frontmatter from Markdown and turns YAML into plain Python data, recording the
line of every key and list item. It knows where files live, not what they
should contain: types and rules belong to ``models`` and ``validate``.

Problems that stop a file from being read at all (bad encoding, YAML syntax,
tabs, duplicate keys) are collected here so that every file is still tried.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.problems import BODY, FILE, YAML, Problem, Severity, excerpt

# A key path inside a document: ("ratings", "S07", "note") or ("cases", 0, "ref").
Loc = tuple[str | int, ...]

FRAMEWORK_FILE = "framework.yml"
BOROUGH_FILE = "borough.yml"
TEAM_FILE = "team.yml"
GOVERNANCE_FOLDER = "governance"

_BOM = "\ufeff"


def format_loc(loc: Sequence[str | int]) -> str:
    """``("cases", 0, "ref")`` -> ``cases[0].ref``, the field name people read."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class SourceDocument:
    """One parsed content file and where each of its keys came from."""

    path: str  # relative to the repository root, with forward slashes
    data: Any = None  # the parsed YAML; None when the file could not be read
    positions: dict[Loc, int] = field(default_factory=dict)
    body: str = ""  # Markdown after the frontmatter
    body_line: int = 1  # line on which the body starts
    first_line: int = 1  # line on which the YAML starts

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def line_of(self, loc: Sequence[str | int]) -> int:
        """The line of ``loc``, or of its nearest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.first_line


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


# --------------------------------------------------------------------------
# Discovering files


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
    changed by later stages, so they can be shared.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._seen: set[str] = set()
        self.parsed = 0  # files parsed by the last load
        self.reused = 0  # files taken from the cache by the last load

    def start(self) -> None:
        self.parsed = self.reused = 0
        self._seen = set()

    def finish(self) -> None:
        """Forget files that are gone, so a long session does not hold on to them."""
        for gone in self._entries.keys() - self._seen:
            del self._entries[gone]

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
    return LoadedRepository(root, framework, standards, boroughs, stray, stray_contents, problems)


# --------------------------------------------------------------------------
# Parsing one file


def parse_file(raw: bytes, path: str, *, markdown: bool) -> tuple[SourceDocument, list[Problem]]:
    """Decode and parse one file; never raises on bad content."""
    document = SourceDocument(path)
    problems: list[Problem] = []

    def problem(line: int, field: str, message: str, severity: Severity = Severity.ERROR) -> None:
        # One problem, one line of output, whatever a library's message holds.
        problems.append(Problem(path, line, field, " ".join(message.split()), severity))

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problem(
            line,
            FILE,
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at column {column}); "
            "save the file with UTF-8 encoding",
        )
        return document, problems

    if text.startswith(_BOM):
        text = text[1:]
        problem(
            1,
            FILE,
            "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
            Severity.WARNING,
        )
    if not text.strip():
        problem(1, FILE, "file is empty")
        return document, problems

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if markdown:
        split = _split_frontmatter(text)
        if isinstance(split, str):
            problem(1, FILE, split)
            return document, problems
        yaml_text, document.body, document.body_line = split
        document.first_line = 2
        for index, text_line in enumerate(document.body.split("\n")):
            char = _CONTROL_IN_BODY.search(text_line)
            if char is not None:
                problem(
                    document.body_line + index,
                    BODY,
                    f"an invisible control character (U+{ord(char.group()):04X}) is on this "
                    "line; delete it or retype the line (it would be written into the pages "
                    "as it is)",
                )
    else:
        yaml_text = text
    offset = document.first_line - 1

    lines = yaml_text.split("\n")
    invisible = [(i, _INVISIBLE.search(text_line)) for i, text_line in enumerate(lines)]
    for index, char in invisible:
        if char is not None:
            problem(
                index + 1 + offset,
                YAML,
                f"an invisible control character (U+{ord(char.group()):04X}, often pasted from "
                "a word processor) is on this line; delete it or retype the line",
            )
    if any(char for _, char in invisible):
        return document, problems
    in_block = _block_scalar_lines(lines)
    tabs = [i for i, line in enumerate(lines) if not in_block[i] and _has_tab_indent(line)]
    if tabs:
        for index in tabs:
            problem(
                index + 1 + offset,
                YAML,
                "tab character in indentation; YAML needs spaces (indent with two spaces)",
            )
        return document, problems

    try:
        node, value_ends = _compose(yaml_text)
    except yaml.MarkedYAMLError as error:
        line, message = _describe_yaml_error(error, lines)
        heading = next((i for i, text in enumerate(lines) if _MARKDOWN_HEADING.match(text)), None)
        if markdown and heading is not None and heading < line:
            # A Markdown heading inside the frontmatter: the closing '---' is
            # missing above it, and a later '---' (a rule) was taken for it.
            line, message = (
                heading + 1,
                (
                    "the frontmatter's closing '---' line seems to be missing before this "
                    f"Markdown heading ({message})"
                ),
            )
        problem(line + offset, YAML, message)
        return document, problems
    except _AliasFound as alias:
        problem(
            alias.line + offset,
            YAML,
            "anchors and aliases (values starting with & or *) are not supported: "
            "write the value out in full, or put it in quotes",
        )
        return document, problems
    except RecursionError:
        problem(1 + offset, YAML, "nested too deeply to read: check the brackets")
        return document, problems
    except yaml.YAMLError as error:  # e.g. a character YAML does not allow
        problem(1 + offset, YAML, f"cannot be read as YAML: {error}")
        return document, problems

    if node is None:
        problem(1, FILE, "no YAML content: expected 'key: value' lines")
        return document, problems
    for index in _lines_with_dropped_text(lines, value_ends):
        problem(
            index + 1 + offset,
            YAML,
            "text after ' #' is a YAML comment and is dropped; if it belongs to the "
            'value, put the whole value in quotes ("...")',
            Severity.WARNING,
        )
    builder = _Builder(path, offset)
    try:
        document.data = builder.build(node, ())
    except RecursionError:
        problem(1 + offset, YAML, "nested too deeply to read: check the brackets")
        return document, problems
    document.positions = builder.positions
    problems.extend(builder.problems)
    return document, problems


class _AliasFound(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _ContentLoader(yaml.SafeLoader):
    """Composes one document in a single pass, refusing anchors and aliases.

    Nothing in the format needs them, and they let a few lines expand into
    millions of nodes or refer to themselves; refusing them keeps every value
    where the reviewer can see it. On the way it notes where each unquoted
    value ends, to find text that a ' #' silently cut off.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.plain_value_ends: list[Mark] = []

    def get_token(self) -> Any:
        token = super().get_token()  # type: ignore[no-untyped-call]
        if isinstance(token, yaml.ScalarToken) and token.plain:
            self.plain_value_ends.append(token.end_mark)
        return token

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _AliasFound(event.start_mark.line + 1)
        node: Node | None = super().compose_node(parent, index)
        return node


# libyaml's parser, where PyYAML was built with it: the same nodes and marks,
# many times faster than PyYAML's own.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)
# What libyaml accepts and PyYAML does not: some tabs, tags, and a comment glued
# to a block scalar's indicator (">#1").
_LIBYAML_ONLY = re.compile(r"\t|!|[|>][-+0-9]*#")


def _compose(text: str) -> tuple[Node | None, list[Mark]]:
    """The document's node tree, and where its unquoted values end."""
    # Text that libyaml reads and PyYAML refuses goes to PyYAML, so that a file
    # means the same wherever PyYAML was built with libyaml.
    if _FAST_LOADER is not None and not _LIBYAML_ONLY.search(text):
        try:
            return _compose_fast(text)
        except yaml.YAMLError:
            pass  # PyYAML's own parser words the error the way the reviewers' docs show
    loader = _ContentLoader(text)
    try:
        node: Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return node, loader.plain_value_ends


def _compose_fast(text: str) -> tuple[Node | None, list[Mark]]:
    """``_compose`` with libyaml: where the text could hold an anchor or alias, a
    pass over the events to refuse them; then the nodes, and where unquoted
    values end."""
    ends: list[Any] = []  # libyaml's marks: line and column, as PyYAML's
    if "&" in text or "*" in text:  # an anchor or alias is possible: look before composing
        events = _FAST_LOADER(text)
        try:
            while (event := events.get_event()) is not None:
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    raise _AliasFound(event.start_mark.line + 1)
        finally:
            events.dispose()
    loader = _FAST_LOADER(text)
    try:
        node: Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    pending = [node] if node is not None else []
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.ScalarNode):
            # Plain (style None in PyYAML, '' in libyaml) and written: libyaml
            # also gives an empty value (`closed:`) a plain node, PyYAML no token.
            if not current.style and current.value:
                ends.append(current.end_mark)
        elif isinstance(current, yaml.MappingNode):
            pending.extend(part for pair in current.value for part in pair)
        else:
            pending.extend(current.value)
    return node, ends


# Characters YAML refuses or counts as line breaks, which editors do not show.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff\ufffe\uffff]")
# Control characters in a Markdown body: a tab and line breaks are text, nothing else is
# (NUL and terminal escapes would be written raw into the pages and the search index).
_CONTROL_IN_BODY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# A '#' that starts a comment right after an unquoted value, written against
# the next word ("#1 to #5"): what follows is silently dropped. "  # note" is
# a comment by intent and is left alone.
_DROPPED_COMMENT = re.compile(r"\s+#\S")
# "## Findings" inside the frontmatter; "# text" is more often a YAML comment.
_MARKDOWN_HEADING = re.compile(r"#{2,6} \S")
# A block scalar's indicator (| or >, then its modifiers, perhaps a comment) ending a line.
_BLOCK_INDICATOR = re.compile(r"\s*[|>][-+0-9]*[ \t]*(?:#.*)?$")
_KEY_END = re.compile(r"[^:#'\"]*:")


def _lines_with_dropped_text(lines: list[str], value_ends: list[Mark]) -> list[int]:
    """Indices of lines where an unquoted value is cut short by a '#'."""
    return sorted(
        {
            end.line
            for end in value_ends
            if end.line < len(lines) and _DROPPED_COMMENT.match(lines[end.line], end.column)
        }
    )


def _has_tab_indent(line: str) -> bool:
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent


def _block_scalar_lines(lines: list[str]) -> list[bool]:
    """Which lines are the text of a literal or folded block (| or >)."""
    inside = [False] * len(lines)
    parent_indent: int | None = None
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if parent_indent is not None:
            if not line.strip() or indent > parent_indent:
                inside[index] = True
                continue
            parent_indent = None
        if _starts_block(line):
            parent_indent = len(line) - len(line.lstrip())
    return inside


def _starts_block(line: str) -> bool:
    """Whether ``line`` is ``[- ][key:] |`` (or ``>``), in one pass over it.

    Written without a regular expression whose parts overlap: on a line of many
    thousands of spaces that one took minutes.
    """
    position = len(line) - len(line.lstrip())
    if line.startswith("- ", position):
        position += 2
    if _BLOCK_INDICATOR.match(line, position):
        return True
    # Each ':' before the first '#' or quote may end the key.
    while (key := _KEY_END.match(line, position)) is not None:
        position = key.end()
        if _BLOCK_INDICATOR.match(line, position):
            return True
    return False


def _split_frontmatter(text: str) -> tuple[str, str, int] | str:
    """(frontmatter YAML, Markdown body, body's first line), or what is wrong."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return "no frontmatter: the file must start with a line '---', then the YAML keys"
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            body = "\n".join(lines[index + 1 :])
            return "\n".join(lines[1:index]) + "\n", body, index + 2
    return "frontmatter is not closed: add a line '---' after the last YAML key"


_YAML_HINTS = {
    "expected alphabetic or numeric character": (
        "a value starting with '*', '&' or '!' must be put in quotes"
    ),
    "expected <block end>": "a line is indented more or less than the lines around it",
    "mapping values are not allowed here": (
        "a value that contains ': ' must be put in quotes, or a line is indented wrongly"
    ),
    "could not find expected ':'": "a line is missing its ':' or is indented wrongly",
    "did not find expected key": "a line is indented wrongly, or a list item lacks its '- '",
    "found undefined alias": "'*' starts an alias in YAML; put the value in quotes",
    "found character": (
        "a value starts with a character YAML reserves (such as '@' or '`'); put it in quotes"
    ),
}


_KEY_VALUE = "a key needs a colon and then a space before its value (key: value)"

_UNCLOSED = {
    "while parsing a flow mapping": "a '{' opened on this line is never closed",
    "while parsing a flow sequence": "a '[' opened on this line is never closed",
    "while scanning a quoted scalar": "a quote opened on this line is never closed",
}


def _describe_yaml_error(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    """The line to fix (1-based, within the YAML) and a message for people."""
    problem = (error.problem or error.context or "not valid YAML").strip()
    problem_line = error.problem_mark.line + 1 if error.problem_mark else 1
    context = (error.context or "").strip()
    if context == "while scanning a simple key" and error.context_mark is not None:
        # A line that should be 'key: value' but is read as one word.
        line = error.context_mark.line + 1
        text = lines[line - 1] if line <= len(lines) else ""
        if "\u00a0" in text:
            return line, (
                "YAML syntax error: this line has a non-breaking space (often pasted from "
                "a word processor); retype the space after the colon"
            )
        return line, f"YAML syntax error: no ': ' on this line; {_KEY_VALUE}"
    if context in _UNCLOSED and error.context_mark is not None:
        # The parser notices only later; the line to fix is where it opened.
        opened_line = error.context_mark.line + 1
        if opened_line != problem_line:
            return opened_line, f"YAML syntax error: {_UNCLOSED[context]} ({problem})"
    if problem.startswith("mapping values are not allowed here") and problem_line >= 2:
        previous = lines[problem_line - 2]
        if re.match(r"\s*(- )?[\w\"'-]+:[^\s:]", previous):
            return problem_line - 1, (
                f"YAML syntax error: no space after the ':' on this line; {_KEY_VALUE}"
            )
    if "'\\t'" in problem:
        return problem_line, "YAML syntax error: a tab character is not allowed here; use spaces"
    hint = next((h for key, h in _YAML_HINTS.items() if problem.startswith(key)), None)
    return problem_line, f"YAML syntax error: {problem}" + (f" ({hint})" if hint else "")


_STR_TAG = "tag:yaml.org,2002:str"
# The tags plain YAML values resolve to; any other is refused.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class _Builder:
    """Turns a composed YAML node tree into Python data, recording lines.

    Keys are always taken as written (``no:`` stays the text ``no``); values
    are resolved as YAML 1.1 does. A date that is not a real date (2011-02-30)
    is kept as text, so the models report it instead of the parser crashing.
    """

    def __init__(self, path: str, offset: int) -> None:
        self.path = path
        self.offset = offset
        self.positions: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def _line(self, node: Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    def build(self, node: Node, loc: Loc) -> Any:
        if isinstance(node, MappingNode | SequenceNode) and self._refuse_tag(node):
            return None
        if isinstance(node, MappingNode):
            return self._build_mapping(node, loc)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions[(*loc, index)] = self._line(item)
                items.append(self.build(item, (*loc, index)))
            return items
        return self._build_scalar(node)

    def _build_mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = self._line(key_node)
            if not isinstance(key_node, ScalarNode):
                self.problems.append(
                    Problem(self.path, line, format_loc(loc) or YAML, "a key must be plain text")
                )
                continue
            if self._refuse_tag(key_node):
                continue
            key = str(key_node.value)
            if key in first_seen:
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        format_loc((*loc, key)),
                        f"duplicate key (first given on line {first_seen[key]}); "
                        "YAML would silently keep only the last one",
                    )
                )
                continue
            first_seen[key] = line
            self.positions[(*loc, key)] = line
            mapping[key] = self.build(value_node, (*loc, key))
        return mapping

    def _refuse_tag(self, node: Node) -> bool:
        """An error for a tag other than YAML's plain core types (``!!binary``, ``!!set``,
        ``!!python/...``, local ``!tags``): their values are not what the reviewer sees."""
        if node.tag in _CORE_TAGS:
            return False
        shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
        self.problems.append(
            Problem(
                self.path,
                self._line(node),
                YAML,
                f"'{excerpt(shown)}' starts a YAML tag, which the format does not use; "
                "put the value in quotes",
            )
        )
        return True

    def _build_scalar(self, node: Node) -> Any:
        if node.tag == _STR_TAG:  # most values: text, as written
            return node.value
        if self._refuse_tag(node):
            # Keep the text as written, so the one mistake is not reported again as a blank.
            return str(node.value) if isinstance(node, ScalarNode) else None
        try:
            return self._constructor.construct_object(node, deep=True)
        except ValueError:  # a date-shaped value that is no date, such as 2011-02-30
            return str(node.value)
        except ConstructorError as error:
            message = f"cannot read value: {error.problem}"
            if node.tag.startswith("!"):
                message = (
                    f"'{node.tag}' starts a YAML tag, which the format does not use; "
                    "put the value in quotes"
                )
            self.problems.append(Problem(self.path, self._line(node), YAML, message))
            # Keep the text, so the one mistake is not reported again as a blank.
            return str(node.value) if isinstance(node, ScalarNode) else None
