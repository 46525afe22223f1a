"""The golden copy of the sample site's generated pages.

Regenerate it, after a deliberate change to the pages, with:

    python -m tests.golden

It renders the sample content as of 2012-07-01 and keeps the Markdown pages
and the data downloads; plotly.js and the copied assets are left out (they
are not generated).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from generator.check.repository import check
from generator.render.site import TEMPLATES, GeneratedFile, render_site
from generator.score.scoring import score_programme

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "site"
AS_OF = dt.date(2012, 7, 1)


def golden_files(root: Path = ROOT) -> dict[str, str]:
    """The generated text files that the golden copy pins, by path."""
    validation = check(root, AS_OF)
    assert validation.programme is not None
    results = score_programme(validation.programme, AS_OF)
    files = render_site(validation.programme, results, root / TEMPLATES)
    return {f.path: _text(f) for f in files if _pinned(f)}


def _pinned(item: GeneratedFile) -> bool:
    return item.source is None and (item.path.endswith(".md") or item.path.startswith("data/"))


def _text(item: GeneratedFile) -> str:
    assert isinstance(item.content, str)
    return item.content


def main() -> None:
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for path, text in golden_files().items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {GOLDEN.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
