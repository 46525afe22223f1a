"""``qa-site init``: a new programme repository for a council, from the installed package.

A council that installs qa-site starts here. The new repository holds the
site's configuration (``mkdocs.yml``), its own copy of the starter rulebook
and the starter pages the package carries (``generator.core.bundled``), the
council's ``borough.yml`` (as ``qa-site new borough`` writes it), a page
about its programme, a README, ``requirements.txt`` pinning this version of
qa-site, and the checks of CI and of editors. With ``example`` it also holds
a small invented programme of the council's own (``synth``), so that every
page has something to show.

The texts are plain files in ``starter/`` with a few ``{placeholders}``.
Everything is written in a fixed order with fixed text, never through a
symbolic link and never over a file: the same arguments write the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator import __version__
from generator.check.repository import check
from generator.core.bundled import bundled, bundled_files
from generator.core.errors import UsageError
from generator.core.files import filling_new_folder
from generator.model.programme import Programme
from generator.workflow import new_ids, scaffold
from generator.workflow.synth.plan import Plan
from generator.workflow.synth.programme import synthesise

STARTER = Path(__file__).parent / "starter"

# The two commands of the README's Quickstart, which init prints too: install
# and build, then check.
QUICKSTART = (
    "python3 -m venv .venv && . .venv/bin/activate && "
    "python -m pip install -r requirements.txt && qa-site build",
    "qa-site validate --strict",
)

# The files made from a starter text: their path in the new repository, and the
# text's file in starter/ (named without a leading dot, so that it is packaged).
FROM_STARTER = {
    ".github/pull_request_template.md": "github/pull_request_template.md",
    ".github/workflows/publish.yml": "github/publish.yml",
    ".github/workflows/pull-request.yml": "github/pull-request.yml",
    ".gitignore": "gitignore",
    ".gitlab-ci.yml": "gitlab-ci.yml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".vscode/tasks.json": "vscode/tasks.json",
    "azure-pipelines.yml": "azure-pipelines.yml",
    "docs/programme.md": "programme.md",
    "mkdocs.yml": "mkdocs.yml",
    "requirements.txt": "requirements.txt",
}
README = "README.md"

# The pages under "About the programme", in this order and with these titles.
# A carried page not named here follows them, titled by its first heading.
PAGE_TITLES = {
    "programme.md": "The programme",
    "writing-reviews.md": "Writing reviews",
    "editing-reviews.md": "Writing reviews in the form",
    "reviewing.md": "From a new review to the published site",
    "scoring.md": "How scores are calculated",
    "export.md": "Exporting results",
    "sharing.md": "Sharing with partner boroughs",
    "publishing.md": "Building and publishing the site",
    "continuous-integration.md": "Continuous integration",
    "commands.md": "Command reference",
}

# What a carried page says of the sample programme that is not so for another
# council, and what the copy says instead (the page is left as it is without it).
ADAPTED = {
    "publishing.md": (("| Tri-borough comparison;", "| Boroughs side by side;"),),
}

# The worked example: two teams over two years, with the board's quarterly meetings.
EXAMPLE_PLAN = Plan(boroughs=1, teams=2, years=2, seed=1)

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# A link from one page of docs/ to another, by file name: [text](page.md#anchor).
_PAGE_LINK = re.compile(r"\[([^\]]+)\]\(([a-z0-9-]+\.md)(#[^)\s]*)?\)")
# The generated pages beside docs/' own (the plugin adds them to every build).
GENERATED_PAGES = ("actions.md", "index.md", "schedule.md")
# What Markdown would read as markup in the council's name, escaped with a backslash;
# <, > and backquotes never reach here (new_ids.check_text refuses them).
_MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]])")


class InitError(UsageError):
    """The new repository cannot be written: the folder is in use, or a link is in the way."""


@dataclass(frozen=True)
class Council:
    """The council a repository is started for: its borough id, name and short name."""

    borough_id: str
    name: str
    short: str

    @classmethod
    def checked(cls, borough_id: str, name: str, short: str) -> Council:
        """The values of ``--borough``, ``--name`` and ``--short``, checked as
        ``qa-site new borough`` checks them."""
        new_ids.check_text(name, "--name")
        new_ids.check_text(short, "--short")
        new_ids.check_new_id(borough_id, "borough")
        return cls(borough_id, name, short)


def init_repository(out: Path, council: Council, example: bool) -> list[str]:
    """Write a new programme repository for ``council`` into ``out`` (new or empty);
    the paths written, sorted. On failure ``out`` is left as it was found."""
    _check_target(out)
    written: list[str] = []
    with filling_new_folder(out):
        files = starter_files(council)
        written += _write(out, files)
        as_of = EXAMPLE_PLAN.end
        programme = _checked_programme(out, as_of)
        folders: list[str] = []
        if example:
            framework = programme.framework
            result = synthesise(
                framework,
                list(programme.standards.values()),
                EXAMPLE_PLAN,
                [(council.borough_id, council.name, council.short)],
            )
            invented = {p: t for p, t in result.files.items() if p not in files}
            written += _write(out, invented)
            folders = sorted({"/".join(p.split("/")[:3]) for p in invented})
            _checked_programme(out, as_of)
        written += _write(out, {README: readme(council, folders)})
    return sorted(written)


def starter_files(council: Council) -> dict[str, str | bytes]:
    """Every file of the new repository but its README and the example, by path."""
    values = _values(council)
    files: dict[str, str | bytes] = {
        path: fill(_starter(name), values) for path, name in FROM_STARTER.items()
    }
    files[f"reviews/{council.borough_id}/borough.yml"] = scaffold.borough_file(
        council.name, council.short
    )
    pages = _carried_pages()
    docs = bundled("docs")
    for page in pages:
        if page != "programme.md":
            text = (docs / page).read_text("utf-8")
            for sample, general in ADAPTED.get(page, ()):
                text = text.replace(sample, general)
            files[f"docs/{page}"] = unlink_missing(text, pages)
    for carried in bundled_files("docs"):
        if carried.suffix != ".md":  # the pages' pictures
            files[f"docs/{carried.as_posix()}"] = (docs / carried).read_bytes()
    standards = bundled("standards")
    for relative in bundled_files("standards"):
        files[f"standards/{relative.as_posix()}"] = (standards / relative).read_bytes()
    return dict(sorted(files.items()))


def readme(council: Council, example_folders: list[str]) -> str:
    """The new repository's README; with the example's folders, how to delete them."""
    values = _values(council)
    if example_folders:
        section = {**values, "example_folders": " ".join(example_folders)}
        values["example"] = fill(_starter("README-example.md"), section)
    return fill(_starter(README), values)


def fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{name}`` replaced by its value; an unknown name is a fault."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"a starter text names {{{name}}}, which init does not fill in")
        return values[name]

    return _PLACEHOLDER.sub(value, template)


def unlink_missing(text: str, pages: list[str]) -> str:
    """``text`` with each link to a page of docs/ that is not among ``pages`` made
    plain text: the build is strict, and a link to a missing page stops it."""

    def link(match: re.Match[str]) -> str:
        kept = match.group(2) in pages or match.group(2) in GENERATED_PAGES
        return match.group(0) if kept else match.group(1)

    return _PAGE_LINK.sub(link, text)


def _values(council: Council) -> dict[str, str]:
    name = " ".join(council.name.split())
    return {
        "council": _MARKDOWN_SPECIAL.sub(r"\\\1", name),
        "borough_id": council.borough_id,
        "version": __version__,
        "site_name": _yaml_scalar(f"Adult Social Work Quality Assurance, {name}"),
        "about_nav": "\n".join(
            f"      - {_yaml_scalar(title)}: {page}" for page, title in _nav_titles()
        ),
        "quickstart": "\n".join(QUICKSTART),
        "example": "",
    }


def _carried_pages() -> list[str]:
    """The pages of the new docs/: the starter pages the package carries, and programme.md."""
    carried = [p.as_posix() for p in bundled_files("docs") if p.suffix == ".md"]
    return sorted({*carried, "programme.md"})


def _nav_titles() -> list[tuple[str, str]]:
    pages = _carried_pages()
    known = [(page, title) for page, title in PAGE_TITLES.items() if page in pages]
    docs = bundled("docs")
    others = [(page, _heading(docs / page)) for page in pages if page not in PAGE_TITLES]
    return known + others


def _heading(page: Path) -> str:
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.stem.replace("-", " ").capitalize()


def _yaml_scalar(text: str) -> str:
    """``text`` as one YAML scalar, quoted only where YAML needs it."""
    dumped: str = yaml.safe_dump({"k": text}, allow_unicode=True, width=10_000)
    return dumped.removeprefix("k: ").rstrip("\n")


def _starter(name: str) -> str:
    return (STARTER / name).read_text(encoding="utf-8")


def _check_target(out: Path) -> None:
    if out.is_symlink():
        raise InitError(f"{out} is a symbolic link; give the folder itself")
    if out.exists() and not out.is_dir():
        raise InitError(f"{out} is a file, not a folder for the new repository")
    if out.is_dir() and any(out.iterdir()):
        raise InitError(
            f"{out} is not empty; qa-site init writes a new repository into a new or "
            "empty folder, and nothing was written"
        )


def _write(out: Path, files: Mapping[str, str | bytes]) -> list[str]:
    """Write ``files`` into ``out``, in path order; the paths written."""
    written = []
    for relative in sorted(files):
        content = files[relative]
        path = out / relative
        _make_folder(out, path.parent)
        data = content.encode("utf-8") if isinstance(content, str) else content
        # "x": a new file only, never one already there, never through a link.
        with open(path, "xb") as handle:
            handle.write(data)
        written.append(relative)
    return written


def _make_folder(out: Path, folder: Path) -> None:
    here = out
    for part in folder.relative_to(out).parts:
        here = here / part
        if here.is_symlink():
            raise InitError(f"{here} is a symbolic link; nothing is written through one")
        here.mkdir(exist_ok=True)


def _checked_programme(out: Path, as_of: dt.date) -> Programme:
    """The programme written so far; it validates, or nothing is kept."""
    validation = check(out, as_of)
    errors = [p for p in validation.problems if p.is_error]
    if errors or validation.programme is None:
        first = errors[0].format_text() if errors else "the rulebook cannot be read"
        raise InitError(f"the new repository would not validate: {first.strip()}; nothing was kept")
    return validation.programme

