"""A council's start, as it would make it: the wheel installed in a fresh virtual
environment outside this repository, ``qa-site init`` in an empty folder, and the
new repository built by MkDocs and by ProperDocs, then read in Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from generator import __version__
from tests.support.audit import audit_pages
from tests.support.chromium import (
    CHART_TIMEOUT_MS,
    new_cached_visit,
    undrawn_charts,
)
from tests.support.links import check_links
from tests.support.paths import EPOCH, ROOT
from tests.support.serving import Site, serve, site_pages

if TYPE_CHECKING:
    from playwright.sync_api import Browser

COUNCIL = ("--borough", "camden", "--name", "Camden", "--short", "CAM")
TEAM_PAGE = "teams/camden/older-people/"


def _run(args: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A program of the new environment, as a council runs it: no path into this checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env.update(SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr[-4000:]}"
    )
    return result


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed in a new virtual environment; its bin/ folder."""
    work = tmp_path_factory.mktemp("council")
    wheels = work / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, ROOT], cwd=work)
    (wheel,) = wheels.glob("qa_site-*.whl")
    _run([sys.executable, "-m", "venv", work / "venv"], cwd=work)
    bin_ = work / "venv" / "bin"
    _run(
        [bin_ / "python", "-m", "pip", "install", "--quiet", "-c", ROOT / "constraints.txt",
         wheel, "properdocs"],
        cwd=work,
    )  # fmt: skip
    return bin_


@pytest.fixture(scope="module")
def programme(council: Path) -> Path:
    """A new council's repository, with the worked example, written by the installed tool."""
    folder = council.parent.parent / "camden-qa"
    _run([council / "qa-site", "init", folder, *COUNCIL, "--example"], cwd=folder.parent)
    return folder


@pytest.fixture(scope="module")
def built(council: Path, programme: Path) -> dict[str, Path]:
    """The new repository built strictly by each engine."""
    sites = {}
    for engine in ("mkdocs", "properdocs"):
        site = programme.parent / f"site-{engine}"
        _run([council / engine, "build", "--strict", "-d", site], cwd=programme)
        sites[engine] = site
    return sites


def test_the_wheel_carries_everything_and_runs_outside_the_checkout(council: Path) -> None:
    where = _run(
        [council / "python", "-c", "import generator; print(generator.__file__)"],
        cwd=council,
    ).stdout.strip()
    package = Path(where).parent
    assert package.is_relative_to(council.parent)
    assert not package.is_relative_to(ROOT)
    for carried in (
        "bundled/site_templates/home.md.j2",
        "bundled/site_templates/assets/charts.js",
        "bundled/site_templates/assets/site.css",
        "bundled/standards/framework.yml",
        "bundled/docs/scoring.md",
        "theme/main.html",
        "workflow/starter/mkdocs.yml",
        "edit/templates/review.html.j2",
        "edit/static/edit.js",
        "edit/static/edit.css",
    ):
        assert (package / carried).is_file(), carried
    standards = sorted(path.name for path in (package / "bundled" / "standards").glob("S*.md"))
    assert len(standards) == 54  # S01..S54: fifty in each framework version
    assert standards == sorted(path.name for path in (ROOT / "standards").glob("S*.md"))
    version = _run([council / "qa-site", "--version"], cwd=council).stdout
    assert version == f"qa-site, version {__version__}\n"


