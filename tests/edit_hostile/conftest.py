"""Hostile inputs against ``qa-site edit``, one file per family: text YAML would
misread, shapes the form never sends, paths and links, requests from elsewhere,
personal data, and the record. Each test drives the editor as the browser does against
a committed copy of the sample content, and reads back what reached the disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.edit.app import EditorApp
from tests.support.edit_forms import editor_app, sample_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return sample_repo(tmp_path / "repo")


@pytest.fixture
def app(repo: Path) -> EditorApp:
    return editor_app(repo)
