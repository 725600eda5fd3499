"""What a reader sees: Debian chromium against a live `streamlit run`."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser
VIEWS = ["story", "map", "casualties", "timeline", "sources"]
# The map is a plotly geo subplot (SVG): drawn = polygon paths with a real on-screen size.
MAP_DRAWN = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
  .find(g => g._fullLayout && g._fullLayout.geo);
  return gd ? [...gd.querySelectorAll('.geo path.choroplethlocation')]
    .filter(p => { const b = p.getBBox(); return b.width > 0 && b.height > 0; }).length : -1; }"""
CONTROL_GEOJSON = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
  .find(g => g._fullLayout && g._fullLayout.geo);
  return JSON.stringify(gd.data.filter(t => t.type === 'choropleth' && t.showlegend).map(t => t.geojson)); }"""


# Streamlit's frontend probes `<page path>/_stcore/health` and `/host-config` to find its base
# path, gets a 404 on sub-pages, then uses the root: expected, not an app error.
BASE_PATH_PROBES = ("/_stcore/health", "/_stcore/host-config")


@pytest.fixture
def watched(page, server):
    """A page that records console errors, failed responses and every request host."""
    log = {"errors": [], "hosts": set(), "probes": 0}

    def on_response(r):
        if r.status >= 400:
            if r.status == 404 and r.url.endswith(BASE_PATH_PROBES):
                log["probes"] += 1
            else:
                log["errors"].append(f"HTTP {r.status} {r.url}")

    def on_console(m):
        if m.type == "error" and not (m.text.startswith("Failed to load resource") and log["probes"]):
            log["errors"].append(m.text)

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["hosts"].add(urlparse(r.url).netloc) if r.url.startswith("http") else None)
    page.set_default_timeout(30_000)
    return page, log


def open_view(page, server, view, query=""):
    page.goto(f"{server.url}/{'' if view == 'story' else view}?{query}")
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    if view != "sources":
        page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(500)


@pytest.mark.parametrize("width", [1280, 375])
def test_every_view_loads_clean_at_width(watched, server, artifacts, width):
    page, log = watched
    page.set_viewport_size({"width": width, "height": 2400})
    for view in VIEWS:
        open_view(page, server, view)
        assert page.locator("[data-testid='stException']").count() == 0, view
        page.screenshot(path=str(artifacts / f"{view}-{width}.png"))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{view} scrolls sideways at {width}px by {overflow}px"
    assert not log["errors"], log["errors"]
    assert log["hosts"] <= {f"127.0.0.1:{server.port}"}, log["hosts"]


def test_map_is_drawn_and_date_move_changes_control_area(watched, server, artifacts):
    page, log = watched
    page.set_viewport_size({"width": 1280, "height": 1800})
    open_view(page, server, "map", "date=2024-08-27")
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    before = page.evaluate(CONTROL_GEOJSON)
    page.get_by_role("button", name="1 semaine ▶").click()
    page.wait_for_function(f"(b) => ({CONTROL_GEOJSON})() !== b", arg=before)
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    assert "date=2024-09-03" in page.url
    page.screenshot(path=str(artifacts / "map-after-move.png"))
    assert log["hosts"] <= {f"127.0.0.1:{server.port}"}, log["hosts"]


def test_language_switch_changes_visible_labels(watched, server):
    page, _ = watched
    page.set_viewport_size({"width": 1280, "height": 1600})
    open_view(page, server, "casualties")
    assert page.get_by_text("Pertes nord-coréennes : estimations selon les sources").first.is_visible()
    page.get_by_role("radio", name="English").click()
    page.get_by_text("North Korean casualties: estimates by source").first.wait_for()
    assert "lang=en" in page.url


@pytest.mark.parametrize("view", ["map", "casualties", "timeline"])
def test_embed_url_shows_exactly_one_view(watched, server, artifacts, view):
    page, log = watched
    page.set_viewport_size({"width": 375, "height": 1200})
    page.goto(f"{server.url}/?embed=true&view={view}&lang=en")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(500)
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.locator("[data-testid='stSidebarNav'], [data-testid='stTopNavLinkContainer'], "
                        "[data-testid='stTopNavLink']").count() == 0
    assert page.locator("[data-testid='stSlider'], [data-testid='stMultiSelect']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Open the full explainer").count() == 1
    page.screenshot(path=str(artifacts / f"embed-{view}-375.png"))
    assert not log["errors"], log["errors"]
    assert log["hosts"] <= {f"127.0.0.1:{server.port}"}, log["hosts"]


def test_caption_text_has_aa_contrast(watched, server):
    """Sources and text alternatives are captions: they must stay readable (WCAG AA, 4.5:1)."""
    page, _ = watched
    open_view(page, server, "map")
    ratio = page.evaluate("""() => {
      const el = document.querySelector("[data-testid='stCaptionContainer']");
      const s = getComputedStyle(el); const rgb = s.color.match(/\\d+/g).map(Number);
      const a = Number(s.opacity);  // blended over white
      const lin = c => { c = (a * c + (1 - a) * 255) / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      const L = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
      return 1.05 / (L + 0.05); }""")
    assert ratio >= 4.5, ratio


def test_date_controls_work_from_the_keyboard_and_play(watched, server):
    page, _ = watched
    page.set_viewport_size({"width": 1280, "height": 1600})
    open_view(page, server, "map", "date=2024-10-01")
    back = page.get_by_role("button", name="◀ 1 semaine")
    back.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**date=2024-09-24**")
    play = page.get_by_role("button", name="▶ Lecture")
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**date=2024-10-08**", timeout=30_000)  # two weekly frames later
    page.get_by_role("button", name="‖ Pause").click()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    stopped = page.url
    page.wait_for_timeout(2500)
    assert page.url == stopped, "pause must stop the animation"


def test_phone_gets_a_shorter_map(browser, server, artifacts):
    """A phone's browser (user agent with "Mobi") gets a map sized for a narrow screen."""
    ua = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/156.0.0.0 Mobile Safari/537.36")
    heights = {}
    for name, agent in (("phone", ua), ("desktop", None)):
        ctx = browser.new_context(viewport={"width": 375, "height": 1400}, **({"user_agent": agent} if agent else {}))
        try:
            page = ctx.new_page()
            page.goto(f"{server.url}/map?date=2024-08-27")
            page.wait_for_function(f"() => ({MAP_DRAWN})() > 0", timeout=60_000)
            heights[name] = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
              .find(g => g._fullLayout && g._fullLayout.geo)._fullLayout.height""")
            if name == "phone":
                page.locator(".st-key-map_chart").screenshot(path=str(artifacts / "map-phone.png"))
        finally:
            ctx.close()
    assert heights == {"phone": 360, "desktop": 500}
