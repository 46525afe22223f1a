"""Parse one content file: decode it, split frontmatter from Markdown, check the
text for what YAML would misread or a page would show raw, then read the YAML.

Never raises on bad content: every problem is returned, located to its line.
"""

from __future__ import annotations

import re

import yaml
from yaml.error import Mark

from generator.core.problems import BODY, FILE, YAML, Problem, Severity
from generator.load.source import SourceDocument
from generator.load.yaml_nodes import AliasFound, Builder, compose

_BOM = "\ufeff"


def parse_file(raw: bytes, path: str, *, markdown: bool) -> tuple[SourceDocument, list[Problem]]:
    """Decode and parse one file; never raises on bad content."""
    document = SourceDocument(path)
    problems: list[Problem] = []

    def problem(line: int, field: str, message: str, severity: Severity = Severity.ERROR) -> None:
        # One problem, one line of output, whatever a library's message holds.
        problems.append(Problem(path, line, field, " ".join(message.split()), severity))

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problem(
            line,
            FILE,
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at column {column}); "
            "save the file with UTF-8 encoding",
        )
        return document, problems

    if text.startswith(_BOM):
        text = text[1:]
        problem(
            1,
            FILE,
            "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
            Severity.WARNING,
        )
    if not text.strip():
        problem(1, FILE, "file is empty")
        return document, problems

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if markdown:
        split = _split_frontmatter(text)
        if isinstance(split, str):
            problem(1, FILE, split)
            return document, problems
        yaml_text, document.body, document.body_line = split
        document.first_line = 2
        # Most bodies have no control character: one search says so, before any line is split.
        lines_with_control = (
            enumerate(document.body.split("\n")) if _CONTROL_IN_BODY.search(document.body) else ()
        )
        for index, text_line in lines_with_control:
            char = _CONTROL_IN_BODY.search(text_line)
            if char is not None:
                problem(
                    document.body_line + index,
                    BODY,
                    f"an invisible control character (U+{ord(char.group()):04X}) is on this "
                    "line; delete it or retype the line (it would be written into the pages "
                    "as it is)",
                )
    else:
        yaml_text = text
    offset = document.first_line - 1

    lines = yaml_text.split("\n")
    invisible = (
        [(i, _INVISIBLE.search(text_line)) for i, text_line in enumerate(lines)]
        if _INVISIBLE.search(yaml_text)
        else []
    )
    for index, char in invisible:
        if char is not None:
            problem(
                index + 1 + offset,
                YAML,
                f"an invisible control character (U+{ord(char.group()):04X}, often pasted from "
                "a word processor) is on this line; delete it or retype the line",
            )
    if any(char for _, char in invisible):
        return document, problems
    halves = (
        [i for i, text_line in enumerate(lines) if _HALF_CHARACTER.search(text_line)]
        if "\\u" in yaml_text or "\\U" in yaml_text
        else []
    )
    for index in halves:
        problem(
            index + 1 + offset,
            YAML,
            "an escape such as \\ud800 stands for half of a character (a lone surrogate), "
            "which no page or export can show; write the character itself",
        )
    if halves:
        return document, problems
    tabs = _tab_indented_lines(lines) if "\t" in yaml_text else []
    if tabs:
        for index in tabs:
            problem(
                index + 1 + offset,
                YAML,
                "tab character in indentation; YAML needs spaces (indent with two spaces)",
            )
        return document, problems

    try:
        node, value_ends = compose(yaml_text)
    except yaml.MarkedYAMLError as error:
        line, message = _describe_yaml_error(error, lines)
        heading = next((i for i, text in enumerate(lines) if _MARKDOWN_HEADING.match(text)), None)
        if markdown and heading is not None and heading < line:
            # A Markdown heading inside the frontmatter: the closing '---' is
            # missing above it, and a later '---' (a rule) was taken for it.
            line, message = (
                heading + 1,
                (
                    "the frontmatter's closing '---' line seems to be missing before this "
                    f"Markdown heading ({message})"
                ),
            )
        problem(line + offset, YAML, message)
        return document, problems
    except AliasFound as alias:
        problem(
            alias.line + offset,
            YAML,
            "anchors and aliases (values starting with & or *) are not supported: "
            "write the value out in full, or put it in quotes",
        )
        return document, problems
    except RecursionError:
        problem(1 + offset, YAML, "nested too deeply to read: check the brackets")
        return document, problems
    except yaml.YAMLError as error:  # e.g. a character YAML does not allow
        problem(1 + offset, YAML, f"cannot be read as YAML: {error}")
        return document, problems

    if node is None:
        problem(1, FILE, "no YAML content: expected 'key: value' lines")
        return document, problems
    for index in _lines_with_dropped_text(lines, value_ends):
        problem(
            index + 1 + offset,
            YAML,
            "text after ' #' is a YAML comment and is dropped; if it belongs to the "
            'value, put the whole value in quotes ("...")',
            Severity.WARNING,
        )
    builder = Builder(path, offset)
    try:
        document.data = builder.build(node, ())
    except RecursionError:
        problem(1 + offset, YAML, "nested too deeply to read: check the brackets")
        return document, problems
    document.positions = builder.positions
    problems.extend(builder.problems)
    return document, problems


