"""Paths and links against ``qa-site edit``: a path that is not a review or minutes is
refused by every call, a date renames a draft only within its own folder, and no link
(at any level, or swapped in between a check and a save) is ever followed.

Each test drives the editor as the browser does against a committed copy of the
sample content, and reads back what reached the disk.
"""

from __future__ import annotations

import os
import shutil
from functools import partial
from pathlib import Path

import pytest

from generator.edit.app import EditorApp
from tests.support.edit_forms import (
    MEETING,
    PRESENTED,
    TEAM,
    new_draft,
    refusal_of,
    snapshot_of,
    unchanged_call,
)

HOSTILE_PATHS = [
    "../reviews/hammersmith-fulham/assessment/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/../assessment/2011-10-20.md",
    "reviews/hammersmith-fulham/../../mkdocs.yml",
    "reviews/%2e%2e/hammersmith-fulham/2011-10-20.md",
    "reviews/hammersmith-fulham/%2e%2e/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/%2e%2e%2f2011-10-20.md",
    "reviews\\hammersmith-fulham\\assessment\\2011-10-20.md",
    "reviews/hammersmith-fulham/assessment\\..\\2011-10-20.md",
    "/etc/passwd",
    "//etc/passwd",
    "file:///etc/passwd",
    str(Path("/tmp") / "reviews/hammersmith-fulham/assessment/2011-10-20.md"),
    "reviews/hammersmith-fulham/assessment/2011-10-20.md\x00.txt",
    "reviews/hammersmith-fulham/assessment/2011-10-20.md\n",
    "reviews/hammersmith-fulham/assessment/\u2024\u2024/2011-10-20.md",
    "reviews/hammersmith-fulham/\uff0e\uff0e/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/2011-10-20.md/",
    "reviews//hammersmith-fulham/assessment/2011-10-20.md",
    "./reviews/hammersmith-fulham/assessment/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/./2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/2011-10-20.MD",
    "reviews/hammersmith-fulham/assessment/team.yml",
    "reviews/hammersmith-fulham/borough.yml",
    "reviews/Hammersmith-Fulham/assessment/2011-10-20.md",
    "reviews/hammersmith-fulham/assessment/2011-10-20.md.md",
    "reviews/hammersmith-fulham/assessment/\uff12011-10-20.md",
    "reviews/hammersmith-fulham/assessment/2011-02-30.md",
    "standards/S01-person-centred.md",
    "reviews/hammersmith-fulham/" + "a" * 5000 + "/2011-10-20.md",
    "",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS, ids=range(len(HOSTILE_PATHS)))
def test_a_path_that_is_not_a_review_or_minutes_is_refused_by_every_call(
    app: EditorApp, repo: Path, path: str
) -> None:
    before = snapshot_of(repo)
    payload = unchanged_call(repo, PRESENTED, file=path)
    payload["data"]["ratings"]["S02"]["rating"] = "Good"
    payload["data"]["amendment"] = {"date": "2016-12-01", "reason": "x", "by": "Head of service"}
    for name in ("check", "save", "commit"):
        refusal_of(partial(app.call, name, payload))
    page = app.page("/edit", {"file": path})
    assert page is not None
    assert b"This file cannot be opened here" in page.body
    assert snapshot_of(repo) == before


DATES = {
    "../../../x": None,
    "2017-03-08/../../../x": None,
    "../2017-03-08": None,
    "/2017-03-08": None,
    "2017-03-08\x00": None,
    "2017-03-08\\..": None,
    "2017-02-30": None,
    "\uff12\uff10\uff11\uff17-03-08": None,
    "": None,
    " 2017-03-08 ": "2017-03-08",
    "20170308": "2017-03-08",
    "2017-W10-3": "2017-03-08",
}


@pytest.mark.parametrize("day", list(DATES), ids=range(len(DATES)))
def test_a_date_renames_a_draft_only_within_its_own_folder(
    app: EditorApp, repo: Path, day: str
) -> None:
    path = new_draft(app)
    text = (repo / path).read_text(encoding="utf-8")
    elsewhere = {k: v for k, v in snapshot_of(repo).items() if not k.startswith(f"reviews/{TEAM}/")}
    team_before = sorted(p.name for p in (repo / "reviews" / TEAM).iterdir())
    answer = app.call("save", unchanged_call(repo, path, date=day))
    renamed = DATES[day]
    name = f"{renamed}.md" if renamed else "2017-03-01.md"
    assert answer["file"] == f"reviews/{TEAM}/{name}"
    assert (repo / "reviews" / TEAM / name).read_text(encoding="utf-8") == text
    team_after = sorted(p.name for p in (repo / "reviews" / TEAM).iterdir())
    assert team_after == sorted({*team_before, name} - ({"2017-03-01.md"} if renamed else set()))
    assert {
        k: v for k, v in snapshot_of(repo).items() if not k.startswith(f"reviews/{TEAM}/")
    } == elsewhere


def test_a_date_that_names_a_file_already_there_is_refused(app: EditorApp, repo: Path) -> None:
    path = new_draft(app)
    before = snapshot_of(repo)
    for day in ("2011-09-22", "2010-12-09"):
        refused = refusal_of(partial(app.call, "save", unchanged_call(repo, path, date=day)))
        assert (refused.status, refused.field) == (409, "date")
    other = sorted((repo / MEETING).parent.glob("*.md"))[0].name.removesuffix(".md")
    assert f"{other}.md" != MEETING.rsplit("/", 1)[1]
    refused = refusal_of(partial(app.call, "save", unchanged_call(repo, MEETING, date=other)))
    assert (refused.status, refused.field) == (409, "date")
    assert snapshot_of(repo) == before


