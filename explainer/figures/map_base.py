"""The map's date-independent part: background layers, places, country names, scale bar, locator."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from .cache import versioned
from .geo import (
    INSET_SHARE,
    WIDE_ASPECT,
    Box,
    control_geoms,
    control_union,
    event_places,
    held_extent,
    is_phone,
    line_coords,
    locator_layers,
    mercator_y,
    merged_lines,
    on_screen,
    peak_day,
    pin_box,
    view_box,
)
from .map_labels import CHAR_PX, LINE_PX, Label, Scene, place, text_size, wrapped
from .text import dedupe_credits, place_label, text_of
from .theme import FONT, base_layout, separators
from .view import View

MAP_WIDTH_PX = 1600  # the widest the map is drawn (a wide desktop window, or an export at scale)
INSET_WIDTH_PX = 240  # the locator inset, at most (a sixth of a wide map, a third of a phone's)
LOCATOR_SPAN = 4.0  # the locator shows this many region widths around the region's centre
LOCATOR_ASPECT = 1.2  # its width / height (Mercator)
DOT_PX, NPP_PX = 7, 12  # a place's dot, the plant's star (marker sizes)
NAMES = "names"  # the trace of the places' names
COUNTRY_CHAR_PX, COUNTRY_LINE_PX = 10.5, 19.0  # a country name's letter (15 px capitals) and line


def frame_widths(aspect: float) -> tuple[float, ...]:
    """The widths in px a map of this aspect is drawn at, narrowest to widest: a phone's (320 to 375 px
    screens), the story's column beside its text, the explorer's (the static page on a phone too)."""
    if is_phone(aspect):
        return (288.0, 345.0)
    if aspect < 2.0:
        return (400.0, 700.0)
    return (300.0, 640.0, 1120.0)


def frame_weights(aspect: float) -> tuple[float, ...]:
    """How much a name's clash counts at each of those widths: a wide map squeezed onto a phone (the
    static page) counts less than the widths it is drawn for."""
    return (0.3, 1.0, 1.0) if aspect >= 2.0 else (1.0, 1.0)


def _main_width(aspect: float) -> float:
    """The narrowest width the map is drawn for (its full weight)."""
    return min(w for w, k in zip(frame_widths(aspect), frame_weights(aspect)) if k >= 1)


def has_inset(aspect: float) -> bool:
    """Only the explorer's wide map has a locator inset. On a phone (345 px) it would take a third of the
    map; the story's map is drawn by Streamlit's chart, whose column changes the plot's shape with the
    window, and plotly centres the frame in it: an inset placed in the plot's corner would stick out of
    the frame (the explorer's script grows the frame to fill its plot). The page's title names the region."""
    return aspect >= 2.0


def _nice_km(width_km: float) -> int:
    """A round scale-bar length, about a fifth of the frame's width."""
    target = width_km / 5
    return max((n for n in (1, 2, 5, 10, 20, 25, 50, 100) if n <= target), default=1)


SCALE_GAP_PX = 8  # an invisible marker at the bar's end keeps its label this far off the bar (plotly: size / 1.6 + 1)


def _scale_bar(box: Box, locale: str, left: float = 0.03) -> tuple[go.Scattergeo, tuple[float, float, str]]:
    """A round-length bar at the bottom left (``left``: its start, as a share of the frame's width), its
    label beside its end; and that label's place."""
    x0, y0, x1, y1 = box
    lat = y0 + (y1 - y0) * 0.07
    km_per_deg = 111.32 * math.cos(math.radians(lat))  # along a parallel, on the WGS84 mean sphere
    km = _nice_km((x1 - x0) * km_per_deg)
    lon0 = x0 + (x1 - x0) * left
    lon1 = lon0 + km / km_per_deg
    text = f"{i18n.num(km, locale)}\u00a0km"
    trace = go.Scattergeo(
        lon=[lon0, lon1],
        lat=[lat, lat],
        mode="lines+markers+text",
        line=dict(width=3, color=K.INK),
        marker=dict(size=(SCALE_GAP_PX - 1) * 1.6, opacity=0),
        text=["", text],
        textposition="middle right",
        textfont=dict(size=11, color=K.INK),
        hoverinfo="skip",
        showlegend=False,
        name="scale",
        geo="geo",
    )
    return trace, (lon1, lat, text)


def _locator_box(bundle: Bundle) -> Box:
    """The locator inset's extent: the region's centre with LOCATOR_SPAN region widths around it."""
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    if not locator_layers(bundle):
        return r0, r1, r2, r3
    cx, cy = (r0 + r2) / 2, (mercator_y(r1) + mercator_y(r3)) / 2
    half_w = (r2 - r0) * LOCATOR_SPAN / 2
    half_h = half_w / LOCATOR_ASPECT

    def inv(y: float) -> float:
        return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)

    return cx - half_w, inv(cy - half_h), cx + half_w, inv(cy + half_h)


