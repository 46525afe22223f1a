"""What every rule reads and reports into: the rulebook checked so far, and the
problems found, each located where it is written in its file.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import ValidationError

from generator.check.mending import mend, prune
from generator.check.messages import describe, explain
from generator.core.problems import FILE, Problem, Severity
from generator.load.repository import Derived, Loc, SourceDocument, format_loc
from generator.model.base import FileModel
from generator.model.framework import Framework, Scale, Standard

M = TypeVar("M", bound=FileModel)


@dataclass
class Parsed(Generic[M]):
    model: M | None
    pruned: set[Loc]  # entries dropped to salvage the rest
    complete: bool  # validated as written, nothing mended


@dataclass(frozen=True)
class _Checked:
    """What checking a file found, kept beside its document (``Derived``)."""

    depends: object  # everything else the check read, compared on the next check
    problems: tuple[Problem, ...]
    renames: dict[Loc, Loc] | None
    kept: dict[str, list[int]] | None
    result: object


class CheckContext:
    """The state of one validation run, shared by the rules in ``check.rules``."""

    def __init__(self, as_of: dt.date, derived: Derived | None = None) -> None:
        self.as_of = as_of  # "today", for the rules about future dates
        # What earlier checks worked out from each document (``LoadedRepository.derived``).
        self.derived = derived if derived is not None else Derived()
        self.problems: list[Problem] = []
        self.framework: Framework | None = None
        self.scale: Scale | None = None
        self.standards: dict[str, Standard] = {}
        # For each framework version, the ids of its standards, and of which standards.
        self._in_version: dict[int, tuple[dict[str, Standard], frozenset[str]]] = {}
        self.stray: set[str] = set()
        # Ids of standards whose own file is broken: references to them are
        # neither confirmed nor reported, so one mistake is reported once.
        self.uncertain_standards: set[str] = set()
        # For mended files: keys as renamed for checking -> as written.
        self._renames: dict[str, dict[Loc, Loc]] = {}
        # For partially parsed files: original list positions of the kept items.
        self._index_maps: dict[str, dict[str, list[int]]] = {}

    def ids_in_version(self, version: int) -> frozenset[str]:
        """The ids of the standards of framework ``version``: asked for every rating."""
        known = self._in_version.get(version)
        if known is None or known[0] is not self.standards:
            ids = frozenset(k for k, s in self.standards.items() if s.in_version(version))
            known = self._in_version[version] = (self.standards, ids)
        return known[1]

    def rulebook(self) -> tuple[object, ...]:
        """Everything of this run a file's check may read besides the file: today,
        the framework, its scale and the standards as checked. Models compare by
        value, and unchanged files give the very same models, compared at once."""
        labels = tuple(self.scale.labels) if self.scale is not None else None
        standards = tuple(self.standards.items())
        return (self.as_of, self.framework, labels, standards, frozenset(self.uncertain_standards))

    def recall(self, doc: SourceDocument, kind: str, depends: object) -> tuple[bool, object]:
        """Whether ``doc`` was checked as ``kind`` before, when all else it read was
        ``depends`` too; if so, its problems are reported again, in their order, and
        what that check returned is returned with True."""
        checked = self.derived.of(doc).get(kind)
        if not isinstance(checked, _Checked) or checked.depends != depends:
            return False, None
        self.problems.extend(checked.problems)
        if checked.renames is not None:
            self._renames[doc.path] = dict(checked.renames)
        if checked.kept is not None:
            self._index_maps[doc.path] = checked.kept
        return True, checked.result

    def keep(
        self, doc: SourceDocument, kind: str, depends: object, since: int, result: object
    ) -> None:
        """Keep what checking ``doc`` as ``kind`` found (the problems reported since
        there were ``since``), for ``recall`` on the next check."""
        renames = self._renames.get(doc.path)
        self.derived.of(doc)[kind] = _Checked(
            depends,
            tuple(self.problems[since:]),
            dict(renames) if renames is not None else None,
            self._index_maps.get(doc.path),
            result,
        )

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
        loc = self.as_written(doc, loc)
        self.problems.append(Problem(doc.path, doc.line_of(loc), format_loc(loc), message, sev))

    def as_written(self, doc: SourceDocument, loc: Loc) -> Loc:
        """Where ``loc`` of a mended file stands in the file as written."""
        for mended, written in self._renames.get(doc.path, {}).items():
            if loc[: len(mended)] == mended:
                loc = (*written, *loc[len(mended) :])
                break
        kept = self._index_maps.get(doc.path, {})
        if len(loc) > 1 and isinstance(loc[1], int) and str(loc[0]) in kept:
            loc = (loc[0], kept[str(loc[0])][loc[1]], *loc[2:])
        return loc

    def parse(self, model: type[M], doc: SourceDocument) -> M | None:
        """The file as ``model``, or None after reporting why it does not fit."""
        parsed = self.parse_partial(model, doc)
        return parsed.model if parsed.complete else None

    def parse_partial(self, model: type[M], doc: SourceDocument) -> Parsed[M]:
        """Like ``parse``, but salvage what fits so cross-file rules still run.

        After reporting the shape problems, the file is mended for checking
        only (see ``check.mending``). ``pruned`` says what was dropped, so that
        rules which count entries (every standard rated, every low rating has
        an action) do not report consequences of problems already reported.
        """
        if doc.data is None:  # the loader has already said why
            return Parsed(None, set(), complete=False)
        if not isinstance(doc.data, dict):
            self.error(
                doc, FILE, f"expected 'key: value' lines at the top, got {describe(doc.data)}"
            )
            return Parsed(None, set(), complete=False)
        known = self.derived.of(doc).get(model)
        if isinstance(known, model):  # validated as written before: the same model again
            return Parsed(known, set(), complete=True)
        data: dict[str, Any] = doc.data  # copied before the first mend, never changed
        kept: dict[str, list[int]] = {}  # list key -> original index of each kept item
        pruned: set[Loc] = set()
        for attempt in range(4):
            try:
                parsed = model.model_validate(data)
            except ValidationError as exc:
                if data is doc.data:
                    data = copy.deepcopy(doc.data)
                details = [(explain(model, d, self.standards), d) for d in exc.errors()]
                mended = mend(model, data, [(loc, d) for (loc, _), d in details])
                self._renames.setdefault(doc.path, {}).update(mended.renamed)
                for (loc, message), _ in details:
                    # "staus: unknown key; did you mean 'status'?" says it all:
                    # 'status' is not also reported missing.
                    if attempt == 0 and loc not in mended.implied:
                        self.error(doc, loc, message)
                rest = [loc for (loc, _), _ in details if loc not in mended.handled]
                if not prune(model, data, rest, kept, pruned):
                    return Parsed(None, pruned, complete=False)
                continue
            parsed.attach(doc)
            if kept:
                self._index_maps[doc.path] = kept
            if attempt == 0:  # it does not depend on the rest of the check: keep it
                self.derived.of(doc)[model] = parsed
            return Parsed(parsed, pruned, complete=attempt == 0)
        return Parsed(None, pruned, complete=False)
