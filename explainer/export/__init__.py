"""Static export: the embeds as plain files any static host or CDN can serve.

``export_site`` writes, per language, one page per view built by the same builders as the app
(:mod:`explainer.figures`). Each data version gets its own immutable folder, and ``latest/`` is a
copy of the newest one (a copy, not a symlink or a redirect: every host serves it, at no extra
request)::

    out/.kursk-explainer-export.json  marker: this tool wrote the folder, and a hash of every file
    out/index.html                    every embed (thumbnail, pinned and latest snippet), every version
    out/manifest.json                 this export: pages, files, versions, timings
    out/versions.json                 every data version published here, newest first
    out/assets/plotly-geo-<v>.min.js  plotly.js's geo partial bundle (scatter, scattergeo, choropleth)
    out/assets/embed-<hash>.js        draws the chart, date controls, height to the host page
    out/assets/host.js                host-page snippet: resizes <iframe data-explainer-embed>
    out/assets/topojson/              local copy, so plotly's geo map never calls its CDN
    out/v/<data-version>/             pinned: never rewritten once published
        version.json  index.html  manifest.json
        {lang}/{name}.html            map, map-YYYY-MM-DD (story dates), area, casualties, timeline
        {lang}/{name}.csv|json        the data as numbers (low, high, bound, ids, sources); metadata (sources,
                                      licences, version, the CSV's Frictionless Data Resource)
        {lang}/{name}.png|svg         the chart with its credits baked in (title, dates, sources, credit)
        {lang}/story.html             the explainer's story (no script): lead graphic, steps, claim cards
        {lang}/story/<graphic>.svg    its charts, wide and narrow
        {lang}/sources.html           every claim with its source, re-reports, layers, method, gaps, corrections
        {lang}/control/<date>.json    the map's date-dependent traces, one small file per snapshot
    out/latest/                       the same for the newest data version

Pages paint an inline SVG of their chart (rendered at export time with kaleido, batched with the
PNGs), then swap in the interactive chart when plotly.js has loaded. They make no third-party
request (no CDN, fonts or map tiles; a CSP forbids them).

The output is built in a temporary folder beside ``out`` and swapped in at the end, so a host never
serves a half-written export. An existing ``out`` is replaced only when its marker proves this tool
wrote it; files a publisher added since (``CNAME``, ``robots.txt``) are carried over, earlier
data versions are kept, and a sibling ``<out>.old`` is never touched.

One job per module:

- ``site``: :func:`export_site`, the whole run (checks, every file of a data version, ``latest/``,
  manifest, marker, swap) and the command line's entry point;
- ``pages``: which pages exist per language (:class:`Page`, :func:`build_pages`), their date
  controls, titles and chart heights;
- ``render``: one page's files: its HTML (``export_assets/page.html`` filled in) and its metadata JSON;
- ``dates``: the map explorer's per-date files (``control/<date>.json``);
- ``index``: the newsroom's ``index.html`` and the iframe snippets;
- ``images``: the pictures (credited PNG and SVG downloads, the pages' inline SVGs, the story's
  graphics), drawn by kaleido in one browser session;
- ``picture``: the header and footer baked into every downloaded picture (also the share panel's);
- ``downloads``: the data behind a chart as numbers a desk can re-chart (also the share panel's CSV);
- ``article``: the explainer's own pages, story and sources, without script;
- ``ownership``: the marker file, what an earlier export left in ``out`` (:func:`read_existing`),
  what is carried over, :class:`ExportRefused`;
- ``swap``: the finished folder swapped into place;
- ``assets``: where the shipped files come from (``explainer/export_assets/``, vendored plotly.js, topojson);
- ``text``: the languages (``LANGS``) and the wording only the static pages use;
- ``hashing``: content hashes (marker fingerprints, cache-busting names).

Every public name is importable from ``explainer.export``. A test that replaces one of them patches
the module that uses it (``explainer.export.site`` for what ``export_site`` calls): a patch on this
package does not reach a module that imported the name.
"""

from __future__ import annotations

from .assets import ASSETS, PLOTLY_JS, PLOTLY_JS_VERSION, TOPOJSON, VENDOR
from .dates import write_date_files
from .hashing import sha256, short_hash
from .images import PNG_WIDTH, write_images, write_pngs
from .index import IFRAME_HEIGHT, iframe_snippet, render_index
from .ownership import MARKER, TOOL, Existing, ExportRefused, carry_over, marker_doc, read_existing
from .pages import Page, build_pages, chart_height, date_controls, page_title, png_height, title_for
from .render import PLOTLY_CONFIG, controls_html, figure_json, metadata, render_page, script_json
from .site import MAX_PAGE_BYTES, export_site
from .text import LANGS, TEXT

__all__ = [
    "ASSETS",
    "IFRAME_HEIGHT",
    "LANGS",
    "MARKER",
    "MAX_PAGE_BYTES",
    "PLOTLY_CONFIG",
    "PLOTLY_JS",
    "PLOTLY_JS_VERSION",
    "PNG_WIDTH",
    "TEXT",
    "TOOL",
    "TOPOJSON",
    "VENDOR",
    "Existing",
    "ExportRefused",
    "Page",
    "build_pages",
    "carry_over",
    "chart_height",
    "controls_html",
    "date_controls",
    "export_site",
    "figure_json",
    "iframe_snippet",
    "marker_doc",
    "metadata",
    "page_title",
    "png_height",
    "read_existing",
    "render_index",
    "render_page",
    "script_json",
    "sha256",
    "short_hash",
    "title_for",
    "write_date_files",
    "write_images",
    "write_pngs",
]
