"""The stages joined up, for the edges (the CLI now, the MkDocs plugin later).

    load  ->  validate  ->  score  ->  render

Only this module and the edges know about the clock and the environment;
every stage after it takes the as-of date as an argument.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.loader import load_repository
from generator.validate import Validation, validate_repository


class ContentRootNotFound(Exception):
    """No repository (a folder with standards/framework.yml) was found."""


def default_as_of(environ: Mapping[str, str] = os.environ) -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today's date."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds, got {epoch!r}") from None
    return dt.date.today()


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds standards/framework.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "standards" / "framework.yml").is_file():
            return folder
    raise ContentRootNotFound(
        f"no standards/framework.yml in {start} or any folder above it; "
        "run this inside a reviews repository or pass --root"
    )


def check(root: Path, as_of: dt.date) -> Validation:
    """Load and validate every content file under ``root``."""
    return validate_repository(load_repository(root), as_of)


def write_atomically(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a failed write never leaves half a file."""
    path = path.resolve()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        umask = os.umask(0)  # mkstemp makes the file private; give it the usual mode
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
