"""Section `export`: duration of the static export (its output is served by the `browser` section)."""

from __future__ import annotations

import json

from .core import Bench

NAME = "export"
METHOD = (
    "Wall time of `python -m explainer export --out <tmp>` as a subprocess (bundled data, fr + en; with "
    "`--quick`, `export_site(..., images=False)` instead: no PNG fallbacks). The `browser` section serves "
    "this output."
)


def run(b: Bench) -> None:
    r = b.r
    out, secs, msg = b.export()
    if out is None:
        r.add("export", "static export (python -m explainer export)", "s", [], note=msg)
        r.note("export", msg)
        return
    r.add(
        "export",
        "static export, fr + en: "
        + ("export_site(images=False), no PNG (quick)" if b.quick else "python -m explainer export, with PNG fallbacks"),
        "s",
        [secs],
    )
    try:
        man = json.loads((out / "manifest.json").read_text("utf-8"))
        tm = man.get("timings_s") or {}
        if tm:
            r.add("export", "  of which figures (export's own timing)", "s", [tm.get("figures", 0)])
            if not b.quick:
                r.add("export", "  of which PNG fallbacks, kaleido (export's own timing)", "s", [tm.get("png", 0)])
        pages = man.get("pages") or []
        if pages and all("bytes" in p for p in pages):
            r.add(
                "bytes",
                f"static export page weight (HTML + embed.js), {len(pages)} pages",
                "KB",
                [p["bytes"] / 1000 for p in pages],
            )
        plotly_js = next(iter(sorted((out / "assets").glob("plotly*.js"))), out / "assets" / "plotly.min.js")
        if plotly_js.is_file():
            r.note(
                "export",
                f"Shared assets/{plotly_js.name}: {plotly_js.stat().st_size / 1e6:.2f} MB (loaded once per "
                "host page and then cached).",
            )
    except (OSError, ValueError) as e:
        r.note("export", f"manifest.json unreadable: {e}")
    r.note("export", f"Export output: {msg}")
