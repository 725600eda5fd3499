"""Pure parts: i18n catalogues and formats, URL state, figure builders."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from explainer import figures as F
from explainer import i18n
from explainer.load import load_bundle
from explainer.model import CASUALTY_MEASURES, CATEGORIES, DRIFTS, MEASURES, SCOPES, SIDES
from explainer.paths import DATA, GEO, PACKAGE
from explainer.ui import state as S


@pytest.fixture(scope="module")
def bundle():
    return load_bundle(DATA, GEO)


# ----------------------------------------------------------------------------- i18n


def test_catalogues_have_the_same_keys_and_placeholders():
    fr, en = i18n.catalogue("fr"), i18n.catalogue("en")
    assert set(fr) == set(en)
    for key in fr:
        assert set(re.findall(r"{(\w+)}", fr[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_every_key_used_in_code_exists():
    code = "\n".join(p.read_text("utf-8") for p in PACKAGE.rglob("*.py"))
    # t(locale, "key") and, in page code, tr("key") with tr = i18n.bind(locale)
    used = set(re.findall(r"""\b(?:t\([^,()]+,\s*|tr\()["']([a-z_0-9]+)["']""", code))
    dynamic = (
        {f"measure_{m}" for m in MEASURES}
        | {f"scope_{s}" for s in SCOPES}
        | {f"scope_short_{s}" for s in SCOPES}
        | {f"cat_{c}" for c in CATEGORIES}
        | {f"control_{k}" for k in ("ua_controlled", "grey_zone", "russian_recaptured_cumulative")}
        | {f"locale_{loc}" for loc in i18n.LOCALES}
        | {f"nav_{v}" for v in S.VIEWS}
        | {f"drift_{d}" for d in DRIFTS}
        | {f"side_{s}" for s in SIDES}
    )
    missing = sorted((used | dynamic) - set(i18n.catalogue("en")))
    assert len(used) > 40 and not missing, missing


@pytest.mark.parametrize("locale, expected", [("fr-CH", "12'000"), ("fr-FR", "12\u202f000"), ("en", "12,000")])
def test_numbers_follow_the_locale(locale, expected):
    assert i18n.num(12000, locale) == expected


def test_dates_follow_the_locale():
    d = dt.date(2025, 2, 4)
    assert i18n.date(d, "fr-CH") == "4 février 2025"
    assert i18n.date(d, "en") == "4 February 2025"
    assert i18n.date(dt.date(2024, 10, 1), "fr-CH", precision="month") == "octobre 2024"


# ----------------------------------------------------------------------------- URL state


def test_state_round_trips_through_the_url(bundle):
    st = S.State(
        view="casualties",
        date=dt.date(2024, 12, 23),
        lang="en",
        claimants=("kr_nis", "ua_zelensky"),
        measures=("killed",),
        cats=("combat",),
        step=3,
    )
    assert S.parse(S.encode(st, bundle), bundle) == st


@pytest.mark.parametrize(
    "params",
    [
        {"view": "<script>", "lang": "de", "date": "2025-02-30"},
        {"date": "1999-01-01", "step": "-4", "claimants": "nobody", "measures": "bananas", "layers": "x"},
        {"view": ["map"], "step": "1e9"},
    ],
)
def test_invalid_params_fall_back_to_defaults(bundle, params):
    st = S.parse(params, bundle)
    assert st.view in S.VIEWS and st.lang == i18n.DEFAULT_LOCALE
    assert st.date == S.default_date(bundle) and st.step == 1
    assert st.claimants == () and st.measures == () and st.layers is None


def test_date_between_snapshots_keeps_its_day_and_the_map_shows_the_previous_snapshot(bundle):
    dates = S.control_dates(bundle)
    gaps = [(a, b) for a, b in zip(dates, dates[1:]) if (b - a).days > 1]
    assert gaps, "the DeepState series has days without a snapshot"
    a, b = gaps[0]
    day = a + dt.timedelta(days=1)
    assert S.parse({"date": day.isoformat()}, bundle).date == day
    meta = F.build_map(bundle, day, "fr-CH").figure.layout.meta
    assert meta["snapshot"] == a.isoformat() and meta["coverage"] == "inside"


# ----------------------------------------------------------------------------- figures


def test_casualty_measures_are_never_one_series(bundle):
    view = F.build_casualties(bundle, "en")
    by_claim = {c.id: c for c in bundle.claims}
    for tr in view.figure.data:
        ids = tr.customdata if tr.customdata is not None else ()
        measures = {by_claim[i].measure for i in ids}
        assert len(measures) <= 1, (tr.name, measures)
    # one panel per measure, on its own y axis
    axes = {tr.yaxis for tr in view.figure.data if tr.customdata is not None}
    assert len(axes) == len([m for m in CASUALTY_MEASURES if any(c.measure == m and c.has_number for c in bundle.claims)])


def test_every_plotted_casualty_number_traces_to_a_sourced_row(bundle):
    view = F.build_casualties(bundle, "en")
    by_claim = {c.id: c for c in bundle.claims}
    plotted = 0
    for tr in view.figure.data:
        for cid, y in zip(tr.customdata if tr.customdata is not None else (), tr.y):
            c = by_claim[cid]
            assert y in (c.value_low, c.value_high) and c.source_url and c.quote
            plotted += tr.marker.color != "rgba(0,0,0,0)"  # a ring (the article's, a step's) carries its figure's label
    assert plotted == sum(1 for c in bundle.claims if c.measure in CASUALTY_MEASURES and c.has_number)


def test_lower_bounds_and_ranges_are_labelled(bundle):
    c = next(c for c in bundle.claims if c.id == "C036")
    assert F.value_text(c, "fr-CH") == "≥3'000"
    rng = next(c for c in bundle.claims if c.bound == "range")
    assert "–" in F.value_text(rng, "en")
    none = next(c for c in bundle.claims if c.bound == "none")
    assert F.value_text(none, "fr-CH") == "sans chiffre"


def test_article_figures_are_circled(bundle):
    view = F.build_casualties(bundle, "fr-CH")
    rings = [tr for tr in view.figure.data if tr.name == i18n.t("fr-CH", "in_article")]
    assert sorted(int(tr.y[0]) for tr in rings) == [1100, 3000]


def test_map_sends_one_dates_polygons_only(bundle):
    day = dt.date(2024, 11, 15)
    view = F.build_map(bundle, day, "en")
    control = [tr for tr in view.figure.data if tr.type == "choropleth" and tr.showlegend]
    dates = {f["properties"]["date"] for tr in control for f in tr.geojson["features"]}
    assert dates == {"2024-11-15"}
    assert len(view.figure.to_json()) <= 400_000
    assert "2024-11-15" in view.figure.layout.meta["snapshot"]


def test_map_credits_every_visible_layer_once(bundle):
    view = F.build_map(bundle, dt.date(2025, 2, 4), "en")
    text = " · ".join(view.credits)
    assert "DeepStateMap" in text and "GeoNames" in text and "geoBoundaries" in text
    assert text.count("geoBoundaries") == 1
    hidden = F.build_map(bundle, dt.date(2025, 2, 4), "en", layers=["oblast"])
    assert "DeepStateMap" not in " · ".join(hidden.credits)


def test_text_alternatives_state_the_numbers(bundle):
    m = F.build_map(bundle, dt.date(2024, 8, 27), "fr-CH")
    row = bundle.areas[bundle.areas["date"] == dt.date(2024, 8, 27)].iloc[0]
    assert i18n.num(row["ua_controlled_km2"], "fr-CH") in m.summary
    assert "27 août 2024" in m.summary
    tl = F.build_timeline(bundle, "en")
    assert f"{len(bundle.events)} events" in tl.summary


def test_claimant_colours_come_from_their_side_family_and_are_unique(bundle):
    """Unique among the claimants a chart draws together (the colour-difference check: test_graphics.py)."""
    from explainer import colours as K
    from explainer.model import contrast

    styles = K.claimant_styles(bundle)
    assert set(styles) == set(bundle.claimants)
    for group in K.drawn_together(bundle):
        assert len({styles[c] for c in group}) == len(group)
    for cid, s in styles.items():
        assert s.colour in K.FAMILIES[K.SIDE_FAMILY[bundle.claimants[cid].side]]
    for fam in K.FAMILIES.values():
        assert all(contrast(c) >= 3 for c in fam), fam


def test_date_derived_figures_are_valid_plotly(bundle):
    """Dated charts are copies of a validated base that skip validation: check they still validate."""
    import plotly.graph_objects as go

    day = dt.date(2024, 12, 23)
    for view in (
        F.build_area(bundle, "en", day),
        F.build_casualties(bundle, "en", selected=day),
        F.build_timeline(bundle, "en", day),
    ):
        spec = view.figure.to_dict()
        go.Figure(spec)  # raises on any invalid property
        assert any(sh.get("x0") == "2024-12-23" for sh in spec["layout"]["shapes"])
    assert F.build_area(bundle, "en", day).figure is not F.build_area(bundle, "en", day).figure


def test_dated_views_share_a_base_and_carry_their_own_spec(bundle):
    """The map and the dated charts reuse a date-independent base: a later date must not leak
    into an earlier view, the base must not change, and ``spec`` must be the figure's dict."""
    import json

    import plotly.graph_objects as go
    import plotly.io as pio

    a, b = dt.date(2024, 9, 2), dt.date(2025, 3, 10)
    first = F.build_map(bundle, a, "en")
    before = first.figure.to_json()
    second = F.build_map(bundle, b, "en")
    assert first.figure.to_json() == before  # building b changed nothing in a
    snaps = lambda v: {
        f["properties"]["date"]
        for tr in v.figure.data
        if tr.type == "choropleth" and tr.showlegend
        for f in tr.geojson["features"]
    }
    assert snaps(first) == {a.isoformat()} and snaps(second) == {b.isoformat()}
    # the settlements' dots come from the shared base: the same trace in both (their names move around each date's marks)
    places = lambda v: [tr.to_plotly_json() for tr in v.figure.data if tr.type == "scattergeo" and tr.name == "Towns"][0]
    assert places(first) == places(second)
    second.figure.update_layout(title="mutated")  # a caller mutating its own figure
    assert "mutated" not in F.build_map(bundle, dt.date(2024, 10, 1), "en").figure.to_json()

    def plain(x):  # JSON form without empty objects (validation drops `title: {}`)
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items() if v != {}}
        return [plain(v) for v in x] if isinstance(x, list) else x

    assert second.spec["layout"].get("title") != "mutated"  # the spec is not the figure's own dict
    for view in (F.build_map(bundle, b, "en"), F.build_area(bundle, "en", b), F.build_casualties(bundle, "en", selected=b)):
        assert view.spec is not None
        sent = plain(json.loads(pio.to_json(view.spec, validate=False)))
        assert sent == plain(json.loads(view.figure.to_json()))
        assert sent == plain(json.loads(pio.to_json(go.Figure(view.spec).to_dict(), validate=False)))  # valid


def test_map_is_svg_geo_with_no_basemap_and_clockwise_rings(bundle):
    """The geo subplot draws only our layers, and d3-geo reads a counter-clockwise outer ring as
    'the whole globe but this': every outer ring must be clockwise, every hole counter-clockwise."""
    import shapely

    view = F.build_map(bundle, dt.date(2024, 8, 20), "en", layers=F.map_layers(bundle))
    geo = view.figure.layout.geo
    for layer in ("land", "ocean", "lakes", "rivers", "countries", "coastlines", "subunits", "frame"):
        assert getattr(geo, f"show{layer}") is False, layer
    first = view.figure.data[0]
    assert first.type == "scattergeo" and first.locations is None  # plotly.js fetches no topojson
    rings = 0
    for tr in view.figure.data:
        if tr.type != "choropleth":
            continue
        for f in tr.geojson["features"]:
            g = f["geometry"]
            polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
            for poly in polys:
                assert not shapely.is_ccw(shapely.LinearRing(poly[0])), f["id"]
                assert all(shapely.is_ccw(shapely.LinearRing(h)) for h in poly[1:]), f["id"]
                rings += len(poly)
    assert rings > 10  # background layers are clipped to the frame: the far-off regions are not sent
    names = [n for tr in view.figure.data if tr.type == "scattergeo" and tr.text for n in tr.text]
    assert "Sudzha" in names and "Korenevo" in names  # place names are on the map, not only on hover
    # framed on the held area: places outside the frame (Kursk city) are not drawn at its edge
    x0, y0, x1, y1 = view.figure.layout.meta["frame"]
    drawn = [
        (lo, la)
        for tr in view.figure.data
        if tr.type == "scattergeo" and tr.text and tr.name != "scale" and tr.name != "countries"
        for lo, la in zip(tr.lon, tr.lat)
    ]
    assert drawn and all(x0 <= lo <= x1 and y0 <= la <= y1 for lo, la in drawn)
    assert "Kursk" not in names


def test_sent_figure_is_the_figure_without_the_per_rerun_copy(bundle):
    """st.plotly_chart calls to_dict() on every rerun: the app hands it a figure whose dict is made once,
    and that dict must serialise exactly like the view's own figure."""
    import json

    import plotly.io as pio

    from explainer.ui.charts import sendable

    day = dt.date(2024, 11, 15)
    for view in (F.build_map(bundle, day, "en"), F.build_area(bundle, "en", day), F.build_timeline(bundle, "en")):
        sent = sendable(view)
        assert sent is sendable(view)  # made once per view
        assert sent.to_dict() is sent.to_dict()  # no copy per call
        assert json.loads(pio.to_json(sent.to_dict(), validate=False)) == json.loads(view.figure.to_json())
        assert sent is not view.figure  # image export never touches the shared dict


# Keys whose digits are UI wording, not facts about the data (the week buttons move by WEEK days).
UI_DIGITS = {
    "step_back": "1",
    "step_forward": "1",
    # the validator's messages: 'CSV UTF-8' (a file type), '0 bytes', 'no day above 12' (a calendar rule)
    **{f"check_{k}": "8" for k in ("is_xlsx", "is_xls", "is_ods")},
    **{f"check_lost_{k}": "8" for k in ("cyrillic", "hangul", "letters", "cyrillic_since", "hangul_since", "letters_since")},
    "check_empty_file": "0",
    "check_date_column_ambiguous": "12",
    # the desk's snapshot messages: format names (WGS84, EPSG:4326, RFC 7946, 1e-5°, 2-D)
    "desk_snapshot_file": "84",
    "desk_snapshot_crs": "844326",
    "desk_snapshot_changed_rounded": "15",
    "desk_snapshot_changed_reoriented": "7946",
    "desk_snapshot_z": "2",
}
# Names of sources, places or people: facts about the data, which live in data/ and geo/.
DATA_NAMES = re.compile(r"DeepState|ISW|Zelensk|Syrsk|Kyiv|Kiev|Séoul|Seoul|ATS|AFP|Pyongyang|Sudzha|Soudja")


def test_catalogues_state_no_fact_about_the_data():
    """No year, date, count or source name in the UI strings: those come from the data (the
    kicker's period, the article's date, counts in text alternatives) or from data/site.yaml."""
    months = re.compile(
        r"\b(janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug"
        r"|Sep|Oct|Nov|Dec)[a-zéû]*\.?\s+\d",
        re.IGNORECASE,
    )
    found = []
    for lang in ("fr", "en"):
        for key, text in i18n.catalogue(lang).items():
            bare = re.sub(r"{\w+}", "", text)
            digits = "".join(re.findall(r"\d+", bare))
            if digits and digits != UI_DIGITS.get(key):
                found.append((lang, key, text))
            if months.search(bare) or DATA_NAMES.search(bare):
                found.append((lang, key, text))
    assert not found, found


def test_the_fact_check_catches_a_fact(monkeypatch):
    """The check above is not vacuous: a period written into a catalogue is caught."""
    original = i18n.catalogue
    fr = dict(original("fr"))
    fr["app_kicker"] = "Explication en données · août 2024 – avril 2025"
    monkeypatch.setattr(i18n, "catalogue", lambda lang: fr if lang == "fr" else original(lang))
    with pytest.raises(AssertionError):
        test_catalogues_state_no_fact_about_the_data()


def test_the_view_registry_and_the_state_agree():
    from explainer.ui.registry import views

    assert tuple(views()) == S.VIEWS == ("story", "map", "casualties", "timeline", "sources")
    assert all(callable(render) for render in views().values())


def test_a_new_file_in_pages_is_a_new_view(tmp_path):
    """Adding a view is one file in pages/: the registry finds it, in the menu place it names."""
    from explainer.paths import PAGES
    from explainer.ui.registry import view_ids, views

    for p in PAGES.glob("*.py"):
        (tmp_path / p.name).write_text(p.read_text("utf-8"), "utf-8")
    (tmp_path / "glossary.py").write_text(
        "MENU = 25  # between the map and the casualties\n\ndef render(bundle, state):\n    return None\n", "utf-8"
    )
    (tmp_path / "_helpers.py").write_text("x = 1\n", "utf-8")  # a helper module is no view
    assert view_ids(tmp_path) == ("story", "map", "glossary", "casualties", "timeline", "sources")
    assert views(tmp_path)["glossary"](None, None) is None
    (tmp_path / "broken.py").write_text("def render(bundle, state):\n    return None\n", "utf-8")
    with pytest.raises(LookupError, match="MENU"):
        view_ids.__wrapped__(tmp_path)


def test_colours_live_in_one_table():
    """Every colour the charts and pages use is named in explainer/colours.py (the export's stylesheet and
    the validator's contrast check aside)."""
    hexes = {
        p.name: re.findall(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b(?![0-9A-Fa-f])", p.read_text("utf-8"))
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).as_posix() not in ("colours.py", "export/index.py", "model.py")
    }
    assert not {k: v for k, v in hexes.items() if v}, hexes


def test_every_chart_carries_the_small_house_template(bundle):
    """One registered template styles every chart (not plotly's default, ~7 KB per figure JSON)."""
    import json

    day = bundle.article.published
    views = [
        F.build_map(bundle, day, "fr-CH"),
        F.build_casualties(bundle, "en", selected=day),
        F.build_area(bundle, "fr-FR", selected=day),
        F.build_timeline(bundle, "fr-CH", selected=day),
        F.build_lead(bundle, "en"),
    ]
    for v in views:
        spec = v.spec if v.spec is not None else v.figure.to_dict()
        template = spec["layout"]["template"]
        assert template["layout"]["font"]["family"].startswith("system-ui"), v.title
        assert "colorway" not in template["layout"], v.title  # not plotly's default template
        assert len(json.dumps(template)) < 1500, (v.title, len(json.dumps(template)))


def test_tables_keep_dates_and_readers_see_them_in_their_language(bundle):
    view = F.build_casualties(bundle, "fr-CH")
    col = i18n.t("fr-CH", "col_date")
    assert all(isinstance(d, dt.date) for d in view.table[col])  # the CSV stays sortable
    shown = F.local_dates(view.table, "fr-CH")[col]
    assert not any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) for s in shown)
    first = min(view.table[col])
    assert i18n.date(first, "fr-CH", short=True) in set(shown)


