"""Each framework version cites only the law and guidance of its time.

tests/data/legal_instruments.yml lists the Acts, regulations, guidance, case law, bodies
and terms the standards may cite, each with the date it came into force or was published
and, where it has one, the date it stopped being current for adults in England. A
version's wording (title, descriptors, guidance) may cite only what had come into force
on or before the date the version did, and nothing that had ended by then; every bullet
under "## Legal and policy basis" must name something in the table; and any dated
reference (an Act or Regulations with a year, a law report citation, a year in brackets)
must be one the table knows, so nothing dated slips through unchecked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.check.blocking import usable_programme
from generator.check.repository import check
from generator.model.programme import Programme
from tests.support.paths import DATA, ROOT

TABLE = DATA / "legal_instruments.yml"
TABLE_NAME = "tests/data/legal_instruments.yml"
AS_OF = dt.date(2026, 12, 5)
KINDS = {"act", "regulations", "guidance", "policy", "case", "body", "term"}
KEYS = {"name", "kind", "patterns", "commenced", "ended", "years", "note"}
LEGAL_BASIS = "Legal and policy basis"

_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
# References that carry a date, which the table must recognise.
_DATED = (
    re.compile(r"\bActs?,? (?:of )?((?:1[6-9]|20)\d\d)\b"),
    re.compile(r"\b(?:Regulations|Rules|Order) ((?:1[6-9]|20)\d\d)\b"),
    re.compile(
        r"\[((?:1[6-9]|20)\d\d)\] (?:UKSC|UKHL|UKPC|EWCOP|EWHC|EWCA|UKUT|AC|WLR|All ER|Fam|QB"
        r"|COPLR|CCLR|MHLR|EHRR)\b"
    ),
    re.compile(r"\(([^()]*\b(?:1[6-9]|20)\d\d\b[^()]*)\)"),
)
# A year in brackets dates the name it follows, across a subtitle or another bracket
# ("Independence, choice and risk: a guide to ... (Department of Health, 2007)",
# "Assessed and Supported Year in Employment (ASYE) (Skills for Care, 2012)"), or the
# name just after it ("Department of Health (2007), Independence, choice and risk").
_GAP_AFTER_NAME = re.compile(r"(?:[^().;]|\([^()]*\))*")
_GAP_BEFORE_NAME = re.compile(r"[,:]? ?[*_\"\u201c\u2018]*")
_GAP_LIMIT = 160
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


@dataclass(frozen=True)
class Instrument:
    """One row of the table."""

    name: str
    kind: str
    patterns: tuple[re.Pattern[str], ...]
    commenced: dt.date
    ended: dt.date | None
    years: frozenset[int]  # years it may be dated by in brackets, besides its own


@dataclass(frozen=True)
class Hit:
    """Where an instrument is cited in a text."""

    instrument: Instrument
    start: int
    end: int
    text: str  # what the pattern matched


@dataclass(frozen=True)
class Wording:
    """The words of one standard (or the framework) in one version, field by field."""

    where: str  # e.g. "S07 v1 (in force 2009-11-01)"
    in_force: dt.date
    fields: tuple[tuple[str, str], ...]  # (field, text): title, each descriptor, guidance
    guidance: str | None  # the Markdown guidance, for its legal basis bullets


def load_table(path: Path = TABLE) -> list[Instrument]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [_instrument(entry) for entry in entries]


def _instrument(entry: dict[str, Any]) -> Instrument:
    return Instrument(
        name=entry["name"],
        kind=entry["kind"],
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in entry["patterns"]),
        commenced=entry["commenced"],
        ended=entry.get("ended"),
        years=frozenset(entry.get("years") or []),
    )


@cache
def _table() -> tuple[Instrument, ...]:
    return tuple(load_table())


def flat(text: str) -> str:
    """``text`` with each run of spaces and line breaks made one space."""
    return " ".join(text.split())


def _accepts(instrument: Instrument, year: int) -> bool:
    return year in instrument.years or year == instrument.commenced.year


def recognise(text: str, table: Iterable[Instrument]) -> list[Hit]:
    """Every citation of an instrument of ``table`` in ``text`` (already flattened)."""
    hits = []
    for instrument in table:
        for pattern in instrument.patterns:
            for match in pattern.finditer(text):
                if match.end() == match.start():
                    continue
                hits.append(Hit(instrument, match.start(), match.end(), match.group(0)))
    return sorted(hits, key=lambda h: (h.start, h.instrument.name))


def _context(text: str, start: int, end: int) -> str:
    """The words just before ``start`` up to ``end``: enough to see what is cited."""
    head = text[max(0, start - 50) : start]
    cut = max(head.rfind(". "), head.rfind("; "), head.rfind(": "), head.rfind("- "))
    head = head[cut + 2 :] if cut >= 0 else head[head.find(" ") + 1 :] if start > 50 else head
    return (head + text[start:end]).strip()


def out_of_date(wording: Wording, table: Iterable[Instrument]) -> list[str]:
    """(a) Each instrument cited that had not come into force, or had ended, by the
    version's date: one line per instrument and field."""
    findings, seen = [], set()
    for field, raw in wording.fields:
        for hit in recognise(flat(raw), table):
            instrument = hit.instrument
            key = (field, instrument.name)
            if key in seen:
                continue
            if instrument.commenced > wording.in_force:
                why = f"in force or published {instrument.commenced}, after this version began"
            elif instrument.ended is not None and instrument.ended <= wording.in_force:
                why = f"no longer current from {instrument.ended}, before this version began"
            else:
                continue
            seen.add(key)
            findings.append(
                f'{wording.where}, {field}: "{hit.text}" cites {instrument.name}: {why}'
            )
    return findings


