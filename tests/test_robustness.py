"""Whatever a reviewer types, validation reports problems and never crashes."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.loader import parse_file
from generator.pipeline import check
from tests.conftest import BASE

REVIEW = (BASE / "reviews/hammersmith-fulham/learning-disability/2010-12-09.md").read_bytes()

yaml_fragments = st.sampled_from(
    [
        b"\n",
        b"  ",
        b"\t",
        b": ",
        b"- ",
        b"{",
        b"}",
        b"[",
        b"]",
        b"'",
        b'"',
        b"---",
        b"#",
        b"S01",
        b"Good",
        b"2011-02-30",
        b"null",
        b"no",
        b"&a",
        b"*a",
        b"!!python/object",
        b"\xff",
        b"\xef\xbb\xbf",
        b"ratings",
        b"cases",
        b"actions",
        b"status",
        b"<<",
    ]
)


@given(st.binary(max_size=300))
@settings(max_examples=300)
def test_parsing_any_bytes_never_raises(raw: bytes) -> None:
    parse_file(raw, "r.md", markdown=True)
    parse_file(raw, "f.yml", markdown=False)


@given(position=st.integers(0, len(REVIEW)), insert=st.lists(yaml_fragments, max_size=6))
@settings(max_examples=150)
def test_validating_a_mangled_review_never_raises(position: int, insert: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        shutil.copytree(BASE, repo)
        mangled = REVIEW[:position] + b"".join(insert) + REVIEW[position:]
        target = repo / "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
        target.write_bytes(mangled)
        validation = check(repo, dt.date(2012, 1, 1))
        for problem in validation.problems:
            assert problem.line >= 1
            assert problem.path
