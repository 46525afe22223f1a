"""NHS and National Insurance numbers: the shape of the real thing, an NHS number's
check digit and the National Insurance prefixes HMRC issues."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.privacy.findings import Finding

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


def find_nhs_numbers(text: str) -> Iterator[Finding]:
    for match in _NHS_NUMBER.finditer(text):
        if nhs_number_valid(_NOT_DIGITS.sub("", match.group())):
            yield Finding("nhs-number", match.start(), match.end())


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


def find_ni_numbers(text: str) -> Iterator[Finding]:
    for match in _NI_NUMBER.finditer(text):
        yield Finding("ni-number", match.start(), match.end())
