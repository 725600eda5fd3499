"""Geometry for the map: rings oriented for d3-geo, the held area's extent, the frame, lines."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..load import Bundle
from .cache import versioned

Box = tuple[float, float, float, float]  # lon0, lat0, lon1, lat1
WIDE_ASPECT = 2.6  # width / height of the map's plot area on a desktop page (about 1,150 × 440 px)
PHONE_ASPECT = 1.3  # on a phone (343 × 271 px at 375 px, the legend below it)
INSET_SHARE = {True: 0.15, False: 0.22}  # the locator's share of the map's width (wide map, the story's)
FRAME_MARGIN = 0.12  # share of the held area's extent added on each side


def is_phone(aspect: float) -> bool:
    """The phone's map (the only one drawn at PHONE_ASPECT): no inset, its own widths."""
    return abs(aspect - PHONE_ASPECT) < 1e-6


_ORIENTED: dict[tuple[Any, ...], dict[str, Any]] = versioned({})


def oriented(bundle: Bundle, layer_id: str, d: dt.date | None = None) -> dict[str, Any]:
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
            feats.append({"type": "Feature", "id": f"{layer_id}-{kind}-{i}", "properties": f["properties"], "geometry": geom})
        _ORIENTED[k] = {"type": "FeatureCollection", "features": feats}
    return _ORIENTED[k]


_SCREEN: dict[tuple[Any, ...], dict[str, Any]] = versioned({})
PX_TOLERANCE = 0.5  # simplify background layers to half a pixel of the widest screen they are drawn on


def on_screen(bundle: Bundle, layer_id: str, box: Box, width_px: int) -> dict[str, Any]:
    """A background layer as a screen ``width_px`` wide showing ``box`` needs it: clipped to the box
    grown by its own size on each side (the clip edges stay off screen), each polygon simplified
    to half a pixel with its topology kept (shapely), rings clockwise. The whole-oblast layers are
    drawn at a few degrees per screen, so most of their vertices were finer than a pixel and only
    weighed on every rerun's JSON and on the browser's drawing. Computed once per data version."""
    k = (bundle.version, layer_id, box, width_px)
    if k not in _SCREEN:
        import numpy as np
        import shapely
        from shapely.geometry import mapping, shape

        x0, y0, x1, y1 = box
        gx, gy = x1 - x0, y1 - y0  # a whole frame on each side: a phone's static page grows the frame up to 2x
        tolerance = (x1 - x0) / width_px * PX_TOLERANCE
        digits = max(0, math.ceil(-math.log10(tolerance / 4)))
        feats = []
        for f in oriented(bundle, layer_id)["features"]:
            g = f["geometry"]
            if g and g["type"] in ("Polygon", "MultiPolygon"):
                geom = shapely.clip_by_rect(shape(g), x0 - gx, y0 - gy, x1 + gx, y1 + gy)
                geom = shapely.simplify(geom, tolerance, preserve_topology=True)
                if geom.is_empty:
                    continue
                # coordinates to the precision the tolerance needs: fewer digits in every rerun's JSON
                geom = shapely.transform(geom, lambda a: np.round(a, digits))
                g = mapping(shapely.orient_polygons(geom, exterior_cw=True))
            feats.append({**f, "geometry": g})
        _SCREEN[k] = {"type": "FeatureCollection", "features": feats}
    return _SCREEN[k]


def mercator_y(lat: float) -> float:

    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def control_geoms(bundle: Bundle, kind: str = "ua_controlled", day: dt.date | None = None) -> list[Any]:
    from shapely.geometry import shape

    out = []
    for lyr in bundle.manifest.layers:
        if lyr.kind != "control":
            continue
        by_date = bundle.control.get(lyr.id, {})
        for d, fc in by_date.items():
            if day is not None and d != day:
                continue
            out += [
                shape(f["geometry"])
                for f in fc["features"]
                if f.get("geometry") and (f.get("properties") or {}).get("kind") == kind
            ]
    return out


_EXTENTS: dict[str, Box | None] = versioned({})


def held_extent(bundle: Bundle) -> Box | None:
    """Bounds of every Ukrainian-held polygon at any date, read off the coordinates (no shapely
    parse of ~500 polygons); once per data version."""
    if bundle.version not in _EXTENTS:
        import numpy as np

        pts = []

        def walk(c: Any) -> None:
            if c and isinstance(c[0], (int, float)):
                pts.append(c[:2])
            else:
                for x in c:
                    walk(x)

        for lyr in bundle.manifest.layers:
            if lyr.kind == "control":
                for fc in bundle.control.get(lyr.id, {}).values():
                    for f in fc["features"]:
                        if (f.get("properties") or {}).get("kind") == "ua_controlled" and f.get("geometry"):
                            walk(f["geometry"]["coordinates"])
        a = np.asarray(pts, dtype=float)
        _EXTENTS.clear()
        _EXTENTS[bundle.version] = (a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()) if len(a) else None
    return _EXTENTS[bundle.version]


def peak_day(bundle: Bundle) -> dt.date | None:
    df = bundle.areas
    return None if df.empty else df.loc[df["ua_controlled_km2"].idxmax(), "date"]


