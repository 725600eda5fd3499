"""Page logic through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import io
import json
import os
import re

import pytest
from conftest import app_test, chart_figures, component_data, open_tables, scaled

from explainer.paths import APP


def run(params=None, env=None, share=None):
    """The app run with these query parameters (and environment); ``share``: a view whose share panel the
    reader then opens (the panel is drawn when opened, explainer/ui/share.py)."""
    old = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        at = app_test(APP)  # the scaled AppTest budget
        for k, v in (params or {}).items():
            at.query_params[k] = v
        at.run()
        if share:
            at.session_state[f"share_{share}"] = True
            at.run()
        return at
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def figures(at):
    return chart_figures(at)


def explorer(at) -> dict:
    """The live map explorer's data (explainer/ui/live_map.py): the figure it draws first (read from the
    file it fetches), its dates, where its per-date files are."""
    return component_data(at)


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [h.value for h in at.header] + [h.value for h in at.title] + [h.value for h in at.subheader]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))  # undo markdown escaping


@pytest.mark.parametrize("view", ["story", "map", "casualties", "timeline", "sources"])
def test_every_view_renders_without_exception(view):
    at = run({"view": view})
    assert not at.exception, at.exception
    assert not at.error
    assert at.query_params["view"] == [view] or at.query_params["view"] == view


def test_default_is_french_story_with_article_claims():
    from explainer import paths
    from explainer.load import load_bundle

    bundle = load_bundle(paths.DATA, paths.GEO)
    at = run()
    body = texts(at)
    assert bundle.article.lead.headline_fr.strip() in body  # the headline is the editors', from article.yaml
    # one card per distinct excerpt, each with its context behind a control, a verdict chip, no internal ids
    excerpts = {" ".join(ac.excerpt.split()) for ac in bundle.article.claims}
    assert len([e for e in at.expander if e.label == "Contexte"]) == len(excerpts) < len(bundle.article.claims)
    badges = re.findall(r":(\w+)-badge\[([^\]]+)\]", "\n".join(m.value for m in at.markdown))
    assert len(badges) >= len(excerpts) and {"dépassé le jour même", "autre périmètre"} <= {b for _, b in badges}
    assert not re.search(r"\b[CEA]\d{2,4}\b", body), re.findall(r"\b[CEA]\d{2,4}\b", body)[:5]
    assert "(seed)" not in body and "seed:" not in body
    assert "](#)" not in body


def test_english_story_shows_our_translation_under_each_french_quote():
    from explainer import paths
    from explainer.load import load_bundle

    article = load_bundle(paths.DATA, paths.GEO).article
    expected = {" ".join(ac.excerpt_en.split()) for ac in article.claims if ac.excerpt_en}
    assert expected, "the bundled article has translated excerpts"
    at = run({"view": "story", "lang": "en"})
    assert not at.exception, at.exception
    captions = [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]
    shown = {c.removeprefix("Our translation: “").removesuffix("”") for c in captions if c.startswith("Our translation: ")}
    assert shown == expected
    quotes = [q.value for q in at.markdown if "class='quote'" in q.value]
    assert len(quotes) == len({" ".join(ac.excerpt.split()) for ac in article.claims})
    assert all("lang='fr'" in q for q in quotes)  # the article's words stay French, marked as such

    fr = texts(run({"view": "story"}))
    assert "Notre traduction" not in fr and "Our translation" not in fr
    assert not any(e in fr for e in expected)


def test_english_switch_via_query_param():
    at = run({"view": "casualties", "lang": "en"})
    assert "North Korean casualties: estimates by source" in texts(at)


def test_invalid_params_fall_back_to_defaults():
    at = run({"view": "nope", "lang": "xx", "date": "2031-13-45", "claimants": "evil,kr_nis", "step": "99"})
    assert not at.exception
    params = at.query_params
    assert "lang" not in params  # default locale is not written back
    assert "Explication en données" in texts(at)


def test_map_date_from_url_selects_that_snapshot():
    at = run({"view": "map", "date": "2024-08-27"})
    fig = explorer(at)["fig"]
    assert fig["layout"]["meta"]["snapshot"] == "2024-08-27"
    at2 = run({"view": "map", "date": "2025-03-20"})
    assert explorer(at2)["fig"]["layout"]["meta"]["snapshot"] == "2025-03-20"
    areas = lambda f: sorted(tr["hovertemplate"] for tr in f["data"] if tr.get("type") == "choropleth" and "hovertemplate" in tr)
    assert areas(fig) != areas(explorer(at2)["fig"])


def test_map_explorer_moves_between_the_export_builders_date_files():
    """The live map's date bar works in the browser: it opens on the URL's snapshot, and every other date
    is one file written by the export's builder (write_date_files) for this data version, locale, layers
    and height, served by Streamlit's static serving; a file holds exactly the traces build_map draws."""
    from explainer import figures as F
    from explainer import paths
    from explainer.load import load_bundle

    bundle = load_bundle(paths.DATA, paths.GEO)
    at = run({"view": "map", "date": "2024-08-27", "lang": "en"})
    assert not at.exception
    data = explorer(at)
    dated = data["dated"]
    assert dated["dates"][dated["index"]] == "2024-08-27" and data["date"] == "2024-08-27"
    assert len(dated["dates"]) == len(dated["labels"]) > 2 and dated["dates"] == sorted(dated["dates"])
    assert data["files"].startswith("app/static/_live/") and data["plotly"].startswith("app/static/_live/assets/")
    folder = paths.STATIC / data["files"].removeprefix("app/static/")
    assert sorted(p.stem for p in folder.glob("*.json")) == dated["dates"]
    day = dated["dates"][dated["index"] + 3]
    doc = json.loads((folder / f"{day}.json").read_text("utf-8"))
    built = F.map_dated_traces(bundle, __import__("datetime").date.fromisoformat(day), "en", F.default_layers(bundle), 500)
    assert doc["summary"] == built[0].summary and len(doc["traces"]) == len(built[2])
    assert doc["start"] == dated["start"] == built[1]
    # the texts travel as data (set as text by the script); the date marks sit on the slider's scale
    assert data["text"]["fwd"] == "1 week ▶" and len(data["marks"]) == len(bundle.story) + 1
    assert all(0 <= m["share"] <= 1 for m in data["marks"])


