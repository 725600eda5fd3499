"""Benchmark: ``python -m explainer bench --out DIR [--quick] [--skip a,b]``.

Writes ``DIR/bench.json`` (every sample, the machine, the notes) and ``DIR/bench.md`` (one table:
metric, min, median, p95, max, n, target, met?, then what each section measures).

Sections, in the order they run (the names are what ``--skip`` takes):

``load``      cold ``load_bundle`` in a fresh process (load alone, and the whole process with its
              imports), and the store's warm ``DataStore.get()``;
``rerun``     server-side warm reruns of each page through ``streamlit.testing.v1.AppTest``, and map
              date moves with the week buttons;
``bytes``     the plotly figure JSON Streamlit sends per chart, and the websocket / HTTP bytes of each
              view in a real chromium session;
``export``    duration of ``python -m explainer export`` (when ``explainer/export.py`` exists);
``browser``   time until each view is drawn in chromium, live page vs its static export;
``load_run``  N concurrent chromium sessions (one browser, N contexts) against one server: latency of
              each interaction, errors, server memory;
``scaleout``  the same run through nginx in front of two replicas, sticky by a route cookie.

All traffic stays on 127.0.0.1, every loop is bounded in count and time, and every process the bench
starts (streamlit, http.server, nginx, chromium) is stopped by the bench.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import importlib.metadata as md
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from urllib.parse import urlencode
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("load", "rerun", "bytes", "export", "browser", "client", "load_run", "scaleout")
VIEWS = ("story", "map", "casualties", "timeline", "sources")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
NGINX_TEMPLATE = ROOT / "scripts" / "nginx.conf.tmpl"
# Streamlit's frontend probes `<page path>/_stcore/health` and `/host-config` to find its base path:
# a 404 on sub-pages is expected (see tests/test_browser.py).
BASE_PATH_PROBES = ("/_stcore/health", "/_stcore/host-config")
START_DATE = dt.date(2024, 8, 20)  # first date of the date-move runs: weeks after it are all mapped

# chart element of each view (st.plotly_chart keys in explainer/ui/views.py -> class st-key-<key>)
CHART = {"story": ".st-key-story_map", "map": ".st-key-map_chart", "area": ".st-key-area_chart",
         "casualties": ".st-key-cas_chart", "timeline": ".st-key-tl_chart"}

# A chart is drawn: a map (plotly geo, SVG) with polygon paths of real size on screen, or a
# cartesian plot with trace groups.
MAP_PATHS_JS = """[...gd.querySelectorAll('.geo path.choroplethlocation')]
      .some(p => { const b = p.getBBox(); return b.width > 0 && b.height > 0; })"""
DRAWN_JS = """(sel) => {
  for (const gd of document.querySelectorAll(sel)) {
    const fl = gd._fullLayout;
    if (!fl) continue;
    if (fl.geo) {
      if (MAP_PATHS) return performance.now();
    } else if (gd.querySelector('.main-svg g.trace')) {
      return performance.now();
    }
  }
  return 0;
}""".replace("MAP_PATHS", MAP_PATHS_JS)

# Injected before any page script: when the last click happened, and every websocket message.
INIT_JS = r"""(() => {
  window.__clickAt = 0;
  document.addEventListener('click', () => { window.__clickAt = performance.now(); }, true);
  const W = window.WebSocket;
  if (!W || W.__wrapped) return;
  window.__ws = {n: 0, bytes: 0, last: 0};
  const Wrapped = function (...args) {
    const s = new W(...args);
    s.addEventListener('message', (e) => {
      const d = e.data;
      window.__ws.n += 1;
      window.__ws.bytes += (d && (d.byteLength ?? d.size ?? d.length)) || 0;
      window.__ws.last = performance.now();
    });
    return s;
  };
  Wrapped.prototype = W.prototype;
  Object.assign(Wrapped, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3, __wrapped: true});
  window.WebSocket = Wrapped;
})();"""

# An interaction has settled: no "running" status widget, the expected page, heading, nav language,
# chart title and map snapshot are there, and the chart is drawn. Returns performance.now() or 0.
SETTLED_JS = """(a) => {
  if (a.needClick && !window.__clickAt) return 0;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return 0;
  if (a.path && !location.pathname.endsWith(a.path)) return 0;
  if (a.heading && ![...document.querySelectorAll('h1, h2, h3')].some(h => h.textContent.includes(a.heading))) return 0;
  if (a.nav && ![...document.querySelectorAll('.st-key-nav a')].some(x => x.textContent.trim() === a.nav)) return 0;
  const gd = document.querySelector(a.chart + ' .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd.layout) return 0;
  const meta = gd.layout.meta || {};
  if (a.title && meta.title !== a.title) return 0;
  if (a.snapshot && meta.snapshot !== a.snapshot) return 0;
  if (gd._fullLayout.geo) {
    if (!(MAP_PATHS)) return 0;
  } else if (!gd.querySelector('.main-svg g.trace')) return 0;
  return performance.now();
}""".replace("MAP_PATHS", MAP_PATHS_JS)


# --------------------------------------------------------------------------- results

def _pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of fewer than 20 samples is the maximum)."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, -(-len(v) * p // 100) - 1))
    return v[int(k)]


@dataclass
class Metric:
    section: str
    name: str
    unit: str
    values: list[float]
    targets: list[tuple[str, str, float]] = field(default_factory=list)  # (stat, op, limit)
    note: str = ""

    def stat(self, which: str) -> float | None:
        if not self.values:
            return None
        return {"min": min, "max": max, "median": statistics.median, "p50": statistics.median,
                "p95": lambda v: _pct(v, 95), "value": lambda v: v[-1]}[which](self.values)

    def met(self) -> bool | None:
        if not self.targets or not self.values:
            return None
        ops = {"<=": lambda a, b: a <= b, "==": lambda a, b: a == b, ">=": lambda a, b: a >= b}
        return all(ops[op](self.stat(s), lim) for s, op, lim in self.targets)

    def target_text(self) -> str:
        sym = {"<=": "≤", "==": "=", ">=": "≥"}
        return ", ".join(f"{'' if s == 'value' else s + ' '}{sym[op]} {_fmt(lim, self.unit)} {self.unit}".replace("  ", " ")
                         for s, op, lim in self.targets)


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "–"
    if unit == "count":
        return f"{x:.0f}"
    if unit in ("×", "s"):
        return f"{x:.2f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}" if abs(x) >= 0.1 or x == 0 else f"{x:.3f}"


class Results:
    def __init__(self, out: Path, quick: bool, skip: set[str]):
        self.out, self.quick, self.skip = out, quick, skip
        self.metrics: list[Metric] = []
        self.notes: dict[str, list[str]] = defaultdict(list)
        self.status: dict[str, str] = {}
        self.raw: dict[str, object] = {}
        self.durations: dict[str, float] = {}

    def add(self, section, name, unit, values, targets=(), note="") -> Metric:
        m = Metric(section, name, unit, [float(v) for v in values], list(targets), note)
        self.metrics.append(m)
        return m

    def note(self, section: str, text: str) -> None:
        self.notes[section].append(text)


# --------------------------------------------------------------------------- processes

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float | None:
    """Resident memory of one process, from /proc/<pid>/status (VmRSS)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy after {timeout:.0f} s")


def _terminate(proc: subprocess.Popen | None, sig=signal.SIGTERM, wait: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class StreamlitServer:
    """``streamlit run app.py`` on a free loopback port (same flags as tests/conftest.py)."""

    def __init__(self, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.stderr = None

    def launch(self) -> StreamlitServer:
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.stderr)
        return self

    def wait(self, timeout: float = 90) -> StreamlitServer:
        try:
            wait_http(self.url + "/_stcore/health", timeout, self.proc)
        except Exception:
            self.stop()
            raise
        return self

    def start(self) -> StreamlitServer:
        return self.launch().wait()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss(self) -> float | None:
        return rss_mb(self.proc.pid) if self.proc else None

    def stop(self) -> None:
        _terminate(self.proc)
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class StaticServer:
    """``python -m http.server`` on loopback, serving a folder."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1",
                                      "--directory", str(folder)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_http(self.url + "/index.html", 30, self.proc)

    def stop(self) -> None:
        _terminate(self.proc)


def machine() -> dict:
    def first(path, prefix):
        try:
            return next((ln.split(":", 1)[1].strip() for ln in Path(path).read_text().splitlines()
                         if ln.startswith(prefix)), None)
        except OSError:
            return None

    def version(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
            return (r.stdout or r.stderr).strip().splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            return None

    def pkg(name):
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    mem = first("/proc/meminfo", "MemTotal")
    return {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "cpu_count": os.cpu_count(), "cpu_model": first("/proc/cpuinfo", "model name"),
        "ram_gb": round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else None,
        "os": platform.platform(), "python": platform.python_version(),
        "streamlit": pkg("streamlit"), "plotly": pkg("plotly"), "playwright": pkg("playwright"),
        "chromium": version([CHROMIUM, "--version"]) if Path(CHROMIUM).exists() else None,
        "nginx": version(["nginx", "-v"]) if shutil.which("nginx") else None,
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


# --------------------------------------------------------------------------- shared resources

class Bench:
    def __init__(self, results: Results):
        self.r = results
        self.quick = results.quick
        self.tmp = Path(tempfile.mkdtemp(prefix="explainer-bench-"))
        self.tmp.chmod(0o755)  # nginx workers (user nobody) must reach their temp folders
        self._server: StreamlitServer | None = None
        self._export: tuple[Path | None, float | None, str] | None = None

    def server(self) -> StreamlitServer:
        """One live server shared by the `bytes` and `browser` sections."""
        if self._server is None:
            self._server = StreamlitServer().start()
        return self._server

    def export(self) -> tuple[Path | None, float | None, str]:
        """Run the static export once: (folder or None, seconds, message)."""
        if self._export is None:
            if not (ROOT / "explainer" / "export.py").exists():
                self._export = (None, None, "not available: explainer/export.py does not exist")
                return self._export
            out = self.tmp / "export"
            cmd = [sys.executable, "-m", "explainer", "export", "--out", str(out)]
            if self.quick:  # the same export without the PNG fallbacks (kaleido takes ~1.5 min of the full one)
                cmd = [sys.executable, "-c", "import sys; from pathlib import Path; from explainer.export import "
                       "export_site; from explainer.store import default_dirs; "
                       "sys.exit(export_site(*default_dirs(), Path(sys.argv[1]), ['fr', 'en'], images=False))",
                       str(out)]
            t0 = time.perf_counter()
            try:
                r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1200)
            except subprocess.TimeoutExpired:
                self._export = (None, None, "not available: export did not finish in 20 min")
                return self._export
            secs = time.perf_counter() - t0
            last = (r.stdout.strip().splitlines() or [""])[-1]
            if r.returncode != 0 or not (out / "latest" / "fr" / "map.html").is_file():
                err = " | ".join((r.stderr or r.stdout).strip().splitlines()[-3:])
                self._export = (None, secs, f"not available: the export exited {r.returncode}: {err}")
            else:
                self._export = (out, secs, last)
        return self._export

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _launch_sync(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def _control_dates():
    from .load import load_bundle
    from .store import default_dirs
    from .ui.state import control_dates

    return control_dates(load_bundle(*default_dirs()))


# --------------------------------------------------------------------------- load

COLD_LOAD = r"""
import json, sys, time
t0 = time.perf_counter()
from explainer.load import load_bundle
t1 = time.perf_counter()
b = load_bundle(sys.argv[1], sys.argv[2])
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "claims": len(b.claims)}))
"""


def sec_load(b: Bench) -> None:
    from .store import DataStore, default_dirs

    r = b.r
    data, geo = default_dirs()
    reps = 3 if b.quick else 7
    load_ms, proc_s, imp_s = [], [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", COLD_LOAD, str(data), str(geo)], cwd=ROOT,
                           capture_output=True, text=True, timeout=180)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(f"cold load failed: {p.stderr.strip()[-400:]}")
        d = json.loads(p.stdout.strip().splitlines()[-1])
        load_ms.append(1000 * d["load_s"])
        imp_s.append(d["import_s"])
        proc_s.append(wall)
    r.add("load", "cold load_bundle() in a fresh process (read + validate + index)", "ms", load_ms)
    r.add("load", "cold process: interpreter + imports + load_bundle()", "s", proc_s)
    r.add("load", "  of which imports (pandas, shapely, pydantic, yaml)", "s", imp_s)

    store = DataStore(data, geo)
    snap = store.get()
    if snap.bundle is None or not snap.ok:
        raise RuntimeError("the bundled data is not valid: " + "; ".join(map(str, snap.problems[:3])))
    n = 300 if b.quick else 2000
    warm = []
    for _ in range(n):
        t0 = time.perf_counter()
        store.get()
        warm.append(1000 * (time.perf_counter() - t0))
    if store.loads != 1:
        raise RuntimeError(f"warm get() re-read the files ({store.loads} loads)")
    r.add("load", "DataStore.get(), files unchanged (a stat per watched file)", "ms", warm, [("p95", "<=", 20)])

    # a touched file with the same content: stat differs, content hash equal, no re-parse
    copy_d, copy_g = b.tmp / "touch" / "data", b.tmp / "touch" / "geo"
    shutil.copytree(data, copy_d)
    shutil.copytree(geo, copy_g)
    store2 = DataStore(copy_d, copy_g)
    store2.get()
    touched, target = [], copy_d / "claims.csv"
    base_ns = target.stat().st_mtime_ns
    for k in range(10 if b.quick else 30):
        os.utime(target, ns=(base_ns + (k + 1) * 1000, base_ns + (k + 1) * 1000))
        t0 = time.perf_counter()
        store2.get()
        touched.append(1000 * (time.perf_counter() - t0))
    if store2.loads != 1:
        raise RuntimeError("a touched file with the same content was re-parsed")
    r.add("load", "DataStore.get() after a touch, same content (re-hash, no re-parse)", "ms", touched)
    r.note("load", f"Data: {len(snap.bundle.claims)} claims, {len(snap.bundle.events)} events, "
                   f"{sum(len(v) for v in snap.bundle.control.values())} dated control snapshots; "
                   f"cold runs: {reps}, warm get() calls: {n}.")


# --------------------------------------------------------------------------- rerun

def _apptest(params: dict, timeout: float = 120):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def _check(at, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what}: exception in the app: {at.exception[0].message}")


def _qp(at, key):
    v = at.query_params.get(key)
    return v[0] if isinstance(v, list) else v


def sec_rerun(b: Bench) -> None:
    r = b.r
    n = 8 if b.quick else 30
    first = {}
    for view in VIEWS:
        at = _apptest({"view": view})
        t0 = time.perf_counter()
        at.run()
        first[view] = 1000 * (time.perf_counter() - t0)
        _check(at, view)
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            at.run()
            times.append(1000 * (time.perf_counter() - t0))
        _check(at, view)
        r.add("rerun", f"warm rerun · {view}", "ms", times, [("p50", "<=", 80), ("p95", "<=", 150)])
    r.raw["rerun_first_run_ms"] = first
    r.note("rerun", "First run of each page in this process (figures built, AppTest set up): "
           + ", ".join(f"{v} {ms:.0f} ms" for v, ms in first.items()) + ".")

    moves = 6 if b.quick else 20
    at = _apptest({"view": "map", "date": START_DATE.isoformat()})
    at.run()
    _check(at, "map")
    fwd, back, seen = [], [], [_qp(at, "date")]
    for key, out in (("map_date_fwd", fwd), ("map_date_back", back)):
        for _ in range(moves):
            btn = at.button(key=key)
            t0 = time.perf_counter()
            btn.click().run()
            out.append(1000 * (time.perf_counter() - t0))
            _check(at, key)
            seen.append(_qp(at, "date"))
    if len(set(seen[: moves + 1])) != moves + 1:
        raise RuntimeError(f"the week buttons did not move the date: {seen}")
    r.add("rerun", "map date move (1 week ▶), new date: map + area figures built", "ms", fwd, [("p95", "<=", 100)])
    r.add("rerun", "map date move (◀ 1 week), date seen before: figures cached", "ms", back, [("p95", "<=", 100)])
    r.note("rerun", f"Date moves: {moves} clicks on the week buttons from {START_DATE} forward, then back "
           f"({seen[0]} → {seen[moves]} → {seen[-1]}).")
    _rerun_breakdown(b)


def _rerun_breakdown(b: Bench) -> None:
    """What a rerun pays even when nothing changed: st.plotly_chart turns the figure into a dict and
    serialises it on every rerun. Timed for a plain figure and for the app's cached form."""
    import plotly
    import plotly.io as pio

    from . import figures as F
    from .store import default_dirs, get_store
    from .ui.common import _sendable
    from .ui.state import default_date

    r = b.r
    data, geo = default_dirs()
    n = 5 if b.quick else 15
    bundle = get_store(data, geo).get().bundle
    day = default_date(bundle)
    views = {"map": F.build_map(bundle, day, "fr-CH"), "area": F.build_area(bundle, "fr-CH", day),
             "casualties": F.build_casualties(bundle, "fr-CH", (), (), day),
             "timeline": F.build_timeline(bundle, "fr-CH", day, ())}
    for name, view in views.items():
        for label, fig in (("plain figure", view.figure), ("as the app sends it", _sendable(view))):
            val, js = [], []
            for _ in range(n):
                t0 = time.perf_counter()
                f2 = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
                t1 = time.perf_counter()
                pio.to_json(f2, validate=False)
                t2 = time.perf_counter()
                val.append(1000 * (t1 - t0))
                js.append(1000 * (t2 - t1))
            r.add("rerun", f"  per-rerun cost in st.plotly_chart · {name}, {label}: figure → dict", "ms", val)
            r.add("rerun", f"  per-rerun cost in st.plotly_chart · {name}, {label}: plotly.io.to_json", "ms", js)
    r.note("rerun", "The `per-rerun cost` rows time, outside Streamlit, what `st.plotly_chart` does on every rerun "
           "with a figure that is already cached "
           "(`plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)`, i.e. `fig.to_dict()`, "
           "then `plotly.io.to_json`), for the default date in fr-CH: once with a plain plotly figure (a deep copy "
           "per call) and once with the figure as `explainer.ui.common._sendable` hands it over (its dict made "
           "once per process). The /map page draws two figures (map + area).")


