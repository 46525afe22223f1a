"""The check stage joined up: load every content file, validate it and scan
it for personal data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from generator.check.validate import Validation, validate_repository
from generator.core.problems import sort_problems, with_excerpts
from generator.load.repository import LoadedRepository, ParseCache, load_repository
from generator.privacy.guard import GuardReport, guard_repository, withhold
from generator.privacy.names import DenyList


def check(
    root: Path,
    as_of: dt.date,
    on_read: Callable[[str], None] | None = None,
    cache: ParseCache | None = None,
    deny: DenyList | None = None,
) -> Validation:
    """Load and validate every content file under ``root``, and scan it for personal
    data (names too, when a ``deny`` list is given)."""
    return check_loaded(load_repository(root, on_read, cache), as_of, deny)


def check_loaded(
    loaded: LoadedRepository,
    as_of: dt.date,
    deny: DenyList | None,
    read_text: Callable[[str], str] | None = None,
) -> Validation:
    """Validate what ``load_repository`` read, and scan it for personal data.

    ``read_text(path)`` gives a file's text as the guard reads it, for markers; by
    default the file on disk. The editor gives the unsaved text of the file in hand.
    """
    return guarded(validate_repository(loaded, as_of), loaded, deny, read_text)


def scan(
    loaded: LoadedRepository,
    deny: DenyList | None,
    read_text: Callable[[str], str] | None = None,
) -> GuardReport:
    """The personal-data guard over every text of ``loaded``, bodies read from its root
    (or by ``read_text``)."""
    root = loaded.root
    return guard_repository(
        loaded,
        deny,
        read_text or (lambda path: (root / path).read_text(encoding="utf-8", errors="replace")),
    )


def guarded(
    validation: Validation,
    loaded: LoadedRepository,
    deny: DenyList | None,
    read_text: Callable[[str], str] | None = None,
) -> Validation:
    """``validation`` with the personal-data guard's findings added to its problems."""
    guard = scan(loaded, deny, read_text)
    # Other checks quote what they refuse; what looks like personal data is withheld.
    withheld = [
        dataclasses.replace(p, message=withhold(with_excerpts(p.message), deny))
        for p in validation.problems
    ]
    validation.problems = sort_problems([*withheld, *guard.problems])
    validation.accepted = guard.accepted
    validation.personal = list(guard.problems)
    return validation
