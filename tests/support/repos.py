"""Throwaway repositories: the small base repository with changes, or a copy of the sample."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from tests.support.paths import BASE, ROOT, SITE_FILES

RepoFactory = Callable[..., Path]


def repo_factory(folder: Path) -> RepoFactory:
    """make(files, remove): the base repository copied to ``folder / "repo"`` (once), then
    changed. ``files`` maps repository paths to new content (str or bytes); ``remove``
    lists repository paths (files or folders) to delete."""

    def make(
        files: Mapping[str, str | bytes] | None = None, remove: list[str] | None = None
    ) -> Path:
        repo = folder / "repo"
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


def copy_repository(target: Path) -> Path:
    """A copy of the repository's content, docs, templates and mkdocs.yml."""
    for name in SITE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target
