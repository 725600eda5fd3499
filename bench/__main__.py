"""Benchmark: ``python -m bench [--out DIR] [--quick] [--skip a,b]`` (``make bench``).

Writes ``DIR/bench.json`` (every sample, the machine, the notes; git-ignored) and ``DIR/bench.md`` (one
table: metric, min, median, p95, max, n, target, met?, then what each section measures). DIR defaults to
this folder. Sections, in the order they run (the names are what ``--skip`` takes): see ``SECTIONS``.

All traffic stays on 127.0.0.1, every loop is bounded in count and time, and every process the bench
starts (streamlit, http.server, nginx, chromium) is stopped by the bench. It installs nothing: chromium
and nginx come from ``make chromium`` / ``make nginx``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

from explainer.paths import BENCH

from . import browser, capacity, client, export, lighthouse, load, payload, rerun, scaleout, visit
from .core import Bench
from .results import Results, machine, write_reports

MODULES = (load, rerun, payload, visit, export, browser, client, lighthouse, capacity, scaleout)
SECTIONS = tuple(m.NAME for m in MODULES)
RUNNERS = {m.NAME: m.run for m in MODULES}
METHOD = {m.NAME: m.METHOD for m in MODULES}


def run_bench(out: Path, quick: bool = False, skip: set[str] | None = None) -> int:
    """Run every section not skipped, in order; write both reports even when a section fails."""
    import logging

    import streamlit.testing.v1  # noqa: F401  (creates streamlit's loggers first, so the levels below hold)

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
        write_reports(r, mach, time.perf_counter() - t_all, SECTIONS, METHOD)
    unmet = [m for m in r.metrics if m.met() is False]
    print(
        f"wrote {r.out / 'bench.md'} and {r.out / 'bench.json'}: {len(r.metrics)} metrics, "
        f"{len(unmet)} target(s) not met{', some sections FAILED' if failed else ''}"
    )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(BENCH), help="folder for bench.json and bench.md (default: bench/)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions and readers, export without PNGs")
    p.add_argument("--skip", default="", help=f"comma-separated sections to skip: {', '.join(SECTIONS)}")
    p.add_argument("--only", default="", help="comma-separated sections to run (the others are skipped)")
    args = p.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    only = set(filter(None, args.only.split(",")))
    if only:
        unknown = only - set(SECTIONS)
        if unknown:
            print(f"unknown section(s) {', '.join(sorted(unknown))}; sections are: {', '.join(SECTIONS)}", file=sys.stderr)
            return 2
        skip |= set(SECTIONS) - only
    return run_bench(Path(args.out), quick=args.quick, skip=skip)


if __name__ == "__main__":
    sys.exit(main())
