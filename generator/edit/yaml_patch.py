"""Edits of a file's text as spans of the YAML nodes that changed.

``Patcher`` compares new data with the node tree of the frontmatter as written
and records what to replace: a changed value's lines, a removed key's or item's
lines, new keys and items inserted where the house style puts them. Every
other character of the file, its line endings included, is kept as it was; a
comment at the end of a rewritten value's line stays on that line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.edit.yaml_text import (
    Shape,
    block_lines,
    child_shape,
    flow_text,
    identity,
    inline_text,
    is_inline,
    item_lines,
    key_lines,
    key_order,
    place_comment,
    same,
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class PatchConflict(Exception):
    """The file is written in a way the patcher cannot edit in place."""


class _Reemit(Exception):
    """A list item's map must be written whole: its first key, on the dash's line, goes."""


@dataclass(frozen=True)
class Span:
    """Lines ``first`` to ``last`` of the file (0-based, inclusive)."""

    first: int
    last: int


@dataclass(frozen=True)
class _Position:
    line: int  # of the file, 0-based
    column: int


@dataclass(frozen=True)
class _Edit:
    start: int  # offsets in the text with '\n' line breaks
    end: int
    text: str
    order: int


class Patcher:
    """The edits to one file's text (without its byte-order mark), and the result."""

    def __init__(self, text: str) -> None:
        self._text = text
        breaks = [match.group() for match in _LINE_BREAK.finditer(text)]
        self._newline = max(("\n", "\r\n", "\r"), key=breaks.count) if breaks else "\n"
        # Where each '\r\n' stands in the text read with '\n' breaks, to map back.
        self._crlf = [m.start() - i for i, m in enumerate(re.finditer("\r\n", text))]
        self._normal = _LINE_BREAK.sub("\n", text)
        self.lines = self._normal.split("\n")
        self._starts = [0]
        for line in self.lines:
            self._starts.append(self._starts[-1] + len(line) + 1)
        self._edits: list[_Edit] = []

    def closing_fence(self) -> int:
        """The line of the frontmatter's closing '---'."""
        for index in range(1, len(self.lines)):
            if self.lines[index].rstrip() == "---":
                return index
        raise PatchConflict("the frontmatter is not closed")

    def replace_lines(self, span: Span, lines: list[str]) -> None:
        """Lines ``span`` replaced by ``lines``; with no lines, taken out."""
        start = self._starts[span.first]
        if lines:
            self._edit(
                start, self._starts[span.last] + len(self.lines[span.last]), "\n".join(lines)
            )
        else:
            self._edit(start, self._starts[span.last + 1], "")

    def insert_before(self, line: int, lines: list[str]) -> None:
        self._edit(self._starts[line], self._starts[line], "".join(f"{t}\n" for t in lines))

    def replace_body(self, closing: int, body: str) -> None:
        """Everything after the closing fence's line replaced by ``body``."""
        self._edit(self._starts[closing] + len(self.lines[closing]), len(self._normal), "\n" + body)

    def result(self) -> str:
        """The text with every edit made, in the file's own line endings."""
        parts: list[str] = []
        done = 0
        for edit in sorted(self._edits, key=lambda e: (e.start, e.end, e.order)):
            if edit.start < done:
                raise PatchConflict("two edits of the same lines")
            parts += [self._original(done, edit.start), edit.text.replace("\n", self._newline)]
            done = edit.end
        parts.append(self._original(done, len(self._normal)))
        return "".join(parts)

    def _original(self, start: int, end: int) -> str:
        """The file's own characters between two offsets of the '\n'-broken text."""
        return self._text[
            start + bisect.bisect_left(self._crlf, start) : end
            + bisect.bisect_left(self._crlf, end)
        ]

    def _edit(self, start: int, end: int, text: str) -> None:
        self._edits.append(_Edit(start, end, text, len(self._edits)))

    def edit_mapping(
        self,
        node: MappingNode,
        old: dict[str, Any],
        new: dict[str, Any],
        shape: Shape,
        dash: _Position | None = None,
    ) -> None:
        """A block map edited key by key: removed keys' lines go, changed values are
        edited, new keys go where ``key_order`` puts them. ``dash`` is the '-' of the
        list item the map is, if it is one."""
        pairs: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and str(key_node.value) not in pairs:
                pairs[str(key_node.value)] = (key_node, value_node)
        first_key = node.value[0][0]
        on_dash = dash is not None and dash.line == _line(first_key)
        for key, (key_node, value_node) in pairs.items():
            if key not in new:
                if on_dash and key_node is first_key:
                    raise _Reemit
                self.replace_lines(Span(_line(key_node), self._last_line(value_node)), [])
            elif not same(old[key], new[key]):
                self._edit_value(key_node, value_node, old[key], new[key], child_shape(shape, key))
        column = first_key.start_mark.column
        where: int | None = None
        waiting: list[str] = []
        for name in [*key_order(shape, list(pairs), new), None]:
            if name is not None and name not in pairs:
                waiting.append(name)
                continue
            if waiting:
                if where is None and on_dash:
                    raise _Reemit
                lines = [
                    text
                    for k in waiting
                    for text in key_lines(k, new[k], child_shape(shape, k), column)
                ]
                self.insert_before(_line(first_key) if where is None else where, lines)
                waiting = []
            if name is not None:
                where = self._last_line(pairs[name][1]) + 1

    def _edit_sequence(
        self, node: SequenceNode, old: list[Any], new: list[Any], shape: Shape
    ) -> None:
        """A block list edited item by item: items kept as they are where the lists
        agree, changed items edited in place, removed items' lines taken out, new items
        inserted in the style of their neighbours."""
        items: list[Node] = node.value
        dashes = [self._dash(item) for item in items]
        item_shape = child_shape(shape, 0)
        maps = [item for item in items if isinstance(item, MappingNode) and item.value]
        flow_items = bool(maps[0].flow_style) if maps else None
        matcher = SequenceMatcher(None, list(map(identity, old)), list(map(identity, new)), False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for d in range(paired):
                self._edit_item(dashes[i1 + d], items[i1 + d], old[i1 + d], new[j1 + d], item_shape)
            for i in range(i1 + paired, i2):
                self.replace_lines(Span(dashes[i].line, self._last_line(items[i])), [])
            if j1 + paired < j2:
                where = self._last_line(items[i2 - 1]) + 1 if i2 > 0 else dashes[0].line
                lines = [
                    text
                    for value in new[j1 + paired : j2]
                    for text in item_lines(value, item_shape, dashes[0].column, flow_items)
                ]
                self.insert_before(where, lines)

    def _edit_value(self, key_node: Node, node: Node, old: Any, new: Any, shape: Shape) -> None:
        """A map's value edited: a block map or list in place, anything else rewritten."""
        if _is_block(node, MappingNode) and new and isinstance(new, dict) and isinstance(old, dict):
            self.edit_mapping(node, old, new, shape)  # type: ignore[arg-type]
        elif _is_block(node, SequenceNode) and new and isinstance(new, list):
            self._edit_sequence(node, old, new, shape)  # type: ignore[arg-type]
        else:
            self._rewrite(self._colon(key_node), key_node.start_mark.column, node, new, shape)

    def _edit_item(self, dash: _Position, node: Node, old: Any, new: Any, shape: Shape) -> None:
        """A list item edited: a block map in place, unless its first key goes."""
        if _is_block(node, MappingNode) and new and isinstance(new, dict) and isinstance(old, dict):
            held = len(self._edits)
            try:
                self.edit_mapping(node, old, new, shape, dash)  # type: ignore[arg-type]
            except _Reemit:
                del self._edits[held:]
                self._rewrite(dash, dash.column, node, new, shape, item=True)
        elif _is_block(node, SequenceNode) and new and isinstance(new, list):
            self._edit_sequence(node, old, new, shape)  # type: ignore[arg-type]
        else:
            self._rewrite(dash, dash.column, node, new, shape, item=True)

    def _rewrite(
        self,
        anchor: _Position,
        indent: int,
        node: Node,
        new: Any,
        shape: Shape,
        *,
        item: bool = False,
    ) -> None:
        """The value after ``anchor`` (a key's ':' or an item's '-') written anew from
        its line to the value's last line, keeping the comment at the end of its line.
        A collection keeps its style (flow or block) when it stays the same kind."""
        flow: bool | None = None
        old_keys: list[str] = []
        if isinstance(node, MappingNode) and node.value and isinstance(new, dict):
            flow = bool(node.flow_style)
            old_keys = [str(k.value) for k, _ in node.value if isinstance(k, ScalarNode)]
        elif isinstance(node, SequenceNode) and node.value and isinstance(new, list):
            flow = bool(node.flow_style)
        comment, column = self._kept_comment(anchor, node)
        prefix = self.lines[anchor.line][: anchor.column + 1]
        if is_inline(new, shape, flow):
            text = (
                flow_text(new, shape, old_keys) if old_keys else inline_text(new, shape, item=item)
            )
            lines = [place_comment(f"{prefix} {text}" if text else prefix, comment, column)]
        elif item:
            below = block_lines(new, shape, indent + 2)
            lines = [place_comment(f"{prefix} {below[0].lstrip()}", comment, column), *below[1:]]
        else:
            lines = [place_comment(prefix, comment, column), *block_lines(new, shape, indent + 2)]
        last = self._last_line(node)
        self.replace_lines(Span(anchor.line, last), lines + self._comment_lines(node, anchor, last))

    def _comment_lines(self, node: Node, anchor: _Position, last: int) -> list[str]:
        """The whole-line comments inside a value that is written anew, kept below it:
        a ``pii-ok`` marker or a reviewer's note is not lost when a rating changes form.
        The lines of a text written over several lines are text, not comments."""
        text_lines: set[int] = set()
        pending = [node]
        while pending:
            current = pending.pop()
            if isinstance(current, ScalarNode):
                text_lines.update(range(_line(current) + 1, self._last_line(current) + 1))
            elif isinstance(current, MappingNode):
                pending.extend(part for pair in current.value for part in pair)
            else:
                pending.extend(current.value)
        return [
            self.lines[index]
            for index in range(anchor.line + 1, last + 1)
            if index not in text_lines and self.lines[index].lstrip().startswith("#")
        ]

    def _kept_comment(self, anchor: _Position, node: Node) -> tuple[str | None, int]:
        """The comment at the end of a value's line, and its column."""
        start, end = node.start_mark, node.end_mark
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            header = self.lines[start.line + 1]
            indicator = re.match(r"[|>][-+0-9]*", header[start.column :])
            return self._trailing(
                start.line + 1, start.column + (indicator.end() if indicator else 1)
            )
        if isinstance(node, MappingNode | SequenceNode) and not node.flow_style:
            return self._trailing(anchor.line, anchor.column + 1)
        found = self._trailing(end.line + 1, end.column)
        if found[0] is None and start.line + 1 != anchor.line:
            found = self._trailing(anchor.line, anchor.column + 1)
        return found

    def _trailing(self, line: int, column: int) -> tuple[str | None, int]:
        rest = self.lines[line][column:]
        comment = rest.lstrip(" \t")
        if comment.startswith("#"):
            return comment.rstrip(), column + len(rest) - len(comment)
        return None, 0

    def _last_line(self, node: Node) -> int:
        """The file line on which ``node``'s own text ends (comments after it excluded)."""
        if isinstance(node, ScalarNode):
            end = node.end_mark
            if node.style in ("|", ">") and end.column == 0 and end.line > node.start_mark.line:
                return int(end.line)  # the block ends where the next line starts
            return int(end.line) + 1
        if not isinstance(node, MappingNode | SequenceNode) or node.flow_style or not node.value:
            return int(node.end_mark.line) + 1
        last = node.value[-1]
        return self._last_line(last[1] if isinstance(node, MappingNode) else last)

    def _colon(self, key_node: Node) -> _Position:
        """Where the ':' after a key stands."""
        line, column = key_node.end_mark.line + 1, key_node.end_mark.column
        text = self.lines[line]
        while column < len(text) and text[column] in " \t":
            column += 1
        if column >= len(text) or text[column] != ":":
            raise PatchConflict(f"line {line + 1}: a key's ':' is not on the key's line")
        return _Position(line, column)

    def _dash(self, item: Node) -> _Position:
        """Where the '-' that starts a block list's item stands."""
        line, column = item.start_mark.line + 1, item.start_mark.column - 1
        while line >= 0:
            while column >= 0 and self.lines[line][column] in " \t":
                column -= 1
            if column >= 0:
                if self.lines[line][column] == "-":
                    return _Position(line, column)
                break
            line -= 1
            column = len(self.lines[line]) - 1
        raise PatchConflict(f"line {item.start_mark.line + 2}: a list item's '-' was not found")


def _line(node: Node) -> int:
    """The file line (0-based) on which ``node`` starts: the YAML starts on line 1."""
    return int(node.start_mark.line) + 1


def _is_block(node: Node, kind: type[MappingNode | SequenceNode]) -> bool:
    """Whether ``node`` is a non-empty block map or list of ``kind``."""
    return isinstance(node, kind) and not node.flow_style and bool(node.value)
