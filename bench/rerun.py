"""Section `rerun`: server-side warm reruns of each page through AppTest, and map date moves."""

from __future__ import annotations

import time

from .core import VIEWS, Bench, apptest, check, control_dates, query_param, start_date

NAME = "rerun"
METHOD = (
    "Server side only, in-process with `streamlit.testing.v1.AppTest` on app.py with `?view=<page>`: "
    "one run to warm up, then N timed `at.run()`. A run includes the script (data-store check, state, "
    "cached figure lookup, widgets), Streamlit's element serialisation (notably `plotly.io.to_json` of "
    "each figure on every rerun) and AppTest's own parsing of the delta messages; it excludes the network, "
    "the websocket and the browser. Date moves click the week buttons (`map_date_fwd` / `map_date_back`) "
    "and rerun."
)


def run(b: Bench) -> None:
    r = b.r
    n = 8 if b.quick else 30
    first = {}
    for view in VIEWS:
        at = apptest({"view": view})
        t0 = time.perf_counter()
        at.run()
        first[view] = 1000 * (time.perf_counter() - t0)
        check(at, view)
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            at.run()
            times.append(1000 * (time.perf_counter() - t0))
        check(at, view)
        r.add("rerun", f"warm rerun · {view}", "ms", times, [("p50", "<=", 80), ("p95", "<=", 150)])
    r.raw["rerun_first_run_ms"] = first
    r.note(
        "rerun",
        "First run of each page in this process (figures built, AppTest set up): "
        + ", ".join(f"{v} {ms:.0f} ms" for v, ms in first.items())
        + ".",
    )

    moves = 6 if b.quick else 20
    start = start_date(control_dates(), moves)
    at = apptest({"view": "map", "date": start.isoformat()})
    at.run()
    check(at, "map")
    fwd, back, seen = [], [], [query_param(at, "date")]
    for key, out in (("map_date_fwd", fwd), ("map_date_back", back)):
        for _ in range(moves):
            btn = at.button(key=key)
            t0 = time.perf_counter()
            btn.click().run()
            out.append(1000 * (time.perf_counter() - t0))
            check(at, key)
            seen.append(query_param(at, "date"))
    if len(set(seen[: moves + 1])) != moves + 1:
        raise RuntimeError(f"the week buttons did not move the date: {seen}")
    r.add("rerun", "map date move (1 week ▶), new date: map + area figures built", "ms", fwd, [("p95", "<=", 100)])
    r.add("rerun", "map date move (◀ 1 week), date seen before: figures cached", "ms", back, [("p95", "<=", 100)])
    r.note(
        "rerun",
        f"Date moves: {moves} clicks on the week buttons from {start} forward, then back "
        f"({seen[0]} → {seen[moves]} → {seen[-1]}).",
    )
    _rerun_breakdown(b)


def _rerun_breakdown(b: Bench) -> None:
    """What a rerun pays even when nothing changed: st.plotly_chart turns the figure into a dict and
    serialises it on every rerun. Timed for a plain figure and for the app's cached form."""
    import plotly
    import plotly.io as pio

    from explainer import figures as F
    from explainer.store import default_dirs, get_store
    from explainer.ui.charts import sendable
    from explainer.ui.state import default_date

    r = b.r
    data, geo = default_dirs()
    n = 5 if b.quick else 15
    bundle = get_store(data, geo).get().bundle
    day = default_date(bundle)
    views = {
        "map": F.build_map(bundle, day, "fr-CH"),
        "area": F.build_area(bundle, "fr-CH", day),
        "casualties": F.build_casualties(bundle, "fr-CH", (), (), day),
        "timeline": F.build_timeline(bundle, "fr-CH", day, ()),
    }
    for name, view in views.items():
        for label, fig in (("plain figure", view.figure), ("as the app sends it", sendable(view))):
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
    r.note(
        "rerun",
        "The `per-rerun cost` rows time, outside Streamlit, what `st.plotly_chart` does on every rerun "
        "with a figure that is already cached "
        "(`plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)`, i.e. `fig.to_dict()`, "
        "then `plotly.io.to_json`), for the default date in fr-CH: once with a plain plotly figure (a deep copy "
        "per call) and once with the figure as `explainer.ui.charts.sendable` hands it over (its dict made "
        "once per process). The /map page draws two figures (map + area).",
    )
