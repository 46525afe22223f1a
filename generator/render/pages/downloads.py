"""The data downloads page and the files beside the pages: the exports (JSON, the
tidy CSV, the team-level CSV and the managers' workbook), the chart script,
plotly.js and the other assets of ``site_templates/assets/``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import plotly

from generator.export.schema import schema_text
from generator.export.spreadsheet import workbook_bytes
from generator.export.team_csv import to_team_csv
from generator.export.to_csv import to_csv
from generator.export.to_json import build_export, to_json
from generator.render.page import GeneratedFile, Page
from generator.render.urls import (
    DOWNLOADS_PATH,
    EXPORT_CSV_PATH,
    EXPORT_JSON_PATH,
    EXPORT_SCHEMA_PATH,
    PLOTLY_PATH,
    TEAM_CSV_PATH,
    WORKBOOK_PATH,
    asset_path,
)
from generator.render.view import SiteView

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def downloads_page() -> Page:
    return Page(DOWNLOADS_PATH, "Data downloads", "data.md.j2")


def download_files(site: SiteView, templates: Sequence[Path]) -> list[GeneratedFile]:
    """The exports of the published results, and the assets the pages load: each
    asset from the first of ``templates`` that has a file of its name."""
    document = build_export(site.programme, site.results)
    files = [
        GeneratedFile(EXPORT_JSON_PATH, to_json(document)),
        GeneratedFile(EXPORT_CSV_PATH, to_csv(document)),
        GeneratedFile(TEAM_CSV_PATH, to_team_csv(document)),
        _workbook(site),
        GeneratedFile(EXPORT_SCHEMA_PATH, schema_text()),
        GeneratedFile(PLOTLY_PATH, source=PLOTLY_JS),
    ]
    found: dict[str, Path] = {}
    for folder in templates:
        assets = folder / "assets"
        if assets.is_dir():
            for asset in sorted(assets.rglob("*")):
                # A link could publish any file of the machine: never followed.
                if asset.is_file() and not asset.is_symlink():
                    found.setdefault(asset.relative_to(assets).as_posix(), asset)
    files += [GeneratedFile(asset_path(name), source=found[name]) for name in sorted(found)]
    return files


def _workbook(site: SiteView) -> GeneratedFile:
    """The managers' workbook of the edition's programme: in the partner edition, with
    only what that edition shows (action wording withheld); its gate reads the cells."""
    return GeneratedFile(WORKBOOK_PATH, workbook_bytes(site.programme, site.results))
