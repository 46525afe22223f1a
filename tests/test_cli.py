"""The command line: entry points, help, and no traceback on bad content."""

from __future__ import annotations

from tests.support.cli import run_cli, run_console


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


def test_an_unusable_source_date_epoch_is_a_usage_error() -> None:
    result = run_console("validate", env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.returncode == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds, got 'soon'" in result.stderr


def test_an_impossible_as_of_date_is_a_usage_error() -> None:
    result = run_cli("validate", "--as-of", "2011-02-30")
    assert result.returncode == 2
    assert "'2011-02-30' is not a real date written YYYY-MM-DD" in result.stderr
