"""A page's layout measured in Chromium, at a phone's width and a desktop's: whether it
is wider than the screen, the smallest text in its tables, whether its charts' text is
cut off and its contrast against what is drawn behind it, and how far down its action
plan starts."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.support.chromium import (
    CHART_TIMEOUT_MS,
    Visit,
    current_scheme,
    goto,
    set_scheme,
    settle_drawing,
    undrawn_charts,
)

if TYPE_CHECKING:
    from PIL.Image import Image
    from playwright.sync_api import FloatRect, Page, ViewportSize

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
VIEWPORTS: dict[str, ViewportSize] = {"390": PHONE, "1280": DESKTOP}

MIN_TABLE_TEXT_PX = 14.0
MIN_CHART_CONTRAST = 4.5  # WCAG 2.2 AA, 1.4.3, for text under 18 pt
ACTION_PLAN_WITHIN_PX = 1800.0  # two desktop screens
SCHEMES = ("default", "slate")  # Material's light and dark palettes

# A colour this close to a text's own (in every channel) is taken for the text itself
# (its glyphs, anti-aliased) when looking for the background behind it.
_SAME_COLOUR = 24
_LISTED = 6  # offenders listed per page and check

# Everything but contrast, in one pass over the page. Positions are page coordinates.
MEASURE_JS = """() => {
  const width = window.innerWidth;
  const words = (el) => (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  const describe = (el) => {
    const cls = (el.getAttribute('class') || '').trim().split(/\\s+/).filter(Boolean);
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + cls.slice(0, 3).map((c) => '.' + c).join('');
  };
  const clipsX = (style) => ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);

  // a. what sticks out past the right edge of the screen, not held in a scrolling or
  // clipping box of its own (html and body do not count: clipping there hides content)
  // An element is clipped by the boxes that contain it: an absolutely placed one escapes
  // every box up to the nearest one that is placed itself (or transformed).
  const held = (el) => {
    let style = getComputedStyle(el);
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (style.position === 'fixed') return true;
      const outer = getComputedStyle(up);
      if (style.position === 'absolute' && outer.position === 'static'
          && outer.transform === 'none') continue;
      if (clipsX(outer)) return true;
      style = outer;
    }
    return style.position === 'fixed';
  };
  const sticking = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 0.5) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (!held(el)) sticking.add(el);
  }
  const overflowing = [...sticking]
    .filter((el) => !sticking.has(el.parentElement))
    .map((el) => {
      const box = el.getBoundingClientRect();
      return {element: describe(el), text: words(el),
              right: Math.round(box.right + scrollX), width: Math.round(box.width)};
    })
    .sort((a, b) => b.right - a.right);

  // b. every piece of text in the content's tables: its element's font size (and that of
  // text put in by CSS before or after it), unless hidden for screen readers only or not
  // displayed at all; text in a closed <details> counts, as it shows once opened
  const srOnly = (el, table) => {
    for (let up = el; up && up !== table.parentElement; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.clip !== 'auto' && style.clip !== '' && style.position === 'absolute') return true;
      if (style.clipPath.startsWith('inset(50%')) return true;
    }
    return false;
  };
  const hidden = (el) => el.getClientRects().length === 0
    && !(el.closest('details:not([open])') && !el.closest('summary'));
  const smallText = [];
  for (const table of document.querySelectorAll('.md-content table')) {
    for (const el of [table, ...table.querySelectorAll('*')]) {
      if (el.closest('svg')) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const parts = own ? [['', el.textContent]] : [];
      for (const pseudo of ['::before', '::after']) {
        const content = getComputedStyle(el, pseudo).content;
        if (content && !['none', 'normal', '""', "''"].includes(content)) {
          parts.push([pseudo, content]);
        }
      }
      if (!parts.length || hidden(el) || srOnly(el, table)) continue;
      for (const [pseudo, text] of parts) {
        const size = parseFloat(getComputedStyle(el, pseudo || null).fontSize);
        smallText.push({element: describe(el) + pseudo, size,
                        text: text.trim().replace(/\\s+/g, ' ').slice(0, 30)});
      }
    }
  }

  // c. the text of the charts (drawn as SVG), where it is on the page and its colour,
  // with the box of its chart (cut to the window's width) to take a picture of
  const chartText = [];
  const cutText = [];  // text running past the edge of its chart's drawing, so cut off
  const figures = [...document.querySelectorAll('.qa-chart')];
  for (const text of document.querySelectorAll('.qa-chart svg text')) {
    const words = (text.textContent || '').trim();
    const box = text.getBoundingClientRect();
    const style = getComputedStyle(text);
    if (!words || box.width < 1 || box.height < 1 || style.visibility === 'hidden'
        || style.display === 'none') continue;
    const drawing = (text.closest('svg.main-svg') || text.ownerSVGElement).getBoundingClientRect();
    if (box.left < drawing.left - 1 || box.right > drawing.right + 1
        || box.top < drawing.top - 1 || box.bottom > drawing.bottom + 1) {
      cutText.push({text: words.slice(0, 40),
                    chart: (text.closest('.qa-chart').querySelector('[id]') || {}).id || '',
                    shown: Math.round(Math.max(0, Math.min(box.right, drawing.right)
                                      - Math.max(box.left, drawing.left))),
                    width: Math.round(box.width)});
    }
    let alpha = parseFloat(style.fillOpacity);
    for (let up = text; up && !up.matches('figure'); up = up.parentElement) {
      alpha *= parseFloat(getComputedStyle(up).opacity);
    }
    const figure = text.closest('.qa-chart');
    const frame = figure.getBoundingClientRect();
    const left = Math.max(box.left, frame.left, 0);
    const right = Math.min(box.right, frame.right, width);
    const top = Math.max(box.top, frame.top);
    const bottom = Math.min(box.bottom, frame.bottom);
    if (alpha === 0 || right - left < 1 || bottom - top < 1) continue;
    const frameLeft = Math.max(frame.left, 0);
    chartText.push({
      text: words.slice(0, 40), fill: style.fill, alpha,
      chart: (figure.querySelector('[id]') || {}).id || String(figures.indexOf(figure)),
      x: left + scrollX, y: top + scrollY, width: right - left, height: bottom - top,
      frame: [frameLeft + scrollX, frame.top + scrollY,
              Math.min(frame.right, width) - frameLeft, frame.height]});
  }

  // d. the action plan's heading
  const plan = document.getElementById('action-plan');
  const planTop = plan ? plan.getBoundingClientRect().top + scrollY : null;

  return {width, scrollWidth: document.documentElement.scrollWidth, overflowing,
          smallText, chartText, cutText, planTop};
}"""


@dataclass(frozen=True)
class ChartText:
    """One piece of a chart's text: its words, colour and box on the page (CSS px)."""

    text: str
    fill: str
    alpha: float
    chart: str
    x: float
    y: float
    width: float
    height: float
    frame: tuple[float, float, float, float]  # its chart: x, y, width, height


