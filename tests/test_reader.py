"""What a reader must see, measured in the page (Debian chromium, live server): the map is in the
first screen, the held area is big enough to read, place names neither collide nor get clipped."""

from __future__ import annotations

import pytest
from conftest import scaled_ms

pytestmark = pytest.mark.browser
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
MAP_GD = "[...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullLayout && g._fullLayout.geo)"

# Share of the map frame that the Ukrainian-held polygons cover, counted in pixels: each held path
# is filled into a canvas the size of the frame with its own screen transform (getScreenCTM), so
# far-apart pieces count for what they cover, not for their bounding box.
HELD_SHARE = """(prefix) => {
  const gd = MAP_GD; const geo = gd.querySelector('.geo');
  const frame = geo.querySelector('.bg rect').getBoundingClientRect();
  const W = Math.round(frame.width), H = Math.round(frame.height);
  const canvas = document.createElement('canvas'); canvas.width = W; canvas.height = H;
  const ctx = canvas.getContext('2d');
  const traces = [...geo.querySelectorAll('g.trace.choropleth')]
    .filter(g => g.__data__ && g.__data__[0] && g.__data__[0].trace.name.startsWith(prefix));
  for (const t of traces) for (const p of t.querySelectorAll('path.choroplethlocation')) {
    const m = p.getScreenCTM();
    ctx.setTransform(m.a, m.b, m.c, m.d, m.e - frame.left, m.f - frame.top);
    ctx.fill(new Path2D(p.getAttribute('d')));
  }
  const px = ctx.getImageData(0, 0, W, H).data; let n = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
  return {share: n / (W * H), traces: traces.length};
}""".replace("MAP_GD", MAP_GD)

# Bounding boxes of the place names and of the frame, in screen pixels.
LABELS = """() => {
  const gd = MAP_GD;
  const frame = gd.querySelector('.geo .bg rect').getBoundingClientRect();
  const names = [...gd.querySelectorAll('.geo g.trace.scattergeo')]
    .filter(g => g.__data__ && g.__data__[0] && g.__data__[0].trace.mode === 'markers+text')
    .flatMap(g => [...g.querySelectorAll('text')])
    .map(t => { const b = t.getBoundingClientRect();
                return {text: t.textContent, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}; })
    .filter(b => b.text);
  return {frame: {x0: frame.left, y0: frame.top, x1: frame.right, y1: frame.bottom}, names};
}""".replace("MAP_GD", MAP_GD)


def open_map(browser, server, width, height, phone=False, query="lang=en"):
    ctx = browser.new_context(viewport={"width": width, "height": height}, user_agent=PHONE_UA if phone else None)
    page = ctx.new_page()
    page.set_default_timeout(scaled_ms(30_000))
    page.goto(f"{server.url}/map?{query}")
    page.wait_for_selector(IDLE)
    page.wait_for_function(
        f"() => {{ const gd = {MAP_GD}; return gd && gd.querySelectorAll('.geo path.choroplethlocation').length > 0; }}"
    )
    return ctx, page


@pytest.mark.parametrize("width,height,phone", [(1280, 900, False), (375, 800, True)])
def test_map_is_in_the_first_screen_and_the_held_area_reads(browser, server, artifacts, width, height, phone):
    ctx, page = open_map(browser, server, width, height, phone)
    try:
        top = page.evaluate(f"() => {MAP_GD}.getBoundingClientRect().top")
        assert 0 <= top < height, f"the map starts at {top:.0f} px, below the first screen ({height} px)"
        held = page.evaluate(HELD_SHARE, "Held by Ukraine")
        assert held["traces"] >= 1
        assert held["share"] >= 0.05, f"held area covers {held['share']:.1%} of the map frame"
        page.screenshot(path=str(artifacts / f"reader-map-{width}.png"))
    finally:
        ctx.close()


