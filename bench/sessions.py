"""Browser sessions for the load runs: one chromium context per reader, a plan of ten interactions, each
timed in the page from the click to the first frame where the expected state is drawn."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time

from .core import control_dates, start_date
from .probes import BASE_PATH_PROBES, CHART, INIT_JS, LAUNCH, SETTLED_JS, rss_mb
from .results import Results

PLAN = [
    ("date", 7),
    ("date", 7),
    ("date", -7),
    ("lang", "en"),
    ("date", 7),
    ("nav", "casualties"),
    ("nav", "timeline"),
    ("nav", "map"),
    ("lang", "fr-CH"),
    ("date", -7),
]


def week_move(dates: list, day: dt.date, days: int) -> dt.date:
    """Where a week button of the map explorer leads from the snapshot ``day`` (embed.js: ``week()``): the
    last snapshot on or before ``day + days``, and forward at least to the next snapshot."""
    from explainer.figures import nearest_date

    i = dates.index(day)
    j = dates.index(nearest_date(dates, day + dt.timedelta(days=days)))
    if days > 0 and j <= i:
        j = min(i + 1, len(dates) - 1)
    return dates[j]


class Session:
    def __init__(self, idx: int, base: str, start: dt.date, dates: list, log: dict):
        from explainer.figures import nearest_date

        self.idx, self.base, self.dates, self.log = idx, base, dates, log
        self.nearest = nearest_date
        self.date, self.lang, self.view = start, "fr-CH", "map"
        self.ctx = self.page = None
        self.errors: list[str] = []
        self.probes = 0

    def _t(self, key, lang=None):
        from explainer.i18n import t

        return t(lang or self.lang, key)

    def step(self, page, kind: str, arg):
        """The control to click for one step of a plan (sync or async page), with the state it leads to."""
        if kind == "date":  # the map explorer's week buttons (embed.js: week())
            self.date = week_move(self.dates, self.date, arg)
            return page.locator(f"{CHART['map']} #date-{'fwd' if arg > 0 else 'back'}")
        if kind == "lang":
            self.lang = arg
            return page.get_by_role("radio", name=self._t(f"locale_{arg}"), exact=True)
        self.view = arg
        return page.locator(".st-key-nav").get_by_role("link", name=self._t(f"nav_{arg}"), exact=True)

    def expect(self, chart_view: str) -> dict:
        return {
            "needClick": True,
            "chart": CHART[chart_view],
            "title": self._t(f"view_{chart_view}"),
            "snapshot": self.date.isoformat() if chart_view == "map" else None,
            "nav": self._t("nav_casualties") if self.view != "casualties" else self._t("nav_map"),
            "path": "/" + self.view,
            "heading": self._t(f"{self.view}_heading"),
        }

    async def open(self, browser) -> None:
        self.ctx = await browser.new_context(viewport={"width": 1100, "height": 900})
        await self.ctx.add_init_script(INIT_JS)
        self.page = page = await self.ctx.new_page()
        page.set_default_timeout(30_000)

        def on_response(resp):
            if resp.status >= 400:
                if resp.status == 404 and resp.url.endswith(BASE_PATH_PROBES):
                    self.probes += 1
                else:
                    self.errors.append(f"HTTP {resp.status} {resp.url}")

        def on_console(m):
            if m.type == "error" and not (m.text.startswith("Failed to load resource") and self.probes):
                self.errors.append(f"console: {m.text[:200]}")

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {str(e)[:200]}"))
        await page.goto(f"{self.base}/map?date={self.date.isoformat()}", wait_until="commit", timeout=120_000)
        h = await page.wait_for_function(
            SETTLED_JS, arg={**self.expect("map"), "needClick": False}, polling="raf", timeout=120_000
        )
        self.log["initial_load_ms"].append(await h.json_value())

    async def run(self, seed: int) -> None:
        from playwright.async_api import Error as PWError

        rng = random.Random(seed)
        page = self.page
        await asyncio.sleep(rng.uniform(0, 2.0))
        for step, (kind, arg) in enumerate(PLAN, start=1):
            await asyncio.sleep(rng.uniform(0.3, 1.5))  # a reader's pause
            target = self.step(page, kind, arg)
            want = self.expect(self.view)
            label = f"session {self.idx} step {step} ({kind} {arg})"
            try:
                await page.evaluate("() => { window.__clickAt = 0; }")
                await target.click(timeout=30_000)
                h = await page.wait_for_function(SETTLED_JS, arg=want, polling="raf", timeout=30_000)
                done = await h.json_value()
                info = await page.evaluate("() => ({click: window.__clickAt, ws: (window.__ws || {}).last || 0})")
                total = done - info["click"]
                self.log["latency"][kind].append(total)
                if info["click"] < info["ws"] <= done:
                    self.log["server_ms"].append(info["ws"] - info["click"])
                    self.log["client_ms"].append(done - info["ws"])
                if await page.locator("[data-testid='stException']").count():
                    self.errors.append(f"{label}: exception shown in the page")
            except PWError as e:
                kind_err = "timeout" if "Timeout" in type(e).__name__ or "Timeout" in str(e)[:80] else "error"
                self.errors.append(f"{label}: {kind_err}: {str(e).splitlines()[0][:160]}")
                self.log["timeouts"] += kind_err == "timeout"
                break  # the session's state is unknown now: stop it
        self.log["completed"] += 1

    async def close(self) -> None:
        if self.ctx is not None:
            await self.ctx.close()
            self.ctx = None


async def load_run(base: str, n: int, levels: list[int], pids: dict[str, int], seed: int = 7) -> dict:
    from playwright.async_api import async_playwright

    dates = control_dates()
    starts = dates[dates.index(start_date(dates, 3)) :]
    log = {
        "latency": {"date": [], "lang": [], "nav": []},
        "server_ms": [],
        "client_ms": [],
        "initial_load_ms": [],
        "timeouts": 0,
        "completed": 0,
    }
    samples: dict[str, list] = {name: [] for name in pids}
    t_start = time.monotonic()

    def sample() -> dict[str, float | None]:
        return {name: rss_mb(pid) for name, pid in pids.items()}

    def avg(xs):
        xs = [x for x in xs if x is not None]
        return sum(xs) / len(xs) if xs else None

    stop = asyncio.Event()

    async def sampler():
        while not stop.is_set():
            for name, v in sample().items():
                samples[name].append((round(time.monotonic() - t_start, 2), v))
            try:
                await asyncio.wait_for(stop.wait(), 0.25)
            except TimeoutError:
                pass

    rss = {name: {"idle": v} for name, v in sample().items()}
    curve: dict[int, dict] = {}
    sessions: list[Session] = []
    run_s = 0.0
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**LAUNCH)
        task = asyncio.create_task(sampler())
        try:
            for level in levels:
                new = [Session(i, base, starts[(i * 7) % len(starts)], dates, log) for i in range(len(sessions), level)]
                sessions += new
                opened = await asyncio.gather(*(asyncio.wait_for(s.open(browser), 180) for s in new), return_exceptions=True)
                for s, res in zip(new, opened):
                    if isinstance(res, BaseException):
                        s.errors.append(f"session {s.idx}: page did not load: {type(res).__name__}: {str(res)[:160]}")
                await asyncio.sleep(2.0)
                pts = []
                for _ in range(4):
                    pts.append(sample())
                    await asyncio.sleep(0.25)
                curve[level] = {name: avg([p[name] for p in pts]) for name in pids}
            ready = [s for s in sessions if s.page is not None and not s.errors]
            t0 = time.monotonic()
            results = await asyncio.wait_for(
                asyncio.gather(*(s.run(seed * 1000 + s.idx) for s in ready), return_exceptions=True), 900
            )
            run_s = time.monotonic() - t0
            for s, res in zip(ready, results):
                if isinstance(res, BaseException):
                    s.errors.append(f"session {s.idx}: {type(res).__name__}: {str(res)[:160]}")
            for name, v in sample().items():
                rss[name]["end_open"] = v
            for s in sessions:
                await s.close()
            await asyncio.sleep(3.0)
            for name, v in sample().items():
                rss[name]["end_closed"] = v
        finally:
            stop.set()
            await task
            await browser.close()
    for name in pids:
        vals = [v for _, v in samples[name] if v is not None]
        rss[name]["peak"] = max(vals) if vals else None
        rss[name]["curve"] = {k: c[name] for k, c in curve.items()}
    errors = [e for s in sessions for e in s.errors]
    return {
        "log": log,
        "errors": errors,
        "rss": rss,
        "samples": samples,
        "sessions": len(sessions),
        "interactions_planned": len(sessions) * len(PLAN),
        "run_s": run_s,
    }


def slope(curve: dict[int, float]) -> float | None:
    pts = [(k, v) for k, v in curve.items() if v is not None]
    if len(pts) < 2:
        return None
    mx = sum(k for k, _ in pts) / len(pts)
    my = sum(v for _, v in pts) / len(pts)
    den = sum((k - mx) ** 2 for k, _ in pts)
    return sum((k - mx) * (v - my) for k, v in pts) / den if den else None


def report_load(r: Results, section: str, res: dict, replicas: dict[str, str]) -> None:
    log = res["log"]
    allv = [v for vs in log["latency"].values() for v in vs]
    n = res["sessions"]
    r.add(section, f"interaction latency, click → settled, all ({n} sessions × {len(PLAN)})", "ms", allv)
    names = {"date": "date move (week button)", "lang": "language switch", "nav": "view change (nav link)"}
    for kind, vs in log["latency"].items():
        r.add(section, f"  {names[kind]}", "ms", vs)
    r.add(section, "  of which click → last websocket frame (server + transport)", "ms", log["server_ms"])
    r.add(section, "  of which last frame → drawn (browser rendering)", "ms", log["client_ms"])
    r.add(section, "first page load during the ramp (/map drawn)", "ms", log["initial_load_ms"])
    done = sum(len(vs) for vs in log["latency"].values())
    r.add(
        section,
        f"errors (exceptions, console errors, timeouts; {done}/{res['interactions_planned']} interactions completed)",
        "count",
        [len(res["errors"])],
        [("value", "==", 0)],
    )
    for name, label in replicas.items():
        rs = res["rss"][name]
        r.add(section, f"{label} RSS, peak during the run", "MB", [rs["peak"]] if rs["peak"] else [], [("value", "<=", 700)])
        r.add(section, f"{label} RSS, idle before the first session", "MB", [rs["idle"]] if rs["idle"] else [])
        for k, v in rs["curve"].items():
            r.add(section, f"{label} RSS with {k} session(s) open", "MB", [v] if v else [])
        r.add(section, f"{label} RSS at the end, sessions still open", "MB", [rs["end_open"]] if rs.get("end_open") else [])
        r.add(section, f"{label} RSS 3 s after the sessions closed", "MB", [rs["end_closed"]] if rs.get("end_closed") else [])
        per = slope(rs["curve"])
        if per is not None and len(replicas) == 1:
            r.add(
                section, f"{label} memory per extra session (least-squares slope of the curve)", "MB", [per], [("value", "<=", 5)]
            )
    for e in res["errors"][:15]:
        r.note(section, f"error: {e}")
    if len(res["errors"]) > 15:
        r.note(section, f"… and {len(res['errors']) - 15} more errors (see bench.json)")
    r.raw[section] = {k: v for k, v in res.items() if k != "samples"} | {
        "rss_samples": {k: v[:: max(1, len(v) // 400)] for k, v in res["samples"].items()}
    }


def levels(n: int) -> list[int]:
    return [k for k in (1, 5, 10, 20) if k < n] + [n]
