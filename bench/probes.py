"""What the tests and the benchmark share: servers on loopback, the chromium launch, and the in-page probes
that say when the app has finished a run and when a chart is really drawn.

Imported by ``tests/conftest.py`` (pytest puts the repository root on ``sys.path``, see ``pythonpath`` in
pyproject.toml) and by every benchmark section. Keep it free of product imports so that both can load it
before the app's own modules.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from explainer.paths import APP, ROOT

CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright cannot download its own browsers here
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LAUNCH = {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}

# Streamlit's frontend probes `<page path>/_stcore/health` and `/host-config` to find its base path,
# gets a 404 on sub-pages, then uses the root: expected, not an app error.
BASE_PATH_PROBES = ("/_stcore/health", "/_stcore/host-config")

# chart element of each view: st.plotly_chart keys in pages/*.py -> class st-key-<key>; the live map is the
# map explorer component (explainer/ui/live_map.py, key map_explorer), which draws its own plotly chart
CHART = {
    "story": ".st-key-story_map",
    "map": ".st-key-map_explorer",
    "area": ".st-key-area_chart",
    "casualties": ".st-key-cas_chart",
    "timeline": ".st-key-tl_chart",
}

# --------------------------------------------------------------------------- in-page probes (JavaScript)

# The app's run state, as Streamlit 1.67's frontend writes it on the root element
# (`data-test-script-state`: initial, running, rerunRequested, notRunning).
IDLE = '() => !!document.querySelector(\'[data-testid="stApp"][data-test-script-state="notRunning"]\')'

# A plotly geo subplot (SVG) is drawn when one of its polygon paths has a real size on screen.
MAP_PATHS_JS = """[...gd.querySelectorAll('.geo path.choroplethlocation')]
      .some(p => { const b = p.getBBox(); return b.width > 0 && b.height > 0; })"""

# Number of drawn polygon paths of the map chart under a selector (-1: no map there yet).
MAP_DRAWN_COUNT = """(sel) => { const gd = [...document.querySelectorAll(sel)]
  .flatMap(e => [e, ...e.querySelectorAll('.js-plotly-plot')]).find(g => g._fullLayout && g._fullLayout.geo);
  return gd ? [...gd.querySelectorAll('.geo path.choroplethlocation')]
    .filter(p => { const b = p.getBBox(); return b.width > 0 && b.height > 0; }).length : -1; }"""

# A chart under `sel` is drawn: a map with polygon paths of real size, or a cartesian plot with trace
# groups. Returns performance.now() (ms since navigation start) or 0.
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

# Any inline SVG in the page (or under `sel`) with a path of real size: the floor page, or an export page
# that paints a pre-rendered SVG first.
SVG_PATHS_JS = """(root) => [...root.querySelectorAll('svg path')]
  .some(p => { const b = p.getBBox(); return b.width > 0 && b.height > 0; })"""
SVG_DRAWN_JS = """(sel) => { const root = sel ? document.querySelector(sel) : document;
  return root && (SVG_PATHS)(root) ? performance.now() : 0; }""".replace("SVG_PATHS", SVG_PATHS_JS)

# A static export page is drawn, whichever way it paints: a container with `data-state="svg"` (a
# pre-rendered SVG whose paths have a real size) or `data-state="interactive"`, or today's page where
# plotly draws `#chart` directly. Returns performance.now() or 0.
STATIC_DRAWN_JS = """() => {
  const drawn = (DRAWN);
  const svg = (SVG_PATHS);
  for (const box of document.querySelectorAll('[data-state]')) {
    if (box.dataset.state === 'svg' && svg(box)) return performance.now();
    if (box.dataset.state === 'interactive') {
      if (drawn('[data-state="interactive"] .js-plotly-plot, [data-state="interactive"].js-plotly-plot')) return performance.now();
      if (svg(box)) return performance.now();
    }
  }
  return drawn('#chart, .js-plotly-plot');
}""".replace("DRAWN", DRAWN_JS, 1).replace("SVG_PATHS", SVG_PATHS_JS)

# The live map explorer (explainer/ui/live_map.py) under `sel` is drawn, whichever way it paints: its box
# `data-state="svg"` with the pre-rendered map loaded (an <img>) and of real size, or `interactive` with
# plotly's polygon paths of real size. Returns performance.now() or 0.
BOX_DRAWN_JS = """(sel) => {
  const box = document.querySelector(sel + ' #chart-box');
  if (!box) return 0;
  if (box.dataset.state === 'svg') {
    const img = box.querySelector('.chart-static img');
    const b = img ? img.getBoundingClientRect() : null;
    if (img && img.complete && img.naturalWidth > 0 && b.width > 0 && b.height > 0) return performance.now();
  }
  if (box.dataset.state === 'interactive') return (DRAWN)(sel + ' #chart-box .js-plotly-plot');
  return 0;
}""".replace("DRAWN", DRAWN_JS)

# bytes the page has fetched so far (navigation + resources, transfer size: 0 for cache hits)
FETCHED_JS = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .reduce((a, e) => a + (e.transferSize || 0), 0)"""

