"""What the personal-data scan reports: a kind of personal data and where it is,
never the value, and which finding is kept where two overlap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

KINDS: dict[str, str] = {
    "nhs-number": "an NHS number",
    "ni-number": "a National Insurance number",
    "postcode": "a UK postcode",
    "date-of-birth": "a date of birth",
    "phone": "a phone number",
    "email": "an email address",
    "name": "a name on the deny-list",
}

# Which finding wins when two cover exactly the same text. A phone comes before an
# NHS number: a 10-digit number starting with 0 that happens to pass Modulus 11 is
# far more likely a phone number (NHS numbers in England do not start with 0).
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        ("email", "phone", "nhs-number", "ni-number", "date-of-birth", "postcode", "name")
    )
}


@dataclass(frozen=True)
class Finding:
    """Something that looks like personal data, at ``text[start:end]``."""

    kind: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of personal data: {self.kind!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"not a span of text: {self.start}..{self.end}")

    @property
    def description(self) -> str:
        return KINDS[self.kind]


def without_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    ordered = sorted(findings, key=lambda f: (f.start, f.start - f.end, _PRIORITY[f.kind]))
    kept: list[Finding] = []
    for finding in ordered:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept
