"""GeoJSON layers: features, geometry, properties and vertex limits."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from .. import model as m
from .problems import JSON, MAX_GEO_BYTES, MAX_ROWS, MAX_VERTICES, NESTED_TOO_DEEP, Problem
from .text import _read_text

GEOMETRY_TYPES = {
    "settlements": {"Point"},
    "border": {"LineString", "MultiLineString"},
}
POLYGONS = {"Polygon", "MultiPolygon"}


def feature_name(i: int, feat: object) -> str:
    """How a problem names a feature: its position (1-based) and its id where it has one,
    ``feature 3 (id 'sudzha')``."""
    fid = None
    if isinstance(feat, dict):
        props = feat.get("properties")
        fid = props.get("id") if isinstance(props, dict) else None
        fid = feat.get("id") if fid is None else fid
    shown = str(fid)[:40] if isinstance(fid, (str, int)) and not isinstance(fid, bool) else None
    return f"feature {i + 1}" + (f" (id '{shown}')" if shown else "")


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')
_FEATURES = re.compile(r'"features"\s*:\s*\[')
_ID = re.compile(r'"id"\s*:\s*(?:"((?:[^"\\]|\\.){0,40})|(-?\d{1,20}))')


def _where_in_features(text: str, pos: int) -> tuple[int, str | None] | None:
    """The feature (0-based index, id if seen before ``pos``) that ``pos`` falls in, or None when
    ``pos`` is outside the features array. Tokens only (strings and brackets): fast on megabytes."""
    start = _FEATURES.search(text, 0, pos)
    if start is None:
        return None
    depth, index, opened = 0, -1, start.end()
    for tok in _TOKEN.finditer(text, start.end(), pos):
        c = tok.group()
        if c in "{[":
            if depth == 0:
                index, opened = index + 1, tok.start()
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth < 0:
                return None  # the features array closed before pos
    if index < 0:
        return None
    found = _ID.search(text, opened, pos)
    fid = (found.group(1) or found.group(2)) if found else None
    return index, fid


def _json_problem(rel: str, text: str, e: json.JSONDecodeError) -> Problem:
    """Invalid JSON, named by the feature it is in (position and id) with a short excerpt around the
    error; a line number only where the file has lines (never a byte column in a one-line file)."""
    cut = "; the file ends too early (cut off while copying?)" if e.pos >= len(text.rstrip()) else ""
    lo, hi = max(0, e.pos - 30), min(len(text), e.pos + 30)
    excerpt = ("…" if lo else "") + text[lo : e.pos] + "⟨here⟩" + text[e.pos : hi] + ("…" if hi < len(text) else "")
    excerpt = re.sub(r"\s+", " ", excerpt)
    where = _where_in_features(text, e.pos)
    many_lines = text.count("\n") > 1
    if where is not None:
        index, fid = where
        row: str | int | None = f"feature {index + 1}" + (f" (id '{fid}')" if fid else "")
        if many_lines:
            row = f"{row}, line {e.lineno}"
    else:
        row = e.lineno if many_lines else None
    return Problem(rel, row, None, f"invalid JSON: {e.msg}{cut}; near: {excerpt}")


def _ring(ring: Any) -> Any:
    """A ring of numbers as one numpy array (shapely then builds it in C); anything else as it came,
    so that shapely reports it exactly as before (ragged, text or missing coordinates)."""
    try:
        arr = np.asarray(ring)
    except (TypeError, ValueError):  # ragged nesting
        return ring
    return arr if arr.ndim == 2 and np.issubdtype(arr.dtype, np.number) else ring


def _rings_as_arrays(geometry: dict[str, Any]) -> dict[str, Any]:
    """The same geometry with its polygons' rings as arrays: shapely's shape() converts a ring given as
    lists point by point in Python, which was most of the time spent reading the control layer."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coords, list):
        return geometry
    if kind == "Polygon":
        return geometry | {"coordinates": [_ring(r) for r in coords]}
    if kind == "MultiPolygon" and all(isinstance(p, list) for p in coords):
        return geometry | {"coordinates": [[_ring(r) for r in p] for p in coords]}
    return geometry


