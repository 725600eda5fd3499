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
from explainer.load import AREA_CRS, complete_areas, load_bundle, polygon_areas_km2
from explainer.paths import DATA, GEO

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
        f"added ua_controlled {new_day} ({area:g} km², {AREA_CRS}) to geo/{CONTROL}; run `python -m explainer validate`\n"
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
    assert F.build_map(bundle, dt.date.fromisoformat(new_day), "en").figure.layout.meta["snapshot"] == new_day
    help_text = run("add-snapshot", "--help").stdout
    assert "WRITES" in help_text and "atomically" in help_text


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("duplicate", "already has a ua_controlled snapshot for {last}; remove it first to replace it"),
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
    poly = tmp_path / "p.geojson"
    poly.write_text(json.dumps(geom), "utf-8")
    original = (geo / CONTROL).read_bytes()
    r = run("add-snapshot", str(poly), "--date", date, "--kind", "held", "--geo", str(geo))
    assert r.returncode == 1, r.stdout
    assert message.format(last=last) in r.stdout
    assert r.stderr == "the snapshot was NOT added; nothing was written\n"
    assert (geo / CONTROL).read_bytes() == original
    assert not [p for p in geo.iterdir() if p.name.startswith(".")]


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