@pytest.mark.parametrize("width,height,phone", [(1280, 900, False), (375, 800, True)])
@pytest.mark.parametrize("lang", ["en", "fr-CH"])
def test_place_names_neither_collide_nor_get_clipped(browser, server, width, height, phone, lang):
    ctx, page = open_map(browser, server, width, height, phone, query=f"lang={lang}")
    try:
        got = page.evaluate(LABELS)
        names, f = got["names"], got["frame"]
        assert len(names) >= 5, names
        for b in names:
            assert f["x0"] - 1 <= b["x0"] and b["x1"] <= f["x1"] + 1 and f["y0"] - 1 <= b["y0"] and b["y1"] <= f["y1"] + 1, (
                f"'{b['text']}' is cut by the frame"
            )
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                apart = a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["y1"] <= b["y0"] or b["y1"] <= a["y0"]
                assert apart, f"'{a['text']}' and '{b['text']}' overlap"
    finally:
        ctx.close()


# The story's frame after a step change, in viewport pixels: the Next button, the bordered text box and
# the current step's text in it (with their scroll and client heights: a clipped text scrolls), and the
# graphic shown (which one, its chart's box).
STORY_FRAME = """() => {
  const r = e => { if (!e) return null; const b = e.getBoundingClientRect();
    return {top: b.top, bottom: b.bottom, height: b.height, x: b.left}; };
  const box = document.querySelector('.st-key-story-step'), card = document.querySelector('.story-card.now');
  const plot = k => document.querySelector('.st-key-story-graphic .st-key-' + k + ' .js-plotly-plot');
  const shown = plot('story_map') ? 'map' : plot('story_cas') ? 'casualties' : null;
  return {next: r(document.querySelector('.st-key-story_next button')), box: r(box), card: r(card),
          boxScroll: box && [box.scrollHeight, box.clientHeight], cardScroll: card && [card.scrollHeight, card.clientHeight],
          shown, plot: r(plot('story_map') || plot('story_cas')), vh: innerHeight,
          drawn: !!(plot('story_map') || plot('story_cas')) && !!(plot('story_map') || plot('story_cas')).querySelector('.main-svg')};
}"""


def _story_frame_in_view(got: dict, named: str, where: str) -> None:
    """The named graphic on screen by most of its height, its top in the window; the step's text whole
    and inside the window."""
    vh, plot, card = got["vh"], got["plot"], got["card"]
    assert got["shown"] == named, f"{where}: the frame shows the {got['shown']}, the step names the {named}"
    assert 0 <= plot["top"] < vh, f"{where}: the graphic's top at {plot['top']:.0f} px, window {vh} px"
    seen = min(plot["bottom"], vh) - max(plot["top"], 0)
    assert seen > 0.5 * plot["height"], f"{where}: {seen:.0f} of the graphic's {plot['height']:.0f} px on screen"
    assert card["top"] >= 0 and card["bottom"] <= vh, f"{where}: the step's text at {card}, window {vh} px"
    for name in ("boxScroll", "cardScroll"):
        scroll, client = got[name]
        assert scroll <= client + 1, f"{where}: the step's text is cut ({name} {scroll} > {client})"


@pytest.mark.parametrize("width,height,phone", [(1280, 900, False), (375, 812, True)])
@pytest.mark.parametrize("lang", ["en", "fr-CH"])
def test_story_next_shows_the_steps_graphic_with_its_whole_text(browser, server, artifacts, bundle, width, height, phone, lang):
    """Each Next: the graphic the step names (ui/story.py: step_graphic) is the one in the frame, on
    screen by most of its height with the step's whole text, and the Next button has not moved. From a
    window where the frame is half off screen, the first Next brings it in."""
    from explainer.ui.story import step_graphic

    ctx = browser.new_context(viewport={"width": width, "height": height}, user_agent=PHONE_UA if phone else None)
    page = ctx.new_page()
    page.set_default_timeout(scaled_ms(30_000))
    try:
        page.goto(f"{server.url}/?lang={lang}")
        page.wait_for_selector(IDLE)
        page.wait_for_function(f"() => ({STORY_FRAME})().drawn")
        nxt = page.locator(".st-key-story_next button")
        nxt.evaluate("b => b.scrollIntoView({block: 'end'})")  # the reader reaches Next at the window's foot
        first = page.evaluate(STORY_FRAME)
        assert first["plot"]["top"] > height / 2, "the set-up should leave the graphic half off screen"
        at = None
        for k, step in enumerate(bundle.story[1:], start=2):
            nxt.click()
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('step') === '{k}'")
            page.wait_for_selector(IDLE)
            named = step_graphic(bundle, step)
            page.wait_for_function(f"() => {{ const f = ({STORY_FRAME})(); return f.drawn && f.shown === '{named}'; }}")
            page.wait_for_function("() => document.documentElement.dataset.storyFrame === 'settled'")  # placed by the page
            got = page.evaluate(STORY_FRAME)
            _story_frame_in_view(got, named, f"{lang} {width} px, step {k}")
            if at is None:
                at = got["next"]
            else:
                moved = abs(got["next"]["top"] - at["top"]) + abs(got["next"]["x"] - at["x"])
                assert moved <= 1, f"step {k}: the Next button moved from {at} to {got['next']}"
            if k in (2, 4):
                page.screenshot(path=str(artifacts / f"reader-story-step{k}-{width}-{lang}.png"))
    finally:
        ctx.close()


