"""Copies the folders the package carries into the wheel (see pyproject.toml).

``site_templates/``, ``standards/`` and the starter pages of ``docs/`` stay
where a council's repository has them, and are the source of the packaged
copies under ``generator/bundled/``. An editable install reads them in place.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


def _bundled() -> dict[str, tuple[str, ...]]:
    """What the package carries: ``BUNDLED`` of generator/core/bundled.py."""
    sys.path.insert(0, str(HERE))
    try:
        from generator.core.bundled import BUNDLED
    finally:
        sys.path.remove(str(HERE))
    return dict(BUNDLED)


class BuildWithBundled(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, patterns in _bundled().items():
            target = Path(self.build_lib) / "generator" / "bundled" / folder
            if target.exists():
                shutil.rmtree(target)
            for pattern in patterns:
                for source in sorted((HERE / folder).glob(pattern)):
                    if source.is_file() and not source.is_symlink():
                        copy = target / source.relative_to(HERE / folder)
                        copy.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(source, copy)


setup(cmdclass={"build_py": BuildWithBundled})