def _feature_problems(
    rel: str, i: int, feat: object, kind: str, bbox: tuple[float, float, float, float]
) -> tuple[list[Problem], Any]:  # Any: a shapely geometry (shapely is untyped)
    where = feature_name(i, feat)
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        return [Problem(rel, where, None, "is not a GeoJSON Feature")], None
    if not isinstance(feat.get("geometry"), dict):
        return [Problem(rel, where, "geometry", "has no geometry")], None
    try:
        geom = shapely.geometry.shape(_rings_as_arrays(feat.get("geometry") or {}))
    except Exception as e:  # shapely raises several types for malformed geometry
        return [Problem(rel, where, "geometry", f"malformed geometry ({e})")], None
    out = []
    allowed = GEOMETRY_TYPES.get(kind, POLYGONS)
    if geom.geom_type not in allowed:
        out.append(Problem(rel, where, "geometry", f"{geom.geom_type} where a {' or '.join(sorted(allowed))} is expected"))
    if geom.is_empty:
        out.append(Problem(rel, where, "geometry", "empty geometry"))
        return out, geom
    x0, y0, x1, y1 = geom.bounds
    if not all(map(math.isfinite, (x0, y0, x1, y1))) or max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90:
        out.append(
            Problem(
                rel,
                where,
                "geometry",
                f"coordinates ({x0:.10g}, {y0:.10g}) are not lon/lat degrees: GeoJSON must be WGS84 (EPSG:4326)",
            )
        )
        return out, geom
    b0, b1, b2, b3 = bbox
    if x0 < b0 or y0 < b1 or x1 > b2 or y1 > b3:
        out.append(
            Problem(
                rel,
                where,
                "geometry",
                f"extends outside the region (lon {b0}–{b2}, lat {b1}–{b3}): bounds {x0:.4f}, {y0:.4f}, {x1:.4f}, {y1:.4f}",
            )
        )
    if not geom.is_valid:
        reason = re.sub(r"\[(\S+) (\S+)\]$", r" at lon \1, lat \2", shapely.is_valid_reason(geom))
        out.append(
            Problem(
                rel,
                where,
                "geometry",
                f"invalid geometry: {reason}; repair the outline (e.g. QGIS 'Fix geometries' or shapely.make_valid)",
            )
        )
    return out, geom


# What the figure code reads from a feature's properties, beyond the geometry (figures.py):
# every layer: properties is an object; ``area_km2`` (hover, summary, table) a number when present;
# control: ``kind`` and the date field; settlements: ``id`` (places.csv), ``kind``, ``name_*`` as text.
TEXT_PROPERTIES = {"settlements": ("id", "kind", "name_en", "name_fr", "name_local")}


MAX_PROPERTY_DEPTH = 16  # properties are flat in practice; deep ones would break the figure's serialisation


