"""An editors' update (tests/fixtures/update/) appears in every view without a code change.

The fixture adds six claimants, claims and events from June 2025 to February 2027 and an event
after the last map snapshot. Checked through the figure data, not pixels: every new point and
event lies inside the drawn x range, no two claimants in one panel share colour and symbol, the
kicker's period follows the data, and a date after the last snapshot keeps its day.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import app_test, component_data

from explainer import figures as F
from explainer import i18n
from explainer import queries as Q
from explainer.load import load_bundle
from explainer.model import CASUALTY_MEASURES
from explainer.paths import ROOT, TESTS

FIXTURE = TESTS / "fixtures" / "update"


def apply_update(data: Path) -> None:
    """Append the fixture's rows to a copy of data/, as an editor would, and open the date window."""
    for src in sorted(FIXTURE.glob("*.csv")):
        dst = data / src.name
        with src.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        with dst.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        text = dst.read_text("utf-8")
        with dst.open("a", encoding="utf-8", newline="") as f:
            if not text.endswith("\n"):
                f.write("\n")
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            for r in rows:
                w.writerow({k: r.get(k, "") for k in header})
    site = data / "site.yaml"
    site.write_text(re.sub(r"(?m)^  latest: .*$", "  latest: 2027-12-31", site.read_text("utf-8")), "utf-8")


@pytest.fixture
def updated(data_copy):
    data, geo = data_copy
    apply_update(data)
    return data, geo


@pytest.fixture
def bundle(updated):
    return load_bundle(*updated)


def fixture_ids(name: str) -> set[str]:
    with (FIXTURE / name).open(encoding="utf-8", newline="") as f:
        return {r["id"] for r in csv.DictReader(f)}


def x_range(layout: dict, axis: str = "xaxis") -> tuple[dt.date, dt.date]:
    lo, hi = layout[axis]["range"]
    return dt.date.fromisoformat(str(lo)[:10]), dt.date.fromisoformat(str(hi)[:10])


def points(fig: dict):
    """(claim or event id, date, x axis) of every drawn point that carries an id."""
    for tr in fig["data"]:
        ids, xs = tr.get("customdata"), tr.get("x")
        if ids is None or xs is None:
            continue
        for cid, x in zip(list(ids), list(xs)):
            yield cid, dt.date.fromisoformat(str(x)[:10]), "xaxis" + (tr.get("xaxis") or "x")[1:]


def test_update_validates_and_has_thirty_claimants(bundle):
    assert len(bundle.claimants) >= 30
    assert fixture_ids("claims.csv") <= {c.id for c in bundle.claims}
    assert max(c.date for c in bundle.claims) == dt.date(2027, 2, 14)


@pytest.mark.parametrize("locale", ["fr-CH", "en"])
def test_every_new_claim_and_event_is_inside_the_drawn_range(bundle, locale):
    new_claims, new_events = fixture_ids("claims.csv"), fixture_ids("events.csv")
    figs = [
        F.build_casualties(bundle, locale, selected=d).figure.to_dict() for d in (None, dt.date(2027, 2, 14), dt.date(2024, 8, 6))
    ]
    figs += [F.build_area(bundle, locale, selected=dt.date(2027, 2, 14)).figure.to_dict()]
    figs += [F.build_timeline(bundle, locale, selected=dt.date(2027, 2, 14)).figure.to_dict()]
    seen = set()
    for fig in figs:
        for cid, day, axis in points(fig):
            lo, hi = x_range(fig["layout"], axis)
            assert lo < day < hi, (cid, day, lo, hi)
            seen.add(cid)
        # the article's line and the selected-date line are inside the range too
        for shape in fig["layout"].get("shapes", []):
            lo, hi = x_range(fig["layout"])
            assert lo <= dt.date.fromisoformat(str(shape["x0"])[:10]) <= hi
    assert new_claims <= seen and new_events <= seen, (new_claims - seen, new_events - seen)


