"""``qa-site init``: a council's new programme repository validates, builds and checks itself."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shlex
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

import generator
from generator.cli.main import cli
from generator.core.bundled import bundled_files
from generator.workflow.init import FROM_STARTER, GENERATED_PAGES, STARTER, unlink_missing
from tests.support.cli import run_cli
from tests.support.paths import ROOT
from tests.support.programs import VENV_BIN, actionlint
from tests.support.sites import mkdocs_env
from tests.support.trees import files_of

COUNCIL = ("--borough", "westminster", "--name", "Westminster", "--short", "WCC")

# Every file a plain init writes, but the starter rulebook's.
WRITTEN = [
    ".github/pull_request_template.md",
    ".github/workflows/publish.yml",
    ".github/workflows/pull-request.yml",
    ".gitignore",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    ".vscode/tasks.json",
    "README.md",
    "azure-pipelines.yml",
    "docs/commands.md",
    "docs/continuous-integration.md",
    "docs/editing-reviews.md",
    "docs/engines.md",
    "docs/export.md",
    "docs/images/editing-amendment.png",
    "docs/images/editing-commit.png",
    "docs/images/editing-form.png",
    "docs/images/editing-list.png",
    "docs/images/editing-problem.png",
    "docs/programme.md",
    "docs/publishing.md",
    "docs/reviewing.md",
    "docs/scoring.md",
    "docs/sharing.md",
    "docs/writing-reviews.md",
    "mkdocs.yml",
    "requirements.txt",
    "reviews/westminster/borough.yml",
]

QUICKSTART = [
    "python3 -m venv .venv && . .venv/bin/activate && python -m pip install -r "
    "requirements.txt && qa-site build",
    "qa-site validate --strict",
]
INSTALL = "python -m pip install -r requirements.txt"
# What every CI job that builds the site runs before it builds: WeasyPrint draws the
# PDF papers with Pango from the system (docs/publishing.md); `sudo` on hosted runners.
PANGO = (
    "apt-get update",
    "apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0",
)
SUDO_PANGO = tuple(f"sudo {command}" for command in PANGO)


def _init(out: Path, *extra: str) -> Path:
    result = run_cli("init", str(out), *COUNCIL, *extra)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def council_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plain new repository, written once for this module: read only."""
    return _init(tmp_path_factory.mktemp("init") / "westminster-qa")


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_init_writes_exactly_the_repository(tmp_path: Path) -> None:
    out = tmp_path / "new" / "westminster-qa"  # made, parents too
    result = run_cli("init", str(out), *COUNCIL)
    assert result.returncode == 0, result.stderr
    standards = [f"standards/{p.as_posix()}" for p in bundled_files("standards")]
    assert len(standards) == 55  # S01..S54 and framework.yml
    assert sorted(files_of(out)) == sorted(WRITTEN + standards)
    assert result.stderr.splitlines() == [
        f"qa-site init: wrote {len(WRITTEN) + 55} files in {out}:",
        *(f"  {path}" for path in WRITTEN),
        "  standards/ (the starter rulebook: 55 files)",
        f"Next, in {out}:",
        *(f"  {command}" for command in QUICKSTART),
    ]
    # The rulebook is the packaged one, byte for byte, and the council is as `new borough`
    # writes it.
    for path in standards:
        assert (out / path).read_bytes() == (ROOT / path).read_bytes()
    assert (
        out / "reviews/westminster/borough.yml"
    ).read_text() == "name: Westminster\nshort: WCC\n"
    assert not (out / "site_templates").exists()


def test_every_starter_text_is_used() -> None:
    """What the package must carry of starter/: every file there, and no other."""
    present = sorted(p.relative_to(STARTER).as_posix() for p in STARTER.rglob("*") if p.is_file())
    assert present == sorted({*FROM_STARTER.values(), "README.md", "README-example.md"})


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run_cli("init", str(tmp_path), *COUNCIL)
    assert result.returncode == 2
    assert f"Error: {tmp_path} is not empty; qa-site init writes a new repository" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    result = run_cli("init", str(tmp_path / "link"), *COUNCIL)
    assert result.returncode == 2
    assert "is a symbolic link" in result.stderr
    assert list((tmp_path / "real").iterdir()) == []


