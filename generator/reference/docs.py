"""Generated parts of the docs: reference tables and the scoring example.

A docs page holds blocks between ``<!-- reference: NAME -->`` and
``<!-- /reference -->``; this module rewrites them so the documentation cannot
drift from the code. NAME is a model of the content format (a key table), a
model of the JSON export, ``types``, or one of the scoring page's blocks
(``scoring-rules``, ``worked-example``, computed from the repository).
Regenerate every page with::

    python -m generator.reference.docs docs/writing-reviews.md docs/export.md docs/scoring.md \
        docs/commands.md
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel

from generator.export.document import ExportDocument
from generator.export.to_csv import CSV_COLUMNS
from generator.model import types as models
from generator.model.review import RatingEntry
from generator.model.schemas import FILE_MODELS
from generator.reference import explain

# The value types of the format: the name the tables use, and the rule.
_NAMED_TYPES: list[tuple[Any, str, str]] = [
    (models.IsoDate, "date (YYYY-MM-DD)", "A real calendar date, such as `2011-03-31`."),
    (models.Text, "text", "Any text; quote it if it contains `: ` or ` #`."),
    (
        models.RatingLabel,
        "rating label",
        "A label of the scale, such as `Good`; capitals do not matter.",
    ),
    (models.KebabId, "id", "Lower-case letters, digits and hyphens, such as `older-people`."),
    (models.StandardId, "standard id", "Capital letters then digits, such as `S07`."),
    (
        models.CaseRef,
        "case reference",
        "Capital letters, digits and hyphens with at least one digit, such as "
        "`HF-LD-2010-01`. Never a name.",
    ),
    (models.WorkerRef, "worker reference", "Like a case reference, such as `W01`."),
    (models.ItemId, "action id", "Letters, digits and hyphens, such as `A1` or `G1`."),
    (
        RatingEntry,
        "rating label, or a [rating map](#rating)",
        "`S01: Good`, or `S01: {rating: Good, note: ...}`.",
    ),
]
_BLOCK = re.compile(r"(<!-- reference: (?P<name>[\w-]+) -->\n).*?(<!-- /reference -->)", re.DOTALL)


def documented_models() -> dict[str, type[BaseModel]]:
    """Every model a reviewer writes, by class name, nested ones included."""
    return _walk(list(FILE_MODELS.values()))


def export_models() -> dict[str, type[BaseModel]]:
    """Every model of the JSON export, by class name."""
    return _walk([ExportDocument])


def _walk(roots: list[type[BaseModel]]) -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}

    def visit(model: type[BaseModel]) -> None:
        if model.__name__ in found:
            return
        found[model.__name__] = model
        for annotation in get_type_hints(model, include_extras=True).values():
            for nested in _models_in(annotation):
                visit(nested)

    for model in roots:
        visit(model)
    return found


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _type_name(annotation: Any) -> str:
    for alias, name, _ in _NAMED_TYPES:
        if annotation == alias:
            return name
    origin = get_origin(annotation)
    if origin is Annotated:
        return _type_name(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return " or ".join(_type_name(m) for m in members)
    if origin is Literal:
        return "one of " + ", ".join(f"`{v}`" for v in get_args(annotation))
    if origin is list:
        return f"list of {_type_name(get_args(annotation)[0])}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"map of {_type_name(key)} to {_type_name(value)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{_heading(annotation)}](#{_anchor(annotation)})"
    names = {
        str: "text",
        int: "whole number",
        float: "number",
        bool: "true/false",
        dt.date: "date (YYYY-MM-DD)",
    }
    return names.get(annotation, str(annotation))


def _heading(model: type[BaseModel]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def _anchor(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _default(model: type[BaseModel], name: str) -> str:
    field = model.model_fields[name]
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        empty = field.default_factory()  # type: ignore[call-arg]
        return "optional, default `[]`" if isinstance(empty, list) else "optional, default `{}`"
    if field.default is None:
        return "optional"
    value = str(field.default).lower() if isinstance(field.default, bool) else field.default
    return f"optional, default `{value}`"


def table(model: type[BaseModel]) -> str:
    """The Markdown reference table of ``model``'s keys."""
    hints = get_type_hints(model, include_extras=True)
    rows = ["| key | type | use | meaning |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        meaning = (field.description or "").replace("|", "\\|")
        rows.append(
            f"| `{name}` | {_type_name(hints[name])} | {_default(model, name)} | {meaning} |"
        )
    return "\n".join(rows) + "\n"


def export_table(model: type[BaseModel]) -> str:
    """The Markdown reference table of an export object's fields."""
    hints = get_type_hints(model, include_extras=True)
    rows = ["| field | type | meaning |", "|---|---|---|"]
    for name, field in model.model_fields.items():
        meaning = (field.description or "").replace("|", "\\|")
        kind = _type_name(hints[name])
        if type(None) in get_args(hints[name]):
            kind += " or null"
        rows.append(f"| `{field.alias or name}` | {kind} | {meaning} |")
    return "\n".join(rows) + "\n"


def csv_table() -> str:
    rows = ["| column | meaning |", "|---|---|"]
    rows += [f"| `{name}` | {meaning} |" for name, meaning in CSV_COLUMNS.items()]
    return "\n".join(rows) + "\n"


def types_table() -> str:
    """The Markdown table of the value types the key tables name."""
    rows = ["| type | what it accepts |", "|---|---|"]
    rows += [f"| {name} | {rule} |" for _, name, rule in _NAMED_TYPES]
    return "\n".join(rows) + "\n"


def update_markdown(text: str, root: Path | None = None) -> str:
    """``text`` with every reference block regenerated.

    ``root`` is the repository the scoring blocks are computed from (default:
    the current folder).
    """
    content, export = documented_models(), export_models()
    computed: dict[str, Callable[[Path], str]] = {
        "scoring-rules": explain.rules_table,
        "worked-example": explain.worked_example,
        "csv-columns": lambda _: csv_table(),
        "commands": lambda _: commands_reference(),
    }

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name == "types":
            body = types_table()
        elif name in computed:
            body = computed[name](root or Path.cwd())
        elif name in content:
            body = table(content[name])
        elif name in export:
            body = export_table(export[name])
        else:
            known = sorted([*content, *export, *computed, "types"])
            raise KeyError(f"no reference block named {name!r}; known: {', '.join(known)}")
        return f"{match.group(1)}\n{body}\n{match.group(3)}"

    return _BLOCK.sub(replace, text)


def commands_reference() -> str:
    """Every command's ``--help``, as a reader at an 80-column terminal sees it."""
    import click

    from generator.cli.main import cli

    sections = []

    def visit(command: click.Command, path: list[str], parent: click.Context | None) -> None:
        ctx = click.Context(
            command,
            info_name=path[-1],
            parent=parent,
            terminal_width=80,
            max_content_width=80,
            help_option_names=["-h", "--help"],
        )
        name = " ".join(path)
        sections.append(f"### `{name}`\n\n```text\n{command.get_help(ctx)}\n```\n")
        if isinstance(command, click.Group):
            for sub in sorted(command.list_commands(ctx)):
                child = command.get_command(ctx, sub)
                if child is not None:
                    visit(child, [*path, sub], ctx)

    visit(cli, ["qa-site"], None)
    return "\n".join(sections)


def referenced_models(text: str) -> set[str]:
    return {m.group("name") for m in _BLOCK.finditer(text)}


def main(argv: list[str]) -> int:
    for name in argv or ["docs/writing-reviews.md"]:
        path = Path(name)
        path.write_text(update_markdown(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
