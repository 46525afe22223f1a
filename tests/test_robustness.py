"""Whatever a reviewer types, validation reports problems and never crashes."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.check.repository import check
from generator.load.repository import parse_file
from tests.support.paths import BASE

CONTENT_FILES = [
    "reviews/hammersmith-fulham/learning-disability/2010-12-09.md",
    "reviews/hammersmith-fulham/governance/2011-01-20.md",
    "reviews/hammersmith-fulham/learning-disability/team.yml",
    "reviews/hammersmith-fulham/borough.yml",
    "standards/framework.yml",
    "standards/S01-safeguarding-enquiries.md",
]


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


@given(
    file=st.sampled_from(CONTENT_FILES),
    where=st.floats(0, 1),
    insert=st.lists(yaml_fragments, max_size=6),
)
@settings(max_examples=200, deadline=None)
def test_validating_a_mangled_file_never_raises(
    file: str, where: float, insert: list[bytes]
) -> None:
    original = (BASE / file).read_bytes()
    position = int(where * len(original))
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        shutil.copytree(BASE, repo)
        mangled = original[:position] + b"".join(insert) + original[position:]
        (repo / file).write_bytes(mangled)
        validation = check(repo, dt.date(2012, 1, 1))
        for problem in validation.problems:
            assert problem.line >= 1
            if problem.path == file:  # a line the reviewer can go to
                assert problem.line <= mangled.count(b"\n") + 1
