"""The default catalogue: fifty real standards in each framework version, five critical,
twelve evidence sources."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.check.validate import validate_repository
from generator.load.repository import load_repository
from generator.model.programme import Programme
from tests.support.paths import ROOT


@pytest.fixture(scope="module")
def programme() -> Programme:
    validation = validate_repository(load_repository(ROOT), dt.date(2017, 1, 1))
    assert validation.programme is not None
    return validation.programme


RETIRED_IN_2 = {"S03": "S51", "S06": "S52", "S25": "S53", "S40": "S54"}  # each by its successor


def test_fifty_four_standards_fifty_in_each_version_five_critical(programme: Programme) -> None:
    files = sorted(path.name[:3] for path in (ROOT / "standards").glob("S*.md"))
    assert files == [f"S{n:02d}" for n in range(1, 55)]
    assert list(programme.standards) == [f"S{n:02d}" for n in range(1, 55)]
    version_1 = [f"S{n:02d}" for n in range(1, 51)]
    version_2 = [s for s in version_1 if s not in RETIRED_IN_2] + ["S51", "S52", "S53", "S54"]
    assert [s.id for s in programme.standards_in(1)] == version_1
    assert [s.id for s in programme.standards_in(2)] == version_2
    for version in (1, 2):
        critical = [s.id for s in programme.standards_in(version) if s.critical]
        assert critical == ["S07", "S09", "S14", "S35", "S47"]
    # Version 2 retires four and introduces four in their place, in the same domain.
    retired = {s.id: (s.retired, s.replaced_by) for s in programme.standards.values() if s.retired}
    assert retired == {old: (2, [new]) for old, new in RETIRED_IN_2.items()}
    introduced = [s.id for s in programme.standards.values() if s.introduced != 1]
    assert introduced == ["S51", "S52", "S53", "S54"]
    for old, new in RETIRED_IN_2.items():
        assert programme.standards[new].introduced == 2
        assert programme.standards[old].domain == programme.standards[new].domain


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
