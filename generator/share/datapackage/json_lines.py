"""Where each key of ``datapackage.json`` is, so a problem can name its line."""

from __future__ import annotations

import bisect
import itertools
import json
import re


class JsonLines:
    """The line each key path of a JSON text starts on (``resources[2].path``).

    ``json`` keeps no positions, so this walks the text again once it has parsed.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._decoder = json.JSONDecoder()
        self._lines: dict[str, int] = {}
        self.duplicates: list[str] = []
        self._walk(self._skip(0), "")

    def line(self, path: str) -> int:
        """The line of ``path``, or of the nearest key above it that is there."""
        while path not in self._lines:
            if not path:
                return 1
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self._lines[path]

    def _line_at(self, position: int) -> int:
        return bisect.bisect_right(self._starts, position)

    def _skip(self, position: int) -> int:
        while position < len(self.text) and self.text[position] in " \t\r\n":
            position += 1
        return position

    def _walk(self, position: int, path: str) -> int:
        """Record the lines under ``path``, whose value starts at ``position``;
        return where the value ends."""
        opening = self.text[position]
        if opening not in "{[":
            _, end = self._decoder.raw_decode(self.text, position)
            return end
        closing = "}" if opening == "{" else "]"
        position = self._skip(position + 1)
        seen: set[str] = set()
        for index in itertools.count():
            if self.text[position] == closing:
                return position + 1
            if opening == "{":
                key, after = self._decoder.raw_decode(self.text, position)
                child = f"{path}.{key}" if path else key
                if key in seen:
                    self.duplicates.append(child)
                seen.add(key)
                self._lines[child] = self._line_at(position)
                position = self._skip(self._skip(after) + 1)  # past the colon
            else:
                child = f"{path}[{index}]"
                self._lines[child] = self._line_at(position)
            position = self._skip(self._walk(position, child))
            if self.text[position] == ",":
                position = self._skip(position + 1)
        raise AssertionError("unreachable")  # pragma: no cover
