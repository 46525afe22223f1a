"""Reading the content as it was at a Git revision, loaded like the working tree.

Only ``standards/`` and ``reviews/`` are read, from ``git archive``, into a
temporary folder; the content may sit in a folder of a larger repository. A
symbolic link committed in the revision is refused as one in the working
tree is, and nothing outside the folder is ever written.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from generator.core.errors import UsageError
from generator.core.problems import FILE, Problem
from generator.load.repository import LoadedRepository, load_repository


class RevisionError(UsageError):
    """The revision cannot be read: not a Git repository, or no such revision."""


def _git(root: Path, *args: str) -> bytes:
    try:
        completed = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed, so other revisions cannot be read") from None
    if completed.returncode:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {args[0]} failed")
    return completed.stdout


def load_revision(root: Path, revision: str) -> LoadedRepository:
    """The content of ``root`` as it was at Git ``revision``, loaded like the working tree."""
    if revision.startswith("-"):
        raise RevisionError(f"'{revision}' is not a revision")
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except RevisionError:
        raise RevisionError(f"{root} is not in a Git repository") from None
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RevisionError:
        raise RevisionError(
            f"no revision '{revision}' in this repository (for a pull request, fetch the "
            "target branch's history first: git fetch origin, or fetch-depth: 0 in CI)"
        ) from None
    # The content may sit in a folder of a larger repository: work from its top.
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    tree = commit.decode().strip()
    paths = [f"{prefix}standards", f"{prefix}reviews"]
    listed = _git(top, "ls-tree", "-z", "--name-only", tree, "--", *paths)
    present = [name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name]
    archive = _git(top, "archive", "--format=tar", tree, "--", *present) if present else b""
    links: list[str] = []
    with tempfile.TemporaryDirectory(prefix="qa-site-revision-") as folder:
        if archive:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                members = _plain_members(tar, links)
                # Python before 3.11.4 has no extraction filters; the plain members
                # above are checked by hand.
                safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                tar.extractall(folder, members=members, **safe)  # type: ignore[arg-type]
        base = Path(folder) / prefix
        base.mkdir(parents=True, exist_ok=True)
        loaded = load_repository(base)
    loaded.root = root
    # A link committed in the revision is refused as one in the working tree is.
    loaded.problems += [
        Problem(
            name[len(prefix) :],
            1,
            FILE,
            f"is a symbolic link at revision {revision}, which is never followed: content "
            "must be real files and folders inside the repository",
        )
        for name in sorted(links)
    ]
    return loaded


def _plain_members(tar: tarfile.TarFile, links: list[str]) -> list[tarfile.TarInfo]:
    """The archive's files and folders, inside it; links and anything else are noted in
    ``links`` (or dropped) and never written out."""
    members = []
    for member in tar.getmembers():
        name = member.name
        if name.startswith("/") or ".." in name.split("/"):
            continue  # git never writes these; nothing outside the folder is touched
        if member.issym() or member.islnk():
            links.append(name)
        elif member.isfile() or member.isdir():
            members.append(member)
    return members
