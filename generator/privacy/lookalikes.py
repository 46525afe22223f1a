"""Letters that look like Latin ones (Cyrillic, Greek, Armenian, Cherokee, Lisu,
Latin small capitals...), by the Latin letter a reader takes them for."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources

# Letters that look like Latin letters (Cyrillic, Greek, Armenian, Cherokee, Lisu,
# Latin small capitals and a few more that NFKC leaves alone), by the Latin letter
# they look like. Written by their Unicode names, which tell them apart where no
# font does.
_LOOKALIKE_NAMES = {
    "A": "CYRILLIC CAPITAL LETTER A; GREEK CAPITAL LETTER ALPHA; CHEROKEE LETTER GO; LISU LETTER A",
    "a": (
        "CYRILLIC SMALL LETTER A; GREEK SMALL LETTER ALPHA; "
        "LATIN LETTER SMALL CAPITAL A; LATIN SMALL LETTER ALPHA"
    ),
    "B": (
        "CYRILLIC CAPITAL LETTER VE; GREEK CAPITAL LETTER BETA; CHEROKEE LETTER YV; LISU LETTER BA"
    ),
    "b": "CYRILLIC SMALL LETTER VE; LATIN LETTER SMALL CAPITAL B",
    "C": (
        "CYRILLIC CAPITAL LETTER ES; GREEK CAPITAL LUNATE SIGMA SYMBOL; "
        "CHEROKEE LETTER TLI; LISU LETTER CA"
    ),
    "c": "CYRILLIC SMALL LETTER ES; GREEK LUNATE SIGMA SYMBOL; LATIN LETTER SMALL CAPITAL C",
    "D": "CHEROKEE LETTER A; LISU LETTER DA",
    "d": "CYRILLIC SMALL LETTER KOMI DE; LATIN LETTER SMALL CAPITAL D",
    "E": (
        "CYRILLIC CAPITAL LETTER IE; GREEK CAPITAL LETTER EPSILON; "
        "CHEROKEE LETTER GV; LISU LETTER E"
    ),
    "e": "CYRILLIC SMALL LETTER IE; LATIN LETTER SMALL CAPITAL E",
    "F": "LISU LETTER TSA",
    "f": "LATIN LETTER SMALL CAPITAL F",
    "G": "CYRILLIC CAPITAL LETTER KOMI SJE; CHEROKEE LETTER NAH; LISU LETTER GA",
    "g": "LATIN LETTER SMALL CAPITAL G; LATIN SMALL LETTER SCRIPT G",
    "H": (
        "CYRILLIC CAPITAL LETTER EN; CYRILLIC CAPITAL LETTER SHHA; "
        "GREEK CAPITAL LETTER ETA; CHEROKEE LETTER MI; LISU LETTER XA"
    ),
    "h": (
        "CYRILLIC SMALL LETTER EN; CYRILLIC SMALL LETTER SHHA; "
        "ARMENIAN SMALL LETTER HO; LATIN LETTER SMALL CAPITAL H"
    ),
    "I": (
        "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I; CYRILLIC LETTER PALOCHKA; "
        "GREEK CAPITAL LETTER IOTA; LISU LETTER I"
    ),
    "i": (
        "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I; GREEK SMALL LETTER IOTA; "
        "LATIN LETTER SMALL CAPITAL I; LATIN SMALL LETTER DOTLESS I; LATIN SMALL LETTER IOTA"
    ),
    "J": "CYRILLIC CAPITAL LETTER JE; GREEK CAPITAL LETTER YOT; CHEROKEE LETTER GU; LISU LETTER JA",
    "j": (
        "CYRILLIC SMALL LETTER JE; GREEK LETTER YOT; "
        "LATIN LETTER SMALL CAPITAL J; LATIN SMALL LETTER DOTLESS J"
    ),
    "K": (
        "CYRILLIC CAPITAL LETTER KA; GREEK CAPITAL LETTER KAPPA; "
        "CHEROKEE LETTER TSO; LISU LETTER KA"
    ),
    "k": "CYRILLIC SMALL LETTER KA; GREEK SMALL LETTER KAPPA; LATIN LETTER SMALL CAPITAL K",
    "L": "CHEROKEE LETTER TLE; LISU LETTER LA",
    "l": "CYRILLIC SMALL LETTER PALOCHKA; LATIN LETTER SMALL CAPITAL L; LATIN LETTER DENTAL CLICK",
    "M": "CYRILLIC CAPITAL LETTER EM; GREEK CAPITAL LETTER MU; CHEROKEE LETTER LU; LISU LETTER MA",
    "m": "CYRILLIC SMALL LETTER EM; LATIN LETTER SMALL CAPITAL M",
    "N": "GREEK CAPITAL LETTER NU; LISU LETTER NA",
    "n": "GREEK SMALL LETTER ETA; ARMENIAN SMALL LETTER VO; LATIN LETTER SMALL CAPITAL N",
    "O": "CYRILLIC CAPITAL LETTER O; GREEK CAPITAL LETTER OMICRON; LISU LETTER O",
    "o": (
        "CYRILLIC SMALL LETTER O; GREEK SMALL LETTER OMICRON; "
        "ARMENIAN SMALL LETTER OH; LATIN LETTER SMALL CAPITAL O"
    ),
    "P": (
        "CYRILLIC CAPITAL LETTER ER; GREEK CAPITAL LETTER RHO; CHEROKEE LETTER TLV; LISU LETTER PA"
    ),
    "p": "CYRILLIC SMALL LETTER ER; GREEK SMALL LETTER RHO; LATIN LETTER SMALL CAPITAL P",
    "Q": "CYRILLIC CAPITAL LETTER QA",
    "q": "CYRILLIC SMALL LETTER QA; ARMENIAN SMALL LETTER ZA; LATIN LETTER SMALL CAPITAL Q",
    "R": "CHEROKEE LETTER SV; LISU LETTER ZHA",
    "r": "LATIN LETTER SMALL CAPITAL R",
    "S": "CYRILLIC CAPITAL LETTER DZE; CHEROKEE LETTER DU; LISU LETTER SA",
    "s": "CYRILLIC SMALL LETTER DZE; LATIN LETTER SMALL CAPITAL S",
    "T": "CYRILLIC CAPITAL LETTER TE; GREEK CAPITAL LETTER TAU; CHEROKEE LETTER I; LISU LETTER TA",
    "t": "CYRILLIC SMALL LETTER TE; LATIN LETTER SMALL CAPITAL T",
    "U": "LISU LETTER U",
    "u": "GREEK SMALL LETTER UPSILON; ARMENIAN SMALL LETTER SEH; LATIN LETTER SMALL CAPITAL U",
    "V": "CHEROKEE LETTER DO; LISU LETTER HA",
    "v": "GREEK SMALL LETTER NU; LATIN LETTER SMALL CAPITAL V",
    "W": "CYRILLIC CAPITAL LETTER WE; CHEROKEE LETTER LA; LISU LETTER WA",
    "w": "CYRILLIC SMALL LETTER WE; GREEK SMALL LETTER OMEGA; LATIN LETTER SMALL CAPITAL W",
    "X": "CYRILLIC CAPITAL LETTER HA; GREEK CAPITAL LETTER CHI; LISU LETTER SHA",
    "x": "CYRILLIC SMALL LETTER HA; GREEK SMALL LETTER CHI",
    "Y": (
        "CYRILLIC CAPITAL LETTER U; CYRILLIC CAPITAL LETTER STRAIGHT U; "
        "GREEK CAPITAL LETTER UPSILON; LISU LETTER YA"
    ),
    "y": (
        "CYRILLIC SMALL LETTER U; CYRILLIC SMALL LETTER STRAIGHT U; "
        "GREEK SMALL LETTER GAMMA; LATIN LETTER SMALL CAPITAL Y"
    ),
    "Z": "GREEK CAPITAL LETTER ZETA; CHEROKEE LETTER NO; LISU LETTER DZA",
    "z": "LATIN LETTER SMALL CAPITAL Z",
}


def _lookalikes() -> dict[str, str]:
    """Each look-alike letter, with the Latin letter it looks like."""
    pairs = {
        unicodedata.lookup(name): latin
        for latin, names in _LOOKALIKE_NAMES.items()
        for name in names.split("; ")
    }
    # Cherokee small letters are the capitals' lower case.
    pairs |= {
        small: pairs[capital].lower()
        for capital in list(pairs)
        if "\u13a0" <= capital <= "\u13f5" and (small := capital.lower()) != capital
    }
    return pairs


def _unicode_confusables() -> dict[str, str]:
    """Unicode's own list of letters confusable with a Latin letter
    (UTS #39's confusables, as the confusable-homoglyphs package ships them)."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    pairs = {}
    for char, entries in data.items():
        for entry in entries:
            like = entry["c"]
            if (
                len(like) == 1
                and like.isascii()
                and like.isalpha()
                and len(char) == 1
                and unicodedata.category(char).startswith("L")
                # Letters NFKC already makes Latin (mathematical, full-width) stay its.
                and not unicodedata.normalize("NFKC", char).isascii()
            ):
                pairs[char] = like
                break
    return pairs


# Letters Unicode does not list but a reader takes for Latin ones all the same.
_MORE_LOOKALIKES = {
    "\u03c2": "c",  # Greek final sigma, which NFKC makes of the lunate sigma
    "\u03c4": "t",  # Greek tau
    "\u2c80": "A",  # Coptic alfa
    "\u2c81": "a",
    "\u2c8e": "H",  # Coptic hate
    "\u2c9a": "N",  # Coptic ni
    "\u2c9b": "n",
    "\u13c2": "h",  # Cherokee ni
    "\u0251": "a",  # Latin alpha
    "\u2c6d": "A",
    "\U00010300": "A",  # Old Italic a
    "\u1455": "n",  # Canadian syllabics ti
    "\u1515": "S",  # Canadian syllabics sha
}
# "LATIN SMALL LETTER H WITH HOOK", "LATIN SMALL LETTER TURNED I": the letter named.
_LATIN_NAMED = re.compile(
    r"LATIN (SMALL|CAPITAL) LETTER (?:SMALL CAPITAL |TURNED |INVERTED |REVERSED )?([A-Z])\b"
)


@functools.lru_cache(maxsize=65536)
def latin_named(char: str) -> str | None:
    """The Latin letter a letter's Unicode name says it is a form of, if it says so."""
    named = _LATIN_NAMED.match(unicodedata.name(char, ""))
    if named is None:
        return None
    return named.group(2) if named.group(1) == "CAPITAL" else named.group(2).lower()


@functools.cache
def lookalikes() -> dict[str, str]:
    """Every look-alike letter, with the Latin letter a reader takes it for. Made
    when first asked for (reading Unicode's list takes a while): text that is all
    ASCII, as most is, never asks."""
    return _unicode_confusables() | _MORE_LOOKALIKES | _lookalikes()
