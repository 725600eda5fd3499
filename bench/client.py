"""Section `client`: what one reader's browser spends per interaction (CPU seconds of every chromium
process, click → drawn latency), on the live app and on the static export; bytes per static page and per
static date move."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

from .core import LATEST, Bench, control_dates, start_date
from .probes import FETCHED_JS, INIT_JS, LAUNCH, SETTLED_JS, STATIC_DRAWN_JS, StaticServer, browser_cpu
from .sessions import Session

NAME = "client"
METHOD = "See the note below the table."
SETTLE_S = 1.5  # after the page settled, let every late frame and task finish before reading the CPU

# the static page's own date control, if it has one (an <input type=range>): its value
SLIDER_JS = "() => { const s = document.querySelector('input[type=range]'); return s ? s.value : null; }"


def run(b: Bench) -> None:
    """What one reader's browser spends per interaction: the budget behind the load run's numbers."""
    from playwright.sync_api import sync_playwright

    srv = b.server()
    n = 3 if b.quick else 8
    dates = control_dates()
    start = start_date(dates, n)
    out, _, _ = b.export()
    static = StaticServer(out, "/index.html") if out is not None else None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**LAUNCH)
        try:
            ctx = browser.new_context(viewport={"width": 1100, "height": 900})
            ctx.add_init_script(INIT_JS)
            page = ctx.new_page()
            log = {
                "latency": {"date": [], "lang": [], "nav": []},
                "server_ms": [],
                "client_ms": [],
                "initial_load_ms": [],
                "timeouts": 0,
                "completed": 0,
            }
            sess = Session(0, srv.url, start, dates, log)
            cpu0 = browser_cpu(os.getpid())
            page.goto(f"{srv.url}/map?date={start.isoformat()}", wait_until="commit", timeout=120_000)
            page.wait_for_function(SETTLED_JS, arg={**sess.expect("map"), "needClick": False}, polling="raf", timeout=120_000)
            time.sleep(SETTLE_S)
            b.r.add(
                "client",
                "browser CPU for the first load of /map (all chromium processes)",
                "CPU s",
                [browser_cpu(os.getpid()) - cpu0],
            )
            cpu: dict[str, list[float]] = {"date": [], "lang": [], "nav": []}
            lat: dict[str, list[float]] = {"date": [], "lang": [], "nav": []}
            steps = (
                [("date", 7)] * n
                + [("lang", "en"), ("lang", "fr-CH")] * (n // 2)
                + [("nav", "casualties"), ("nav", "map")] * (n // 2)
            )
            for kind, arg in steps:
                target = sess.step(page, kind, arg)
                want = sess.expect(sess.view)
                c0 = browser_cpu(os.getpid())
                page.evaluate("() => { window.__clickAt = 0; }")
                target.click(timeout=30_000)
                done = page.wait_for_function(SETTLED_JS, arg=want, polling="raf", timeout=30_000).json_value()
                lat[kind].append(done - page.evaluate("() => window.__clickAt"))
                time.sleep(SETTLE_S)
                cpu[kind].append(browser_cpu(os.getpid()) - c0)
            names = {"date": "date move (week ▶)", "lang": "language switch", "nav": "view change"}
            for kind in ("date", "lang", "nav"):
                b.r.add("client", f"browser CPU per interaction · {names[kind]}", "CPU s", cpu[kind])
                b.r.add("client", f"  latency, one session alone · {names[kind]}", "ms", lat[kind])
            _move_floor(b, browser, [start + dt.timedelta(days=7 * k) for k in range(n + 1)], cpu["date"])
            if out is not None:
                _static(b, browser, static, out, n)
        finally:
            browser.close()
            if static is not None:
                static.stop()
    b.r.note(
        "client",
        "One chromium context against the server with no other load, interactions 1.5 s apart. CPU = "
        "user + system time of the chromium processes under the bench (browser, renderer and GPU "
        "processes, read with psutil; not the server nor Playwright's driver) from the click to 1.5 s after the page settled: what each reader's own "
        "device spends per interaction, on top of the server's share (see `capacity`). Static map: the "
        "export's fr/map.html in a fresh context (its first load, with bytes fetched), then date moves with "
        "the page's own date slider when it has one (ArrowRight on `input[type=range]`, bytes fetched by the "
        "move), else by opening the export's next dated map page in the same context.",
    )


def _move_floor(b: Bench, browser, days: list, live: list[float]) -> None:
    """Streamlit's floor for a date move (floors.move_floor: a week button and the same map figure,
    nothing else), clicked as often as the live page, and the live page's ratio to it."""
    from .floors import move_floor

    srv = move_floor(b.tmp / "move-floor", days)
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(srv.url, wait_until="commit", timeout=120_000)
        idle = "[data-testid=stApp][data-test-script-state=notRunning] .js-plotly-plot .geo path"
        page.wait_for_selector(idle, timeout=120_000)
        time.sleep(SETTLE_S)
        cpu = []
        for _ in range(len(days) - 1):
            page.evaluate("() => { window.__was = document.querySelector('.js-plotly-plot').data; }")
            c0 = browser_cpu(os.getpid())
            page.locator(".st-key-map_date_fwd button").click(timeout=30_000)
            # drawn again: plotly's data replaced (Plotly.react with the new date's figure), the run over
            page.wait_for_function(
                "() => { const g = document.querySelector('.js-plotly-plot'); return !!g && g.data !== window.__was; }",
                timeout=30_000,
            )
            page.wait_for_selector(idle, timeout=30_000)
            time.sleep(SETTLE_S)
            cpu.append(browser_cpu(os.getpid()) - c0)
        b.r.add("client", "browser CPU per date move · bare Streamlit page, same map (Streamlit's floor)", "CPU s", cpu)
        if cpu and live:
            ratio = statistics.median(live) / statistics.median(cpu)
            b.r.add("client", "browser CPU per date move · live /map ÷ Streamlit's floor (ratio of medians)", "×", [ratio])
    finally:
        ctx.close()
        srv.stop()


