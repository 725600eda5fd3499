"""Data -> plotly Figure, one builder per view.

The same builders serve the live app, the embeds and the static export. Each
returns a :class:`View`: the figure, a text alternative, the data table behind
it and the credit lines, so no caller can show a chart without its sources.
Pure functions: no Streamlit, no I/O.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import i18n
from .i18n import t
from .load import Bundle
from .model import CASUALTY_MEASURES, CATEGORIES

# Paul Tol's "muted" qualitative scheme: distinct for the common colour-vision
# deficiencies and printable in grey; the 10th colour is Tol's pale grey.
PALETTE = ["#332288", "#CC6677", "#117733", "#DDCC77", "#88CCEE",
           "#882255", "#44AA99", "#999933", "#AA4499", "#6F6F6F"]
# Okabe-Ito for the timeline categories (six, colour-blind safe).
CATEGORY_COLOURS = dict(zip(CATEGORIES, ["#0072B2", "#E69F00", "#D55E00", "#009E73", "#CC79A7", "#56B4E9"]))
MEASURE_SYMBOL = {"killed": "x", "wounded": "triangle-up", "killed_or_wounded": "circle",
                  "casualties_incl_missing": "square"}
CONTROL_STYLE = {"ua_controlled": ("#1F5FA8", 0.55), "grey_zone": ("#8C8C8C", 0.45)}
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13, color="#222")
LAND = "#f4f1ea"
AREA_MEASURES = ("area_held_km2", "area_held_peak_km2")


@dataclass
class View:
    figure: go.Figure
    summary: str
    table: pd.DataFrame
    credits: list[str] = field(default_factory=list)
    title: str = ""
    spec: dict | None = field(default=None, repr=False, compare=False)
    """The figure as a plain dict when the builder already has it (dated charts): what the figure's
    ``to_dict()`` would return, without its deep copy. Read-only, like the figure."""


def _base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=None, font=FONT, height=height, margin=dict(l=8, r=8, t=8, b=8),
                      paper_bgcolor="white", plot_bgcolor="white",
                      hoverlabel=dict(font=dict(family=FONT["family"], size=13)),
                      meta={"title": title})
    return fig


def nearest_date(dates: list[dt.date], wanted: dt.date) -> dt.date:
    """The last available date on or before ``wanted`` (or the first one)."""
    i = bisect.bisect_right(dates, wanted)
    return dates[max(i - 1, 0)]


def claimant_colours(bundle: Bundle) -> dict[str, str]:
    """Stable colour per claimant: order of first numeric casualty claim, then the rest."""
    order = [c.claimant for c in bundle.claims if c.measure in CASUALTY_MEASURES and c.has_number]
    order += [c.claimant for c in bundle.claims if c.measure in AREA_MEASURES + ("area_retaken_km2",)]
    seen = list(dict.fromkeys(order))
    return {cid: PALETTE[i % len(PALETTE)] for i, cid in enumerate(seen)}


def value_text(c, locale: str) -> str:
    """'≥3'000', '~1'100', '15'000–18'000', 'no figure' — the claim as said."""
    f = lambda v: i18n.num(v, locale)
    return {"exact": lambda: f(c.value_low), "approx": lambda: "~" + f(c.value_low),
            "at_least": lambda: "≥" + f(c.value_low), "at_most": lambda: "≤" + f(c.value_high),
            "range": lambda: f"{f(c.value_low)}–{f(c.value_high)}",
            "none": lambda: t(locale, "no_figure")}[c.bound]()


def claims_table(bundle: Bundle, claims, locale: str) -> pd.DataFrame:
    lang = i18n.lang_of(locale)
    rows = []
    for c in claims:
        who = bundle.claimants.get(c.claimant)
        rows.append({
            t(locale, "col_date"): c.date.isoformat(),
            t(locale, "col_claimant"): i18n.field(who, "name", locale) if who else c.claimant,
            t(locale, "col_measure"): t(locale, f"measure_{c.measure}"),
            t(locale, "col_value"): value_text(c, locale),
            t(locale, "col_scope"): t(locale, f"scope_{c.scope}"),
            t(locale, "col_quote"): c.quote,
            t(locale, "col_outlet"): c.outlet,
            t(locale, "col_source"): c.source_url,
            t(locale, "col_note"): getattr(c, f"note_{lang}") or "",
            "id": c.id,
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- casualties

def casualty_claims(bundle: Bundle, claimants=None, measures=None):
    """Casualty claims kept by the filters: (with a number, without a number)."""
    keep = [c for c in bundle.claims if c.measure in CASUALTY_MEASURES
            and (not claimants or c.claimant in claimants)
            and (not measures or c.measure in measures)]
    return [c for c in keep if c.has_number], [c for c in keep if not c.has_number]


def build_casualties(bundle: Bundle, locale: str, claimants=None, measures=None,
                     selected: dt.date | None = None) -> View:
    key = ("casualties", tuple(claimants or ()), tuple(measures or ()))
    return _dated(bundle, locale, key, lambda: _casualties(bundle, locale, claimants, measures), selected)


def _casualties(bundle: Bundle, locale: str, claimants, measures) -> View:
    numbered, unnumbered = casualty_claims(bundle, claimants, measures)
    shown = [m for m in CASUALTY_MEASURES if any(c.measure == m for c in numbered)] or list(CASUALTY_MEASURES[:1])
    colours = claimant_colours(bundle)
    fig = make_subplots(rows=len(shown), cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        subplot_titles=[t(locale, f"measure_{m}") for m in shown])
    legend_seen: set[str] = set()
    article = {cid for ac in bundle.article.claims for cid in ac.claim_ids}
    for row, measure in enumerate(shown, start=1):
        by_claimant: dict[str, list] = {}
        for c in numbered:
            if c.measure == measure:
                by_claimant.setdefault(c.claimant, []).append(c)
        for cid, cs in by_claimant.items():
            who = bundle.claimants[cid]
            name = i18n.field(who, "short", locale)
            xs, ys, texts, hovers, symbols = [], [], [], [], []
            for c in cs:
                y = c.value_low if c.value_low is not None else c.value_high
                xs.append(c.date)
                ys.append(y)
                texts.append(value_text(c, locale))
                period = "" if c.cumulative else "<br><i>" + t(locale, "period_figure") + "</i>"
                hovers.append(f"<b>{name}</b><br>{i18n.date(c.date, locale)}<br>"
                              f"{t(locale, f'measure_{measure}')}: <b>{value_text(c, locale)}</b>"
                              f"{period}<br>{c.outlet} · {c.id}")
                base = MEASURE_SYMBOL[measure]
                symbols.append(base if c.cumulative else base + "-open")
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers+text", text=texts, textposition="middle right",
                textfont=dict(size=11, color=colours.get(cid, "#444")),
                marker=dict(color=colours.get(cid, "#444"), size=11, symbol=symbols,
                            line=dict(width=1.5, color=colours.get(cid, "#444"))),
                name=name, legendgroup=cid, showlegend=cid not in legend_seen,
                hovertext=hovers, hoverinfo="text", customdata=[c.id for c in cs],
            ), row=row, col=1)
            legend_seen.add(cid)
            for c in cs:  # ranges as vertical segments, lower/upper bounds as arrows
                if c.bound == "range":
                    fig.add_trace(go.Scatter(x=[c.date, c.date], y=[c.value_low, c.value_high], mode="lines",
                                             line=dict(color=colours.get(cid), width=3), hoverinfo="skip",
                                             showlegend=False, legendgroup=cid), row=row, col=1)
                if c.id in article:
                    fig.add_trace(go.Scatter(
                        x=[c.date], y=[c.value_low if c.value_low is not None else c.value_high],
                        mode="markers", marker=dict(size=24, color="rgba(0,0,0,0)",
                                                    line=dict(width=2.5, color="#000")),
                        hoverinfo="skip", showlegend=False, name=t(locale, "in_article")), row=row, col=1)
        fig.update_yaxes(rangemode="tozero", gridcolor="#e5e5e5", tickformat=",d", row=row, col=1,
                         separatethousands=True)
    _article_line(fig, bundle, locale)
    fig.update_xaxes(range=["2024-10-15", "2025-05-15"], gridcolor="#f0f0f0")
    fig.update_layout(separators=_separators(locale), showlegend=True,
                      legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, font=dict(size=11)))
    _base_layout(fig, t(locale, "view_casualties"), 220 * len(shown) + 160)
    fig.update_layout(margin=dict(l=8, r=8, t=30, b=8))

    lines = []
    for measure in shown:
        cs = [c for c in numbered if c.measure == measure]
        if cs:
            latest = max(cs, key=lambda c: (c.date, c.value_low or c.value_high or 0))
            hi = max(cs, key=lambda c: c.value_low or c.value_high or 0)
            lines.append(t(locale, "cas_summary_measure", measure=t(locale, f"measure_{measure}"), n=len(cs),
                           latest=value_text(latest, locale), latest_who=i18n.field(bundle.claimants[latest.claimant], "name", locale),
                           latest_date=i18n.date(latest.date, locale),
                           high=value_text(hi, locale), high_who=i18n.field(bundle.claimants[hi.claimant], "name", locale)))
    summary = t(locale, "cas_summary_intro", n=len(numbered), k=len({c.claimant for c in numbered}),
                u=len(unnumbered)) + " " + " ".join(lines)
    credits = [t(locale, "credit_claims")]
    return View(fig, summary, claims_table(bundle, numbered + unnumbered, locale), credits, t(locale, "view_casualties"))


SELECTED_LINE = {"color": "#D55E00", "width": 2}
_BASES: dict[tuple, tuple[View, dict]] = {}


def _vline(day: dt.date, line: dict) -> dict:
    return {"type": "line", "xref": "x", "yref": "paper", "x0": day.isoformat(), "x1": day.isoformat(),
            "y0": 0, "y1": 1, "line": line, "layer": "below"}


def _legend_line(line: dict, name: str) -> dict:
    return {"type": "scatter", "x": [None], "y": [None], "mode": "lines", "line": line, "name": name,
            "hoverinfo": "skip"}


def _article_line(fig: go.Figure, bundle: Bundle, locale: str) -> None:
    """The article's date, dotted, across all panels and named in the legend."""
    line = {"color": "#000", "width": 1.2, "dash": "dot"}
    fig.update_layout(shapes=[*(fig.layout.shapes or ()), _vline(bundle.article.published, line)])
    fig.add_trace(_legend_line(line, t(locale, "article_date_label")))


