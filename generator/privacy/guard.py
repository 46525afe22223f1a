"""The personal-data guard: every text of every content file, scanned before anything is built.

What looks like personal data (``generator.privacy.detect`` says what it looks for)
is an error where partner boroughs would read it, and in case and worker
references wherever they are; elsewhere it is a warning, since the internal
site is read by the council's own staff. Every finding is reported as
``path:line: field: kind of data``: the matched text itself is never printed,
so CI logs do not repeat it.

A finding that is not personal data is accepted with a marker on its line
that says why: ``# pii-ok: switchboard number`` at the end of a YAML line,
``<!-- pii-ok: switchboard number -->`` in Markdown. A marker covers the
findings on its line; accepted findings are listed by ``qa-site privacy``
and in the validation summary, so a pull request shows every one.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.core.collector import holds_collector
from generator.core.problems import Problem, Severity
from generator.load.repository import LoadedRepository, Loc, SourceDocument, format_loc
from generator.model.types import shared
from generator.privacy.detect import find_personal_data
from generator.privacy.findings import Finding
from generator.privacy.markers import find_markers
from generator.privacy.names import DenyList
from generator.privacy.readers_text import readers_text

BODY = "body"


@dataclass(frozen=True, order=True)
class Accepted:
    """A finding a ``pii-ok`` marker accepted, and the reason given."""

    path: str
    line: int
    field: str
    kind: str  # a description from privacy.KINDS, e.g. "an NHS number"
    reason: str
    # What was accepted, as ``finding_key`` spells it: the partner edition's last
    # gate lets the same thing through on a page, and nothing else.
    key: str = dataclasses.field(default="", compare=False, repr=False)

    def format_text(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.kind}: accepted: {self.reason}"


@dataclass
class GuardReport:
    problems: list[Problem] = field(default_factory=list)
    accepted: list[Accepted] = field(default_factory=list)


@dataclass(frozen=True)
class _Text:
    """One text of a file, where it is, and who would read it."""

    loc: Loc  # () for the Markdown body
    text: str
    line: int  # of the key, or of the body's first line
    partners: bool  # shown in the partner edition
    reference: bool = False  # a case or worker reference


@holds_collector
def guard_repository(
    loaded: LoadedRepository,
    deny: DenyList | None,
    read_text: Callable[[str], str],
) -> GuardReport:
    """Scan every content file in ``loaded``. ``read_text(path)`` gives a file's text,
    to find the markers on the lines that have findings."""
    report = GuardReport()
    documents = _documents(loaded)
    scan = _Scanner(deny)
    for document in documents:
        if document.data is None and not document.body:
            continue
        # What a file's guard found depends on the file and the deny-list alone:
        # kept beside the document, for the next check of an unchanged file.
        derived = loaded.derived.of(document)
        known = derived.get(_GUARDED)
        if not (isinstance(known, _Guarded) and known.deny == deny):
            found = GuardReport()
            _guard_document(document, scan, read_text, found)
            _internal_cases_named(document, found)
            known = derived[_GUARDED] = _Guarded(deny, tuple(found.problems), tuple(found.accepted))
        report.problems += known.problems
        report.accepted += known.accepted
    for folder in _id_folders(loaded):
        for finding in scan(folder.rsplit("/", 1)[-1]):
            report.problems.append(
                Problem(
                    folder,
                    1,
                    FOLDER_NAME,
                    f"{finding.description} in a folder name, which is part of the address "
                    "of pages and downloads in every edition; rename the folder",
                )
            )
    report.problems.sort()
    report.accepted.sort()
    return report


FOLDER_NAME = "folder name"


class _Scanner:
    """``find_personal_data`` with its deny-list, each distinct text scanned once:
    most texts are labels, ids and roles written thousands of times."""

    def __init__(self, deny: DenyList | None) -> None:
        self._deny = deny
        self._seen: dict[str, list[Finding]] = {}
        self._flagged: set[str] = set()  # the texts seen that have a finding

    def __call__(self, text: str) -> list[Finding]:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = find_personal_data(text, self._deny)
            if found:
                self._flagged.add(text)
        return found

    def any_found(self, texts: list[str]) -> bool:
        """Whether any of ``texts`` has a finding, scanning those not seen before."""
        for text in set(texts).difference(self._seen):
            self(text)
        return not self._flagged.isdisjoint(texts)


_GUARDED = "guard"


@dataclass(frozen=True)
class _Guarded:
    """What the guard found in one file, with the deny-list it searched for."""

    deny: DenyList | None
    problems: tuple[Problem, ...]
    accepted: tuple[Accepted, ...]


def _documents(loaded: LoadedRepository) -> list[SourceDocument]:
    documents: list[SourceDocument] = []
    if loaded.framework is not None:
        documents.append(loaded.framework)
    documents += loaded.standards
    for borough in loaded.boroughs:
        documents += [d for d in (borough.borough, *borough.meetings) if d is not None]
        for team in borough.teams:
            documents += [d for d in (team.team, *team.reviews) if d is not None]
    return documents


def places_of_findings(
    loaded: LoadedRepository, deny: DenyList | None
) -> dict[str, tuple[str, int, str]]:
    """Everything in the content that looks like personal data, accepted or not, in
    any edition, by ``finding_key``: the first (path, line, field) that writes it."""
    places: dict[str, tuple[str, int, str]] = {}
    for document in _documents(loaded):
        for text in _texts(document):
            for finding in find_personal_data(text.text, deny):
                line = text.line
                if not text.loc:
                    line += text.text.count("\n", 0, finding.start)
                key = finding_key(text.text[finding.start : finding.end])
                name = format_loc(text.loc) if text.loc else BODY
                places.setdefault(key, (document.path, line, name))
    for folder in _id_folders(loaded):
        for finding in find_personal_data(folder.rsplit("/", 1)[-1], deny):
            name = folder.rsplit("/", 1)[-1]
            places.setdefault(
                finding_key(name[finding.start : finding.end]), (folder, 1, FOLDER_NAME)
            )
    return places


def _id_folders(loaded: LoadedRepository) -> Iterator[str]:
    """The folders whose names are ids (boroughs and teams), as paths."""
    for borough in loaded.boroughs:
        yield borough.path
        for team in borough.teams:
            yield team.path


def finding_key(written: str) -> str:
    """What a finding says, however it was written: character references decoded,
    compatibility forms folded, case and everything but letters and digits dropped.
    ``943 476 5919``, ``943-476-5919`` and ``&#57;43\u00a0476 5919`` have one key."""
    folded = readers_text(written).text.casefold()
    return "".join(char for char in folded if char.isalnum())


