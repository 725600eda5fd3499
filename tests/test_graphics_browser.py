"""The graphics desk's review, in Debian chromium against a live `streamlit run`: the map agrees with
its date before the first control snapshot, at a phone's width and a desktop's."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FWD, has
from playwright.sync_api import expect
from test_browser import CONTROL_GEOJSON, open_view, watched  # noqa: F401  (watched: a fixture)

from explainer import i18n
from explainer import queries as Q

pytestmark = pytest.mark.browser
GEO_DRAWN = "() => [...document.querySelectorAll('.js-plotly-plot')].some(g => g._fullLayout && g._fullLayout.geo)"
PEAK_DRAWN = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullLayout && g._fullLayout.geo);
  return gd.data.some(t => (t.name || '').startsWith(PEAK)); }"""


@pytest.mark.parametrize("width", [375, 1280])
def test_a_day_before_the_first_snapshot_shows_no_area_until_the_date_reaches_one(watched, server, bundle, artifacts, width):  # noqa: F811
    page, log = watched
    page.set_viewport_size({"width": width, "height": 1600})
    first = Q.control_dates(bundle)[0]
    day = first - dt.timedelta(days=1)
    source = Q.source_name(bundle, next(lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"), "en")
    peak = i18n.t("en", "legend_peak", date="").split("(")[0]
    open_view(page, server, "map", f"date={day}&lang=en")
    page.wait_for_function(GEO_DRAWN)
    assert page.evaluate(CONTROL_GEOJSON) == "[]"  # no Ukrainian-held area weeks before the incursion
    assert not page.evaluate(PEAK_DRAWN.replace("PEAK", repr(peak)))
    note = i18n.t("en", "map_snapshot_before", source=source, first=i18n.date(first, "en"), date=i18n.date(day, "en"))
    expect(page.locator(".snapshot-line")).to_contain_text(note.split(":")[0])  # the map explorer's line
    expect(page.locator("#date-label")).to_have_text(i18n.date(day, "en"))  # the date bar names the map's day
    page.screenshot(path=str(artifacts / f"map-before-first-snapshot-{width}.png"))
    page.locator(FWD).click()  # a week on (the explorer moves between snapshots): the areas and the peak outline
    expect(page).not_to_have_url(has(f"date={day}"))
    page.wait_for_function(f"() => ({CONTROL_GEOJSON})() !== '[]'")
    assert page.evaluate(PEAK_DRAWN.replace("PEAK", repr(peak)))
    assert not log["errors"], log["errors"]
