"""Reproducible builds: the same commit and SOURCE_DATE_EPOCH give the same bytes.

Two clones at different paths are built by separate processes with different
hash seeds, seconds apart; every file of the two sites (sitemap, search index,
downloads and copied assets included) must be byte for byte the same.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.cli import run_console
from tests.support.repos import copy_repository


def _build(repo: Path, seed: str, *args: str) -> Path:
    site = repo / "out"
    result = run_console("build", "-d", str(site), *args, cwd=repo, env={"PYTHONHASHSEED": seed})
    assert result.returncode == 0, result.stderr
    return site


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("audience", ["internal", "partners"])
def test_two_builds_of_the_same_commit_are_identical(tmp_path: Path, audience: str) -> None:
    first = _build(copy_repository(tmp_path / "one"), "1", "--audience", audience)
    time.sleep(1.1)  # a clock read anywhere would now differ by a second
    second = _build(copy_repository(tmp_path / "clone-two"), "2", "--audience", audience)
    one, two = _tree(first), _tree(second)
    assert sorted(one) == sorted(two)
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json"} <= set(one)
    differing = sorted(path for path in one if one[path] != two[path])
    assert differing == []
    assert b"<lastmod>2017-01-01</lastmod>" in one["sitemap.xml"]
