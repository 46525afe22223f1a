"""Validate: turn loaded files into a Programme, collecting every problem.

Each file is checked against its model (``models``), then against the rules
that need other files: the framework's scale and versions, the catalogue of
standards, the teams of a borough. Nothing stops at the first problem.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.core.problems import FILE, Problem, Severity, did_you_mean, excerpt, sort_problems
from generator.load.repository import (
    BOROUGH_FILE,
    GOVERNANCE_FOLDER,
    TEAM_FILE,
    BoroughFolder,
    LoadedRepository,
    Loc,
    SourceDocument,
    TeamFolder,
    format_loc,
)
from generator.model.content import (
    KEBAB_ID_PATTERN,
    Action,
    Borough,
    FileModel,
    Framework,
    Meeting,
    Review,
    Scale,
    Standard,
    Team,
)
from generator.model.programme import (
    BoroughRecord,
    MeetingRecord,
    Programme,
    ReviewRecord,
    TeamRecord,
)
from generator.privacy.guard import Accepted

M = TypeVar("M", bound=FileModel)

_DATED_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.md", re.IGNORECASE)
_DAY_FIRST_NAME = re.compile(r"(\d{2})[-_.](\d{2})[-_.](\d{4})\.md", re.IGNORECASE)
_STANDARD_NAME = re.compile(r"([A-Z]+[0-9]+)-[a-z0-9]+(-[a-z0-9]+)*\.md")
_KEBAB = re.compile(KEBAB_ID_PATTERN)


@dataclass
class _Parsed(Generic[M]):
    model: M | None
    pruned: set[Loc]  # entries dropped to salvage the rest
    complete: bool  # validated as written, nothing mended


@dataclass
class _Mended:
    handled: set[Loc]  # problems whose entries were mended in place
    implied: set[Loc]  # problems that only repeat a mended one
    renamed: dict[Loc, Loc]  # a key's mended location -> where it is written


@dataclass
class Validation:
    """The outcome: the programme (None when the framework is unusable) and problems."""

    programme: Programme | None
    problems: list[Problem]
    # Personal-data findings a pii-ok marker accepted (see generator/guard.py).
    accepted: list[Accepted] = field(default_factory=list)


def validate_repository(loaded: LoadedRepository, as_of: dt.date) -> Validation:
    """Check everything in ``loaded``; ``as_of`` is "today" for future-date rules."""
    checker = _Checker(as_of)
    programme = checker.run(loaded)
    return Validation(programme, sort_problems([*loaded.problems, *checker.problems]))


class _Checker:
    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.problems: list[Problem] = []
        self.framework: Framework | None = None
        self.scale: Scale | None = None
        self.standards: dict[str, Standard] = {}
        self._stray: set[str] = set()
        # Ids of standards whose own file is broken: references to them are
        # neither confirmed nor reported, so one mistake is reported once.
        self.uncertain_standards: set[str] = set()
        # For mended files: keys as renamed for checking -> as written.
        self._renames: dict[str, dict[Loc, Loc]] = {}
        # For partially parsed files: original list positions of the kept items.
        self._index_maps: dict[str, dict[str, list[int]]] = {}

    # -- reporting ---------------------------------------------------------

    def error(self, doc: SourceDocument | str, loc: Loc | str, message: str) -> None:
        self._add(doc, loc, message, Severity.ERROR)

    def warn(self, doc: SourceDocument | str, loc: Loc | str, message: str) -> None:
        self._add(doc, loc, message, Severity.WARNING)

    def _add(self, doc: SourceDocument | str, loc: Loc | str, message: str, sev: Severity) -> None:
        if isinstance(doc, str):  # a path with no document: a missing file or a folder
            self.problems.append(Problem(doc, 1, str(loc), message, sev))
            return
        if isinstance(loc, str):
            self.problems.append(Problem(doc.path, 1, loc, message, sev))
            return
        loc = self._as_written(doc, loc)
        self.problems.append(Problem(doc.path, doc.line_of(loc), format_loc(loc), message, sev))

    def _as_written(self, doc: SourceDocument, loc: Loc) -> Loc:
        """Where ``loc`` of a mended file stands in the file as written."""
        for mended, written in self._renames.get(doc.path, {}).items():
            if loc[: len(mended)] == mended:
                loc = (*written, *loc[len(mended) :])
                break
        kept = self._index_maps.get(doc.path, {})
        if len(loc) > 1 and isinstance(loc[1], int) and str(loc[0]) in kept:
            loc = (loc[0], kept[str(loc[0])][loc[1]], *loc[2:])
        return loc

    # -- the run -----------------------------------------------------------

    def run(self, loaded: LoadedRepository) -> Programme | None:
        for path in loaded.stray:
            if path in loaded.stray_contents:
                self._check_stray_folder(path, loaded.stray_contents[path])
            else:
                self._check_stray(path)
        self._stray = set(loaded.stray)

        if loaded.framework is None:
            self.error("standards/framework.yml", FILE, "missing: the framework file is required")
        else:
            self.framework = self._parse(Framework, loaded.framework)
            if self.framework is not None:
                self._check_framework(self.framework)

        self.standards = self._check_standards(loaded.standards)
        boroughs = {}
        for folder in loaded.boroughs:
            record = self._check_borough(folder)
            if record is not None:
                boroughs[record.id] = record
        if self.framework is None:
            return None
        return Programme(self.framework, self.standards, boroughs)

    def _check_stray(self, path: str) -> None:
        """A file the format does not read: an error when it looks like content."""
        name = path.rsplit("/", 1)[-1]
        stem, _, suffix = name.lower().rpartition(".")
        if path.endswith(f"/{GOVERNANCE_FOLDER}/{TEAM_FILE}"):
            self.error(path, FILE, "'governance' is reserved for board meetings, not a team")
        elif stem in {"framework", "borough", "team"} and suffix in {"yml", "yaml"}:
            self.error(path, FILE, f"not read: the file must be named '{stem}.yml'")
        elif suffix in {"md", "markdown"}:
            self.error(
                path,
                FILE,
                "not read: reviews go in reviews/<borough>/<team>/YYYY-MM-DD.md, "
                "meetings in reviews/<borough>/governance/YYYY-MM-DD.md",
            )
        else:
            self.warn(path, FILE, "not part of the content format; ignored")

    def _check_stray_folder(self, path: str, files: list[str]) -> None:
        markdown = [f for f in files if f.lower().endswith((".md", ".markdown"))]
        if markdown:
            shown = ", ".join(markdown[:3]) + (", ..." if len(markdown) > 3 else "")
            where = (
                "standards go in standards/<ID>-<slug>.md"
                if path.startswith("standards/")
                else "reviews go in reviews/<borough>/<team>/YYYY-MM-DD.md"
            )
            self.error(
                path,
                FILE,
                f"folder not read, but it holds {len(markdown)} Markdown "
                f"file{'s' if len(markdown) > 1 else ''} ({shown}); {where}",
            )
        else:
            self.warn(path, FILE, "folder not part of the content format; ignored")

    def _missing(self, path: str, message: str) -> None:
        """Report a missing file, unless it exists under a name already reported."""
        folder, _, name = path.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        misnamed = {f"{folder}/{stem}.yml".lower(), f"{folder}/{stem}.yaml".lower()}
        if not any(other.lower() in misnamed for other in self._stray):
            self.error(path, FILE, message)

    # -- shape -------------------------------------------------------------

    def _parse(self, model: type[M], doc: SourceDocument) -> M | None:
        """The file as ``model``, or None after reporting why it does not fit."""
        parsed = self._parse_partial(model, doc)
        return parsed.model if parsed.complete else None

    def _parse_partial(self, model: type[M], doc: SourceDocument) -> _Parsed[M]:
        """Like ``_parse``, but salvage what fits so cross-file rules still run.

        After reporting the shape problems, the file is mended for checking
        only: a misspelt key takes the name it was meant to have, a misspelt
        choice the value it was meant to be, and anything else wrong (a list
        item, a map entry, an optional key) is dropped. ``pruned`` says what was
        dropped, so that rules which count entries (every standard rated, every
        low rating has an action) do not report consequences of problems
        already reported. A mended file is never published.
        """
        if doc.data is None:  # the loader has already said why
            return _Parsed(None, set(), complete=False)
        if not isinstance(doc.data, dict):
            self.error(
                doc, FILE, f"expected 'key: value' lines at the top, got {_describe(doc.data)}"
            )
            return _Parsed(None, set(), complete=False)
        data: dict[str, Any] = doc.data  # copied before the first mend, never changed
        kept: dict[str, list[int]] = {}  # list key -> original index of each kept item
        pruned: set[Loc] = set()
        for attempt in range(4):
            try:
                parsed = model.model_validate(data)
            except ValidationError as exc:
                if data is doc.data:
                    data = copy.deepcopy(doc.data)
                details = [(self._explain(model, d), d) for d in exc.errors()]
                mended = _mend(model, data, [(loc, d) for (loc, _), d in details])
                self._renames.setdefault(doc.path, {}).update(mended.renamed)
                for (loc, message), _ in details:
                    # "staus: unknown key; did you mean 'status'?" says it all:
                    # 'status' is not also reported missing.
                    if attempt == 0 and loc not in mended.implied:
                        self.error(doc, loc, message)
                rest = [loc for (loc, _), _ in details if loc not in mended.handled]
                if not _prune(model, data, rest, kept, pruned):
                    return _Parsed(None, pruned, complete=False)
                continue
            parsed.attach(doc)
            if kept:
                self._index_maps[doc.path] = kept
            return _Parsed(parsed, pruned, complete=attempt == 0)
        return _Parsed(None, pruned, complete=False)

    def _explain(self, model: type[BaseModel], detail: ErrorDetails) -> tuple[Loc, str]:
        loc: Loc = tuple(p for p in detail["loc"] if not _is_internal_loc(p))
        kind = detail["type"]
        value = detail.get("input")
        ctx = detail.get("ctx") or {}
        if detail["loc"] and detail["loc"][-1] == "[key]":
            return loc, f"{detail['msg']}{_suggest_standard(loc[-1], self.standards)}"
        if kind == "missing":
            return loc, "required key is missing"
        if kind == "extra_forbidden":
            allowed = _allowed_keys(model, loc[:-1])
            hint = did_you_mean(loc[-1], allowed)
            if not hint and allowed:
                hint = "; expected one of: " + ", ".join(allowed)
            return loc, f"unknown key{hint}"
        if kind == "literal_error":
            options = _literal_options(detail)
            hint = did_you_mean(value, options)
            return loc, f"expected one of {', '.join(options)}; got {_describe(value)}{hint}"
        if kind == "string_type":
            if isinstance(value, bool):
                return loc, (
                    "expected text, got a yes/no value (YAML reads yes, no, on, off, "
                    "true and false as true/false); put the text in quotes"
                )
            if value is None:
                return loc, "a value is required here (the key is blank)"
            return loc, f"expected text, got {_describe(value)}"
        if kind in {"dict_type", "model_type", "model_attributes_type"}:
            return loc, f"expected 'key: value' lines (a mapping), got {_describe(value)}"
        if kind == "list_type":
            return loc, f"expected a list ([a, b] or lines starting '- '), got {_describe(value)}"
        if kind in {"int_type", "int_parsing", "int_from_float"}:
            return loc, f"expected a whole number, got {_describe(value)}"
        if kind in {"float_type", "float_parsing", "finite_number"}:
            return loc, f"expected a number, got {_describe(value)}"
        if kind in {"bool_type", "bool_parsing"}:
            return loc, f"expected true or false, got {_describe(value)}"
        if kind == "too_short":
            count = ctx.get("min_length", 1)
            return loc, f"needs at least {count} {'entry' if count == 1 else 'entries'}"
        if kind == "greater_than_equal":
            return loc, f"must be at least {ctx.get('ge')}, got {_describe(value)}"
        return loc, str(detail["msg"])

    # -- the framework -----------------------------------------------------

    def _check_framework(self, fw: Framework) -> None:
        doc = fw.source
        self._check_unique(doc, "scale", "label", [lv.label.lower() for lv in fw.scale], "label")
        for index in range(1, len(fw.scale)):
            if fw.scale[index].value >= fw.scale[index - 1].value:
                self.error(
                    doc,
                    ("scale", index, "value"),
                    "the scale lists the best level first: each value must be lower "
                    f"than the one before ({fw.scale[index - 1].value})",
                )
        self.scale = Scale(fw)
        before = len(self.problems)
        self._check_label(doc, ("adequate_or_above",), fw.adequate_or_above)
        one = self._check_label(
            doc, ("critical_limits", "one_inadequate"), fw.critical_limits.one_inadequate
        )
        two = self._check_label(
            doc,
            ("critical_limits", "two_or_more_inadequate"),
            fw.critical_limits.two_or_more_inadequate,
        )
        labels = self.scale.labels
        if one is not None and two is not None and labels.index(two) < labels.index(one):
            self.error(
                doc,
                ("critical_limits", "two_or_more_inadequate"),
                f"two or more critical standards rated {labels[-1]} cannot allow a better "
                f"overall rating ({two}) than one does ({one})",
            )
        bands = self._check_per_label(doc, "bands", fw.bands)
        self._check_per_label(doc, "review_interval_months", fw.review_interval_months)
        # If the framework's own labels disagree, which spelling is right is
        # unknown: checking every rating against the scale would only tell
        # reviewers to copy the mistake. Its labels are checked once it is fixed.
        scale_in_doubt = len(self.problems) > before
        self._check_unique(doc, "domains", "id", [d.id for d in fw.domains], "id")
        self._check_unique(doc, "evidence_sources", "id", [e.id for e in fw.evidence_sources], "id")
        if len(bands) == len(self.scale.labels):
            ordered = [bands[label] for label in self.scale.labels]
            for index in range(1, len(ordered)):
                if ordered[index] >= ordered[index - 1]:
                    label = self.scale.labels[index]
                    self.error(
                        doc,
                        ("bands", _key_as_written(fw.bands, label)),
                        f"the band for '{label}' must start below the band for the level "
                        f"above it ({ordered[index - 1]:g})",
                    )
            if ordered[-1] != 0:
                label = self.scale.labels[-1]
                self.error(
                    doc,
                    ("bands", _key_as_written(fw.bands, label)),
                    f"the lowest level's band must start at 0, so that every percentage "
                    f"has a rating (got {ordered[-1]:g})",
                )
        if scale_in_doubt:
            self.scale = None

    def _check_unique(
        self,
        doc: SourceDocument,
        key: str,
        field: str,
        values: Sequence[str],
        what: str,
        why: str = "",
    ) -> None:
        """Report each entry of list ``key`` whose ``field`` repeats an earlier one."""
        first: dict[str, int] = {}
        for index, value in enumerate(values):
            if value in first:
                self.error(
                    doc,
                    (key, index, field),
                    f"{what} '{value}' is already used in "
                    f"{format_loc(self._as_written(doc, (key, first[value])))}{why}",
                )
            first.setdefault(value, index)

    def _check_per_label(
        self, doc: SourceDocument, key: str, mapping: dict[str, Any]
    ) -> dict[str, Any]:
        """Check a map keyed by scale label; return it keyed by canonical label."""
        assert self.scale is not None
        resolved: dict[str, Any] = {}
        for written, value in mapping.items():
            label = self.scale.resolve(written)
            if label is None:
                hint = did_you_mean(written, self.scale.labels)
                self.error(doc, (key, written), f"'{written}' is not a label of the scale{hint}")
            else:
                resolved[label] = value
        for label in self.scale.labels:
            if label not in resolved:
                self.error(doc, (key,), f"no entry for '{label}': every scale label needs one")
        return resolved

    def _check_label(self, doc: SourceDocument, loc: Loc, written: str) -> str | None:
        """The canonical label for ``written``, reporting it when it is not on the scale."""
        if self.scale is None:
            return None
        label = self.scale.resolve(written)
        if label is None:
            hint = did_you_mean(written, self.scale.labels)
            if not hint:
                hint = "; expected one of: " + ", ".join(self.scale.labels)
            self.error(doc, loc, f"'{written}' is not a rating on the scale{hint}")
        return label

    # -- standards ---------------------------------------------------------

    def _check_standards(self, docs: list[SourceDocument]) -> dict[str, Standard]:
        fw = self.framework
        standards: dict[str, Standard] = {}
        for doc in docs:
            name_match = _STANDARD_NAME.fullmatch(doc.name)
            if name_match is None:
                self.error(
                    doc,
                    FILE,
                    f"file name must be <ID>-<slug>.md, like S07-safeguarding-enquiries.md; "
                    f"got '{doc.name}'",
                )
            standard = self._parse(Standard, doc)
            if standard is None:
                if name_match is not None:
                    self.uncertain_standards.add(name_match.group(1))
                continue
            if name_match is not None and name_match.group(1) != standard.id:
                self.uncertain_standards.update({standard.id, name_match.group(1)})
                self.error(
                    doc,
                    ("id",),
                    f"id '{standard.id}' does not match the file name, which starts "
                    f"'{name_match.group(1)}'",
                )
            if standard.id in standards:
                other = standards[standard.id].source
                self.error(
                    doc,
                    ("id",),
                    f"id '{standard.id}' is already used by {other.path}:{other.line_of(('id',))}",
                )
                continue
            standards[standard.id] = standard
            if fw is None:
                continue
            domains = [d.id for d in fw.domains]
            if standard.domain not in domains:
                hint = did_you_mean(standard.domain, domains)
                self.error(
                    doc, ("domain",), f"no domain '{standard.domain}' in framework.yml{hint}"
                )
            self._check_evidence_ids(doc, ("evidence",), standard.evidence)
            if self.scale is not None:
                self._check_per_label(doc, "descriptors", standard.descriptors)
            if standard.introduced > fw.version:
                self.error(
                    doc,
                    ("introduced",),
                    f"version {standard.introduced} is later than the framework's "
                    f"current version ({fw.version})",
                )
            if standard.retired is not None and standard.retired <= standard.introduced:
                self.error(
                    doc,
                    ("retired",),
                    f"must be after the version it was introduced in ({standard.introduced})",
                )
        return dict(sorted(standards.items()))

    def _check_evidence_ids(self, doc: SourceDocument, loc: Loc, ids: Sequence[str]) -> None:
        if self.framework is None:
            return
        known = [e.id for e in self.framework.evidence_sources]
        for index, source_id in enumerate(ids):
            if source_id not in known:
                hint = did_you_mean(source_id, known)
                self.error(doc, (*loc, index), f"no evidence source '{source_id}'{hint}")

    def _check_standard_ref(
        self, doc: SourceDocument, loc: Loc, standard_id: str, version: int | None
    ) -> bool:
        """Whether ``standard_id`` is a standard of ``version``; report it if not."""
        if not self.standards or standard_id in self.uncertain_standards:
            return False
        standard = self.standards.get(standard_id)
        if standard is None:
            hint = _suggest_standard(standard_id, self.standards)
            self.error(doc, loc, f"no standard '{standard_id}' in the catalogue{hint}")
            return False
        if version is not None and not standard.in_version(version):
            self.error(
                doc, loc, f"standard '{standard_id}' is not part of framework version {version}"
            )
            return False
        return True

    # -- boroughs and teams ------------------------------------------------

    def _check_folder_id(self, path: str, folder_id: str, what: str) -> bool:
        if _KEBAB.fullmatch(folder_id):
            return True
        suggestion = re.sub(r"[^a-z0-9]+", "-", folder_id.lower()).strip("-")
        self.error(
            path,
            FILE,
            f"folder name is the {what} id and must be lower-case letters, digits and "
            f"hyphens; rename '{folder_id}' to '{suggestion}'",
        )
        return False

    def _check_borough(self, folder: BoroughFolder) -> BoroughRecord | None:
        ok = self._check_folder_id(folder.path, folder.id, "borough")
        if folder.borough is None:
            self._missing(
                f"{folder.path}/{BOROUGH_FILE}",
                "missing: every borough folder needs a borough.yml with 'name' and 'short'",
            )
            borough = None
        else:
            borough = self._parse(Borough, folder.borough)

        teams: dict[str, TeamRecord] = {}
        for team_folder in folder.teams:
            team = self._check_team_folder(folder.id, team_folder)
            if team is not None:
                teams[team.id] = team
        for record in teams.values():
            self._check_replacements(record, teams)
        for team_folder in folder.teams:
            reviews = self._check_reviews(folder.id, teams.get(team_folder.id), team_folder)
            if team_folder.id in teams:
                teams[team_folder.id].reviews = reviews

        meetings = self._check_meetings(folder.id, folder.meetings, teams, folder.teams)
        if borough is None or not ok:
            return None
        return BoroughRecord(folder.id, borough, teams, meetings)

    def _check_team_folder(self, borough_id: str, folder: TeamFolder) -> TeamRecord | None:
        ok = self._check_folder_id(folder.path, folder.id, "team")
        if folder.team is None:
            self._missing(
                f"{folder.path}/{TEAM_FILE}",
                "missing: every team folder needs a team.yml with 'name' and 'service'",
            )
            return None
        team = self._parse(Team, folder.team)
        if team is None or not ok:
            return None
        if team.established and team.closed and team.closed < team.established:
            self.error(
                team.source,
                ("closed",),
                f"closed before the team was established ({team.established})",
            )
            # Which date is wrong is unknown: check nothing else against them.
            team = team.model_copy(update={"established": None, "closed": None})
            team.attach(folder.team)
        return TeamRecord(folder.id, borough_id, team)

    def _check_replacements(self, record: TeamRecord, teams: dict[str, TeamRecord]) -> None:
        team = record.team
        for index, other in enumerate(team.replaced_by):
            if other == record.id:
                self.error(team.source, ("replaced_by", index), "a team cannot replace itself")
            elif other not in teams:
                hint = did_you_mean(other, teams)
                self.error(
                    team.source,
                    ("replaced_by", index),
                    f"no team '{other}' in this borough{hint}",
                )
        if team.replaced_by and team.closed is None:
            self.warn(
                team.source,
                ("replaced_by",),
                "replaced_by is given but the team has no 'closed' date",
            )

    # -- reviews -----------------------------------------------------------

    def _dated_documents(
        self, docs: Iterable[SourceDocument]
    ) -> list[tuple[dt.date, SourceDocument]]:
        """Documents whose file name is a real date; report the others and duplicates."""
        dated: list[tuple[dt.date, SourceDocument]] = []
        by_date: dict[dt.date, SourceDocument] = {}
        for doc in docs:
            date = self._date_from_name(doc)
            if date is None:
                continue
            if date in by_date:
                self.error(
                    doc,
                    FILE,
                    f"another file has the same date: {by_date[date].path} "
                    "(one review or meeting per date)",
                )
                continue
            by_date[date] = doc
            dated.append((date, doc))
        return sorted(dated, key=lambda pair: pair[0])

    def _date_from_name(self, doc: SourceDocument) -> dt.date | None:
        match = _DATED_NAME.fullmatch(doc.name)
        if match is None:
            day_first = _DAY_FIRST_NAME.fullmatch(doc.name)
            hint = ""
            if day_first:
                day, month, year = day_first.groups()
                hint = f"; did you mean '{year}-{month}-{day}.md'?"
            self.error(
                doc,
                FILE,
                f"file name must be the date, as YYYY-MM-DD.md; got '{doc.name}'{hint}",
            )
            return None
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            self.error(doc, FILE, f"file name '{doc.name}' is not a real calendar date")
            return None

    def _check_reviews(
        self, borough_id: str, record: TeamRecord | None, folder: TeamFolder
    ) -> list[ReviewRecord]:
        """Check a team folder's reviews (even when its team.yml is unusable)."""
        reviews = []
        team = record.team if record else None
        for date, doc in self._dated_documents(folder.reviews):
            parsed = self._parse_partial(Review, doc)
            review, pruned = parsed.model, parsed.pruned
            if review is None:
                continue
            if team and team.closed and date > team.closed:
                self.error(doc, FILE, f"dated after the team closed ({team.closed})")
            if team and team.established and date < team.established:
                self.error(doc, FILE, f"dated before the team was established ({team.established})")
            if review.status == "presented" and date > self.as_of:
                self.error(
                    doc,
                    FILE,
                    f"a presented review cannot be dated after today ({self.as_of}); "
                    "check the date in the file name",
                )
            self._check_review(review, date, pruned)
            if record is not None and parsed.complete:
                reviews.append(ReviewRecord(borough_id, record.id, date, review, doc.body, doc))
        return reviews

    def _check_review(self, review: Review, date: dt.date, pruned: set[Loc]) -> None:
        doc = review.source
        fw = self.framework
        final = review.status != "draft"
        version: int | None = review.framework_version
        if fw is not None and review.framework_version > fw.version:
            self.error(
                doc,
                ("framework_version",),
                f"there is no framework version {review.framework_version} "
                f"(the framework is at version {fw.version})",
            )
            version = None
        # After a misspelt key (reviewer:) the list is missing: that is reported already.
        if (
            final
            and not any(len(loc) == 1 for loc in pruned)
            and not _touched(pruned, "reviewers")
            and not any(r.role == "lead" for r in review.reviewers)
        ):
            self.warn(doc, ("reviewers",), "no reviewer has the role 'lead'")
        self._check_evidence_ids(doc, ("evidence",), review.evidence)

        ratings: dict[str, str] = {}  # standard id -> canonical label
        for standard_id, entry in review.ratings.items():
            loc: Loc = ("ratings", standard_id)
            known = self._check_standard_ref(doc, loc, standard_id, version)
            self._check_evidence_ids(doc, (*loc, "evidence"), entry.evidence)
            if entry.rating is None:
                if final:
                    self.error(
                        doc, loc, f"no rating given; a {review.status} review rates every standard"
                    )
                continue
            # Point at the 'rating:' line when the rating is written as a map.
            label_loc = (*loc, "rating") if (*loc, "rating") in doc.positions else loc
            label = self._check_label(doc, label_loc, entry.rating)
            if known and label is not None:
                ratings[standard_id] = label

        if final and version is not None and self.standards and ("ratings",) not in pruned:
            expected = [s.id for s in self.standards.values() if s.in_version(version)]
            if not review.ratings:
                self.error(
                    doc,
                    ("ratings",),
                    f"a {review.status} review rates all {len(expected)} standards of "
                    f"framework version {version}; none are rated",
                )
            else:
                # A key refused or reported for its spelling (s02, S2) still
                # means the standard is rated: that one mistake is reported once.
                written = [k for k in review.ratings] + [
                    str(loc[1]) for loc in pruned if loc[0] == "ratings" and len(loc) == 2
                ]
                salvaged_ids = {_canonical_standard(k, self.standards) for k in written}
                for standard_id in expected:
                    if (
                        standard_id not in review.ratings
                        and standard_id not in self.uncertain_standards
                        and standard_id not in salvaged_ids
                    ):
                        self.error(
                            doc,
                            ("ratings", standard_id),
                            f"{standard_id} is not rated; a {review.status} review rates "
                            f"every standard of framework version {version}",
                        )

        self._check_cases(review, version)
        self._check_actions(doc, review.actions, date, version)
        self._check_amendments(review, date)
        if final and not _touched(pruned, "actions"):
            self._check_action_coverage(review, ratings)

    def _check_cases(self, review: Review, version: int | None) -> None:
        doc = review.source
        final = review.status != "draft"
        # A blank reference (allowed in a draft) is never a duplicate of another.
        refs = [c.ref or f"\0{i}" for i, c in enumerate(review.cases)]
        self._check_unique(doc, "cases", "ref", refs, "case")
        workers = [c.worker for c in review.cases]
        why = "; the audit takes one case per social worker"
        self._check_unique(doc, "cases", "worker", workers, "worker", why)
        for index, case in enumerate(review.cases):
            loc: Loc = ("cases", index)
            if case.ref is None and final:
                self.error(
                    doc,
                    (*loc, "ref"),
                    f"no case reference given; a {review.status} review gives every "
                    "audited case its reference",
                )
            if not case.grades and final:
                self.warn(doc, loc, "case audit has no grades")
            for standard_id, written in case.grades.items():
                grade_loc: Loc = (*loc, "grades", standard_id)
                self._check_standard_ref(doc, grade_loc, standard_id, version)
                self._check_label(doc, grade_loc, written)

    def _check_actions(
        self, doc: SourceDocument, actions: Sequence[Action], date: dt.date, version: int | None
    ) -> None:
        self._check_unique(doc, "actions", "id", [a.id for a in actions], "action id")
        for index, action in enumerate(actions):
            loc: Loc = ("actions", index)
            for position, standard_id in enumerate(action.standards):
                self._check_standard_ref(doc, (*loc, "standards", position), standard_id, version)
            if action.due <= date:
                self.error(
                    doc,
                    (*loc, "due"),
                    f"due {action.due}, which is not after the date of the file ({date})",
                )
            if action.status == "done" and action.completed is None:
                self.error(
                    doc,
                    (*loc, "completed"),
                    "a done action needs its completion date (completed: YYYY-MM-DD)",
                )
            if action.status == "open" and action.completed is not None:
                self.warn(
                    doc,
                    (*loc, "completed"),
                    "a completion date is given but the status is 'open', so the action "
                    "counts as open; if it is finished, set status: done",
                )
            if action.completed is not None and action.completed > self.as_of:
                self.error(
                    doc,
                    (*loc, "completed"),
                    f"{action.completed} is in the future (today is {self.as_of})",
                )

    def _check_amendments(self, review: Review, date: dt.date) -> None:
        doc = review.source
        if review.amendments and review.status != "presented":
            self.error(
                doc,
                ("amendments",),
                f"amendments record changes made after a review was presented; this review "
                f"is {review.status}, so change it directly and remove the amendments",
            )
        for index, amendment in enumerate(review.amendments):
            loc: Loc = ("amendments", index, "date")
            if amendment.date < date:
                self.error(doc, loc, f"{amendment.date} is before the review ({date})")
            elif amendment.date > self.as_of:
                self.error(doc, loc, f"{amendment.date} is in the future (today is {self.as_of})")

    def _check_action_coverage(self, review: Review, ratings: dict[str, str]) -> None:
        """Every Inadequate standard, and every critical one below Good, needs an action."""
        if self.scale is None or self.framework is None:
            return
        labels = self.scale.labels
        # "Below Good" in the contract: at or below the adequate-or-above line.
        line = self.scale.resolve(self.framework.adequate_or_above)
        line_index = labels.index(line) if line is not None else len(labels)
        addressed = {s for action in review.actions for s in action.standards}
        for standard_id, label in ratings.items():
            if standard_id in addressed:
                continue
            if label == labels[-1]:
                reason = f"rated {label}"
            elif self.standards[standard_id].critical and labels.index(label) >= line_index:
                reason = f"a critical standard rated {label}"
            else:
                continue
            self.error(
                review.source,
                ("ratings", standard_id),
                f"{reason} but no action names it; add an action with standards: [{standard_id}]",
            )

    # -- governance board --------------------------------------------------

    def _check_meetings(
        self,
        borough_id: str,
        docs: list[SourceDocument],
        teams: dict[str, TeamRecord],
        folders: list[TeamFolder],
    ) -> list[MeetingRecord]:
        # A team whose team.yml is broken still exists: don't call it unknown.
        team_ids = sorted({f.id for f in folders})
        version = self.framework.version if self.framework else None
        meetings = []
        for date, doc in self._dated_documents(docs):
            parsed = self._parse_partial(Meeting, doc)
            meeting = parsed.model
            if meeting is None:
                continue

            def check_team(
                loc: Loc, team_id: str | None, doc: SourceDocument = doc, date: dt.date = date
            ) -> None:
                self._check_board_team(doc, loc, team_id, date, team_ids, teams)

            if (
                not meeting.chairs
                and meeting.status != "draft"
                and not any(len(loc) == 1 for loc in parsed.pruned)
                and not _touched(parsed.pruned, "chairs")
            ):
                self.error(
                    doc,
                    ("chairs",),
                    "no chair given; approved minutes name at least one chair, by role",
                )
            for index, chair in enumerate(meeting.chairs):
                check_team(("chairs", index, "team"), chair.team)
            for index, rep in enumerate(meeting.representatives):
                check_team(("representatives", index, "team"), rep.team)
            for index, case in enumerate(meeting.cases):
                check_team(("cases", index, "team"), case.team)
                for position, standard_id in enumerate(case.standards):
                    self._check_standard_ref(
                        doc, ("cases", index, "standards", position), standard_id, version
                    )
            self._check_actions(doc, meeting.actions, date, version)
            if parsed.complete:
                meetings.append(MeetingRecord(borough_id, date, meeting, doc.body, doc))
        return meetings

    def _check_board_team(
        self,
        doc: SourceDocument,
        loc: Loc,
        team_id: str | None,
        date: dt.date,
        team_ids: list[str],
        teams: dict[str, TeamRecord],
    ) -> None:
        if team_id is None:
            return
        if team_id not in team_ids:
            hint = did_you_mean(team_id, team_ids)
            self.error(doc, loc, f"no team '{team_id}' in this borough{hint}")
            return
        team = teams.get(team_id)
        closed = team.team.closed if team else None
        # A case may concern a team's past work; chairs and representatives may not.
        if closed and closed < date and loc[0] != "cases":
            self.warn(doc, loc, f"team '{team_id}' closed on {closed}, before this meeting")


