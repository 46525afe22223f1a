"""The text a reader sees, and where each of its characters came from.

The personal-data scan (``generator.privacy.detect``) looks at text as it was written,
but a reader sees something else: ``943&#32;476&#32;5919`` is shown as an NHS
number, ``**943** 476 5919`` loses its asterisks, a number wrapped onto the next
line reads as one line, a soft hyphen or a zero-width space inside a name is
invisible, and a Cyrillic capital A looks exactly like a Latin one. So the scan
also looks at :func:`readers_text`, which undoes all of that while remembering,
for every character, the source characters it came from: a finding in the
reader's text is still reported at its place (and line) in the source.

What the reader's text is, step by step:

1. Markup: HTML character references are decoded as ``html.unescape`` decodes
   them (named, decimal and hexadecimal; without the ``;`` where browsers accept
   that); a Markdown backslash escape loses its backslash; the Markdown emphasis,
   strikethrough and code characters (asterisk, underscore, tilde, backtick) are
   dropped, escaped or not (between digits or letters they hide nothing from a reader); a
   link is its text (``[943](x) 476`` reads ``943 476``), its brackets dropped;
   ``<!-- pii-ok ... -->`` markers are dropped with the spaces before them, as the
   site drops them.
2. Characters: default-ignorable code points (zero-width spaces and joiners,
   word joiners, soft hyphens, the byte order mark, variation selectors, bidi
   controls, Hangul fillers...) and other invisible format and control characters
   are dropped; Unicode NFKC is applied (full-width digits and letters, ligatures,
   mathematical letters, no-break spaces...); every decimal digit becomes its
   ASCII digit, every kind of space a space, every dash a hyphen; letters that
   look like Latin ones (Cyrillic, Greek, Armenian, Cherokee and Lisu letters,
   Latin small capitals, dotless i...) become those Latin letters, keeping their
   case.
3. Whitespace: a run of spaces, tabs and single line breaks becomes one space, as
   a browser shows it; a run holding a blank line becomes a paragraph break,
   ``"\\n\\n"``.

It is a generous reader: it reads every text as Markdown, even a plain field the
site shows as written, since seeing too much costs a second look and seeing too
little costs a leak.
"""

from __future__ import annotations

import functools
import html.entities
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import cast

__all__ = [
    "DEFAULT_IGNORABLE_CLASS",
    "ReadersText",
    "fold_characters",
    "readers_text",
    "reads_as_written",
]


@dataclass(frozen=True)
class ReadersText:
    """What a reader sees of a source text.

    ``text[i]`` came from ``source[sources[i]:source_ends[i]]``: one character,
    or several read as one (a character reference such as ``&#57;``, a letter and
    its accents, a run of whitespace). Both tuples are as long as ``text`` and
    never decrease.
    """

    text: str
    sources: tuple[int, ...]
    source_ends: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the source that ``text[start:end]`` came from: from the start
        of its first character's source to the end of its last character's."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"not a span of the reader's text: {start}..{end}")
        return self.sources[start], self.source_ends[end - 1]


# Any character readers_text would change, or that may start something it changes.
# Plain ASCII text without these is read exactly as written.
_MAY_CHANGE = re.compile(r"[^\x20-\x25\x27-\x29\x2b-\x3b\x3d-\x5a\x5e\x61-\x7d]|  ")


def reads_as_written(text: str) -> bool:
    """True when :func:`readers_text` would return ``text`` itself, character for
    character (a quick test, for the many short texts that are ids and labels)."""
    return _MAY_CHANGE.search(text) is None


def readers_text(source: str) -> ReadersText:
    """What a reader sees of ``source``, with where each character came from."""
    length = len(source)
    if reads_as_written(source):
        return ReadersText(source, tuple(range(length)), tuple(range(1, length + 1)))
    text, starts, ends = source, list(range(length)), list(range(1, length + 1))
    for stage in (_read_markup, _read_characters, _read_whitespace):
        text, starts, ends = stage(text, starts, ends)
    return ReadersText(text, tuple(starts), tuple(ends))