def _dated(bundle: Bundle, locale: str, key: tuple, build, selected: dt.date | None) -> View:
    """A chart with the reader's selected date as an orange line.

    Everything but the line is built once per data version, locale and ``key``; each date then
    costs a few shallow dict copies and one unvalidated Figure (~3 ms) instead of a rebuild
    (~60 ms). The base was validated when it was built.
    """
    base, spec = _base(bundle, locale, key, build)
    if selected is None:
        return base
    # Shallow copies: the base's parts are shared, never mutated.
    layout = {**spec["layout"], "shapes": [*spec["layout"].get("shapes", []), _vline(selected, SELECTED_LINE)]}
    label = t(locale, "selected_date_label", date=i18n.date(selected, locale, short=True))
    spec = {"data": [*spec["data"], _legend_line(SELECTED_LINE, label)], "layout": layout}
    return View(go.Figure(spec, _validate=False), base.summary, base.table, base.credits, base.title, spec=spec)


def _base(bundle: Bundle, locale: str, key: tuple, build) -> tuple[View, dict]:
    """A chart's date-independent part, built and validated once per data version, locale and key."""
    k = (bundle.version, locale, key)
    if k not in _BASES:
        if len(_BASES) > 256:
            _BASES.clear()
        base = build()
        _BASES[k] = (base, base.figure.to_dict())
    return _BASES[k]


