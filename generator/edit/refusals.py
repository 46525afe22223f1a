"""What the editor refuses, said for the person in front of it."""

from __future__ import annotations

import re


class EditRefused(Exception):
    """A request the editor will not carry out: ``status`` is the HTTP status the
    server answers with, ``message`` what the reviewer is told, and ``field``,
    when there is one, the form field it is about."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def refuse_half_characters(payload: object) -> None:
    """EditRefused (400) when any text in ``payload`` (JSON, walked without recursion)
    holds a lone surrogate: JSON's \\ud800 escapes allow one, a UTF-8 file does not."""
    waiting = [payload]
    while waiting:
        value = waiting.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise EditRefused(
                    400,
                    "the form holds half of a character (a lone surrogate), which cannot be "
                    "saved; type that character again",
                )
        elif isinstance(value, dict):
            waiting.extend(value.keys())
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)


_SURROGATE = re.compile("[\ud800-\udfff]")
