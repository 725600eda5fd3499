"""Faults a newsroom will meet: broken, missing and corrupted files under an open page, a server
restart, and hostile text in every data field and query parameter.

Every test starts its own ``streamlit run`` (the conftest ``Server``) on a private copy of
``data/`` and ``geo/``; checks are grouped so that the whole file needs four server starts.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import yaml
from conftest import DATA, FWD, GEO, Server, locale_option, moving_start, press_after_move, scaled_ms, week
from pydantic import ValidationError

from bench.probes import CHART, IDLE, MAP_DRAWN_COUNT, SNAPSHOT_JS, wait_idle
from explainer import model as m
from explainer.i18n import t
from explainer.load import ARTICLE_FILE, DATA_FILES, MANIFEST_FILE, DataError, load_bundle
from explainer.ui.registry import view_ids

pytestmark = pytest.mark.browser
T = scaled_ms(60_000)  # ms; a rerun on a busy 2-core machine can take seconds

CHART_JS = "(sel) => document.querySelector(sel + ' .js-plotly-plot')"
MAP = CHART["map"]  # the map explorer (explainer/ui/live_map.py): a date move runs no script
MAP_DRAWN = f"() => ({MAP_DRAWN_COUNT})('{MAP}')"
SNAPSHOT = f"() => ({SNAPSHOT_JS})('{MAP}')"
CONTROL_TRACES = f"""() => {{ const gd = ({CHART_JS})('{MAP}');
  return gd && gd.data ? gd.data.filter(t => t.type === 'choropleth' && t.showlegend).length : 0; }}"""
BANNER = ".st-key-data-problems"


EDITOR_KEY = "faults-editor-key"  # the banner lists the problems for editors only


def env_for(data: Path, geo: Path) -> dict:
    return {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo), "EXPLAINER_EDITOR_KEY": EDITOR_KEY}


@pytest.fixture
def browser_page(browser):
    """A fresh context and page, watched for dialogs, page errors and every request's host."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1800})
    page = ctx.new_page()
    page.set_default_timeout(T)
    log = {"dialogs": [], "errors": [], "hosts": set(), "requests": []}

    def on_dialog(d):
        log["dialogs"].append(f"{d.type}: {d.message}")
        d.dismiss()

    def on_request(r):
        if r.url.startswith(("http:", "https:", "ws:", "wss:")):
            log["hosts"].add(urlparse(r.url).netloc)
            log["requests"].append(r.url)

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", on_request)
    page.on("websocket", lambda ws: log["hosts"].add(urlparse(ws.url).netloc))
    yield page, log
    ctx.close()


def settle(page):
    """The app has finished its run (Streamlit's run state on the root element)."""
    wait_idle(page)


def banner_text(page) -> str:
    return page.locator(BANNER).inner_text()


# --------------------------------------------------------------------------- broken / missing / corrupt files


