"""New YAML written in the house style of the sample reviews and minutes.

The writer (``house_style``) keeps every line of a file that an edit does not
touch; this module words the lines it must add or change: scalars quoted only
where the loader would misread them, short lists and grades in flow style, the
case audits and actions as block maps, keys in the order reviewers know.

A *shape* is a value's path with list indices replaced by ``*``: ``("cases",
"*", "grades")`` names every case's grades, whichever case it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import yaml
from yaml.nodes import ScalarNode

Shape = tuple[str, ...]

_STR_TAG = "tag:yaml.org,2002:str"
# Characters that start something other than plain text when they open a value.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARACTERS = frozenset(",[]{}:#?")
# What must be escaped inside double quotes: line breaks, tabs, and every character
# that YAML cannot hold raw or that the loader refuses as invisible (source_file).
_ESCAPED = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
_RESOLVER = yaml.resolver.Resolver()
# A key is read as written when it resolves to one of these; `=` and `<<` do not.
_KEY_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)

# The order reviewers meet keys in, in reviews and minutes alike (the two kinds
# share few keys, so one order serves both). A new key goes after the nearest key
# before it in this order that the file has.
_KNOWN_ORDERS: dict[Shape, tuple[str, ...]] = {
    (): (
        "status",
        "framework_version",
        "audience",
        "chairs",
        "representatives",
        "reviewers",
        "evidence",
        "ratings",
        "cases",
        "development",
        "actions",
        "amendments",
        "next_meeting",
    ),
    ("ratings", "*"): ("rating", "note", "evidence", "audience"),
    ("actions", "*"): ("id", "standards", "action", "owner", "due", "status", "completed"),
    ("cases", "*"): (
        "ref",
        "worker",
        "team",
        "interviewed",
        "record_reviewed",
        "standards",
        "summary",
        "decision",
        "grades",
        "audience",
    ),
    ("amendments", "*"): ("date", "reason", "by"),
    ("reviewers", "*"): ("name", "role"),
    ("chairs", "*"): ("role", "team"),
    ("representatives", "*"): ("team", "role"),
    ("development", "*"): ("title", "note"),
}
# Maps written on one line: a case's grades, and the short items of a meeting's
# and a review's people.
_FLOW_MAPS = frozenset(
    {("cases", "*", "grades"), ("reviewers", "*"), ("chairs", "*"), ("representatives", "*")}
)
_ID = re.compile(r"([A-Za-z]+)(\d+)")


def child_shape(shape: Shape, key: str | int) -> Shape:
    """The shape of a value under ``key`` (a map's key or a list's index); a rating is
    one shape whichever standard it rates."""
    return (*shape, "*" if isinstance(key, int) or shape == ("ratings",) else key)


def format_scalar(value: Any, *, flow: bool) -> str:
    """One scalar as YAML text that the loader reads back as ``value``; an empty
    value (None) is written as nothing in block context and as ``null`` in flow."""
    if value is None:
        return "null" if flow else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        dumped: str = yaml.safe_dump(value)
        return dumped.split("\n", 1)[0]
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _quoted(value) if _needs_quotes(value, flow=flow, key=False) else value
    raise TypeError(f"a value of type {type(value).__name__} cannot be written to a file")


def format_key(key: str, *, flow: bool) -> str:
    """A map key as written: keys are read as written text, so only what would not
    parse as a key is quoted."""
    return _quoted(key) if _needs_quotes(key, flow=flow, key=True) else key


@lru_cache(maxsize=4096)
def _needs_quotes(text: str, *, flow: bool, key: bool) -> bool:
    """Whether ``text`` must be quoted to read back as itself in its context."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return True
    if _ESCAPED.search(text) or ": " in text or " #" in text or text.endswith(":"):
        return True
    if flow and not _FLOW_CHARACTERS.isdisjoint(text):
        return True
    resolved = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if resolved != _STR_TAG and (not key or resolved not in _KEY_TAGS):
        return True
    return not _reads_back(text, flow=flow, key=key)


def _reads_back(text: str, *, flow: bool, key: bool) -> bool:
    """Whether the plain ``text`` is read back as itself: the last word on quoting."""
    if key:
        source = f"{{{text}: x}}" if flow else f"{text}: x"
    else:
        source = f"[{text}]" if flow else f"x: {text}"
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    if node is None or not node.value:
        return False
    if flow and not key:
        scalar = node.value[0] if len(node.value) == 1 else None
    else:
        key_node, value_node = node.value[0] if len(node.value) == 1 else (None, None)
        scalar = key_node if key else value_node
    return (
        isinstance(scalar, ScalarNode)
        and scalar.value == text
        and (key or scalar.tag == _STR_TAG)
        and scalar.style is None
    )


