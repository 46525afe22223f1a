"""Personal data in reviewers' text: what is found, what is left alone, and where.

Every example states the exact text a finding covers (``text[start:end]``), so a
rule that starts to swallow a neighbouring word or drop a digit shows up here.
The NHS numbers are real in shape only: their check digits were computed with
the Modulus 11 rule. Most phone numbers are from Ofcom's ranges kept for drama.
"""

from __future__ import annotations

import itertools
import random
import string
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from generator.privacy.detect import find_personal_data
from generator.privacy.findings import KINDS, Finding
from generator.privacy.id_numbers import nhs_number_valid
from generator.privacy.markers import Marker, find_markers
from generator.privacy.names import DenyList

VALID_NHS_NUMBERS = ["9434765919", "4010232137", "4857773457", "4505577104"]


def found(text: str, deny: DenyList | None = None) -> list[tuple[str, str]]:
    """Each finding as (kind, the text it covers)."""
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text, deny)]


def reference_check_digit(nine: str) -> int | None:
    """The NHS check digit, written out independently of the module."""
    remainder = sum((10 - i) * int(d) for i, d in enumerate(nine)) % 11
    if remainder == 0:
        return 0
    return None if remainder == 1 else 11 - remainder


# --- the interface ---------------------------------------------------------------


def test_kinds_and_their_descriptions() -> None:
    assert KINDS == {
        "nhs-number": "an NHS number",
        "ni-number": "a National Insurance number",
        "postcode": "a UK postcode",
        "date-of-birth": "a date of birth",
        "phone": "a phone number",
        "email": "an email address",
        "name": "a name on the deny-list",
    }


def test_a_finding_describes_its_kind_without_its_value() -> None:
    finding = Finding("postcode", 3, 11)
    assert finding.description == "a UK postcode"
    assert repr(finding) == "Finding(kind='postcode', start=3, end=11)"


@pytest.mark.parametrize(("kind", "start", "end"), [("address", 0, 1), ("email", 4, 4)])
def test_a_finding_must_be_a_known_kind_over_some_text(kind: str, start: int, end: int) -> None:
    with pytest.raises(ValueError):
        Finding(kind, start, end)


def test_ordinary_review_text_has_no_findings() -> None:
    text = (
        "ratings:\n  S07: Adequate\n  S50: Good\ncases:\n  - ref: HF-LD-2010-01\n"
        "    worker: W01\nactions:\n  - id: A1\n    due: 2011-03-31\n  - id: G1\n"
        "The review was presented on 17 March 2011. Of the 12 cases audited in 2010-2011, "
        "one person, aged 83, had 2 admissions."
    )
    assert found(text) == []


# --- NHS numbers -----------------------------------------------------------------


@pytest.mark.parametrize("number", VALID_NHS_NUMBERS)
def test_nhs_number_valid_accepts_numbers_with_the_right_check_digit(number: str) -> None:
    assert nhs_number_valid(number)


@pytest.mark.parametrize(
    "digits",
    [
        "9434765918",  # the check digit should be 9
        "4000000080",  # the first nine digits give a check of 10: no such number
        "1234567890",  # likewise
        "943476591",
        "94347659190",
        "943 476 5919",
        "",
        "\uff19434765919",  # a full-width 9 is a digit to str.isdigit, not to the NHS
    ],
)
def test_nhs_number_valid_refuses_everything_else(digits: str) -> None:
    assert not nhs_number_valid(digits)


@pytest.mark.parametrize("written", ["9434765919", "943 476 5919", "943-476-5919"])
def test_an_nhs_number_is_found_however_it_is_grouped(written: str) -> None:
    text = f"Her NHS number, {written}, was on the front sheet."
    assert found(text) == [("nhs-number", written)]


@pytest.mark.parametrize("written", ["9434765918", "943 476 5918", "400 000 0080", "1234567890"])
def test_a_ten_digit_number_failing_modulus_11_is_not_an_nhs_number(written: str) -> None:
    assert found(f"Reference {written} on the file.") == []


