"""Copies of the sample content for the browser tests: script payloads planted in a
review and a team, and the partner edition."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from tests.support.paths import ROOT

INJECTED_REVIEW = Path("reviews/hammersmith-fulham/learning-disability/2011-09-22.md")
INJECTED_TEAM = Path("reviews/hammersmith-fulham/learning-disability/team.yml")

BODY_PAYLOADS = [
    '<script>window.__qaPwned = "script"</script>',
    "Inline <script>window.__qaPwned = 'inline'</script> in a sentence.",
    '<img src="x" onerror="window.__qaPwned = \'img\'">',
    "[a link](javascript:window.__qaPwned='link')",
    "<a href=\"javascript:window.__qaPwned='anchor'\">an anchor</a>",
    "<svg onload=\"window.__qaPwned = 'svg'\"></svg>",
]
NOTE_PAYLOAD = "Outcomes <img src=x onerror=\"window.__qaPwned='note'\"> were checked."
TEAM_PAYLOAD = "Learning <b onmouseover=\"window.__qaPwned='team'\">Disability</b> Team"
SCRIPT_TEXT = "<script>window.__qaPwned"
TEAM_TEXT = "<b onmouseover=\"window.__qaPwned='team'\">"

_IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "site", "build", "dist", "tests", "__pycache__", "*.egg-info",
    ".*_cache", ".hypothesis", ".benchmarks",
)  # fmt: skip


def _yaml_single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def make_injected_copy(dest: Path) -> Path:
    """Copy the project's content to ``dest`` and plant script payloads in it."""
    shutil.copytree(ROOT, dest, ignore=_IGNORED)

    review = dest / INJECTED_REVIEW
    text = review.read_text(encoding="utf-8")
    _, frontmatter, body = text.split("---\n", 2)
    note = re.compile(r"^(    note: )People's desired outcomes.*$", re.MULTILINE)
    frontmatter, replaced = note.subn(
        lambda m: m.group(1) + _yaml_single_quoted(NOTE_PAYLOAD), frontmatter
    )
    if replaced != 1:
        raise AssertionError(f"the S02 note in {INJECTED_REVIEW} has changed: update the test")
    data = yaml.safe_load(frontmatter)
    assert data["ratings"]["S02"]["note"] == NOTE_PAYLOAD
    body = body.rstrip("\n") + "\n\n" + "\n\n".join(BODY_PAYLOADS) + "\n"
    review.write_text(f"---\n{frontmatter}---\n{body}", encoding="utf-8")

    team = dest / INJECTED_TEAM
    text = team.read_text(encoding="utf-8")
    text, replaced = re.subn(
        r"^name: .*$", "name: " + _yaml_single_quoted(TEAM_PAYLOAD), text, flags=re.MULTILINE
    )
    if replaced != 1:
        raise AssertionError(f"{INJECTED_TEAM} has no `name:` line: update the test")
    assert yaml.safe_load(text)["name"] == TEAM_PAYLOAD
    team.write_text(text, encoding="utf-8")
    return dest


def make_partner_copy(dest: Path) -> Path:
    """Copy the project to ``dest``, its mkdocs.yml set to build the partner edition."""
    shutil.copytree(ROOT, dest, ignore=_IGNORED)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if text.count("  - qa-site:\n") != 1:
        raise AssertionError("mkdocs.yml no longer lists `- qa-site:` plainly: update the test")
    config.write_text(
        text.replace("  - qa-site:\n", "  - qa-site:\n      audience: partners\n"),
        encoding="utf-8",
    )
    return dest