# The layout rules of a graphics desk, read from the drawn boxes of every chart (bench/layout_probe.js):
# evaluate(LAYOUT_JS, selector_or_None) -> [{chart, rule, a, b?, kind}, ...]
LAYOUT_JS = (Path(__file__).parent / "layout_probe.js").read_text("utf-8")

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

# The map chart's snapshot date, or null: the date the live map explorer has drawn (its box's data-date,
# once plotly has drawn: a date move swaps that date's traces in, the layout stays), else layout.meta.snapshot.
SNAPSHOT_JS = """(sel) => { const box = document.querySelector(sel + ' #chart-box');
  if (box) return box.dataset.state === 'interactive' && box.dataset.date || null;
  const gd = document.querySelector(sel + ' .js-plotly-plot');
  return gd && gd.layout && gd.layout.meta ? gd.layout.meta.snapshot : null; }"""

# An interaction has settled: the script is not running, the expected page, heading, nav language, chart
# title and map snapshot are there, and the chart is drawn. Returns performance.now() or 0.
SETTLED_JS = (
    """(a) => {
  if (a.needClick && !window.__clickAt) return 0;
  if (!(IDLE)()) return 0;
  if (a.path && !location.pathname.endsWith(a.path)) return 0;
  if (a.heading && ![...document.querySelectorAll('h1, h2, h3')].some(h => h.textContent.includes(a.heading))) return 0;
  if (a.nav && ![...document.querySelectorAll('.st-key-nav a')].some(x => x.textContent.trim() === a.nav)) return 0;
  const gd = document.querySelector(a.chart + ' .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd.layout) return 0;
  const meta = gd.layout.meta || {};
  if (a.title && meta.title !== a.title) return 0;
  if (a.snapshot && (SNAPSHOT)(a.chart) !== a.snapshot) return 0;
  if (gd._fullLayout.geo) {
    if (!(MAP_PATHS)) return 0;
  } else if (!gd.querySelector('.main-svg g.trace')) return 0;
  return performance.now();
}""".replace("MAP_PATHS", MAP_PATHS_JS)
    .replace("IDLE", IDLE)
    .replace("SNAPSHOT", SNAPSHOT_JS)
)


def wait_idle(page, timeout: float | None = None) -> None:
    """Wait until the app's script has finished its run (sync Playwright page)."""
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=timeout)
    page.wait_for_function(IDLE, timeout=timeout)


# Counts the app's finished script runs (installed once per page; returns the count so far).
RUN_COUNTER_JS = """() => { if (window.__runsDone === undefined) { window.__runsDone = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => { if (app.getAttribute('data-test-script-state') === 'notRunning') window.__runsDone += 1; })
    .observe(app, {attributeFilter: ['data-test-script-state']}); }
  return window.__runsDone; }"""


def after_run(page, act, timeout: float | None = None) -> None:
    """Do ``act`` (a click, a key, an upload) and wait until the script run it starts has finished.

    Waiting for the idle state alone can return before the run has even started (the state is still
    the previous run's "notRunning"); the count of finished runs cannot."""
    before = page.evaluate(RUN_COUNTER_JS)
    act()
    page.wait_for_function(f"() => window.__runsDone > {before} && ({IDLE})()", timeout=timeout)


