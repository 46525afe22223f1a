"""CI workflows, pre-commit hooks and editor tasks: they lint, and run commands qa-site accepts."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from generator.cli.main import cli
from tests.support.cli import run_cli
from tests.support.paths import ROOT
from tests.support.programs import VENV_BIN, actionlint
from tests.support.repos import RepoFactory

WORKFLOWS = ROOT / ".github" / "workflows"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PRE_COMMIT_CONFIG = ROOT / ".pre-commit-config.yaml"
TASKS = ROOT / ".vscode" / "tasks.json"
SETTINGS = ROOT / ".vscode" / "settings.json"

# What a shell variable or a ${{ }} expression stands for when a command is parsed.
PLACEHOLDER = "VALUE"
_EXPRESSION = re.compile(r"\$\{\{.*?\}\}|\$\{\w+\}|\$\w+")
_REDIRECTION = re.compile(r"^\d?(>>?|<)")
# A file name, as pre-commit passes it to a hook with pass_filenames.
HOOK_FILE = "reviews/hammersmith-fulham/learning-disability/2011-09-22.md"

EXPECTED_COMMANDS = [
    (".github/workflows/publish.yml", "qa-site validate --strict"),
    (".github/workflows/publish.yml", "qa-site validate --base VALUE"),
    (".github/workflows/publish.yml", "qa-site build"),
    (".github/workflows/publish.yml", "qa-site build --audience partners"),
    (
        ".github/workflows/publish.yml",
        "qa-site export --format datapackage --borough VALUE -o partner-package",
    ),
    (".github/workflows/publish.yml", "qa-site export --format datapackage -o partner-package"),
    (
        ".github/workflows/pull-request.yml",
        "qa-site validate --strict --format github --summary VALUE",
    ),
    (".github/workflows/pull-request.yml", "qa-site validate --base origin/VALUE"),
    (".github/workflows/pull-request.yml", "qa-site build"),
    (".github/workflows/pull-request.yml", "qa-site diff origin/VALUE HEAD"),
    (".pre-commit-config.yaml", "qa-site validate"),
    (".pre-commit-hooks.yaml", "qa-site validate"),
    (".vscode/tasks.json", "qa-site validate"),
    (".vscode/tasks.json", "qa-site validate --watch"),
]


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def _commands_in_script(script: str) -> list[str]:
    """The ``qa-site`` command lines of a shell script, variables as PLACEHOLDER."""
    commands = []
    script = _EXPRESSION.sub(PLACEHOLDER, script.replace("\\\n", " "))
    for line in script.splitlines():
        for part in re.split(r"&&|\|\||;", line):
            words = shlex.split(part, comments=True)
            for i, word in enumerate(words):
                if _REDIRECTION.match(word) or word == "|":
                    words = words[:i]
                    break
            if words and words[0] == "qa-site":
                commands.append(shlex.join(words))
    return commands


def _task_command(task: dict[str, Any]) -> str:
    program = Path(task["command"].replace("\\", "/")).name.removesuffix(".exe")
    return shlex.join([program, *task.get("args", [])])


def _tasks() -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = json.loads(TASKS.read_text(encoding="utf-8"))["tasks"]
    return tasks


def _found_commands() -> list[tuple[str, str]]:
    found = []
    for path in _workflow_files():
        for job in _load_yaml(path)["jobs"].values():
            for step in job.get("steps", []):
                for command in _commands_in_script(step.get("run", "")):
                    found.append((path.relative_to(ROOT).as_posix(), command))
    for path in (PRE_COMMIT_CONFIG, HOOKS):
        document = _load_yaml(path)
        hooks = document if isinstance(document, list) else document["repos"][0]["hooks"]
        for hook in hooks:
            found.append((path.name, hook["entry"]))
    for task in _tasks():
        found.append((".vscode/tasks.json", _task_command(task)))
    return found


def _unparsed(ctx: click.Context) -> list[str]:
    """The words a group's context left for its subcommand."""
    with warnings.catch_warnings():
        # Click 8.2 to 8.x keep the subcommand's name apart, in protected_args.
        warnings.simplefilter("ignore", DeprecationWarning)
        return [*getattr(ctx, "protected_args", []), *ctx.args]


