"""Section `visit`: what a reader's first visit to the live `/map` transfers (a cold browser, nothing cached),
compressed and not, straight from Streamlit and behind nginx with compression (docs/publishing.md), beside
Streamlit's own floor (a bare page with the same map figure)."""

from __future__ import annotations

import re
import time
from collections import defaultdict

from explainer.paths import STATIC

from .core import Bench
from .floors import CHART_KEY, bare_streamlit
from .nginx import Nginx
from .probes import CHART, DRAWN_JS, IDLE, LAUNCH
from .results import nginx_exe

NAME = "visit"
TARGET_KB = 2500.0  # first visit to /map, compressed (issue 21)
METHOD = (
    "A cold chromium context (empty cache) opens the page and waits until the chart is drawn, the script is "
    "idle and no request is in flight for 1 s. HTTP bytes are the resource-timing sums over the navigation "
    "and every resource: `transferSize` (what crossed the wire: compressed bodies and headers) and "
    "`decodedBodySize` (the same bodies uncompressed). Websocket bytes are the frames' payloads as "
    "Playwright reports them. `/map` is measured straight from `streamlit run` and through nginx with "
    "`gzip on` and the app's static files served from disk (`scripts/nginx.conf.tmpl`, `bench/nginx.py`, one replica), as "
    "docs/publishing.md tells a newsroom to run it; "
    "the bare Streamlit page (one `st.plotly_chart` of the same map) is Streamlit's own floor."
)

# what each request is, for the breakdown (first match wins)
KINDS = [
    ("plotly.js (the map's geo bundle)", re.compile(r"/_live/assets/plotly")),
    ("the app's components' scripts", re.compile(r"/_live/assets/.*\.js(\?|$)")),
    ("the charts' figures (the components' JSON files)", re.compile(r"/_live/[^/]+-json/")),
    ("map date files and pre-rendered SVG", re.compile(r"/_live/")),
    ("map outlines (topojson)", re.compile(r"/topojson/")),
    ("fonts", re.compile(r"\.(woff2?|ttf)(\?|$)")),
    ("Streamlit frontend JavaScript", re.compile(r"/static/js/")),
    ("Streamlit frontend CSS", re.compile(r"/static/css/|\.css(\?|$)")),
    ("components (scripts, styles)", re.compile(r"/_stcore/bidi-components|/component/")),
    ("media (images, downloads)", re.compile(r"/media/")),
]

ENTRIES_JS = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .map(e => ({name: e.name, transfer: e.transferSize || 0, encoded: e.encodedBodySize || 0, decoded: e.decodedBodySize || 0}))"""


def kind_of(url: str) -> str:
    return next((name for name, pat in KINDS if pat.search(url)), "the page and other requests")


def first_visit(browser, url: str, probe: str, arg: str | None) -> dict:
    """One cold visit: HTTP entries, websocket payload bytes, and the response encodings."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = ctx.new_page()
        frames: list[int] = []
        encodings: dict[str, str] = {}
        inflight: set = set()
        last = [time.monotonic()]

        def started(req):
            inflight.add(req)
            last[0] = time.monotonic()

        def ended(req):
            inflight.discard(req)
            last[0] = time.monotonic()

        page.on("request", started)
        page.on("requestfinished", ended)
        page.on("requestfailed", ended)
        page.on("response", lambda r: encodings.__setitem__(r.url, r.headers.get("content-encoding", "")))
        page.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda p: frames.append(len(p) if isinstance(p, bytes) else len(p.encode()))),
        )
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function(probe, arg=arg, polling=100, timeout=120_000)
        page.wait_for_function(IDLE, timeout=120_000)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (inflight or time.monotonic() - last[0] < 1.0):
            page.wait_for_timeout(100)
        entries = page.evaluate(ENTRIES_JS)
        return {"entries": entries, "ws": sum(frames), "encodings": encodings}
    finally:
        ctx.close()


def _report(b: Bench, label: str, visit: dict, target: bool) -> dict[str, list[float]]:
    r = b.r
    entries = visit["entries"]
    transfer = sum(e["transfer"] for e in entries) / 1000
    decoded = sum(e["decoded"] for e in entries) / 1000
    ws = visit["ws"] / 1000
    r.add(
        NAME,
        f"first visit · {label}: HTTP + websocket, as transferred",
        "KB",
        [transfer + ws],
        [("value", "<=", TARGET_KB)] if target else [],
    )
    r.add(NAME, f"  {label}: HTTP as transferred (compressed where the server compressed)", "KB", [transfer])
    r.add(NAME, f"  {label}: HTTP uncompressed (decoded bodies)", "KB", [decoded])
    r.add(NAME, f"  {label}: websocket payload", "KB", [ws])
    by_kind: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for e in entries:
        k = by_kind[kind_of(e["name"])]
        k[0] += e["transfer"] / 1000
        k[1] += e["decoded"] / 1000
        k[2] += 1
    r.note(
        NAME,
        f"{label}, by kind (KB transferred / KB uncompressed / requests): "
        + "; ".join(
            f"{name} {v[0]:.0f} / {v[1]:.0f} / {v[2]:.0f}" for name, v in sorted(by_kind.items(), key=lambda kv: -kv[1][1])
        )
        + f"; websocket {ws:.0f} KB.",
    )
    plain = sorted(
        (e for e in entries if e["decoded"] > 20_000 and not visit["encodings"].get(e["name"])),
        key=lambda e: -e["decoded"],
    )
    if plain:
        r.note(
            NAME,
            f"{label}, sent uncompressed (over 20 KB): "
            + ", ".join(f"{e['name'].split('/')[-1].split('?')[0]} {e['decoded'] / 1000:.0f} KB" for e in plain[:8])
            + (f" and {len(plain) - 8} more" if len(plain) > 8 else "")
            + ".",
        )
    return dict(by_kind)


def run(b: Bench) -> None:
    from playwright.sync_api import sync_playwright

    srv = b.server()
    bare = bare_streamlit(b.tmp / "bare-streamlit-visit")
    exe = nginx_exe()
    proxies: list[Nginx] = []
    try:
        if exe is not None:
            proxies = [
                Nginx(exe, b.tmp / "nginx-visit-app", (srv.port, srv.port), static=STATIC),
                Nginx(exe, b.tmp / "nginx-visit-bare", (bare.port, bare.port)),
            ]
        else:
            b.r.note(NAME, "nginx not installed (`make nginx`): only the visits straight from Streamlit were measured.")
        live = (DRAWN_JS, CHART["map"] + " #chart-box .js-plotly-plot")  # plotly has drawn (not only the SVG)
        floor = (DRAWN_JS, f".st-key-{CHART_KEY} .js-plotly-plot")
        cases = [("live /map, straight from Streamlit", srv.url + "/map", live, False)]
        cases.append(("bare Streamlit page, same map, straight from Streamlit", bare.url + "/", floor, False))
        if proxies:
            cases.append(("live /map, behind nginx with gzip", proxies[0].url + "/map", live, True))
            cases.append(("bare Streamlit page, same map, behind nginx with gzip", proxies[1].url + "/", floor, False))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**LAUNCH)
            try:
                first_visit(browser, srv.url + "/map", *live)  # the server's date files and SVGs exist before timing
                for label, url, (probe, arg), target in cases:
                    b.r.raw[f"visit {label}"] = _report(b, label, first_visit(browser, url, probe, arg), target)
            finally:
                browser.close()
    finally:
        for p in proxies:
            p.stop()
        bare.stop()