@dataclass(frozen=True)
class Measures:
    """What MEASURE_JS found on a page."""

    width: int
    scroll_width: int
    overflowing: list[dict[str, Any]]
    small_text: list[dict[str, Any]]
    chart_text: list[ChartText]
    cut_text: list[dict[str, Any]]
    plan_top: float | None

    @property
    def overflows(self) -> bool:
        return self.scroll_width > self.width or bool(self.overflowing)


def measure(page: Page) -> Measures:
    """The page's layout as it is drawn now (see MEASURE_JS)."""
    found: dict[str, Any] = page.evaluate(MEASURE_JS)
    return Measures(
        width=found["width"],
        scroll_width=found["scrollWidth"],
        overflowing=found["overflowing"],
        small_text=[t for t in found["smallText"] if t["size"] < MIN_TABLE_TEXT_PX - 0.01],
        chart_text=[_chart_text(text) for text in found["chartText"]],
        cut_text=found["cutText"],
        plan_top=found["planTop"],
    )


def _chart_text(found: dict[str, Any]) -> ChartText:
    x, y, width, height = found.pop("frame")
    return ChartText(**found, frame=(x, y, width, height))


# --- contrast -------------------------------------------------------------------------


def parse_colour(css: str) -> tuple[float, float, float, float] | None:
    """``rgb(r, g, b)`` or ``rgba(r, g, b, a)`` as computed by the browser; else None."""
    if not css.startswith("rgb"):
        return None
    inside = css[css.index("(") + 1 : css.rindex(")")].replace("/", ",")
    numbers = [float(part) for part in inside.replace(",", " ").split()]
    if len(numbers) == 3:
        numbers.append(1.0)
    if len(numbers) != 4:
        return None
    r, g, b, a = numbers
    return r, g, b, a


