"""Dates as the council writes them, and the as-of date a run is made for.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

# Month names as the council writes them, whatever the machine's locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def day_text(day: dt.date | None) -> str:
    """``24 November 2011``, the way the council writes dates (locale-independent)."""
    if day is None:
        return "none"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def default_as_of(environ: Mapping[str, str] = os.environ) -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today's date."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds, got {epoch!r}") from None
    return dt.date.today()
