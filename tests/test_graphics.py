"""The graphics desk's review: what each chart and view shows agrees with its date, its sources and
the reader's language (map before the first snapshot, two dates for one figure, claimant colours,
readers' words, locale typography of editors' prose, translated quotes, named sources)."""

from __future__ import annotations

import datetime as dt

import pytest

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

    at = AppTest.from_file(str(APP), default_timeout=60)
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
