"""The folders the package carries for every programme: the site's templates
and assets, the starter rulebook and the starter pages.

In a wheel they are copies under ``generator/bundled/``, made by ``setup.py``
from this repository's own ``site_templates/``, ``standards/`` and ``docs/``;
an editable install of this repository reads those folders in place.
``setup.py`` reads ``BUNDLED`` from here: keep to the standard library and
``generator.core``.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import ToolError

# Each carried folder, and the files of it that are carried (glob patterns).
BUNDLED: dict[str, tuple[str, ...]] = {
    # The page templates, the site's stylesheet and chart script.
    # The papers' templates, stylesheet and the fonts they are printed in.
    "site_templates": ("*.j2", "assets/*", "papers/*", "papers/fonts/*"),
    # The starter rulebook: the 50 standards and framework.yml.
    "standards": ("*.md", "framework.yml"),
    # The starter pages: how to write (by hand or in qa-site edit's form, with its
    # pictures), review, score, export, share and publish.
    # The generated pages link to scoring.md and export.md.
    "docs": (
        "commands.md",
        "continuous-integration.md",
        "editing-reviews.md",
        "images/editing-*.png",
        "engines.md",
        "export.md",
        "publishing.md",
        "reviewing.md",
        "scoring.md",
        "sharing.md",
        "writing-reviews.md",
    ),
}

_PACKAGE = Path(__file__).resolve().parents[1]
_PACKAGED = _PACKAGE / "bundled"
_CHECKOUT = _PACKAGE.parent


class BundleMissing(ToolError):
    """The installation lacks a folder the package should carry."""


def bundled(name: str) -> Path:
    """The packaged folder ``name`` (a key of ``BUNDLED``)."""
    if name not in BUNDLED:
        raise KeyError(name)
    packaged = _PACKAGED / name
    if packaged.is_dir():
        return packaged
    # An editable install of this repository: the source folders themselves.
    source = _CHECKOUT / name
    if source.is_dir() and (_CHECKOUT / "setup.py").is_file():
        return source
    raise BundleMissing(
        f"the installed qa-site has no {name}/ folder (looked in {packaged}); "
        "reinstall it from a wheel or a source distribution"
    )


def bundled_files(name: str) -> list[Path]:
    """The carried files of the folder ``name``, relative to it, sorted."""
    folder = bundled(name)
    found = {
        path.relative_to(folder)
        for pattern in BUNDLED[name]
        for path in folder.glob(pattern)
        if path.is_file() and not path.is_symlink()
    }
    return sorted(found)
