"""The editor's list of files: every review and set of minutes, by borough and team."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.core.dates import day_text
from generator.edit.live import Checker
from generator.load.source import SourceDocument
from generator.model.programme import Programme


@dataclass(frozen=True)
class FileEntry:
    path: str
    date: str  # as the file is named
    shown: str  # the date in words, "20 October 2011"; the name when it is no date
    status: str  # as written; "" when the file does not say or cannot be read


@dataclass(frozen=True)
class TeamEntry:
    id: str
    name: str
    open: bool  # not closed: a new review may be started
    files: tuple[FileEntry, ...]  # newest first


@dataclass(frozen=True)
class BoroughEntry:
    id: str
    name: str
    teams: tuple[TeamEntry, ...]
    meetings: tuple[FileEntry, ...]  # newest first


def file_list(programme: Programme | None, checker: Checker) -> tuple[BoroughEntry, ...]:
    """Every borough's teams and their reviews, and its meetings, as the files are on disk
    (a file that does not read is listed too, so that it can be opened and mended)."""
    loaded = checker.loaded()
    boroughs = []
    for folder in loaded.boroughs:
        record = programme.boroughs.get(folder.id) if programme else None
        teams = []
        for team in folder.teams:
            known = record.teams.get(team.id) if record else None
            teams.append(
                TeamEntry(
                    id=team.id,
                    name=known.team.name if known else team.id,
                    open=known is not None and known.team.closed is None,
                    files=_entries(team.reviews),
                )
            )
        boroughs.append(
            BoroughEntry(
                id=folder.id,
                name=record.borough.name if record else folder.id,
                teams=tuple(sorted(teams, key=lambda t: t.name.casefold())),
                meetings=_entries(folder.meetings),
            )
        )
    return tuple(sorted(boroughs, key=lambda b: b.name.casefold()))


def _entries(documents: list[SourceDocument]) -> tuple[FileEntry, ...]:
    return tuple(
        FileEntry(d.path, d.name.removesuffix(".md"), _shown(d.name), _status(d.data))
        for d in sorted(documents, key=lambda d: d.path, reverse=True)
    )


def _shown(name: str) -> str:
    try:
        return day_text(dt.date.fromisoformat(name.removesuffix(".md")))
    except ValueError:
        return name.removesuffix(".md")


def _status(data: Any) -> str:
    status = data.get("status") if isinstance(data, Mapping) else None
    if status is None and isinstance(data, Mapping) and "chairs" in data:
        return "approved"
    return status if isinstance(status, str) else ""
