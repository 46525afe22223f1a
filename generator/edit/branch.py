"""Save and commit to a branch: what a reviewer does by hand before a pull request.

``git switch -c <branch>`` (the working tree's changes come along, as they do by
hand), then a commit of the edited file alone (``git commit --only``), so that
whatever else is changed in the working tree stays as it was, uncommitted. Git runs
as the reviewer runs it: the repository's hooks apply, its own configuration is
read, nothing goes through a shell. What to do next (push, open the pull request)
is said, not done: the editor never talks to a server.

A branch name the editor makes up (``review/<borough>-<team>-<date>``) that is taken
already gets the next free suffix (``-2``, ``-3``...); a name the reviewer chose
that is taken is refused, with a free one suggested.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from generator.edit.refusals import EditRefused
from generator.edit.safe_files import editable_path, is_minutes

# A commit hook that runs the checks can take a while; one that waits for input never ends.
GIT_TIMEOUT_SECONDS = 120
_MOST_SUFFIXES = 100
_SCP_LIKE = re.compile(r"(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>[^/].*)")


@dataclass(frozen=True)
class Committed:
    """A commit made on a new branch, and what the reviewer does next."""

    branch: str
    commit: str  # full hash
    commands: tuple[str, ...]  # what to run next, e.g. ("git push -u origin <branch>",)
    pull_request_url: str | None  # GitHub's compare page or GitLab's new merge request


def current_branch(root: Path) -> str | None:
    """The branch this copy of the repository is on; None without Git or a branch."""
    git = _Git(root)
    if git.executable is None:
        return None
    ref = git.attempt("symbolic-ref", "--quiet", "--short", "HEAD", what="read the branch")
    if ref.returncode != 0:
        return None
    return ref.stdout.strip() or None


# The branches the editor makes (``branch_for``).
_EDITOR_BRANCHES = ("review/", "minutes/")


def branch_for(relative: str) -> str:
    """The branch a file's change is committed to: ``review/<borough>-<team>-<date>``,
    or ``minutes/<borough>-<date>`` for a governance meeting."""
    _, borough, team, name = editable_path(relative).split("/")
    day = name.removesuffix(".md")
    if is_minutes(relative):
        return f"minutes/{borough}-{day}"
    return f"review/{borough}-{team}-{day}"


def commit_to_branch(
    root: Path, relative: str | Sequence[str], message: str, branch: str | None = None
) -> Committed:
    """Commit the file(s) at ``relative`` (a renamed draft: the new path, then the old)
    on a new branch, ``branch`` or the one ``branch_for`` names; EditRefused (409)
    saying why not and what to do."""
    paths = [editable_path(p) for p in ([relative] if isinstance(relative, str) else relative)]
    if not paths:
        raise EditRefused(400, "no file to commit")
    if not message.strip():
        raise EditRefused(400, "the commit needs a message saying what changed")
    git = _Git(root)
    git.check_repository()
    git.check_identity()
    changed = git.changed(paths)
    if not changed:
        raise EditRefused(
            409,
            f"nothing to commit: {paths[0]} is as the last commit has it",
        )
    name = git.free_branch(branch, branch_for(paths[0]))
    back = git.current()
    on = back[1].removeprefix("refs/heads/") if back[0] == "branch" else None
    if on is not None and on.startswith(_EDITOR_BRANCHES):
        # A branch made here holds the last review's commit: one made from it would carry
        # that review into this one's pull request too.
        raise EditRefused(
            409,
            f"this copy of the repository is on the branch {on}, made for another file's pull "
            "request; go back to the main branch first (git switch main), then save and commit "
            "again. Your file is saved.",
        )
    git.run("switch", "-c", name, what="start the branch")
    try:
        git.run("add", "--", *changed, what="add the file")
        git.run("commit", "--quiet", "-m", message, "--only", "--", *changed, what="commit")
    except EditRefused as refused:
        git.undo_switch(back, name)
        git.unstage(changed)
        raise EditRefused(
            409,
            f"{refused.message}; nothing was committed, and the branch {name} was not kept "
            "(your saved file is as it was)",
        ) from None
    commit = git.output("rev-parse", "HEAD", what="read the commit")
    remote = git.remote_url()
    return Committed(
        branch=name,
        commit=commit,
        commands=(f"git push -u origin {name}",) if remote is not None else (),
        pull_request_url=pull_request_url(remote, name) if remote is not None else None,
    )


def committed_text(root: Path, relative: str) -> str | None:
    """The file at ``relative`` as the last commit (HEAD) has it; None when there is no
    Git, no repository, no commit yet, or no such file in it."""
    git = _Git(root)
    if git.executable is None:
        return None
    shown = git.attempt("show", f"HEAD:./{editable_path(relative)}", what="read the record")
    return shown.stdout if shown.returncode == 0 else None


def pull_request_url(remote: str, branch: str) -> str | None:
    """The page that opens a pull request (GitHub) or a merge request (GitLab) for
    ``branch``, from the ``origin`` remote's URL, https or ssh; None for another host.
    Only the host and the project's path are kept: never a user name or token."""
    parsed = _host_and_project(remote)
    if parsed is None:
        return None
    host, project = parsed
    quoted = quote(branch, safe="/")
    if host == "github.com" or host.startswith("github."):
        return f"https://{host}/{project}/compare/{quoted}?expand=1"
    if "gitlab" in host.split("."):
        source = quote(branch, safe="")
        return (
            f"https://{host}/{project}/-/merge_requests/new"
            f"?merge_request%5Bsource_branch%5D={source}"
        )
    return None