def _guard_document(
    document: SourceDocument,
    scan: _Scanner,
    read_text: Callable[[str], str],
    report: GuardReport,
) -> None:
    if not _any_findings(document, scan):
        return
    found: list[tuple[_Text, int, Finding]] = []
    for text in _texts(document):
        for finding in scan(text.text):
            line = text.line
            if not text.loc:  # the body: the finding's own line
                line += text.text.count("\n", 0, finding.start)
            found.append((text, line, finding))
    if not found:
        return
    lines = read_text(document.path).splitlines()
    # One marker accepts one finding: the findings of a line take its markers in turn.
    used: dict[int, int] = {}
    for text, line, finding in found:
        name = format_loc(text.loc) if text.loc else BODY
        written = lines[line - 1] if 0 < line <= len(lines) else ""
        reasons = _reasons(written, text)
        turn = used.get(line, 0)
        used[line] = turn + 1
        reason = reasons[turn] if turn < len(reasons) else None
        if reason:
            key = finding_key(text.text[finding.start : finding.end])
            report.accepted.append(
                Accepted(document.path, line, name, finding.description, reason, key)
            )
            continue
        error = text.partners or text.reference
        where = (
            "a case or worker reference"
            if text.reference
            else "text partner boroughs would read"
            if text.partners
            else "internal text"
        )
        marker = "'<!-- pii-ok: reason -->'" if not text.loc else "'# pii-ok: reason'"
        if reason == "":
            hint = f"a pii-ok marker needs a reason, e.g. {marker}"
        elif reasons:
            hint = f"each finding on a line needs its own pii-ok marker, e.g. {marker}"
        else:
            hint = f"if it is not personal data, say why at the end of the line: {marker}"
        report.problems.append(
            Problem(
                document.path,
                line,
                name,
                f"{finding.description} in {where}; service users appear only by case "
                f"reference and staff by role ({hint})",
                Severity.ERROR if error else Severity.WARNING,
            )
        )


