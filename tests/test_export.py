"""Static export (explainer/export/): files, ownership of the output folder, versions, the
inline SVG, the date files, CSV safety, and the embeds in a real browser over http.

The full export runs once per module. Browser tests serve it with http.server on 127.0.0.1.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import html
import json
import os
import re
import shutil
import threading
import time
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from conftest import built_once, scaled, scaled_ms
from plotly.offline import get_plotlyjs_version

from explainer import figures as F
from explainer.csvsafe import safe_cell, safe_frame, to_csv_bytes
from explainer.export import LANGS, MARKER, MAX_PAGE_BYTES, PLOTLY_JS, PLOTLY_JS_VERSION, VENDOR, export_site
from explainer.export.pages import EXPLAINER_VIEWS
from explainer.load import load_bundle
from explainer.paths import DATA, GEO
from explainer.ui.story import step_graphic

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BUDGET_S = scaled(float(os.environ.get("EXPLAINER_EXPORT_BUDGET_S", "60")))
PAYLOAD = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("https://example.org/x","click")'
BUNDLE_TRACES = {"scatter", "scattergeo", "choropleth"}  # plotly.js-geo-dist-min's trace modules
DRAWN = """() => {
  const gd = document.getElementById('chart');
  const box = document.getElementById('chart-box');
  if (!gd || !gd._fullLayout || box.dataset.state !== 'interactive') return false;
  if (gd._fullLayout.geo) {
    return [...gd.querySelectorAll('.geo path.choroplethlocation')]
      .filter(p => { const b = p.getBBox(); return b.width > 0 && b.height > 0; }).length > 0;
  }
  return gd.querySelectorAll('.main-svg').length > 0 && gd._fullData.length > 0
    && gd.querySelectorAll('.scatterlayer .trace').length > 0;
}"""
# the control polygons drawn: their feature ids and hover texts (one per date)
CONTROL_DRAWN = """() => [...document.getElementById('chart')._fullData]
  .filter(t => t.type === 'choropleth' && t.locations.length === 1 && String(t.locations[0]).startsWith('control'))
  .map(t => t.hovertemplate).join('|')"""


def expected_names(bundle) -> list[str]:
    dates = sorted({s.date for s in bundle.story})
    return ["map", *(f"map-{d.isoformat()}" for d in dates), "area", "casualties", "timeline", "story", "sources"]


def chart_pages(manifest: dict) -> list[dict]:
    """The manifest's one-chart embeds (the explainer's own pages, story and sources, left out)."""
    return [p for p in manifest["pages"] if p["view"] not in EXPLAINER_VIEWS]


def control_dates(bundle) -> list[dt.date]:
    ids = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    return bundle.dates(ids[0])


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        f.relative_to(folder).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    }


def _build_site(folder: Path) -> dict:
    out = folder / "embed"
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    assert export_site(DATA, GEO, out, ["fr", "en"]) == 0
    return {"elapsed": time.perf_counter() - t0, "load": load}


@pytest.fixture(scope="module")
def site(tmp_path_factory, artifacts):
    """The bundled data exported once per test run (every worker and module reads the same folder)."""
    folder, built = built_once(tmp_path_factory, "export-site", _build_site)
    out, elapsed, load = folder / "embed", built["elapsed"], built["load"]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    (artifacts / "export_timing.json").write_text(
        json.dumps(
            {
                "elapsed_s": round(elapsed, 1),
                **manifest["timings_s"],
                "load_before": load,
                "plotly_js_bytes": PLOTLY_JS.stat().st_size,
                "date_files": manifest["date_files"],
                "page_bytes": {p["html"]: p["bytes"] for p in manifest["pages"]},
            },
            indent=1,
        )
    )
    return out, manifest, elapsed, load


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def serve():
    """serve(folder) -> base URL of a ThreadingHTTPServer on 127.0.0.1, stopped after the module."""
    servers = []

    def start(folder: Path) -> str:
        srv = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}"

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 900, "height": 800})
    yield ctx
    ctx.close()


HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>host</title>
<script src="{embeds}/assets/host.js"></script></head>
<body>
<script>
window.heights = [];
addEventListener("message", e => {{ if (e.data && e.data.type === "kursk-embed-height") heights.push(e.data); }});
const f = document.createElement("iframe");
f.src = "{embeds}/" + new URLSearchParams(location.search).get("page");
f.setAttribute("data-explainer-embed", "");
f.style.cssText = "width:800px;height:150px;border:0";
document.body.appendChild(f);
</script>
</body></html>
"""


def host_url(serve, tmp_path_factory, embeds: str) -> str:
    """A host page on another origin (another port) that embeds ?page=... with host.js."""
    folder = tmp_path_factory.mktemp("host")
    (folder / "host.html").write_text(HOST_PAGE.format(embeds=embeds), "utf-8")
    return serve(folder) + "/host.html"


def open_embed(page, host: str, path: str) -> tuple[object, dict]:
    """Open ``path`` inside the host page; wait for the chart and the height message."""
    page.goto(f"{host}?page={path}")
    frame = page.wait_for_selector("iframe").content_frame()
    frame.wait_for_load_state()
    frame.wait_for_function(DRAWN, timeout=scaled_ms(30_000))
    page.wait_for_function("() => heights.length > 0", timeout=scaled_ms(10_000))
    return frame, page.evaluate("() => heights[heights.length - 1]")


