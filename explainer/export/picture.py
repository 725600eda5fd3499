"""A chart as a picture a picture desk can publish: the chart with its credits baked in.

Like OWID's and Datawrapper's downloads, every PNG and SVG carries a header (the chart's title,
the day it shows, the data's date) and a footer (the chart's own source line, who made it and the
data version, the tables' licence when the newsroom states one), in the reader's language. The
chart itself is drawn exactly as on the page (kaleido); the header and footer are bands of text
above and below it, wrapped to the picture's width, so nothing is cut at any width.

One builder for both surfaces: the share panel (:func:`pictures`) and the export's images
(``images.write_images`` frames the PNGs and SVGs it draws with :func:`frame_png` and :func:`frame_svg`).
Lines are measured with DejaVu Sans (Pillow), one of the widest common sans-serif faces: an SVG
opened where another sans-serif face stands in draws its lines no wider than measured.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .. import colours as K
from .. import i18n
from .. import queries as Q
from ..figures import View
from ..i18n import t
from ..load import Bundle

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILY = "'DejaVu Sans', Verdana, 'Segoe UI', sans-serif"
PAD = 16  # px around the text bands, at scale 1
# (role, size px, bold, colour): the header's title and date line, the footer's source and credit lines
STYLE = {
    "title": (19, True, K.INK),
    "dates": (13, False, K.MUTED),
    "source": (12, False, K.CAPTION),
    "credit": (12, False, K.MUTED),
}
LINE = 1.3  # line height, in font sizes
PHONE_PICTURE_WIDTH = 360  # px of a picture for a phone's screen (a desktop's: the caller's width)


@dataclass(frozen=True)
class Caption:
    """What a picture says around its chart, in the reader's language."""

    title: str
    dates: str
    source: str
    credit: str

    def header(self) -> list[tuple[str, str]]:
        return [("title", self.title), ("dates", self.dates)]

    def footer(self) -> list[tuple[str, str]]:
        return [("source", self.source), ("credit", self.credit)]


def caption(bundle: Bundle, view: View, locale: str, day: dt.date | None = None) -> Caption:
    """The header and footer of ``view``'s picture: its title; the day it shows (``day``, else the
    date in the figure's metadata: a map's or a selected day) and the data's latest date; its
    source line as under the chart; the explainer, the data version and the tables' licence."""
    meta = view.figure.layout.meta
    shown = day
    if shown is None and isinstance(meta, dict) and meta.get("date"):
        shown = dt.date.fromisoformat(str(meta["date"]))
    dates = [t(locale, "picture_shown", date=i18n.date(shown, locale))] if shown else []
    dates.append(t(locale, "picture_data", date=i18n.date(Q.now(bundle), locale)))
    colon = "\u00a0: " if i18n.lang_of(locale) == "fr" else ": "
    source = t(locale, "sources_line") + colon + " · ".join(dict.fromkeys(view.credits))
    credit = [t(locale, "picture_credit", name=t(locale, "app_title"), version=bundle.version)]
    licence = bundle.site.licence
    if licence is not None:
        credit.append(t(locale, "picture_licence", licence=i18n.field(licence, "title", locale)))
    return Caption(view.title, " · ".join(dates), source, " · ".join(credit))


@cache
def _font(size: int, bold: bool) -> Any:  # a Pillow font (FreeTypeFont, or Pillow's own face)
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:  # no DejaVu on this machine: Pillow's own face, measured the same way
        return ImageFont.load_default(size)


