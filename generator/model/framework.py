"""The rulebook's files: ``standards/framework.yml`` (scale, domains, evidence
sources, bands) and one ``standards/<ID>-<slug>.md`` per standard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from generator.model.base import ContentModel, FileModel
from generator.model.types import (
    IsoDate,
    KebabId,
    Name,
    RatingLabel,
    StandardId,
    Text,
)


class ScaleLevel(ContentModel):
    label: Name = Field(description="The rating as reviewers write it, e.g. `Good`.")
    value: int = Field(
        ge=0, description="Its points, 0 or more: the best level has the highest value."
    )


class Domain(ContentModel):
    id: KebabId = Field(description="Lower-case id that standards refer to.")
    title: Name = Field(description="Heading shown on the site.")


class EvidenceSource(ContentModel):
    id: KebabId = Field(description="Lower-case id that standards and reviews refer to.")
    title: Name = Field(description="Name shown on the site.")


class FrameworkVersion(ContentModel):
    """One version of the rulebook and the date it came into force."""

    version: int = Field(ge=1, description="The version number reviews name.")
    in_force: IsoDate = Field(description="The date reviews began to use it.")
    title: Name = Field(description="What the version is known as, e.g. `The Care Act revision`.")
    summary: Text | None = Field(
        default=None, description="Markdown: the law and guidance it follows."
    )


class CriticalLimits(ContentModel):
    one_inadequate: RatingLabel = Field(
        description="Best overall rating allowed when one critical standard is Inadequate."
    )
    two_or_more_inadequate: RatingLabel = Field(
        description="Best overall rating allowed when two or more are."
    )


class Framework(FileModel):
    """`standards/framework.yml`: the rulebook every review is scored by."""

    name: Name = Field(description="Name of the framework, shown on the site.")
    version: int = Field(
        ge=1, description="Current framework version; reviews name the one they used."
    )
    scale: list[ScaleLevel] = Field(
        min_length=2, description="Rating levels, best first, each with a label and a value."
    )
    adequate_or_above: RatingLabel = Field(
        description="The line the programme tracks in case audits: this level or better."
    )
    domains: list[Domain] = Field(
        min_length=1, description="Groups of standards, in display order."
    )
    evidence_sources: list[EvidenceSource] = Field(
        min_length=1, description="The sources of evidence (twelve in the default catalogue)."
    )
    bands: dict[RatingLabel, float] = Field(
        description="For each label, the lowest overall percentage that earns it."
    )
    critical_limits: CriticalLimits = Field(
        description="Caps on the overall rating when critical standards are Inadequate."
    )
    review_interval_months: dict[RatingLabel, Annotated[int, Field(ge=1)]] = Field(
        description="For each label, months until the team's next review is due (1 or more)."
    )
    versions: list[FrameworkVersion] = Field(
        default_factory=list,
        description="Every version from 1 to `version`, with the date it came into force.",
    )

    def in_force_on(self, day: dt.date) -> int:
        """The version in force on ``day``: the current one when no dates are given,
        version 1 before the first date."""
        if not self.versions:
            return self.version
        chosen = self.versions[0].version
        for item in self.versions:
            if item.in_force <= day:
                chosen = item.version
        return chosen

    def version_entry(self, version: int) -> FrameworkVersion | None:
        """The listed version ``version``, with its date, if ``versions`` lists it."""
        for item in self.versions:
            if item.version == version:
                return item
        return None

    @field_validator("bands")
    @classmethod
    def _bands_are_percentages(cls, bands: dict[str, float]) -> dict[str, float]:
        for label, value in bands.items():
            if not 0 <= value <= 100:
                raise PydanticCustomError(
                    "band_range",
                    "the band for '{label}' must be a percentage from 0 to 100, got {value}",
                    {"label": label, "value": value},
                )
        return bands


class Scale:
    """The framework's rating labels, best first, matched ignoring case."""

    def __init__(self, framework: Framework) -> None:
        self.labels = [level.label for level in framework.scale]
        self._by_lower = {label.lower(): label for label in self.labels}

    def resolve(self, text: str) -> str | None:
        """The label as the scale spells it, or None when ``text`` is not on the scale."""
        return self._by_lower.get(text.strip().lower())


