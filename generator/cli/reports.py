"""Reports of a check run for people: the Markdown summary a CI job shows."""

from __future__ import annotations

from collections.abc import Sequence

from generator.core.problems import Problem, printable
from generator.core.text import markdown_cell
from generator.privacy.guard import Accepted

_PROBLEM_COLUMNS = ("File", "Line", "Field", "Problem")
_ACCEPTED_COLUMNS = ("File", "Line", "Field", "Looks like", "Reason given")


def format_markdown_report(
    problems: Sequence[Problem], summary: str, accepted: Sequence[Accepted] = ()
) -> str:
    """Every problem as a Markdown table, under the run's summary line, and every
    personal-data finding a ``pii-ok`` marker accepted, with its reason.

    For a CI job summary: GitHub shows only the first ten annotations of a
    step, and a reviewer needs the whole list to fix a file in one go. The
    accepted findings are there for the pull request's reviewer to agree with.
    """
    lines = ["### Content check", "", markdown_cell(summary), ""]
    if problems:
        lines += _table(_PROBLEM_COLUMNS, [_problem_cells(p) for p in problems])
    if accepted:
        lines += ["#### Accepted as not personal data (pii-ok)", ""]
        lines += _table(_ACCEPTED_COLUMNS, [_accepted_cells(a) for a in accepted])
    return "\n".join(lines) + "\n"


def _problem_cells(problem: Problem) -> list[str]:
    kind = "" if problem.is_error else "warning: "
    return [
        markdown_cell(printable(problem.path)),
        str(problem.line),
        markdown_cell(printable(problem.field)),
        kind + markdown_cell(printable(problem.message)),
    ]


def _accepted_cells(accepted: Accepted) -> list[str]:
    return [
        markdown_cell(printable(accepted.path)),
        str(accepted.line),
        markdown_cell(accepted.field),
        markdown_cell(accepted.kind),
        markdown_cell(accepted.reason),
    ]


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table's lines, and the blank line that ends it."""
    rule = "|" + "|".join("---" for _ in columns) + "|"
    return [_row(columns), rule, *map(_row, rows), ""]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
