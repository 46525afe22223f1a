"""Checks across rows and tables: keys, and each review against its framework
version, its ratings and its case audits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.core.numbers import counted
from generator.share.datapackage.build import standard_of
from generator.share.datapackage.model import PackageStandard
from generator.share.datapackage.reading import Report, Resource
from generator.share.datapackage.tables import TO_REVIEW, ForeignKey, joined


class CrossChecks:
    """The checks that need more than one row, over the tables that could be read."""

    def __init__(
        self, report: Report, resources: Mapping[str, Resource], framework_version: int | None
    ) -> None:
        self.report = report
        self.resources = resources
        self.framework_version = framework_version

    def check(self) -> None:
        self._check_keys()
        self._check_reviews()

    def _check_keys(self) -> None:
        for resource in self.resources.values():
            if resource.rows is None:
                continue
            table = resource.table
            first: dict[tuple[str, ...], int] = {}
            for row in resource.rows:
                key = row.key(table.primary_key)
                if key is None:
                    continue
                if key in first:
                    self.report.in_csv(
                        resource,
                        row.line,
                        table.primary_key[-1],
                        f"duplicate key ({', '.join(key)}): line {first[key]} has the same "
                        + joined(table.primary_key),
                    )
                    resource.clean = False
                else:
                    first[key] = row.line
            for foreign_key in table.foreign_keys:
                self._check_foreign_key(resource, foreign_key)

    def _check_foreign_key(self, resource: Resource, foreign_key: ForeignKey) -> None:
        referenced = self.resources.get(foreign_key.resource)
        if resource.rows is None or referenced is None or referenced.rows is None:
            return  # what stops the check is reported already
        known = {tuple(r.cells[c] for c in foreign_key.reference) for r in referenced.rows}
        missing: dict[tuple[str, ...], list[int]] = {}
        for row in resource.rows:
            key = row.key(foreign_key.fields)
            if key is not None and key not in known:
                missing.setdefault(key, []).append(row.line)
        for key, lines in missing.items():
            message = f"no {_describe_key(foreign_key.resource, key)} in {referenced.path}"
            if len(lines) > 1:
                more = counted(len(lines) - 1, "more row")
                message += f" (the same on {more}, up to line {lines[-1]})"
            self.report.in_csv(resource, lines[0], foreign_key.fields[-1], message)

    def _check_standards(self) -> dict[str, PackageStandard] | None:
        """The standards whose rows are right, by id; None when the table was not read."""
        standards = self.resources.get("standards")
        if standards is None or standards.rows is None:
            return None
        by_id: dict[str, PackageStandard] = {}
        for row in standards.rows:
            if row.bad:
                continue
            standard = standard_of(row)
            if standard.retired is not None and standard.retired <= standard.introduced:
                self.report.in_csv(
                    standards,
                    row.line,
                    "retired",
                    f"version {standard.retired} is not after the version it was introduced "
                    f"in ({standard.introduced})",
                )
            by_id[standard.id] = standard
        return by_id

    def _check_reviews(self) -> None:
        """A review's ratings and grades against its framework version and its cases."""
        by_id = self._check_standards()
        reviews = self.resources.get("reviews")
        if by_id is None or reviews is None or reviews.rows is None:
            return
        latest = self.framework_version
        versions: dict[tuple[str, ...], int] = {}
        for row in reviews.rows:
            key = row.key(TO_REVIEW.reference)
            if key is None or "framework_version" in row.bad:
                continue
            version: int = row.values["framework_version"]
            if latest is not None and version > latest:
                self.report.in_csv(
                    reviews,
                    row.line,
                    "framework_version",
                    f"there is no framework version {version} (the package's framework is at "
                    f"version {latest})",
                )
                continue
            versions[key] = version
        for name in ("ratings", "grades"):
            self._check_versions(name, by_id, versions)
        self._check_every_standard_rated(reviews, by_id, versions)
        self._check_grades_within_cases(reviews)

    def _check_versions(
        self,
        name: str,
        standards: Mapping[str, PackageStandard],
        versions: Mapping[tuple[str, ...], int],
    ) -> None:
        resource = self.resources.get(name)
        if resource is None or resource.rows is None:
            return
        for row in resource.rows:
            key = row.key(TO_REVIEW.fields)
            standard = standards.get(row.cells["standard"])
            if key is None or key not in versions or standard is None or "standard" in row.bad:
                continue
            version = versions[key]
            if not standard.in_version(version):
                since = (
                    f"introduced in version {standard.introduced}"
                    if version < standard.introduced
                    else f"retired in version {standard.retired}"
                )
                self.report.in_csv(
                    resource,
                    row.line,
                    "standard",
                    f"{standard.id} is not part of framework version {version} ({since})",
                )
                resource.clean = False

    def _check_every_standard_rated(
        self,
        reviews: Resource,
        standards: Mapping[str, PackageStandard],
        versions: Mapping[tuple[str, ...], int],
    ) -> None:
        ratings = self.resources.get("ratings")
        if ratings is None or ratings.rows is None or not ratings.clean:
            return  # a row with a problem of its own would be counted missing
        rated: dict[tuple[str, ...], set[str]] = {}
        for row in ratings.rows:
            rated.setdefault(tuple(row.cells[c] for c in TO_REVIEW.fields), set()).add(
                row.cells["standard"]
            )
        for row in reviews.rows or []:
            key = row.key(TO_REVIEW.reference)
            if key is None or key not in versions:
                continue
            version = versions[key]
            missing = sorted(
                s.id
                for s in standards.values()
                if s.in_version(version) and s.id not in rated.get(key, set())
            )
            if missing:
                shown = ", ".join(missing[:5]) + (
                    f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                )
                self.report.in_csv(
                    reviews,
                    row.line,
                    "framework_version",
                    f"{ratings.path} has no rating of {shown} for this review: a presented "
                    f"review rates every standard of its framework version ({version})",
                )

    def _check_grades_within_cases(self, reviews: Resource) -> None:
        grades = self.resources.get("grades")
        if grades is None or grades.rows is None or not grades.clean:
            return
        totals: dict[tuple[str, ...], dict[str, int]] = {}
        for row in grades.rows:
            key = tuple(row.cells[c] for c in TO_REVIEW.fields)
            per_standard = totals.setdefault(key, {})
            standard = row.cells["standard"]
            per_standard[standard] = per_standard.get(standard, 0) + row.values["count"]
        for row in reviews.rows or []:
            review = row.key(TO_REVIEW.reference)
            if review is None or "cases" in row.bad or review not in totals:
                continue
            cases = row.values["cases"]
            standard, most = max(sorted(totals[review].items()), key=lambda item: item[1])
            if most > cases:
                self.report.in_csv(
                    reviews,
                    row.line,
                    "cases",
                    f"{grades.path} counts {most} grades of {standard} for this review, more "
                    f"than its {counted(cases, 'case')}: each case grades a standard once at most",
                )


def _describe_key(resource: str, key: Sequence[str]) -> str:
    if resource == "boroughs":
        return f"borough '{key[0]}'"
    if resource == "teams":
        return f"team '{key[1]}' of borough '{key[0]}'"
    if resource == "reviews":
        return f"review of {key[0]}/{key[1]} on {key[2]}"
    if resource == "standards":
        return f"standard '{key[0]}'"
    return f"row ({', '.join(key)})"