def test_the_wheel_declares_its_licence_and_bounds(tmp_path: Path, council: Path) -> None:
    (wheel,) = (council.parent.parent / "wheels").glob("qa_site-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"qa_site-{__version__}.dist-info/METADATA").decode()
        names = archive.namelist()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert f"qa_site-{__version__}.dist-info/licenses/LICENSE" in names
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist: ")]
    unbounded = [line for line in requires if "extra ==" not in line and "<" not in line]
    assert unbounded == []


def test_the_installed_editor_serves_the_new_repositorys_form(
    council: Path, programme: Path
) -> None:
    """qa-site edit from the wheel, in the new council's repository: its list, a review's
    form and its script come from the installed package."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    editor = subprocess.Popen(
        [council / "qa-site", "edit", "-a", "127.0.0.1:0", "--as-of", "2017-01-01"],
        cwd=programme,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert editor.stderr is not None
        line = editor.stderr.readline()
        url = line.split("qa-site edit: ", 1)[1].split()[0]
        with urllib.request.urlopen(url, timeout=30) as answer:
            listing = answer.read().decode()
        assert "<h1>Reviews and minutes</h1>" in listing
        review = next(
            path.relative_to(programme).as_posix()
            for path in sorted((programme / "reviews").glob("*/*/*.md"))
            if path.parent.name != "governance"
        )
        with urllib.request.urlopen(f"{url}edit?file={review}", timeout=30) as answer:
            form = answer.read().decode()
        assert 'data-kind="review"' in form
        assert 'id="rating-S01"' in form
        with urllib.request.urlopen(f"{url}static/edit.js", timeout=30) as answer:
            assert b"X-QA-Edit-Token" in answer.read()
    finally:
        editor.terminate()
        editor.wait(timeout=30)


def test_init_writes_a_repository_that_builds_with_mkdocs_and_properdocs(
    programme: Path, built: dict[str, Path]
) -> None:
    assert not (programme / "site_templates").exists()
    requirements = (programme / "requirements.txt").read_text(encoding="utf-8")
    assert f"qa-site=={__version__}" in requirements.splitlines()
    site_url = yaml.safe_load((programme / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    for engine, site in built.items():
        report = check_links(site, base=site_url)
        assert report.broken == [], engine
        assert report.external == [], engine
        assert report.checked > 500, engine
        assert (site / TEAM_PAGE / "index.html").is_file(), engine
        home = (site / "index.html").read_text(encoding="utf-8")
        assert '<link rel="stylesheet" href="assets/qa-site/site.css">' in home, engine
        assert '<script src="assets/qa-site/charts.js"></script>' in home, engine


@pytest.fixture(scope="module")
def served(built: dict[str, Path]) -> Iterator[Site]:
    with serve(built["mkdocs"]) as site:
        yield site


@pytest.mark.browser
def test_the_new_site_draws_its_charts_offline_and_is_accessible(
    chromium: Browser, served: Site
) -> None:
    assert served.root is not None
    pages = site_pages(served.root)
    assert TEAM_PAGE in pages
    contexts, visits = [], []
    try:
        for _ in range(2):
            context, visit = new_cached_visit(chromium, served)
            contexts.append(context)
            visits.append(visit)
        found = audit_pages(visits, pages)
        # The audit waits for charts where there are some: the scorecard has them.
        visits[0].page.goto(served.local + TEAM_PAGE)
        assert visits[0].page.locator(".qa-chart__plot svg.main-svg").count() > 0
    finally:
        for context in contexts:
            context.close()
    assert found == {}
    assert [visit.blocked for visit in visits] == [[], []]


@pytest.mark.browser
def test_the_site_opened_from_files_draws_its_charts(
    chromium: Browser, council: Path, programme: Path
) -> None:
    """Material's offline plugin (and with it use_directory_urls: false): a site
    opened from a file share, with nothing served."""
    copy = programme.parent / "camden-offline"
    shutil.copytree(programme, copy)
    config = yaml.safe_load((copy / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"].insert(1, "offline")
    (copy / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    site = copy / "site"
    _run([council / "mkdocs", "build", "--strict", "-d", site], cwd=copy)

    report = check_links(site, folder_index=False)
    assert report.broken == []
    scorecard = site / TEAM_PAGE.rstrip("/") / "index.html"
    assert scorecard.is_file()

    context = chromium.new_context()
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(scorecard.as_uri(), wait_until="load")
        assert page.locator(".qa-chart__plot").count() > 0
        assert undrawn_charts(page, CHART_TIMEOUT_MS) == []
    finally:
        context.close()
    assert [url for url in requests if not url.startswith("file://")] == []
