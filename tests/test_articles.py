"""Articles as data: every article checked against the data is a file in data/ (data/article.yaml, the
default one, and data/articles/<id>.yaml), shown on /story?article=<id>; "known on", a day a reader
moves; and pinned embeds that name a source's newer figure. Through the loader, the figure data and
the rendered pages (AppTest), and a pinned page in a browser."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import component_data, scaled_ms
from test_app import run, texts
from test_story_update import rows_of, write_rows_of

from explainer import figures as F
from explainer import i18n
from explainer import queries as Q
from explainer.export.pinning import latest_figures, shown_figures
from explainer.load import DataError, load_bundle
from explainer.paths import DATA, GEO
from explainer.ui import state as S

SECOND = "fox-news-2025-11-14"  # the bundled second article (data/articles/)
THIRD = "example-wire-2025-06-20"  # an invented article, in a fixture only

# An invented article on the bundled data, as an editor would add it: one file, no code.
INVENTED = """\
outlet_fr: Agence Exemple
outlet_en: Example Agency
published: "2025-06-20"
language: en
title_fr: Les pertes nord-coréennes à Koursk, selon Londres
title_en: North Korean losses in Kursk, according to London
source: "https://example.org/wire/2025/06/20/north-korea-kursk"

lead:
  headline_fr: Un chiffre britannique à jour, un chiffre sud-coréen ancien
  headline_en: A current British figure next to an old South Korean one
  intro_fr: L'article met côte à côte deux estimations qui n'ont ni la même date ni la même portée.
  intro_en: The article sets two estimates side by side that have neither the same date nor the same scope.
  compare:
    - claim: C087
      known: [C074, C083]

claims:
  - id: A01
    excerpt: >-
      more than 6,000 North Korean casualties in Kursk
    excerpt_fr: >-
      plus de 6000 pertes nord-coréennes à Koursk
    claimant_label_fr: Londres
    claimant_label_en: London
    claim_ids: [C087]
    verdict: accurate
    context_fr: Estimation du renseignement britannique du 15 juin 2025, tués et blessés.
    context_en: UK Defence Intelligence estimate of 15 June 2025, killed and wounded.
  - id: A02
    excerpt: >-
      Seoul counted about 600 dead
    excerpt_fr: >-
      Séoul comptait environ 600 morts
    claimant_label_fr: Séoul
    claimant_label_en: Seoul
    claim_ids: [C084]
    verdict: outdated
    context_fr: Le chiffre d'avril 2025 du NIS.
    context_en: The NIS figure of April 2025.
"""


def with_article(data: Path, text: str = INVENTED, name: str = f"{THIRD}.yaml") -> Path:
    folder = data / "articles"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    return folder / name


def env(data: Path, geo: Path) -> dict[str, str]:
    return {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo)}


def badges(at) -> list[str]:
    return [m.value for m in at.markdown if ":" in m.value and "-badge[" in m.value]


def lead_figure(at) -> dict:
    """The lead graphic's figure data as the page sent it: the file its component names (drawn in the
    browser, explainer/ui/live_map.py: page_chart), else Streamlit's chart."""
    for i in range(len(at.get("bidi_component"))):
        data = component_data(at, i)
        if str(data.get("key", "")).endswith("-lead_chart"):
            return data["fig"]
    [el] = [el for el in at.get("plotly_chart") if el.proto.id.endswith("-lead_chart")]
    return json.loads(el.proto.spec)


def drawn(spec: dict) -> tuple[set[str], set[str]]:
    """(ids drawn, ids drawn as "later" diamonds) of a lead graphic's figure data."""
    marks = [tr for tr in spec["data"] if tr.get("mode") == "markers+text"]
    ids = {tr["customdata"][0] for tr in marks}
    later = {tr["customdata"][0] for tr in marks if str(tr["marker"].get("symbol", "")).startswith("diamond")}
    return ids, later


# --------------------------------------------------------------------------- loading and validation


