"""Protocol-level readers: asyncio clients that speak Streamlit's websocket protocol directly (no browser,
no rendering), so that a run measures the server and not the machine's browsers.

A reader opens ``/_stcore/stream``, runs the page once (its page load), then every ``pace`` seconds does
the next step of the same plan as the browser sessions (week forward/back, language, view change). A
language or view change is a ``rerun_script`` BackMsg with the step's query string, timed until the
server's ``script_finished`` message; it reports the hashes of the large messages the reader holds, as a
browser's message cache does (:class:`MessageCache`). A week step is what the map explorer does (explainer/ui/live_map.py):
one GET of the date's file from the server's static files, no script run; the first server step after
date moves is preceded by the run in which the explorer reports the moved date (``client_dates=False``:
every step a rerun, as the server-side date bar did). ``capacity_ramp`` adds readers level by level until the p95 of one level's
interactions breaks the limit: the last level that held is the knee.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import time
from urllib.parse import urlencode

from .core import control_dates, start_date
from .probes import rss_mb
from .sessions import PLAN


class MessageCache:
    """What a browser's message cache does (Streamlit's frontend, ``ForwardMsgCache``): it keeps the large
    element messages it received (the server marks them ``cacheable``) and reports their hashes with each
    rerun, so that the server sends an unchanged one as a reference; a message not used for
    ``max_age`` finished runs (the server's ``global.maxCachedMessageAge``, 2) is dropped."""

    def __init__(self, max_age: int = 2):
        self.max_age = max_age
        self.age: dict[str, int] = {}  # hash -> finished runs since it was last used

    def hashes(self) -> list[str]:
        return sorted(self.age)

    def used(self, h: str) -> None:
        self.age[h] = 0

    def finished(self) -> None:
        self.age = {h: a + 1 for h, a in self.age.items() if a + 1 <= self.max_age}


async def rerun(ws, qs: str, cache: MessageCache | None = None) -> tuple[float, int, int]:
    """One rerun with query string `qs`: (ms until script_finished, bytes received, exceptions shown).
    With ``cache``, the rerun reports the hashes of the messages it holds, as a browser does."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = qs
    msg.rerun_script.page_script_hash = ""
    if cache is not None:
        msg.rerun_script.cached_message_hashes.extend(cache.hashes())
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    nbytes = exc = 0
    while True:
        data = await asyncio.wait_for(ws.recv(), 60)
        nbytes += len(data)
        fm = ForwardMsg.FromString(data)
        kind = fm.WhichOneof("type")
        if cache is not None:
            if kind == "ref_hash":
                cache.used(fm.ref_hash)
            elif fm.metadata.cacheable:
                cache.used(fm.hash)
        if (
            kind == "delta"
            and fm.delta.WhichOneof("type") == "new_element"
            and fm.delta.new_element.WhichOneof("type") == "exception"
        ):
            exc += 1
        if kind == "script_finished":
            if cache is not None:
                cache.finished()
            return 1000 * (time.perf_counter() - t0), nbytes, exc


async def fetch(base: str, path: str, cookie: str) -> tuple[float, int]:
    """One HTTP GET of ``path`` on a fresh connection, as the map explorer fetches a date's file: (ms until
    the whole response has arrived, bytes received). Raises on a status other than 200."""
    from urllib.parse import urlsplit

    u = urlsplit(base)
    t0 = time.perf_counter()
    reader, writer = await asyncio.wait_for(asyncio.open_connection(u.hostname, u.port), 60)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {u.netloc}\r\nCookie: {cookie}\r\nAccept-Encoding: gzip\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), 60)
    finally:
        writer.close()
    status = data.split(b" ", 2)[1:2]
    if status != [b"200"]:
        raise RuntimeError(f"GET {path}: {data[:40]!r}")
    return 1000 * (time.perf_counter() - t0), len(data)


def date_files(lang: str) -> str:
    """Where the map explorer of a reader in ``lang`` fetches its date files (a wide screen, the default
    layers): ``/app/static/_live/<key>/control/``, the key as the app computes it."""
    from explainer import figures as F
    from explainer.load import load_bundle
    from explainer.store import default_dirs
    from explainer.ui.charts import MAP_HEIGHT
    from explainer.ui.live_map import URL, files_key

    bundle = load_bundle(*default_dirs())
    return f"/{URL}/{files_key(bundle, lang, tuple(F.default_layers(bundle)), MAP_HEIGHT['full'])}/control/"


class Reader:
    """One reader's state (view, date, language) walking the plan, as query strings."""

    def __init__(self, idx: int, dates: list[dt.date], start: dt.date):
        from explainer.figures import nearest_date

        self.idx, self.dates, self.nearest = idx, dates, nearest_date
        self.day, self.lang, self.view = start, "fr-CH", "map"
        self.step_no = 0
        self.kind = ""  # the kind of the last step: date, lang or nav
        self.moved = False  # the date moved in the browser since the server last ran

    def qs(self) -> str:
        return urlencode(
            {"view": self.view, "date": self.day.isoformat(), **({"lang": self.lang} if self.lang != "fr-CH" else {})}
        )

    def next(self) -> str:
        kind, arg = PLAN[self.step_no % len(PLAN)]
        self.step_no += 1
        self.kind = kind
        if kind == "date":
            self.day = self.nearest(self.dates, min(max(self.day + dt.timedelta(days=arg), self.dates[0]), self.dates[-1]))
        elif kind == "lang":
            self.lang = arg
        else:
            self.view = arg
        return self.qs()


