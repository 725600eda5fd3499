"""Careless editors and hostile files: what the figures rely on is validated, I/O errors are problems,
the last valid data survives a restart, the public banner leaks nothing, limits hold, no traceback."""

from __future__ import annotations

import datetime as dt
import errno
import json
import math
import os
import subprocess
from pathlib import Path

import pytest
from conftest import chart_figures, explainer_cli
from french import assert_french
from streamlit.testing.v1 import AppTest
from test_app import run as run_app  # AppTest with env vars set for the run

from explainer import load as L
from explainer import store as S
from explainer.load import DataError, load_bundle
from explainer.store import DataStore


def problems(data: Path, geo: Path) -> list[str]:
    with pytest.raises(DataError) as excinfo:
        load_bundle(data, geo)
    assert_french(excinfo.value.problems)  # every message of the corpus, in French too
    return [str(p) for p in excinfo.value.problems]


def edit_geojson(path: Path, fn) -> None:
    doc = json.loads(path.read_text("utf-8"))
    fn(doc)
    path.write_text(json.dumps(doc) + "\n", "utf-8")


def validate(data: Path, geo: Path) -> subprocess.CompletedProcess:
    """The command's messages in English (the expected texts below are; French is checked by assert_french)."""
    return explainer_cli("validate", "--lang", "en", "--data", str(data), "--geo", str(geo))


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "cache"))


# --------------------------------------------------------------------------- what the figures rely on


def test_properties_null_is_rejected_by_validate(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "settlements.geojson", lambda d: d["features"][0].update(properties=None))
    edit_geojson(geo / "control_deepstate.geojson", lambda d: d["features"][4].update(properties=None))
    r = validate(data, geo)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "geo/control_deepstate.geojson:feature 5:properties: properties is null; it must be an object {…} "
        "(the map reads the date, kind, area and names from it)",
        "geo/settlements.geojson:feature 1:properties: properties is null; it must be an object {…} "
        "(the map reads the date, kind, area and names from it)",
    ]


@pytest.mark.parametrize("value", ["1234", True, None, float("nan"), -5])
def test_control_area_must_be_a_number(data_copy, value):
    data, geo = data_copy
    if value is None:  # a missing area is computed at load (equal-area CRS): no problem, and a number on the map
        edit_geojson(geo / "control_deepstate.geojson", lambda d: d["features"][2]["properties"].pop("area_km2"))
        feat = json.loads((geo / "control_deepstate.geojson").read_text("utf-8"))["features"][2]
        day = dt.date.fromisoformat(feat["properties"]["date"])
        got = [
            f
            for f in load_bundle(data, geo).control["control_deepstate"][day]["features"]
            if f["properties"]["kind"] == feat["properties"]["kind"]
        ]
        assert got[0]["properties"]["area_km2"] == L.polygon_areas_km2([feat["geometry"]])[0] > 0
        return
    edit_geojson(geo / "control_deepstate.geojson", lambda d: d["features"][2]["properties"].update(area_km2=value))
    assert problems(data, geo) == [
        "geo/control_deepstate.geojson:feature 3:area_km2: must be a number of km² (digits, no quotes), 0 or more"
    ]


def test_control_kind_missing(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "control_deepstate.geojson", lambda d: d["features"][2]["properties"].pop("kind"))
    assert problems(data, geo) == ["geo/control_deepstate.geojson:feature 3:kind: 'None' is not one of: ua_controlled, grey_zone"]


def test_settlement_name_must_be_text(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "settlements.geojson", lambda d: d["features"][1]["properties"].update(name_en=["x"]))
    assert problems(data, geo) == ["geo/settlements.geojson:feature 2 (id 'sudzha'):name_en: must be text (in quotes)"]


