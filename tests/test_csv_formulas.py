# ruff: noqa: RUF001  (full-width and small forms of = + - @ are what these tests are about)
"""No CSV the product writes holds a cell a spreadsheet would run as a formula.

A CSV cell that begins with = + - or @ (or a full-width form, or a tab, a
carriage return or spaces before one) is run as a formula by the spreadsheet
that opens the file. Names and labels that begin so are refused by the
checks; any text cell that would still begin so is written with a leading
apostrophe, which the data package reader takes off again.

Every CSV is parsed with the csv module and every text cell judged by
``_formula_like`` below, written here independently of the product's rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import frictionless
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.check.repository import check
from generator.export.cells import CSV_TEXT_PATTERN, csv_text, csv_text_value, csv_unsafe
from generator.export.team_csv import TEAM_CSV_COLUMNS, team_csv_text_columns
from generator.export.to_csv import CSV_COLUMNS, to_csv
from generator.export.to_json import build_export
from generator.model import formulas as models
from generator.model import types as model_types
from generator.model.formulas import formula_start
from generator.model.organisation import Borough
from generator.model.programme import Programme
from generator.model.schemas import json_schemas
from generator.render.site import render_site
from generator.render.templates import template_folders
from generator.score.results import Results, score_programme
from generator.share.datapackage.read import read_package
from generator.share.datapackage.write import package_files
from tests.support.cli import run_cli
from tests.support.paths import BASE, ROOT

AS_OF = dt.date(2017, 1, 1)
HF = "reviews/hammersmith-fulham"
LD = f"{HF}/learning-disability"
SIGNS = "=+-@"

# The attack, and its variations.
HYPERLINK = '=HYPERLINK("http://evil.example","click")'
DDE = "=cmd|' /C calc'!A0"
VARIANTS: dict[str, tuple[str, str]] = {
    # payload: how the checks say it begins
    HYPERLINK: ("'='", HYPERLINK),
    DDE: ("'='", DDE),
    "\t=1+1": ("a tab", "\\t=1+1"),
    "\r=1+1": ("a carriage return", "\\r=1+1"),
    "\n=1+1": ("a line break", "\\n=1+1"),
    "  =1+1": ("'=', even after spaces", "  =1+1"),
    "\u00a0\u3000=1+1": ("'=', even after spaces", "\\u00a0\\u3000=1+1"),
    "\u200b=1+1": ("'=', even after invisible characters", "\\u200b=1+1"),
    "\ufeff@SUM(A1)": ("'@', even after invisible characters", "\\ufeff@SUM(A1)"),
    "＝1+1": ("'＝' (a form of '=')", "＝1+1"),
    "＋44 20": ("'＋' (a form of '+')", "＋44 20"),
    "－Team": ("'－' (a form of '-')", "－Team"),
    "＠SUM(A1)": ("'＠' (a form of '@')", "＠SUM(A1)"),
    "﹦1": ("'﹦' (a form of '=')", "﹦1"),
    "-Older people": ("'-'", "-Older people"),
    "+Learning Disability": ("'+'", "+Learning Disability"),
    "@SUM(A1:A9)": ("'@'", "@SUM(A1:A9)"),
    "-2+3+cmd|' /C calc'!A0": ("'-'", "-2+3+cmd|' /C calc'!A0"),
    "\x01=1": ("a control character (U+0001)", "\\u0001=1"),
}
FOLDED = {"＝": "'＝' (a form of '=')"}
# Names that are no formula, and are kept.
ORDINARY = [
    "Hammersmith & Fulham",
    "H&F",
    "Team 2 (North)",
    "'s-Hertogenbosch",
    "'=HYPERLINK(1)",  # an apostrophe of its own first: shown as text
    "Older people - East",
    "x=1",
    "2011 cohort",
]


def _formula_like(cell: str) -> bool:
    """Would a spreadsheet take this cell for a formula? Judged without the product's
    rule: a tab, carriage return or line feed first, or = + - @ (in any Unicode
    form) after any spaces, control or invisible characters."""
    if cell[:1] in ("\t", "\r", "\n"):
        return True
    rest = cell
    while rest and (rest[0].isspace() or unicodedata.category(rest[0]) in ("Cc", "Cf")):
        rest = rest[1:]
    return bool(rest) and unicodedata.normalize("NFKC", rest[0])[:1] in SIGNS


def _refusal(start: str, shown: str) -> str:
    return (
        f"must not begin with {start}: a spreadsheet opening an export could take it for a "
        f"formula; begin with a letter or a digit instead, got '{shown}'"
    )


# --------------------------------------------------------------------------
# The rule, character by character


@pytest.mark.parametrize("payload", sorted(VARIANTS))
def test_a_name_that_begins_like_a_formula_is_refused_saying_how(payload: str) -> None:
    start, shown = VARIANTS[payload]
    assert _formula_like(payload)
    assert formula_start(payload) == start
    with pytest.raises(ValueError) as refused:
        Borough.model_validate({"name": payload, "short": "H&F"})
    (error,) = refused.value.errors()  # type: ignore[attr-defined]
    assert (error["loc"], error["type"], error["msg"]) == (
        ("name",),
        "formula_start",
        _refusal(start, shown),
    )


@pytest.mark.parametrize("name", ORDINARY)
def test_an_ordinary_name_is_kept(name: str) -> None:
    assert formula_start(name) is None
    assert Borough.model_validate({"name": name, "short": name}).name == name


def test_every_form_of_a_sign_and_every_space_is_known() -> None:
    """The declared characters cover what this Python's Unicode folds into a sign,
    every space and every control and format character of the first plane."""
    signs = re.compile(f"[{models.FORMULA_SIGNS}]")
    blank = re.compile(f"[{models.BLANK_START}]")
    for code in range(0x110000):
        character = chr(code)
        if unicodedata.normalize("NFKC", character)[:1] in SIGNS:
            assert signs.match(character), f"U+{code:04X}"
        if character.isspace() or (
            code < 0x10000 and unicodedata.category(character) in ("Cc", "Cf")
        ):
            assert blank.match(character), f"U+{code:04X}"


NAME_PATTERN = json_schemas()["borough"]["properties"]["name"]["pattern"]


@given(st.text(alphabet=st.sampled_from("'=+-@ \t\r\n＝＋－＠﹦\u200b\ufeffaZ1(&")))
def test_any_text_is_written_safely_and_read_back_exactly(text: str) -> None:
    cell = csv_text(text)
    assert csv_text_value(cell) == text
    assert not _formula_like(cell)
    assert not csv_unsafe(cell)
    assert cell in (text, "'" + text)
    # The package's table schema says what the writer and the reader say of a cell
    # (Frictionless anchors a pattern at both ends).
    if text:
        assert re.match(f"^{CSV_TEXT_PATTERN}$", cell)
        assert bool(re.match(f"^{CSV_TEXT_PATTERN}$", text)) is not csv_unsafe(text)
    # The schema editors use says what the checks say of a name.
    assert (re.search(NAME_PATTERN, text) is None) is (formula_start(text) is not None)


def test_the_editors_schemas_refuse_what_the_checks_refuse() -> None:
    borough = jsonschema.Draft202012Validator(json_schemas()["borough"])
    for payload in VARIANTS:
        assert list(borough.iter_errors({"name": payload, "short": "H&F"})), repr(payload)
    for name in ORDINARY:
        assert not list(borough.iter_errors({"name": name, "short": "H&F"})), name


# --------------------------------------------------------------------------
# Refused in the sample repository: every name, title and label


def _sample(tmp_path: Path) -> Path:
    repo = tmp_path / "sample"
    for part in ("standards", "reviews"):
        shutil.copytree(ROOT / part, repo / part)
    return repo


def _plant(repo: Path, path: str, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` with ``new``."""
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_validation_refuses_every_name_that_begins_like_a_formula(tmp_path: Path) -> None:
    repo = _sample(tmp_path)
    # (file, text to replace, field, payload, the text that replaces it: {} the payload)
    plants = [
        (
            "standards/framework.yml",
            "name: Adult Social Work Quality Standards",
            "name",
            HYPERLINK,
            "name: {}",
        ),
        ("standards/framework.yml", "{label: Good,", "scale[1].label", "＝Good", "{{label: {},"),
        (
            "standards/framework.yml",
            "title: Safeguarding adults}",
            "domains[0].title",
            "+Safeguarding adults",
            "title: {}}}",
        ),
        (
            "standards/framework.yml",
            "title: Financial information}",
            "evidence_sources[0].title",
            "-Financial information",
            "title: {}}}",
        ),
        (
            "standards/S07-safeguarding-enquiries.md",
            "title: Adult protection investigations are proportionate, timely and centred on "
            "the person",
            "title",
            "-2+3+cmd|' /C calc'!A0",
            "title: {}",
        ),
        (
            "standards/S07-safeguarding-enquiries.md",
            "title: Safeguarding enquiries are proportionate, timely and person-led",
            "revisions[0].title",
            "@SUM(A1)",
            "title: {}",
        ),
        (f"{HF}/borough.yml", "name: Hammersmith & Fulham", "name", DDE, "name: {}"),
        (f"{HF}/borough.yml", "short: H&F", "short", "\t=1+1", "short: {}"),
        ("reviews/westminster/borough.yml", "name: Westminster", "name", "\r=1+1", "name: {}"),
        (
            "reviews/kensington-chelsea/borough.yml",
            "short: RBKC",
            "short",
            "\u200b=1+1",
            "short: {}",
        ),
        (f"{LD}/team.yml", "name: Learning Disability Team", "name", "  =1+1", "name: {}"),
    ]
    for path, old, _, payload, new in plants:
        _plant(repo, path, old, new.format(json.dumps(payload)))
    # Other text may begin with a sign: roles, people's names, sentences. The
    # workbook stores them as text, and no CSV holds them.
    meeting = f"{HF}/governance/2011-01-20.md"
    _plant(repo, meeting, "owner: Team manager", f"owner: {json.dumps(DDE)}")
    _plant(repo, meeting, "{role: Head of community", '{role: "+Head of community')
    _plant(repo, meeting, "community assessment and social work}", 'community assessment"}')
    _plant(repo, meeting, "title: Supervision standard", 'title: "-Supervision standard"')
    _plant(repo, f"{LD}/2011-09-22.md", "{name: Anne Whitlock,", '{name: "@Anne Whitlock",')
    expected = []
    for path, _, field, payload, _ in plants:
        text = (repo / path).read_text(encoding="utf-8")
        line = text[: text.index(json.dumps(payload))].count("\n") + 1
        start, shown = VARIANTS.get(payload) or (FOLDED.get(payload[0], f"'{payload[0]}'"), payload)
        expected.append(f"{path}:{line}: {field}: {_refusal(start, shown)}")
    result = run_cli("validate", "--root", str(repo))
    assert "Traceback" not in result.stderr
    assert sorted(result.stdout.splitlines()) == sorted(expected)
    assert result.returncode == 1
    # Nothing is exported from a repository that does not validate.
    out = tmp_path / "out"
    for export_format, target in (("csv", out / "r.csv"), ("datapackage", out / "pkg")):
        exported = run_cli(
            "export", "--root", str(repo), "--format", export_format, "-o", str(target)
        )
        assert exported.returncode == 1, exported.stderr
        assert _refusal("'='", DDE) in exported.stdout + exported.stderr
    assert not out.exists()


# --------------------------------------------------------------------------
# Every CSV written: a throwaway repository with text planted in every field
# that reaches one


@dataclass(frozen=True)
class Names:
    framework: str
    good: str  # the scale's second label
    domain: str
    evidence: str
    titles: tuple[str, str, str]  # of S01, S02, S03
    borough: str
    short: str
    team: str

    def in_csv(self) -> set[str]:
        """What reaches a CSV: the package's tables, or the export's ratings."""
        return {self.good, *self.titles, self.borough, self.short, self.team}


CLEAN = Names(
    framework="Test Framework",
    good="Good",
    domain="Safeguarding adults",
    evidence="In-depth case audit",
    titles=(
        "Safeguarding enquiries are proportionate, timely and person-led",
        "Workers see people face to face often enough to know them",
        "Practitioners receive regular reflective supervision",
    ),
    borough="Hammersmith & Fulham",
    short="H&F",
    team="Learning Disability Team",
)
# Texts the checks accept that still begin like a formula once their own
# apostrophes are set aside, or with spaces: every one needs a leading '.
ACCEPTED = Names(
    framework="'" + HYPERLINK,
    good="'+Good",
    domain="'-Safeguarding adults",
    evidence="'@In-depth case audit",
    titles=("'" + DDE, " Workers see people face to face", "''-Practitioners receive supervision"),
    borough="'" + HYPERLINK,
    short="  H&F",
    team="'\t=1",
)
# What the checks refuse, for the writers' own defence (the checks switched off).
REFUSED = Names(
    framework=HYPERLINK,
    good="+Good",
    domain="-Safeguarding adults",
    evidence="@In-depth case audit",
    titles=(DDE, "\r=1+1", "\u200b＝SUM(1)"),
    borough=HYPERLINK,
    short="\t=1+1",
    team="  @SUM(A1:A9)",
)

