"""What a reader sees: Debian chromium against a live `streamlit run`.

Every wait is for a state (the app's run state, a URL, a drawn chart, Playwright's `expect`), never for a
time; widgets are found by their key (`.st-key-<key>`), not by their label.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from conftest import BACK, FWD, PLAY, SLIDER, has, locale_option, moving_start, press_after_move, scaled_ms, week
from playwright.sync_api import expect

from bench.probes import BASE_PATH_PROBES, CHART, IDLE, MAP_DRAWN_COUNT, SNAPSHOT_JS, wait_idle
from explainer.i18n import date as i18n_date
from explainer.i18n import t
from explainer.ui.registry import view_ids
from explainer.ui.share import live_snippet

pytestmark = pytest.mark.browser
VIEWS = list(view_ids())
MAP_DRAWN = f"() => ({MAP_DRAWN_COUNT})('{CHART['map']}')"
CONTROL_GEOJSON = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')]
  .find(g => g._fullLayout && g._fullLayout.geo);
  return JSON.stringify(gd.data.filter(t => t.type === 'choropleth' && t.showlegend).map(t => t.geojson)); }"""


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
    page.set_default_timeout(scaled_ms(30_000))
    return page, log


def open_view(page, server, view, query=""):
    page.goto(f"{server.url}/{'' if view == 'story' else view}?{query}")
    wait_idle(page)
    page.wait_for_selector("h1")
    # every chart the run put on the page is drawn (a view without a chart, such as the sources, has none)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length"
        " >= document.querySelectorAll('[data-testid=stPlotlyChart]').length"
    )


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


def test_sources_page_has_its_dataset_in_the_live_dom(watched, server, bundle):
    """The schema.org Dataset that /sources puts out is in the document a crawler reads (Streamlit
    keeps the script tag), parses as JSON and names the editors' headline."""
    import json

    page, log = watched
    open_view(page, server, "sources", "lang=en")
    blocks = page.locator('script[type="application/ld+json"]')
    expect(blocks).to_have_count(1)
    doc = json.loads(blocks.first.text_content() or "")
    assert doc["@type"] == "Dataset" and doc["name"] == bundle.article.lead.headline_en
    assert doc["temporalCoverage"].count("/") == 1
    assert not log["errors"], log["errors"]


def test_map_is_drawn_and_date_move_changes_control_area(watched, server, artifacts, dates):
    page, log = watched
    page.set_viewport_size({"width": 1280, "height": 1800})
    start = moving_start(dates, 1)
    open_view(page, server, "map", f"date={start}")
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    before = page.evaluate(CONTROL_GEOJSON)
    page.locator(FWD).click()
    page.wait_for_function(f"(b) => ({CONTROL_GEOJSON})() !== b", arg=before)
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    expect(page).to_have_url(has(f"date={week(dates, start)}"))
    page.screenshot(path=str(artifacts / "map-after-move.png"))
    assert log["hosts"] <= {f"127.0.0.1:{server.port}"}, log["hosts"]


@pytest.mark.parametrize("target", ["casualties", "timeline"])
def test_navigation_keeps_the_moved_date(watched, server, dates, target):
    """A date move on the map happens in the browser (no script run); every navigation link then carries
    the moved date (none a stale one), and the next page opens on it: the click is held back until the
    server has the date, then goes through."""
    page, log = watched
    page.set_viewport_size({"width": 1280, "height": 1200})
    start = moving_start(dates, 1)
    open_view(page, server, "map", f"date={start}")
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    before = page.evaluate(CONTROL_GEOJSON)
    page.evaluate(
        "() => { window.__runs = 0; new MutationObserver(() => { window.__runs += 1; }).observe("
        "document.querySelector('[data-testid=stApp]'), {attributeFilter: ['data-test-script-state']}); }"
    )
    page.locator(FWD).click()
    page.wait_for_function(f"(b) => ({CONTROL_GEOJSON})() !== b", arg=before)
    moved = week(dates, start)
    expect(page).to_have_url(has(f"date={moved}"))
    assert page.evaluate(SNAPSHOT_JS, CHART["map"]) == moved.isoformat()
    assert page.evaluate("() => window.__runs") == 0, "a date move must not run the script"
    links = page.locator(".st-key-nav a")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert len(hrefs) >= 4 and all(f"date={moved}" in h for h in hrefs), hrefs
    page.locator(".st-key-nav a").filter(has_text=t("fr-CH", f"nav_{target}")).click()
    page.wait_for_function(f"() => location.pathname.endsWith('/{target}')")
    expect(page).to_have_url(has(f"date={moved}"))
    wait_idle(page)
    page.wait_for_selector(f"{CHART[target]} .js-plotly-plot .main-svg")
    assert not log["errors"], log["errors"]


