"""Control snapshots (the Ukrainian-held area or the grey zone on one date): add, replace, remove.

Shared by the desk (``pages/desk.py``, into a staging copy) and ``python -m explainer add-snapshot``
(into ``geo/`` itself). Steps:

* ``read_upload``: one polygonal geometry from an uploaded file: GeoJSON (a bare Polygon or
  MultiPolygon, a Feature, or a collection of one feature) or a zipped shapefile (read with
  pyogrio, reprojected to WGS84 from its ``.prj``). Sizes, zip entries and the unpacked size are
  limited before anything is read; the shapefile's parts are written under fixed names in a
  temporary folder, so an upload's own name never becomes a path.
* ``normalise``: the geometry as ``geo/README.md`` wants it stored: 2-D (a constant Z of 0 dropped,
  any other Z refused), coordinates rounded to 1e-5 degrees, rings following the RFC 7946 right-hand
  rule (exteriors counter-clockwise). Nothing else: an invalid outline is refused, never repaired,
  simplified or clipped.
* ``change``: adds, replaces or removes the snapshot of one (date, kind) in the control layer's
  file, checks the whole new file with the validator's own GeoJSON rules, and replaces the file
  atomically (a temporary file renamed over it), so a reader never sees half a file.

The source entered is stored in the feature's ``source`` and ``source_name``; map captions name a
snapshot's source by its ``source_name`` (``explainer.queries.snapshot_source``), the layer's
otherwise. Errors are :class:`SnapshotError`: ``code`` names the catalogue key ``desk_snapshot_<code>``
(the desk shows it in the editor's language), ``str()`` is English (the command prints it).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import load as L
from .. import model as m
from ..load.geojson import _feature_problems

KINDS = {"held": "ua_controlled", "grey": "grey_zone"}  # the command's short names -> stored kinds
ACTIONS = ("add", "replace", "remove")
DECIMALS = 5  # 1e-5 degrees, about 1 m (geo/README.md)
MAX_UPLOAD_BYTES = 10_000_000  # a day's outline is tens of kilobytes; the whole bundled layer is 1.6 MB
MAX_UNPACKED_BYTES = 50_000_000
MAX_ZIP_ENTRIES = 50
MAX_SOURCE_CHARS = 80
SHAPEFILE_PARTS = ("shp", "shx", "dbf", "prj", "cpg")


class SnapshotError(ValueError):
    """Why nothing was written. ``problems``: the validator's problems, when those are the reason."""

    def __init__(self, code: str, message: str, problems: list[L.Problem] | None = None, **kw: object):
        super().__init__(message)
        self.code, self.kw, self.problems = code, kw, list(problems or [])


@dataclass(frozen=True)
class Polygon:
    """An uploaded outline as it will be stored."""

    geometry: dict[str, Any]  # GeoJSON geometry: 2-D, rounded, RFC 7946 orientation
    area_km2: float  # measured in the equal-area CRS (``load.AREA_CRS``)
    changed: tuple[str, ...] = ()  # what normalising did: "z_dropped", "rounded", "reoriented"


@dataclass(frozen=True)
class Snapshot:
    date: dt.date
    kind: str  # ua_controlled | grey_zone
    area_km2: float | None
    source: str
    geometry: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class ControlLayer:
    """The control layer of a ``geo/`` folder, with the rules a snapshot must follow."""

    geo: Path
    layer: m.Layer
    bbox: tuple[float, float, float, float]
    window: tuple[dt.date, dt.date] | None

    @property
    def path(self) -> Path:
        return self.geo / self.layer.file

    @property
    def rel(self) -> str:
        return f"{self.geo.name}/{self.layer.file}"

    @property
    def date_field(self) -> str:
        return self.layer.date_field or "date"


def full_kind(kind: str) -> str:
    """``held`` / ``grey`` (the command's words) or the stored kind itself -> the stored kind."""
    k = KINDS.get(kind, kind)
    if k not in m.CONTROL_KINDS:
        raise SnapshotError("kind", f"kind must be one of: {', '.join(KINDS)}", kinds=", ".join(KINDS))
    return k


# --------------------------------------------------------------------------- reading an upload


def read_upload(name: str, raw: bytes) -> Polygon:
    """The normalised outline in an uploaded file (see the module's docstring). ``name`` only tells
    the kind of file (its ending); it is never used as a path."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise SnapshotError(
            "too_large",
            f"the file is {len(raw) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB",
            size=round(len(raw) / 1e6, 1),
            limit=MAX_UPLOAD_BYTES // 1_000_000,
        )
    ending = name.replace("\\", "/").rsplit("/", 1)[-1].lower().rsplit(".", 1)[-1]
    if raw.startswith(b"PK\x03\x04") or ending == "zip":
        return normalise(_shapefile_geometry(raw))
    if ending in ("geojson", "json"):
        return normalise(_geojson_geometry(raw))
    raise SnapshotError("type", "only GeoJSON (.geojson, .json) and zipped shapefiles (.zip) can be uploaded")


def _one_geometry(doc: object) -> dict[str, Any]:
    """The one polygonal geometry of a FeatureCollection of one feature, a Feature or a bare geometry."""
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        feats = doc.get("features") or []
        if len(feats) != 1:
            raise SnapshotError(
                "features",
                f"{len(feats)} features; a snapshot is one feature (merge the polygons into one "
                "MultiPolygon first, e.g. QGIS 'Dissolve')",
                n=len(feats),
            )
        doc = feats[0]
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = doc.get("geometry")
    if not isinstance(doc, dict) or doc.get("type") not in L.POLYGONS:
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise SnapshotError("not_polygon", f"not a GeoJSON Polygon or MultiPolygon ({found})", found=str(found)[:40])
    return {"type": doc["type"], "coordinates": doc.get("coordinates")}


def _geojson_geometry(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise SnapshotError("not_geojson", f"not valid GeoJSON ({type(e).__name__})") from None
    if isinstance(doc, dict) and isinstance(doc.get("crs"), dict):
        name = str((doc["crs"].get("properties") or {}).get("name", ""))
        if not any(tag in name.upper() for tag in ("CRS84", "EPSG::4326", "EPSG:4326")):
            raise SnapshotError("crs", f"CRS is {name[:60]}; GeoJSON must be WGS84 lon/lat (EPSG:4326)", crs=name[:60])
    return _one_geometry(doc)


def _shapefile_geometry(raw: bytes) -> dict[str, Any]:
    """The one feature of a zipped shapefile, in WGS84. Only the parts of its one ``.shp`` are
    unpacked, each under a fixed name (``snapshot.shp``...) in a temporary folder."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise SnapshotError(
                    "too_large",
                    f"the zip unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB",
                    size=round(len(raw) / 1e6, 1),
                    limit=MAX_UNPACKED_BYTES // 1_000_000,
                )
            shps = [i for i in infos if i.filename.lower().endswith(".shp") and not i.filename.startswith("__MACOSX")]
            if len(shps) != 1:
                raise SnapshotError("zip_shapefiles", f"{len(shps)} shapefiles (.shp) in the zip; a snapshot is one", n=len(shps))
            stem = shps[0].filename[:-4]
            parts = {
                i.filename[len(stem) + 1 :].lower(): i for i in infos if i.filename[: len(stem) + 1].lower() == f"{stem}.".lower()
            }
            if "prj" not in parts:
                raise SnapshotError("no_prj", "the shapefile has no .prj file: its coordinate system is unknown")
            with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
                for ext in SHAPEFILE_PARTS:
                    if ext in parts:
                        Path(tmp, f"snapshot.{ext}").write_bytes(z.read(parts[ext]))
                return _read_shapefile(Path(tmp, "snapshot.shp"))
    except (zipfile.BadZipFile, ValueError) as e:
        if isinstance(e, SnapshotError):
            raise
        raise SnapshotError("not_zip", "this is not a zip file holding a shapefile") from None


def _read_shapefile(path: Path) -> dict[str, Any]:
    import pyogrio
    from shapely.geometry import mapping

    try:
        frame = pyogrio.read_dataframe(path)
    except Exception:  # pyogrio raises its own error kinds for unreadable parts
        raise SnapshotError("not_zip", "the shapefile in the zip cannot be read") from None
    if frame.crs is None:
        raise SnapshotError("no_prj", "the shapefile has no .prj file: its coordinate system is unknown")
    if len(frame) != 1:
        raise SnapshotError(
            "features",
            f"{len(frame)} features; a snapshot is one feature (merge the polygons into one MultiPolygon "
            "first, e.g. QGIS 'Dissolve')",
            n=len(frame),
        )
    frame = frame.to_crs("EPSG:4326")
    geom = frame.geometry.iloc[0]
    if geom is None:
        raise SnapshotError("not_polygon", "not a Polygon or MultiPolygon (None)", found="None")
    return _one_geometry(dict(mapping(geom)))


def normalise(geometry: dict[str, Any]) -> Polygon:
    """A GeoJSON polygon geometry as ``geo/README.md`` stores it (see the module's docstring)."""
    import numpy as np
    import shapely
    from shapely.geometry import mapping, shape

    try:
        geom = shape(geometry)
    except Exception as e:  # shapely raises several kinds for malformed coordinates
        raise SnapshotError("malformed", f"malformed geometry ({e})", reason=str(e)[:120]) from None
    if geom.geom_type not in L.POLYGONS:
        raise SnapshotError("not_polygon", f"not a Polygon or MultiPolygon ({geom.geom_type})", found=geom.geom_type)
    if geom.is_empty:
        raise SnapshotError("empty", "the outline is empty")
    changed = []
    if shapely.has_z(geom):
        z = shapely.get_coordinates(geom, include_z=True)[:, 2]
        if np.any((z != 0.0) & ~np.isnan(z)):  # a real height would carry information: refuse, never drop it silently
            raise SnapshotError("z", "the outline has heights (a Z coordinate other than 0): export it in 2-D")
        geom = shapely.force_2d(geom)
        changed.append("z_dropped")
    coords = shapely.get_coordinates(geom)
    if not np.all(np.isfinite(coords)):
        raise SnapshotError("malformed", "malformed geometry (a coordinate is not a number)", reason="NaN")
    rounded = shapely.transform(geom, lambda c: np.round(c, DECIMALS))
    if not np.array_equal(coords, shapely.get_coordinates(rounded)):
        changed.append("rounded")
    oriented = shapely.orient_polygons(rounded, exterior_cw=False)
    if not np.array_equal(shapely.get_coordinates(oriented), shapely.get_coordinates(rounded)):
        changed.append("reoriented")
    out = mapping(oriented)
    gj = {"type": out["type"], "coordinates": _listify(out["coordinates"])}
    [area] = L.polygon_areas_km2([gj])
    return Polygon(gj, area, tuple(changed))


def _listify(obj: Any) -> Any:
    if isinstance(obj, (tuple, list)):
        return [_listify(o) for o in obj]
    if isinstance(obj, float):
        return round(obj, DECIMALS) + 0.0  # no -0.0
    return obj


# --------------------------------------------------------------------------- the layer


def control_layer(geo: Path, data: Path) -> ControlLayer:
    """The control layer of ``geo`` and the editors' date window of ``data`` (``site.yaml``)."""
    problems: list[L.Problem] = []
    site = L.read_yaml(data / L.SITE_FILE, f"{data.name}/{L.SITE_FILE}", m.Site, problems, [])
    if site is None:
        raise SnapshotError("site", f"{data.name}/{L.SITE_FILE} sets the date window; it must be valid first", problems)
    man = L.read_yaml(geo / L.MANIFEST_FILE, f"{geo.name}/{L.MANIFEST_FILE}", m.GeoManifest, problems, [])
    if man is None:
        raise SnapshotError("layer", f"{geo.name}/{L.MANIFEST_FILE} must be valid first", problems)
    layer = next((lyr for lyr in man.layers if lyr.kind == "control"), None)
    if layer is None or not layer.date_field:
        raise SnapshotError("layer", f"{geo.name}/{L.MANIFEST_FILE}: no dated layer of kind 'control'")
    return ControlLayer(geo, layer, man.region.bbox, site.dates.resolve(dt.date.today()))


def context_lines(geo: Path, kinds: tuple[str, ...] = ("oblast", "border")) -> list[dict[str, Any]]:
    """The geometries of the layers of these kinds (the oblast's outline, the state border), to draw
    a snapshot in its place; none when a layer cannot be read."""
    problems: list[L.Problem] = []
    man = L.read_yaml(geo / L.MANIFEST_FILE, f"{geo.name}/{L.MANIFEST_FILE}", m.GeoManifest, problems, [])
    out: list[dict[str, Any]] = []
    for lyr in man.layers if man is not None else []:
        if lyr.kind in kinds:
            try:
                doc = json.loads((geo / lyr.file).read_bytes())
            except (OSError, ValueError):
                continue
            out += [f["geometry"] for f in doc.get("features", []) if isinstance(f, dict) and isinstance(f.get("geometry"), dict)]
    return out


def _read_layer(lyr: ControlLayer) -> dict[str, Any]:
    problems: list[L.Problem] = []
    doc = L.read_geojson(lyr.path, lyr.rel, lyr.layer, lyr.bbox, problems, [], lyr.window)
    if doc is None or problems:
        raise SnapshotError("layer", f"{lyr.rel} must be valid before a snapshot is changed", problems)
    return doc


def snapshots(geo: Path, data: Path) -> list[Snapshot]:
    """Every snapshot of the control layer, by date and kind."""
    lyr = control_layer(geo, data)
    out = []
    for f in _read_layer(lyr)["features"]:
        p = f["properties"]
        area = p.get("area_km2")
        out.append(
            Snapshot(
                dt.date.fromisoformat(p[lyr.date_field]),
                p["kind"],
                float(area) if isinstance(area, (int, float)) else None,
                str(p.get("source_name") or p.get("source") or ""),
                f["geometry"],
            )
        )
    return sorted(out, key=lambda s: (s.date, s.kind))


