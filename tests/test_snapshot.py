"""`python -m explainer add-snapshot`: an editor adds a control snapshot; its area is computed at load.

Every polygon here is a bundled snapshot's own geometry (copied under a later date) or a bundled
polygon moved out of the region, never a drawn shape.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from conftest import explainer_cli

from explainer import figures as F
from explainer import i18n
from explainer.i18n import t
from explainer.load import AREA_CRS, complete_areas, load_bundle, polygon_areas_km2
from explainer.paths import DATA, GEO
from explainer.ui.parts import snapshot_text

CONTROL = "control_deepstate.geojson"


def run(*args: str) -> subprocess.CompletedProcess:
    return explainer_cli(*args)


def bundled_geometry(geo: Path, kind: str = "ua_controlled") -> tuple[str, dict]:
    doc = json.loads((geo / CONTROL).read_text("utf-8"))
    last = max(f["properties"]["date"] for f in doc["features"])
    return last, next(
        f["geometry"] for f in doc["features"] if f["properties"]["date"] == last and f["properties"]["kind"] == kind
    )


def test_added_snapshot_is_on_the_slider_and_in_the_area_series(data_copy, tmp_path):
    data, geo = data_copy
    last, geom = bundled_geometry(geo)
    before = json.loads((geo / CONTROL).read_text("utf-8"))["features"]
    poly = tmp_path / "held.geojson"
    poly.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": geom}), "utf-8")
    new_day = (dt.date.fromisoformat(last) + dt.timedelta(days=31)).isoformat()
    r = run(
        "add-snapshot",
        str(poly),
        "--date",
        new_day,
        "--kind",
        "held",
        "--geo",
        str(geo),
        "--source",
        "test copy of the last bundled snapshot",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    [area] = polygon_areas_km2([geom])
    assert r.stdout == (
        f"added ua_controlled {new_day} ({area:g} km², {AREA_CRS}) in geo/{CONTROL}; run `python -m explainer validate`\n"
    )
    after = json.loads((geo / CONTROL).read_text("utf-8"))["features"]
    assert [f for f in after if f["properties"]["date"] != new_day] == before, "existing snapshots untouched"
    assert not [p for p in geo.iterdir() if p.name.startswith(".")], "no temporary file left behind"
    bundle = load_bundle(data, geo)
    assert bundle.dates("control_deepstate")[-1] == dt.date.fromisoformat(new_day)
    row = bundle.areas[bundle.areas["date"] == dt.date.fromisoformat(new_day)]
    assert row["ua_controlled_km2"].tolist() == [area] and row["grey_zone_km2"].tolist() == [0.0]
    assert bundle.areas["date"].is_monotonic_increasing
    fig = F.build_area(bundle, "en").figure  # the area chart draws the new point
    xs = {str(x)[:10] for tr in fig.data if tr.x is not None for x in tr.x}
    assert new_day in xs
    shown = F.build_map(bundle, dt.date.fromisoformat(new_day), "en")
    assert shown.figure.layout.meta["snapshot"] == new_day
    # the source entered names the snapshot in the map's caption, its legend and its text alternative
    assert shown.figure.layout.meta["source"] == "test copy of the last bundled snapshot"
    assert "test copy of the last bundled snapshot" in shown.summary
    assert "Held by Ukraine" in {tr.name for tr in shown.figure.data}  # the legend stays short: the caption names it
    said = snapshot_text(bundle, shown, i18n.bind("en"))
    assert said == (
        t(
            "en",
            "map_snapshot",
            source="test copy of the last bundled snapshot",
            date=i18n.date(dt.date.fromisoformat(new_day), "en"),
        ),
        False,
    )
    other = F.build_map(bundle, dt.date.fromisoformat(last), "en")  # the bundled dates keep the layer's own name
    assert other.figure.layout.meta["source"] == F.source_name(bundle, "control_deepstate", "en")
    help_text = run("add-snapshot", "--help").stdout
    assert "WRITES" in help_text and "atomically" in help_text


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("duplicate", "already has a ua_controlled snapshot for {last}; replace it (--replace)"),
        ("no_source", "say where the outline comes from (--source)"),
        ("z", "the outline has heights (a Z coordinate other than 0): export it in 2-D"),
        ("outside", "extends outside the region"),
        ("point", "not a GeoJSON Polygon or MultiPolygon"),
        ("bad_date", "--date: '2025-02-30' is not a real calendar date"),
    ],
)
def test_refused_snapshot_writes_nothing(data_copy, tmp_path, case, message):
    _, geo = data_copy
    last, geom = bundled_geometry(geo)
    date = "2025-12-01"
    if case == "duplicate":
        date = last
    elif case == "outside":  # the same polygon moved 20° east, far outside the region
        geom = {"type": geom["type"], "coordinates": json.loads(json.dumps(geom["coordinates"]).replace("[3", "[5"))}
    elif case == "point":
        geom = {"type": "Point", "coordinates": [35.5, 51.3]}
    elif case == "bad_date":
        date = "2025-02-30"
    elif case == "z":  # a real height would carry information: refused, never dropped
        geom = {"type": geom["type"], "coordinates": with_z(geom["coordinates"], 120.0)}
    poly = tmp_path / "p.geojson"
    poly.write_text(json.dumps(geom), "utf-8")
    original = (geo / CONTROL).read_bytes()
    source = () if case == "no_source" else ("--source", "test")
    r = run("add-snapshot", str(poly), "--date", date, "--kind", "held", "--geo", str(geo), *source)
    assert r.returncode == 1, r.stdout
    assert message.format(last=last) in r.stdout
    assert r.stderr == "the snapshot was NOT added; nothing was written\n"
    assert (geo / CONTROL).read_bytes() == original
    assert not [p for p in geo.iterdir() if p.name.startswith(".")]


def with_z(coords, z: float):
    """Coordinates with a third value (a height) on every position."""
    if isinstance(coords[0], (int, float)):
        return [*coords[:2], z]
    return [with_z(c, z) for c in coords]


def test_replace_then_remove_restores_the_layer_byte_for_byte(data_copy, tmp_path):
    data, geo = data_copy
    original = (geo / CONTROL).read_bytes()
    last, held = bundled_geometry(geo)
    first_doc = json.loads(original)["features"]
    earlier = next(f["geometry"] for f in first_doc if f["properties"]["kind"] == "ua_controlled")  # the first bundled one
    day = (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()
    a, b = tmp_path / "a.geojson", tmp_path / "b.geojson"
    a.write_text(json.dumps(held), "utf-8")
    b.write_text(
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": earlier}]})
    )
    common = ("--date", day, "--kind", "held", "--geo", str(geo), "--data", str(data))
    assert run("add-snapshot", str(a), *common, "--source", "test A").returncode == 0
    r = run("add-snapshot", str(b), *common, "--source", "test B", "--replace")
    assert r.returncode == 0, r.stdout + r.stderr
    [area_b] = polygon_areas_km2([earlier])
    assert r.stdout.startswith(f"replaced ua_controlled {day} ({area_b:g} km²")
    feats = [f for f in json.loads((geo / CONTROL).read_text("utf-8"))["features"] if f["properties"]["date"] == day]
    assert len(feats) == 1 and feats[0]["geometry"] == earlier
    assert feats[0]["properties"] == {
        "date": day,
        "kind": "ua_controlled",
        "area_km2": area_b,
        "source": "test B",
        "source_name": "test B",
    }
    bundle = load_bundle(data, geo)
    assert F.build_map(bundle, dt.date.fromisoformat(day), "fr-CH").figure.layout.meta["source"] == "test B"
    r = run("add-snapshot", *common, "--remove")
    assert (r.returncode, r.stdout) == (
        0,
        f"removed ua_controlled {day} from geo/{CONTROL}; run `python -m explainer validate`\n",
    )
    assert (geo / CONTROL).read_bytes() == original


@pytest.mark.parametrize(
    ("args", "message", "stderr"),
    [
        (("--replace", "--source", "x"), "has no ua_controlled snapshot for 2025-12-02", "NOT replaced"),
        (("--remove",), "has no ua_controlled snapshot for 2025-12-02", "NOT removed"),
    ],
)
def test_replace_or_remove_what_is_not_there_is_refused(data_copy, tmp_path, args, message, stderr):
    data, geo = data_copy
    _, held = bundled_geometry(geo)
    poly = tmp_path / "p.geojson"
    poly.write_text(json.dumps(held), "utf-8")
    original = (geo / CONTROL).read_bytes()
    files = () if "--remove" in args else (str(poly),)
    r = run("add-snapshot", *files, "--date", "2025-12-02", "--kind", "held", "--geo", str(geo), "--data", str(data), *args)
    assert r.returncode == 1 and message in r.stdout and stderr in r.stderr, r.stdout + r.stderr
    assert (geo / CONTROL).read_bytes() == original


def test_geometry_is_stored_as_geo_readme_says(data_copy, tmp_path):
    """2-D, rounded to 1e-5 degrees, exteriors counter-clockwise: a bundled outline given with a Z of 0,
    its rings reversed and its coordinates off the grid by less than half a step comes back as bundled."""
    data, geo = data_copy
    last, held = bundled_geometry(geo)

    def messy(c):
        if isinstance(c[0], (int, float)):
            return [c[0] + 3e-6, c[1] - 2e-6, 0.0]
        return [messy(x) for x in c]

    def reversed_rings(gj):
        polys = gj["coordinates"] if gj["type"] == "MultiPolygon" else [gj["coordinates"]]
        out = [[ring[::-1] for ring in poly] for poly in polys]
        return out if gj["type"] == "MultiPolygon" else out[0]

    given = {"type": held["type"], "coordinates": messy(reversed_rings(held))}
    poly = tmp_path / "messy.geojson"
    poly.write_text(json.dumps(given), "utf-8")
    day = (dt.date.fromisoformat(last) + dt.timedelta(days=2)).isoformat()
    r = run("add-snapshot", str(poly), "--date", day, "--kind", "held", "--geo", str(geo), "--source", "test")
    assert r.returncode == 0, r.stdout + r.stderr
    stored = next(f for f in json.loads((geo / CONTROL).read_text("utf-8"))["features"] if f["properties"]["date"] == day)
    assert stored["geometry"] == held


def test_zipped_shapefile_in_another_crs_is_read_and_reprojected(data_copy, tmp_path):
    """A shapefile (Web Mercator, in a folder inside the zip, as QGIS users send them) of a bundled outline."""
    import zipfile

    import geopandas as gpd
    import shapely
    from shapely.geometry import shape

    data, geo = data_copy
    last, held = bundled_geometry(geo)
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[shape(held)], crs="EPSG:4326").to_crs("EPSG:3857").to_file(folder / "held.shp")
    z = tmp_path / "held.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, f"export/{p.name}")
    day = (dt.date.fromisoformat(last) + dt.timedelta(days=3)).isoformat()
    r = run("add-snapshot", str(z), "--date", day, "--kind", "held", "--geo", str(geo), "--data", str(data), "--source", "test")
    assert r.returncode == 0, r.stdout + r.stderr
    stored = next(f for f in json.loads((geo / CONTROL).read_text("utf-8"))["features"] if f["properties"]["date"] == day)
    g = shape(stored["geometry"])
    assert g.is_valid and not shapely.has_z(g)
    assert all(p.exterior.is_ccw for p in shapely.get_parts(g))
    coords = shapely.get_coordinates(g)
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all(), "rounded to 1e-5 degrees"
    assert abs(stored["properties"]["area_km2"] - polygon_areas_km2([held])[0]) <= 0.1
    assert g.symmetric_difference(shape(held)).area < 1e-8 * shape(held).area + 1e-9


def test_unknown_kind_is_a_usage_error(tmp_path):
    r = run("add-snapshot", str(tmp_path / "x.geojson"), "--date", "2025-06-01", "--kind", "blue")
    assert r.returncode == 2


def test_computed_areas_agree_with_the_area_table_within_one_percent():
    """The table (areas_file) holds the source figures (EPSG:6933, before simplification); the areas
    computed from the bundled, simplified polygons must agree within 1 % wherever the area exceeds 1 km²."""
    bundle = load_bundle(DATA, GEO)
    feats = [(d, f) for d, fc in bundle.control["control_deepstate"].items() for f in fc["features"]]
    computed = polygon_areas_km2(f["geometry"] for _, f in feats)
    table = bundle.areas.set_index("date")
    worst = 0.0
    for (d, f), a in zip(feats, computed):
        published = table.loc[d, f"{f['properties']['kind']}_km2"]
        if published > 1:
            worst = max(worst, abs(a - published) / published)
    assert worst < 0.01, worst


def test_feature_without_area_gets_its_computed_area():
    bundle = load_bundle(DATA, GEO)
    d, fc = next(iter(bundle.control["control_deepstate"].items()))
    feat = json.loads(json.dumps(fc["features"][0]))
    del feat["properties"]["area_km2"]
    complete_areas(bundle.areas, {d: {"type": "FeatureCollection", "features": [feat]}})
    assert feat["properties"]["area_km2"] == polygon_areas_km2([feat["geometry"]])[0]
