"""Finding personal data in reviewers' text.

Reviews are about vulnerable adults, who may only ever appear as pseudonymous
case references (``HF-LD-2010-01``). This module looks for things that look
like personal data in a piece of text: NHS and National Insurance numbers,
postcodes, dates of birth, phone numbers, e-mail addresses and the names on a
deny-list. It is pure: it takes text and returns positions. A finding carries
its kind and where it is, never the value, so that a report of it can go into
a shared CI log without repeating the data.

Precision matters as much as recall: reviewers stop reading warnings that cry
wolf. So every rule asks for the shape of the real thing (a check digit, a real
postcode area, a cue word next to a date, a UK dialling code) rather than "some
digits".

Every text is read twice: as it was written, and as a reader sees it
(``generator.privacy.readers_text``: character references decoded, Markdown emphasis
and escapes, invisible characters and soft hyphens dropped, full-width digits and
look-alike letters made plain, line breaks joined). What is found in the
reader's text is reported at the place in the written text it came from.

Every pattern here runs in time proportional to its text, whatever the text: a
review body is written by people, and a crafted one must not stall a build.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.privacy.readers_text import (
    DEFAULT_IGNORABLE_CLASS,
    ReadersText,
    fold_characters,
    readers_text,
    reads_as_written,
)

KINDS: dict[str, str] = {
    "nhs-number": "an NHS number",
    "ni-number": "a National Insurance number",
    "postcode": "a UK postcode",
    "date-of-birth": "a date of birth",
    "phone": "a phone number",
    "email": "an email address",
    "name": "a name on the deny-list",
}

# Which finding wins when two cover exactly the same text. A phone comes before an
# NHS number: a 10-digit number starting with 0 that happens to pass Modulus 11 is
# far more likely a phone number (NHS numbers in England do not start with 0).
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        ("email", "phone", "nhs-number", "ni-number", "date-of-birth", "postcode", "name")
    )
}


@dataclass(frozen=True)
class Finding:
    """Something that looks like personal data, at ``text[start:end]``."""

    kind: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of personal data: {self.kind!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"not a span of text: {self.start}..{self.end}")

    @property
    def description(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Marker:
    """A ``pii-ok`` marker at ``text[start:end]``; ``reason`` is "" when none was given."""

    start: int
    end: int
    reason: str


# --- NHS numbers -----------------------------------------------------------------

# Not glued to letters or digits, nor the end of a decimal or grouped number.
_NOT_AFTER_ALNUM = r"(?<![0-9A-Za-z])(?<![0-9][.,])"
_NOT_BEFORE_ALNUM = r"(?![0-9A-Za-z]|[.,][0-9])"

# Between groups of digits: a space, or a hyphen, dot or slash with a space or
# none either side ("943 476 5919", "943-476-5919", "943.476.5919", "943 - 476").
_GROUP_SEPARATOR = r"(?: ?[-./] ?| )?"
# Each pattern starts with a look-ahead for its first character, which lets the
# search skip most positions without trying the pattern there.
_NHS_NUMBER = re.compile(
    r"(?=[0-9])"
    + _NOT_AFTER_ALNUM
    + rf"[0-9]{{3}}{_GROUP_SEPARATOR}[0-9]{{3}}{_GROUP_SEPARATOR}[0-9]{{4}}"
    + _NOT_BEFORE_ALNUM
)
_NOT_DIGITS = re.compile(r"[^0-9]+")


def nhs_number_valid(digits: str) -> bool:
    """True for a 10-digit string whose 10th digit is the NHS Modulus 11 check digit.

    The first nine digits are weighted 10 down to 2; the check digit is
    ``11 - (sum mod 11)``, where 11 stands for 0 and 10 means no number has
    those nine digits.
    """
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _find_nhs_numbers(text: str) -> Iterator[Finding]:
    for match in _NHS_NUMBER.finditer(text):
        if nhs_number_valid(_NOT_DIGITS.sub("", match.group())):
            yield Finding("nhs-number", match.start(), match.end())


# --- National Insurance numbers --------------------------------------------------

# HMRC: neither prefix letter is D, F, I, Q, U or V; the second is not O either;
# and BG, GB, KN, NK, NT, TN and ZZ are never issued. The pairs of digits and the
# letters may be apart, by a space, a hyphen or a dot ("AB 12 34 56 C",
# "AB-12-34-56-C"). Upper case only: in lower case the shape is too close to
# ordinary words and codes.
_NI_NUMBER = re.compile(
    r"(?=[A-Z])(?<![0-9A-Za-z])"
    r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"(?:[ .-]?[0-9]{2}){3}[ .-]?"
    r"[A-D]"
    r"(?![0-9A-Za-z])"
)


def _find_ni_numbers(text: str) -> Iterator[Finding]:
    for match in _NI_NUMBER.finditer(text):
        yield Finding("ni-number", match.start(), match.end())


# --- Postcodes -------------------------------------------------------------------

# The UK's postcode areas (with the Crown Dependencies' and BFPO's). Asking for a
# real area keeps standard ids, action ids and worker refs (S07, A1, W01) apart
# from the first half of a postcode, together with the second half's shape.
_POSTCODE_AREA = (
    "AB|AL|B|BA|BB|BD|BF|BH|BL|BN|BR|BS|BT|BX|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE"
    "|DG|DH|DL|DN|DT|DY|E|EC|EH|EN|EX|FK|FY|G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP"
    "|IV|JE|KA|KT|KW|KY|L|LA|LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|NR|NW|OL|OX|PA"
    "|PE|PH|PL|PO|PR|RG|RH|RM|S|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN"
    "|TQ|TR|TS|TW|UB|W|WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE"
)

# In any case: "w6 9ab" is as clear to a reader as "W6 9AB". A postcode not in
# capitals must be written with its space, though, and its inward code must not be
# an ordinal ("b2 3rd", "e1 1st"): joined up or in lower case, the shape is too
# close to codes and ordinary words.
_POSTCODE = re.compile(
    # The look-ahead for the outward code's shape is quick to refuse an ordinary word.
    r"(?=[A-Za-z]{1,2}[0-9]|GIR)(?<![0-9A-Za-z])"
    r"(?:"
    rf"(?:{_POSTCODE_AREA})"
    r"[0-9][0-9A-Z]?"
    r"|GIR(?=[ \u00a0]?0AA)"
    r")"
    r"(?P<space>[ \u00a0]?)"
    # The inward code's letters are never C, I, K, M, O or V.
    r"(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})"
    r"(?![0-9A-Za-z])",
    re.IGNORECASE | re.ASCII,
)
_ORDINALS = frozenset({"1st", "2nd", "3rd", *(f"{digit}th" for digit in "0456789")})


def _find_postcodes(text: str) -> Iterator[Finding]:
    for match in _POSTCODE.finditer(text):
        if not match.group().isupper() and (
            not match.group("space") or match.group("inward").lower() in _ORDINALS
        ):
            continue
        yield Finding("postcode", match.start(), match.end())


# --- Dates of birth --------------------------------------------------------------

_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![A-Za-z])"
)
_MONTH = _MONTH_NAME + r"\.?"
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
# A month's name joined to the day or year by a hyphen, slash or dot rather than a
# space: "12-Mar-1941", "12/Mar/41", "12.March.1941", "Mar-12-1941", "1941-Mar-12".
# With one of those, a two-digit year is a year too.
_JOIN = r"[ \t]?[/.-][ \t]?"
_JOIN_OR_SPACE = rf"(?:{_JOIN}|[ \t]+)"
_YEAR = r"(?:[0-9]{4}|[0-9]{2})"
_DATE = re.compile(
    r"(?=[0-9ADFJMNOSadfjmnos])(?<![0-9A-Za-z])(?:"
    r"[0-9]{1,2}(?P<sep>[/.-])[0-9]{1,2}(?P=sep)(?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{4}(?P<iso_sep>[/.-])[0-9]{1,2}(?P=iso_sep)[0-9]{1,2}"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH},?\s+[0-9]{{4}}"
    rf"|{_MONTH}\s+{_DAY},?\s+[0-9]{{4}}"
    rf"|{_DAY}(?:{_JOIN}{_MONTH},?{_JOIN_OR_SPACE}|[ \t]+{_MONTH},?{_JOIN}){_YEAR}"
    rf"|{_MONTH}(?:{_JOIN}{_DAY},?{_JOIN_OR_SPACE}|[ \t]+{_DAY},?{_JOIN}){_YEAR}"
    rf"|[0-9]{{4}}{_JOIN}{_MONTH}{_JOIN}{_DAY}"
    r")(?![0-9A-Za-z]|[/.-][0-9])",
    re.IGNORECASE,
)
# Words that say the date next to them is someone's birth date. YAML keys
# (date_of_birth, birthDate) count too.
_BIRTH_CUE = re.compile(
    r"(?=[BDbd])(?<![A-Za-z])"
    r"(?:born|d\.?o\.?b|date[\s_-]*of[\s_-]*birth|birth[\s_-]*(?:date|day))"
    r"(?![A-Za-z])\.?",
    re.IGNORECASE,
)
# "b. 12 March 1941": only right before the date, since "b." is common otherwise.
_BORN_ABBREVIATION = re.compile(r"(?=[Bb])(?<![A-Za-z.])b\.", re.IGNORECASE)
# ...but not as the label of a lettered list ("a. ...", "b. 12 March 2011: meeting").
_LIST_LABEL = re.compile(r"^[ \t]*b\.", re.IGNORECASE | re.MULTILINE)
# How far a cue may be from its date (the text between them, in characters).
_CUE_WINDOW = 40
# Text between a cue and a date that makes them parts of different statements:
# another number (a year, a count), the end of a sentence (with what may close it:
# emphasis, a quote, a bracket, invisible characters), a new paragraph.
_STATEMENT_BREAK = re.compile(
    rf"[0-9]|[.!?;](?:[*_~`\"')\]\u2019\u201d]|{DEFAULT_IGNORABLE_CLASS})*(?:\s|$)"
    r"|\n[ \t]*\n"
)


def _list_labels(text: str) -> Callable[[int], bool]:
    """Whether the "b." at ``text[start]`` labels a line."""
    starts = {match.end() - 2 for match in _LIST_LABEL.finditer(text)} if "." in text else set()
    return starts.__contains__


def _list_labels_read(source: str, reader: ReadersText) -> Callable[[int], bool]:
    """Whether the "b." at ``reader.text[start]`` labels a line: it starts the text, or
    the space before it was a line break in ``source`` (the reader's text joins lines;
    what it dropped between, such as ``**`` or a soft hyphen, does not count)."""

    def is_list_label(start: int) -> bool:
        if start == 0:
            return True
        before = start - 1
        return reader.text[before].isspace() and (
            source.find("\n", reader.sources[before], reader.source_ends[before]) >= 0
        )

    return is_list_label


def _find_dates_of_birth(
    text: str, is_list_label: Callable[[int], bool] | None
) -> Iterator[Finding]:
    """Dates next to a birth cue. ``is_list_label(start)`` says whether the "b." at
    ``text[start]`` labels a line, and so is no abbreviation of "born"; None when "b."
    is left to the reader's text, which knows better (``**b.**`` labels a line too)."""
    cues = [match.span() for match in _BIRTH_CUE.finditer(text)]
    abbreviation_ends = (
        {
            match.end()
            for match in _BORN_ABBREVIATION.finditer(text)
            if not is_list_label(match.start())
        }
        if is_list_label is not None
        else set()
    )
    if not cues and not abbreviation_ends:
        return  # no date here can be a date of birth
    cue_starts = [cue_start for cue_start, _ in cues]
    for date in _DATE.finditer(text):
        start, end = date.span()
        # Cues are words and dates start with a digit or a month, so they never overlap.
        following = bisect.bisect_left(cue_starts, end)
        cue_before = cues[following - 1] if following else None
        cue_after = cues[following] if following < len(cues) else None
        if (
            (cue_before is not None and _is_same_statement(text, cue_before[1], start))
            or (cue_after is not None and _is_same_statement(text, end, cue_after[0]))
            or _skip_blanks_back(text, start) in abbreviation_ends
        ):
            yield Finding("date-of-birth", start, end)


