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