# --------------------------------------------------------------------------- bytes

def _ws_page(browser, url, view_ready, frames_box):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    frames = frames_box
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda p: frames.append((time.monotonic(), len(p) if isinstance(p, bytes) else len(p.encode())))))
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
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
    return ready


def _http_bytes(page) -> int:
    return page.evaluate("""() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
        .reduce((a, e) => a + (e.transferSize || 0), 0)""")


def sec_bytes(b: Bench) -> None:
    from playwright.sync_api import sync_playwright

    from .i18n import t

    r = b.r
    for view in VIEWS:
        at = _apptest({"view": view})
        at.run()
        _check(at, view)
        charts = at.get("plotly_chart")
        for i, el in enumerate(charts):
            spec = el.proto.spec
            meta = json.loads(spec).get("layout", {}).get("meta") or {}
            name = next((k for k in ("map", "area", "casualties", "timeline") if meta.get("title") == t("fr-CH", f"view_{k}")),
                        f"chart {i + 1}")
            r.add("bytes", f"plotly figure JSON · /{view} · {name} chart", "KB", [len(spec.encode()) / 1000],
                  [("max", "<=", 400)] if view == "map" and i == 0 else [])
    dates = _control_dates()
    k = 3 if b.quick else 12
    sample = [dates[round(i * (len(dates) - 1) / (k - 1))] for i in range(k)]
    sizes = []
    for d in sample:
        at = _apptest({"view": "map", "date": d.isoformat()})
        at.run()
        _check(at, f"map {d}")
        sizes.append(len(at.get("plotly_chart")[0].proto.spec.encode()) / 1000)
    r.add("bytes", f"plotly figure JSON · map, across {k} dates {sample[0]}…{sample[-1]}", "KB", sizes,
          [("max", "<=", 400)])

    srv = b.server()
    reps = 1
    with sync_playwright() as pw:
        browser = _launch_sync(pw)
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
                        moves = []
                        for _ in range(3):
                            before = page.evaluate(f"() => document.querySelector('{CHART['map']} .js-plotly-plot').layout.meta.snapshot")
                            n0 = len(frames)
                            page.locator(".st-key-map_date_fwd button").click()
                            page.wait_for_function(
                                f"(b) => {{ const gd = document.querySelector('{CHART['map']} .js-plotly-plot');"
                                " return gd && gd.layout && gd.layout.meta.snapshot !== b; }", arg=before, timeout=60_000)
                            _quiet(page, frames)
                            moves.append(sum(n for _, n in frames[n0:]) / 1000)
                        r.add("bytes", "websocket bytes per map date move (week button)", "KB", moves)
                    ctx.close()
                r.add("bytes", f"websocket payload, page load · /{view}", "KB", ws_kb)
                r.add("bytes", f"HTTP transfer, page load (HTML, JS, CSS) · /{view}", "KB", http_kb)
        finally:
            browser.close()
    r.note("bytes", "Figure JSON = `len(at.get('plotly_chart')[i].proto.spec)` in AppTest: the figure as Streamlit "
                    "serialises it (plotly `to_json`, numpy arrays base64); it travels inside a protobuf ForwardMsg. "
                    "Websocket payload = sum of playwright `framereceived` sizes from navigation until 0.8 s without "
                    "a frame; HTTP = resource-timing transferSize (the Streamlit frontend bundle, cold cache).")