def legal_basis_bullets(guidance: str) -> list[str] | None:
    """The bullets under the guidance's "Legal and policy basis" heading, each on one
    line; None when it has no such heading."""
    bullets: list[str] | None = None
    level = 0
    for line in guidance.splitlines():
        heading = _HEADING.match(line)
        if heading:
            if bullets is not None and len(heading.group(1)) <= level:
                break
            if heading.group(2).strip().lower() == LEGAL_BASIS.lower():
                bullets, level = [], len(heading.group(1))
            continue
        if bullets is None or not line.strip():
            continue
        bullet = _BULLET.match(line)
        if bullet:
            bullets.append(bullet.group(1))
        elif bullets:
            bullets[-1] += " " + line.strip()
        else:
            bullets.append(line.strip())
    return None if bullets is None else [flat(b) for b in bullets]


def unknown_bullets(wording: Wording, table: Iterable[Instrument]) -> list[str]:
    """(b) Each legal basis bullet that names nothing in the table."""
    if wording.guidance is None:
        return []
    bullets = legal_basis_bullets(wording.guidance)
    if bullets is None:
        return [f'{wording.where}, guidance: has no "## {LEGAL_BASIS}" section']
    return [
        f'{wording.where}, {LEGAL_BASIS}: "{bullet}" names nothing in {TABLE_NAME}; '
        "add what it cites, with its date"
        for bullet in bullets
        if not recognise(bullet, table)
    ]


def _dates(text: str, bracket: re.Match[str], hit: Hit) -> bool:
    """Whether ``hit`` is the name the bracketed date ``bracket`` belongs to: inside the
    brackets, just before them (across a subtitle) or just after them."""
    if bracket.start() <= hit.start and hit.end <= bracket.end():
        return True
    if hit.end <= bracket.start():
        return bracket.start() - hit.end <= _GAP_LIMIT and bool(
            _GAP_AFTER_NAME.fullmatch(text, hit.end, bracket.start())
        )
    return hit.start >= bracket.end() and bool(
        _GAP_BEFORE_NAME.fullmatch(text, bracket.end(), hit.start)
    )


def _unrecognised_years(text: str, match: re.Match[str], hits: list[Hit]) -> list[str]:
    """The years in the dated reference ``match`` that no citation accounts for: a year is
    accounted for when a citation's own words include it ("Mental Capacity Act 2005"), or,
    in brackets, when the name the brackets date accepts it ("No Secrets (2000)")."""
    bracket = match.group(0).startswith("(")
    missing = []
    for found in _YEAR.finditer(match.group(1)):
        start, end = match.start(1) + found.start(), match.start(1) + found.end()
        year = int(found.group(0))
        if not any(
            (h.start <= start and end <= h.end)
            or (bracket and _accepts(h.instrument, year) and _dates(text, match, h))
            for h in hits
        ):
            missing.append(found.group(0))
    return missing


