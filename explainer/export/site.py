"""The whole export run: checks, every file of a data version in a temporary folder, then the swap into place."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Literal

from plotly.offline import get_plotlyjs_version

from .. import rights as R
from ..csvsafe import write_csv
from ..datapackage import write_tables
from ..load import DataError, load_bundle
from .assets import ASSETS, PLOTLY_JS, PLOTLY_JS_VERSION, TOPOJSON, VENDOR
from .dates import write_date_files
from .hashing import short_hash
from .images import write_images
from .index import render_index
from .ownership import MARKER, TOOL, ExportRefused, carry_over, files_below, marker_doc, read_existing
from .pages import build_pages, page_title
from .pinning import latest_figures
from .render import metadata, render_page
from .swap import data_date, older_than_latest, swap_in
from .text import LANGS

MAX_PAGE_BYTES = 300_000  # html + embed.js, plotly.js excluded


def export_site(
    data_dir: Path | str,
    geo_dir: Path | str,
    out: Path,
    langs: list[str],
    *,
    base: str | None = None,
    images: bool = True,
    explainer_url: str | None = None,
    rights: Literal["refuse", "preview"] = "preview",
    force: bool = False,
) -> int:
    """Write the static site to ``out``; returns an exit code (0 ok, 1 bad data or failure, 2 usage).

    ``base`` is the public URL of ``out`` used in the iframe snippets (default
    $EXPLAINER_EMBED_BASE or /embed, as in the app's share panel); ``images=False``
    skips the PNG thumbnails and the pre-rendered SVGs (a quick preview). ``explainer_url`` (default
    $EXPLAINER_PUBLIC_URL) is the live explainer, linked from each embed's footer when set.

    ``rights``: a layer whose rights are not cleared and carry no editor's decision (geo/README.md:
    rights) makes the run refuse (``"refuse"``, what the command line and the desk ask) or is exported
    with a notice (``"preview"``: the first line of the output and ``rights_preview`` in manifest.json).
    ``force``: move ``latest/`` to data older than it holds (refused otherwise; see ``older_than_latest``).
    """
    t0 = time.perf_counter()
    out = Path(out)
    unknown = [lang for lang in langs if lang not in LANGS]
    if unknown or not langs:
        print(f"unknown language(s) {', '.join(unknown) or '(none)'}; use {', '.join(LANGS)}", file=sys.stderr)
        return 2
    if get_plotlyjs_version() != PLOTLY_JS_VERSION:
        print(
            f"plotly writes figures for plotly.js {get_plotlyjs_version()} but the vendored bundle is "
            f"{PLOTLY_JS_VERSION}: update explainer/export_assets/vendor (see its README)",
            file=sys.stderr,
        )
        return 1
    try:
        existing = read_existing(out)
    except ExportRefused as e:
        print(e, file=sys.stderr)
        return 2
    try:
        bundle = load_bundle(data_dir, geo_dir)
    except DataError as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        print(f"{len(e.problems)} problem(s); nothing exported", file=sys.stderr)
        return 1
    uncleared = R.blockers(bundle.manifest)
    if uncleared and rights == "refuse":
        print(R.refusal(uncleared, "or export a labelled preview with --rights-preview"), file=sys.stderr)
        return 1
    if uncleared:
        print(R.preview_notice(uncleared))
    newest = data_date(bundle)
    older = older_than_latest(existing.versions, bundle.version, newest)
    if older and not force:
        print(older, file=sys.stderr)
        return 2
    if older:
        print(f"--force: {older.removeprefix('refused: ').split('. Nothing')[0]}; latest/ moves back to it")
    base = (os.environ.get("EXPLAINER_EMBED_BASE", "/embed") if base is None else base).rstrip("/")
    explainer_url = os.environ.get("EXPLAINER_PUBLIC_URL", "") if explainer_url is None else explainer_url
    if explainer_url and not explainer_url.startswith(("https://", "http://")):
        print(f"the explainer's URL must start with https:// or http://: {explainer_url}", file=sys.stderr)
        return 2
    generated = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    version = bundle.version
    pinned_dir, latest_dir = f"v/{version}", "latest"

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a web server must read it
    try:
        (tmp / "assets").mkdir()
        plotly_js = PLOTLY_JS.read_bytes()
        embed_js = (ASSETS / "embed.js").read_bytes()
        assets = {"plotly": f"plotly-geo-{PLOTLY_JS_VERSION}.min.js", "embed": f"embed-{short_hash(embed_js)}.js"}
        (tmp / "assets" / assets["plotly"]).write_bytes(plotly_js)
        (tmp / "assets" / assets["embed"]).write_bytes(embed_js)
        shutil.copyfile(ASSETS / "host.js", tmp / "assets" / "host.js")
        shutil.copyfile(VENDOR / "LICENSE", tmp / "assets" / "plotly-geo.LICENSE.txt")
        shutil.copytree(TOPOJSON, tmp / "assets" / "topojson")

        t_fig = time.perf_counter()
        pages = [p for lang in langs for p in build_pages(bundle, lang)]
        t_fig = time.perf_counter() - t_fig
        pin = tmp / pinned_dir
        for lang in langs:
            (pin / lang).mkdir(parents=True, exist_ok=True)
        t_img = write_images(pages, pin, tmp / ".scratch") if images else 0.0
        missing = [f"{p.path}.png" for p in pages if images and not (pin / f"{p.path}.png").is_file()]
        missing += [f"{p.path} (svg)" for p in pages if images and not p.svg]
        if missing:
            print(f"images not written: {', '.join(missing)}", file=sys.stderr)
            return 1
        t_dates = time.perf_counter()
        date_sizes = [s for lang in langs for s in write_date_files(bundle, lang, pin / lang)]
        t_dates = time.perf_counter() - t_dates

        day = newest.isoformat() if newest else None
        versions = [{"data_version": version, "data_date": day, "generated_at": generated, "path": f"{pinned_dir}/"}]
        versions += [v for v in existing.versions if v["data_version"] != version]
        version_doc = {
            "data_version": version,
            "data_date": day,
            "generated_at": generated,
            "pinned": f"{pinned_dir}/",
            "pages": [f"{p.path}.html" for p in pages],
            # each source's latest figure, in words: a page pinned to an older version names the newer ones
            "figures": latest_figures(bundle, langs),
        }
        entries: list[dict[str, Any]] = []
        for p in pages:
            page = render_page(
                p,
                bundle,
                generated,
                {"up": "../../../", "assets": assets, "explainer_url": explainer_url, "latest": "../../../latest/version.json"},
            ).encode("utf-8")
            (pin / f"{p.path}.html").write_bytes(page)
            write_csv(p.built.table, pin / f"{p.path}.csv")
            (pin / f"{p.path}.json").write_text(
                json.dumps(metadata(p, bundle, generated, images), ensure_ascii=False, indent=1), "utf-8"
            )
            entries.append(
                {
                    "lang": p.lang,
                    "view": p.view,
                    "name": p.name,
                    "title": page_title(p),
                    "date": p.date.isoformat() if p.date else None,
                    "html": f"{pinned_dir}/{p.path}.html",
                    "latest_html": f"{latest_dir}/{p.path}.html",
                    "csv": f"{pinned_dir}/{p.path}.csv",
                    "json": f"{pinned_dir}/{p.path}.json",
                    "png": f"{pinned_dir}/{p.path}.png" if images else None,
                    "embed_url": f"{base}/{pinned_dir}/{p.path}.html",
                    "latest_url": f"{base}/{latest_dir}/{p.path}.html",
                    "bytes": len(page) + len(embed_js),
                }
            )
        # the editors' tables and their Data Package (data/datapackage.json's schema, this version's rows)
        write_tables(bundle, pin / "data", version=version)
        version_doc["data"] = "data/datapackage.json"
        (pin / "version.json").write_text(json.dumps(version_doc, indent=1), "utf-8")
        (pin / "index.html").write_text(render_index(pages, base, bundle, generated, images), "utf-8")

        # latest/: the same files, pages rendered for their depth (and without the "newer" check)
        shutil.copytree(pin, tmp / latest_dir)
        for p in pages:
            (tmp / latest_dir / f"{p.path}.html").write_text(
                render_page(
                    p, bundle, generated, {"up": "../../", "assets": assets, "latest": "", "explainer_url": explainer_url}
                ),
                "utf-8",
            )
        (tmp / "versions.json").write_text(json.dumps(versions, indent=1), "utf-8")
        (tmp / "index.html").write_text(render_index(pages, base, bundle, generated, images, f"{pinned_dir}/", versions), "utf-8")
        foreign = carry_over(out, tmp, existing, version)
        total = time.perf_counter() - t0
        manifest = {
            "tool": TOOL,
            "generated_at": generated,
            "data_version": version,
            "data_date": day,
            "rights": R.summary(bundle.manifest),
            "rights_preview": bool(uncleared),
            "langs": langs,
            "embed_base": base,
            "plotly": PLOTLY_JS_VERSION,
            "pinned": f"{pinned_dir}/",
            "latest": f"{latest_dir}/",
            "datapackage": f"{pinned_dir}/data/datapackage.json",
            "versions": versions,
            "assets": sorted(
                f"assets/{f.relative_to(tmp / 'assets').as_posix()}" for f in (tmp / "assets").rglob("*") if f.is_file()
            ),
            "pages": entries,
            "date_files": {
                "count": len(date_sizes),
                "bytes_min": min(date_sizes, default=0),
                "bytes_max": max(date_sizes, default=0),
                "bytes_total": sum(date_sizes),
            },
            "kept": foreign,
            "timings_s": {
                "figures": round(t_fig, 2),
                "images": round(t_img, 2),
                "png": round(t_img, 2),
                "date_files": round(t_dates, 2),
                "total": round(total, 2),
            },
        }
        (pin / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        shutil.copyfile(pin / "manifest.json", tmp / latest_dir / "manifest.json")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        ours = [rel for rel in files_below(tmp) if rel not in set(foreign)]
        (tmp / MARKER).write_text(json.dumps(marker_doc(tmp, ours), indent=1), "utf-8")
        swap_in(tmp, out)
    except ExportRefused as e:
        print(e, file=sys.stderr)
        return 2
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    sizes = [e["bytes"] for e in entries]
    print(
        f"ok: {len(pages)} pages ({', '.join(langs)}) in {out}/{pinned_dir} and {out}/{latest_dir}; "
        f"{total:.1f} s (figures {t_fig:.1f} s, images {t_img:.1f} s, date files {t_dates:.1f} s); "
        f"pages {min(sizes) / 1000:.0f}-{max(sizes) / 1000:.0f} kB with embed.js, "
        f"{assets['plotly']} {len(plotly_js) / 1000:.0f} kB; {len(date_sizes)} date files "
        f"{min(date_sizes, default=0) / 1000:.1f}-{max(date_sizes, default=0) / 1000:.1f} kB; data version {version}"
        + (f"; kept {len(foreign)} file(s) not written by the export: {', '.join(foreign[:5])}" if foreign else "")
    )
    for entry in entries:
        if entry["bytes"] > MAX_PAGE_BYTES:
            print(f"warning: {entry['html']} weighs {entry['bytes']} bytes (over {MAX_PAGE_BYTES})", file=sys.stderr)
    return 0
