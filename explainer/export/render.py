"""One page's files: its HTML (the template filled in, with its date controls) and its metadata JSON."""

from __future__ import annotations

import html
import json
from string import Template
from typing import Any

import plotly.io as pio

from .. import figures as F
from .. import i18n
from ..i18n import t
from ..load import Bundle
from .assets import ASSETS
from .downloads import table_schema
from .pages import EXPLAINER_VIEWS, Page, chart_height, page_title
from .pinning import newer_templates, shown_figures
from .text import LANGS, TEXT

PLOTLY_CONFIG = {"displaylogo": False, "displayModeBar": False, "scrollZoom": False, "responsive": True}


def script_json(text: str) -> str:
    """JSON safe inside <script type="application/json">: no '<', so no '</script>' or '<!--'."""
    return text.replace("<", "\\u003c")


def figure_json(p: Page) -> str:
    spec = p.built.spec if p.built.spec is not None else p.built.figure.to_plotly_json()
    doc: dict[str, Any] = {"data": spec["data"], "layout": spec["layout"], "config": {**PLOTLY_CONFIG, "topojsonURL": "TOPOJSON"}}
    if p.fits:  # the chart for several widths: embed.js draws the one its box calls for
        doc["fits"] = [
            {"most": most, "height": int(v.figure.layout.height or 500), **_fit(v, spec["data"])} for most, v in p.fits
        ]
    text: str = pio.json.to_json_plotly(doc)
    return text


LABEL_KEYS = ("mode", "text", "textposition")  # what a chart drawn for another width changes in its traces


def _fit(v: F.View, base: list[dict[str, Any]]) -> dict[str, Any]:
    """A chart drawn for another width, as its layout and what changes in each of ``base``'s traces
    (the value labels), or whole when its traces differ otherwise: the page carries each point once."""
    spec = v.spec if v.spec is not None else v.figure.to_plotly_json()
    data = spec["data"]
    rest = [{k: x for k, x in tr.items() if k not in LABEL_KEYS} for tr in data]
    if len(data) != len(base) or rest != [{k: x for k, x in tr.items() if k not in LABEL_KEYS} for tr in base]:
        return {"data": data, "layout": spec["layout"]}
    labels = [{k: tr.get(k) for k in LABEL_KEYS if tr.get(k) != b.get(k)} for tr, b in zip(data, base)]
    return {"labels": labels, "layout": spec["layout"]}


PAGE_PAD_PX = 8  # the page's own padding around the chart's box (embed.css: main)
PHONE_SVG_MAX_PX = 480  # the pre-drawn picture for a phone, up to this window width


def fits_css(p: Page) -> str:
    """The box's height for each width of a chart drawn for several (the one embed.js will draw, so the
    box never moves), and which pre-drawn picture shows (the phone's on a narrow window)."""
    if not p.fits:
        return ""
    rules = [".chart-static svg.fit-narrow { display: none; }"]
    rules.append(
        f"@media (max-width: {PHONE_SVG_MAX_PX}px) {{ .chart-static svg.fit-wide {{ display: none; }} "
        ".chart-static svg.fit-narrow { display: block; } }"
    )
    low = 0
    for most, v in p.fits:
        width = f"(min-width: {low + PAGE_PAD_PX + 1}px)" + (
            f" and (max-width: {most + PAGE_PAD_PX}px)" if most < 100_000 else ""
        )
        rules.append(
            f'@media {width} {{ .chart-box[data-view="{p.view}"] {{ height: {int(v.figure.layout.height or 500)}px !important; }} }}'
        )
        low = most
    return "\n".join(rules) + "\n"


