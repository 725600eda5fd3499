"""Static export: the embeds as plain files any static host or CDN can serve.

``export_site`` writes, per language, one page per view built by the same builders as the app
(:mod:`explainer.figures`). Each data version gets its own immutable folder, and ``latest/`` is a
copy of the newest one (a copy, not a symlink or a redirect: every host serves it, at no extra
request)::

    out/.kursk-explainer-export.json  marker: this tool wrote the folder, and a hash of every file
    out/index.html                    every embed (thumbnail, pinned and latest snippet), every version
    out/manifest.json                 this export: pages, files, versions, timings
    out/versions.json                 every data version published here, newest first
    out/assets/plotly-geo-<v>.min.js  plotly.js's geo partial bundle (scatter, scattergeo, choropleth)
    out/assets/embed-<hash>.js        draws the chart, date controls, height to the host page
    out/assets/host.js                host-page snippet: resizes <iframe data-explainer-embed>
    out/assets/topojson/              local copy, so plotly's geo map never calls its CDN
    out/v/<data-version>/             pinned: never rewritten once published
        version.json  index.html  manifest.json
        {lang}/{name}.html            map, map-YYYY-MM-DD (story dates), area, casualties, timeline
        {lang}/{name}.csv|json|png    data table, metadata (sources, licences, version), thumbnail
        {lang}/control/<date>.json    the map's date-dependent traces, one small file per snapshot
    out/latest/                       the same for the newest data version

Pages paint an inline SVG of their chart (rendered at export time with kaleido, batched with the
PNGs), then swap in the interactive chart when plotly.js has loaded. They make no third-party
request (no CDN, fonts or map tiles; a CSP forbids them).

The output is built in a temporary folder beside ``out`` and swapped in at the end, so a host never
serves a half-written export. An existing ``out`` is replaced only when its marker proves this tool
wrote it; files a publisher added since (``CNAME``, ``robots.txt``) are carried over, earlier
data versions are kept, and a sibling ``<out>.old`` is never touched.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

import kaleido
import plotly.io as pio
from plotly.offline import get_plotlyjs_version

from . import figures as F
from . import i18n, paths
from .csvsafe import write_csv
from .i18n import t
from .load import Bundle, DataError, load_bundle
from .queries import nearest_date

ASSETS = Path(__file__).parent / "export_assets"
VENDOR = ASSETS / "vendor"
PLOTLY_JS = VENDOR / "plotly-geo.min.js"
PLOTLY_JS_VERSION = "4.1.1"  # npm plotly.js-geo-dist-min, see export_assets/vendor/README.md
LANGS = {"fr": "fr-CH", "en": "en"}  # language code in URLs -> locale (house style: fr-CH, see docs)
MAX_PAGE_BYTES = 300_000  # html + embed.js, plotly.js excluded
PNG_WIDTH = 800
IFRAME_HEIGHT = 640
MARKER = ".kursk-explainer-export.json"
TOOL = "kursk-explainer export"
# plotly's geo subplot may load a topojson for its scope even with every base layer hidden; it
# comes from our own assets, never from plotly's CDN.
TOPOJSON = paths.TOPOJSON
PLOTLY_CONFIG = {"displaylogo": False, "displayModeBar": False, "scrollZoom": False, "responsive": True}

# Wording that only the static pages use (UI text, no data).
TEXT = {
    "fr": {
        "newer": "Les données ont été mises à jour depuis cette version : voir la dernière version",
        "version": "Version",
        "pinned": "Version figée (pour les articles)",
        "latest": "Dernière version (pour l'explicatif en ligne)",
        "versions": "Versions des données",
        "chart": "Graphique\u00a0: ",
        "controls": "Choisir la date",
        "index_title": "Explicatif Koursk : modules statiques",
        "explainer": "Explorer l'explicatif",
        "intro_map": "Zone tenue par l'Ukraine et zone grise, jour après jour (source sous la carte) ; "
        "losanges : événements proches de la date.",
        "intro_area": "Superficie tenue par l'Ukraine selon les cartes, et les chiffres annoncés par chaque source.",
        "intro_casualties": "Chaque point est une déclaration d'une source ; chaque mesure a son panneau.",
        "intro_timeline": "Les événements datés, par catégorie ; en losange, ceux que cite l'article.",
    },
    "en": {
        "newer": "The data has been updated since this version: see the latest version",
        "version": "Version",
        "pinned": "Pinned version (for articles)",
        "latest": "Latest version (for the live explainer)",
        "versions": "Data versions",
        "chart": "Chart: ",
        "controls": "Choose the date",
        "index_title": "Kursk explainer: static embeds",
        "explainer": "Explore the explainer",
        "intro_map": "Ukrainian-held area and grey zone, day by day (source below the map); diamonds: events close to the date.",
        "intro_area": "Area held by Ukraine according to the maps, and the figures each source announced.",
        "intro_casualties": "Each dot is one statement by one source; each measure has its own panel.",
        "intro_timeline": "Dated events by category; diamonds: those the article cites.",
    },
}


class ExportRefused(Exception):
    """``out`` holds something this export must not replace; the message says what."""


@dataclass
class Page:
    lang: str
    name: str  # file stem: map, map-2024-11-05, area, casualties, timeline
    view: str  # map, area, casualties, timeline
    date: dt.date | None  # the map's date
    built: F.View
    layers: list[str]  # manifest layers whose data the view shows
    dated: dict[str, Any] | None = None  # date controls: see date_controls()
    svg: str = ""  # the chart, pre-rendered

    @property
    def path(self) -> str:
        return f"{self.lang}/{self.name}"


@dataclass
class Existing:
    """What an earlier export left in ``out``."""

    ours: dict[str, str] = field(default_factory=dict)  # relative path -> sha256, unchanged since written
    foreign: list[str] = field(default_factory=list)  # files the export did not write (kept)
    versions: list[dict[str, Any]] = field(default_factory=list)  # versions.json of that export


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def short_hash(data: bytes) -> str:
    return sha256(data)[:10]


# --------------------------------------------------------------------------- ownership of out/


def _files(root: Path) -> list[str]:
    """Every file (or symlink) below ``root``, as sorted relative POSIX paths; the marker excluded."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):  # os.walk does not follow symlinked folders
        for name in filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            if rel != MARKER:
                out.append(rel)
    return sorted(out)