def unknown_dated(wording: Wording, table: Iterable[Instrument]) -> list[str]:
    """(c) Each dated reference (an Act or Regulations with its year, a law report
    citation, a year in brackets) with a year that no citation of the table accounts for."""
    findings, seen = [], set()
    for field, raw in wording.fields:
        text = flat(raw)
        hits = recognise(text, table)
        for pattern in _DATED:
            for match in pattern.finditer(text):
                missing = _unrecognised_years(text, match, hits)
                if not missing:
                    continue
                shown = _context(text, match.start(), match.end())
                if (field, shown) in seen:
                    continue
                seen.add((field, shown))
                findings.append(
                    f'{wording.where}, {field}: "{shown}" is dated {", ".join(missing)} '
                    f"but nothing in {TABLE_NAME} recognises it"
                )
    return findings


# The rulebook, read through the product


@cache
def _programme() -> Programme:
    validation = check(ROOT, AS_OF)
    programme = usable_programme(validation)
    if programme is None:
        errors = [f"{p.path}: {p.message}" for p in validation.problems if p.is_error]
        pytest.fail(
            "the rulebook does not load, so its citations cannot be checked:\n"
            + "\n".join(errors[:40]),
            pytrace=False,
        )
    return programme


def wordings(programme: Programme) -> Iterator[Wording]:
    """Every version's summary and every standard's wording in every version."""
    versions = programme.framework.versions
    if not versions:
        pytest.fail("standards/framework.yml lists no versions with their dates", pytrace=False)
    for version in versions:
        day = version.in_force
        if version.summary:
            yield Wording(
                f"framework.yml v{version.version} (in force {day})",
                day,
                (("summary", version.summary),),
                None,
            )
        for standard_id in sorted(programme.standards):
            wording = programme.standards[standard_id].wording(version.version)
            if wording is None:
                continue
            fields = [("title", wording.title)]
            fields += [(f"descriptor {label}", text) for label, text in wording.descriptors.items()]
            fields.append(("guidance", wording.guidance))
            yield Wording(
                f"{standard_id} v{version.version} (in force {day})",
                day,
                tuple(fields),
                wording.guidance,
            )


def _report(findings: list[str], what: str) -> None:
    if findings:
        pytest.fail(f"{len(findings)} {what}:\n" + "\n".join(findings), pytrace=False)


# The table itself


def test_the_table_is_sane() -> None:
    entries = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    assert isinstance(entries, list) and entries
    problems = []
    names: set[str] = set()
    for entry in entries:
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            problems.append(f"an entry has no name: {entry}")
            continue
        if name in names:
            problems.append(f"{name}: listed twice")
        names.add(name)
        if set(entry) - KEYS:
            problems.append(f"{name}: unknown keys {sorted(set(entry) - KEYS)}")
        if entry.get("kind") not in KINDS:
            problems.append(f"{name}: kind {entry.get('kind')!r} is not one of {sorted(KINDS)}")
        commenced, ended = entry.get("commenced"), entry.get("ended")
        if not isinstance(commenced, dt.date):
            problems.append(f"{name}: commenced {commenced!r} is not an ISO date")
        if ended is not None and not isinstance(ended, dt.date):
            problems.append(f"{name}: ended {ended!r} is not an ISO date")
        elif isinstance(commenced, dt.date) and ended is not None and ended <= commenced:
            problems.append(f"{name}: ended {ended} is not after it commenced ({commenced})")
        years = entry.get("years", [])
        if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
            problems.append(f"{name}: years {years!r} is not a list of years")
        patterns = entry.get("patterns")
        if not isinstance(patterns, list) or not patterns:
            problems.append(f"{name}: no patterns")
            continue
        for pattern in patterns:
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except (re.error, TypeError) as error:
                problems.append(f"{name}: pattern {pattern!r} does not compile: {error}")
                continue
            if compiled.fullmatch("") or compiled.search("   "):
                problems.append(f"{name}: pattern {pattern!r} matches empty text")
    assert problems == []
    assert len(load_table()) == len(entries)


# The check itself can fail


def _wording(day: str, guidance: str, title: str = "A standard") -> Wording:
    in_force = dt.date.fromisoformat(day)
    return Wording(
        f"S99 v1 (in force {in_force})",
        in_force,
        (("title", title), ("guidance", guidance)),
        guidance,
    )


