"""Dates of birth: a date with a cue word next to it ("born", "DOB") in the same
statement."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from generator.privacy.characters import DEFAULT_IGNORABLE_CLASS
from generator.privacy.findings import Finding
from generator.privacy.readers_text import ReadersText

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


def list_labels(text: str) -> Callable[[int], bool]:
    """Whether the "b." at ``text[start]`` labels a line."""
    starts = {match.end() - 2 for match in _LIST_LABEL.finditer(text)} if "." in text else set()
    return starts.__contains__


def list_labels_read(source: str, reader: ReadersText) -> Callable[[int], bool]:
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


def find_dates_of_birth(
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
