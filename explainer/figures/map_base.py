"""The map's date-independent part: background layers, places, country names, scale bar, locator."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from .geo import (
    INSET_SHARE,
    WIDE_ASPECT,
    Box,
    control_geoms,
    held_extent,
    line_coords,
    mercator_y,
    merged_lines,
    on_screen,
    peak_day,
    view_box,
)
from .text import dedupe_credits, place_label, text_of
from .theme import FONT, base_layout, separators
from .view import View

MAP_WIDTH_PX = 1600  # the widest the map is drawn (a wide desktop window, or an export at scale)
INSET_WIDTH_PX = 240  # the locator inset, at most (a sixth of a wide map, a third of a phone's)


def _label_sides(lon: list[float], lat: list[float], box: Box | None = None) -> list[str]:
    """Put each place name on the side away from its nearest neighbour, and inward near the
    frame's edges: a small rule rather than a label-placement library, enough for a dozen places
    (checked in the 375 px screenshots; a browser test checks no two names overlap)."""

    if box is not None:
        out = _label_sides(lon, lat)
        x0, y0, x1, y1 = box
        for i, (x, y) in enumerate(zip(lon, lat)):
            if x > x1 - (x1 - x0) * 0.18:
                out[i] = "middle left"
            elif x < x0 + (x1 - x0) * 0.18:
                out[i] = "middle right"
            elif y > y1 - (y1 - y0) * 0.08:
                out[i] = "bottom center"
            elif y < y0 + (y1 - y0) * 0.08:
                out[i] = "top center"
        return out

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


def _nice_km(width_km: float) -> int:
    """A round scale-bar length, about a fifth of the frame's width."""
    target = width_km / 5
    return max((n for n in (1, 2, 5, 10, 20, 25, 50, 100) if n <= target), default=1)


def _scale_bar(box: tuple[float, float, float, float], locale: str) -> go.Scattergeo:

    x0, y0, x1, y1 = box
    lat = y0 + (y1 - y0) * 0.07
    km_per_deg = 111.32 * math.cos(math.radians(lat))  # along a parallel, on the WGS84 mean sphere
    km = _nice_km((x1 - x0) * km_per_deg)
    lon0 = x0 + (x1 - x0) * 0.03
    lon1 = lon0 + km / km_per_deg
    return go.Scattergeo(
        lon=[lon0, lon1],
        lat=[lat, lat],
        mode="lines+text",
        line=dict(width=3, color=K.INK),
        text=["", f"{i18n.num(km, locale)}\u00a0km"],
        textposition="middle right",
        textfont=dict(size=11, color=K.INK),
        hoverinfo="skip",
        showlegend=False,
        name="scale",
        geo="geo",
    )


def _inset_corner(bundle: Bundle, box: Box, aspect: float) -> dict[str, list[float]]:
    """The locator's domain: the top corner (left or right) that the held area leaves free."""

    wide = aspect >= 1.8
    w = INSET_SHARE[wide]
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    # the inset keeps the region's own proportions (Mercator)
    h = w * aspect * ((mercator_y(r3) - mercator_y(r1)) / (r2 - r0))
    h = min(h, 0.45)
    extent = held_extent(bundle)
    x0, _, x1, _ = box
    mid = (extent[0] + extent[2]) / 2 if extent else (x0 + x1) / 2
    right = mid < (x0 + x1) / 2 or not math.isfinite(mid)
    return {"x": [1 - w, 1] if right else [0, w], "y": [1 - h, 1]}


def _domain_box(box: Box, domain: dict[str, list[float]]) -> Box:
    """The lon/lat rectangle of the main map that a paper-coordinate domain covers (roughly)."""
    x0, y0, x1, y1 = box
    (a, b), (c, d) = domain["x"], domain["y"]
    return x0 + (x1 - x0) * a, y0 + (y1 - y0) * c, x0 + (x1 - x0) * b, y0 + (y1 - y0) * d


