"""The export's text: the document's own JSON and the CSV's lines, every byte, however
the writers put them together, and nothing of one programme in another's."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from generator.check.repository import check
from generator.export.cells import csv_line_writer, csv_lines
from generator.export.document import ExportDocument
from generator.export.to_csv import to_csv
from generator.export.to_json import build_export, to_json
from generator.score.published import published
from generator.score.results import score_programme
from tests.support.cli import run_cli
from tests.support.paths import BASE, ROOT
from tests.support.repos import RepoFactory

AS_OF = dt.date(2017, 1, 1)
SMALL = ("--boroughs", "2", "--teams", "3", "--years", "4", "--seed", "3")
REVIEW = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"

# Text a writer could get wrong: JSON escapes, CSV quoting, line breaks of every kind,
# characters beyond ASCII and beyond the Basic Multilingual Plane, and the very text the
# JSON writer looks for where a review's standards go.
AWKWARD = (
    "",
    '"quoted"',
    "back\\slash",
    "tab\there",
    "line\nfeed",
    "carriage\rreturn",
    "both\r\n",
    "\x00\x01\x1f\x7f",
    "\u2028\u2029\u0085",
    "é, ü; 日本",
    "\U0001f642",
    '\n      "standards": {}',
    '\n  "reviews": []',
    "=1+1",
)


def _document(root: Path, as_of: dt.date = AS_OF, *, presented: bool = False) -> ExportDocument:
    validation = check(root, as_of)
    assert validation.programme is not None, validation.problems
    results = score_programme(validation.programme, as_of)
    return build_export(validation.programme, published(results) if presented else results)


def _the_models_json(document: ExportDocument) -> str:
    return document.model_dump_json(indent=2, by_alias=True) + "\n"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "programme"
    made = run_cli("synth", str(out), *SMALL)
    assert made.returncode == 0, made.stderr
    return out


def test_the_json_is_the_documents_own_for_the_sample() -> None:
    for presented in (False, True):
        document = _document(ROOT, presented=presented)
        assert len(document.reviews) > 10
        assert to_json(document) == _the_models_json(document)


def test_the_json_is_the_documents_own_for_a_synthetic_programme(synthetic: Path) -> None:
    document = _document(synthetic, dt.date(2026, 1, 1))
    assert len(document.reviews) > 10
    assert to_json(document) == _the_models_json(document)


def test_the_json_is_the_documents_own_whatever_text_it_holds() -> None:
    document = _document(BASE)
    (review,) = document.reviews
    part = next(iter(review.standards.values()))
    reviews = [
        review.model_copy(
            update={
                "borough": text,
                "standards": {
                    key: part.model_copy(update={"domain": key, "rating": text}) for key in AWKWARD
                }
                # One part shared by every standard of the review, as the writer shares them.
                | {f"shared {key}": part for key in AWKWARD},
            }
        )
        for text in AWKWARD
    ]
    reviews.append(review.model_copy(update={"standards": {}}))
    for doctored in (
        document.model_copy(update={"reviews": reviews}),
        document.model_copy(update={"reviews": [reviews[-1]]}),
        document.model_copy(update={"reviews": []}),
    ):
        text = to_json(doctored)
        assert text == _the_models_json(doctored)
        assert len(json.loads(text)["reviews"]) == len(doctored.reviews)


def test_a_line_is_the_lines_of_its_parts_joined_with_a_comma() -> None:
    # to_csv writes a review's cells once and each standard's cells once, and joins them.
    cells: list[object] = [*AWKWARD, None, 0, -3, 2.5, "true"]
    line = csv_line_writer()
    for start in range(len(cells) - 1):
        for end in range(start + 2, len(cells) - 1):
            left, right = cells[start:end], cells[end : end + 2]
            assert line(left) + "," + line(right) == line(left + right), (left, right)
    rows: list[list[object]] = [cells, cells[:2], [""], [None], ["only"], []]
    text = csv_lines(rows)
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read == [["" if c is None else str(c) for c in row] for row in rows]


def test_an_edited_review_changes_its_rows_and_nothing_else(make_repo: RepoFactory) -> None:
    repo = make_repo()
    before = _document(repo)
    written = (repo / REVIEW).read_text(encoding="utf-8")
    make_repo({REVIEW: written.replace("  S03: Good\n", "  S03: Outstanding\n")})
    after = _document(repo)
    old_lines, new_lines = to_csv(before).splitlines(), to_csv(after).splitlines()
    changed = [(o, n) for o, n in zip(old_lines, new_lines, strict=True) if o != n]
    start = "2017-01-01,hammersmith-fulham,learning-disability,2010-12-09,presented,1,S03,practice"
    assert changed == [
        (f"{start},true,Good,3,new,,0,0,false", f"{start},true,Outstanding,4,new,,0,0,false")
    ]
    old_json, new_json = json.loads(to_json(before)), json.loads(to_json(after))
    assert old_json["reviews"][0]["standards"]["S03"]["rating"] == "Good"
    assert new_json["reviews"][0]["standards"]["S03"]["rating"] == "Outstanding"
    assert new_json["reviews"][0]["overall"] != old_json["reviews"][0]["overall"]