def _static(b: Bench, browser, static: StaticServer, out: Path, n: int) -> None:
    """Bytes of the static map page (cold cache) and, per date move, bytes and browser CPU: with the page's own
    date slider when it has one (ArrowRight on it, then the chart drawn again), else by opening the next dated
    map page of the export in the same context (warm cache for the shared assets)."""
    man = json.loads((out / "manifest.json").read_text("utf-8"))
    dated = [p["html"] for p in man.get("pages", []) if p.get("lang") == "fr" and p.get("view") == "map"]
    ctx = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        page = ctx.new_page()
        cpu0 = browser_cpu(os.getpid())
        page.goto(f"{static.url}/{LATEST}/fr/map.html", wait_until="commit", timeout=120_000)
        page.wait_for_function(STATIC_DRAWN_JS, polling="raf", timeout=120_000)
        page.wait_for_load_state("load")
        time.sleep(SETTLE_S)
        b.r.add(
            "client",
            "static map page: browser CPU for the first load (all chromium processes)",
            "CPU s",
            [browser_cpu(os.getpid()) - cpu0],
        )
        b.r.add(
            "bytes", "static map page, first load (HTML, scripts, data; cold cache)", "KB", [page.evaluate(FETCHED_JS) / 1000]
        )
        slider = page.evaluate(SLIDER_JS) is not None
        cpu, kb, lat = [], [], []
        for k in range(n):
            c0, f0 = browser_cpu(os.getpid()), page.evaluate(FETCHED_JS)
            if slider:
                before = page.evaluate(SLIDER_JS)
                t0 = time.perf_counter()
                page.locator("input[type=range]").first.press("ArrowRight")
                page.wait_for_function(f"(b) => ({SLIDER_JS})() !== b", arg=before, timeout=30_000)
                page.wait_for_function(STATIC_DRAWN_JS, polling="raf", timeout=30_000)
                page.wait_for_load_state("networkidle")
                lat.append(1000 * (time.perf_counter() - t0))
                time.sleep(SETTLE_S)
                kb.append((page.evaluate(FETCHED_JS) - f0) / 1000)
            else:
                if len(dated) < 2:
                    break
                t0 = time.perf_counter()
                page.goto(f"{static.url}/{dated[(k + 1) % len(dated)]}", wait_until="commit", timeout=60_000)
                page.wait_for_function(STATIC_DRAWN_JS, polling="raf", timeout=60_000)
                lat.append(1000 * (time.perf_counter() - t0))
                page.wait_for_load_state("load")
                time.sleep(SETTLE_S)
                kb.append(page.evaluate(FETCHED_JS) / 1000)  # a new document: its own entries only
            cpu.append(browser_cpu(os.getpid()) - c0)
        how = "date slider (ArrowRight)" if slider else "next dated map page, warm cache"
        b.r.add("client", f"static map: browser CPU per date move · {how}", "CPU s", cpu)
        b.r.add("client", f"  static map: date move → drawn · {how}", "ms", lat)
        b.r.add("bytes", f"static map: bytes per date move · {how}", "KB", kb)
    finally:
        ctx.close()
