"""The preview under `qa-site serve` after an edit is the site a clean build of the
same content makes: every file, byte for byte.

A rebuild keeps what the build before made where nothing it depends on changed
(generator/plugin/rebuild.py); these tests edit content under a running server,
wait for the reload, and compare every file MkDocs
wrote with a clean build. The served files are read where MkDocs' serve writes
them (a folder under TMPDIR), so the script the server adds to each page as it
answers a browser is not in them and nothing needs to be normalised.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.cli import CLI_ENV, console_command
from tests.support.repos import copy_repository
from tests.support.serving import free_port
from tests.support.trees import files_of

AS_OF = "2017-01-01"
REVIEW = "reviews/kensington-chelsea/hospital/2012-01-26.md"
STANDARD = "standards/S07-safeguarding-enquiries.md"
TEAM = "reviews/kensington-chelsea/hospital/team.yml"
MEETING = "reviews/hammersmith-fulham/governance/2012-04-19.md"

# A clean build as serve makes it: the same configuration, its address as the site's,
# and no PDF papers (a preview shows the pages alone; docs/publishing.md).
_CLEAN = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file=sys.argv[1], site_dir=sys.argv[2], site_url=sys.argv[3])
config.plugins["qa-site"].config.papers = False
config.plugins.on_startup(command="build", dirty=False)
build(config)
"""


def _clean_build(repo: Path, out: Path, url: str) -> dict[str, bytes]:
    done = subprocess.run(
        [sys.executable, "-c", _CLEAN, str(repo / "mkdocs.yml"), str(out), url],
        cwd=repo,
        env={**CLI_ENV, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return files_of(out)


@contextmanager
def _serving(repo: Path, tmp: Path) -> Iterator[tuple[Path, str, Callable[[], str]]]:
    """``qa-site serve`` on ``repo``: the folder it writes the site to, its address,
    and its log so far."""
    temp = tmp / "tmp"
    temp.mkdir()
    log = tmp / "serve.log"
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            console_command("serve", "--dev-addr", f"127.0.0.1:{port}", "--as-of", AS_OF),
            cwd=repo,
            env={**CLI_ENV, "TMPDIR": str(temp), "NO_MKDOCS_2_WARNING": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def said() -> str:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        return log.read_text(encoding="utf-8")

    try:
        deadline = time.monotonic() + 600
        while "Serving on" not in said():
            assert time.monotonic() < deadline, said()
            time.sleep(0.2)
        (site,) = temp.glob("mkdocs_*")
        yield site, f"http://127.0.0.1:{port}/", said
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _edit(repo: Path, path: str, edited: Callable[[str], str]) -> None:
    """``path`` rewritten in one write, as an editor saves it."""
    file = repo / path
    text = file.read_text(encoding="utf-8")
    changed = edited(text)
    assert changed != text
    file.write_text(changed, encoding="utf-8")


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edited(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return edited


def _reloaded(said: Callable[[], str], reloads: int) -> None:
    """Wait for serve's next build to end: it tells the browser to reload then."""
    deadline = time.monotonic() + 600
    while said().count("Reloading browsers") <= reloads:
        assert time.monotonic() < deadline, said()
        time.sleep(0.1)


def _same_as_clean_build(served: Path, repo: Path, clean: Path, url: str) -> None:
    expected = _clean_build(repo, clean, url)
    found = files_of(served)
    assert sorted(found) == sorted(expected)
    assert [path for path in expected if found[path] != expected[path]] == []


def _edited_and_previewed(
    served: Path, url: str, said: Callable[[], str], repo: Path, path: str,
    edited: Callable[[str], str], clean: Path,
) -> None:  # fmt: skip
    reloads = said().count("Reloading browsers")
    _edit(repo, path, edited)
    _reloaded(said, reloads)
    _same_as_clean_build(served, repo, clean, url)


def test_a_saved_review_is_previewed_as_a_clean_build_makes_it(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    with _serving(repo, tmp_path) as (served, url, said):
        _same_as_clean_build(served, repo, tmp_path / "clean0", url)

        # Its findings and one rating: the review, the scorecard, the standard's
        # page, the dashboard, comparison, downloads and search all change.
        def edited(text: str) -> str:
            text = _replace("  S06: Adequate\n", "  S06: Good\n")(text)
            body = text.index("\n---\n") + len("\n---\n")
            return text[:body] + "\nWard handovers were seen at every visit.\n" + text[body:]

        _edited_and_previewed(served, url, said, repo, REVIEW, edited, tmp_path / "clean1")
        page = served / "teams/kensington-chelsea/hospital/2012-01-26/index.html"
        assert "Ward handovers were seen at every visit." in page.read_text(encoding="utf-8")


def _findings(sentence: str) -> Callable[[str], str]:
    """A sentence added to a review's findings, its frontmatter as it was."""

    def edited(text: str) -> str:
        body = text.index("\n---\n") + len("\n---\n")
        return text[:body] + f"\n{sentence}\n" + text[body:]

    return edited


def test_a_standard_a_team_and_a_meeting_edited_are_previewed_as_built(tmp_path: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    edits = [
        (REVIEW, _findings("Discharge planning was seen to start on admission.")),
        (STANDARD, _replace(
            "title: Safeguarding enquiries are proportionate, timely and person-led",
            "title: Safeguarding enquiries are proportionate, prompt and person-led")),
        (TEAM, _replace(
            "description: Social workers at the two acute hospitals serving the borough.",
            "description: Social workers at the acute hospitals serving the borough.")),
        (MEETING, _replace(
            "decision: Continue engagement; review every quarter in supervision",
            "decision: Continue engagement; review every month in supervision")),
    ]  # fmt: skip
    with _serving(repo, tmp_path) as (served, url, said):
        for number, (path, edited) in enumerate(edits, start=1):
            clean = tmp_path / f"clean{number}"
            _edited_and_previewed(served, url, said, repo, path, edited, clean)


def test_with_templates_of_its_own_a_programme_is_previewed_as_built(tmp_path: Path) -> None:
    """A programme's own scorecard that shows every team's findings: an edit to one
    review's findings changes every scorecard, which the packaged pages never do."""
    repo = copy_repository(tmp_path / "repo")
    scorecard = repo / "site_templates" / "scorecard.md.j2"
    scorecard.write_text(
        scorecard.read_text(encoding="utf-8")
        + "\n<p>Findings written: {% for t in results.teams %}{% if t.latest %}"
        "{{ t.latest.record.findings|length }} {% endif %}{% endfor %}</p>\n",
        encoding="utf-8",
    )
    with _serving(repo, tmp_path) as (served, url, said):
        edited = _findings("Discharge planning was seen to start on admission.")
        _edited_and_previewed(served, url, said, repo, REVIEW, edited, tmp_path / "clean1")