def test_broken_missing_and_corrupt_files_keep_last_valid_data_in_service(data_copy, browser_page, dates):
    data, geo = data_copy
    page, log = browser_page
    d0 = moving_start(dates, 2)
    d1, d2 = week(dates, d0, 1), week(dates, d0, 2)
    srv = Server(env_for(data, geo)).start()
    try:
        page.goto(f"{srv.url}/map?date={d0}&editor={EDITOR_KEY}")
        page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
        settle(page)
        assert page.locator(BANNER).count() == 0
        assert page.evaluate(SNAPSHOT) == d0.isoformat()

        # 1. claims.csv replaced by a broken one (an unknown measure on the first record)
        claims = data / "claims.csv"
        good_claims = claims.read_bytes()
        rows = list(csv.reader(good_claims.decode("utf-8").splitlines()))
        col = rows[0].index("measure")
        rows[1][col] = "killed_or_wound"
        with claims.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
        page.locator(FWD).click()  # in the browser: the map's date files of the data in service
        page.wait_for_function(f"() => ({SNAPSHOT})() === '{d1}' && ({MAP_DRAWN})() > 0")
        # the next script run (the one that reports the moved date, then the language's) finds the broken file
        press_after_move(page, locale_option(page, "en"))
        page.locator(BANNER).get_by_text(t("en", "data_problems_title")).wait_for()
        page.wait_for_function(f"() => ({SNAPSHOT})() === '{d1}' && ({MAP_DRAWN})() > 0")
        assert f"date={d1}" in page.url
        settle(page)
        text = banner_text(page)
        assert re.search(r"claims\.csv:2:measure: 'killed_or_wound' is not one of", text), text
        assert page.evaluate(CONTROL_TRACES) > 0, "the map must still be drawn from the last valid data"
        assert page.locator("[data-testid='stException']").count() == 0

        # 2. events.csv deleted (claims.csv repaired): banner names the missing file, data still served
        claims.write_bytes(good_claims)
        events = data / "events.csv"
        good_events = events.read_bytes()
        events.unlink()
        page.locator(".st-key-nav a[href^='timeline']").click()
        page.wait_for_function("() => location.pathname.endsWith('/timeline')")
        page.wait_for_function(
            f"() => {{ const gd = ({CHART_JS})('.st-key-tl_chart'); "
            "return gd && gd.querySelectorAll('.main-svg g.trace').length > 0; }"
        )
        settle(page)
        text = banner_text(page)
        assert "events.csv: file is missing" in text, text
        assert "claims.csv:" not in text, "the repaired file must no longer be listed"
        assert page.locator(BANNER).is_visible(), "the banner must stay on every page"
        n_points = page.evaluate(f"() => ({CHART_JS})('.st-key-tl_chart').data.reduce((a, t) => a + (t.x || []).length, 0)")
        assert n_points >= 40, f"the timeline must still show the last valid events, got {n_points} points"

        # 3. the control GeoJSON truncated mid-copy (events.csv back): banner, map drawn from the last valid data
        events.write_bytes(good_events)
        control = geo / "control_deepstate.geojson"
        good_control = control.read_bytes()
        control.write_bytes(good_control[: len(good_control) // 2])
        page.locator(".st-key-nav a[href^='map']").click()
        page.wait_for_function("() => location.pathname.endsWith('/map')")
        page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
        settle(page)
        text = banner_text(page)
        assert re.search(r"control_deepstate\.geojson:feature \d+: invalid JSON: .*ends too early", text), text
        assert "events.csv" not in text
        assert page.evaluate(SNAPSHOT) == d1.isoformat()
        assert page.evaluate(CONTROL_TRACES) > 0, "control areas must still come from the last valid data"

        # 4. repaired: the next script run (a page change, after a date move in the browser) drops the banner
        control.write_bytes(good_control)
        page.locator(FWD).click()
        page.wait_for_function(f"() => ({SNAPSHOT})() === '{d2}' && ({MAP_DRAWN})() > 0")
        page.locator(".st-key-nav a[href^='casualties']").click()
        page.wait_for_function("() => location.pathname.endsWith('/casualties')")
        page.locator(BANNER).wait_for(state="detached")
        settle(page)
        assert f"date={d2}" in page.url, "the moved date goes with the page change"
        assert page.locator(BANNER).count() == 0
        assert not log["dialogs"] and not log["errors"], (log["dialogs"], log["errors"])
        assert log["hosts"] <= {f"127.0.0.1:{srv.port}"}, log["hosts"]
    finally:
        srv.stop()


# --------------------------------------------------------------------------- server restart


def test_a_fresh_servers_first_request_to_a_view_shows_that_view(data_copy, browser_page):
    """pages/ holds the views; Streamlit runs a pages/ file by itself on a process's first run (its
    older multipage convention) until the router has run once. The file hands over to the router, so
    the very first reader of /timeline sees the timeline with its navigation, not an empty page."""
    data, geo = data_copy
    page, log = browser_page
    srv = Server(env_for(data, geo)).start()
    try:
        page.goto(f"{srv.url}/timeline?lang=en")
        settle(page)
        page.get_by_role("heading", name=t("timeline_heading", "en"), level=1).wait_for()
        assert page.locator(".st-key-nav a").count() == len(VIEWS)
        assert page.locator("[data-testid='stException']").count() == 0
    finally:
        srv.stop()
    assert not log["errors"], log["errors"]


def test_server_restart_under_an_open_page(data_copy, browser_page, dates):
    """What really happens (Streamlit 1.67): while the server is down, the page keeps its content and,
    after a few seconds, shows the "Connection error" dialog; once a server answers on the same port the
    dialog closes and the page reconnects by itself, without a reload. The new server session has not
    run the script yet, so the old content stays until the reader interacts; the first click on the
    week button moves the date even though its callback was not registered in the new session."""
    data, geo = data_copy
    page, log = browser_page
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws))
    srv = Server(env_for(data, geo)).start()
    srv2 = None
    try:
        d0 = moving_start(dates, 1)
        d1 = week(dates, d0)
        page.goto(f"{srv.url}/map?date={d0}")
        page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
        settle(page)
        page.evaluate("() => { window.__noReload = 1; }")
        srv.stop()
        dialog = page.get_by_text("Connection error")
        dialog.wait_for(timeout=scaled_ms(30_000))  # the frontend notices within a few seconds
        assert page.evaluate(f"() => ({MAP_DRAWN})() > 0"), "the last drawn content stays on screen"

        srv2 = Server(env_for(data, geo))
        srv2.port, srv2.url = srv.port, srv.url  # the SAME port
        srv2.start()
        dialog.wait_for(state="hidden", timeout=T)
        page.wait_for_function(f"() => ({MAP_DRAWN})() > 0")
        assert len(sockets) >= 2 and not sockets[-1].is_closed(), "a new websocket must be open"
        assert page.evaluate("() => window.__noReload") == 1, "the page must not have been reloaded"

        # The date bar works in the browser, from the new server's static files; the new session has not
        # run the script, so the component's callback is not registered yet when the date is reported (the
        # navigation click below): the page applies it from the component's value and carries it on.
        page.locator(FWD).click()
        page.wait_for_function(f"() => ({SNAPSHOT})() === '{d1}'", timeout=T)
        page.wait_for_function(f"() => ({MAP_DRAWN})() > 0 && ({IDLE})()")
        assert f"date={d1}" in page.url
        page.locator(".st-key-nav").get_by_role("link", name=t("fr-CH", "nav_casualties"), exact=True).click()
        page.wait_for_function("() => location.pathname.endsWith('/casualties')", timeout=T)
        page.wait_for_function(f"() => location.search.includes('date={d1}')", timeout=T)
        wait_idle(page, timeout=T)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.evaluate("() => window.__noReload") == 1
        assert not log["dialogs"], log["dialogs"]
        assert log["hosts"] <= {f"127.0.0.1:{srv.port}"}, log["hosts"]
    finally:
        srv.stop()
        if srv2 is not None:
            srv2.stop()


