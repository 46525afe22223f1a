"""Python-Markdown, kept to linear time on whatever a reviewer writes.

Python-Markdown was written for text people write, and some text made to be
slow costs it time that grows with the square of its length:

- a link's text is looked for from each ``[`` to the end of its block, one
  character at a time in Python, and its address from each ``](`` the same
  way: tens of thousands of ``[`` (or ``[a](``) took minutes;
- each piece of inline markup it finds (an escape, an emphasis mark, a
  character reference) is swapped for a placeholder by copying the rest of
  its block: a block of nothing but markup copies itself once per mark.

Links are therefore read here with bounded regular expressions that never
backtrack (a link's text may hold one level of brackets and at most
``LINK_TEXT_LIMIT`` characters; its address ``LINK_ADDRESS_LIMIT``), and a
block with more markup than ``MARKUP_BUDGET`` allows for its length is shown
as written, as plain text, rather than formatted. Both limits are far beyond
any real narrative.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markdown
from markdown import inlinepatterns
from markdown.extensions import Extension
from markupsafe import escape

LINK_TEXT_LIMIT = 1_000
LINK_ADDRESS_LIMIT = 2_048
# A block may hold (pieces of inline markup) x (its length) up to this.
MARKUP_BUDGET = 20_000_000

# A link's text, after its "[": up to the "]" that closes it, with at most one
# level of brackets inside. Possessive, so a failed match never backtracks.
_LINK_TEXT = re.compile(
    rf"(?:[^\[\]]|\[[^\[\]]{{0,{LINK_TEXT_LIMIT}}}+\]){{0,{LINK_TEXT_LIMIT}}}+\]"
)
# An address in brackets, after "](": the address (one level of brackets inside
# it, as Wikipedia's have) and perhaps a quoted title.
_ADDRESS_CHAR = r"[^\s()\"']"
_INLINE_LINK = re.compile(
    r"\(\s*+"
    rf"(?P<href>(?:{_ADDRESS_CHAR}|\({_ADDRESS_CHAR}{{0,{LINK_ADDRESS_LIMIT}}}+\))"
    rf"{{0,{LINK_ADDRESS_LIMIT}}}+)"
    r"(?:\s++(?P<title>\"[^\"\n]{0,1000}+\"|'[^'\n]{0,1000}+'))?+"
    r"\s*+\)"
)


class _BoundedText:
    """``getText`` that finds the end of a link's text with ``_LINK_TEXT``."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        match = _LINK_TEXT.match(data, index)
        if match is None:
            return "", index, False
        return data[index : match.end() - 1], match.end(), True


class _BoundedLink(_BoundedText):
    """``getLink`` for ``[text](address "title")``, read with ``_INLINE_LINK``; the
    ``(<address>)`` form keeps Python-Markdown's own reading (one regular expression)."""

    RE_LINK: re.Pattern[str]
    RE_TITLE_CLEAN: re.Pattern[str]
    unescape: Callable[[str], str]

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        angled = self.RE_LINK.match(data, pos=index)
        if angled and angled.group(1):
            return super().getLink(data, index)  # type: ignore[misc,no-any-return]
        match = _INLINE_LINK.match(data, index)
        if match is None:
            return "", None, index, False
        title = match.group("title")
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(
                " ", inlinepatterns.dequote(self.unescape(title.strip()))
            )
        return self.unescape(match.group("href")).strip(), title, match.end(), True


class _Link(_BoundedLink, inlinepatterns.LinkInlineProcessor):
    pass


class _Image(_BoundedLink, inlinepatterns.ImageInlineProcessor):
    pass


class _Reference(_BoundedText, inlinepatterns.ReferenceInlineProcessor):
    pass


class _ShortReference(_BoundedText, inlinepatterns.ShortReferenceInlineProcessor):
    pass


class _ImageReference(_BoundedText, inlinepatterns.ImageReferenceInlineProcessor):
    pass


class _ShortImageReference(_BoundedText, inlinepatterns.ShortImageReferenceInlineProcessor):
    pass