@pytest.mark.parametrize(
    "text", ["19434765919", "94347659191", "A9434765919", "9434765919B", "9434765919.5"]
)
def test_an_nhs_number_inside_a_longer_number_or_word_is_not_reported(text: str) -> None:
    assert found(text) == []


def test_a_ten_digit_number_starting_with_0_is_a_phone_even_when_it_passes_modulus_11() -> None:
    assert nhs_number_valid("0800123468")
    assert found("Ring 0800123468 or 0800 123 468.") == [
        ("phone", "0800123468"),
        ("phone", "0800 123 468"),
    ]


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_nhs_number_valid_agrees_with_the_reference_rule(digits: str) -> None:
    assert nhs_number_valid(digits) == (reference_check_digit(digits[:9]) == int(digits[9]))


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.sampled_from(["{}", "{} {} {}", "{}-{}-{}"]),
)
def test_every_valid_nhs_number_is_found_in_every_grouping(eight: str, grouping: str) -> None:
    nine = "4" + eight  # numbers issued in England start with 4, 6 or 7
    check = reference_check_digit(nine)
    assume(check is not None)
    digits = f"{nine}{check}"
    written = digits if grouping == "{}" else grouping.format(digits[:3], digits[3:6], digits[6:])
    assert found(f"NHS no. {written}.") == [("nhs-number", written)]


# --- National Insurance numbers --------------------------------------------------


@pytest.mark.parametrize("written", ["AB 12 34 56 C", "AB123456C", "AB 123456 C", "JZ 98 76 54 D"])
def test_a_national_insurance_number_is_found_with_or_without_spaces(written: str) -> None:
    text = f"NI number {written} on the benefits form."
    assert found(text) == [("ni-number", written)]


@pytest.mark.parametrize(
    "written",
    [
        "QQ 12 34 56 C",  # Q is never a prefix letter
        "DA123456A",  # nor is D
        "AO123456A",  # O is never the second letter
        "GB123456A",  # a prefix HMRC never issues
        "ZZ 12 34 56 A",
        "AB123456E",  # the suffix is A to D
        "ab123456c",  # lower case is too like ordinary words to be worth the noise
        "XAB123456C",
        "AB1234567C",
    ],
)
def test_not_a_national_insurance_number(written: str) -> None:
    assert found(f"Form {written} filed.") == []


# --- Postcodes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode",
    ["SW1A 1AA", "W6 9JU", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA"],
)
def test_a_postcode_in_a_sentence_is_found(postcode: str) -> None:
    text = f"She moved to a flat at {postcode}, near her daughter."
    assert found(text) == [("postcode", postcode)]


def test_a_postcode_without_its_space_is_found_when_it_stands_alone() -> None:
    text = "Address: SW1A1AA.\n(W69JU)"
    assert found(text) == [("postcode", "SW1A1AA"), ("postcode", "W69JU")]


@pytest.mark.parametrize(
    "text",
    [
        "S07",
        "S50: Good",
        "grades: {S07: Good, S12: Adequate}",
        "actions A1, G1 and M1",
        "worker: W01",
        "ref: HF-LD-2011-04",
        "2011-03-17",
        "sw1a1aa",  # not in capitals, a postcode needs its space
        "b2 3rd",  # nor may its inward code be an ordinal
        "XSW1A 1AA",
        "SW1A 1AAB",
        "QQ1 1AA",  # no such postcode area
        "SW1A 1CA",  # C is never in the inward code
    ],
)
def test_not_a_postcode(text: str) -> None:
    assert found(text) == []


# --- Dates of birth --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("She was born 12/03/1941 in Leeds.", "12/03/1941"),
        ("DOB: 12-03-1941", "12-03-1941"),
        ("D.O.B. 12.03.1941", "12.03.1941"),
        ("Date of birth: 1941-03-12", "1941-03-12"),
        ("date_of_birth: 1941-03-12", "1941-03-12"),
        ("Birth date 12 March 1941", "12 March 1941"),
        ("Her birthday, 12 Mar 1941, was", "12 Mar 1941"),
        ("He was born on March 12, 1941, in Jamaica.", "March 12, 1941"),
        ("born on the 12th of March 1941", "12th of March 1941"),
        ("Mr X (b. 12 March 1941) lives alone.", "12 March 1941"),
        ("dob 12/3/41", "12/3/41"),
        ("12/03/1941 (date of birth)", "12/03/1941"),
        ("She was born, according to her sister,\non 12 March 1941.", "12 March 1941"),
    ],
)
def test_a_date_next_to_a_birth_cue_is_a_date_of_birth(text: str, date: str) -> None:
    assert found(text) == [("date-of-birth", date)]


@pytest.mark.parametrize(
    "text",
    [
        "The review was presented on 17 March 2011.",
        "due: 2011-03-31",
        "completed: 2011-03-17",
        "One person, aged 83, lives alone.",
        "She was born in Leeds. The review was presented on 17 March 2011.",
        "born in 1941, she was reviewed on 17 March 2011",  # the year is nearer
        "She was born in Leeds and lived there for most of her life, and on 17 March 2011",
        "a. 3 March 2011 meeting\nb. 12 March 2011 meeting",  # a lettered list
        "Plan b. was agreed, then on 12 March 2011 signed off.",
        "newborn 12/03/2011",
        "reborn on 12 March 2011",
    ],
)
def test_a_date_without_a_birth_cue_next_to_it_is_not_a_date_of_birth(text: str) -> None:
    assert found(text) == []


# --- Phone numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "01632 960001",
        "020 7946 0018",
        "(020) 7946 0018",
        "0161 496 0000",
        "0161-496-0000",
        "0300 123 4567",
        "0800 123 456",
        "+44 7700 900123",
        "+447700900123",
        "+44 20 7946 0018",
        "+44 (0)20 7946 0018",
        "0044 20 7946 0018",
    ],
)
def test_a_uk_phone_number_is_found(number: str) -> None:
    assert found(f"Her son's number is {number}; call after six.") == [("phone", number)]


def test_phone_numbers_side_by_side_are_found_one_by_one() -> None:
    text = "Tel 07700 900123 01632 960001 (01632 960002) 0161 496 0000 2011"
    assert found(text) == [
        ("phone", "07700 900123"),
        ("phone", "01632 960001"),
        ("phone", "01632 960002"),
        ("phone", "0161 496 0000"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2010-2011",
        "2011-03-17",
        "01-03-2011",
        "HF-LD-2010-01",
        "In 1941 there were 12 cases",
        "cases 01 02 03 04 05 06",
        "077009001234",  # 12 digits
        "077009001234567",
        "07700 900123x",
        "0.07700900123",
        "04700 900123",  # 04 is not a UK range in use
        "+33 1 23 45 67 89",
        "0-10 scale at 09:30",
    ],
)
def test_not_a_phone_number(text: str) -> None:
    assert found(text) == []


# --- E-mail addresses ------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["ann.smith@example.org", "a.b+care@mail.example.co.uk", "X_Y-1@example.com"]
)
def test_an_email_address_is_found_without_the_full_stop_after_it(address: str) -> None:
    assert found(f"Write to {address}.") == [("email", address)]


@pytest.mark.parametrize("text", ["@handle", "user@localhost", "ann@", "a @ b.com"])
def test_not_an_email_address(text: str) -> None:
    assert found(text) == []


# --- Names on the deny-list ------------------------------------------------------


def test_a_name_is_found_whatever_its_case() -> None:
    deny = DenyList.of(["Ann Smith"])
    text = "ann smith, ANN SMITH and Ann Smith"
    assert found(text, deny) == [
        ("name", "ann smith"),
        ("name", "ANN SMITH"),
        ("name", "Ann Smith"),
    ]


