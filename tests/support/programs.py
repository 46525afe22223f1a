"""Programs the test extras install (actionlint, shellcheck, the engines): found
beside this Python, else on the PATH. A missing one is a broken install, and fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent


def program(name: str) -> str:
    """The path of the program ``name`` from the test extras."""
    for candidate in (VENV_BIN / name, VENV_BIN / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -c constraints.txt -e '.[test]'")
    return found


def actionlint(
    workflows: Sequence[str], cwd: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    """actionlint, with shellcheck for the steps' scripts, on ``workflows`` (all of the
    repository's when none are named), in ``cwd``."""
    return subprocess.run(
        [program("actionlint"), "-shellcheck", program("shellcheck"), "-no-color", *options,
         *workflows],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