def _country_labels(bundle: Bundle, box: Box, locale: str, avoid: Box | None = None) -> go.Scattergeo | None:
    """RUSSIE / UKRAINE, each at the pole of inaccessibility of its part of the frame away from
    the held area, named by CLDR (Babel) from the layer's ISO code."""
    from babel import Locale
    from shapely.geometry import box as make_box
    from shapely.geometry import shape
    from shapely.ops import polylabel, unary_union

    frame = make_box(*box)
    peak = peak_day(bundle)
    geoms = control_geoms(bundle, day=peak) if peak else []
    held = unary_union(geoms).buffer(0.05) if geoms else None  # the held area at its largest
    names = Locale.parse(i18n.LOCALES.get(locale, "fr_CH")).territories
    lon, lat, text = [], [], []
    for lyr in bundle.manifest.layers:
        if lyr.kind != "countries":
            continue
        for f in bundle.layers.get(lyr.id, {}).get("features", []):
            iso = (f.get("properties") or {}).get("iso")
            if not iso or not f.get("geometry"):
                continue
            part = shape(f["geometry"]).intersection(frame)
            if held is not None:
                part = part.difference(held)
            if avoid is not None:
                part = part.difference(make_box(*avoid).buffer(0.03))
            if part.is_empty:
                continue
            biggest = max(getattr(part, "geoms", [part]), key=lambda g: g.area)
            if biggest.area < frame.area * 0.03:
                continue
            p = polylabel(biggest, tolerance=0.005)
            lon.append(p.x)
            lat.append(p.y)
            text.append(names.get(iso, (f.get("properties") or {}).get("name_en", iso)).upper())
    if not text:
        return None
    return go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="text",
        text=text,
        hoverinfo="skip",
        showlegend=False,
        textfont=dict(size=15, color=K.MUTED, family=FONT["family"]),
        name="countries",
        geo="geo",
    )


def peak_outline(bundle: Bundle, locale: str) -> go.Scattergeo | None:
    """A faint outline of the held area on the day it was largest, so change shows at a glance."""
    peak = peak_day(bundle)
    geoms = control_geoms(bundle, day=peak) if peak else []
    if peak is None or not geoms:
        return None
    from shapely.geometry import mapping

    lon, lat = line_coords({"features": [{"geometry": mapping(g)} for g in geoms]})
    return go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="lines",
        line=dict(width=1.2, color=K.AREA_LINE, dash="dot"),
        name=t(locale, "legend_peak", date=i18n.date(peak, locale, short=True)),
        hoverinfo="skip",
        showlegend=True,
        geo="geo",
    )


