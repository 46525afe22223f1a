"""The framework's scoring parameters, every label spelt as the scale spells it.

Scoring is pure functions over the validated programme: no files, no clock.
Everything time-dependent takes the as-of date as an argument, and every
parameter (the scale and its values, the bands, the critical limits, the
review intervals, the adequate-or-above line) comes from
``standards/framework.yml`` through :class:`Rules`. A band runs from the
percentage the framework sets for it up to the next better band's; 100% is in
the best band.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from generator.core.errors import ToolError
from generator.model.framework import Framework, Scale


class ScoringError(ToolError):
    """Content that validation should have refused reached scoring."""


@dataclass(frozen=True)
class Band:
    """The percentages that earn one rating: from ``lowest`` up to ``below``."""

    label: str
    lowest: Fraction  # as the framework sets it
    below: Fraction  # the next better band's lowest, or past 100 for the best band
    reachable_from: Fraction  # ``lowest``, or the lowest percentage the scale can give

    # Worked out once: every score asks its band for the midpoint.
    @cached_property
    def top(self) -> Fraction:
        """Where the band ends: ``below``, or 100 for the best band."""
        return min(self.below, Fraction(100))

    @property
    def reachable(self) -> bool:
        """Whether any percentage the scale can give falls in this band."""
        return self.reachable_from < self.below

    @cached_property
    def midpoint(self) -> Fraction:
        return (self.reachable_from + self.top) / 2


@dataclass(frozen=True)
class Rules:
    """The scoring parameters of a framework, every label spelt as the scale spells it."""

    scale: Scale
    values: Mapping[str, int]
    adequate_or_above: str
    bands: tuple[Band, ...]  # best first
    one_inadequate: str
    two_or_more_inadequate: str
    interval_months: Mapping[str, int]
    # Each label's rank, from the scale, which never changes: pages and scoring ask
    # for it tens of thousands of times.
    _ranks: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ranks: dict[str, int] = {}
        for rank, label in enumerate(self.scale.labels):
            ranks.setdefault(label, rank)
        object.__setattr__(self, "_ranks", ranks)

    @classmethod
    def from_framework(cls, framework: Framework) -> Rules:
        scale = Scale(framework)

        def label(written: str, where: str) -> str:
            resolved = scale.resolve(written)
            if resolved is None:
                raise ScoringError(f"framework.yml: {where}: '{written}' is not on the scale")
            return resolved

        def per_label(mapping: Mapping[str, float], where: str) -> dict[str, float]:
            resolved = {label(k, where): v for k, v in mapping.items()}
            if set(resolved) != set(scale.labels):
                raise ScoringError(f"framework.yml: {where}: needs one entry per scale label")
            return resolved

        values = {level.label: level.value for level in framework.scale}
        top = max(values.values())
        if top <= 0:
            raise ScoringError("framework.yml: scale: the best level's value must be above 0")
        floor_percent = Fraction(min(values.values()) * 100, top)
        lowest = {k: _exact(v) for k, v in per_label(framework.bands, "bands").items()}
        bands = []
        below = Fraction(101)  # 100% itself is in the best band
        for name in scale.labels:
            bands.append(Band(name, lowest[name], below, max(lowest[name], floor_percent)))
            below = lowest[name]
        intervals = per_label(framework.review_interval_months, "review_interval_months")
        limits = framework.critical_limits
        return cls(
            scale=scale,
            values=values,
            adequate_or_above=label(framework.adequate_or_above, "adequate_or_above"),
            bands=tuple(bands),
            one_inadequate=label(limits.one_inadequate, "critical_limits.one_inadequate"),
            two_or_more_inadequate=label(
                limits.two_or_more_inadequate, "critical_limits.two_or_more_inadequate"
            ),
            interval_months={k: int(v) for k, v in intervals.items()},
        )

    @property
    def labels(self) -> tuple[str, ...]:
        """The scale's labels, best first."""
        return tuple(self.scale.labels)

    @property
    def top_value(self) -> int:
        return self.values[self.scale.labels[0]]

    @property
    def lowest(self) -> str:
        """The worst label (Inadequate): the one critical limits count."""
        return self.scale.labels[-1]

    def label(self, written: str) -> str:
        """``written`` as the scale spells it."""
        label = self.scale.resolve(written)
        if label is None:
            raise ScoringError(f"'{written}' is not a rating on the scale")
        return label

    def rank(self, label: str) -> int:
        """0 for the best label, counting down the scale."""
        rank = self._ranks.get(label)
        # A label not on the scale fails as it always has, with list.index's ValueError.
        return self.scale.labels.index(label) if rank is None else rank

    def worse_of(self, a: str, b: str) -> str:
        return a if self.rank(a) >= self.rank(b) else b

    def is_adequate_or_above(self, label: str) -> bool:
        return self.rank(label) <= self.rank(self.adequate_or_above)

    def is_above_adequate(self, label: str) -> bool:
        """Strictly better than the adequate-or-above line (Good or Outstanding)."""
        return self.rank(label) < self.rank(self.adequate_or_above)

    def band_for(self, percent: Fraction) -> Band:
        for band in self.bands:
            if percent >= band.lowest:
                return band
        raise ScoringError(f"{float(percent)}% is below every band")  # bands end at 0


def _exact(number: float) -> Fraction:
    # 62.5 in YAML is a float; read it as the decimal the reviewer wrote.
    return Fraction(str(number))
