"""Accessibility of the live pages: axe-core (WCAG 2.1 A/AA) on every view at both widths and in
both languages, plus what axe does not check on Streamlit pages: <html lang>, one h1 and no
skipped heading level, a name for every chart, the current page marked, no mode bar."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

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
def test_page_language_headings_and_chart_names(browser, server, bundle, lang):
    from explainer import i18n

    lead = bundle.article.lead
    for view in VIEWS:
        ctx, page = open_page(browser, server, view, lang, 1280)
        try:
            assert page.evaluate("() => document.documentElement.lang") == lang
            # a meta description (the editors' intro) for search engines and link previews
            about = page.evaluate("() => document.querySelector('meta[name=description]').content")
            assert about == (i18n.field(lead, "intro", lang) if lead else i18n.t(lang, "app_title"))
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


def test_story_keyboard_focus_survives_the_ends_and_steps_are_announced(browser, server, bundle):
    """Enter on Next up to the last step: the disabled Next hands the focus to Prev (not to <body>), and
    back to the first step Prev hands it to Next. The step's box is one live region that stays the same
    node while its text changes, so a screen reader announces each step."""
    n = len(bundle.story)
    assert n >= 2
    ctx, page = open_page(browser, server, "story", "en", 1280)
    try:
        box = page.locator(".st-key-story-step")
        expect(box).to_have_attribute("aria-live", "polite")
        page.evaluate("() => { document.querySelector('.st-key-story-step').__probe = 1; }")
        nxt, prev = page.locator(".st-key-story_next button"), page.locator(".st-key-story_prev button")
        nxt.focus()
        texts = [box.inner_text()]
        for k in range(2, n + 1):
            page.keyboard.press("Enter")
            expect(page).to_have_url(re.compile(rf"step={k}\b"))
            page.wait_for_selector(IDLE)
            expect(box).not_to_have_text(texts[-1])
            texts.append(box.inner_text())
            expect(nxt if k < n else prev).to_be_focused()
        expect(nxt).to_be_disabled()
        assert page.evaluate("() => document.querySelector('.st-key-story-step').__probe") == 1, "the live region was replaced"
        expect(box).to_have_attribute("aria-live", "polite")
        for k in range(n - 1, 0, -1):
            page.keyboard.press("Enter")
            expect(page).to_have_url(re.compile(rf"step={k}\b") if k > 1 else re.compile(r"^(?!.*step=)"))
            page.wait_for_selector(IDLE)
        expect(prev).to_be_disabled()
        expect(nxt).to_be_focused()
        assert page.evaluate("() => !!document.activeElement.closest('.st-key-story-bar')")
    finally:
        ctx.close()