def wait_drawn(page, sel: str, timeout: float | None = None) -> float:
    """Wait until the chart under `sel` is drawn; returns the in-page time (ms since navigation start)."""
    return page.wait_for_function(DRAWN_JS, arg=f"{sel} .js-plotly-plot", polling="raf", timeout=timeout).json_value()


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers 200 (bounded by `timeout`); fail early if `proc` exits."""
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
        time.sleep(0.2)  # polling interval of a health check, not a wait for state
    raise RuntimeError(f"{url} not healthy after {timeout:.0f} s")


def terminate(proc: subprocess.Popen | None, sig=signal.SIGTERM, wait: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def rss_mb(pid: int) -> float | None:
    """Resident memory of one process in MB, or None when it is gone."""
    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except psutil.Error:
        return None


def tree_cpu(root: int, name: str = "") -> float:
    """CPU seconds (user + system) used so far by every live descendant of `root` (whose process
    name contains ``name``, when given)."""
    try:
        kids = psutil.Process(root).children(recursive=True)
    except psutil.Error:
        return 0.0
    total = 0.0
    for p in kids:
        try:
            if name in p.name().lower():
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            pass
    return total


def browser_cpu(root: int) -> float:
    """CPU seconds used so far by the chromium processes under `root` (browser, renderers, GPU):
    not the Streamlit server nor Playwright's driver, which are descendants too."""
    return tree_cpu(root, "chrom")


def streamlit_cmd(app: Path, port: int, *extra: str) -> list[str]:
    """`streamlit run` on loopback with no telemetry and no file watcher (see the toolchain notes)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *extra,
    ]


# ---------------------------------------------------------------- wait budgets on a busy machine

TIMEOUT_SCALE_ENV = "EXPLAINER_TEST_TIMEOUT_SCALE"  # a factor set by hand (default 1)
LOAD_FACTOR_ENV = "EXPLAINER_TEST_LOAD_FACTOR"  # the load factor at session start, the floor (tests/conftest.py)


def load_factor() -> float:
    """How much busier than its cores the machine is: max(1, 1-minute load average / cores)."""
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


def cpu_probe_s(n: int = 5_000_000) -> float:
    """Seconds of CPU one core takes for a fixed pure-Python loop: the machine's speed, printed in the
    suite's header beside its timings (CONTRIBUTING.md), so that times taken on different machines compare."""
    t0 = time.process_time()
    total = 0
    for i in range(n):
        total += i
    return time.process_time() - t0


def timeout_scale() -> float:
    """The one factor every wait budget of the suite is multiplied by: ``EXPLAINER_TEST_TIMEOUT_SCALE``
    (default 1) times the load factor, read when the wait is set up (a page, an AppTest, a server's start),
    and never below the factor measured at the start of the session (the pytest controller measures it and
    its xdist workers inherit it). Read at the wait, not once: the suite's own browsers and servers load the
    machine minutes after the session starts, when the load average at the start still said idle."""
    hand = float(os.environ.get(TIMEOUT_SCALE_ENV) or 1)
    measured = os.environ.get(LOAD_FACTOR_ENV)
    return hand * max(float(measured) if measured else 1.0, load_factor())


def scaled(seconds: float) -> float:
    """A wait budget in seconds (AppTest runs, server health, subprocesses), scaled for the machine's load."""
    return seconds * timeout_scale()


def scaled_ms(ms: float) -> float:
    """A wait budget in milliseconds (Playwright), scaled for the machine's load."""
    return ms * timeout_scale()


class StreamlitServer:
    """``streamlit run app.py`` on a free loopback port. ``port``/``url`` may be set before ``start()``
    (a restart on the same port)."""

    def __init__(self, env_extra: dict | None = None, cwd: Path = ROOT, app: Path = APP, args: tuple[str, ...] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env_extra or {})}
        self.cwd, self.app, self.args = cwd, app, args
        self.proc: subprocess.Popen | None = None
        self.stderr = None

    def launch(self) -> StreamlitServer:
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            streamlit_cmd(self.app, self.port, *self.args),
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
        )
        return self

    def wait(self, timeout: float = 90) -> StreamlitServer:
        try:
            wait_http(self.url + "/_stcore/health", timeout, self.proc)
        except Exception:
            err = self.errors()
            self.stop()
            raise RuntimeError(f"streamlit did not become healthy: {err[-600:]}") from None
        return self

    def start(self, timeout: float = 90) -> StreamlitServer:
        return self.launch().wait(timeout)

    def errors(self) -> str:
        if self.stderr is None:
            return ""
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss(self) -> float | None:
        return rss_mb(self.proc.pid) if self.proc else None

    def cpu(self) -> float:
        """CPU seconds (user + system) of the server process so far."""
        try:
            t = psutil.Process(self.pid).cpu_times()
            return t.user + t.system
        except psutil.Error:
            return 0.0

    def stop(self) -> None:
        terminate(self.proc)
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class StaticServer:
    """``python -m http.server`` on loopback, serving a folder (map traces draw nothing from file://)."""

    def __init__(self, folder: Path, probe: str = "/"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1", "--directory", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_http(self.url + probe, 30, self.proc)

    def stop(self) -> None:
        terminate(self.proc)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
