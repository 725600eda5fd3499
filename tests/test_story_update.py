"""The data brought up to date: what is known now beside what the article said, how figures changed as
other outlets repeated them, doubts shown beside the claims, and sentences about the data that an
update cannot make false. Through the queries, the figure data and the rendered pages (AppTest)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import chart_figures
from test_app import run, texts

from explainer import figures as F
from explainer import i18n
from explainer import queries as Q
from explainer.load import load_bundle
from explainer.model import CASUALTY_MEASURES


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows_of(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


# --------------------------------------------------------------------------- queries (pure)


def test_now_is_the_data_s_latest_date(bundle):
    assert Q.now(bundle) == max([c.date for c in bundle.claims] + [e.date for e in bundle.events])


def test_known_now_is_each_source_s_latest_figure_for_the_same_measure_and_scope(bundle):
    ref = bundle.claim_by_id["C036"]  # the article's 'killed or wounded' figure, Kursk region
    now = Q.known_now(bundle, ref, bundle.article.published)
    assert now, "the update has later figures for this measure and scope"
    assert len({c.claimant for c in now}) == len(now)  # one per source
    for c in now:
        assert (c.measure, c.scope, c.cumulative) == (ref.measure, ref.scope, ref.cumulative) and c.has_number
        assert bundle.article.published < c.date <= Q.now(bundle)
        same = [
            o
            for o in bundle.claims
            if o.claimant == c.claimant and o.measure == ref.measure and o.scope == ref.scope and o.cumulative and o.has_number
        ]
        assert c == max(same, key=lambda o: (o.date, o.id))  # its latest
    assert "C087" in {c.id for c in now}  # the UK's more than 6,000 (June 2025)
    assert Q.known_now(bundle, bundle.claim_by_id["C060"], bundle.article.published) == []  # a statement: no figure


def test_revisions_keep_changes_only(bundle):
    ref = bundle.claim_by_id["C037"]  # killed or wounded, the war overall
    chains = Q.revisions(bundle, ref, [c.claimant for c in bundle.claims])
    for chain in chains.values():
        values = [(c.bound, c.value_low, c.value_high) for c in chain]
        assert len(chain) > 1 and all(a != b for a, b in zip(values, values[1:]))
        assert [c.date for c in chain] == sorted(c.date for c in chain)
    zelensky = [c.id for c in chains["ua_zelensky"]]
    assert zelensky == ["C042", "C044"]  # 3,800 then 4,000; the later repeat of 4,000 is not a revision
    assert "us_officials" not in chains  # one figure only


def test_rereport_chains_group_by_origin_and_name_the_newer_figure(bundle):
    chains = Q.rereport_chains(bundle)
    assert sum(len(rs) for _, rs in chains) == len(bundle.rereports)
    assert all(r.origin == claim.id for claim, rs in chains for r in rs)
    stale = [r for r in bundle.rereports if "stale" in r.drift]
    assert stale and all(Q.newer_than_reported(bundle, r) is not None for r in stale)
    assert Q.newer_than_reported(bundle, next(r for r in bundle.rereports if r.id == "R013")).id == "C090"


def test_sides_without_a_casualty_figure_follow_the_data(bundle):
    silent = Q.sides_without_casualty_figure(bundle)
    for side in silent:
        assert not any(
            bundle.claimants[c.claimant].side == side and c.measure in CASUALTY_MEASURES and c.has_number for c in bundle.claims
        )
    assert "KP" not in silent  # North Korea's own acknowledgements are casualty figures (killed_acknowledged)
    assert "RU" in silent


# --------------------------------------------------------------------------- figure data


def test_lead_graphic_draws_what_is_known_now_as_diamonds(bundle):
    view = F.build_lead(bundle, "en")
    # each dot's row label: the annotation above it, in its panel, at its height
    label = {(a.yref, a.y): a.text for a in view.figure.layout.annotations if a.yref and not a.yref.endswith("domain")}
    drawn = [
        (tr.customdata[0], label[(tr.yaxis or "y", tr.y[0])], tr.marker.symbol)
        for tr in view.figure.data
        if tr.mode == "markers+text"
    ]
    lead = bundle.article.lead
    expected = {
        c.id for row in lead.compare for c in Q.known_now(bundle, bundle.claim_by_id[row.claim], bundle.article.published)
    }
    now = {cid for cid, _, symbol in drawn if symbol.startswith("diamond")}
    assert now == expected - {k for row in lead.compare for k in row.known}
    assert all(y.startswith("Later: ") for cid, y, symbol in drawn if symbol.startswith("diamond"))
    assert f"Known now (data up to {i18n.date(Q.now(bundle), 'en')})" in view.summary
    assert "Revisions — UK MoD: ≥5,000 (2 April 2025) → ≥6,000 (15 June 2025)." in view.summary


def test_doubts_are_shown_in_the_casualty_hover_and_the_sources_table(bundle):
    view = F.build_casualties(bundle, "en")
    hovers = {cid: h for tr in view.figure.data if tr.customdata is not None for cid, h in zip(tr.customdata, tr.hovertext or ())}
    assert "Japan Times interview" in hovers["C100"].replace("<br>", " ")
    assert "Single source." in hovers["C091"]
    assert "Single source." not in hovers["C087"]  # corroborated, no doubt recorded
    fr = F.claims_table(bundle, bundle.claims, "fr-CH").set_index("id")["Doute"]
    assert fr["C099"].startswith("Source unique.") and "Koursk" in fr["C099"]
    assert fr["C087"] == ""


# --------------------------------------------------------------------------- pages (AppTest)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sources_page_shows_each_figure_s_chain_with_a_chip_per_label(bundle, lang):
    at = run({"view": "sources", "lang": lang})
    assert not at.exception, at.exception
    body = texts(at)
    heading = {"fr": "Comment les chiffres ont changé en étant repris", "en": "How figures changed as they were re-reported"}
    assert heading[lang] in body
    markdown = "\n".join(m.value for m in at.markdown)
    chips = re.findall(r":(\w+)-badge\[([^\]]+)\]", markdown)
    assert len(chips) == sum(len(r.drift) for r in bundle.rereports)
    locale = {"fr": "fr-CH", "en": "en"}[lang]
    for r in bundle.rereports:
        assert i18n.typography(r.outlet, locale) in body
    stale = {"fr": "la même source disait déjà ~2'000", "en": "the same source had already said ~2,000"}
    assert stale[lang] in body


def test_story_cards_say_what_is_known_now(bundle):
    at = run({"view": "story", "lang": "en"})
    assert not at.exception, at.exception
    body = texts(at)
    assert f"Known now (data up to {i18n.date(Q.now(bundle), 'en')})" in body
    assert "UK MoD: ≥6,000 (15 June 2025)" in body
    assert "Revisions — S. Korea intelligence (NIS): ≥3,000 (13 January 2025) → ~4,700 (30 April 2025)." in body


def _gaps(data: Path, geo: Path) -> str:
    at = run({"view": "sources", "lang": "en"}, {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo)})
    assert not at.exception, at.exception
    return texts(at)


def test_a_sentence_denying_figures_follows_the_data(data_copy):
    """Before the update North Korea had given no figure: the sentence named it. A North Korean figure
    added to claims.csv takes it out, with no edit of any text."""
    data, geo = data_copy
    claims = rows_of(data / "claims.csv")
    kp = {r["id"] for r in rows_of(data / "claimants.csv") if r["side"] == "KP"}
    for r in claims:  # North Korea's figures, as they stood before the update: none
        if r["claimant"] in kp and r["measure"] in CASUALTY_MEASURES:
            r.update(measure="statement", bound="none", value_low="", value_high="")
    write_rows_of(data / "claims.csv", claims)
    assert "Sides with no source giving a North Korean casualty figure in the sources found: Russia, North Korea." in _gaps(
        data, geo
    )

    claims.append({**next(r for r in claims if r["claimant"] == "kp_kcna"), "id": "C9901", "measure": "killed_acknowledged"})
    claims[-1].update(bound="exact", value_low="101", value_high="101")
    write_rows_of(data / "claims.csv", claims)
    load_bundle(data, geo)  # valid
    body = _gaps(data, geo)
    assert "North Korea." not in body and "Russia, North Korea" not in body
    assert "Sides with no source giving a North Korean casualty figure in the sources found: Russia." in body


def test_casualty_chart_marks_rereports_in_the_origin_s_panel_and_colour_on_request(bundle):
    styles = F.build_casualties(bundle, "en").figure
    assert not [tr for tr in styles.data if tr.meta and "rereports" in tr.meta]  # off by default
    fig = F.build_casualties(bundle, "en", rereports=True).figure
    marks = [tr for tr in fig.data if tr.meta and "rereports" in tr.meta]
    by_id = {r.id: r for r in bundle.rereports}
    drawn = [rid for tr in marks for rid in tr.meta["rereports"]]
    expected = [
        r.id
        for r in bundle.rereports
        if bundle.claim_by_id[r.origin].measure in CASUALTY_MEASURES
        and bundle.claim_by_id[r.origin].has_number
        and r.bound != "none"
    ]
    assert sorted(drawn) == sorted(expected) and drawn
    colours = {tr.meta["claimant"]: tr.marker.color for tr in fig.data if tr.meta and "variant" in tr.meta}
    for tr in marks:
        assert tr.marker.symbol == "hexagon-open" and tr.marker.color == colours[tr.meta["claimant"]]
        origins = {by_id[rid].origin for rid in tr.meta["rereports"]}
        assert {bundle.claim_by_id[o].claimant for o in origins} == {tr.meta["claimant"]}
        claim_traces = [t for t in fig.data if t.customdata is not None and set(t.customdata) & origins]
        assert {t.yaxis for t in claim_traces} == {tr.yaxis}  # the origin claim's panel, whatever the outlet printed
        for rid, hover in zip(tr.meta["rereports"], tr.hovertext):
            assert by_id[rid].outlet.split(" (")[0] in hover
    lo, hi = fig.layout.xaxis.range
    assert all(lo[:10] <= by_id[rid].date.isoformat() <= hi[:10] for rid in drawn)


def test_casualties_page_shows_rereports_from_its_url():
    off = run({"view": "casualties", "lang": "en"})
    on = run({"view": "casualties", "lang": "en", "rereports": "1"})
    assert not off.exception and not on.exception
    assert on.toggle(key="w_rereports").value is True and off.toggle(key="w_rereports").value is False

    def marks(at) -> int:

        figs = chart_figures(at)
        return sum(1 for f in figs for tr in f["data"] if (tr.get("meta") or {}).get("rereports"))

    assert marks(on) > 0 and marks(off) == 0


def test_each_story_step_names_its_graphic_or_gets_it_by_rule(data_copy):
    """story.csv ``graphic`` names the graphic a step is told with; blank, or no column at all, a step
    citing a casualty figure gets the casualty chart (kept to its own measures and sources) and any other
    the map. A value outside the vocabulary is an editor's error."""
    from explainer.load import DataError
    from explainer.ui.story import casualty_focus, step_graphic

    data, geo = data_copy
    rows = rows_of(data / "story.csv")
    for r in rows:
        r["graphic"] = ""
    write_rows_of(data / "story.csv", rows)
    bundle = load_bundle(data, geo)
    for step in bundle.story:
        cited = [bundle.claim_by_id[c] for e in bundle.events if e.id in step.event_ids for c in e.claims]
        figures = [c for c in cited if c.measure in CASUALTY_MEASURES and c.has_number]
        assert step_graphic(bundle, step) == ("casualties" if figures else "map"), step.step
        claimants, measures = casualty_focus(bundle, step)
        assert set(claimants) == {c.claimant for c in figures} and set(measures) == {c.measure for c in figures}
    assert {step_graphic(bundle, s) for s in bundle.story} == {"map", "casualties"}  # the data has both kinds

    told = next(s for s in bundle.story if step_graphic(bundle, s) == "casualties")
    rows[told.step - 1]["graphic"] = "map"  # an editor's choice wins over the rule
    write_rows_of(data / "story.csv", rows)
    again = load_bundle(data, geo)
    assert step_graphic(again, again.story[told.step - 1]) == "map"

    header = next(csv.reader((data / "story.csv").open(encoding="utf-8")))
    with (data / "story.csv").open("w", encoding="utf-8", newline="") as f:  # the column left out altogether
        w = csv.DictWriter(f, fieldnames=[h for h in header if h != "graphic"], lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    assert [s.graphic for s in load_bundle(data, geo).story] == [None] * len(rows)

    rows[0]["graphic"] = "timeline"
    with (data / "story.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(DataError, match="graphic"):
        load_bundle(data, geo)


def test_story_page_shows_the_graphic_each_step_names(bundle):
    """The story's frame draws the one graphic its step names: the map of a map step's day, or the
    casualty chart of a casualty step's own sources and measures, with every step's text whole in the
    page (the others hidden, so the box is as tall as the longest)."""
    from explainer.ui.story import casualty_focus, step_graphic

    for k, step in enumerate(bundle.story, 1):
        if k not in (1, next(j for j, s in enumerate(bundle.story, 1) if step_graphic(bundle, s) == "casualties")):
            continue
        at = run({"view": "story", "lang": "en", "step": str(k)})
        assert not at.exception, at.exception
        figs = chart_figures(at)[1:]  # the first chart is the lead graphic
        maps = [f for f in figs if "geo" in f["layout"]]
        if step_graphic(bundle, step) == "map":
            assert len(figs) == 1 and maps and maps[0]["layout"]["meta"]["date"] == step.date.isoformat()
        else:
            assert len(figs) == 1 and not maps
            claimants, _ = casualty_focus(bundle, step)
            named = {t.get("name") for t in figs[0]["data"]}
            everyone = {F.text_of(i18n.field(c, "short", "en")) for c in bundle.claimants.values()}
            assert everyone & named == {F.text_of(i18n.field(bundle.claimants[c], "short", "en")) for c in claimants}
        body = texts(at)
        for s in bundle.story:  # every step's text is in the page; the current one first
            assert i18n.field(s, "text", "en").split(" ")[0] in body