def test_the_bundled_articles_load_the_default_first(bundle):
    assert list(bundle.articles)[0] == "article" and bundle.articles["article"] is bundle.article
    assert SECOND in bundle.articles
    second = bundle.with_article(SECOND)
    assert second.article is bundle.articles[SECOND] and second.article_id == SECOND
    assert second.claims is bundle.claims and second.version == bundle.version  # the same data
    assert bundle.with_article("no-such-article") is bundle
    [ac] = second.article.claims
    [r] = [r for r in bundle.rereports if r.id in ac.rereport_ids]
    assert r.url == second.article.source and r.date == second.article.published  # the article's own printing
    assert r.measure == "killed" and bundle.claim_by_id[ac.claim_ids[0]].measure == "killed_or_wounded"
    assert ac.verdict == "different_measure"


def test_a_third_article_is_one_file(data_copy):
    data, geo = data_copy
    with_article(data)
    b = load_bundle(data, geo)
    assert [a for a in b.articles][0] == "article" and {SECOND, THIRD} <= set(b.articles)
    assert [aid for aid, _ in Q.article_list(b)] == ["article", THIRD, SECOND]  # the default, then by day
    assert b.articles[THIRD].claims[1].claim_ids == ("C084",)


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [
        (("claim_ids: [C084]", "claim_ids: [C999]"), "claims.A02.claim_ids", "unknown claim 'C999'"),
        (
            ("claim_ids: [C084]", "claim_ids: [C090]"),
            "claims.A02.claim_ids",
            "claim 'C090' is dated 2025-09-02, after the article",
        ),
        (("claim_ids: [C087]", "claim_ids: [C087]\n    rereport_ids: [R019]"), "claims.A01.rereport_ids", "not this article"),
        (("claim_ids: [C087]", "claim_ids: [C087]\n    rereport_ids: [R999]"), "claims.A01.rereport_ids", "unknown re-report"),
        (("claim_ids: [C087]", "claim_ids: [C087]\n    rereport_ids: [R013]"), "claims.A01.rereport_ids", "goes back to C084"),
        (("known: [C074, C083]", "known: [C074, C090]"), "lead.compare.0.known", "measures killed"),
        (("verdict: outdated", "verdict: stale"), "claims.1.verdict", "stale"),
        (('published: "2025-06-20"', 'published: "20.06.2025"'), "published", "20.06.2025"),
    ],
)
def test_an_article_s_errors_name_its_file_line_and_key(data_copy, edit, where, message):
    data, geo = data_copy
    path = with_article(data, INVENTED.replace(*edit))
    with pytest.raises(DataError) as e:
        load_bundle(data, geo)
    mine = [p for p in e.value.problems if p.path == f"data/articles/{path.name}"]
    assert mine and any(p.column == where and message in p.message for p in mine), [p.text("en") for p in e.value.problems]
    assert all(isinstance(p.row, int) for p in mine)  # the line an editor opens


@pytest.mark.parametrize(("name", "message"), [("article.yaml", "default article"), ("Bad Name.yaml", "cannot name an article")])
def test_an_article_file_name_is_a_readers_id(data_copy, name, message):
    data, geo = data_copy
    with_article(data, name=name)
    with pytest.raises(DataError) as e:
        load_bundle(data, geo)
    assert any(p.path == f"data/articles/{name}" and message in p.message for p in e.value.problems)


def test_only_the_default_article_is_tied_to_in_article(data_copy):
    """claims.csv's in_article marks the default article's claims; another article quotes any claim."""
    data, geo = data_copy
    with_article(data)
    b = load_bundle(data, geo)
    assert not b.claim_by_id["C087"].in_article and not b.claim_by_id["C084"].in_article


# --------------------------------------------------------------------------- URL state


