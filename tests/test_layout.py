"""The graphics desk's layout rules over every chart of every view, live and static, at four widths
and in both language families: no text over text, no text cut by its chart or the window, no label
over a date line or over a mark that is not its own, no map label crossed by a line, no inset over
the map's data. The rules are read from what the browser drew (bench/layout_probe.js).

Defects still open are listed in KNOWN by chart and rule, each with what a reader sees; any other
violation fails. A listed defect that no longer occurs anywhere is reported as a warning (remove it
from KNOWN): some occur only at one width and date, so its absence from one run proves no fix. Phones are emulated with a phone's user agent (the app draws phone layouts for it).
"""

from __future__ import annotations

import json
import warnings
from collections import defaultdict

import pytest
from conftest import run_root
from test_export import serve, site  # noqa: F401  (module fixtures: one export, served over http)

from bench.probes import IDLE, LAYOUT_JS, STATIC_DRAWN_JS, scaled_ms
from explainer.ui.registry import view_ids

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 768, 1280)
LOCALES = {"fr-CH": "fr", "en": "en"}  # the two language families (fr-FR differs from fr-CH only in number style)
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
PHONE_MAX = 500  # px: narrower windows are phones (user agent with "Mobi"), as a reader's would be

# Defects still open, by (chart, rule): what a reader sees. Remove an entry when its fix lands.
KNOWN: dict[tuple[str, str], str] = {}

# In-page: every chart the run put on the page is drawn, and its labels have not moved for a few frames.
STABLE_JS = """(lang) => {
  if (!(IDLE)() || document.documentElement.lang !== lang || !document.querySelector('h1')) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (plots.length < document.querySelectorAll('[data-testid=stPlotlyChart]').length) return false;
  if (plots.some(gd => !gd._fullLayout || !gd.querySelector('.main-svg'))) return false;
  // the live map explorer paints its SVG first, then plotly's chart: wait for the chart
  if ([...document.querySelectorAll('#chart-box')].some(b => b.dataset.state !== 'interactive')) return false;
  // ...and a chart drawn by the app's chart component (the casualty and area charts)
  if ([...document.querySelectorAll('.kursk-live-chart .chart-box')].some(b => b.dataset.state !== 'interactive')) return false;
  const sig = plots.map(gd => [...gd.querySelectorAll('svg text')].map(t => {
    const r = t.getBoundingClientRect(); return [r.left | 0, r.top | 0, r.width | 0].join(','); }).join(';')).join('|');
  window.__layoutStable = window.__layoutSig === sig ? (window.__layoutStable || 0) + 1 : 0;
  window.__layoutSig = sig;
  return window.__layoutStable >= 15;
}""".replace("IDLE", IDLE)


def _page(browser, width: int):
    phone = {"user_agent": PHONE_UA} if width < PHONE_MAX else {}
    ctx = browser.new_context(viewport={"width": width, "height": 2400}, **phone)
    return ctx, ctx.new_page()


def _warn_gone(tmp_path_factory, kind: str, width: int, found: dict[tuple[str, str], list[str]]) -> None:
    """Each width is its own test (they run in parallel); the last width of a run to finish warns about
    a KNOWN entry of ``kind`` (live or static) that no width saw."""
    folder = run_root(tmp_path_factory) / f"layout-{kind}"
    folder.mkdir(exist_ok=True)
    (folder / f"{width}.json").write_text(json.dumps([list(k) for k in found]), "utf-8")
    widths = list(folder.glob("*.json"))
    if len(widths) < len(WIDTHS):
        return
    seen = {tuple(k) for f in widths for k in json.loads(f.read_text("utf-8"))}
    gone = [k for k in KNOWN if k not in seen and k[0].startswith("static ") == (kind == "static")]
    if gone:
        warnings.warn(f"not seen at any width in this run, remove from KNOWN if fixed: {gone}", stacklevel=2)


def _check(found: dict[tuple[str, str], list[str]]) -> list[tuple[str, str]]:
    new = {k: v for k, v in found.items() if k not in KNOWN}
    gone = [k for k in KNOWN if k not in found]
    report = "\n".join(f"{chart} · {rule}: {', '.join(sorted(set(where))[:6])}" for (chart, rule), where in sorted(new.items()))
    assert not new, "layout rules broken:\n" + report
    return gone


def _collect(page, found, where: str, chart: str | None = None) -> None:
    for v in page.evaluate(LAYOUT_JS, None):
        found[(chart or v["chart"], v["rule"])].append(f"{where} {v['a']!r}" + (f" / {v['b']!r}" if v.get("b") else ""))


@pytest.mark.parametrize("width", WIDTHS)
def test_live_views_keep_the_layout_rules(width, browser, server, artifacts, tmp_path_factory, bundle):
    from explainer.ui.story import step_graphic

    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    # the story opens on a step told with the map: its first step told with the casualty chart too
    cas = next((k for k, s in enumerate(bundle.story, 1) if step_graphic(bundle, s) == "casualties"), None)
    visits = [(view, "") for view in view_ids()] + ([("story", f"&step={cas}")] if cas else [])
    for locale in LOCALES:
        for view, extra in visits:
            # a fresh context per view: Streamlit may resume a tab's session, carrying the date over
            ctx, page = _page(browser, width)
            try:
                page.goto(f"{server.url}/{'' if view == 'story' else view}?lang={locale}{extra}")
                page.wait_for_function(STABLE_JS, arg=locale, polling="raf", timeout=scaled_ms(120_000))
                _collect(page, found, f"{view}{extra.replace('&', '?')}@{width}/{locale}")
            finally:
                ctx.close()
    (artifacts / f"layout-live-{width}.json").write_text(
        json.dumps({" · ".join(k): v for k, v in found.items()}, indent=1), "utf-8"
    )
    _check(found)
    _warn_gone(tmp_path_factory, "live", width, found)


@pytest.mark.parametrize("width", WIDTHS)
def test_static_pages_keep_the_layout_rules(width, browser, site, serve, artifacts, tmp_path_factory):  # noqa: F811
    out, manifest, *_ = site
    base = serve(out)
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    # v/<version>/<lang>/<view>.html; the story and sources pages draw their charts as SVG pictures
    # (no plotly in the page) from the builders and sizes the live story uses, checked there
    pages = [p["html"] for p in manifest["pages"] if p["view"] not in ("story", "sources")]
    ctx, page = _page(browser, width)
    try:
        for html in pages:
            page.goto(f"{base}/{html}")
            page.wait_for_function(STATIC_DRAWN_JS, polling="raf", timeout=scaled_ms(120_000))
            page.wait_for_selector(
                "[data-state=interactive] .js-plotly-plot .main-svg, #chart .main-svg", timeout=scaled_ms(120_000)
            )
            view = page.get_attribute("#chart-box", "data-view")  # map pages per date are one view
            _collect(page, found, f"{html}@{width}", chart=f"static {view}")
    finally:
        ctx.close()
    (artifacts / f"layout-static-{width}.json").write_text(
        json.dumps({" · ".join(k): v for k, v in found.items()}, indent=1), "utf-8"
    )
    _check(found)
    _warn_gone(tmp_path_factory, "static", width, found)
