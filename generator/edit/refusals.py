"""What the editor refuses, said for the person in front of it."""

from __future__ import annotations


class EditRefused(Exception):
    """A request the editor will not carry out: ``status`` is the HTTP status the
    server answers with, ``message`` what the reviewer is told, and ``field``,
    when there is one, the form field it is about."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