def map_base(bundle: Bundle, locale: str, layers: tuple[str, ...], height: int, aspect: float = WIDE_ASPECT) -> View:
    """Everything on the map that does not depend on the date: background layers (under the
    date's polygons), then places, country names, scale bar and a locator
    inset (over them). ``meta.n_background`` is where a date's traces go."""
    # plotly.js (3.8 in Streamlit, 4.1 in kaleido and the export) fetches its world topojson from
    # a CDN when the geo subplot's *first* trace has ``locationmode`` (every choropleth has), even
    # with all base layers hidden. An empty scattergeo first keeps it from asking; the app and the
    # export also point ``topojsonURL`` at a local copy in case a later plotly.js asks anyway.
    fig = go.Figure(go.Scattergeo(lon=[], lat=[], mode="markers", hoverinfo="skip", showlegend=False, name="frame"))
    credits: list[str] = []
    inset: list[go.Choropleth | go.Scattergeo] = []
    box = view_box(bundle, aspect)
    r = bundle.manifest.region.bbox
    region: Box = (r[0], r[1], r[2], r[3])
    for lyr in bundle.manifest.layers:
        if lyr.id not in layers:
            continue
        credits.append(i18n.field(lyr, "attribution", locale))
        if lyr.kind in ("countries", "admin1", "oblast"):
            fc = on_screen(bundle, lyr.id, box, MAP_WIDTH_PX)
            fill, line, width = {
                "countries": (K.LAND, K.LAND, 0.5),
                "admin1": ("rgba(0,0,0,0)", K.ADMIN1_LINE, 0.8),
                "oblast": (K.OBLAST_FILL, K.OBLAST_LINE, 1.2),
            }[lyr.kind]
            trace = dict(
                geojson=fc,
                locations=[f["id"] for f in fc["features"]],
                z=[1] * len(fc["features"]),
                colorscale=[[0, fill], [1, fill]],
                showscale=False,
                hoverinfo="skip",
                showlegend=False,
                name=text_of(i18n.field(lyr, "title", locale)),
            )
            fig.add_trace(go.Choropleth(**trace, marker=dict(line=dict(width=width, color=line))))
            if lyr.kind in ("countries", "oblast"):
                small = on_screen(bundle, lyr.id, region, INSET_WIDTH_PX)
                inset.append(
                    go.Choropleth(
                        **{
                            **trace,
                            "geojson": small,
                            "locations": [f["id"] for f in small["features"]],
                            "z": [1] * len(small["features"]),
                        },
                        marker=dict(line=dict(width=0.6, color=line)),
                        geo="geo2",
                    )
                )
        elif lyr.kind == "border":
            blon, blat = line_coords(merged_lines(bundle.layers[lyr.id]))
            fig.add_trace(
                go.Scattergeo(
                    lon=blon,
                    lat=blat,
                    mode="lines",
                    line=dict(width=2.2, color=K.BORDER),
                    hoverinfo="skip",
                    showlegend=False,
                    name=text_of(i18n.field(lyr, "title", locale)),
                )
            )
    # the peak outline is drawn with the date's polygons (build_map): before the first snapshot
    # there is no held area to compare with
    n_background = len(fig.data)
    lang = i18n.lang_of(locale)

    def inside(lon: float, lat: float, *_: float) -> bool:
        return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]

    for lyr in bundle.manifest.layers:
        if lyr.kind != "settlements" or lyr.id not in layers:
            continue
        feats = [f for f in bundle.layers[lyr.id]["features"] if inside(*f["geometry"]["coordinates"][:2])]
        for is_npp in (False, True):
            group = (
                [f for f in feats if (f.get("properties") or {}).get("kind") == "facility"]
                if is_npp
                else [f for f in feats if (f.get("properties") or {}).get("kind") != "facility"]
            )
            if not group:
                continue
            lon: list[float] = [f["geometry"]["coordinates"][0] for f in group]
            lat: list[float] = [f["geometry"]["coordinates"][1] for f in group]
            fig.add_trace(
                go.Scattergeo(
                    lon=lon,
                    lat=lat,
                    mode="markers" if is_npp else "markers+text",  # the plant: legend + hover
                    name=t(locale, "legend_npp" if is_npp else "legend_settlements"),
                    marker=dict(
                        size=12 if is_npp else 7,
                        color=K.NPP if is_npp else K.INK,
                        symbol="star" if is_npp else "circle",
                        line=dict(width=1, color=K.HALO),
                    ),
                    text=None
                    if is_npp
                    else [text_of(f["properties"].get(f"name_{lang}") or f["properties"].get("name_en") or "") for f in group],
                    textposition=None if is_npp else _label_sides(lon, lat, box),
                    textfont=dict(size=11, color=K.INK),
                    hovertext=[place_label(f["properties"], lang) for f in group],
                    hoverinfo="text",
                )
            )
    corner = _inset_corner(bundle, box, aspect)
    labels = _country_labels(bundle, box, locale, avoid=_domain_box(box, corner))
    if labels is not None:
        fig.add_trace(labels)
    fig.add_trace(_scale_bar(box, locale))
    b0, b1, b2, b3 = box
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    if inset:  # an empty trace first, as on the main map: no topojson request for geo2 either
        fig.add_trace(go.Scattergeo(lon=[], lat=[], mode="markers", hoverinfo="skip", showlegend=False, name="inset", geo="geo2"))
        for tr in inset:
            fig.add_trace(tr)
        fig.add_trace(
            go.Scattergeo(
                lon=[b0, b2, b2, b0, b0],
                lat=[b1, b1, b3, b3, b1],
                mode="lines",
                line=dict(width=1.5, color=K.EVENT),
                hoverinfo="skip",
                showlegend=False,
                name="frame-in-region",
                geo="geo2",
            )
        )
    off = dict(
        showland=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showcountries=False,
        showcoastlines=False,
        showsubunits=False,
        showframe=False,
    )
    fig.update_layout(
        geo=dict(
            scope="europe",
            resolution=110,
            projection=dict(type="mercator"),
            lonaxis=dict(range=[b0, b2]),
            lataxis=dict(range=[b1, b3]),
            bgcolor="white",
            domain=dict(x=[0, 1], y=[0, 1]),
            **off,
        ),
        legend=dict(orientation="h", yanchor="top", y=-0.01, x=0, font=dict(size=11), bgcolor="rgba(255,255,255,0.8)"),
        separators=separators(locale),
        dragmode=False,
    )
    if inset:
        fig.update_layout(
            geo2=dict(
                scope="europe",
                resolution=110,
                projection=dict(type="mercator"),
                lonaxis=dict(range=[r0, r2]),
                lataxis=dict(range=[r1, r3]),
                bgcolor="white",
                domain=corner,
                showframe=True,
                framecolor=K.MUTED,
                framewidth=1,
                **{k: v for k, v in off.items() if k != "showframe"},
            )
        )
    base_layout(fig, t(locale, "view_map"), height)
    fig.update_layout(margin=dict(l=0, r=0, t=0, b=40))
    fig.layout.meta = {**fig.layout.meta, "n_background": n_background, "frame": list(box)}
    return View(fig, "", pd.DataFrame(), dedupe_credits(credits), t(locale, "view_map"))