def test_the_check_reports_a_citation_too_late_too_old_or_unknown() -> None:
    table = _table()
    guidance = (
        "## What good looks like\n\nEnquiries are made under the Care Act 2014.\n\n"
        "## Legal and policy basis\n\n"
        "- Care Act 2014, section 42.\n"
        "- Imaginary Act 2003.\n"
        "- Mental Capacity Act 2005, sections 1 to 4; Mental Capacity Act 2005 Code of Practice\n"
        "  (Department for Constitutional Affairs, 2007).\n"
        '- "No Secrets" (Department of Health and Home Office, 2000).\n'
    )
    wording_2009 = _wording("2009-11-01", guidance)
    assert out_of_date(wording_2009, table) == [
        'S99 v1 (in force 2009-11-01), guidance: "Care Act 2014" cites Care Act 2014: '
        "in force or published 2015-04-01, after this version began"
    ]
    assert unknown_bullets(wording_2009, table) == [
        f'S99 v1 (in force 2009-11-01), Legal and policy basis: "Imaginary Act 2003." names '
        f"nothing in {TABLE_NAME}; add what it cites, with its date"
    ]
    assert unknown_dated(wording_2009, table) == [
        f'S99 v1 (in force 2009-11-01), guidance: "Imaginary Act 2003" is dated 2003 but '
        f"nothing in {TABLE_NAME} recognises it"
    ]

    wording_2015 = _wording("2015-04-01", guidance)
    assert out_of_date(wording_2015, table) == [
        'S99 v1 (in force 2015-04-01), guidance: "No Secrets" cites No Secrets (Department of '
        "Health and Home Office, 2000): no longer current from 2015-04-01, before this version "
        "began"
    ]


def test_the_check_reads_dates_next_to_a_name_as_the_names_own() -> None:
    table = _table()
    right = (
        "## Legal and policy basis\n\n"
        "- Department of Health (2007), Independence, choice and risk: a guide to best\n"
        "  practice in supported decision making.\n"
        "- Valuing People Now (2009); Fair Access to Care Services, 2003.\n"
        "- P v Cheshire West and Chester Council [2014] UKSC 19.\n"
    )
    assert unknown_dated(_wording("2015-04-01", right), table) == []
    wrong = (
        "## Legal and policy basis\n\n"
        "- National Framework for NHS Continuing Healthcare and NHS-funded Nursing Care\n"
        "  (revised 2022).\n"
        "- Court of Protection Rules 2017.\n"
        "- Valuing People Now (2012).\n"
    )
    late = _wording("2015-04-01", wrong)
    assert [line.split(": ", 1)[1] for line in out_of_date(late, table)] == [
        '"Continuing Healthcare and NHS-funded Nursing Care (revised 2022)" cites National '
        "Framework for NHS Continuing Healthcare and NHS-funded Nursing Care (revised 2022): in "
        "force or published 2022-07-01, after this version began",
        '"Court of Protection Rules 2017" cites Court of Protection Rules 2017: in force or '
        "published 2017-12-01, after this version began",
    ]
    assert [line.split(": ", 1)[1] for line in unknown_dated(late, table)] == [
        f'"Valuing People Now (2012)" is dated 2012 but nothing in {TABLE_NAME} recognises it'
    ]


def test_an_abbreviation_in_capitals_is_not_a_standard_id() -> None:
    table = _table()
    text = flat("See S42 and S47 for joint working and supervision.")
    assert recognise(text, table) == []
    names = {h.instrument.name for h in recognise("an enquiry under s42", table)}
    assert names == {"Care Act 2014"}


# The rulebook's own wording, in every version


def test_every_citation_was_current_when_its_version_came_into_force() -> None:
    table = _table()
    findings = [f for w in wordings(_programme()) for f in out_of_date(w, table)]
    _report(findings, "citations of law or guidance not current at the version's date")


def test_every_legal_basis_bullet_names_something_the_table_dates() -> None:
    table = _table()
    findings = [f for w in wordings(_programme()) for f in unknown_bullets(w, table)]
    _report(findings, f"legal basis bullets unknown to {TABLE_NAME}")


def test_every_dated_reference_is_one_the_table_knows() -> None:
    table = _table()
    findings = [f for w in wordings(_programme()) for f in unknown_dated(w, table)]
    _report(findings, f"dated references unknown to {TABLE_NAME}")