def third_party(urls: list[str]) -> list[str]:
    return [u for u in urls if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"]


def figure_of(text: str) -> dict:
    block = re.search(r'<script type="application/json" id="figure-data">(.*?)</script>', text, re.S).group(1)
    assert "<" not in block
    return json.loads(block)


def with_event_title(data: Path, title: str) -> str:
    """Set both titles of one event (one a map summary lists) to ``title``; returns its id."""
    bundle = load_bundle(data, data.parent / "geo")
    located = {pid for pid, p in bundle.places.items() if p.lon is not None}
    map_dates = [bundle.article.published, *(s.date for s in bundle.story)]
    target = next(e for e in bundle.events if e.place in located and any(abs((e.date - d).days) <= 10 for d in map_dates))
    with open(data / "events.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["id"] == target.id:
            row["title_en"] = row["title_fr"] = title
    with open(data / "events.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target.id


# --------------------------------------------------------------------------- files


def test_every_page_and_sidecar(site):
    out, manifest, *_ = site
    bundle = load_bundle(DATA, GEO)
    names = expected_names(bundle)
    assert [(p["lang"], p["name"]) for p in manifest["pages"]] == [(lang, n) for lang in ("fr", "en") for n in names]
    assert manifest["data_version"] == bundle.version
    for p in manifest["pages"]:
        assert p["html"].startswith(f"v/{bundle.version}/") and p["latest_html"].startswith("latest/")
        for ext in ("html", "csv", "json", "png"):
            assert (out / p[ext]).is_file(), p[ext]
        assert (out / p["png"]).with_suffix(".svg").is_file(), p["png"]
        assert (out / p["latest_html"]).is_file()
        assert (out / p["png"]).read_bytes()[:8] == PNG_MAGIC
        meta = json.loads((out / p["json"]).read_text("utf-8"))
        assert {"title", "summary", "sources", "layers", "data_version", "generated_at", "lang", "view", "date"} <= meta.keys()
        assert meta["data_version"] == bundle.version and meta["lang"] == p["lang"] and meta["view"] == p["view"]
        assert dt.datetime.fromisoformat(meta["generated_at"]).tzinfo is not None
        assert meta["sources"], p["json"]
        with open(out / p["csv"], encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)), p["csv"]
    meta = json.loads((out / f"v/{bundle.version}/fr/map.json").read_text("utf-8"))
    assert meta["date"] == bundle.article.published.isoformat()
    assert any(lyr["licence_risk"] and "DeepState" in lyr["attribution"] for lyr in meta["layers"])
    assert all(lyr["licence"] for lyr in meta["layers"])
    assert json.loads((out / f"v/{bundle.version}/en/timeline.json").read_text("utf-8"))["layers"] == []


def test_vendored_geo_bundle_is_the_plotly_js_that_python_plotly_writes_for(site):
    out, manifest, *_ = site
    head = PLOTLY_JS.read_text("utf-8")[:300]
    assert f"plotly.js (geo - minified) v{PLOTLY_JS_VERSION}" in head
    assert get_plotlyjs_version() == PLOTLY_JS_VERSION
    assert "MIT" in (VENDOR / "LICENSE").read_text("utf-8")
    readme = (VENDOR / "README.md").read_text("utf-8")
    assert f"**{PLOTLY_JS_VERSION}**" in readme and hashlib.sha256(PLOTLY_JS.read_bytes()).hexdigest() in readme
    shipped = out / "assets" / f"plotly-geo-{PLOTLY_JS_VERSION}.min.js"
    assert shipped.read_bytes() == PLOTLY_JS.read_bytes()
    assert shipped.stat().st_size < 2_000_000  # the full bundle is 4.8 MB
    assert (out / "assets/plotly-geo.LICENSE.txt").is_file()


def test_every_trace_type_is_in_the_bundle(site):
    """Every trace of every page and of every date file is of a type the geo bundle draws."""
    out, manifest, *_ = site
    seen = set()
    for p in chart_pages(manifest):
        for key in ("html", "latest_html"):
            seen |= {tr.get("type", "scatter") for tr in figure_of((out / p[key]).read_text("utf-8"))["data"]}
    for f in (out / manifest["pinned"]).glob("*/control/*.json"):
        seen |= {tr.get("type", "scatter") for tr in json.loads(f.read_text("utf-8"))["traces"]}
    assert seen and seen <= BUNDLE_TRACES, seen - BUNDLE_TRACES


def test_one_shared_plotly_and_no_third_party_reference(site):
    out, manifest, *_ = site
    js = sorted(p.name for p in out.rglob("*.js"))
    assert js == sorted(
        [
            f"plotly-geo-{PLOTLY_JS_VERSION}.min.js",
            "host.js",
            next(a for a in manifest["assets"] if "/embed-" in a).split("/")[-1],
        ]
    )
    for p in manifest["pages"]:
        for key, up in (("html", "../../../"), ("latest_html", "../../")):
            text = (out / p[key]).read_text("utf-8")
            srcs = re.findall(r'(?:src|href)="([^"]*)"', text)
            if p["view"] in EXPLAINER_VIEWS:  # no script; links to the sources are links (<a>), not requests
                assert "<script src" not in text and '<link rel="stylesheet"' not in text
                srcs = re.findall(r'(?:src|srcset)="([^"]*)"', text) + re.findall(r'<a href="((?!https?:)[^"#]+)', text)
                for s in srcs:
                    assert "//" not in s and not s.startswith("/"), (p[key], s)
                    assert (out / p[key]).parent.joinpath(s).resolve().is_file(), (p[key], s)
                continue
            assert f'<script src="{up}assets/plotly-geo-{PLOTLY_JS_VERSION}.min.js">' in text
            for s in srcs:
                assert "//" not in s and not s.startswith("/"), (p[key], s)
                if s.startswith("../"):
                    assert (out / p[key]).parent.joinpath(s.split("?")[0]).resolve().is_file(), (p[key], s)
            assert "cdn." not in text.lower()


def test_page_sizes(site):
    out, manifest, *_ = site
    embed_js = (out / next(a for a in manifest["assets"] if "/embed-" in a)).stat().st_size
    sizes = {p["html"]: (out / p["html"]).stat().st_size + embed_js for p in manifest["pages"]}
    assert max(sizes.values()) <= MAX_PAGE_BYTES, sizes
    assert sizes == {p["html"]: p["bytes"] for p in manifest["pages"]}


def test_export_duration(site):
    _, manifest, elapsed, load = site
    msg = f"export took {elapsed:.1f} s ({manifest['timings_s']}); budget {BUDGET_S} s"
    if elapsed > BUDGET_S and load > (os.cpu_count() or 1):
        pytest.skip(f"{msg}, but other processes kept the machine busy (load {load:.1f}): not comparable")
    assert elapsed <= BUDGET_S, msg


def test_page_text_svg_and_figure_json(site):
    """Each page: title, text alternative, a pre-rendered SVG in a box of the chart's exact height,
    an accessible name pointing at the text alternative, no mode bar, no version hash on screen."""
    out, manifest, *_ = site
    for p in chart_pages(manifest):
        text = (out / p["html"]).read_text("utf-8")
        meta = json.loads((out / p["json"]).read_text("utf-8"))
        assert f"<title>{html.escape(meta['title'])}</title>" in text
        assert html.escape(meta["summary"]) in text
        assert f'<meta name="description" content="{html.escape(meta["summary"])}">' in text  # search and link previews
        assert f'href="{p["name"]}.csv"' in text
        fig = figure_of(text)
        assert fig["data"] and fig["layout"] and fig["config"]["displaylogo"] is False
        assert fig["config"]["displayModeBar"] is False
        box = re.search(r'<div id="chart-box"[^>]*>', text).group(0)
        assert 'data-state="svg"' in box and f'style="height:{fig["layout"]["height"]}px"' in box
        assert 'role="img"' in box and 'aria-describedby="summary"' in box
        assert html.escape(meta["title"], quote=False).replace('"', "&quot;") in re.search(r'aria-label="([^"]*)"', box).group(1)
        svg = re.search(r'<div class="chart-static">(<svg .*?</svg>)</div>', text, re.S)
        assert svg and 'viewBox="0 0 800 ' in svg.group(1) and "<script" not in svg.group(1)
        visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", text, flags=re.S)
        assert manifest["data_version"] not in visible, p["html"]
        assert "<noscript>" not in text  # the SVG is the no-JavaScript view
        assert re.search(r'<h1 id="title">[^<]+</h1>\n<p class="intro">[^<]+</p>', text)


def test_footer_links_to_the_live_explainer(tmp_path):
    out = tmp_path / "embed"
    assert export_site(DATA, GEO, out, ["fr"], images=False, explainer_url="https://example.org/kursk?lang=fr") == 0
    text = (out / "latest/fr/map.html").read_text("utf-8")
    assert '<a href="https://example.org/kursk?lang=fr" target="_top">Explorer l\'explicatif</a></p>' in text
    assert export_site(DATA, GEO, tmp_path / "x", ["fr"], images=False, explainer_url="javascript:alert(1)") == 2


def test_date_controls_in_the_html(site):
    out, manifest, *_ = site
    bundle = load_bundle(DATA, GEO)
    for p in chart_pages(manifest):
        text = (out / p["html"]).read_text("utf-8")
        dated = json.loads(re.search(r'id="dates-data">(.*?)</script>', text, re.S).group(1))
        if p["view"] not in ("map", "area"):
            assert dated is None and 'id="date-slider"' not in text
            continue
        assert dated["dates"] == [d.isoformat() for d in control_dates(bundle)]
        assert 'id="date-slider"' in text and 'id="date-play"' in text and 'id="date-back"' in text
        if p["lang"] == "fr":
            assert "semaine" in text and "Lecture" in text


def test_date_files_come_from_the_map_builder(site):
    """One small file per snapshot date and language, holding what build_map draws for that date."""
    out, manifest, *_ = site
    bundle = load_bundle(DATA, GEO)
    days = control_dates(bundle)
    for lang, loc in LANGS.items():
        folder = out / manifest["pinned"] / lang / "control"
        assert sorted(f.stem for f in folder.glob("*.json")) == [d.isoformat() for d in days]
        for d in (days[0], days[len(days) // 2], days[-1]):
            doc = json.loads((folder / f"{d.isoformat()}.json").read_text("utf-8"))
            view = F.build_map(bundle, d, loc)
            data = json.loads(view.figure.to_json())["data"]
            assert data[doc["start"] : doc["start"] + len(doc["traces"])] == doc["traces"]
            assert doc["summary"] == view.summary and doc["date"] == d.isoformat()
    assert manifest["date_files"]["count"] == len(days) * len(LANGS)
    assert manifest["date_files"]["bytes_max"] < 50_000


def test_index_lists_every_embed_and_version(site):
    out, manifest, *_ = site
    index = (out / "index.html").read_text("utf-8")
    assert "&lt;script src=&quot;/embed/assets/host.js&quot; defer&gt;&lt;/script&gt;" in index
    for p in manifest["pages"]:
        assert f'<a class="thumb" href="{p["html"]}">' in index
        assert f'<img src="{p["png"]}"' in index
        if p["view"] in EXPLAINER_VIEWS:  # a page to publish, not an embed: no snippet
            assert html.escape(f'<iframe src="{p["embed_url"]}"') not in index
            continue
        assert html.escape(f'<iframe src="{p["embed_url"]}"') in index
        assert html.escape(f'<iframe src="{p["latest_url"]}"') in index
    assert f'href="v/{manifest["data_version"]}/index.html"' in index
    assert "<iframe" not in index  # snippets are shown, not embedded


def test_usage_and_data_errors(tmp_path, data_copy, capsys):
    assert export_site(DATA, GEO, tmp_path / "a", ["de"]) == 2
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "precious.txt").write_text("x")
    assert export_site(DATA, GEO, tmp_path / "b", ["en"]) == 2
    assert (tmp_path / "b" / "precious.txt").read_text() == "x"
    assert "was not written by this export" in capsys.readouterr().err
    data, geo = data_copy
    (data / "claims.csv").write_text("id,date\nC001,not a date\n", "utf-8")
    assert export_site(data, geo, tmp_path / "c", ["en"]) == 1
    assert not (tmp_path / "c").exists()


# --------------------------------------------------------------------------- ownership of the output folder


def test_refuses_a_web_root_that_has_its_own_manifest(tmp_path, capsys):
    """A folder with a manifest.json of its own is not an export: nothing in it changes."""
    root = tmp_path / "www"
    root.mkdir()
    files = {"manifest.json": '{"name": "my web app"}', "index.html": "<h1>home</h1>", "article.html": "<p>story</p>"}
    for name, text in files.items():
        (root / name).write_text(text)
    assert export_site(DATA, GEO, root, ["en"], images=False) == 2
    assert {f.name: f.read_text() for f in root.iterdir()} == files
    err = capsys.readouterr().err
    assert str(root) in err and MARKER in err


def test_sibling_backup_is_never_removed(tmp_path):
    out = tmp_path / "embed"
    old = tmp_path / "embed.old"
    old.mkdir()
    (old / "backup.html").write_text("the only copy")
    assert export_site(DATA, GEO, out, ["en"], images=False) == 0
    assert export_site(DATA, GEO, out, ["en"], images=False) == 0  # replaces its own folder
    assert (old / "backup.html").read_text() == "the only copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["embed", "embed.old"]  # no temp folder left


def test_marker_proves_what_the_export_wrote(tmp_path, capsys):
    out = tmp_path / "embed"
    assert export_site(DATA, GEO, out, ["en"], images=False) == 0
    marker = json.loads((out / MARKER).read_text("utf-8"))
    assert marker["tool"] == "kursk-explainer export"
    on_disk = {k: v for k, v in tree_hashes(out).items() if k != MARKER}
    assert marker["files"] == on_disk
    # a marker copied or edited by hand does not count
    marker["files"]["extra.html"] = "0" * 64
    (out / MARKER).write_text(json.dumps(marker))
    before = tree_hashes(out)
    assert export_site(DATA, GEO, out, ["en"], images=False) == 2
    assert "not a valid marker" in capsys.readouterr().err
    assert tree_hashes(out) == before


def test_keeps_files_a_publisher_added(tmp_path):
    out = tmp_path / "embed"
    assert export_site(DATA, GEO, out, ["en"], images=False) == 0
    (out / "CNAME").write_text("embeds.example.org\n")
    (out / ".well-known").mkdir()
    (out / ".well-known" / "security.txt").write_text("Contact: mailto:desk@example.org\n")
    assert export_site(DATA, GEO, out, ["en"], images=False) == 0
    assert (out / "CNAME").read_text() == "embeds.example.org\n"
    assert (out / ".well-known" / "security.txt").is_file()
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert sorted(manifest["kept"]) == [".well-known/security.txt", "CNAME"]
    assert "CNAME" not in json.loads((out / MARKER).read_text("utf-8"))["files"]  # still not ours


def test_refuses_when_a_file_it_wrote_was_changed(tmp_path, capsys):
    out = tmp_path / "embed"
    assert export_site(DATA, GEO, out, ["en"], images=False) == 0
    edited = out / "latest" / "en" / "area.html"
    edited.write_text("<p>hand-edited by the desk</p>")
    assert export_site(DATA, GEO, out, ["en"], images=False) == 2
    assert "latest/en/area.html" in capsys.readouterr().err
    assert edited.read_text() == "<p>hand-edited by the desk</p>"


# --------------------------------------------------------------------------- versions


def _build_two_versions(base: Path) -> dict:
    data, geo = base / "data", base / "geo"
    shutil.copytree(DATA, data)
    shutil.copytree(GEO, geo)
    out = base / "embed"
    assert export_site(data, geo, out, ["fr", "en"], images=False) == 0
    first = json.loads((out / "manifest.json").read_text("utf-8"))
    pinned = tree_hashes(out / first["pinned"])
    with_event_title(data, "Corrected title of an event")
    assert export_site(data, geo, out, ["fr", "en"], images=False) == 0
    second = json.loads((out / "manifest.json").read_text("utf-8"))
    return {"first": first, "second": second, "pinned": pinned}


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory):
    """The same folder exported twice: the bundled data, then a corrected copy (new data version);
    built once per run for every test process (tests only read it)."""
    base, built = built_once(tmp_path_factory, "export-two-versions", _build_two_versions)
    return base / "embed", built["first"], built["second"], built["pinned"]


def test_each_data_version_keeps_its_own_path(two_versions):
    out, first, second, pinned = two_versions
    assert first["data_version"] != second["data_version"]
    assert tree_hashes(out / first["pinned"]) == pinned  # the published version did not change
    assert (out / second["pinned"] / "fr/map.html").is_file()
    latest = json.loads((out / "latest/version.json").read_text("utf-8"))
    assert latest["data_version"] == second["data_version"] and latest["pinned"] == second["pinned"]
    versions = json.loads((out / "versions.json").read_text("utf-8"))
    assert [v["data_version"] for v in versions] == [second["data_version"], first["data_version"]]
    index = (out / "index.html").read_text("utf-8")
    for v in versions:
        assert f'href="v/{v["data_version"]}/index.html"' in index
    # the old version's assets are still there for its pages
    for a in first["assets"]:
        assert (out / a).is_file(), a
    marker = json.loads((out / MARKER).read_text("utf-8"))
    assert any(k.startswith(first["pinned"]) for k in marker["files"])


# Sources a Content-Security-Policy may allow without naming another site.
OWN_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}


class _CspMeta(HTMLParser):
    """Every <meta http-equiv="Content-Security-Policy">, and whether it sits in <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.found.append((a.get("content") or "", self.in_head))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def test_every_html_file_carries_its_csp_with_no_third_party_origin(two_versions):
    """Every page the export writes, index pages included (top level and per version), has one CSP in
    its <head> that allows nothing but its own origin (plus data:/blob: and inline styles)."""
    out, *_ = two_versions
    pages = sorted(out.rglob("*.html"))
    assert {"index.html", f"v/{two_versions[1]['data_version']}/index.html", "latest/index.html"} <= {
        p.relative_to(out).as_posix() for p in pages
    }
    for f in pages:
        parser = _CspMeta()
        parser.feed(f.read_text("utf-8"))
        assert len(parser.found) == 1, f"{f.relative_to(out)}: {len(parser.found)} CSP meta tags"
        policy, in_head = parser.found[0]
        assert in_head, f.relative_to(out)
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        assert "default-src" in directives and "base-uri" in directives, (f.relative_to(out), policy)
        foreign = [src for srcs in directives.values() for src in srcs if src not in OWN_SOURCES]
        assert not foreign, (f.relative_to(out), foreign)


def test_every_version_carries_its_data_package_and_its_tables_validate(two_versions):
    """Beside each version's pages: the editors' tables as this version had them and a Data Package
    (the schema of data/datapackage.json) whose resource paths point at them; frictionless validates them."""
    from frictionless import validate

    from explainer.datapackage import FILE_NAME
    from explainer.load import DATA_FILES

    out, first, second, _ = two_versions
    checked = 0
    for folder in (first["pinned"], second["pinned"], "latest/"):
        package = out / folder / "data" / FILE_NAME
        pkg = json.loads(package.read_text("utf-8"))
        assert [r["path"] for r in pkg["resources"]] == list(DATA_FILES)
        assert pkg["version"] == (first if folder == first["pinned"] else second)["data_version"]
        for r in pkg["resources"]:
            assert (package.parent / r["path"]).is_file()
        report = validate(str(package))
        assert report.valid, (folder, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:10])
        checked += 1
    assert checked == 3
    assert json.loads((out / second["pinned"] / "version.json").read_text("utf-8"))["data"] == "data/datapackage.json"
    assert second["datapackage"] == f"{second['pinned']}data/datapackage.json"
    # the corrected event title is in the second version's table, not in the first's
    assert "Corrected title of an event" in (out / second["pinned"] / "data/events.csv").read_text("utf-8")
    assert "Corrected title of an event" not in (out / first["pinned"] / "data/events.csv").read_text("utf-8")


def test_index_pages_describe_the_dataset(two_versions):
    """Each index carries a schema.org Dataset: the period computed from the data and the version's
    tables as its downloads; the index links the tables."""
    from explainer.queries import story_period

    out, first, second, _ = two_versions
    bundle = load_bundle(DATA, GEO)
    lo, hi = story_period(bundle)
    for index in (out / "index.html", out / second["pinned"] / "index.html"):
        text = index.read_text("utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.DOTALL)
        assert len(blocks) == 1, index
        doc = json.loads(blocks[0])
        assert doc["@type"] == "Dataset" and doc["temporalCoverage"] == f"{lo.isoformat()}/{hi.isoformat()}"
        urls = [d["contentUrl"] for d in doc["distribution"]]
        assert f"/embed/{second['pinned']}data/claims.csv" in urls and urls[-1].endswith("/data/datapackage.json")
    assert f'href="{second["pinned"]}data/claims.csv"' in (out / "index.html").read_text("utf-8")


# --------------------------------------------------------------------------- CSV safety


def test_csv_cells_cannot_run_as_formulas():
    for bad in (FORMULA, "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "=1"):
        assert safe_cell(bad) == "'" + bad
    for good in ("-12", "-3.5", "+7", "1e-3", "Soudja", "", "a=b", -5, 2.5, None):
        assert safe_cell(good) == good
    df = pd.DataFrame({"=col": [FORMULA, "-4"], "n": [-1, 2]})
    safe = safe_frame(df)
    assert list(safe.columns) == ["'=col", "n"] and safe["n"].tolist() == [-1, 2]
    assert to_csv_bytes(df).decode("utf-8").splitlines()[1].startswith("\"'=HYPERLINK")
    assert df.iloc[0, 0] == FORMULA  # the caller's frame is untouched


def test_export_csvs_neutralise_formulas(data_copy, tmp_path):
    data, geo = data_copy
    with_event_title(data, FORMULA)
    out = tmp_path / "embed"
    assert export_site(data, geo, out, ["en"], images=False) == 0
    cells = []
    for f in out.glob("latest/en/*.csv"):
        with open(f, encoding="utf-8", newline="") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    assert "'" + FORMULA in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@")) or (c.startswith("-") and not re.fullmatch(r"-[\d.]+", c))]


# --------------------------------------------------------------------------- downloads


def test_downloads_hold_numbers_traced_to_a_sourced_record(site):
    """Every page's CSV, in both languages: the figures as numbers (low, high, area_km2 parse as numbers,
    bound from the vocabulary), the formatted text only beside them, and every row traced to a claim,
    an event or a map layer that has a source."""
    from explainer.export.downloads import AREA_COLUMNS, CLAIM_COLUMNS, EVENT_COLUMNS
    from explainer.model import BOUNDS, SCOPES

    out, manifest, *_ = site
    bundle = load_bundle(DATA, GEO)
    events = {e.id: e for e in bundle.events}
    layers = {lyr.id: lyr for lyr in bundle.manifest.layers}
    kinds = set()
    for p in manifest["pages"]:
        df = pd.read_csv(out / p["csv"], dtype=str, keep_default_na=False)
        cols = list(df.columns)
        assert cols in (CLAIM_COLUMNS, EVENT_COLUMNS, AREA_COLUMNS), (p["csv"], cols)
        for col in ("low", "high", "area_km2"):
            if col in cols:
                filled = df[col][df[col] != ""]
                assert pd.to_numeric(filled, errors="coerce").notna().all(), (p["csv"], col, list(filled[:5]))
        if cols == CLAIM_COLUMNS:
            kinds.add("claims")
            assert len(df), p["csv"]
            for _, row in df.iterrows():
                c = bundle.claim_by_id[row["claim_id"]]
                assert row["bound"] in BOUNDS and row["scope"] in SCOPES and row["measure"] == c.measure
                assert row["date"] == c.date.isoformat()
                low = float(row["low"]) if row["low"] else None
                high = float(row["high"]) if row["high"] else None
                assert (low, high) == (c.value_low, c.value_high), (p["csv"], c.id)
                assert (row["bound"] == "none") == (low is None and high is None)
                # the source: an address, or the article itself (named with its outlet and day)
                assert row["source_url"] == c.source_url or (F.from_article(c) and row["source_url"] == "" and row["outlet"])
                assert c.source_url
        elif cols == EVENT_COLUMNS:
            kinds.add("events")
            for _, row in df.iterrows():
                assert row["source_url"] == events[row["event_id"]].source_url and row["source_url"]
        else:
            kinds.add("areas")
            for _, row in df.iterrows():
                assert row["layer"] in layers and row["source"] and row["licence"], (p["csv"], dict(row))
                assert float(row["area_km2"]) > 0
    assert kinds == {"claims", "events", "areas"}
    lead = pd.read_csv(out / manifest["pinned"] / "fr/story.csv", dtype=str, keep_default_na=False)
    assert lead["figure_text"].str.contains("'").any()  # the fr-CH text beside the number (3'000 beside 3000)
    assert {"3000"} <= set(lead["low"].str.replace(".0", "", regex=False))


def test_download_csvs_validate_against_their_own_description(site):
    """Each page's metadata JSON describes its CSV as a Frictionless Data Resource (numbers, ISO dates);
    frictionless validates every CSV of the pinned version against it."""
    from frictionless import Resource, validate

    out, manifest, *_ = site
    for p in manifest["pages"]:
        meta = json.loads((out / p["json"]).read_text("utf-8"))
        desc = meta["resource"]
        assert desc["path"] == Path(p["csv"]).name
        types = {f["name"]: f["type"] for f in desc["schema"]["fields"]}
        for col in ("low", "high", "area_km2"):
            if col in types:
                assert types[col] == "number", (p["csv"], col)
        if "date" in types:
            assert types["date"] == "date"
        report = validate(Resource(desc, basepath=str((out / p["csv"]).parent)))
        assert report.valid, (p["csv"], report.flatten(["rowNumber", "fieldName", "type", "note"])[:5])


def test_pictures_carry_title_dates_sources_and_credit(site):
    """The export's PNG and SVG downloads: the chart as drawn, with a header (title, the day shown, the
    data's date) and a footer (the chart's source line, the explainer and data version), in the page's
    language; the SVG's lines fit its width."""
    from PIL import Image

    from explainer import i18n
    from explainer import queries as Q
    from explainer.export.picture import PAD, _font

    out, manifest, *_ = site
    bundle = load_bundle(DATA, GEO)
    for p in manifest["pages"]:
        meta = json.loads((out / p["json"]).read_text("utf-8"))
        loc = LANGS[p["lang"]]
        svg = (out / p["png"]).with_suffix(".svg").read_text("utf-8")
        texts = [html.unescape(t) for t in re.findall(r"<text [^>]*>([^<]*)</text>", svg.split("<svg", 2)[1])]
        said = " ".join(texts)
        data_day = i18n.date(Q.now(bundle), loc)
        assert data_day.replace("\u00a0", " ") in said.replace("\u00a0", " "), (p["png"], texts[:3])
        assert bundle.version in said
        assert ("Sources" in said) and (("Graphique" in said) if p["lang"] == "fr" else ("Chart" in said))
        if p["date"]:
            assert i18n.date(dt.date.fromisoformat(p["date"]), loc) in said, (p["png"], texts[:3])
        for source in meta["sources"]:  # the chart's own source line, word for word (wrapped)
            assert " ".join(source.split()) in " ".join(said.split()), (p["png"], source[:60])
        width = float(re.search(r'<svg [^>]*width="([\d.]+)"', svg).group(1))
        for m in re.finditer(r'<text x="([\d.]+)" y="[\d.]+" font-size="(\d+)"[^>]*?( font-weight="bold")?>([^<]*)</text>', svg):
            drawn = _font(int(m.group(2)), bool(m.group(3))).getlength(html.unescape(m.group(4)))
            assert float(m.group(1)) + drawn <= width - PAD + 0.5, (p["png"], m.group(4))
        img = Image.open(out / p["png"])
        assert img.width == 800 and img.height > 200
        assert meta["files"]["svg"] == f"{p['name']}.svg"
    # the header is above the chart: the PNG is taller than the chart it frames
    casualties = next(p for p in manifest["pages"] if p["view"] == "casualties" and p["lang"] == "en")
    chart_h = F.build_casualties(bundle, "en").figure.layout.height
    assert Image.open(out / casualties["png"]).height > chart_h + 60


