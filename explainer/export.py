"""Static export: the embeds as plain files any static host or CDN can serve.

``export_site`` writes, per language, one page per view built by the same
builders as the app (:mod:`explainer.figures`), each with its sidecars::

    out/index.html                 every embed, its link and its iframe snippet
    out/manifest.json              every page and file
    out/assets/plotly.min.js       one shared copy (plotly.offline.get_plotlyjs())
    out/assets/embed.js            draws the chart, posts the height to the host page
    out/assets/host.js             host-page snippet: resizes <iframe data-explainer-embed>
    out/{lang}/{name}.html         map, map-YYYY-MM-DD (story dates), area, casualties, timeline
    out/{lang}/{name}.csv|json|png data table, metadata (sources, licences, version), fallback image

Pages make no third-party request (no CDN, fonts or map tiles; a CSP forbids
them). The output is built in a temporary folder beside ``out`` and swapped in
at the end, so a host never serves a half-written export.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import html
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from string import Template

import kaleido
import plotly
import plotly.io as pio
from plotly.offline import get_plotlyjs

from . import figures as F
from . import i18n
from .i18n import t
from .load import Bundle, DataError, load_bundle

ASSETS = Path(__file__).parent / "export_assets"
LANGS = {"fr": "fr-CH", "en": "en"}  # language code in URLs -> locale
MAX_PAGE_BYTES = 300_000  # html + embed.js, plotly.min.js excluded
PNG_WIDTH = 800
IFRAME_HEIGHT = 640
# plotly's geo subplot may load a topojson for its scope even with every base layer hidden; it
# comes from our own assets (pages are one folder below them), never from plotly's CDN.
TOPOJSON = Path(__file__).resolve().parent.parent / "static" / "topojson"
PLOTLY_CONFIG = {"displaylogo": False, "scrollZoom": False, "responsive": True,
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"], "topojsonURL": "../assets/topojson/"}


@dataclass
class Page:
    lang: str
    name: str                 # file stem: map, map-2024-11-05, area, casualties, timeline
    view: str                 # map, area, casualties, timeline
    date: dt.date | None      # the map's date
    built: F.View
    layers: list[str]         # manifest layers whose data the view shows

    @property
    def path(self) -> str:
        return f"{self.lang}/{self.name}"


def build_pages(bundle: Bundle, lang: str) -> list[Page]:
    loc = LANGS[lang]
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    maps = [("map", bundle.article.published)]
    maps += [(f"map-{d.isoformat()}", d) for d in sorted({s.date for s in bundle.story})]
    pages = [Page(lang, name, "map", d, F.build_map(bundle, d, loc), F.default_layers(bundle)) for name, d in maps]
    pages.append(Page(lang, "area", "area", None, F.build_area(bundle, loc), control))
    pages.append(Page(lang, "casualties", "casualties", None, F.build_casualties(bundle, loc), []))
    pages.append(Page(lang, "timeline", "timeline", None, F.build_timeline(bundle, loc), []))
    return pages


def page_title(p: Page) -> str:
    return f"{p.built.title} — {i18n.date(p.date, LANGS[p.lang])}" if p.date else p.built.title


def script_json(text: str) -> str:
    """JSON safe inside <script type="application/json">: no '<', so no '</script>' or '<!--'."""
    return text.replace("<", "\\u003c")


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def render_page(p: Page, bundle: Bundle, generated: str, versions: dict[str, str], images: bool = True) -> str:
    loc, esc = LANGS[p.lang], html.escape
    figure = pio.json.to_json_plotly({**p.built.figure.to_plotly_json(), "config": PLOTLY_CONFIG})
    credits = " · ".join(dict.fromkeys(p.built.credits))  # several layers share one credit
    sources = t(loc, "sources_line") + (" : " if p.lang == "fr" else ": ") + credits
    version = t(loc, "export_version", v=bundle.version, d=generated[:10])
    noscript = (f'<img src="{p.name}.png" alt="{esc(page_title(p))}" width="{PNG_WIDTH}" height="{png_height(p)}">'
                if images else f'<p>{esc(t(loc, "export_noscript"))}</p>')
    return Template((ASSETS / "page.html").read_text("utf-8")).substitute(
        lang=p.lang, title=esc(page_title(p)), css=(ASSETS / "embed.css").read_text("utf-8"),
        embed_id=esc(p.path), noscript=noscript,
        summary=esc(p.built.summary), credits=esc(sources), csv=f"{p.name}.csv", json=f"{p.name}.json",
        csv_label=esc(t(loc, "download_csv")), json_label=esc(t(loc, "export_json")), version=esc(version),
        figure=script_json(figure),
        plotly_version=versions["plotly"], embed_version=versions["embed"])


def png_height(p: Page) -> int:
    return int(p.built.figure.layout.height or 500)


def metadata(p: Page, bundle: Bundle, generated: str, images: bool = True) -> dict:
    lang = p.lang
    layers = [{"id": lyr.id, "title": getattr(lyr, f"title_{lang}"), "source": lyr.source,
               "source_url": lyr.source_url, "licence": lyr.licence, "licence_risk": lyr.licence_risk,
               "attribution": lyr.attribution_fr if lang == "fr" else lyr.attribution}
              for lyr in bundle.manifest.layers if lyr.id in p.layers]
    meta = p.built.figure.layout.meta
    return {"title": page_title(p), "summary": p.built.summary, "sources": list(dict.fromkeys(p.built.credits)),
            "layers": layers, "data_version": bundle.version, "generated_at": generated, "lang": lang,
            "locale": LANGS[lang], "view": p.view, "date": p.date.isoformat() if p.date else None,
            "snapshot": meta.get("snapshot") if isinstance(meta, dict) else None,
            "files": {k: f"{p.name}.{k}" for k in ("html", "csv", "png") if images or k != "png"}}


def _attr(value: str) -> str:
    """Escaped for a double-quoted attribute; apostrophes stay readable (l'Ukraine)."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def iframe_snippet(src: str, title: str) -> str:
    return (f'<iframe src="{_attr(src)}" width="100%" height="{IFRAME_HEIGHT}" style="border:0" '
            f'title="{_attr(title)}" loading="lazy" data-explainer-embed></iframe>')


def render_index(pages: list[Page], base: str, bundle: Bundle, generated: str, images: bool) -> str:
    esc = html.escape
    host = f'<script src="{esc(base)}/assets/host.js" defer></script>'
    rows = []
    for p in pages:
        snippet = iframe_snippet(f"{base}/{p.path}.html", page_title(p))
        files = " · ".join(f'<a href="{esc(p.path)}.{ext}">{ext}</a>' for ext in ("csv", "json", "png")
                           if images or ext != "png")
        rows.append(f'<tr><td>{p.lang}</td><td><a href="{esc(p.path)}.html">{esc(page_title(p))}</a>'
                    f"<br><small>{esc(p.path)}.html · {files}</small></td>"
                    f"<td><pre><code>{esc(snippet)}</code></pre></td></tr>")
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kursk explainer: static embeds</title>
<style>body{{font:15px/1.4 system-ui,sans-serif;margin:16px;color:#222}}table{{border-collapse:collapse}}
td{{border-top:1px solid #ddd;padding:6px;vertical-align:top}}pre{{white-space:pre-wrap;margin:0;font-size:12px}}</style>
</head>
<body>
<h1>Kursk explainer: static embeds</h1>
<p>Data version {esc(bundle.version)}, exported {esc(generated)}. {len(pages)} embeds.</p>
<p>Add once per host page (resizes the iframes to their content):</p>
<pre><code>{esc(host)}</code></pre>
<table>
<tr><th>lang</th><th>embed</th><th>iframe snippet</th></tr>
{chr(10).join(rows)}
</table>
</body>
</html>
"""


class _Kaleido(kaleido.Kaleido):
    """Kaleido that keeps its page between images.

    Kaleido reloads its page (and the 4.8 MB plotly.js) after every image. Each image
    is a separate Plotly.toImage call, so the reload buys nothing here; skipping it
    saves about 40 % of the CPU time of the export, with pixel-identical images. If a
    later kaleido renames this hook, the override is simply unused.
    """

    async def _return_kaleido_tab(self, tab) -> None:
        await self.tabs_ready.put(tab)


async def _render(specs: list[dict]):
    # Two tabs for two cores; mathjax=False, else kaleido loads MathJax from a CDN.
    async with _Kaleido(n=2, mathjax=False) as k:
        return await k.write_fig_from_object(specs)


def write_pngs(pages: list[Page], root: Path) -> float:
    """Every fallback image in one browser session (kaleido 1.x); returns seconds.

    Identical figures (the article-date map is also a story-step map) are drawn once.
    """
    t0 = time.perf_counter()
    first: dict[str, Path] = {}
    copies: list[tuple[Path, Path]] = []
    specs = []
    for p in pages:
        fig, path = p.built.figure.to_dict(), root / f"{p.path}.png"
        opts = {"format": "png", "width": PNG_WIDTH, "height": png_height(p), "scale": 1}
        key = short_hash(pio.json.to_json_plotly([fig, opts]).encode("utf-8"))
        if key in first:
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
    return time.perf_counter() - t0


def _swap_in(tmp: Path, out: Path) -> None:
    old = out.with_name(out.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    if old.exists():
        shutil.rmtree(old)


def export_site(data_dir, geo_dir, out: Path, langs: list[str], *, base: str | None = None,
                images: bool = True) -> int:
    """Write the static site to ``out``; returns an exit code (0 ok, 1 bad data or failure, 2 usage).

    ``base`` is the public URL of ``out`` used in the iframe snippets (default
    $EXPLAINER_EMBED_BASE or /embed, as in the app's share panel); ``images=False``
    skips the PNG fallbacks (a quick preview).
    """
    t0 = time.perf_counter()
    out = Path(out)
    unknown = [lang for lang in langs if lang not in LANGS]
    if unknown or not langs:
        print(f"unknown language(s) {', '.join(unknown) or '(none)'}; use {', '.join(LANGS)}", file=sys.stderr)
        return 2
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "manifest.json").exists())):
        print(f"{out} exists and is not an earlier export (no manifest.json): not overwriting", file=sys.stderr)
        return 2
    try:
        bundle = load_bundle(data_dir, geo_dir)
    except DataError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(f"{len(e.problems)} problem(s); nothing exported", file=sys.stderr)
        return 1
    base = (os.environ.get("EXPLAINER_EMBED_BASE", "/embed") if base is None else base).rstrip("/")
    generated = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    try:
        (tmp / "assets").mkdir()
        plotly_js = get_plotlyjs().encode("utf-8")
        (tmp / "assets" / "plotly.min.js").write_bytes(plotly_js)
        for name in ("embed.js", "host.js"):
            shutil.copyfile(ASSETS / name, tmp / "assets" / name)
        shutil.copytree(TOPOJSON, tmp / "assets" / "topojson")
        embed_js = (ASSETS / "embed.js").read_bytes()
        versions = {"plotly": plotly.__version__, "embed": short_hash(embed_js)}

        t_fig = time.perf_counter()
        pages = [p for lang in langs for p in build_pages(bundle, lang)]
        t_fig = time.perf_counter() - t_fig
        entries = []
        for p in pages:
            (tmp / p.lang).mkdir(exist_ok=True)
            page = render_page(p, bundle, generated, versions, images).encode("utf-8")
            (tmp / f"{p.path}.html").write_bytes(page)
            p.built.table.to_csv(tmp / f"{p.path}.csv", index=False)
            (tmp / f"{p.path}.json").write_text(
                json.dumps(metadata(p, bundle, generated, images), ensure_ascii=False, indent=1), "utf-8")
            entries.append({"lang": p.lang, "view": p.view, "name": p.name, "title": page_title(p),
                            "date": p.date.isoformat() if p.date else None, "html": f"{p.path}.html",
                            "csv": f"{p.path}.csv", "json": f"{p.path}.json",
                            "png": f"{p.path}.png" if images else None,
                            "embed_url": f"{base}/{p.path}.html", "bytes": len(page) + len(embed_js)})
        t_png = write_pngs(pages, tmp) if images else 0.0
        missing = [f"{p.path}.png" for p in pages if images and not (tmp / f"{p.path}.png").is_file()]
        if missing:
            print(f"images not written: {', '.join(missing)}", file=sys.stderr)
            return 1
        (tmp / "index.html").write_text(render_index(pages, base, bundle, generated, images), "utf-8")
        total = time.perf_counter() - t0
        manifest = {"generated_at": generated, "data_version": bundle.version, "langs": langs, "embed_base": base,
                    "plotly": plotly.__version__, "assets": [f"assets/{n}" for n in ("plotly.min.js", "embed.js", "host.js")]
                    + [f"assets/topojson/{f.name}" for f in sorted(TOPOJSON.iterdir())],
                    "pages": entries,
                    "timings_s": {"figures": round(t_fig, 2), "png": round(t_png, 2), "total": round(total, 2)}}
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        _swap_in(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    sizes = [e["bytes"] for e in entries]
    print(f"ok: {len(pages)} pages ({', '.join(langs)}) in {out}; {total:.1f} s (figures {t_fig:.1f} s, "
          f"png {t_png:.1f} s); pages {min(sizes) / 1000:.0f}-{max(sizes) / 1000:.0f} kB with embed.js, "
          f"plotly.min.js {len(plotly_js) / 1000:.0f} kB; data version {bundle.version}")
    for e in entries:
        if e["bytes"] > MAX_PAGE_BYTES:
            print(f"warning: {e['html']} weighs {e['bytes']} bytes (over {MAX_PAGE_BYTES})", file=sys.stderr)
    return 0