def _wrap(text: str, font: Any, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` px; a word longer than a line (an address) is cut
    between characters rather than left to overflow."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if font.getlength(trial) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:
            if font.getlength(line + ch) > width and line:
                lines.append(line)
                line = ""
            line += ch
    if line:
        lines.append(line)
    return lines


@dataclass(frozen=True)
class _Line:
    role: str
    text: str
    y: float  # baseline, px from the band's top
    size: int
    bold: bool
    colour: str


def _band(items: list[tuple[str, str]], width: int, scale: float) -> tuple[list[_Line], int]:
    """The lines of a band of text ``width`` px wide (at ``scale``), and the band's height."""
    out: list[_Line] = []
    y = PAD * scale
    for role, text in items:
        if not text:
            continue
        size, bold, colour = STYLE[role]
        px = round(size * scale)
        font = _font(px, bold)
        for line in _wrap(text, font, width - 2 * PAD * scale):
            y += px * LINE
            out.append(_Line(role, line, y - px * (LINE - 1) / 2 - px * 0.2, px, bold, colour))
    return out, round(y + PAD * scale * 0.75)


def frame_png(chart: bytes, cap: Caption, scale: float = 1) -> bytes:
    """The chart's PNG (drawn at ``scale``) with its header and footer, as one PNG."""
    img = Image.open(io.BytesIO(chart)).convert("RGB")
    w = img.width
    head, head_h = _band(cap.header(), w, scale)
    foot, foot_h = _band(cap.footer(), w, scale)
    out = Image.new("RGB", (w, head_h + img.height + foot_h), K.PAPER)
    out.paste(img, (0, head_h))
    draw = ImageDraw.Draw(out)
    for lines, top in ((head, 0), (foot, head_h + img.height)):
        for ln in lines:
            draw.text((PAD * scale, top + ln.y), ln.text, font=_font(ln.size, ln.bold), fill=ln.colour, anchor="ls")
    buf = io.BytesIO()
    out.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _svg_size(svg: str) -> tuple[float, float]:
    head = svg[: svg.index(">")]
    w = re.search(r'\swidth="([\d.]+)', head)
    h = re.search(r'\sheight="([\d.]+)', head)
    if w and h:
        return float(w.group(1)), float(h.group(1))
    box = re.search(r'viewBox="[\d.\s-]*?([\d.]+)\s+([\d.]+)"', head)
    if not box:
        raise ValueError("an SVG without a size")
    return float(box.group(1)), float(box.group(2))


def frame_svg(chart: str, cap: Caption) -> str:
    """The chart's SVG with its header and footer, as one SVG document (the chart nested, untouched)."""
    chart = chart[chart.index("<svg") :]
    w, h = _svg_size(chart)
    head, head_h = _band(cap.header(), round(w), 1)
    foot, foot_h = _band(cap.footer(), round(w), 1)
    total = head_h + h + foot_h

    def texts(lines: list[_Line], top: float) -> str:
        bold = ' font-weight="bold"'
        return "".join(
            f'<text x="{PAD}" y="{top + ln.y:.1f}" font-size="{ln.size}" fill="{ln.colour}"'
            f"{bold if ln.bold else ''}>{html.escape(ln.text, quote=False)}</text>"
            for ln in lines
        )

    inner = re.sub(r"^<svg\b", f'<svg x="0" y="{head_h}"', chart, count=1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{w:g}" height="{total:g}" viewBox="0 0 {w:g} {total:g}">'
        f"<title>{html.escape(cap.title, quote=False)}</title>"
        f'<rect width="100%" height="100%" fill="{K.PAPER}"/>'
        f'<g font-family="{html.escape(FONT_FAMILY)}">{texts(head, 0)}{texts(foot, head_h + h)}</g>'
        f"{inner}</svg>"
    )


DRAW_TRIES = 4  # a loaded machine failed the first two tries once in a full run of the suite


def _drawn(draw: Callable[[], bytes]) -> bytes:
    """Kaleido's drawing, tried again (at most DRAW_TRIES times) when its page was not ready.

    Kaleido 1.5 can call its drawing function in a page whose script has not run yet (its tab takes the
    first JavaScript context it is told of, on a loaded machine the blank page's): the call fails with a
    JavaScript ``ReferenceError``. Each new attempt opens a new page; any other failure is raised, and
    so is the last attempt's."""
    for _ in range(DRAW_TRIES - 1):
        try:
            return draw()
        except RuntimeError as e:
            if "ReferenceError" not in str(e):
                raise
    return draw()


def pictures(
    bundle: Bundle, view: View, locale: str, width: int, day: dt.date | None = None, scale: float = 2
) -> tuple[bytes, bytes]:
    """The view's PNG (at ``scale``) and SVG with their credits, drawn by kaleido: the share panel's images."""
    import plotly.io as pio

    cap = caption(bundle, view, locale, day)
    height = int(view.figure.layout.height or 500)
    png = _drawn(lambda: pio.to_image(view.figure, format="png", width=width, height=height, scale=scale))
    svg = _drawn(lambda: pio.to_image(view.figure, format="svg", width=width, height=height))
    return frame_png(png, cap, scale), frame_svg(svg.decode("utf-8"), cap).encode("utf-8")
