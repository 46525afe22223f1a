"""Writing invented values as YAML and prose: scalars quoted only when they must be,
flow lists, action plans, counts and titles inside sentences.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from generator.workflow.synth.records import Action


def counted(number: int, noun: str) -> str:
    """``1,234 reviews``, ``1 meeting``."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def lowered(title: str) -> str:
    """A title to go inside a sentence: 'Safeguarding adults' -> 'safeguarding adults'."""
    if len(title) > 1 and title[1].isupper():  # an acronym: IMCA, DoLS
        return title
    return title[:1].lower() + title[1:]


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,;'()/&-]*")
_YAML_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null"}


def scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML value: plain where YAML reads it back unchanged, else quoted."""
    plain = (
        _PLAIN.fullmatch(text) is not None
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and text.lower() not in _YAML_WORDS
        and not (flow and any(c in text for c in ",[]{}"))
    )
    # A JSON string is a YAML double-quoted scalar.
    return text if plain else json.dumps(text, ensure_ascii=False)


def flow_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(scalar(item, flow=True) for item in items) + "]"


def actions_yaml(actions: Sequence[Action]) -> list[str]:
    if not actions:
        return ["actions: []"]
    lines = ["actions:"]
    for action in actions:
        lines += [
            f"  - id: {action.id}",
            f"    standards: {flow_list(action.standards)}",
            f"    action: {scalar(action.action)}",
            f"    owner: {scalar(action.owner)}",
            f"    due: {action.due.isoformat()}",
            f"    status: {action.status}",
        ]
        if action.completed is not None:
            lines.append(f"    completed: {action.completed.isoformat()}")
    return lines