def test_share_panel_follows_a_date_moved_in_the_browser(watched, server, dates):
    """The share panel's permalink is the server's: opening it after a date move reports the date first."""
    page, _ = watched
    page.set_viewport_size({"width": 1280, "height": 1800})
    start = moving_start(dates, 1)
    open_view(page, server, "map", f"date={start}")
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    page.locator(FWD).click()
    moved = week(dates, start)
    expect(page).to_have_url(has(f"date={moved}"))
    page.locator("[data-testid='stExpander'] summary").filter(has_text=t("fr-CH", "share")).click()
    link = page.locator(".st-key-share_link_map input")
    expect(link).to_have_value(re.compile(re.escape(f"date={moved}")))


def test_area_chart_date_line_follows_the_map_without_a_run(watched, server, dates):
    """The area chart under the map is drawn by the map's own plotly.js (one copy per page, not Streamlit's
    chart as well), and its selected-date line and legend follow a date moved in the browser, with no
    script run."""
    page, log = watched
    page.set_viewport_size({"width": 1280, "height": 1800})
    start = moving_start(dates, 1)
    open_view(page, server, "map", f"date={start}")
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    area = f"{CHART['area']} .chart-box"
    expect(page.locator(f"{area}[data-state=interactive]")).to_have_attribute("data-date", start.isoformat())
    assert page.locator("[data-testid=stPlotlyChart]").count() == 0, "Streamlit's own plotly chart would load plotly.js twice"
    page.evaluate(
        "() => { window.__runs = 0; new MutationObserver(() => { window.__runs += 1; }).observe("
        "document.querySelector('[data-testid=stApp]'), {attributeFilter: ['data-test-script-state']}); }"
    )
    page.locator(FWD).click()
    moved = week(dates, start)
    expect(page.locator(area)).to_have_attribute("data-date", moved.isoformat())
    line = page.evaluate(f"() => document.querySelector('{CHART['area']} .js-plotly-plot').layout.shapes.map(s => s.x0)")
    assert moved.isoformat() in line and start.isoformat() not in line, line
    names = page.evaluate(f"() => document.querySelector('{CHART['area']} .js-plotly-plot').data.map(d => d.name)")
    label = t("fr-CH", "selected_date_label", date=i18n_date(moved, "fr-CH", short=True))
    assert label in names, names
    assert page.evaluate("() => window.__runs") == 0, "a date move must not run the script"
    assert not log["errors"], log["errors"]


def test_casualty_filter_redraws_the_chart_drawn_with_the_pages_one_plotly(watched, server):
    """/casualties draws its chart with the map's copy of plotly.js (no Streamlit chart, whose bundle is 4.7 MB);
    a measure filter still redraws it, with its URL."""
    page, log = watched
    page.set_viewport_size({"width": 1280, "height": 1400})
    open_view(page, server, "casualties")
    chart = f"{CHART['casualties']} .js-plotly-plot"
    page.wait_for_selector(f"{CHART['casualties']} .chart-box[data-state=interactive] .main-svg")
    assert page.locator("[data-testid=stPlotlyChart]").count() == 0
    traces = page.evaluate(f"() => document.querySelector('{chart}').data.length")
    page.locator(".st-key-w_measures").get_by_role("button", name=t("fr-CH", "measure_killed"), exact=True).click()
    page.wait_for_function(
        f"(n) => {{ const g = document.querySelector('{chart}'); return !!g && g.data.length !== n; }}", arg=traces
    )
    expect(page).to_have_url(has("measures=killed"))
    wait_idle(page)
    # the chart's box takes the filtered figure's height (one panel is shorter than five)
    heights = page.evaluate(
        f"() => {{ const g = document.querySelector('{chart}'); return [g.layout.height, g.closest('.chart-box').getBoundingClientRect().height]; }}"
    )
    assert heights[0] and abs(heights[0] - heights[1]) <= 1, heights
    assert not log["errors"], log["errors"]


def test_language_switch_changes_visible_labels(watched, server):
    page, _ = watched
    page.set_viewport_size({"width": 1280, "height": 1600})
    open_view(page, server, "casualties")
    heading = page.locator("h1, h2, h3").filter(has_text=t("fr-CH", "casualties_heading")).first
    expect(heading).to_be_visible()
    locale_option(page, "en").click()
    expect(page.locator("h1, h2, h3").filter(has_text=t("en", "casualties_heading")).first).to_be_visible()
    expect(page).to_have_url(has("lang=en"))