def _any_findings(document: SourceDocument, scan: _Scanner) -> bool:
    """Whether any text of ``document`` (every text ``_texts`` could give, and
    perhaps more) has a finding: most files have none, and this says so without
    working out where each text is and who reads it."""
    texts: list[str] = []
    if isinstance(document.data, Mapping):
        _leaf_texts(document.data, texts)
    if document.body.strip():
        texts.append(document.body)
    return scan.any_found(texts)


def _leaf_texts(value: Any, into: list[str]) -> None:
    """The texts ``_leaves`` gives, without their places, into ``into``."""
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        into.append(str(value))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                if item.__class__ is str:
                    into.append(item)
                else:
                    _leaf_texts(item, into)
    elif isinstance(value, Sequence):
        for item in value:
            if item.__class__ is str:
                into.append(item)
            else:
                _leaf_texts(item, into)


def _internal_cases_named(document: SourceDocument, report: GuardReport) -> None:
    """In minutes shared with partners, a case note kept internal must not be named
    in what is shared: the minutes, the other case notes, the actions."""
    parts = document.path.split("/")
    data = document.data
    if not (len(parts) == 4 and parts[2] == "governance" and isinstance(data, Mapping)):
        return
    cases = data.get("cases") if isinstance(data.get("cases"), list) else []
    assert isinstance(cases, list)
    internal = {
        str(case.get("ref")): index
        for index, case in enumerate(cases)
        if isinstance(case, Mapping) and case.get("ref") and case.get("audience") == "internal"
    }
    if not shared(data.get("audience")) or not internal:
        return
    for text in _texts(document):
        if not text.partners:
            continue
        for ref, index in internal.items():
            for match in re.finditer(rf"(?<![\w-]){re.escape(ref)}(?![\w-])", text.text):
                line = text.line
                if not text.loc:
                    line += text.text.count("\n", 0, match.start())
                report.problems.append(
                    Problem(
                        document.path,
                        line,
                        format_loc(text.loc) if text.loc else BODY,
                        f"names case {ref}, whose note is kept internal (cases[{index}] has "
                        "audience: internal), in text partner boroughs would read; leave the "
                        "reference out here, or share the case note too",
                    )
                )


# Where another marker starts inside a comment's reason; the parts are stripped after.
_ANOTHER_MARKER = re.compile(r"pii-ok\s*:?", re.I)


def _reasons(line: str, text: _Text) -> list[str]:
    """The reasons of the markers on ``line`` that may accept findings in ``text``:
    HTML comments in a Markdown body, YAML comments beside a field. A marker written
    inside a field's own value is not one: it would be published with the value.
    One comment may hold several: ``# pii-ok: duty number; pii-ok: office postcode``.
    """
    if text.loc and "pii-ok" in text.text.lower():
        return []
    return list(_markers_of(line)[1 if text.loc else 0])


