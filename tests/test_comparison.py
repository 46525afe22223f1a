"""Comparison across repositories: a partner's data package joins the comparison pages.

H&F's package is exported from the sample; a repository holding only K&C and
Westminster lists it in mkdocs.yml; its build must show H&F's teams on the
comparison pages with the same results the one-repository site shows.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.repos import copy_repository
from tests.support.sites import BuiltSite

HF = "hammersmith-fulham"
MARK = "(from qa-site-hammersmith-fulham, as of 1 January 2017)"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package") / "hf"
    result = run_cli("export", "--format", "datapackage", "--borough", HF, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "boroughs.csv",
        "datapackage.json",
        "grades.csv",
        "ratings.csv",
        "reviews.csv",
        "standards.csv",
        "teams.csv",
    ]
    return out


def _partner_repository(target: Path, packages: list[str]) -> Path:
    repo = copy_repository(target)
    shutil.rmtree(repo / "reviews" / HF)
    config = repo / "mkdocs.yml"
    listed = ", ".join(packages)
    text = config.read_text(encoding="utf-8").replace(
        "  - qa-site:\n", f"  - qa-site:\n      packages: [{listed}]\n"
    )
    config.write_text(text, encoding="utf-8")
    return repo


def _rows(page: Path) -> dict[str, str]:
    """Each table row of the page's article as text, by its first cell."""
    article = re.search(r"<article.*?</article>", page.read_text(encoding="utf-8"), re.S)
    assert article is not None
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", article.group(0), re.S):
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[" ".join(cells[0].replace(MARK, "").split()).replace(" ,", ",")] = " | ".join(
            cells[1:]
        )
    return rows


@pytest.fixture(scope="module")
def sites(
    tmp_path_factory: pytest.TempPathFactory, package: Path, published: BuiltSite
) -> dict[str, Path]:
    """The whole sample site (built once for the run), and a partner's with HF's package."""
    partner = _partner_repository(tmp_path_factory.mktemp("sites") / "partner", [str(package)])
    result = run_cli("build", cwd=partner)
    assert result.returncode == 0, result.stderr
    return {"whole": published.site, "partner": partner / "site"}


def test_hf_teams_join_the_comparison_pages_with_their_results(sites: dict[str, Path]) -> None:
    hf_teams = [
        "Assessment Team, H&F",
        "Community Mental Health Team (social work), H&F",
        "Learning Disability Team, H&F",
        "Social Work Team, H&F",
    ]
    whole = _rows(sites["whole"] / "comparison/services/index.html")
    partner = _rows(sites["partner"] / "comparison/services/index.html")
    for team in hf_teams:
        assert partner[team] == whole[team], team
    assert partner["Learning Disability Team, H&F"] == (
        "22 September 2011 (version 1) | Good 68.5% | "
        "S07 Adequate S09 Good S14 Good S35 Good S47 Adequate"
    )
    # The teams are marked with where their results come from, not linked.
    services = (sites["partner"] / "comparison/services/index.html").read_text(encoding="utf-8")
    assert f'Learning Disability Team <small class="qa-source">{html.escape(MARK)}</small>' in (
        html.unescape(services).replace("&", "&amp;")
    )
    assert "teams/hammersmith-fulham/" not in services
    assert not (sites["partner"] / "teams" / HF).exists()


def test_the_boroughs_side_by_side_count_hf_as_before(sites: dict[str, Path]) -> None:
    whole = _rows(sites["whole"] / "comparison/index.html")
    partner = _rows(sites["partner"] / "comparison/index.html")
    # At a glance: the package has no actions, and says so. As of 2017 all four active
    # teams are overdue: mental health (Good, June 2011) and learning disability (Good,
    # September 2011) by years, social work (Good, 18 June 2015) since 18 December 2016
    # and assessment (Adequate, 17 September 2015) since 17 September 2016.
    assert partner["Hammersmith & Fulham"] == (
        "4 | 4 | 16 June 2011 to 17 September 2015 | 4 | not in the package | not in the package"
    )
    assert whole["Hammersmith & Fulham"].startswith(
        "4 | 4 | 16 June 2011 to 17 September 2015 | 4 | "
    )
    for row in ("Outstanding", "Good", "Adequate", "Inadequate"):
        assert partner[row] == whole[row]
    for standard in ("S07", "S09", "S14", "S35", "S47"):
        key = next(k for k in whole if k.startswith(standard + " "))
        assert partner[key] == whole[key]
    text = (sites["partner"] / "comparison/index.html").read_text(encoding="utf-8")
    assert "Hammersmith &amp; Fulham: from the data package <strong>qa-site-hammersmith-fulham" in (
        text
    )
    # The package words every standard of both versions as this site does now.
    assert "Compared on all 54 standards of every framework version, by this site's rules." in text