# --------------------------------------------------------------------------- the explainer's own pages


def test_story_and_sources_pages_say_what_the_app_says(site):
    """The static story and sources pages, in both languages: the app's texts from the same builders
    (headline, intro, each step with the graphic it names, each claim card, what is known now; every claim,
    every layer, the corrections log), a CSP that runs no script, and the index linking them."""
    from explainer import i18n
    from explainer.export.article import CSP

    out, manifest, *_ = site
    bundle = load_bundle(DATA, GEO)
    index = (out / "index.html").read_text("utf-8")
    for lang, loc in LANGS.items():
        folder = out / manifest["pinned"] / lang
        story = (folder / "story.html").read_text("utf-8")
        sources = (folder / "sources.html").read_text("utf-8")
        for text in (story, sources):
            assert f'<html lang="{lang}">' in text and f'content="{CSP}"' in text and "script-src 'none'" in CSP
            assert not re.findall(r"<script(?! type=\"application/ld\+json\")", text)
        head = bundle.article.lead
        assert html.escape(i18n.field(head, "headline", loc)) in story
        assert html.escape(i18n.field(head, "intro", loc)) in story
        lead = F.build_lead(bundle, loc)
        assert html.escape(lead.summary) in story
        for i, step in enumerate(bundle.story, 1):
            assert html.escape(i18n.field(step, "title", loc)) in story
            assert html.escape(i18n.field(step, "text", loc)) in story
            named = "cas" if step_graphic(bundle, step) == "casualties" else "map"  # the one graphic the step names
            assert f'id="step-{i}-{named}"' in story
            for size in ("wide", "narrow"):
                for kind in ("map", "cas"):
                    f = folder / "story" / f"step-{i}-{kind}-{size}.svg"
                    if kind == named:
                        assert f.is_file() and f"story/{f.name}" in story, f
                    else:
                        assert not f.exists() and f"story/{f.name}" not in story, f
            assert f'href="map-{step.date.isoformat()}.html"' in story  # the step's interactive map
        for ac in bundle.article.claims:
            assert f'id="card-{ac.id}"' in story or any(
                " ".join(o.excerpt.split()) == " ".join(ac.excerpt.split()) for o in bundle.article.claims if o.id != ac.id
            )
            for cid in ac.claim_ids:
                c = bundle.claim_by_id[cid]
                if c.has_number:
                    assert html.escape(F.known_now_lines(bundle, c, lang)[0]) in story
        assert 'id="article"' in story  # claims sourced to the article link here
        for c in bundle.claims:
            assert f"<td>{c.id}</td>" in sources
        for lyr in bundle.manifest.layers:
            assert html.escape(i18n.field(lyr, "title", loc)) in sources
        for ch in bundle.changelog:
            assert html.escape(i18n.field(ch, "change", loc)) in sources
        assert '<script type="application/ld+json">' in sources
        for name in ("story", "sources"):
            assert f'href="{manifest["pinned"]}{lang}/{name}.html"' in index


