"""PDF files read by the tests: their text page by page (pypdfium2), and the checks of
PDF/UA that can run here (pikepdf).

Neither needs poppler or Java: the text comes from PDFium, the structure from qpdf,
both installed from PyPI with the project's test dependencies.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

# PDFium gives a hyphen that ends a line as U+FFFE and joins the line to the next;
# the papers' stylesheet asks for no hyphenation, so each such hyphen is the text's.
_LINE_END_HYPHEN = "\ufffe"

PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"
_HEADINGS = {f"/H{level}": level for level in range(1, 7)}
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def pdf_text(pdf: Path | bytes) -> list[str]:
    """The text of each page of ``pdf`` (a path or the file's bytes), in reading order
    as PDFium finds it, lines ending in ``\\n``: a hyphen at the end of a line stays
    where it was written (``HF-SW-2015-21``), not dropped as PDFium drops it."""
    document = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            pages.append(text.replace(_LINE_END_HYPHEN, "-").replace("\r\n", "\n"))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def accessibility_problems(pdf: bytes, *, lang: str = "en-GB") -> list[str]:
    """What stops ``pdf`` from being tagged PDF/UA-1, as far as these checks see: [] when
    none of them finds anything.

    This is a subset of PDF/UA, the checks of the Matterhorn protocol that can be
    made by reading the file's objects: veraPDF, the reference validator, is a
    Java program that cannot be installed from PyPI or Debian's packages, so it
    does not run here. Checked:

    - the catalog's /MarkInfo has /Marked true, and there is a /StructTreeRoot;
    - the catalog's /Lang is ``lang``;
    - the document information's /Title is not empty, and /ViewerPreferences has
      /DisplayDocTitle true (a reader shows the title, not the file name);
    - the XMP metadata has pdfuaid:part 1;
    - in the structure tree (roles through its /RoleMap), the first heading is an
      H1 and no heading is more than one level below the heading before it;
    - every /Table holds at least one /TH, and every /Figure has a non-empty /Alt;
    - every font that a page, or a form or pattern it draws, uses is embedded: its
      descriptor (a Type0 font's, in its descendant) has a /FontFile, /FontFile2 or
      /FontFile3.
    """
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        mark_info = root.get("/MarkInfo")
        if not isinstance(mark_info, pikepdf.Dictionary) or not _true(mark_info.get("/Marked")):
            problems.append("catalog: /MarkInfo does not have /Marked true")
        found_lang = str(root.get("/Lang", ""))
        if found_lang != lang:
            problems.append(f"catalog: /Lang is {found_lang!r}, expected {lang!r}")
        title = str(document.docinfo.get("/Title", "")).strip()
        if not title:
            problems.append("document information: /Title is missing or empty")
        preferences = root.get("/ViewerPreferences")
        if not isinstance(preferences, pikepdf.Dictionary) or not _true(
            preferences.get("/DisplayDocTitle")
        ):
            problems.append("catalog: /ViewerPreferences does not have /DisplayDocTitle true")
        part = document.open_metadata().get(PDFUA_PART)
        if part != "1":
            problems.append(f"XMP metadata: pdfuaid:part is {part!r}, expected '1'")
        tree = root.get("/StructTreeRoot")
        if not isinstance(tree, pikepdf.Dictionary):
            problems.append("catalog: no /StructTreeRoot, so the content is not tagged")
        else:
            problems += _structure_problems(tree)
        problems += _font_problems(document)
    return problems


def _true(value: object) -> bool:
    """Whether a PDF value is the boolean true (pikepdf gives it as Python's)."""
    return value is True


def _structure_problems(tree: pikepdf.Dictionary) -> list[str]:
    problems: list[str] = []
    roles = _role_map(tree)
    level = 0  # of the heading before; 0 before the first
    headings = tables = figures = 0
    for element in _elements(tree):
        role = _role(element, roles)
        if role in _HEADINGS:
            headings += 1
            now = _HEADINGS[role]
            if level == 0 and now != 1:
                problems.append(f"structure: the first heading is {role[1:]}, not H1")
            elif level and now > level + 1:
                problems.append(
                    f"structure: heading {headings} is H{now} after an H{level}: a level is skipped"
                )
            level = now
        elif role == "/Table":
            tables += 1
            if not any(_role(e, roles) == "/TH" for e in _elements(element, inside=True)):
                held = [_role(e, roles)[1:] for e in _children(element)]
                problems.append(
                    f"structure: table {tables} has no /TH header cell "
                    f"(it holds: {', '.join(held) or 'nothing'})"
                )
        elif role == "/Figure":
            figures += 1
            alt = str(element.get("/Alt", "")).strip()
            if not alt:
                problems.append(f"structure: figure {figures} has no /Alt text")
    return problems


def _role_map(tree: pikepdf.Dictionary) -> dict[str, str]:
    found = tree.get("/RoleMap")
    if not isinstance(found, pikepdf.Dictionary):
        return {}
    return {str(key): str(value) for key, value in found.items()}


def _role(element: pikepdf.Dictionary, roles: dict[str, str]) -> str:
    """The standard role of ``element``: its /S, mapped through the /RoleMap."""
    role = str(element.get("/S", ""))
    seen = {role}
    while role in roles and roles[role] not in seen:
        role = roles[role]
        seen.add(role)
    return role


def _elements(node: pikepdf.Object, inside: bool = False) -> Iterator[pikepdf.Dictionary]:
    """The structure elements under ``node`` (a /StructTreeRoot or an element), depth
    first in document order; ``node`` itself too unless it is the root or ``inside``."""
    seen: set[tuple[int, int]] = set()

    def walk(item: pikepdf.Object, top: bool) -> Iterator[pikepdf.Dictionary]:
        if isinstance(item, pikepdf.Array):
            for child in item:
                yield from walk(child, False)
            return
        if not isinstance(item, pikepdf.Dictionary):
            return  # a marked-content identifier
        if item.is_indirect:
            if item.objgen in seen:
                return
            seen.add(item.objgen)
        if "/S" in item and not (top and inside):
            yield item
        if "/K" in item and item.get("/Type") not in ("/MCR", "/OBJR"):
            yield from walk(item["/K"], False)

    yield from walk(node, True)


def _children(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _font_problems(document: pikepdf.Pdf) -> list[str]:
    problems: list[str] = []
    checked: set[tuple[int, int]] = set()
    for number, page in enumerate(document.pages, start=1):
        for name, font in _fonts(_resources(page.obj), set()):
            key = font.objgen if font.is_indirect else (id(font), -1)
            if key in checked:
                continue
            checked.add(key)
            if not _embedded(font):
                problems.append(
                    f"page {number}: font {name} ({font.get('/BaseFont', 'no /BaseFont')}) "
                    "is not embedded"
                )
    return problems


def _resources(page: pikepdf.Dictionary) -> pikepdf.Object | None:
    """A page's resources, its own or inherited from the page tree above it."""
    node: pikepdf.Object | None = page
    for _ in range(64):  # a page tree is never this deep; a loop in one ends here
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if "/Resources" in node:
            return node["/Resources"]
        node = node.get("/Parent")
    return None


def _fonts(
    resources: pikepdf.Object | None, seen: set[tuple[int, int]]
) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    """Every font of ``resources`` and of the forms, patterns and Type3 glyphs they
    draw, each resource dictionary read once."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    if resources.is_indirect:
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for name, font in fonts.items():
            if isinstance(font, pikepdf.Dictionary):
                yield str(name), font
                if font.get("/Subtype") == "/Type3":
                    yield from _fonts(font.get("/Resources"), seen)
    for kind in ("/XObject", "/Pattern"):
        drawn = resources.get(kind)
        if isinstance(drawn, pikepdf.Dictionary):
            for item in drawn.values():
                if isinstance(item, (pikepdf.Stream, pikepdf.Dictionary)):
                    yield from _fonts(item.get("/Resources"), seen)


def _embedded(font: pikepdf.Dictionary) -> bool:
    """Whether ``font`` carries its glyphs: a Type3 font draws them itself; any other
    names a font file in its descriptor (a Type0 font's, in its descendant font)."""
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        return (
            isinstance(descendants, pikepdf.Array)
            and len(descendants) > 0
            and all(isinstance(d, pikepdf.Dictionary) and _embedded(d) for d in descendants)
        )
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in _FONT_FILES
    )
