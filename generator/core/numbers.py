"""How the product shows numbers: counts, and percentages to one decimal place.

A score's percentage earns a rating through bands, so it is cut to one decimal
place, rounding down: it is never shown in a band it did not reach (62.96% is
shown as 62.9%, not 63.0%). A share of case-audit grades has no bands, so it is
rounded to the nearest tenth, halves up (2 of 3 is 66.7%).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor


def score_decimal(percent: Fraction) -> Decimal:
    """A score's percentage to one decimal place, rounded down."""
    return Decimal(floor(percent * 10)).scaleb(-1)


def share_decimal(percent: Fraction) -> Decimal:
    """A share's percentage to one decimal place, halves rounded up."""
    exact = Decimal(percent.numerator) / Decimal(percent.denominator)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def counted(number: int, noun: str) -> str:
    """``3 standards``, ``1 case``: a count with its noun, plural when it is not 1."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


def score_text(percent: Fraction) -> str:
    return f"{score_decimal(percent)}%"


def share_text(percent: Fraction) -> str:
    return f"{share_decimal(percent)}%"