def test_static_layer_cannot_be_dated(data_copy):
    data, geo = data_copy
    path = geo / "manifest.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    i = next(i for i, t in enumerate(lines) if t.startswith("- id: oblast"))
    j = next(j for j in range(i, len(lines)) if lines[j].startswith("  date_field:"))
    lines[j] = "  date_field: date\n"
    path.write_text("".join(lines), "utf-8")
    n = sum(1 for t in lines[:i] if t.startswith("- id:"))
    assert problems(data, geo) == [
        f"geo/manifest.yaml:{j + 1}:layers.{n}.date_field: only control and advances layers are dated; "
        "a 'oblast' layer needs date_field: null"
    ]


# --------------------------------------------------------------------------- I/O errors are problems


@pytest.fixture
def deny(monkeypatch):
    """Permission denied by the OS call open(2) for the given file names, as for a mode-000 file under a
    non-root server (the tests may run as root, which would read the file anyway)."""
    denied: set[str] = set()
    real = os.open

    def fake(file, flags, *a, **kw):
        if Path(os.fsdecode(file)).name in denied:
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(file))
        return real(file, flags, *a, **kw)

    monkeypatch.setattr(os, "open", fake)
    return denied


def test_unreadable_file_is_a_problem_and_the_last_valid_data_serves(data_copy, deny):
    data, geo = data_copy
    store = DataStore(data, geo)
    good = store.get()
    assert good.ok and good.bundle
    (data / "claims.csv").touch()  # a new mtime: the store looks again
    deny.add("claims.csv")
    snap = store.get()  # the content hash is computed inside the error handling: no exception
    assert snap.bundle is good.bundle
    assert [str(p) for p in snap.problems] == [
        "data/claims.csv: cannot be read: permission denied (check the file's permissions)"
    ]
    assert all(str(data) not in str(p) for p in snap.problems), "no absolute path in a problem"


def test_unreadable_file_on_a_fresh_start_is_a_problem(data_copy, deny):
    data, geo = data_copy
    deny.add("manifest.yaml")
    snap = DataStore(data, geo).get()
    assert snap.bundle is None
    assert [str(p) for p in snap.problems] == [
        "geo/manifest.yaml: cannot be read: permission denied (check the file's permissions)"
    ]


def test_folder_in_place_of_a_file(data_copy):
    data, geo = data_copy
    (data / "events.csv").unlink()
    (data / "events.csv").mkdir()
    assert problems(data, geo) == ["data/events.csv: is a folder where a file is expected"]
    assert DataStore(data, geo).get().problems  # and the store does not raise


@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ"])
def test_symlink_out_of_the_data_folder_is_refused_and_not_quoted(data_copy, target):
    data, geo = data_copy
    (data / "places.csv").unlink()
    (data / "places.csv").symlink_to(target)
    got = problems(data, geo)
    assert got == ["data/places.csv: is a link to a file outside its folder; links out of the data folders are not followed"]
    assert "root:" not in "".join(got) and "PATH=" not in "".join(got)


def test_symlink_inside_the_data_folder_is_followed(data_copy):
    data, geo = data_copy
    (data / "places.csv").rename(data / "places-2026.csv")
    (data / "places.csv").symlink_to("places-2026.csv")
    assert load_bundle(data, geo).places


def test_unexpected_error_names_no_path(data_copy, monkeypatch):
    data, geo = data_copy

    def boom(*a, **kw):
        raise RuntimeError(f"failed at {data}/claims.csv")

    monkeypatch.setattr(S, "load_bundle", boom)
    snap = DataStore(data, geo).get()
    assert [str(p) for p in snap.problems] == ["data: unexpected error while reading (RuntimeError); details in the server log"]


# --------------------------------------------------------------------------- the last valid data survives a restart


def half_save(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-7])