def luminance(colour: Sequence[float]) -> float:
    """WCAG's relative luminance of an sRGB colour given as 0-255 channels."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Sequence[float], b: Sequence[float]) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def background_behind(image: Image, fill: Sequence[float]) -> tuple[int, int, int] | None:
    """The colour most drawn in ``image`` that is not (nearly) the text's own ``fill``."""
    size = image.width * image.height
    colours: list[tuple[int, tuple[int, int, int]]] = (
        image.convert("RGB").getcolors(maxcolors=max(size, 1)) or []  # type: ignore[assignment]
    )
    for _, colour in sorted(colours, key=lambda item: -item[0]):
        if max(abs(colour[i] - fill[i]) for i in range(3)) > _SAME_COLOUR:
            return colour
    return None


def _hex(colour: Sequence[float]) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in colour[:3])


def contrast_failures(page: Page, texts: Sequence[ChartText]) -> list[dict[str, Any]]:
    """The chart texts whose colour, against the background drawn behind them (read from a
    picture of their chart), falls under MIN_CHART_CONTRAST."""
    from PIL import Image as pictures

    page.mouse.move(0, 0)  # no hover label over a chart
    shots: dict[tuple[float, ...], Image] = {}
    failures = []
    for text in texts:
        fill = parse_colour(text.fill)
        if fill is None:
            continue
        if text.frame not in shots:
            x, y, width, height = text.frame
            clip: FloatRect = {"x": x, "y": y, "width": width, "height": height}
            # full_page: the clip is in the page's coordinates, with nothing sticky over it
            png = page.screenshot(clip=clip, full_page=True, animations="disabled")
            shots[text.frame] = pictures.open(io.BytesIO(png)).convert("RGB")
        shot = shots[text.frame]
        left, top = text.x - text.frame[0], text.y - text.frame[1]
        box = (
            max(0, round(left)),
            max(0, round(top)),
            min(shot.width, round(left + text.width)),
            min(shot.height, round(top + text.height)),
        )
        if box[2] - box[0] < 1 or box[3] - box[1] < 1:
            continue
        background = background_behind(shot.crop(box), fill)
        if background is None:
            continue
        alpha = fill[3] * text.alpha
        seen = [alpha * fill[i] + (1 - alpha) * background[i] for i in range(3)]
        ratio = contrast_ratio(seen, background)
        if ratio < MIN_CHART_CONTRAST:
            failures.append(
                {
                    "text": text.text,
                    "chart": text.chart,
                    "fill": _hex(seen),
                    "background": _hex(background),
                    "ratio": round(ratio, 2),
                }
            )
    return failures


# --- a page checked, and its problems in words ------------------------------------------


def _counted(rows: Iterable[tuple[str, str]]) -> list[str]:
    """Each distinct ``what`` as "what (xN, e.g. 'example')", most frequent first."""
    counts: Counter[str] = Counter()
    sample: dict[str, str] = {}
    for what, example in rows:
        counts[what] += 1
        sample.setdefault(what, example)
    return [
        f"{what} (x{count}, e.g. {sample[what]!r})" for what, count in counts.most_common(_LISTED)
    ] + ([f"... and {len(counts) - _LISTED} more kinds"] if len(counts) > _LISTED else [])


def overflow_problem(where: str, measures: Measures) -> str | None:
    if not measures.overflows:
        return None
    widest = [
        f"{o['element']} right edge {o['right']} px, {o['width']} px wide: {o['text']!r}"
        for o in measures.overflowing[:_LISTED]
    ]
    return (
        f"{where}: wider than the screen: {measures.scroll_width} px in a "
        f"{measures.width} px window; widest elements:\n    " + "\n    ".join(widest or ["?"])
    )


