"""``datapackage.json`` as the writer writes it: the package's metadata and each
table's Table Schema."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.export.cells import CSV_TEXT_PATTERN, csv_text
from generator.model.programme import Programme
from generator.model.types import KEBAB_ID_PATTERN, STANDARD_ID_PATTERN
from generator.score.results import Results
from generator.share.datapackage.tables import (
    ESCAPED,
    FORMAT,
    TABLES,
    Column,
    Table,
    joined,
)

_ESCAPE_NOTE = (
    " A text a spreadsheet could take for a formula (one that begins with = + - @ or a "
    "form of one, a space, or a control or invisible character) is written with one more "
    "' in front, which is not part of it."
)


def descriptor_text(programme: Programme, results: Results, chosen: Sequence[str]) -> str:
    framework, rules = results.framework, results.rules
    names = joined([programme.boroughs[b].borough.name for b in chosen])
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"qa-site-{chosen[0]}" if len(chosen) == 1 else "qa-site-results",
        "title": f"{framework.name}: results of {names}",
        "description": (
            f"Presented quality review results of {names} as of "
            f"{results.as_of.isoformat()}: overall ratings and percentages, the rating of "
            "each standard, and case-audit grades counted per standard. Results only: no "
            "narrative, notes, actions, case or worker references, or names of people."
        ),
        # Midnight UTC of the as-of date, not the clock: the same input, the same bytes.
        "created": f"{results.as_of.isoformat()}T00:00:00Z",
        "qa_site": {
            "format": FORMAT,
            "as_of": results.as_of.isoformat(),
            "framework": {
                "name": framework.name,
                "version": framework.version,
                "scale": list(rules.labels),
                "adequate_or_above": rules.adequate_or_above,
            },
        },
        "resources": [_descriptor_resource(t, rules.labels) for t in TABLES],
    }
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def _descriptor_field(column: Column, scale: Sequence[str]) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": column.required}
    if column.kind == "kebab":
        constraints["pattern"] = KEBAB_ID_PATTERN
    elif column.kind == "standard":
        constraints["pattern"] = STANDARD_ID_PATTERN
    elif column.kind == "text":
        constraints["pattern"] = CSV_TEXT_PATTERN
    elif column.kind == "label":
        constraints["enum"] = [csv_text(label) for label in scale]
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if column.maximum is not None:
        constraints["maximum"] = column.maximum
    description = column.description
    if column.kind in ESCAPED:
        description += _ESCAPE_NOTE
    field: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": description,
    }
    if column.kind == "boolean":
        field |= {"trueValues": ["true"], "falseValues": ["false"]}
    field["constraints"] = constraints
    return field


def _descriptor_resource(table: Table, scale: Sequence[str]) -> dict[str, Any]:
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [_descriptor_field(c, scale) for c in table.columns],
            "missingValues": [""],
            "primaryKey": list(table.primary_key),
            "foreignKeys": [
                {
                    "fields": list(fk.fields),
                    "reference": {"resource": fk.resource, "fields": list(fk.reference)},
                }
                for fk in table.foreign_keys
            ],
        },
    }