def test_a_name_is_found_only_as_whole_words() -> None:
    deny = DenyList.of(["Ann"])
    text = "Anne planned a visit to Joanna; Ann's sister came, and so did Ann."
    assert found(text, deny) == [("name", "Ann"), ("name", "Ann")]
    assert [text[f.start : f.start + 6] for f in deny.find(text)] == ["Ann's ", "Ann."]


def test_a_multi_word_name_is_found_across_any_whitespace() -> None:
    deny = DenyList.of(["Mary  Jane O'Brien"])
    text = "visited Mary\nJane  O\u2019Brien at home; Mary Jane was out; Mary-Jane O'Brien"
    assert found(text, deny) == [("name", "Mary\nJane  O\u2019Brien")]


def test_a_name_in_markdown_emphasis_or_punctuation_is_found() -> None:
    deny = DenyList.of(["Ann Smith", "Marsh-Kirby"])
    text = "_Ann Smith_ and **ann smith**; (Marsh-Kirby), Marsh-Kirby's; Marsh Kirby; Marsh-Kirbyx"
    assert found(text, deny) == [
        ("name", "Ann Smith"),
        ("name", "ann smith"),
        ("name", "Marsh-Kirby"),
        ("name", "Marsh-Kirby"),
    ]


def test_a_name_is_compared_by_case_folding() -> None:
    deny = DenyList.of(["J\u00fcrgen Strau\u00df"])
    text = "J\u00dcRGEN STRAUSS, J\u00fcrgen Strau\u00df and Jurgen Strauss"
    assert found(text, deny) == [
        ("name", "J\u00dcRGEN STRAUSS"),
        ("name", "J\u00fcrgen Strau\u00df"),
    ]


def test_the_longest_name_wins_where_two_overlap() -> None:
    deny = DenyList.of(["Ann", "Ann Smith", "Smith"])
    assert found("Ann Smith met Ann.", deny) == [("name", "Ann Smith"), ("name", "Ann")]


def test_a_name_inside_an_email_address_is_reported_once_as_the_address() -> None:
    deny = DenyList.of(["Smith"])
    assert found("ann.smith@example.org", deny) == [("email", "ann.smith@example.org")]


def test_a_deny_list_file_skips_comments_blanks_and_single_letters(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text(
        "\ufeff# exported from the case system\nAnn Smith\n\n   \n  # Bob Jones\nJ\nLi\n"
        "ann smith\nZo\u00eb Brown\n",
        encoding="utf-8",
    )
    deny = DenyList.read(path)
    assert len(deny) == 3  # Ann Smith (twice), Li, Zoë Brown
    text = "Bob Jones met J and Li, then ZOË BROWN and ann  smith."
    assert found(text, deny) == [("name", "Li"), ("name", "ZOË BROWN"), ("name", "ann  smith")]


def test_an_empty_deny_list_finds_nothing() -> None:
    deny = DenyList.of([])
    assert len(deny) == 0
    assert deny.find("Ann Smith") == []


def test_a_missing_deny_list_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        DenyList.read(tmp_path / "absent.txt")


def test_a_deny_list_file_that_is_not_utf8_is_a_decode_error(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_bytes("Zo\u00eb Brown\n".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        DenyList.read(path)


def test_a_long_deny_list_against_a_long_text_finds_the_planted_name() -> None:
    rng = random.Random(20110317)

    def word() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))).title()

    names = [f"{word()} {word()}" for _ in range(19_999)] + ["Ellen Marsh-Kirby"]
    deny = DenyList.of(names)
    assert len(deny) == 20_000
    filler = " ".join(word() for _ in range(30_000)).replace("Ellen", "Ella")
    text = filler[:100_000] + "\nseen with ELLEN\nMarsh-Kirby today\n" + filler[100_000:200_000]
    names_found = [(kind, value) for kind, value in found(text, deny) if kind == "name"]
    assert ("name", "ELLEN\nMarsh-Kirby") in names_found
    assert all(
        " ".join(value.split()).casefold() in {n.casefold() for n in names}
        for _, value in names_found
    )