# --------------------------------------------------------------------------- browser


@pytest.mark.browser
def test_every_page_draws_with_the_geo_bundle_in_a_host_page(site, serve, context, tmp_path_factory):
    out, manifest, *_ = site
    embeds = serve(out)
    host = host_url(serve, tmp_path_factory, embeds)
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith("/favicon.ico") else None,
    )
    problems = []
    for p in chart_pages(manifest):
        for key in ("html", "latest_html"):
            if key == "latest_html" and p["view"] != "map":
                continue
            frame, msg = open_embed(page, host, p[key])
            if msg["id"] != f"{p['lang']}/{p['name']}" or msg["height"] < 200:
                problems.append(f"{p[key]}: height message {msg}")
            applied = page.evaluate("() => document.querySelector('iframe').style.height")
            if applied != f"{msg['height']}px":
                problems.append(f"{p[key]}: host.js set {applied}, page reported {msg['height']}")
            state = frame.evaluate(
                "() => [window.Plotly.version, !!document.querySelector('.chart-static'), !!document.querySelector('.modebar')]"
            )
            if state != [PLOTLY_JS_VERSION, False, False]:
                problems.append(f"{p[key]}: plotly, svg left, mode bar = {state}")
    page.close()
    assert not problems, problems
    assert not dialogs and not errors, (dialogs, errors)
    assert not third_party(requests), third_party(requests)
    assert any(u.endswith(f"/assets/plotly-geo-{PLOTLY_JS_VERSION}.min.js") for u in requests)
    assert not any(u.endswith("plotly.min.js") for u in requests)