@functools.lru_cache(maxsize=256)
def _markers_of(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The reasons of a line's markers: its HTML comments' and its YAML comments'.
    Kept, since each finding on a line asks again."""
    html_reasons: list[str] = []
    yaml_reasons: list[str] = []
    for marker in find_markers(line):
        is_comment = line.startswith("<!--", marker.start)
        parts = [part.strip(" \t;,#") for part in _ANOTHER_MARKER.split(marker.reason)]
        (html_reasons if is_comment else yaml_reasons).extend(parts)
    return tuple(html_reasons), tuple(yaml_reasons)


def withhold(message: str, deny: DenyList | None) -> str:
    """``message`` with anything in it that looks like personal data taken out.

    For the messages of other checks, which quote what they refuse: a case
    reference that is a name and an NHS number is refused, but never printed.
    """
    findings = find_personal_data(message, deny)
    for finding in reversed(findings):
        message = (
            f"{message[: finding.start]}[{finding.description} withheld]{message[finding.end :]}"
        )
    return message


def _texts(document: SourceDocument) -> Iterator[_Text]:
    path = document.path
    parts = path.split("/")
    data = document.data if isinstance(document.data, Mapping) else {}
    if parts[0] == "standards" or parts[-1] == "borough.yml":
        # The rulebook and the councils' names are on every edition.
        yield from _strings(document, data, lambda loc: (True, False))
        yield from _body(document, True)
    elif parts[-1] == "team.yml":
        described = shared(data.get("audience"))  # covers the description only
        yield from _strings(
            document, data, lambda loc: (loc[:1] != ("description",) or described, False)
        )
    elif len(parts) == 4 and parts[2] == "governance":
        yield from _meeting(document, data)
    elif len(parts) == 4:
        yield from _review(document, data)


# Who reads what follows generator/audience.py, which makes the partner edition.


def _review(document: SourceDocument, data: Mapping[str, Any]) -> Iterator[_Text]:
    whole = shared(data.get("audience"))
    ratings = data.get("ratings") if isinstance(data.get("ratings"), Mapping) else {}
    assert isinstance(ratings, Mapping)

    def who(loc: Loc) -> tuple[bool, bool]:
        head = loc[0] if loc else ""
        if head == "cases" and len(loc) == 3 and loc[2] in ("ref", "worker"):
            return whole, True
        if head == "reviewers":
            return False, False  # names are never on the partner edition
        if head == "ratings" and len(loc) == 3 and loc[2] == "note":
            entry = ratings.get(loc[1])
            audience = entry.get("audience") if isinstance(entry, Mapping) else None
            return shared(audience, data.get("audience") or "internal"), False
        if head in ("actions", "amendments") and len(loc) == 3:
            # Owners and who agreed an amendment are roles, shown on both editions.
            return (loc[2] in ("owner", "by", "id", "status")) or whole, False
        if head == "cases":
            return whole, False
        return True, False

    yield from _strings(document, data, who)
    yield from _body(document, whole)


def _meeting(document: SourceDocument, data: Mapping[str, Any]) -> Iterator[_Text]:
    whole = shared(data.get("audience"))
    cases = data.get("cases") if isinstance(data.get("cases"), list) else []
    assert isinstance(cases, list)

    def who(loc: Loc) -> tuple[bool, bool]:
        if loc[:1] == ("cases",) and len(loc) >= 2 and isinstance(loc[1], int):
            case = cases[loc[1]] if loc[1] < len(cases) else None
            audience = case.get("audience") if isinstance(case, Mapping) else None
            return whole and shared(audience, "partners"), loc[2:] == ("ref",)
        return whole, False

    yield from _strings(document, data, who)
    yield from _body(document, whole)


def _strings(
    document: SourceDocument, data: Any, who: Callable[[Loc], tuple[bool, bool]]
) -> Iterator[_Text]:
    for loc, text in _leaves(data, ()):
        partners, reference = who(loc)
        yield _Text(loc, text, document.line_of(loc), partners, reference)


def _leaves(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # `ref: 9434765919` unquoted is a number to YAML, and text to the models.
        yield loc, str(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield from _leaves(item, (*loc, key))
    elif isinstance(value, Sequence):
        for index, item in enumerate(value):
            yield from _leaves(item, (*loc, index))


def _body(document: SourceDocument, partners: bool) -> Iterator[_Text]:
    if document.body.strip():
        yield _Text((), document.body, document.body_line, partners)
