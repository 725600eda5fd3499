"""Section `scaleout`: a smoke test of the sticky set-up: browser sessions through nginx in front of two
replicas; every session must stay on one replica, both replicas must get sessions, no errors."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict

from .core import Bench
from .nginx import Nginx
from .probes import StreamlitServer
from .results import nginx_exe
from .sessions import levels, load_run, report_load

NAME = "scaleout"
METHOD = "See the note below the table."


def run(b: Bench) -> None:
    r = b.r
    exe = nginx_exe()
    if exe is None:
        r.add("scaleout", "nginx + 2 replicas", "ms", [], note="nginx not installed: run `make nginx`")
        r.note("scaleout", "not available: nginx is not installed (`make nginx` installs Debian's package)")
        return
    n = 5 if b.quick else 20
    a, c = StreamlitServer().launch(), StreamlitServer().launch()
    proxy = None
    try:
        a.wait()
        c.wait()
        proxy = Nginx(exe, b.tmp / "nginx", (a.port, c.port))
        res = asyncio.run(load_run(proxy.url, n, levels(n), {"replica_a": a.pid, "replica_b": c.pid}))
    finally:
        if proxy is not None:
            proxy.stop()
        a.stop()
        c.stop()
    log = proxy.access_log()
    names = {f"127.0.0.1:{a.port}": "replica A", f"127.0.0.1:{c.port}": "replica B"}
    streams = [x for x in log if x["uri"] == "/_stcore/stream" and not x.get("route", "").startswith("proto-")]
    per_upstream = Counter(names.get(x.get("upstream"), x.get("upstream")) for x in streams if x["status"] == "101")
    by_route: dict[str, set] = defaultdict(set)
    for x in log:
        by_route[x.get("route")].add(x.get("upstream"))
    session_routes = {x.get("route") for x in streams}
    split = [rt for rt in session_routes if len(by_route[rt]) > 1]
    r.note(
        "scaleout",
        f"nginx {exe} (own prefix, foreground child, config from scripts/nginx.conf.tmpl) on "
        f"127.0.0.1:{proxy.port} → replicas 127.0.0.1:{a.port} (A) and 127.0.0.1:{c.port} (B). Stickiness: "
        "`hash $st_route consistent`, where $st_route is the `st_route` cookie, or for a browser without it the "
        "request's random $request_id, which nginx then sets as that cookie; WebSocket upgrade headers "
        "forwarded, Host kept (with port) for Streamlit's origin check. "
        f"{len(streams)} websocket connections from {len(session_routes)} route cookies; per replica: "
        + ", ".join(f"{k} {v}" for k, v in sorted(per_upstream.items()))
        + f"; {len(log)} requests logged. "
        "Consistent hashing of random keys spreads sessions only statistically (a few dozen browsers can split unevenly). "
        "Both replicas share the same 2 cores as nginx and chromium: this run is a smoke test of the sticky "
        "set-up (every browser keeps one replica, both replicas get sessions, no errors); the `capacity` "
        "section measures what the replicas serve.",
    )
    report_load(r, "scaleout", res, {"replica_a": "replica A", "replica_b": "replica B"})
    for label in ("replica A", "replica B"):
        r.add(
            "scaleout",
            f"websocket sessions on {label} (nginx access log)",
            "count",
            [per_upstream.get(label, 0)],
            [("value", ">=", 1)],
        )
    r.add("scaleout", "browser sessions whose requests reached both replicas", "count", [len(split)], [("value", "==", 0)])
    r.raw["scaleout_nginx"] = {
        "streams_per_upstream": dict(per_upstream),
        "routes": len(session_routes),
        "log_lines": len(log),
        "split_routes": split,
    }