def test_map_server_side_date_bar_stays_available(monkeypatch):
    """EXPLAINER_LIVE_MAP=server keeps the date bar that reruns the script (week buttons, URL)."""
    monkeypatch.setenv("EXPLAINER_LIVE_MAP", "server")
    at = run({"view": "map", "date": "2024-08-27"})
    fwd = at.button(key="map_date_fwd")
    fwd.click().run()
    assert at.query_params["date"] in (["2024-09-03"], "2024-09-03")
    assert figures(at)[0]["layout"]["meta"]["snapshot"] == "2024-09-03"
    # one click, one week: the callback and the return-value fallback never both apply
    at.button(key="map_date_fwd").click().run()
    back = at.button(key="map_date_back")
    assert figures(at)[0]["layout"]["meta"]["snapshot"] == "2024-09-10"
    back.click().run()
    assert figures(at)[0]["layout"]["meta"]["snapshot"] == "2024-09-03"


@pytest.mark.parametrize("view,tables", [("map", 2), ("timeline", 1)])
def test_chart_data_tables_are_sent_when_a_reader_opens_them(view, tables):
    """A closed data table is not sent (no Arrow table per run, no data grid script on the page); opened,
    it holds the chart's rows, and stays open on the next run."""
    from explainer import i18n

    tr = i18n.bind("en")
    at = run({"view": view, "lang": "en"})
    labels = [e.label for e in at.expander]
    assert labels.count(tr("data_table")) == tables and not at.dataframe
    keys = open_tables(at)
    assert len(keys) == tables and len(at.dataframe) == tables
    assert all(len(df.value) > 0 for df in at.dataframe)
    at.run()  # another run of the same session (a rerun): the tables the reader opened stay open
    assert len(at.dataframe) == tables


