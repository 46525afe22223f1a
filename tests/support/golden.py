"""The golden copy of the sample site's generated pages: what it pins, and writing it.

It renders the sample content as of 2017-01-01 and keeps the Markdown pages
and the data downloads that are text (the workbook is tested on its own);
plotly.js and the copied assets are left out (they are not generated).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from generator.check.repository import check
from generator.render.page import GeneratedFile
from generator.render.site import render_site
from generator.render.templates import TEMPLATES, template_folders
from generator.score.results import score_programme
from tests.support.paths import ROOT

GOLDEN = ROOT / "tests" / "golden" / "site"
AS_OF = dt.date(2017, 1, 1)


def golden_files(root: Path = ROOT) -> dict[str, str]:
    """The generated text files that the golden copy pins, by path."""
    validation = check(root, AS_OF)
    assert validation.programme is not None
    results = score_programme(validation.programme, AS_OF)
    files = render_site(validation.programme, results, template_folders(root / TEMPLATES))
    return {f.path: _text(f) for f in files if _pinned(f)}


def _pinned(item: GeneratedFile) -> bool:
    if item.source is not None or not isinstance(item.content, str):
        return False
    return item.path.endswith(".md") or item.path.startswith("data/")


def _text(item: GeneratedFile) -> str:
    assert isinstance(item.content, str)
    return item.content


def write_golden() -> None:
    """Write the golden copy afresh from the sample content."""
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for path, text in golden_files().items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {GOLDEN.relative_to(ROOT)}", file=sys.stderr)
