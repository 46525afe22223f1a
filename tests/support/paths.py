"""Where the project, the test data and the sample content are, and the tests' date."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data"
BASE = DATA / "base"  # a small valid repository
# The sample content's parts that a site is built from.
SITE_FILES = ("reviews", "standards", "docs", "site_templates", "mkdocs.yml")
# 2017-01-01, the as-of date the tests build and validate the sample content at: after
# its last review and action (the sample runs from November 2009 to 2016).
EPOCH = "1483228800"
