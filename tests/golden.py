"""The golden copy of the sample site's generated pages.

Regenerate it, after a deliberate change to the pages, with:

    python -m tests.golden

It renders the sample content as of 2017-01-01 and keeps the Markdown pages
and the data downloads that are text (the workbook is tested on its own);
plotly.js and the copied assets are left out (they are not generated).
"""

from __future__ import annotations

from tests.support.golden import write_golden

if __name__ == "__main__":
    write_golden()