def test_casualty_filter_keeps_measures_apart():
    at = run({"view": "casualties", "measures": "killed,wounded"})
    fig = figures(at)[0]
    titles = [a["text"] for a in fig["layout"]["annotations"] if a.get("xref") == "paper" or "text" in a]
    assert "Tués" in titles and "Blessés" in titles
    assert "Tués ou blessés" not in titles


def test_story_step_sets_shared_date():
    at = run({"view": "story"})
    at.button(key="story_next").click().run()
    assert at.query_params["step"] in (["2"], "2")
    maps = [f for f in figures(at) if "geo" in f["layout"]]  # the first chart is the lead graphic
    assert maps[0]["layout"]["meta"]["snapshot"] == "2024-08-27"
    # the step's places are ringed on the map
    assert any(tr.get("name") == "lieux de cette étape" for tr in maps[0]["data"])


def test_broken_edit_keeps_last_valid_data_then_recovers(data_copy):
    data, geo = data_copy
    env = {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo), "EXPLAINER_EDITOR_KEY": "k"}
    at = run({"view": "sources", "editor": "k"}, env)
    assert not at.warning
    claims = data / "claims.csv"
    good = claims.read_text("utf-8")
    claims.write_text(good.replace(",killed_or_wounded,", ",killed_or_wound,", 1), "utf-8")
    at = run({"view": "sources", "editor": "k"}, env)
    assert at.warning, "an invalid edit must raise the banner"
    problems = "\n".join(c.value for c in at.code)
    assert "claims.csv:" in problems and "killed_or_wound" in problems
    assert len(at.dataframe) >= 1  # last valid data still served
    claims.write_text(good.replace("Zelensky", "Zelenskyy"), "utf-8")  # a valid edit shows without restart
    at = run({"view": "sources", "editor": "k"}, env)
    assert not at.warning


def test_fresh_start_with_broken_data_lists_errors(data_copy):
    data, geo = data_copy
    (data / "events.csv").write_text("id,date\nE1,2025-99-01\n", "utf-8")
    at = run({"editor": "k"}, {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo), "EXPLAINER_EDITOR_KEY": "k"})
    assert at.error
    assert "events.csv:1:" in "\n".join(c.value for c in at.code)
    assert not chart_figures(at)


