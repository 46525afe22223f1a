"""Step 1 of the reader's text: markup as a reader sees it, character references
decoded, Markdown escapes, emphasis and link destinations dropped, ``pii-ok``
markers left out."""

from __future__ import annotations

import html.entities
import re

from generator.privacy.source_spans import StageOutput

EMPHASIS = "*_~`"
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


def read_markup(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    out = StageOutput()
    position = 0
    closing_seen = True  # False once a marker has no "-->" after it: none later has
    while match := _MARKUP.search(text, position):
        start, token = match.start(), match.group()
        out.copy(text, starts, ends, position, start)
        position = match.end()
        first = token[0]
        if first == "\\":
            escaped = token[1]
            if escaped not in EMPHASIS:
                out.write(escaped, starts[start + 1], ends[start + 1])
        elif first == "&":
            decoded = _character_reference(token)
            if decoded is None:
                out.copy(text, starts, ends, start, start + 1)
                position = start + 1
            else:
                chars, used = decoded
                position = start + used
                chars = "".join(char for char in chars if char not in EMPHASIS)
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
