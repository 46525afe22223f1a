"""Sites built with MkDocs for the tests, and sites built once for the whole run.

A build takes seconds, so a site that tests only read is built once and shared:
by every test, and by every worker process of a parallel run (the first to ask
builds it under a lock; the others wait, then read the same folder).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.support.cli import run_cli
from tests.support.paths import EPOCH, ROOT
from tests.support.repos import copy_repository


def mkdocs_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment with the tests' date and the project importable."""
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {
        **os.environ,
        "SOURCE_DATE_EPOCH": EPOCH,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": pythonpath,
        **(extra or {}),
    }


def mkdocs(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``mkdocs ARGS`` in a process of its own, in ``cwd``, as of the tests' date."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=mkdocs_env(),
        check=False,
    )


class BuildError(Exception):
    pass


def build_site(project: Path, dest: Path) -> str:
    """Run ``mkdocs build --strict`` in ``project`` into ``dest``; return its log."""
    result = mkdocs("build", "--strict", "-d", str(dest), cwd=project)
    if result.returncode != 0:
        raise BuildError(
            f"`mkdocs build --strict` failed in {project} (exit {result.returncode}):\n"
            f"{result.stderr[-4000:]}"
        )
    return result.stderr


@dataclass(frozen=True)
class BuiltSite:
    """A site built once for the run (read it, never change it) and its build's log."""

    site: Path
    log: str


# Builds a site into the folder it is given and returns the build's log; what it
# builds from (a copy of the sample, say) it may keep beside that folder.
Build = Callable[[Path], str]


def shared_site(shared: Path, name: str, build: Build, site_name: str = "site") -> BuiltSite:
    """The site ``build`` makes in ``shared/name/site_name``, built by the first caller of
    the run (any worker); the others wait for it under a lock."""
    folder = shared / name
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "build.log"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            text = build(folder / site_name)
            log.write_text(text, encoding="utf-8")
    return BuiltSite(folder / site_name, log.read_text(encoding="utf-8"))


def sample_site(site: Path) -> str:
    """The sample content, built with ``mkdocs build --strict``."""
    return build_site(ROOT, site)


def published_sample(site: Path) -> str:
    """A copy of the sample content with its site built in it by ``qa-site build``: the
    copy is the site's parent folder."""
    repo = copy_repository(site.parent)
    return _qa_site_build(repo, "build", "--root", str(repo))


def partner_edition(site: Path) -> str:
    """The sample content's partner edition, built by ``qa-site build --audience partners``."""
    return _qa_site_build(ROOT, "build", "--audience", "partners", "-d", str(site))


def _qa_site_build(cwd: Path, *args: str) -> str:
    result = run_cli(*args, cwd=cwd)
    if result.returncode != 0:
        raise BuildError(f"`qa-site {' '.join(args)}` failed:\n{result.stderr[-4000:]}")
    return result.stderr


def shared_root(basetemp: Path) -> Path:
    """Where sites shared by the run go, given pytest's temporary folder: beside every
    worker's own when the run is parallel (they share a parent), else in the run's own."""
    parallel = "PYTEST_XDIST_WORKER" in os.environ
    return (basetemp.parent if parallel else basetemp) / "shared-sites"
