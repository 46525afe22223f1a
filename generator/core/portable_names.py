"""Names every web server's disk can hold, checked the same on any system.

A site published from an archive or a folder must publish the same on a
Linux server and on Windows (IIS on NTFS). Windows refuses some names Linux
takes, and takes two names Linux keeps apart for one: written anyway, the
second file would replace the first, or the write would fail halfway. So
both are refused before anything is written, everywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.problems import excerpt

# Characters Windows allows in no name (control characters too); ``:`` has its own reason.
_FORBIDDEN = '<>"|?*'
# Windows opens a device, not a file, for these names, whatever follows a dot.
_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{number}" for port in ("COM", "LPT") for number in [*"0123456789", *"¹²³"]}
)


@dataclass(frozen=True)
class Clash:
    """Two paths a disk that ignores case and Unicode form takes for one: the path at
    ``index`` clashes with one before it; ``own`` and ``other`` are the two up to the
    part that clashes (``assets`` and ``Assets`` for ``assets/y`` and ``Assets/x``)."""

    index: int
    own: str
    other: str

    @property
    def reason(self) -> str:
        names = f"'{excerpt(self.own)}' and '{excerpt(self.other)}'"
        if _composed(self.own) == _composed(self.other):
            return (
                f"{names} are one name written in two Unicode forms (NFC and NFD): they "
                "look the same, and some disks (macOS) hold them as one"
            )
        if _cased(self.own) == _cased(self.other):
            return f"{names} differ only in case, and Windows holds them as one name"
        return (
            f"{names} differ only in case and Unicode form, and a disk that ignores both "
            "(macOS) holds them as one name"
        )


def name_refusal(part: str) -> str | None:
    """Why Windows cannot hold a file or folder named ``part``; None when it can."""
    for character in part:
        if character == ":":
            return "has a ':' in its name, which Windows reads as a drive or a stream"
        if character in _FORBIDDEN or ord(character) < 32:
            return (
                f"has the character '{excerpt(character)}' in its name, which Windows "
                "allows in no name"
            )
    if part.endswith("."):
        return f"'{excerpt(part)}' ends in a dot, which Windows takes off a name"
    if part.endswith(" "):
        return f"'{excerpt(part)}' ends in a space, which Windows takes off a name"
    device = part.split(".")[0].rstrip(" ").upper()
    if device in _DEVICES:
        return (
            f"'{excerpt(part)}' is the name of the device {device}, which Windows opens "
            "in its place whatever the extension (CON, PRN, AUX, NUL, COM0 to COM9, LPT0 "
            "to LPT9)"
        )
    return None


def folded(part: str) -> str:
    """``part`` as a disk that ignores case and Unicode normalisation compares names."""
    return _composed(_cased(_composed(part)))


def _composed(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _cased(text: str) -> str:
    """Upper case, then folded: a dotless i and ``I`` are one letter to Windows, as
    ``ß`` and ``ss`` are to ``casefold``. A pair refused that Windows would keep
    apart is a name to change; a pair let through would lose a file."""
    return text.upper().casefold()


def clashes(paths: Sequence[tuple[str, ...]]) -> list[Clash]:
    """Every path that clashes with one before it (by case or Unicode form, in any of its
    parts), once, with the first it clashes with; the same path twice is no clash."""
    first: dict[tuple[str, ...], tuple[str, ...]] = {}
    found = []
    for index, parts in enumerate(paths):
        for end in range(1, len(parts) + 1):
            own = parts[:end]
            other = first.setdefault(tuple(folded(part) for part in own), own)
            if other != own:
                found.append(Clash(index, "/".join(own), "/".join(other)))
                break
    return found
