"""Postcodes, phone numbers and e-mail addresses: a real postcode area, a UK
dialling code, an address's shape."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.privacy.findings import Finding

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


def find_postcodes(text: str) -> Iterator[Finding]:
    for match in _POSTCODE.finditer(text):
        if not match.group().isupper() and (
            not match.group("space") or match.group("inward").lower() in _ORDINALS
        ):
            continue
        yield Finding("postcode", match.start(), match.end())


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


def find_phones(text: str) -> Iterator[Finding]:
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


_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])"
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"(?![A-Za-z0-9-])"
)


def find_emails(text: str) -> Iterator[Finding]:
    if "@" not in text:
        return
    for match in _EMAIL.finditer(text):
        yield Finding("email", match.start(), match.end())
