"""Section `bytes`: figure JSON per chart, websocket and HTTP bytes per view and per date move."""

from __future__ import annotations

import json
import time

from .core import VIEWS, Bench, apptest, check, control_dates
from .probes import CHART, DRAWN_JS, FETCHED_JS, IDLE, LAUNCH, SNAPSHOT_JS

NAME = "bytes"
METHOD = "See the note below the table."


def _ws_page(browser, url, view_ready, frames_box):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    frames = frames_box
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda p: frames.append((time.monotonic(), len(p) if isinstance(p, bytes) else len(p.encode())))
        ),
    )
    page.goto(url, timeout=120_000)
    view_ready(page)
    return ctx, page


def _quiet(page, frames, quiet=0.8, limit=20.0) -> None:
    """Wait until no websocket frame arrived for `quiet` seconds (at most `limit`)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        last = frames[-1][0] if frames else 0
        if time.monotonic() - last >= quiet:
            return
        page.wait_for_timeout(100)


def _ready(view):
    def ready(page):
        page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=120_000)
        if view == "sources":
            page.wait_for_selector("[data-testid='stDataFrame']", timeout=120_000)
        else:
            page.wait_for_function(DRAWN_JS, arg=f"{CHART[view]} .js-plotly-plot", polling=100, timeout=120_000)
        page.wait_for_function(IDLE, timeout=120_000)

    return ready


def _explorer_figure(at) -> str:
    """The map figure as the map explorer draws it (the file its data names), as JSON text."""
    from explainer.ui.live_map import read_json_url

    fig = read_json_url(json.loads(at.get("bidi_component")[0].proto.json)["fig"])
    return json.dumps({"data": fig["data"], "layout": fig["layout"]}, separators=(",", ":"))


def _http_bytes(page) -> int:
    return page.evaluate("""() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
        .reduce((a, e) => a + (e.transferSize || 0), 0)""")


def run(b: Bench) -> None:
    from playwright.sync_api import sync_playwright

    from explainer.i18n import t

    r = b.r
    for view in VIEWS:
        at = apptest({"view": view})
        at.run()
        check(at, view)
        charts = [el.proto.spec for el in at.get("plotly_chart")]
        if view == "map":  # the live map explorer (a component) carries the map figure in its data
            charts = [_explorer_figure(at), *charts]
        for i, spec in enumerate(charts):
            meta = json.loads(spec).get("layout", {}).get("meta") or {}
            name = next(
                (k for k in ("map", "area", "casualties", "timeline") if meta.get("title") == t("fr-CH", f"view_{k}")),
                f"chart {i + 1}",
            )
            r.add(
                "bytes",
                f"plotly figure JSON · /{view} · {name} chart",
                "KB",
                [len(spec.encode()) / 1000],
                [("max", "<=", 400)] if view == "map" and i == 0 else [],
            )
    dates = control_dates()
    k = 3 if b.quick else 12
    sample = [dates[round(i * (len(dates) - 1) / (k - 1))] for i in range(k)]
    sizes = []
    for d in sample:
        at = apptest({"view": "map", "date": d.isoformat()})
        at.run()
        check(at, f"map {d}")
        sizes.append(len(_explorer_figure(at).encode()) / 1000)
    r.add("bytes", f"plotly figure JSON · map, across {k} dates {sample[0]}…{sample[-1]}", "KB", sizes, [("max", "<=", 400)])

    srv = b.server()
    reps = 1
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**LAUNCH)
        try:
            for view in VIEWS:
                ws_kb, http_kb = [], []
                for _ in range(reps):
                    frames: list = []
                    ctx, page = _ws_page(browser, f"{srv.url}/{'' if view == 'story' else view}", _ready(view), frames)
                    _quiet(page, frames)
                    ws_kb.append(sum(n for _, n in frames) / 1000)
                    http_kb.append(_http_bytes(page) / 1000)
                    if view == "map":
                        moves, fetched = [], []
                        for _ in range(3):
                            before = page.evaluate(SNAPSHOT_JS, CHART["map"])
                            n0, f0 = len(frames), page.evaluate(FETCHED_JS)
                            page.locator(f"{CHART['map']} #date-fwd").click()
                            page.wait_for_function(f"(b) => ({SNAPSHOT_JS})('{CHART['map']}') !== b", arg=before, timeout=60_000)
                            _quiet(page, frames)
                            moves.append(sum(n for _, n in frames[n0:]) / 1000)
                            fetched.append((page.evaluate(FETCHED_JS) - f0) / 1000)
                        r.add("bytes", "websocket bytes per map date move (week button)", "KB", moves)
                        r.add("bytes", "  HTTP bytes per live map date move (the date's control/<date>.json)", "KB", fetched)
                        r.add(
                            "bytes",
                            "live map: bytes per date move, websocket + HTTP",
                            "KB",
                            [a + b for a, b in zip(moves, fetched)],
                            [("max", "<=", 12)],
                        )
                    ctx.close()
                r.add("bytes", f"websocket payload, page load · /{view}", "KB", ws_kb)
                r.add("bytes", f"HTTP transfer, page load (HTML, JS, CSS) · /{view}", "KB", http_kb)
        finally:
            browser.close()
    r.note(
        "bytes",
        "Figure JSON = `len(at.get('plotly_chart')[i].proto.spec)` in AppTest: the figure as Streamlit "
        "serialises it (plotly `to_json`, numpy arrays base64); it travels inside a protobuf ForwardMsg. "
        "Websocket payload = sum of playwright `framereceived` sizes from navigation until 0.8 s without "
        "a frame; HTTP = resource-timing transferSize (the Streamlit frontend bundle, cold cache).",
    )