REFUSED = (
    " (a name is written as it stands into the site's pages; <, >, \", backquotes and "
    "control, format or separator characters are refused)"
)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--borough", "West Minster", "a borough id is lower-case letters, digits and hyphens"),
        ("--name", "  ", "must not be blank"),
        ("--short", "", "must not be blank"),
        (
            "--name",
            'Brent</title><script>alert(1)</script>" onmouseover="alert(2)',
            "must not hold '<', '>', '\"'" + REFUSED,
        ),
        ("--short", "`EV`", "must not hold a backquote" + REFUSED),
        ("--name", "Brent\x1b[31m", "must not hold U+001B" + REFUSED),
        ("--name", "Brent\x85Harrow\u2028\u2029", "must not hold U+0085, U+2028, U+2029" + REFUSED),
        ("--short", "B\u200bH\t", "must not hold U+200B, U+0009" + REFUSED),
        (
            "--name",
            "Brent &copy Harrow",
            "must not hold an HTML character reference (such as '&amp;'): a page would show "
            "it as another character; write & followed by a space",
        ),
    ],
)
def test_a_wrong_council_is_refused(tmp_path: Path, option: str, value: str, message: str) -> None:
    args = dict(zip(COUNCIL[::2], COUNCIL[1::2], strict=True))
    args[option] = value
    out = tmp_path / "new"
    result = run_cli("init", str(out), *(word for pair in args.items() for word in pair))
    assert result.returncode == 2
    if option == "--borough":
        assert message in result.stderr
    else:
        assert result.stderr.splitlines()[-1] == f"Error: Invalid value for {option}: {message}"
    assert not out.exists()


def test_new_borough_refuses_what_init_refuses(tmp_path: Path) -> None:
    repo = _init(tmp_path / "repo")
    for option, value, found in (
        ("--name", "Brent<b>", "'<', '>'"),
        ("--short", "B\u2028", "U+2028"),
    ):
        args = {"--name": "Brent", "--short": "BR", option: value}
        result = run_cli(
            "new", "borough", "brent", *(w for pair in args.items() for w in pair), cwd=repo
        )
        assert result.returncode == 2
        assert result.stderr.splitlines()[-1] == (
            f"Error: Invalid value for {option}: must not hold {found}{REFUSED}"
        )
    assert not (repo / "reviews/brent").exists()


