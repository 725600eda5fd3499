"""The live map's date bar and map, drawn in the browser by the static explorer's own script.

One client-side map explorer for both surfaces: the component below runs
``export_assets/embed.js`` (``window.KurskExplorer``, the code the static export's map page runs)
on its own element. A date move fetches one small per-date file and redraws; it does not rerun the
script. The per-date files come from the export's builder (:func:`explainer.export.write_date_files`),
written once per data version, locale, layer choice and map height into a git-ignored folder that
Streamlit's static serving publishes (``server.enableStaticServing``)::

    static/_live/assets/plotly-geo-<v>.min.js      plotly.js's geo bundle (the export's vendored copy)
    static/_live/assets/<module>-<hash>.js         each component's module (:func:`module_url`)
    static/_live/<key>/control/<date>.json         the map's date-dependent traces, title, summary
    static/_live/<key>/svg/<date>.svg              the map pre-rendered for a day (paint first), when ready
    static/_live/<version>-json/<hash>.json        the figures and cards the components draw (:func:`json_url`)

A run sends each component its data with the names of these files, not their bytes: the browser
fetches each file once, and a run that only reports a moved date sends a few KB.

Paint first, as the export does: the map pre-rendered as SVG by the export's kaleido session
(:mod:`explainer.export.images`) shows at once, until plotly.js has loaded and drawn. The server
renders a day's SVG in the background the first time a reader opens the map on that day (the
article's day and the story's are rendered with the date files), so later readers get it.

The map page's area chart is drawn by a second component (:func:`area_chart`) with the same copy of
plotly.js (Streamlit's own chart would load its 4.7 MB plotly bundle as well); the map tells it each
date it draws (a ``kursk-live-date`` event), and its selected-date line and legend follow, as on the
export's area page.

Static serving rather than the component's asset dir: an asset dir is only read from an installed
package's ``pyproject.toml`` at startup, while these files change with every data version.

The date lives in the browser after a move: the component writes it to the URL
(``history.replaceState``) and reports it to the server (``setStateValue("date")``) only when the
server needs it: just before the reader's next click elsewhere in the app (a navigation link, the
language, the share panel, the layers), which the component holds back and replays once the server
has the date, so every other view opens on the moved date.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import queue
import shutil
import sys
import threading
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from .. import figures as F
from .. import i18n, paths
from ..export import PLOTLY_JS, PLOTLY_JS_VERSION, write_date_files
from ..export.assets import ASSETS
from ..export.hashing import short_hash
from ..export.text import TEXT
from ..load import Bundle
from ..queries import nearest_date
from . import state as S
from .charts import PLOTLY_CONFIG, chart_extras
from .session import get_state, report_date
from .text import md
from .widgets import date_marks

LIVE = paths.STATIC / "_live"  # git-ignored; served at app/static/_live/
URL = "app/static/_live"  # relative to the page, like the topojson (a base path keeps working)
KEEP = 24  # per-date folders kept on disk (newest first): open pages of older versions keep working
_lock = threading.Lock()
_building: dict[str, threading.Lock] = {}


def enabled() -> bool:
    """The client-side map explorer, unless ``EXPLAINER_LIVE_MAP=server`` (the date bar rerunning
    the script, as before)."""
    return os.environ.get("EXPLAINER_LIVE_MAP", "client") != "server"


def control_days(bundle: Bundle) -> list[dt.date]:
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    return bundle.dates(control[0]) if control else []


@cache
def _code_version() -> str:
    """The package's code and catalogues, hashed once per process: files written by an older build of
    the builders (same data, other code) are never served after an upgrade."""
    package = Path(__file__).resolve().parents[1]
    parts = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml", ".js", ".css") and p.is_file())
    return short_hash(b"".join(p.relative_to(package).as_posix().encode() + p.read_bytes() for p in parts))[:8]


def files_key(bundle: Bundle, locale: str, layers: tuple[str, ...], height: int) -> str:
    """One folder per data version, code version and everything else the date files depend on."""
    return f"{bundle.version}-{locale}-{short_hash(json.dumps([layers, height, _code_version()]).encode())[:8]}"


@cache
def _plotly_name() -> str:
    """plotly.js's geo bundle copied once beside the date files (static serving cannot reach the package)."""
    name = f"plotly-geo-{PLOTLY_JS_VERSION}.min.js"
    target = LIVE / "assets" / name
    if not target.is_file() or target.stat().st_size != PLOTLY_JS.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(PLOTLY_JS, tmp)
        os.replace(tmp, target)
    return name


