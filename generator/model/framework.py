"""The rulebook's files: ``standards/framework.yml`` (scale, domains, evidence
sources, bands) and one ``standards/<ID>-<slug>.md`` per standard.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from generator.model.base import ContentModel, FileModel
from generator.model.types import (
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


class Standard(FileModel):
    """`standards/<ID>-<slug>.md`: one standard; the Markdown body is its guidance."""

    id: StandardId = Field(description="Unique id, `S01`..`S50` in the default catalogue.")
    title: Name = Field(description="The standard, as one statement of good practice.")
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

    def in_version(self, version: int) -> bool:
        return self.introduced <= version and (self.retired is None or version < self.retired)
