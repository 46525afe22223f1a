"""Pages of docs/ for the council's own engineers, left out of the partner edition.

A partner borough reads the programme's results and how they are made; how the
council builds, tests and publishes its site (continuous integration, the
command reference, performance...) is not for it. The partner edition leaves
those pages out: out of its menu, unbuilt, and links to them from the pages
it keeps shown as plain text, so that none leads nowhere.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection

# The starter's engineering pages (qa-site init writes them); the plugin's option
# internal_pages names a council's own.
ENGINEERS_PAGES = (
    "publishing.md",
    "engines.md",
    "continuous-integration.md",
    "new-council.md",
    "commands.md",
    "performance.md",
)

_LINK = re.compile(r'<a\s[^>]*?href="([^"#?]*)[^"]*"[^>]*>(.*?)</a>', re.DOTALL)


def without_pages(nav: object, pages: Collection[str]) -> object:
    """``nav`` as ``mkdocs.yml`` writes it, without the entries of ``pages`` and
    without the sections that leave empty."""
    if isinstance(nav, list):
        kept = [without_pages(item, pages) for item in nav]
        return [item for item in kept if item is not None]
    if isinstance(nav, dict):
        kept_items = {key: without_pages(value, pages) for key, value in nav.items()}
        kept_items = {k: v for k, v in kept_items.items() if v is not None and v != []}
        return kept_items or None
    if isinstance(nav, str) and nav.lstrip("/") in pages:
        return None
    return nav


def unlinked(html: str, page_url: str, urls: Collection[str]) -> str:
    """``html`` of the page at ``page_url`` with each link to one of ``urls`` (the
    left-out pages' addresses, relative to the site) replaced by its text."""
    if not urls:
        return html
    folder = posixpath.dirname(page_url) if not page_url.endswith("/") else page_url

    def replace(match: re.Match[str]) -> str:
        href = match.group(1)
        if not href or "://" in href or href.startswith(("/", "mailto:")):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(folder, href))
        target = "" if target == "." else target
        if href.endswith("/") and target:
            target += "/"
        return match.group(2) if target in urls else match.group(0)

    return _LINK.sub(replace, html)