# Characters YAML refuses or counts as line breaks, which editors do not show.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff\ufffe\uffff]")
# Control characters in a Markdown body: a tab and line breaks are text, nothing else is
# (NUL and terminal escapes would be written raw into the pages and the search index).
_CONTROL_IN_BODY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# A '#' that starts a comment right after an unquoted value, written against
# the next word ("#1 to #5"): what follows is silently dropped. "  # note" is
# a comment by intent and is left alone.
_DROPPED_COMMENT = re.compile(r"\s+#\S")
# A double-quoted escape of half a UTF-16 pair, which YAML reads into a lone surrogate.
_HALF_CHARACTER = re.compile(r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])[0-9a-fA-F]{2}")
# "## Findings" inside the frontmatter; "# text" is more often a YAML comment.
_MARKDOWN_HEADING = re.compile(r"#{2,6} \S")
# A block scalar's indicator (| or >, then its modifiers, perhaps a comment) ending a line.
_BLOCK_INDICATOR = re.compile(r"\s*[|>][-+0-9]*[ \t]*(?:#.*)?$")
_KEY_END = re.compile(r"[^:#'\"]*:")


def _lines_with_dropped_text(lines: list[str], value_ends: list[Mark]) -> list[int]:
    """Indices of lines where an unquoted value is cut short by a '#'."""
    return sorted(
        {
            end.line
            for end in value_ends
            if end.line < len(lines) and _DROPPED_COMMENT.match(lines[end.line], end.column)
        }
    )


def _tab_indented_lines(lines: list[str]) -> list[int]:
    """Indices of lines indented with a tab, outside the text of block scalars."""
    in_block = _block_scalar_lines(lines)
    return [i for i, line in enumerate(lines) if not in_block[i] and _has_tab_indent(line)]


def _has_tab_indent(line: str) -> bool:
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent


def _block_scalar_lines(lines: list[str]) -> list[bool]:
    """Which lines are the text of a literal or folded block (| or >)."""
    inside = [False] * len(lines)
    parent_indent: int | None = None
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if parent_indent is not None:
            if not line.strip() or indent > parent_indent:
                inside[index] = True
                continue
            parent_indent = None
        if _starts_block(line):
            parent_indent = len(line) - len(line.lstrip())
    return inside


def _starts_block(line: str) -> bool:
    """Whether ``line`` is ``[- ][key:] |`` (or ``>``), in one pass over it.

    Written without a regular expression whose parts overlap: on a line of many
    thousands of spaces that one took minutes.
    """
    position = len(line) - len(line.lstrip())
    if line.startswith("- ", position):
        position += 2
    if _BLOCK_INDICATOR.match(line, position):
        return True
    # Each ':' before the first '#' or quote may end the key.
    while (key := _KEY_END.match(line, position)) is not None:
        position = key.end()
        if _BLOCK_INDICATOR.match(line, position):
            return True
    return False


def _split_frontmatter(text: str) -> tuple[str, str, int] | str:
    """(frontmatter YAML, Markdown body, body's first line), or what is wrong."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return "no frontmatter: the file must start with a line '---', then the YAML keys"
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            body = "\n".join(lines[index + 1 :])
            return "\n".join(lines[1:index]) + "\n", body, index + 2
    return "frontmatter is not closed: add a line '---' after the last YAML key"


_YAML_HINTS = {
    "expected alphabetic or numeric character": (
        "a value starting with '*', '&' or '!' must be put in quotes"
    ),
    "expected <block end>": "a line is indented more or less than the lines around it",
    "mapping values are not allowed here": (
        "a value that contains ': ' must be put in quotes, or a line is indented wrongly"
    ),
    "could not find expected ':'": "a line is missing its ':' or is indented wrongly",
    "did not find expected key": "a line is indented wrongly, or a list item lacks its '- '",
    "found undefined alias": "'*' starts an alias in YAML; put the value in quotes",
    "found character": (
        "a value starts with a character YAML reserves (such as '@' or '`'); put it in quotes"
    ),
}


_KEY_VALUE = "a key needs a colon and then a space before its value (key: value)"

_UNCLOSED = {
    "while parsing a flow mapping": "a '{' opened on this line is never closed",
    "while parsing a flow sequence": "a '[' opened on this line is never closed",
    "while scanning a quoted scalar": "a quote opened on this line is never closed",
}


def _describe_yaml_error(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    """The line to fix (1-based, within the YAML) and a message for people."""
    problem = (error.problem or error.context or "not valid YAML").strip()
    problem_line = error.problem_mark.line + 1 if error.problem_mark else 1
    context = (error.context or "").strip()
    if context == "while scanning a simple key" and error.context_mark is not None:
        # A line that should be 'key: value' but is read as one word.
        line = error.context_mark.line + 1
        text = lines[line - 1] if line <= len(lines) else ""
        if "\u00a0" in text:
            return line, (
                "YAML syntax error: this line has a non-breaking space (often pasted from "
                "a word processor); retype the space after the colon"
            )
        return line, f"YAML syntax error: no ': ' on this line; {_KEY_VALUE}"
    if context in _UNCLOSED and error.context_mark is not None:
        # The parser notices only later; the line to fix is where it opened.
        opened_line = error.context_mark.line + 1
        if opened_line != problem_line:
            return opened_line, f"YAML syntax error: {_UNCLOSED[context]} ({problem})"
    if problem.startswith("mapping values are not allowed here") and problem_line >= 2:
        previous = lines[problem_line - 2]
        if re.match(r"\s*(- )?[\w\"'-]+:[^\s:]", previous):
            return problem_line - 1, (
                f"YAML syntax error: no space after the ':' on this line; {_KEY_VALUE}"
            )
    if "'\\t'" in problem:
        return problem_line, "YAML syntax error: a tab character is not allowed here; use spaces"
    hint = next((h for key, h in _YAML_HINTS.items() if problem.startswith(key)), None)
    return problem_line, f"YAML syntax error: {problem}" + (f" ({hint})" if hint else "")