def _separators(locale: str) -> str:
    """plotly's ``separators`` (decimal, then thousands) matching :func:`i18n.num`."""
    return {"fr-CH": ".'", "fr-FR": ", ", "en": ".,"}.get(locale, ".'")


# --------------------------------------------------------------------------- map

def map_layers(bundle: Bundle) -> list[str]:
    return [lyr.id for lyr in bundle.manifest.layers]


def default_layers(bundle: Bundle) -> list[str]:
    return [lyr.id for lyr in bundle.manifest.layers if lyr.default_visible]


def events_near(bundle: Bundle, day: dt.date, days: int = 10):
    """Events within ``days`` of ``day`` whose place has a sourced coordinate."""
    out = []
    for e in bundle.events:
        p = bundle.places.get(e.place) if e.place else None
        if p and p.lon is not None and abs((e.date - day).days) <= days:
            out.append((e, p))
    return out


def build_map(bundle: Bundle, day: dt.date, locale: str, layers: list[str] | None = None,
              height: int = 500) -> View:
    """The map for one date: the layers and places (built once), then that date's control
    polygons and the events within 10 days, both drawn under the places and their names.

    Drawn as a plotly ``geo`` subplot (SVG), not a MapLibre ``map`` (WebGL): for a dozen polygons
    SVG costs a fraction of the CPU, works without WebGL and from ``file://``, and can show the
    place names as text without glyph fonts from a CDN. No basemap: every shape is our own layer.
    """
    layers = tuple(default_layers(bundle) if layers is None else layers)
    base, spec = _base(bundle, locale, ("map", layers, height), lambda: _map_base(bundle, locale, layers, height))
    control_ids = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    snap = None
    below: list[dict] = []
    table_rows = []
    for lyr in bundle.manifest.layers:
        if lyr.id not in layers or lyr.kind not in ("control", "advances"):
            continue
        dates = bundle.dates(lyr.id)
        if not dates:
            continue
        d = nearest_date(dates, day)
        if lyr.kind == "advances" and d > day:  # nothing assessed yet on that date
            continue
        if lyr.kind == "control":
            snap = d
        for feat in _oriented(bundle, lyr.id, d)["features"]:
            kind = feat["properties"].get("kind", lyr.kind)
            colour, opacity = CONTROL_STYLE.get(kind, ("#CC6677", 0.35))
            area = feat["properties"].get("area_km2")
            label = t(locale, f"control_{kind}")
            below.append(go.Choropleth(
                geojson={"type": "FeatureCollection", "features": [feat]}, locations=[feat["id"]], z=[1],
                colorscale=[[0, colour], [1, colour]], showscale=False, marker=dict(opacity=opacity,
                line=dict(width=1 if lyr.kind == "control" else 1.5, color=colour)),
                name=label, showlegend=True,
                hovertemplate=f"<b>{label}</b><br>{i18n.date(d, locale)}<br>"
                              f"{i18n.num(area or 0, locale)} km²<extra></extra>",
            ).to_plotly_json())
            table_rows.append({t(locale, "col_layer"): label, t(locale, "col_date"): d.isoformat(),
                               t(locale, "col_area_km2"): area})
    above: list[dict] = []
    near = events_near(bundle, day)
    if near:
        above.append(go.Scattergeo(
            lon=[p.lon for _, p in near], lat=[p.lat for _, p in near], mode="markers",
            name=t(locale, "legend_events"),
            marker=dict(size=16, color="#D55E00", opacity=0.9, symbol="diamond", line=dict(width=1, color="white")),
            hovertext=[f"<b>{i18n.date(e.date, locale)}</b><br>{i18n.field(e, 'title', locale)}" for e, _ in near],
            hoverinfo="text").to_plotly_json())
    if snap is not None:
        area_of = lambda kind: next((r[t(locale, "col_area_km2")] for r in table_rows
                                     if r[t(locale, "col_layer")] == t(locale, f"control_{kind}")), 0) or 0
        summary = t(locale, "map_summary", date=i18n.date(snap, locale), ua=i18n.num(area_of("ua_controlled"), locale),
                    grey=i18n.num(area_of("grey_zone"), locale), n=len(near))
    else:
        summary = t(locale, "map_summary_nocontrol", date=i18n.date(day, locale))
    if near:
        summary += " — " + "; ".join(f"{i18n.date(e.date, locale)}, {i18n.field(e, 'title', locale)}" for e, _ in near)
    meta = {"title": t(locale, "view_map"), "snapshot": snap.isoformat() if snap else None,
            "control_layers": control_ids}
    n = spec["layout"]["meta"]["n_background"]
    background, places = spec["data"][:n], spec["data"][n:]
    # events under the places: a diamond on a town never hides the town's name
    spec = {"data": [*background, *below, *above, *places], "layout": {**spec["layout"], "meta": meta}}
    return View(go.Figure(spec, _validate=False), summary, pd.DataFrame(table_rows), base.credits, base.title,
                spec=spec)


