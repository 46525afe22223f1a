"""The benchmark script runs and reports every figure and goal.

A smoke run on the smallest programmes: this checks that the script works and
what it writes, never how fast anything is (speed is for the benchmark itself).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT


def test_the_quick_benchmark_writes_the_performance_page(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/run"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n")
    assert re.search(r"Measured on \d+ cores .*, [\d.]+ GiB memory", text)
    for row in (
        "Reviews in the programme",
        "YAML parse floor",
        "`qa-site validate` (in the process)",
        "Generator's own time in the build",
        "Whole `qa-site build`",
        "Peak memory of the build",
        "Largest scorecard page",
        "Home page",
    ):
        assert re.search(rf"^\| {re.escape(row)}.*\| [\d,.]+ \w* ?\|$", text, re.M), row
    text, crafted_section = text.split("\n## Crafted inputs\n")
    crafted_section, closing = crafted_section.split("\n## How the build is made fast\n")
    goals = re.findall(r"^\| (.+?) \| (.+?) \| (met|\*\*missed\*\*) \|$", text, re.M)
    assert [what for what, _, _ in goals] == [
        "Preview (`qa-site serve`): a saved review's page served updated within 3 s",
        "Preview (`qa-site serve`): a changed rating on the team's scorecard within 3 s",
        "Preview (`mkdocs serve`): a saved review's page served updated within 3 s",
        "Preview (`mkdocs serve`): a changed rating on the team's scorecard within 3 s",
        "Clean build at most 0.8x a plain MkDocs build of the same rendered Markdown",
        "`validate` (in the process) at most 2.0x the parse floor",
        "`validate` (command, start to exit) at most 2.0x the parse floor",
        "Home page at most 250 KB of HTML",
        "Doubling the programme at most 2.1x the build time",
        "Peak memory of the build under 1 GB",
    ]
    # Each a figure, whatever it is: the preview in seconds, the rest as they say.
    for what, measured, _ in goals[:4]:
        assert re.fullmatch(r"[\d.]+ s", measured), (what, measured)
    crafted = re.findall(
        r"^\| (.+?) \| [\d.]+x \| (?:[\d.]+x|refused \(invalid\)) \| (?:met|\*\*missed\*\*) \|$",
        crafted_section,
        re.M,
    )
    assert crafted[0] == "200,000 spaces starting a frontmatter line"
    assert len(crafted) == 9, crafted
    # The cache proves itself in each served rebuild: one file parsed again.
    for server in ("qa-site serve", "mkdocs serve"):
        assert re.search(
            rf"^- `{server}`, the rebuild after the first edit: .* the parse cache reported "
            r"1 parsed, \d+ unchanged\.$",
            text,
            re.M,
        ), server
    assert closing.strip(), "the closing prose is missing"