def _depth(value: object) -> int:
    """Nesting depth of a JSON value, without recursion (the value may be thousands of levels deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d)
            if deepest > MAX_PROPERTY_DEPTH:
                return deepest
            stack.extend((x, d + 1) for x in (v.values() if isinstance(v, dict) else v))
    return deepest


def _property_problems(
    rel: str, i: int, props: object, layer: m.Layer, window: tuple[dt.date, dt.date] | None = None, where: str = ""
) -> list[Problem]:
    where = where or f"feature {i + 1}"
    if not isinstance(props, dict):
        shown = "null" if props is None else type(props).__name__
        return [
            Problem(
                rel,
                where,
                "properties",
                f"properties is {shown}; it must be an object {{…}} (the map reads the date, kind, area and names from it)",
            )
        ]
    if _depth(props) > MAX_PROPERTY_DEPTH:
        return [Problem(rel, where, "properties", NESTED_TOO_DEEP)]
    out = []
    if layer.date_field:
        try:
            m.date_in_window(m._iso_date(str(props.get(layer.date_field, ""))), window, "dates")
        except ValueError as e:
            out.append(Problem(rel, where, layer.date_field, str(e)))
    if layer.kind == "control" and props.get("kind") not in m.CONTROL_KINDS:
        out.append(Problem(rel, where, "kind", f"'{props.get('kind')}' is not one of: {', '.join(m.CONTROL_KINDS)}"))
    area = props.get("area_km2")
    if area is not None and (isinstance(area, bool) or not isinstance(area, (int, float)) or not math.isfinite(area) or area < 0):
        out.append(Problem(rel, where, "area_km2", "must be a number of km² (digits, no quotes), 0 or more"))
    for key in TEXT_PROPERTIES.get(layer.kind, ()):
        if props.get(key) is not None and not isinstance(props[key], str):
            out.append(Problem(rel, where, key, "must be text (in quotes)"))
    return out


def read_geojson(
    path: Path,
    rel: str,
    layer: m.Layer,
    bbox: tuple[float, float, float, float],
    problems: list[Problem],
    warnings: list[Problem],
    window: tuple[dt.date, dt.date] | None = None,
) -> JSON | None:
    dec = _read_text(path, rel, MAX_GEO_BYTES, problems, warnings)
    if dec is None:
        return None
    text = dec.text
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        problems.append(_json_problem(rel, text, e))
        return None
    except RecursionError:
        problems.append(Problem(rel, None, None, NESTED_TOO_DEEP))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(Problem(rel, None, None, "not a GeoJSON FeatureCollection"))
        return None
    crs = doc.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", crs)) if isinstance(crs, dict) else str(crs)
        if not any(tag in name.upper() for tag in ("CRS84", "EPSG::4326", "EPSG:4326")):
            problems.append(Problem(rel, None, "crs", f"CRS is {name[:60]}; GeoJSON must be WGS84 lon/lat (EPSG:4326)"))
            return None
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        problems.append(Problem(rel, None, "features", "no features"))
        return None
    if len(feats) > MAX_ROWS:
        problems.append(Problem(rel, None, "features", f"{len(feats)} features; the limit is {MAX_ROWS} per layer"))
        return None
    before = len(problems)
    vertices = 0
    for i, feat in enumerate(feats):
        try:
            probs, geom = _feature_problems(rel, i, feat, layer.kind, bbox)
        except RecursionError:
            probs, geom = [Problem(rel, feature_name(i, feat), "geometry", NESTED_TOO_DEEP)], None
        problems.extend(probs)
        if geom is not None:
            vertices += shapely.get_num_coordinates(geom)
        if isinstance(feat, dict):
            problems.extend(_property_problems(rel, i, feat.get("properties"), layer, window, feature_name(i, feat)))
    if vertices > MAX_VERTICES:
        problems.append(
            Problem(
                rel,
                None,
                "geometry",
                f"{vertices} vertices in this layer; the limit is {MAX_VERTICES}: simplify it "
                "(e.g. QGIS 'Simplify' or shapely simplify, 20–50 m)",
            )
        )
    if layer.kind == "control" and len(problems) == before:
        seen: dict[tuple[str, str], int] = {}
        for i, feat in enumerate(feats):
            key = (feat["properties"][layer.date_field], feat["properties"]["kind"])
            if key in seen:
                problems.append(
                    Problem(
                        rel, f"feature {i + 1}", None, f"second snapshot for {key[0]} {key[1]} (first is feature {seen[key]})"
                    )
                )
            seen.setdefault(key, i + 1)
    return doc if len(problems) == before else None


def _index_by_date(doc: JSON, date_field: str) -> dict[dt.date, JSON]:
    by: dict[dt.date, list[JSON]] = {}
    for feat in doc["features"]:
        by.setdefault(dt.date.fromisoformat(feat["properties"][date_field]), []).append(feat)
    return {d: {"type": "FeatureCollection", "features": fs} for d, fs in sorted(by.items())}
