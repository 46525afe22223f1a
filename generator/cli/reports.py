"""Reports of a check run for people: the Markdown summary a CI job shows."""

from __future__ import annotations

from collections.abc import Sequence

from generator.core.problems import Problem, printable
from generator.core.text import markdown_cell
from generator.privacy.guard import Accepted


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
        lines += ["| File | Line | Field | Problem |", "|---|---|---|---|"]
        for p in problems:
            kind = "" if p.is_error else "warning: "
            lines.append(
                f"| {markdown_cell(printable(p.path))} | {p.line} | "
                f"{markdown_cell(printable(p.field))} | "
                f"{kind}{markdown_cell(printable(p.message))} |"
            )
        lines.append("")
    if accepted:
        lines += [
            "#### Accepted as not personal data (pii-ok)",
            "",
            "| File | Line | Field | Looks like | Reason given |",
            "|---|---|---|---|---|",
        ]
        for a in accepted:
            lines.append(
                f"| {markdown_cell(printable(a.path))} | {a.line} | {markdown_cell(a.field)} | "
                f"{markdown_cell(a.kind)} | {markdown_cell(a.reason)} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"