_ORIENTED: dict[tuple, dict] = {}


def _oriented(bundle: Bundle, layer_id: str, d: dt.date | None = None) -> dict:
    """A layer (or one date of a dated layer) with outer rings clockwise, as d3-geo (plotly ``geo``)
    expects; GDAL writes them counter-clockwise, and a ring the wrong way round fills the whole globe.
    Each feature gets an ``id`` for plotly's ``locations``. Computed once per data version."""
    k = (bundle.version, layer_id, d)
    if k not in _ORIENTED:
        import shapely
        from shapely.geometry import mapping, shape

        if len(_ORIENTED) > 2048:
            _ORIENTED.clear()
        fc = bundle.control[layer_id][d] if d is not None else bundle.layers[layer_id]
        feats = []
        for i, f in enumerate(fc["features"]):
            geom = f["geometry"]
            if geom and geom["type"] in ("Polygon", "MultiPolygon"):
                geom = mapping(shapely.orient_polygons(shape(geom), exterior_cw=True))
            kind = f["properties"].get("kind", "")
            feats.append({"type": "Feature", "id": f"{layer_id}-{kind}-{i}", "properties": f["properties"],
                          "geometry": geom})
        _ORIENTED[k] = {"type": "FeatureCollection", "features": feats}
    return _ORIENTED[k]


