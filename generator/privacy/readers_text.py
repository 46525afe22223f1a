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

Step 1 is ``generator.privacy.reader_markup``, step 2 ``generator.privacy.characters``
(with the look-alike letters of ``generator.privacy.lookalikes``), step 3 is here.

It is a generous reader: it reads every text as Markdown, even a plain field the
site shows as written, since seeing too much costs a second look and seeing too
little costs a leak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.privacy.characters import read_characters
from generator.privacy.reader_markup import read_markup
from generator.privacy.source_spans import StageOutput

__all__ = [
    "ReadersText",
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
    for stage in (read_markup, read_characters, _read_whitespace):
        text, starts, ends = stage(text, starts, ends)
    return ReadersText(text, tuple(starts), tuple(ends))


# Step 3: whitespace, as a browser shows it.
_WHITESPACE_TO_READ = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")


def _read_whitespace(
    text: str, starts: list[int], ends: list[int]
) -> tuple[str, list[int], list[int]]:
    out = StageOutput()
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
