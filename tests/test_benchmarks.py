"""The benchmark script runs and reports every figure and target.

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
    targets = re.findall(r"^\| (.+?) \| .+? \| (met|\*\*missed\*\*) \|$", text, re.M)
    assert [what for what, _ in targets] == [
        "`validate` within 2x the parse floor",
        "Generator's own time at most 15% of the whole build",
        "Plugin build at most 1.2x a plain MkDocs build of the same pages",
        "Doubling the programme at most 2.2x the time",
        "Peak memory of the build under 2 GB",
        "A scorecard page under 150 KB of HTML",
    ]
    crafted = re.findall(
        r"^\| (.+?) \| [\d.]+x \| (?:[\d.]+x|refused \(invalid\)) \| (?:met|\*\*missed\*\*) \|$",
        crafted_section,
        re.M,
    )
    assert crafted[0] == "200,000 spaces starting a frontmatter line"
    assert len(crafted) == 9, crafted
    # The cache proves itself in the served rebuild: one file parsed again.
    assert re.search(r"the cache reported 1 parsed, \d+ unchanged", text)