# --------------------------------------------------------------------------- export

def sec_export(b: Bench) -> None:
    r = b.r
    out, secs, msg = b.export()
    if out is None:
        r.add("export", "static export (python -m explainer export)", "s", [], note=msg)
        r.note("export", msg)
        return
    r.add("export", "static export, fr + en: " + ("export_site(images=False), no PNG (quick)" if b.quick else
                    "python -m explainer export, with PNG fallbacks"), "s", [secs])
    try:
        man = json.loads((out / "manifest.json").read_text("utf-8"))
        tm = man.get("timings_s") or {}
        if tm:
            r.add("export", "  of which figures (export's own timing)", "s", [tm.get("figures", 0)])
            if not b.quick:
                r.add("export", "  of which PNG fallbacks, kaleido (export's own timing)", "s", [tm.get("png", 0)])
        pages = man.get("pages") or []
        if pages and all("bytes" in p for p in pages):
            r.add("bytes", f"static export page weight (HTML + embed.js), {len(pages)} pages", "KB",
                  [p["bytes"] / 1000 for p in pages])
        plotly_js = next(iter(sorted((out / "assets").glob("plotly*.js"))), out / "assets" / "plotly.min.js")
        if plotly_js.is_file():
            r.note("export", f"Shared assets/{plotly_js.name}: {plotly_js.stat().st_size / 1e6:.2f} MB (loaded once per "
                             "host page and then cached).")
    except (OSError, ValueError) as e:
        r.note("export", f"manifest.json unreadable: {e}")
    r.note("export", f"Export output: {msg}")


