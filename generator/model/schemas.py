"""Which model each kind of content file has, and the JSON Schemas written from
them for editors.
"""

from __future__ import annotations

from typing import Any

from generator.model.base import FileModel
from generator.model.framework import Framework, Standard
from generator.model.meeting import Meeting
from generator.model.organisation import Borough, Team
from generator.model.review import Review

# Every model a reviewer writes as a file, with where it lives. Used by the docs
# reference and the JSON Schemas.
FILE_MODELS: dict[str, type[FileModel]] = {
    "standards/framework.yml": Framework,
    "standards/<ID>-<slug>.md": Standard,
    "reviews/<borough>/borough.yml": Borough,
    "reviews/<borough>/<team>/team.yml": Team,
    "reviews/<borough>/<team>/<YYYY-MM-DD>.md": Review,
    "reviews/<borough>/governance/<YYYY-MM-DD>.md": Meeting,
}


# The name each file's JSON Schema is written under by `qa-site schema`.
SCHEMA_NAMES: dict[str, str] = {
    "standards/framework.yml": "framework",
    "standards/<ID>-<slug>.md": "standard",
    "reviews/<borough>/borough.yml": "borough",
    "reviews/<borough>/<team>/team.yml": "team",
    "reviews/<borough>/<team>/<YYYY-MM-DD>.md": "review",
    "reviews/<borough>/governance/<YYYY-MM-DD>.md": "meeting",
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """A JSON Schema for each kind of file, by name; for a Markdown file, of its frontmatter."""
    schemas = {}
    for path, model in FILE_MODELS.items():
        schema = model.model_json_schema()
        what = "frontmatter of " if path.endswith(".md") else ""
        schemas[SCHEMA_NAMES[path]] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"qa-site/{SCHEMA_NAMES[path]}.schema.json",
            **schema,
            "title": f"The {what}{path}",
        }
    return schemas
