"""The map for one date: the cached base, then that date's control polygons, events and a story's places."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from ..queries import EVENT_WINDOW_DAYS, coverage, default_layers, events_near, nearest_date, snapshot_source, source_name
from .cache import cached_base
from .geo import PHONE_ASPECT, WIDE_ASPECT, oriented
from .map_base import DOT_PX, NAMES, map_base, peak_outline, place_names
from .map_labels import Label
from .text import text_of
from .theme import rgba
from .view import Trace, View

EVENT_PX = 16  # an event's diamond (marker size)
RING_PX = 26  # a story step's ring around its places


def build_map(
    bundle: Bundle,
    day: dt.date,
    locale: str,
    layers: list[str] | None = None,
    height: int = 500,
    aspect: float | None = None,
    highlight: tuple[str, ...] = (),
) -> View:
    """The map for one date: the layers and places (built once), then that date's control
    polygons and the events within 10 days, both drawn under the places and their names.

    Drawn as a plotly ``geo`` subplot (SVG), not a MapLibre ``map`` (WebGL): for a dozen polygons
    SVG costs a fraction of the CPU, works without WebGL and from ``file://``, and can show the
    place names as text without glyph fonts from a CDN. No basemap: every shape is our own layer.
    """
    shown = tuple(default_layers(bundle) if layers is None else layers)
    ratio = aspect or (PHONE_ASPECT if height < 400 else WIDE_ASPECT)
    base, spec = cached_base(
        bundle, locale, ("map", shown, height, ratio), lambda: map_base(bundle, locale, shown, height, ratio)
    )
    control_ids = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    snap = None
    peak = _peak(bundle, locale) if any(i in shown for i in control_ids) else None
    below: list[Trace] = []
    table_rows: list[dict[str, Any]] = []
    for lyr in bundle.manifest.layers:
        if lyr.id not in shown or lyr.kind not in ("control", "advances"):
            continue
        dates = bundle.dates(lyr.id)
        if not dates:
            continue
        if day < dates[0]:  # before the layer's first snapshot: nothing mapped yet, so no area drawn
            continue
        d = nearest_date(dates, day)
        if lyr.kind == "control":
            if snap is None and peak is not None:  # the extent at its peak, under the date's polygons
                below.append(peak)
            snap = d
        for feat in oriented(bundle, lyr.id, d)["features"]:
            kind = feat["properties"].get("kind", lyr.kind)
            colour, opacity = K.CONTROL.get(kind, K.ADVANCES)
            area = feat["properties"].get("area_km2")
            own = snapshot_source(bundle, lyr.id, d, locale)  # a snapshot's own source is named by the caption line
            label = t(locale, f"control_{kind}") + ("" if own != source_name(bundle, lyr.id, locale) else f" ({text_of(own)})")
            fill = rgba(colour, opacity)  # in the colour itself, so the legend swatch is the drawn fill
            below.append(
                go.Choropleth(
                    geojson={"type": "FeatureCollection", "features": [feat]},
                    locations=[feat["id"]],
                    z=[1],
                    colorscale=[[0, fill], [1, fill]],
                    showscale=False,
                    marker=dict(opacity=1, line=dict(width=1 if lyr.kind == "control" else 1.5, color=colour)),
                    name=label,
                    showlegend=True,
                    hovertemplate=f"<b>{label}</b><br>{i18n.date(d, locale)}<br>"
                    f"{i18n.num(area or 0, locale)}\u00a0km²<extra></extra>",
                ).to_plotly_json()
            )
            table_rows.append({t(locale, "col_layer"): label, t(locale, "col_date"): d, t(locale, "col_area_km2"): area})
    above: list[Trace] = []
    f0, f1, f2, f3 = spec["layout"]["meta"].get("frame") or (-180, -90, 180, 90)
    n, n_places = spec["layout"]["meta"]["n_background"], spec["layout"]["meta"].get("n_places", 0)
    places = [dict(tr) for tr in spec["data"][n : n + n_places]]
    # pinned: inside what every width shows (meta.pins), so a phone and a desktop pin and count the same
    # events; the others are named in the text (events_near keeps only places with coordinates)
    p0, p1, p2, p3 = spec["layout"]["meta"].get("pins") or (f0, f1, f2, f3)
    around = events_near(bundle, day)
    near = [(e, p) for e, p in around if p0 <= (p.lon or 0) <= p2 and p1 <= (p.lat or 0) <= p3]
    outside = [(e, p) for e, p in around if (e, p) not in near]
    ringed = [
        p
        for p in (bundle.places[pid] for pid in highlight if pid in bundle.places)
        if p.lon is not None and p.lat is not None and f0 <= p.lon <= f2 and f1 <= p.lat <= f3
    ]
    # each place's name sits beside the largest mark on it (a story's ring, an event's diamond, its dot)
    named = next((tr for tr in places if tr.get("name") == NAMES), None)
    ring_pts = [(p.lon or 0, p.lat or 0) for p in ringed]
    event_pts = [(p.lon or 0, p.lat or 0) for _, p in near]
    radius = {(round(x, 4), round(y, 4)): EVENT_PX / 2 for x, y in event_pts}
    radius.update({(round(x, 4), round(y, 4)): RING_PX / 2 + 1.5 for x, y in ring_pts})
    if named is not None:
        labels = [
            Label(str(text), x, y, radius.get((round(x, 4), round(y, 4)), DOT_PX / 2))
            for x, y, text in zip(named["lon"], named["lat"], named["text"])
        ]
        marks = [(x, y, EVENT_PX / 2 * 1.3 + 1) for x, y in event_pts] + [(x, y, RING_PX / 2 + 2.5) for x, y in ring_pts]
        placed = place_names(bundle, locale, shown, height, ratio, labels, marks, [])
        named["textposition"] = [pos or "middle right" for pos, _ in placed]
        named["text"] = [text if pos else "" for text, (pos, _) in zip(named["text"], placed)]  # no room: left off
        named["marker"] = {**named.get("marker", {}), "size": [round(2 * r, 1) for _, r in placed]}
    if near:
        above.append(
            go.Scattergeo(
                lon=[p.lon for _, p in near],
                lat=[p.lat for _, p in near],
                mode="markers",
                name=t(locale, "legend_events", days=EVENT_WINDOW_DAYS),
                marker=dict(size=EVENT_PX, color=K.EVENT, opacity=0.9, symbol="diamond", line=dict(width=1, color=K.HALO)),
                hovertext=[f"<b>{i18n.date(e.date, locale)}</b><br>{text_of(i18n.field(e, 'title', locale))}" for e, _ in near],
                hoverinfo="text",
            ).to_plotly_json()
        )
    if ringed:  # a story step's places
        above.append(
            go.Scattergeo(
                lon=[p.lon for p in ringed],
                lat=[p.lat for p in ringed],
                mode="markers",
                name=t(locale, "story_places"),
                marker=dict(size=RING_PX, color="rgba(0,0,0,0)", line=dict(width=3, color=K.EVENT)),
                hovertext=[text_of(i18n.field(p, "name", locale)) for p in ringed],
                hoverinfo="text",
            ).to_plotly_json()
        )
    first, where = coverage(bundle, day)
    before = where == "before" and control_ids[0] in shown
    if before and first is not None:
        summary = t(
            locale,
            "map_summary_before",
            date=i18n.date(day, locale),
            first=i18n.date(first, locale),
            n=len(near),
            days=EVENT_WINDOW_DAYS,
            source=snapshot_source(bundle, control_ids[0], first, locale),
        )
    elif snap is not None:

        def area_of(kind: str) -> float:
            label, col = t(locale, f"control_{kind}"), t(locale, "col_area_km2")
            return next((r[col] for r in table_rows if str(r[t(locale, "col_layer")]).startswith(label)), 0) or 0

        summary = t(
            locale,
            "map_summary",
            date=i18n.date(snap, locale),
            ua=i18n.num(area_of("ua_controlled"), locale),
            grey=i18n.num(area_of("grey_zone"), locale),
            n=len(near),
            days=EVENT_WINDOW_DAYS,
            source=snapshot_source(bundle, control_ids[0], snap, locale),
        )
    else:
        summary = t(locale, "map_summary_nocontrol", date=i18n.date(day, locale))
    if near:
        summary += " — " + "; ".join(f"{i18n.date(e.date, locale)}, {i18n.field(e, 'title', locale)}" for e, _ in near)
    if outside:
        summary += " " + t(
            locale,
            "map_outside",
            n=len(outside),
            events="; ".join(
                f"{i18n.date(e.date, locale)}, {i18n.field(p, 'name', locale)}: {i18n.field(e, 'title', locale)}"
                for e, p in outside
            ),
        )
    meta = {
        "title": t(locale, "view_map"),
        # before the first snapshot nothing is drawn, but the snapshot line names the first one
        "snapshot": snap.isoformat() if snap else (first.isoformat() if first and before else None),
        "date": day.isoformat(),
        "day_label": i18n.date(day, locale),  # the date bar's label while the map is of this day
        "coverage": where,
        "control_layers": control_ids,
        "source": snapshot_source(bundle, control_ids[0], snap or first, locale) if control_ids else None,
        "frame": spec["layout"]["meta"].get("frame"),
        # the date's polygons and marks, and the places (their names move around that date's marks)
        "dated": [n, len(below) + len(above) + n_places],
    }
    # its columns even on a day with nothing drawn (before the first snapshot): a table, a CSV with its header
    columns = [t(locale, "col_layer"), t(locale, "col_date"), t(locale, "col_area_km2")]
    background, rest = spec["data"][:n], spec["data"][n + n_places :]
    # events under the places: a diamond on a town never hides the town's dot
    spec = {"data": [*background, *below, *above, *places, *rest], "layout": {**spec["layout"], "meta": meta}}
    return View(None, summary, pd.DataFrame(table_rows, columns=columns), base.credits, base.title, spec=spec)


def _peak(bundle: Bundle, locale: str) -> Trace | None:
    """The outline of the held area at its largest (built once per data version and locale)."""
    _, spec = cached_base(
        bundle, locale, ("map-peak",), lambda: View(go.Figure(peak_outline(bundle, locale)), "", pd.DataFrame(), [], "")
    )
    data: list[Trace] = spec["data"]
    return data[0] if data and data[0].get("lon") else None


def map_dated_traces(
    bundle: Bundle, day: dt.date, locale: str, layers: list[str] | None = None, height: int = 500
) -> tuple[View, int, list[Trace]]:
    """The map for ``day`` and the part of it that depends on the date.

    Returns ``(view, start, traces)``: the view :func:`build_map` returns, and its traces that are
    not in the date-independent base (that date's control polygons and events), which start at
    index ``start`` of ``view.spec["data"]`` (``meta.dated``, set by :func:`build_map`). The static
    export writes ``traces`` as one small file per date, and its page swaps them in place of the
    drawn date's. One builder, many outputs.
    """
    view = build_map(bundle, day, locale, layers, height)
    spec = view.spec
    assert spec is not None  # build_map always returns its spec
    start, count = spec["layout"]["meta"]["dated"]
    return view, start, spec["data"][start : start + count]