class _Output:
    """The text a stage writes, with the source span of each of its characters."""

    __slots__ = ("chunks", "ends", "starts")

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def copy(self, text: str, starts: list[int], ends: list[int], start: int, end: int) -> None:
        """Copy ``text[start:end]`` as it is."""
        if start < end:
            self.chunks.append(text[start:end])
            self.starts += starts[start:end]
            self.ends += ends[start:end]

    def write(self, chars: str, start: int, end: int) -> None:
        """Write ``chars``, all of them from ``source[start:end]``."""
        if chars:
            self.chunks.append(chars)
            self.starts += [start] * len(chars)
            self.ends += [end] * len(chars)

    def drop_trailing_blanks(self) -> None:
        while self.chunks:
            last = self.chunks[-1]
            kept = last.rstrip(" \t")
            dropped = len(last) - len(kept)
            if dropped:
                del self.starts[-dropped:], self.ends[-dropped:]
            if kept:
                self.chunks[-1] = kept
                return
            self.chunks.pop()

    def result(self) -> tuple[str, list[int], list[int]]:
        return "".join(self.chunks), self.starts, self.ends


# --- 1. Markup ------------------------------------------------------------------

_EMPHASIS = "*_~`"
_MARKUP = re.compile(
    # A backslash escape (of ASCII punctuation), or a backslash hard line break.
    r"\\[!-/:-@\[-`{-~\n]"
    # A character reference, as html.unescape finds them.
    r"|&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)"
    r"|[*_~`]+"
    # A link's destination (and title), or a reference link's label: a reader sees
    # the link's text only. The brackets around it go too.
    r"|\]\((?:<[^<>\n]*>|[^\s()<>]*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
    r"|\]\[[^\[\]\n]{0,999}\]"
    r"|!?\[|\]"
    # A pii-ok marker, which the site leaves out of its pages (generator.render.markup).
    r"|<!--\s*(?i:pii-ok)\b"
)
_ENTITIES = html.entities.html5
# html.unescape's rules for numeric references: a few C1 controls are read as
# Windows-1252, surrogates and numbers past Unicode as U+FFFD, others dropped.
_NUMERIC_REFERENCE_LIMIT = 0x10FFFF


