"""What makes text begin like a spreadsheet formula, and how to say so in a
message: one declaration for the models, the CSV writers and the data package.
"""

from __future__ import annotations

import re
import unicodedata

# What a spreadsheet may take for the start of a formula, as regular-expression
# character classes: one declaration for the validator, the CSV writers and the
# data package's table schema. The signs are = + - @ and every character Unicode
# folds into one of them (their full-width, small and superscript forms).
FORMULA_SIGNS = (
    r"=+\-@\u207a\u207c\u208a\u208c\u2a75\u2a76\ufb29"
    r"\ufe62\ufe63\ufe66\ufe6b\uff0b\uff0d\uff1d\uff20"
)


# What a spreadsheet may skip or trim before it looks for a sign: control
# characters (tab, carriage return, line feed...), spaces of every width and the
# invisible format marks (soft hyphen, zero-width spaces and joiners, direction
# marks, the byte-order mark).
BLANK_START = (
    r"\x00-\x20\x7f-\xa0\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    r"\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff"
    r"\ufff9-\ufffb"
)


_CONTROL = r"\x00-\x1f\x7f-\x9f"


# A name that begins like a formula: with a control character, or with a sign
# after nothing but blank characters.
FORMULA_NAME = f"[{_CONTROL}]|[{BLANK_START}]*[{FORMULA_SIGNS}]"


_FORMULA_NAME = re.compile(FORMULA_NAME)


_INVISIBLE = re.compile(f"[{BLANK_START}]")


_CONTROL_NAMES = {"\t": "a tab", "\r": "a carriage return", "\n": "a line break"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character == " ":
        return character
    if character in _CONTROL_NAMES:
        return repr(character)[1:-1]
    return f"\\u{ord(character):04x}"


def shown(text: str) -> str:
    """``text`` with its invisible characters written as escapes (``\\t``), for a message."""
    return _INVISIBLE.sub(_escape, text)


def formula_start(text: str) -> str | None:
    """How ``text`` begins like a spreadsheet formula, in words; None when it does not."""
    match = _FORMULA_NAME.match(text)
    if match is None:
        return None
    found = match.group()
    first = found[-1]
    if len(found) == 1 and not first.isprintable():  # a control character, not a sign
        return _CONTROL_NAMES.get(first, f"a control character (U+{ord(first):04X})")
    sign = f"'{first}'"
    folded = unicodedata.normalize("NFKC", first)[0]
    if folded != first:
        sign += f" (a form of '{folded}')"
    if len(found) > 1:
        before = "spaces" if found[:-1].isspace() else "invisible characters"
        sign += f", even after {before}"
    return sign
