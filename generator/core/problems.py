"""Problems found in content, and the three ways of reporting them.

Every stage collects problems instead of stopping at the first one; the edges
(CLI, MkDocs plugin) decide what to do with the list. One shape throughout:
``path:line: field: message``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# Field name for problems that concern a whole file or folder rather than a key.
FILE = "file"
# Field name for problems in the YAML text itself (syntax, indentation).
YAML = "yaml"
# Field name for problems in the Markdown after the frontmatter.
BODY = "body"

# How much of a value a message may quote: enough to recognise it, never a whole file.
EXCERPT_CHARACTERS = 60
# Characters a terminal or a CI log would act on (escapes, NUL, line breaks...).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


# A quoted value in a message: a quote that is no apostrophe, up to the next quote.
_QUOTED = re.compile(r"(?<!\w)'([^']*)'(?!\w)")
# Checks quote with ``excerpt`` already; this is the backstop for any that do not.
_QUOTE_LIMIT = 2 * EXCERPT_CHARACTERS


def with_excerpts(message: str) -> str:
    """``message`` with each long value it quotes (``'...'``) cut to an excerpt: a check
    that quotes what it refuses must never print a whole file pasted into a field."""
    return _QUOTED.sub(lambda m: f"'{excerpt(m.group(1), _QUOTE_LIMIT)}'", message)


def printable(text: str) -> str:
    """``text`` with the characters a terminal or a CI log would act on shown as ``\\xNN``:
    a file or folder name, like a message, may hold an escape sequence."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def excerpt(value: object, limit: int = EXCERPT_CHARACTERS) -> str:
    """``value`` as a message may quote it: on one line, control characters shown
    as ``\\xNN``, and at most ``limit`` characters, with an ellipsis when cut."""
    text = printable(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format_text(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return printable(f"{self.path}:{self.line}: {self.field}: {prefix}{self.message}")

    def as_json(self) -> dict[str, object]:
        return {
            "file": printable(self.path),
            "line": self.line,
            "field": printable(self.field),
            "message": printable(self.message),
            "severity": self.severity.value,
        }


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order by file, then line, so reports read top to bottom and are stable."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.field, p.message))


def format_text(problems: Sequence[Problem]) -> str:
    return "".join(p.format_text() + "\n" for p in problems)


def format_json(problems: Sequence[Problem]) -> str:
    return json.dumps([p.as_json() for p in problems], indent=2, ensure_ascii=False) + "\n"


def _escape_github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(text: str) -> str:
    return _escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    lines = []
    for p in problems:
        command = "error" if p.is_error else "warning"
        props = (
            f"file={_escape_github_property(printable(p.path))},line={p.line},"
            f"title={_escape_github_property(printable(p.field))}"
        )
        lines.append(f"::{command} {props}::{_escape_github_data(printable(p.message))}\n")
    return "".join(lines)


