"""What ``qa-site new`` accepts: the ids and names of new teams and boroughs, and
the team or borough a new review or meeting is for.

A wrong value is an ``InvalidValue`` naming the argument or option, where
the message does not name it itself.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from generator.core.errors import InvalidValue, UsageError
from generator.core.matching import closest, did_you_mean
from generator.model.programme import BoroughRecord, Programme, TeamRecord
from generator.model.types import KEBAB_ID_PATTERN

TEAM_PATH = "BOROUGH/TEAM"
BOROUGH = "BOROUGH"

_ID_EXAMPLES = {"team": "older-people", "service": "older-people", "borough": "westminster"}


def check_new_id(value: str, what: str) -> None:
    """A new team's, service's or borough's id: kebab-case, as folder names are."""
    if not re.fullmatch(KEBAB_ID_PATTERN, value):
        raise InvalidValue(
            f"a {what} id is lower-case letters, digits and hyphens (like "
            f"'{_ID_EXAMPLES[what]}'), got '{value}'"
        )


# Characters a name written on the command line may not hold: it is written as
# it stands into YAML, Markdown and the HTML of every page (MkDocs themes write
# mkdocs.yml's site_name into <title> and attributes without escaping it).
_REFUSED = frozenset('<>"`')
# Control, format and line or paragraph separator characters (NEL is a control):
# invisible, and YAML and Markdown read some of them as line breaks.
_REFUSED_CATEGORIES = frozenset(("Cc", "Cf", "Zl", "Zp"))


def check_text(value: str, option: str) -> None:
    """A name given on the command line: never blank, and nothing in it that HTML,
    YAML or Markdown would read as other than itself. ``&`` and ``'`` are kept
    (Hammersmith & Fulham, King's Lynn), but not as the start of an HTML
    character reference (``&amp;``, ``&#60;``), which a page would show as another
    character."""
    if not value.strip():
        raise InvalidValue("must not be blank", option)
    refused = [c for c in value if c in _REFUSED or unicodedata.category(c) in _REFUSED_CATEGORIES]
    if refused:
        found = ", ".join(_shown(c) for c in dict.fromkeys(refused))
        raise InvalidValue(
            f"must not hold {found} (a name is written as it stands into the site's pages; "
            '<, >, ", backquotes and control, format or separator characters are refused)',
            option,
        )
    if html.unescape(value) != value:
        raise InvalidValue(
            "must not hold an HTML character reference (such as '&amp;'): a page would "
            "show it as another character; write & followed by a space",
            option,
        )


def _shown(character: str) -> str:
    """A refused character as a message names it: printable ones quoted, others by code point."""
    if character == "`":
        return "a backquote"
    if character.isprintable():
        return f"'{character}'"
    return f"U+{ord(character):04X}"


def split_team(value: str) -> tuple[str, str]:
    """``borough/team`` as its two ids."""
    borough, _, team = value.strip("/").partition("/")
    if not borough or not team or "/" in team:
        raise InvalidValue(f"expected <borough>/<team>, got '{value}'")
    return borough, team


def check_new_team(repo: Path, borough_id: str, team_id: str) -> None:
    """A new team's id, in a borough that exists."""
    check_new_id(team_id, "team")
    if team_id == "governance":
        raise InvalidValue("'governance' is the board's folder, not a team id")
    if not (repo / "reviews" / borough_id / "borough.yml").is_file():
        raise InvalidValue(
            f"no borough '{borough_id}' (qa-site new borough {borough_id} ...)", TEAM_PATH
        )


def find_borough(programme: Programme, borough_id: str, argument: str) -> BoroughRecord:
    borough = programme.boroughs.get(borough_id)
    if borough is None:
        raise InvalidValue(
            f"no borough '{borough_id}'{did_you_mean(borough_id, programme.boroughs)}", argument
        )
    return borough


def team_to_review(programme: Programme, borough_id: str, team_id: str, day: dt.date) -> TeamRecord:
    """The team a new review is for: one the programme has, open on ``day``."""
    borough = find_borough(programme, borough_id, TEAM_PATH)
    team = borough.teams.get(team_id)
    if team is None:
        raise InvalidValue(
            f"no team '{team_id}' in {borough_id}{did_you_mean(team_id, borough.teams)}",
            TEAM_PATH,
        )
    if team.team.closed is not None and day > team.team.closed:
        raise UsageError(f"{team.team.name} closed on {team.team.closed}")
    return team


def open_teams(borough: BoroughRecord, day: dt.date) -> list[str]:
    """The ids of the borough's teams not closed before ``day``."""
    return [t.id for t in borough.teams.values() if not t.team.closed or t.team.closed >= day]


def service_note(service: str, services: Sequence[str]) -> str | None:
    """A note when ``service`` is new: teams are compared across boroughs by service."""
    if not services or service in services:
        return None
    near = closest(service, services)
    return (
        f"no other team has the service '{service}'. Teams are "
        "compared across boroughs by service, so reuse one where it fits: "
        + ", ".join(services)
        + (f". Did you mean '{near}'?" if near else ".")
    )