def test_article_and_known_on_round_trip(bundle):
    day = bundle.story[-1].date
    state = S.parse({"view": "story", "article": SECOND, "known": day.isoformat()}, bundle)
    assert state.article == SECOND and state.known == day
    assert S.encode(state, bundle)["article"] == SECOND and S.encode(state, bundle)["known"] == day.isoformat()
    assert S.parse(S.encode(state, bundle), bundle) == state
    # the default article, an unknown one, "now" and a day outside the data all fall back to the defaults
    for params in ({"article": "article"}, {"article": "nope"}, {"known": Q.now(bundle).isoformat()}, {"known": "1999-01-01"}):
        back = S.parse({"view": "story", **params}, bundle)
        assert back.article == "" and back.known is None
        assert "article" not in S.encode(back, bundle) and "known" not in S.encode(back, bundle)


# --------------------------------------------------------------------------- pages (AppTest)


def test_seed_urls_still_show_the_default_article(bundle):
    for params in ({"view": "story", "lang": "en"}, {"lang": "en"}, {"view": "story", "lang": "en", "article": "article"}):
        at = run(params)
        assert not at.exception, at.exception
        body = texts(at)
        assert bundle.article.title_en in body and bundle.article.lead.headline_en.strip() in body
        assert "article" not in at.query_params
        assert f"?view=story&lang=en&article={SECOND}" in body  # the other articles are listed


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_second_article_has_its_own_cards_and_verdicts(bundle, lang):
    at = run({"view": "story", "lang": lang, "article": SECOND})
    assert not at.exception, at.exception
    assert at.query_params["article"] in ([SECOND], SECOND)  # round-trips through the page's own run
    body = texts(at)
    art = bundle.articles[SECOND]
    tr = i18n.bind("fr-CH" if lang == "fr" else "en")
    assert art.lead.headline_en.strip() in body if lang == "en" else art.lead.headline_fr.strip() in body
    assert tr("article_item", outlet=art.outlet_en, date=tr.date(art.published)) in body  # named by outlet and day
    assert bundle.article.claims[0].excerpt not in body  # none of the default article's cards
    assert tr("verdict_different_measure") in " ".join(badges(at)) and tr("drift_measure_changed") in " ".join(badges(at))
    assert bundle.article.title_fr in body if lang == "fr" else bundle.article.title_en in body  # listed as another article


def test_a_fixture_article_appears_with_its_own_claim_cards_and_verdicts(data_copy):
    data, geo = data_copy
    with_article(data)
    b = load_bundle(data, geo).with_article(THIRD)
    at = run({"view": "story", "lang": "en", "article": THIRD}, env(data, geo))
    assert not at.exception, at.exception
    body = texts(at)
    assert "A current British figure next to an old South Korean one" in body
    assert "North Korean losses in Kursk, according to London" in body
    assert "more than 6,000 North Korean casualties in Kursk" in body and "Seoul counted about 600 dead" in body
    chips = " ".join(badges(at))
    assert "accurate" in chips and "outdated on the day" in chips
    # checked against what is known now: NIS gave about 2,000 dead after this article's day
    assert "S. Korea intelligence (NIS): ~2,000 (2 September 2025)" in body
    ids, _ = drawn(lead_figure(at))
    assert {"C087", "C074", "C083"} <= ids
    assert F.build_lead(b, "en") is not None
    # the default page lists it
    home = texts(run({"view": "story", "lang": "en"}, env(data, geo)))
    assert f"article={THIRD}" in home and "North Korean losses in Kursk, according to London" in home