@pytest.mark.browser
def test_svg_paints_first_without_layout_shift(site, serve, browser):
    """With JavaScript off the page shows the SVG in its reserved box; with it, the interactive
    chart takes the same box (cumulative layout shift measured by the browser stays under 0.05)."""
    out, manifest, *_ = site
    embeds = serve(out)
    ctx = browser.new_context(viewport={"width": 900, "height": 900}, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{embeds}/latest/fr/map.html")
    box = page.locator("#chart-box").bounding_box()
    svg = page.locator(".chart-static svg").bounding_box()
    assert box["height"] == 500 and svg["height"] == 500 and svg["width"] > 0
    assert page.locator("#chart-box").get_attribute("data-state") == "svg"
    ctx.close()
    ctx = browser.new_context(viewport={"width": 375, "height": 900})
    ctx.add_init_script("""window.__cls = 0; new PerformanceObserver(l => { for (const e of l.getEntries())
      if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true});""")
    page = ctx.new_page()
    for path in ("latest/fr/map.html", "latest/en/casualties.html", "latest/en/area.html"):
        page.goto(f"{embeds}/{path}")
        before = page.locator("#chart-box").bounding_box()
        page.wait_for_function(DRAWN, timeout=scaled_ms(30_000))
        after = page.locator("#chart-box").bounding_box()
        assert before == after, (path, before, after)
        assert page.evaluate("() => window.__cls") <= 0.05, path
    ctx.close()


LABELS_OUTSIDE_FRAME = """() => {
  const gd = document.getElementById('chart'), s = gd.querySelector('.main-svg').getBoundingClientRect();
  const clip = gd.querySelector('clipPath[id$="geo"] rect');
  const left = s.left + +clip.getAttribute('x'), right = left + +clip.getAttribute('width');
  const top = s.top + +clip.getAttribute('y'), bottom = top + +clip.getAttribute('height');
  return [...gd.querySelectorAll('.geo .scattergeo text')].map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, b]) => b.width && (b.left < left - 0.5 || b.right > right + 0.5 || b.top < top - 0.5
                                   || b.bottom > bottom + 0.5)).map(([n]) => n);
}"""


def _control_requests(requests: list[str]) -> list[str]:
    return [u.rsplit("/", 1)[-1] for u in requests if "/control/" in u]


@pytest.mark.browser
def test_static_map_slider_fetches_one_file_per_date_and_keeps_the_hash(site, serve, browser):
    out, manifest, *_ = site
    bundle = load_bundle(DATA, GEO)
    days = [d.isoformat() for d in control_dates(bundle)]
    embeds = serve(out)
    ctx = browser.new_context(viewport={"width": 900, "height": 900})
    requests: list[str] = []
    ctx.on("request", lambda r: requests.append(r.url))
    page = ctx.new_page()
    for path in (manifest["pages"][0]["html"], "latest/fr/map.html"):  # pinned and latest
        requests.clear()
        page.goto(f"{embeds}/{path}")
        page.wait_for_function(DRAWN, timeout=scaled_ms(30_000))
        first = page.locator("#chart-box").get_attribute("data-date")
        drawn0 = page.evaluate(CONTROL_DRAWN)
        assert _control_requests(requests) == []  # the page's own date is in the page
        slider = page.locator("#date-slider")
        slider.focus()
        page.keyboard.press("ArrowRight")
        nxt = days[days.index(first) + 1]
        page.wait_for_function(f"() => document.getElementById('chart-box').dataset.date === '{nxt}'")
        assert page.evaluate("() => location.hash") == f"#date={nxt}"
        assert page.evaluate(CONTROL_DRAWN) != drawn0  # other polygons drawn
        assert _control_requests(requests) == [f"{nxt}.json"]
        assert page.locator("#date-label").inner_text() == page.locator("#date-slider").get_attribute("aria-valuetext")
        page.keyboard.press("ArrowLeft")  # back to a date already shown: no new request
        page.wait_for_function(f"() => document.getElementById('chart-box').dataset.date === '{first}'")
        assert page.evaluate(CONTROL_DRAWN) == drawn0
        page.locator("#date-back").click()  # a week back
        page.wait_for_function(f"() => document.getElementById('chart-box').dataset.date !== '{first}'")
        wk = page.locator("#chart-box").get_attribute("data-date")
        assert (dt.date.fromisoformat(first) - dt.date.fromisoformat(wk)).days >= 7
        page.wait_for_function(f"() => location.hash === '#date={wk}'")
        assert _control_requests(requests) == [f"{nxt}.json", f"{wk}.json"]
    # play moves through the dates, pause stops
    page.locator("#date-play").click()
    page.wait_for_function("() => document.getElementById('date-play').getAttribute('aria-pressed') === 'true'")
    start = page.locator("#chart-box").get_attribute("data-date")
    page.wait_for_function(f"() => document.getElementById('chart-box').dataset.date > '{start}'", timeout=scaled_ms(15_000))
    page.locator("#date-play").click()
    assert page.locator("#date-play").get_attribute("aria-pressed") == "false"
    assert page.locator("#date-play").inner_text() == "▶ Lecture"
    ctx.close()
    assert not third_party(requests), third_party(requests)


@pytest.mark.browser
def test_a_link_with_a_date_opens_that_day(site, serve, browser):
    out, manifest, *_ = site
    bundle = load_bundle(DATA, GEO)
    days = control_dates(bundle)
    day = days[len(days) // 3]
    embeds = serve(out)
    ctx = browser.new_context(viewport={"width": 900, "height": 900})
    requests: list[str] = []
    ctx.on("request", lambda r: requests.append(r.url))
    page = ctx.new_page()
    page.goto(f"{embeds}/latest/en/map.html#date={day.isoformat()}")
    page.wait_for_function(
        f"() => document.getElementById('chart-box').dataset.date === '{day.isoformat()}'", timeout=scaled_ms(30_000)
    )
    view = F.build_map(bundle, day, "en")
    drawn = page.evaluate("() => document.getElementById('chart').data.map(t => t.hovertemplate || null)")
    assert drawn == [tr.get("hovertemplate") for tr in json.loads(view.figure.to_json())["data"]]
    assert page.locator("#date-slider").input_value() == str(days.index(day))
    assert page.locator("#summary").inner_text() == view.summary
    assert _control_requests(requests) == [f"{day.isoformat()}.json"]
    # the area chart's selected-date line follows the same hash
    page.goto(f"{embeds}/latest/en/area.html#date={day.isoformat()}")
    page.wait_for_function(
        f"() => document.getElementById('chart-box').dataset.date === '{day.isoformat()}'", timeout=scaled_ms(30_000)
    )
    shapes = page.evaluate("() => document.getElementById('chart').layout.shapes.map(s => s.x0)")
    assert day.isoformat() in shapes
    page.locator("#date-slider").focus()
    page.keyboard.press("PageUp")  # a week on
    page.wait_for_function(f"() => document.getElementById('chart-box').dataset.date > '{day.isoformat()}'")
    new = page.locator("#chart-box").get_attribute("data-date")
    assert new in page.evaluate("() => document.getElementById('chart').layout.shapes.map(s => s.x0)")
    assert page.evaluate("() => location.hash") == f"#date={new}"
    ctx.close()


@pytest.mark.browser
def test_pinned_page_links_to_the_latest_version(two_versions, serve, context):
    out, first, second, _ = two_versions
    embeds = serve(out)
    page = context.new_page()
    page.goto(f"{embeds}/{first['pinned']}fr/map.html#date=2024-09-01")
    page.wait_for_function("() => !document.getElementById('newer').hidden", timeout=scaled_ms(30_000))
    href = page.evaluate("() => document.querySelector('#newer a').href")
    assert href == f"{embeds}/latest/fr/map.html#date=2024-09-01"
    page.goto(f"{embeds}/{second['pinned']}fr/map.html")
    page.wait_for_function(DRAWN, timeout=scaled_ms(30_000))
    page.wait_for_load_state("networkidle")
    assert page.locator("#newer").is_hidden()
    page.close()


@pytest.mark.browser
def test_theme_for_dark_host_pages(site, serve, browser):
    out, manifest, *_ = site
    embeds = serve(out)
    cases = [
        ("?theme=dark", "light", "dark"),
        ("?theme=auto", "dark", "dark"),
        ("?theme=auto", "light", "light"),
        ("", "dark", "light"),
        ("?theme=bogus", "dark", "light"),
    ]
    for query, scheme, want in cases:
        ctx = browser.new_context(viewport={"width": 900, "height": 900}, color_scheme=scheme)
        page = ctx.new_page()
        page.goto(f"{embeds}/latest/en/casualties.html{query}")
        page.wait_for_function(DRAWN, timeout=scaled_ms(30_000))
        got = page.evaluate("""() => [document.documentElement.dataset.theme,
          getComputedStyle(document.body).color, document.getElementById('chart')._fullLayout.paper_bgcolor]""")
        assert got[0] == want, (query, scheme, got)
        dark = want == "dark"
        assert (got[1] == "rgb(232, 232, 232)") == dark and (got[2] == "#161616") == dark, (query, scheme, got)
        ctx.close()


@pytest.mark.browser
def test_static_map_screenshots(site, serve, browser, artifacts):
    """fr and en at 1280 and 375 px, saved for review; nothing overflows the page width."""
    out, manifest, *_ = site
    embeds = serve(out)
    for width in (1280, 375):
        ctx = browser.new_context(viewport={"width": width, "height": 1000})
        page = ctx.new_page()
        for lang in ("fr", "en"):
            page.goto(f"{embeds}/latest/{lang}/map.html")
            page.wait_for_function(DRAWN, timeout=scaled_ms(30_000))
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            controls = page.locator("#controls").bounding_box()
            assert controls["x"] >= 0 and controls["x"] + controls["width"] <= width
            cut = page.evaluate(LABELS_OUTSIDE_FRAME)
            assert not cut, (lang, width, cut)  # every place name inside the map's frame
            band = page.evaluate(MAP_FILL)  # the drawn map fills its plot area: no empty band on a phone
            assert band["drawn"] >= 0.95 * band["area"], (lang, width, band)
            page.screenshot(path=str(artifacts / f"export_map_{lang}_{width}.png"), full_page=True)
        page.goto(f"{embeds}/latest/fr/casualties.html?theme=dark")
        page.wait_for_function(DRAWN, timeout=scaled_ms(30_000))
        page.screenshot(path=str(artifacts / f"export_casualties_dark_{width}.png"), full_page=True)
        page.goto(f"{embeds}/index.html")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(artifacts / f"export_index_{width}.png"))
        ctx.close()


MAP_FILL = """() => {
  const clip = document.querySelector('#chart clipPath[id$="geo"] rect');
  const size = document.getElementById("chart")._fullLayout._size;
  return {drawn: (+clip.getAttribute("width")) * (+clip.getAttribute("height")), area: size.w * size.h};
}"""


@pytest.mark.browser
def test_data_text_is_escaped(data_copy, tmp_path, serve, context, tmp_path_factory):
    """An event title holding a script tag shows as text in the summary and never runs."""
    data, geo = data_copy
    with_event_title(data, PAYLOAD)
    out = tmp_path / "embed"
    assert export_site(data, geo, out, ["en"], images=False) == 0
    for f in out.rglob("*.html"):
        assert PAYLOAD not in f.read_text("utf-8"), f
    shown = [
        f.with_suffix(".html").relative_to(out).as_posix()
        for f in sorted(out.glob("latest/en/map*.json"))
        if PAYLOAD in json.loads(f.read_text("utf-8"))["summary"]
    ]
    assert shown

    embeds = serve(out)
    host = host_url(serve, tmp_path_factory, embeds)
    dialogs: list[str] = []
    requests: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    for path in (shown[0], "latest/en/timeline.html"):
        frame, _ = open_embed(page, host, path)
        if path == shown[0]:
            summary = frame.locator("#summary")
            assert summary.is_visible()
            assert PAYLOAD in summary.inner_text()
    page.close()
    assert not dialogs
    assert not third_party(requests), third_party(requests)


# every picture of the page loaded (lazy ones too) and decoded: [[its source, its width or 0], ...]
IMAGES_DECODED = """() => Promise.all([...document.images].map(i => { i.loading = 'eager';
  return i.decode().then(() => [i.currentSrc, i.naturalWidth], () => [i.currentSrc || i.src, 0]); }))"""


@pytest.mark.browser
def test_story_and_sources_pages_in_a_browser(site, serve, browser, artifacts):
    """The story and sources pages at 375 and 1280 px in French and English, over http and from a
    folder of files: every picture loads (the narrow one on a phone), nothing leaves the page's width,
    no request leaves the export, and the step's graphics sit beside (wide) or under (phone) its text.
    Screenshots are saved for review."""
    out, manifest, *_ = site
    base = serve(out)
    pinned = manifest["pinned"]
    requests: list[str] = []
    for width in (375, 1280):
        # the pages' own CSP applies (the checks below run as DevTools calls, which it does not govern)
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        ctx.on("request", lambda r: requests.append(r.url))
        page = ctx.new_page()
        for lang in LANGS:
            for name in ("story", "sources"):
                for url in (f"{base}/{pinned}{lang}/{name}.html", (out / pinned / lang / f"{name}.html").as_uri()):
                    page.goto(url)
                    images = page.evaluate(IMAGES_DECODED)
                    assert all(w > 0 for _, w in images), (url, [s for s, w in images if not w][:3])
                    want = "-narrow.svg" if width < 600 else "-wide.svg"
                    assert all(s.endswith(want) for s, _ in images), (url, images[:2])
                    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, url
                    if name == "story":
                        text = page.locator("#step-1 .step-text").bounding_box()
                        graphic = page.locator("#step-1 .step-graphics").bounding_box()
                        if width >= 1280:  # beside its text
                            assert graphic["x"] > text["x"] + text["width"] and abs(graphic["y"] - text["y"]) < 40
                        else:  # under it
                            assert graphic["y"] >= text["y"] + text["height"]
                page.screenshot(path=str(artifacts / f"export_{name}_{lang}_{width}.png"))
                if name == "story":
                    page.evaluate("() => document.getElementById('step-4').scrollIntoView()")
                    page.screenshot(path=str(artifacts / f"export_story_step4_{lang}_{width}.png"))
        assert not third_party([u for u in requests if not u.startswith("file:")]), third_party(requests)
        ctx.close()


@pytest.mark.browser
def test_picture_text_fits_the_picture_as_a_browser_draws_it(site, serve, browser):
    """The credited SVGs opened on their own (as a picture desk would): every header and footer line is
    drawn inside the picture's width, fr and en."""
    out, manifest, *_ = site
    base = serve(out)
    ctx = browser.new_context(viewport={"width": 1000, "height": 900})
    page = ctx.new_page()
    for p in manifest["pages"]:
        if p["name"] not in ("map", "casualties", "timeline", "story", "sources"):
            continue
        page.goto(f"{base}/{p['png'][:-4]}.svg")
        widths = page.evaluate(
            """() => { const svg = document.documentElement, w = +svg.getAttribute('width');
              return [w, [...svg.querySelectorAll(':scope > g > text')].map(t => { const b = t.getBBox(); return b.x + b.width; })]; }"""
        )
        assert widths[1] and max(widths[1]) <= widths[0], (p["png"], widths)
    ctx.close()


@pytest.mark.browser  # kaleido starts chromium
def test_share_panel_pictures_carry_the_same_credits_in_french():
    """The share panel's images come from the export's builder: the PNG (at twice the width) and the
    SVG carry the title, the data's date, the source line and the credit, in the reader's language."""
    import io

    from PIL import Image

    from explainer import i18n
    from explainer import queries as Q
    from explainer.export.picture import caption, pictures
    from explainer.ui.share import IMAGE_WIDTH

    bundle = load_bundle(DATA, GEO)
    view = F.build_timeline(bundle, "fr-CH")
    png, svg = pictures(bundle, view, "fr-CH", IMAGE_WIDTH)
    img = Image.open(io.BytesIO(png))
    assert img.width == 2 * IMAGE_WIDTH and img.height > 2 * view.figure.layout.height + 120
    text = html.unescape(svg.decode("utf-8"))
    cap = caption(bundle, view, "fr-CH")
    assert cap.title == view.title and f"<title>{view.title}</title>" in text
    assert i18n.date(Q.now(bundle), "fr-CH") in cap.dates and "Sources\u00a0:" in cap.source and "Graphique" in cap.credit
    words = " ".join(re.sub(r"<[^>]+>", " ", text.split("<svg", 2)[1]).split())
    for part in (cap.dates, cap.source, cap.credit):
        assert " ".join(part.split()) in words, part[:60]
