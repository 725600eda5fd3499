"""Section `lighthouse`: Lighthouse's mobile performance score of the live `/map`, of Streamlit's own floor (a
bare page with the same map figure) and of the static export's map page, side by side in one run.

Lighthouse is a Node package, not part of the project: install it once with
``npm install --prefix ~/.cache/kursk-lighthouse lighthouse`` and point ``LIGHTHOUSE`` at
``~/.cache/kursk-lighthouse/node_modules/.bin/lighthouse`` (or put ``lighthouse`` on ``PATH``). It drives
Debian's ``/usr/bin/chromium`` headless (``CHROME_PATH``); the benchmark installs nothing, and without it
the rows say what is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from explainer.paths import STATIC

from .core import LATEST, Bench
from .floors import bare_streamlit
from .nginx import Nginx
from .probes import CHROMIUM, StaticServer
from .results import nginx_exe

NAME = "lighthouse"
TARGET = 60.0  # live /map, mobile performance (issue 21)
METHOD = (
    "Lighthouse (`lighthouse <url> --only-categories=performance`, its default mobile settings: a Moto G "
    "class screen, simulated slow 4G and a 4× CPU slowdown) against Debian chromium headless, one cold run "
    "per page and repetition, each page in turn; the table gives the performance score (0–100) and the "
    "largest contentful paint, total blocking time and bytes Lighthouse reports. Simulated throttling "
    "scales what it observed on this shared 2-core machine, so the scores are pessimistic here."
)
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"


def lighthouse_exe() -> str | None:
    """``$LIGHTHOUSE``, else ``lighthouse`` on PATH."""
    exe = os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")
    return exe if exe and Path(exe).exists() else None


def audit(exe: str, url: str, out: Path, timeout: float = 600) -> dict:
    """One Lighthouse run: its JSON report (raises with Lighthouse's own message when it fails)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        exe,
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
        "--max-wait-for-load=90000",
    ]
    p = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse exited {p.returncode}: {(p.stderr or p.stdout).strip()[-400:]}")
    report: dict = json.loads(out.read_text("utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {report['runtimeError'].get('message')}")
    return report


def _num(report: dict, audit_id: str) -> float | None:
    v = report.get("audits", {}).get(audit_id, {}).get("numericValue")
    return float(v) if v is not None else None


def run(b: Bench) -> None:
    r = b.r
    exe = lighthouse_exe()
    if exe is None:
        r.add(
            NAME, "Lighthouse mobile performance · live /map", "score", [], note="Lighthouse not installed: see bench/README.md"
        )
        r.note(NAME, "Lighthouse not found: set LIGHTHOUSE or put `lighthouse` on PATH (bench/lighthouse.py says how).")
        return
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    srv = b.server()
    bare = bare_streamlit(b.tmp / "bare-streamlit-lighthouse")
    out, _, msg = b.export()
    static = StaticServer(out, "/index.html") if out is not None else None
    exe_nginx = nginx_exe()
    proxies = (
        [
            Nginx(exe_nginx, b.tmp / "nginx-lh-app", (srv.port, srv.port), static=STATIC),
            Nginx(exe_nginx, b.tmp / "nginx-lh-bare", (bare.port, bare.port)),
        ]
        if exe_nginx
        else []
    )
    pages = [
        ("live /map", srv.url + "/map", not proxies),
        ("bare Streamlit page, same map (Streamlit's floor)", bare.url + "/", False),
    ]
    if proxies:  # as docs/publishing.md tells a newsroom to serve the app: behind a proxy that compresses
        if b.quick:  # --quick: only as served in production
            pages = []
        pages += [
            ("live /map behind nginx with gzip", proxies[0].url + "/map", True),
            ("bare Streamlit page behind nginx with gzip (Streamlit's floor)", proxies[1].url + "/", False),
        ]
    if static is not None:
        pages.append(("static export map page", f"{static.url}/{LATEST}/fr/map.html", False))
    else:
        r.note(NAME, f"Static export {msg}: its page was not audited.")
    reps = 3
    scores: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    lcp: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    tbt: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    weight: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    failures: list[str] = []
    try:
        for i in range(reps):
            for label, url, _ in pages:
                rep = None
                for attempt in range(2):  # a protocol timeout on the busy machine gets one more try
                    try:
                        rep = audit(exe, url, b.tmp / "lighthouse" / f"{i}-{attempt}-{abs(hash(label))}.json")
                        break
                    except Exception as e:  # a failed audit is a result, not the end of the section
                        failures.append(f"{label} (try {attempt + 1}): {e}")
                if rep is None:
                    continue
                score = rep["categories"]["performance"]["score"]
                if score is not None:
                    scores[label].append(100 * float(score))
                measures = (
                    (lcp, "largest-contentful-paint", 1000),
                    (tbt, "total-blocking-time", 1),
                    (weight, "total-byte-weight", 1000),
                )
                for store, key, scale in measures:
                    v = _num(rep, key)
                    if v is not None:
                        store[label].append(v / scale)
    finally:
        for p in proxies:
            p.stop()
        bare.stop()
        if static is not None:
            static.stop()
    for label, _, target in pages:
        r.add(
            NAME, f"Lighthouse mobile performance · {label}", "score", scores[label], [("median", ">=", TARGET)] if target else []
        )
        r.add(NAME, f"  largest contentful paint (simulated mobile) · {label}", "s", lcp[label])
        r.add(NAME, f"  total blocking time (simulated mobile) · {label}", "ms", tbt[label])
        r.add(NAME, f"  total byte weight (Lighthouse) · {label}", "KB", weight[label])
    r.note(NAME, f"Lighthouse {version}, chromium {CHROMIUM}.")
    for f in failures:
        r.note(NAME, f"FAILED audit: {f}")
