"""Small text helpers shared by every stage: how ids read as titles, and text
put on one line of a Markdown report.
"""

from __future__ import annotations

import re

# What makes markup inside a line of GitHub-flavoured Markdown; "&" only where it
# would start an entity ("H&F" stays as it is).
_GFM_INLINE = re.compile(r"[\\`*_\[\]<>|~]|&(?=#?\w+;)")


def markdown_cell(text: str) -> str:
    """``text`` on one line of a Markdown report (a table cell, a list item), shown
    as written: for CI job summaries and pull-request comments, not the site."""
    line = _GFM_INLINE.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))
    return "\\" + line if line.startswith(("#", "+", "-")) else line


def service_title(service: str) -> str:
    """``learning-disability`` -> ``Learning disability``."""
    return service.replace("-", " ").capitalize()
