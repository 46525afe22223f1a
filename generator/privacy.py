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
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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

_NHS_NUMBER = re.compile(
    _NOT_AFTER_ALNUM
    + r"(?:[0-9]{10}|[0-9]{3} [0-9]{3} [0-9]{4}|[0-9]{3}-[0-9]{3}-[0-9]{4})"
    + _NOT_BEFORE_ALNUM
)


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
        if nhs_number_valid(re.sub(r"[ -]", "", match.group())):
            yield Finding("nhs-number", match.start(), match.end())


# --- National Insurance numbers --------------------------------------------------

# HMRC: neither prefix letter is D, F, I, Q, U or V; the second is not O either;
# and BG, GB, KN, NK, NT, TN and ZZ are never issued. Upper case only: in lower
# case the shape is too close to ordinary words and codes.
_NI_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?(?:[0-9]{6}|[0-9]{2} [0-9]{2} [0-9]{2}) ?"
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

_POSTCODE = re.compile(
    r"(?<![0-9A-Za-z])"
    r"(?:"
    rf"(?:{_POSTCODE_AREA})"
    r"[0-9][0-9A-Z]?"
    r"|GIR(?= ?0AA)"
    r")"
    r"[ \u00a0]?"
    # The inward code's letters are never C, I, K, M, O or V.
    r"[0-9][ABD-HJLNP-UW-Z]{2}"
    r"(?![0-9A-Za-z])"
)


def _find_postcodes(text: str) -> Iterator[Finding]:
    for match in _POSTCODE.finditer(text):
        yield Finding("postcode", match.start(), match.end())


# --- Dates of birth --------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![A-Za-z])\.?"
)
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"[0-9]{1,2}(?P<sep>[/.-])[0-9]{1,2}(?P=sep)(?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{4}(?P<iso_sep>[/.-])[0-9]{1,2}(?P=iso_sep)[0-9]{1,2}"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH},?\s+[0-9]{{4}}"
    rf"|{_MONTH}\s+{_DAY},?\s+[0-9]{{4}}"
    r")(?![0-9A-Za-z]|[/.-][0-9])",
    re.IGNORECASE,
)
# Words that say the date next to them is someone's birth date. YAML keys
# (date_of_birth, birthDate) count too.
_BIRTH_CUE = re.compile(
    r"(?<![A-Za-z])"
    r"(?:born|d\.?o\.?b|date[\s_-]*of[\s_-]*birth|birth[\s_-]*(?:date|day))"
    r"(?![A-Za-z])\.?",
    re.IGNORECASE,
)
# "b. 12 March 1941": only right before the date, since "b." is common otherwise.
_BORN_ABBREVIATION = re.compile(r"(?<![A-Za-z.])b\.", re.IGNORECASE)
# ...but not as the label of a lettered list ("a. ...", "b. 12 March 2011: meeting").
_LIST_LABEL = re.compile(r"^[ \t]*b\.", re.IGNORECASE | re.MULTILINE)
# How far a cue may be from its date (the text between them, in characters).
_CUE_WINDOW = 40
# Text between a cue and a date that makes them parts of different statements:
# another number (a year, a count), the end of a sentence, a new paragraph.
_STATEMENT_BREAK = re.compile(r"[0-9]|[.!?;](?:\s|$)|\n[ \t]*\n")


def _find_dates_of_birth(text: str) -> Iterator[Finding]:
    cues = [match.span() for match in _BIRTH_CUE.finditer(text)]
    cue_starts = [cue_start for cue_start, _ in cues]
    list_label_ends = {match.end() for match in _LIST_LABEL.finditer(text)}
    abbreviation_ends = {
        match.end() for match in _BORN_ABBREVIATION.finditer(text)
    } - list_label_ends
    for date in _DATE.finditer(text):
        start, end = date.span()
        # Cues are words and dates start with a digit or a month, so they never overlap.
        following = bisect.bisect_left(cue_starts, end)
        cue_before = cues[following - 1] if following else None
        cue_after = cues[following] if following < len(cues) else None
        if (
            (cue_before is not None and _is_same_statement(text[cue_before[1] : start]))
            or (cue_after is not None and _is_same_statement(text[end : cue_after[0]]))
            or _skip_blanks_back(text, start) in abbreviation_ends
        ):
            yield Finding("date-of-birth", start, end)


def _is_same_statement(gap: str) -> bool:
    return len(gap) <= _CUE_WINDOW and _STATEMENT_BREAK.search(gap) is None


def _skip_blanks_back(text: str, end: int) -> int:
    """Where the spaces and tabs just before ``text[end]`` begin."""
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    return end


# --- Phone numbers ---------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?<![0-9][.,])"
    r"(?:(?P<international>(?:\+|00)44 ?(?:\(0\) ?)?)[1-9]|\(?0[1-9])"
    r"[0-9]*"
    # No UK number has more groups than this; the cap keeps the search linear.
    r"(?:(?: ?- ?| |\) ?)[0-9]+){0,5}"
)
_DIGITS = re.compile(r"[0-9]+")
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
    for count in range(len(runs), 0, -1):
        chosen = runs[:count]
        end = chosen[-1].end()
        if end < len(text) and text[end].isalnum():
            continue
        if any(len(run.group()) < 2 for run in chosen[1:]):
            continue
        digits = "".join(run.group() for run in chosen)
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
    return text.casefold().translate(_APOSTROPHES)


@dataclass
class _NameTrie:
    """Names part by part: each name is a path from the root, its parts folded."""

    children: dict[str, _NameTrie] = field(default_factory=dict)
    is_name: bool = False


class DenyList:
    """Names that must never appear (e.g. current service users' names exported from the
    case management system). One name per line; blank lines and lines starting with # ignored;
    UTF-8; matched case-insensitively as whole words, with any run of whitespace between the
    parts of a multi-word name matching any whitespace (including a newline).

    Single-word names of fewer than 2 letters are ignored. The names are kept as a
    trie of their parts, so each word of a text costs a dictionary look-up or two
    however long the list is.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._root = _NameTrie()
        self._count = 0
        most_words = 0
        for line in names:
            parts = _resolve_name_parts(unicodedata.normalize("NFC", line))
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

    Where findings overlap, the one that starts first (then the longest) is kept:
    the text is reported once, as one kind.
    """
    findings: list[Finding] = [
        *_find_nhs_numbers(text),
        *_find_ni_numbers(text),
        *_find_postcodes(text),
        *_find_dates_of_birth(text),
        *_find_phones(text),
        *_find_emails(text),
    ]
    if deny is not None:
        findings += deny.find(text)
    return _without_overlaps(findings)


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
    matches = [*_YAML_MARKER.finditer(text), *_HTML_MARKER.finditer(text)]
    return sorted(
        (Marker(m.start(), m.end(), " ".join(m.group("reason").split())) for m in matches),
        key=lambda marker: marker.start,
    )
