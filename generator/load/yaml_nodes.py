"""YAML to plain Python data, with the line of every key and list item.

One document is composed in a single pass (with libyaml where PyYAML has it),
refusing anchors, aliases and any tag beyond YAML's plain core types; keys are
taken as written and values resolved as YAML 1.1 does. Problems are collected,
never raised, so a file is reported whole.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.core.problems import YAML, Problem, excerpt
from generator.load.source import Loc, format_loc


class AliasFound(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _ContentLoader(yaml.SafeLoader):
    """Composes one document in a single pass, refusing anchors and aliases.

    Nothing in the format needs them, and they let a few lines expand into
    millions of nodes or refer to themselves; refusing them keeps every value
    where the reviewer can see it. On the way it notes where each unquoted
    value ends, to find text that a ' #' silently cut off.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.plain_value_ends: list[Mark] = []

    def get_token(self) -> Any:
        token = super().get_token()  # type: ignore[no-untyped-call]
        if isinstance(token, yaml.ScalarToken) and token.plain:
            self.plain_value_ends.append(token.end_mark)
        return token

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise AliasFound(event.start_mark.line + 1)
        node: Node | None = super().compose_node(parent, index)
        return node


# The tag of each plain scalar, by its text: the few values a content file writes
# thousands of times (labels, keys, dates) are resolved once. Bounded, so a long
# session does not hold on to every text it has read.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_HELD = 8192
_PLAIN_TAG_LENGTH = 64

_C_LOADER: Any = getattr(yaml, "CSafeLoader", None)

if _C_LOADER is not None:

    class _CLoader(_C_LOADER):  # type: ignore[misc]
        """libyaml's safe loader, resolving repeated plain scalars once.

        While no path resolver is registered (the safe loaders register none), a
        plain scalar's tag depends on its text alone; a text whose first character
        starts no implicit resolver is text, as PyYAML's ``resolve`` would find.
        """

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is not ScalarNode or not implicit[0] or self.yaml_path_resolvers:
                return super().resolve(kind, value, implicit)
            resolvers = self.yaml_implicit_resolvers
            if value and value[0] not in resolvers and None not in resolvers:
                return self.DEFAULT_SCALAR_TAG
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= _PLAIN_TAG_LENGTH:
                    if len(_PLAIN_TAGS) >= _PLAIN_TAGS_HELD:
                        _PLAIN_TAGS.clear()
                    _PLAIN_TAGS[value] = tag
            return tag


# libyaml's parser, where PyYAML was built with it: the same nodes and marks,
# many times faster than PyYAML's own.
_FAST_LOADER: Any = _CLoader if _C_LOADER is not None else None
# What libyaml accepts and PyYAML does not: some tabs, tags, and a comment glued
# to a block scalar's indicator (">#1").
_LIBYAML_ONLY = re.compile(r"\t|!|[|>][-+0-9]*#")


def compose(text: str) -> tuple[Node | None, list[Mark]]:
    """The document's node tree, and where its unquoted values end."""
    # Text that libyaml reads and PyYAML refuses goes to PyYAML, so that a file
    # means the same wherever PyYAML was built with libyaml.
    if _FAST_LOADER is not None and not _LIBYAML_ONLY.search(text):
        try:
            return _compose_fast(text)
        except yaml.YAMLError:
            pass  # PyYAML's own parser words the error the way the reviewers' docs show
    loader = _ContentLoader(text)
    try:
        node: Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return node, loader.plain_value_ends


def _compose_fast(text: str) -> tuple[Node | None, list[Mark]]:
    """``_compose`` with libyaml: where the text could hold an anchor or alias, a
    pass over the events to refuse them; then the nodes, and where unquoted
    values end."""
    ends: list[Any] = []  # libyaml's marks: line and column, as PyYAML's
    if "&" in text or "*" in text:  # an anchor or alias is possible: look before composing
        events = _FAST_LOADER(text)
        try:
            while (event := events.get_event()) is not None:
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    raise AliasFound(event.start_mark.line + 1)
        finally:
            events.dispose()
    loader = _FAST_LOADER(text)
    try:
        node: Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    # Where unquoted values end matters only to a '#' after one: without a '#'
    # in the text, no value can have lost its end to a comment.
    pending = [node] if node is not None and "#" in text else []
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.ScalarNode):
            # Plain (style None in PyYAML, '' in libyaml) and written: libyaml
            # also gives an empty value (`closed:`) a plain node, PyYAML no token.
            if not current.style and current.value:
                ends.append(current.end_mark)
        elif isinstance(current, yaml.MappingNode):
            pending.extend(part for pair in current.value for part in pair)
        else:
            pending.extend(current.value)
    return node, ends