def test_every_link_on_the_story_page_goes_somewhere(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(scaled_ms(30_000))
    try:
        page.goto(f"{server.url}/?lang=en")
        page.wait_for_selector(IDLE)
        for exp in page.locator("[data-testid='stExpander'] summary").all():
            exp.click()
        hrefs = page.eval_on_selector_all("[data-testid='stMain'] a[href]", "as => as.map(a => a.getAttribute('href'))")
        assert len(hrefs) > 20
        dead = [h for h in hrefs if not h or h == "#" or h.startswith("seed:")]
        assert not dead, dead
        internal = [h for h in hrefs if h.startswith("/#")]
        assert internal and all(page.locator(h[1:]).count() == 1 for h in set(internal)), internal
    finally:
        ctx.close()


# The map explorer's date bar (explainer/ui/live_map.py): a native range over the snapshots. Chromium
# draws its thumb 16 px wide, so the thumb's centre runs from 8 px to width - 8 px of the input.
MARKS = """() => {
  const r = e => { const b = e.getBoundingClientRect(); return {x0: b.left, x1: b.right, y0: b.top, y1: b.bottom}; };
  const input = document.querySelector('.st-key-map_explorer #date-slider');
  const box = r(input), share = (+input.value - +input.min) / ((+input.max - +input.min) || 1);
  return {thumb: box.x0 + 8 + share * (box.x1 - box.x0 - 16), box: r(document.querySelector('.st-key-map_explorer .controls')),
          steps: [...document.querySelectorAll('.st-key-map_explorer .date-marks-track .mark-step')].map(r),
          article: r(document.querySelector('.st-key-map_explorer .date-marks-track .mark-article')),
          legend: [...document.querySelectorAll('.st-key-map_explorer .date-marks-legend > span')].map(r),
          overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize("width,height,phone", [(1280, 900, False), (375, 800, True)])
@pytest.mark.parametrize("lang", ["fr-CH", "en"])
def test_date_bar_marks_the_story_steps_and_the_article_day(browser, server, artifacts, bundle, width, height, phone, lang):
    """Under the map's date slider, a mark per story step and one for the article's day, each where the
    slider's thumb stands on that day; the marks and their legend stay inside the bar and apart."""
    centre = lambda b: (b["x0"] + b["x1"]) / 2
    ctx, page = open_map(browser, server, width, height, phone, query=f"lang={lang}")
    try:
        got = page.evaluate(MARKS)  # the map opens on the article's day
        assert len(got["steps"]) == len(bundle.story)
        assert abs(centre(got["article"]) - got["thumb"]) <= 1.5, got
        bar = page.locator(".st-key-map_explorer .controls")
        bar.screenshot(path=str(artifacts / f"date-marks-{width}-{lang}.png"))
        box = got["box"]
        for b in [*got["steps"], got["article"], *got["legend"]]:
            assert box["x0"] - 1 <= b["x0"] and b["x1"] <= box["x1"] + 1, (b, box)
        for a, b in zip(got["legend"], got["legend"][1:]):
            assert a["x1"] <= b["x0"] or a["y1"] <= b["y0"], (a, b)
        assert got["overflow"] <= 1
        first = bundle.story[0].date
        ctx.close()
        ctx, page = open_map(browser, server, width, height, phone, query=f"lang={lang}&date={first}")
        got = page.evaluate(MARKS)
        assert abs(centre(got["steps"][0]) - got["thumb"]) <= 1.5, got
    finally:
        ctx.close()