# --------------------------------------------------------------------------- browser

def sec_browser(b: Bench) -> None:
    from playwright.sync_api import sync_playwright

    r = b.r
    srv = b.server()
    out, _, msg = b.export()
    static = StaticServer(out) if out is not None else None
    if static is None:
        r.note("browser", f"Static export {msg}; only the live pages were timed.")
    reps = 1 if b.quick else 3
    cases = [("map", "/map", CHART["map"]), ("area", "/map", CHART["area"]),
             ("casualties", "/casualties", CHART["casualties"]), ("timeline", "/timeline", CHART["timeline"])]
    try:
        with sync_playwright() as pw:
            browser = _launch_sync(pw)
            try:
                def drawn(url, sel):
                    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
                    try:
                        page = ctx.new_page()
                        page.goto(url, wait_until="commit", timeout=120_000)
                        return page.wait_for_function(DRAWN_JS, arg=f"{sel}", polling="raf", timeout=120_000).json_value()
                    finally:
                        ctx.close()

                for view, path, chart in cases:  # warm-up: server figure cache, OS file cache
                    if path != "/map" or view == "map":
                        drawn(srv.url + path, f"{chart} .js-plotly-plot")
                if static:
                    drawn(f"{static.url}/latest/fr/map.html", "#chart")
                for view, path, chart in cases:
                    live, stat = [], []
                    for i in range(reps):
                        order = ("live", "static") if i % 2 == 0 else ("static", "live")
                        for which in order:
                            if which == "live":
                                live.append(drawn(srv.url + path, f"{chart} .js-plotly-plot"))
                            elif static:
                                stat.append(drawn(f"{static.url}/latest/fr/{view}.html", "#chart"))
                    r.add("browser", f"time to drawn · {view} · live streamlit ({path})", "ms", live)
                    if static:
                        r.add("browser", f"time to drawn · {view} · static export (fr/{view}.html)", "ms", stat)
                        r.add("browser", f"live / static ratio of medians · {view}", "×",
                              [statistics.median(live) / statistics.median(stat)],
                              [("value", "<=", 1.5)] if view == "map" else [])
                    else:
                        r.add("browser", f"live / static ratio of medians · {view}", "×", [],
                              note="static export not available")
            finally:
                browser.close()
    finally:
        if static:
            static.stop()
    r.note("browser", "Time to drawn = `performance.now()` in the page (ms since navigation start) at the first "
           "animation frame where the chart is drawn: maps when a polygon path of the geo subplot has a non-zero bounding box, other charts "
           "when plotly's `.main-svg` holds trace groups. Fresh browser context per load (cold HTTP cache), "
           f"server caches warm (one warm-up load per page), {reps} loads per page, live and static alternated. "
           "Live pages in the default locale (fr-CH), static pages fr/.")