_BOUNDED: dict[str, type[inlinepatterns.InlineProcessor]] = {
    "reference": _Reference,
    "link": _Link,
    "image_link": _Image,
    "image_reference": _ImageReference,
    "short_reference": _ShortReference,
    "short_image_ref": _ShortImageReference,
}


class BoundedLinks(Extension):
    """Python-Markdown's six link readers, each replaced by its bounded form."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Python-Markdown's registry keeps priorities only privately; these are its
        # own (markdown/inlinepatterns.py, build_inlinepatterns).
        priorities = {
            "reference": 170, "link": 160, "image_link": 150,
            "image_reference": 140, "short_reference": 130, "short_image_ref": 125,
        }  # fmt: skip
        for name, bounded in _BOUNDED.items():
            if name in md.inlinePatterns:
                current = md.inlinePatterns[name]
                assert isinstance(current, inlinepatterns.InlineProcessor)
                md.inlinePatterns.register(bounded(current.pattern, md), name, priorities[name])


# What may start a piece of markup Python-Markdown does work for: an escape, a code
# span, emphasis, a link or image, a character reference, an autolink, a line
# break, a quotation (nested quotations are parsed again for each level).
_MARKUP = re.compile(r"[\\`*_\[!&<>\n]")
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")


# Lists and quotations nested deeper than this on one line: Python-Markdown parses
# each level again (and recurses, past Python's limit at a few hundred).
MOST_NESTING = 8
_TOO_DEEP = re.compile(
    rf"^(?:[ \t]*+(?:[-+*>]|[0-9]{{1,9}}+[.)])(?:[ \t]++|$)){{{MOST_NESTING + 1}}}", re.M
)


def render_bounded(text: str, convert: Callable[[str], str]) -> str:
    """``convert(text)`` (Markdown to HTML), except that a block with more markup
    than ``MARKUP_BUDGET`` allows for its length, or nested deeper than
    ``MOST_NESTING``, is shown as plain text.

    Nearly every narrative is converted whole. When one is not, its runs of
    ordinary blocks are converted one run at a time, in order.
    """
    if not _is_unruly(text):
        try:
            return convert(text)
        except RecursionError:  # nesting written another way; found block by block below
            pass
    parts: list[str] = []
    ordinary: list[str] = []

    def flush() -> None:
        if ordinary:
            parts.append(_converted("\n\n".join(ordinary), convert))
            ordinary.clear()

    position = 0
    for block_break in [*_BLOCK_BREAK.finditer(text), None]:
        end = len(text) if block_break is None else block_break.start()
        block = text[position:end]
        if _is_unruly(block):
            flush()
            parts.append(_as_written(block))
        else:
            ordinary.append(block)
        if block_break is not None:
            position = block_break.end()
    flush()
    return "\n".join(part for part in parts if part)


def _is_unruly(text: str) -> bool:
    return (
        len(_MARKUP.findall(text)) * len(text) > MARKUP_BUDGET
        or _TOO_DEEP.search(text) is not None
    )


def _converted(text: str, convert: Callable[[str], str]) -> str:
    """``convert(text)``; if its nesting is still too deep, each block on its own, and
    any that is too deep as written."""
    try:
        return convert(text)
    except RecursionError:
        pass
    parts = []
    for block in _BLOCK_BREAK.split(text):
        try:
            parts.append(convert(block))
        except RecursionError:
            parts.append(_as_written(block))
    return "\n".join(part for part in parts if part)


def _as_written(block: str) -> str:
    return f"<p>{escape(' '.join(block.split()))}</p>"


_PII_OK_START = re.compile(r"<!--\s*pii-ok\b", re.I)


def without_markers(text: str) -> str:
    """``text`` without its ``<!-- pii-ok ... -->`` markers (see generator/guard.py)
    and the blanks before them.

    In one pass: a marker ends at the first ``-->`` after it, and once there is
    none, no later marker can end either.
    """
    kept: list[str] = []
    position = 0
    while (start := _PII_OK_START.search(text, position)) is not None:
        end = text.find("-->", start.end())
        if end < 0:
            break
        kept.append(text[position : start.start()].rstrip(" \t"))
        position = end + 3
    kept.append(text[position:])
    return "".join(kept)
