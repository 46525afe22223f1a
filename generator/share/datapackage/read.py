"""Reading a package: strict, every problem reported, nothing read from outside
the package's folder and nothing fetched over the network."""

from __future__ import annotations

from pathlib import Path

from generator.core.problems import FILE, Problem, sort_problems
from generator.share.datapackage.build import build_package
from generator.share.datapackage.model import Package
from generator.share.datapackage.read_checks import CrossChecks
from generator.share.datapackage.read_descriptor import DescriptorReader
from generator.share.datapackage.read_tables import TableReader
from generator.share.datapackage.reading import Report, Stop
from generator.share.datapackage.tables import DESCRIPTOR


def read_package(path: Path) -> tuple[Package | None, list[Problem]]:
    """Read and check the package in the folder ``path`` (or its ``datapackage.json``).

    Returns the package and no problems, or None and every problem found,
    sorted by file and line. Problems name files as ``path`` was given
    (relative stays relative), CSV lines counting the header as line 1.
    """
    path = Path(path)
    if path.is_dir():
        folder, descriptor = path, path / DESCRIPTOR
    elif path.is_file():
        folder, descriptor = path.parent, path
    else:
        return None, [Problem(str(path), 1, FILE, "no such folder or file")]
    if not descriptor.is_file():
        return None, [
            Problem(str(descriptor), 1, FILE, "not found: a data package folder holds one")
        ]
    return _read(folder, descriptor)


def _read(folder: Path, descriptor: Path) -> tuple[Package | None, list[Problem]]:
    report = Report(folder, descriptor)
    reader = DescriptorReader(report)
    try:
        document = reader.read()
    except Stop:
        return None, sort_problems(report.problems)
    tables = TableReader(report, reader.scale)
    for resource in reader.resources.values():
        tables.read_table(resource)
    CrossChecks(report, reader.resources, reader.framework_version).check()
    if report.problems:
        return None, sort_problems(report.problems)
    return build_package(folder, document, reader.resources, reader.scale or ()), []
