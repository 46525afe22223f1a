"""The JSON Schema of the export, generated from its document's models. Write it
to the shipped file with::

    python -m generator.export.schema --schema generator/schemas/export.schema.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.export.document import ExportDocument

SCHEMA_PATH = Path(__file__).parent.parent / "schemas" / "export.schema.json"


def json_schema() -> dict[str, Any]:
    schema = ExportDocument.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2 or argv[0] != "--schema":
        print("usage: python -m generator.export.schema --schema FILE", file=sys.stderr)
        return 2
    Path(argv[1]).write_text(schema_text(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
