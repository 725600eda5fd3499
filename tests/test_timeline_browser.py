"""The live timeline in a browser (explainer/ui/live_timeline.py): choosing an event and filtering the
categories run no script, the URL keeps both (a permalink opens on them), a tap on a phone chooses the
event at once and brings its card into view, and the keyboard path (the picker) works the same."""

from __future__ import annotations

import re

import pytest
from conftest import has, scaled_ms
from playwright.sync_api import expect

from bench.probes import CHART, wait_idle
from explainer import figures as F
from explainer.figures.timeline import filter_texts
from explainer.i18n import t

pytestmark = pytest.mark.browser
TL = CHART["timeline"]
BOX = f"{TL} .chart-box"
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
COUNT_RUNS = (
    "() => { window.__runs = 0; new MutationObserver(() => { window.__runs += 1; }).observe("
    "document.querySelector('[data-testid=stApp]'), {attributeFilter: ['data-test-script-state']}); }"
)
# the centre of an event's point on the screen, and its trace and index, by event id
POINT_JS = f"""(id) => {{
  const gd = document.querySelector('{TL} .js-plotly-plot');
  const ti = gd.data.findIndex(tr => (tr.customdata || []).includes(id));
  const j = gd.data[ti].customdata.indexOf(id);
  const trace = [...gd.querySelectorAll('.scatterlayer .trace')].find(g => g.__data__ && g.__data__[0] && g.__data__[0].trace.index === ti);
  const r = trace.querySelectorAll('path.point')[j].getBoundingClientRect();
  return {{x: r.left + r.width / 2, y: r.top + r.height / 2}};
}}"""


def _open(page, server, query: str) -> None:
    page.goto(f"{server.url}/timeline?{query}")
    wait_idle(page)
    page.wait_for_selector(f"{BOX}[data-state=interactive] .main-svg", timeout=scaled_ms(60_000))


def _event(bundle, cat: str | None = None, other_than=None):
    """An event of the data (of a category), on a day with no other event, not the given day."""
    days = [e.date for e in bundle.events]
    return next(
        e for e in bundle.events if (cat is None or e.category == cat) and days.count(e.date) == 1 and e.date != other_than
    )


def test_choosing_an_event_and_filtering_run_no_script(page, server, bundle):
    """A click on a point, a category pressed and an event picked from the list: the chart, the chosen
    card, the text alternative and the URL follow in the browser, with no script run."""
    page.set_default_timeout(scaled_ms(30_000))
    page.set_viewport_size({"width": 1280, "height": 1400})
    _open(page, server, "lang=en")
    page.evaluate(COUNT_RUNS)
    ev = _event(bundle, other_than=bundle.article.published)
    at = page.evaluate(POINT_JS, ev.id)
    page.mouse.click(at["x"], at["y"])
    expect(page.locator(BOX)).to_have_attribute("data-date", ev.date.isoformat())
    expect(page.locator(f"{TL} .tl-chosen [data-event={ev.id}]")).to_be_visible()
    expect(page).to_have_url(has(f"date={ev.date}"))
    shapes = page.evaluate(f"() => document.querySelector('{TL} .js-plotly-plot').layout.shapes.map(s => s.x0)")
    assert ev.date.isoformat() in shapes, shapes

    cat = ev.category
    page.locator(f"{TL} .tl-pill[data-cat={cat}]").click()
    expect(page.locator(BOX)).to_have_attribute("data-cats", cat)
    expect(page.locator(f"{TL} .tl-pill[data-cat={cat}]")).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(has(f"cats={cat}"))
    lanes = page.evaluate(f"() => document.querySelector('{TL} .js-plotly-plot').data.filter(tr => tr.customdata).length")
    assert lanes == 1
    # the browser keeps the lanes as the server's builder does (figures/timeline.py: keep_lanes)
    drawn = page.evaluate(
        f"() => {{ const l = document.querySelector('{TL} .js-plotly-plot').layout;"
        " return [l.yaxis.categoryarray, l.height, l.annotations.map(a => a.text)]; }"
    )
    built = F.build_timeline(bundle, "en", categories=[cat]).figure.layout
    assert drawn == [list(built.yaxis.categoryarray), built.height, [a.text for a in built.annotations]], drawn
    expect(page.locator(f"{TL} .summary")).to_have_text(filter_texts(bundle, "en")[cat]["summary"])
    assert page.locator(f"{TL} .tl-list li").count() == sum(e.category == cat for e in bundle.events)

    other = _event(bundle, cat, other_than=ev.date)  # the keyboard's way: the picker
    page.locator(f"{TL} select.tl-pick").select_option(other.id)
    expect(page.locator(BOX)).to_have_attribute("data-date", other.date.isoformat())
    expect(page.locator(f"{TL} .tl-chosen [data-event={other.id}]")).to_be_visible()
    expect(page).to_have_url(has(f"date={other.date}"))
    assert page.evaluate("() => window.__runs") == 0, "choosing or filtering must not run the script"


