"""What the render stage makes: pages to render, and the files of the site."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GeneratedFile:
    """A file of the site: text, bytes, or an existing file copied as it is."""

    path: str  # relative to the docs folder, with forward slashes
    content: str | bytes | None = None
    source: Path | None = None
    listed: bool = True  # False: reached by links, never listed in the navigation
    # For a file whose bytes are not text (a PDF paper): the text its reader meets,
    # as HTML, for the partner edition's personal-data gate to read.
    readers_text: bytes | None = None


@dataclass(frozen=True)
class PageContext:
    """What a page's template receives beside what every template has: each
    kind of page extends it with its own fields. A page with nothing of its
    own has this empty one."""

    def variables(self) -> dict[str, Any]:
        """The fields by name, as the template's variables."""
        return {item.name: getattr(self, item.name) for item in fields(self)}

    def search_keywords(self) -> list[str]:
        """Words search should find the page by before any page that only mentions
        them (its front matter's tags); none unless a kind of page says."""
        return []


@dataclass(frozen=True)
class Page:
    """A Markdown page of the site, before its template renders it."""

    path: str  # from generator.render.urls
    title: str
    template: str  # in site_templates/
    context: PageContext = field(default_factory=PageContext)
    listed: bool = True  # one of the few pages the navigation lists
    # (borough id, team id) of a page that shows that team's reviews and, beside
    # them, only what the team files, the rulebook and the meetings say: its
    # scorecard and its reviews' pages. None for a page that shows more.
    team: tuple[str, str] | None = None
