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

Every pattern of the scan runs in time proportional to its text, whatever the text: a
review body is written by people, and a crafted one must not stall a build.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.privacy.birth_dates import find_dates_of_birth, list_labels, list_labels_read
from generator.privacy.contacts import find_emails, find_phones, find_postcodes
from generator.privacy.findings import Finding, without_overlaps
from generator.privacy.id_numbers import find_nhs_numbers, find_ni_numbers
from generator.privacy.names import DenyList
from generator.privacy.readers_text import (
    readers_text,
    reads_as_written,
)


def find_personal_data(text: str, deny: DenyList | None = None) -> list[Finding]:
    """Every finding in text, sorted by start, overlapping duplicates removed.

    The text is searched as written and as a reader sees it
    (``generator.privacy.readers_text.readers_text``); a finding in the reader's text covers
    the written text from its first character's source to its last's. Where
    findings overlap, the one that starts first (then the longest) is kept: the text
    is reported once, as one kind.
    """
    if reads_as_written(text):
        return without_overlaps(_find_all(text, deny, list_labels(text)))
    reader = readers_text(text)
    if reader.text == text:
        return without_overlaps(_find_all(text, deny, list_labels(text)))
    # "b." before a date is read in the reader's text only: as written, markup and
    # invisible characters around it hide whether it labels a line.
    findings = _find_all(text, deny, None)
    findings += [
        Finding(finding.kind, *reader.source_span(finding.start, finding.end))
        for finding in _find_all(reader.text, deny, list_labels_read(text, reader))
    ]
    return without_overlaps(findings)


def _find_all(
    text: str, deny: DenyList | None, is_list_label: Callable[[int], bool] | None
) -> list[Finding]:
    findings: list[Finding] = [
        *find_nhs_numbers(text),
        *find_ni_numbers(text),
        *find_postcodes(text),
        *find_dates_of_birth(text, is_list_label),
        *find_phones(text),
        *find_emails(text),
    ]
    if deny is not None:
        findings += deny.find(text)
    return findings
