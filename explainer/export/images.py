"""The pictures, drawn by kaleido in one browser session: each page's PNG and SVG download (its
credits baked in, :mod:`.picture`), the pages' inline SVGs and the story page's step graphics."""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import kaleido
import plotly.io as pio

from .hashing import short_hash
from .pages import Page, chart_height
from .picture import PHONE_PICTURE_WIDTH, frame_png, frame_svg

PNG_WIDTH = 800
PHONE_SCALE = 2  # the phone's PNG: pixels per px (a phone's screen is dense)


class _Kaleido(kaleido.Kaleido):  # type: ignore[misc]  # kaleido ships no type information
    """Kaleido that keeps its page between images.

    Kaleido reloads its page (and the 4.8 MB plotly.js) after every image. Each image
    is a separate Plotly.toImage call, so the reload buys nothing here; skipping it
    saves about 40 % of the CPU time of the export, with pixel-identical images. If a
    later kaleido renames this hook, the override is simply unused.
    """

    async def _return_kaleido_tab(self, tab: Any) -> None:
        await self.tabs_ready.put(tab)


async def _render(specs: list[dict[str, Any]]) -> Any:  # kaleido's result (untyped)
    # Two tabs for two cores; mathjax=False, else kaleido loads MathJax from a CDN.
    async with _Kaleido(n=2, mathjax=False) as k:
        return await k.write_fig_from_object(specs)


def _svg_inline(svg: str) -> str:
    """Kaleido's SVG sized by the page's CSS (its viewBox keeps the proportions)."""
    head, sep, rest = svg.partition(">")
    head = re.sub(r'\s(width|height)="[^"]*"', "", head, count=2)
    return head + ' aria-hidden="true" focusable="false"' + sep + rest


def write_images(pages: list[Page], root: Path, scratch: Path) -> float:
    """Every picture in one browser session (kaleido 1.x); returns seconds.

    Identical figures (the article-date map is also a story-step map) are drawn once. The SVGs go
    into ``Page.svg``; the downloads, with their credits, to ``root/<lang>/<name>.png`` and ``.svg``;
    a page's further graphics to ``root/<lang>/<name>/<key>.svg``.
    """
    t0 = time.perf_counter()
    first: dict[str, Path] = {}
    copies: list[tuple[Path, Path]] = []
    specs = []
    scratch.mkdir(parents=True, exist_ok=True)
    svg_of: dict[int, Path] = {}
    for n, p in enumerate(pages):
        fig = p.built.figure.to_dict()
        for fmt, path in (("png", root / f"{p.path}.png"), ("svg", scratch / f"{n}.svg")):
            opts = {"format": fmt, "width": PNG_WIDTH, "height": chart_height(p), "scale": 1}
            key = short_hash(pio.json.to_json_plotly([fig, opts]).encode("utf-8"))
            if fmt == "svg":
                svg_of[n] = first.get(key, path)
            if key in first:
                if fmt == "png":
                    copies.append((first[key], path))
                continue
            first[key] = path
            specs.append({"fig": fig, "path": path, "opts": opts})
        if p.caption is not None:  # the picture for a phone's screen: its own figure when the page has one
            phone = (p.phone or p.built).figure
            height = int(phone.layout.height or 500)
            for fmt in ("png", "svg"):
                opts = {
                    "format": fmt,
                    "width": PHONE_PICTURE_WIDTH,
                    "height": height,
                    "scale": PHONE_SCALE if fmt == "png" else 1,
                }
                specs.append({"fig": phone.to_dict(), "path": scratch / f"{n}-phone.{fmt}", "opts": opts})
        for g in p.graphics:
            g_path = root / p.path / f"{g.key}.svg"
            g_path.parent.mkdir(parents=True, exist_ok=True)
            specs.append(
                {"fig": g.view.figure.to_dict(), "path": g_path, "opts": {"format": "svg", "width": g.width, "height": g.height}}
            )
    # In a thread of its own: the caller may already run an event loop (Playwright, Jupyter).
    with ThreadPoolExecutor(1) as pool:
        errors = pool.submit(lambda: asyncio.run(_render(specs))).result()
    for err in errors or ():
        print(f"image failed: {err!r}", file=sys.stderr)
    for src, dst in copies:
        if src.is_file():
            shutil.copyfile(src, dst)
    for n, path in svg_of.items():
        if path.is_file():
            p = pages[n]
            chart = path.read_text("utf-8")
            p.svg = _svg_inline(chart)
            png = root / f"{p.path}.png"
            if p.caption is not None and png.is_file():  # the downloads carry their credits
                png.write_bytes(frame_png(png.read_bytes(), p.caption))
                (root / f"{p.path}.svg").write_text(frame_svg(chart, p.caption), "utf-8")
            if png.is_file():
                p.png_size = _png_size(png.read_bytes())
    for n, p in enumerate(pages):  # the phone's pictures, credited like the others
        png, svg = scratch / f"{n}-phone.png", scratch / f"{n}-phone.svg"
        if p.caption is None or not png.is_file() or not svg.is_file():
            continue
        narrow = svg.read_text("utf-8")
        (root / f"{p.path}-phone.png").write_bytes(frame_png(png.read_bytes(), p.caption, PHONE_SCALE))
        (root / f"{p.path}-phone.svg").write_text(frame_svg(narrow, p.caption), "utf-8")
        p.phone_png = True
        if p.fits and p.svg:  # a page drawn for several widths shows the phone's figure on a phone before its script runs
            p.svg = _svg_class(p.svg, "fit-wide") + _svg_class(_svg_inline(narrow), "fit-narrow")
    for p in pages:
        for g in p.graphics:
            g.ready = (root / p.path / f"{g.key}.svg").is_file()
    shutil.rmtree(scratch, ignore_errors=True)
    return time.perf_counter() - t0


def _svg_class(svg: str, name: str) -> str:
    """An inline SVG with a class on its root element (the page's CSS shows one per width)."""
    return re.sub(r"^<svg\b", f'<svg class="{name}"', svg[svg.index("<svg") :], count=1)


def _png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


write_pngs = write_images