def _tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by every descendant of ``root`` (from /proc)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        stats[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        total += stats.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


def sec_client(b: Bench) -> None:
    """What one reader's browser spends per interaction: the budget behind the load run's numbers."""
    from playwright.sync_api import sync_playwright

    srv = b.server()
    n = 3 if b.quick else 8
    dates = _control_dates()
    with sync_playwright() as pw:
        browser = _launch_sync(pw)
        try:
            ctx = browser.new_context(viewport={"width": 1100, "height": 900})
            ctx.add_init_script(INIT_JS)
            page = ctx.new_page()
            log = {"latency": {"date": [], "lang": [], "nav": []}, "server_ms": [], "client_ms": [],
                   "initial_load_ms": [], "timeouts": 0, "completed": 0}
            sess = _Session(0, srv.url, START_DATE, dates, log)
            cpu0 = _tree_cpu(os.getpid())
            page.goto(f"{srv.url}/map?date={START_DATE.isoformat()}", wait_until="commit", timeout=120_000)
            page.wait_for_function(SETTLED_JS, arg={**sess.expect("map"), "needClick": False}, polling="raf",
                                   timeout=120_000)
            time.sleep(2.0)
            b.r.add("client", "browser CPU for the first load of /map (all chromium processes)", "CPU s",
                    [_tree_cpu(os.getpid()) - cpu0])
            cpu: dict[str, list[float]] = {"date": [], "lang": [], "nav": []}
            lat: dict[str, list[float]] = {"date": [], "lang": [], "nav": []}
            steps = [("date", 7)] * n + [("lang", "en"), ("lang", "fr-CH")] * (n // 2) \
                + [("nav", "casualties"), ("nav", "map")] * (n // 2)
            for kind, arg in steps:
                target = sess.step(page, kind, arg)
                want = sess.expect(sess.view)
                c0 = _tree_cpu(os.getpid())
                page.evaluate("() => { window.__clickAt = 0; }")
                target.click(timeout=30_000)
                done = page.wait_for_function(SETTLED_JS, arg=want, polling="raf", timeout=30_000).json_value()
                lat[kind].append(done - page.evaluate("() => window.__clickAt"))
                time.sleep(1.5)  # let every frame and late task finish before reading the CPU
                cpu[kind].append(_tree_cpu(os.getpid()) - c0)
            names = {"date": "date move (week ▶)", "lang": "language switch", "nav": "view change"}
            for kind in ("date", "lang", "nav"):
                b.r.add("client", f"browser CPU per interaction · {names[kind]}", "CPU s", cpu[kind])
                b.r.add("client", f"  latency, one session alone · {names[kind]}", "ms", lat[kind])
        finally:
            browser.close()
    b.r.note("client", "One chromium context against the server with no other load, interactions 1.5 s apart. CPU = "
             "user + system time of every process under the bench (chromium's browser, renderer and GPU "
             "processes, read from /proc) from the click to 1.5 s after the page settled. The load run puts 20 "
             "such readers on the same 2 cores: a reader clicking every ~1–2 s needs this much CPU each time, "
             "on top of the server's share.")


# --------------------------------------------------------------------------- load run (async)

PLAN = [("date", 7), ("date", 7), ("date", -7), ("lang", "en"), ("date", 7),
        ("nav", "casualties"), ("nav", "timeline"), ("nav", "map"), ("lang", "fr-CH"), ("date", -7)]


class _Session:
    def __init__(self, idx: int, base: str, start: dt.date, dates: list, log: dict):
        from .figures import nearest_date

        self.idx, self.base, self.dates, self.log = idx, base, dates, log
        self.nearest = nearest_date
        self.date, self.lang, self.view = start, "fr-CH", "map"
        self.ctx = self.page = None
        self.errors: list[str] = []
        self.probes = 0

    def _t(self, key, lang=None):
        from .i18n import t
        return t(lang or self.lang, key)

    def step(self, page, kind: str, arg):
        """The control to click for one step of a plan (sync or async page), with the state it leads to."""
        if kind == "date":
            lo, hi = self.dates[0], self.dates[-1]
            self.date = self.nearest(self.dates, min(max(self.date + dt.timedelta(days=arg), lo), hi))
            return page.locator(f".st-key-map_date_{'fwd' if arg > 0 else 'back'} button")
        if kind == "lang":
            self.lang = arg
            return page.get_by_role("radio", name=self._t(f"locale_{arg}"), exact=True)
        self.view = arg
        return page.locator(".st-key-nav").get_by_role("link", name=self._t(f"nav_{arg}"), exact=True)

    def expect(self, chart_view: str) -> dict:
        return {"needClick": True, "chart": CHART[chart_view], "title": self._t(f"view_{chart_view}"),
                "snapshot": self.date.isoformat() if chart_view == "map" else None,
                "nav": self._t("nav_casualties") if self.view != "casualties" else self._t("nav_map"),
                "path": "/" + self.view, "heading": self._t(f"{self.view}_heading")}

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
        h = await page.wait_for_function(SETTLED_JS, arg={**self.expect("map"), "needClick": False},
                                         polling="raf", timeout=120_000)
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


async def _load_run(base: str, n: int, levels: list[int], pids: dict[str, int], seed: int = 7) -> dict:
    from playwright.async_api import async_playwright

    dates = _control_dates()
    starts = [d for d in dates if d >= START_DATE][: 200]
    log = {"latency": {"date": [], "lang": [], "nav": []}, "server_ms": [], "client_ms": [], "initial_load_ms": [],
           "timeouts": 0, "completed": 0}
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
    sessions: list[_Session] = []
    run_s = 0.0
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        task = asyncio.create_task(sampler())
        try:
            for level in levels:
                new = [_Session(i, base, starts[(i * 7) % len(starts)], dates, log) for i in range(len(sessions), level)]
                sessions += new
                opened = await asyncio.gather(*(asyncio.wait_for(s.open(browser), 180) for s in new),
                                              return_exceptions=True)
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
            results = await asyncio.wait_for(asyncio.gather(*(s.run(seed * 1000 + s.idx) for s in ready),
                                                            return_exceptions=True), 900)
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
    return {"log": log, "errors": errors, "rss": rss, "samples": samples, "sessions": len(sessions),
            "interactions_planned": len(sessions) * len(PLAN), "run_s": run_s}


def _slope(curve: dict[int, float]) -> float | None:
    pts = [(k, v) for k, v in curve.items() if v is not None]
    if len(pts) < 2:
        return None
    mx = sum(k for k, _ in pts) / len(pts)
    my = sum(v for _, v in pts) / len(pts)
    den = sum((k - mx) ** 2 for k, _ in pts)
    return sum((k - mx) * (v - my) for k, v in pts) / den if den else None


def _report_load(r: Results, section: str, res: dict, replicas: dict[str, str]) -> None:
    log = res["log"]
    allv = [v for vs in log["latency"].values() for v in vs]
    n = res["sessions"]
    r.add(section, f"interaction latency, click → settled, all ({n} sessions × {len(PLAN)})", "ms", allv,
          [("p95", "<=", 500)])
    names = {"date": "date move (week button)", "lang": "language switch", "nav": "view change (nav link)"}
    for kind, vs in log["latency"].items():
        r.add(section, f"  {names[kind]}", "ms", vs)
    r.add(section, "  of which click → last websocket frame (server + transport)", "ms", log["server_ms"])
    r.add(section, "  of which last frame → drawn (browser rendering)", "ms", log["client_ms"])
    r.add(section, "first page load during the ramp (/map drawn)", "ms", log["initial_load_ms"])
    done = sum(len(vs) for vs in log["latency"].values())
    r.add(section, f"errors (exceptions, console errors, timeouts; {done}/{res['interactions_planned']} "
                   "interactions completed)", "count", [len(res["errors"])], [("value", "==", 0)])
    for name, label in replicas.items():
        rs = res["rss"][name]
        r.add(section, f"{label} RSS, peak during the run", "MB", [rs["peak"]] if rs["peak"] else [],
              [("value", "<=", 700)])
        r.add(section, f"{label} RSS, idle before the first session", "MB", [rs["idle"]] if rs["idle"] else [])
        for k, v in rs["curve"].items():
            r.add(section, f"{label} RSS with {k} session(s) open", "MB", [v] if v else [])
        r.add(section, f"{label} RSS at the end, sessions still open", "MB", [rs["end_open"]] if rs.get("end_open") else [])
        r.add(section, f"{label} RSS 3 s after the sessions closed", "MB", [rs["end_closed"]] if rs.get("end_closed") else [])
        slope = _slope(rs["curve"])
        if slope is not None and len(replicas) == 1:
            r.add(section, f"{label} memory per extra session (least-squares slope of the curve)", "MB",
                  [slope], [("value", "<=", 5)])
    for e in res["errors"][:15]:
        r.note(section, f"error: {e}")
    if len(res["errors"]) > 15:
        r.note(section, f"… and {len(res['errors']) - 15} more errors (see bench.json)")
    r.raw[section] = {k: v for k, v in res.items() if k != "samples"} | {
        "rss_samples": {k: v[:: max(1, len(v) // 400)] for k, v in res["samples"].items()}}


def _levels(n: int) -> list[int]:
    return [k for k in (1, 5, 10, 20) if k < n] + [n]


async def _proto_run(base: str, n: int, pids: dict[str, int], seed: int = 11) -> dict:
    """N concurrent sessions speaking Streamlit's websocket protocol directly (no browser, no rendering):
    each sends the same 10 steps as the browser sessions as reruns with a new query string, and times
    each rerun from sending it to the server's `script_finished` message."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    from .figures import nearest_date

    dates = _control_dates()
    starts = [d for d in dates if d >= START_DATE]
    out = {"latency": [], "bytes": [], "errors": [], "peak": {k: None for k in pids}}
    uri = base.replace("http://", "ws://") + "/_stcore/stream"

    async def rerun(ws, qs: str) -> tuple[float, int, int]:
        msg = BackMsg()
        msg.rerun_script.query_string = qs
        msg.rerun_script.page_script_hash = ""
        t0 = time.perf_counter()
        await ws.send(msg.SerializeToString())
        nbytes = exc = 0
        while True:
            data = await asyncio.wait_for(ws.recv(), 60)
            nbytes += len(data)
            fm = ForwardMsg.FromString(data)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element" \
                    and fm.delta.new_element.WhichOneof("type") == "exception":
                exc += 1
            if kind == "script_finished":
                return 1000 * (time.perf_counter() - t0), nbytes, exc

    async def session(idx: int) -> None:
        rng = random.Random(seed * 1000 + idx)
        day, lang, view = starts[(idx * 7) % len(starts)], "fr-CH", "map"
        qs = lambda: urlencode({"view": view, "date": day.isoformat(), **({"lang": lang} if lang != "fr-CH" else {})})
        headers = {"Cookie": f"st_route=proto-{idx}-{rng.getrandbits(48):x}"}  # sticky behind nginx
        try:
            async with connect(uri, subprotocols=["streamlit"], max_size=2 ** 26, open_timeout=60,
                               additional_headers=headers) as ws:
                await asyncio.sleep(rng.uniform(0, 1.0))
                await rerun(ws, qs())
                for kind, arg in PLAN:
                    await asyncio.sleep(rng.uniform(0.3, 1.5))
                    if kind == "date":
                        day = nearest_date(dates, min(max(day + dt.timedelta(days=arg), dates[0]), dates[-1]))
                    elif kind == "lang":
                        lang = arg
                    else:
                        view = arg
                    ms, nbytes, exc = await rerun(ws, qs())
                    out["latency"].append(ms)
                    out["bytes"].append(nbytes / 1000)
                    if exc:
                        out["errors"].append(f"protocol session {idx}: exception in {kind} {arg}")
        except Exception as e:  # a timeout or a dropped connection is an error of the run, not of the bench
            out["errors"].append(f"protocol session {idx}: {type(e).__name__}: {str(e)[:160]}")

    async def sampler(stop: asyncio.Event):
        while not stop.is_set():
            for name, pid in pids.items():
                v = rss_mb(pid)
                if v is not None and (out["peak"][name] is None or v > out["peak"][name]):
                    out["peak"][name] = v
            try:
                await asyncio.wait_for(stop.wait(), 0.25)
            except TimeoutError:
                pass

    stop = asyncio.Event()
    task = asyncio.create_task(sampler(stop))
    t0 = time.monotonic()
    try:
        await asyncio.wait_for(asyncio.gather(*(session(i) for i in range(n))), 600)
    finally:
        out["duration_s"] = time.monotonic() - t0
        stop.set()
        await task
    return out


def _report_proto(r: Results, section: str, res: dict, n: int) -> None:
    r.add(section, f"server only: rerun over the websocket, {n} concurrent protocol clients, no browser", "ms",
          res["latency"], [("p95", "<=", 500)])
    r.add(section, "  websocket bytes per rerun (no message cache)", "KB", res["bytes"])
    r.add(section, "  reruns completed per second over the whole phase (all sessions)", "/s",
          [len(res["latency"]) / res["duration_s"]] if res.get("duration_s") else [])
    r.add(section, f"  errors ({len(res['latency'])}/{n * len(PLAN)} reruns completed)", "count",
          [len(res["errors"])], [("value", "==", 0)])
    for e in res["errors"][:5]:
        r.note(section, f"error: {e}")
    r.raw[f"{section}_protocol"] = res


def sec_load_run(b: Bench) -> None:
    n = 5 if b.quick else 20
    with StreamlitServer() as srv:
        srv.start()
        res = asyncio.run(_load_run(srv.url, n, _levels(n), {"server": srv.pid}))
        proto = asyncio.run(_proto_run(srv.url, n, {"server": srv.pid}))
    _load_run_note(b, n, res)
    _report_load(b.r, "load_run", res, {"server": "streamlit server"})
    _report_proto(b.r, "load_run", proto, n)
    b.r.note("load_run", f"Server only: {n} asyncio clients speak Streamlit's websocket protocol directly "
             "(BackMsg `rerun_script` with the step's query string: view, date, lang), on the same server after the "
             "browser run, and time each rerun until the `script_finished` message. This is the server's share of "
             "an interaction without 20 browsers competing for the same 2 cores. Peak RSS in this phase: "
             f"{_fmt(proto['peak']['server'], 'MB')} MB. One Streamlit process runs every session's script on one "
             "interpreter (GIL), so its rerun throughput, not its memory, bounds the number of readers.")


def _load_run_note(b: Bench, n: int, res: dict) -> None:
    b.r.note("load_run", f"{n} chromium contexts in one browser against one fresh `streamlit run` (ramp "
             f"{', '.join(map(str, _levels(n)))} sessions, RSS sampled every 0.25 s from /proc/<pid>/status). "
             f"Each session opens /map at its own date, then does {len(PLAN)} interactions with 0.3–1.5 s pauses: "
             "week ▶, ▶, ◀, English, ▶, Casualties, Timeline, Map, Français (CH), ◀. Latency = in-page time from "
             "the click event to the first frame where the status widget is gone and the expected page, heading, "
             "nav language, chart title, map snapshot date and drawn chart are all there. The browser runs on the "
             f"same 2 cores as the server. Interaction phase: {res['run_s']:.0f} s. RSS stays up after the sessions "
             "close: Streamlit keeps a disconnected session for `server.disconnectedSessionTTL` (120 s) and CPython "
             "rarely returns freed memory to the OS.")


# --------------------------------------------------------------------------- scaleout

def _nginx() -> str | None:
    exe = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if exe:
        return exe
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for cmd in (sudo + ["apt-get", "install", "-y", "-qq", "nginx"],
                sudo + ["apt-get", "update", "-qq"], sudo + ["apt-get", "install", "-y", "-qq", "nginx"]):
        try:
            subprocess.run(cmd, env=env, capture_output=True, timeout=600)
        except (OSError, subprocess.SubprocessError):
            return None
        exe = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if exe:
            return exe
    return None


class Nginx:
    def __init__(self, exe: str, prefix: Path, ports: tuple[int, int]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = prefix
        for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        for p in [prefix, prefix / "tmp", *(prefix / "tmp").iterdir()]:
            p.chmod(0o777 if p.parent.name == "tmp" else 0o755)
        conf = NGINX_TEMPLATE.read_text("utf-8")
        for k, v in {"PREFIX": str(prefix), "LISTEN": str(self.port), "REPLICA_A": str(ports[0]),
                     "REPLICA_B": str(ports[1])}.items():
            conf = conf.replace(f"@{k}@", v)
        (prefix / "nginx.conf").write_text(conf, "utf-8")
        check = subprocess.run([exe, "-t", "-q", "-p", str(prefix), "-e", str(prefix / "error.log"),
                                "-c", str(prefix / "nginx.conf")], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed: {check.stderr.strip()[-400:]}")
        self.proc = subprocess.Popen([exe, "-p", str(prefix), "-e", str(prefix / "error.log"),
                                      "-c", str(prefix / "nginx.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(self.url + "/_stcore/health", 30, self.proc)

    def stop(self) -> None:
        _terminate(self.proc, signal.SIGQUIT, 15)  # graceful: finish and log open connections

    def access_log(self) -> list[dict]:
        out = []
        path = self.prefix / "access.log"
        for line in path.read_text("utf-8", "replace").splitlines() if path.exists() else []:
            parts = line.split()
            rec = {"status": parts[1] if len(parts) > 1 else "", "uri": parts[3] if len(parts) > 3 else ""}
            for p in parts[4:]:
                if "=" in p:
                    k, v = p.split("=", 1)
                    rec[k] = v
            out.append(rec)
        return out


def sec_scaleout(b: Bench) -> None:
    r = b.r
    exe = _nginx()
    if exe is None:
        r.add("scaleout", "nginx + 2 replicas", "ms", [], note="nginx not available (apt-get install nginx failed)")
        r.note("scaleout", "not available: nginx is not installed and `apt-get install -y nginx` failed")
        return
    n = 5 if b.quick else 20
    a, c = StreamlitServer().launch(), StreamlitServer().launch()
    proxy = None
    try:
        a.wait()
        c.wait()
        proxy = Nginx(exe, b.tmp / "nginx", (a.port, c.port))
        res = asyncio.run(_load_run(proxy.url, n, _levels(n),
                                    {"replica_a": a.pid, "replica_b": c.pid}))
        proto = asyncio.run(_proto_run(proxy.url, n, {"replica_a": a.pid, "replica_b": c.pid}))
    finally:
        if proxy is not None:
            proxy.stop()
        a.stop()
        c.stop()
    log = proxy.access_log()
    names = {f"127.0.0.1:{a.port}": "replica A", f"127.0.0.1:{c.port}": "replica B"}
    streams = [x for x in log if x["uri"] == "/_stcore/stream" and not x.get("route", "").startswith("proto-")]
    proto_streams = [x for x in log if x["uri"] == "/_stcore/stream" and x.get("route", "").startswith("proto-")]
    proto_per = Counter(names.get(x.get("upstream"), x.get("upstream")) for x in proto_streams if x["status"] == "101")
    per_upstream = Counter(names.get(x.get("upstream"), x.get("upstream")) for x in streams if x["status"] == "101")
    by_route: dict[str, set] = defaultdict(set)
    for x in log:
        by_route[x.get("route")].add(x.get("upstream"))
    session_routes = {x.get("route") for x in streams}
    split = [rt for rt in session_routes if len(by_route[rt]) > 1]
    r.note("scaleout", f"nginx {exe} (own prefix, foreground child, config from scripts/nginx.conf.tmpl) on "
           f"127.0.0.1:{proxy.port} → replicas 127.0.0.1:{a.port} (A) and 127.0.0.1:{c.port} (B). Stickiness: "
           "`hash $st_route consistent`, where $st_route is the `st_route` cookie, or for a browser without it the "
           "request's random $request_id, which nginx then sets as that cookie; WebSocket upgrade headers "
           "forwarded, Host kept (with port) for Streamlit's origin check. "
           f"{len(streams)} websocket connections from {len(session_routes)} route cookies; per replica: "
           + ", ".join(f"{k} {v}" for k, v in sorted(per_upstream.items())) + f"; {len(log)} requests logged. "
           "Consistent hashing of random keys spreads sessions only statistically (a few dozen browsers can split unevenly). "
           "Both replicas share the same 2 cores as nginx and chromium: the browser rows show that the sticky set-up "
           "works; the server-only rows show what a second process (a second interpreter, so a second core) adds.")
    _report_load(r, "scaleout", res, {"replica_a": "replica A", "replica_b": "replica B"})
    _report_proto(r, "scaleout", proto, n)
    r.note("scaleout", "Server only (protocol clients, each with its own route cookie): sessions per replica "
           + ", ".join(f"{k} {v}" for k, v in sorted(proto_per.items())) + "; peak RSS "
           + ", ".join(f"{k} {_fmt(v, 'MB')} MB" for k, v in proto["peak"].items()) + ".")
    for label in ("replica A", "replica B"):
        r.add("scaleout", f"websocket sessions on {label} (nginx access log)", "count", [per_upstream.get(label, 0)],
              [("value", ">=", 1)])
    r.add("scaleout", "browser sessions whose requests reached both replicas", "count", [len(split)], [("value", "==", 0)])
    r.raw["scaleout_nginx"] = {"streams_per_upstream": dict(per_upstream), "routes": len(session_routes),
                               "log_lines": len(log), "split_routes": split}


# --------------------------------------------------------------------------- report

RUNNERS = {"load": sec_load, "rerun": sec_rerun, "bytes": sec_bytes, "export": sec_export, "client": sec_client,
           "browser": sec_browser, "load_run": sec_load_run, "scaleout": sec_scaleout}

METHOD = {
    "load": "Cold: a fresh `python -c` process imports `explainer.load` and calls `load_bundle(data, geo)` on the "
            "bundled files; `load_bundle` alone is timed inside the process, the whole process (interpreter start, "
            "imports, load, exit) from outside. Warm: `DataStore.get()` on unchanged files, which `stat`s each "
            "watched file (the list is re-read only when geo/manifest.yaml changes) and returns the cached snapshot.",
    "rerun": "Server side only, in-process with `streamlit.testing.v1.AppTest` on app.py with `?view=<page>`: "
             "one run to warm up, then N timed `at.run()`. A run includes the script (data-store check, state, "
             "cached figure lookup, widgets), Streamlit's element serialisation (notably `plotly.io.to_json` of "
             "each figure on every rerun) and AppTest's own parsing of the delta messages; it excludes the network, "
             "the websocket and the browser. Date moves click the week buttons (`map_date_fwd` / `map_date_back`) "
             "and rerun.",
    "bytes": "See the note below the table.",
    "export": "Wall time of `python -m explainer export --out <tmp>` as a subprocess (bundled data, fr + en; with "
              "`--quick`, `export_site(..., images=False)` instead: no PNG fallbacks). The `browser` section serves "
              "this output.",
    "browser": "See the note below the table.",
    "client": "See the note below the table.",
    "load_run": "See the note below the table.",
    "scaleout": "See the note below the table.",
}


def write_reports(r: Results, mach: dict, total_s: float) -> None:
    r.out.mkdir(parents=True, exist_ok=True)
    doc = {"machine": mach, "quick": r.quick, "skipped": sorted(r.skip), "status": r.status,
           "durations_s": {k: round(v, 1) for k, v in r.durations.items()}, "total_s": round(total_s, 1),
           "metrics": [{**asdict(m), "min": m.stat("min"), "median": m.stat("median"), "p95": m.stat("p95"),
                        "max": m.stat("max"), "n": len(m.values), "target": m.target_text(), "met": m.met()}
                       for m in r.metrics],
           "notes": r.notes, "raw": r.raw}
    (r.out / "bench.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False, default=str), "utf-8")

    lines = [f"# Benchmark{' (quick)' if r.quick else ''}", "",
             f"`python -m explainer bench --out {r.out}{' --quick' if r.quick else ''}"
             f"{' --skip ' + ','.join(sorted(r.skip)) if r.skip else ''}` — {mach['date']}, {total_s / 60:.1f} min.", "",
             f"Machine: {mach['cpu_count']} CPU ({mach['cpu_model']}), {mach['ram_gb']} GB RAM, {mach['os']}; "
             f"Python {mach['python']}, streamlit {mach['streamlit']}, plotly {mach['plotly']}, "
             f"playwright {mach['playwright']}, {mach['chromium']}, {mach['nginx'] or 'nginx not installed'}. "
             f"Load average (1, 5, 15 min) at start {mach['loadavg_start']}, at end {mach.get('loadavg_end')}: "
             "the machine was shared with other test runs, so absolute times are pessimistic.", "",
             "Sections: " + ", ".join(f"`{s}` {r.status.get(s, 'skipped')}"
                                      + (f" ({r.durations[s]:.0f} s)" if s in r.durations else "") for s in SECTIONS)
             + ". p95 is the nearest-rank 95th percentile (the maximum when n < 20).", "",
             "| metric | min | median | p95 | max | n | target | met? |",
             "|---|---:|---:|---:|---:|---:|---|:-:|"]
    for s in SECTIONS:
        ms = [m for m in r.metrics if m.section == s]
        if not ms:
            continue
        lines.append(f"| **{s}** | | | | | | | |")
        for m in ms:
            met = {True: "yes", False: "**NO**", None: ""}[m.met()]
            if not m.values:
                note = (m.note or "n/a").replace("|", "/").replace("\n", " ")[:160]
                lines.append(f"| {m.name.strip()} ({m.unit}) | – | – | – | – | 0 | {m.target_text()} | {note} |")
                continue
            cells = [_fmt(m.stat(k), m.unit) for k in ("min", "median", "p95", "max")]
            name = m.name.replace("|", "/")
            indent = "&nbsp;&nbsp;" if name.startswith("  ") else ""
            lines.append(f"| {indent}{name.strip()} ({m.unit}) | {' | '.join(cells)} | {len(m.values)} | "
                         f"{m.target_text()} | {met} |")
    lines += ["", "## What is measured", ""]
    for s in SECTIONS:
        if s in r.skip:
            continue
        lines.append(f"**{s}.** {METHOD[s]}")
        for n in r.notes.get(s, []):
            lines.append(f"- {n}")
        lines.append("")
    (r.out / "bench.md").write_text("\n".join(lines).rstrip() + "\n", "utf-8")


def run_bench(out: Path, quick: bool = False, skip: set[str] | None = None) -> int:
    import logging

    # AppTest and the figure cache log "missing ScriptRunContext" when used outside a script run: harmless
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    skip = set(skip or ())
    unknown = skip - set(SECTIONS)
    if unknown:
        print(f"unknown section(s) {', '.join(sorted(unknown))}; sections are: {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    t_all = time.perf_counter()
    mach = machine()
    r = Results(Path(out), quick, skip)
    b = Bench(r)
    failed = False
    try:
        for s in SECTIONS:
            if s in skip:
                r.status[s] = "skipped"
                continue
            print(f"[bench] {s} …", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                RUNNERS[s](b)
                r.status[s] = "ok"
            except Exception as e:  # one failing section must not lose the others' results
                failed = True
                r.status[s] = "FAILED"
                r.note(s, f"FAILED: {type(e).__name__}: {e}")
                r.raw[f"{s}_traceback"] = traceback.format_exc()
                print(traceback.format_exc(), file=sys.stderr)
            r.durations[s] = time.perf_counter() - t0
            print(f"[bench] {s} {r.status[s]} in {r.durations[s]:.0f} s", file=sys.stderr, flush=True)
    finally:
        b.close()
        mach["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        write_reports(r, mach, time.perf_counter() - t_all)
    unmet = [m for m in r.metrics if m.met() is False]
    print(f"wrote {r.out / 'bench.md'} and {r.out / 'bench.json'}: {len(r.metrics)} metrics, "
          f"{len(unmet)} target(s) not met{', some sections FAILED' if failed else ''}")
    return 1 if failed else 0