def small_text_problem(where: str, measures: Measures) -> str | None:
    if not measures.small_text:
        return None
    rows = [(f"{t['size']:g} px {t['element']}", t["text"]) for t in measures.small_text]
    return f"{where}: table text under {MIN_TABLE_TEXT_PX:g} px:\n    " + "\n    ".join(
        _counted(rows)
    )


def contrast_problem(where: str, scheme: str, failures: list[dict[str, Any]]) -> str | None:
    if not failures:
        return None
    rows = [
        (f"{f['fill']} on {f['background']} {f['ratio']}:1 in #{f['chart']}", f["text"])
        for f in failures
    ]
    return (
        f"{where} ({scheme}): chart text under {MIN_CHART_CONTRAST}:1 contrast:\n    "
        + "\n    ".join(_counted(rows))
    )


def cut_text_problem(where: str, measures: Measures) -> str | None:
    if not measures.cut_text:
        return None
    rows = [(f"#{t['chart']}: {t['shown']} of {t['width']} px shown", t["text"])
            for t in measures.cut_text]  # fmt: skip
    return f"{where}: chart text cut off at the chart's edge:\n    " + "\n    ".join(_counted(rows))


def action_plan_problem(where: str, measures: Measures) -> str | None:
    top = measures.plan_top
    if top is None or top <= ACTION_PLAN_WITHIN_PX:
        return None
    return f"{where}: the action plan starts at {top:.0f} px (limit {ACTION_PLAN_WITHIN_PX:g} px)"


def check_layout(
    page: Page, where: str, *, action_plan: bool, schemes: Sequence[str] = SCHEMES
) -> list[str]:
    """Every layout problem of the page as it is open now (its charts drawn): overflow,
    table text, chart text cut off at the chart's edge, chart text contrast in each of
    ``schemes`` (starting with the one the page is in, to save a toggle) and, with
    ``action_plan``, where the action plan is."""
    measures = measure(page)
    problems = [
        overflow_problem(where, measures),
        small_text_problem(where, measures),
        cut_text_problem(where, measures),
        action_plan_problem(where, measures) if action_plan else None,
    ]
    first = current_scheme(page)
    for index, scheme in enumerate(sorted(schemes, key=lambda s: s != first)):
        if not measures.chart_text:
            break
        if index:
            set_scheme(page, scheme)
            settle_drawing(page)
            measures = measure(page)
        problems.append(
            contrast_problem(where, scheme, contrast_failures(page, measures.chart_text))
        )
    return [problem for problem in problems if problem]


def check_pages(
    visit: Visit,
    paths: Iterable[str],
    *,
    width: str,
    schemes: Sequence[str] | None = None,
    chart_timeout_ms: int = CHART_TIMEOUT_MS,
) -> dict[str, list[str]]:
    """check_layout() for each of ``paths`` opened in turn in ``visit``; pages with no
    problem are left out. The action plan is checked on scorecards at the desktop width;
    chart text contrast in ``schemes``, by default both at the desktop width and the
    light one at the phone's (a chart's colours do not change with the width)."""
    if schemes is None:
        schemes = SCHEMES if width == "1280" else SCHEMES[:1]
    found: dict[str, list[str]] = {}
    for path in paths:
        where = f"/{path} at {width} px"
        try:
            goto(visit, path)
            undrawn = undrawn_charts(visit.page, chart_timeout_ms, displayed_only=True)
            problems = [f"{where}: chart not drawn: {chart}" for chart in undrawn]
            settle_drawing(visit.page)
            scorecard = is_scorecard(path) and width == "1280"
            problems += check_layout(visit.page, where, action_plan=scorecard, schemes=schemes)
        except _playwright_errors() as error:
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            problems = [f"{where}: could not be checked: {first_line}"]
        if problems:
            found[path] = problems
    return found


def is_scorecard(path: str) -> bool:
    """Whether ``path`` is a team's scorecard: teams/<borough>/<team>/."""
    parts = path.strip("/").split("/")
    return path.endswith("/") and len(parts) == 3 and parts[0] == "teams"


def _playwright_errors() -> tuple[type[Exception], ...]:
    from playwright.sync_api import Error as PlaywrightError

    return (PlaywrightError,)
