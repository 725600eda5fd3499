"""The newsroom's index page: every embed with its thumbnail, files and iframe snippets, and every data version."""

from __future__ import annotations

import html
from typing import Any

from ..datapackage import dataset_jsonld, downloads, jsonld_script
from ..load import Bundle
from .images import PNG_WIDTH
from .pages import EXPLAINER_VIEWS, Page, chart_height, page_title
from .render import attr
from .text import TEXT

IFRAME_HEIGHT = 640
# The index runs no script and loads only its own thumbnails: its CSP allows nothing else.
INDEX_CSP = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"


def iframe_snippet(src: str, title: str) -> str:
    return (
        f'<iframe src="{attr(src)}" width="100%" height="{IFRAME_HEIGHT}" style="border:0" '
        f'title="{attr(title)}" loading="lazy" data-explainer-embed></iframe>'
    )


def render_index(
    pages: list[Page],
    base: str,
    bundle: Bundle,
    generated: str,
    images: bool,
    prefix: str = "",
    versions: list[dict[str, Any]] | None = None,
) -> str:
    """The newsroom's list: per embed a thumbnail, its files, the pinned and the latest snippet.
    ``prefix`` is the path from this index to the version folder ("v/<version>/" at the top level)."""
    esc = html.escape
    pinned = f"v/{bundle.version}"
    host = f'<script src="{esc(base)}/assets/host.js" defer></script>'
    cards, whole = [], []
    for p in pages:
        title = page_title(p)
        files = " · ".join(
            f'<a href="{esc(prefix + p.path)}.{ext}">{ext}</a>'
            for ext in ("csv", "json", "png", "svg")
            if images or ext in ("csv", "json")
        )
        width, height = p.png_size or (PNG_WIDTH, chart_height(p))
        thumb = (
            f'<img src="{esc(prefix + p.path)}.png" alt="" width="{width}" height="{height}" loading="lazy">' if images else ""
        )
        if p.view in EXPLAINER_VIEWS:  # the explainer itself: a page to publish, not an embed
            whole.append(
                f'<li class="card" lang="{p.lang}"><a class="thumb" href="{esc(prefix + p.path)}.html">{thumb}'
                f"<span>{esc(title)}</span></a><small>{esc(p.path)}.html · {files}</small></li>"
            )
            continue
        cards.append(
            f'<li class="card" lang="{p.lang}"><a class="thumb" href="{esc(prefix + p.path)}.html">{thumb}'
            f"<span>{esc(title)}</span></a><small>{esc(p.path)}.html · {files}</small>"
            f"<p>{esc(TEXT['en']['pinned'])}</p><pre><code>{esc(iframe_snippet(f'{base}/{pinned}/{p.path}.html', title))}</code></pre>"
            f"<p>{esc(TEXT['en']['latest'])}</p><pre><code>{esc(iframe_snippet(f'{base}/latest/{p.path}.html', title))}</code></pre></li>"
        )
    rows = "".join(
        f'<li><a href="v/{esc(v["data_version"])}/index.html">{esc(v["data_version"])}</a> · '
        f"{esc(str(v.get('generated_at', '')))}{' (latest)' if i == 0 else ''}</li>"
        for i, v in enumerate(versions or [])
    )
    version_list = f'<h2>{TEXT["en"]["versions"]}</h2><ul class="versions">{rows}</ul>' if versions else ""
    data_url = f"{base}/{pinned}/data/"  # the tables this version was built from, with their datapackage.json
    dataset = jsonld_script(dataset_jsonld(bundle, "en", downloads(data_url)))
    tables = " · ".join(f'<a href="{esc(prefix)}data/{esc(name)}">{esc(name)}</a>' for name, _, _ in downloads(""))
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{INDEX_CSP}">
<meta name="referrer" content="no-referrer">
<title>{TEXT["en"]["index_title"]}</title>
<style>body{{font:15px/1.4 system-ui,sans-serif;margin:16px;color:#222;max-width:1100px}}
ul.cards{{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,320px),1fr));gap:16px}}
.card{{border:1px solid #ddd;border-radius:6px;padding:8px;min-width:0}}.thumb{{display:block;color:#1F5FA8}}
.thumb img{{width:100%;height:auto;display:block;border:1px solid #eee;margin-bottom:4px}}
pre{{white-space:pre-wrap;word-break:break-all;margin:0;font-size:12px;background:#f6f6f6;padding:4px}}
.card p{{margin:6px 0 2px;font-size:13px}}</style>
{dataset}
</head>
<body>
<h1>{TEXT["en"]["index_title"]}</h1>
<p>Data version {esc(bundle.version)}, exported {esc(generated)}. {len(pages) - len(whole)} embeds.
Articles embed the <b>pinned</b> URL (<code>v/&lt;data-version&gt;/</code>: its numbers never change);
the live explainer embeds <b>latest</b>.</p>
<p>Add once per host page (resizes the iframes to their content):</p>
<pre><code>{esc(host)}</code></pre>
<p>Data (Frictionless Data Package, the tables behind every embed): {tables}</p>
{version_list}
<h2>{TEXT["en"]["explainer_pages"]}</h2>
<p>{TEXT["en"]["explainer_pages_note"]}</p>
<ul class="cards">
{chr(10).join(whole)}
</ul>
<h2>Embeds</h2>
<ul class="cards">
{chr(10).join(cards)}
</ul>
</body>
</html>
"""
