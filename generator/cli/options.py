"""The options and arguments several commands share, and the checks of what they name:
the repository, the paths in it, the date, the deny-list, where output may go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click
import yaml

from generator.core.dates import default_as_of, parse_iso_date
from generator.core.errors import InvalidValue, UsageError
from generator.load.root import content_folder_holding, find_root
from generator.privacy.deny_list import DENY_LIST_VARIABLE

_AS_OF_HELP = (
    "Treat this as today (default: the as_of date mkdocs.yml pins for the qa-site plugin, "
    "if any, else SOURCE_DATE_EPOCH if set, else today)."
)
_ROOT_HELP = "The reviews repository (default: found from the current folder upwards)."


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a real date written YYYY-MM-DD") from None


as_of_option = click.option("--as-of", metavar="YYYY-MM-DD", callback=iso_date, help=_AS_OF_HELP)
root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), help=_ROOT_HELP
)
deny_list_option = click.option(
    "--deny-list",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Names that must never appear (one per line), kept outside the repository; "
    f"default: the file ${DENY_LIST_VARIABLE} names, if set.",
)


def run_date(repo: Path, as_of: dt.date | None) -> dt.date:
    """The date a command runs as of: ``--as-of``; else the date the programme's
    mkdocs.yml pins (the qa-site plugin's ``as_of``, as the sample does), so that every
    command sees the programme as its site shows it; else SOURCE_DATE_EPOCH or today."""
    if as_of is not None:
        return as_of
    return pinned_as_of(repo) or default_as_of()


class _Lenient(yaml.SafeLoader):
    """Reads mkdocs.yml without acting on its tags (!ENV, !!python/name:...)."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def pinned_as_of(repo: Path) -> dt.date | None:
    """The as-of date ``repo``'s mkdocs.yml gives the qa-site plugin, or None (also when
    the file cannot be read or the date is wrong: a build says what is wrong with it)."""
    try:
        data = yaml.load((repo / "mkdocs.yml").read_text("utf-8"), Loader=_Lenient)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        # ValueError: YAML's own date parsing (as_of: 2012-13-45) fails this way.
        return None
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for entry in plugins if isinstance(plugins, list) else []:
        options = entry.get("qa-site") if isinstance(entry, dict) else None
        value = options.get("as_of") if isinstance(options, dict) else None
        if isinstance(value, dt.date):
            return value
    return None


def resolve_root(root: Path | None, paths: Sequence[Path]) -> Path:
    """The reviews repository: ``--root``, else found upwards from the first path or here."""
    if root is not None:
        if not (root / "standards" / "framework.yml").is_file():
            raise UsageError(f"{root} has no standards/framework.yml")
        return root.resolve()
    start = paths[0] if paths else Path.cwd()
    return find_root(start if start.is_dir() else start.parent)


def relative_targets(root: Path, paths: Sequence[Path]) -> list[str]:
    """``paths`` as the repository's relative paths (``PATH`` arguments)."""
    targets = []
    for path in paths:
        if not path.exists():
            raise InvalidValue(f"{path} does not exist", "PATH")
        try:
            targets.append(path.resolve().relative_to(root).as_posix())
        except ValueError:
            raise InvalidValue(f"{path} is not inside {root}", "PATH") from None
    return targets


def check_outside_content(repo: Path, target: Path, what: str) -> None:
    """Refuse to write output into the content: it would be read as content next time,
    or overwrite a reviewer's file."""
    folder = content_folder_holding(repo, target)
    if folder is not None:
        raise UsageError(
            f"{what} {target} is inside {folder}/, which holds the content; write it "
            "somewhere else (the site and exports belong outside reviews/ and standards/)"
        )


def shown_path(path: Path) -> str:
    """A folder as a person is shown it: relative to here when inside, with a slash."""
    try:
        return path.relative_to(Path.cwd()).as_posix() + "/"
    except ValueError:
        return str(path) + "/"