def previous(shots: list[Snapshot], day: dt.date, kind: str) -> Snapshot | None:
    """The latest snapshot of ``kind`` before ``day`` (what the new one is drawn over)."""
    earlier = [s for s in shots if s.kind == kind and s.date < day]
    return earlier[-1] if earlier else None


def check_day(lyr: ControlLayer, day: str | dt.date) -> dt.date:
    try:
        return m.date_in_window(m._iso_date(day if isinstance(day, str) else day.isoformat()), lyr.window, "dates")
    except ValueError as e:
        raise SnapshotError("date", f"--date: {e}", reason=str(e)) from None


def check_source(source: str | None) -> str:
    text = " ".join((source or "").split())
    if not text:
        raise SnapshotError("source", "say where the outline comes from (--source)")
    if len(text) > MAX_SOURCE_CHARS:
        raise SnapshotError(
            "source_long",
            f"the source is {len(text)} characters; at most {MAX_SOURCE_CHARS}",
            n=len(text),
            limit=MAX_SOURCE_CHARS,
        )
    return text


# --------------------------------------------------------------------------- changing the layer


def change(
    geo: Path,
    data: Path,
    action: str,
    day: str | dt.date,
    kind: str,
    polygon: Polygon | None = None,
    source: str | None = None,
) -> str:
    """Add, replace or remove the snapshot of (``day``, ``kind``) in ``geo``'s control layer; return a
    one-line report (English). Raises :class:`SnapshotError`; then nothing was written."""
    if action not in ACTIONS:
        raise SnapshotError("action_unknown", f"action must be one of: {', '.join(ACTIONS)}")
    full = full_kind(kind)
    lyr = control_layer(geo, data)
    iso = check_day(lyr, day).isoformat()
    if action != "remove":
        if polygon is None:
            raise SnapshotError("no_file", "no outline given")
        source = check_source(source)
    current = _read_layer(lyr)
    field_ = lyr.date_field
    same = [i for i, f in enumerate(current["features"]) if f["properties"][field_] == iso and f["properties"]["kind"] == full]
    if action == "add" and same:
        raise SnapshotError(
            "exists", f"{lyr.rel} already has a {full} snapshot for {iso}; replace it (--replace)", date=iso, kind=full
        )
    if action != "add" and not same:
        raise SnapshotError("missing", f"{lyr.rel} has no {full} snapshot for {iso}", date=iso, kind=full)
    feats = [f for i, f in enumerate(current["features"]) if i not in same]
    if action == "remove":
        if not any(f["properties"]["kind"] == "ua_controlled" for f in feats):
            raise SnapshotError("last", f"{lyr.rel} would have no ua_controlled snapshot left")
        _write(lyr, {**current, "features": feats}, None)
        return f"removed {full} {iso} from {lyr.rel}; run `python -m explainer validate`"
    assert polygon is not None and source is not None
    feature = {
        "type": "Feature",
        "properties": {field_: iso, "kind": full, "area_km2": polygon.area_km2, "source": source, "source_name": source},
        "geometry": polygon.geometry,
    }
    feats = sorted([*feats, feature], key=lambda f: (f["properties"][field_], f["properties"]["kind"]))
    _write(lyr, {**current, "features": feats}, feats.index(feature))
    verb = "added" if action == "add" else "replaced"
    return f"{verb} {full} {iso} ({polygon.area_km2:g} km², {L.AREA_CRS}) in {lyr.rel}; run `python -m explainer validate`"


def problems_of(polygon: Polygon, lyr: ControlLayer) -> list[L.Problem]:
    """The validator's geometry problems for this outline (outside the region, invalid...), before any write."""
    feat = {"type": "Feature", "properties": {}, "geometry": polygon.geometry}
    found, _ = _feature_problems(lyr.rel, 0, feat, lyr.layer.kind, lyr.bbox)
    return found


def _write(lyr: ControlLayer, doc: dict[str, Any], new: int | None) -> None:
    """Write the layer aside, check it with the validator's rules, then rename it over the live file."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{lyr.layer.file}.", suffix=".tmp", dir=lyr.geo)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        check: list[L.Problem] = []
        L.read_geojson(Path(tmp), lyr.rel, lyr.layer, lyr.bbox, check, [], lyr.window)
        if check:
            mine = [p for p in check if new is not None and str(p.row or "").startswith(f"feature {new + 1}")] or check
            reasons = "; ".join(str(p.message) for p in mine)
            raise SnapshotError("invalid", "the outline was refused: " + reasons, mine, reasons=reasons)
        os.chmod(tmp, os.stat(lyr.path).st_mode & 0o777)
        os.replace(tmp, lyr.path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
