"""Accessibility of the live pages: axe-core (WCAG 2.1 A/AA) on every view at both widths and in
both languages, plus what axe does not check on Streamlit pages: <html lang>, one h1 and no
skipped heading level, a name for every chart, the current page marked, no mode bar."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
VIEWS = ["story", "map", "casualties", "timeline", "sources"]
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"


def open_page(browser, server, view, lang, width):
    ctx = browser.new_context(viewport={"width": width, "height": 1400}, user_agent=PHONE_UA if width < 500 else None)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/{view}?lang={lang}")
    page.wait_for_selector(IDLE)
    if view != "sources":
        page.wait_for_function(
            "() => { const g = [...document.querySelectorAll('.js-plotly-plot')];"
            " return g.length > 0 && g.every(x => x.querySelector('.main-svg')); }"
        )
    page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
    return ctx, page


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["fr-CH", "en"])
def test_axe_finds_nothing_serious(browser, server, artifacts, lang, width):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for view in VIEWS:
        ctx, page = open_page(browser, server, view, lang, width)
        try:
            res = axe.run(
                page,
                options={
                    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                    "resultTypes": ["violations"],
                },
            )
            bad = [v for v in res.response["violations"] if v["impact"] in ("critical", "serious")]
            if bad:
                found[view] = [(v["id"], v["nodes"][0]["target"], v["nodes"][0].get("failureSummary", "")[:160]) for v in bad]
        finally:
            ctx.close()
    assert not found, found


@pytest.mark.parametrize("lang", ["fr-CH", "en"])
def test_page_language_headings_and_chart_names(browser, server, lang):
    for view in VIEWS:
        ctx, page = open_page(browser, server, view, lang, 1280)
        try:
            assert page.evaluate("() => document.documentElement.lang") == lang
            levels = page.eval_on_selector_all(
                "[data-testid='stMain'] h1, [data-testid='stMain'] h2, [data-testid='stMain'] h3, [data-testid='stMain'] h4",
                "hs => hs.filter(h => h.offsetParent).map(h => +h.tagName[1])",
            )
            assert levels and levels.count(1) == 1 and levels[0] == 1, (view, levels)
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (view, levels)
            # every chart has an accessible name; no plotly mode bar (extra tab stops, English labels)
            names = page.eval_on_selector_all(
                "[data-testid='stPlotlyChart']",
                "cs => cs.map(c => (c.closest('[aria-label]') || c.querySelector('[aria-label]') || {}).getAttribute"
                " ? (c.closest('[aria-label]') || c.querySelector('[aria-label]')).getAttribute('aria-label') : '')",
            )
            assert all(n for n in names), (view, names)
            assert page.locator(".modebar").count() == 0
            # the current view's link is marked for assistive technology
            assert page.locator(".st-key-nav a[aria-current='page']").count() == 1, view
        finally:
            ctx.close()