def attr(value: str) -> str:
    """Escaped for a double-quoted attribute; apostrophes stay readable (l'Ukraine)."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def controls_html(p: Page) -> str:
    if not p.dated:
        return ""
    loc, d = LANGS[p.lang], p.dated
    i, n = d["index"], len(d["dates"])
    label = d["labels"][i]
    return (
        f'<div class="controls" id="controls" role="group" aria-label="{attr(TEXT[p.lang]["controls"])}">'
        f'<button type="button" id="date-back" disabled>{html.escape(t(loc, "step_back"))}</button>'
        f'<button type="button" id="date-play" aria-pressed="false" disabled data-play="{attr(t(loc, "play"))}" '
        f'data-pause="{attr(t(loc, "pause"))}">{html.escape(t(loc, "play"))}</button>'
        f'<button type="button" id="date-fwd" disabled>{html.escape(t(loc, "step_forward"))}</button>'
        f'<label class="slider"><span>{html.escape(t(loc, "date"))}</span>'
        f'<input type="range" id="date-slider" min="0" max="{n - 1}" step="1" value="{i}" '
        f'aria-valuetext="{attr(label)}" disabled></label>'
        f'<output id="date-label" for="date-slider" aria-live="polite">{html.escape(label)}</output></div>'
    )


def render_page(p: Page, bundle: Bundle, generated: str, ctx: dict[str, Any]) -> str:
    """One page. ``ctx``: ``up`` (relative path from the page to ``out/``), ``assets`` (file names),
    ``latest`` (relative URL of the latest version.json, or "" on the latest copy itself). The
    explainer's own pages (story, sources) are drawn by :mod:`.article`."""
    if p.view in EXPLAINER_VIEWS:
        from .article import render_explainer_page

        return render_explainer_page(p, bundle, generated, ctx)
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
        link = f' · <a href="{attr(link)}" target="_top">{html.escape(TEXT[p.lang]["explainer"], quote=False)}</a>'
    return Template((ASSETS / "page.html").read_text("utf-8")).substitute(
        lang=p.lang,
        title=esc(page_title(p)),
        css=(ASSETS / "embed.css").read_text("utf-8") + fits_css(p),
        embed_id=esc(p.path),
        data_version=esc(bundle.version),
        latest=attr(ctx["latest"]),
        latest_page=attr(latest_page),
        newer=esc(TEXT[p.lang]["newer"]),
        newer_one=attr(newer_templates(p.lang)["one"]),
        newer_other=attr(newer_templates(p.lang)["other"]),
        shown=script_json(json.dumps(shown_figures(bundle, p.built.table), ensure_ascii=False)),
        controls=controls_html(p),
        height=height,
        view=p.view,
        intro=esc(TEXT[p.lang][f"intro_{p.view}"]),
        explainer=link,
        state=state,
        svg=p.svg,
        chart_label=attr(TEXT[p.lang]["chart"] + page_title(p)),
        summary=esc(p.built.summary),
        credits=esc(sources),
        csv=f"{p.name}.csv",
        json=f"{p.name}.json",
        csv_label=esc(t(loc, "download_csv")),
        pictures=(
            f' · <a href="{p.name}.png" download>{esc(t(loc, "download_png"))}</a>'
            f' · <a href="{p.name}.svg" download>{esc(t(loc, "download_svg"))}</a>'
            + (
                f' · <a href="{p.name}-phone.png" download>{esc(t(loc, "download_png_phone"))}</a>'
                f' · <a href="{p.name}-phone.svg" download>{esc(t(loc, "download_svg_phone"))}</a>'
                if p.phone_png
                else ""
            )
            if p.png_size
            else ""
        ),
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
        "files": {k: f"{p.name}.{k}" for k in ("html", "csv", "png", "svg") if images or k not in ("png", "svg")}
        | ({"png_phone": f"{p.name}-phone.png", "svg_phone": f"{p.name}-phone.svg"} if images and p.phone_png else {}),
        # the CSV described as a Frictionless Data Resource: numbers are numbers, dates ISO dates
        "resource": {
            "name": f"{p.lang}-{p.name}",
            "path": f"{p.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": table_schema(p.built.table),
        },
    }