def p95(values: list[float]) -> float | None:
    from .results import pct

    return pct(values, 95) if values else None


async def capacity_ramp(
    base: str,
    pids: dict[str, int],
    levels: list[int],
    window_s: float,
    pace_s: float = 5.0,
    limit_ms: float = 500.0,
    seed: int = 13,
    confirm: bool = True,
    client_dates: bool = True,
) -> dict:
    """Readers at one interaction every `pace_s` seconds each, added level by level (readers stay connected);
    each level is measured over `window_s` seconds once its new readers have loaded their page (and over a
    second window when the first one breaks, with `confirm`). Stops at the first level whose p95 exceeds
    `limit_ms` or that has errors, or after the last level."""
    from websockets.asyncio.client import connect

    dates = control_dates()
    starts = dates[dates.index(start_date(dates, 3)) :]
    uri = base.replace("http://", "ws://") + "/_stcore/stream"
    files = {lang: date_files(lang) for lang in ("fr-CH", "en")} if client_dates else {}
    measuring: dict = {"level": None}
    kinds: dict[int, dict[str, list[float]]] = {}
    lat: dict[int, list[float]] = {}
    kb: dict[int, list[float]] = {}
    errors: dict[int, list[str]] = {}
    ready: dict[int, asyncio.Event] = {}
    stop = asyncio.Event()

    async def reader(idx: int, level: int) -> None:
        rng = random.Random(seed * 10_000 + idx)
        r = Reader(idx, dates, starts[(idx * 7) % len(starts)])
        headers = {"Cookie": f"st_route=proto-{idx}-{rng.getrandbits(48):x}"}  # sticky behind nginx
        try:
            await asyncio.sleep(rng.uniform(0, pace_s))  # readers arrive spread over one pace period
            async with connect(
                uri, subprotocols=["streamlit"], max_size=2**26, open_timeout=60, additional_headers=headers
            ) as ws:
                cache = MessageCache()  # the browser's: unchanged large elements come as references
                await rerun(ws, r.qs(), cache)  # the page load
                ready[idx].set()
                while not stop.is_set():
                    try:  # the reader's pause: one interaction every pace_s seconds (±20 %)
                        await asyncio.wait_for(stop.wait(), pace_s * rng.uniform(0.8, 1.2))
                        return
                    except TimeoutError:
                        pass
                    lvl = measuring["level"]
                    report = r.qs() if r.moved and PLAN[r.step_no % len(PLAN)][0] != "date" else None
                    qs = r.next()
                    steps: list[tuple[str, float, int, int]] = []
                    if client_dates and r.kind == "date":
                        # the map explorer fetches the date's file from the server's static files: no script run
                        ms, nbytes = await fetch(base, files[r.lang] + r.day.isoformat() + ".json", headers["Cookie"])
                        r.moved = True
                        steps.append(("date file", ms, nbytes, 0))
                    else:
                        if report is not None:  # the explorer reports the moved date as the reader heads for the next control
                            ms, nbytes, exc = await rerun(ws, report, cache)
                            steps.append(("date report", ms, nbytes, exc))
                            r.moved = False
                        ms, nbytes, exc = await rerun(ws, qs, cache)
                        steps.append((r.kind, ms, nbytes, exc))
                    if lvl is not None and measuring["level"] == lvl:
                        for kind, ms, nbytes, exc in steps:
                            lat[lvl].append(ms)
                            kb[lvl].append(nbytes / 1000)
                            kinds.setdefault(lvl, {}).setdefault(kind, []).append(ms)
                            if exc:
                                errors[lvl].append(f"reader {idx}: exception shown")
        except Exception as e:  # a timeout or a dropped connection is a result of the run, not a bench failure
            lvl = measuring["level"] or level
            errors.setdefault(lvl, []).append(f"reader {idx}: {type(e).__name__}: {str(e)[:120]}")
            ready[idx].set()

    tasks: list[asyncio.Task] = []
    curve: list[dict] = []
    t_all = time.monotonic()
    try:
        for level in levels:
            for idx in range(len(tasks), level):
                ready[idx] = asyncio.Event()
                tasks.append(asyncio.create_task(reader(idx, level)))
            try:
                await asyncio.wait_for(asyncio.gather(*(ready[i].wait() for i in range(level))), 120)
            except TimeoutError:
                errors.setdefault(level, []).append("readers did not all load their page within 120 s")
            lat[level], kb[level] = [], []
            errors.setdefault(level, [])
            cpu0 = {name: _cpu(pid) for name, pid in pids.items()}
            me0 = _cpu(os.getpid())
            measuring["level"] = level
            t0 = time.monotonic()
            await asyncio.sleep(window_s)  # the measurement window: readers keep their own pace meanwhile
            windows = 1
            # a level that seems to break gets a second window, and the verdict uses both: one burst of
            # the machine's other work must not end the ramp (bounded: at most two windows per level)
            if not _holds(lat[level], errors[level], limit_ms) and confirm:
                await asyncio.sleep(window_s)
                windows = 2
            measuring["level"] = None
            secs = time.monotonic() - t0
            point = {
                "readers": level,
                "p50_ms": _median(lat[level]),
                "p95_ms": p95(lat[level]),
                "n": len(lat[level]),
                "per_s": len(lat[level]) / secs,
                "errors": len(errors[level]),
                "windows": windows,
                "kb_per_rerun": _median(kb[level]),
                "by_kind": {k: {"n": len(v), "p95_ms": p95(v)} for k, v in kinds.get(level, {}).items()},
                "rss_mb": {name: rss_mb(pid) for name, pid in pids.items()},
                "cpu_share": {name: (_cpu(pid) - cpu0[name]) / secs for name, pid in pids.items()},
                "client_cpu": (_cpu(os.getpid()) - me0) / secs,
            }
            curve.append(point)
            if not _holds(lat[level], errors[level], limit_ms):
                break
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 120)
    held = [p for p in curve if p["p95_ms"] is not None and p["p95_ms"] <= limit_ms and not p["errors"]]
    broke = next((p for p in curve if p not in held), None)
    return {
        "curve": curve,
        "knee": held[-1]["readers"] if held else 0,
        "broke_at": broke["readers"] if broke else None,
        "limit_ms": limit_ms,
        "pace_s": pace_s,
        "window_s": window_s,
        "duration_s": time.monotonic() - t_all,
        "errors": {k: v[:5] for k, v in errors.items() if v},
    }


def _holds(latencies: list[float], errors: list[str], limit_ms: float) -> bool:
    q = p95(latencies)
    return q is not None and q <= limit_ms and not errors


def _median(values: list[float]) -> float | None:
    import statistics

    return statistics.median(values) if values else None


def _cpu(pid: int) -> float:
    import psutil

    try:
        t = psutil.Process(pid).cpu_times()
        return t.user + t.system
    except psutil.Error:
        return 0.0