_STR_TAG = "tag:yaml.org,2002:str"
# The tags plain YAML values resolve to; any other is refused.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class Builder:
    """Turns a composed YAML node tree into Python data, recording lines.

    Keys are always taken as written (``no:`` stays the text ``no``); values
    are resolved as YAML 1.1 does. A date that is not a real date (2011-02-30)
    is kept as text, so the models report it instead of the parser crashing.
    """

    def __init__(self, path: str, offset: int) -> None:
        self.path = path
        self.offset = offset
        self.positions: dict[Loc, int] = {}
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def _line(self, node: Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    # Most nodes are text: a key's or item's text value is taken where it is met,
    # without a call for it. The rest go through ``build``, in as many frames for
    # each level of a deep document as before, so it meets the same recursion limit.

    def build(self, node: Node, loc: Loc) -> Any:
        if isinstance(node, MappingNode | SequenceNode) and self._refuse_tag(node):
            return None
        if isinstance(node, MappingNode):
            return self._build_mapping(node, loc)
        if isinstance(node, SequenceNode):
            positions = self.positions
            first = 1 + self.offset
            items: list[Any] = []
            for index, item in enumerate(node.value):
                here = (*loc, index)
                positions[here] = item.start_mark.line + first
                if item.__class__ is ScalarNode and item.tag == _STR_TAG:
                    items.append(item.value)
                else:
                    items.append(self.build(item, here))
            return items
        return self._build_scalar(node)

    def _build_mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        positions = self.positions
        first = 1 + self.offset
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + first
            if not isinstance(key_node, ScalarNode):
                self.problems.append(
                    Problem(self.path, line, format_loc(loc) or YAML, "a key must be plain text")
                )
                continue
            if key_node.tag not in _CORE_TAGS and self._refuse_tag(key_node):
                continue
            key = str(key_node.value)
            here = (*loc, key)
            if key in mapping:  # given before: its line is in positions
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        format_loc(here),
                        f"duplicate key (first given on line {positions[here]}); "
                        "YAML would silently keep only the last one",
                    )
                )
                continue
            positions[here] = line
            if value_node.__class__ is ScalarNode and value_node.tag == _STR_TAG:
                mapping[key] = value_node.value
            else:
                mapping[key] = self.build(value_node, here)
        return mapping

    def _refuse_tag(self, node: Node) -> bool:
        """An error for a tag other than YAML's plain core types (``!!binary``, ``!!set``,
        ``!!python/...``, local ``!tags``): their values are not what the reviewer sees."""
        if node.tag in _CORE_TAGS:
            return False
        shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
        self.problems.append(
            Problem(
                self.path,
                self._line(node),
                YAML,
                f"'{excerpt(shown)}' starts a YAML tag, which the format does not use; "
                "put the value in quotes",
            )
        )
        return True

    def _build_scalar(self, node: Node) -> Any:
        if node.tag == _STR_TAG:  # most values: text, as written
            return node.value
        if self._refuse_tag(node):
            # Keep the text as written, so the one mistake is not reported again as a blank.
            return str(node.value) if isinstance(node, ScalarNode) else None
        try:
            return self._constructor.construct_object(node, deep=True)
        except ValueError:  # a date-shaped value that is no date, such as 2011-02-30
            return str(node.value)
        except ConstructorError as error:
            message = f"cannot read value: {error.problem}"
            if node.tag.startswith("!"):
                message = (
                    f"'{node.tag}' starts a YAML tag, which the format does not use; "
                    "put the value in quotes"
                )
            self.problems.append(Problem(self.path, self._line(node), YAML, message))
            # Keep the text, so the one mistake is not reported again as a blank.
            return str(node.value) if isinstance(node, ScalarNode) else None