def _label_sides(lon: list[float], lat: list[float]) -> list[str]:
    """Put each place name on the side away from its nearest neighbour: a small rule rather than a
    label-placement library, enough for a dozen places (checked in the 375 px screenshots)."""
    import math

    k = math.cos(math.radians(sum(lat) / len(lat)))  # degrees of longitude are shorter up here
    out = []
    for i, (x, y) in enumerate(zip(lon, lat)):
        others = [((lon[j] - x) * k, lat[j] - y) for j in range(len(lon)) if j != i]
        if not others:
            out.append("middle right")
            continue
        dx, dy = min(others, key=lambda d: d[0] ** 2 + d[1] ** 2)
        if abs(dx) >= abs(dy):
            out.append("middle left" if dx > 0 else "middle right")
        else:
            out.append("bottom center" if dy > 0 else "top center")
    return out


def _view_box(bundle: Bundle) -> tuple[float, float, float, float]:
    """The map frame: the oblast and the places, padded, within the manifest's region bbox."""
    import shapely
    from shapely.geometry import shape

    geoms = [shape(f["geometry"]) for lyr in bundle.manifest.layers if lyr.kind in ("oblast", "settlements")
             for f in bundle.layers[lyr.id]["features"] if f.get("geometry")]
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    if not geoms:
        return r0, r1, r2, r3
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    px, py = 0.3, 0.1  # wider east-west: room for a name beside a place near the edge
    return max(x0 - px, r0), max(y0 - py, r1), min(x1 + px, r2), min(y1 + py, r3)


def _lines(fc: dict) -> tuple[list, list]:
    """LineString/MultiLineString/polygon rings as lon/lat lists with ``None`` between parts."""
    lon: list = []
    lat: list = []
    for f in fc["features"]:
        g = f["geometry"] or {}
        parts = {"LineString": lambda c: [c], "MultiLineString": lambda c: c, "Polygon": lambda c: c,
                 "MultiPolygon": lambda c: [ring for poly in c for ring in poly]}.get(g.get("type"), lambda c: [])
        for part in parts(g.get("coordinates")):
            lon += [p[0] for p in part] + [None]
            lat += [p[1] for p in part] + [None]
    return lon, lat