def test_known_on_moves_the_lead_graphic_and_the_cards(bundle):
    at = run({"view": "story", "lang": "en"})
    assert not at.exception, at.exception
    published = bundle.article.published
    ids_now, later_now = drawn(lead_figure(at))
    assert later_now  # figures known now, after the article
    box = at.selectbox(key="known_on")
    assert box.value == Q.now(bundle)
    assert i18n.t("en", "known_on_article", date=i18n.date(published, "en")) in box.options
    assert len(box.options) == len(Q.known_on_dates(bundle))  # the story's steps, the article's day, now
    # the article's day: nothing later than the article is drawn, the cards say so
    box.set_value(published).run()
    assert not at.exception, at.exception
    assert at.query_params["known"] in ([published.isoformat()], published.isoformat())
    ids_day, later_day = drawn(lead_figure(at))
    assert not later_day and ids_day == ids_now - later_now
    assert f"No newer figure for this measure and scope by {i18n.date(published, 'en')}." in texts(at)
    # a story step after the article: the later figures known by then, no more
    step = max(s.date for s in bundle.story)
    at.selectbox(key="known_on").set_value(step).run()
    _, later_step = drawn(lead_figure(at))
    lead = bundle.article.lead
    expected = {
        c.id
        for row in lead.compare
        for c in Q.known_now(bundle, bundle.claim_by_id[row.claim], published, step)
        if c.id not in row.known
    }
    assert later_step == expected and later_step != later_now
    assert all(bundle.claim_by_id[c].date <= step for c in later_step)
    assert f"Known on {i18n.date(step, 'en')}, newer than the article:" in texts(at)
    # back to now: the parameter leaves the URL
    at.selectbox(key="known_on").set_value(Q.now(bundle)).run()
    assert "known" not in at.query_params
    assert drawn(lead_figure(at))[1] == later_now


def test_known_on_from_the_url(bundle):
    step = max(s.date for s in bundle.story)
    at = run({"view": "story", "lang": "en", "known": step.isoformat()})
    assert not at.exception, at.exception
    assert at.selectbox(key="known_on").value == step
    assert f"Known on {i18n.date(step, 'en')}, newer than the article:" in texts(at)


# --------------------------------------------------------------------------- pinned embeds


NEWER = {  # an invented newer figure from the NIS, in a fixture only
    "id": "C9901",
    "date": "2025-12-20",
    "value_low": "2500",
    "value_high": "2500",
    "bound": "approx",
    "source_url": "https://example.org/nis/2025/12/20",
    "outlet": "Example Agency",
}


def with_newer_nis_figure(data: Path) -> None:
    claims = rows_of(data / "claims.csv")
    base = next(r for r in claims if r["id"] == "C090")  # NIS, about 2,000 killed, 2 September 2025
    claims.append({**base, **NEWER, "in_article": "no"})
    write_rows_of(data / "claims.csv", claims)


def test_pinned_figures_name_a_source_s_newer_figure(data_copy, bundle):
    data, geo = data_copy
    with_newer_nis_figure(data)
    newer = load_bundle(data, geo)
    shown = shown_figures(bundle, F.build_casualties(bundle, "en").table)
    key = "kr_nis|killed|war|yes"
    assert shown[key] == "2025-09-02"  # the pinned page draws NIS's 2,000 of 2 September 2025
    latest = latest_figures(newer, ["fr", "en"])
    assert latest[key]["date"] == "2025-12-20" > shown[key]
    assert latest[key]["text"]["en"] == "S. Korea intelligence (NIS), ~2,500 killed, 20 December 2025"
    assert re.fullmatch(r".+, ~2.500 tués, 20 décembre 2025", latest[key]["text"]["fr"]), latest[key]["text"]["fr"]
    # with the bundled data, each source's latest figure is the one drawn: nothing newer to name
    now = latest_figures(bundle, ["en"])
    assert all(now[k]["date"] <= d for k, d in shown.items())


@pytest.fixture(scope="module")
def pinned_then_newer(tmp_path_factory):
    """The bundled data exported, then the same folder with a newer NIS figure (a new data version)."""
    from explainer.export import export_site

    base = tmp_path_factory.mktemp("pinning")
    data, geo = base / "data", base / "geo"
    shutil.copytree(DATA, data)
    shutil.copytree(GEO, geo)
    out = base / "embed"
    assert export_site(data, geo, out, ["fr", "en"], images=False) == 0
    first = json.loads((out / "manifest.json").read_text("utf-8"))
    with_newer_nis_figure(data)
    assert export_site(data, geo, out, ["fr", "en"], images=False) == 0
    return out, first


