"""HTML documents to tagged PDF/UA-1 files, with WeasyPrint (docs/publishing.md
says why this engine).

Offline: WeasyPrint reads only files under the papers' own folders (the
stylesheet's fonts) and ``data:`` addresses; anything else, another host above
all, is refused. Deterministic: a PDF's bytes depend only on its HTML, its
fonts and WeasyPrint's version (its dates are the as-of date, its identifier a
digest of its content). So a PDF is kept by the digest of all three, in this
process and in a folder the caller names (``user_cache``): a rebuild makes only
the papers whose HTML changed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import multiprocessing
import os
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.core.errors import ToolError
from generator.core.files import write_atomically

# WeasyPrint warns of CSS it does not support; the papers' own stylesheet has
# none, and a council's should not fail a build.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

NEEDS_PANGO = (
    "the PDF papers need the Pango library, which WeasyPrint draws text with: install it "
    "(Debian and Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0; see "
    "docs/publishing.md), or set papers: false under the qa-site plugin in mkdocs.yml"
)


class PapersUnavailable(ToolError):
    """The PDF engine cannot run on this machine."""

# A kept PDF no run has used for this many days is deleted. Each day's papers differ
# from the day before's (the as-of date is on every page), so without this the
# folder would grow by a set of papers a day.
KEEP_DAYS = 14
_pruned: set[Path] = set()

# How many papers a build makes before it shares them among processes.
PARALLEL_FROM = 12
_KEPT_MAX = 4096

_made: dict[str, bytes] = {}
_fonts: dict[Path, str] = {}


def user_cache(environ: Mapping[str, str]) -> Path:
    """Where papers are kept between runs: ``$XDG_CACHE_HOME/qa-site/papers``, or
    under ``~/.cache``."""
    home = environ.get("XDG_CACHE_HOME")
    if not home:
        home = str(Path(environ.get("HOME", "~")).expanduser() / ".cache")
    return Path(home) / "qa-site" / "papers"


def engine() -> ModuleType:
    """WeasyPrint, loaded when the first paper is made: the rest of qa-site runs on a
    machine without Pango."""
    try:
        import weasyprint
    except (OSError, ImportError) as error:  # Pango, or WeasyPrint itself, is missing
        raise PapersUnavailable(f"{NEEDS_PANGO} ({error})") from None
    loaded: ModuleType = weasyprint
    return loaded


def local_only(folders: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher that fetches only ``data:`` addresses and files under
    ``folders`` (following no link): nothing from another host."""
    from weasyprint.urls import URLFetcher

    allowed = [folder.resolve() for folder in folders]

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> object:
            if url.startswith("file:"):
                parts = urlsplit(url)
                if parts.netloc not in ("", "localhost"):  # another host, never looked up
                    raise ValueError(f"papers read nothing from another host: {url}")
                path = Path(unquote(parts.path))
                if path.is_symlink() or not any(
                    path.resolve().is_relative_to(folder) for folder in allowed
                ):
                    raise ValueError(f"not a file of the papers' folders: {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"papers read nothing from another host: {url}")
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("file", "data"))


def make_pdfs(documents: Sequence[tuple[str, Path]], cache: Path | None = None) -> list[bytes]:
    """Each ``(html, base)`` as a tagged PDF/UA-1 file, in order, its addresses relative
    to ``base``; made in other processes when there are many, or taken from those
    made before (in this process, or kept in ``cache``)."""
    keys = [_key(doc, base) for doc, base in documents]
    found: dict[str, bytes] = {}
    for key in keys:
        kept = _made.get(key) or (_read_kept(cache, key) if cache is not None else None)
        if kept is not None:
            found[key] = kept
    if cache is not None:
        _prune(cache)  # after reading: what this run uses is kept
    wanted = sorted({key: i for i, key in enumerate(keys) if key not in found}.values())
    workers = min(os.cpu_count() or 1, 4)
    if len(wanted) >= PARALLEL_FROM and workers > 1:
        # Spawned, not forked: a process with threads must not be copied midway.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            chunk = max(1, len(wanted) // (workers * 4))
            made = pool.map(_write_pair, [documents[i] for i in wanted], chunksize=chunk)
            for i, pdf in zip(wanted, made, strict=True):
                found[keys[i]] = pdf
    else:
        for i in wanted:
            found[keys[i]] = _write(*documents[i])
    for i in wanted:
        _keep(keys[i], found[keys[i]], cache)
    for key in keys:
        _remember(key, found[key])
    return [found[key] for key in keys]


def _remember(key: str, pdf: bytes) -> None:
    if key not in _made and len(_made) >= _KEPT_MAX:
        _made.clear()
    _made[key] = pdf


def _keep(key: str, pdf: bytes, cache: Path | None) -> None:
    if cache is not None:
        try:
            (cache / key[:2]).mkdir(parents=True, exist_ok=True)
            write_atomically(cache / key[:2] / f"{key}.pdf", pdf)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _read_kept(cache: Path, key: str) -> bytes | None:
    path = cache / key[:2] / f"{key}.pdf"
    try:
        if path.is_symlink():
            return None
        pdf = path.read_bytes()
        os.utime(path)  # used: kept another KEEP_DAYS (see _prune)
    except OSError:
        return None
    # A file cut short (a full disk) is no PDF: made again.
    return pdf if pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") else None


def _write_pair(item: tuple[str, Path]) -> bytes:
    return _write(*item)


def _write(document: str, base: Path) -> bytes:
    html = engine().HTML(
        string=document, base_url=base.as_uri() + "/", url_fetcher=local_only([base])
    )
    pdf = html.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    assert isinstance(pdf, bytes)
    return pdf


def _key(document: str, base: Path) -> str:
    digest = hashlib.sha256(document.encode("utf-8"))
    # Not the folder's path: the same files anywhere make the same PDF.
    digest.update(f"\0{_engine_version()}\0{_fonts_digest(base)}".encode())
    return digest.hexdigest()


def _prune(cache: Path) -> None:
    """Delete the PDFs of ``cache`` unused for ``KEEP_DAYS`` days, once a process."""
    if cache in _pruned:
        return
    _pruned.add(cache)
    oldest = time.time() - KEEP_DAYS * 86_400
    try:
        for path in cache.glob("??/*.pdf"):
            if not path.is_symlink() and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
    except OSError:
        pass  # another build pruning at once, or a folder that cannot be read


@functools.cache
def _engine_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def _fonts_digest(base: Path) -> str:
    """A digest of the files under ``base`` a paper's stylesheet may load."""
    found = _fonts.get(base)
    if found is None:
        digest = hashlib.sha256()
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.is_symlink():
                digest.update(f"{path.relative_to(base)}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        found = _fonts[base] = digest.hexdigest()
    return found
