"""The council's deny-list of names: where it is, reading it, and keeping it
out of anything published.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.core.errors import UsageError
from generator.privacy.names import DenyList

DENY_LIST_VARIABLE = "QA_SITE_DENY_LIST"


def deny_list_path(path: Path | None, environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where the deny-list of names is: ``path``, else $QA_SITE_DENY_LIST, else nowhere."""
    if path is not None:
        return path
    named = environ.get(DENY_LIST_VARIABLE, "").strip()
    return Path(named) if named else None


def read_deny_list(path: Path | None, environ: Mapping[str, str] = os.environ) -> DenyList | None:
    """The deny-list of names at ``deny_list_path(path)``, or None when none is named.

    A list that is named but cannot be read is an error (OSError, ValueError), never
    skipped: a scan without it would pass names it exists to stop.
    """
    path = deny_list_path(path, environ)
    if path is None:
        return None
    try:
        return DenyList.read(path)
    except UnicodeDecodeError:
        raise ValueError(f"deny-list {path} is not UTF-8 text") from None


def deny_list_inside(
    path: Path | None, folders: Iterable[Path], environ: Mapping[str, str] = os.environ
) -> tuple[Path, Path] | None:
    """The deny-list and the one of ``folders`` it is inside, if it is inside one:
    a published folder must never hold it."""
    path = deny_list_path(path, environ)
    if path is None:
        return None
    for folder in folders:
        if path.resolve().is_relative_to(folder.resolve()):
            return path, folder
    return None


def named_deny_list(path: Path | None) -> DenyList | None:
    """The deny-list of names (``path``, else the one the environment names), if any.

    One that is named but cannot be read stops the run: a scan without it
    would pass the names it exists to stop.
    """
    try:
        return read_deny_list(path)
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the deny-list: {error}") from None
