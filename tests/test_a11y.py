"""Accessibility of the live pages: axe-core (WCAG 2.1 A/AA) on every view at both widths and in
both languages, plus what axe does not check on Streamlit pages: <html lang>, one h1 and no
skipped heading level, a name for every chart, the current page marked, no mode bar."""

from __future__ import annotations

import re

import pytest
from conftest import scaled_ms
from playwright.sync_api import expect

from explainer.ui.registry import view_ids

pytestmark = pytest.mark.browser
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
VIEWS = list(view_ids())
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"


def open_page(browser, server, view, lang, width):
    ctx = browser.new_context(viewport={"width": width, "height": 1400}, user_agent=PHONE_UA if width < 500 else None)
    page = ctx.new_page()
    page.set_default_timeout(scaled_ms(30_000))
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
                "[data-testid='stPlotlyChart'], .kursk-live-chart .chart-box, .kursk-live-map .chart-box",
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


COLOURS = """() => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const l = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const paint = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
                       if (!/rgba\\(.*,\\s*0\\)$/.test(c) && c !== 'transparent') return rgb(c); } return [255, 255, 255]; };
  const bg = paint(document.querySelector('[data-testid=stMain]'));
  const text = [...document.querySelectorAll('h1, [data-testid=stCaptionContainer], [data-testid=stMarkdownContainer] a')]
    .filter(e => e.offsetParent && !e.closest('[data-testid=stPlotlyChart]'));
  return {bg, card: paint(document.querySelector('[data-testid=stPlotlyChart]')),
          worst: Math.min(...text.map(e => ratio(rgb(getComputedStyle(e).color), bg))), n: text.length};
}"""


@pytest.mark.parametrize("view", ["map", "casualties", "timeline"])
def test_dark_live_embed_is_legible(browser, server, view):
    """?theme=dark (the static embeds' parameter): a dark page whose text keeps AA contrast (axe, and
    measured on headings, captions and links), the charts on light cards; the parameter stays in the URL."""
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(viewport={"width": 640, "height": 1200})
    page = ctx.new_page()
    page.set_default_timeout(scaled_ms(30_000))
    try:
        page.goto(f"{server.url}/?embed=true&view={view}&lang=en&theme=dark")
        page.wait_for_selector(IDLE)
        page.wait_for_selector(".js-plotly-plot .main-svg")
        expect(page).to_have_url(re.compile(r"theme=dark"))
        got = page.evaluate(COLOURS)
        assert sum(got["bg"]) < 3 * 60 and sum(got["card"]) == 3 * 255, got  # dark page, light chart card
        assert got["n"] >= 3 and got["worst"] >= 4.5, got
        res = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}, "resultTypes": ["violations"]}
        )
        bad = [(v["id"], v["nodes"][0]["target"]) for v in res.response["violations"] if v["impact"] in ("critical", "serious")]
        assert not bad, bad
    finally:
        ctx.close()


@pytest.mark.parametrize("scheme,dark", [("dark", True), ("light", False)])
def test_auto_theme_follows_the_reader_system(browser, server, scheme, dark):
    """?theme=auto: dark when the reader's system prefers it, light otherwise (CSS, no reload)."""
    ctx = browser.new_context(viewport={"width": 640, "height": 1000}, color_scheme=scheme)
    page = ctx.new_page()
    page.set_default_timeout(scaled_ms(30_000))
    try:
        page.goto(f"{server.url}/?embed=true&view=casualties&lang=en&theme=auto")
        page.wait_for_selector(IDLE)
        page.wait_for_selector(".js-plotly-plot .main-svg")
        got = page.evaluate(COLOURS)
        assert (sum(got["bg"]) < 3 * 60) is dark and got["worst"] >= 4.5, got
    finally:
        ctx.close()


def test_theme_applies_to_embeds_only(browser, server):
    """The full app stays in its own light theme whatever the URL says."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    try:
        page.goto(f"{server.url}/casualties?lang=en&theme=dark")
        page.wait_for_selector(IDLE)
        page.wait_for_selector(".js-plotly-plot .main-svg")
        assert sum(page.evaluate(COLOURS)["bg"]) == 3 * 255
    finally:
        ctx.close()