def _inset_domain(locator: Box, aspect: float, corner: str) -> dict[str, list[float]]:
    """The inset's paper domain in a corner ("top right", ...), with the locator's own proportions."""
    w = INSET_SHARE[aspect >= 1.8]
    l0, l1, l2, l3 = locator
    h = min(w * aspect * ((mercator_y(l3) - mercator_y(l1)) / (l2 - l0)), 0.5)
    v, hz = corner.split(" ")
    return {"x": [1 - w, 1] if hz == "right" else [0, w], "y": [1 - h, 1] if v == "top" else [0, h]}


def _domain_box(box: Box, domain: dict[str, list[float]]) -> Box:
    """The lon/lat rectangle of the main map that a paper-coordinate domain covers (Mercator in y)."""
    x0, y0, x1, y1 = box
    (a, b), (c, d) = domain["x"], domain["y"]
    m0, m1 = mercator_y(y0), mercator_y(y1)

    def inv(y: float) -> float:
        return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)

    return x0 + (x1 - x0) * a, inv(m0 + (m1 - m0) * c), x0 + (x1 - x0) * b, inv(m0 + (m1 - m0) * d)


def _inset_obstacles(bundle: Bundle, box: Box, aspect: float, places: list[tuple[float, float, str]]) -> list[Any]:
    """What the inset must leave visible, as shapely geometries in lon/lat: every area any snapshot
    covered, each place with room for its name on either side, the events' places."""
    from shapely.geometry import Point
    from shapely.geometry import box as make_box

    s = frame_widths(aspect)[0] / (box[2] - box[0])  # px per degree at the narrowest width
    k = 1 / math.cos(math.radians((box[1] + box[3]) / 2))  # degrees of latitude are longer in px up here
    out: list[Any] = []
    union = control_union(bundle)
    if union is not None:
        out.append(union)
    for lon, lat, name in places:
        tw, th = text_size(name)
        w = (tw + 8) / s
        h = (th + 6) / s / k
        out.append(make_box(lon - w, lat - h, lon + w, lat + h))
    for lon, lat in event_places(bundle):
        out.append(Point(lon, lat).buffer(12 / s))
    return out


def _frame_and_inset(
    bundle: Bundle, aspect: float, places: list[tuple[float, float, str]], inset: bool
) -> tuple[Box, dict[str, list[float]] | None]:
    """The map's frame and the inset's domain: a corner that covers no data (the top one away from the
    held area first, then the others); when every corner would, the frame grows at the top (then
    widens to keep its aspect) until one is free. A name at the frame's edge goes to its inner side
    or is left off (``place_names``): the frame is never widened for names, which would shrink the
    held area, the map's finding."""
    box = view_box(bundle, aspect)
    if not inset:
        return box, None
    from shapely.geometry import box as make_box

    locator = _locator_box(bundle)
    extent = held_extent(bundle)
    mid = (extent[0] + extent[2]) / 2 if extent else (box[0] + box[2]) / 2
    first = "top right" if mid < (box[0] + box[2]) / 2 else "top left"
    other = "top left" if first == "top right" else "top right"
    corners = [first, other, "bottom " + other.split()[1], "bottom " + first.split()[1]]
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    for _ in range(6):
        obstacles = _inset_obstacles(bundle, box, aspect, places)
        need: list[tuple[float, str]] = []
        for corner in corners:
            zone = make_box(*_domain_box(box, _inset_domain(locator, aspect, corner)))
            hit = [o.intersection(zone) for o in obstacles if o.intersects(zone)]
            if not hit:
                return box, _inset_domain(locator, aspect, corner)
            if corner.startswith("top"):
                need.append((max(h.bounds[3] for h in hit) - zone.bounds[1], corner))
        if not need:
            break
        grow, _ = min(need)
        # raise the top by what the chosen corner lacks (plus a little), then widen to keep the aspect
        x0, y0, x1, y1 = box
        share = _inset_domain(locator, aspect, "top right")["y"]
        h_share = share[1] - share[0]
        m0, m1 = mercator_y(y0), mercator_y(y1)
        dm = (mercator_y(y1 + grow * 1.15) - m1) / max(1 - h_share, 0.3)
        m1 += dm

        def inv(y: float) -> float:
            return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)

        y1 = min(inv(m1), r3)
        widen = (aspect * (mercator_y(y1) - m0) - (x1 - x0)) / 2
        box = (max(x0 - max(widen, 0), r0), y0, min(x1 + max(widen, 0), r2), y1)
    return box, _inset_domain(locator, aspect, corners[0])