def _is_same_statement(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, between a cue and a date, keeps them together
    (the length is checked first: a cue far from many dates must not cost a copy of
    the text between them for each)."""
    return end - start <= _CUE_WINDOW and _STATEMENT_BREAK.search(text, start, end) is None


def _skip_blanks_back(text: str, end: int) -> int:
    """Where the spaces and tabs just before ``text[end]`` begin."""
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    return end


# --- Phone numbers ---------------------------------------------------------------

# Groups of digits apart by spaces, hyphens, dots or slashes ("020 7946 0018",
# "020-7946-0018", "020.7946.0018"), the dialling code perhaps in brackets.
_PHONE = re.compile(
    r"(?=[(+0])(?<![0-9A-Za-z+])(?<![0-9][.,])"
    r"(?:(?P<international>(?:\+|00)44[ .-]?(?:\(0\)[ .-]?)?)[1-9]|\(?0[1-9])"
    r"[0-9]*"
    # No UK number has more groups than this; the cap keeps the search linear.
    r"(?:(?: ?[-./] ?| |\) ?)[0-9]+){0,5}"
)
_DIGITS = re.compile(r"[0-9]+")
_GROUP_GOES_ON = re.compile(r"[-./][0-9]")
# UK numbers in use start 01, 02, 03, 05, 07, 08 or 09.
_UK_NUMBER = re.compile(r"0[1235789][0-9]{8,9}")


def _find_phones(text: str) -> Iterator[Finding]:
    position = 0
    while match := _PHONE.search(text, position):
        start = match.start()
        prefix = match.group("international") or ""
        runs = list(_DIGITS.finditer(text, start + len(prefix), match.end()))
        # A national number starts with a dialling code of 3 digits or more.
        end = None if not prefix and len(runs[0].group()) < 3 else _resolve_phone_end(text, runs)
        if end is None:
            position = runs[0].end()  # the next number may start in a later group
            continue
        if text[start] == "(" and ")" not in text[start:end]:
            start += 1  # the number is in brackets, not its dialling code
        yield Finding("phone", start, end)
        position = end


def _resolve_phone_end(text: str, runs: list[re.Match[str]]) -> int | None:
    """Where the number made of the first few digit groups ends, if it is a UK number.

    Trying shorter and shorter runs of groups keeps a number followed by
    another ("0161 496 0000 2011") from being read as one long invalid number.
    """
    groups = [run.group() for run in runs]
    # A group of one digit is no part of a number: only the groups before it are.
    usable = next((index for index in range(1, len(groups)) if len(groups[index]) < 2), None)
    for count in range(usable or len(groups), 0, -1):
        end = runs[count - 1].end()
        if end < len(text) and text[end].isalnum():
            continue
        if _GROUP_GOES_ON.match(text, end):
            continue  # "0161.496.0000.12" is a longer code, not a number and ".12"
        digits = "".join(groups[:count])
        if not digits.startswith("0"):
            digits = "0" + digits  # +44 20 ... is 020 ...
        if _UK_NUMBER.fullmatch(digits):
            return end
    return None


# --- E-mail addresses ------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])"
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"(?![A-Za-z0-9-])"
)


def _find_emails(text: str) -> Iterator[Finding]:
    if "@" not in text:
        return
    for match in _EMAIL.finditer(text):
        yield Finding("email", match.start(), match.end())


# --- Names -----------------------------------------------------------------------

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

    def find(self, text: str) -> list[Finding]:
        """Every place a name on the list appears, sorted, the longest name where two overlap."""
        findings = []
        for word in _WORD.finditer(text):
            if _fold(word.group()) in self._first_words:
                findings += [
                    Finding("name", word.start(), end)
                    for end in self._resolve_name_ends(text, word.start())
                ]
        return _without_overlaps(findings)

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


# --- Everything together ---------------------------------------------------------


def find_personal_data(text: str, deny: DenyList | None = None) -> list[Finding]:
    """Every finding in text, sorted by start, overlapping duplicates removed.

    The text is searched as written and as a reader sees it
    (``generator.privacy.readers_text.readers_text``); a finding in the reader's text covers
    the written text from its first character's source to its last's. Where
    findings overlap, the one that starts first (then the longest) is kept: the text
    is reported once, as one kind.
    """
    if reads_as_written(text):
        return _without_overlaps(_find_all(text, deny, _list_labels(text)))
    reader = readers_text(text)
    if reader.text == text:
        return _without_overlaps(_find_all(text, deny, _list_labels(text)))
    # "b." before a date is read in the reader's text only: as written, markup and
    # invisible characters around it hide whether it labels a line.
    findings = _find_all(text, deny, None)
    findings += [
        Finding(finding.kind, *reader.source_span(finding.start, finding.end))
        for finding in _find_all(reader.text, deny, _list_labels_read(text, reader))
    ]
    return _without_overlaps(findings)


def _find_all(
    text: str, deny: DenyList | None, is_list_label: Callable[[int], bool] | None
) -> list[Finding]:
    findings: list[Finding] = [
        *_find_nhs_numbers(text),
        *_find_ni_numbers(text),
        *_find_postcodes(text),
        *_find_dates_of_birth(text, is_list_label),
        *_find_phones(text),
        *_find_emails(text),
    ]
    if deny is not None:
        findings += deny.find(text)
    return findings


def _without_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    ordered = sorted(findings, key=lambda f: (f.start, f.start - f.end, _PRIORITY[f.kind]))
    kept: list[Finding] = []
    for finding in ordered:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


# --- Markers ---------------------------------------------------------------------

# A YAML comment starts at a # that begins the text or follows whitespace.
_YAML_MARKER = re.compile(r"(?<!\S)#[ \t]*pii-ok(?=[\s:]|$)[ \t]*:?(?P<reason>[^\n]*)", re.I)
# The reason stops short of another comment's start, so an unclosed comment costs
# a scan to the next one rather than to the end of the text.
_HTML_MARKER = re.compile(
    r"<!--\s*pii-ok(?=[\s:]|-->)\s*:?(?P<reason>(?:(?!<!--|-->).)*)-->", re.I | re.S
)


def find_markers(text: str) -> list[Marker]:
    """`pii-ok` markers: in YAML a comment `# pii-ok: reason`, in Markdown an HTML comment
    `<!-- pii-ok: reason -->`. The colon and reason are optional in the syntax (a marker
    without a reason is found with reason "", so the caller can refuse it)."""
    return list(_markers(text))


# The guard asks for the markers of a line once for each finding on it, and a
# crafted line can hold thousands: the last few texts' markers are remembered.
@functools.lru_cache(maxsize=64)
def _markers(text: str) -> tuple[Marker, ...]:
    matches = [*_YAML_MARKER.finditer(text), *_HTML_MARKER.finditer(text)]
    return tuple(
        sorted(
            (Marker(m.start(), m.end(), " ".join(m.group("reason").split())) for m in matches),
            key=lambda marker: marker.start,
        )
    )
