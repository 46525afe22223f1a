"""The package's shape, checked: layers that only point down, no import cycles,
no module over 500 lines (docs/architecture.md).

The layers are import-linter contracts in pyproject.toml; `lint-imports` runs
them in .ci/run. These tests run the same check here, and plant a wrong-way
import (a plain one and a type-only one) and a cycle in a copy of the package
to show that each is caught.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "generator"
MOST_LINES = 500


def _copy(tmp_path: Path) -> Path:
    """A copy of the package and its import contracts, to plant imports in."""
    shutil.copytree(PACKAGE, tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the package found first on the path at ``where``."""
    environment = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=where,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _plant(module: Path, line: str) -> None:
    """Add ``line`` after the module's ``from __future__`` import."""
    text = module.read_text(encoding="utf-8")
    anchor = "from __future__ import annotations\n"
    assert anchor in text, f"{module} has no {anchor!r} to plant after"
    module.write_text(text.replace(anchor, anchor + line, 1), encoding="utf-8")


# Read in a process of its own, so that the package found is the one at ``where``.
_IMPORTS = """
import json, grimp
graph = grimp.build_graph("generator", cache_dir=None)
print(json.dumps({m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}))
"""


def _cycles(where: Path) -> list[list[str]]:
    """Every group of modules that import one another, directly or round a loop."""
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS],
        cwd=where,
        env={**os.environ, "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        check=True,
    )
    return _strongly_connected(json.loads(result.stdout))


def _strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the components of more than one module, or with a self-loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, []):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_layers_point_down() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    "planted",
    [
        "from generator.render import charts\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from generator.cli import main\n",
        "import jinja2\n",
    ],
    ids=["import", "type-only", "jinja"],
)
def test_a_wrong_way_import_fails_the_check(tmp_path: Path, planted: str) -> None:
    copy = _copy(tmp_path)
    scoring = sorted((copy / "generator" / "score").glob("[!_]*.py"))[0]
    _plant(scoring, planted)
    result = _lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"generator.score.{scoring.stem} ->" in result.stdout
    assert "BROKEN" in result.stdout


def test_no_module_imports_itself_round_a_loop() -> None:
    assert _cycles(ROOT) == []


def test_a_planted_cycle_is_found(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    _plant(copy / "generator" / "core" / "numbers.py", "from generator.core import text\n")
    _plant(copy / "generator" / "core" / "text.py", "from generator.core import numbers\n")
    assert ["generator.core.numbers", "generator.core.text"] in _cycles(copy)


def test_no_module_is_over_500_lines() -> None:
    long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in sorted([*PACKAGE.rglob("*.py"), *(ROOT / "tests").rglob("*.py")])
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
        and not path.name.startswith("test_")
    }
    assert long == {}


def _layers_in_pyproject() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    return [
        [name.strip().removeprefix("generator.") for name in layer.split("|")]
        for layer in contract["layers"]
    ]


def _table_first_column(text: str, heading: str) -> list[str]:
    """The first cells of the table under ``heading`` in docs/architecture.md."""
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
    return [row.split("|")[1].strip() for row in rows if not row.startswith("|---")]


def test_the_architecture_page_names_every_package_and_the_layers_in_force() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    cells = _table_first_column(text, "The packages")
    described = {cell.strip("`").removesuffix("/").removesuffix(".py") for cell in cells}
    on_disk = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    on_disk |= {p.stem for p in PACKAGE.glob("*.py") if not p.name.startswith("_")}
    assert described == on_disk
    layers = [
        [name.strip().strip("`") for name in cell.split("(")[0].split(",")]
        for cell in _table_first_column(text, "The layer rules")
    ]
    assert layers == _layers_in_pyproject()
