"""Where the content is: the repository root, and the folders reviewers write.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import UsageError


class ContentRootNotFound(UsageError):
    """No repository (a folder with standards/framework.yml) was found."""


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


# The folders reviewers write; no output of the tool may go inside them.
CONTENT_FOLDERS = ("reviews", "standards")


def content_folder_holding(root: Path, target: Path) -> str | None:
    """The content folder of ``root`` that ``target`` is (or is inside), if any."""
    resolved = target.resolve()
    for name in CONTENT_FOLDERS:
        if resolved.is_relative_to((root / name).resolve()):
            return name
    return None