@pytest.mark.parametrize("view", ["map", "casualties", "timeline"])
def test_embed_url_shows_exactly_one_view(watched, server, artifacts, view):
    page, log = watched
    page.set_viewport_size({"width": 375, "height": 1200})
    page.goto(f"{server.url}/?embed=true&view={view}&lang=en")
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(".js-plotly-plot").count() == 1
    assert (
        page.locator("[data-testid='stSidebarNav'], [data-testid='stTopNavLinkContainer'], [data-testid='stTopNavLink']").count()
        == 0
    )
    assert page.locator("[data-testid='stSlider'], [data-testid='stMultiSelect']").count() == 0
    # the map embed has the static embed's date control (the map explorer), the others none
    assert page.locator("#date-slider").count() == (1 if view == "map" else 0)
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.get_by_text(t("en", "back_to_app"))).to_have_count(1)
    page.screenshot(path=str(artifacts / f"embed-{view}-375.png"))
    assert not log["errors"], log["errors"]
    assert log["hosts"] <= {f"127.0.0.1:{server.port}"}, log["hosts"]


def test_caption_text_has_aa_contrast(watched, server):
    """Sources and text alternatives are captions: they must stay readable (WCAG AA, 4.5:1)."""
    page, _ = watched
    open_view(page, server, "map")
    # the caption as a reader reads it: not faded as stale while a run (a busy machine's late one) redraws it
    page.wait_for_function(
        "() => { const el = document.querySelector(\"[data-testid='stCaptionContainer']\");"
        " return el && !el.closest('[data-stale=true]') && getComputedStyle(el.closest('[data-stale]') || el).opacity === '1'; }"
    )
    ratio = page.evaluate("""() => {
      const el = document.querySelector("[data-testid='stCaptionContainer']");
      const s = getComputedStyle(el); const rgb = s.color.match(/\\d+/g).map(Number);
      const a = Number(s.opacity);  // blended over white
      const lin = c => { c = (a * c + (1 - a) * 255) / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      const L = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
      return 1.05 / (L + 0.05); }""")
    assert ratio >= 4.5, ratio


def test_date_controls_work_from_the_keyboard_and_play(watched, server, dates):
    """The map explorer's date bar: the slider takes the arrows (one snapshot) and Page Up/Down (a
    week), the week buttons take Enter, play moves a week per frame until paused, and a pause holds
    through the next script run (a language switch, which reports the date first)."""
    page, log = watched
    page.set_viewport_size({"width": 1280, "height": 1600})
    start = moving_start(dates, 3)
    here = week(dates, start, 1)
    open_view(page, server, "map", f"date={here}")
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    page.locator(BACK).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(has(f"date={start}"))
    page.wait_for_function(f"() => ({SNAPSHOT_JS})('{CHART['map']}') === '{start}'")
    page.locator(SLIDER).focus()
    page.keyboard.press("ArrowRight")
    nxt = dates[dates.index(start) + 1]
    expect(page).to_have_url(has(f"date={nxt}"))
    expect(page.locator(".st-key-map_explorer #date-label")).to_have_text(i18n_date(nxt, "fr-CH"))
    page.keyboard.press("PageDown")
    back = week(dates, nxt, -1)
    expect(page).to_have_url(has(f"date={back}"))
    page.wait_for_function(f"() => ({SNAPSHOT_JS})('{CHART['map']}') === '{back}'")
    page.locator(PLAY).focus()
    page.keyboard.press("Enter")
    expect(page.locator(PLAY)).to_have_text(t("fr-CH", "pause"))
    expect(page).to_have_url(has(f"date={week(dates, back, 2)}"), timeout=scaled_ms(30_000))  # two weekly frames later
    page.locator(PLAY).click()
    expect(page.locator(PLAY)).to_have_text(t("fr-CH", "play"))
    # stopped: the URL's date is the one drawn (a frame under way when paused has landed)
    settled = f"() => new URL(location.href).searchParams.get('date') === ({SNAPSHOT_JS})('{CHART['map']}')"
    page.wait_for_function(settled)
    stopped = page.evaluate(SNAPSHOT_JS, CHART["map"])
    press_after_move(page, locale_option(page, "fr-FR"))
    expect(page).to_have_url(has("lang=fr-FR"))
    page.wait_for_function(IDLE)
    page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
    page.wait_for_function(settled)
    assert page.evaluate(SNAPSHOT_JS, CHART["map"]) == stopped, "pause must stop the animation"
    expect(page).to_have_url(has(f"date={stopped}"))
    assert not log["errors"], log["errors"]


