"""The date a programme is shown as of: a command's --as-of, else the date its
mkdocs.yml pins (the sample pins its own time), else SOURCE_DATE_EPOCH, else today.

Every command reads the pin, so that validating, exporting and building the same
programme agree on what is overdue; the site's sitemap follows the same date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from generator.cli.options import pinned_as_of
from generator.workflow.init import STARTER
from tests.support.cli import run_cli
from tests.support.paths import ROOT
from tests.support.repos import copy_repository
from tests.support.sites import mkdocs

SAMPLE_PIN = "      as_of: 2017-01-01\n"  # the tests' own date (SOURCE_DATE_EPOCH) is the same day


def _pinned_copy(tmp_path: Path, day: str) -> Path:
    repo = copy_repository(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count(SAMPLE_PIN) == 1
    config.write_text(text.replace(SAMPLE_PIN, f"      as_of: {day}\n"), encoding="utf-8")
    return repo


def test_the_sample_pins_its_own_time_and_a_starter_does_not() -> None:
    assert pinned_as_of(ROOT) == dt.date(2017, 1, 1)
    starter = (STARTER / "mkdocs.yml").read_text(encoding="utf-8")
    assert "as_of" not in starter


def test_a_configuration_without_a_date_or_unreadable_pins_nothing(tmp_path: Path) -> None:
    assert pinned_as_of(tmp_path) is None  # no mkdocs.yml
    for text in (
        "plugins:\n  - search\n  - qa-site\n",
        "plugins:\n  - qa-site:\n      as_of: soon\n",
        "plugins:\n  - qa-site:\n      as_of: 2012-13-45\n",  # YAML's date parsing fails
        "plugins: [\n",
        "site_url: !ENV [SITE_URL, 'x']\nplugins:\n  - qa-site:\n      as_of: 2016-12-31\n",
    ):
        (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
        expected = dt.date(2016, 12, 31) if "!ENV" in text else None
        assert pinned_as_of(tmp_path) == expected, text


def test_every_command_reads_the_pin_and_as_of_wins(tmp_path: Path) -> None:
    repo = _pinned_copy(tmp_path, "2016-12-31")
    out = tmp_path / "export.json"
    result = run_cli("export", "--format", "json", "-o", str(out), cwd=repo)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["as_of"] == "2016-12-31"

    result = run_cli(
        "export", "--format", "json", "-o", str(out), "--as-of", "2017-02-01", cwd=repo
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["as_of"] == "2017-02-01"

    # A completed action dated after the pinned day is in that day's future.
    result = run_cli("validate", cwd=_pinned_copy(tmp_path / "early", "2016-11-01"))
    assert result.returncode == 1
    assert "is in the future (today is 2016-11-01)" in result.stdout


def test_the_sitemap_is_dated_as_the_pages_are(tmp_path: Path) -> None:
    repo = _pinned_copy(tmp_path, "2016-12-31")
    result = mkdocs("build", "-d", str(tmp_path / "site"), cwd=repo)
    assert result.returncode == 0, result.stderr
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    dates = set(sitemap.split("<lastmod>")[1:])
    assert {entry.split("</lastmod>")[0] for entry in dates} == {"2016-12-31"}
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "31 December 2016" in home