def _read_markup(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    out = _Output()
    position = 0
    closing_seen = True  # False once a marker has no "-->" after it: none later has
    while match := _MARKUP.search(text, position):
        start, token = match.start(), match.group()
        out.copy(text, starts, ends, position, start)
        position = match.end()
        first = token[0]
        if first == "\\":
            escaped = token[1]
            if escaped not in _EMPHASIS:
                out.write(escaped, starts[start + 1], ends[start + 1])
        elif first == "&":
            decoded = _character_reference(token)
            if decoded is None:
                out.copy(text, starts, ends, start, start + 1)
                position = start + 1
            else:
                chars, used = decoded
                position = start + used
                chars = "".join(char for char in chars if char not in _EMPHASIS)
                out.write(chars, starts[start], ends[position - 1])
        elif first == "<":
            close = text.find("-->", position) if closing_seen else -1
            if close < 0:
                closing_seen = False
                out.copy(text, starts, ends, start, start + 1)
                position = start + 1
            else:
                out.drop_trailing_blanks()
                position = close + 3
        # else: emphasis characters, brackets and links' destinations, dropped
    out.copy(text, starts, ends, position, len(text))
    return out.result()


def _character_reference(token: str) -> tuple[str, int] | None:
    """What a character reference ``token`` (as _MARKUP found it) stands for, and how
    many of its characters it used; None when it is not one."""
    if token[1] == "#":
        hexadecimal = token[2] in "xX"
        digits = token[3:] if hexadecimal else token[2:]
        digits = digits.rstrip(";").lstrip("0") or "0"
        # No need to read a long number (and int() refuses very long decimals).
        if len(digits) > 8:
            return "\ufffd", len(token)
        number = int(digits, 16 if hexadecimal else 10)
        if number > _NUMERIC_REFERENCE_LIMIT:
            return "\ufffd", len(token)
        return html.unescape(f"&#{number};"), len(token)
    name = token[1:]
    if name in _ENTITIES:
        return _ENTITIES[name], len(token)
    # A legacy name without its ";" may be followed by other letters ("&copy2011").
    for length in range(len(name) - 1, 1, -1):
        if name[:length] in _ENTITIES:
            return _ENTITIES[name[:length]], 1 + length
    return None


# --- 2. Characters --------------------------------------------------------------

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


# Letters that look like Latin letters (Cyrillic, Greek, Armenian, Cherokee, Lisu,
# Latin small capitals and a few more that NFKC leaves alone), by the Latin letter
# they look like. Written by their Unicode names, which tell them apart where no
# font does.
_LOOKALIKE_NAMES = {
    "A": "CYRILLIC CAPITAL LETTER A; GREEK CAPITAL LETTER ALPHA; CHEROKEE LETTER GO; LISU LETTER A",
    "a": (
        "CYRILLIC SMALL LETTER A; GREEK SMALL LETTER ALPHA; "
        "LATIN LETTER SMALL CAPITAL A; LATIN SMALL LETTER ALPHA"
    ),
    "B": (
        "CYRILLIC CAPITAL LETTER VE; GREEK CAPITAL LETTER BETA; CHEROKEE LETTER YV; LISU LETTER BA"
    ),
    "b": "CYRILLIC SMALL LETTER VE; LATIN LETTER SMALL CAPITAL B",
    "C": (
        "CYRILLIC CAPITAL LETTER ES; GREEK CAPITAL LUNATE SIGMA SYMBOL; "
        "CHEROKEE LETTER TLI; LISU LETTER CA"
    ),
    "c": "CYRILLIC SMALL LETTER ES; GREEK LUNATE SIGMA SYMBOL; LATIN LETTER SMALL CAPITAL C",
    "D": "CHEROKEE LETTER A; LISU LETTER DA",
    "d": "CYRILLIC SMALL LETTER KOMI DE; LATIN LETTER SMALL CAPITAL D",
    "E": (
        "CYRILLIC CAPITAL LETTER IE; GREEK CAPITAL LETTER EPSILON; "
        "CHEROKEE LETTER GV; LISU LETTER E"
    ),
    "e": "CYRILLIC SMALL LETTER IE; LATIN LETTER SMALL CAPITAL E",
    "F": "LISU LETTER TSA",
    "f": "LATIN LETTER SMALL CAPITAL F",
    "G": "CYRILLIC CAPITAL LETTER KOMI SJE; CHEROKEE LETTER NAH; LISU LETTER GA",
    "g": "LATIN LETTER SMALL CAPITAL G; LATIN SMALL LETTER SCRIPT G",
    "H": (
        "CYRILLIC CAPITAL LETTER EN; CYRILLIC CAPITAL LETTER SHHA; "
        "GREEK CAPITAL LETTER ETA; CHEROKEE LETTER MI; LISU LETTER XA"
    ),
    "h": (
        "CYRILLIC SMALL LETTER EN; CYRILLIC SMALL LETTER SHHA; "
        "ARMENIAN SMALL LETTER HO; LATIN LETTER SMALL CAPITAL H"
    ),
    "I": (
        "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I; CYRILLIC LETTER PALOCHKA; "
        "GREEK CAPITAL LETTER IOTA; LISU LETTER I"
    ),
    "i": (
        "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I; GREEK SMALL LETTER IOTA; "
        "LATIN LETTER SMALL CAPITAL I; LATIN SMALL LETTER DOTLESS I; LATIN SMALL LETTER IOTA"
    ),
    "J": "CYRILLIC CAPITAL LETTER JE; GREEK CAPITAL LETTER YOT; CHEROKEE LETTER GU; LISU LETTER JA",
    "j": (
        "CYRILLIC SMALL LETTER JE; GREEK LETTER YOT; "
        "LATIN LETTER SMALL CAPITAL J; LATIN SMALL LETTER DOTLESS J"
    ),
    "K": (
        "CYRILLIC CAPITAL LETTER KA; GREEK CAPITAL LETTER KAPPA; "
        "CHEROKEE LETTER TSO; LISU LETTER KA"
    ),
    "k": "CYRILLIC SMALL LETTER KA; GREEK SMALL LETTER KAPPA; LATIN LETTER SMALL CAPITAL K",
    "L": "CHEROKEE LETTER TLE; LISU LETTER LA",
    "l": "CYRILLIC SMALL LETTER PALOCHKA; LATIN LETTER SMALL CAPITAL L; LATIN LETTER DENTAL CLICK",
    "M": "CYRILLIC CAPITAL LETTER EM; GREEK CAPITAL LETTER MU; CHEROKEE LETTER LU; LISU LETTER MA",
    "m": "CYRILLIC SMALL LETTER EM; LATIN LETTER SMALL CAPITAL M",
    "N": "GREEK CAPITAL LETTER NU; LISU LETTER NA",
    "n": "GREEK SMALL LETTER ETA; ARMENIAN SMALL LETTER VO; LATIN LETTER SMALL CAPITAL N",
    "O": "CYRILLIC CAPITAL LETTER O; GREEK CAPITAL LETTER OMICRON; LISU LETTER O",
    "o": (
        "CYRILLIC SMALL LETTER O; GREEK SMALL LETTER OMICRON; "
        "ARMENIAN SMALL LETTER OH; LATIN LETTER SMALL CAPITAL O"
    ),
    "P": (
        "CYRILLIC CAPITAL LETTER ER; GREEK CAPITAL LETTER RHO; CHEROKEE LETTER TLV; LISU LETTER PA"
    ),
    "p": "CYRILLIC SMALL LETTER ER; GREEK SMALL LETTER RHO; LATIN LETTER SMALL CAPITAL P",
    "Q": "CYRILLIC CAPITAL LETTER QA",
    "q": "CYRILLIC SMALL LETTER QA; ARMENIAN SMALL LETTER ZA; LATIN LETTER SMALL CAPITAL Q",
    "R": "CHEROKEE LETTER SV; LISU LETTER ZHA",
    "r": "LATIN LETTER SMALL CAPITAL R",
    "S": "CYRILLIC CAPITAL LETTER DZE; CHEROKEE LETTER DU; LISU LETTER SA",
    "s": "CYRILLIC SMALL LETTER DZE; LATIN LETTER SMALL CAPITAL S",
    "T": "CYRILLIC CAPITAL LETTER TE; GREEK CAPITAL LETTER TAU; CHEROKEE LETTER I; LISU LETTER TA",
    "t": "CYRILLIC SMALL LETTER TE; LATIN LETTER SMALL CAPITAL T",
    "U": "LISU LETTER U",
    "u": "GREEK SMALL LETTER UPSILON; ARMENIAN SMALL LETTER SEH; LATIN LETTER SMALL CAPITAL U",
    "V": "CHEROKEE LETTER DO; LISU LETTER HA",
    "v": "GREEK SMALL LETTER NU; LATIN LETTER SMALL CAPITAL V",
    "W": "CYRILLIC CAPITAL LETTER WE; CHEROKEE LETTER LA; LISU LETTER WA",
    "w": "CYRILLIC SMALL LETTER WE; GREEK SMALL LETTER OMEGA; LATIN LETTER SMALL CAPITAL W",
    "X": "CYRILLIC CAPITAL LETTER HA; GREEK CAPITAL LETTER CHI; LISU LETTER SHA",
    "x": "CYRILLIC SMALL LETTER HA; GREEK SMALL LETTER CHI",
    "Y": (
        "CYRILLIC CAPITAL LETTER U; CYRILLIC CAPITAL LETTER STRAIGHT U; "
        "GREEK CAPITAL LETTER UPSILON; LISU LETTER YA"
    ),
    "y": (
        "CYRILLIC SMALL LETTER U; CYRILLIC SMALL LETTER STRAIGHT U; "
        "GREEK SMALL LETTER GAMMA; LATIN LETTER SMALL CAPITAL Y"
    ),
    "Z": "GREEK CAPITAL LETTER ZETA; CHEROKEE LETTER NO; LISU LETTER DZA",
    "z": "LATIN LETTER SMALL CAPITAL Z",
}


def _lookalikes() -> dict[str, str]:
    """Each look-alike letter, with the Latin letter it looks like."""
    pairs = {
        unicodedata.lookup(name): latin
        for latin, names in _LOOKALIKE_NAMES.items()
        for name in names.split("; ")
    }
    # Cherokee small letters are the capitals' lower case.
    pairs |= {
        small: pairs[capital].lower()
        for capital in list(pairs)
        if "\u13a0" <= capital <= "\u13f5" and (small := capital.lower()) != capital
    }
    return pairs


def _unicode_confusables() -> dict[str, str]:
    """Unicode's own list of letters confusable with a Latin letter
    (UTS #39's confusables, as the confusable-homoglyphs package ships them)."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    pairs = {}
    for char, entries in data.items():
        for entry in entries:
            like = entry["c"]
            if (
                len(like) == 1
                and like.isascii()
                and like.isalpha()
                and len(char) == 1
                and unicodedata.category(char).startswith("L")
                # Letters NFKC already makes Latin (mathematical, full-width) stay its.
                and not unicodedata.normalize("NFKC", char).isascii()
            ):
                pairs[char] = like
                break
    return pairs


# Letters Unicode does not list but a reader takes for Latin ones all the same.
_MORE_LOOKALIKES = {
    "\u03c2": "c",  # Greek final sigma, which NFKC makes of the lunate sigma
    "\u03c4": "t",  # Greek tau
    "\u2c80": "A",  # Coptic alfa
    "\u2c81": "a",
    "\u2c8e": "H",  # Coptic hate
    "\u2c9a": "N",  # Coptic ni
    "\u2c9b": "n",
    "\u13c2": "h",  # Cherokee ni
    "\u0251": "a",  # Latin alpha
    "\u2c6d": "A",
    "\U00010300": "A",  # Old Italic a
    "\u1455": "n",  # Canadian syllabics ti
    "\u1515": "S",  # Canadian syllabics sha
}
# "LATIN SMALL LETTER H WITH HOOK", "LATIN SMALL LETTER TURNED I": the letter named.
_LATIN_NAMED = re.compile(
    r"LATIN (SMALL|CAPITAL) LETTER (?:SMALL CAPITAL |TURNED |INVERTED |REVERSED )?([A-Z])\b"
)


@functools.lru_cache(maxsize=65536)
def _latin_named(char: str) -> str | None:
    """The Latin letter a letter's Unicode name says it is a form of, if it says so."""
    named = _LATIN_NAMED.match(unicodedata.name(char, ""))
    if named is None:
        return None
    return named.group(2) if named.group(1) == "CAPITAL" else named.group(2).lower()


_LOOKALIKES = _unicode_confusables() | _MORE_LOOKALIKES | _lookalikes()
_DOTS = "\u00b7\u2027\u2219\u22c5"  # middle dots read as "."
_SLASHES = "\u2044\u2215"  # fraction and division slashes read as "/"


def _read_char(char: str) -> str:
    """What a reader takes one character (after NFKD) to be."""
    if char in "\t\x0b\x0c\u2800":  # the braille blank is blank too
        return " "
    if char in "\x85\u2028":  # next line, line separator
        return "\n"
    if char == "\u2029":  # paragraph separator
        return "\n\n"
    if _is_ignorable(char):
        return ""
    if char in _LOOKALIKES:
        return _LOOKALIKES[char]
    category = unicodedata.category(char)
    if category in ("Ll", "Lu", "Lt") and not char.isascii():
        latin = _latin_named(char)
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
    decomposed = unicodedata.normalize(
        "NFKD", "".join(_LOOKALIKES.get(char, char) for char in kept)
    )
    return unicodedata.normalize("NFC", "".join(_read_char(char) for char in decomposed))


_fold_remembered = functools.lru_cache(maxsize=8192)(_fold)


@functools.lru_cache(maxsize=65536)
def _read_single(char: str) -> str | None:
    """What a reader takes ``char`` to be when that is one character, on its own;
    None for a mark, an invisible character, or anything read as more or less."""
    if _is_mark(char) or _is_ignorable(char) or char in _EMPHASIS:
        return None
    read = fold_characters(char)
    return read if len(read) == 1 and read not in _EMPHASIS else None


_NOT_PRINTABLE_ASCII = re.compile(r"[^\t\n\r\x20-\x7e]+")


def _read_characters(
    text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    out = _Output()
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
            chars = "".join(char for char in chars if char not in _EMPHASIS)
            out.write(chars, starts[index], ends[cluster_end - 1])
            index = cluster_end
    out.copy(text, starts, ends, position, len(text))
    return out.result()


# --- 3. Whitespace --------------------------------------------------------------

_WHITESPACE_TO_READ = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")


def _read_whitespace(
    text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    out = _Output()
    position = 0
    for match in _WHITESPACE_TO_READ.finditer(text):
        start, end = match.span()
        out.copy(text, starts, ends, position, start)
        run = match.group()
        breaks = run.count("\n") + run.count("\r") - run.count("\r\n")
        out.write("\n\n" if breaks >= 2 else " ", starts[start], ends[end - 1])
        position = end
    out.copy(text, starts, ends, position, len(text))
    return out.result()