def test_casualty_labels_carry_scope_every_article_figure_and_no_clash(bundle):
    """Value labels: every article figure labelled with its scope; within a panel no two labels
    take the same side of points a few days apart (the December 2024 cluster)."""
    from explainer.figures.text import value_of

    view = F.build_casualties(bundle, "en")
    article = {cid for ac in bundle.article.claims for cid in ac.claim_ids}
    labelled = {}
    for tr in view.figure.data:
        if tr.mode != "markers+text":
            continue
        for cid, x, y, text, pos in zip(tr.customdata, tr.x, tr.y, tr.text, tr.textposition):
            if text:
                labelled[cid] = (tr.yaxis, x, y, pos, text)
    by_id = bundle.claim_by_id
    for a in view.figure.layout.annotations:  # an article figure's label further off, with a leader line to it
        if a.showarrow:
            cid = next(c.id for c in by_id.values() if c.id in article and c.date == a.x and value_of(c) == a.y)
            labelled[cid] = (a.yref, a.x, a.y, "leader", a.text)
    for cid in article:
        c = by_id[cid]
        if c.measure in CASUALTY_MEASURES and c.has_number:
            assert cid in labelled, cid
            assert i18n.t("en", f"scope_short_{c.scope}") in labelled[cid][4]
    items = list(labelled.values())
    for i, (ax, x, y, pos, _) in enumerate(items):
        for ax2, x2, y2, pos2, _ in items[i + 1 :]:
            near = ax == ax2 and abs((x - x2).days) <= 7 and abs(y - y2) <= 0.15 * max(y, y2)
            assert not (near and pos == pos2), (x, y, x2, y2, pos)