@pytest.mark.browser
def test_a_pinned_embed_names_the_newer_figure(pinned_then_newer, browser):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    out, first = pinned_then_newer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *a: object) -> None:
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        ctx = browser.new_context(viewport={"width": 900, "height": 900})
        page = ctx.new_page()
        for lang, words in (
            ("en", "Newer figure from this source: S. Korea intelligence (NIS), ~2,500 killed, 20 December 2025."),
            ("fr", "20 décembre 2025."),
        ):
            page.goto(f"http://127.0.0.1:{srv.server_address[1]}/{first['pinned']}{lang}/casualties.html")
            page.wait_for_function("() => !document.getElementById('newer').hidden", timeout=scaled_ms(30_000))
            text = page.locator("#newer-figures").inner_text()
            assert words in text, text
            if lang == "fr":
                assert re.match(r"Chiffre plus récent de cette source\s: .+ tués, 20 décembre 2025\.$", text), text
        # a page drawing no figure of that source keeps the plain note
        page.goto(f"http://127.0.0.1:{srv.server_address[1]}/{first['pinned']}en/timeline.html")
        page.wait_for_function("() => !document.getElementById('newer').hidden", timeout=scaled_ms(30_000))
        assert page.locator("#newer-figures").inner_text() == ""
        ctx.close()
    finally:
        srv.shutdown()
        srv.server_close()


# --------------------------------------------------------------------------- re-reports in readers' words


def plain(text: str) -> str:
    """French typography's no-break spaces as plain ones, for reading assertions."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_french_sources_give_re_reports_in_french_and_no_row_ids(bundle):
    r019 = next(r for r in bundle.rereports if r.id == "R019")
    assert (r019.figure, r019.figure_fr) == ("more than 6000", "plus de 6000")
    assert r019.attributed_to_fr == "des sources sud-coréennes, ukrainiennes et occidentales"
    fr = run({"view": "sources"})
    assert not fr.exception, fr.exception
    body = plain(texts(fr))
    assert "« plus de 6000 »" in body and "« more than 6000 »" not in body
    assert "des sources sud-coréennes, ukrainiennes et occidentales" in body
    en = texts(run({"view": "sources", "lang": "en"}))
    assert "“more than 6000”" in en and "South Korean, Ukrainian and Western sources" in en
    # readers' chain notes name days and outlets, never the research's row ids
    for r in bundle.rereports:
        for note in (r.note_fr or "", r.note_en or ""):
            assert not re.search(r"\b[CRE]\d{3}\b", note), (r.id, note)
    r016 = next(r for r in bundle.rereports if r.id == "R016")
    assert "UNN (Yonhap)" in (r016.note_en or "") and "UNN (Yonhap)" in (r016.note_fr or "")


def test_the_second_article_prints_its_figure_in_the_page_s_language():
    body = plain(texts(run({"view": "story", "article": SECOND})))
    assert "« plus de 6000 »" in body and "Remonte à : Ministère britannique de la Défense" in body


# --------------------------------------------------------------------------- in a browser


@pytest.mark.parametrize("width", [375, 1280])
def test_the_second_article_in_a_browser_and_known_on_in_its_url(page, server, bundle, artifacts, width):
    """/story?article=<second> as a reader opens it: its card, no sideways scroll; moving "known on"
    writes ?known= into the address, next to ?article=."""
    from playwright.sync_api import expect
    from test_browser import open_view

    page.set_default_timeout(scaled_ms(30_000))
    page.set_viewport_size({"width": width, "height": 1600})
    open_view(page, server, "story", f"article={SECOND}&lang=en")
    card = page.locator(".st-key-card-A01")
    expect(card).to_contain_text("more than 6,000 were killed")
    expect(card).to_contain_text("different measure")
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.screenshot(path=str(artifacts / f"story-{SECOND}-{width}.png"))
    day = bundle.articles[SECOND].published
    page.locator("[data-testid=stSelectbox]").filter(has_text=i18n.t("en", "known_on_label")).click()
    page.get_by_role("option", name=i18n.t("en", "known_on_article", date=i18n.date(day, "en"))).click()
    expect(page).to_have_url(re.compile(rf"known={day.isoformat()}"))
    assert f"article={SECOND}" in page.url
    expect(card).to_contain_text(f"No newer figure for this measure and scope by {i18n.date(day, 'en')}.")