def test_a_selected_date_outside_the_data_widens_the_axis(bundle):
    far = dt.date(2027, 9, 1)
    fig = F.build_casualties(bundle, "fr-CH", selected=far).figure.to_dict()
    lo, hi = x_range(fig["layout"])
    assert lo < far < hi
    base = F.build_casualties(bundle, "fr-CH").figure.to_dict()
    assert x_range(base["layout"])[1] < far  # the base itself follows the data only


def test_no_two_claimants_in_one_panel_share_colour_and_symbol(bundle):
    for locale in ("fr-CH", "en"):
        fig = F.build_casualties(bundle, locale).figure.to_dict()
        panels: dict[str, dict[str, set]] = {}
        for tr in fig["data"]:
            meta = tr.get("meta") or {}
            if "claimant" not in meta or meta.get("legend"):
                continue
            look = {(tr["marker"]["color"], s) for s in tr["marker"]["symbol"]}
            panel = panels.setdefault(tr.get("xaxis") or "x", {})
            for other, their in panel.items():
                assert not (look & their), (meta["claimant"], other, look & their)
            panel[meta["claimant"]] = look
        assert sum(len(p) for p in panels.values()) >= 15
        # the legend shows each claimant with the colour (and dot variant) its points carry
        legend = {tr["meta"]["claimant"]: tr["marker"] for tr in fig["data"] if (tr.get("meta") or {}).get("legend")}
        for tr in fig["data"]:
            meta = tr.get("meta") or {}
            if "claimant" in meta and not meta.get("legend"):
                assert legend[meta["claimant"]]["color"] == tr["marker"]["color"]
                assert legend[meta["claimant"]]["symbol"].endswith("-dot") == tr["marker"]["symbol"][0].endswith("-dot")


def test_adding_a_claimant_recolours_no_one(data_copy, updated):
    from explainer import colours as K

    before = K.claimant_styles(load_bundle(*data_copy))
    after = K.claimant_styles(load_bundle(*updated))
    assert all(after[cid] == style for cid, style in before.items())


def test_an_editor_colour_is_used_and_validated(updated):
    from explainer import colours as K
    from explainer.load import DataError

    data, geo = updated
    path = data / "claimants.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    header = list(rows[0]) + ["colour"]
    for r in rows:
        r["colour"] = "#7A1F5C" if r["id"] == "test_kr_one" else ""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    assert K.claimant_styles(load_bundle(data, geo))["test_kr_one"].colour == "#7A1F5C"
    rows[-1]["colour"] = "#FFEE99"  # too light on white
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(DataError) as e:
        load_bundle(data, geo)
    msgs = [str(p) for p in e.value.problems]
    assert len(msgs) == 1 and msgs[0].startswith(f"data/claimants.csv:{len(rows) + 1}:colour: '#FFEE99' is too light")


def test_dates_of_2027_need_the_editors_window(data_copy):
    from explainer.load import DataError

    data, geo = data_copy
    apply_update(data)
    site = data / "site.yaml"
    site.write_text(re.sub(r"(?m)^  latest: .*$", "  latest: 2027-01-31", site.read_text("utf-8")), "utf-8")
    with pytest.raises(DataError) as e:
        load_bundle(data, geo)
    msgs = [str(p) for p in e.value.problems]
    assert any("C9007" not in m and "2027-02-14 is outside the window set in site.yaml" in m for m in msgs)
    assert all("2027-02-14" in m for m in msgs), msgs


def test_a_changelog_row_in_the_future_is_refused(data_copy):
    from explainer.load import DataError

    data, geo = data_copy
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    line = len((data / "changelog.csv").read_text("utf-8").splitlines()) + 1  # the row appended below
    with (data / "changelog.csv").open("a", encoding="utf-8") as f:
        f.write(f"{tomorrow},Correction datée de demain.,A correction dated tomorrow.\n")
    with pytest.raises(DataError) as e:
        load_bundle(data, geo)
    assert [str(p) for p in e.value.problems] == [
        f"data/changelog.csv:{line}:date: date {tomorrow} is in the future: a correction is dated the day it is made"
    ]