# --------------------------------------------------------------------------- injection

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[click](javascript:alert(3))",
    "![x](http://evil.example/x.png)",
    r"$\alert$",
    "{{7*7}}",
    '<a href="javascript:alert(4)">a4</a>',
    "<svg onload=alert(5)>",
    "<!-- c --> &lt;b&gt;",
]
# Streamlit's own markdown extensions: colour, Material icon and emoji shortcodes
SHORTCODES = ":red[red] :material/warning: :smile:"
PAYLOADS_ALL = PAYLOADS + [SHORTCODES]
YAML_KEEP = {"claim_ids", "published", "language", "id", "file", "kind", "date_field", "areas_file", "source_url"}


def hostile(k: int, limit: int | None = None) -> str:
    """Every payload that fits in `limit` characters, starting from the k-th (short fields rotate)."""
    out, n = "INJ", len(PAYLOADS_ALL)
    for p in itertools.islice(itertools.cycle(PAYLOADS_ALL), k % n, k % n + n):
        if limit is None or len(out) + 1 + len(p) <= limit:
            out += " " + p
    return out


def _try(validate, assign, k) -> bool:
    """Put the hostile text in one field; shorten it to the field's limit; False if the field is not free text."""
    assign(hostile(k))
    try:
        validate()
        return True
    except ValidationError as e:
        limits = [x["ctx"]["max_length"] for x in e.errors() if x["type"] == "string_too_long"]
        if limits:
            assign(hostile(k, min(limits)))
            try:
                validate()
                return True
            except ValidationError:
                pass
    return False


def _inject_csv(path: Path, model, counter, injected: set) -> None:
    rows = list(csv.reader(path.read_text("utf-8").splitlines()))
    header = rows[0]
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        for j, col in enumerate(header):
            orig = row[j]
            ok = _try(
                lambda row=row: model.model_validate(dict(zip(header, row))),
                lambda v, j=j, row=row: row.__setitem__(j, v),
                next(counter),
            )
            if ok:
                injected.add((path.name, col))
            else:
                row[j] = orig
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _inject_yaml(path: Path, model, counter, injected: set) -> None:
    doc = yaml.safe_load(path.read_text("utf-8"))

    def walk(node, trail):
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, val in list(items):
            if isinstance(key, str) and key in YAML_KEEP:
                continue
            if isinstance(val, str):

                def assign(v, node=node, key=key):
                    node[key] = v

                if _try(lambda: model.model_validate(doc), assign, next(counter)):
                    injected.add((path.name, ".".join(map(str, trail + (key,)))))
                else:
                    node[key] = val
            else:
                walk(val, trail + (key,))

    walk(doc, ())
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000), "utf-8")