def ensure_files(bundle: Bundle, locale: str, layers: tuple[str, ...], height: int) -> str:
    """The per-date files for this data version and view, written on first use (about a second)
    into a temporary folder and then renamed into place, so a reader never fetches a half-written
    file and two processes may race harmlessly. Returns the folder's key."""
    key = files_key(bundle, locale, layers, height)
    folder = LIVE / key
    if (folder / "control").is_dir():
        return key
    with _lock:
        mine = _building.setdefault(key, threading.Lock())
    with mine:
        if (folder / "control").is_dir():
            return key
        tmp = LIVE / f".{key}.{os.getpid()}.{threading.get_ident()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        write_date_files(bundle, i18n.lang_of(locale), tmp, locale=locale, layers=list(layers), height=height)
        (tmp / "svg").mkdir()
        try:
            os.rename(tmp, folder)
        except OSError:  # another process was first (its files are the same), or the folder has SVGs only
            if not (folder / "control").is_dir():
                try:
                    os.rename(tmp / "control", folder / "control")
                except OSError:
                    pass
            shutil.rmtree(tmp, ignore_errors=True)
        _prune()
    return key


_jobs: queue.Queue[tuple[Bundle, str, tuple[str, ...], int, dt.date]] = queue.Queue()
_queued: set[tuple[str, dt.date]] = set()
_worker: list[threading.Thread] = []
_no_kaleido = threading.Event()  # kaleido failed in this process: the map draws without a pre-rendered SVG
SVG_WIDTH = {500: 1120, 360: 360}  # the map box's usual width at each height (wide layout; a phone)


def _svg_path(key: str, day: dt.date) -> Path:
    return LIVE / key / "svg" / f"{day.isoformat()}.svg"


def want_svgs(bundle: Bundle, locale: str, layers: tuple[str, ...], height: int, days: list[dt.date]) -> None:
    """Queue the pre-rendered maps of these days (one background thread, one kaleido session per batch)."""
    key = files_key(bundle, locale, layers, height)
    with _lock:
        if _no_kaleido.is_set():
            return
        for day in days:
            if (key, day) not in _queued and not _svg_path(key, day).is_file():
                _queued.add((key, day))
                _jobs.put((bundle, locale, layers, height, day))
        if not _worker or not _worker[0].is_alive():  # one thread; started on the first request
            _worker[:] = [threading.Thread(target=_render_svgs, name="live-map-svg", daemon=True)]
            _worker[0].start()


def _render_svgs() -> None:
    from ..export.images import _render

    while True:
        batch = [_jobs.get()]
        while not _jobs.empty():
            batch.append(_jobs.get_nowait())
        specs: list[dict[str, Any]] = []
        moves: list[tuple[Path, Path]] = []  # rendered file -> its place, once complete
        for bundle, locale, layers, height, day in batch:
            key = files_key(bundle, locale, layers, height)
            built = F.build_map(bundle, day, locale, list(layers), height)
            fig = built.spec if built.spec is not None else built.figure.to_dict()
            path = _svg_path(key, day)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.svg")
            opts = {"format": "svg", "width": SVG_WIDTH.get(height, 1120), "height": height, "scale": 1}
            specs.append({"fig": fig, "path": tmp, "opts": opts})
            moves.append((tmp, path))
        try:
            errors = asyncio.run(_render(specs))
            for err in errors or ():
                print(f"live map: an SVG failed: {err!r}", file=sys.stderr)
        except Exception as e:  # kaleido needs a local chromium: without it the map just draws later
            print(f"live map: no pre-rendered SVGs in this process ({e!r})", file=sys.stderr)
            _no_kaleido.set()  # no more attempts in this process
        for tmp, path in moves:
            if tmp.is_file():
                os.replace(tmp, path)
        with _lock:
            for bundle, locale, layers, height, day in batch:
                _queued.discard((files_key(bundle, locale, layers, height), day))


