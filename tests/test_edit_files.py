"""The editor's file access: only a review's or minutes' path, never through a link,
written atomically and nowhere else."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.edit import safe_files
from generator.edit.refusals import EditRefused

REVIEW = "reviews/hammersmith-fulham/learning-disability/2017-03-01.md"
MINUTES = "reviews/hammersmith-fulham/governance/2017-03-01.md"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with one borough, one team folder and a governance folder."""
    root = tmp_path / "repo"
    (root / "reviews" / "hammersmith-fulham" / "learning-disability").mkdir(parents=True)
    (root / "reviews" / "hammersmith-fulham" / "governance").mkdir()
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the repository, holding a file the editor must never change."""
    folder = tmp_path / "outside"
    (folder / "learning-disability").mkdir(parents=True)
    (folder / "learning-disability" / "2017-03-01.md").write_text("outside\n", "utf-8")
    (folder / "secret.md").write_text("secret\n", "utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (no link followed) with its bytes."""
    found = {}
    for top, _, names in os.walk(folder):
        for name in names:
            path = Path(top) / name
            if not path.is_symlink():
                found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


@pytest.mark.parametrize("relative", [REVIEW, MINUTES, "reviews/b1/t-2/2020-02-29.md"])
def test_paths_of_reviews_and_minutes_are_editable(relative: str) -> None:
    assert safe_files.editable_path(relative) == relative


@pytest.mark.parametrize(
    ("relative", "status", "message"),
    [
        (
            "reviews/hf/../../etc/2017-03-01.md",
            403,
            "'reviews/hf/../../etc/2017-03-01.md' leads out of its folder (..); the editor "
            "writes only reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
            "reviews/<borough>/governance/<YYYY-MM-DD>.md",
        ),
        (
            "/reviews/hf/ld/2017-03-01.md",
            403,
            "'/reviews/hf/ld/2017-03-01.md' is not a path inside reviews/; the editor writes "
            "only reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
            "reviews/<borough>/governance/<YYYY-MM-DD>.md",
        ),
        (
            "reviews\\hf\\ld\\2017-03-01.md",
            403,
            "'reviews\\hf\\ld\\2017-03-01.md' is not a path inside reviews/; the editor "
            "writes only reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
            "reviews/<borough>/governance/<YYYY-MM-DD>.md",
        ),
        (
            "reviews/hf/ld/2017-03-01.md\0.txt",
            403,
            "'reviews/hf/ld/2017-03-01.md\\x00.txt' is not a path inside reviews/; the "
            "editor writes only reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
            "reviews/<borough>/governance/<YYYY-MM-DD>.md",
        ),
        (
            "reviews/hf//2017-03-01.md",
            400,
            "'reviews/hf//2017-03-01.md' is not a review or minutes; the editor writes only "
            "reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
            "reviews/<borough>/governance/<YYYY-MM-DD>.md",
        ),
        (
            "standards/S07-safeguarding.md",
            400,
            "'standards/S07-safeguarding.md' is not a review or minutes; the editor writes "
            "only reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
            "reviews/<borough>/governance/<YYYY-MM-DD>.md",
        ),
        (
            "reviews/hf/team.yml",
            400,
            "'reviews/hf/team.yml' is not a review or minutes; the editor writes only "
            "reviews/<borough>/<team>/<YYYY-MM-DD>.md and "
            "reviews/<borough>/governance/<YYYY-MM-DD>.md",
        ),
        (
            "reviews/HF/ld/2017-03-01.md",
            400,
            "'reviews/HF/ld/2017-03-01.md': the borough folder 'HF' is not an id (lower-case "
            "letters, digits and single hyphens, as the folders are named)",
        ),
        (
            "reviews/hf/./2017-03-01.md",
            400,
            "'reviews/hf/./2017-03-01.md': the team folder '.' is not an id (lower-case "
            "letters, digits and single hyphens, as the folders are named)",
        ),
        (
            "reviews/hf/ld/team.yml",
            400,
            "'reviews/hf/ld/team.yml': the file name must be the date, YYYY-MM-DD.md",
        ),
        (
            "reviews/hf/ld/2017-03-01.MD",
            400,
            "'reviews/hf/ld/2017-03-01.MD': the file name must be the date, YYYY-MM-DD.md",
        ),
        (
            "reviews/hf/ld/2017-02-30.md",
            400,
            "'reviews/hf/ld/2017-02-30.md': 2017-02-30 is not a real calendar date",
        ),
    ],
)
def test_other_paths_are_refused(relative: str, status: int, message: str) -> None:
    with pytest.raises(EditRefused) as refused:
        safe_files.editable_path(relative)
    assert (refused.value.status, refused.value.message) == (status, message)