SECOND_REVIEW = """---
status: presented
framework_version: 1
reviewers:
  - {{name: Quality Reviewer, role: lead}}
ratings: {{S01: {good}, S02: {good}, S03: Outstanding}}
cases:
  - {{ref: HF-LD-2011-09, worker: W02, grades: {{S01: {good}, S03: {good}}}}}
---
## Findings

Better.
"""


def _base_repo(folder: Path, names: Names) -> Path:
    """The small base repository, with a second review, and ``names`` planted."""
    shutil.copytree(BASE, folder)
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    q = json.dumps
    good = q(names.good)
    framework = "standards/framework.yml"
    _plant(folder, framework, "name: Test Framework", f"name: {q(names.framework)}")
    _plant(folder, framework, "{label: Good,", f"{{label: {good},")
    _plant(folder, framework, "  Good: 63", f"  {good}: 63")
    _plant(folder, framework, "  Good: 18", f"  {good}: 18")
    _plant(folder, framework, "title: Safeguarding adults}", f"title: {q(names.domain)}}}")
    _plant(folder, framework, "title: In-depth case audit}", f"title: {q(names.evidence)}}}")
    for path, title in zip(sorted((folder / "standards").glob("S*.md")), names.titles, strict=True):
        standard = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8")
        (old,) = re.findall(r"^title: .*$", text, flags=re.MULTILINE)
        _plant(folder, standard, old, f"title: {q(title)}")
        _plant(folder, standard, "  Good: ", f"  {good}: ")
    _plant(folder, f"{LD}/2010-12-09.md", "  S03: Good", f"  S03: {good}")
    (folder / LD / "2011-06-09.md").write_text(SECOND_REVIEW.format(good=good), encoding="utf-8")
    (folder / HF / "borough.yml").write_text(
        f"name: {q(names.borough)}\nshort: {q(names.short)}\n", encoding="utf-8"
    )
    _plant(folder, f"{LD}/team.yml", "name: Learning Disability Team", f"name: {q(names.team)}")
    return folder


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