def _prune() -> None:
    """Keep the newest KEEP folders of date files."""
    folders = sorted(
        (p for p in LIVE.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != "assets"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in folders[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)


def module_js(*names: str) -> str:
    """A component's module: what the components share (live_common.js: plotly.js loaded once per
    page, one instance per element), then the named scripts of export_assets, in order. Trusted code,
    read from the package."""
    return "\n".join((ASSETS / name).read_text("utf-8") for name in ("live_common.js", *names))


@cache
def _module_name(*names: str) -> tuple[str, str]:
    """The module's file name (named by its content: a new build is a new name) and its text."""
    text = module_js(*names)
    return f"{Path(names[-1]).stem}-{short_hash(text.encode())[:12]}.js", text


def module_url(*names: str) -> str:
    """The component's module (:func:`module_js`) as a static file beside plotly.js, and its URL:
    written once, checked at every run as the date files are (the folder may be deleted)."""
    name, text = _module_name(*names)
    target = LIVE / "assets" / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, target)
    return f"{URL}/assets/{name}"


def loader_js(*names: str) -> str:
    """A component's inline script: it imports the component's module from its static file
    (:func:`module_url`). Streamlit sends a component's inline script with every run that draws it
    (43 KB for the map's, 200 KB a run of /map with its figures); a file's name costs a few bytes,
    and the browser fetches the file once per page. The default export may return a promise of the
    clean-up function: Streamlit awaits it."""
    return (
        f"const SRC = {json.dumps(module_url(*names))};  // relative to the page, like the date files\n"
        "export default async function (component) {\n"
        "  const mod = await import(new URL(SRC, document.baseURI).href);\n"
        "  return mod.default(component);\n"
        "}\n"
    )


MAP_MODULE = ("embed.js", "live_map.js")  # the export's embed.js (window.KurskExplorer), then the component's part
CHART_MODULE = ("live_map.js",)


# The <style> first: the component's own CSS may arrive after its markup, and the map's box, the date line and
# the texts keep their room before the script has filled them (no layout shift; live_map.css has the same).
_HTML = """<style>.st-key-map-explorer-room,[data-testid=stLayoutWrapper]:has(>.st-key-map-explorer-room){display:none!important}.kursk-live-map .chart-box{height:500px}.kursk-live-map .date-head,.kursk-live-map .snapshot-line{min-height:1.5em}
.kursk-live-map .summary{min-height:3em}@media (max-width:640px){.kursk-live-map .chart-box{height:360px}
.kursk-live-map .summary{min-height:6em}}</style>
<div class="kursk-live-map">
<div class="controls" id="controls" role="group">
<div class="date-head"><label class="date-name" for="date-slider"></label>
<output id="date-label" for="date-slider" aria-live="polite"></output></div>
<input type="range" id="date-slider" min="0" max="0" step="1" value="0" disabled>
<div class="date-marks" aria-hidden="true"><div class="date-marks-track"></div>
<div class="date-marks-legend"><span><span class="swatch mark-step"></span><span class="legend-steps"></span></span>
<span><span class="swatch mark-article"></span><span class="legend-article"></span></span></div></div>
<div class="buttons"><button type="button" id="date-back" disabled></button>
<button type="button" id="date-play" aria-pressed="false" disabled></button>
<button type="button" id="date-fwd" disabled></button></div>
</div>
<p class="snapshot-line" aria-live="polite"><strong></strong></p>
<div id="chart-box" class="chart-box" data-view="map" data-state="loading" role="img" aria-describedby="summary">
<div id="chart" class="chart"></div><div class="chart-static"><img alt=""></div></div>
<p id="summary" class="summary"></p>
</div>"""


@cache
def _component() -> Any:
    return st.components.v2.component(
        "kursk_live_map",
        html=_HTML,
        css=(ASSETS / "live_map.css").read_text("utf-8"),
        js=loader_js(*MAP_MODULE),
        isolate_styles=False,  # in the page's DOM: the URL, the app's links and its probes reach it
    )


_CHART_HTML = """<div class="kursk-live-chart">
<div class="chart-box" data-state="loading" role="img"><div class="chart"></div></div>
</div>"""


@cache
def _chart_component() -> Any:
    """A chart drawn with the page's one copy of plotly.js (the map's), not Streamlit's own: the map
    page's area chart, whose selected-date line follows the map's date in the browser."""
    return st.components.v2.component(
        "kursk_live_chart",
        html=_CHART_HTML,
        css=(ASSETS / "live_map.css").read_text("utf-8"),
        js=loader_js(*CHART_MODULE),
        isolate_styles=False,  # in the page's DOM: the app's probes and layout checks reach it
    )


def _plain(view: F.View) -> tuple[dict[str, Any], str, str]:
    """The view's figure as plain JSON values (numbers as plotly's typed arrays, dates as text), that
    JSON as text, and a hash of it, once per cached view."""
    got: tuple[dict[str, Any], str, str] | None = view.__dict__.get("_plain")
    if got is None:  # two sessions may race here: both build the same thing, harmless
        import plotly.io as pio

        text = pio.to_json(view.spec if view.spec is not None else view.figure.to_dict(), validate=False)
        got = (json.loads(text), text, short_hash(text.encode()))
        object.__setattr__(view, "_plain", got)
    assert got is not None
    return got


def _spec_json(view: F.View) -> tuple[str, str]:
    """The map's figure (its spec's data and layout, the values the explorer and its date files use) as
    JSON text and a hash of it, once per cached view."""
    got: tuple[str, str] | None = view.__dict__.get("_spec_json")
    if got is None:
        assert view.spec is not None
        text = json.dumps({"data": view.spec["data"], "layout": view.spec["layout"]}, separators=(",", ":"))
        got = (text, short_hash(text.encode()))
        object.__setattr__(view, "_spec_json", got)
    assert got is not None
    return got


def json_url(version: str, text: str, digest: str) -> str:
    """``text`` as a static file named by its hash, and its URL: a component's data carries the URL of
    its large parts (figures, event cards) and the browser fetches each once. A run then sends a few KB
    where it sent every figure again (about 200 KB per run of /map), and a run that only reports a
    date costs the server little (issue: readers per process).

    Written once per process and name, into a temporary name then renamed (a reader never fetches half
    a file; processes may race harmlessly: the bytes are the same). Checked at every run, as the date
    files are: the folder may be deleted at any time and is then written again. One folder per data
    version, pruned with the date files' folders."""
    folder = LIVE / f"{version}-json"
    path = folder / f"{digest}.json"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{digest}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
    return f"{URL}/{folder.name}/{path.name}"


def read_json_url(url: str) -> Any:
    """What the browser fetches at a component's ``url`` (``app/static/…``), read from disk (tests, the
    benchmark)."""
    return json.loads((paths.STATIC / url.removeprefix("app/static/")).read_text("utf-8"))


def drawn_chart(
    view: F.View,
    version: str,
    lang: str,
    key: str,
    line: dict[str, Any] | None = None,
    date: dt.date | None = None,
    fits: list[tuple[int, F.View]] | None = None,
) -> None:
    """A chart drawn in the browser with the page's one copy of plotly.js (the map's), not Streamlit's
    own chart, which loads its own 4.7 MB plotly bundle. ``line``: the selected-date line that follows
    the map's date (see :func:`area_chart`). ``fits``: the same chart drawn for several widths, each
    with the widest box it suits (px, ascending); the browser draws the one its box's width calls for
    (the casualty chart's labels are placed for a width). The caller prints the text alternative and
    what travels with the chart (charts.chart_extras), as charts.chart does. The figures travel as
    static files (:func:`json_url`, of data ``version``)."""
    tr = i18n.bind(lang)
    fig, text, own = _plain(view)
    rev = own
    layout = fig.get("layout", {})
    variants = []
    for most, v in fits or ():
        vfig, vtext, vrev = _plain(v)
        variants.append(
            {"most": most, "fig": json_url(version, vtext, vrev), "height": int(vfig.get("layout", {}).get("height") or 450)}
        )
        rev += vrev
    module_url(*CHART_MODULE)  # on disk (the component imports it)
    data = {
        "kind": "chart",
        "key": f"{tr.locale}-{key}",
        "rev": rev,
        "plotly": f"{URL}/assets/{_plotly_name()}",
        "fig": json_url(version, text, own),
        "config": PLOTLY_CONFIG,
        "height": int(layout.get("height") or 450),
        "alt": tr("chart_alt", title=view.title),
        "date": date.isoformat() if date else None,
        "line": line,
        "variants": variants,
    }
    if variants:
        data["rev"] = short_hash(rev.encode())
    _chart_component()(key=key, data=data, height="content")


def page_chart(view: F.View, version: str, lang: str, key: str) -> None:
    """A chart with what travels with it (its text alternative, sources line and data table, as
    charts.chart prints them), drawn with the page's one plotly.js: Streamlit's own chart loads its
    4.7 MB plotly bundle (the story's lead chart and map steps did, on the page most readers open)."""
    tr = i18n.bind(lang)
    drawn_chart(view, version, lang, key)
    st.caption(md(view.summary))
    chart_extras(view, tr, key)


def area_chart(bundle: Bundle, state: S.State, view: F.View, key: str) -> bool:
    """The area over time with the state's date as its selected line, drawn in the browser; the line
    moves with the map explorer's date without a script run (the export's area page does the same).
    False when there is no date line to move (the caller then draws the chart with Streamlit)."""
    tr = i18n.bind(state.lang)
    days = control_days(bundle)
    if state.date is None or len(days) < 2 or view.spec is None:
        return False
    base = F.build_area(bundle, tr.locale).figure  # the chart without a selected date (cached)
    line = {
        "shape": len(base.layout.shapes or ()),
        "trace": len(base.data),
        "legend": tr("selected_date_label", date="\0").split("\0"),
        "short": {d.isoformat(): tr.date(d, short=True) for d in days},
    }
    drawn_chart(view, bundle.version, state.lang, key, line, state.date)
    return True


def _marks(bundle: Bundle, days: list[dt.date], tr: i18n.Bound) -> list[dict[str, Any]]:
    """The story's steps and the article's day, placed on the snapshot slider (by snapshot index)."""
    out = []
    last = max(len(days) - 1, 1)
    for kind, day, _, rec in date_marks(bundle):
        i = days.index(nearest_date(days, day))
        tip = tr("date_mark_step", i=rec.step, title=tr.field(rec, "title"), date=tr.date(day)) if kind == "step" else ""
        out.append({"kind": kind, "share": i / last, "title": tip})
    return out


FIXED_PX = 159  # the date bar (133 px) and the snapshot line (26 px)
SUMMARY_CHARS = {"phone": 42, "wide": 100}  # characters per line of the text alternative (a 320 px phone, a 768 px window)
SUMMARY_LINE_PX = 22.4


def map_explorer(
    bundle: Bundle, state: S.State, view: F.View, layers: tuple[str, ...], height: int, snapshot: tuple[str, bool]
) -> bool:
    """The date bar, the map (its pre-rendered SVG first when there is one), the snapshot line and
    the text alternative, drawn in the browser; ``view`` is the map the server built for the
    state's date, ``snapshot`` the snapshot line's text for it and whether it is a warning (no
    snapshot covers that day). False when the data has no dates to move between."""
    tr = i18n.bind(state.lang)
    days = control_days(bundle)
    if state.date is None or len(days) < 2 or view.spec is None:
        return False
    key = ensure_files(bundle, state.lang, layers, height)
    module_url(*MAP_MODULE)  # on disk (the component imports it)
    day = nearest_date(days, state.date)
    meta = view.spec["layout"]["meta"]
    start, count = meta["dated"]
    control = meta["control_layers"][0]
    source = F.source_name(bundle, control, tr.locale)
    svg = _svg_path(key, state.date)
    if not svg.is_file():  # for the next reader of this day; the article's and the story's days too
        want_svgs(bundle, state.lang, layers, height, [state.date, bundle.article.published, *(s.date for s in bundle.story)])
    data = {
        "key": key,
        "files": f"{URL}/{key}/control/",
        "plotly": f"{URL}/assets/{_plotly_name()}",
        "svg": f"{URL}/{key}/svg/{state.date.isoformat()}.svg" if svg.is_file() else None,
        "fig": json_url(bundle.version, *_spec_json(view)),
        "config": PLOTLY_CONFIG,
        # the date bar's label before plotly.js has drawn: the map's own day when it is before the first snapshot
        "day": meta.get("day_label") if meta.get("coverage") == "before" else None,
        "dated": {
            "view": "map",
            "dates": [d.isoformat() for d in days],
            "labels": [tr.date(d) for d in days],
            "index": days.index(day),
            # a snapshot whose own source differs from the layer's (added at the desk): named in its line
            "sources": {
                str(i): s for i, d in enumerate(days) if (s := F.snapshot_source(bundle, control, d, tr.locale)) != source
            },
            "start": start,
            "count": count,
        },
        "date": state.date.isoformat(),
        "height": height,
        "summary": view.summary,
        "snapshot": snapshot[0],
        "warn": snapshot[1],
        "marks": _marks(bundle, days, tr),
        "text": {
            "back": tr("step_back"),
            "fwd": tr("step_forward"),
            "play": tr("play"),
            "pause": tr("pause"),
            "date": tr("date"),
            "controls": TEXT[tr.lang]["controls"],
            "chart": tr("chart_alt", title=view.title),
            "steps": tr("date_marks_steps"),
            "article": tr("date_marks_article", date=tr.date(bundle.article.published)),
            "snapshot": tr("map_snapshot", source=source, date="\0").split("\0"),
            "snapshot_of": tr("map_snapshot", source="\1", date="\0"),
        },
    }

    def reported() -> None:
        _apply(st.session_state.get("map_explorer"))

    result = _component()(key="map_explorer", data=data, height="content", on_date_change=reported)
    # The component's markup arrives with its script, after the rest of the page: an empty box of its
    # height holds its room from the first paint (a Streamlit container, drawn with the page's first
    # elements), and the component's own first style hides the box as its markup comes in, so what
    # follows never jumps down (Lighthouse's layout shift). The date bar and snapshot line have a fixed
    # height; the text alternative's lines are estimated from its length.
    per_line = SUMMARY_CHARS["phone" if height < 400 else "wide"]
    room = FIXED_PX + height + -(-len(view.summary) // per_line) * SUMMARY_LINE_PX
    st.container(key="map-explorer-room", height=int(room), border=False)
    # A new server session (after a restart) has not registered the callback yet when the page's
    # first report arrives: apply it from the component's value, then run again with it.
    if _apply(result):
        st.rerun()
    return True


def _apply(value: Any) -> bool:
    """The date the component reported, into the shared state (and the URL), if it is a new one."""
    iso = getattr(value, "date", None) if value is not None else None
    if not isinstance(iso, str):
        return False
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return False
    if day == get_state().date:
        return False
    report_date(day)
    return True
