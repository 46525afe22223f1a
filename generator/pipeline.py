"""The stages joined up, once, for both edges (the CLI and the MkDocs plugin).

    load  ->  check  ->  edition  ->  score  ->  outputs

``run`` does everything up to the scores; ``generated_files`` renders the pages
from what it returns. Only the edges know about the clock and the
environment; every stage takes the as-of date as an argument.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.check.blocking import usable_programme
from generator.check.repository import check
from generator.check.validate import Validation
from generator.core.errors import InvalidValue
from generator.core.matching import did_you_mean
from generator.core.problems import Problem
from generator.load.repository import ParseCache
from generator.model.programme import Programme
from generator.papers.make import paper_documents, pdf_files
from generator.privacy.names import DenyList
from generator.render.page import GeneratedFile
from generator.render.site import Earlier, render_site
from generator.score.results import Results, score_programme
from generator.share.datapackage.model import Package
from generator.share.datapackage.read import read_package
from generator.share.edition import Edition, for_edition


@dataclass(frozen=True)
class Outcome:
    """A run's result: the check's findings and, when the content has no errors,
    the edition's programme and its scores (else both None)."""

    validation: Validation
    programme: Programme | None
    results: Results | None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.validation.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.validation.problems if not p.is_error]


def run(
    root: Path,
    as_of: dt.date,
    edition: Edition = "internal",
    *,
    deny: DenyList | None = None,
    cache: ParseCache | None = None,
    on_read: Callable[[str], None] | None = None,
    boroughs: Collection[str] = (),
) -> Outcome:
    """Load, check, take ``edition`` of and score the repository at ``root``
    (``on_read`` is told of each file read).

    With ``boroughs``, only those boroughs are scored; one the programme does
    not have is an ``InvalidValue`` of the ``--borough`` option.
    """
    validation = check(root, as_of, on_read, cache, deny)
    programme = usable_programme(validation)
    if programme is None:
        return Outcome(validation, None, None)
    if boroughs:
        programme = _only(programme, boroughs)
    programme = for_edition(programme, edition)
    return Outcome(validation, programme, score_programme(programme, as_of))


def generated_files(
    outcome: Outcome,
    templates: Sequence[Path],
    edition: Edition = "internal",
    packages: Sequence[tuple[str, Package]] = (),
    earlier: Earlier | None = None,
    papers: Papers | None = None,
) -> list[GeneratedFile]:
    """Every generated file of ``edition`` of the site, from a run without errors
    (with ``earlier``, some teams' pages taken from an earlier render; with
    ``papers``, the PDF papers too, and the pages link them)."""
    assert outcome.programme is not None and outcome.results is not None
    programme, results = outcome.programme, outcome.results
    files = render_site(
        programme, results, templates, edition, packages, earlier, papers=papers is not None
    )
    if papers is not None:
        documents = paper_documents(programme, results, templates, edition, packages)
        files += pdf_files(documents, papers.cache)
    return files


@dataclass(frozen=True)
class Papers:
    """That a build makes the PDF papers (``generator.papers``), and where they are
    kept between runs (None: nowhere)."""

    cache: Path | None = None


def partner_packages(
    named: Sequence[tuple[str, Path]],
) -> tuple[list[tuple[str, Package]], list[Problem]]:
    """The partners' data packages that read, by name, and every problem in them."""
    packages, problems = [], []
    for name, path in named:
        package, found = read_package(path)
        problems += found
        if package is not None:
            packages.append((name, package))
    return packages, problems


def _only(programme: Programme, boroughs: Collection[str]) -> Programme:
    unknown = sorted(set(boroughs) - set(programme.boroughs))
    if unknown:
        raise InvalidValue(
            f"no borough '{unknown[0]}'{did_you_mean(unknown[0], programme.boroughs)}",
            "--borough",
        )
    kept = {k: v for k, v in programme.boroughs.items() if k in boroughs}
    return dataclasses.replace(programme, boroughs=kept)
