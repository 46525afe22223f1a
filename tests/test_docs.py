"""Docs are tested output: the reference tables, the site build, the README."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from generator.reference import docs as reference
from generator.reference import explain
from tests.support.cli import run_cli
from tests.support.paths import ROOT
from tests.support.sites import BuiltSite

GUIDE = ROOT / "docs" / "writing-reviews.md"
SCORING = ROOT / "docs" / "scoring.md"
EXPORT = ROOT / "docs" / "export.md"


def test_reference_tables_match_the_models() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert reference.update_markdown(text, ROOT) == text, (
        "docs/writing-reviews.md is out of date: run "
        "`python -m generator.reference.docs docs/writing-reviews.md`"
    )


def test_the_command_reference_is_what_the_commands_print() -> None:
    page = ROOT / "docs/commands.md"
    text = page.read_text(encoding="utf-8")
    assert reference.update_markdown(text, ROOT) == text, (
        "docs/commands.md is out of date: run `python -m generator.reference.docs docs/commands.md`"
    )
    from generator.cli.main import cli

    for name in cli.commands:
        assert f"### `qa-site {name}`" in text


def test_the_export_reference_matches_the_export_models() -> None:
    text = EXPORT.read_text(encoding="utf-8")
    assert reference.update_markdown(text, ROOT) == text, (
        "docs/export.md is out of date: run `python -m generator.reference.docs docs/export.md`"
    )
    models = reference.export_models()
    assert reference.referenced_models(text) == {*models, "csv-columns"}
    for model in models.values():
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
            assert f"| `{field.alias or name}` |" in text


def test_the_scoring_page_is_computed_from_the_sample() -> None:
    text = SCORING.read_text(encoding="utf-8")
    assert reference.update_markdown(text, ROOT) == text, (
        "docs/scoring.md is out of date: run `python -m generator.reference.docs docs/scoring.md`"
    )


def test_the_worked_example_adds_up() -> None:
    """Recompute the worked example's headline numbers from the review file itself."""
    text = SCORING.read_text(encoding="utf-8")
    source = (ROOT / explain.EXAMPLE_REVIEW).read_text(encoding="utf-8")
    data = yaml.safe_load(source.split("---\n")[1])
    ratings = {k: r if isinstance(r, str) else r["rating"] for k, r in data["ratings"].items()}
    labels = list(ratings.values())
    values = {"Outstanding": 4, "Good": 3, "Adequate": 2, "Inadequate": 1}
    points = sum(values[label] for label in labels)
    assert (len(labels), points) == (50, 106)
    for label, value in values.items():
        count = labels.count(label)
        assert f"| {label} | {value} | {count} | {count * value} |" in text
    assert f"| **total** | | **50** | **{points}** |" in text
    assert f"{points} out of 200 is **{points / 2:.1f}%**" in text
    critical = ["S07", "S09", "S14", "S35", "S47"]
    inadequate = [s for s in critical if ratings[s] == "Inadequate"]
    assert inadequate == ["S09", "S47"]
    assert "the overall rating is **Inadequate**, limited by S09 and S47" in text
    grades = [g for case in data["cases"] for g in case["grades"].values()]
    adequate = sum(g != "Inadequate" for g in grades)
    share = adequate * 1000 // len(grades) / 10  # one decimal, rounded down
    assert f"| **all standards** | | **{len(grades)}** | **{adequate}** | **{share}%** | |" in text
    assert "24 November 2011 plus 6 months is **24 May 2012**" in text


def test_the_rules_table_marks_a_band_the_scale_cannot_reach(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tests" / "data" / "base", tmp_path / "repo")
    framework = tmp_path / "repo" / "standards" / "framework.yml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("  Adequate: 39", "  Adequate: 20"),
        encoding="utf-8",
    )
    table = explain.rules_table(tmp_path / "repo")
    # Values 1 to 4: nothing scores below 25%, so Inadequate (0 to 20%) cannot be reached
    # and Adequate runs from 25% (not 20%) to 63%, with its midpoint at 44%.
    assert "| Inadequate | cannot be reached with this scale | | | 6 months |" in table
    assert "| Adequate | 25% to below 63% | below 44% | 44% and above | 12 months |" in table


def test_every_model_and_every_key_is_documented() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    models = reference.documented_models()
    assert reference.referenced_models(text) == {*models, "types"}
    for model in models.values():
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
            assert f"| `{name}` |" in text


def test_the_docs_build_with_mkdocs_strict(built_sample: BuiltSite) -> None:
    """The sample site, built once for the run with `mkdocs build --strict`, holds the docs."""
    site = built_sample.site
    page = (site / "writing-reviews" / "index.html").read_text(encoding="utf-8")
    assert 'id="caseaudit"' in page
    assert "<code>record_reviewed</code>" in page
    scoring = (site / "scoring" / "index.html").read_text(encoding="utf-8")
    assert "A worked example" in scoring
    assert "<strong>53.0%</strong>" in scoring
    exported = (site / "export" / "index.html").read_text(encoding="utf-8")
    assert 'id="reviewexport"' in exported


def test_readme_quickstart_is_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert commands == [
        "python3 -m venv .venv && . .venv/bin/activate && "
        "pip install -c constraints.txt -e '.[test]' && qa-site build",
        "python -m pytest",
    ]


def test_ci_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\npython -m pytest\n" in script
    assert "pip install --quiet -c constraints.txt -e '.[test]'" in script
    assert "qa-site validate" in script
    # Debian's Chromium for the browser tests, and Pango for the PDF papers.
    assert 'apt-get install -y --no-install-recommends "${missing[@]}"' in script
    assert "missing+=(chromium)" in script
    assert "missing+=(libpango-1.0-0 libpangoft2-1.0-0)" in script
    assert "QA_SITE_REQUIRE_BROWSER=1" in script


def _fenced_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def test_every_example_in_the_guide_validates(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    review, meeting = _fenced_blocks(text, "markdown")
    yaml_blocks = _fenced_blocks(text, "yaml")
    (borough,) = [b for b in yaml_blocks if b.startswith("name:") and "short:" in b]
    (team,) = [b for b in yaml_blocks if "service:" in b]
    (versions,) = [b for b in yaml_blocks if "versions:" in b]
    (standard,) = [b for b in yaml_blocks if b.startswith("id: S07")]
    assert len(yaml_blocks) == 4
    # The review example elides S03 to S50 in a comment: fill them in.
    rest = "".join(f"  S{n:02d}: Good\n" for n in range(3, 51))
    review = re.sub(r"  # \.\.\. S03 to S50\n", rest, review)
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "standards", repo / "standards")
    shutil.copytree(ROOT / "reviews", repo / "reviews")
    # The versions example stands for the sample's own; the standard example for S07.
    framework = repo / "standards" / "framework.yml"
    head, tail = framework.read_text(encoding="utf-8").split("scale:", 1)
    framework.write_text(
        head[: head.index("version:")] + versions + "scale:" + tail, encoding="utf-8"
    )
    (s07,) = (repo / "standards").glob("S07-*.md")
    s07.write_text(f"---\n{standard}---\nGuidance.\n", encoding="utf-8")
    files = {
        "reviews/guide-borough/borough.yml": borough,
        "reviews/hammersmith-fulham/guide-team/team.yml": team,
        "reviews/hammersmith-fulham/guide-team/2010-12-09.md": review,
        "reviews/hammersmith-fulham/governance/2011-05-05.md": meeting,
    }
    for path, content in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(content, encoding="utf-8")
    result = run_cli("validate", "--strict", "--root", str(repo))
    assert (result.returncode, result.stdout) == (0, "")


def test_the_guides_sample_messages_are_real() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("Every problem is reported at once", 1)[1]
    shown = _fenced_blocks(section, "text")[0].splitlines()
    cases = yaml.safe_load((ROOT / "tests/data/invalid/cases.yml").read_text(encoding="utf-8"))
    produced = {line for case in cases for line in case["expect"]}
    assert shown and set(shown) <= produced