def test_fresh_start_with_a_half_saved_file_serves_the_persisted_data(data_copy, tmp_path):
    data, geo = data_copy
    first = DataStore(data, geo).get()
    assert first.ok
    cache = DataStore(data, geo).cache_dir()
    assert cache.is_relative_to(tmp_path / "cache") and not cache.is_relative_to(data)
    half_save(data / "claims.csv")
    restarted = DataStore(data, geo).get()  # a new process: nothing in memory
    assert restarted.bundle is not None and restarted.persisted
    assert restarted.bundle.version == first.bundle.version
    assert restarted.bundle.claims == first.bundle.claims
    assert any("claims.csv" in str(p) and "does not end with a line end" in str(p) for p in restarted.problems)


def test_persisted_copy_is_the_bytes_that_validated(data_copy):
    data, geo = data_copy
    store = DataStore(data, geo)
    v1 = store.get().bundle.version
    path = data / "story.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # the same records re-saved: persisted again
    assert store.get().bundle.version == v1  # the version is the records'
    persisted = store.cache_dir() / "d" / "data" / "story.csv"
    assert persisted.read_bytes() == path.read_bytes()
    path.write_bytes(path.read_bytes().replace(b"\r\n1,", b"\r\n21,", 1))  # a changed value: a new version
    v2 = store.get().bundle.version
    assert v2 != v1
    assert persisted.read_bytes() == path.read_bytes()
    assert (store.cache_dir() / "VERSION").read_text().strip() == v2


def test_no_persisted_copy_means_no_data(data_copy):
    data, geo = data_copy
    half_save(data / "claims.csv")
    snap = DataStore(data, geo).get()
    assert snap.bundle is None and not snap.persisted and snap.problems


# --------------------------------------------------------------------------- the public banner leaks nothing


def shown(at: AppTest) -> str:
    parts = [e.value for e in (*at.warning, *at.error, *at.code, *at.markdown, *at.caption)]
    return "\n".join(map(str, parts))


def test_readers_see_a_count_editors_see_the_list_and_a_restart_serves_the_persisted_data(data_copy, tmp_path):
    data, geo = data_copy
    env = {
        "EXPLAINER_DATA_DIR": str(data),
        "EXPLAINER_GEO_DIR": str(geo),
        "EXPLAINER_EDITOR_KEY": "s3cret",
        "EXPLAINER_CACHE_DIR": str(tmp_path / "cache"),
    }
    at = run_app({"view": "map", "lang": "en"}, env)
    assert not at.warning and chart_figures(at)
    (data / "places.csv").unlink()
    (data / "places.csv").symlink_to("/etc/passwd")
    half_save(data / "claims.csv")
    S._stores.clear()  # a restart: no data in memory, only the persisted copy
    reader = run_app({"view": "map", "lang": "en"}, env)
    text = shown(reader)
    assert "The data is being updated (2 problem(s)" in text, text
    assert "claims.csv" not in text and "places.csv" not in text and "root:" not in text and str(data) not in text
    assert chart_figures(reader), "the persisted last valid data is served"
    assert not reader.exception
    wrong = run_app({"view": "map", "lang": "en", "editor": "guess"}, env)
    assert "claims.csv" not in shown(wrong)
    editor = run_app({"view": "map", "lang": "en", "editor": "s3cret"}, env)
    text = shown(editor)
    assert "data/claims.csv:" in text and "data/places.csv: is a link to a file outside its folder" in text
    assert "root:" not in text and str(data) not in text


def test_without_data_readers_see_only_that_it_is_being_updated(data_copy, tmp_path):
    data, geo = data_copy
    (data / "events.csv").write_text("id,date\nE1,2025-99-01\n", "utf-8")
    env = {
        "EXPLAINER_DATA_DIR": str(data),
        "EXPLAINER_GEO_DIR": str(geo),
        "EXPLAINER_EDITOR_KEY": "s3cret",
        "EXPLAINER_CACHE_DIR": str(tmp_path / "cache"),
    }
    at = run_app({"lang": "en"}, env)
    assert [e.value for e in at.error] == ["The data is being updated. Please come back in a few minutes."]
    assert not at.code and not chart_figures(at)