def _country_labels(
    bundle: Bundle,
    box: Box,
    locale: str,
    avoid: Box | None = None,
    keep_clear: list[Any] | None = None,
    narrow_px: float = 300.0,
) -> go.Scattergeo | None:
    """RUSSIE / UKRAINE, each at the pole of inaccessibility of its part of the frame away from
    the held area, named by CLDR (Babel) from the layer's ISO code; far enough inside the frame that
    the whole name fits at the narrowest width the map is drawn at (``narrow_px``)."""
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
            name = names.get(iso, (f.get("properties") or {}).get("name_en", iso)).upper()
            s = narrow_px / (box[2] - box[0])  # px per degree at that width
            k = 1 / math.cos(math.radians((box[1] + box[3]) / 2))  # a degree of latitude is longer
            dx, dy = (len(name) * COUNTRY_CHAR_PX / 2 + 4) / s, (COUNTRY_LINE_PX / 2 + 4) / s / k
            inner = make_box(box[0] + dx, box[1] + dy, box[2] - dx, box[3] - dy)
            if inner.is_empty or box[2] - box[0] <= 2 * dx or box[3] - box[1] <= 2 * dy:
                continue
            part = shape(f["geometry"]).intersection(inner)
            if held is not None:
                part = part.difference(held)
            if avoid is not None:
                part = part.difference(make_box(*avoid).buffer(0.03))
            for clear in keep_clear or ():  # the places and room for their names
                part = part.difference(clear)
            if part.is_empty:
                continue
            biggest = max(getattr(part, "geoms", [part]), key=lambda g: g.area)
            if biggest.area < frame.area * 0.03:  # a sliver of a country: no name
                continue
            p = polylabel(biggest, tolerance=0.005)
            lon.append(p.x)
            lat.append(p.y)
            text.append(name)
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


_SCENES: dict[tuple[Any, ...], dict[str, Any]] = versioned({})


def label_scene(bundle: Bundle, locale: str, layers: tuple[str, ...], height: int, aspect: float) -> dict[str, Any]:
    """What the place names must avoid whatever the date (map_labels.Scene's parts), as map_base left it."""
    k = (bundle.version, locale, layers, height, aspect)
    if k not in _SCENES:
        map_base(bundle, locale, layers, height, aspect)
    return _SCENES[k]