def test_timeline_numbers_each_article_event_and_lists_them(bundle):
    view = F.build_timeline(bundle, "fr-CH")
    quoted = [e for e in bundle.events if e.in_article]
    shown = []
    for a in view.figure.layout.annotations:  # the numbers are annotations over their points; lane names are bold
        if not a.text.startswith("<b>"):
            shown += [int(part) for part in a.text.replace("–", ",").split(",") if part.strip()]
    # every number appears (ranges print their ends), and the text lists each event by its number
    assert min(shown) == 1 and max(shown) == len(quoted)
    for i, e in enumerate(quoted, start=1):
        assert f"{i}\u00a0— " in view.summary and i18n.typography(i18n.field(e, "title", "fr-CH"), "fr-CH") in view.summary
    # lane names are annotations above their lanes, not tick labels
    assert view.figure.layout.yaxis.showticklabels is False
    lanes = {a.text for a in view.figure.layout.annotations}
    assert {f"<b>{i18n.t('fr-CH', f'cat_{e.category}')}</b>" for e in bundle.events} <= lanes


def test_background_layers_lose_vertices_not_what_the_frame_shows(bundle):
    """Clipped and simplified for the screen: far fewer vertices, the same land inside the frame."""
    import shapely
    from shapely.geometry import box, shape

    from explainer.figures import geo

    frame = geo.view_box(bundle)
    counts = [0, 0]  # vertices in the files, on the screen (over the main map's layers: the oblast alone is small)
    for lyr in bundle.manifest.layers:
        if lyr.kind not in ("countries", "oblast", "admin1") or lyr.id in geo.locator_layers(bundle):  # the inset's own
            continue
        full = [shape(f["geometry"]) for f in bundle.layers[lyr.id]["features"] if f.get("geometry")]
        screen = [shape(f["geometry"]) for f in geo.on_screen(bundle, lyr.id, frame, 1600)["features"]]
        counts[0] += sum(shapely.get_num_coordinates(g) for g in full)
        counts[1] += sum(shapely.get_num_coordinates(g) for g in screen)
        seen = lambda gs: shapely.union_all(gs).intersection(box(*frame)).area
        assert abs(seen(screen) - seen(full)) <= 0.01 * seen(full), lyr.id
    assert counts[1] < 0.8 * counts[0], counts


