"""Section `load`: cold `load_bundle` in a fresh process, and the store's warm `DataStore.get()`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

from explainer.paths import ROOT

from .core import Bench

NAME = "load"
METHOD = (
    "Cold: a fresh `python -c` process imports `explainer.load` and calls `load_bundle(data, geo)` on the "
    "bundled files; `load_bundle` alone is timed inside the process, the whole process (interpreter start, "
    "imports, load, exit) from outside. Warm: `DataStore.get()` on unchanged files, which `stat`s each "
    "watched file (the list is re-read only when geo/manifest.yaml changes) and returns the cached snapshot."
)


COLD_LOAD = r"""
import json, sys, time
t0 = time.perf_counter()
from explainer.load import load_bundle
t1 = time.perf_counter()
b = load_bundle(sys.argv[1], sys.argv[2])
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "claims": len(b.claims)}))
"""


def run(b: Bench) -> None:
    from explainer.store import DataStore, default_dirs

    r = b.r
    data, geo = default_dirs()
    reps = 3 if b.quick else 7
    load_ms, proc_s, imp_s = [], [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        p = subprocess.run(
            [sys.executable, "-c", COLD_LOAD, str(data), str(geo)], cwd=ROOT, capture_output=True, text=True, timeout=180
        )
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
    r.note(
        "load",
        f"Data: {len(snap.bundle.claims)} claims, {len(snap.bundle.events)} events, "
        f"{sum(len(v) for v in snap.bundle.control.values())} dated control snapshots; "
        f"cold runs: {reps}, warm get() calls: {n}.",
    )
