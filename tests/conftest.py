"""Shared fixtures: throwaway repositories built from a few lines."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
BASE = DATA / "base"
ROOT = Path(__file__).parent.parent

RepoFactory = Callable[..., Path]


@pytest.fixture
def make_repo(tmp_path: Path) -> RepoFactory:
    """Copy the small valid base repository into tmp_path, then apply changes.

    ``files`` maps repository paths to new content (str or bytes); ``remove``
    lists repository paths (files or folders) to delete.
    """

    def make(
        files: Mapping[str, str | bytes] | None = None, remove: list[str] | None = None
    ) -> Path:
        repo = tmp_path / "repo"
        if not repo.exists():
            shutil.copytree(BASE, repo)
        for path in remove or []:
            target = repo / path
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
        for path, content in (files or {}).items():
            target = repo / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return repo

    return make


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``qa-site`` as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1341100800"},
        check=False,
    )