# every value the map box's data-state takes, and whether the map has asked for plotly.js yet (the
# export's geo bundle; Streamlit's own plotly, if the area chart has already loaded it, is used instead)
STATES_JS = """(() => {
  window.__states = [];
  const asked = () => performance.getEntriesByType('resource').some((e) => e.name.includes('/_live/assets/plotly'));
  new MutationObserver((ms) => ms.forEach((m) => {
    if (m.target.id === 'chart-box') window.__states.push([m.target.dataset.state, asked() || !!m.target.querySelector('.js-plotly-plot')]);
  })).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state']});
})();"""


def test_map_paints_its_prerendered_svg_before_plotly(browser, server, bundle, dates):
    """Paint first, as the export: once the server has pre-rendered a day's map (the first reader of that
    day asks for it), the next reader sees it (the box's data-state "svg") before plotly.js is even
    asked for or the interactive chart exists, then the interactive map in the same box."""
    from bench.probes import wait_http
    from explainer.figures import default_layers
    from explainer.ui.live_map import files_key

    day = dates[len(dates) // 2]
    for n in range(2):
        ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
        ctx.add_init_script(STATES_JS)
        try:
            page = ctx.new_page()
            page.goto(f"{server.url}/map?date={day}")
            page.wait_for_function(f"() => ({MAP_DRAWN})() > 0", timeout=scaled_ms(60_000))
            states = page.evaluate("() => window.__states")
        finally:
            ctx.close()
        if n == 0:  # the server renders the SVG in the background: wait until it is served
            key = files_key(bundle, "fr-CH", tuple(default_layers(bundle)), 500)
            wait_http(f"{server.url}/app/static/_live/{key}/svg/{day}.svg", 120)
    assert states[0] == ["svg", False] and states[-1] == ["interactive", True], states


def test_phone_gets_a_shorter_map(browser, server, artifacts):
    """A phone's browser (user agent with "Mobi") gets a map sized for a narrow screen."""
    ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
    heights = {}
    for name, agent in (("phone", ua), ("desktop", None)):
        ctx = browser.new_context(viewport={"width": 375, "height": 1400}, **({"user_agent": agent} if agent else {}))
        try:
            page = ctx.new_page()
            page.goto(f"{server.url}/map")
            page.wait_for_function(f"() => ({MAP_DRAWN})() > 0", timeout=scaled_ms(60_000))
            heights[name] = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
              .find(g => g._fullLayout && g._fullLayout.geo)._fullLayout.height""")
            if name == "phone":
                page.locator(CHART["map"]).screenshot(path=str(artifacts / "map-phone.png"))
        finally:
            ctx.close()
    assert heights == {"phone": 360, "desktop": 500}


@pytest.fixture
def host_page(tmp_path):
    """A newsroom's page on another origin (its own HTTP server) with the share panel's live embed
    snippet pasted in: `host(view, width)` opens it and returns the iframe's handle."""
    import functools
    import http.server
    import threading

    from bench.probes import free_port

    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield tmp_path, port
    httpd.shutdown()
    httpd.server_close()


def open_host(page, server, host_page, view, width):
    folder, port = host_page
    snippet = live_snippet(f"{server.url}/?embed=true&view={view}&lang=en", view)
    (folder / f"{view}.html").write_text(
        f"<!doctype html><html lang='en'><title>Host</title><body style='margin:0'><div style='width:{width}px'>"
        f"<p>Article text above.</p>{snippet}<p id='after'>Article text below.</p></div></body></html>",
        "utf-8",
    )
    page.set_viewport_size({"width": max(width, 800), "height": 900})
    page.goto(f"http://127.0.0.1:{port}/{view}.html")
    frame_el = page.locator("iframe[data-explainer-embed]")
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    frame.wait_for_selector(".js-plotly-plot .main-svg")
    return frame_el, frame


CONTENT_HEIGHT = "() => Math.ceil(document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().bottom)"
FRAME_HEIGHT = "(h) => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) <= 1"


def sized_to_content(page, frame) -> int:
    """Wait until the iframe's height is its content's (the content may still be growing: wait again
    while it changes) and return it."""
    from playwright.sync_api import TimeoutError as Timeout

    for _ in range(20):
        content = frame.evaluate(CONTENT_HEIGHT)
        try:
            page.wait_for_function(FRAME_HEIGHT, arg=content, timeout=scaled_ms(3000))
        except Timeout:
            continue
        if frame.evaluate(CONTENT_HEIGHT) == content:
            return content
    raise AssertionError("the iframe never took its content's height")


@pytest.mark.parametrize("view", ["casualties", "map"])
def test_live_embed_iframe_follows_its_content_height(page, server, host_page, artifacts, view):
    """The pasted snippet's iframe takes the height the embedded app reports, and follows it when the
    content grows (the data table opened): no inner scroll bar, nothing cut under the chart."""
    page.set_default_timeout(scaled_ms(30_000))
    frame_el, frame = open_host(page, server, host_page, view, 640)
    tall = lambda: frame_el.evaluate("f => f.getBoundingClientRect().height")
    page.wait_for_function("() => document.querySelector('iframe').style.height !== ''")
    content = frame.evaluate(CONTENT_HEIGHT)
    expect(frame_el).to_have_attribute("style", re.compile(rf"height: {content}px"))
    assert content != 640 and abs(tall() - content) <= 1
    assert frame.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight + 1")
    before = tall()
    frame.locator("[data-testid='stExpander'] summary").first.click()
    frame.locator("[data-testid='stDataFrame']").first.wait_for()
    page.wait_for_function("(b) => document.querySelector('iframe').getBoundingClientRect().height > b + 50", arg=before)
    grown = sized_to_content(page, frame)
    assert grown > content  # and the iframe took that height (sized_to_content)
    page.screenshot(path=str(artifacts / f"host-embed-{view}-640.png"), full_page=True)


@pytest.mark.parametrize("view", ["map", "casualties", "timeline"])
def test_live_embed_at_640_cuts_nothing(page, server, host_page, artifacts, view):
    """In a 640 px column, every caption (the text alternative and the sources line) and the chart lie
    inside the iframe's box, and no text is clipped by its own box."""
    page.set_default_timeout(scaled_ms(30_000))
    frame_el, frame = open_host(page, server, host_page, view, 640)
    page.wait_for_function("() => document.querySelector('iframe').style.height !== ''")
    box = frame_el.bounding_box()
    assert box["width"] == 640
    parts = frame.locator("[data-testid='stCaptionContainer'], .js-plotly-plot, h1").all()
    assert len(parts) >= 3
    sized_to_content(page, frame)
    box = frame_el.bounding_box()
    for part in parts:
        b = part.bounding_box()  # in the host page's coordinates
        assert b and box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1, (view, b, box)
        assert box["y"] - 1 <= b["y"] and b["y"] + b["height"] <= box["y"] + box["height"] + 1, (view, b, box)
    clipped = frame.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stCaptionContainer], h1')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.slice(0, 60))"
    )
    assert not clipped, clipped
    assert frame.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts / f"host-embed-{view}-640-full.png"), full_page=True)