def test_a_hard_link_to_a_file_outside_is_replaced_never_written_through(
    app: EditorApp, repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    shutil.move(repo / PRESENTED, outside)
    os.link(outside, repo / PRESENTED)
    before = outside.read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    assert app.call("save", payload)["saved"] is True
    assert outside.read_bytes() == before
    assert (repo / PRESENTED).read_bytes() != before


def test_a_file_with_windows_line_ends_sent_back_unchanged_is_not_rewritten(
    app: EditorApp, repo: Path
) -> None:
    text = (repo / PRESENTED).read_text(encoding="utf-8")
    (repo / PRESENTED).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = (repo / PRESENTED).read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    payload["body"] = payload["body"].replace("\r\n", "\n")
    answer = app.call("save", payload)
    assert (answer["saved"], answer["diff"]) == (False, "")
    assert (repo / PRESENTED).read_bytes() == before


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("review", "hammersmith-fulham/learning-disability/../assessment"),
        ("review", "hammersmith-fulham/../westminster/access-assessment"),
        ("review", "../hammersmith-fulham/learning-disability"),
        ("review", "/hammersmith-fulham/learning-disability"),
        ("review", "hammersmith-fulham\\learning-disability"),
        ("review", "hammersmith-fulham/learning-disability/"),
        ("review", "hammersmith-fulham/governance"),
        ("review", "hammersmith-fulham/learning-disability\x00"),
        ("review", "hammersmith-fulham/%2e%2e"),
        ("review", "hammersmith-fulham"),
        ("review", ""),
        ("meeting", "../hammersmith-fulham"),
        ("meeting", "hammersmith-fulham/.."),
        ("meeting", "hammersmith-fulham/learning-disability"),
        ("meeting", "."),
        ("meeting", "\uff48ammersmith-fulham"),
        ("meeting", "x" * 5000),
        ("standard", "hammersmith-fulham"),
    ],
)
def test_a_new_file_is_made_only_in_a_known_team_or_borough(
    app: EditorApp, repo: Path, kind: str, where: str
) -> None:
    before = snapshot_of(repo)
    for day in ("2017-03-01", "../2017-03-01", "2017-03-01/../../x"):
        refusal_of(partial(app.call, "new", {"kind": kind, "where": where, "date": day}))
    assert snapshot_of(repo) == before


def _outside_copy(repo: Path, tmp_path: Path, relative: str) -> Path:
    """The folder or file at ``relative`` moved out of the repository, and a link to it
    put in its place."""
    outside = tmp_path / "outside" / Path(relative).name
    outside.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(repo / relative, outside)
    (repo / relative).symlink_to(outside, target_is_directory=outside.is_dir())
    return outside


@pytest.mark.parametrize(
    ("linked", "path"),
    [
        ("reviews", PRESENTED),
        ("reviews/hammersmith-fulham", PRESENTED),
        ("reviews/hammersmith-fulham/assessment", PRESENTED),
        (PRESENTED, PRESENTED),
        ("reviews/hammersmith-fulham/governance", MEETING),
        (MEETING, MEETING),
    ],
    ids=["reviews", "borough", "team", "review", "governance", "minutes"],
)
def test_a_link_at_any_level_is_never_followed(
    app: EditorApp, repo: Path, tmp_path: Path, linked: str, path: str
) -> None:
    payload = unchanged_call(repo, path)
    if path == PRESENTED:
        payload["data"]["actions"][2]["status"] = "done"
        payload["data"]["actions"][2]["completed"] = "2012-04-02"
    else:
        payload["body"] += "\nWritten through a link.\n"
    outside = _outside_copy(repo, tmp_path, linked)
    before = snapshot_of(outside.parent)
    page = app.page("/edit", {"file": path})
    assert page is not None and b"This file cannot be opened here" in page.body
    for name in ("check", "save", "commit"):
        assert refusal_of(partial(app.call, name, payload)).status == 403
    # A new file in the linked folder, or in the linked file's place.
    day = path.rsplit("/", 1)[1].removesuffix(".md") if linked == path else "2017-02-01"
    new = {"kind": "meeting", "where": "hammersmith-fulham", "date": day}
    if path == PRESENTED:
        new = {"kind": "review", "where": "hammersmith-fulham/assessment", "date": day}
    refusal_of(lambda: app.call("new", new))
    assert snapshot_of(outside.parent) == before


@pytest.mark.parametrize("linked", ["reviews/hammersmith-fulham/assessment", PRESENTED])
def test_a_link_swapped_in_between_a_check_and_a_save_is_not_followed(
    app: EditorApp, repo: Path, tmp_path: Path, linked: str
) -> None:
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    assert app.call("check", payload)["changed"] is True
    outside = _outside_copy(repo, tmp_path, linked)
    before = snapshot_of(outside.parent)
    assert refusal_of(lambda: app.call("save", payload)).status == 403
    assert snapshot_of(outside.parent) == before


def test_a_boroughs_first_minutes_never_go_through_a_dangling_link(
    app: EditorApp, repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere" / "governance"
    target.parent.mkdir()
    (repo / "reviews/kensington-chelsea/governance").symlink_to(target)
    new = {"kind": "meeting", "where": "kensington-chelsea", "date": "2017-02-01"}
    assert refusal_of(lambda: app.call("new", new)).status == 403
    assert list(target.parent.iterdir()) == []