def _revert_problem_cells(problems, data: Path, originals: dict[str, list]) -> bool:
    """Cells the row check accepted but the cross-file check rejects (id lists): put the original back."""
    changed = False
    for p in problems:
        name = Path(p.path).name
        if name in originals and isinstance(p.row, int) and p.column:
            path = data / name
            rows = list(csv.reader(path.read_text("utf-8").splitlines()))
            j = rows[0].index(p.column)
            rows[p.row - 1][j] = originals[name][p.row - 1][j]
            with path.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)
            changed = True
    return changed


def make_hostile_copy(root: Path) -> tuple[Path, Path, set]:
    data, geo = root / "data", root / "geo"
    shutil.copytree(DATA, data)
    shutil.copytree(GEO, geo)
    counter, injected = itertools.count(), set()
    originals = {f: list(csv.reader((data / f).read_text("utf-8").splitlines())) for f in DATA_FILES}
    for f, model in DATA_FILES.items():
        _inject_csv(data / f, model, counter, injected)
    _inject_yaml(data / ARTICLE_FILE, m.Article, counter, injected)
    _inject_yaml(geo / MANIFEST_FILE, m.GeoManifest, counter, injected)
    sett = json.loads((geo / "settlements.geojson").read_text("utf-8"))
    for feat in sett["features"]:
        for key in ("name_fr", "name_en", "name_local"):
            feat["properties"][key] = hostile(next(counter), 120)
    (geo / "settlements.geojson").write_text(json.dumps(sett, ensure_ascii=False), "utf-8")
    for _ in range(4):
        try:
            load_bundle(data, geo)
            break
        except DataError as e:
            if not _revert_problem_cells(e.problems, data, originals):
                pytest.fail("the hostile copy is not valid:\n" + "\n".join(map(str, e.problems[:20])))
    else:
        pytest.fail("could not make a valid hostile copy")
    return data, geo, injected


# Anything the payload would create if it were interpreted instead of shown as text.
EVIL_JS = r"""() => {
  const bad = [];
  const all = document.querySelectorAll('*');
  for (const el of all) {
    for (const a of el.attributes) {
      const n = a.name.toLowerCase(), v = a.value || '';
      if (n.startsWith('on') && /alert|evil/i.test(v)) bad.push(`${el.tagName} ${n}="${v}"`);
      // no link or resource from data text, not even a GFM autolink of a bare URL (md() defuses them)
      if (['href', 'xlink:href', 'src', 'action', 'formaction', 'srcset'].includes(n)
          && (/^\s*javascript:/i.test(v) || /evil\.example/i.test(v))) bad.push(`${el.tagName} ${n}="${v}"`);
    }
    if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') bad.push('img src=x');
    // a schema.org JSON-LD block (the sources page's Dataset) is data the browser never runs: it may carry
    // data text only as JSON with no "<" at all, so that nothing in it can end the tag
    let inert = false;
    if (el.tagName === 'SCRIPT' && el.type === 'application/ld+json' && !el.textContent.includes('<')) {
      try { JSON.parse(el.textContent); inert = true; } catch (e) { inert = false; }
    }
    if (el.tagName === 'SCRIPT' && !inert && /alert\(/.test(el.textContent)) bad.push('script: ' + el.textContent.slice(0, 60));
  }
  for (const k of document.querySelectorAll('.katex, .katex-display, math')) bad.push('maths: ' + k.textContent.slice(0, 60));
  return bad;
}"""
# Streamlit shortcodes turned into an icon or an emoji inside text rendered from data
SHORTCODE_JS = r"""() => {
  const out = new Set();
  for (const c of document.querySelectorAll('[data-testid=stMarkdownContainer], [data-testid=stCaptionContainer]')) {
    if (!c.textContent.includes('INJ')) continue;
    if (c.querySelector('span[role=img][aria-label="warning icon"]')) out.add(':material/warning: -> icon');
    if (c.textContent.includes('\u{1F604}')) out.add(':smile: -> emoji');
    for (const sp of c.querySelectorAll('span')) if (sp.textContent === 'red' && !sp.children.length
        && getComputedStyle(sp).color !== getComputedStyle(c).color) out.add(':red[...] -> coloured');
  }
  return [...out];
}"""
VIEWS = {v: "/" if v == "story" else f"/{v}" for v in view_ids()}
READY = {"story": ".st-key-story_map", "map": MAP, "casualties": ".st-key-cas_chart", "timeline": ".st-key-tl_chart"}


