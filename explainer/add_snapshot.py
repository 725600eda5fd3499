"""``python -m explainer add-snapshot FILE --date D --kind held|grey``: add one control snapshot.

The one editor command that writes to ``geo/``: it validates the polygon exactly as the bundled
control snapshots are validated, adds it to the control layer's file (sorted by date and kind, in the
file's compact style) and replaces that file atomically (a temporary file renamed over it), so a
reader never sees half a file. Its area is measured in an equal-area CRS at load time, so no area
table row is needed. Nothing is simplified, rounded or redrawn: the geometry is kept as given.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import load as L
from . import model as m

KINDS = {"held": "ua_controlled", "grey": "grey_zone"}


class SnapshotError(Exception):
    """Why the snapshot was not added (one or more lines for the editor)."""


def _geometry(doc: object, name: str) -> dict[str, Any]:
    """The one polygonal geometry of a GeoJSON file: a FeatureCollection of one feature, a Feature or
    a bare geometry."""
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        feats = doc.get("features") or []
        if len(feats) != 1:
            raise SnapshotError(
                f"{name}: {len(feats)} features; a snapshot is one feature (merge the "
                "polygons into one MultiPolygon first, e.g. QGIS 'Dissolve')"
            )
        doc = feats[0]
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = doc.get("geometry")
    if not isinstance(doc, dict) or doc.get("type") not in L.POLYGONS:
        raise SnapshotError(f"{name}: not a GeoJSON Polygon or MultiPolygon")
    return {"type": doc["type"], "coordinates": doc.get("coordinates")}


def add_snapshot(file: Path, date: str, kind: str, geo_dir: Path, data_dir: Path, source: str | None = None) -> str:
    """Add the snapshot; return a one-line report. Raises :class:`SnapshotError`.

    The date must lie in the editors' date window (``data/site.yaml``), like every dated record."""
    if kind not in KINDS:
        raise SnapshotError(f"--kind must be one of: {', '.join(KINDS)}")
    problems: list[L.Problem] = []
    site = L.read_yaml(data_dir / L.SITE_FILE, f"{data_dir.name}/{L.SITE_FILE}", m.Site, problems, [])
    if site is None:
        raise SnapshotError(
            "\n".join(map(str, problems)) + f"\n{data_dir.name}/{L.SITE_FILE} sets the date window; "
            "it must be valid before a snapshot is added"
        )
    window = site.dates.resolve(dt.date.today())
    try:
        day = m.date_in_window(m._iso_date(date), window, "dates")
    except ValueError as e:
        raise SnapshotError(f"--date: {e}") from None
    raw = L._read_bytes(file, file.name, L.MAX_GEO_BYTES, problems) if file.exists() else None
    if raw is None:
        raise SnapshotError("\n".join(map(str, problems)) or f"{file.name}: file is missing")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise SnapshotError(f"{file.name}: not valid GeoJSON ({type(e).__name__})") from None
    geometry = _geometry(doc, file.name)

    man = L.read_yaml(geo_dir / L.MANIFEST_FILE, f"{geo_dir.name}/{L.MANIFEST_FILE}", m.GeoManifest, problems, [])
    if man is None:
        raise SnapshotError("\n".join(map(str, problems)))
    layer = next((lyr for lyr in man.layers if lyr.kind == "control"), None)
    if layer is None or not layer.date_field:
        raise SnapshotError(f"{geo_dir.name}/{L.MANIFEST_FILE}: no dated layer of kind 'control'")
    target = geo_dir / layer.file
    rel = f"{geo_dir.name}/{layer.file}"
    current = L.read_geojson(target, rel, layer, man.region.bbox, problems, [], window)
    if current is None:
        raise SnapshotError("\n".join(map(str, problems)) + f"\n{rel} must be valid before a snapshot is added")

    full = KINDS[kind]
    iso = day.isoformat()
    if any(f["properties"][layer.date_field] == iso and f["properties"]["kind"] == full for f in current["features"]):
        raise SnapshotError(f"{rel} already has a {full} snapshot for {iso}; remove it first to replace it")
    [area] = L.polygon_areas_km2([geometry])
    feature = {
        "type": "Feature",
        "properties": {
            layer.date_field: iso,
            "kind": full,
            "area_km2": area,
            "source": source or f"added with add-snapshot from {file.name}",
        },
        "geometry": geometry,
    }
    feats = sorted([*current["features"], feature], key=lambda f: (f["properties"][layer.date_field], f["properties"]["kind"]))
    out = {**current, "features": feats}
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"

    fd, tmp = tempfile.mkstemp(prefix=f".{layer.file}.", suffix=".tmp", dir=geo_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        check: list[L.Problem] = []
        L.read_geojson(Path(tmp), rel, layer, man.region.bbox, check, [], window)
        mine = [p for p in check if p.row == f"feature {feats.index(feature) + 1}"] or check
        if check:
            raise SnapshotError("\n".join(str(p).replace(f"feature {feats.index(feature) + 1}", file.name, 1) for p in mine))
        os.chmod(tmp, os.stat(target).st_mode & 0o777)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return f"added {full} {iso} ({area:g} km², {L.AREA_CRS}) to {rel}; run `python -m explainer validate`"
