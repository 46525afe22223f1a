"""``qa-site edit`` in the tests' own process: a Git copy of the sample content, the
editor serving it on 127.0.0.1 from a thread, and pages of it opened in Chromium.

The editor is started here, not through the command, so that a test can read what
it wrote (and what it refused to write) straight from the copy, and so that one
editor serves a whole module of browser tests.
"""

from __future__ import annotations

import datetime as dt
import difflib
import http.server
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from generator.edit.app import EditorApp
from generator.edit.server import EditServer, new_token, parse_address
from tests.support.chromium import ACTION_TIMEOUT_MS, VIEWPORT
from tests.support.repos import copy_repository

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, ViewportSize

# The tests' date (tests/support/paths.py's EPOCH): after the sample's last review.
AS_OF = dt.date(2017, 1, 1)
# What the editor's script says once it has checked the form it was opened with.
CHECKED_JS = """() => {
    const count = document.getElementById('problem-count');
    return count !== null && !count.textContent.includes('Checking');
}"""


@dataclass(frozen=True)
class Editor:
    """A running editor: the repository it writes to and the address it answers at."""

    root: Path
    url: str  # below the session key, e.g. http://127.0.0.1:40123/KEY/
    port: int
    token: str

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def read_bytes(self, relative: str) -> bytes:
        return (self.root / relative).read_bytes()

    def files(self) -> list[str]:
        """Every file under reviews/, as repository paths, sorted."""
        return sorted(
            path.relative_to(self.root).as_posix()
            for path in (self.root / "reviews").rglob("*")
            if path.is_file()
        )


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def sample_git_copy(folder: Path) -> Path:
    """The sample content copied to ``folder`` and committed on ``main``, as a reviewer's
    clone of the repository would be."""
    root = copy_repository(folder)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Quality Reviewer")
    git(root, "config", "user.email", "reviewer@council.example")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--no-verify", "-m", "The sample content")
    return root


@contextmanager
def running_editor(folder: Path, as_of: dt.date = AS_OF) -> Iterator[Editor]:
    """The editor serving a new Git copy of the sample (in ``folder``) until the block
    ends."""
    root = sample_git_copy(folder)
    token = new_token()
    app = EditorApp(root, token=token, as_of=as_of)
    server = EditServer.start(app, parse_address("127.0.0.1:0"), token)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Editor(root=root.resolve(), url=server.url, port=server.port, token=token)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def editor_page(
    browser: Browser, viewport: ViewportSize = VIEWPORT
) -> Iterator[tuple[Page, list[str]]]:
    """A page in a fresh browser context, and the uncaught errors and console errors it
    logs (a test asserts there are none); a refused call's status is not one."""
    context: BrowserContext = browser.new_context(viewport=viewport)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))

    def console(message: ConsoleMessage) -> None:
        # A refused call is answered with its HTTP status, which Chromium also logs as
        # "Failed to load resource"; the form says why in words, and the test reads that.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console.error: {message.text}")

    page.on("console", console)
    try:
        yield page, errors
    finally:
        context.close()


def open_file(page: Page, editor: Editor, relative: str) -> None:
    """Open a file's form and wait until the editor has checked it once."""
    response = page.goto(f"{editor.url}edit?file={relative}")
    assert response is not None and response.status == 200, relative
    wait_checked(page)


def wait_checked(page: Page) -> None:
    """Wait for the check the form asked for on opening."""
    page.wait_for_function(CHECKED_JS, timeout=ACTION_TIMEOUT_MS)


def start_draft(page: Page, editor: Editor, team: str, date: str) -> str:
    """Start a draft review of ``team`` (borough/team) from the list, as a reviewer does;
    the path of its file."""
    page.goto(editor.url)
    page.get_by_label("Team").select_option(team)
    page.get_by_label("Date the review is presented").fill(date)
    page.get_by_role("button", name="Start a draft review").click()
    page.wait_for_url(lambda url: "/edit?file=" in url)
    wait_checked(page)
    return page.url.split("/edit?file=", 1)[1]


def comments_in(text: str) -> list[str]:
    """Every YAML comment of ``text``, in order (no value the tests type has a #)."""
    return [match.group(0) for match in re.finditer(r"#.*$", text, re.MULTILINE)]


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out and the lines put in, each in file order."""
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm=""))
    body = [line for line in diff[2:] if not line.startswith("@@")]
    return (
        [line[1:] for line in body if line.startswith("-")],
        [line[1:] for line in body if line.startswith("+")],
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No line per request."""


@contextmanager
def serving_folder(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 at a port of its own (another site than the
    editor's, to a browser) until the block ends; its address, ending in /."""
    handler = partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