def test_a_new_review_is_written_as_given_and_read_back(repo: Path) -> None:
    text = "---\nstatus: draft\r\n---\n£ café\n"
    assert not safe_files.exists(repo, REVIEW)
    assert safe_files.read_text(repo, REVIEW) is None

    safe_files.write_text(repo, REVIEW, text)

    assert (repo / REVIEW).read_bytes() == text.encode("utf-8")
    assert safe_files.read_text(repo, REVIEW) == text
    assert safe_files.exists(repo, REVIEW)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((repo / REVIEW).stat().st_mode) == 0o666 & ~umask
    assert os.listdir((repo / REVIEW).parent) == ["2017-03-01.md"]


def test_a_rewrite_keeps_the_files_permissions_and_leaves_no_temporary_file(repo: Path) -> None:
    (repo / MINUTES).write_text("old\n", "utf-8")
    (repo / MINUTES).chmod(0o640)

    safe_files.write_text(repo, MINUTES, "new\n")

    assert (repo / MINUTES).read_text("utf-8") == "new\n"
    assert stat.S_IMODE((repo / MINUTES).stat().st_mode) == 0o640
    assert os.listdir((repo / MINUTES).parent) == ["2017-03-01.md"]


def test_a_failed_write_leaves_the_old_text_and_no_temporary_file(repo: Path) -> None:
    (repo / REVIEW).write_text("old\n", "utf-8")

    with pytest.raises(UnicodeEncodeError):
        safe_files.write_text(repo, REVIEW, "half \ud800 a character")

    assert (repo / REVIEW).read_text("utf-8") == "old\n"
    assert os.listdir((repo / REVIEW).parent) == ["2017-03-01.md"]


def test_a_failed_rename_removes_the_temporary_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / REVIEW).write_text("old\n", "utf-8")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left on device"):
        safe_files.write_text(repo, REVIEW, "new\n")

    assert (repo / REVIEW).read_text("utf-8") == "old\n"
    assert os.listdir((repo / REVIEW).parent) == ["2017-03-01.md"]


def test_a_folder_where_the_review_belongs_is_refused(repo: Path) -> None:
    (repo / REVIEW).mkdir()  # a folder where the file belongs: refused before writing
    with pytest.raises(EditRefused) as refused:
        safe_files.write_text(repo, REVIEW, "text\n")
    assert refused.value.status == 403
    assert refused.value.message == f"{REVIEW} is not an ordinary file; the editor left it"
    assert os.listdir((repo / REVIEW).parent) == ["2017-03-01.md"]


def test_the_team_folder_is_never_created(repo: Path) -> None:
    relative = "reviews/hammersmith-fulham/new-team/2017-03-01.md"
    with pytest.raises(EditRefused) as refused:
        safe_files.write_text(repo, relative, "text\n")
    assert refused.value.status == 404
    assert refused.value.message == (
        "reviews/hammersmith-fulham/new-team/ does not exist, so "
        "reviews/hammersmith-fulham/new-team/2017-03-01.md cannot be written; the editor "
        "never makes folders: start a new team with qa-site new team"
    )
    assert not (repo / "reviews" / "hammersmith-fulham" / "new-team").exists()
    assert safe_files.read_text(repo, relative) is None
    assert not safe_files.exists(repo, relative)


def _link_message(where: str) -> str:
    return (
        f"{where} is a symbolic link, which the editor never follows; put the real folder "
        "or file there instead of a link"
    )


def test_a_link_swapped_in_for_the_team_folder_is_refused(repo: Path, outside: Path) -> None:
    team = repo / "reviews" / "hammersmith-fulham" / "learning-disability"
    team.rmdir()
    team.symlink_to(outside / "learning-disability")
    before = _tree(outside)

    for action in (
        lambda: safe_files.write_text(repo, REVIEW, "mine\n"),
        lambda: safe_files.read_text(repo, REVIEW),
        lambda: safe_files.exists(repo, REVIEW),
        lambda: safe_files.remove(repo, REVIEW),
    ):
        with pytest.raises(EditRefused) as refused:
            action()
        assert refused.value.status == 403
        assert refused.value.message == _link_message(
            "reviews/hammersmith-fulham/learning-disability"
        )
    assert _tree(outside) == before