def pin_box(bundle: Bundle) -> Box:
    """What every width's frame shows: the area Ukraine held at any date with a margin (without
    control polygons: the oblast and the places), inside the manifest's region. The map pins the
    events inside it at every width, and says which events lie outside it, so a phone and a desktop
    draw and count the same events."""
    import shapely
    from shapely.geometry import shape

    r0, r1, r2, r3 = bundle.manifest.region.bbox
    extent = held_extent(bundle)
    if extent is None:
        geoms = [
            shape(f["geometry"])
            for lyr in bundle.manifest.layers
            if lyr.kind in ("oblast", "settlements")
            for f in bundle.layers.get(lyr.id, {}).get("features", [])
            if f.get("geometry")
        ]
        if not geoms:
            return r0, r1, r2, r3
        extent = tuple(shapely.total_bounds(geoms))
    x0, y0, x1, y1 = extent
    mx, my = max((x1 - x0) * FRAME_MARGIN, 0.08), max((y1 - y0) * FRAME_MARGIN, 0.05)
    return max(x0 - mx, r0), max(y0 - my, r1), min(x1 + mx, r2), min(y1 + my, r3)


def view_box(bundle: Bundle, aspect: float = WIDE_ASPECT) -> Box:
    """The map frame: :func:`pin_box` widened to the map's aspect ratio (in Mercator units) so that
    plotly fills the frame instead of adding space. Always inside the manifest's region. The held
    area (the finding) sets it, not the events: a far event would shrink the finding for everyone."""
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    x0, y0, x1, y1 = pin_box(bundle)
    # widen the narrower side to the aspect ratio, in projected units
    w, h = x1 - x0, mercator_y(y1) - mercator_y(y0)
    if w / h < aspect:
        grow = (aspect * h - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        import math

        want = w / aspect
        mid = (mercator_y(y0) + mercator_y(y1)) / 2

        def inv(y: float) -> float:
            return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)

        y0, y1 = inv(mid - want / 2), inv(mid + want / 2)
    return max(x0, r0), max(y0, r1), min(x1, r2), min(y1, r3)


def line_coords(fc: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """LineString/MultiLineString/polygon rings as lon/lat lists with ``None`` between parts."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for f in fc["features"]:
        g = f["geometry"] or {}
        kind, c = g.get("type"), g.get("coordinates") or []
        parts: list[Any] = {"LineString": [c], "MultiLineString": c, "Polygon": c}.get(str(kind), [])
        if kind == "MultiPolygon":
            parts = [ring for poly in c for ring in poly]
        for part in parts:
            lon += [p[0] for p in part] + [None]
            lat += [p[1] for p in part] + [None]
    return lon, lat


def merged_lines(fc: dict[str, Any]) -> dict[str, Any]:
    """A line layer with touching parts joined (shapely.line_merge): the border is drawn as one
    continuous line, not 61 dashed pieces that restart their dash pattern."""
    import shapely
    from shapely.geometry import mapping, shape

    geoms = [shape(f["geometry"]) for f in fc["features"] if f.get("geometry")]
    if not geoms:
        return fc
    merged = shapely.line_merge(shapely.union_all(geoms))
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": mapping(merged)}]}


def layer_bounds(bundle: Bundle, layer_id: str) -> Box | None:
    """The lon/lat bounds of an undated layer's features."""
    import shapely
    from shapely.geometry import shape

    geoms = [shape(f["geometry"]) for f in bundle.layers.get(layer_id, {}).get("features", []) if f.get("geometry")]
    if not geoms:
        return None
    x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(geoms))
    return x0, y0, x1, y1


def locator_layers(bundle: Bundle) -> list[str]:
    """Countries layers that reach beyond the region: the context the locator inset shows (the main
    map's own countries layer is cut to the region)."""
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    out = []
    for lyr in bundle.manifest.layers:
        if lyr.kind != "countries":
            continue
        b = layer_bounds(bundle, lyr.id)
        if b is not None and (b[0] < r0 or b[1] < r1 or b[2] > r2 or b[3] > r3):
            out.append(lyr.id)
    return out


def event_places(bundle: Bundle) -> list[tuple[float, float]]:
    """Where the events with a sourced coordinate inside the region are (the locator inset leaves
    those in the frame visible)."""
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    out = []
    for e in bundle.events:
        p = bundle.places.get(e.place) if e.place else None
        if p is not None and p.lon is not None and p.lat is not None and r0 <= p.lon <= r2 and r1 <= p.lat <= r3:
            out.append((p.lon, p.lat))
    return sorted(set(out))


_UNION: dict[str, Any] = versioned({})


def control_union(bundle: Bundle) -> Any:
    """Everything any control snapshot ever covered (both kinds), simplified: what the locator inset
    must leave visible (each polygon's hull). Once per data version."""
    if bundle.version not in _UNION:
        import shapely
        from shapely.geometry import shape

        geoms = [  # each polygon's convex hull: a little more than it covered, and a fast union
            shapely.convex_hull(shape(f["geometry"]))
            for lyr in bundle.manifest.layers
            if lyr.kind == "control"
            for fc in bundle.control.get(lyr.id, {}).values()
            for f in fc["features"]
            if f.get("geometry")
        ]
        _UNION.clear()
        _UNION[bundle.version] = shapely.union_all(geoms) if geoms else None
    return _UNION[bundle.version]