def test_the_heatmap_has_hf_columns(sites: dict[str, Path]) -> None:
    whole = _rows(sites["whole"] / "comparison/standards/index.html")
    partner = _rows(sites["partner"] / "comparison/standards/index.html")
    assert partner["Standard"].count(MARK) == 7  # every H&F team with a presented review
    assert partner["Standard"].replace(" " + MARK, "") == whole["Standard"]
    assert len(partner) == len(whole) == 1 + 54  # the header, every standard of either version
    for standard in whole.keys() - {"Standard"}:
        assert partner[standard] == whole[standard], standard


def test_a_framework_that_differs_is_compared_on_the_standards_both_share(
    tmp_path: Path, package: Path
) -> None:
    changed = tmp_path / "hf"
    shutil.copytree(package, changed)
    # Version 3 of the partner's framework reworded S50; its S07 keeps the title of this
    # site's version 1, a wording S07 has had with the same meaning, so S07 is still shared.
    standards = changed / "standards.csv"
    with standards.open(encoding="utf-8", newline="") as rows:
        table = list(csv.reader(rows))
    for row in table:
        if row[0] == "S50":
            row[1] += " (revised wording)"
        if row[0] == "S07":
            row[1] = (
                "Adult protection investigations are proportionate, timely and centred on "
                "the person"
            )
    with standards.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(table)
    descriptor = changed / "datapackage.json"
    text = descriptor.read_text(encoding="utf-8")
    assert '"version": 2' in text
    descriptor.write_text(text.replace('"version": 2', '"version": 3'), encoding="utf-8")
    repo = _partner_repository(tmp_path / "repo", [str(changed)])
    result = run_cli("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    page = (repo / "site/comparison/index.html").read_text(encoding="utf-8")
    assert (
        "scored by the Adult Social Work Quality Standards, version 3. Its framework is not "
        "this site's (Adult Social Work Quality Standards, version 2), so its teams are compared "
        "on the 53 standards both share (same id and wording); 1 standard of this site's is "
        "left out, and their overall ratings and percentages are over the shared standards only."
        in " ".join(html.unescape(page).split())
    )
    heatmap = _rows(repo / "site/comparison/standards/index.html")
    assert heatmap["S50"].split(" | ")[:4] == ["", "", "", ""]
    assert heatmap["S07 (c)"].split(" | ")[:4] == ["A", "A", "A", "A"]


def test_a_broken_package_stops_the_build_at_its_line(tmp_path: Path, package: Path) -> None:
    broken = tmp_path / "hf"
    shutil.copytree(package, broken)
    reviews = broken / "reviews.csv"
    lines = reviews.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",Good,", ",Very good,", 1)
    reviews.write_text("".join(lines), encoding="utf-8")
    repo = _partner_repository(tmp_path / "repo", [str(broken)])
    result = run_cli("build", cwd=repo)
    assert result.returncode == 1
    assert "error in the partners' packages; nothing was built" in result.stderr
    assert f"{reviews}:2: rating: " in result.stderr
    assert "Traceback" not in result.stderr
    assert not (repo / "site").exists()


def test_a_package_of_a_borough_the_site_has_is_refused(tmp_path: Path, package: Path) -> None:
    repo = copy_repository(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    listed = f"  - qa-site:\n      packages: [{package}]\n"
    config.write_text(text.replace("  - qa-site:\n", listed))
    result = run_cli("build", cwd=repo)
    assert result.returncode == 1
    assert (
        f"qa-site: package {package}: borough 'hammersmith-fulham' is already on this site"
        in result.stderr
    )


def test_a_missing_package_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    repo = _partner_repository(tmp_path / "repo", ["../nowhere"])
    result = run_cli("build", cwd=repo)
    assert result.returncode == 1
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.stderr
