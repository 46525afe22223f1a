"""``pii-ok`` markers: where a reviewer says what looks like personal data is not."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Marker:
    """A ``pii-ok`` marker at ``text[start:end]``; ``reason`` is "" when none was given."""

    start: int
    end: int
    reason: str


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
