"""qa-site score: one review's results in the terminal, drafts included."""

from __future__ import annotations

from tests.support.cli import run_cli
from tests.support.repos import RepoFactory

REVIEW = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
LATER = "reviews/hammersmith-fulham/learning-disability/2011-06-09.md"


def test_a_presented_review_is_scored_in_full(make_repo: RepoFactory) -> None:
    repo = make_repo()
    result = run_cli("score", str(repo / REVIEW))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # S01 Inadequate 1 + S02 Adequate 2 + S03 Good 3 = 6 of 12 = 50.0%: Adequate,
    # below the band's midpoint (39 + 63) / 2 = 51. One critical standard (S01) is
    # Inadequate, which caps the rating at Adequate: no lower than the band, so no limit.
    assert result.stdout == (
        "Learning Disability Team, Hammersmith & Fulham: review of 2010-12-09 (presented)\n"
        "Scored by Test Framework, version 1, as of 2017-01-01.\n"
        "\n"
        "Overall           Adequate, 50.0%\n"
        "                  6 of 12 points over 3 standards; lower half of the Adequate band\n"
        "Change            new: no earlier presented review of this team\n"
        "\n"
        "  Domain                                      Rated  Percent  Rating\n"
        "  Safeguarding adults                         1/1    25.0%    Inadequate, lower half\n"
        "  Practice                                    2/2    62.5%    Adequate, upper half\n"
        "\n"
        "  Critical standard                           Rating      Change     "
        "Case audits adequate or above\n"
        "  S01 Safeguarding enquiries are proportio... Inadequate  new        0 of 1 (0.0%)\n"
        "  S03 Practitioners receive regular reflec... Good        new        not audited\n"
        "\n"
        "Case audits       1 case; 1 of 2 case-audit grades adequate or above (50.0%)\n"
        "Disagreements     none: ratings and case audits point the same way\n"
        "Actions           0 open, 1 done, 0 overdue\n"
        "Next review due   2011-12-09 (12 months after a rating of Adequate)\n"
    )


DRAFT = """---
status: draft
framework_version: 1
ratings:
  S01: Inadequate
  S02:
  S03: inadequate
cases:
  - ref: HF-LD-2011-01
    worker: W01
    grades: {S03: Good}
---
"""


def test_a_draft_is_scored_on_what_is_rated_and_limited(make_repo: RepoFactory) -> None:
    repo = make_repo({LATER: DRAFT})
    result = run_cli("score", str(repo / LATER), "--as-of", "2011-06-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # Two rated: 1 + 1 = 2 of 8 = 25.0%, Inadequate; both critical ones Inadequate.
    assert lines[1] == "Scored by Test Framework, version 1, as of 2011-06-01."
    assert lines[3:11] == [
        "Draft             2 of 3 standards rated. Only rated standards count, and nothing "
        "here is published.",
        "",
        "Overall           Inadequate, 25.0%",
        "                  2 of 8 points over 2 standards; lower half of the Inadequate band",
        # Over S01 and S03 then: 1 + 3 = 4 of 8 = 50%, Adequate (S01 alone caps at Adequate).
        "Change            rating declined since 2010-12-09 (Adequate -> Inadequate); "
        "percentage declined",
        "                  (50.0% -> 25.0%), both over the 2 standards both reviews rated",
        "",
        "  Domain                                      Rated  Percent  Rating",
    ]
    practice = (
        "  Practice                                    1/2    25.0%    Inadequate, lower half"
    )
    assert practice in lines
    # Rated Inadequate while its only case-audit grade is Good. Both critical
    # standards are Inadequate, but the band is Inadequate already: no "Limited" line.
    assert (
        "Disagreements     S03 rated Inadequate, but its one case-audit grade is better than "
        "Adequate"
    ) in lines
    assert not any(line.startswith("Limited") for line in lines)
    assert lines[-1] == (
        "Next review due   2011-12-09 (6 months after a rating of Inadequate), if presented as "
        "it stands"
    )


def test_an_empty_draft_says_nothing_is_rated(make_repo: RepoFactory) -> None:
    repo = make_repo({LATER: "---\nstatus: draft\nframework_version: 1\n---\n"})
    result = run_cli("score", str(repo / LATER))
    assert result.returncode == 0, result.stderr
    assert "Overall           no standards rated yet" in result.stdout.splitlines()
    assert result.stdout.endswith("Next review due   when the standards are rated\n")


def test_errors_in_the_review_are_printed_instead(make_repo: RepoFactory) -> None:
    repo = make_repo({LATER: DRAFT.replace("S01: Inadequate", "S01: Inadequat")})
    result = run_cli("score", str(repo / LATER))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{LATER}:5: ratings.S01: 'Inadequat' is not a rating on the scale; "
        "did you mean 'Inadequate'?\n"
        "qa-site score: 1 error; fix these first\n"
    )


def test_errors_elsewhere_do_not_stop_scoring(make_repo: RepoFactory) -> None:
    repo = make_repo(
        {
            LATER: DRAFT,
            "reviews/hammersmith-fulham/governance/2011-01-20.md": "---\nchairs: []\n---\n",
        }
    )
    result = run_cli("score", str(repo / LATER))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Learning Disability Team, Hammersmith & Fulham")


def test_an_error_in_an_earlier_review_stops_scoring(make_repo: RepoFactory) -> None:
    repo = make_repo({LATER: DRAFT})
    earlier = repo / REVIEW
    earlier.write_text(
        earlier.read_text(encoding="utf-8").replace("S03: Good", "S03: Grand"), encoding="utf-8"
    )
    result = run_cli("score", str(repo / LATER))
    assert result.returncode == 1
    assert f"{REVIEW}:10: ratings.S03: 'Grand' is not a rating on the scale" in result.stderr


def test_an_error_in_the_team_file_stops_scoring(make_repo: RepoFactory) -> None:
    repo = make_repo()
    team = repo / "reviews/hammersmith-fulham/learning-disability/team.yml"
    team.write_text(
        team.read_text(encoding="utf-8").replace("service:", "servise:"), encoding="utf-8"
    )
    result = run_cli("score", str(repo / REVIEW))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "reviews/hammersmith-fulham/learning-disability/team.yml:2: servise: unknown key; "
        "did you mean 'service'?\n"
    )
    assert result.stderr.endswith("; fix these first\n")


def test_a_file_that_is_not_a_review_is_a_usage_error(make_repo: RepoFactory) -> None:
    repo = make_repo()
    team = repo / "reviews/hammersmith-fulham/learning-disability/team.yml"
    result = run_cli("score", str(team))
    assert result.returncode == 2
    assert (
        "reviews/hammersmith-fulham/learning-disability/team.yml is not a review "
        "(reviews/<borough>/<team>/<YYYY-MM-DD>.md)"
    ) in result.stderr


def test_a_limited_review_says_which_standards_limited_it() -> None:
    result = run_cli("score", "reviews/westminster/mental-health/2011-11-24.md")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[3:8] == [
        "Overall           Inadequate, 53.0%",
        "                  106 of 200 points over 50 standards; upper half of the Adequate band",
        "Limited           the percentage earns Adequate, but critical standards S09 and S47 are "
        "rated",
        "                  Inadequate, so the rating is at most Inadequate",
        "Change            new: no earlier presented review of this team",
    ]
