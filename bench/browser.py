"""Section `browser`: time until each chart is drawn in chromium, side by side in one run: the live page, its
static export, and the two floors (inline-SVG page for the static map, bare Streamlit page for the live map)."""

from __future__ import annotations

import statistics

from .core import LATEST, Bench
from .floors import CHART_KEY, bare_streamlit, svg_floor
from .probes import BOX_DRAWN_JS, CHART, DRAWN_JS, LAUNCH, STATIC_DRAWN_JS, SVG_DRAWN_JS, StaticServer

NAME = "browser"
METHOD = "See the note below the table."
STATIC_TARGET = 2.0  # static map page ÷ inline-SVG floor
LIVE_TARGET = 1.15  # live /map ÷ bare Streamlit page with the same figure


def run(b: Bench) -> None:
    from playwright.sync_api import sync_playwright

    r = b.r
    srv = b.server()
    out, _, msg = b.export()
    servers: list = []
    static = StaticServer(out, "/index.html") if out is not None else None
    if static is None:
        r.note("browser", f"Static export {msg}; only the live pages were timed.")
    else:
        servers.append(static)
    floor = svg_floor(b.tmp / "svg-floor", out)
    servers.append(floor)
    bare = bare_streamlit(b.tmp / "bare-streamlit")
    servers.append(bare)
    reps = 1 if b.quick else 5
    cases = [
        ("map", "/map", CHART["map"]),
        ("area", "/map", CHART["area"]),
        ("casualties", "/casualties", CHART["casualties"]),
        ("timeline", "/timeline", CHART["timeline"]),
    ]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**LAUNCH)
            try:

                def drawn(url, probe=DRAWN_JS, arg=None):
                    """ms from navigation start to the first animation frame where the probe holds."""
                    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
                    try:
                        page = ctx.new_page()
                        page.goto(url, wait_until="commit", timeout=120_000)
                        return page.wait_for_function(probe, arg=arg, polling="raf", timeout=120_000).json_value()
                    finally:
                        ctx.close()

                kinds = {
                    # the live map explorer paints its pre-rendered SVG first, as the static page does
                    "live": lambda path, chart: (
                        drawn(srv.url + path, BOX_DRAWN_JS, chart)
                        if chart == CHART["map"]
                        else drawn(srv.url + path, DRAWN_JS, f"{chart} .js-plotly-plot")
                    ),
                    "static": lambda view: drawn(f"{static.url}/{LATEST}/fr/{view}.html", STATIC_DRAWN_JS),
                    "svg floor": lambda: drawn(f"{floor.url}/map.html", SVG_DRAWN_JS, ""),
                    "bare streamlit": lambda: drawn(bare.url, DRAWN_JS, f".st-key-{CHART_KEY} .js-plotly-plot"),
                }
                # warm-up: server figure caches, OS file cache, chromium's first start
                for view, path, chart in cases:
                    if path != "/map" or view == "map":
                        kinds["live"](path, chart)
                if static:
                    kinds["static"]("map")
                kinds["svg floor"]()
                kinds["bare streamlit"]()
                times: dict[str, list[float]] = {}
                for i in range(reps):
                    for view, path, chart in cases[:: 1 if i % 2 == 0 else -1]:  # alternate the order
                        times.setdefault(f"live {view}", []).append(kinds["live"](path, chart))
                        if static:
                            times.setdefault(f"static {view}", []).append(kinds["static"](view))
                    times.setdefault("svg floor", []).append(kinds["svg floor"]())
                    times.setdefault("bare streamlit", []).append(kinds["bare streamlit"]())
            finally:
                browser.close()
    finally:
        for s in servers:
            s.stop()
    med = {k: statistics.median(v) for k, v in times.items()}
    r.add("browser", "time to drawn · map · inline-SVG floor (plain HTML, no JavaScript)", "ms", times["svg floor"])
    r.add("browser", "time to drawn · map · bare Streamlit page, same figure (Streamlit's floor)", "ms", times["bare streamlit"])
    for view, path, _ in cases:
        r.add("browser", f"time to drawn · {view} · live streamlit ({path})", "ms", times[f"live {view}"])
        if static:
            r.add("browser", f"time to drawn · {view} · static export (fr/{view}.html)", "ms", times[f"static {view}"])
    if static:
        r.add(
            "browser",
            "static map ÷ inline-SVG floor (ratio of medians)",
            "×",
            [med["static map"] / med["svg floor"]],
            [("value", "<=", STATIC_TARGET)],
        )
    else:
        r.add("browser", "static map ÷ inline-SVG floor (ratio of medians)", "×", [], note="static export not available")
    r.add(
        "browser",
        "live /map ÷ bare Streamlit floor (ratio of medians)",
        "×",
        [med["live map"] / med["bare streamlit"]],
        [("value", "<=", LIVE_TARGET)],
    )
    if static:
        for view, _, _ in cases:
            r.add("browser", f"  live ÷ static (ratio of medians) · {view}", "×", [med[f"live {view}"] / med[f"static {view}"]])
    r.note(
        "browser",
        "Time to drawn = `performance.now()` in the page (ms since navigation start) at the first "
        "animation frame where the chart is drawn: a map when a polygon path of the plotly geo subplot has a "
        "non-zero bounding box, other charts when plotly's `.main-svg` holds trace groups. A static page counts as "
        "drawn when its chart container's `data-state` is `svg` and the pre-rendered SVG's paths have a non-zero "
        "box, or `interactive` (or absent) and plotly has drawn; the live map explorer likewise, when its box is "
        "`svg` with the pre-rendered map (an image) loaded and of non-zero size, or `interactive` and plotly has drawn. The inline-SVG floor is a plain HTML page holding "
        "the export's map figure (same date, fr) as the SVG kaleido renders, no JavaScript. Streamlit's floor is a "
        "`streamlit run` of a one-element script: `st.plotly_chart` of the live /map figure (default date, fr-CH), "
        "post-script GC off as in the app. Fresh browser context per load (cold HTTP cache), servers warm (one "
        f"warm-up load each), {reps} loads each, order alternated. Live pages in fr-CH, static pages fr/.",
    )
