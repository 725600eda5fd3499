"""Section `capacity`: readers served per server process at p95 ≤ 500 ms, measured at the protocol level
(no browser), for one process (straight, and behind nginx serving the static files from disk as
docs/publishing.md sets it up) and for two replicas behind nginx."""

from __future__ import annotations

import asyncio
import statistics

from explainer.paths import STATIC

from .core import Bench
from .nginx import Nginx
from .probes import StreamlitServer
from .protocol import capacity_ramp
from .results import fmt, nginx_exe
from .sessions import slope

NAME = "capacity"
LIMIT_MS = 500.0
PACE_S = 5.0
METHOD = (
    "Protocol-level readers (asyncio websocket clients speaking Streamlit's protocol, no browser), each doing "
    f"one interaction every {PACE_S:.0f} s (±20 %) from the browser plan (week ▶/◀, language, view change). A "
    "language or view change is a rerun with the step's query string, timed from sending it to the server's "
    "`script_finished`, reporting the hashes of the large messages the reader holds as a browser's message "
    "cache does (an unchanged element then comes as a reference); a week step is what the map explorer does, one GET of the date's file "
    "(`/app/static/_live/<key>/control/<date>.json`, a new connection each) timed to its last byte, and the first "
    "server step after date moves is preceded by the run in which the explorer reports the date. Every step "
    "counts in the p95. Readers are "
    "added level by level and stay connected; each level is measured over a fixed window once its new "
    "readers have loaded their page, and over a second one when the first breaks the limit (the verdict uses "
    "both: one burst of the shared machine's other work does not end the ramp). The knee is the last level "
    f"whose p95 ≤ {LIMIT_MS:.0f} ms with no errors; the ramp stops at the first level that breaks it. The clients run on the same 2 cores as the server(s), so "
    "the figures are a lower bound of what a dedicated server serves."
)


def _levels(quick: bool) -> list[int]:
    # quick: fewer, wider steps up to past the target of 300 readers per process (date moves reach no script)
    return [25, 100, 200, 300, 400, 600] if quick else [10, 25, 50, 100, 150, 200, 300, 400, 600, 800]


def _report(b: Bench, label: str, res: dict, replicas: int) -> None:
    r = b.r
    r.add("capacity", f"readers served at p95 ≤ {LIMIT_MS:.0f} ms · {label}", "count", [res["knee"]])
    if replicas > 1:
        r.add("capacity", f"  readers per server process · {label}", "count", [res["knee"] / replicas])
    for p in res["curve"]:
        p95 = p["p95_ms"]
        r.add(
            "capacity",
            f"  {label} · {p['readers']} readers: step latency p95 (n = {p['n']}, "
            f"{p['per_s']:.1f} steps/s, {p['errors']} errors)",
            "ms",
            [p95] if p95 is not None else [],
        )
    # the server's CPU per reader step, from its CPU time over the window: robust to a shared machine's load,
    # which stretches the latencies of a process starved of CPU but not the work each step costs
    cost = [1000 * sum(p["cpu_share"].values()) / p["per_s"] for p in res["curve"] if p["per_s"] > 0 and p["n"] >= 20]
    if cost:
        r.add("capacity", f"  {label} · server CPU per reader step (all steps, CPU time ÷ steps)", "ms", cost)
        per_reader = 1 / PACE_S  # steps per second per reader
        r.add(
            "capacity",
            f"  {label} · readers one fully busy core could serve at that cost (a step every {PACE_S:.0f} s each; no queueing)",
            "count",
            [1000 / (per_reader * statistics.median(cost)) / replicas],
        )
    rss = {p["readers"]: sum(v for v in p["rss_mb"].values() if v) for p in res["curve"]}
    if rss:
        r.add(
            "capacity",
            f"  {label} · server RSS at the last level (all replicas)",
            "MB",
            [list(rss.values())[-1]],
            [("value", "<=", 700 * replicas)],
        )
    s = slope(rss)
    if s is not None:
        r.add("capacity", f"  {label} · memory per extra reader (least-squares slope)", "MB", [s], [("value", "<=", 5)])
    broke = res["broke_at"]
    r.note(
        "capacity",
        f"{label}: knee {res['knee']} readers; "
        + (f"p95 broke at {broke} readers" if broke else "the last level still held (the ramp's ceiling, not the server's)")
        + "; levels "
        + ", ".join(
            f"{p['readers']}: p50 {fmt(p['p50_ms'], 'ms')} / p95 {fmt(p['p95_ms'], 'ms')} ms ("
            + ", ".join(f"{k} p95 {fmt(v['p95_ms'], 'ms')} ms n {v['n']}" for k, v in p.get("by_kind", {}).items())
            + "), server CPU "
            + " + ".join(f"{v:.2f}" for v in p["cpu_share"].values())
            + f" cores, clients {p['client_cpu']:.2f} cores"
            for p in res["curve"]
        )
        + f"; {res['duration_s']:.0f} s.",
    )
    for lvl, errs in res["errors"].items():
        r.note("capacity", f"{label}, {lvl} readers: " + "; ".join(errs[:3]))
    r.raw[f"capacity_{replicas}"] = res


def run(b: Bench) -> None:
    window = 10.0 if b.quick else 12.0
    levels = _levels(b.quick)
    with StreamlitServer() as srv:
        srv.start()
        res = asyncio.run(capacity_ramp(srv.url, {"server": srv.pid}, levels, window, PACE_S, LIMIT_MS))
    _report(b, "one process", res, 1)
    # the same process behind nginx serving the static files from disk, as docs/publishing.md sets it up: the
    # date files never reach the Streamlit process (nginx's own CPU counts as the server's)
    exe = nginx_exe()
    if exe is not None:
        with StreamlitServer() as srv:
            srv.start()
            proxy = Nginx(exe, b.tmp / "nginx-capacity-static", (srv.port, srv.port), static=STATIC)
            try:
                pids = {"server": srv.pid, **{f"nginx {i}": pid for i, pid in enumerate(proxy.workers())}}
                res_s = asyncio.run(capacity_ramp(proxy.url, pids, levels, window, PACE_S, LIMIT_MS))
            finally:
                proxy.stop()
        _report(b, "one process behind nginx, static files from disk", res_s, 1)
    # the same readers with every week step a script run (the server-side date bar, EXPLAINER_LIVE_MAP=server):
    # the ratio of the two, measured in one run, is what moving the date into the browser saves the server
    with StreamlitServer({"EXPLAINER_LIVE_MAP": "server"}) as srv:
        srv.start()
        res0 = asyncio.run(capacity_ramp(srv.url, {"server": srv.pid}, levels, window, PACE_S, LIMIT_MS, client_dates=False))
    _report(b, "one process, date moves as script runs (EXPLAINER_LIVE_MAP=server)", res0, 1)
    if b.quick:
        b.r.note("capacity", "--quick: one process only (the two replicas behind nginx run in the full benchmark).")
        return
    if exe is None:
        b.r.add("capacity", "readers served · two replicas behind nginx", "count", [], note="nginx not installed: `make nginx`")
        return
    a, c = StreamlitServer().launch(), StreamlitServer().launch()
    proxy = None
    try:
        a.wait()
        c.wait()
        proxy = Nginx(exe, b.tmp / "nginx-capacity", (a.port, c.port), static=STATIC)
        res2 = asyncio.run(capacity_ramp(proxy.url, {"replica_a": a.pid, "replica_b": c.pid}, levels, window, PACE_S, LIMIT_MS))
    finally:
        if proxy is not None:
            proxy.stop()
        a.stop()
        c.stop()
    _report(b, "two replicas behind nginx", res2, 2)
