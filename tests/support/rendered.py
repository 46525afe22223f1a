"""A repository's generated pages as the site renders them, without MkDocs: for
the tests that read what a page says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.check.repository import check
from generator.model.programme import Programme
from generator.render.site import render_site
from generator.render.templates import TEMPLATES, template_folders
from generator.score.results import Results, score_programme
from generator.share.edition import Edition, for_edition
from tests.support.paths import ROOT


def scored(root: Path, as_of: dt.date, edition: Edition = "internal") -> tuple[Programme, Results]:
    """``root``'s programme for ``edition``, and its results as of ``as_of``; the
    content must have no error."""
    validation = check(root, as_of)
    assert [p.format_text() for p in validation.problems if p.is_error] == []
    assert validation.programme is not None
    programme = for_edition(validation.programme, edition)
    return programme, score_programme(programme, as_of)


def rendered_pages(root: Path, as_of: dt.date, edition: Edition = "internal") -> dict[str, str]:
    """Every generated text file of ``edition`` of ``root``'s site (the packaged
    templates), by path."""
    programme, results = scored(root, as_of, edition)
    files = render_site(programme, results, template_folders(ROOT / TEMPLATES), edition)
    return {f.path: f.content for f in files if isinstance(f.content, str)}