def open_and_settle(page, url, view):
    page.goto(url)
    page.wait_for_selector("[data-testid='stAppViewContainer']")
    if view in READY:
        page.wait_for_function(
            f"() => {{ const gd = ({CHART_JS})('{READY[view]}'); return gd && gd.querySelector('.main-svg'); }}"
        )
    else:
        page.wait_for_selector("[data-testid='stDataFrame']")
    settle(page)
    # every image loaded or failed, so an injected onerror / onload has had its chance to fire
    page.wait_for_function("() => [...document.images].every(i => i.complete)")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    data, geo, injected = make_hostile_copy(tmp_path_factory.mktemp("hostile"))
    srv = Server(env_for(data, geo)).start()
    yield srv, injected
    srv.stop()


def test_hostile_text_in_every_data_field_is_shown_as_text(hostile_server, browser_page):
    srv, injected = hostile_server
    page, log = browser_page
    # the copy really carries the payloads in the fields a reader sees
    for need in [
        ("claimants.csv", "name_fr"),
        ("claimants.csv", "name_en"),
        ("claims.csv", "quote"),
        ("claims.csv", "outlet"),
        ("events.csv", "title_fr"),
        ("events.csv", "summary_en"),
        ("places.csv", "name_fr"),
        ("story.csv", "text_fr"),
        ("changelog.csv", "change_en"),
        ("article.yaml", "title_fr"),
        ("article.yaml", "outlet_en"),
        ("article.yaml", "claims.0.excerpt"),
        ("manifest.yaml", "layers.0.title_fr"),
        ("manifest.yaml", "layers.0.source_fr"),
        ("manifest.yaml", "layers.0.processing_en"),
    ]:
        assert need in injected, need
    seen: dict[str, set] = {}
    rendered: set[str] = set()
    for lang in ("fr-CH", "en"):
        for view, path in VIEWS.items():
            open_and_settle(page, f"{srv.url}{path}?lang={lang}", view)
            where = f"{view} ({lang})"
            assert page.locator("[data-testid='stException']").count() == 0, where
            bad = page.evaluate(EVIL_JS)
            assert not bad, f"{where}: payload interpreted: {bad}"
            rendered.update(page.evaluate(SHORTCODE_JS))
            for p in PAYLOADS_ALL:
                if page.get_by_text(p, exact=False).filter(visible=True).count():
                    seen.setdefault(where, set()).add(p)
    assert not log["dialogs"], log["dialogs"]
    assert not log["errors"], log["errors"]
    assert log["hosts"] <= {f"127.0.0.1:{srv.port}"}, sorted(u for u in log["requests"] if "127.0.0.1" not in u)
    for view in ("story", "casualties", "timeline", "sources"):
        for lang in ("fr-CH", "en"):
            assert seen.get(f"{view} ({lang})"), f"{view} ({lang}): no payload visible as literal text"
    shown = set().union(*seen.values())
    assert shown >= set(PAYLOADS), f"never shown literally: {set(PAYLOADS) - shown}"
    # Streamlit expands `:material/...:` shortcodes before markdown; md() must keep them as typed.
    assert not rendered, f"shortcodes in data text were rendered, not shown as typed: {sorted(rendered)}"


def test_hostile_query_parameters_fall_back_to_defaults(hostile_server, browser_page, bundle):
    srv, _ = hostile_server
    page, log = browser_page
    params = {
        "view": "<script>alert(11)</script>",
        "lang": "<img src=x onerror=alert(12)>",
        "date": "<svg onload=alert(13)>",
        "claimants": "<script>alert(14)</script>",
        "measures": "[x](javascript:alert(15))",
        "layers": "<img src=x onerror=alert(16)>",
        "cats": r"$\alert$",
        "step": "{{7*7}}",
        "embed": "<script>alert(17)</script>",
    }
    for view, path in VIEWS.items():
        open_and_settle(page, f"{srv.url}{path}?{urlencode(params)}", view)
        assert page.locator("[data-testid='stException']").count() == 0, view
        assert not page.evaluate(EVIL_JS), view
        # every parameter of ours is dropped or reset; `embed` is Streamlit's own and stays in the URL as typed
        query = {k: v for k, v in parse_qs(urlparse(page.url).query).items() if k != "embed"}
        if view == "story":  # the story's first step sets the shared date to its own (first mapped) day
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", query.pop("date", ["-"])[0]), page.url
        assert query == {"view": [view]}, f"{view}: not reset: {page.url}"
        # defaults: French, the view of the page (the story on /), no filter
        assert page.locator(".st-key-nav").get_by_role("link", name=t("fr-CH", "nav_map"), exact=True).count() == 1, view
        if view == "map":
            assert page.evaluate(SNAPSHOT) == bundle.article.published.isoformat()  # the article's date
    assert not log["dialogs"], log["dialogs"]
    assert not log["errors"], log["errors"]
    assert log["hosts"] <= {f"127.0.0.1:{srv.port}"}, log["hosts"]