# --------------------------------------------------------------------------
# Helpers


def _canonical_standard(written: object, known: Iterable[str]) -> str | None:
    """The known id that ``written`` spells differently ('s07', 'S7', 'SO7' for 'S07')."""
    if not isinstance(written, str):
        return None
    if written in known:  # a set or a dict: the common case, answered at once
        return written
    wanted = re.fullmatch(r"([A-Za-z]+?)[Oo]?([0-9Oo]+)", written.strip())
    if wanted is None:
        return None
    letters, digits = wanted.group(1).upper(), wanted.group(2).upper().replace("O", "0")
    for candidate in sorted(known):
        match = re.fullmatch(r"([A-Z]+)([0-9]+)", candidate)
        if match and match.group(1) == letters and int(match.group(2)) == int(digits):
            return candidate
    return None


def _suggest_standard(written: object, known: Iterable[str]) -> str:
    """A hint for a mistyped standard id.

    Unlike words, ids one digit apart are different standards, so only
    spelling variants of the same id are suggested.
    """
    candidate = _canonical_standard(written, known)
    return f"; did you mean '{candidate}'?" if candidate and candidate != written else ""


def _mend(model: type[BaseModel], data: dict[str, Any], problems: list[tuple[Loc, Any]]) -> _Mended:
    """Rename misspelt keys and correct misspelt choices in ``data``, where clear.

    Only near-certain misspellings are mended (``staus``, ``presentd``): a
    guess such as ``not done`` for ``done`` would make up problems the
    reviewer never wrote.
    """
    mended = _Mended(set(), set(), {})
    for loc, detail in problems:
        parent = _container(data, loc[:-1])
        if not isinstance(parent, dict):
            continue
        if detail["type"] == "extra_forbidden":
            meant = _misspelling_of(loc[-1], _allowed_keys(model, loc[:-1]))
            if meant is not None and meant not in parent:
                parent[meant] = parent.pop(loc[-1])
                mended.handled.update({loc, (*loc[:-1], meant)})
                mended.implied.add((*loc[:-1], meant))
                mended.renamed[(*loc[:-1], meant)] = loc
        elif detail["type"] == "literal_error":
            meant = _misspelling_of(detail.get("input"), _literal_options(detail))
            if meant is not None:
                parent[loc[-1]] = meant
                mended.handled.add(loc)
    return mended


