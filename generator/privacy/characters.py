"""Step 2 of the reader's text: characters as a reader sees them, invisible ones
dropped, NFKC, ASCII digits, spaces and hyphens, look-alike letters made Latin."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import cast

from generator.privacy.lookalikes import latin_named, lookalikes
from generator.privacy.reader_markup import EMPHASIS
from generator.privacy.source_spans import StageOutput

# Unicode's default-ignorable code points (Default_Ignorable_Code_Point in
# DerivedCoreProperties.txt), as a regular expression's character class.
DEFAULT_IGNORABLE_CLASS = (
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


_DEFAULT_IGNORABLE = re.compile(DEFAULT_IGNORABLE_CLASS)


@functools.lru_cache(maxsize=65536)
def _is_ignorable(char: str) -> bool:
    """Invisible: a default-ignorable code point (Unicode's DerivedCoreProperties), a
    format character, or a control character other than whitespace."""
    category = unicodedata.category(char)
    if category == "Cf" or (category == "Cc" and char not in "\t\n\r\x0b\x0c\x85"):
        return True
    return _DEFAULT_IGNORABLE.match(char) is not None


@functools.lru_cache(maxsize=65536)
def _is_mark(char: str) -> bool:
    """An accent or other mark, read with the character before it."""
    return unicodedata.category(char)[0] == "M" and not _is_ignorable(char)


_DOTS = "\u00b7\u2027\u2219\u22c5"  # middle dots read as "."
_SLASHES = "\u2044\u2215"  # fraction and division slashes read as "/"


def _read_char(char: str, look_alike: dict[str, str]) -> str:
    """What a reader takes one character (after NFKD) to be (``look_alike``: ``lookalikes()``)."""
    if char in "\t\x0b\x0c\u2800":  # the braille blank is blank too
        return " "
    if char in "\x85\u2028":  # next line, line separator
        return "\n"
    if char == "\u2029":  # paragraph separator
        return "\n\n"
    if _is_ignorable(char):
        return ""
    if char in look_alike:
        return look_alike[char]
    category = unicodedata.category(char)
    if category in ("Ll", "Lu", "Lt") and not char.isascii():
        latin = latin_named(char)
        if latin is not None:
            return latin
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category == "Zs":
        return " "
    if category == "Pd" or char == "\u2212":  # dashes, minus
        return "-"
    if char in _DOTS:
        return "."
    if char in _SLASHES:
        return "/"
    return char


# Accents read on one letter. CPython normalises a long run of marks in quadratic
# time; nobody reads a letter under more accents than this anyway.
_MOST_MARKS = 8
# Texts at most this long are read once and remembered: words, clusters, names.
_REMEMBERED = 64


def fold_characters(text: str) -> str:
    """``text`` read character by character as a reader sees it: invisible characters
    dropped, NFKC, ASCII digits, spaces and hyphens, look-alike letters made Latin
    (step 2 of :func:`readers_text`, without its markup and whitespace steps). A
    letter keeps at most a few of the accents on it."""
    if text.isascii() and text.isprintable():
        return text
    if len(text) <= _REMEMBERED:
        return _fold_remembered(text)
    return _fold(text)


def _fold(text: str) -> str:
    kept = []
    marks = 0
    for char in text:
        if _is_ignorable(char):
            continue
        if _is_mark(char):
            marks += 1
            if marks > _MOST_MARKS:
                continue
        else:
            marks = 0
        kept.append(char)
    # Look-alikes first (NFKD makes a Greek lunate sigma a final sigma), then NFKD,
    # then each character, then composition: a Cyrillic "\u0451" is a Cyrillic
    # "\u0435" and a diaeresis, and so a Latin "e" and a diaeresis: "\u00eb".
    look_alike = lookalikes()
    decomposed = unicodedata.normalize("NFKD", "".join(look_alike.get(char, char) for char in kept))
    read = "".join(_read_char(char, look_alike) for char in decomposed)
    return unicodedata.normalize("NFC", read)


_fold_remembered = functools.lru_cache(maxsize=8192)(_fold)


@functools.lru_cache(maxsize=65536)
def _read_single(char: str) -> str | None:
    """What a reader takes ``char`` to be when that is one character, on its own;
    None for a mark, an invisible character, or anything read as more or less."""
    if _is_mark(char) or _is_ignorable(char) or char in EMPHASIS:
        return None
    read = fold_characters(char)
    return read if len(read) == 1 and read not in EMPHASIS else None


_NOT_PRINTABLE_ASCII = re.compile(r"[^\t\n\r\x20-\x7e]+")


def read_characters(
    text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    out = StageOutput()
    position = 0
    for match in _NOT_PRINTABLE_ASCII.finditer(text):
        start, end = match.span()
        if start > position and _is_mark(text[start]):
            start -= 1  # an ASCII letter and the accents after it are read together
        out.copy(text, starts, ends, position, start)
        position = end
        # Most runs are characters read one for one (full-width digits, a Cyrillic
        # word, typographic quotes and dashes): their sources are the run's.
        singles = [_read_single(char) for char in text[start:end]]
        if None not in singles:
            out.chunks.append("".join(cast("list[str]", singles)))
            out.starts += starts[start:end]
            out.ends += ends[start:end]
            continue
        index = start
        while index < end:
            # A cluster: one character and the marks (accents) after it.
            cluster_end = index + 1
            while cluster_end < end and (
                _is_mark(text[cluster_end]) or _is_ignorable(text[cluster_end])
            ):
                cluster_end += 1
            chars = fold_characters(text[index : min(cluster_end, index + 1 + _MOST_MARKS)])
            chars = "".join(char for char in chars if char not in EMPHASIS)
            out.write(chars, starts[index], ends[cluster_end - 1])
            index = cluster_end
    out.copy(text, starts, ends, position, len(text))
    return out.result()
