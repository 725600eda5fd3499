"""The benchmark's own machinery: its command line, its report, the protocol-level capacity ramp against a
real server, and the "drawn" probe for both kinds of static page. Speeds are measured by `python -m bench`,
not asserted here: these tests check that the measuring works."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import psutil
import pytest
from conftest import Server, scaled

from bench.probes import STATIC_DRAWN_JS, SVG_DRAWN_JS
from bench.protocol import capacity_ramp
from bench.results import Results, machine, write_reports
from explainer.paths import ROOT


def test_unknown_section_is_a_usage_error():
    r = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "no_such_section"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=scaled(120),
    )
    assert r.returncode == 2, r.stdout + r.stderr
    assert "sections are: load, rerun, bytes" in r.stderr


def test_packaging_ships_the_product_only():
    """bench/ is not part of the product: the wheel's package list is explainer*."""
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert conf["tool"]["setuptools"]["packages"]["find"]["include"] == ["explainer*"]


def test_report_lists_every_metric_with_its_target(tmp_path):
    r = Results(tmp_path, quick=True, skip=set())
    r.add("load", "a timing", "ms", [10, 20, 30, 40], [("p95", "<=", 35)])
    r.add("load", "a count", "count", [3], [("value", ">=", 1)])
    r.add("load", "not measured", "ms", [], note="tool missing")
    r.status["load"] = "ok"
    write_reports(r, machine(), 1.0, ("load",), {"load": "how it is measured"})
    md = (tmp_path / "bench.md").read_text("utf-8")
    assert "| a timing (ms) | 10.0 | 25.0 | 40.0 | 40.0 | 4 | p95 ≤ 35.0 ms | **NO** |" in md, md
    assert "| a count (count) | 3 | 3 | 3 | 3 | 1 | ≥ 1 count | yes |" in md, md
    assert "tool missing" in md and "**load.** how it is measured" in md
    assert (tmp_path / "bench.json").is_file()


def run_async(coro):
    """asyncio.run in a thread of its own: Playwright's sync tests leave an event loop running in
    this thread when they ran first."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="module")
def live():
    srv = Server().start()
    yield srv
    srv.stop()


def test_capacity_ramp_holds_under_a_loose_limit(live):
    res = run_async(capacity_ramp(live.url, {"server": live.pid}, [1, 3], window_s=2.5, pace_s=0.5, limit_ms=120_000))
    assert [p["readers"] for p in res["curve"]] == [1, 3]
    assert all(p["n"] > 0 and p["errors"] == 0 for p in res["curve"]), res
    assert res["knee"] == 3 and res["broke_at"] is None
    assert res["curve"][-1]["rss_mb"]["server"] > 0


def test_capacity_ramp_stops_at_the_first_level_that_breaks(live):
    res = run_async(capacity_ramp(live.url, {"server": live.pid}, [1, 3], window_s=1.5, pace_s=0.5, limit_ms=0))
    assert res["knee"] == 0 and res["broke_at"] == 1
    assert len(res["curve"]) == 1, "the ramp must stop at the first broken level"
    assert res["curve"][0]["windows"] == 2, "a broken level is measured again before the ramp stops"


def test_a_reader_reports_the_messages_it_holds_as_a_browser_does(live):
    """The protocol readers' message cache (bench/protocol.py: MessageCache): the same run again sends the
    large elements as references; a reader without the cache gets them whole every time."""
    from websockets.asyncio.client import connect

    from bench.protocol import MessageCache, rerun

    async def runs(cache):
        uri = live.url.replace("http://", "ws://") + "/_stcore/stream"
        async with connect(uri, subprotocols=["streamlit"], max_size=2**26) as ws:
            return [(await rerun(ws, "view=sources&lang=en", cache))[1] for _ in range(3)]

    held = MessageCache()
    with_cache, without = run_async(runs(held)), run_async(runs(None))
    assert held.hashes(), "the sources page has large elements (its tables)"
    assert with_cache[1] < with_cache[0] / 2 and with_cache[2] < with_cache[0] / 2, with_cache
    assert without[1] > with_cache[0] / 2 and without[2] > with_cache[0] / 2, without
    # a message not used for more than two finished runs is dropped, as the browser's cache does
    for _ in range(3):
        held.finished()
    assert not held.hashes()


PATH = '<path d="M0 0 L40 0 L40 40 Z"/>'
EMPTY = '<path d=""/>'


@pytest.mark.browser
@pytest.mark.parametrize(
    "html, drawn",
    [
        (f'<div data-state="svg"><svg width="100" height="100">{PATH}</svg></div>', True),  # pre-rendered SVG painted
        (f'<div data-state="svg"><svg width="100" height="100">{EMPTY}</svg></div>', False),  # SVG not painted yet
        ('<div id="chart"></div>', False),  # today's export before plotly has drawn
    ],
)
def test_static_drawn_probe_accepts_both_export_kinds(page, html, drawn):
    page.set_content(f"<!doctype html><html><body>{html}</body></html>")
    assert (page.evaluate(STATIC_DRAWN_JS) > 0) is drawn
    if drawn:
        assert page.evaluate(SVG_DRAWN_JS, "") > 0


def test_browser_cpu_counts_chromium_only():
    """The client section's CPU is the reader's browser: a busy non-chromium descendant (like the
    Streamlit server or Playwright's driver) counts in the process tree but not as browser CPU."""
    import subprocess
    import sys
    import time

    from bench.probes import browser_cpu, tree_cpu

    busy = "while True: pass"  # spins until killed: on a busy machine it may take a while to get 0.3 CPU-s
    parent = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {busy!r}])"])
    try:
        deadline = time.monotonic() + 120
        while tree_cpu(parent.pid) < 0.3 and time.monotonic() < deadline:  # the busy grandchild counts in the tree
            time.sleep(0.1)
        assert parent.poll() is None and tree_cpu(parent.pid) >= 0.3
        assert browser_cpu(parent.pid) == 0.0  # ...but it is not chromium
    finally:
        for child in psutil.Process(parent.pid).children(recursive=True):
            child.kill()
        parent.kill()
        parent.wait(timeout=scaled(10))
