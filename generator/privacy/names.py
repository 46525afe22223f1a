"""Names on the deny-list, found as whole words, compared as a reader sees them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.privacy.characters import fold_characters
from generator.privacy.findings import Finding, without_overlaps

# A word is letters and digits: "_" is Markdown emphasis (_Ann Smith_), not a letter.
_WORD = re.compile(r"[^\W_]+")
_WORD_CHAR = re.compile(r"[^\W_]")
_PUNCTUATION = re.compile(r"(?:[^\w\s]|_)+")
_WHITESPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
# Typographic apostrophes (U+2019 and kin) read as the typewriter one.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def _fold(text: str) -> str:
    """A name's part, or a word of a text, as names are compared: as a reader sees its
    characters (NFKC, invisible characters dropped, look-alike letters made Latin),
    then case-folded."""
    if text.isascii():
        return text.lower()
    return fold_characters(text).casefold().translate(_APOSTROPHES)


@dataclass
class _NameTrie:
    """Names part by part: each name is a path from the root, its parts folded."""

    children: dict[str, _NameTrie] = field(default_factory=dict)
    is_name: bool = False


class DenyList:
    """Names that must never appear (e.g. current service users' names exported from the
    case management system). One name per line; blank lines and lines starting with # ignored;
    UTF-8; matched case-insensitively as whole words, with any run of whitespace between the
    parts of a multi-word name matching any whitespace (including a newline). Names and
    text are compared as a reader sees them: "Ann" with a Cyrillic "A", in full-width
    letters or with a soft hyphen inside is still "Ann" (see ``generator.privacy.readers_text``).

    Single-word names of fewer than 2 letters are ignored. The names are kept as a
    trie of their parts, so each word of a text costs a dictionary look-up or two
    however long the list is.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._root = _NameTrie()
        self._count = 0
        self._names: set[tuple[str, ...]] = set()
        most_words = 0
        for line in names:
            parts = _resolve_name_parts(fold_characters(line))
            if parts is None:
                continue
            node = self._root
            for part in parts:
                node = node.children.setdefault(part, _NameTrie())
            if not node.is_name:
                node.is_name = True
                self._count += 1
                self._names.add(parts)
            most_words = max(most_words, *(len(_WORD.findall(part)) for part in parts))
        self._most_words = most_words
        self._first_words = {_first_word(part) for part in self._root.children}

    @classmethod
    def read(cls, path: Path) -> DenyList:
        """The names in a UTF-8 file (a byte order mark is allowed: spreadsheets write one)."""
        return cls(path.read_text(encoding="utf-8-sig").splitlines())

    @classmethod
    def of(cls, names: Iterable[str]) -> DenyList:
        """The names given, read like the lines of a file."""
        return cls(names)

    def __len__(self) -> int:
        """How many distinct names are searched for."""
        return self._count

    def __eq__(self, other: object) -> bool:
        """Whether ``other`` searches for the same names, and so finds the same: a
        deny-list read again, unchanged, is the same list."""
        if not isinstance(other, DenyList):
            return NotImplemented
        return self._names == other._names

    def __hash__(self) -> int:
        return hash(frozenset(self._names))

    def find(self, text: str) -> list[Finding]:
        """Every place a name on the list appears, sorted, the longest name where two overlap."""
        findings = []
        for word in _WORD.finditer(text):
            if _fold(word.group()) in self._first_words:
                findings += [
                    Finding("name", word.start(), end)
                    for end in self._resolve_name_ends(text, word.start())
                ]
        return without_overlaps(findings)

    def _resolve_name_ends(self, text: str, start: int) -> Iterator[int]:
        """Where each name on the list that is written from ``text[start]`` ends."""
        pending = [(self._root, start)]
        while pending:
            node, position = pending.pop()
            for end in _resolve_part_ends(text, position, self._most_words):
                child = node.children.get(_fold(text[position:end]))
                if child is None:
                    continue
                if child.is_name:
                    yield end
                space = _WHITESPACE.match(text, end)
                if child.children and space is not None:
                    pending.append((child, space.end()))


def _resolve_name_parts(line: str) -> tuple[str, ...] | None:
    """A name's parts, folded; None for a comment, a blank or a single letter."""
    if line.lstrip().startswith("#"):
        return None
    parts = tuple(_fold(part) for part in _EDGE_PUNCTUATION.sub("", line).split())
    if not parts or (len(parts) == 1 and sum(c.isalpha() for c in parts[0]) < 2):
        return None
    return parts


def _first_word(part: str) -> str:
    word = _WORD.search(part)
    assert word is not None  # _resolve_name_parts strips punctuation from the ends
    return word.group()


def _resolve_part_ends(text: str, start: int, words: int) -> list[int]:
    """Where a name's part of at most ``words`` words, written from ``text[start]``, could end.

    "O'Brien's," could hold the parts "O", "O'Brien", "O'Brien's" or "O'Brien's,".
    """
    ends = []
    position = start
    for _ in range(words):
        word = _WORD.match(text, position)
        if word is None:
            break
        punctuation = _PUNCTUATION.match(text, word.end())
        if punctuation is None:
            ends.append(word.end())
            break
        ends += [word.end(), punctuation.end()]
        position = punctuation.end()
    return [end for end in ends if not _WORD_CHAR.match(text, end)]
