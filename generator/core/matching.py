"""What a mistyped word was meant to be, and the one way of saying so in a
message: ``; did you mean 'X'?``.

Three strengths of match, for three uses: ``closest`` for a hint (generous: a
wrong guess costs the reader a glance), ``misspelling_of`` for mending a file
before checking the rest of it (near-certain only: a wrong guess would report
problems the reviewer never wrote), and ``same_id`` for ids such as standard
ids, where ids one digit apart are different things and only another spelling
of the same id is a match.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# How alike (difflib's ratio) a misspelling must be to the word it is mended to.
_MISSPELLING_RATIO = 0.85


def closest(word: object, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` was probably meant to be, if one is close enough."""
    if not isinstance(word, str):
        return None
    by_lower = {c.lower(): c for c in sorted(set(candidates))}
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    parts = set(re.split(r"[-_ ]+", word.lower()))
    if parts & {"not", "no", "non", "never"}:
        return None  # 'not done' is the opposite of 'done', not a misspelling
    # 'service-user' for 'user': exactly one option is a word of what was written.
    contained = [c for low, c in by_lower.items() if low in parts]
    if len(contained) == 1:
        return contained[0]
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def misspelling_of(written: object, options: Iterable[str]) -> str | None:
    """The option ``written`` is a near-certain misspelling of, if any."""
    if not isinstance(written, str):
        return None
    scored = sorted(
        (difflib.SequenceMatcher(None, written.lower(), option.lower()).ratio(), option)
        for option in options
    )
    if scored and scored[-1][0] >= _MISSPELLING_RATIO:
        return scored[-1][1]
    return None


def same_id(written: object, known: Iterable[str]) -> str | None:
    """The known id of capitals then digits that ``written`` spells differently
    ('s07', 'S7', 'SO7' for 'S07'), or ``written`` itself when it is known."""
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


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """A ``; did you mean 'X'?`` hint, or an empty string when nothing is close."""
    return _hint(closest(word, candidates), word)


def did_you_mean_id(written: object, known: Iterable[str]) -> str:
    """The hint for a mistyped id: only another spelling of a known id is suggested."""
    return _hint(same_id(written, known), written)


def _hint(candidate: str | None, written: object) -> str:
    return f"; did you mean '{candidate}'?" if candidate and candidate != written else ""