def test_a_permalink_opens_on_the_event_and_filter_and_the_app_learns_them(page, server, bundle):
    """The URL a reader copies after choosing in the browser opens on the same event and categories;
    the share panel (a run of the app) has them too."""
    page.set_default_timeout(scaled_ms(30_000))
    page.set_viewport_size({"width": 1280, "height": 1400})
    _open(page, server, "lang=fr-CH")
    ev = _event(bundle, other_than=bundle.article.published)
    cats = sorted({ev.category, next(e.category for e in bundle.events if e.category != ev.category)}, key=lambda c: c)
    for c in cats:
        page.locator(f"{TL} .tl-pill[data-cat={c}]").click()
    page.locator(f"{TL} select.tl-pick").select_option(ev.id)
    expect(page.locator(BOX)).to_have_attribute("data-date", ev.date.isoformat())
    link = page.url
    assert f"date={ev.date}" in link and re.search(r"cats=[a-z,%C]+", link), link

    fresh = page.context.new_page()
    fresh.set_default_timeout(scaled_ms(30_000))
    fresh.goto(link)
    wait_idle(fresh)
    fresh.wait_for_selector(f"{BOX}[data-state=interactive] .main-svg", timeout=scaled_ms(60_000))
    box = fresh.locator(BOX)
    expect(box).to_have_attribute("data-date", ev.date.isoformat())
    shown = box.get_attribute("data-cats") or ""
    assert set(shown.split(",")) == set(cats), shown
    for c in cats:
        expect(fresh.locator(f"{TL} .tl-pill[data-cat={c}]")).to_have_attribute("aria-pressed", "true")
    expect(fresh.locator(f"{TL} .tl-chosen [data-event={ev.id}]")).to_be_visible()
    names = fresh.evaluate(f"() => document.querySelector('{TL} .js-plotly-plot').data.map(d => d.name)")
    assert t("fr-CH", "selected_event") in names, names
    fresh.close()

    # the app learns the state as the reader heads elsewhere: the share panel's permalink has it
    page.locator("[data-testid='stExpander'] summary").filter(has_text=t("fr-CH", "share")).click()
    share = page.locator(".st-key-share_link_timeline input")
    expect(share).to_have_value(has(f"date={ev.date}"))
    expect(share).to_have_value(re.compile("cats="))


def test_a_tap_on_a_phone_chooses_the_event_and_shows_its_card(browser, server, bundle):
    """One tap chooses the event (no tooltip first, none cut by the screen's edges) and its card,
    right under the chart, comes into view."""
    ctx = browser.new_context(viewport={"width": 375, "height": 740}, user_agent=PHONE_UA, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    page.set_default_timeout(scaled_ms(30_000))
    try:
        _open(page, server, "lang=fr-CH")
        page.evaluate(COUNT_RUNS)
        ev = _event(bundle, other_than=bundle.article.published)
        page.locator(BOX).scroll_into_view_if_needed()
        at = page.evaluate(POINT_JS, ev.id)
        page.touchscreen.tap(at["x"], at["y"])
        expect(page.locator(BOX)).to_have_attribute("data-date", ev.date.isoformat())
        card = page.locator(f"{TL} .tl-chosen [data-event={ev.id}]")
        expect(card).to_be_in_viewport()
        labels = page.evaluate(
            "() => [...document.querySelectorAll('.hoverlayer .hovertext')].map(h => { const r = h.getBoundingClientRect();"
            " return [r.left, r.right]; })"
        )
        width = page.evaluate("() => document.documentElement.clientWidth")
        assert all(left >= 0 and right <= width for left, right in labels), (labels, width)
        assert page.evaluate("() => window.__runs") == 0
    finally:
        ctx.close()


def test_no_tooltip_leaves_a_narrow_screen(browser, server):
    """With a mouse on a 320 px window (as on the static page, which draws the same figure), the
    tooltip of every point stays on the screen."""
    ctx = browser.new_context(viewport={"width": 320, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(scaled_ms(30_000))
    try:
        _open(page, server, "lang=fr-CH")
        page.locator(BOX).scroll_into_view_if_needed()
        points = page.evaluate(
            f"() => [...document.querySelectorAll('{TL} .scatterlayer .trace')]"
            ".filter(g => g.__data__ && g.__data__[0] && g.__data__[0].trace.customdata)"  # the events, not the ring
            ".flatMap(g => [...g.querySelectorAll('path.point')]).map(p => {"
            " const r = p.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })"
        )
        assert len(points) >= 40
        cut = []
        for x, y in points:
            page.mouse.move(x, y)
            page.wait_for_function("() => document.querySelectorAll('.hoverlayer .hovertext').length > 0")
            sides = page.evaluate(
                "() => [...document.querySelectorAll('.hoverlayer .hovertext')].map(h => {"
                " const r = h.getBoundingClientRect(); return [r.left, r.right]; })"
            )
            cut += [(x, s) for s in sides if s[0] < 0 or s[1] > 320]
            page.mouse.move(1, 1)
        assert not cut, cut
    finally:
        ctx.close()
