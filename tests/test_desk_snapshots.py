"""Control snapshots at the desk (explainer/desk/snapshots.py through a staging copy): uploads read
as GeoJSON or a zipped shapefile within limits, an upload's names never become paths, add, replace
and remove land in staging only, then review, publish and roll back like any other change.

Every outline here is a bundled snapshot's own geometry (copied under a later date), never a drawn shape.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from explainer import figures as F
from explainer.desk import publish as P
from explainer.desk import snapshots as SN
from explainer.desk import staging as S
from explainer.i18n import t
from explainer.load import load_bundle

CONTROL = "control_deepstate.geojson"


def last_held(geo: Path) -> tuple[dt.date, dict]:
    doc = json.loads((geo / CONTROL).read_text("utf-8"))
    last = max(f["properties"]["date"] for f in doc["features"])
    geom = next(
        f["geometry"] for f in doc["features"] if f["properties"]["date"] == last and f["properties"]["kind"] == "ua_controlled"
    )
    return dt.date.fromisoformat(last), geom


def shapefile_zip(geom: dict, tmp_path: Path, names: dict[str, str] | None = None, crs: str | None = "EPSG:4326") -> bytes:
    """The outline as a zipped shapefile written by geopandas; ``names`` renames members (ending -> name)."""
    import geopandas as gpd
    from shapely.geometry import shape

    folder = tmp_path / f"shp{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    gpd.GeoDataFrame({"name": ["x"]}, geometry=[shape(geom)], crs=crs).to_file(folder / "outline.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in sorted(folder.iterdir()):
            z.write(p, (names or {}).get(p.suffix, f"outline{p.suffix}"))
    return buf.getvalue()


def test_add_replace_remove_in_staging_then_review_publish_and_roll_back(desk, desk_data, tmp_path):
    data, geo = desk_data
    live = (geo / CONTROL).read_bytes()
    last, held = last_held(geo)
    day = last + dt.timedelta(days=1)
    st = S.begin("anna", data, geo)
    polygon = SN.read_upload("held.geojson", json.dumps({"type": "Feature", "properties": {}, "geometry": held}).encode())
    assert polygon.geometry == held and polygon.changed == ()
    report = st.snapshot("add", day, "ua_controlled", polygon, "Test: copy of the last snapshot")
    assert report.startswith(f"added ua_controlled {day}")
    assert (geo / CONTROL).read_bytes() == live, "the live layer is untouched until publishing"
    with pytest.raises(SN.SnapshotError) as e:
        st.snapshot("add", day, "ua_controlled", polygon, "again")
    assert (e.value.code, e.value.kw["date"]) == ("exists", day.isoformat())
    shots = st.snapshots()
    assert [(s.date, s.kind, s.source) for s in shots if s.date == day] == [
        (day, "ua_controlled", "Test: copy of the last snapshot")
    ]
    assert SN.previous(shots, day, "ua_controlled").date == last

    [d] = [d for d in P.review(st) if d.path.endswith(CONTROL)]
    assert (d.added, d.changed, d.removed) == ([f"{day} ua_controlled"], {}, [])
    assert P.propose_change(P.review(st), "en") == f"{CONTROL}: added {day} ua_controlled"
    staged, problems = st.check()
    assert problems == [] and staged is not None
    assert F.snapshot_source(staged, "control_deepstate", day, "fr-CH") == "Test: copy of the last snapshot"
    P.add_changelog(st, dt.date.today(), "Relevé de test", "Test snapshot")
    res = P.publish(st, "anna")
    assert f"geo/{CONTROL}" in res.files
    assert load_bundle(data, geo).dates("control_deepstate")[-1] == day

    st2 = S.begin("anna", data, geo)  # replace, then remove, from a new working copy
    other = SN.read_upload("zipped.zip", shapefile_zip(held, tmp_path))
    st2.snapshot("replace", day, "ua_controlled", other, "Test: the same outline as a shapefile")
    assert [s.source for s in st2.snapshots() if s.date == day] == ["Test: the same outline as a shapefile"]
    st2.snapshot("remove", day, "ua_controlled")
    assert (st2.geo / CONTROL).read_bytes() == live
    with pytest.raises(SN.SnapshotError) as e:
        st2.snapshot("remove", day, "ua_controlled")
    assert e.value.code == "missing"

    P.rollback(next(v.id for v in P.versions() if v.kind == "before"), "anna", data, geo)
    assert (geo / CONTROL).read_bytes() == live


def test_an_outline_outside_the_region_is_refused_with_the_validators_message(desk, desk_data):
    data, geo = desk_data
    last, held = last_held(geo)
    moved = {"type": held["type"], "coordinates": json.loads(json.dumps(held["coordinates"]).replace("[3", "[5"))}
    polygon = SN.read_upload("moved.json", json.dumps(moved).encode())
    lyr = SN.control_layer(geo, data)
    [p] = SN.problems_of(polygon, lyr)
    assert "extends outside the region" in p.message
    st = S.begin("anna", data, geo)
    before = (st.geo / CONTROL).read_bytes()
    with pytest.raises(SN.SnapshotError) as e:
        st.snapshot("add", last + dt.timedelta(days=1), "ua_controlled", polygon, "test")
    assert e.value.code == "invalid" and "extends outside the region" in str(e.value)
    assert (st.geo / CONTROL).read_bytes() == before
    assert not [p for p in st.geo.iterdir() if p.name.startswith(".")]


def test_upload_limits_and_refusals(desk, desk_data, tmp_path, monkeypatch):
    data, geo = desk_data
    _, held = last_held(geo)
    feature = {"type": "Feature", "properties": {}, "geometry": held}

    def code(name: str, raw: bytes) -> str:
        with pytest.raises(SN.SnapshotError) as e:
            SN.read_upload(name, raw)
        return e.value.code

    assert code("outline.kml", b"<kml/>") == "type"
    assert code("outline.geojson", b"{not json") == "not_geojson"
    assert code("two.geojson", json.dumps({"type": "FeatureCollection", "features": [feature, feature]}).encode()) == "features"
    assert code("point.geojson", json.dumps({"type": "Point", "coordinates": [35.5, 51.3]}).encode()) == "not_polygon"
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    assert code("mercator.geojson", json.dumps({**feature, "crs": crs}).encode()) == "crs"
    assert code("outline.zip", b"PK\x03\x04 not really a zip") == "not_zip"
    no_prj = zipfile.ZipFile(io.BytesIO(shapefile_zip(held, tmp_path)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in no_prj.infolist():
            if not i.filename.endswith(".prj"):
                z.writestr(i.filename, no_prj.read(i))
    assert code("outline.zip", buf.getvalue()) == "no_prj"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.shp", b"x")
        z.writestr("b.shp", b"x")
    assert code("two.zip", buf.getvalue()) == "zip_shapefiles"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:  # a few kilobytes that unpack to more than the limit
        z.writestr("big.shp", b"\0" * (SN.MAX_UNPACKED_BYTES + 1))
    assert len(buf.getvalue()) < 1_000_000 and code("bomb.zip", buf.getvalue()) == "too_large"
    monkeypatch.setattr(SN, "MAX_UPLOAD_BYTES", 100)
    assert code("outline.geojson", json.dumps(feature).encode()) == "too_large"


def test_a_zip_members_names_never_become_paths(desk, desk_data, tmp_path):
    data, geo = desk_data
    _, held = last_held(geo)
    odd = {ext: f"../../outside/evil{ext}" for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")}
    raw = shapefile_zip(held, tmp_path, odd)
    polygon = SN.read_upload("../../held.zip", raw)
    assert polygon.geometry == held or abs(polygon.area_km2 - SN.normalise(held).area_km2) <= 0.1
    assert not (tmp_path.parent / "outside").exists() and not (tmp_path / "outside").exists()


def test_every_refusal_has_its_text_in_both_catalogues():
    source = Path(SN.__file__).read_text("utf-8")
    codes = set(re.findall(r'SnapshotError\(\s*"([a-z_]+)"', source))
    assert {"exists", "missing", "too_large", "type", "no_prj", "invalid", "source"} <= codes
    for lang in ("fr-CH", "en"):
        for c in codes:
            assert t(
                lang, f"desk_snapshot_{c}", n=1, size=1, limit=1, date="d", kind="k", found="f", crs="c", reason="r", kinds="k"
            )
