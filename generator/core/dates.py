"""Dates: reading one written YYYY-MM-DD, writing one the council's way, and the
as-of date a run is made for.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

from generator.core.errors import UsageError

# Month names as the council writes them, whatever the machine's locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

# A date as the content format writes it: never the other ISO forms (20110331,
# 2011-W13-4) that ``date.fromisoformat`` also reads.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class NotIsoDate(ValueError):
    """Text that is not written YYYY-MM-DD at all."""


class NoSuchDay(ValueError):
    """Text written YYYY-MM-DD that names no day of the calendar (2011-02-30)."""


def parse_iso_date(text: str) -> dt.date:
    """The date ``text`` writes as YYYY-MM-DD; NotIsoDate or NoSuchDay saying why not."""
    if not _ISO_DATE.fullmatch(text):
        raise NotIsoDate(f"expected a date as YYYY-MM-DD, got '{text}'")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NoSuchDay(f"'{text}' is not a real calendar date") from None


def day_text(day: dt.date | None) -> str:
    """``24 November 2011``, the way the council writes dates (locale-independent)."""
    if day is None:
        return "none"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def whole_months(since: dt.date, until: dt.date) -> int:
    """Whole calendar months from ``since`` to ``until`` (0 when under a month)."""
    months = (until.year - since.year) * 12 + until.month - since.month
    if until.day < since.day:
        months -= 1
    return max(months, 0)


def elapsed_text(since: dt.date, until: dt.date) -> str:
    """How long from ``since`` to ``until``, as a reader says it: ``12 days``,
    ``1 month``, ``5 months``, ``2 years``, ``2 years 3 months``."""
    days = (until - since).days
    months = whole_months(since, until)
    if months == 0:
        return f"{days} day" + ("" if days == 1 else "s")
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year" + ("" if years == 1 else "s"))
    if months:
        parts.append(f"{months} month" + ("" if months == 1 else "s"))
    return " ".join(parts)


# Set by `qa-site build` and `qa-site serve` for their --as-of, which wins over the
# date a programme's mkdocs.yml pins (the plugin reads it; MkDocs runs the build).
AS_OF_VARIABLE = "QA_SITE_AS_OF"


def chosen_as_of(environ: Mapping[str, str] = os.environ) -> dt.date | None:
    """The as-of date a command line chose (QA_SITE_AS_OF), or None."""
    text = environ.get(AS_OF_VARIABLE, "").strip()
    if not text:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as error:
        raise UsageError(f"{AS_OF_VARIABLE}: {error}") from None


def epoch_text(day: dt.date) -> str:
    """``day``'s midnight (UTC) as SOURCE_DATE_EPOCH writes it: whole seconds."""
    return str(int(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp()))


def default_as_of(environ: Mapping[str, str] = os.environ) -> dt.date:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else today's date."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds, got {epoch!r}") from None
    return dt.date.today()
