"""The text of a review or minutes file after an edit, written over the file as it was.

Reviewers' files are read in pull requests, and their comments carry meaning
(guidance from the scaffold, ``# pii-ok:`` markers that record an accepted
personal-data finding), so a save never re-dumps the frontmatter: the new data
is compared with the YAML node tree of the file as written, and only the spans
of the nodes that changed are rewritten (``yaml_patch``), in the house style of
the samples (``yaml_text``). Whatever is written is read back with the loader
the validator uses; a file that would read differently is never returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import yaml
from yaml.nodes import MappingNode

from generator.core.problems import BODY
from generator.edit.yaml_patch import PatchConflict, Patcher, Span
from generator.edit.yaml_text import block_lines, same
from generator.load.source_file import parse_file
from generator.load.yaml_nodes import Builder

_BOM = "\ufeff"
_PATH = "the edited file"


class WriteFailed(Exception):
    """The written text would not read back as the data it was given."""


def frontmatter_and_body(text: str) -> tuple[dict[str, Any], str]:
    """What the loader reads from a full file text: (frontmatter data, body), exactly
    as the validator sees them; ValueError, saying what is wrong, if it does not parse."""
    document, problems = parse_file(text.encode("utf-8"), _PATH, markdown=True)
    # A control character in the body is reported by the check, but the data and the
    # body are still read as written; anything else means the data is not the file's.
    errors = [p for p in problems if p.is_error and p.field != BODY]
    if errors or not isinstance(document.data, dict):
        found = "; ".join(f"line {p.line}: {p.message}" for p in errors)
        raise ValueError(found or "the frontmatter is not a map of keys and values")
    return document.data, document.body


def write_file(original: str, data: Mapping[str, Any], body: str) -> str:
    """The text of a content file whose frontmatter reads as ``data`` and whose Markdown
    body is ``body``, written over ``original`` (the file's current full text, with its
    '---' frontmatter fences): unchanged parts byte for byte, comments kept."""
    # The body is read with '\n' line breaks whatever the file's (a browser's form
    # sends '\r\n'); it is written in the file's own.
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    try:
        wanted = _plain(data)
    except TypeError as error:
        raise WriteFailed(str(error)) from None
    if not original.strip():
        return _checked(_new_file(wanted, body), wanted, body)
    try:
        old_data, old_body = frontmatter_and_body(original)
    except ValueError as error:
        raise WriteFailed(
            f"the file as it stands cannot be read ({error}); correct it by hand first"
        ) from None
    if same(old_data, wanted) and old_body == body:
        return original
    try:
        text = _patched(original, old_data, wanted, body, body_changed=old_body != body)
    except PatchConflict as conflict:
        raise WriteFailed(
            f"the file is laid out in a way the editor cannot change in place ({conflict}); "
            "make this change by hand"
        ) from None
    return _checked(text, wanted, body)


def _patched(
    original: str, old_data: dict[str, Any], data: dict[str, Any], body: str, *, body_changed: bool
) -> str:
    """``original`` with the frontmatter's changed nodes and, if changed, the body
    rewritten; every other character kept as it was."""
    bom = original.startswith(_BOM)
    text = original[1:] if bom else original
    patcher = Patcher(text)
    closing = patcher.closing_fence()
    if not same(old_data, data):
        yaml_text = "".join(line + "\n" for line in patcher.lines[1:closing])
        try:
            root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            raise WriteFailed(f"the frontmatter cannot be read to edit it: {error}") from None
        if isinstance(root, MappingNode) and not root.flow_style and root.value:
            patcher.edit_mapping(root, Builder(_PATH, 1).build(root, ()), data, ())
        else:
            patcher.replace_lines(Span(1, closing - 1), block_lines(data, (), 0))
    if body_changed:
        patcher.replace_body(closing, body)
    return (_BOM if bom else "") + patcher.result()


def _new_file(data: dict[str, Any], body: str) -> str:
    """A file written from nothing: the frontmatter in house style, then the body."""
    return "\n".join(["---", *block_lines(data, (), 0), "---", body])


def _checked(text: str, data: dict[str, Any], body: str) -> str:
    """``text`` if it reads back as ``data`` and ``body``; WriteFailed if not."""
    try:
        read_data, read_body = frontmatter_and_body(text)
    except (ValueError, UnicodeEncodeError) as error:
        raise WriteFailed(f"the written file would not read back ({error})") from None
    if not same(read_data, data):
        raise WriteFailed(
            "the written frontmatter would not read back as the form's data; "
            "the file was left as it was"
        )
    if read_body != body:
        raise WriteFailed(
            "the written Markdown would not read back as the form's text; "
            "the file was left as it was"
        )
    return text


def _plain(value: Any) -> Any:
    """``value`` as the loader's plain types: maps as dicts with text keys, sequences
    as lists; TypeError for anything a content file cannot hold."""
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("every key of the data must be text")
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | dt.date):
        return value
    raise TypeError(f"a value of type {type(value).__name__} cannot be written to a file")