class Revision(ContentModel):
    """A standard's wording from a later framework version on; what it leaves out
    carries over from the version before."""

    version: int = Field(ge=2, description="The framework version this wording starts in.")
    meaning: Literal["kept", "changed"] = Field(
        default="kept",
        description="`kept`: ratings before and after compare; `changed`: they do not.",
    )
    title: Name | None = Field(default=None, description="The standard's new title.")
    short: Name | None = Field(
        default=None,
        description="Its new short name; without it, the short name before carries over.",
    )
    descriptors: dict[RatingLabel, Text] | None = Field(
        default=None, description="New descriptors: one entry per scale label."
    )
    evidence: list[KebabId] | None = Field(
        default=None, description="New evidence source ids."
    )
    guidance: Text | None = Field(default=None, description="New guidance, in Markdown.")


@dataclass(frozen=True)
class Wording:
    """What a standard says in one framework version."""

    version: int  # the version the wording was written for: the standard's or a revision's
    title: str
    descriptors: dict[str, str]
    evidence: list[str]
    guidance: str  # Markdown
    short: str = ""  # a few words for charts, lists and tables; the title when unset

    @property
    def short_name(self) -> str:
        """The few words that name it beside its id (``S47 Supervision``)."""
        return self.short or self.title


class Standard(FileModel):
    """`standards/<ID>-<slug>.md`: one standard; the Markdown body is its guidance."""

    id: StandardId = Field(description="Unique id, `S01`..`S50` in the default catalogue.")
    title: Name = Field(description="The standard, as one statement of good practice.")
    short: Name | None = Field(
        default=None,
        description="A few words that name it beside its id in tables, lists and chart "
        "legends (`S47 Supervision`); without it, its title.",
    )
    domain: KebabId = Field(description="A domain id from `framework.yml`.")
    critical: bool = Field(
        default=False, description="A critical standard can limit the team's overall rating."
    )
    evidence: list[KebabId] = Field(
        default_factory=list, description="Evidence source ids that inform this standard."
    )
    descriptors: dict[RatingLabel, Text] = Field(
        description="What practice looks like at each level: one entry per scale label."
    )
    introduced: int = Field(default=1, ge=1, description="First framework version with it.")
    retired: int | None = Field(
        default=None, ge=2, description="First framework version without it."
    )
    replaced_by: list[StandardId] = Field(
        default_factory=list,
        description="With `retired`: the standards that took its place.",
    )
    revisions: list[Revision] = Field(
        default_factory=list,
        description="Its wording in later framework versions, oldest first.",
    )

    def in_version(self, version: int) -> bool:
        return self.introduced <= version and (self.retired is None or version < self.retired)

    def wording(self, version: int) -> Wording | None:
        """Its title, descriptors, evidence and guidance in framework ``version``,
        or None when that version does not have it."""
        if not self.in_version(version):
            return None
        wording = Wording(
            self.introduced,
            self.title,
            dict(self.descriptors),
            list(self.evidence),
            self.source.body if self._source is not None else "",
            self.short or "",
        )
        for revision in self.revisions:
            if revision.version > version:
                break
            wording = Wording(
                revision.version,
                revision.title if revision.title is not None else wording.title,
                dict(revision.descriptors)
                if revision.descriptors is not None
                else wording.descriptors,
                list(revision.evidence) if revision.evidence is not None else wording.evidence,
                revision.guidance if revision.guidance is not None else wording.guidance,
                revision.short if revision.short is not None else wording.short,
            )
        return wording

    def nearest_wording(self, version: int) -> Wording:
        """Its wording in framework ``version``, or, for a version without it, in the
        nearest version that has it: the last before it was retired, or the first."""
        if self.retired is not None and version >= self.retired:
            version = self.retired - 1
        wording = self.wording(max(version, self.introduced))
        assert wording is not None  # a version from introduced to before retired
        return wording

    def wordings(self, latest: int) -> list[Wording]:
        """Each distinct wording it has had up to framework version ``latest``, oldest first."""
        found = [self.wording(v) for v in range(self.introduced, latest + 1)]
        distinct: list[Wording] = []
        for item in found:
            if item is not None and (not distinct or distinct[-1].version != item.version):
                distinct.append(item)
        return distinct

    def comparable(self, then: int, now: int) -> bool:
        """Whether its ratings under framework version ``then`` and ``now`` compare:
        both versions have it and no revision between them changed its meaning."""
        if not (self.in_version(then) and self.in_version(now)):
            return False
        low, high = sorted((then, now))
        return not any(
            r.meaning == "changed" and low < r.version <= high for r in self.revisions
        )