def map_base(bundle: Bundle, locale: str, layers: tuple[str, ...], height: int, aspect: float = WIDE_ASPECT) -> View:
    """Everything on the map that does not depend on the date: background layers (under the
    date's polygons), then places, country names, scale bar and a locator
    inset (over them). ``meta.n_background`` is where a date's traces go, ``meta.n_places`` how many
    place traces follow it (their names are placed per date, around that date's marks)."""
    # plotly.js (3.8 in Streamlit, 4.1 in kaleido and the export) fetches its world topojson from
    # a CDN when the geo subplot's *first* trace has ``locationmode`` (every choropleth has), even
    # with all base layers hidden. An empty scattergeo first keeps it from asking; the app and the
    # export also point ``topojsonURL`` at a local copy in case a later plotly.js asks anyway.
    fig = go.Figure(go.Scattergeo(lon=[], lat=[], mode="markers", hoverinfo="skip", showlegend=False, name="frame"))
    credits: list[str] = []
    inset: list[go.Choropleth | go.Scattergeo] = []
    lang = i18n.lang_of(locale)
    context = set(locator_layers(bundle))
    locator = _locator_box(bundle)

    def name_of(f: dict[str, Any]) -> str:
        name = text_of(f["properties"].get(f"name_{lang}") or f["properties"].get("name_en") or "")
        return wrapped(name) if is_phone(aspect) else name  # a phone's map: long names on two lines

    r = bundle.manifest.region.bbox
    region: Box = (r[0], r[1], r[2], r[3])

    def in_region(lon: float, lat: float, *_: float) -> bool:
        return region[0] <= lon <= region[2] and region[1] <= lat <= region[3]

    settlements = [
        f
        for lyr in bundle.manifest.layers
        if lyr.kind == "settlements" and lyr.id in layers
        for f in bundle.layers[lyr.id]["features"]
        if in_region(*f["geometry"]["coordinates"][:2])
    ]
    named = [
        (f["geometry"]["coordinates"][0], f["geometry"]["coordinates"][1], name_of(f))
        for f in settlements
        if (f.get("properties") or {}).get("kind") != "facility"
    ]
    wants_inset = any(lyr.id in layers and (lyr.id in context or lyr.kind == "oblast") for lyr in bundle.manifest.layers)
    core = view_box(bundle, aspect)  # the places named: those in the frame the data asks for
    box, corner = _frame_and_inset(bundle, aspect, named, wants_inset and has_inset(aspect))
    for lyr in bundle.manifest.layers:
        if lyr.id not in layers:
            continue
        credits.append(i18n.field(lyr, "attribution", locale))
        if lyr.kind in ("countries", "admin1", "oblast"):
            fill, line, width = {
                "countries": (K.LAND, K.LAND, 0.5),
                "admin1": ("rgba(0,0,0,0)", K.ADMIN1_LINE, 0.8),
                "oblast": (K.OBLAST_FILL, K.OBLAST_LINE, 1.2),
            }[lyr.kind]
            trace = dict(
                colorscale=[[0, fill], [1, fill]],
                showscale=False,
                hoverinfo="skip",
                showlegend=False,
                name=text_of(i18n.field(lyr, "title", locale)),
            )
            if lyr.id not in context:  # the main map: the layers cut to the region
                fc = on_screen(bundle, lyr.id, box, MAP_WIDTH_PX)
                fig.add_trace(
                    go.Choropleth(
                        **trace,
                        geojson=fc,
                        locations=[f["id"] for f in fc["features"]],
                        z=[1] * len(fc["features"]),
                        marker=dict(line=dict(width=width, color=line)),
                    )
                )
            # the inset: the countries around the region (or the region's own, without them) and the oblast
            if lyr.kind == "oblast" or (lyr.kind == "countries" and (lyr.id in context or not context)):
                small = on_screen(bundle, lyr.id, locator, INSET_WIDTH_PX)
                inset.append(
                    go.Choropleth(
                        **trace,
                        geojson=small,
                        locations=[f["id"] for f in small["features"]],
                        z=[1] * len(small["features"]),
                        marker=dict(line=dict(width=0.6, color=K.ADMIN1_LINE if lyr.kind == "countries" else line)),
                        meta=lyr.kind,
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

    def inside(lon: float, lat: float, *_: float) -> bool:
        return core[0] <= lon <= core[2] and core[1] <= lat <= core[3]

    feats = [f for f in settlements if inside(*f["geometry"]["coordinates"][:2])]
    marks: list[tuple[float, float, float]] = []
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
        size = NPP_PX if is_npp else DOT_PX
        marks += [(x, y, size / 2 * (1.3 if is_npp else 1) + 1) for x, y in zip(lon, lat)]
        fig.add_trace(
            go.Scattergeo(
                lon=lon,
                lat=lat,
                mode="markers",
                name=t(locale, "legend_npp" if is_npp else "legend_settlements"),
                marker=dict(
                    size=size,
                    color=K.NPP if is_npp else K.INK,
                    symbol="star" if is_npp else "circle",
                    line=dict(width=1, color=K.HALO),
                ),
                hovertext=[place_label(f["properties"], lang) for f in group],
                hoverinfo="text",
            )
        )
        if not is_npp:  # the names: each point's invisible marker sets how far off its name sits (per date, build_map)
            fig.add_trace(
                go.Scattergeo(
                    lon=lon,
                    lat=lat,
                    mode="markers+text",
                    name=NAMES,
                    marker=dict(size=size, opacity=0),
                    text=[name_of(f) for f in group],
                    textposition="middle right",
                    textfont=dict(size=11, color=K.INK),
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    n_places = len(fig.data) - n_background
    from shapely.geometry import box as make_box

    zone = _domain_box(box, corner) if corner else None
    s_mid = frame_widths(aspect)[-2] / (box[2] - box[0])  # px per degree
    clear = [  # each place with room for its name on either side
        make_box(
            x - (text_size(nm)[0] + 12) / s_mid,
            y - text_size(nm)[1] / s_mid,
            x + (text_size(nm)[0] + 12) / s_mid,
            y + text_size(nm)[1] / s_mid,
        )
        for x, y, nm in named
    ]
    labels = _country_labels(bundle, box, locale, avoid=zone, keep_clear=clear, narrow_px=frame_widths(aspect)[0])
    texts: list[tuple[float, float, float, float]] = []
    if labels is not None:
        fig.add_trace(labels)
        texts += [
            (x, y, len(str(tx)) * COUNTRY_CHAR_PX, COUNTRY_LINE_PX) for x, y, tx in zip(labels.lon, labels.lat, labels.text)
        ]
    # the bar starts right of an inset in the bottom left corner
    left = corner["x"][1] + 0.03 if corner and corner["x"][0] == 0 and corner["y"][0] == 0 else 0.03
    scale, (slon, slat, stext) = _scale_bar(box, locale, left)
    fig.add_trace(scale)
    b0, b1, b2, b3 = box
    r0, r1, r2, r3 = locator
    if inset and corner:  # an empty trace first, as on the main map: no topojson request for geo2 either
        fig.add_trace(go.Scattergeo(lon=[], lat=[], mode="markers", hoverinfo="skip", showlegend=False, name="inset", geo="geo2"))
        for tr in sorted(inset, key=lambda tr: tr.meta == "oblast"):  # the oblast over the countries
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
    from shapely.geometry import LineString

    def merc_lines(lon: list[Any], lat: list[Any]) -> list[Any]:
        out: list[Any] = []
        part: list[tuple[float, float]] = []
        for x, y in [*zip(lon, lat), (None, None)]:
            if x is None or y is None:
                if len(part) > 1:
                    out.append(LineString(part))
                part = []
            else:
                part.append((x, mercator_y(y)))
        return out

    lines: list[Any] = []
    for tr in fig.data[:n_background]:
        if getattr(tr, "mode", None) == "lines":
            lines += merc_lines(list(tr.lon), list(tr.lat))
    peak = peak_outline(bundle, locale)
    if peak is not None:
        lines += merc_lines(list(peak.lon), list(peak.lat))
    lines += merc_lines([scale.lon[0], scale.lon[1]], [scale.lat[0], scale.lat[1]])
    # the scale's label sits SCALE_GAP_PX right of the bar's end: a fixed text of its width
    s0 = frame_widths(aspect)[0] / (b2 - b0)
    w = len(stext) * CHAR_PX
    texts.append((slon + (SCALE_GAP_PX + w / 2) / s0, slat, w + 2 * SCALE_GAP_PX, LINE_PX))
    _SCENES[(bundle.version, locale, layers, height, aspect)] = {
        "frame": box,
        "widths": frame_widths(aspect),
        "weights": frame_weights(aspect),
        "lines": lines,
        "marks": marks,
        "zones": [zone] if zone else [],
        "texts": texts,
    }
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
    if inset and corner:
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
    fig.layout.meta = {**fig.layout.meta, "n_background": n_background, "n_places": n_places, "frame": list(box)}
    fig.layout.meta["pins"] = list(pin_box(bundle))  # the events pinned at every width
    return View(fig, "", pd.DataFrame(), dedupe_credits(credits), t(locale, "view_map"))


def place_names(
    bundle: Bundle,
    locale: str,
    layers: tuple[str, ...],
    height: int,
    aspect: float,
    labels: list[Label],
    marks: list[tuple[float, float, float]],
    soft: list[Any],
) -> list[tuple[str, float]]:
    """Text positions (and offset radii) for a date's place names, around the date's own marks (events,
    a story's rings). Most dates have the same marks (no event near them): placed once per data
    version and set of marks, not once per date."""
    key = (bundle.version, locale, layers, height, aspect, tuple(labels), tuple(marks))
    if not soft and key in _PLACED:
        return _PLACED[key]
    sc = label_scene(bundle, locale, layers, height, aspect)
    scene = Scene(sc["frame"], sc["widths"], sc["weights"], sc["lines"], soft, [*sc["marks"], *marks], sc["zones"], sc["texts"])
    out = place(labels, scene)
    if not soft:
        if len(_PLACED) > PLACED_MAX:  # a bound on memory: a live server sees few distinct sets
            _PLACED.clear()
        _PLACED[key] = out
    return out


_PLACED: dict[tuple[Any, ...], list[tuple[str, float]]] = versioned({})
PLACED_MAX = 4096
