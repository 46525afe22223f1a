"""The text one step of the reader's text writes, with the source span of each of
its characters: how a finding in the reader's text is found again in the source."""

from __future__ import annotations


class StageOutput:
    """The text a stage writes, with the source span of each of its characters."""

    __slots__ = ("chunks", "ends", "starts")

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def copy(self, text: str, starts: list[int], ends: list[int], start: int, end: int) -> None:
        """Copy ``text[start:end]`` as it is."""
        if start < end:
            self.chunks.append(text[start:end])
            self.starts += starts[start:end]
            self.ends += ends[start:end]

    def write(self, chars: str, start: int, end: int) -> None:
        """Write ``chars``, all of them from ``source[start:end]``."""
        if chars:
            self.chunks.append(chars)
            self.starts += [start] * len(chars)
            self.ends += [end] * len(chars)

    def drop_trailing_blanks(self) -> None:
        while self.chunks:
            last = self.chunks[-1]
            kept = last.rstrip(" \t")
            dropped = len(last) - len(kept)
            if dropped:
                del self.starts[-dropped:], self.ends[-dropped:]
            if kept:
                self.chunks[-1] = kept
                return
            self.chunks.pop()

    def result(self) -> tuple[str, list[int], list[int]]:
        return "".join(self.chunks), self.starts, self.ends
