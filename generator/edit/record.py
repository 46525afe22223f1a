"""The record a change is held to: a review presented in the last commit.

As ``qa-site validate --base`` holds a pull request to the branch it targets, the
editor holds a change to the review as Git's last commit (HEAD) has it: presented
there, its ratings, grades and actions change only with an amendment, its date
stays, and no new file takes its place, whatever was done to the file on disk
since. A review not yet committed as presented is not yet the record, so a slip of
its status can always be put right in the form.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.edit import branch, safe_files
from generator.edit.house_style import frontmatter_and_body
from generator.edit.live import Draft
from generator.edit.refusals import EditRefused


def presented(root: Path, path: str) -> Draft | None:
    """The review at ``path`` as the last commit has it, when it is presented there."""
    if safe_files.is_minutes(path):
        return None
    text = branch.committed_text(root, path)
    if text is None or not _says_presented(text):
        return None
    return Draft(path, text)


def refuse_replacing(root: Path, path: str) -> None:
    """EditRefused (409) when a new or renamed file would take the place of a review
    presented in the last commit."""
    if presented(root, path) is not None:
        raise EditRefused(
            409,
            f"{path} is a review presented in the last commit: it is the record, and no new "
            "file takes its place; choose another date (to bring the review back, ask whoever "
            "looks after the repository)",
            "date",
        )


def _says_presented(text: str) -> bool:
    try:
        data, _ = frontmatter_and_body(text)
    except ValueError:  # a record that does not read is still a record
        return bool(re.search(r"(?m)^status:\s*['\"]?presented\b", text))
    return data.get("status") == "presented"