def _mkdocs_build(repo: Path) -> None:
    result = subprocess.run(
        [str(VENV_BIN / "mkdocs"), "build", "--strict"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=mkdocs_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]


@pytest.mark.parametrize("example", [False, True], ids=["plain", "example"])
def test_the_new_repository_validates_and_builds(tmp_path: Path, example: bool) -> None:
    repo = _init(tmp_path / "repo", *(["--example"] if example else []))
    result = run_cli("validate", "--strict", "--root", str(repo))
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    _mkdocs_build(repo)
    site = repo / "site"
    for page in (
        "index.html",
        "teams/index.html",
        "standards/S07/index.html",
        "programme/index.html",
    ):
        assert (site / page).is_file(), page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "- Adult Social Work Quality Assurance, Westminster</title>" in home
    scorecard = site / "teams/westminster/older-people/index.html"
    assert scorecard.is_file() == example
    if example:
        assert list((site / "board/westminster").glob("*/index.html"))


def test_the_example_passes_the_partner_build_its_workflow_runs(tmp_path: Path) -> None:
    repo = _init(tmp_path / "repo", "--example")
    result = run_cli("build", "--audience", "partners", cwd=repo)
    assert result.returncode == 0, result.stderr[-4000:]
    site = repo / "site-partners"
    assert (site / "comparison/standards/index.html").is_file()
    # The comparison is worded for the programme's one borough, not the sample's three.
    comparison = (site / "comparison/index.html").read_text(encoding="utf-8")
    assert "<title>Borough comparison - " in comparison
    assert "<p>The programme's one borough so far, from each active team's" in comparison
    assert "Tri-borough" not in comparison and "three" not in comparison
    # The search index joins a row's cells ("S30", "G", "G"); the gate reads them apart.
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any(re.search(r"\bS\d\d[OGAI]{2}\b", entry["text"]) for entry in index["docs"])


def test_the_example_is_the_same_every_time(tmp_path: Path) -> None:
    first = files_of(_init(tmp_path / "one", "--example"))
    second = files_of(_init(tmp_path / "two", "--example"))
    assert first == second
    invented = sorted(p for p in first if p.startswith("reviews/") and p not in WRITTEN)
    teams = {p.split("/")[2] for p in invented} - {"governance"}
    assert teams == {"older-people", "learning-disability"}
    reviews = [
        p for p in invented if re.search(r"/\d{4}-\d\d-\d\d\.md$", p) and "governance" not in p
    ]
    assert len(reviews) >= 3
    assert any("/governance/" in p for p in invented)
    # Invented for this council, never the bundled sample's boroughs.
    text = b"".join(first[p] for p in invented).decode("utf-8")
    for sample in ("Hammersmith", "Kensington", "hammersmith-fulham", "kensington-chelsea"):
        assert sample not in text
    readme = first["README.md"].decode("utf-8")
    assert (
        "git rm -r -q reviews/westminster/governance reviews/westminster/learning-disability "
        "reviews/westminster/older-people" in readme
    )


def test_the_readme_quickstart_is_the_two_commands(council_repo: Path) -> None:
    readme = (council_repo / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Adult social work quality assurance, Westminster\n")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block is not None
    assert [line for line in block.group(1).splitlines() if line.strip()] == QUICKSTART
    assert "The worked example" not in readme


def test_the_repository_installs_the_released_package(council_repo: Path) -> None:
    requirements = (council_repo / "requirements.txt").read_text(encoding="utf-8")
    pins = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert pins == [f"qa-site=={generator.__version__}"]
    for path, data in files_of(council_repo).items():
        assert b"pip install -e" not in data or path.startswith("docs/"), path


def test_mkdocs_yml_is_ours_for_the_council(council_repo: Path) -> None:
    ours, theirs = _yaml(ROOT / "mkdocs.yml"), _yaml(council_repo / "mkdocs.yml")
    assert theirs["site_name"] == "Adult Social Work Quality Assurance, Westminster"
    assert theirs["strict"] is True
    assert theirs["theme"]["font"] is False
    # The same plugins, but for the sample's own as-of date, which a council's programme
    # does not pin: its site is shown as of the day it is built.
    pinned = {"qa-site": {"as_of": dt.date(2017, 1, 1)}}
    sample = ["qa-site" if entry == pinned else entry for entry in ours["plugins"]]
    assert theirs["plugins"] == sample
    assert "as_of" not in (council_repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert theirs["markdown_extensions"] == ours["markdown_extensions"]
    assert "extra_css" not in theirs and "extra_javascript" not in theirs
    text = (council_repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"# .*set it to[^\n]*\n(#[^\n]*\n)*site_url: https://qa\.intranet\.", text)
    # The navigation opens every page of docs/.
    about = theirs["nav"][-1]["About the programme"]
    pages = [next(iter(entry.values())) for entry in about]
    assert sorted(pages) == sorted(p.name for p in (council_repo / "docs").glob("*.md"))


def test_every_link_between_the_starter_pages_resolves(council_repo: Path) -> None:
    docs = council_repo / "docs"
    for page in docs.glob("*.md"):
        for target in re.findall(r"\]\(([a-z0-9-]+\.md)", page.read_text(encoding="utf-8")):
            generated = target in GENERATED_PAGES
            assert (docs / target).is_file() or generated, f"{page.name} links to {target}"


def test_the_carried_pages_state_no_fact_of_the_sample_as_the_councils(
    council_repo: Path,
) -> None:
    pages = {p.name: p.read_text(encoding="utf-8") for p in (council_repo / "docs").glob("*.md")}
    for name, text in pages.items():
        flat = " ".join(text.split())
        for sample in ("Tri-borough", "tri-borough", "three boroughs", "shared with Kensington"):
            assert sample not in flat, (name, sample)
    assert "| Boroughs side by side; every team on every standard;" in pages["publishing.md"]
    assert "The example is a review from the sample programme that comes with qa-site's " in (
        " ".join(pages["scoring.md"].split())
    )


def test_a_link_to_a_page_not_carried_becomes_text() -> None:
    text = "[Programme](programme.md), [speed](performance.md#a), [x](a/b.md), [s](schedule.md)."
    assert unlink_missing(text, ["programme.md"]) == (
        "[Programme](programme.md), speed, [x](a/b.md), [s](schedule.md)."
    )


def test_a_name_yaml_or_markdown_would_misread_is_written_safely(tmp_path: Path) -> None:
    name = "Kensington & Chelsea: *Adults* #1"
    repo = tmp_path / "repo"
    result = run_cli("init", str(repo), "--borough", "rbkc", "--name", name, "--short", "K&C")
    assert result.returncode == 0, result.stderr
    assert _yaml(repo / "mkdocs.yml")["site_name"] == f"Adult Social Work Quality Assurance, {name}"
    assert _yaml(repo / "reviews/rbkc/borough.yml") == {"name": name, "short": "K&C"}
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(
        "# Adult social work quality assurance, Kensington & Chelsea: \\*Adults\\* #1\n"
    )
    result = run_cli("validate", "--strict", "--root", str(repo))
    assert result.returncode == 0, result.stdout + result.stderr


def _attributes(page: str, names: tuple[str, ...]) -> list[str]:
    """The values of the attributes ``names`` on ``page``, as a browser reads them."""
    values: list[str] = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values.extend(value for name, value in attrs if name in names and value)

    Attributes().feed(page)
    return values


def test_an_ampersand_and_an_apostrophe_come_out_as_written(tmp_path: Path) -> None:
    name, short = "King's Lynn & West Norfolk", "K&WN"
    site_name = f"Adult Social Work Quality Assurance, {name}"
    repo = tmp_path / "repo"
    result = run_cli("init", str(repo), "--borough", "kl", "--name", name, "--short", short)
    assert result.returncode == 0, result.stderr
    assert _yaml(repo / "mkdocs.yml")["site_name"] == site_name
    assert _yaml(repo / "reviews/kl/borough.yml") == {"name": name, "short": short}
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# Adult social work quality assurance, {name}\n")
    assert f"This site publishes {name}'s quality assurance" in (
        repo / "docs/programme.md"
    ).read_text(encoding="utf-8")
    _mkdocs_build(repo)
    page = (repo / "site/programme/index.html").read_text(encoding="utf-8")
    (title,) = re.findall(r"<title>(.*?)</title>", page, re.DOTALL)
    assert html.unescape(title) == f"The programme - {site_name}"
    labels = _attributes(page, ("title", "aria-label"))
    assert [v for v in labels if "Quality Assurance" in v] == [site_name] * 4
    assert f"This site publishes {html.escape(name, quote=False)}'s quality" in page


# The continuous integration of the new repository


def test_actionlint_passes_on_the_new_workflows(council_repo: Path) -> None:
    workflows = sorted((council_repo / ".github/workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["publish.yml", "pull-request.yml"]
    result = actionlint([str(w) for w in workflows], council_repo)
    assert result.returncode == 0, result.stdout + result.stderr


def _github_runs(workflow: Any) -> list[str]:
    return [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


def _qa_site_lines(scripts: list[str]) -> list[str]:
    """The qa-site command lines of ``scripts``, each as written."""
    lines = (line.strip() for script in scripts for line in script.splitlines())
    return [line for line in lines if line.startswith("qa-site ")]


def test_the_github_workflows_install_from_requirements(council_repo: Path) -> None:
    for name in ("pull-request.yml", "publish.yml"):
        workflow = _yaml(council_repo / ".github/workflows" / name)
        runs = _github_runs(workflow)
        assert INSTALL in runs, name
        (setup,) = [
            step["with"]
            for job in workflow["jobs"].values()
            for step in job.get("steps", [])
            if step.get("uses", "").startswith("actions/setup-python@")
        ]
        assert (setup["cache"], setup["cache-dependency-path"]) == ("pip", "requirements.txt")
    publish = _qa_site_lines(_github_runs(_yaml(council_repo / ".github/workflows/publish.yml")))
    assert publish == [
        "qa-site validate --strict",
        'qa-site validate --base "$BEFORE"',
        "qa-site build",
        "qa-site build --audience partners",
        "qa-site export --format datapackage --borough westminster -o partner-package",
    ]


def test_github_pages_is_published_only_when_chosen(council_repo: Path) -> None:
    workflow = _yaml(council_repo / ".github/workflows/publish.yml")
    chosen = "${{ vars.QA_SITE_PUBLISH_PAGES == 'true' }}"
    assert workflow["jobs"]["deploy"]["if"] == chosen
    steps = {step["name"]: step for step in workflow["jobs"]["build"]["steps"]}
    assert steps["Keep the site for GitHub Pages"]["if"] == chosen
    # The build and the intranet artifact happen every time.
    assert "if" not in workflow["jobs"]["build"]
    for name in ("Build the site", "Keep the site for an intranet server"):
        assert "if" not in steps[name], name
    readme = (council_repo / "README.md").read_text(encoding="utf-8")
    assert " ".join(readme.split()).count("`QA_SITE_PUBLISH_PAGES` to `true`") == 1


def _gitlab_job(pipeline: dict[str, Any], name: str) -> dict[str, Any]:
    """The job ``name`` with what it ``extends``, as GitLab merges the keys read here:
    the later template wins, and the job's own keys win over both."""
    job: dict[str, Any] = {}
    extends = pipeline[name].get("extends", [])
    for template in [extends] if isinstance(extends, str) else extends:
        job.update(_gitlab_job(pipeline, template))
    job.update({key: value for key, value in pipeline[name].items() if key != "extends"})
    return job


def test_gitlab_ci_checks_merge_requests_and_publishes(council_repo: Path) -> None:
    pipeline = _yaml(council_repo / ".gitlab-ci.yml")
    assert pipeline["default"]["before_script"] == [INSTALL]
    assert pipeline["default"]["cache"]["key"] == {"files": ["requirements.txt"]}
    assert pipeline[".with-target-branch"]["before_script"][0] == INSTALL
    assert pipeline[".with-pango"]["before_script"] == [*PANGO, INSTALL]
    scripts = {name: job["script"] for name, job in pipeline.items() if "script" in job}
    target = '"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"'
    assert scripts == {
        "validate": ["qa-site validate --strict"],
        "presented-reviews": [f"qa-site validate --base {target}"],
        "build": ["qa-site build"],
        "results-diff": [f"qa-site diff {target} HEAD > results-diff.md"],
        "site": ["qa-site validate --strict", "qa-site build"],
        "pages": ["qa-site validate --strict", "qa-site build -d public"],
    }
    for name in ("validate", "presented-reviews", "build", "results-diff"):
        job = _gitlab_job(pipeline, name)
        assert job["stage"] == "check", name
        assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}], name
    # The internal edition is built and kept on the default branch; GitLab Pages (public
    # unless restricted) publishes it only when the CI/CD variable says so.
    default_branch = [
        {"if": '$CI_PIPELINE_SOURCE == "schedule"'},
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
    ]
    assert pipeline["site"]["rules"] == default_branch
    assert pipeline["site"]["artifacts"] == {"name": "intranet-site", "paths": ["site"]}
    assert pipeline["pages"]["rules"] == [
        {"if": f'$QA_SITE_PUBLISH_PAGES == "true" && {rule["if"]}'} for rule in default_branch
    ]
    assert pipeline["pages"]["artifacts"] == {"paths": ["public"]}
    _assert_accepted(_qa_site_lines([line for lines in scripts.values() for line in lines]))


def test_azure_pipelines_checks_pull_requests_and_publishes(council_repo: Path) -> None:
    pipeline = _yaml(council_repo / "azure-pipelines.yml")
    assert pipeline["pr"] == {"branches": {"include": ["main"]}}
    jobs = {job["job"]: job for job in pipeline["jobs"]}
    assert jobs["check"]["condition"] == "eq(variables['Build.Reason'], 'PullRequest')"
    assert "refs/heads/main" in jobs["publish"]["condition"]
    scripts = {
        name: [s["script"] for s in job["steps"] if "script" in s] for name, job in jobs.items()
    }
    pango = "\n".join(["set -e", *SUDO_PANGO]) + "\n"
    assert scripts == {
        "check": [
            pango,
            INSTALL,
            "qa-site validate --strict",
            'qa-site validate --base "origin/${TARGET_BRANCH#refs/heads/}"',
            "qa-site build",
        ],
        "publish": [pango, INSTALL, "qa-site validate --strict", "qa-site build"],
    }
    assert jobs["check"]["steps"][0] == {"checkout": "self", "fetchDepth": 0}
    (artifact,) = [s for s in jobs["publish"]["steps"] if s.get("task", "").startswith("Publish")]
    assert artifact["inputs"] == {"targetPath": "site", "artifact": "intranet-site"}
    caches = [s for job in jobs.values() for s in job["steps"] if s.get("task") == "Cache@2"]
    assert len(caches) == 2 and all("requirements.txt" in c["inputs"]["key"] for c in caches)
    _assert_accepted(_qa_site_lines([line for lines in scripts.values() for line in lines]))


def _command_lines(scripts: list[str]) -> list[str]:
    """The commands of shell ``scripts`` in the order they run: a line each, or each
    side of ``&&``; not comments, not ``set -e``."""
    lines = (line.strip() for script in scripts for line in script.splitlines())
    commands = (part.strip() for line in lines for part in line.split("&&"))
    return [c for c in commands if c and not c.startswith("#") and c != "set -e"]


def _pango_and_builds(commands: list[str]) -> list[str]:
    """Of a job's ``commands``, those that install Pango and those that build the site."""
    builds = (["qa-site", "build"], ["mkdocs", "build"])
    return [c for c in commands if "apt-get" in c or c.split()[:2] in builds]


def _assert_pango_before_every_build(jobs: dict[str, list[str]], pango: tuple[str, ...]) -> None:
    """Each job of ``jobs`` (its commands, in order) that builds the site runs exactly
    ``pango`` before its first build; a job that does not build installs nothing."""
    for name, commands in jobs.items():
        found = _pango_and_builds(commands)
        building = [i for i, c in enumerate(found) if "apt-get" not in c]
        if building:
            assert found[: building[0]] == list(pango), name
        else:
            assert found == [], name


def test_the_pango_check_catches_a_build_before_the_install() -> None:
    """The assertion the three pipelines are held to is not vacuous."""
    for jobs in (
        {"build": [INSTALL, "qa-site build"]},
        {"build": ["qa-site build", *SUDO_PANGO]},
        {"build": [PANGO[1], "qa-site build"]},
        {"build": [*PANGO, "qa-site build"]},  # without sudo, on a hosted runner
        {"site": [*SUDO_PANGO, "mkdocs build --strict"], "edition": ["qa-site build -d out"]},
        {"validate": [*SUDO_PANGO, "qa-site validate --strict"]},
    ):
        with pytest.raises(AssertionError):
            _assert_pango_before_every_build(jobs, SUDO_PANGO)
    _assert_pango_before_every_build(
        {"build": [*SUDO_PANGO, INSTALL, "qa-site build"], "validate": ["qa-site validate"]},
        SUDO_PANGO,
    )
    assert _command_lines(["set -e\nsudo apt-get update && qa-site build\n# Done.\n"]) == [
        "sudo apt-get update",
        "qa-site build",
    ]


def test_the_github_jobs_that_build_install_pango_first(council_repo: Path) -> None:
    jobs = {
        f"{path.name}: {name}": _command_lines([s["run"] for s in job["steps"] if "run" in s])
        for path in sorted((council_repo / ".github/workflows").glob("*.yml"))
        for name, job in _yaml(path)["jobs"].items()
    }
    _assert_pango_before_every_build(jobs, SUDO_PANGO)
    assert {name: _pango_and_builds(commands) for name, commands in jobs.items()} == {
        "publish.yml: build": [*SUDO_PANGO, "qa-site build", "qa-site build --audience partners"],
        "publish.yml: deploy": [],
        "pull-request.yml: check": [*SUDO_PANGO, "qa-site build"],
    }


def test_the_gitlab_jobs_that_build_install_pango_first(council_repo: Path) -> None:
    pipeline = _yaml(council_repo / ".gitlab-ci.yml")
    jobs = {}
    for name, value in pipeline.items():
        if name.startswith(".") or not isinstance(value, dict):
            continue  # a template, or a list of the stages
        job = _gitlab_job(pipeline, name)
        if "script" in job:
            before = job.get("before_script", pipeline["default"]["before_script"])
            jobs[name] = _command_lines([*before, *job["script"]])
    _assert_pango_before_every_build(jobs, PANGO)
    assert {name: _pango_and_builds(commands) for name, commands in jobs.items()} == {
        "validate": [],
        "presented-reviews": [],
        "build": [*PANGO, "qa-site build"],
        "results-diff": [],
        "site": [*PANGO, "qa-site build"],
        "pages": [*PANGO, "qa-site build -d public"],
    }
    # The image runs jobs as root: no sudo, which it does not have.
    assert all(not c.startswith("sudo") for commands in jobs.values() for c in commands)


def test_the_azure_jobs_that_build_install_pango_first(council_repo: Path) -> None:
    pipeline = _yaml(council_repo / "azure-pipelines.yml")
    jobs = {
        job["job"]: _command_lines([s["script"] for s in job["steps"] if "script" in s])
        for job in pipeline["jobs"]
    }
    _assert_pango_before_every_build(jobs, SUDO_PANGO)
    assert {name: _pango_and_builds(commands) for name, commands in jobs.items()} == {
        "check": [*SUDO_PANGO, "qa-site build"],
        "publish": [*SUDO_PANGO, "qa-site build"],
    }
    # A script step runs on after a failing command unless told: the install stops.
    for job in pipeline["jobs"]:
        (step,) = [s for s in job["steps"] if "apt-get" in s.get("script", "")]
        assert step["script"].startswith("set -e\n"), job["job"]


def _assert_accepted(commands: list[str]) -> None:
    """Each command line parses as qa-site parses it (variables as a word)."""
    assert commands
    for command in commands:
        words = shlex.split(re.sub(r"\$\{?\w+[^\"\s]*", "VALUE", command.split(" > ")[0]))
        ctx = cli.make_context("qa-site", words[1:2], resilient_parsing=True)
        name, sub, _ = cli.resolve_command(ctx, words[1:2])
        assert sub is not None, command
        try:
            sub.make_context(name or "", words[2:], parent=ctx)
        except click.ClickException as error:
            pytest.fail(f"`{command}`: {error.format_message()}")


def test_the_pre_commit_hook_runs_the_installed_qa_site(council_repo: Path) -> None:
    (offered,) = _yaml(ROOT / ".pre-commit-hooks.yaml")
    (repo,) = _yaml(council_repo / ".pre-commit-config.yaml")["repos"]
    (hook,) = repo["hooks"]
    assert (repo["repo"], hook["language"]) == ("local", "system")
    for key in ("id", "entry", "files", "pass_filenames", "require_serial"):
        assert hook[key] == offered[key], key


def test_the_editor_tasks_validate_build_and_serve(council_repo: Path) -> None:
    tasks = json.loads((council_repo / ".vscode/tasks.json").read_text(encoding="utf-8"))["tasks"]
    commands = [shlex.join([Path(t["command"]).name, *t["args"]]) for t in tasks]
    assert commands == [
        "qa-site validate",
        "qa-site validate --watch",
        "qa-site build",
        "qa-site serve",
    ]
    ours = json.loads((ROOT / ".vscode/tasks.json").read_text(encoding="utf-8"))["tasks"]
    assert tasks[:2] == ours