def _parse(argv: list[str]) -> click.Command:
    """Parse a command line as ``qa-site`` would, without running it; the command it names."""
    assert argv[0] == "qa-site"
    ctx = cli.make_context("qa-site", argv[1:], resilient_parsing=False)
    group: click.Group = cli
    while True:
        name, command, rest = group.resolve_command(ctx, _unparsed(ctx))
        assert name is not None and command is not None
        ctx = command.make_context(name, rest, parent=ctx)
        if not isinstance(command, click.Group):
            return command
        group = command


# --------------------------------------------------------------------------
# The workflows


def test_actionlint_passes_on_the_workflows() -> None:
    files = _workflow_files()
    assert [f.name for f in files] == ["publish.yml", "pull-request.yml"]
    result = actionlint([str(f.relative_to(ROOT)) for f in files], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_mistake(tmp_path: Path) -> None:
    """The check above is not vacuous: a misspelt input and an unquoted variable fail it."""
    broken = (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")
    broken = broken.replace("fetch-depth: 0", "fetch-dept: 0")
    broken = broken.replace('"$GITHUB_STEP_SUMMARY"', "$GITHUB_STEP_SUMMARY")
    workflow = tmp_path / ".github" / "workflows" / "pull-request.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(broken, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    result = actionlint([], tmp_path, "-oneline")
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'input "fetch-dept" is not defined' in result.stdout
    assert "SC2086" in result.stdout


def test_scripts_get_expressions_through_env_never_inline() -> None:
    for path in _workflow_files():
        for name, job in _load_yaml(path)["jobs"].items():
            for step in job.get("steps", []):
                assert "${{" not in step.get("run", ""), f"{path.name}: {name}: {step}"


def test_every_job_that_builds_installs_pango_first() -> None:
    """The PDF papers a build makes are drawn with Pango, from the system."""
    install = "sudo apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0"
    builders = []
    for path in _workflow_files():
        for name, job in _load_yaml(path)["jobs"].items():
            runs = [step.get("run", "") for step in job.get("steps", [])]
            builds = [i for i, run in enumerate(runs) if "qa-site build" in run]
            installs = [i for i, run in enumerate(runs) if install in run]
            if builds:
                builders.append(f"{path.name}: {name}")
                assert installs and installs[0] < builds[0], f"{path.name}: {name}"
                assert "sudo apt-get update" in runs[installs[0]]
            else:
                assert not installs, f"{path.name}: {name} installs Pango but builds nothing"
    assert builders == ["publish.yml: build", "pull-request.yml: check"]


def test_the_pull_request_check_compares_with_the_whole_history() -> None:
    workflow = _load_yaml(WORKFLOWS / "pull-request.yml")
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["cancel-in-progress"] is True
    (job,) = workflow["jobs"].values()
    assert job["env"]["BASE_REF"] == "${{ github.base_ref }}"
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0


def test_publishing_is_daily_and_one_at_a_time() -> None:
    workflow = _load_yaml(WORKFLOWS / "publish.yml")
    # PyYAML reads the key `on` as True.
    triggers = workflow[True]
    assert set(triggers) == {"push", "workflow_dispatch", "schedule"}
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    uploads = {
        s["with"].get("name", s["uses"]): s["with"] for s in steps if "upload" in s.get("uses", "")
    }
    assert uploads["actions/upload-pages-artifact@v5"]["path"] == "site"
    assert uploads["intranet-site"]["path"] == "site"
    # Partners get their edition and the data package, never the internal site.
    assert uploads["for-partner-boroughs"]["path"].split() == ["site-partners", "partner-package"]


def test_the_deny_list_is_written_outside_the_repository_from_a_secret() -> None:
    for name, job_id in (("publish.yml", "build"), ("pull-request.yml", "check")):
        job = _load_yaml(WORKFLOWS / name)["jobs"][job_id]
        step = next(s for s in job["steps"] if s.get("name") == "Write the deny-list of names")
        assert step["env"] == {"NAMES": "${{ secrets.QA_SITE_DENY_LIST }}"}
        assert '> "$RUNNER_TEMP/deny-list.txt"' in step["run"]
        assert "QA_SITE_DENY_LIST=$RUNNER_TEMP/deny-list.txt" in step["run"]
        names = [s.get("name") for s in job["steps"]]
        assert names.index("Write the deny-list of names") < names.index(
            "Validate reviews and standards"
        )


# --------------------------------------------------------------------------
# Every qa-site command line is one the CLI accepts


def test_the_qa_site_commands_are_the_expected_ones() -> None:
    assert sorted(_found_commands()) == sorted(EXPECTED_COMMANDS)


@pytest.mark.parametrize(
    ("source", "command"), EXPECTED_COMMANDS, ids=[f"{s}: {c}" for s, c in EXPECTED_COMMANDS]
)
def test_the_cli_accepts(
    source: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = shlex.split(command)
    if source in (HOOKS.name, PRE_COMMIT_CONFIG.name):
        argv.append(HOOK_FILE)  # pre-commit adds the names of the files it checks
    # Parsing runs no command, but an option's type could open a file: keep it out of ROOT.
    monkeypatch.chdir(tmp_path)
    try:
        _parse(argv)
    except click.ClickException as error:
        pytest.fail(f"{source}: `{command}`: {error.format_message()}")


def test_the_parser_refuses_what_qa_site_refuses() -> None:
    """The check above would fail on an unknown command, option or extra argument."""
    for argv in (
        ["qa-site", "valdate"],
        ["qa-site", "validate", "--no-such-option"],
        ["qa-site", "build", "extra"],
        ["qa-site", "validate", "--format", "gitlab"],
    ):
        with pytest.raises(click.UsageError):
            _parse(argv)
    assert _parse(["qa-site", "build", "-d", "public"]).name == "build"


# --------------------------------------------------------------------------
# The VS Code tasks' problem matcher


def _matchers() -> list[dict[str, Any]]:
    return [task["problemMatcher"] for task in _tasks()]


def test_both_tasks_read_problems_the_same_way() -> None:
    one_shot, watching = _matchers()
    background = watching.pop("background")
    assert one_shot == watching
    assert one_shot["owner"] == one_shot["source"] == "qa-site"
    assert one_shot["fileLocation"] == ["relative", "${workspaceFolder}"]
    assert one_shot["severity"] == "error"
    assert set(background) == {"activeBegin", "beginsPattern", "endsPattern"}
    on_save = _tasks()[1]
    assert on_save["isBackground"] is True
    assert on_save["runOptions"] == {"runOn": "folderOpen"}


def _problem(line: str) -> dict[str, str | None] | None:
    pattern = _matchers()[0]["pattern"]
    match = re.match(pattern["regexp"], line)
    if match is None:
        return None
    return {key: match.group(pattern[key]) for key in ("file", "line", "severity", "message")}


def test_the_problem_pattern_reads_errors_and_warnings() -> None:
    assert _problem(
        "reviews/hammersmith-fulham/learning-disability/2011-09-22.md:14: ratings.S03: "
        "'Brilliant' is not a rating on the scale"
    ) == {
        "file": "reviews/hammersmith-fulham/learning-disability/2011-09-22.md",
        "line": "14",
        "severity": None,  # the matcher's own severity: error
        "message": "'Brilliant' is not a rating on the scale",
    }
    assert _problem(
        "reviews/x/y/2012-01-01.md:3: reviewers: warning: no reviewer has the role 'lead'"
    ) == {
        "file": "reviews/x/y/2012-01-01.md",
        "line": "3",
        "severity": "warning",
        "message": "no reviewer has the role 'lead'",
    }
    for line in (
        "qa-site validate: 2 errors, 0 warnings",
        "qa-site validate: checking",
        "qa-site validate: no problems: 50 standards, 3 boroughs, 13 teams",
    ):
        assert _problem(line) is None, line


def test_the_background_patterns_find_each_run() -> None:
    background = _matchers()[1]["background"]
    begins, ends = re.compile(background["beginsPattern"]), re.compile(background["endsPattern"])
    assert begins.match("qa-site validate: checking")
    for summary in (
        "qa-site validate: no problems: 50 standards, 3 boroughs, 13 teams, 20 reviews",
        "qa-site validate: 2 errors, 0 warnings",
        "qa-site validate: 1 error, 3 warnings",
        "qa-site validate: 0 errors, 1 warning",
    ):
        assert ends.match(summary), summary
        assert not begins.match(summary), summary
    assert not ends.match("qa-site validate: checking")


def test_the_problem_pattern_reads_what_validate_prints(make_repo: RepoFactory) -> None:
    review = "reviews/hammersmith-fulham/learning-disability/2010-12-09.md"
    repo = make_repo()
    path = repo / review
    # An error (a rating off the scale) and a warning (a byte-order mark).
    text = path.read_text(encoding="utf-8").replace("  S01: ", "  S01: Brilliant # ", 1)
    path.write_text("\ufeff" + text, encoding="utf-8")
    result = run_cli("validate", "--root", str(repo))
    assert result.returncode == 1
    problems = [_problem(line) for line in result.stdout.splitlines()]
    assert problems and None not in problems
    assert {p["file"] for p in problems if p} == {review}
    assert {p["severity"] for p in problems if p} == {None, "warning"}
    ends = _matchers()[1]["background"]["endsPattern"]
    assert re.match(ends, result.stderr.splitlines()[-1]), result.stderr


def test_the_yaml_schemas_in_the_settings_are_written_and_used(tmp_path: Path) -> None:
    schemas = json.loads(SETTINGS.read_text(encoding="utf-8"))["yaml.schemas"]
    result = run_cli("schema", "-o", str(tmp_path / "schemas"))
    assert result.returncode == 0, result.stderr
    for schema, files in schemas.items():
        assert (tmp_path / schema).is_file(), f"qa-site schema writes no {schema}"
        assert list(ROOT.glob(files)), f"{files} matches no file"


# --------------------------------------------------------------------------
# pre-commit


def test_the_hook_repository_offers_the_hook_the_repository_uses() -> None:
    (offered,) = _load_yaml(HOOKS)
    (repo,) = _load_yaml(PRE_COMMIT_CONFIG)["repos"]
    (used,) = repo["hooks"]
    assert repo["repo"] == "local"
    assert (offered["language"], used["language"]) == ("python", "system")
    for key in ("id", "entry", "files", "pass_filenames", "require_serial"):
        assert offered[key] == used[key], key
    assert offered["id"] == "qa-site-validate"
    assert offered["files"] == "^(reviews|standards)/"


def _git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_pre_commit_stops_a_commit_with_a_broken_review(tmp_path: Path) -> None:
    qa_site = VENV_BIN / ("qa-site.exe" if os.name == "nt" else "qa-site")
    assert qa_site.is_file(), f"no {qa_site}: pip install -e '.[test]'"
    repo = tmp_path / "repo"
    for folder in ("standards", "reviews"):
        shutil.copytree(ROOT / folder, repo / folder)
    for name in ("mkdocs.yml", ".pre-commit-config.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "/usr/bin:/bin")]),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Reviewer",
        "GIT_AUTHOR_EMAIL": "reviewer@example.invalid",
        "GIT_COMMITTER_NAME": "Reviewer",
        "GIT_COMMITTER_EMAIL": "reviewer@example.invalid",
    }
    _git(repo, env, "init", "-q", "-b", "main")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "Reviews")

    review = repo / HOOK_FILE
    good = review.read_text(encoding="utf-8")
    assert good.count("\n  S03: Adequate\n") == 1
    line = good[: good.index("\n  S03: Adequate\n")].count("\n") + 2
    review.write_text(good.replace("\n  S03: Adequate\n", "\n  S03: Brilliant\n"), "utf-8")
    _git(repo, env, "add", HOOK_FILE)

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--files", HOOK_FILE],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    broken = pre_commit()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert f"{HOOK_FILE}:{line}: ratings.S03: " in broken.stdout, broken.stdout
    assert "qa-site validate" in broken.stdout and "Failed" in broken.stdout

    review.write_text(good, encoding="utf-8")
    _git(repo, env, "add", HOOK_FILE)
    fixed = pre_commit()
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout
