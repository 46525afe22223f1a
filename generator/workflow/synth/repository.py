"""``qa-site synth``'s entry: copy the catalogue's rulebook and site into a new folder
and write an invented programme beside it, or leave the folder empty.

The catalogue is checked with the product's own check before anything is
invented, so that an unusable rulebook is refused with its first error.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path

import generator
from generator.check.repository import check
from generator.core.files import filling_new_folder
from generator.load.root import ContentRootNotFound, find_root
from generator.model.framework import Framework, Standard
from generator.workflow.synth.plan import Plan, SynthError, Synthesised
from generator.workflow.synth.programme import synthesise
from generator.workflow.synth.yaml_text import counted

# Copied unchanged from the catalogue's repository, so that the output builds.
SITE_PARTS = ("mkdocs.yml", "docs", "site_templates")


def default_catalogue(cwd: Path) -> Path:
    """The repository found from ``cwd``, else the checkout qa-site runs from."""
    try:
        return find_root(cwd)
    except ContentRootNotFound:
        return Path(generator.__file__).resolve().parents[1]


def write_programme(out: Path, catalogue: Path, plan: Plan) -> Synthesised:
    """Copy the catalogue's rulebook and site into ``out`` (new or empty) and
    write an invented programme beside it. On failure ``out`` is left empty."""
    if not (catalogue / "standards" / "framework.yml").is_file():
        raise SynthError(f"{catalogue} has no standards/framework.yml to copy")
    if out.exists() and not out.is_dir():
        raise SynthError(f"{out} is a file, not a folder for the repository")
    if out.is_dir() and any(out.iterdir()):
        raise SynthError(f"{out} is not empty; synth writes a whole repository into a new folder")
    for name in ("standards", *SITE_PARTS):
        if out.resolve().is_relative_to((catalogue / name).resolve()):
            raise SynthError(f"{out} is inside {catalogue / name}, which is copied into it")
    with filling_new_folder(out):
        _copy_catalogue(catalogue, out)
        framework, standards = _read_catalogue(out, catalogue, plan)
        result = synthesise(framework, standards, plan)
        _write_files(out, result.files)
    return result


def _copy_catalogue(catalogue: Path, out: Path) -> None:
    hidden = shutil.ignore_patterns(".*", "__pycache__")
    for name in ("standards", *SITE_PARTS):
        source = catalogue / name
        if source.is_dir():
            # Bytes only: the same catalogue gives the same files, whatever their times.
            shutil.copytree(source, out / name, ignore=hidden, copy_function=shutil.copyfile)
        elif name == "mkdocs.yml" and source.is_file():
            text = source.read_text(encoding="utf-8")
            (out / name).write_bytes(unpinned(text).encode("utf-8"))
        elif source.is_file():
            shutil.copyfile(source, out / name)


# The qa-site plugin's as_of option, with the comment lines just above it: the
# date a catalogue's own programme is shown as of (the sample pins its own time).
_PIN = re.compile(r"^((?:      #[^\n]*\n)*)      as_of:[^\n]*\n", re.MULTILINE)


def unpinned(config: str) -> str:
    """``config`` (a mkdocs.yml) without the as-of date it pins for the qa-site plugin:
    a synthetic programme has dates of its own and is valid on any later day. The
    plugin is listed plainly again when it is left with no option."""
    text = _PIN.sub("", config)
    return re.sub(r"^  - qa-site:\n(?!      )", "  - qa-site\n", text, flags=re.MULTILINE)


def _read_catalogue(out: Path, catalogue: Path, plan: Plan) -> tuple[Framework, list[Standard]]:
    """The framework and every standard of the catalogue, as copied."""
    validation = check(out, plan.end)
    errors = [p for p in validation.problems if p.is_error]
    if errors or validation.programme is None:
        first = f"; the first: {errors[0].format_text()}" if errors else ""
        raise SynthError(
            f"the catalogue in {catalogue} has {counted(len(errors), 'error')}{first}; "
            f"see them all with: qa-site validate --root {catalogue}"
        )
    programme = validation.programme
    framework = programme.framework
    version = framework.in_force_on(plan.start)
    if not programme.standards_in(version):
        raise SynthError(
            f"the catalogue in {catalogue} has no standards in framework version {version}"
        )
    return framework, list(programme.standards.values())


def _write_files(out: Path, files: Mapping[str, str]) -> None:
    folders: set[Path] = set()
    for relative, text in files.items():
        path = out / relative
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_text(text, encoding="utf-8", newline="\n")