def _map_base(bundle: Bundle, locale: str, layers: tuple[str, ...], height: int) -> View:
    """Everything on the map that does not depend on the date: background layers, places, frame."""
    # plotly.js (3.8 in Streamlit, 4.1 in kaleido and the export) fetches its world topojson from
    # a CDN when the geo subplot's *first* trace has ``locationmode`` (every choropleth has), even
    # with all base layers hidden. An empty scattergeo first keeps it from asking; the app and the
    # export also point ``topojsonURL`` at a local copy in case a later plotly.js asks anyway.
    fig = go.Figure(go.Scattergeo(lon=[], lat=[], mode="markers", hoverinfo="skip", showlegend=False,
                                  name="frame"))
    credits: list[str] = []
    n_background = 1
    for lyr in bundle.manifest.layers:
        if lyr.id not in layers:
            continue
        credits.append(lyr.attribution_fr if i18n.lang_of(locale) == "fr" else lyr.attribution)
        if lyr.kind in ("countries", "admin1", "oblast"):
            fc = _oriented(bundle, lyr.id)
            fill, line, width = {"countries": (LAND, LAND, 0.5), "admin1": ("rgba(0,0,0,0)", "#c8c3b8", 0.8),
                                 "oblast": ("#fffdf7", "#6b6558", 2)}[lyr.kind]
            fig.add_trace(go.Choropleth(
                geojson=fc, locations=[f["id"] for f in fc["features"]], z=[1] * len(fc["features"]),
                colorscale=[[0, fill], [1, fill]], showscale=False, marker=dict(line=dict(width=width, color=line)),
                hoverinfo="skip", showlegend=False, name=i18n.field(lyr, "title", locale)))
            n_background += 1
        elif lyr.kind == "border":
            lon, lat = _lines(bundle.layers[lyr.id])
            fig.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="lines", line=dict(width=1.6, color="#333", dash="dash"),
                                        hoverinfo="skip", showlegend=False, name=i18n.field(lyr, "title", locale)))
            n_background += 1
    lang = i18n.lang_of(locale)
    for lyr in bundle.manifest.layers:
        if lyr.kind != "settlements" or lyr.id not in layers:
            continue
        feats = bundle.layers[lyr.id]["features"]
        for is_npp in (False, True):
            group = [f for f in feats if (f["properties"].get("kind") == "facility") == is_npp]
            if not group:
                continue
            lon = [f["geometry"]["coordinates"][0] for f in group]
            lat = [f["geometry"]["coordinates"][1] for f in group]
            fig.add_trace(go.Scattergeo(
                lon=lon, lat=lat, mode="markers" if is_npp else "markers+text",  # the plant: legend + hover
                name=t(locale, "legend_npp" if is_npp else "legend_settlements"),
                marker=dict(size=12 if is_npp else 7, color="#AA4499" if is_npp else "#222",
                            symbol="star" if is_npp else "circle", line=dict(width=1, color="white")),
                text=None if is_npp else [f["properties"].get(f"name_{lang}") or f["properties"].get("name_en") or ""
                                          for f in group],
                textposition=None if is_npp else _label_sides(lon, lat), textfont=dict(size=11, color="#222"),
                hovertext=[_place_label(f["properties"], lang) for f in group], hoverinfo="text"))
    b0, b1, b2, b3 = _view_box(bundle)
    off = dict(showland=False, showocean=False, showlakes=False, showrivers=False, showcountries=False,
               showcoastlines=False, showsubunits=False, showframe=False)
    fig.update_layout(geo=dict(scope="europe", resolution=110, projection=dict(type="mercator"),
                               lonaxis=dict(range=[b0, b2]), lataxis=dict(range=[b1, b3]),
                               bgcolor="white", domain=dict(x=[0, 1], y=[0, 1]), **off),
                      legend=dict(orientation="h", yanchor="top", y=-0.01, x=0, font=dict(size=11),
                                  bgcolor="rgba(255,255,255,0.8)"),
                      separators=_separators(locale), dragmode=False)
    _base_layout(fig, t(locale, "view_map"), height)
    fig.update_layout(margin=dict(l=0, r=0, t=0, b=40))
    fig.layout.meta = {**fig.layout.meta, "n_background": n_background}
    return View(fig, "", pd.DataFrame(), _dedupe(credits), t(locale, "view_map"))


