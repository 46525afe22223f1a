"""A built site served on 127.0.0.1, and the pages it holds."""

from __future__ import annotations

import functools
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Site:
    """A built site being served.

    ``local`` is the HTTP server on 127.0.0.1. ``base_url`` is where the browser
    opens the site: its own ``site_url`` when it has one (taken from sitemap.xml),
    with every request under it answered from ``local`` by the browser context's
    router, so nothing reaches the network; else ``local`` itself. Material's
    instant navigation only handles links whose URL, after it swaps in the page's
    protocol and host name, matches the sitemap's (port and path included), so a
    site with a ``site_url`` has to be opened there for that feature to be tested.
    ``root`` is the folder served, when known.
    """

    base_url: str
    local: str
    root: Path | None = None

    def to_local(self, url: str) -> str | None:
        """The local server's URL for a URL of the site, or None if it is not the site's."""
        for base in (self.base_url, self.local):
            if _same_origin(url, base) and urlsplit(url).path.startswith(urlsplit(base).path):
                rest = url[len(_origin(url)) + len(urlsplit(base).path) :]
                return self.local + rest
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _same_origin(a: str, b: str) -> bool:
    def key(url: str) -> tuple[str, str | None, int]:
        parts = urlsplit(url)
        return parts.scheme, parts.hostname, parts.port or {"https": 443}.get(parts.scheme, 80)

    return key(a) == key(b)


def _sitemap_locs(site: Path) -> list[str]:
    sitemap = site / "sitemap.xml"
    return re.findall(r"<loc>\s*(https?://[^<\s]+)\s*</loc>", sitemap.read_text("utf-8"))


def site_url_of(site: Path) -> str | None:
    """The ``site_url`` a site was built with: its sitemap's shortest URL (the home page)."""
    locs = _sitemap_locs(site)
    if not locs:
        return None
    home = min(locs, key=len)
    return home[: home.rindex("/") + 1]


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, found by walking its ``*.html`` files.

    Each is given as a path under the site's root, the way the site links to it:
    "" for the home page, "teams/" for ``teams/index.html``, "404.html" as it is.
    """
    pages = []
    for file in site.rglob("*.html"):
        path = file.relative_to(site).as_posix()
        pages.append(path.removesuffix("index.html") if file.name == "index.html" else path)
    return sorted(pages)


def sitemap_pages(site: Path) -> list[str]:
    """The pages a built site's sitemap.xml lists, as paths under its root."""
    base = site_url_of(site)
    if base is None:
        return []
    return sorted(loc.removeprefix(base) for loc in _sitemap_locs(site))


@contextmanager
def serve(directory: Path) -> Iterator[Site]:
    """Serve ``directory`` on 127.0.0.1 (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    local = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield Site(base_url=site_url_of(directory) or local, local=local, root=directory)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
