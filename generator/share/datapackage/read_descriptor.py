"""Checking ``datapackage.json``: the format, the package's metadata, and which
tables can be read, from where inside the package's folder."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from generator.core.matching import did_you_mean
from generator.core.problems import Problem
from generator.share.datapackage.cells import CellError, parse_date
from generator.share.datapackage.json_lines import JsonLines
from generator.share.datapackage.reading import Report, Resource, Stop
from generator.share.datapackage.tables import (
    FORMAT,
    FORMAT_MAJOR,
    FORMAT_NAME,
    TABLES,
    TABLES_BY_NAME,
    Table,
    joined,
)

# Field name for a problem in the JSON text itself.
JSON = "json"

_PACKAGE_NAME = re.compile(r"[a-z0-9._-]+")  # what Data Package v1 allows in a name
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")  # a scheme; one letter is a Windows drive


class DescriptorReader:
    """Reads and checks ``datapackage.json``; ``read`` raises Stop when nothing
    else in the package can be checked sensibly."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.folder = report.folder
        self.descriptor = report.descriptor
        self.scale: tuple[str, ...] | None = None
        self.framework_version: int | None = None
        self.resources: dict[str, Resource] = {}  # the tables that can be read, by name
        self.unreadable: set[str] = set()  # tables named, but not to be read

    def read(self) -> dict[str, Any]:
        try:
            text = self.descriptor.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.report.in_json("", f"not UTF-8 text ({error.reason} at byte {error.start})")
            raise Stop from None
        except OSError as error:
            self.report.in_json("", f"cannot be read: {error.strerror}")
            raise Stop from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            self.report.problems.append(
                Problem(
                    str(self.descriptor),
                    error.lineno,
                    JSON,
                    f"not valid JSON: {error.msg} (column {error.colno})",
                )
            )
            raise Stop from None
        except RecursionError:
            self.report.in_json("", "not valid JSON: nested too deeply")
            raise Stop from None
        lines = JsonLines(text)
        self.report.lines = lines
        for where in lines.duplicates:
            self.report.in_json(where, "duplicate key: a JSON object names each key once")
        if not isinstance(document, dict):
            self.report.in_json("", f"expected a JSON object, got {_json_type(document)}")
            raise Stop
        self._check_format(document)
        self._check_package(document)
        self._check_resources(document)
        return document

    def _check_format(self, document: Mapping[str, Any]) -> None:
        """The format id first: a package of another format or major version is
        not checked further, as its layout may differ in any way."""
        qa_site = document.get("qa_site")
        if not isinstance(qa_site, dict):
            self.report.in_json(
                "qa_site",
                f"missing: not a {FORMAT_NAME} data package (expected a qa_site object "
                f"with format '{FORMAT}')"
                if qa_site is None
                else f"expected an object, got {_json_type(qa_site)}",
            )
            raise Stop
        written = qa_site.get("format")
        if written == FORMAT:
            return
        match = re.fullmatch(rf"{re.escape(FORMAT_NAME)}/([0-9]+)(\.[0-9]+)*", str(written))
        if written is None:
            message = f"missing: expected '{FORMAT}'"
        elif isinstance(written, str) and match and match.group(1) != FORMAT_MAJOR:
            message = (
                f"'{written}' is major version {match.group(1)} of the format; this reader "
                f"reads version {FORMAT_MAJOR} only ('{FORMAT}'): use a qa-site that reads it"
            )
        else:
            message = f"expected '{FORMAT}', got {json.dumps(written, ensure_ascii=False)}"
        self.report.in_json("qa_site.format", message)
        raise Stop

    def _check_package(self, document: Mapping[str, Any]) -> None:
        self._expect_equal(document, "", "profile", "tabular-data-package")
        name = self._expect_text(document, "", "name")
        if name is not None and not _PACKAGE_NAME.fullmatch(name):
            self.report.in_json(
                "name",
                "expected lower-case letters, digits, '.', '-' and '_' (like "
                f"'qa-site-hammersmith-fulham'), got '{name}'",
            )
        self._expect_text(document, "", "title")
        created = self._expect_text(document, "", "created")
        if created is not None and _parse_datetime(created) is None:
            self.report.in_json(
                "created", f"expected a date and time like 2012-07-01T00:00:00Z, got '{created}'"
            )
        qa_site = document["qa_site"]
        as_of = self._expect_text(qa_site, "qa_site", "as_of")
        if as_of is not None:
            try:
                parse_date(as_of)
            except CellError as error:
                self.report.in_json("qa_site.as_of", str(error))
        framework = qa_site.get("framework")
        if not isinstance(framework, dict):
            self.report.in_json(
                "qa_site.framework",
                "missing: the framework's name, version, scale and adequate_or_above"
                if framework is None
                else f"expected an object, got {_json_type(framework)}",
            )
            return
        where = "qa_site.framework"
        self._expect_text(framework, where, "name")
        self.framework_version = self._expect_integer(framework, where, "version", 1)
        scale = framework.get("scale")
        if not isinstance(scale, list) or len(scale) < 2:
            self.report.in_json(
                f"{where}.scale",
                "expected the rating labels, best first: a list of two or more",
            )
        else:
            labels = []
            for index, label in enumerate(scale):
                if not isinstance(label, str) or not label.strip():
                    self.report.in_json(f"{where}.scale[{index}]", "expected a rating label")
                elif label in labels:
                    self.report.in_json(f"{where}.scale[{index}]", f"'{label}' is listed twice")
                else:
                    labels.append(label)
            if len(labels) == len(scale):
                self.scale = tuple(labels)
        line = self._expect_text(framework, where, "adequate_or_above")
        if line is not None and self.scale is not None and line not in self.scale:
            self.report.in_json(
                f"{where}.adequate_or_above",
                f"'{line}' is not on the scale ({', '.join(self.scale)})"
                + did_you_mean(line, self.scale),
            )

    def _check_resources(self, document: Mapping[str, Any]) -> None:
        resources = document.get("resources")
        if not isinstance(resources, list):
            self.report.in_json(
                "resources",
                "missing: expected the list of the package's tables"
                if resources is None
                else f"expected a list, got {_json_type(resources)}",
            )
            return
        for index, resource in enumerate(resources):
            self._check_resource(f"resources[{index}]", resource)
        missing = [t.name for t in TABLES if t.name not in self._named]
        if missing:
            self.report.in_json(
                "resources",
                f"no resource {joined([repr(m) for m in missing])}: a {FORMAT} package has "
                f"{', '.join(t.name for t in TABLES)}",
            )

    @property
    def _named(self) -> set[str]:
        return set(self.resources) | self.unreadable

    def _check_resource(self, where: str, resource: Any) -> None:
        if not isinstance(resource, dict):
            self.report.in_json(where, f"expected an object, got {_json_type(resource)}")
            return
        name = self._expect_text(resource, where, "name")
        if name is None:
            return
        if name in self._named:
            self.report.in_json(f"{where}.name", f"a second resource named '{name}'")
            return
        table = TABLES_BY_NAME.get(name)
        if table is None:
            self.report.in_json(
                f"{where}.name",
                f"'{name}' is not a table of {FORMAT} (expected "
                f"{', '.join(t.name for t in TABLES)})" + did_you_mean(name, TABLES_BY_NAME),
            )
            return
        self._expect_equal(resource, where, "profile", "tabular-data-resource")
        self._expect_equal(resource, where, "format", "csv")
        self._expect_equal(resource, where, "mediatype", "text/csv")
        encoding = self._expect_text(resource, where, "encoding")
        if encoding is not None and encoding.lower() not in ("utf-8", "utf8"):
            self.report.in_json(f"{where}.encoding", f"expected 'utf-8', got '{encoding}'")
        if "dialect" in resource:
            self.report.in_json(
                f"{where}.dialect",
                "not read: the tables are plain CSV (commas, double quotes), without a dialect",
            )
        if "data" in resource:
            self.report.in_json(
                f"{where}.data", "not read: a table is a CSV file in the package, named by path"
            )
        self._check_schema(f"{where}.schema", resource.get("schema"), table)
        path = self._safe_path(f"{where}.path", resource.get("path"))
        if path is None:
            self.unreadable.add(name)
            return
        self.resources[name] = Resource(table, path)

    def _check_schema(self, where: str, schema: Any, table: Table) -> None:
        if not isinstance(schema, dict):
            self.report.in_json(
                where,
                "missing: expected the table's schema"
                if schema is None
                else f"expected an object, got {_json_type(schema)}",
            )
            return
        fields = schema.get("fields")
        declared = []
        if isinstance(fields, list):
            declared = [
                (f.get("name"), f.get("type", "string")) if isinstance(f, dict) else (None, None)
                for f in fields
            ]
        expected = [(c.name, c.type) for c in table.columns]
        if declared != expected:
            self.report.in_json(
                f"{where}.fields",
                f"expected the fields of {table.path} in {FORMAT}: "
                + ", ".join(f"{name} ({kind})" for name, kind in expected),
            )

    def _safe_path(self, where: str, path: Any) -> str | None:
        """``path`` when it names a file inside the package's folder, else None."""
        if not isinstance(path, str) or not path.strip():
            self.report.in_json(
                where,
                "missing: expected the CSV file's path in the package folder"
                if path is None
                else "expected one relative path, as text",
            )
            return None
        quoted = json.dumps(path, ensure_ascii=False)
        if "://" in path or _URL.match(path):
            self.report.in_json(
                where, f"{quoted} is a URL: a package is read from its folder, never fetched"
            )
            return None
        posix, windows = PurePosixPath(path), PureWindowsPath(path)
        if posix.is_absolute() or windows.is_absolute() or windows.drive or "\\" in path:
            self.report.in_json(
                where,
                f"{quoted} is not a relative path with forward slashes: a table's path is "
                "relative to the package folder",
            )
            return None
        if ".." in posix.parts:
            self.report.in_json(
                where,
                f"{quoted} is outside the package folder: a table's path stays inside it",
            )
            return None
        target = (self.folder / path).resolve()
        if not target.is_relative_to(self.folder.resolve()):  # a link out of the folder
            self.report.in_json(
                where, f"{quoted} leads outside the package folder (through a link); not read"
            )
            return None
        if not target.is_file():
            self.report.in_json(where, f"{quoted} is not a file in the package folder")
            return None
        return path

    def _expect_text(self, container: Mapping[str, Any], where: str, key: str) -> str | None:
        at = f"{where}.{key}" if where else key
        value = container.get(key)
        if value is None:
            self.report.in_json(at, "missing: this key is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.report.in_json(at, f"expected text, got {_json_type(value)}")
            return None
        return value

    def _expect_integer(
        self, container: Mapping[str, Any], where: str, key: str, minimum: int
    ) -> int | None:
        at = f"{where}.{key}" if where else key
        value = container.get(key)
        if value is None:
            self.report.in_json(at, "missing: this key is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.report.in_json(at, f"expected a whole number of at least {minimum}, got {value}")
            return None
        return value

    def _expect_equal(
        self, container: Mapping[str, Any], where: str, key: str, expected: str
    ) -> None:
        at = f"{where}.{key}" if where else key
        value = container.get(key)
        if value is None:
            self.report.in_json(at, f"missing: expected '{expected}'")
        elif value != expected:
            got = json.dumps(value, ensure_ascii=False)
            self.report.in_json(at, f"expected '{expected}', got {got}")


def _parse_datetime(text: str) -> dt.datetime | None:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T.+", text):
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value, ensure_ascii=False)
