"""Parsed files are kept by content: a rebuild parses only what changed.

The proof is a count of files parsed, never a timing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.check.validate import validate_repository
from generator.load import repository as loader
from generator.load import yaml_nodes
from generator.load.repository import ParseCache, load_repository
from tests.support.paths import ROOT
from tests.support.repos import RepoFactory, copy_repository
from tests.support.serving import free_port
from tests.support.sites import mkdocs_env

REVIEW = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"


def files_in(repo: Path) -> int:
    return sum(
        1 for folder in ("standards", "reviews") for p in (repo / folder).rglob("*") if p.is_file()
    )


def test_an_unchanged_repository_is_not_parsed_again(make_repo: RepoFactory) -> None:
    repo = make_repo()
    cache = ParseCache()
    first = load_repository(repo, cache=cache)
    assert (cache.parsed, cache.reused) == (files_in(repo), 0)
    again = load_repository(repo, cache=cache)
    assert (cache.parsed, cache.reused) == (0, files_in(repo))
    assert again == first


def test_one_edited_file_is_the_one_parsed(make_repo: RepoFactory) -> None:
    repo = make_repo()
    cache = ParseCache()
    load_repository(repo, cache=cache)
    path = repo / REVIEW
    path.write_text(path.read_text("utf-8").replace("S03: Good", "S03: Adequate"), "utf-8")
    loaded = load_repository(repo, cache=cache)
    assert (cache.parsed, cache.reused) == (1, files_in(repo) - 1)
    assert loaded == load_repository(repo)  # the same as without a cache
    review = loaded.boroughs[0].teams[0].reviews[0]
    assert review.data["ratings"]["S03"] == "Adequate"


def test_a_file_saved_unchanged_is_read_but_not_parsed(make_repo: RepoFactory) -> None:
    repo = make_repo()
    cache = ParseCache()
    load_repository(repo, cache=cache)
    path = repo / REVIEW
    later = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))
    load_repository(repo, cache=cache)
    assert (cache.parsed, cache.reused) == (0, files_in(repo))


def test_a_change_that_keeps_size_and_modified_time_is_still_seen(
    make_repo: RepoFactory,
) -> None:
    # File times can lie (a share with another clock, two saves in one second):
    # the bytes are what is compared.
    repo = make_repo()
    cache = ParseCache()
    load_repository(repo, cache=cache)
    path = repo / REVIEW
    stamp = path.stat()
    path.write_text(path.read_text("utf-8").replace("S03: Good", "S03: Bad!"), "utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size
    loaded = load_repository(repo, cache=cache)
    assert cache.parsed == 1
    assert loaded.boroughs[0].teams[0].reviews[0].data["ratings"]["S03"] == "Bad!"


def test_validation_is_the_same_with_the_cache(make_repo: RepoFactory) -> None:
    repo = make_repo()
    cache = ParseCache()
    load_repository(repo, cache=cache)
    (repo / REVIEW).unlink()
    as_of = dt.date(2012, 7, 1)
    cached = validate_repository(load_repository(repo, cache=cache), as_of)
    plain = validate_repository(load_repository(repo), as_of)
    assert cached.problems == plain.problems
    assert cached.programme is not None and plain.programme is not None
    assert dataclasses.asdict(cached.programme) == dataclasses.asdict(plain.programme)


def test_a_served_site_reparses_only_the_edited_review(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    total = files_in(repo)
    log = tmp_path / "serve.log"
    port = free_port()
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=repo,
            env=mkdocs_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    parsed = re.compile(r"qa-site: as of 2017-01-01, (\d+) files? parsed(?: \((\d+) unchanged\))?")

    def builds(count: int) -> list[tuple[str, str]]:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            found = parsed.findall(log.read_text(encoding="utf-8"))
            if len(found) >= count:
                return found
            assert process.poll() is None, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        raise AssertionError(log.read_text(encoding="utf-8"))

    try:
        assert builds(1) == [(str(total), "")]
        deadline = time.monotonic() + 60  # edits count once MkDocs watches the files
        while "Serving on" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.1)
        review = repo / "reviews/westminster/mental-health/2011-11-24.md"
        review.write_text(
            review.read_text("utf-8").replace("first review in Westminster", "first review"),
            "utf-8",
        )
        assert builds(2)[1] == ("1", str(total - 1))
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_libyaml_reads_every_file_as_pyyamls_own_parser_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fast parser changes nothing: the same data, lines and problems, on the
    sample programme and on every file of the bad-input corpus."""
    assert yaml_nodes._FAST_LOADER is not None, "PyYAML without libyaml: the fast path is untested"
    files = sorted(p for p in (ROOT / "reviews").rglob("*") if p.is_file())
    files += sorted((ROOT / "tests/data/invalid").glob("*.md"))
    files += sorted((ROOT / "tests/data/invalid").glob("*.yml"))
    fast = [loader.parse_file(p.read_bytes(), p.name, markdown=p.suffix == ".md") for p in files]
    monkeypatch.setattr(yaml_nodes, "_FAST_LOADER", None)
    slow = [loader.parse_file(p.read_bytes(), p.name, markdown=p.suffix == ".md") for p in files]
    assert len(files) > 110
    assert fast == slow


@pytest.mark.parametrize(
    "frontmatter",
    [
        "name:\tLearning Disability Team\n",  # a tab libyaml accepts and PyYAML refuses
        "a: b\tc\n",
        "a: b\t# c\n",
        "a\t: b\n",
        "a: [a,\tb]\n",
        "closed: #TBC\n",  # an empty value before a comment: nothing is dropped
        "cases:\n  - #1 x\n",
        "ratings:\n  S01: #3\n",
        "name: X\nshort: Y\n? ",  # a last line that ends in a question
        "a: " + "{a: " * 600 + "1" + "}" * 600 + "\n",  # nested too deeply
        "- !\n",
        ">#1\n",
        "short: &RBKC\n",
    ],
    ids=[
        "tab-after-colon",
        "tab-in-value",
        "tab-before-comment",
        "tab-before-colon",
        "tab-in-flow",
        "empty-before-comment",
        "empty-item-before-comment",
        "empty-rating-before-comment",
        "question-at-end",
        "deep-nesting",
        "empty-tag",
        "folded-comment",
        "anchor",
    ],
)
def test_an_awkward_file_reads_the_same_with_or_without_libyaml(
    frontmatter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = f"---\n{frontmatter}\n---\nBody.\n".encode()
    fast = loader.parse_file(raw, "x.md", markdown=True)
    monkeypatch.setattr(yaml_nodes, "_FAST_LOADER", None)
    slow = loader.parse_file(raw, "x.md", markdown=True)
    assert fast == slow