def test_the_kicker_and_text_alternatives_follow_the_data(updated, monkeypatch):
    data, geo = updated
    monkeypatch.setenv("EXPLAINER_DATA_DIR", str(data))
    monkeypatch.setenv("EXPLAINER_GEO_DIR", str(geo))
    bundle = load_bundle(data, geo)
    first, last = Q.story_period(bundle)
    assert last == dt.date(2027, 2, 14)
    at = app_test(ROOT / "app.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(i18n.month_span(first, last, "fr-CH").replace("\u00a0", " ") in c.replace("\u00a0", " ") for c in captions), (
        captions[:3]
    )
    numbered = [c for c in bundle.claims if c.measure in CASUALTY_MEASURES and c.has_number]
    cas = F.build_casualties(bundle, "en")
    assert cas.summary.startswith(f"{len(numbered)} dated casualty figures from {len({c.claimant for c in numbered})} sources")


def test_a_date_after_the_last_snapshot_keeps_its_day(updated, monkeypatch):
    data, geo = updated
    monkeypatch.setenv("EXPLAINER_DATA_DIR", str(data))
    monkeypatch.setenv("EXPLAINER_GEO_DIR", str(geo))
    bundle = load_bundle(data, geo)
    last_snap = Q.control_dates(bundle)[-1]
    at = app_test(ROOT / "app.py")
    at.query_params.update({"view": "timeline", "date": "2027-02-14", "lang": "en"})
    at.run()
    assert not at.exception
    assert at.query_params["date"] in (["2027-02-14"], "2027-02-14")
    # the event on that day stays the chosen one (the live timeline's card and picker: explainer/ui/live_timeline.py)
    shown = component_data(at)
    assert shown["date"] == "2027-02-14" and "E9003" in [e["id"] for e in shown["parts"]["events"] if e["date"] == shown["date"]]
    at.query_params.update({"view": "map"})
    at = app_test(ROOT / "app.py")
    at.query_params.update({"view": "map", "date": "2027-02-14", "lang": "en"})
    at.run()
    assert not at.exception
    assert at.query_params["date"] in (["2027-02-14"], "2027-02-14")
    # the snapshot line is drawn by the map explorer (explainer/ui/live_map.py), a warning on this day
    shown = json.loads(at.get("bidi_component")[0].proto.json)
    assert shown["warn"] and f"No DeepStateMap snapshot after {i18n.date(last_snap, 'en')}" in shown["snapshot"], shown[
        "snapshot"
    ]
    fig = F.build_map(bundle, dt.date(2027, 2, 14), "en").figure.layout.meta
    assert fig["snapshot"] == last_snap.isoformat() and fig["coverage"] == "after"


def test_the_export_draws_the_update_too(updated, tmp_path):
    """The static pages come from the same builders: the new points and events are inside their
    drawn x range as well (no PNG or SVG here: the figures are what is checked)."""
    import json

    from explainer.export import export_site

    data, geo = updated
    out = tmp_path / "site"
    assert export_site(data, geo, out, ["en"], images=False) == 0
    new = fixture_ids("claims.csv") | fixture_ids("events.csv")
    seen = set()
    for name in ("casualties", "timeline", "area"):
        page = (out / "latest" / "en" / f"{name}.html").read_text("utf-8")
        raw = re.search(r'<script type="application/json" id="figure-data">(.*?)</script>', page, re.S).group(1)
        fig = json.loads(raw)
        for cid, day, axis in points(fig):
            lo, hi = x_range(fig["layout"], axis)
            assert lo < day < hi, (name, cid, day, lo, hi)
            seen.add(cid)
    assert new <= seen, new - seen