def _quoted(text: str) -> str:
    """``text`` in double quotes, as the sample notes are written."""
    return '"' + _ESCAPED.sub(_escape, text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def same(left: Any, right: Any) -> bool:
    """Equal as the loader's data, types included: ``True`` is not ``1``, a date is
    not a datetime, and the order of a map's keys does not matter."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same(v, right[k]) for k, v in left.items())
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    return bool(left == right)


def identity(value: Any) -> Any:
    """A hashable stand-in for ``value`` that two values share only when ``same``."""
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, identity(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("list", tuple(identity(item) for item in value))
    return (type(value).__name__, value)


def is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def house_flow(value: Any, shape: Shape) -> bool:
    """Whether a new collection at ``shape`` is written on one line: empty ones,
    lists of scalars (evidence, interviewed, standards), grades and people's items."""
    if not value:
        return True
    if isinstance(value, list):
        return all(is_scalar(item) for item in value)
    return shape in _FLOW_MAPS


def is_inline(value: Any, shape: Shape, flow: bool | None = None) -> bool:
    """Whether ``value`` is written on its key's (or its dash's) line."""
    if is_scalar(value) or not value:
        return True
    return house_flow(value, shape) if flow is None else flow


def key_order(shape: Shape, old_keys: Sequence[str], new_keys: Iterable[str]) -> list[str]:
    """The keys of a map as written: those already in the file in their order,
    each new key inserted where reviewers expect it (standard ids in id order, known
    keys in their known order, any other key after the last)."""
    new_keys = list(new_keys)
    kept = set(new_keys)
    order = [key for key in old_keys if key in kept]
    known = _KNOWN_ORDERS.get(shape, ())
    ids = all(_ID.fullmatch(key) for key in (*old_keys, *new_keys))
    for key in new_keys:
        if key in order:
            continue
        if ids:
            smaller = [i for i, k in enumerate(order) if _id_key(k) < _id_key(key)]
            order.insert(smaller[-1] + 1 if smaller else 0, key)
        elif key in known:
            order.insert(_known_position(order, known, key), key)
        else:
            order.append(key)
    return order


def _id_key(key: str) -> tuple[str, int]:
    match = _ID.fullmatch(key)
    return (match.group(1).upper(), int(match.group(2))) if match else (key, 0)


def _known_position(order: list[str], known: tuple[str, ...], key: str) -> int:
    rank = known.index(key)
    before = [i for i, k in enumerate(order) if k in known and known.index(k) < rank]
    if before:
        return before[-1] + 1
    after = [i for i, k in enumerate(order) if k in known and known.index(k) > rank]
    return after[0] if after else len(order)


def place_comment(text: str, comment: str | None, column: int) -> str:
    """``text`` with a kept end-of-line comment: at its old column when the text
    leaves room, else one space after it."""
    if comment is None:
        return text
    if len(text) < column:
        return text.ljust(column) + comment
    return f"{text} {comment}"


def flow_text(value: Any, shape: Shape, old_keys: Sequence[str] = ()) -> str:
    """``value`` on one line: ``[a, b]``, ``{S07: Good}``, or a scalar."""
    if isinstance(value, dict):
        keys = key_order(shape, old_keys, value)
        entries = (
            f"{format_key(k, flow=True)}: {flow_text(value[k], child_shape(shape, k))}"
            for k in keys
        )
        return "{" + ", ".join(entries) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(item, child_shape(shape, 0)) for item in value) + "]"
    return format_scalar(value, flow=True)


def inline_text(value: Any, shape: Shape, *, item: bool = False) -> str:
    """The text of an inline value after its ``key:`` or ``-``."""
    if is_scalar(value):
        return format_scalar(value, flow=item and value is None)
    return flow_text(value, shape)


def key_lines(key: str, value: Any, shape: Shape, indent: int) -> list[str]:
    """A new ``key: value`` at column ``indent``, with its block below when it has one."""
    head = " " * indent + format_key(key, flow=False) + ":"
    if is_inline(value, shape):
        text = inline_text(value, shape)
        return [f"{head} {text}" if text else head]
    return [head, *block_lines(value, shape, indent + 2)]


def block_lines(value: Any, shape: Shape, indent: int, flow_items: bool | None = None) -> list[str]:
    """A map's keys, or a list's items, as block lines at column ``indent``;
    ``flow_items`` chooses the style of a list's map items (house style if None)."""
    if isinstance(value, dict):
        lines: list[str] = []
        for key in key_order(shape, (), value):
            lines += key_lines(key, value[key], child_shape(shape, key), indent)
        return lines
    lines = []
    for item in value:
        lines += item_lines(item, child_shape(shape, 0), indent, flow_items)
    return lines


def item_lines(value: Any, shape: Shape, dash: int, flow: bool | None = None) -> list[str]:
    """A new list item whose ``-`` is at column ``dash``."""
    prefix = " " * dash + "-"
    if is_inline(value, shape, flow if isinstance(value, dict) else None):
        return [f"{prefix} {inline_text(value, shape, item=True)}"]
    lines = block_lines(value, shape, dash + 2)
    return [f"{prefix} {lines[0].lstrip()}", *lines[1:]]