EXPORT_NUMBERS = {
    "as_of",
    "date",
    "framework_version",
    "critical",
    "value",
    "audit_graded",
    "audit_adequate_or_above",
    "disagree",
}


def _text_columns(name: str, header: list[str], descriptor: dict[str, object] | None) -> set[str]:
    """The text columns of a CSV: by the package's table schema, or the export's columns."""
    if descriptor is None and name == "qa-teams.csv":
        assert header[: len(TEAM_CSV_COLUMNS)] == list(TEAM_CSV_COLUMNS)
        return team_csv_text_columns(header)
    if descriptor is None:
        assert header == list(CSV_COLUMNS)
        return set(header) - EXPORT_NUMBERS
    resources = descriptor["resources"]
    assert isinstance(resources, list)
    (resource,) = [r for r in resources if r["path"] == name]
    return {f["name"] for f in resource["schema"]["fields"] if f["type"] == "string"}


def _check_csvs(
    files: dict[str, str], descriptor: dict[str, object] | None
) -> tuple[set[str], dict[str, list[list[str]]]]:
    """Every text cell of every CSV: none is formula-like. Returns the values the text
    cells stand for, and the other cells (numbers, dates, true/false) by file."""
    values: set[str] = set()
    others: dict[str, list[list[str]]] = {}
    for name, text in files.items():
        header, *rows = _rows(text)
        assert header, name
        text_columns = _text_columns(name.rpartition("/")[2], header, descriptor)
        assert rows, f"{name} has no rows: nothing was planted in it"
        others[name] = []
        for row in rows:
            assert len(row) == len(header), name
            kept = []
            for column, cell in zip(header, row, strict=True):
                if column in text_columns:
                    assert not _formula_like(cell), f"{name}: {column}: {cell!r}"
                    values.add(csv_text_value(cell))
                else:
                    assert not cell.startswith("'"), f"{name}: {column}: {cell!r}"
                    kept.append(cell)
            others[name].append(kept)
    return values, others


