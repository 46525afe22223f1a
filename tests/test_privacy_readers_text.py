"""Personal data disguised from the scan but not from a reader, and the reader's text itself.

A number split by a line break, written with character references, emphasis,
escapes, invisible characters, full-width digits or dotted groups; a postcode
in lower case; a date of birth with its month's name joined by hyphens; a name
with a Cyrillic letter or a soft hyphen inside: a reader sees each of them as
plainly as the real thing, so the scan must too. Every case states the exact
kind and the exact text of the source a finding covers (from its first
character's source to its last's), so that the guard reports it on the right
line.

Invisible characters are written as escapes (``\\u00ad``): in the source they
would be invisible to whoever reads these tests too.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.privacy.characters import fold_characters
from generator.privacy.detect import find_personal_data
from generator.privacy.markers import find_markers
from generator.privacy.names import DenyList
from generator.privacy.readers_text import ReadersText, readers_text, reads_as_written

DENY = DenyList.of(["Ann Smith", "Zo\u00eb Brown"])
# Properties, not timings: a busy machine must not fail them.
UNTIMED = settings(deadline=None)


def spans(text: str, deny: DenyList | None = DENY) -> list[tuple[str, int, int]]:
    return [(f.kind, f.start, f.end) for f in find_personal_data(text, deny)]


def expect(text: str, kind: str, written: str) -> list[tuple[str, int, int]]:
    """The one finding of ``kind`` over ``written``, which occurs once in ``text``: from
    the first character a reader sees of it to the last (``**943** 476 5919`` is
    found as ``943** 476 5919``, the emphasis around it left out)."""
    covered = written.strip("*_~`[")
    assert text.count(covered) == 1, (text, covered)
    start = text.index(covered)
    return [(kind, start, start + len(covered))]


# --- the reader's text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "reader"),
    [
        ("plain text, as written", "plain text, as written"),
        # character references: named, decimal, hexadecimal, with and without ";"
        ("&#57;&#x34;&#X33;", "943"),
        ("ann&commat;example.org ann&#64;x.org", "ann@example.org ann@x.org"),
        ("&amp;&lt;&nbsp;&copy", "&< \u00a9"),
        ("&copy2011 &ampx;", "\u00a92011 &x;"),  # legacy names without ";", as browsers read them
        ("&#51 &#x33 &commat", "3 3 &commat"),  # "&commat" needs its ";"
        ("&#0; &#xD800; &#1114112; &#" + "9" * 5000 + ";", "\ufffd \ufffd \ufffd \ufffd"),
        ("&#128;", "\u20ac"),  # html.unescape reads C1 controls as Windows-1252
        ("H&F, &unknown; &#; &#x;", "H&F, &unknown; &#; &#x;"),
        # Markdown: escapes, emphasis, strikethrough, code, links
        ("943\\-476\\-5919 \\# \\\\ \\a", "943-476-5919 # \\ \\a"),
        ("\\*not\\* emphasis, \\&#57;", "not emphasis, &#57;"),
        ("**943** _476_ ~~5919~~ `code` ***x***", "943 476 5919 code x"),
        ("[943](https://example.org/a 'title') [476][ref] ![alt](i.png) [x]", "943 476 alt x"),
        # pii-ok markers, with the blanks before them, as the site leaves them out
        ("duty line \t<!-- pii-ok: the team's -->, ok", "duty line, ok"),
        ("<!-- PII-OK:\nreason --> after", " after"),
        ("unclosed <!-- pii-ok: never closed", "unclosed <!-- pii-ok: never closed"),
        # invisible characters
        ("S\u00admi\u200bt\u200ch\u200d \u2060A\ufeffn\ufe0fn\u034f\u180e\u200e", "Smith Ann"),
        ("a\u0000b\u0007c\u007fd\U000e0041e", "abcde"),  # controls and tags
        ("\u3164\u115fA", "A"),  # Hangul fillers
        # NFKC, digits, spaces, dashes
        ("\uff19\uff14\uff13 \U0001d7d7 \u0669\u0664\u0663 \u0967 \u00b2", "943 9 943 1 2"),
        ("\uff21\uff4e\uff4e \U0001d400 \ufb01 \u2460 \uff20", "Ann A fi 1 @"),
        ("a\u00a0b\u202fc\u2009d\u2007e\u3000f\u2003g\u2800h", "a b c d e f g h"),
        ("1\u20132\u20143\u20114\u22125\uff0d6\u00b77\u20448", "1-2-3-4-5-6.7/8"),
        ("\u00bd", "1/2"),
        # look-alike letters keep their case; accents stay on them
        ("\u0410\u0412\u0421 \u0430\u0432\u0441 \u0391\u0392 \u03b1\u03bf", "ABC abc AB ao"),
        ("\u0397 \u03b7 \u1d00\u0299 \u0131 \u13aa \ua4ee", "H n ab i A A"),
        ("Zo\u0451 Zoe\u0308 \u0386", "Zo\u00eb Zo\u00eb \u00c1"),
        # whitespace: runs, single line breaks and blank lines
        ("943   476\t5919", "943 476 5919"),
        ("943\n476\r\n5919\r59", "943 476 5919 59"),
        ("one\n\ntwo\n \t\n\n three\u2028four\u2029five", "one\n\ntwo\n\nthree four\n\nfive"),
    ],
)
def test_the_readers_text(source: str, reader: str) -> None:
    assert readers_text(source).text == reader


def test_each_character_of_the_readers_text_knows_its_source() -> None:
    source = "**9&#52;3**\u00ad 476\n  5919 &amp; Z\u043e\u0308e"
    reader = readers_text(source)
    assert reader.text == "943 476 5919 & Z\u00f6e"
    units = [source[s:e] for s, e in zip(reader.sources, reader.source_ends, strict=True)]
    assert units == [
        "9", "&#52;", "3", " ", "4", "7", "6", "\n  ", "5", "9", "1", "9", " ", "&amp;", " ",
        "Z", "\u043e\u0308", "e",
    ]  # fmt: skip
    # A span of the reader's text maps to the source from its first character's
    # source to its last's, whatever was dropped in between.
    assert source[slice(*reader.source_span(0, 12))] == "9&#52;3**\u00ad 476\n  5919"
    assert reader.source_span(13, 14) == (source.index("&amp;"), source.index("&amp;") + 5)


def test_a_whitespace_run_and_a_paragraph_break_come_from_the_whole_run() -> None:
    source = "a \n b\n\n\nc"
    reader = readers_text(source)
    assert reader == ReadersText("a b\n\nc", (0, 1, 4, 5, 5, 8), (1, 4, 5, 8, 8, 9))


@pytest.mark.parametrize(("start", "end"), [(0, 0), (2, 1), (-1, 2), (0, 99)])
def test_a_span_outside_the_readers_text_is_refused(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        readers_text("abc").source_span(start, end)


@pytest.mark.parametrize(
    "text", ["S07", "HF-LD-2010-01", "W01", "Adequate", "2011-03-31", "Head of Service", ""]
)
def test_ids_and_labels_are_read_as_written(text: str) -> None:
    assert reads_as_written(text)
    reader = readers_text(text)
    assert reader.text == text
    assert reader.sources == tuple(range(len(text)))


@pytest.mark.parametrize("text", ["a*b", "a\nb", "a  b", "caf\u00e9", "H&F", "[x]", "a_b", "<"])
def test_text_with_anything_a_reader_sees_differently_is_read_again(text: str) -> None:
    assert not reads_as_written(text)


def test_characters_are_folded_as_a_reader_sees_them() -> None:
    assert fold_characters("Ann Smith") == "Ann Smith"
    assert fold_characters("\u0410nn Smi\u00adth") == "Ann Smith"
    assert fold_characters("\uff21\uff4e\uff4e\u00a0\U0001d412mith") == "Ann Smith"
    assert fold_characters("Zo\u0451") == "Zo\u00eb"
    # The Markdown and whitespace steps are not in it: names keep their punctuation.
    assert fold_characters("O'Brien_ *x*\n") == "O'Brien_ *x*\n"


def test_a_letter_keeps_a_few_of_its_accents() -> None:
    # CPython normalises a long run of accents in quadratic time; a reader sees a smear.
    assert readers_text("e" + "\u0301" * 100_000 + "x").text == "\u00e9" + "\u0301" * 7 + "x"
    assert fold_characters("e" + "\u0301\u0316" * 50_000) == fold_characters(
        "e" + "\u0301\u0316" * 4
    )


@UNTIMED
@given(st.text(max_size=200))
def test_the_readers_text_maps_every_character_into_its_source(source: str) -> None:
    reader = readers_text(source)
    assert len(reader.sources) == len(reader.source_ends) == len(reader.text)
    assert all(
        0 <= s < e <= len(source) for s, e in zip(reader.sources, reader.source_ends, strict=True)
    )
    assert list(reader.sources) == sorted(reader.sources)
    assert list(reader.source_ends) == sorted(reader.source_ends)


MARKDOWN_ALPHABET = "0123456789 AaBbSWn*_~`\\&#;x[]()!<>-.\n\t\u00ad\u200b\u00a0\u0410\u0301\uff19@"


@UNTIMED
@given(
    st.text(alphabet=MARKDOWN_ALPHABET, max_size=300),
    st.lists(st.text(alphabet="AaSmith\u0410\u00ad -'", min_size=2, max_size=12), max_size=3),
)
def test_findings_in_markdown_are_sorted_disjoint_spans_of_the_source(
    text: str, names: list[str]
) -> None:
    findings = find_personal_data(text, DenyList.of(names))
    assert all(0 <= f.start < f.end <= len(text) for f in findings)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))


# --- disguises the reader sees through --------------------------------------------

NHS_DISGUISES = [
    # a number wrapped across a line break
    "943 476\n5919",
    "943 476\n    5919",
    "943\n476\n5919",
    "943 476 \r\n5919",
    # character references for digits and spaces
    "&#57;43 476 5919",
    "&#x39;43 476 5919",
    "9&#X34;3 476 591&#57;",
    "94&#51 476 5919",
    "&#57;&#52;&#51; &#52;&#55;&#54; &#53;&#57;&#49;&#57;",
    "943&#32;476&#32;5919",
    "943&nbsp;476&nbsp;5919",
    "943&#160;476&#8203;5919",
    # Markdown emphasis, code, strikethrough, escapes and links inside the number
    "943*476*5919",
    "943_476_5919",
    "**943** 476 5919",
    "*943* *476* *5919*",
    "9**4**3 476 5919",
    "__943__ 476 5919",
    "~~943~~ 476 5919",
    "943 `476` 5919",
    "943\\-476\\-5919",
    "943\\.476\\.5919",
    "943 [476](https://example.org) 5919",
    # spaces a reader cannot tell from a space
    "943\u00a0476\u00a05919",
    "943\u202f476\u202f5919",
    "943\u2009476\u20095919",
    "943\u2007476\u20075919",
    "943\u3000476\u30005919",
    # invisible characters inside
    "94\u200b3 476 5919",
    "943 4\u200c7\u200d6 5919",
    "943\u2060476\u20605919",
    "943 47\u00ad6 5919",
    "9\ufeff43 476 5919",
    "943 476 5\ufe0f919",
    "943 476 59\u200e19",
    "943\u180e476 5919",
    # digits of other widths and scripts
    "\uff19\uff14\uff13 \uff14\uff17\uff16 \uff15\uff19\uff11\uff19",
    "\U0001d7d7\U0001d7d2\U0001d7d1 476 5919",
    "\u0669\u0664\u0663 \u0664\u0667\u0666 \u0665\u0669\u0661\u0669",
    # other separators
    "943.476.5919",
    "943 - 476 - 5919",
    "943/476/5919",
    "943\u2013476\u20135919",
    "943\u2011476\u20115919",
    "943\u2212476\u22125919",
    "943\uff0d476\uff0d5919",
    # all at once
    "**9&#52;3**\u00ad 476\n  59\u200b19",
]


@pytest.mark.parametrize("written", NHS_DISGUISES)
def test_a_disguised_nhs_number_is_found(written: str) -> None:
    text = f"Her NHS number, {written}, was on the front sheet."
    assert spans(text) == expect(text, "nhs-number", written)


@pytest.mark.parametrize(
    "written",
    [
        "020.7946.0000",
        "07700.900.123",
        "+44.20.7946.0018",
        "+44-20-7946-0018",
        "020/7946/0018",
        "020 7946\n0018",
        "020&#32;7946&#32;0018",
        "&#48;20 7946 0018",
        "\uff10\uff12\uff10 \uff17\uff19\uff14\uff16 \uff10\uff10\uff11\uff18",
        "020\u00a07946\u00a00018",
        "07700\u2011900\u2011123",
        "0**20** 7946 0018",
        "020 79\u00ad46 0018",
        "(020)\u20097946 0018",
    ],
)
def test_a_disguised_phone_number_is_found(written: str) -> None:
    text = f"Her son's number is {written}; call after six."
    assert spans(text) == expect(text, "phone", written)


@pytest.mark.parametrize(
    "written",
    [
        "ann&commat;example.org",
        "ann&#64;example.org",
        "ann&#x40;example.org",
        "ann\uff20example.org",
        "ann@example&period;org",
        "ann@exam\u00adple.org",
        "a\u200bnn@example.org",
        "ann[@]example.org",
        "ann\\@example.org",
    ],
)
def test_a_disguised_email_address_is_found(written: str) -> None:
    text = f"Write to {written} today."
    assert spans(text) == expect(text, "email", written)


@pytest.mark.parametrize(
    "written",
    [
        "w6 9ab",
        "sw1a 1aa",
        "Sw1A 1aA",
        "ec1a 1bb",
        "gir 0aa",
        "W6\u00a09JU",
        "W6&nbsp;9JU",
        "SW1A\n1AA",
        "**SW1A** 1AA",
        "SW1A 1\u0410\u0410",
        "\uff33\uff37\uff11\uff21 \uff11\uff21\uff21",
        "W6\u200b9JU",
        "w6 9\u00adab",
    ],
)
def test_a_disguised_postcode_is_found(written: str) -> None:
    text = f"She moved to a flat at {written}, near her daughter."
    assert spans(text) == expect(text, "postcode", written)


@pytest.mark.parametrize(
    "written",
    [
        "AB-12-34-56-C",
        "AB.12.34.56.C",
        "AB 12-34-56 C",
        "AB&#32;12&#32;34&#32;56&#32;C",
        "\uff21\uff22\uff11\uff12\uff13\uff14\uff15\uff16\uff23",
        "AB\u00a012\u00a034\u00a056\u00a0C",
        "\u0410\u0412 12 34 56 \u0421",
        "AB 12 34\n56 C",
        "AB1234\u200b56C",
    ],
)
def test_a_disguised_national_insurance_number_is_found(written: str) -> None:
    text = f"NI number {written} on the benefits form."
    assert spans(text) == expect(text, "ni-number", written)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("DOB: 12-Mar-1941", "12-Mar-1941"),
        ("DOB: 12/Mar/1941", "12/Mar/1941"),
        ("DOB: 12.March.1941", "12.March.1941"),
        ("DOB: Mar-12-1941", "Mar-12-1941"),
        ("DOB: March.12.1941", "March.12.1941"),
        ("DOB: Mar. 12/1941", "Mar. 12/1941"),
        ("DOB: 1941-Mar-12", "1941-Mar-12"),
        ("DOB: 12-Mar-41", "12-Mar-41"),
        ("DOB: 12th-Mar-1941", "12th-Mar-1941"),
        ("DOB: 12 - Mar - 1941", "12 - Mar - 1941"),
        ("DOB: 12-Mar 1941", "12-Mar 1941"),
        ("DOB: 12 Mar/41", "12 Mar/41"),
        ("She was born on 12&#32;March 1941.", "12&#32;March 1941"),
        ("She was born **12 March 1941**.", "12 March 1941"),
        ("Mr X (b. **12 March 1941**) lives alone.", "12 March 1941"),
        ("Mr X (_b._ 12 March 1941) lives alone.", "12 March 1941"),
        ("Mr X (b.&nbsp;12 March 1941) lives alone.", "12 March 1941"),
        ("D&#79;B 12/03/1941", "12/03/1941"),
        ("born 12\u2011Mar\u20111941", "12\u2011Mar\u20111941"),
        ("born 12 \u041carch 1941", "12 \u041carch 1941"),
        (
            "DOB \uff11\uff12/\uff10\uff13/\uff11\uff19\uff14\uff11",
            "\uff11\uff12/\uff10\uff13/\uff11\uff19\uff14\uff11",
        ),
        ("born on\n12 March\n1941", "12 March\n1941"),
        ("date of\nbirth: 12/03/1941", "12/03/1941"),
    ],
)
def test_a_disguised_date_of_birth_is_found(text: str, date: str) -> None:
    assert spans(text) == expect(text, "date-of-birth", date)


@pytest.mark.parametrize(
    "written",
    [
        "\u0410nn Smith",  # Cyrillic A
        "\u0391nn Smith",  # Greek Alpha
        "Ann Smit\u04bb",  # Cyrillic shha
        "\u0410NN \u0405\u041c\u0406\u0422\u041d",  # every letter Cyrillic but the Ns
        "Ann Smi\u00adth",
        "Ann Smi&shy;th",
        "Ann Smi\u200bth",
        "A\u200dnn Smith",
        "\uff21\uff4e\uff4e \uff33\uff4d\uff49\uff54\uff48",
        "Ann\u00a0Smith",
        "\U0001d400\U0001d427\U0001d427 \U0001d412\U0001d426\U0001d422\U0001d42d\U0001d421",
        "\u1d00\u0274\u0274 \ua731\u1d0d\u026a\u1d1b\u029c",  # small capitals
        "**Ann** Smith",
        "A*nn* Smith",
        "Ann\n   Smith",
        "&#65;nn Smith",
        "Ann Sm&#105;th",
        "[Ann](https://example.org) Smith",
        "Zoe\u0308 Brown",  # an e and a combining diaeresis
        "Zo\u0451 Brown",  # a Cyrillic yo
    ],
)
def test_a_disguised_name_on_the_deny_list_is_found(written: str) -> None:
    text = f"We visited {written} at home."
    assert spans(text) == expect(text, "name", written)


@pytest.mark.parametrize(
    "listed",
    ["\u0410nn Smith", "Ann Smi\u00adth", "\uff21nn Smith", "Ann\u00a0Smith", "ANN  SMITH"],
)
def test_a_disguised_name_on_the_deny_list_finds_the_plain_one(listed: str) -> None:
    text = "We visited Ann Smith at home."
    assert spans(text, DenyList.of([listed])) == expect(text, "name", "Ann Smith")


def test_a_finding_in_the_readers_text_is_reported_on_its_line_in_the_source() -> None:
    text = "First line.\n\nHer NHS number,\n**943** 476\n5919, was on file."
    [(kind, start, _)] = spans(text)
    assert kind == "nhs-number"
    assert text.count("\n", 0, start) + 1 == 4


def test_a_number_found_both_as_written_and_as_read_is_reported_once() -> None:
    text = "NHS 943 476 5919 and *943 476 5919*."
    assert spans(text) == [("nhs-number", 4, 16), ("nhs-number", 22, 34)]


# --- what must still not be found -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # ids and references, however they are marked up
        "**S07** and _S12_",
        "S*07*",
        "`A1`, ~~G1~~ and M\\_1",
        "worker: *W01*",
        "ref: HF\\-LD\\-2010\\-01",
        "HF\\_LD\\_2010\\_01",
        "*2011-03-17*",
        # version and section numbers
        "version 1.2.3",
        "v2.0.1-rc1",
        "section 4.2.1",
        "see 3.1.4.1 and 10.2",
        "IP 10.0.0.1",
        "0161.496.0000.12",  # a longer dotted code, not a number and ".12"
        "20.07.2011 12.03.2012",
        "0.1.2",
        "1.0.1234567",
        # lower-case words and ordinals that look like the halves of a postcode
        "the 2nd floor",
        "b2 3rd",
        "e1 1st",
        "m1 4th",
        "on the 1st of the month",
        "sw1a1aa",
        "room w6 9",
        "phases s2 and s3",
        "at b1 2am",
        "the ab cd",
        # dates in the new forms, but no birth cue
        "reviewed 12-Mar-2011",
        "due 12/Mar/2011",
        "a. 3-Mar-2011 meeting\nb. 12-Mar-2011 meeting",
        "a. 3 March 2011 meeting\nb. **12 March 2011** meeting",
        "**a.** 3 March 2011 meeting\n**b.** 12 March 2011 meeting",
        "a. 3 March 2011 meeting\n__b. 12 March 2011 meeting",
        "a. 3 March 2011 meeting\n\u200bb\u00ad. 12 March 2011 meeting",
        "She was born in Leeds.\u200b The review was presented on 17 March 2011.",
        # a number that fails its check, however disguised
        "**943** 476 5918",
        "&#57;43 476 5918",
        # lower-case NI numbers stay too close to ordinary codes
        "ab 12 34 56 c",
        # other scripts are not names
        "\u041c\u043e\u0441\u043a\u0432\u0430 and \u0391\u03b8\u03ae\u03bd\u03b1",
        # ampersands that are not references
        "H&F, R&D &amp; A&E &copy; 2011",
        # not the name on the list
        "Anne Smithson, Ann Smithers, Ann-Smith and Ann_Smith",
    ],
)
def test_not_personal_data_however_it_is_written(text: str) -> None:
    assert spans(text) == []


# --- crafted inputs ---------------------------------------------------------------
# Each takes time proportional to its length; these check that each gives the
# right answer (a slow one would show as a slow test run).

NHS = "943 476 5919"
SIZE = 100_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<!-- pii-ok " * (SIZE // 12) + NHS,
            [("nhs-number", SIZE // 12 * 12, SIZE // 12 * 12 + 12)],
        ),
        ("<!-- pii-ok: reason\n" * (SIZE // 20), []),
        ("<!--" * (SIZE // 4), []),
        ("<!--" + " " * SIZE, []),
        ("#" + " " * SIZE, []),
        ("1" + " " * SIZE + "x", []),
        ("943" + " " * SIZE + "476 5919", [("nhs-number", 0, SIZE + 11)]),
        (" \t" * (SIZE // 2) + "<", []),
        ("\n" * SIZE, []),
        (" \n" * (SIZE // 2), []),
        ("0" + "1" * SIZE, []),
        ("-" * SIZE, []),
        ("[" * SIZE, []),
        ("](" * (SIZE // 2), []),
        ("](x" + " " * SIZE, []),
        ("&" * SIZE, []),
        ("&#" + "9" * SIZE + ";", []),
        ("&#x" + "f" * SIZE, []),
        ("\\" * SIZE, []),
        ("*" * SIZE, []),
        ("_" * SIZE, []),
        ("\u00ad" * SIZE, []),
        ("9\u200b" * (SIZE // 2), []),
        ("e" + "\u0301" * SIZE, []),
        ("\uff19" * SIZE, []),
        ("0123 " * (SIZE // 5), []),
        ("01-" * (SIZE // 3), []),
        ("(0" * (SIZE // 2), []),
        ("+44 " * (SIZE // 4), []),
        ("a" * SIZE + "@", []),
        ("a@" + "a-" * (SIZE // 2), []),
        ("a@b" + ".c" * (SIZE // 2), []),
        ("a@" * (SIZE // 2), []),
        ("AB 12 " * (SIZE // 6), []),
        ("SW1A " * (SIZE // 5), []),
        ("sw1a " * (SIZE // 5), []),
        ("12 March " * (SIZE // 9), []),
        ("12" + " of" * (SIZE // 3), []),
        ("Mar." * (SIZE // 4), []),
        ("b." * (SIZE // 2), []),
        (("date" + " " * 50) * (SIZE // 54), []),
        ("born " + "1/1/11 " * (SIZE // 7), [("date-of-birth", 5, 11)]),
        (
            "1/1/11 " * (SIZE // 7) + "born",
            [("date-of-birth", SIZE // 7 * 7 - 7, SIZE // 7 * 7 - 1)],
        ),
        ("Ann " * (SIZE // 4), []),
        ("Ann" + "," * SIZE + " Smith", []),
        ("Ann Smi" + "\u00ad" * SIZE + "th", [("name", 0, SIZE + 9)]),
    ],
    ids=itertools.count(),
)
def test_a_crafted_text_is_read_correctly(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert spans(text) == expected


def test_an_unclosed_marker_repeated_on_a_line_with_findings_is_no_marker() -> None:
    line = f"{NHS} <!-- pii-ok " * 2000
    findings = find_personal_data(line)
    assert len(findings) == 2000
    # The guard asks for a line's markers once for each finding on it.
    for _ in findings:
        assert find_markers(line) == []


def test_many_names_in_a_long_text_are_each_found() -> None:
    text = "Ann Smith, " * (SIZE // 11)
    assert len(spans(text)) == SIZE // 11


# --- the property: inserting what a reader does not see never hides the data ------

INVISIBLE = [
    "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\ufe0f", "\u034f", "\u180e",
    "\u200e", "\u2062", "&shy;", "&#8203;", "&zwnj;",
]  # fmt: skip
EMPHASIS = ["*", "**", "_", "__", "~~", "`", "***"]
BREAKS = ["\n", "\n  ", " \n", "\r\n", "\n\t"]
KNOWN = [
    ("nhs-number", "943 476 5919"),
    ("nhs-number", "4010232137"),
    ("nhs-number", "485-777-3457"),
    ("phone", "020 7946 0018"),
    ("phone", "07700 900123"),
    ("phone", "+44 20 7946 0018"),
    ("postcode", "SW1A 1AA"),
    ("postcode", "W6 9JU"),
    ("postcode", "sw1a 1aa"),
    ("name", "Ann Smith"),
    ("name", "Zo\u00eb Brown"),
]
PROSE = [
    ("Her details, ", ", were on the referral."),
    ("On the front sheet:\n", "\n\nNothing else was recorded."),
    ("(", ")"),
    ("The social worker noted ", " in her case notes."),
]


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str, str]:
    """A known value with invisible characters, emphasis markers and line breaks put
    inside it (line breaks where it has a space, as a wrapped line would have one)."""
    kind, value = draw(st.sampled_from(KNOWN))
    pieces = []
    for index, char in enumerate(value):
        if char == " " and draw(st.booleans()):
            char = draw(st.sampled_from(BREAKS))
        pieces.append(char)
        if index < len(value) - 1:
            inserted = draw(
                st.lists(st.sampled_from(INVISIBLE + EMPHASIS), max_size=2).map("".join)
            )
            pieces.append(inserted)
    written = "".join(pieces)
    before, after = draw(st.sampled_from(PROSE))
    return kind, written, f"{before}{written}{after}"


@UNTIMED
@given(disguised())
def test_what_a_reader_does_not_see_never_hides_personal_data(
    case: tuple[str, str, str],
) -> None:
    kind, written, text = case
    start = text.index(written)
    assert spans(text) == [(kind, start, start + len(written))]


LOOK_ALIKES = {
    "A": ["\u0410", "\u0391", "\uff21"],
    "S": ["\u0405", "\uff33"],
    "W": ["\u051c", "\uff37"],
    "J": ["\u0408"],
    "U": ["\ua4f4"],
    "B": ["\u0412", "\u0392"],
    "n": ["\u0578", "\u0274"],
    "o": ["\u043e", "\u03bf"],
    "i": ["\u0456", "\u0131"],
    "a": ["\u0430", "\u03b1"],
    "w": ["\u051d", "\u1d21"],
    "h": ["\u04bb"],
}


@st.composite
def rewritten(draw: st.DrawFn) -> tuple[str, str, str]:
    """A known value with characters written another way a reader reads the same:
    digits and letters as character references, full-width or look-alike letters,
    digits of another script, spaces as no-break spaces, references or line breaks."""
    kind, value = draw(st.sampled_from(KNOWN))
    pieces = []
    for char in value:
        if char.isdigit():
            ways = [f"&#{ord(char)};", f"&#x{ord(char):x};", chr(0xFF10 + int(char))]
            ways += [chr(0x1D7CE + int(char)), chr(0x0660 + int(char))]
        elif char == " ":
            ways = ["\u00a0", "\u202f", "\u2009", "&nbsp;", "&#32;", "  ", "\n"]
        elif char.isascii() and char.isalpha():
            ways = [f"&#{ord(char)};", chr(ord(char) + 0xFEE0), *LOOK_ALIKES.get(char, [])]
        elif char == "-":
            ways = ["\u2011", "\u2013", "\\-"]
        else:
            ways = []
        pieces.append(draw(st.sampled_from([char, *ways])))
    written = "".join(pieces)
    before, after = draw(st.sampled_from(PROSE))
    return kind, written, f"{before}{written}{after}"


@UNTIMED
@given(rewritten())
def test_what_a_reader_reads_the_same_is_found_the_same(case: tuple[str, str, str]) -> None:
    kind, written, text = case
    start = text.index(written)
    assert spans(text) == [(kind, start, start + len(written))]


ORDINARY = [
    "ratings:\n  S07: Adequate\n  S50: Good\ncases:\n  - ref: HF-LD-2010-01\n"
    "    worker: W01\nactions:\n  - id: A1\n    due: 2011-03-31\n  - id: G1\n",
    "The review was presented on 17 March 2011. Of the 12 cases audited in 2010-2011, "
    "one person, aged 83, had 2 admissions.",
    "She was born in Leeds. The review was presented on 17 March 2011.",
    "born in 1941, she was reviewed on 17 March 2011",
    "a. 3 March 2011 meeting\nb. 12 March 2011 meeting",
    "**a.** 3 March 2011 meeting\n**b.** 12 March 2011 meeting",
    "version 1.2.3, section 4.2.1; the 2nd floor; b2 3rd; Plan b. was agreed, then on "
    "12 March 2011 signed off.",
    "Tel 0-10 scale at 09:30, cases 01 02 03 04 05 06; In 1941 there were 12 cases",
    "Standards S07, S12 and S50; actions A1, G1 and M1; workers W01 and W02; see 3.1.4.",
    "H&F and R&D &amp; A&E, (c) 2011; 50% of 12; e1 1st; m1 4th; at b1 2am",
]


@UNTIMED
@given(
    st.sampled_from(ORDINARY),
    st.lists(
        st.tuples(st.integers(min_value=0), st.sampled_from(INVISIBLE + EMPHASIS)), max_size=12
    ),
)
def test_what_a_reader_does_not_see_never_makes_personal_data(
    text: str, insertions: list[tuple[int, str]]
) -> None:
    # Each goes between two characters of the text, never inside another insertion.
    at: dict[int, str] = {}
    for position, inserted in insertions:
        at[position % (len(text) + 1)] = inserted
    text = "".join(at.get(index, "") + char for index, char in enumerate(text)) + at.get(
        len(text), ""
    )
    assert spans(text) == []


@pytest.mark.parametrize(
    "written",
    [
        "Jo Pri\u03f2e",  # Greek lunate sigma, which NFKC turns into a final sigma
        "Jo Pri\u03c2e",  # Greek final sigma
        "\u2c80nn Smith",  # Coptic alfa
        "Jo \u2ca2rice",  # Coptic ro
        "Ann \u13daith".replace("\u13da", "S\u1d0d"),  # Latin small capital M
        "\u15c5nn Smith",  # Canadian syllabics carrier gho
        "A\u057c\u057c Smith",  # Armenian ra
        "Ann Smi\u03c4h",  # Greek tau
        "Ann Smit\u0266",  # Latin h with hook
        "Jo Pr\u1d09ce",  # Latin turned i
        "Jo \u0420r\u0456\u0441\u0435",  # Cyrillic er, i, es, ie
    ],
)
def test_look_alike_letters_from_any_script_hide_no_name(written: str) -> None:
    deny = DenyList.of(["Jo Price", "Ann Smith"])
    text = f"We met {written} at home."
    assert [(f.kind, text[f.start : f.end]) for f in find_personal_data(text, deny)] == [
        ("name", written)
    ]


def test_digits_that_look_like_letters_stay_digits() -> None:
    text = "Her details, SW1A \U0001d7cfAA, were on the referral."
    assert [f.kind for f in find_personal_data(text)] == ["postcode"]
