"""The editor's application in the process: its pages, the live check and score, and
what a save writes or refuses, on real files in a copy of the sample."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import subprocess
from pathlib import Path

import pytest

from generator.check.repository import check
from generator.edit.app import EditorApp
from generator.edit.house_style import frontmatter_and_body
from generator.edit.refusals import EditRefused
from tests.support.edit_forms import digest_of, unchanged_call
from tests.support.repos import copy_repository

AS_OF = dt.date(2017, 1, 1)
PRESENTED = "reviews/hammersmith-fulham/assessment/2011-10-20.md"
MEETING = "reviews/hammersmith-fulham/governance/2015-07-16.md"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_repository(tmp_path / "repo")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=Reviewer", "-c", "user.email=r@example.org", "commit", "-qm", "x")
    return root


@pytest.fixture
def app(repo: Path) -> EditorApp:
    return EditorApp(repo, token="session-token", as_of=AS_OF)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def test_a_form_sent_back_unchanged_changes_nothing(app: EditorApp, repo: Path) -> None:
    before = (repo / PRESENTED).read_bytes()
    answer = app.call("save", unchanged_call(repo, PRESENTED))
    assert answer["saved"] is False
    assert answer["changed"] is False
    assert answer["diff"] == ""
    assert answer["problems"] == []
    assert (repo / PRESENTED).read_bytes() == before


def test_the_live_score_is_the_scoring_packages(app: EditorApp, repo: Path) -> None:
    score = app.call("check", unchanged_call(repo, PRESENTED))["score"]
    assert score == {
        "ready": True,
        "provisional": False,
        "rated": 50,
        "standards": 50,
        "draft": False,
        "rating": "Good",
        "percent": "67.5%",
        "points": "135 of 200 points",
        "band": "Good",
        "position": "Good band, lower half",
        "limited": False,
        "limited_by": [],
        "lowest": "Inadequate",
        "next_review": "20 April 2013",
    }


def test_a_critical_standard_rated_inadequate_limits_the_live_score(
    app: EditorApp, repo: Path
) -> None:
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["ratings"]["S07"] = {"rating": "Inadequate", "note": "", "evidence": []}
    answer = app.call("check", payload)
    # The percentage still earns Good; a critical standard rated Inadequate holds it down.
    assert (answer["score"]["band"], answer["score"]["rating"]) == ("Good", "Adequate")
    assert answer["score"]["limited_by"] == [
        {"id": "S07", "name": "Adult protection investigations"}
    ]
    assert answer["score"]["provisional"] is True
    fields = [(p["field"], p["message"]) for p in answer["problems"]]
    assert (
        "ratings.S07",
        "S07 changed from Good to Inadequate after the review was presented; say why in the "
        "Amendment section (date, reason, and by whom), or undo the change",
    ) in fields


def test_a_presented_review_is_saved_only_with_an_amendment(app: EditorApp, repo: Path) -> None:
    before = (repo / PRESENTED).read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = {"rating": "Good", "note": "", "evidence": []}
    with pytest.raises(EditRefused) as refused:
        app.call("save", payload)
    assert refused.value.status == 409
    assert refused.value.field == "amendment"
    assert (repo / PRESENTED).read_bytes() == before

    payload["data"]["amendment"] = {
        "date": "2016-12-01",
        "reason": "S02 re-rated after the team's audit was re-read.",
        "by": "Head of service",
    }
    answer = app.call("save", payload)
    assert answer["saved"] is True
    assert answer["problems"] == []
    after = (repo / PRESENTED).read_text(encoding="utf-8")
    changed = [line for line in _diff_lines(before.decode(), after) if line.startswith(("+", "-"))]
    assert changed == [
        "-  S02: Adequate",
        "+  S02: Good",
        "+amendments:",
        "+  - date: 2016-12-01",
        "+    reason: S02 re-rated after the team's audit was re-read.",
        "+    by: Head of service",
    ]
    assert not [p for p in check(repo, AS_OF).problems if p.path == PRESENTED]


def _diff_lines(before: str, after: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if not line.startswith(("+++", "---", "@@"))
    ]


def test_a_save_over_a_file_changed_since_it_was_opened_is_refused(
    app: EditorApp, repo: Path
) -> None:
    payload = unchanged_call(repo, PRESENTED)
    (repo / PRESENTED).write_text(
        (repo / PRESENTED).read_text(encoding="utf-8") + "\nAdded elsewhere.\n", encoding="utf-8"
    )
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    with pytest.raises(EditRefused) as refused:
        app.call("save", payload)
    assert refused.value.status == 409
    assert "changed on disk since this form was opened" in refused.value.message
    assert (repo / PRESENTED).read_text(encoding="utf-8").endswith("\nAdded elsewhere.\n")


def test_progress_on_an_action_needs_no_amendment(app: EditorApp, repo: Path) -> None:
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    answer = app.call("save", payload)
    assert answer["saved"] is True
    assert answer["problems"] == []
    text = (repo / PRESENTED).read_text(encoding="utf-8")
    assert "    status: done\n    completed: 2012-04-02\n  - id: A4" in text


def test_a_new_draft_is_the_scaffold_and_is_named_by_its_date(app: EditorApp, repo: Path) -> None:
    answer = app.call(
        "new",
        {"kind": "review", "where": "hammersmith-fulham/learning-disability", "date": "2017-03-01"},
    )
    path = "reviews/hammersmith-fulham/learning-disability/2017-03-01.md"
    assert answer == {"file": path, "url": f"edit?file={path}"}
    text = (repo / path).read_text(encoding="utf-8")
    assert text.startswith("---\n# Draft review of Learning Disability Team")
    with pytest.raises(EditRefused) as again:
        app.call(
            "new",
            {
                "kind": "review",
                "where": "hammersmith-fulham/learning-disability",
                "date": "2017-03-01",
            },
        )
    assert again.value.status == 409

    # A new date renames the draft: the file name follows the review date.
    payload = unchanged_call(repo, path, date="2017-03-08")
    answer = app.call("save", payload)
    assert answer["file"] == "reviews/hammersmith-fulham/learning-disability/2017-03-08.md"
    assert not (repo / path).exists()
    assert (repo / answer["file"]).read_text(encoding="utf-8") == text


def test_new_files_are_refused_for_unknown_teams(app: EditorApp) -> None:
    with pytest.raises(EditRefused) as refused:
        app.call(
            "new", {"kind": "review", "where": "hammersmith-fulham/nowhere", "date": "2017-03-01"}
        )
    assert refused.value.status == 400
    assert "no team 'nowhere' in hammersmith-fulham" in refused.value.message


def test_a_presented_review_keeps_its_date(app: EditorApp, repo: Path) -> None:
    with pytest.raises(EditRefused) as refused:
        app.call("save", unchanged_call(repo, PRESENTED, date="2011-10-21"))
    assert refused.value.field == "date"
    assert not (repo / "reviews/hammersmith-fulham/assessment/2011-10-21.md").exists()


@pytest.mark.parametrize(
    "path",
    [
        "../outside.md",
        "reviews/hammersmith-fulham/borough.yml",
        "standards/S01-person-centred.md",
        "/etc/passwd",
        "reviews/hammersmith-fulham/assessment/../../../mkdocs.yml",
    ],
)
def test_only_reviews_and_minutes_are_opened(app: EditorApp, path: str) -> None:
    with pytest.raises(EditRefused):
        app.call("check", {"file": path, "data": {}, "body": ""})
    page = app.page("/edit", {"file": path})
    assert page is not None
    assert b"This file cannot be opened here" in page.body


def test_a_link_in_place_of_a_review_is_not_followed(app: EditorApp, repo: Path) -> None:
    secret = repo.parent / "secret.md"
    secret.write_text("---\nstatus: draft\n---\nNot for the editor.\n", encoding="utf-8")
    link = repo / "reviews/hammersmith-fulham/assessment/2016-01-01.md"
    link.symlink_to(secret)
    page = app.page("/edit", {"file": "reviews/hammersmith-fulham/assessment/2016-01-01.md"})
    assert page is not None
    assert b"Not for the editor" not in page.body
    assert b"This file cannot be opened here" in page.body


def test_meeting_minutes_are_checked_and_saved(app: EditorApp, repo: Path) -> None:
    text = (repo / MEETING).read_text(encoding="utf-8")
    data, body = frontmatter_and_body(text)
    form = {
        "status": "",
        "chairs": [{"origin": i, **c} for i, c in enumerate(data["chairs"])],
        "representatives": [{"origin": i, **r} for i, r in enumerate(data["representatives"])],
        "cases": [
            {
                "origin": i,
                **{k: v for k, v in c.items() if k != "standards"},
                "standards": ", ".join(c["standards"]),
            }
            for i, c in enumerate(data["cases"])
        ],
        "development": [{"origin": i, **d} for i, d in enumerate(data["development"])],
        "actions": [
            {
                "origin": i,
                **{k: str(v) for k, v in a.items() if k != "standards"},
                "standards": ", ".join(a["standards"]),
            }
            for i, a in enumerate(data["actions"])
        ],
        "next_meeting": str(data.get("next_meeting") or ""),
    }
    payload = {
        "file": MEETING,
        "digest": digest_of(text),
        "data": form,
        "body": body,
        "date": "2015-07-16",
    }
    answer = app.call("save", payload)
    assert answer["saved"] is False
    assert answer["score"] is None
    assert answer["problems"] == []

    form["cases"][0]["standards"] = "S51, S07"
    answer = app.call("save", payload)
    assert answer["saved"] is True
    after = (repo / MEETING).read_text(encoding="utf-8")
    assert _diff_lines(text, after) == [
        "-    standards: [S51, S07, S02]",
        "+    standards: [S51, S07]",
    ]


def test_the_preview_is_the_sites_own_neutralised_markdown(app: EditorApp) -> None:
    answer = app.call(
        "preview",
        {"body": "### Strengths\n\nGood [link](javascript:alert(1)) and <script>x()</script>.\n"},
    )
    html = answer["html"]
    assert "<h3" in html and "Strengths" in html
    assert "javascript:" not in html
    assert "<script" not in html


def test_pages_carry_the_sessions_token_and_load_nothing_from_elsewhere(
    app: EditorApp, repo: Path
) -> None:
    for route, query in [("/", {}), ("/edit", {"file": PRESENTED}), ("/edit", {"file": MEETING})]:
        page = app.page(route, query)
        assert page is not None and page.status == 200
        html = page.body.decode()
        assert '<meta name="qa-edit-token" content="session-token">' in html
        addresses = re.findall(r'(?:src|href|action)="([^"]*)"', html)
        assert addresses
        # Relative, below the session's key; none to another host or of another scheme.
        assert [a for a in addresses if a.startswith(("/", "http:", "https:"))] == []
        assert [a for a in addresses if ":" in a.split("?")[0] and a != "data:,"] == []


def test_save_and_commit_puts_the_file_alone_on_a_new_branch(app: EditorApp, repo: Path) -> None:
    _git(repo, "config", "user.name", "Reviewer")
    _git(repo, "config", "user.email", "r@example.org")
    (repo / "README.md").write_text("work in progress\n", encoding="utf-8")
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    answer = app.call("commit", payload)
    commit = answer["commit"]
    assert commit["branch"] == _git(repo, "branch", "--show-current").strip()
    assert _git(repo, "show", "--name-only", "--format=", "HEAD").split() == [PRESENTED]
    assert _git(repo, "status", "--porcelain").split() == ["??", "README.md"]


def test_a_file_with_errors_is_not_committed(app: EditorApp, repo: Path) -> None:
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["cases"][0]["ref"] = "Jane Smith"
    payload["data"]["amendment"] = {"date": "2016-12-01", "reason": "x", "by": "Head of service"}
    with pytest.raises(EditRefused) as refused:
        app.call("commit", payload)
    assert "only a file without errors is committed" in refused.value.message
    assert _git(repo, "branch", "--show-current").strip() == "main"


def test_a_boroughs_first_minutes_make_its_governance_folder(app: EditorApp, repo: Path) -> None:
    assert not (repo / "reviews/kensington-chelsea/governance").exists()
    answer = app.call(
        "new", {"kind": "meeting", "where": "kensington-chelsea", "date": "2017-02-01"}
    )
    assert answer["file"] == "reviews/kensington-chelsea/governance/2017-02-01.md"
    text = (repo / answer["file"]).read_text(encoding="utf-8")
    assert text.startswith("---\n# Draft minutes of the Kensington and Chelsea governance board.")
    assert not [p for p in check(repo, AS_OF).problems if p.is_error]


def test_a_presented_review_that_does_not_read_still_needs_an_amendment(
    app: EditorApp, repo: Path
) -> None:
    before = (repo / PRESENTED).read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["ratings"]["S02"] = {"rating": "Good", "note": "", "evidence": []}
    payload["data"]["cases"][0]["ref"] = "hf ast 1"
    answer = app.call("check", payload)
    assert answer["score"]["ready"] is False
    assert {
        "field": "ratings",
        "line": 8,
        "message": "this review was presented: its ratings changed; say why in the Amendment "
        "section (date, reason, and by whom), or undo the change (the file has errors, so the "
        "change is named by its part only)",
        "severity": "error",
        "path": PRESENTED,
    } in answer["problems"]
    with pytest.raises(EditRefused) as refused:
        app.call("save", payload)
    assert refused.value.field == "amendment"
    assert (repo / PRESENTED).read_bytes() == before

    payload["data"]["amendment"] = {"date": "2016-12-01", "reason": "Re-rated.", "by": "Head"}
    assert app.call("save", payload)["saved"] is True
    # The same amendment sent again with the next save is recorded once.
    payload["digest"] = digest_of((repo / PRESENTED).read_text(encoding="utf-8"))
    assert app.call("save", payload)["saved"] is False
    assert (repo / PRESENTED).read_text(encoding="utf-8").count("reason: Re-rated.") == 1


# A review of another team, which a change to PRESENTED leaves alone.
OTHER_TEAMS = "reviews/hammersmith-fulham/older-people/2010-11-18.md"


def test_only_errors_a_change_brings_are_counted_in_other_files(app: EditorApp, repo: Path) -> None:
    text = (repo / OTHER_TEAMS).read_text(encoding="utf-8")
    (repo / OTHER_TEAMS).write_text(text.replace("due: 2011-02-28", "due: 2011-02-30", 1), "utf-8")
    errors = [p for p in check(repo, AS_OF).problems if p.is_error]
    assert [p.path for p in errors] == [OTHER_TEAMS]

    payload = unchanged_call(repo, PRESENTED)
    payload["data"]["actions"][2]["status"] = "done"
    payload["data"]["actions"][2]["completed"] = "2012-04-02"
    answer = app.call("check", payload)
    assert (answer["problems"], answer["errors"], answer["elsewhere"]) == ([], 0, [])


def test_two_grades_for_one_standard_in_a_case_are_refused(app: EditorApp, repo: Path) -> None:
    before = (repo / PRESENTED).read_bytes()
    payload = unchanged_call(repo, PRESENTED)
    case = payload["data"]["cases"][0]
    case["grades"] = [
        *case["grades"],
        {"standard": case["grades"][0]["standard"].lower(), "grade": "Good"},
    ]
    with pytest.raises(EditRefused) as refused:
        app.call("save", payload)
    standard = case["grades"][0]["standard"]
    assert (refused.value.status, refused.value.field, refused.value.message) == (
        400,
        "grades",
        f"a case audit ({case['ref']}) grades {standard} twice: keep one grade for each standard",
    )
    assert (repo / PRESENTED).read_bytes() == before


def _s01_lines(repo: Path, path: str) -> list[str]:
    """S01's rating as written: its line and the lines of its map, if any."""
    lines = (repo / path).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  S01:"))
    entry = [lines[start].split("#")[0].rstrip()]
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        entry.append(line)
    return entry


def test_who_may_read_a_rating_note_is_written_and_taken_out(app: EditorApp, repo: Path) -> None:
    path = "reviews/hammersmith-fulham/learning-disability/2017-03-01.md"
    app.call(
        "new",
        {"kind": "review", "where": "hammersmith-fulham/learning-disability", "date": "2017-03-01"},
    )

    def save(note: str, audience: str) -> list[str]:
        payload = unchanged_call(repo, path)
        payload["data"]["ratings"]["S01"] = {
            "rating": "Good",
            "note": note,
            "evidence": [],
            "audience": audience,
        }
        app.call("save", payload)
        return _s01_lines(repo, path)

    assert save("", "") == ["  S01: Good"]
    assert save("", "partners") == ["  S01:", "    rating: Good", "    audience: partners"]
    # "As the review says": the key goes, and with nothing else left, the short form returns.
    assert save("", "") == ["  S01: Good"]
    assert save("Seen at home.", "partners") == [
        "  S01:",
        "    rating: Good",
        "    note: Seen at home.",
        "    audience: partners",
    ]
    assert save("Seen at home.", "") == ["  S01:", "    rating: Good", "    note: Seen at home."]
    assert save("", "") == ["  S01: Good"]
