"""The default catalogue: fifty real standards, five critical, twelve evidence sources."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.check.validate import validate_repository
from generator.load.repository import load_repository
from generator.model.programme import Programme
from tests.support.paths import ROOT


@pytest.fixture(scope="module")
def programme() -> Programme:
    validation = validate_repository(load_repository(ROOT), dt.date(2012, 7, 1))
    assert validation.programme is not None
    return validation.programme


def test_fifty_standards_s01_to_s50(programme: Programme) -> None:
    assert list(programme.standards) == [f"S{n:02d}" for n in range(1, 51)]


def test_exactly_the_five_critical_standards(programme: Programme) -> None:
    critical = {s.id: s.domain for s in programme.standards.values() if s.critical}
    # Risk assessment, safeguarding, mental capacity, courtesy, supervision.
    assert critical == {
        "S07": "safeguarding",
        "S09": "risk",
        "S14": "capacity",
        "S35": "experience",
        "S47": "supervision",
    }


def test_twelve_evidence_sources_and_every_one_informs_some_standard(
    programme: Programme,
) -> None:
    sources = [e.id for e in programme.framework.evidence_sources]
    assert len(sources) == 12
    used = {e for s in programme.standards.values() for e in s.evidence}
    assert used == set(sources)


def test_every_domain_has_standards_and_every_standard_is_described(
    programme: Programme,
) -> None:
    domains = {d.id for d in programme.framework.domains}
    assert {s.domain for s in programme.standards.values()} == domains
    for standard in programme.standards.values():
        assert set(standard.descriptors) == {"Outstanding", "Good", "Adequate", "Inadequate"}
        assert len(set(standard.descriptors.values())) == 4
        assert len(standard.source.body.split()) >= 120, standard.id


def test_no_two_standards_say_the_same_thing(programme: Programme) -> None:
    titles = [s.title.lower() for s in programme.standards.values()]
    assert len(set(titles)) == len(titles)