def _place_label(props: dict, lang: str) -> str:
    name = props.get(f"name_{lang}") or props.get("name_en") or ""
    local = props.get("name_local")
    return f"<b>{name}</b>" + (f" ({local})" if local and local != name else "")


def _dedupe(lines: list[str]) -> list[str]:
    """Credit lines once each; several layers share a source (e.g. geoBoundaries)."""
    out: list[str] = []
    for line in lines:
        for part in line.split(" · "):
            if part not in out:
                out.append(part)
    return out


# --------------------------------------------------------------------------- area over time

def build_area(bundle: Bundle, locale: str, selected: dt.date | None = None) -> View:
    return _dated(bundle, locale, ("area",), lambda: _area(bundle, locale), selected)


def _area(bundle: Bundle, locale: str) -> View:
    df = bundle.areas
    fig = go.Figure()
    if not df.empty:
        x = pd.to_datetime(df["date"])
        fig.add_trace(go.Scatter(x=x, y=df["ua_plus_grey_km2"], mode="lines", name=t(locale, "area_ua_plus_grey"),
                                 line=dict(color="#8C8C8C", width=1.5, dash="dot"),
                                 hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} km²<extra></extra>"))
        fig.add_trace(go.Scatter(x=x, y=df["ua_controlled_km2"], mode="lines", name=t(locale, "area_ua"),
                                 line=dict(color="#1F5FA8", width=2.5), fill="tozeroy",
                                 fillcolor="rgba(31,95,168,0.12)",
                                 hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} km²<extra></extra>"))
    colours = claimant_colours(bundle)
    claims = [c for c in bundle.claims if c.measure in AREA_MEASURES and c.has_number]
    for cid in dict.fromkeys(c.claimant for c in claims):
        cs = [c for c in claims if c.claimant == cid]
        name = i18n.field(bundle.claimants[cid], "short", locale)
        fig.add_trace(go.Scatter(
            x=[c.date for c in cs], y=[c.value_low if c.value_low is not None else c.value_high for c in cs],
            mode="markers", name=name,
            marker=dict(size=11, color=colours.get(cid, "#444"),
                        symbol=["star" if c.measure == "area_held_peak_km2" else "diamond" for c in cs],
                        line=dict(width=1, color="white")),
            hovertext=[f"<b>{name}</b><br>{i18n.date(c.date, locale)}<br>{t(locale, f'measure_{c.measure}')}: "
                       f"<b>{value_text(c, locale)} km²</b><br>{c.outlet} · {c.id}" for c in cs],
            hoverinfo="text", customdata=[c.id for c in cs]))
    fig.update_yaxes(rangemode="tozero", gridcolor="#e5e5e5", title=None, ticksuffix=" km²")
    fig.update_xaxes(gridcolor="#f0f0f0")
    fig.update_layout(separators=_separators(locale), hovermode="closest",
                      legend=dict(orientation="h", yanchor="top", y=-0.12, x=0, font=dict(size=11)))
    _base_layout(fig, t(locale, "view_area"), 380)
    summary = t(locale, "area_summary_nodata")
    if not df.empty:
        peak = df.loc[df["ua_controlled_km2"].idxmax()]
        last = df.iloc[-1]
        summary = t(locale, "area_summary", peak=i18n.num(peak["ua_controlled_km2"], locale),
                    peak_date=i18n.date(peak["date"], locale),
                    last=i18n.num(last["ua_controlled_km2"], locale), last_date=i18n.date(last["date"], locale),
                    n=len(claims))
    table = claims_table(bundle, claims, locale)
    control = [lyr for lyr in bundle.manifest.layers if lyr.kind == "control"]
    credits = [(lyr.attribution_fr if i18n.lang_of(locale) == "fr" else lyr.attribution) for lyr in control]
    credits.append(t(locale, "credit_claims"))
    return View(fig, summary, table, credits, t(locale, "view_area"))


# --------------------------------------------------------------------------- timeline

def build_timeline(bundle: Bundle, locale: str, selected: dt.date | None = None,
                   categories=None) -> View:
    key = ("timeline", tuple(categories or ()))
    return _dated(bundle, locale, key, lambda: _timeline(bundle, locale, categories), selected)


def _timeline(bundle: Bundle, locale: str, categories) -> View:
    fig = go.Figure()
    events = [e for e in bundle.events if not categories or e.category in categories]
    cats = [c for c in CATEGORIES if any(e.category == c for e in events)]
    for cat in cats:
        es = [e for e in events if e.category == cat]
        fig.add_trace(go.Scatter(
            x=[e.date for e in es], y=[t(locale, f"cat_{cat}")] * len(es), mode="markers",
            name=t(locale, f"cat_{cat}"),
            marker=dict(size=[16 if e.in_article else 11 for e in es], color=CATEGORY_COLOURS[cat],
                        symbol=["diamond" if e.in_article else "circle" for e in es],
                        line=dict(width=[2 if e.in_article else 0.5 for e in es], color="#000")),
            hovertext=[f"<b>{i18n.date(e.date, locale, e.date_precision)}</b><br>{i18n.field(e, 'title', locale)}"
                       for e in es], hoverinfo="text", customdata=[e.id for e in es]))
    _article_line(fig, bundle, locale)
    fig.update_yaxes(categoryorder="array", categoryarray=[t(locale, f"cat_{c}") for c in reversed(cats)],
                     gridcolor="#e5e5e5", automargin=True)
    fig.update_xaxes(gridcolor="#f0f0f0", range=["2024-06-01", "2025-05-15"])
    fig.update_layout(showlegend=False, hovermode="closest", clickmode="event+select", dragmode=False)
    _base_layout(fig, t(locale, "view_timeline"), 60 * len(cats) + 90)
    summary = t(locale, "timeline_summary", n=len(events), first=i18n.date(events[0].date, locale) if events else "",
                last=i18n.date(events[-1].date, locale) if events else "",
                k=sum(e.in_article for e in events))
    lang = i18n.lang_of(locale)
    table = pd.DataFrame([{t(locale, "col_date"): e.date.isoformat(), t(locale, "col_category"): t(locale, f"cat_{e.category}"),
                           t(locale, "col_title"): getattr(e, f"title_{lang}"),
                           t(locale, "col_summary"): getattr(e, f"summary_{lang}"),
                           t(locale, "col_source"): e.source_url, "id": e.id} for e in events])
    return View(fig, summary, table, [t(locale, "credit_events")], t(locale, "view_timeline"))


# --------------------------------------------------------------------------- static export: per-date map parts

def map_dated_traces(bundle: Bundle, day: dt.date, locale: str, layers: list[str] | None = None,
                     height: int = 500) -> tuple[View, int, list[dict]]:
    """The map for ``day`` and the part of it that depends on the date.

    Returns ``(view, start, traces)``: the view :func:`build_map` returns, and its traces that are
    not in the date-independent base (that date's control polygons and events), which start at
    index ``start`` of ``view.spec["data"]``. The static export writes ``traces`` as one small file
    per date, and its page swaps them in place of the drawn date's. One builder, many outputs.
    """
    view = build_map(bundle, day, locale, layers, height)
    keys = tuple(default_layers(bundle) if layers is None else layers)
    _, base = _base(bundle, locale, ("map", keys, height), lambda: _map_base(bundle, locale, keys, height))
    shared = {id(tr) for tr in base["data"]}
    data = view.spec["data"]
    dated = [i for i, tr in enumerate(data) if id(tr) not in shared and tr not in base["data"]]
    if not dated:  # no snapshot or event that day: the date's part goes after the background
        return view, base["layout"].get("meta", {}).get("n_background", len(data)), []
    if dated != list(range(dated[0], dated[0] + len(dated))):
        raise ValueError("the map's date-dependent traces are not contiguous")
    return view, dated[0], [data[i] for i in dated]