def _digest(files: dict[str, str]) -> str:
    return sha256(json.dumps(files, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def marker_doc(root: Path, paths: list[str]) -> dict[str, Any]:
    files = {rel: sha256((root / rel).read_bytes()) for rel in paths}
    return {
        "tool": TOOL,
        "format": 1,
        "note": "written by `python -m explainer export`; the export replaces "
        "this folder only while this file proves it wrote it",
        "files": files,
        "digest": _digest(files),
    }


def read_existing(out: Path) -> Existing:
    """Check that ``out`` is absent, empty, or an earlier export of this tool; else raise ExportRefused."""
    if not out.exists() and not out.is_symlink():
        return Existing()
    if out.is_symlink() or not out.is_dir():
        raise ExportRefused(f"{out} exists and is not a folder: not replacing it")
    present = _files(out)
    marker = out / MARKER
    if not marker.exists():
        if not present:
            return Existing()
        raise ExportRefused(
            f"{out} was not written by this export (no {MARKER} in it): not replacing it. "
            f"Choose another --out, or move its {len(present)} file(s) away yourself."
        )
    try:
        doc = json.loads(marker.read_text("utf-8"))
        files = doc["files"]
        ok = doc.get("tool") == TOOL and isinstance(files, dict) and doc.get("digest") == _digest(files)
    except (OSError, ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise ExportRefused(f"{out}/{MARKER} is not a valid marker of this export (wrong tool or hash): not replacing the folder")
    ex = Existing()
    changed = []
    for rel in present:
        path = out / rel
        if rel not in files or path.is_symlink():
            ex.foreign.append(rel)
        elif sha256(path.read_bytes()) == files[rel]:
            ex.ours[rel] = files[rel]
        else:
            changed.append(rel)
    if changed:
        raise ExportRefused(
            f"{out}: {len(changed)} file(s) written by the export were changed since: "
            f"{', '.join(changed[:10])}{' …' if len(changed) > 10 else ''}. "
            "Restore or move them, then export again; nothing was replaced."
        )
    try:
        versions = json.loads((out / "versions.json").read_text("utf-8")) if "versions.json" in ex.ours else []
        ex.versions = [v for v in versions if isinstance(v, dict) and isinstance(v.get("data_version"), str)]
    except ValueError:
        ex.versions = []
    return ex


def carry_over(out: Path, tmp: Path, ex: Existing, current: str) -> list[str]:
    """Copy into ``tmp`` the publisher's files and the earlier pinned versions; returns the foreign ones."""
    clash = [rel for rel in ex.foreign if (tmp / rel).exists() or (tmp / rel).is_symlink()]
    if clash:
        raise ExportRefused(
            f"{out}: file(s) not written by the export sit where this export writes: "
            f"{', '.join(clash[:10])}. Move them, then export again; nothing was replaced."
        )
    keep = [
        rel
        for rel in ex.ours
        if (rel.startswith("v/") and not rel.startswith(f"v/{current}/"))
        or (rel.startswith("assets/") and not (tmp / rel).exists())
    ]
    for rel in [*ex.foreign, *keep]:
        dst = tmp / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(out / rel, dst, follow_symlinks=False)
    return ex.foreign


def _swap_in(tmp: Path, out: Path) -> None:
    """``tmp`` becomes ``out``; the previous ``out`` (checked to be ours) goes. ``<out>.old`` is never touched."""
    prev = None
    if out.exists():
        prev = Path(tempfile.mkdtemp(prefix=f".{out.name}.prev.", dir=out.parent))
        prev.rmdir()
        out.rename(prev)
    tmp.rename(out)
    if prev is not None:
        shutil.rmtree(prev, ignore_errors=True)


# --------------------------------------------------------------------------- pages


def date_controls(bundle: Bundle, p: Page) -> dict[str, Any] | None:
    """What a page's date controls need: the snapshot dates, their labels, the drawn date."""
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    days = bundle.dates(control[0]) if control else []
    if p.view not in ("map", "area") or len(days) < 2:
        return None
    loc = LANGS[p.lang]
    day = nearest_date(days, p.date or bundle.article.published)
    return {
        "view": p.view,
        "dates": [d.isoformat() for d in days],
        "labels": [i18n.date(d, loc) for d in days],
        "index": days.index(day),
    }


def build_pages(bundle: Bundle, lang: str) -> list[Page]:
    loc = LANGS[lang]
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    days = bundle.dates(control[0]) if control else []
    maps = [("map", bundle.article.published)]
    maps += [(f"map-{d.isoformat()}", d) for d in sorted({s.date for s in bundle.story})]
    pages = []
    for name, d in maps:
        view, start, traces = F.map_dated_traces(bundle, d, loc)
        p = Page(lang, name, "map", d, view, F.default_layers(bundle))
        p.dated = date_controls(bundle, p)
        if p.dated:
            p.dated.update(start=start, count=len(traces))
        pages.append(p)
    selected = nearest_date(days, bundle.article.published) if days else None
    area = F.build_area(bundle, loc, selected=selected)
    p = Page(lang, "area", "area", None, area, control)
    p.dated = date_controls(bundle, p) if selected else None
    if p.dated:
        base = F.build_area(bundle, loc).figure
        label = t(loc, "selected_date_label", date="\0")
        p.dated.update(
            shape=len(base.layout.shapes or ()),
            trace=len(base.data),
            legend=label.split("\0"),
            short=[i18n.date(dt.date.fromisoformat(d), loc, short=True) for d in p.dated["dates"]],
        )
    pages.append(p)
    pages.append(Page(lang, "casualties", "casualties", None, F.build_casualties(bundle, loc), []))
    pages.append(Page(lang, "timeline", "timeline", None, F.build_timeline(bundle, loc), []))
    return pages


def title_for(built: F.View, day: dt.date | None, lang: str) -> str:
    return f"{built.title} — {i18n.date(day, LANGS[lang])}" if day else built.title


def page_title(p: Page) -> str:
    return title_for(p.built, p.date, p.lang)


def script_json(text: str) -> str:
    """JSON safe inside <script type="application/json">: no '<', so no '</script>' or '<!--'."""
    return text.replace("<", "\\u003c")


def chart_height(p: Page) -> int:
    return int(p.built.figure.layout.height or 500)


png_height = chart_height


def figure_json(p: Page) -> str:
    spec = p.built.spec if p.built.spec is not None else p.built.figure.to_plotly_json()
    text: str = pio.json.to_json_plotly(
        {"data": spec["data"], "layout": spec["layout"], "config": {**PLOTLY_CONFIG, "topojsonURL": "TOPOJSON"}}
    )
    return text


def _attr(value: str) -> str:
    """Escaped for a double-quoted attribute; apostrophes stay readable (l'Ukraine)."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def controls_html(p: Page) -> str:
    if not p.dated:
        return ""
    loc, d = LANGS[p.lang], p.dated
    i, n = d["index"], len(d["dates"])
    label = d["labels"][i]
    return (
        f'<div class="controls" id="controls" role="group" aria-label="{_attr(TEXT[p.lang]["controls"])}">'
        f'<button type="button" id="date-back" disabled>{html.escape(t(loc, "step_back"))}</button>'
        f'<button type="button" id="date-play" aria-pressed="false" disabled data-play="{_attr(t(loc, "play"))}" '
        f'data-pause="{_attr(t(loc, "pause"))}">{html.escape(t(loc, "play"))}</button>'
        f'<button type="button" id="date-fwd" disabled>{html.escape(t(loc, "step_forward"))}</button>'
        f'<label class="slider"><span>{html.escape(t(loc, "date"))}</span>'
        f'<input type="range" id="date-slider" min="0" max="{n - 1}" step="1" value="{i}" '
        f'aria-valuetext="{_attr(label)}" disabled></label>'
        f'<output id="date-label" for="date-slider" aria-live="polite">{html.escape(label)}</output></div>'
    )


def render_page(p: Page, bundle: Bundle, generated: str, ctx: dict[str, Any]) -> str:
    """One page. ``ctx``: ``up`` (relative path from the page to ``out/``), ``assets`` (file names),
    ``latest`` (relative URL of the latest version.json, or "" on the latest copy itself)."""
    loc, esc = LANGS[p.lang], html.escape
    up = ctx["up"]
    figure = figure_json(p).replace('"TOPOJSON"', json.dumps(f"{up}assets/topojson/"))
    credits = " · ".join(dict.fromkeys(p.built.credits))  # several layers share one credit
    sources = t(loc, "sources_line") + ("\u00a0: " if p.lang == "fr" else ": ") + credits
    version = t(loc, "export_version", v=bundle.version, d=generated[:10])
    height = chart_height(p)
    state = "svg" if p.svg else "loading"
    dates = script_json(json.dumps(p.dated, ensure_ascii=False)) if p.dated else "null"
    latest_page = f"{up}latest/{p.path}.html"
    link = ctx.get("explainer_url") or ""
    if link:
        link = f' · <a href="{_attr(link)}" target="_top">{html.escape(TEXT[p.lang]["explainer"], quote=False)}</a>'
    return Template((ASSETS / "page.html").read_text("utf-8")).substitute(
        lang=p.lang,
        title=esc(page_title(p)),
        css=(ASSETS / "embed.css").read_text("utf-8"),
        embed_id=esc(p.path),
        data_version=esc(bundle.version),
        latest=_attr(ctx["latest"]),
        latest_page=_attr(latest_page),
        newer=esc(TEXT[p.lang]["newer"]),
        controls=controls_html(p),
        height=height,
        view=p.view,
        intro=esc(TEXT[p.lang][f"intro_{p.view}"]),
        explainer=link,
        state=state,
        svg=p.svg,
        chart_label=_attr(TEXT[p.lang]["chart"] + page_title(p)),
        summary=esc(p.built.summary),
        credits=esc(sources),
        csv=f"{p.name}.csv",
        json=f"{p.name}.json",
        csv_label=esc(t(loc, "download_csv")),
        json_label=esc(t(loc, "export_json")),
        version=esc(version),
        figure=script_json(figure),
        dates=dates,
        plotly=f"{up}assets/{ctx['assets']['plotly']}",
        embed=f"{up}assets/{ctx['assets']['embed']}",
    )


def metadata(p: Page, bundle: Bundle, generated: str, images: bool = True) -> dict[str, Any]:
    lang = p.lang
    layers = [
        {
            "id": lyr.id,
            "title": getattr(lyr, f"title_{lang}"),
            "source": i18n.field(lyr, "source", lang),
            "source_url": lyr.source_url,
            "licence": i18n.field(lyr, "licence", lang),
            "licence_risk": lyr.licence_risk,
            "attribution": i18n.field(lyr, "attribution", lang),
        }
        for lyr in bundle.manifest.layers
        if lyr.id in p.layers
    ]
    meta = p.built.figure.layout.meta
    return {
        "title": page_title(p),
        "summary": p.built.summary,
        "sources": list(dict.fromkeys(p.built.credits)),
        "layers": layers,
        "data_version": bundle.version,
        "generated_at": generated,
        "lang": lang,
        "locale": LANGS[lang],
        "view": p.view,
        "date": p.date.isoformat() if p.date else None,
        "snapshot": meta.get("snapshot") if isinstance(meta, dict) else None,
        "files": {k: f"{p.name}.{k}" for k in ("html", "csv", "png") if images or k != "png"},
    }


def write_date_files(bundle: Bundle, lang: str, folder: Path) -> list[int]:
    """``folder/control/<date>.json`` for every snapshot date: that date's map traces, title and text
    alternative, from the same builder as the pages. Returns the file sizes."""
    loc = LANGS[lang]
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    days = bundle.dates(control[0]) if control else []
    if len(days) < 2:
        return []
    (folder / "control").mkdir(parents=True, exist_ok=True)
    sizes = []
    for d in days:
        view, start, traces = F.map_dated_traces(bundle, d, loc)
        doc = {
            "date": d.isoformat(),
            "start": start,
            "title": title_for(view, d, lang),
            "summary": view.summary,
            "traces": traces,
        }
        data = pio.json.to_json_plotly(doc).encode("utf-8")
        (folder / "control" / f"{d.isoformat()}.json").write_bytes(data)
        sizes.append(len(data))
    return sizes


# --------------------------------------------------------------------------- index


def iframe_snippet(src: str, title: str) -> str:
    return (
        f'<iframe src="{_attr(src)}" width="100%" height="{IFRAME_HEIGHT}" style="border:0" '
        f'title="{_attr(title)}" loading="lazy" data-explainer-embed></iframe>'
    )


def render_index(
    pages: list[Page],
    base: str,
    bundle: Bundle,
    generated: str,
    images: bool,
    prefix: str = "",
    versions: list[dict[str, Any]] | None = None,
) -> str:
    """The newsroom's list: per embed a thumbnail, its files, the pinned and the latest snippet.
    ``prefix`` is the path from this index to the version folder ("v/<version>/" at the top level)."""
    esc = html.escape
    pinned = f"v/{bundle.version}"
    host = f'<script src="{esc(base)}/assets/host.js" defer></script>'
    cards = []
    for p in pages:
        title = page_title(p)
        files = " · ".join(
            f'<a href="{esc(prefix + p.path)}.{ext}">{ext}</a>' for ext in ("csv", "json", "png") if images or ext != "png"
        )
        thumb = (
            f'<img src="{esc(prefix + p.path)}.png" alt="" width="{PNG_WIDTH}" height="{chart_height(p)}" loading="lazy">'
            if images
            else ""
        )
        cards.append(
            f'<li class="card" lang="{p.lang}"><a class="thumb" href="{esc(prefix + p.path)}.html">{thumb}'
            f"<span>{esc(title)}</span></a><small>{esc(p.path)}.html · {files}</small>"
            f"<p>{esc(TEXT['en']['pinned'])}</p><pre><code>{esc(iframe_snippet(f'{base}/{pinned}/{p.path}.html', title))}</code></pre>"
            f"<p>{esc(TEXT['en']['latest'])}</p><pre><code>{esc(iframe_snippet(f'{base}/latest/{p.path}.html', title))}</code></pre></li>"
        )
    rows = "".join(
        f'<li><a href="v/{esc(v["data_version"])}/index.html">{esc(v["data_version"])}</a> · '
        f"{esc(str(v.get('generated_at', '')))}{' (latest)' if i == 0 else ''}</li>"
        for i, v in enumerate(versions or [])
    )
    version_list = f'<h2>{TEXT["en"]["versions"]}</h2><ul class="versions">{rows}</ul>' if versions else ""
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{TEXT["en"]["index_title"]}</title>
<style>body{{font:15px/1.4 system-ui,sans-serif;margin:16px;color:#222;max-width:1100px}}
ul.cards{{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,320px),1fr));gap:16px}}
.card{{border:1px solid #ddd;border-radius:6px;padding:8px;min-width:0}}.thumb{{display:block;color:#1F5FA8}}
.thumb img{{width:100%;height:auto;display:block;border:1px solid #eee;margin-bottom:4px}}
pre{{white-space:pre-wrap;word-break:break-all;margin:0;font-size:12px;background:#f6f6f6;padding:4px}}
.card p{{margin:6px 0 2px;font-size:13px}}</style>
</head>
<body>
<h1>{TEXT["en"]["index_title"]}</h1>
<p>Data version {esc(bundle.version)}, exported {esc(generated)}. {len(pages)} embeds.
Articles embed the <b>pinned</b> URL (<code>v/&lt;data-version&gt;/</code>: its numbers never change);
the live explainer embeds <b>latest</b>.</p>
<p>Add once per host page (resizes the iframes to their content):</p>
<pre><code>{esc(host)}</code></pre>
{version_list}
<h2>Embeds</h2>
<ul class="cards">
{chr(10).join(cards)}
</ul>
</body>
</html>
"""


# --------------------------------------------------------------------------- images


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
    """Every PNG (thumbnail) and every page's SVG in one browser session (kaleido 1.x); returns seconds.

    Identical figures (the article-date map is also a story-step map) are drawn once. The SVGs go
    into ``Page.svg``; the PNGs to ``root/<lang>/<name>.png``.
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
            pages[n].svg = _svg_inline(path.read_text("utf-8"))
    shutil.rmtree(scratch, ignore_errors=True)
    return time.perf_counter() - t0


write_pngs = write_images


# --------------------------------------------------------------------------- the site


def export_site(
    data_dir: Path | str,
    geo_dir: Path | str,
    out: Path,
    langs: list[str],
    *,
    base: str | None = None,
    images: bool = True,
    explainer_url: str | None = None,
) -> int:
    """Write the static site to ``out``; returns an exit code (0 ok, 1 bad data or failure, 2 usage).

    ``base`` is the public URL of ``out`` used in the iframe snippets (default
    $EXPLAINER_EMBED_BASE or /embed, as in the app's share panel); ``images=False``
    skips the PNG thumbnails and the pre-rendered SVGs (a quick preview). ``explainer_url`` (default
    $EXPLAINER_PUBLIC_URL) is the live explainer, linked from each embed's footer when set.
    """
    t0 = time.perf_counter()
    out = Path(out)
    unknown = [lang for lang in langs if lang not in LANGS]
    if unknown or not langs:
        print(f"unknown language(s) {', '.join(unknown) or '(none)'}; use {', '.join(LANGS)}", file=sys.stderr)
        return 2
    if get_plotlyjs_version() != PLOTLY_JS_VERSION:
        print(
            f"plotly writes figures for plotly.js {get_plotlyjs_version()} but the vendored bundle is "
            f"{PLOTLY_JS_VERSION}: update explainer/export_assets/vendor (see its README)",
            file=sys.stderr,
        )
        return 1
    try:
        existing = read_existing(out)
    except ExportRefused as e:
        print(e, file=sys.stderr)
        return 2
    try:
        bundle = load_bundle(data_dir, geo_dir)
    except DataError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(f"{len(e.problems)} problem(s); nothing exported", file=sys.stderr)
        return 1
    base = (os.environ.get("EXPLAINER_EMBED_BASE", "/embed") if base is None else base).rstrip("/")
    explainer_url = os.environ.get("EXPLAINER_PUBLIC_URL", "") if explainer_url is None else explainer_url
    if explainer_url and not explainer_url.startswith(("https://", "http://")):
        print(f"the explainer's URL must start with https:// or http://: {explainer_url}", file=sys.stderr)
        return 2
    generated = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    version = bundle.version
    pinned_dir, latest_dir = f"v/{version}", "latest"

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    try:
        (tmp / "assets").mkdir()
        plotly_js = PLOTLY_JS.read_bytes()
        embed_js = (ASSETS / "embed.js").read_bytes()
        assets = {"plotly": f"plotly-geo-{PLOTLY_JS_VERSION}.min.js", "embed": f"embed-{short_hash(embed_js)}.js"}
        (tmp / "assets" / assets["plotly"]).write_bytes(plotly_js)
        (tmp / "assets" / assets["embed"]).write_bytes(embed_js)
        shutil.copyfile(ASSETS / "host.js", tmp / "assets" / "host.js")
        shutil.copyfile(VENDOR / "LICENSE", tmp / "assets" / "plotly-geo.LICENSE.txt")
        shutil.copytree(TOPOJSON, tmp / "assets" / "topojson")

        t_fig = time.perf_counter()
        pages = [p for lang in langs for p in build_pages(bundle, lang)]
        t_fig = time.perf_counter() - t_fig
        pin = tmp / pinned_dir
        for lang in langs:
            (pin / lang).mkdir(parents=True, exist_ok=True)
        t_img = write_images(pages, pin, tmp / ".scratch") if images else 0.0
        missing = [f"{p.path}.png" for p in pages if images and not (pin / f"{p.path}.png").is_file()]
        missing += [f"{p.path} (svg)" for p in pages if images and not p.svg]
        if missing:
            print(f"images not written: {', '.join(missing)}", file=sys.stderr)
            return 1
        t_dates = time.perf_counter()
        date_sizes = [s for lang in langs for s in write_date_files(bundle, lang, pin / lang)]
        t_dates = time.perf_counter() - t_dates

        versions = [{"data_version": version, "generated_at": generated, "path": f"{pinned_dir}/"}]
        versions += [v for v in existing.versions if v["data_version"] != version]
        version_doc = {
            "data_version": version,
            "generated_at": generated,
            "pinned": f"{pinned_dir}/",
            "pages": [f"{p.path}.html" for p in pages],
        }
        entries: list[dict[str, Any]] = []
        for p in pages:
            page = render_page(
                p,
                bundle,
                generated,
                {"up": "../../../", "assets": assets, "explainer_url": explainer_url, "latest": "../../../latest/version.json"},
            ).encode("utf-8")
            (pin / f"{p.path}.html").write_bytes(page)
            write_csv(p.built.table, pin / f"{p.path}.csv")
            (pin / f"{p.path}.json").write_text(
                json.dumps(metadata(p, bundle, generated, images), ensure_ascii=False, indent=1), "utf-8"
            )
            entries.append(
                {
                    "lang": p.lang,
                    "view": p.view,
                    "name": p.name,
                    "title": page_title(p),
                    "date": p.date.isoformat() if p.date else None,
                    "html": f"{pinned_dir}/{p.path}.html",
                    "latest_html": f"{latest_dir}/{p.path}.html",
                    "csv": f"{pinned_dir}/{p.path}.csv",
                    "json": f"{pinned_dir}/{p.path}.json",
                    "png": f"{pinned_dir}/{p.path}.png" if images else None,
                    "embed_url": f"{base}/{pinned_dir}/{p.path}.html",
                    "latest_url": f"{base}/{latest_dir}/{p.path}.html",
                    "bytes": len(page) + len(embed_js),
                }
            )
        (pin / "version.json").write_text(json.dumps(version_doc, indent=1), "utf-8")
        (pin / "index.html").write_text(render_index(pages, base, bundle, generated, images), "utf-8")

        # latest/: the same files, pages rendered for their depth (and without the "newer" check)
        shutil.copytree(pin, tmp / latest_dir)
        for p in pages:
            (tmp / latest_dir / f"{p.path}.html").write_text(
                render_page(
                    p, bundle, generated, {"up": "../../", "assets": assets, "latest": "", "explainer_url": explainer_url}
                ),
                "utf-8",
            )
        (tmp / "versions.json").write_text(json.dumps(versions, indent=1), "utf-8")
        (tmp / "index.html").write_text(render_index(pages, base, bundle, generated, images, f"{pinned_dir}/", versions), "utf-8")
        foreign = carry_over(out, tmp, existing, version)
        total = time.perf_counter() - t0
        manifest = {
            "tool": TOOL,
            "generated_at": generated,
            "data_version": version,
            "langs": langs,
            "embed_base": base,
            "plotly": PLOTLY_JS_VERSION,
            "pinned": f"{pinned_dir}/",
            "latest": f"{latest_dir}/",
            "versions": versions,
            "assets": sorted(
                f"assets/{f.relative_to(tmp / 'assets').as_posix()}" for f in (tmp / "assets").rglob("*") if f.is_file()
            ),
            "pages": entries,
            "date_files": {
                "count": len(date_sizes),
                "bytes_min": min(date_sizes, default=0),
                "bytes_max": max(date_sizes, default=0),
                "bytes_total": sum(date_sizes),
            },
            "kept": foreign,
            "timings_s": {
                "figures": round(t_fig, 2),
                "images": round(t_img, 2),
                "png": round(t_img, 2),
                "date_files": round(t_dates, 2),
                "total": round(total, 2),
            },
        }
        (pin / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        shutil.copyfile(pin / "manifest.json", tmp / latest_dir / "manifest.json")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        ours = [rel for rel in _files(tmp) if rel not in set(foreign)]
        (tmp / MARKER).write_text(json.dumps(marker_doc(tmp, ours), indent=1), "utf-8")
        _swap_in(tmp, out)
    except ExportRefused as e:
        print(e, file=sys.stderr)
        return 2
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    sizes = [e["bytes"] for e in entries]
    print(
        f"ok: {len(pages)} pages ({', '.join(langs)}) in {out}/{pinned_dir} and {out}/{latest_dir}; "
        f"{total:.1f} s (figures {t_fig:.1f} s, images {t_img:.1f} s, date files {t_dates:.1f} s); "
        f"pages {min(sizes) / 1000:.0f}-{max(sizes) / 1000:.0f} kB with embed.js, "
        f"{assets['plotly']} {len(plotly_js) / 1000:.0f} kB; {len(date_sizes)} date files "
        f"{min(date_sizes, default=0) / 1000:.1f}-{max(date_sizes, default=0) / 1000:.1f} kB; data version {version}"
        + (f"; kept {len(foreign)} file(s) not written by the export: {', '.join(foreign[:5])}" if foreign else "")
    )
    for entry in entries:
        if entry["bytes"] > MAX_PAGE_BYTES:
            print(f"warning: {entry['html']} weighs {entry['bytes']} bytes (over {MAX_PAGE_BYTES})", file=sys.stderr)
    return 0