# every layout shift of the page, with where each moved element was and went (PerformanceObserver)
SHIFTS_JS = """(() => { window.__shifts = []; new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__shifts.push(
  {value: e.value, moved: e.sources.map((s) => ({was: s.previousRect.top, now: s.currentRect.top, h: s.previousRect.height}))})))
  .observe({type: 'layout-shift', buffered: true}); })();"""


@pytest.mark.parametrize("width,phone", [(412, True), (1280, False)])
def test_what_follows_the_map_keeps_its_place_while_the_map_loads(browser, server, width, phone):
    """The map explorer's markup arrives with its script, after the rest of the page: its room is kept
    from the first paint, so the credits and controls under it never jump (a layout shift Lighthouse
    counts against the page). Shifts of the page's top (Streamlit's own) are not this test's."""
    ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
    ctx = browser.new_context(viewport={"width": width, "height": 823}, **({"user_agent": ua} if phone else {}))
    ctx.add_init_script(SHIFTS_JS)
    try:
        page = ctx.new_page()
        page.goto(f"{server.url}/map")
        page.wait_for_function(IDLE)
        page.wait_for_function(MAP_DRAWN)
        room = page.evaluate("() => document.querySelector('.st-key-map_explorer').getBoundingClientRect().top")
        shifts = page.evaluate("() => window.__shifts")
        # a shift that also moves what stands above the map is the page's top settling (Streamlit's skeleton
        # of its first elements), not what follows the map jumping
        below = [
            s
            for s in shifts
            if any(m["was"] > room + 100 and m["h"] > 0 for m in s["moved"]) and not any(m["was"] < room for m in s["moved"])
        ]
        assert sum(s["value"] for s in below) < 0.02, below
    finally:
        ctx.close()