def _misspelling_of(written: object, options: Iterable[str]) -> str | None:
    """The option ``written`` is a near-certain misspelling of, if any."""
    if not isinstance(written, str):
        return None
    scored = sorted(
        (difflib.SequenceMatcher(None, written.lower(), option.lower()).ratio(), option)
        for option in options
    )
    if scored and scored[-1][0] >= 0.85:
        return scored[-1][1]
    return None


def _literal_options(detail: ErrorDetails) -> list[str]:
    """The choices a literal_error offered: pydantic gives them only as text."""
    return re.findall(r"'([^']*)'", str((detail.get("ctx") or {}).get("expected", "")))


def _container(data: Any, loc: Loc) -> Any:
    """The value at ``loc`` inside ``data``, or None when there is none."""
    for part in loc:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _touched(pruned: set[Loc], key: str) -> bool:
    return any(loc[0] == key for loc in pruned)


def _prune(
    model: type[BaseModel],
    data: dict[str, Any],
    locs: list[Loc],
    kept: dict[str, list[int]],
    pruned: set[Loc],
) -> bool:
    """Drop the entries at ``locs`` from ``data``; False when that cannot help."""
    doomed_items: dict[str, set[int]] = {}
    for loc in locs:
        if not loc or not isinstance(loc[0], str):
            return False
        key = loc[0]
        value = data.get(key)
        if len(loc) >= 2 and isinstance(value, list) and isinstance(loc[1], int):
            doomed_items.setdefault(key, set()).add(loc[1])
        elif len(loc) >= 2 and (key, loc[1]) in pruned:
            continue  # a second problem in an entry already dropped
        elif len(loc) >= 2 and isinstance(value, dict) and loc[1] in value:
            del value[loc[1]]
            pruned.add((key, loc[1]))
        elif key in data or len(loc) == 1:
            field = model.model_fields.get(key)
            # An unknown key or an optional one can go; a required one cannot.
            if (field is not None and field.is_required()) or key not in data:
                return False
            del data[key]
            pruned.add((key,))
        else:
            return False
    for key, indices in doomed_items.items():
        originals = kept.setdefault(key, list(range(len(data[key]))))
        for index in sorted(indices, reverse=True):
            pruned.add((key, originals[index]))
            del data[key][index]
            del originals[index]
    return True


def _key_as_written(mapping: dict[str, Any], label: str) -> str:
    return next((k for k in mapping if k.lower() == label.lower()), label)


def _is_internal_loc(part: str | int) -> bool:
    # pydantic adds validator names (function-after[...]) and "[key]" to locations.
    return isinstance(part, str) and (part == "[key]" or ("[" in part and "(" in part))


def _describe(value: object) -> str:
    if value is None:
        return "nothing (the value is blank)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "'key: value' lines (a mapping)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return f"a date ({value})"
    if isinstance(value, int | float):
        return f"the number {excerpt(value)}"
    return f"'{excerpt(value)}'"


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed at ``loc`` inside ``model``, for "did you mean" hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) is list:
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []
