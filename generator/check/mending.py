"""Mending a file that does not fit its model, for checking only: a misspelt key
takes the name it was meant to have, a misspelt choice the value it was meant
to be, and anything else wrong is dropped, so that the rules needing other files
still run on the rest. A mended file is never published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.check.messages import allowed_keys, literal_options
from generator.core.matching import misspelling_of
from generator.load.repository import Loc


@dataclass
class Mended:
    handled: set[Loc]  # problems whose entries were mended in place
    implied: set[Loc]  # problems that only repeat a mended one
    renamed: dict[Loc, Loc]  # a key's mended location -> where it is written


def mend(model: type[BaseModel], data: dict[str, Any], problems: list[tuple[Loc, Any]]) -> Mended:
    """Rename misspelt keys and correct misspelt choices in ``data``, where clear.

    Only near-certain misspellings are mended (``staus``, ``presentd``): a
    guess such as ``not done`` for ``done`` would make up problems the
    reviewer never wrote.
    """
    mended = Mended(set(), set(), {})
    for loc, detail in problems:
        parent = _container(data, loc[:-1])
        if not isinstance(parent, dict):
            continue
        if detail["type"] == "extra_forbidden":
            meant = misspelling_of(loc[-1], allowed_keys(model, loc[:-1]))
            if meant is not None and meant not in parent:
                parent[meant] = parent.pop(loc[-1])
                mended.handled.update({loc, (*loc[:-1], meant)})
                mended.implied.add((*loc[:-1], meant))
                mended.renamed[(*loc[:-1], meant)] = loc
        elif detail["type"] == "literal_error":
            meant = misspelling_of(detail.get("input"), literal_options(detail))
            if meant is not None:
                parent[loc[-1]] = meant
                mended.handled.add(loc)
    return mended


def prune(
    model: type[BaseModel],
    data: dict[str, Any],
    locs: list[Loc],
    kept: dict[str, list[int]],
    pruned: set[Loc],
) -> bool:
    """Drop the entries at ``locs`` from ``data``; False when that cannot help."""
    doomed_items: dict[str, set[int]] = {}
    for loc in locs:
        if not loc or not isinstance(loc[0], str):
            return False
        key = loc[0]
        value = data.get(key)
        if len(loc) >= 2 and isinstance(value, list) and isinstance(loc[1], int):
            doomed_items.setdefault(key, set()).add(loc[1])
        elif len(loc) >= 2 and (key, loc[1]) in pruned:
            continue  # a second problem in an entry already dropped
        elif len(loc) >= 2 and isinstance(value, dict) and loc[1] in value:
            del value[loc[1]]
            pruned.add((key, loc[1]))
        elif key in data or len(loc) == 1:
            field = model.model_fields.get(key)
            # An unknown key or an optional one can go; a required one cannot.
            if (field is not None and field.is_required()) or key not in data:
                return False
            del data[key]
            pruned.add((key,))
        else:
            return False
    for key, indices in doomed_items.items():
        originals = kept.setdefault(key, list(range(len(data[key]))))
        for index in sorted(indices, reverse=True):
            pruned.add((key, originals[index]))
            del data[key][index]
            del originals[index]
    return True


def touched(pruned: set[Loc], key: str) -> bool:
    """Whether anything under ``key`` was dropped."""
    return any(loc[0] == key for loc in pruned)


def _container(data: Any, loc: Loc) -> Any:
    """The value at ``loc`` inside ``data``, or None when there is none."""
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