def _export_all(repo: Path, out: Path) -> tuple[dict[str, str], dict[str, object]]:
    """Run the real commands; every CSV they write, by name, and the package's descriptor."""
    as_of = ["--as-of", AS_OF.isoformat(), "--root", str(repo)]
    out.mkdir(parents=True, exist_ok=True)
    for command in (
        ("export", "--format", "csv", "-o", str(out / "results.csv")),
        ("export", "--format", "datapackage", "-o", str(out / "pkg")),
        ("export", "--format", "json", "-o", str(out / "results.json")),
        ("render", "--out", str(out / "site")),
    ):
        result = run_cli(*command, *as_of)
        assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(p for p in out.rglob("*.csv"))
    files = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in written}
    assert sorted(files) == [
        "pkg/boroughs.csv",
        "pkg/grades.csv",
        "pkg/ratings.csv",
        "pkg/reviews.csv",
        "pkg/standards.csv",
        "pkg/teams.csv",
        "results.csv",
        "site/data/qa-export.csv",
        "site/data/qa-teams.csv",
    ]
    descriptor = json.loads((out / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    return files, descriptor


@dataclass(frozen=True)
class Exported:
    out: Path  # what the commands wrote
    files: dict[str, str]  # every CSV, by name
    descriptor: dict[str, object]  # the data package's

    def split(self) -> tuple[dict[str, str], dict[str, str]]:
        """The package's tables, and the export's CSVs."""
        package = {k: v for k, v in self.files.items() if k.startswith("pkg/")}
        return package, {k: v for k, v in self.files.items() if k not in package}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Exported]:
    """The clean and the planted repository, each exported every way."""
    done = {}
    for label, names in (("clean", CLEAN), ("accepted", ACCEPTED)):
        folder = tmp_path_factory.mktemp(label)
        repo = _base_repo(folder / "repo", names)
        done[label] = Exported(folder / "out", *_export_all(repo, folder / "out"))
    return done


def test_every_csv_written_holds_no_formula_and_keeps_its_numbers(
    exported: dict[str, Exported],
) -> None:
    accepted, clean = exported["accepted"], exported["clean"]
    package, exports = accepted.split()
    values, others = _check_csvs(package, accepted.descriptor)
    export_values, export_others = _check_csvs(exports, None)
    assert ACCEPTED.in_csv() <= values
    assert ACCEPTED.good in export_values
    # Numbers, dates and true/false are the same as with ordinary names.
    clean_package, clean_exports = clean.split()
    assert others == _check_csvs(clean_package, clean.descriptor)[1]
    assert export_others == _check_csvs(clean_exports, None)[1]
    # Exactly one apostrophe more, where one is needed.
    files = accepted.files
    assert _rows(files["pkg/boroughs.csv"])[1] == [
        "hammersmith-fulham",
        "''" + HYPERLINK,
        "'  H&F",
    ]
    assert _rows(files["pkg/teams.csv"])[1][2] == "''\t=1"
    assert [row[1] for row in _rows(files["pkg/standards.csv"])[1:]] == [
        "''" + DDE,
        "' Workers see people face to face",
        "'''-Practitioners receive supervision",
    ]
    ratings = {row[-1] for row in _rows(files["pkg/ratings.csv"])[1:]}
    assert ratings == {"Inadequate", "Adequate", "''+Good", "Outstanding"}
    export_rows = [
        dict(zip(CSV_COLUMNS, row, strict=True)) for row in _rows(files["results.csv"])[1:]
    ]
    assert [(r["date"], r["standard"], r["rating"], r["previous"]) for r in export_rows] == [
        ("2010-12-09", "S01", "Inadequate", ""),
        ("2010-12-09", "S02", "Adequate", ""),
        ("2010-12-09", "S03", "''+Good", ""),
        ("2011-06-09", "S01", "''+Good", "Inadequate"),
        ("2011-06-09", "S02", "''+Good", "Adequate"),
        ("2011-06-09", "S03", "Outstanding", "''+Good"),
    ]
    assert files["site/data/qa-export.csv"] == files["results.csv"]
    # The JSON export is not a spreadsheet's: its names are as written.
    document = json.loads((accepted.out / "results.json").read_text("utf-8"))
    assert document["boroughs"][0]["name"] == ACCEPTED.borough
    assert document["framework"]["scale"][1] == ACCEPTED.good


def test_the_package_reads_back_exactly_what_was_meant(exported: dict[str, Exported]) -> None:
    folder = exported["accepted"].out / "pkg"
    package, problems = read_package(folder)
    assert problems == []
    assert package is not None
    (borough,) = package.boroughs
    assert (borough.name, borough.short) == (ACCEPTED.borough, ACCEPTED.short)
    assert borough.teams[0].name == ACCEPTED.team
    assert tuple(s.title for s in package.standards.values()) == ACCEPTED.titles
    assert package.scale == ("Outstanding", ACCEPTED.good, "Adequate", "Inadequate")
    first, second = borough.teams[0].reviews
    assert first.ratings["S03"] == ACCEPTED.good
    assert second.ratings == {"S01": ACCEPTED.good, "S02": ACCEPTED.good, "S03": "Outstanding"}
    assert second.grades == {"S01": {ACCEPTED.good: 1}, "S03": {ACCEPTED.good: 1}}
    # Its table schema says what is written: Frictionless finds every cell valid.
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    resources = exported["accepted"].descriptor["resources"]
    assert isinstance(resources, list)
    fields = {f["name"]: f for f in resources[4]["schema"]["fields"]}
    assert fields["rating"]["constraints"]["enum"] == [
        "Outstanding",
        "''+Good",
        "Adequate",
        "Inadequate",
    ]
    assert "one more ' in front, which is not part of it" in fields["rating"]["description"]


def test_the_same_content_gives_the_same_bytes(
    exported: dict[str, Exported], tmp_path: Path
) -> None:
    accepted = exported["accepted"]
    again = _export_all(accepted.out.parent / "repo", tmp_path / "again")
    assert again == (accepted.files, accepted.descriptor)
    for name in ("pkg/datapackage.json", "results.json"):
        assert (tmp_path / "again" / name).read_bytes() == (accepted.out / name).read_bytes()


def test_the_reader_refuses_a_cell_written_without_its_apostrophe(
    exported: dict[str, Exported], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(exported["accepted"].out / "pkg", tmp_path / "pkg")
    boroughs = tmp_path / "pkg" / "boroughs.csv"
    text = boroughs.read_text(encoding="utf-8")
    boroughs.write_text(text.replace("''=HYPERLINK", "=HYPERLINK"), encoding="utf-8")
    grades = tmp_path / "pkg" / "grades.csv"
    grades.write_text(grades.read_text(encoding="utf-8").replace("''+Good", "+Good"), "utf-8")
    monkeypatch.chdir(tmp_path)
    package, problems = read_package(Path("pkg"))
    assert package is None
    unsafe = (
        "could be taken for a spreadsheet formula: a package writes a text that begins with "
        "= + - @ (or a form of one), a space, or a control or invisible character with one "
        "more ' in front, got "
    )
    assert [p.format_text() for p in problems] == [
        f"pkg/boroughs.csv:2: name: {unsafe}'{HYPERLINK}'",
        f"pkg/grades.csv:4: grade: {unsafe}'+Good'",
        f"pkg/grades.csv:5: grade: {unsafe}'+Good'",
    ]
    # Frictionless, reading the table schema, refuses the same cell.
    report = frictionless.validate("pkg/datapackage.json")
    assert ("boroughs", "constraint-error") in {
        (task.name, error.type) for task in report.tasks for error in task.errors
    }


# --------------------------------------------------------------------------
# The writers' own defence: the checks switched off, refused names planted


def _scored_without_the_name_rule(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Programme, Results]:
    with monkeypatch.context() as patched:
        patched.setattr(model_types, "formula_start", lambda text: None)
        validation = check(repo, AS_OF)
    assert validation.programme is not None, validation.problems
    return validation.programme, score_programme(validation.programme, AS_OF)


def _written(programme: Programme, results: Results) -> tuple[dict[str, str], dict[str, str]]:
    """Every CSV the writers give, by name: the package's tables, and the exports."""
    package = package_files(programme, results)
    site = {
        f.path: f.content
        for f in render_site(programme, results, template_folders(ROOT / "site_templates"))
        if f.path.endswith(".csv")
    }
    assert list(site) == ["data/qa-export.csv", "data/qa-teams.csv"]
    assert isinstance(site["data/qa-export.csv"], str)
    assert isinstance(site["data/qa-teams.csv"], str)
    exports = {
        "results.csv": to_csv(build_export(programme, results)),
        "site/data/qa-export.csv": site["data/qa-export.csv"],
        "site/data/qa-teams.csv": site["data/qa-teams.csv"],
    }
    return package, exports


def test_the_writers_neutralise_what_the_checks_would_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = _scored_without_the_name_rule(_base_repo(tmp_path / "refused", REFUSED), monkeypatch)
    clean = _scored_without_the_name_rule(_base_repo(tmp_path / "clean", CLEAN), monkeypatch)
    package, exports = _written(*planted)
    clean_package, clean_exports = _written(*clean)
    descriptor = json.loads(package["datapackage.json"])
    tables = {k: v for k, v in package.items() if k.endswith(".csv")}
    values, others = _check_csvs(tables, descriptor)
    assert REFUSED.in_csv() <= values
    _, clean_others = _check_csvs(
        {k: v for k, v in clean_package.items() if k.endswith(".csv")},
        json.loads(clean_package["datapackage.json"]),
    )
    assert others == clean_others
    export_values, export_others = _check_csvs(exports, None)
    assert REFUSED.good in export_values
    assert export_others == _check_csvs(clean_exports, None)[1]
    assert _rows(tables["boroughs.csv"])[1] == ["hammersmith-fulham", "'" + HYPERLINK, "'\t=1+1"]

    # Frictionless finds every cell as its table schema says; this reader refuses the
    # names all the same, as the checks do, and takes the labels.
    folder = tmp_path / "pkg"
    folder.mkdir()
    for name, text in package.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    monkeypatch.chdir(tmp_path)
    read, problems = read_package(Path("pkg"))
    assert read is None
    refused = "a name that a spreadsheet could take for a formula is refused, as in the content"
    assert [p.format_text() for p in problems] == [
        f"pkg/boroughs.csv:2: name: must not begin with '=': {refused} it comes from, got "
        f"'{HYPERLINK}'",
        f"pkg/boroughs.csv:2: short: must not begin with a tab: {refused} it comes from, got "
        "'\\t=1+1'",
        f"pkg/standards.csv:2: title: must not begin with '=': {refused} it comes from, got "
        f"'{DDE}'",
        f"pkg/standards.csv:3: title: must not begin with a carriage return: {refused} it comes "
        "from, got '\\r=1+1'",
        "pkg/standards.csv:5: title: must not begin with '＝' (a form of '='), even after "
        f"invisible characters: {refused} it comes from, got '\\u200b＝SUM(1)'",
        f"pkg/teams.csv:2: name: must not begin with '@', even after spaces: {refused} it comes "
        "from, got '  @SUM(A1:A9)'",
    ]


def test_labels_a_spreadsheet_could_run_read_back_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = replace(CLEAN, good="=Good")
    programme, results = _scored_without_the_name_rule(
        _base_repo(tmp_path / "repo", names), monkeypatch
    )
    folder = tmp_path / "pkg"
    folder.mkdir()
    for name, text in package_files(programme, results).items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    assert "'=Good" in (folder / "ratings.csv").read_text(encoding="utf-8")
    package, problems = read_package(folder)
    assert problems == []
    assert package is not None
    assert package.scale[1] == "=Good"
    assert package.reviews[1].ratings["S01"] == "=Good"
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_text_column_of_the_export_is_neutralised_and_numbers_never(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme, results = _scored_without_the_name_rule(
        _base_repo(tmp_path / "repo", CLEAN), monkeypatch
    )
    document = build_export(programme, results)
    payloads = iter(sorted(VARIANTS))
    reviews = []
    for review in document.reviews:
        standards = {
            next(payloads): s.model_copy(
                update={
                    "domain": next(payloads),
                    "rating": next(payloads),
                    "previous": next(payloads),
                    "change": next(payloads),
                    "value": -3,
                }
            )
            for s in list(review.standards.values())[:1]
        }
        reviews.append(
            review.model_copy(
                update={
                    "borough": next(payloads),
                    "team": next(payloads),
                    "status": next(payloads),
                    "framework_version": -2,
                    "standards": standards,
                }
            )
        )
    doctored = document.model_copy(update={"reviews": reviews})
    header, *rows = _rows(to_csv(doctored))
    assert len(rows) == 2
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        for column in set(header) - EXPORT_NUMBERS:
            assert cells[column].startswith("'"), column
            assert csv_text_value(cells[column]) in VARIANTS, column
            assert not _formula_like(cells[column]), column
        assert (cells["value"], cells["framework_version"]) == ("-3", "-2")
        assert cells["as_of"] == AS_OF.isoformat()