def test_date_marks_sit_on_the_data_span(bundle):
    """The date bar's marks: one per story step and the article's day, at their share of the slider's span."""
    from explainer.queries import span
    from explainer.ui.widgets import date_marks

    lo, hi = span(bundle)
    marks = date_marks(bundle)
    assert [d for k, d, _, _ in marks if k == "step"] == [s.date for s in bundle.story]
    (article,) = [m for m in marks if m[0] == "article"]
    assert article[1] == bundle.article.published
    assert article[2] == pytest.approx((bundle.article.published - lo).days / (hi - lo).days)
    assert all(0 <= share <= 1 for _, _, share, _ in marks)


def test_theme_parameter_round_trips(bundle):
    """?theme=light|dark|auto (the static embeds' parameter); anything else is light, which is not written."""
    assert S.parse({"theme": "dark"}, bundle).theme == "dark"
    assert S.parse({"theme": "auto"}, bundle).theme == "auto"
    assert S.parse({"theme": "neon"}, bundle).theme == "light"
    assert S.encode(S.State(theme="dark"), bundle)["theme"] == "dark"
    assert "theme" not in S.encode(S.State(), bundle)


def test_a_selected_date_outside_the_axis_widens_it_with_its_month_ticks(bundle):
    """A story step before the first casualty figure: the axis takes it in, and its month ticks
    cover the wider range instead of crowding the old one."""
    first = min(c.date for c in bundle.claims if c.measure in CASUALTY_MEASURES and c.has_number)
    early = first - dt.timedelta(days=120)
    axis = F.build_casualties(bundle, "en", selected=early).figure.layout.xaxis
    assert axis.range[0] <= early.isoformat()
    assert min(axis.tickvals) <= (early + dt.timedelta(days=45)).isoformat()
    assert len(axis.tickvals) <= 6


