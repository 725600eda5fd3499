"""The graphics desk's review: what each chart and view shows agrees with its date, its sources and
the reader's language (map before the first snapshot, two dates for one figure, claimant colours,
readers' words, locale typography of editors' prose, translated quotes, named sources)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import component_data, open_tables

from bench.probes import scaled
from explainer import figures as F
from explainer import i18n
from explainer import queries as Q
from explainer.load import load_bundle
from explainer.paths import DATA, GEO


@pytest.fixture(scope="module")
def bundle():
    return load_bundle(DATA, GEO)


# ----------------------------------------------------------------------------- 1. the map before the incursion


def _area_traces(view) -> list[dict]:
    """The traces that draw an area of a dated layer (control or advances) or the peak outline."""
    peak = i18n.t("en", "legend_peak", date="").split("(")[0]
    return [
        tr
        for tr in view.spec["data"]
        if (tr.get("type") == "choropleth" and tr.get("geo", "geo") == "geo" and "km²" in str(tr.get("hovertemplate")))
        or str(tr.get("name", "")).startswith(peak)
    ]


def test_a_day_before_the_first_snapshot_draws_no_area_but_names_the_first_snapshot(bundle):
    first = Q.control_dates(bundle)[0]
    assert Q.span(bundle)[0] < first  # the slider starts before the snapshots: the case exists in the data
    every = tuple(Q.map_layers(bundle))
    before = F.build_map(bundle, first - dt.timedelta(days=1), "en", layers=every)
    assert _area_traces(before) == []
    assert before.spec["layout"]["meta"]["coverage"] == "before"
    assert before.spec["layout"]["meta"]["snapshot"] == first.isoformat()  # the note still says which is the first
    assert i18n.date(first, "en") in before.summary and "no area is drawn" in before.summary
    on = F.build_map(bundle, first, "en", layers=every)
    drawn = _area_traces(on)
    assert any(str(t.get("name", "")).startswith("Extent at its peak") for t in drawn)
    assert any(t.get("type") == "choropleth" for t in drawn)


def test_the_peak_outline_travels_with_the_dates_traces(bundle):
    """The static export swaps the dated traces per date: the peak outline is one of them, so a day
    before the first snapshot is drawn without it there too."""
    first = Q.control_dates(bundle)[0]
    _, start, traces = F.map_dated_traces(bundle, first, "en")
    assert any(str(t.get("name", "")).startswith("Extent at its peak") for t in traces)
    _, _, early = F.map_dated_traces(bundle, first - dt.timedelta(days=1), "en")
    assert not any(str(t.get("name", "")).startswith("Extent at its peak") for t in early)


# ----------------------------------------------------------------------------- 2. one figure, two dates


def _app(params: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    from explainer.paths import APP

    at = AppTest.from_file(str(APP), default_timeout=scaled(60))
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(at) -> str:
    import re

    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


@pytest.mark.parametrize("locale", ["fr-CH", "en"])
def test_a_figure_the_article_reported_later_is_dated_twice_on_its_card_and_in_the_lead(bundle, locale):
    """The card and the lead graphic both say when the figure was said and when the article reported it."""
    lead = bundle.article.lead
    quoted = [bundle.claim_by_id[c.claim] for c in lead.compare]
    later = [c for c in quoted if F.from_article(c) and c.date != bundle.article.published]
    assert later  # the data has such a figure (a December tally reported in February)
    c = later[0]
    both = F.said_when(bundle, c, locale)
    assert i18n.date(c.date, locale) in both and i18n.date(bundle.article.published, locale) in both
    hovers = [str(h) for tr in F.build_lead(bundle, locale).figure.to_dict()["data"] for h in tr.get("hovertext") or ()]
    assert any(both in h for h in hovers)
    card = _texts(_app({"view": "story", "lang": locale}))
    assert both in card


# ----------------------------------------------------------------------------- 4. claimant colours


def _lab(hex_colour: str, deuteranope: bool) -> object:
    """CIELAB of an sRGB colour, as seen with normal vision or by a deuteranope (Machado et al. 2009)."""
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import colour
        from colour.blindness import matrix_cvd_Machado2009

    srgb = colour.RGB_COLOURSPACES["sRGB"]
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = colour.cctf_decoding(rgb, function="sRGB")
    if deuteranope:
        linear = np.clip(matrix_cvd_Machado2009("Deuteranomaly", 1.0) @ linear, 0, 1)
    return colour.XYZ_to_Lab(colour.RGB_to_XYZ(linear, srgb, apply_cctf_decoding=False))


def delta_e(a: str, b: str) -> float:
    """The smaller CIEDE2000 difference of two colours: normal vision, or simulated deuteranopia."""
    import colour

    return min(float(colour.delta_E(_lab(a, d), _lab(b, d), method="CIE 2000")) for d in (False, True))


def _check_styles(bundle) -> dict:
    from explainer import colours as K
    from explainer.model import contrast

    styles = K.claimant_styles(bundle)
    assert set(styles) == set(bundle.claimants)
    for cid, s in styles.items():
        assert s.colour in K.FAMILIES[K.SIDE_FAMILY[bundle.claimants[cid].side]], cid  # side families
        assert contrast(s.colour) >= 3, cid
    for group in K.drawn_together(bundle):
        for a in group:
            for b in group:
                if a < b and styles[a].variant == styles[b].variant:
                    d = delta_e(styles[a].colour, styles[b].colour)
                    assert d >= K.MIN_DELTA_E, f"{a} and {b}: ΔE00 {d:.1f} in the same marker variant"
    return styles


def test_the_palettes_close_pairs_are_those_colour_science_finds():
    from explainer import colours as K

    palette = [c for fam in K.FAMILIES.values() for c in fam]
    found = {frozenset((a, b)) for i, a in enumerate(palette) for b in palette[i + 1 :] if delta_e(a, b) < K.MIN_DELTA_E}
    assert found == set(K.CLOSE)


def test_claimants_drawn_together_differ_in_colour_or_in_marker(bundle):
    """CIEDE2000, normal and deuteranopic, over every pair of claimants a chart draws at once (the
    casualty chart draws every claimant with a casualty figure)."""
    from explainer import colours as K

    styles = _check_styles(bundle)
    casualty = K.drawn_together(bundle)[0]
    assert len(casualty) > len(K.FAMILIES["ua"])  # more claimants than one side's shades: the check has work to do
    assert len({styles[c] for c in casualty}) == len(casualty)


def test_one_more_claimant_keeps_the_others_styles_and_the_threshold(data_copy):
    """An editor adds a Ukrainian claimant with a casualty figure: it gets a style of its own that
    keeps every pair apart, and nobody else's style changes."""
    import csv

    data, geo = data_copy
    before = load_bundle(data, geo)
    old = _check_styles(before)
    with open(data / "claimants.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    new = {**rows[0], "id": "ua_new_source", "short_fr": "Nouvelle source", "short_en": "New source", "side": "UA"}
    with open(data / "claimants.csv", "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(rows[0])).writerow(new)
    with open(data / "claims.csv", encoding="utf-8", newline="") as fh:
        claims = list(csv.DictReader(fh))
    casualty = next(r for r in claims if r["measure"] == "killed" and r["bound"] == "exact")
    claim = {**casualty, "id": "C9999", "claimant": "ua_new_source"}
    with open(data / "claims.csv", "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(claims[0])).writerow(claim)
    after = load_bundle(data, geo)
    assert "ua_new_source" in after.claimants
    styles = _check_styles(after)
    assert {k: v for k, v in styles.items() if k != "ua_new_source"} == old
    from explainer import colours as K

    assert styles["ua_new_source"] not in {styles[c] for c in K.drawn_together(after)[0] - {"ua_new_source"}}


# ----------------------------------------------------------------------------- 5. readers' words

INTERNAL = re.compile(r"\bseed\b|Douglas-Peucker|build_geo|build_data|RFC\s?7946|UTM 36N|EPSG:|make_valid", re.IGNORECASE)


def _everything_shown(at) -> str:
    """Every text of a page run: markdown, captions, headings, tables, charts (titles, labels, hovers);
    the charts' data tables opened (they are sent only when open)."""
    import json

    open_tables(at)
    parts = [_texts(at)]
    parts += [h.value for h in [*at.header, *at.title, *at.subheader]]
    parts += [str(x.value.to_csv()) for x in at.dataframe]
    parts += [json.dumps(json.loads(el.proto.spec)["data"], ensure_ascii=False) for el in at.get("plotly_chart")]
    parts += [
        json.dumps(json.loads(el.proto.spec)["layout"].get("annotations", []), ensure_ascii=False)
        for el in at.get("plotly_chart")
    ]
    # the charts drawn in the browser by the map page's components (explainer/ui/live_map.py): their figures and texts
    for i in range(len(at.get("bidi_component"))):
        data = component_data(at, i)  # with the files it fetches (figures, the timeline's cards and texts)
        figs = [data.get("fig") or {}, *(v["fig"] for v in data.get("variants") or ())]
        lanes = data.get("parts") or {}
        if lanes:
            figs.append(lanes["base"])
            parts += [json.dumps(lanes["events"], ensure_ascii=False), json.dumps(lanes["texts"], ensure_ascii=False)]
        for fig in figs:
            parts += [json.dumps(fig.get("data", []), ensure_ascii=False), json.dumps(fig.get("layout", {}), ensure_ascii=False)]
        parts += [json.dumps(data.get("text", {}), ensure_ascii=False), str(data.get("summary", ""))]
    return "\n".join(parts)


@pytest.mark.parametrize("view", ["story", "map", "casualties", "timeline", "sources"])
@pytest.mark.parametrize("locale", ["fr-CH", "en"])
def test_no_page_shows_the_projects_internal_words(view, locale):
    shown = _everything_shown(_app({"view": view, "lang": locale}))
    assert len(shown) > 500
    found = sorted({m.group(0) for m in INTERNAL.finditer(shown)})
    assert not found, [shown[max(m.start() - 60, 0) : m.end() + 30] for m in INTERNAL.finditer(shown)][:5]


# ----------------------------------------------------------------------------- 6. quotes in the reader's language


def test_statements_without_a_figure_show_a_translation_or_say_the_quotes_language(data_copy, monkeypatch):
    """A French quote on the English page: our translation under it when the data has one (as on
    the story's cards), else the quote's language; nothing added on a page in the quote's language."""
    import csv

    data, geo = data_copy
    bundle = load_bundle(data, geo)
    _, unnumbered = F.casualty_claims(bundle)
    french = [c for c in unnumbered if c.quote_lang == "fr"]
    english = [c for c in unnumbered if c.quote_lang == "en"]
    assert french and english
    with open(data / "claims.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["quote_en"] = "Our words for the first French statement" if r["id"] == french[0].id else ""
    with open(data / "claims.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0]])
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setenv("EXPLAINER_DATA_DIR", str(data))
    monkeypatch.setenv("EXPLAINER_GEO_DIR", str(geo))
    en = _texts(_app({"view": "casualties", "lang": "en"}))
    assert i18n.t("en", "excerpt_translation", text="Our words for the first French statement") in en
    if french[1:]:  # the others have no translation: their language is said
        assert i18n.t("en", "quote_language", language="French") in en
    fr = _texts(_app({"view": "casualties", "lang": "fr-CH"}))
    assert i18n.t("fr-CH", "quote_language", language="anglais") in fr
    assert "Our words" not in fr and i18n.t("fr-CH", "quote_language", language="français") not in fr


def test_the_articles_own_words_carry_the_excerpts_translation(bundle):
    c = next(
        c for c in bundle.claims if F.from_article(c) and c.quote_lang == "fr" and c.id in bundle.article.claims[0].claim_ids
    )
    assert F.quote_translation(bundle, c, "en") == bundle.article.claims[0].excerpt_en
    assert F.quote_translation(bundle, c, "fr-FR") is None


# ----------------------------------------------------------------------------- 7. source lines name the sources


def test_source_lines_name_the_outlets_behind_what_is_drawn(bundle):
    lead = bundle.article.lead
    ids = {k for c in lead.compare for k in (c.claim, *c.known)}
    credit = " ".join(F.build_lead(bundle, "en").credits)
    assert all(bundle.claim_by_id[i].outlet in credit for i in ids)
    numbered, _ = F.casualty_claims(bundle)
    credit = " ".join(F.build_casualties(bundle, "en").credits)
    assert all(c.outlet in credit for c in numbered)
    one = numbered[0].claimant  # a filtered chart names only what it draws
    mine = {c.outlet for c in numbered if c.claimant == one}
    others = {c.outlet for c in numbered} - mine
    credit = " ".join(F.build_casualties(bundle, "en", claimants=(one,)).credits)
    assert all(o in credit for o in mine) and not any(o in credit for o in others)
    credit = " ".join(F.build_timeline(bundle, "fr-CH").credits)
    assert all(e.source_url.split("/")[2].removeprefix("www.") in credit for e in bundle.events)
    for view in (F.build_lead(bundle, "en"), F.build_casualties(bundle, "en"), F.build_timeline(bundle, "en")):
        assert "compiled from the press" not in " ".join(view.credits)


# ----------------------------------------------------------------------------- 3. one text pipeline for editors' prose

_PLAIN = re.compile(r"(?<![\w.,/#:'’\-])\d{4,}(?![\w\-]|[.,']\d)")


def _plain_numbers(text: str) -> list[str]:
    """Four-digit-or-more numbers written plain, other than years."""
    return [m for m in _PLAIN.findall(text) if not 1900 <= int(m) <= 2099]


def test_prose_numbers_follow_the_readers_locale_on_real_texts(bundle):
    step = next(s for s in bundle.story if _plain_numbers(s.text_fr))  # "environ 1100 tués et blessés"
    plain = _plain_numbers(step.text_fr)
    n = int(plain[0])
    assert f"{n:,}".replace(",", "'") in i18n.field(step, "text", "fr-CH")  # Babel's fr_CH: an apostrophe
    assert f"{n:,}".replace(",", "\u202f") in i18n.field(step, "text", "fr-FR")  # a narrow no-break space
    assert f"{n:,}" in i18n.field(step, "text", "en")
    for locale in ("fr-CH", "fr-FR", "en"):
        shown = i18n.field(step, "text", locale)
        assert not _plain_numbers(shown), locale
        assert not re.search(r"\d \d{3}\b", shown)  # no ordinary (breaking) space inside a number
    assert re.search(r"\b20\d\d\b", i18n.field(bundle.changelog[0], "change", "fr-CH") + i18n.date(step.date, "fr-CH"))
    # the article's lead: "Kiev parle de 3000 tués ou blessés"
    assert not _plain_numbers(i18n.field(bundle.article, "lead", "fr-FR"))
    assert i18n.symbols("fr-CH") == (",", "'") and F.PLOT_WIDTH_PX  # one source for charts and text
    from explainer.figures.theme import separators

    for locale in i18n.LOCALES:
        assert i18n.num(1234.5, locale, digits=1) == "1234.5".replace(".", separators(locale)[0]).replace(
            "1234", f"1{separators(locale)[1]}234"
        )


def test_french_spacing_guillemets_and_addresses_on_real_texts(bundle):
    note = i18n.field(bundle.article, "published_note", "fr-CH")  # « mardi » … « vendredi »
    assert "«\u202f" in note and "\u202f»" in note and "« " not in note and " »" not in note
    step = next(s for s in bundle.story if "«" in s.text_fr and ":" in s.text_fr)
    shown = i18n.field(step, "text", "fr-FR")
    assert "\u00a0:" in shown and " :" not in shown
    assert "«\u202f" in i18n.field(step, "text", "en") or "«" not in step.text_en  # nothing French in English
    with_url = next(c for c in bundle.claims if c.note_fr and "/?" in c.note_fr)
    url = re.search(r"https?://\S+", with_url.note_fr.split("/?")[0] + "/?" + with_url.note_fr.split("/?")[1]).group(0)
    assert url in i18n.prose(with_url.note_fr, "fr-CH")  # an address keeps its ? and digits
    quote = next(c for c in bundle.claims if c.quote.lstrip().startswith("«"))  # an editor typed the marks
    once = i18n.quoted(quote.quote, "fr-CH", quote.quote_lang)
    assert once.count("«") == 1 and once.count("»") == 1 and once.startswith("«\u202f") and once.endswith("\u202f»")
    assert i18n.prose("« « dit » »", "fr-FR") == "«\u202fdit\u202f»"


def test_pages_show_prose_through_the_pipeline(bundle):
    step = next(i for i, s in enumerate(bundle.story, start=1) if _plain_numbers(s.text_fr))
    for locale in ("fr-CH", "fr-FR", "en"):
        at = _app({"view": "story", "lang": locale, "step": str(step)})
        shown = _texts(at)
        assert i18n.field(bundle.story[step - 1], "text", locale) in shown
        assert i18n.field(bundle.article, "lead", locale) in shown
        assert not [n for n in _plain_numbers(shown) if n in bundle.story[step - 1].text_fr], locale


# ----------------------------------------------------------------------------- 8. small collisions


def test_a_timeline_number_never_sits_in_its_lanes_name(bundle):
    """A number whose point lies under its lane's name (on the narrowest screen) goes under its point,
    the others above it, clear of the chosen event's ring; a filter keeps every number."""
    from explainer.figures.timeline import NUMBER_SHIFT, RING_PX, _under_lane_name

    spec = F.build_timeline(bundle, "en").figure.to_dict()
    x_range = spec["layout"]["xaxis"]["range"]
    assert NUMBER_SHIFT - 7 >= RING_PX / 2 + 1.5  # the number's 11 px type clears the ring and its stroke
    moved = 0
    numbers = [a for a in spec["layout"]["annotations"] if not a["text"].startswith("<b>")]
    for a in numbers:
        under = _under_lane_name(a["y"], x_range)
        day = dt.date.fromisoformat(str(a["x"])[:10])
        assert abs(a["yshift"]) == NUMBER_SHIFT
        if under and day <= under:
            assert a["yshift"] < 0, (a["y"], a["x"])
            moved += 1
        else:
            assert a["yshift"] > 0, (a["y"], a["x"])
    assert moved  # the data has a numbered event under a lane name (the first one, on the left edge)
    one = F.build_timeline(bundle, "en", categories=[bundle.events[0].category]).figure.to_dict()
    kept = [a["text"] for a in one["layout"]["annotations"] if not a["text"].startswith("<b>")]
    lane = one["layout"]["yaxis"]["categoryarray"][0]
    assert kept == [a["text"] for a in numbers if a["y"] == lane]  # a filter never renumbers


def test_the_timeline_has_a_key_to_its_two_date_lines(bundle):
    """What each vertical line means is readable on the chart (its legend), not only in a tooltip."""
    from explainer import i18n

    day = bundle.events[0].date
    spec = F.build_timeline(bundle, "fr-CH", selected=day).figure.to_dict()
    assert spec["layout"]["showlegend"] is True
    keyed = [tr["name"] for tr in spec["data"] if tr.get("showlegend", True) and tr.get("mode") == "lines"]
    published = bundle.article.published
    assert keyed == [
        i18n.t("fr-CH", "article_date_label", date=i18n.date(published, "fr-CH", short=True)),
        i18n.t("fr-CH", "selected_date_label", date=i18n.date(day, "fr-CH", short=True)),
    ]
    assert not [tr for tr in spec["data"] if tr.get("mode") != "lines" and tr.get("showlegend", True)]


def test_casualty_points_at_zero_are_drawn_whole(bundle):
    spec = F.build_casualties(bundle, "en").figure.to_dict()
    points = [tr for tr in spec["data"] if tr.get("mode") == "markers+text"]
    assert points and all(tr.get("cliponaxis") is False for tr in points)


def test_casualty_value_labels_keep_off_the_date_lines(bundle):
    from explainer.figures import casualties as C
    from explainer.figures.axes import date_range

    numbered, _ = F.casualty_claims(bundle)
    article = {cid for ac in bundle.article.claims for cid in ac.claim_ids}
    day = bundle.article.published
    x_range = date_range([c.date for c in numbered] + [day])
    lo, hi = (dt.date.fromisoformat(x) for x in x_range)

    def crossings(lines) -> int:
        n = 0
        for width in (C.PLOT_WIDTH_PX, C.PHONE_WIDTH_PX):
            px_day = width / (hi - lo).days
            line_x = (day - lo).days * px_day
            for measure in ("killed", "killed_or_wounded"):
                cs = [c for c in numbered if c.measure == measure]
                for c, pos in zip(cs, C.place_labels(cs, article, x_range, 200, "en", width, lines)):
                    if pos is None:
                        continue
                    x = (c.date - lo).days * px_day
                    w = max(6.5 * len(F.value_text(c, "en")), 5.6 * len(i18n.t("en", f"scope_short_{c.scope}"))) + 4
                    x0, x1, _, _ = C.spot_box(pos, w, C.LABEL_H_PX, C.RING_RADIUS[0])
                    n += x + x0 < line_x < x + x1
        return n

    assert crossings(()) > 0  # without the rule, some label crosses the article's line
    assert crossings((day,)) == 0


def test_the_map_table_keeps_its_columns_on_a_day_with_nothing_drawn(bundle):
    """The data table (and the export's CSV) of a day before the first snapshot: no row, its header."""
    view = F.build_map(bundle, Q.control_dates(bundle)[0] - dt.timedelta(days=1), "en")
    assert view.table.empty and list(view.table.columns) == [i18n.t("en", k) for k in ("col_layer", "col_date", "col_area_km2")]


def test_chart_labels_wrap_at_a_separator_and_never_exceed_a_line():
    from explainer.figures.text import wrap_parts

    assert wrap_parts(["Zelensky (Ukraine)", "5 Jan 2025", "Kursk"], 44) == "Zelensky (Ukraine) · 5 Jan 2025 · Kursk"
    assert wrap_parts(["Later: South Korean intelligence (NIS)", "30 Apr 2025", "whole war"], 44) == (
        "Later: South Korean intelligence (NIS)<br>30 Apr 2025 · whole war"
    )
    # a part longer than a line breaks after its comma first
    assert wrap_parts(["Said 23 Dec 2024, reported 4 Feb 2025 by the paper", "Kursk"], 30).split("<br>")[0] == "Said 23 Dec 2024,"


@pytest.mark.parametrize("locale", ["fr-CH", "en"])
def test_the_lead_graphics_labels_fit_the_narrowest_phone(bundle, locale):
    """Row labels and panel titles are wrapped for a 320 px screen: no line longer than its budget."""
    from explainer.figures import lead as L

    for a in F.build_lead(bundle, locale).figure.layout.annotations:
        budget = L.TITLE_CHARS if a.font.size == 13 else L.LABEL_CHARS
        assert all(len(line) <= budget for line in a.text.split("<br>")), a.text


@pytest.mark.parametrize("phone", [True, False])
def test_casualty_chart_sets_hold_their_labels_at_every_width(phone):
    """The casualty chart drawn in the browser is one of a set, each placed for a plot width: the one a
    box of any width gets (the browser's rule, pick_width) was placed for a plot about that wide."""
    from explainer.figures import casualties as C

    widths = F.fit_widths(phone)
    bounds = F.fit_bounds(widths)
    assert list(widths) == sorted(widths) and bounds == sorted(bounds)
    for box in range(280 if phone else 500, 2000, 4):
        w = F.pick_width(widths, box)
        plot = box - C.AXIS_PX
        assert w * C.FIT_SCALES[0] <= plot or w == widths[0], (box, w)
        assert plot <= w * C.FIT_SCALES[-1] or w == widths[-1], (box, w)


@pytest.mark.parametrize("locale", ["fr-CH", "en"])
def test_area_legend_names_fit_the_narrowest_phone(bundle, locale):
    """The area chart's legend entries fit a 320 px screen's chart (288 px, less the legend's symbol):
    the mapped series' source is said once, in the entry heading them, not in each name."""
    fig = F.build_area(bundle, locale).figure
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    assert names and all(6.5 * len(n) + 40 <= 288 for n in names), names
    control = next(lyr for lyr in bundle.manifest.layers if lyr.kind == "control")
    heading = [tr.name for tr in fig.data if tr.meta and tr.meta.get("legend_heading")]
    assert heading == [i18n.t(locale, "area_mapped", source=str(Q.source_name(bundle, control.id, locale)))]
    assert names[:3] == [*heading, *(i18n.t(locale, k) for k in ("area_ua_plus_grey_short", "area_ua_short"))]


def test_timeline_cards_quote_as_the_storys_cards(bundle):
    """An event's card quotes its claims between the page's marks (i18n.quoted), with our translation
    (figures.quote_translation) or, failing one, the quote's language named (figures.quote_language)."""
    from explainer import i18n
    from explainer.ui.live_timeline import card

    checked = 0
    for locale in ("fr-CH", "en"):
        tr = i18n.bind(locale)
        for e in bundle.events:
            quotes = card(bundle, e, tr)["quotes"]
            claims = [bundle.claim_by_id[c] for c in e.claims if c in bundle.claim_by_id]
            for q in quotes:
                c = next(c for c in claims if i18n.quoted(c.quote, locale, c.quote_lang) == q["text"])
                translated = F.quote_translation(bundle, c, locale)
                if c.quote_lang != tr.lang and c.quote_lang != "other":
                    assert q["translation"] or q["language"], (locale, e.id, c.id)
                    checked += 1
                if translated:
                    assert q["translation"] == tr("excerpt_translation", text=i18n.prose(translated, locale))
                elif c.quote_lang not in (tr.lang, "other"):
                    assert q["language"] == tr("quote_language", language=F.quote_language(c, locale))
                else:
                    assert not q["language"] and not q["translation"]
    assert checked  # the data has quotes in another language than each page's


def test_every_width_pins_and_names_the_same_events(bundle):
    """A phone's map and a desktop's pin the same events for a date (those in the area every frame
    shows), and both texts name an event outside it; the frame is set by the held area, not by it."""
    from explainer.figures import geo
    from explainer.figures.map import build_map

    p0, p1, p2, p3 = geo.pin_box(bundle)
    far = [
        e
        for e in bundle.events
        if e.place in bundle.places
        and bundle.places[e.place].lon is not None
        and bundle.places[e.place].lat is not None
        and not (p0 <= bundle.places[e.place].lon <= p2 and p1 <= bundle.places[e.place].lat <= p3)  # type: ignore[operator]
    ]
    assert far, "the bundled data has an event outside the held area's frame (Rylsk)"
    e = far[0]
    for locale in ("en", "fr-CH"):
        legend = i18n.t(locale, "legend_events", days=Q.EVENT_WINDOW_DAYS)
        outside = i18n.t(locale, "map_outside", n=1, events="").split("(")[0].strip()
        name = i18n.field(bundle.places[e.place], "name", locale)
        pins = []
        for v in (build_map(bundle, e.date, locale, height=h) for h in (500, 360)):  # a desktop's, a phone's
            pins.append(sum(len(tr.get("lon") or []) for tr in v.spec["data"] if tr.get("name") == legend))
            assert outside in v.summary and name in v.summary.split(outside)[-1], v.summary
            f0, f1, f2, f3 = v.spec["layout"]["meta"]["frame"]
            assert f0 <= p0 and p2 <= f2 and f1 <= p1 and p3 <= f3  # every frame shows the pinned area
        assert pins[0] == pins[1], pins