@pytest.mark.browser  # the images come from kaleido, which starts chromium
def test_share_panel_offers_permalink_csv_and_images():
    at = run({"view": "casualties", "lang": "en", "measures": "killed"}, {"EXPLAINER_EMBED_BASE": "/embed"}, share="casualties")
    link = at.text_input(key="share_link_casualties").value
    assert link.endswith("/casualties?lang=en&measures=killed")
    snippets = "\n".join(c.value for c in at.code)
    from explainer import paths
    from explainer.load import load_bundle

    version = load_bundle(paths.DATA, paths.GEO).version
    assert "embed=true" in snippets and f"/embed/v/{version}/en/casualties.html" in snippets
    at.button(key="img_casualties").click().run(timeout=scaled(120))
    assert not at.error, [e.value for e in at.error]  # kaleido's own message, if it could not draw
    png, svg = at.session_state["png_casualties"], at.session_state["svg_casualties"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert b"<svg" in svg[:500] and b"Killed" in svg
    # ...and for a phone's screen, with the same credits: the chart drawn for its width (labels placed for it)
    from PIL import Image

    from explainer.ui.share import PHONE_IMAGE_WIDTH

    phone_png, phone_svg = at.session_state["png_phone_casualties"], at.session_state["svg_phone_casualties"]
    assert Image.open(io.BytesIO(phone_png)).width == 2 * PHONE_IMAGE_WIDTH
    assert f'width="{PHONE_IMAGE_WIDTH}"'.encode() in phone_svg[:300] and b"Killed" in phone_svg
    assert version.encode() in phone_svg  # the credit line, wrapped to the phone's width
    assert {b.proto.label for b in at.get("download_button")} >= {"Phone image (PNG)", "Phone image (SVG)"}


def test_static_embed_points_at_the_published_export_or_says_what_to_set():
    """The static snippet points at the export's address (EXPLAINER_EMBED_BASE); without it, the live
    server would answer /embed/... with the app itself, so the panel gives no snippet and says what to set."""
    from explainer import paths
    from explainer.load import load_bundle

    version = load_bundle(paths.DATA, paths.GEO).version
    at = run({"view": "timeline", "lang": "en"}, {"EXPLAINER_EMBED_BASE": "https://static.example.org/kursk/"}, share="timeline")
    snippets = "\n".join(c.value for c in at.code)
    assert f'src="https://static.example.org/kursk/v/{version}/en/timeline.html"' in snippets
    assert '<script src="https://static.example.org/kursk/assets/host.js" defer>' in snippets
    at = run({"view": "timeline", "lang": "en"}, {"EXPLAINER_EMBED_BASE": ""}, share="timeline")
    snippets = "\n".join(c.value for c in at.code)
    assert "embed=true" in snippets  # the live embed needs no export
    assert "timeline.html" not in snippets and 'host.js" defer' not in snippets
    assert "set `EXPLAINER_EMBED_BASE`" in "\n".join(c.value for c in at.caption)


def _dataset(at) -> dict:
    blocks = [el.proto.body for el in at.get("html") if "application/ld+json" in el.proto.body]
    assert len(blocks) == 1, blocks
    return json.loads(re.search(r"<script type=\"application/ld\+json\">(.*)</script>", blocks[0], re.DOTALL).group(1))


def test_sources_page_describes_its_dataset(data_copy):
    """A schema.org Dataset on /sources: the editors' headline, the period computed from the data, the
    licence from site.yaml, and the tables of the published export as its downloads."""
    from explainer.datapackage import FILE_NAME
    from explainer.load import DATA_FILES, load_bundle
    from explainer.queries import story_period

    data, geo = data_copy
    site = data / "site.yaml"
    site.write_text(
        site.read_text("utf-8") + "licence:\n  name: ODbL-1.0\n  path: https://opendatacommons.org/licenses/odbl/1-0/\n"
        "  title_fr: Licence ODbL\n  title_en: ODbL licence\n",
        "utf-8",
    )
    bundle = load_bundle(data, geo)
    first, last = story_period(bundle)
    env = {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo), "EXPLAINER_EMBED_BASE": "https://static.example.org/k"}
    doc = _dataset(run({"view": "sources", "lang": "en"}, env))
    assert doc["@type"] == "Dataset" and doc["name"] == bundle.article.lead.headline_en
    assert doc["temporalCoverage"] == f"{first.isoformat()}/{last.isoformat()}"
    assert doc["license"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    urls = {d["contentUrl"] for d in doc["distribution"]}
    assert urls == {f"https://static.example.org/k/latest/data/{f}" for f in (*DATA_FILES, FILE_NAME)}
    doc = _dataset(run({"view": "sources", "lang": "fr"}, {**env, "EXPLAINER_EMBED_BASE": ""}))
    assert doc["name"] == bundle.article.lead.headline_fr and doc["distribution"] == []


def test_a_figure_that_fails_is_contained_to_its_panel(monkeypatch):
    """The map builder raising (what a geometry validation missed would do) shows a message in the
    map's place; the page, its other chart and its controls still render, without an exception box."""
    from explainer import figures as F
    from explainer.ui import data as D

    def broken(*args, **kw):
        raise KeyError("area_km2")

    monkeypatch.setattr(F, "build_map", broken)
    D._cached_view.clear()
    try:
        at = run({"view": "map", "lang": "en"})
        assert not at.exception
        assert any("This chart cannot be shown right now" in w.value for w in at.warning)
        charts = figures(at)
        assert charts and all("geo" not in f["layout"] for f in charts)  # the area chart is still there
        assert at.multiselect(key="w_layers") is not None  # the map's options still there
    finally:
        D._cached_view.clear()


def test_permalink_and_static_snippet_follow_the_state(monkeypatch):
    monkeypatch.setenv("EXPLAINER_EMBED_BASE", "/embed")  # where the export is published: for every rerun below
    at = run({"view": "map", "lang": "en", "date": "2024-08-27"}, share="map")
    assert at.text_input(key="share_link_map").value.endswith("/map?date=2024-08-27&lang=en")
    # the date moved in the browser reaches the server before the share panel opens (test_browser.py)
    at.query_params["date"] = "2024-09-03"
    at.run()
    assert at.text_input(key="share_link_map").value.endswith("/map?date=2024-09-03&lang=en")
    assert any("/en/map.html#date=2024-09-03" in c.value for c in at.code)
    # the live snippet: the embed URL, an iframe the listener sizes, and the listener itself
    live = next(c.value for c in at.code if "embed=true" in c.value)
    assert "date=2024-09-03" in live and "data-explainer-embed" in live and "kursk-embed-height" in live


def test_timeline_shows_the_chosen_event_under_the_chart_and_rings_it():
    at = run({"view": "timeline", "lang": "en", "date": "2025-02-04"})
    assert not at.exception
    # the chosen event's ring and card are drawn in the browser (explainer/ui/live_timeline.py) from the
    # component's data: the day, the ring's style, the cards (in the file it fetches)
    data = component_data(at)
    assert data["date"] == "2025-02-04" and data["style"]["ring"]["name"] == "chosen event"
    assert any(e["date"] == data["date"] and e["when"] == "4 February 2025" for e in data["parts"]["events"])
    # a run sends the names of the large parts, not their bytes
    assert len(at.get("bidi_component")[0].proto.json) < 20_000


def _captions(at) -> list[str]:
    """Captions as a reader reads them: markdown escapes undone, invisible word joiners dropped."""
    return [re.sub(r"\\(.)", r"\1", c.value).replace("\u2060", "") for c in at.caption]


@pytest.mark.parametrize(("lang", "other"), [("fr", "en"), ("en", "fr")])
def test_sources_page_shows_each_layer_source_and_method_in_the_page_language(lang, other):
    """The method in readers' words (manifest method_*); the processing log is for editors (geo/README.md)."""
    from explainer import i18n, paths
    from explainer.load import load_bundle

    layers = load_bundle(paths.DATA, paths.GEO).manifest.layers
    at = run({"view": "sources", "lang": lang})
    assert not at.exception, at.exception
    captions = "\n".join(_captions(at))
    for lyr in layers:
        assert lyr.processing_fr and lyr.processing_fr not in captions
        for name in ("source", "method"):
            mine, theirs = getattr(lyr, f"{name}_{lang}"), getattr(lyr, f"{name}_{other}")
            mine, theirs = i18n.prose(mine, lang), i18n.prose(theirs, other)  # as readers see them
            assert mine and theirs and mine != theirs, (lyr.id, name)  # the bundled manifest has both, translated
            assert mine in captions, f"{lyr.id}: {name}_{lang} not on the {lang} sources page"
            assert theirs not in captions, f"{lyr.id}: {name}_{other} on the {lang} sources page"
    label = {"fr": "Méthode :", "en": "Method:"}[lang]
    assert sum(c.startswith(label) for c in _captions(at)) == len(layers)


@pytest.mark.parametrize(("lang", "other"), [("fr", "en"), ("en", "fr")])
def test_story_names_the_article_outlet_in_the_page_language(lang, other):
    from explainer import paths
    from explainer.load import load_bundle

    article = load_bundle(paths.DATA, paths.GEO).article
    mine, theirs = getattr(article, f"outlet_{lang}"), getattr(article, f"outlet_{other}")
    assert mine != theirs
    at = run({"view": "story", "lang": lang})
    assert not at.exception, at.exception
    captions = _captions(at)
    published = [c for c in captions if c.startswith(f"{mine}, ")]
    assert len(published) == 1, captions[:5]  # the article box: "<outlet>, published <date>"
    # a claim sourced to the article itself names the article's outlet on its card
    assert any(f" · {mine} · " in c for c in captions)
    assert not any(theirs in c for c in captions)