def test_a_picture_is_drawn_again_only_when_kaleidos_page_was_not_ready():
    """kaleido's ReferenceError (its page's script not run yet) is tried again, a few times at most;
    any other failure is raised at once."""
    from explainer.export import picture

    calls: list[int] = []

    def flaky(fails: int, message: str):
        def draw() -> bytes:
            calls.append(1)
            if len(calls) <= fails:
                raise RuntimeError(message)
            return b"png"

        return draw

    assert picture._drawn(flaky(picture.DRAW_TRIES - 1, "ReferenceError: Plotly is not defined")) == b"png"
    assert len(calls) == picture.DRAW_TRIES
    calls.clear()
    with pytest.raises(RuntimeError, match="ReferenceError"):
        picture._drawn(flaky(picture.DRAW_TRIES, "ReferenceError: Plotly is not defined"))
    assert len(calls) == picture.DRAW_TRIES
    calls.clear()
    with pytest.raises(RuntimeError, match="bad figure"):
        picture._drawn(flaky(1, "bad figure"))
    assert len(calls) == 1


def test_a_base_asked_for_by_many_readers_at_once_is_built_once():
    """figures/cache.py: built_once. Readers arriving together on a fresh process wait for the one build of
    the same key; builds of other keys go on beside it."""
    import threading
    import time

    from bench.probes import scaled
    from explainer.figures.cache import built_once

    cache: dict = {}
    calls: list[str] = []

    def slow(key: str):
        def build():
            calls.append(key)
            time.sleep(0.2)
            return object()

        return build

    got: list = []
    readers = [threading.Thread(target=lambda: got.append(built_once(cache, "map", slow("map")))) for _ in range(8)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    assert calls == ["map"] and len(got) == 8 and all(g is got[0] for g in got)

    # two other keys at once: each build waits for the other to have started, so they must run side by side
    both = threading.Barrier(2, timeout=scaled(10))

    def meeting(key: str):
        def build():
            both.wait()
            return key

        return build

    out: dict = {}
    pair = [threading.Thread(target=lambda k=k: out.update({k: built_once(cache, k, meeting(k))})) for k in ("area", "timeline")]
    for t in pair:
        t.start()
    for t in pair:
        t.join()
    assert out == {"area": "area", "timeline": "timeline"}