def _host_and_project(remote: str) -> tuple[str, str] | None:
    """``(host, owner/name)`` of a remote URL: https://host/owner/name.git,
    ssh://git@host/owner/name.git or git@host:owner/name.git."""
    if "://" in remote:
        parts = urlsplit(remote)
        if parts.scheme not in ("https", "http", "ssh", "git") or not parts.hostname:
            return None
        host, path = parts.hostname, parts.path
    else:
        matched = _SCP_LIKE.fullmatch(remote)
        if matched is None:
            return None
        host, path = matched["host"].lower(), matched["path"]
    project = path.strip("/").removesuffix(".git").strip("/")
    if project.count("/") < 1 or not re.fullmatch(r"[A-Za-z0-9._/-]+", project):
        return None
    return host, project


class _Git:
    """Git run in the repository: argument lists (no shell), a timeout, output captured."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.executable = shutil.which("git")

    def run(self, *args: str, what: str) -> subprocess.CompletedProcess[str]:
        """``git ARGS``; EditRefused with Git's own last words when it fails."""
        finished = self.attempt(*args, what=what)
        if finished.returncode != 0:
            said = _last_lines(finished.stderr or finished.stdout)
            raise EditRefused(
                409, f"Git could not {what}: {said}" if said else f"Git could not {what}"
            )
        return finished

    def output(self, *args: str, what: str) -> str:
        return self.run(*args, what=what).stdout.strip()

    def attempt(self, *args: str, what: str) -> subprocess.CompletedProcess[str]:
        if self.executable is None:
            raise EditRefused(
                409,
                "Git is not installed (or not on PATH), so the editor cannot commit; your "
                "file is saved: install Git, or commit it another way",
            )
        environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            return subprocess.run(
                [self.executable, *args],
                cwd=self.root,
                env=environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=GIT_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise EditRefused(
                409,
                f"Git did not {what} within {GIT_TIMEOUT_SECONDS} seconds (a commit hook may be "
                "waiting for something); your file is saved: commit it by hand",
            ) from None
        except OSError as error:
            raise EditRefused(409, f"Git could not be run: {error.strerror or error}") from None

    def check_repository(self) -> None:
        inside = self.attempt("rev-parse", "--is-inside-work-tree", what="find the repository")
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            raise EditRefused(
                409,
                f"{self.root} is not a Git repository, so there is no branch to commit to; "
                "your file is saved",
            )

    def check_identity(self) -> None:
        """Refuse before anything changes when Git does not know who is committing."""
        for key, variable in (("user.name", "GIT_AUTHOR_NAME"), ("user.email", "GIT_AUTHOR_EMAIL")):
            if os.environ.get(variable):
                continue
            found = self.attempt("config", "--get", key, what="read your name")
            if found.returncode != 0 or not found.stdout.strip():
                example = "Your Name" if key == "user.name" else "you@example.org"
                raise EditRefused(
                    409,
                    f"Git does not know your {key.removeprefix('user.')}, which every commit "
                    f'carries; set it with git config --global {key} "{example}" and commit '
                    "again (your file is saved)",
                )

    def changed(self, paths: Sequence[str]) -> list[str]:
        """Those of ``paths`` that differ from the last commit: changed, new, or
        deleted where the last commit has them (a renamed draft's old file)."""
        # Git names files from the top of its work tree, which may be above the root.
        prefix = self.output("rev-parse", "--show-prefix", what="find the repository")
        status = self.run(
            "status",
            "--porcelain=v1",
            "-z",
            "--no-renames",
            "--untracked-files=all",
            "--",
            *paths,
            what="read the status",
        )
        listed = {entry[3:] for entry in status.stdout.split("\0") if len(entry) > 3}
        return [path for path in paths if f"{prefix}{path}" in listed]

    def free_branch(self, chosen: str | None, derived: str) -> str:
        """``chosen``, if it is free; else the first free of ``derived``, ``-2``...."""
        if chosen is not None:
            checked = self.attempt("check-ref-format", "--branch", chosen, what="check the name")
            if chosen.startswith("-") or checked.returncode != 0:
                raise EditRefused(400, f"'{chosen}' cannot be a branch name", "branch")
            if self._exists(chosen):
                free = self.free_branch(None, chosen)
                raise EditRefused(
                    409,
                    f"the branch {chosen} exists already; commit to a new one, such as {free}",
                    "branch",
                )
            return chosen
        for number in range(1, _MOST_SUFFIXES + 1):
            name = derived if number == 1 else f"{derived}-{number}"
            if not self._exists(name):
                return name
        raise EditRefused(409, f"the branches {derived} to {derived}-{_MOST_SUFFIXES} all exist")

    def _exists(self, name: str) -> bool:
        found = self.attempt(
            "rev-parse", "--verify", "--quiet", f"refs/heads/{name}", what="look for the branch"
        )
        return found.returncode == 0

    def current(self) -> tuple[str, str]:
        """Where HEAD is: ("branch", its ref) or ("detached", the commit)."""
        ref = self.attempt("symbolic-ref", "--quiet", "HEAD", what="read the branch")
        if ref.returncode == 0:
            return "branch", ref.stdout.strip()
        return "detached", self.output("rev-parse", "HEAD", what="read the commit")

    def undo_switch(self, back: tuple[str, str], name: str) -> None:
        """Back to where HEAD was before the failed commit; the new branch, which points
        where HEAD did, is deleted. The working tree is left as it is."""
        kind, where = back
        if kind == "branch":
            self.attempt("symbolic-ref", "HEAD", where, what="go back")
        else:
            self.attempt("update-ref", "--no-deref", "HEAD", where, what="go back")
        self.attempt("branch", "-D", "--", name, what="remove the branch")

    def unstage(self, paths: Sequence[str]) -> None:
        """The files as they were in the index before ``git add``: saved, not staged."""
        self.attempt("reset", "--quiet", "--", *paths, what="unstage the file")

    def remote_url(self) -> str | None:
        found = self.attempt("remote", "get-url", "origin", what="read the remote")
        if found.returncode != 0 or not found.stdout.strip():
            return None
        return found.stdout.strip()


def _last_lines(text: str) -> str:
    """Git's message, as one line: its last three lines that say anything."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = " ".join(lines[-3:])
    return joined if len(joined) <= 400 else joined[:397] + "..."