@given(st.text(alphabet=string.ascii_letters, min_size=2, max_size=12))
def test_a_listed_name_is_found_wherever_it_stands_alone(name: str) -> None:
    deny = DenyList.of([name])
    text = f"Met {name.upper()} today; {name}, and ({name})."
    assert found(text, deny) == [("name", name.upper()), ("name", name), ("name", name)]


# --- Everything together ---------------------------------------------------------


def test_findings_of_every_kind_are_sorted_by_where_they_start() -> None:
    text = (
        "Ann Smith (DOB: 12/03/1941), NHS 943 476 5919, NI AB123456C,\n"
        "lives at W6 9JU; tel 020 7946 0018; ann@example.org"
    )
    assert found(text, DenyList.of(["Ann Smith"])) == [
        ("name", "Ann Smith"),
        ("date-of-birth", "12/03/1941"),
        ("nhs-number", "943 476 5919"),
        ("ni-number", "AB123456C"),
        ("postcode", "W6 9JU"),
        ("phone", "020 7946 0018"),
        ("email", "ann@example.org"),
    ]


@given(st.text(), st.lists(st.text(min_size=1, max_size=20), max_size=5))
def test_findings_are_sorted_disjoint_spans_of_known_kinds(text: str, names: list[str]) -> None:
    findings = find_personal_data(text, DenyList.of(names))
    assert all(f.kind in KINDS and 0 <= f.start < f.end <= len(text) for f in findings)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))


@given(st.text(alphabet=string.ascii_letters + " .,;:-()'\n", max_size=400))
def test_text_without_digits_has_no_numbers_in_it(text: str) -> None:
    numeric = {"nhs-number", "ni-number", "postcode", "date-of-birth", "phone"}
    assert [f for f in find_personal_data(text) if f.kind in numeric] == []


# --- pii-ok markers --------------------------------------------------------------


def test_yaml_comment_markers_with_and_without_a_reason() -> None:
    text = (
        "contact: 020 7946 0018  # pii-ok: the team's duty line\n"
        "email: team@example.org # pii-ok\n"
        "fax: 020 7946 0019 #pii-ok:\n"
        "note: x # PII-OK   published   in the annual report  \n"
    )
    markers = find_markers(text)
    assert [(text[m.start : m.end], m.reason) for m in markers] == [
        ("# pii-ok: the team's duty line", "the team's duty line"),
        ("# pii-ok", ""),
        ("#pii-ok:", ""),
        ("# PII-OK   published   in the annual report  ", "published in the annual report"),
    ]
    bare = text.index("# pii-ok\n")
    assert markers[1] == Marker(bare, bare + len("# pii-ok"), "")


def test_html_comment_markers_with_and_without_a_reason() -> None:
    text = (
        "Call 0800 123 456 <!-- pii-ok: national helpline -->.\n"
        "<!--pii-ok-->\n"
        "<!-- pii-ok: the duty\n   team's number -->"
    )
    markers = find_markers(text)
    assert [(text[m.start : m.end], m.reason) for m in markers] == [
        ("<!-- pii-ok: national helpline -->", "national helpline"),
        ("<!--pii-ok-->", ""),
        ("<!-- pii-ok: the duty\n   team's number -->", "the duty team's number"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "see https://example.org/page#pii-ok",  # a # inside a word is no YAML comment
        "# pii-okay",
        "# not pii-ok",
        "<!-- pii-ok: never closed",
        "<!-- pii-okay -->",
    ],
)
def test_not_a_marker(text: str) -> None:
    assert find_markers(text) == []
