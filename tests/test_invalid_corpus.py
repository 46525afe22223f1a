"""The bad-input corpus: one file per rule, each with the exact problems expected.

Each entry of data/invalid/cases.yml places corpus files into a copy of the
valid base repository and lists every line ``qa-site validate`` must print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.cli import run_cli
from tests.support.paths import DATA
from tests.support.repos import RepoFactory

CORPUS = DATA / "invalid"
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "cases.yml").read_text(encoding="utf-8"))


def _build(make_repo: RepoFactory, case: dict[str, Any]) -> Path:
    files = {dest: (CORPUS / source).read_bytes() for dest, source in case.get("place", {}).items()}
    return make_repo(files, case.get("remove", []))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_reports_exactly_the_expected_problems(
    make_repo: RepoFactory, case: dict[str, Any]
) -> None:
    repo = _build(make_repo, case)
    result = run_cli("validate", "--root", str(repo))
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout.splitlines() == case["expect"]
    assert result.returncode == case.get("exit", 1)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_json_lists_every_problem_with_its_line(
    make_repo: RepoFactory, case: dict[str, Any]
) -> None:
    repo = _build(make_repo, case)
    result = run_cli("validate", "--root", str(repo), "--format", "json")
    problems = json.loads(result.stdout)
    as_text = [
        f"{p['file']}:{p['line']}: {p['field']}: "
        + ("warning: " if p["severity"] == "warning" else "")
        + p["message"]
        for p in problems
    ]
    assert as_text == case["expect"]
    assert all(isinstance(p["line"], int) and p["line"] >= 1 for p in problems)


def test_corpus_is_large_and_every_file_is_used() -> None:
    used = {source for case in CASES for source in case.get("place", {}).values()}
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "cases.yml"}
    assert used == on_disk
    assert len(CASES) >= 30
    assert len({c["name"] for c in CASES}) == len(CASES)
