"""The command line: entry points, help, and no traceback on bad content."""

from __future__ import annotations

from pathlib import Path

from generator.workflow.synth.repository import unpinned
from tests.support.cli import run_cli, run_console
from tests.support.repos import copy_repository


def test_help_lists_validate() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_validate_help_documents_every_option() -> None:
    result = run_cli("validate", "--help")
    for option in ("--root", "--format", "--strict", "--as-of"):
        assert option in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.stdout.strip() == "qa-site, version 0.1.0"


def test_an_unusable_source_date_epoch_is_a_usage_error(tmp_path: Path) -> None:
    # A programme that pins no date of its own reads SOURCE_DATE_EPOCH (the sample
    # pins its own time, so it never reads it).
    repo = copy_repository(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    config.write_text(unpinned(config.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_console("validate", cwd=repo, env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.returncode == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds, got 'soon'" in result.stderr


def test_an_impossible_as_of_date_is_a_usage_error() -> None:
    result = run_cli("validate", "--as-of", "2011-02-30")
    assert result.returncode == 2
    assert "'2011-02-30' is not a real date written YYYY-MM-DD" in result.stderr