def test_a_linked_reviews_folder_is_refused(repo: Path, outside: Path) -> None:
    (repo / "reviews").rename(outside / "reviews")
    (repo / "reviews").symlink_to(outside / "reviews")
    before = _tree(outside)

    with pytest.raises(EditRefused) as refused:
        safe_files.write_text(repo, REVIEW, "mine\n")

    assert (refused.value.status, refused.value.message) == (403, _link_message("reviews"))
    assert _tree(outside) == before


def test_a_linked_borough_folder_is_refused(repo: Path, tmp_path: Path) -> None:
    borough = repo / "reviews" / "hammersmith-fulham"
    borough.rename(tmp_path / "moved")
    borough.symlink_to(tmp_path / "moved")

    with pytest.raises(EditRefused) as refused:
        safe_files.read_text(repo, MINUTES)

    assert refused.value.message == _link_message("reviews/hammersmith-fulham")


def test_a_review_that_is_a_link_to_outside_is_refused(repo: Path, outside: Path) -> None:
    (repo / REVIEW).symlink_to(outside / "secret.md")
    before = _tree(outside)

    for action in (
        lambda: safe_files.write_text(repo, REVIEW, "mine\n"),
        lambda: safe_files.read_text(repo, REVIEW),
        lambda: safe_files.exists(repo, REVIEW),
        lambda: safe_files.remove(repo, REVIEW),
    ):
        with pytest.raises(EditRefused) as refused:
            action()
        assert (refused.value.status, refused.value.message) == (403, _link_message(REVIEW))
    assert _tree(outside) == before
    assert (repo / REVIEW).is_symlink()


def test_a_dangling_link_is_refused_and_nothing_is_created(repo: Path, tmp_path: Path) -> None:
    (repo / REVIEW).symlink_to(tmp_path / "made-by-the-editor.md")

    with pytest.raises(EditRefused):
        safe_files.write_text(repo, REVIEW, "mine\n")

    assert not (tmp_path / "made-by-the-editor.md").exists()


def test_a_file_where_a_folder_belongs_is_refused(repo: Path) -> None:
    governance = repo / "reviews" / "hammersmith-fulham" / "governance"
    governance.rmdir()
    governance.write_text("not a folder\n", "utf-8")

    with pytest.raises(EditRefused) as refused:
        safe_files.write_text(repo, MINUTES, "mine\n")

    assert refused.value.status == 403
    assert refused.value.message == (
        "reviews/hammersmith-fulham/governance is not a folder; the editor left it"
    )


def test_a_named_pipe_is_not_read(repo: Path) -> None:
    os.mkfifo(repo / REVIEW)

    with pytest.raises(EditRefused) as refused:
        safe_files.read_text(repo, REVIEW)

    assert refused.value.message == f"{REVIEW} is not an ordinary file; the editor left it"


def test_text_that_is_not_utf8_is_refused_on_reading(repo: Path) -> None:
    (repo / REVIEW).write_bytes(b"caf\xe9\n")

    with pytest.raises(EditRefused) as refused:
        safe_files.read_text(repo, REVIEW)

    assert refused.value.status == 422
    assert refused.value.message == (
        f"{REVIEW} is not UTF-8 text (byte 4); save it as UTF-8 in a text editor first"
    )


def test_remove_deletes_the_file_and_refuses_one_that_is_not_there(repo: Path) -> None:
    (repo / REVIEW).write_text("draft\n", "utf-8")

    safe_files.remove(repo, REVIEW)

    assert not (repo / REVIEW).exists()
    with pytest.raises(EditRefused) as refused:
        safe_files.remove(repo, REVIEW)
    assert (refused.value.status, refused.value.message) == (
        404,
        f"{REVIEW} is not there; nothing was removed",
    )


def test_a_refused_path_touches_nothing(repo: Path, tmp_path: Path) -> None:
    before = _tree(tmp_path)

    with pytest.raises(EditRefused):
        safe_files.write_text(repo, "reviews/hammersmith-fulham/../../escaped.md", "x\n")

    assert _tree(tmp_path) == before
    assert not (tmp_path / "escaped.md").exists()