# --------------------------------------------------------------------------- limits


def test_vertex_limit_per_layer(data_copy):
    data, geo = data_copy
    # a synthetic test polygon (a circle) with one vertex more than the limit allows
    n = L.MAX_VERTICES + 1
    ring = [
        [round(35.5 + 0.05 * math.cos(2 * math.pi * k / n), 7), round(51.3 + 0.05 * math.sin(2 * math.pi * k / n), 7)]
        for k in range(n)
    ]
    edit_geojson(
        geo / "isw_russian_advances.geojson",
        lambda d: d["features"][0].update(geometry={"type": "Polygon", "coordinates": [ring + ring[:1]]}),
    )
    got = problems(data, geo)
    assert len(got) == 1 and got[0].startswith("geo/isw_russian_advances.geojson:geometry: ")
    assert f"the limit is {L.MAX_VERTICES}" in got[0]


def test_row_limit_per_table(data_copy):
    data, geo = data_copy
    path = data / "changelog.csv"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([lines[0]] + [lines[1]] * (L.MAX_ROWS + 1)) + "\n", "utf-8")
    got = problems(data, geo)
    assert f"data/changelog.csv:{L.MAX_ROWS + 2}: more than {L.MAX_ROWS} rows: the limit for one table" in got


# --------------------------------------------------------------------------- deep nesting: one message


def test_deeply_nested_json_is_one_message_without_traceback(data_copy):
    data, geo = data_copy
    (geo / "border.geojson").write_text('{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "\n", "utf-8")
    r = validate(data, geo)
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
    assert r.stdout.splitlines() == [f"geo/border.geojson: {L.NESTED_TOO_DEEP}"]


def test_deeply_nested_yaml_is_one_message_without_traceback(data_copy):
    data, geo = data_copy
    (data / "article.yaml").write_text("outlet: " + "[" * 100_000 + "\n", "utf-8")
    r = validate(data, geo)
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
    assert f"data/article.yaml: {L.NESTED_TOO_DEEP}" in r.stdout.splitlines()


def test_deeply_nested_properties_are_one_message(data_copy):
    data, geo = data_copy
    deep: list = []
    node = deep
    for _ in range(500):  # deep enough to break a recursive serialiser, shallow enough for json.loads
        node.append([])
        node = node[0]
    edit_geojson(geo / "settlements.geojson", lambda d: d["features"][0]["properties"].update(note=deep))
    assert problems(data, geo) == [f"geo/settlements.geojson:feature 1 (id 'kursk'):properties: {L.NESTED_TOO_DEEP}"]


def test_a_file_swapped_for_a_link_after_the_check_is_not_followed(data_copy, monkeypatch):
    data, geo = data_copy
    (data / "places.csv").unlink()
    (data / "places.csv").symlink_to("/etc/passwd")
    # the check ran before the swap (patched in explainer/load/text.py, where _read_bytes looks it up)
    monkeypatch.setattr("explainer.load.text._open_problem", lambda path, rel: None)
    got = problems(data, geo)
    assert got == ["data/places.csv: became a link while being read; links are not followed"]


def test_the_reader_opens_with_nofollow(data_copy, monkeypatch):
    data, geo = data_copy
    flags_seen = []
    real = os.open
    monkeypatch.setattr(os, "open", lambda f, flags, *a, **kw: (flags_seen.append(flags), real(f, flags, *a, **kw))[1])
    load_bundle(data, geo)
    assert flags_seen and all(f & os.O_NOFOLLOW and f & os.O_NONBLOCK for f in flags_seen)


def test_the_full_problem_list_goes_to_the_server_log(data_copy, caplog):
    data, geo = data_copy
    half_save(data / "claims.csv")
    with caplog.at_level("WARNING", logger="explainer.data"):
        snap = DataStore(data, geo).get()
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "explainer.data")
    assert all(str(p) in logged for p in snap.problems) and snap.problems
